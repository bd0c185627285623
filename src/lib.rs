//! MTA-STS ([RFC 8461]) for Rust: typed policies and `_mta-sts` TXT
//! records, strict and lenient parsing, an allocation-free `mx` matcher, and
//! lints that explain what to fix.
//!
//! The crate is pure and I/O-free: it never touches the network, files or
//! the clock. Callers do DNS, HTTPS and time; the crate turns what they got
//! into typed values and decisions.
//!
//! # Examples
//!
//! ```
//! use mta_sts::{Mode, Policy, TxtRecord};
//!
//! // The `_mta-sts.example.com` TXT RRset, as a resolver returned it.
//! let record = TxtRecord::from_rrset(["v=spf1 -all", "v=STSv1; id=20240101T000000;"])?;
//! assert_eq!(record.id(), "20240101T000000");
//!
//! // The body of https://mta-sts.example.com/.well-known/mta-sts.txt
//! let policy = Policy::parse(
//!     "version: STSv1\r\n\
//!      mode: enforce\r\n\
//!      mx: mail.example.com\r\n\
//!      mx: *.backup.example.net\r\n\
//!      max_age: 604800\r\n",
//! )?;
//! assert_eq!(policy.mode(), Mode::Enforce);
//!
//! // May this MX host receive example.com's mail?
//! assert!(policy.matches("MAIL.example.com."));
//! assert!(policy.matches("mx2.backup.example.net"));
//! assert!(!policy.matches("mx2.mail.example.com"));
//! # Ok::<(), mta_sts::Error>(())
//! ```
//!
//! Strict parsing (the default) is for people who write, publish or gate a
//! policy; [`ParseOptions::lenient`] is what a sending MTA should accept from
//! the wild. [`lint::check`] reports everything about a policy text at once:
//! parse errors, every tolerance lenient parsing applied, and semantic
//! problems such as wildcard `mx` patterns, each with an explanation; a
//! lint is an error exactly when some RFC-conforming sender refuses the
//! policy (or it lets the wrong hosts receive mail), so a publisher can
//! gate on [`lint::Report::has_errors`]. [`Policy::builder`] and
//! [`TxtRecord::from_unix_time`] make the values to publish in code, and
//! every [`Error`] has an [`ErrorKind`] to `match` on.
//!
//! [`sender`] has the sending MTA's logic around the parser (discovery
//! names, fetch validation, cache decisions, delivery verdicts) and
//! [`tlsrpt`] the TLS-RPT side: `_smtp._tls` records and the aggregate
//! reports of RFC 8460 §4, read and written. [`postfix`] turns a policy
//! into Postfix's TLS policy map reply (`smtp_tls_policy_maps` over
//! socketmap), with the lookup key and a bounded socketmap codec, for an
//! MTA-STS daemon beside Postfix.
//!
//! [`audit`] judges a live domain's whole deployment (DNS, the policy
//! fetch and its certificate, each MX host's STARTTLS, TLS-RPT) from
//! evidence an I/O layer gathered, into the same [`lint::Report`].
//!
//! # Scope
//!
//! RFC 8461 §3.1 (the TXT record), §3.2 (the policy file) and §4.1 (`mx`
//! matching), with erratum 6253 (LF or CRLF line endings), and the
//! sender-side rules of §3.3, §4, §5 in [`sender`]. Where the RFC is
//! ambiguous or deployed senders disagree, the crate takes these positions
//! (the rule ids are those of the project's semantics reference,
//! [`docs/SEMANTICS.md`][SEMANTICS], which ships with the crate and settles
//! every case rule by rule):
//!
//! - **Lines.** LF, CRLF or a mix end lines, and the last line needs no
//!   terminator (P3, P5). A bare CR or a control character other than a tab
//!   is an error (P2, P4). Blank lines, a BOM, whitespace before a key or
//!   before the colon, and lines that are not `name: value` are errors in
//!   strict mode and skipped or trimmed in lenient mode (P6–P11).
//! - **Keys** are case-sensitive: `Mode: enforce` is an extension, so the
//!   policy usually lacks `mode` (P12). The first `version`, `mode` or
//!   `max_age` wins; repeats are ignored without validation (P20). Every
//!   `mx` line is kept, in order.
//! - **`max_age`** is `u64` seconds of 1 to 10 digits; leading zeros are
//!   accepted (P16). Above 31 557 600 it is an error in strict mode and
//!   clamped to 31 557 600 in lenient mode (P17).
//! - **`mx` patterns** are RFC 5321 host names, optionally preceded by
//!   `*.`; they are stored in lowercase A-label form. A trailing dot is an
//!   error in strict mode and stripped in lenient mode (M3); U-labels are an
//!   error that suggests the A-label in strict mode and converted in lenient
//!   mode (M13). `.example.com`, `m*.example.com`, address literals, ports
//!   and comma-separated lists are always errors (M6–M10). All-digit labels
//!   and single-label names parse, and are linted (M11, M12).
//! - **Matching** is ASCII case-insensitive, ignores one trailing dot on the
//!   host, converts U-label hosts with UTS #46, and lets a wildcard stand for
//!   exactly one non-empty label (X1–X4). An invalid host matches nothing.
//!   The mode is not consulted (X5).
//! - **TXT records**: whitespace after the last field with no `;` after it
//!   is an error in strict mode (T2b, the ABNF has no such whitespace);
//!   `v=STSv1 ;` parses on its own but is not selected from an `RRset` in
//!   strict mode (T3, R2); ids longer than 32 characters or with characters
//!   other than letters and digits are accepted only leniently (T7). An
//!   `RRset` with more than one `v=STSv1;` record is an error even if only one
//!   of them would parse (R3).
//! - **Size.** A policy over 65 536 bytes (configurable) is refused before
//!   parsing (P1).
//!
//! # Feature flags
//!
//! | feature | what it adds |
//! |---|---|
//! | `serde` | `Serialize`/`Deserialize` for [`Policy`] (built from its fields, errors naming the field), [`Mode`], [`MxPattern`], [`TxtRecord`] and the `tlsrpt` record types (deserialising validates as strict parsing does), for the sender's cache state and decisions (a persistable cache), and for [`lint::Severity`]; `Serialize` for the lint report; TLS-RPT report JSON (`tlsrpt::Report::from_json`, `to_json`; pulls in `serde_json`) |
//! | `proptest` | `strategy`: proptest strategies for valid and malformed inputs, for downstream property tests |
//! | `arbitrary` | `arbitrary::Arbitrary` for [`Policy`], [`MxPattern`], [`TxtRecord`], [`Mode`], always valid, for structured fuzzing |
//!
//! [RFC 8461]: https://www.rfc-editor.org/rfc/rfc8461
// The reference as packaged with this very version, in docs.rs's source view.
#![doc = concat!(
    "[SEMANTICS]: https://docs.rs/crate/mta-sts/",
    env!("CARGO_PKG_VERSION"),
    "/source/docs/SEMANTICS.md"
)]
#![forbid(unsafe_code)]
// docs.rs builds with `--cfg docsrs` on nightly: feature-gated items then
// show the feature they need (`doc_cfg` also covers what `doc_auto_cfg`
// used to, since nightly 1.92).
#![cfg_attr(docsrs, feature(doc_cfg))]

pub use error::{Error, ErrorKind};
pub use mx::MxPattern;
pub use options::ParseOptions;
pub use policy::{MAX_AGE_LIMIT, Mode, Policy, PolicyBuilder};
pub use txt::TxtRecord;

mod civil;
mod code;
mod domain;
mod error;
mod extensions;
mod grammar;
mod hostname;
mod impls;
mod message;
mod mx;
mod names;
mod options;
mod pass;
mod policy;
mod rrset;
#[cfg(feature = "serde")]
mod serde;
mod taglist;
mod txt;

pub mod audit;
pub mod lint;

/// The README's examples, run as doctests (one of them needs the
/// `proptest` feature, so they run with `cargo test --all-features`).
#[cfg(all(doctest, feature = "proptest"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(feature = "arbitrary")]
mod arbitrary;
pub mod diff;
pub mod postfix;
pub mod sender;
#[cfg(feature = "proptest")]
#[cfg_attr(docsrs, doc(cfg(feature = "proptest")))]
pub mod strategy;
pub mod tlsrpt;
