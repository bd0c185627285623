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
//! as their strings and deserialise through `FromStr`; the cache state
//! ([`CacheEntry`], [`CachedPolicy`], [`FailedFetch`]) serialises so that
//! a cache can be persisted (a policy is read back through strict parsing);
//! and [`Action`], [`Apply`], [`FetchReason`], [`TlsOutcome`] serialise as
//! the names their `Display` writes, [`Next`] and [`Fetch`] as objects.
//!
//! | step | RFC 8461 | here |
//! |---|---|---|
//! | name the TXT record and the policy URL | §3.1, §3.2, §3.4 | [`PolicyDomain`] |
//! | select the STS record from the TXT RRset | §3.1 | [`TxtLookup::from_rrset_bytes`], [`TxtLookup::from_rrset`] |
//! | decide: apply the cache, fetch, wait, or no policy | §3.3, §5.1 | [`CacheEntry::decide`], [`decide`] |
//! | check what the HTTP client received, then parse | §3.2, §3.3 | [`validate_fetch`] |
//! | cache the fetched policy or the failure; what applies now | §3.3 | [`CacheEntry::complete_fetch`] |
//! | skip an MX host the policy does not allow | §4.1, §5.1 | [`mx_allowed`] |
//! | deliver, refuse or defer; what to report | §4, §5, §6; RFC 8460 §4.3 | [`verdict`], [`message_action`], [`TransportError`] |
//!
//! # Example
//!
//! One delivery to `user@example.com`, with the DNS and HTTPS answers
//! written in (see `examples/sender.rs` for the full walk-through):
//!
//! ```
//! use mta_sts::sender::{
//!     mx_allowed, validate_fetch, verdict, Action, Apply, CacheEntry, FetchReason, HttpResponse,
//!     Next, PolicyDomain, TlsOutcome, TxtLookup,
//! };
//! use mta_sts::ParseOptions;
//!
//! let now = 1_700_000_000;
//! let options = ParseOptions::lenient();
//! let domain = PolicyDomain::new("example.com")?;
//! assert_eq!(domain.txt_name(), "_mta-sts.example.com");
//!
//! // Your resolver answered the TXT query for domain.txt_name(), each
//! // record as its character-strings:
//! let answer: Vec<Vec<Box<[u8]>>> = vec![
//!     vec![Box::from(&b"v=spf1 -all"[..])],
//!     vec![Box::from(&b"v=STSv1; id=20240101T000000;"[..])],
//! ];
//! let lookup = TxtLookup::from_rrset_bytes(answer, &options);
//! let mut entry = CacheEntry::new(); // nothing cached for example.com yet
//! let mut decision = entry.decide(&lookup, now);
//! if let Next::Fetch(fetch) = decision.next() {
//!     assert_eq!(fetch.reason(), FetchReason::NoCache);
//!     // Your HTTPS client fetched domain.policy_url() without following redirects:
//!     let body = b"version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmax_age: 604800\r\n";
//!     let response = HttpResponse::new(200, body).content_type("text/plain");
//!     decision = entry.complete_fetch(fetch, validate_fetch(&response, &options), now);
//! }
//! assert_eq!(decision.apply(), Apply::Cached);
//!
//! // Each MX host, before connecting and after the TLS handshake:
//! let policy = entry.policy(now);
//! assert_eq!(mx_allowed(policy, "mx.attacker.example"), Action::Refuse);
//! let ok = verdict(policy, "mx1.example.com", TlsOutcome::Valid);
//! assert_eq!(ok.action(), Action::Deliver);
//! let bad = verdict(policy, "mx1.example.com", TlsOutcome::CertificateExpired);
//! assert_eq!(bad.action(), Action::Refuse);
//! assert_eq!(bad.result_type().map(|r| r.as_str()), Some("certificate-expired"));
//! # Ok::<(), mta_sts::Error>(())
//! ```

mod cache;
mod entry;
mod fetch;
mod names;
#[cfg(feature = "serde")]
mod serde;
mod transport;
mod txt_lookup;
mod verdict;

pub use crate::domain::PolicyDomain;
pub use crate::tlsrpt::ResultType;
pub use cache::{
    Apply, CachedPolicy, Decision, FETCH_RETRY_DELAY, FailedFetch, Fetch, FetchReason, Next,
    REFRESH_AFTER, decide,
};
pub use entry::CacheEntry;
pub use fetch::{FetchedPolicy, Header, HttpResponse, validate_fetch};
pub use transport::TransportError;
pub use txt_lookup::TxtLookup;
pub use verdict::{Action, TlsOutcome, Verdict, message_action, mx_allowed, verdict};
