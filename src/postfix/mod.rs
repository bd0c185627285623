//! Postfix's TLS policy map for MTA-STS: the reply a socketmap daemon gives
//! for a domain's policy, the lookup key, and the socketmap codec
//! (SEMANTICS F1–F12, "Postfix TLS policy map replies").
//!
//! Postfix has no MTA-STS client of its own; a daemon answers its
//! `smtp_tls_policy_maps = socketmap:inet:127.0.0.1:PORT:postfix` lookups.
//! This module is what such a daemon decides, without any I/O:
//!
//! | step | here |
//! |---|---|
//! | read a request from the connection's bytes | [`socketmap::decode_request`] |
//! | the key Postfix looked up → the Policy Domain, or `NOTFOUND ` | [`lookup_key`] (F8) |
//! | the domain's policy → `OK secure match=…` or `NOTFOUND ` | [`reply`] (F1–F7, F10) |
//! | write the reply | [`MapReply::to_response`], [`socketmap::Response::encode`] (F11) |
//!
//! Getting the policy (DNS, HTTPS, the cache: F9) and the time budget
//! (F12) are the daemon's; see [`sender`](crate::sender).
//!
//! # Example
//!
//! ```
//! use mta_sts::postfix::socketmap::{decode_request, Decoded, Response};
//! use mta_sts::postfix::{lookup_key, reply, MapReply, PostfixVersion, ReplyOptions};
//! use mta_sts::{ParseOptions, Policy};
//!
//! let options = ReplyOptions::new("3.7".parse()?);
//! let policy = Policy::parse_with(
//!     "version: STSv1\nmode: enforce\nmx: MX1.Example.com.\nmx: *.mx.example.net\nmax_age: 604800\n",
//!     &ParseOptions::lenient(),
//! )?;
//!
//! // What Postfix sent for `postmap -q example.com socketmap:inet:…:postfix`:
//! let Decoded::Done { value: request, consumed } = decode_request(b"19:postfix example.com,")?
//! else {
//!     unreachable!("a whole request")
//! };
//! assert_eq!((request.name(), consumed), ("postfix", 23));
//!
//! let response = match lookup_key(request.key()) {
//!     // Your cache's policy for `domain` (here: always the one above).
//!     Ok(domain) => reply(Some(&policy), &domain, &options).to_response(),
//!     Err(_why) => Response::NotFound, // log `_why`
//! };
//! let mut out = Vec::new();
//! response.encode(&mut out)?;
//! assert_eq!(
//!     String::from_utf8(out)?,
//!     "67:OK secure match=mx1.example.com:.mx.example.net servername=hostname,"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Postfix versions (F6)
//!
//! | Postfix | reply for `mode: enforce` |
//! |---|---|
//! | before 3.4 | `secure match=…` |
//! | 3.4 to 3.9 | `secure match=… servername=hostname` |
//! | 3.10 and later, [`ReplyOptions::tlsrpt`] on | as 3.4, then `policy_type=sts policy_domain=D policy_ttl=MAX_AGE`, one `mx_host_pattern=P` per pattern (exact, `*.` kept) and one `{ policy_string = LINE }` per policy line |
//!
//! The 3.10 attribute names and their `{ name = value }` form are those of
//! Postfix's documentation of `smtp_tls_policy_maps` (postconf(5)) and its
//! TLSRPT support (`TLSRPT_README`), as Postfix's own policy tests use them
//! (`smtp_tls_policy_test.c`: `policy_ttl=123 policy_type=sts
//! policy_string=… policy_domain=… mx_host_pattern=*.example`). Two choices
//! made here where the documentation says nothing: `policy_ttl` is the
//! policy's `max_age`, and `policy_string` carries the canonical policy
//! text's lines (not the bytes served), leaving out a line with a brace.
//!
//! See [`TlsPolicy`] for the `.example.com` depth caveat (F7).

mod key;
mod options;
mod reason;
mod reply;
pub mod socketmap;
mod version;

pub use key::lookup_key;
pub use options::ReplyOptions;
pub use reason::NotFound;
pub use reply::{MapReply, TlsPolicy, reply};
pub use version::{ParseVersionError, PostfixVersion};
