//! [`RedisStore`]: the shared policy cache on Redis (feature `redis`), on
//! the `redis` crate's connection manager, which reconnects by itself.

use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use mta_sts::sender::{CacheEntry, PolicyDomain};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::{FetchLock, PolicyStore, StoreError, StoreFuture};

/// The format version of stored values; a value of another version is
/// read as absent (and overwritten by the next fetch).
const VERSION: u32 = 1;

/// The largest stored value read back: a cache entry holds one policy
/// (at most 64 KiB), so anything bigger is not ours.
const VALUE_LIMIT: usize = 262_144;

/// How long the store stays unasked after an operation found Redis
/// unreachable: lookups meanwhile go on without it at no cost.
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// Gives the fetch lock back only if it still holds this holder's token.
const RELEASE: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then \
                       return redis.call('DEL', KEYS[1]) else return 0 end";

/// A [`PolicyStore`] on Redis, for the MTAs of one mail service to share
/// one policy cache and fetch each policy once (feature `redis`).
///
/// Each Policy Domain's [`CacheEntry`] is a JSON value (`{"version": 1,
/// "entry": {"cached": …, "last_failure": …}}`) under `PREFIX` `policy:`
/// *domain*, set with an expiry (`PX`) a minute past the time its policy
/// expires, never more than RFC 8461's 31557600 seconds and the minute
/// (§3.2). The fetch lock is `PREFIX` `lock:` *domain*, taken with `SET
/// … NX PX` and given back with a compare-and-delete script. The prefix
/// is `mta-sts:` unless [`prefix`](RedisStore::prefix) says otherwise.
///
/// Every operation has a time limit ([`timeout`](RedisStore::timeout),
/// 200 ms by default). When Redis does not answer, the store logs it once
/// (a `tracing` warning; an info line when it answers again), fails its
/// operations at once for a second, then tries again: the resolvers on
/// it go on with their own caches and fetches meanwhile. A value that
/// does not decode (another version, garbage, another type) is absent.
///
/// ```no_run
/// use std::sync::Arc;
/// use mta_sts_net::{Config, RedisStore, Resolver};
///
/// # fn run() -> Result<(), mta_sts_net::StoreError> {
/// let store = RedisStore::new("redis://127.0.0.1:6379/0")?.prefix("mail:mta-sts:");
/// let resolver = Resolver::new(Config::default()).with_store(Arc::new(store));
/// # Ok(())
/// # }
/// ```
pub struct RedisStore {
    client: redis::Client,
    prefix: String,
    timeout: Duration,
    connection: OnceLock<Result<ConnectionManager, StoreError>>,
    outage: Mutex<Option<Instant>>,
    seed: u64,
    tokens: AtomicU64,
    release: redis::Script,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let info = self.client.get_connection_info();
        f.debug_struct("RedisStore")
            .field("address", &info.addr().to_string())
            .field("db", &info.redis_settings().db())
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// A store on the Redis server at `url` (`redis://HOST:PORT/DB`, or
    /// `redis://:PASSWORD@HOST:PORT/DB`; no TLS). Nothing connects until
    /// the first operation, so a resolver can start while Redis is down;
    /// the connection then lives on the tokio runtime of that first
    /// operation (use the store from one runtime).
    ///
    /// # Errors
    ///
    /// `url` is not a Redis URL.
    pub fn new(url: &str) -> Result<RedisStore, StoreError> {
        let client = redis::Client::open(url)
            .map_err(|err| StoreError::new(format!("invalid redis url {url:?}: {err}")))?;
        Ok(RedisStore {
            client,
            prefix: "mta-sts:".to_owned(),
            timeout: Duration::from_millis(200),
            connection: OnceLock::new(),
            outage: Mutex::new(None),
            seed: RandomState::new().hash_one(std::process::id()),
            tokens: AtomicU64::new(0),
            release: redis::Script::new(RELEASE),
        })
    }

    /// The same store with its keys under `prefix` (default `mta-sts:`),
    /// for several caches on one Redis database.
    #[must_use]
    pub fn prefix(self, prefix: impl Into<String>) -> RedisStore {
        RedisStore {
            prefix: prefix.into(),
            ..self
        }
    }

    /// The same store with each operation (connecting included) limited
    /// to `timeout` (default 200 ms).
    #[must_use]
    pub fn timeout(self, timeout: Duration) -> RedisStore {
        RedisStore { timeout, ..self }
    }

    fn key(&self, kind: &str, domain: &PolicyDomain) -> String {
        format!("{}{kind}:{}", self.prefix, domain.as_str())
    }

    /// The connection, unless Redis was found unreachable less than
    /// [`RETRY_AFTER`] ago.
    fn connection(&self) -> Result<ConnectionManager, StoreError> {
        let since = *self.outage.lock().unwrap_or_else(PoisonError::into_inner);
        if since.is_some_and(|since| since.elapsed() < RETRY_AFTER) {
            return Err(StoreError::new(format!(
                "redis at {} is unreachable",
                self.client.get_connection_info().addr()
            )));
        }
        self.connection
            .get_or_init(|| {
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(self.timeout))
                    .set_response_timeout(Some(self.timeout))
                    .set_number_of_retries(1)
                    .set_min_delay(Duration::from_millis(50))
                    .set_max_delay(RETRY_AFTER);
                ConnectionManager::new_lazy_with_config(self.client.clone(), config)
                    .map_err(|err| StoreError::new(format!("redis: {err}")))
            })
            .clone()
    }

    /// Runs one operation within the time limit, keeping track of outages:
    /// the first failure to reach Redis logs a warning, the first answer
    /// after it an info line. An error answer (`WRONGTYPE`, …) is
    /// [`Answer::Refused`], no outage.
    async fn run<T>(
        &self,
        operation: impl Future<Output = redis::RedisResult<T>>,
    ) -> Result<Answer<T>, StoreError> {
        let result = tokio::time::timeout(self.timeout, operation).await;
        let mut outage = self.outage.lock().unwrap_or_else(PoisonError::into_inner);
        let address = self.client.get_connection_info().addr();
        let reason = match result {
            Ok(Err(err))
                if !matches!(
                    err.kind(),
                    redis::ErrorKind::Server(_) | redis::ErrorKind::Extension
                ) =>
            {
                err.to_string()
            }
            Err(_) => format!("no answer within {:?}", self.timeout),
            Ok(answer) => {
                if outage.take().is_some() {
                    tracing::info!("redis cache at {address} answers again");
                }
                return Ok(answer.map_or_else(
                    |err| Answer::Refused(StoreError::new(format!("redis at {address}: {err}"))),
                    Answer::Value,
                ));
            }
        };
        if outage.is_none() {
            tracing::warn!(
                "redis cache at {address} unreachable, going on with the in-process cache: {reason}"
            );
        }
        *outage = Some(Instant::now());
        Err(StoreError::new(format!("redis at {address}: {reason}")))
    }

    async fn get(&self, domain: &PolicyDomain) -> Result<Option<CacheEntry>, StoreError> {
        let mut connection = self.connection()?;
        let key = self.key("policy", domain);
        let mut command = redis::cmd("GETRANGE");
        command.arg(&key).arg(0).arg(VALUE_LIMIT);
        let value = match self
            .run(command.query_async::<Vec<u8>>(&mut connection))
            .await?
        {
            Answer::Value(value) => value,
            // A key of another type (WRONGTYPE): not ours, overwritten later.
            Answer::Refused(_) => return Ok(None),
        };
        Ok(decode(&value).or_else(|| {
            if !value.is_empty() {
                tracing::debug!("redis key {key}: not an MTA-STS cache entry, ignored");
            }
            None
        }))
    }

    async fn put(
        &self,
        domain: &PolicyDomain,
        entry: &CacheEntry,
        lifetime: Duration,
    ) -> Result<(), StoreError> {
        let mut connection = self.connection()?;
        let value = serde_json::to_vec(&Stored {
            version: VERSION,
            entry,
        })
        .map_err(|err| StoreError::new(format!("cache entry: {err}")))?;
        let mut command = redis::cmd("SET");
        command
            .arg(self.key("policy", domain))
            .arg(value)
            .arg("PX")
            .arg(millis(lifetime));
        self.run(command.query_async::<()>(&mut connection))
            .await?
            .value()
    }

    async fn lock(
        &self,
        domain: &PolicyDomain,
        hold: Duration,
    ) -> Result<Option<FetchLock>, StoreError> {
        let mut connection = self.connection()?;
        let serial = self.tokens.fetch_add(1, Ordering::Relaxed);
        let lock = FetchLock::new(format!("{:016x}-{serial}", self.seed));
        let mut command = redis::cmd("SET");
        command
            .arg(self.key("lock", domain))
            .arg(lock.token())
            .arg("NX")
            .arg("PX")
            .arg(millis(hold));
        let taken = self
            .run(command.query_async::<Option<String>>(&mut connection))
            .await?
            .value()?;
        Ok(taken.map(|_| lock))
    }

    async fn unlock(&self, domain: &PolicyDomain, lock: FetchLock) -> Result<(), StoreError> {
        let mut connection = self.connection()?;
        let mut invocation = self.release.key(self.key("lock", domain));
        invocation.arg(lock.token());
        self.run(invocation.invoke_async::<i64>(&mut connection))
            .await?
            .value()
            .map(|_| ())
    }
}

impl PolicyStore for RedisStore {
    fn get<'a>(&'a self, domain: &'a PolicyDomain) -> StoreFuture<'a, Option<CacheEntry>> {
        Box::pin(RedisStore::get(self, domain))
    }

    fn put<'a>(
        &'a self,
        domain: &'a PolicyDomain,
        entry: &'a CacheEntry,
        lifetime: Duration,
    ) -> StoreFuture<'a, ()> {
        Box::pin(RedisStore::put(self, domain, entry, lifetime))
    }

    fn lock<'a>(
        &'a self,
        domain: &'a PolicyDomain,
        hold: Duration,
    ) -> StoreFuture<'a, Option<FetchLock>> {
        Box::pin(RedisStore::lock(self, domain, hold))
    }

    fn unlock<'a>(&'a self, domain: &'a PolicyDomain, lock: FetchLock) -> StoreFuture<'a, ()> {
        Box::pin(RedisStore::unlock(self, domain, lock))
    }
}

/// What a reachable Redis answered.
enum Answer<T> {
    /// The value asked for.
    Value(T),
    /// An error answer.
    Refused(StoreError),
}

impl<T> Answer<T> {
    fn value(self) -> Result<T, StoreError> {
        match self {
            Answer::Value(value) => Ok(value),
            Answer::Refused(err) => Err(err),
        }
    }
}

/// A stored value as written.
#[derive(serde::Serialize)]
struct Stored<'a> {
    version: u32,
    entry: &'a CacheEntry,
}

/// A stored value as read: `None` unless it is this version's form and
/// within [`VALUE_LIMIT`] (the policy in it is read as strict parsing
/// does).
fn decode(value: &[u8]) -> Option<CacheEntry> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Read {
        version: u32,
        entry: CacheEntry,
    }
    if value.len() > VALUE_LIMIT {
        return None;
    }
    let read: Read = serde_json::from_slice(value).ok()?;
    (read.version == VERSION).then_some(read.entry)
}

/// `duration` in whole milliseconds, at least 1 (`PX 0` is an error).
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_of_another_form_are_absent() {
        let entry = CacheEntry::new();
        let written = serde_json::to_vec(&Stored {
            version: VERSION,
            entry: &entry,
        })
        .unwrap();
        assert_eq!(decode(&written), Some(entry));
        let rows: [&[u8]; 6] = [
            b"",
            b"garbage",
            b"{\"version\":2,\"entry\":{\"cached\":null,\"last_failure\":null}}",
            b"{\"entry\":{\"cached\":null,\"last_failure\":null}}",
            b"{\"version\":1,\"entry\":{\"cached\":{\"policy\":\"mode: x\"}}}",
            b"{\"version\":1,\"entry\":{},\"extra\":1}",
        ];
        for value in rows {
            assert_eq!(decode(value), None, "{:?}", String::from_utf8_lossy(value));
        }
        let mut long = written.clone();
        long.resize(VALUE_LIMIT + 1, b' ');
        assert_eq!(decode(&long), None, "a value over the limit");
    }
}
