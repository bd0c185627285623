//! [`PolicyStore`]: where a [`Resolver`](crate::Resolver) shares its
//! policy cache with other resolvers (other MTAs of one mail service), and
//! the stores that come with the crate: [`MemoryStore`] in the process
//! (saved to and loaded from a file) and, with the `redis` feature,
//! `RedisStore`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use mta_sts::MAX_AGE_LIMIT;
use mta_sts::sender::{CacheEntry, PolicyDomain};

pub(crate) mod file;
mod memory;
#[cfg(feature = "redis")]
mod redis;
pub(crate) mod shared;

pub use memory::MemoryStore;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use redis::RedisStore;

/// How long a stored entry outlives what it holds: one minute past the
/// policy's expiry (or the end of a failed fetch's hold-off).
pub(crate) const STORE_GRACE: Duration = Duration::from_secs(60);

/// The future a [`PolicyStore`] operation returns.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// A policy cache shared by several [`Resolver`](crate::Resolver)s: one
/// [`CacheEntry`] per Policy Domain, and a short per-domain lock so that
/// one of them fetches when a fetch is due (RFC 8461 §3.3).
///
/// A resolver keeps its own in-process cache and asks the store only when
/// its own entry calls for a fetch (or holds no policy in force while the
/// TXT lookup did not say "no record"); see
/// [`Resolver::with_store`](crate::Resolver::with_store). An error from
/// the store is never fatal: the resolver goes on with its own cache and
/// its own fetches.
///
/// Implementations must bound each operation's time (a store that does
/// not answer fails the operation rather than hang it), treat a stored
/// value they cannot read as absent, and drop entries after the
/// lifetime [`put`](PolicyStore::put) gives.
pub trait PolicyStore: fmt::Debug + Send + Sync {
    /// The entry stored for `domain`, `None` when there is none, or it
    /// expired, or it cannot be read (another format version, garbage).
    fn get<'a>(&'a self, domain: &'a PolicyDomain) -> StoreFuture<'a, Option<CacheEntry>>;

    /// Stores `entry` for `domain`, replacing what was there, to be
    /// dropped after `lifetime`: a minute past the time its policy expires
    /// or its failed fetch's hold-off ends, never more than RFC 8461's
    /// 31557600 seconds and the minute (§3.2).
    fn put<'a>(
        &'a self,
        domain: &'a PolicyDomain,
        entry: &'a CacheEntry,
        lifetime: Duration,
    ) -> StoreFuture<'a, ()>;

    /// Takes the fetch lock of `domain` for `hold` unless someone holds
    /// it: `Some` lock to give back to [`unlock`](PolicyStore::unlock),
    /// or `None` when another holder has it. A lock whose holder never
    /// gives it back frees itself after `hold`.
    fn lock<'a>(
        &'a self,
        domain: &'a PolicyDomain,
        hold: Duration,
    ) -> StoreFuture<'a, Option<FetchLock>>;

    /// Gives back `lock`, if it is still the one held (after its `hold`
    /// another holder may have taken the domain's lock: that one stays).
    fn unlock<'a>(&'a self, domain: &'a PolicyDomain, lock: FetchLock) -> StoreFuture<'a, ()>;
}

/// A held fetch lock: the token that tells its holder's lock from
/// another's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchLock {
    token: String,
}

impl FetchLock {
    /// A lock held under `token`; a store makes tokens that no other
    /// holder can have.
    #[must_use]
    pub fn new(token: impl Into<String>) -> FetchLock {
        FetchLock {
            token: token.into(),
        }
    }

    /// The token.
    #[must_use]
    pub fn token(&self) -> &str {
        &self.token
    }
}

/// A [`PolicyStore`] operation that failed: the store is unreachable, too
/// slow, or answered something else than expected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct StoreError {
    message: String,
}

impl StoreError {
    /// An error saying `message` (lowercase, no trailing period).
    #[must_use]
    pub fn new(message: impl Into<String>) -> StoreError {
        StoreError {
            message: message.into(),
        }
    }
}

/// How long to keep `entry` in a shared store at `now` (seconds since the
/// Unix epoch): until its policy expires (`fetched_at + min(max_age,
/// 31557600)`, RFC 8461 §3.2) or its failed fetch's hold-off ends,
/// whichever is later, plus [`STORE_GRACE`]; never more than 31557600
/// seconds plus the grace, so that no stored entry outlives what the RFC
/// allows a cache to keep. `None` for an empty entry: nothing to store.
pub(crate) fn lifetime(entry: &CacheEntry, now: u64) -> Option<Duration> {
    let policy_end = entry
        .cached()
        .map(mta_sts::sender::CachedPolicy::expires_at);
    let hold_off_end = entry
        .last_failure()
        .map(mta_sts::sender::FailedFetch::retry_at);
    let end = policy_end.max(hold_off_end)?;
    let seconds = end.saturating_sub(now).min(MAX_AGE_LIMIT);
    Some(Duration::from_secs(seconds) + STORE_GRACE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mta_sts::Policy;
    use mta_sts::sender::{CachedPolicy, FailedFetch};

    fn policy(max_age: u64) -> Policy {
        Policy::parse(&format!(
            "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: {max_age}\n"
        ))
        .unwrap()
    }

    #[test]
    fn lifetime_follows_the_policy_and_the_hold_off() {
        let grace = STORE_GRACE.as_secs();
        let cached = |max_age, at| Some(CachedPolicy::new(policy(max_age), "1", at));
        let rows: [(CacheEntry, u64, Option<u64>); 6] = [
            // Until the policy expires, plus the grace.
            (
                CacheEntry::with(cached(600, 1000), None),
                1000,
                Some(600 + grace),
            ),
            // An expired policy: the grace only.
            (CacheEntry::with(cached(600, 1000), None), 5000, Some(grace)),
            // The RFC's cap on max_age, even for a fetch time ahead of now.
            (
                CacheEntry::with(cached(31_557_600, 10_000), None),
                0,
                Some(31_557_600 + grace),
            ),
            // A failed fetch holds its entry until the retry may start.
            (
                CacheEntry::with(None, Some(FailedFetch::new("2", 1000))),
                1100,
                Some(200 + grace),
            ),
            // The later of the two.
            (
                CacheEntry::with(cached(60, 1000), Some(FailedFetch::new("2", 1000))),
                1000,
                Some(300 + grace),
            ),
            (CacheEntry::new(), 1000, None),
        ];
        for (entry, now, expected) in rows {
            assert_eq!(
                lifetime(&entry, now),
                expected.map(Duration::from_secs),
                "{entry:?} at {now}"
            );
        }
    }
}
