//! MTA-STS ([RFC 8461]) on the wire: the DNS lookups, the HTTPS policy
//! fetch and the STARTTLS probes that the pure [`mta_sts`] crate leaves to
//! its caller, on tokio.
//!
//! - [`gather`] collects everything [`mta_sts::audit`] judges about one
//!   domain as an [`Evidence`](mta_sts::audit::Evidence): the `_mta-sts`
//!   and `_smtp._tls` TXT answers, the policy fetch with the policy
//!   host's certificate facts, the MX answer and a STARTTLS probe of each
//!   MX host.
//! - [`Resolver`] is what a sending MTA keeps: it runs the core's sender
//!   flow ([`mta_sts::sender`]) on real I/O with strict certificate
//!   checks, caches policies per domain (the cache saves to and loads from
//!   a file) and fetches each domain's policy once at a time.
//! - [`PolicyStore`] shares a resolver's cache with other resolvers (the
//!   MTAs of one mail service: each policy fetched once for all):
//!   [`MemoryStore`] in the process, `RedisStore` on Redis
//!   ([`Resolver::with_store`]).
//! - [`smtp`] is the SMTP reply grammar the probe reads with (pure).
//!
//! Every read is bounded (the policy body at 64 KiB, SMTP reply lines at
//! 512 bytes and 100 lines) and every operation has one deadline
//! ([`Config`]): a server that drips one byte a second ends at the
//! deadline, an endless body at the size limit.
//!
//! # Example
//!
//! ```no_run
//! use mta_sts_net::{gather, Config};
//! use mta_sts::audit::ProbeResult;
//!
//! # async fn run() {
//! let evidence = gather("example.com", &Config::default()).await;
//! for probe in &evidence.probes {
//!     match &probe.result {
//!         ProbeResult::Tls(cert) => println!("{}: TLS, names {:?}", probe.host, cert.dns_names),
//!         ProbeResult::NoStartTls => println!("{}: no STARTTLS", probe.host),
//!         ProbeResult::Failed { stage, reason } => println!("{}: {stage:?}: {reason}", probe.host),
//!     }
//! }
//! # }
//! ```
//!
//! # Scope
//!
//! TLS is rustls with the `ring` provider; certificates are checked
//! against the Mozilla roots (`webpki-roots`) unless [`Config::roots`]
//! gives others. DNS is hickory-resolver, without DNSSEC (MTA-STS does not
//! rely on it, RFC 8461 §10.1).
//!
//! # Features
//!
//! | feature | what it adds |
//! |---|---|
//! | `redis` | `RedisStore`: the shared cache on Redis (the `redis` crate's tokio connection manager; logs through `tracing`) |
//!
//! [RFC 8461]: https://www.rfc-editor.org/rfc/rfc8461

#![forbid(unsafe_code)]
// docs.rs builds with `--cfg docsrs` on nightly: `RedisStore` then shows
// the feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod cert;
mod config;
mod dns;
mod fetch;
mod gather;
mod probe;
mod resolver;
pub mod smtp;
mod store;

pub use config::{Config, POLICY_SIZE_LIMIT};
pub use gather::gather;
pub use resolver::{FetchError, PolicyLookup, Resolver};
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use store::RedisStore;
pub use store::{FetchLock, MemoryStore, PolicyStore, StoreError, StoreFuture};

/// How a TLS handshake error from rustls counts for MTA-STS (RFC 8461
/// §4.2) and TLS reporting (RFC 8460 §4.3): a certificate for another
/// name, an expired one, an untrusted chain, another certificate error,
/// or a handshake failure.
///
/// ```
/// use mta_sts::sender::TlsOutcome;
/// use rustls::{CertificateError, Error};
///
/// let err = Error::InvalidCertificate(CertificateError::NotValidForName);
/// assert_eq!(mta_sts_net::tls_outcome(&err), TlsOutcome::CertificateHostMismatch);
/// ```
#[must_use]
pub fn tls_outcome(err: &rustls::Error) -> mta_sts::sender::TlsOutcome {
    cert::transport_error(err)
        .tls_outcome()
        .unwrap_or(mta_sts::sender::TlsOutcome::ValidationFailure)
}

#[cfg(test)]
mod tests {
    /// The values an MTA shares between tasks are `Send + Sync`.
    #[test]
    fn shared_types_are_send_and_sync() {
        fn send_sync<T: Send + Sync + 'static>() {}
        send_sync::<crate::Resolver>();
        send_sync::<crate::PolicyLookup>();
        send_sync::<crate::FetchError>();
        send_sync::<crate::Config>();
        send_sync::<crate::smtp::Reply>();
    }
}
