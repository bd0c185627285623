//! [`CacheEntry`]: what a sending MTA keeps per Policy Domain, and the one
//! call that turns a fetch's result into the decision to apply.

use super::cache::decide_for_id;
use crate::Policy;
use crate::sender::{CachedPolicy, Decision, FailedFetch, Fetch, FetchedPolicy, TxtLookup, decide};

/// What a sender keeps for one Policy Domain: the cached policy, if any,
/// and the last failed fetch, if any (RFC 8461 §3.3, §5.1).
///
/// It holds the state [`decide`] needs and takes a fetch's result in one
/// call ([`complete_fetch`](CacheEntry::complete_fetch)), which updates the
/// entry and gives the decision to apply. Keep one per domain (a map from
/// [`PolicyDomain`](crate::sender::PolicyDomain) to `CacheEntry`); with the
/// `serde` feature it serialises as `{"cached": …, "last_failure": …}`
/// (each `null` when absent), so the cache can be persisted.
///
/// ```
/// use mta_sts::sender::{validate_fetch, Apply, CacheEntry, HttpResponse, Next, TxtLookup};
/// use mta_sts::ParseOptions;
///
/// let now = 1_700_000_000;
/// let mut entry = CacheEntry::new();
/// let lookup = TxtLookup::from_rrset(["v=STSv1; id=20240101;"]);
/// let mut decision = entry.decide(&lookup, now);
/// if let Next::Fetch(fetch) = decision.next() {
///     let body = b"version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 604800\n";
///     let response = HttpResponse::new(200, body).content_type("text/plain");
///     decision = entry.complete_fetch(fetch, validate_fetch(&response, &ParseOptions::lenient()), now);
/// }
/// assert_eq!((decision.apply(), decision.next()), (Apply::Cached, &Next::Nothing));
/// assert!(entry.policy(now).unwrap().matches("mx1.example.com"));
/// assert_eq!(entry.cached().unwrap().id(), "20240101");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CacheEntry {
    cached: Option<CachedPolicy>,
    last_failure: Option<FailedFetch>,
}

impl CacheEntry {
    /// An empty entry: nothing cached, no failed fetch.
    #[must_use]
    pub fn new() -> CacheEntry {
        CacheEntry::default()
    }

    /// An entry with this cached policy and last failed fetch.
    #[must_use]
    pub fn with(cached: Option<CachedPolicy>, last_failure: Option<FailedFetch>) -> CacheEntry {
        CacheEntry {
            cached,
            last_failure,
        }
    }

    /// The cached policy, expired or not.
    #[must_use]
    pub fn cached(&self) -> Option<&CachedPolicy> {
        self.cached.as_ref()
    }

    /// The last failed fetch since the last successful one.
    #[must_use]
    pub fn last_failure(&self) -> Option<&FailedFetch> {
        self.last_failure.as_ref()
    }

    /// The policy to apply at `now`: the cached policy unless it has
    /// expired. `Some` exactly when a decision made at `now` applies
    /// [`Apply::Cached`](crate::sender::Apply::Cached).
    #[must_use]
    pub fn policy(&self, now: u64) -> Option<&Policy> {
        self.cached
            .as_ref()
            .filter(|entry| !entry.is_expired(now))
            .map(CachedPolicy::policy)
    }

    /// [`decide`] with this entry's cached policy and failed fetch.
    #[must_use]
    pub fn decide(&self, lookup: &TxtLookup, now: u64) -> Decision {
        decide(
            self.cached.as_ref(),
            lookup,
            self.last_failure.as_ref(),
            now,
        )
    }

    /// Records the result of `fetch` (as [`validate_fetch`] returned it, or
    /// any error of the caller's HTTPS client) and returns the decision to
    /// apply now: no second [`decide`] is needed.
    ///
    /// - On success the policy is cached under the fetch's TXT id at `now`
    ///   and the last failure is forgotten: the decision is
    ///   [`Apply::Cached`](crate::sender::Apply::Cached) with [`Next::Nothing`](crate::sender::Next::Nothing).
    /// - On failure the cached policy is kept (a failed fetch never evicts
    ///   it, §3.3) and the failure is recorded for the fetch's id: the
    ///   decision applies the cached policy if it has not expired (no
    ///   policy otherwise) and says [`Next::Wait`](crate::sender::Next::Wait) until five minutes
    ///   later.
    ///
    /// Report a failure to TLS-RPT before passing the error in: see
    /// [`ResultType::for_fetch_error`](crate::sender::ResultType::for_fetch_error)
    /// and [`TransportError`](crate::sender::TransportError).
    ///
    /// [`validate_fetch`]: crate::sender::validate_fetch
    pub fn complete_fetch<E>(
        &mut self,
        fetch: &Fetch,
        result: Result<FetchedPolicy, E>,
        now: u64,
    ) -> Decision {
        match result {
            Ok(fetched) => {
                self.cached = Some(CachedPolicy::new(fetched.into_policy(), fetch.id(), now));
                self.last_failure = None;
            }
            Err(_) => self.last_failure = Some(FailedFetch::new(fetch.id(), now)),
        }
        decide_for_id(
            self.cached.as_ref(),
            Some(fetch.id()),
            self.last_failure.as_ref(),
            now,
        )
    }
}
