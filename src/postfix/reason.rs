//! Why a TLS policy map lookup answers `NOTFOUND ` (SEMANTICS F2, F5, F8,
//! F10).

use std::fmt;

use crate::{Error, Mode};

/// Why the map answers `NOTFOUND `, so that the daemon can log it.
///
/// `NOTFOUND ` is never an error for Postfix: it applies its own defaults
/// (`smtp_tls_security_level`, DANE, …) to the destination.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotFound {
    /// F8: a key in brackets, `[mx.example.com]` or `[mx.example.com]:587`:
    /// MX lookups are suppressed, so RFC 8461's MX check does not apply.
    BracketedNextHop,
    /// F8: an address literal, `[192.0.2.1]`, `[192.0.2.1]:25`,
    /// `[ipv6:2001:db8::1]`: no domain, no policy (RFC 8461 §3.4).
    AddressLiteral,
    /// F8: a key starting with `.`, Postfix's parent-domain lookup: a policy
    /// applies to its own domain only (RFC 8461 §3.4).
    ParentDomain,
    /// F8: a bare IP address, `192.0.2.1` or `2001:db8::1`.
    IpAddress,
    /// F8: a key that is not a domain name; the parse error says why.
    NotADomain(Error),
    /// F2: no policy for the domain (none published, NXDOMAIN, no
    /// `_mta-sts` record, or a failed fetch with no unexpired cached
    /// policy).
    NoPolicy,
    /// F2: the policy's mode is `testing` (and testing is not treated as
    /// enforce) or `none`: RFC 8461 §5 never blocks delivery for these.
    NotEnforced(Mode),
    /// F5: no `mx` pattern is left for `match=` once IP addresses are
    /// dropped (F4); an empty `match=` would keep the mail queued.
    NoUsableMx,
    /// F10: the domain has DNSSEC-validated TLSA records: Postfix's own
    /// DANE applies, and MTA-STS never overrides DANE (RFC 8461 §2).
    Dane,
}

impl fmt::Display for NotFound {
    /// A line for the daemon's log, starting with the SEMANTICS rule id.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotFound::BracketedNextHop => f.write_str(
                "F8: a next hop in brackets suppresses MX lookups; MTA-STS does not apply",
            ),
            NotFound::AddressLiteral => {
                f.write_str("F8: an address literal has no Policy Domain (RFC 8461 §3.4)")
            }
            NotFound::ParentDomain => f.write_str(
                "F8: a parent-domain lookup; a policy covers its own domain only (RFC 8461 §3.4)",
            ),
            NotFound::IpAddress => f.write_str("F8: an IP address has no MTA-STS policy"),
            NotFound::NotADomain(error) => write!(f, "F8: the key is not a domain name: {error}"),
            NotFound::NoPolicy => f.write_str("F2: no MTA-STS policy for the domain"),
            NotFound::NotEnforced(mode) => write!(
                f,
                "F2: the policy's mode is {mode}; only enforce gives a TLS policy (RFC 8461 §5)"
            ),
            NotFound::NoUsableMx => f.write_str(
                "F5: no mx pattern left for match= (IP addresses dropped, F4); \
                 an empty match= would keep mail queued",
            ),
            NotFound::Dane => f.write_str(
                "F10: DNSSEC-validated TLSA records: DANE applies, MTA-STS never overrides it (RFC 8461 §2)",
            ),
        }
    }
}

impl std::error::Error for NotFound {}
