//! The policy cache: cached entries, failed fetches and the decision of
//! what to apply and what to fetch (RFC 8461 §3.3, §5.1).

use std::fmt;

use super::TxtLookup;
use crate::Policy;
use crate::message::quote_short;
use crate::policy::MAX_AGE_LIMIT;

/// How long a failed fetch for one TXT id holds off the next attempt:
/// five minutes (RFC 8461 §3.3).
pub const FETCH_RETRY_DELAY: u64 = 300;

/// The age after which a cached policy should be refreshed proactively:
/// one day (RFC 8461 §3.3).
pub const REFRESH_AFTER: u64 = 86_400;

/// A policy in the sender's cache, with the TXT `id` it was fetched under
/// and the fetch time in seconds since the Unix epoch.
///
/// The time is whatever clock the caller uses; the crate never reads one.
/// With the `serde` feature it serialises as `{"policy": …, "id": …,
/// "fetched_at": …}`, the policy in [`Policy`]'s own form, so a cache can
/// be persisted; reading it back validates the policy as strict parsing
/// does.
///
/// ```
/// use mta_sts::sender::CachedPolicy;
/// use mta_sts::Policy;
///
/// let policy = Policy::parse("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n")?;
/// let cached = CachedPolicy::new(policy, "20240101", 1_700_000_000);
/// assert_eq!(cached.expires_at(), 1_700_086_400);
/// assert!(!cached.is_expired(1_700_086_400)); // still valid at exactly max_age
/// assert!(cached.is_expired(1_700_086_401));
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CachedPolicy {
    policy: Policy,
    id: String,
    fetched_at: u64,
}

impl CachedPolicy {
    /// A cache entry for `policy`, fetched at `fetched_at` under the TXT
    /// record `id` (as from [`TxtRecord::id`](crate::TxtRecord::id) or [`Fetch::id`]).
    #[must_use]
    pub fn new(policy: Policy, id: impl Into<String>, fetched_at: u64) -> CachedPolicy {
        CachedPolicy {
            policy,
            id: id.into(),
            fetched_at,
        }
    }

    /// The cached policy.
    #[must_use]
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The TXT id the policy was fetched under.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// When the policy was fetched, in seconds since the Unix epoch.
    #[must_use]
    pub fn fetched_at(&self) -> u64 {
        self.fetched_at
    }

    /// The last second at which the policy is still valid:
    /// `fetched_at + min(max_age, 31557600)`, saturating at `u64::MAX`
    /// instead of overflowing (RFC 8461 §3.2).
    #[must_use]
    pub fn expires_at(&self) -> u64 {
        let lifetime = self.policy.max_age().min(MAX_AGE_LIMIT);
        self.fetched_at.saturating_add(lifetime)
    }

    /// Whether the policy has expired at `now`: its age exceeds `max_age`.
    /// A policy is still valid at exactly `max_age` seconds (§3.2: cache
    /// "for up to this value"); a `max_age` of 0 is valid only at the
    /// second it was fetched.
    #[must_use]
    pub fn is_expired(&self, now: u64) -> bool {
        now > self.expires_at()
    }

    /// Seconds since the fetch; 0 if `now` is before `fetched_at` (a clock
    /// that went backwards).
    #[must_use]
    pub fn age(&self, now: u64) -> u64 {
        now.saturating_sub(self.fetched_at)
    }
}

/// A policy fetch that failed: the TXT id it was for and when, in seconds
/// since the Unix epoch. Fetches for the same id are held off for five
/// minutes after it (RFC 8461 §3.3).
///
/// With the `serde` feature it serialises as `{"id": …, "at": …}`.
///
/// ```
/// use mta_sts::sender::FailedFetch;
///
/// let failure = FailedFetch::new("20240101", 1_700_000_000);
/// assert_eq!(failure.retry_at(), 1_700_000_300);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FailedFetch {
    id: String,
    at: u64,
}

impl FailedFetch {
    /// A failed fetch for the TXT record `id` at time `at`.
    #[must_use]
    pub fn new(id: impl Into<String>, at: u64) -> FailedFetch {
        FailedFetch { id: id.into(), at }
    }

    /// The TXT id the failed fetch was for.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// When the fetch failed.
    #[must_use]
    pub fn at(&self) -> u64 {
        self.at
    }

    /// The first second at which a new fetch for the same id may start:
    /// `at + 300`, saturating.
    #[must_use]
    pub fn retry_at(&self) -> u64 {
        self.at.saturating_add(FETCH_RETRY_DELAY)
    }
}

/// Which policy to apply to a delivery now.
///
/// `Display`, `FromStr` and serde use the names `cached` and `no-policy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Apply {
    /// Apply the cached policy: it has not expired.
    Cached,
    /// Deliver as though the domain had not implemented MTA-STS
    /// (RFC 8461 §3.1, §3.3).
    NoPolicy,
}

/// Why a policy should be fetched.
///
/// `Display`, `FromStr` and serde use the names of
/// [`as_str`](FetchReason::as_str).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FetchReason {
    /// Nothing is cached for the domain.
    NoCache,
    /// The TXT id differs from the cached policy's id: the policy changed
    /// (RFC 8461 §3.1).
    IdChanged,
    /// The cached policy has expired.
    Expired,
    /// The cached policy is valid but more than a day old: refresh it
    /// before it expires (RFC 8461 §3.3, proactive refresh).
    Refresh,
}

/// A policy fetch to start now: why, and for which TXT id (the id of the
/// record the lookup found, under which the fetched policy is cached).
///
/// `Display` writes `fetch for id "ID" (REASON)`; with the `serde` feature
/// it serialises as `{"reason": …, "id": …}`.
///
/// ```
/// use mta_sts::sender::{decide, FetchReason, Next, TxtLookup};
///
/// let lookup = TxtLookup::from_rrset(["v=STSv1; id=20240101;"]);
/// let decision = decide(None, &lookup, None, 1_700_000_000);
/// let Next::Fetch(fetch) = decision.next() else { unreachable!() };
/// assert_eq!((fetch.reason(), fetch.id()), (FetchReason::NoCache, "20240101"));
/// assert_eq!(fetch.to_string(), "fetch for id \"20240101\" (no-cache)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fetch {
    reason: FetchReason,
    id: String,
}

impl Fetch {
    /// A fetch for the TXT record `id`, for `reason`. [`decide`] makes
    /// these; this constructor is for tests and for callers that schedule
    /// fetches themselves.
    #[must_use]
    pub fn new(reason: FetchReason, id: impl Into<String>) -> Fetch {
        Fetch {
            reason,
            id: id.into(),
        }
    }

    /// Why to fetch.
    #[must_use]
    pub fn reason(&self) -> FetchReason {
        self.reason
    }

    /// The TXT id the fetch is for: cache the fetched policy under it
    /// ([`CachedPolicy::new`]), or record a failure for it
    /// ([`FailedFetch::new`]); [`CacheEntry::complete_fetch`](crate::sender::CacheEntry::complete_fetch) does both.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl fmt::Display for Fetch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "fetch for id {} ({})",
            quote_short(&self.id),
            self.reason
        )
    }
}

/// What to do next about the policy.
///
/// `Display` writes `nothing`, `fetch for id "ID" (REASON)` or `wait until
/// TIME (REASON)`. With the `serde` feature it serialises as an object
/// tagged by `"next"`: `{"next": "nothing"}`, `{"next": "fetch", "reason":
/// …, "id": …}`, `{"next": "wait", "reason": …, "until": …}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Next {
    /// Nothing: the cache is current, or there is nothing to fetch.
    Nothing,
    /// Fetch the policy from
    /// [`PolicyDomain::policy_url`](crate::sender::PolicyDomain::policy_url)
    /// (perhaps asynchronously, §5.1): for this TXT id, for this reason.
    Fetch(Fetch),
    /// A fetch would be due for this reason, but one for the same TXT id
    /// failed less than five minutes ago: do not retry before `until`
    /// (RFC 8461 §3.3).
    Wait {
        /// Why a fetch would be due.
        reason: FetchReason,
        /// The first second at which a retry may start.
        until: u64,
    },
}

impl fmt::Display for Next {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Next::Nothing => f.write_str("nothing"),
            Next::Fetch(fetch) => fetch.fmt(f),
            Next::Wait { reason, until } => write!(f, "wait until {until} ({reason})"),
        }
    }
}

/// The result of [`decide`]: which policy applies now, and what to do next.
///
/// ```
/// use mta_sts::sender::{decide, Apply, Decision, FetchReason, Next, TxtLookup};
///
/// let lookup = TxtLookup::from_rrset(["v=STSv1; id=20240101;"]);
/// let decision = decide(None, &lookup, None, 1_700_000_000);
/// assert_eq!(decision.apply(), Apply::NoPolicy);
/// assert_eq!(decision.fetch().map(|fetch| fetch.reason()), Some(FetchReason::NoCache));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Decision {
    apply: Apply,
    next: Next,
}

impl Decision {
    /// Which policy to apply to deliveries now.
    #[must_use]
    pub fn apply(&self) -> Apply {
        self.apply
    }

    /// What to do next: nothing, fetch, or wait.
    #[must_use]
    pub fn next(&self) -> &Next {
        &self.next
    }

    /// The fetch to start now, if one should start now.
    #[must_use]
    pub fn fetch(&self) -> Option<&Fetch> {
        match &self.next {
            Next::Fetch(fetch) => Some(fetch),
            _ => None,
        }
    }
}

/// Decides which policy applies to a domain now and whether to fetch a new
/// one, following RFC 8461 §3.1, §3.3 and §5.1.
///
/// Inputs: the domain's cache entry, if any; the outcome of this TXT lookup;
/// the last failed fetch for the domain, if any (only one for the TXT id
/// now published holds fetches off); and the current time in seconds since
/// the Unix epoch. [`CacheEntry::decide`](crate::sender::CacheEntry::decide) is the same with the cached
/// policy and the failure kept together.
///
/// The rules:
///
/// - A cached policy applies as long as it has not expired (`now <=
///   fetched_at + min(max_age, 31557600)`, computed without overflow),
///   whatever the TXT lookup says: a missing, invalid, duplicated or failed
///   TXT lookup does not evict it (§3.1, §3.3), and neither does a new id
///   whose fetch has not succeeded yet (§3.3).
/// - Without an unexpired cached policy, no policy applies (§3.3: deliver
///   as though the domain had not implemented MTA-STS).
/// - A fetch is due when a valid TXT record is found and nothing is cached
///   ([`FetchReason::NoCache`]), its id differs from the cached one
///   ([`IdChanged`](FetchReason::IdChanged)), the cached policy expired
///   ([`Expired`](FetchReason::Expired)), or the cached policy is more than a
///   day old ([`Refresh`](FetchReason::Refresh), §3.3). The [`Fetch`] names
///   the record's id. Without a valid TXT record there is nothing to fetch.
/// - A due fetch waits while a fetch for the same id failed less than five
///   minutes ago ([`Next::Wait`] says until when, §3.3).
///
/// ```
/// use mta_sts::sender::{decide, Apply, CachedPolicy, FailedFetch, FetchReason, Next, TxtLookup};
/// use mta_sts::Policy;
///
/// let policy = Policy::parse("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n")?;
/// let cached = CachedPolicy::new(policy, "v1", 1_000_000);
///
/// // The TXT lookup failed: the unexpired cached policy still applies.
/// let decision = decide(Some(&cached), &TxtLookup::Failed, None, 1_000_100);
/// assert_eq!((decision.apply(), decision.next()), (Apply::Cached, &Next::Nothing));
///
/// // A new id: keep applying the cached policy while fetching the new one.
/// let lookup = TxtLookup::from_rrset(["v=STSv1; id=v2;"]);
/// let decision = decide(Some(&cached), &lookup, None, 1_000_100);
/// assert_eq!(decision.apply(), Apply::Cached);
/// let fetch = decision.fetch().unwrap();
/// assert_eq!((fetch.reason(), fetch.id()), (FetchReason::IdChanged, "v2"));
///
/// // That fetch failed a minute ago: wait until five minutes have passed.
/// let failed = FailedFetch::new("v2", 1_000_040);
/// let decision = decide(Some(&cached), &lookup, Some(&failed), 1_000_100);
/// assert_eq!(decision.next(), &Next::Wait { reason: FetchReason::IdChanged, until: 1_000_340 });
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[must_use]
pub fn decide(
    cached: Option<&CachedPolicy>,
    lookup: &TxtLookup,
    last_failure: Option<&FailedFetch>,
    now: u64,
) -> Decision {
    decide_for_id(cached, lookup.id(), last_failure, now)
}

/// [`decide`] given the id of the TXT record found, if one was.
pub(super) fn decide_for_id(
    cached: Option<&CachedPolicy>,
    id: Option<&str>,
    last_failure: Option<&FailedFetch>,
    now: u64,
) -> Decision {
    let valid = cached.filter(|entry| !entry.is_expired(now));
    let apply = if valid.is_some() {
        Apply::Cached
    } else {
        Apply::NoPolicy
    };
    let Some(id) = id else {
        return Decision {
            apply,
            next: Next::Nothing,
        };
    };
    let reason = match cached {
        None => Some(FetchReason::NoCache),
        Some(entry) if entry.id() != id => Some(FetchReason::IdChanged),
        Some(entry) if entry.is_expired(now) => Some(FetchReason::Expired),
        Some(entry) if entry.age(now) > REFRESH_AFTER => Some(FetchReason::Refresh),
        Some(_) => None,
    };
    let next = match (reason, last_failure) {
        (None, _) => Next::Nothing,
        (Some(reason), Some(failure)) if failure.id() == id && now < failure.retry_at() => {
            Next::Wait {
                reason,
                until: failure.retry_at(),
            }
        }
        (Some(reason), _) => Next::Fetch(Fetch {
            reason,
            id: id.to_owned(),
        }),
    };
    Decision { apply, next }
}
