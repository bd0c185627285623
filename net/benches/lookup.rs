//! Latency of `Resolver::policy` against the lab on loopback, as
//! percentiles over many lookups (a latency bound, so not criterion's
//! mean): a cached lookup in the process, and with `--features redis` the
//! same with a `RedisStore` attached and a lookup answered through Redis
//! (the resolver has nothing cached, another one stored the entry), plus
//! the store's own `get`. Every lookup asks the lab's DNS server for the
//! TXT record, as a real one does.
//!
//! ```sh
//! cargo bench -p mta-sts-net --features redis --bench lookup
//! ```
//!
//! The Redis part starts Debian's `redis-server` on a free loopback port
//! (no persistence) and stops it at the end.

use std::sync::Arc;
use std::time::{Duration, Instant};

use mta_sts_lab::{Behaviour, enforce, lab};
use mta_sts_net::{Config, Resolver};

/// Lookups per measurement, and domains in the zone.
const LOOKUPS: usize = 2_000;

/// The domains the lookups through Redis look up, one lookup each.
fn domains() -> Vec<String> {
    (0..LOOKUPS)
        .map(|index| format!("d{index}.redis.bench.test"))
        .collect()
}

fn config() -> Config {
    let lab = lab();
    let mut config = Config::default();
    config.nameserver = Some(lab.dns);
    config.https_port = lab.https_port;
    config.roots = Arc::new(lab.pki.roots());
    config
}

fn publish(domain: &str) {
    let mx = format!("mx.{domain}");
    lab().publish(
        domain,
        &["v=STSv1; id=1;"],
        Behaviour::policy(&enforce(&[&mx], 604_800)),
        &[],
    );
}

/// Prints the percentiles of `samples` under `name`.
fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort_unstable();
    let at = |part: f64| {
        // The sample below which `part` of them lie.
        let index = (part * samples.len() as f64).ceil() as usize;
        samples[index.clamp(1, samples.len()) - 1].as_secs_f64() * 1e6
    };
    println!(
        "{name:<44} n={:<5} p50 {:>7.1} µs  p99 {:>7.1} µs  max {:>7.1} µs",
        samples.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

/// The latency of each of `count` lookups of `domain` by `resolver`.
async fn lookups(resolver: &Resolver, domains: &[String], count: usize) -> Vec<Duration> {
    let mut samples = Vec::with_capacity(count);
    for domain in domains.iter().cycle().take(count) {
        let start = Instant::now();
        let lookup = resolver.policy(domain).await.expect("a valid domain");
        samples.push(start.elapsed());
        assert!(lookup.policy().is_some(), "{domain}: a policy");
    }
    samples
}

/// A cached lookup without a shared store.
async fn in_process() {
    let domains = vec!["cached.bench.test".to_owned()];
    publish(&domains[0]);
    let resolver = Resolver::new(config());
    lookups(&resolver, &domains, 100).await;
    report(
        "cached lookup, in-process",
        lookups(&resolver, &domains, LOOKUPS).await,
    );
}

#[cfg(feature = "redis")]
mod through_redis {
    use super::*;
    use mta_sts::sender::PolicyDomain;
    use mta_sts_lab::redis::Redis;
    use mta_sts_net::{PolicyStore, RedisStore};

    fn store(server: &Redis) -> Arc<RedisStore> {
        Arc::new(RedisStore::new(&server.url()).expect("a redis url"))
    }

    pub(super) async fn run(server: &Redis) {
        // A cached lookup does not touch the store.
        let cached = vec!["cached.bench.test".to_owned()];
        let resolver = Resolver::new(config()).with_store(store(server));
        lookups(&resolver, &cached, 100).await;
        report(
            "cached lookup, in-process, RedisStore on",
            lookups(&resolver, &cached, LOOKUPS).await,
        );

        // Nothing cached in the process, the entry in Redis.
        let domains = domains();
        let warm = Resolver::new(config()).with_store(store(server));
        lookups(&warm, &domains, LOOKUPS).await;
        let cold = Resolver::new(config()).with_store(store(server));
        report(
            "lookup answered through Redis",
            lookups(&cold, &domains, LOOKUPS).await,
        );

        // The store's round trip alone: GETRANGE and decoding.
        let store = store(server);
        let domains: Vec<PolicyDomain> = domains
            .iter()
            .map(|domain| PolicyDomain::new(domain).expect("a domain"))
            .collect();
        let mut samples = Vec::with_capacity(LOOKUPS);
        for domain in &domains {
            let start = Instant::now();
            let entry = store.get(domain).await.expect("redis answers");
            samples.push(start.elapsed());
            assert!(entry.is_some(), "{domain}: stored");
        }
        report("RedisStore::get", samples);
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    // The zone is the same for every measurement (and in a build without
    // the `redis` feature, for comparing the in-process path).
    for domain in domains() {
        publish(&domain);
    }
    runtime.block_on(async {
        in_process().await;
        #[cfg(feature = "redis")]
        through_redis::run(&mta_sts_lab::redis::Redis::start()).await;
    });
}
