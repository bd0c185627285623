//! Why a TLS policy map lookup answers `NOTFOUND ` (SEMANTICS F2, F5, F8,
//! F10).

use crate::{Error, Mode};

/// Why the map answers `NOTFOUND `, so that the daemon can log it.
///
/// `NOTFOUND ` is never an error for Postfix: it applies its own defaults
/// (`smtp_tls_security_level`, DANE, …) to the destination.
///
/// Its message, for the daemon's log, starts with the SEMANTICS rule id.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotFound {
    /// F8: a key in brackets, `[mx.example.com]` or `[mx.example.com]:587`:
    /// MX lookups are suppressed, so RFC 8461's MX check does not apply.
    #[error("F8: a next hop in brackets suppresses MX lookups; MTA-STS does not apply")]
    BracketedNextHop,
    /// F8: an address literal, `[192.0.2.1]`, `[192.0.2.1]:25`,
    /// `[ipv6:2001:db8::1]`: no domain, no policy (RFC 8461 §3.4).
    #[error("F8: an address literal has no Policy Domain (RFC 8461 §3.4)")]
    AddressLiteral,
    /// F8: a key starting with `.`, Postfix's parent-domain lookup: a policy
    /// applies to its own domain only (RFC 8461 §3.4).
    #[error("F8: a parent-domain lookup; a policy covers its own domain only (RFC 8461 §3.4)")]
    ParentDomain,
    /// F8: a bare IP address, `192.0.2.1` or `2001:db8::1`.
    #[error("F8: an IP address has no MTA-STS policy")]
    IpAddress,
    /// F8: a key that is not a domain name; the parse error says why.
    #[error("F8: the key is not a domain name: {0}")]
    NotADomain(Error),
    /// F2: no policy for the domain (none published, NXDOMAIN, no
    /// `_mta-sts` record, or a failed fetch with no unexpired cached
    /// policy).
    #[error("F2: no MTA-STS policy for the domain")]
    NoPolicy,
    /// F2: the policy's mode is `testing` (and testing is not treated as
    /// enforce) or `none`: RFC 8461 §5 never blocks delivery for these.
    #[error("F2: the policy's mode is {0}; only enforce gives a TLS policy (RFC 8461 §5)")]
    NotEnforced(Mode),
    /// F5: no `mx` pattern is left for `match=` once IP addresses are
    /// dropped (F4); an empty `match=` would keep the mail queued.
    #[error(
        "F5: no mx pattern left for match= (IP addresses dropped, F4); an empty match= would keep mail queued"
    )]
    NoUsableMx,
    /// F10: the domain has DNSSEC-validated TLSA records: Postfix's own
    /// DANE applies, and MTA-STS never overrides DANE (RFC 8461 §2).
    #[error(
        "F10: DNSSEC-validated TLSA records: DANE applies, MTA-STS never overrides it (RFC 8461 §2)"
    )]
    Dane,
}
