//! What a sending MTA needs around the parser: discovery names, fetch
//! validation, cache decisions and delivery verdicts (RFC 8461 §3–§6).
//!
//! Everything here is pure: it takes plain data (strings, bytes, status
//! codes, times as `u64` seconds since the Unix epoch) and returns plain
//! data. Your code does the DNS lookups, the HTTPS fetch, the TLS handshake
//! and reads the clock; these functions say what the RFC makes of the
//! answers.
//!
//! With the `serde` feature, [`PolicyDomain`] and [`ResultType`] serialise
//! as their strings and deserialise through `FromStr`.
//!
//! | step | RFC 8461 | here |
//! |---|---|---|
//! | name the TXT record and the policy URL | §3.1, §3.2, §3.4 | [`PolicyDomain`] |
//! | select the STS record from the TXT `RRset` | §3.1 | [`TxtLookup::from_rrset`] |
//! | decide: apply the cache, fetch, wait, or no policy | §3.3, §5.1 | [`decide`] |
//! | check what the HTTP client received, then parse | §3.2, §3.3 | [`validate_fetch`] |
//! | deliver, refuse or defer; what to report | §4, §5, §6; RFC 8460 §4.3 | [`verdict`], [`message_action`] |
//!
//! # Example
//!
//! One delivery to `user@example.com`, with the DNS and HTTPS answers
//! written in (see `examples/sender.rs` for the full walk-through):
//!
//! ```
//! use mta_sts::sender::{
//!     decide, validate_fetch, verdict, Action, Apply, CachedPolicy, FetchReason, HttpResponse,
//!     Next, PolicyDomain, TlsOutcome, TxtLookup,
//! };
//! use mta_sts::ParseOptions;
//!
//! let now = 1_700_000_000;
//! let domain = PolicyDomain::new("example.com")?;
//! assert_eq!(domain.txt_name(), "_mta-sts.example.com");
//!
//! // Your resolver answered the TXT query for domain.txt_name():
//! let lookup = TxtLookup::from_rrset(["v=spf1 -all", "v=STSv1; id=20240101T000000;"]);
//! let decision = decide(None, &lookup, None, now);
//! assert_eq!(decision.next(), Next::Fetch(FetchReason::NoCache));
//!
//! // Your HTTPS client fetched domain.policy_url() without following redirects:
//! let body = b"version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmax_age: 604800\r\n";
//! let response = HttpResponse::new(200, body).content_type("text/plain");
//! let policy = validate_fetch(&response, &ParseOptions::lenient())?.into_policy();
//! let cached = CachedPolicy::new(policy, lookup.id().unwrap_or_default(), now);
//!
//! // The next delivery applies the cached policy.
//! let decision = decide(Some(&cached), &lookup, None, now + 60);
//! assert_eq!(decision.apply(), Apply::Cached);
//! let ok = verdict(cached.policy(), "mx1.example.com", TlsOutcome::Valid);
//! assert_eq!(ok.action(), Action::Deliver);
//! let evil = verdict(cached.policy(), "mx.attacker.example", TlsOutcome::Valid);
//! assert_eq!(evil.action(), Action::Refuse);
//! assert_eq!(evil.result_type().map(|r| r.as_str()), Some("validation-failure"));
//! # Ok::<(), mta_sts::Error>(())
//! ```

mod cache;
mod discovery;
mod fetch;
mod verdict;

pub use cache::{
    Apply, CachedPolicy, Decision, FETCH_RETRY_DELAY, FailedFetch, FetchReason, Next,
    REFRESH_AFTER, TxtLookup, decide,
};
pub use discovery::PolicyDomain;
pub use fetch::{FetchedPolicy, HttpResponse, validate_fetch};
pub use verdict::{Action, ResultType, TlsOutcome, Verdict, message_action, verdict};
