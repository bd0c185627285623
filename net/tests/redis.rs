//! The resolver's shared cache on a real Redis (feature `redis`):
//! Debian's `redis-server`, started by each test on a free loopback port
//! without persistence and killed at its end (`mta_sts_lab::redis`), with several `Resolver`s on
//! it against the lab's domains. `Web::hits` counts the policy fetches.

#![cfg(feature = "redis")]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use mta_sts::sender::{Apply, PolicyDomain};
use mta_sts_lab::redis::Redis as RedisServer;
use mta_sts_lab::{Behaviour, enforce, lab};
use mta_sts_net::{PolicyStore, RedisStore, Resolver};

use common::{BUDGET, config, mx_of, resolver, resolver_with};

/// What the tests do with a lab Redis server.
trait RedisExt {
    /// A store on this server, as one MTA has it.
    fn store(&self) -> Arc<RedisStore>;
    /// Runs one command on a connection of its own.
    fn command(&self, args: &[&str]) -> redis::RedisResult<redis::Value>;
    /// The stored value of `domain`, as bytes; empty when absent.
    fn value(&self, domain: &str) -> Vec<u8>;
}

impl RedisExt for RedisServer {
    fn store(&self) -> Arc<RedisStore> {
        Arc::new(RedisStore::new(&self.url()).expect("a redis url"))
    }

    fn command(&self, args: &[&str]) -> redis::RedisResult<redis::Value> {
        let client = redis::Client::open(self.url())?;
        let mut connection = client.get_connection_with_timeout(Duration::from_secs(1))?;
        let mut command = redis::cmd(args[0]);
        for arg in &args[1..] {
            command.arg(*arg);
        }
        command.query(&mut connection)
    }

    fn value(&self, domain: &str) -> Vec<u8> {
        match self.command(&["GET", &format!("mta-sts:policy:{domain}")]) {
            Ok(redis::Value::BulkString(bytes)) => bytes,
            Ok(redis::Value::Nil) => Vec::new(),
            other => panic!("GET {domain}: {other:?}"),
        }
    }
}

/// Three MTAs, each with its own connection to `server`.
fn three(server: &RedisServer) -> [Arc<Resolver>; 3] {
    [(); 3].map(|()| Arc::new(resolver(server.store())))
}

/// Publishes `domain` with TXT id `id` and an enforce policy for `mx`.
fn publish(domain: &str, id: &str, mx: &str) {
    lab().publish(
        domain,
        &[&format!("v=STSv1; id={id};")],
        Behaviour::policy(&enforce(&[mx], 604_800)),
        &[],
    );
}

fn hits(domain: &str) -> usize {
    lab().web.hits(&format!("mta-sts.{domain}"))
}

/// The MX patterns `resolver` applies to `domain`, checking that the
/// lookup kept within `limit`.
async fn mx_within(resolver: &Resolver, domain: &str, limit: Duration) -> Vec<String> {
    let start = Instant::now();
    let lookup = resolver.policy(domain).await.expect("a valid domain");
    let took = start.elapsed();
    assert!(took < limit, "{domain}: took {took:?}, more than {limit:?}");
    mx_of(&lookup)
}

async fn mx(resolver: &Resolver, domain: &str) -> Vec<String> {
    mx_within(resolver, domain, BUDGET + Duration::from_secs(1)).await
}

/// Waits until `store` answers again (it holds off for a second after an
/// outage, and its connection comes back by itself).
async fn wait_until_answering(store: &RedisStore) {
    let probe = PolicyDomain::new("probe.redis.test").unwrap();
    let until = Instant::now() + Duration::from_secs(10);
    while store.get(&probe).await.is_err() {
        assert!(Instant::now() < until, "the store answers again");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_resolvers_fetch_each_domain_once() {
    let server = RedisServer::start();
    let domains = [
        "a.once.redis.test",
        "b.once.redis.test",
        "c.once.redis.test",
    ];
    for domain in domains {
        publish(domain, "1", &format!("mx.{domain}"));
    }
    let mut tasks = tokio::task::JoinSet::new();
    for resolver in three(&server) {
        for domain in domains {
            let resolver = Arc::clone(&resolver);
            tasks.spawn(async move { (domain, mx(&resolver, domain).await) });
        }
    }
    while let Some(done) = tasks.join_next().await {
        let (domain, mx) = done.unwrap();
        assert_eq!(mx, [format!("mx.{domain}")]);
    }
    for domain in domains {
        assert_eq!(hits(domain), 1, "{domain}: three resolvers, one fetch");
        assert!(server.value(domain).starts_with(b"{\"version\":1,"));
    }

    // A restarted MTA does not start blind.
    let restarted = resolver(server.store());
    assert_eq!(
        mx(&restarted, domains[0]).await,
        [format!("mx.{}", domains[0])]
    );
    assert_eq!(hits(domains[0]), 1, "the stored entry answered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_change_is_seen_by_all() {
    let server = RedisServer::start();
    let domain = "change.redis.test";
    publish(domain, "1", "mx1.change.redis.test");
    let resolvers = three(&server);
    for resolver in &resolvers {
        assert_eq!(mx(resolver, domain).await, ["mx1.change.redis.test"]);
    }
    assert_eq!(hits(domain), 1);

    publish(domain, "2", "mx2.change.redis.test");
    for resolver in &resolvers {
        assert_eq!(mx(resolver, domain).await, ["mx2.change.redis.test"]);
    }
    assert_eq!(hits(domain), 2, "the new policy fetched once for all");
    let cached = resolvers[2].cached(domain).await.unwrap();
    assert_eq!(cached.cached().unwrap().id(), "2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_stopped_in_the_middle() {
    let server = RedisServer::start();
    let stores = [server.store(), server.store(), server.store()];
    let resolvers = stores.clone().map(|store| resolver(store));
    let (warm, alone, again) = ("warm.redis.test", "alone.redis.test", "again.redis.test");
    publish(warm, "1", "mx.warm.redis.test");
    for resolver in &resolvers {
        assert_eq!(mx(resolver, warm).await, ["mx.warm.redis.test"]);
    }
    assert_eq!(hits(warm), 1);

    let port = server.stop();
    // Cached policies answer from memory, without waiting for Redis.
    for resolver in &resolvers {
        let mx = mx_within(resolver, warm, Duration::from_millis(500)).await;
        assert_eq!(mx, ["mx.warm.redis.test"]);
    }
    assert_eq!(hits(warm), 1);
    // A domain none has cached: each fetches on its own.
    publish(alone, "1", "mx.alone.redis.test");
    for resolver in &resolvers {
        let mx = mx_within(resolver, alone, Duration::from_secs(2)).await;
        assert_eq!(mx, ["mx.alone.redis.test"]);
    }
    assert_eq!(hits(alone), 3, "no shared cache, one fetch each");

    let server = RedisServer::start_on(port);
    for store in &stores {
        wait_until_answering(store).await;
    }
    publish(again, "1", "mx.again.redis.test");
    for resolver in &resolvers {
        assert_eq!(mx(resolver, again).await, ["mx.again.redis.test"]);
    }
    assert_eq!(hits(again), 1, "shared again once Redis is back");
    assert!(!server.value(again).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_and_deleted_values() {
    let server = RedisServer::start();
    let domain = "garbage.redis.test";
    let key = format!("mta-sts:policy:{domain}");
    publish(domain, "1", "mx.garbage.redis.test");
    let running = resolver(server.store());
    assert_eq!(mx(&running, domain).await, ["mx.garbage.redis.test"]);
    assert_eq!(hits(domain), 1);

    let rows: [(&str, &[&str]); 4] = [
        ("garbage", &["SET", &key, "garbage"]),
        (
            "another version",
            &["SET", &key, r#"{"version":2,"entry":{}}"#],
        ),
        ("another type", &["DEL", &key]),
        ("deleted", &["DEL", &key]),
    ];
    for (count, (case, command)) in (2..).zip(rows) {
        server.command(command).unwrap();
        if case == "another type" {
            server.command(&["RPUSH", &key, "x"]).unwrap();
        }
        // The running node answers from memory, untouched.
        assert_eq!(
            mx(&running, domain).await,
            ["mx.garbage.redis.test"],
            "{case}"
        );
        // A new node treats the value as absent, fetches and overwrites it.
        let new = resolver(server.store());
        assert_eq!(mx(&new, domain).await, ["mx.garbage.redis.test"], "{case}");
        assert_eq!(hits(domain), count, "{case}: one new fetch");
        let value = server.value(domain);
        assert!(value.starts_with(b"{\"version\":1,"), "{case}: overwritten");
        // What it wrote serves the next node.
        let next = resolver(server.store());
        assert_eq!(mx(&next, domain).await, ["mx.garbage.redis.test"], "{case}");
        assert_eq!(hits(domain), count, "{case}: served from Redis");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_txt_lookup_does_not_hide_the_shared_policy() {
    // RFC 8461 §3.3: a cached policy applies whatever the TXT lookup
    // says; a node that never cached it takes the shared one.
    let server = RedisServer::start();
    let domain = "blocked.redis.test";
    publish(domain, "1", "mx.blocked.redis.test");
    assert_eq!(
        mx(&resolver(server.store()), domain).await,
        ["mx.blocked.redis.test"]
    );
    let mut blocked = config();
    blocked.nameserver = Some(lab().silent_dns);
    blocked.dns_timeout = Duration::from_millis(300);
    let lookup = resolver_with(blocked, server.store())
        .policy(domain)
        .await
        .unwrap();
    assert_eq!(mx_of(&lookup), ["mx.blocked.redis.test"]);
    assert_eq!(lookup.decision().apply(), Apply::Cached);
    assert_eq!(hits(domain), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_whose_holder_died() {
    let server = RedisServer::start();
    let domain = "dead.redis.test";
    let lock = format!("mta-sts:lock:{domain}");
    publish(domain, "1", "mx1.dead.redis.test");

    // Nothing cached: wait for the holder, take over when its lock expires.
    server
        .command(&["SET", &lock, "dead", "PX", "1500"])
        .unwrap();
    let first = resolver(server.store());
    let start = Instant::now();
    assert_eq!(mx(&first, domain).await, ["mx1.dead.redis.test"]);
    assert!(
        start.elapsed() >= Duration::from_millis(1400),
        "waited for the lock"
    );
    assert_eq!(hits(domain), 1);

    // A cached policy applies at once while another holds the lock.
    publish(domain, "2", "mx2.dead.redis.test");
    server
        .command(&["SET", &lock, "dead", "PX", "60000"])
        .unwrap();
    let lookup = first.policy(domain).await.unwrap();
    assert_eq!(lookup.decision().apply(), Apply::Cached);
    assert_eq!(mx_of(&lookup), ["mx1.dead.redis.test"]);
    assert_eq!(hits(domain), 1, "the holder fetches, not us");
    // The holder's lock is not ours to give back.
    assert_eq!(
        server.command(&["GET", &lock]).unwrap(),
        redis::Value::BulkString(b"dead".to_vec())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_that_never_answers() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let store = RedisStore::new(&format!("redis://127.0.0.1:{port}/0")).unwrap();
    let resolver = resolver(Arc::new(store));
    let domain = "silent.redis.test";
    publish(domain, "1", "mx.silent.redis.test");
    let mx = mx_within(&resolver, domain, Duration::from_secs(1)).await;
    assert_eq!(mx, ["mx.silent.redis.test"]);
    assert_eq!(hits(domain), 1);
}

/// What the tests' resolvers logged through `tracing`: the level and
/// message of each warning and info line.
static LOGGED: std::sync::Mutex<Vec<(tracing::Level, String)>> = std::sync::Mutex::new(Vec::new());

/// The process's subscriber, keeping warnings and info lines in
/// [`LOGGED`].
struct Recorder;

impl tracing::Subscriber for Recorder {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        *metadata.level() <= tracing::Level::INFO
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        struct Message(String);
        impl tracing::field::Visit for Message {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "message" {
                    self.0 = format!("{value:?}");
                }
            }
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        let level = *event.metadata().level();
        LOGGED.lock().unwrap().push((level, message.0));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// How many lines at `level` name the Redis server on `port`.
fn logged(level: tracing::Level, port: u16) -> usize {
    let address = format!("127.0.0.1:{port} ");
    let logged = LOGGED.lock().unwrap();
    logged
        .iter()
        .filter(|(at, message)| *at == level && message.contains(&address))
        .count()
}

/// One warning per outage however many lookups it lasts, one info line
/// when Redis answers again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_is_logged_once() {
    // Other tests log too: the lines are told apart by the port.
    let _ = tracing::subscriber::set_global_default(Recorder);
    let server = RedisServer::start();
    let store = server.store();
    let resolver = resolver(store.clone());
    let port = server.stop();
    for index in 0..3 {
        let domain = format!("d{index}.outage.redis.test");
        publish(&domain, "1", "mx.outage.redis.test");
        assert_eq!(mx(&resolver, &domain).await, ["mx.outage.redis.test"]);
        // Past the second the store holds off: each lookup asks Redis.
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    assert_eq!(
        logged(tracing::Level::WARN, port),
        1,
        "one outage, one warning"
    );
    assert_eq!(logged(tracing::Level::INFO, port), 0);

    let server = RedisServer::start_on(port);
    wait_until_answering(&store).await;
    assert_eq!(logged(tracing::Level::INFO, port), 1, "back, one info line");
    drop(server);
    publish("again.outage.redis.test", "1", "mx.outage.redis.test");
    assert_eq!(
        mx(&resolver, "again.outage.redis.test").await,
        ["mx.outage.redis.test"]
    );
    assert_eq!(
        logged(tracing::Level::WARN, port),
        2,
        "a new outage, a new warning"
    );
}
