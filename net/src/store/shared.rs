//! One refresh across resolvers: what a [`Resolver`](crate::Resolver)
//! with a shared [`PolicyStore`] does when its own cache entry calls for a
//! fetch, and how it publishes what it fetched (RFC 8461 §3.3: the cache,
//! its refresh and its hold-off after a failure, kept once for all the
//! MTAs that share the store).

use std::sync::Arc;
use std::time::Duration;

use mta_sts::sender::{Apply, CacheEntry, Decision, PolicyDomain, TxtLookup};
use tokio::time::Instant;

use super::{FetchLock, PolicyStore, StoreError, lifetime};

/// How often a resolver with no policy in force looks for the entry that
/// the lock's holder is fetching.
const POLL: Duration = Duration::from_millis(50);

/// How far ahead of the reader's clock a stored time may be. An entry
/// fetched "later" than that is not trusted: its policy could outlive
/// what RFC 8461 allows, its hold-off could stop fetches for good.
const CLOCK_SKEW: u64 = 300;

/// What a lookup does about the fetch its decision calls for, after
/// asking the shared store.
#[derive(Debug)]
pub(crate) enum Turn {
    /// Fetch within `budget`; `lock` is the store's fetch lock when this
    /// resolver took it (`None` when the store did not answer).
    Fetch {
        budget: Duration,
        lock: Option<FetchLock>,
    },
    /// Do not fetch: the store's entry answered, another resolver is
    /// fetching while the cached policy stays in force, or the budget was
    /// spent waiting for it.
    Skip,
}

/// Whether a lookup asks the store: when its entry calls for a fetch, or
/// when it holds no policy in force and the TXT lookup did not say the
/// domain has no record (a failed lookup must not hide a policy another
/// MTA cached, RFC 8461 §3.3). Domains without MTA-STS cost nothing.
pub(crate) fn wants_store(decision: &Decision, lookup: &TxtLookup) -> bool {
    decision.fetch().is_some()
        || (decision.apply() == Apply::NoPolicy && *lookup != TxtLookup::NoRecord)
}

/// Brings `entry` up to date from `store` and says whether this lookup
/// fetches, all within `budget` (the fetch budget of the lookup): takes
/// the store's entry when it is newer, takes the domain's fetch lock when
/// a fetch is still due, and when another resolver holds the lock either
/// keeps the cached policy in force or, with none, waits for the holder's
/// entry (taking over if its lock frees first). A store that fails makes
/// the resolver fetch on its own.
pub(crate) async fn consult(
    store: &dyn PolicyStore,
    domain: &PolicyDomain,
    entry: &mut CacheEntry,
    lookup: &TxtLookup,
    clock: &(dyn Fn() -> u64 + Send + Sync),
    ahead: u64,
    budget: Duration,
) -> (Decision, Turn) {
    let deadline = Instant::now() + budget;
    let on_our_own = |decision| {
        let budget = deadline.saturating_duration_since(Instant::now());
        let turn = if budget.is_zero() {
            Turn::Skip
        } else {
            Turn::Fetch { budget, lock: None }
        };
        (decision, turn)
    };
    let Ok(stored) = within(deadline, store.get(domain)).await else {
        return on_our_own(entry.decide(lookup, clock().saturating_add(ahead)));
    };
    let mut decision = adopt(entry, stored, lookup, clock(), ahead);
    loop {
        if decision.fetch().is_none() {
            return (decision, Turn::Skip);
        }
        let hold = budget + Duration::from_secs(1);
        match within(deadline, store.lock(domain, hold)).await {
            Err(_) => return on_our_own(decision),
            Ok(Some(lock)) => {
                // The holder before us may have stored its entry just
                // before giving the lock back.
                if let Ok(stored) = within(deadline, store.get(domain)).await {
                    decision = adopt(entry, stored, lookup, clock(), ahead);
                }
                if decision.fetch().is_some() {
                    let budget = deadline.saturating_duration_since(Instant::now());
                    return (
                        decision,
                        Turn::Fetch {
                            budget,
                            lock: Some(lock),
                        },
                    );
                }
                let _ = within(deadline, store.unlock(domain, lock)).await;
                return (decision, Turn::Skip);
            }
            Ok(None) if decision.apply() == Apply::Cached => return (decision, Turn::Skip),
            Ok(None) => {
                if deadline.saturating_duration_since(Instant::now()) < POLL {
                    return (decision, Turn::Skip);
                }
                tokio::time::sleep(POLL).await;
                match within(deadline, store.get(domain)).await {
                    Ok(stored) => decision = adopt(entry, stored, lookup, clock(), ahead),
                    Err(_) => return on_our_own(decision),
                }
            }
        }
    }
}

/// Stores `entry` after this resolver's fetch and gives `lock` back, in a
/// task of its own that the lookup waits for until `deadline` (the end of
/// its fetch budget) and no longer.
pub(crate) async fn publish(
    store: &Arc<dyn PolicyStore>,
    domain: &PolicyDomain,
    entry: &CacheEntry,
    lock: Option<FetchLock>,
    now: u64,
    deadline: Instant,
) {
    let (store, domain, entry) = (Arc::clone(store), domain.clone(), entry.clone());
    let task = tokio::spawn(async move {
        if let Some(lifetime) = lifetime(&entry, now) {
            // The store bounds its operations; a failure is its to log.
            let _ = store.put(&domain, &entry, lifetime).await;
        }
        if let Some(lock) = lock {
            let _ = store.unlock(&domain, lock).await;
        }
    });
    let _ = tokio::time::timeout_at(deadline, task).await;
}

/// Takes `stored` in place of `entry` when it ranks higher ([`rank`]: it
/// settles the lookup, or is newer) and is trustworthy (no time ahead of
/// `now` by more than [`CLOCK_SKEW`]); returns the decision `ahead`
/// seconds from `now` (a refresh decides ahead; trust is judged at `now`).
fn adopt(
    entry: &mut CacheEntry,
    stored: Option<CacheEntry>,
    lookup: &TxtLookup,
    now: u64,
    ahead: u64,
) -> Decision {
    let at = now.saturating_add(ahead);
    if let Some(stored) = stored {
        let limit = now.saturating_add(CLOCK_SKEW);
        let stored_rank = rank(&stored, lookup, at);
        let (_, fetched_at, failed_at) = stored_rank;
        let trusted =
            fetched_at.is_none_or(|at| at <= limit) && failed_at.is_none_or(|at| at <= limit);
        if trusted && stored_rank > rank(entry, lookup, at) {
            *entry = stored;
        }
    }
    entry.decide(lookup, at)
}

/// How good an entry is for this lookup: whether it settles the lookup
/// (no fetch due: it holds the policy of the TXT id now published, or a
/// failed fetch of it), then when its policy was fetched, then when its
/// last fetch failed.
fn rank(entry: &CacheEntry, lookup: &TxtLookup, now: u64) -> (bool, Option<u64>, Option<u64>) {
    (
        entry.decide(lookup, now).fetch().is_none(),
        entry
            .cached()
            .map(mta_sts::sender::CachedPolicy::fetched_at),
        entry.last_failure().map(mta_sts::sender::FailedFetch::at),
    )
}

/// `operation`, or an error once `deadline` has passed.
async fn within<T>(
    deadline: Instant,
    operation: impl Future<Output = Result<T, StoreError>>,
) -> Result<T, StoreError> {
    tokio::time::timeout_at(deadline, operation)
        .await
        .unwrap_or_else(|_| Err(StoreError::new("the lookup's budget ran out")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use mta_sts::Policy;
    use mta_sts::sender::{CachedPolicy, FailedFetch, Next};

    fn cached(id: &str, at: u64) -> Option<CachedPolicy> {
        let policy =
            Policy::parse("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 604800\n")
                .unwrap();
        Some(CachedPolicy::new(policy, id, at))
    }

    #[test]
    fn adopt_takes_newer_trusted_entries_only() {
        let lookup = TxtLookup::from_rrset(["v=STSv1; id=2;"]);
        let now = 10_000;
        let old = CacheEntry::with(cached("1", 1000), None);
        let new = CacheEntry::with(cached("2", 9000), None);
        let failed = CacheEntry::with(cached("1", 1000), Some(FailedFetch::new("2", 9900)));
        let future = CacheEntry::with(cached("2", now + CLOCK_SKEW + 1), None);
        let failing_forever = CacheEntry::with(None, Some(FailedFetch::new("2", u64::MAX - 1)));
        let rows = [
            // (local, stored, entry kept, what comes next)
            (old.clone(), Some(new.clone()), &new, "nothing"),
            (new.clone(), Some(old.clone()), &new, "nothing"),
            (old.clone(), None, &old, "fetch"),
            (old.clone(), Some(failed.clone()), &failed, "wait"),
            (CacheEntry::new(), Some(future), &CacheEntry::new(), "fetch"),
            (old.clone(), Some(failing_forever), &old, "fetch"),
        ];
        for (mut local, stored, kept, next) in rows {
            let decision = adopt(&mut local, stored.clone(), &lookup, now, 0);
            assert_eq!(&local, kept, "{stored:?}");
            let seen = match decision.next() {
                Next::Nothing => "nothing",
                Next::Fetch(_) => "fetch",
                Next::Wait { .. } => "wait",
                _ => "other",
            };
            assert_eq!(seen, next, "{stored:?}");
        }
    }

    /// A refresh decides a day ahead, but an entry fetched beyond the
    /// clock skew from the real `now` is still not trusted.
    #[test]
    fn deciding_ahead_does_not_widen_the_clock_skew() {
        let lookup = TxtLookup::from_rrset(["v=STSv1; id=2;"]);
        let now = 10_000;
        let future = CacheEntry::with(cached("2", now + CLOCK_SKEW + 1), None);
        let mut local = CacheEntry::new();
        adopt(&mut local, Some(future.clone()), &lookup, now, 86_400);
        assert_eq!(local, CacheEntry::new());
        // Within the skew, it is taken.
        let near = CacheEntry::with(cached("2", now + CLOCK_SKEW), None);
        adopt(&mut local, Some(near.clone()), &lookup, now, 86_400);
        assert_eq!(local, near);
    }

    #[test]
    fn no_record_and_nothing_cached_leaves_the_store_alone() {
        let nothing = CacheEntry::new();
        let decision = nothing.decide(&TxtLookup::NoRecord, 1000);
        assert!(!wants_store(&decision, &TxtLookup::NoRecord));
        let decision = nothing.decide(&TxtLookup::Failed, 1000);
        assert!(wants_store(&decision, &TxtLookup::Failed));
        let lookup = TxtLookup::from_rrset(["v=STSv1; id=1;"]);
        let decision = nothing.decide(&lookup, 1000);
        assert!(wants_store(&decision, &lookup));
        let fresh = CacheEntry::with(cached("1", 1000), None);
        assert!(!wants_store(&fresh.decide(&lookup, 1000), &lookup));
    }
}
