//! A presented certificate judged against a host name and the time of the
//! audit (RFC 8461 §3.3 for the policy host, §4.2 for MX hosts; RFC 6125
//! name matching): rules A9–A13 of `docs/AUDIT.md`.

use super::evidence::{Certificate, ChainVerdict};
use crate::MxPattern;
use crate::ParseOptions;
use crate::code::Code;
use crate::lint::{Lint, Severity};
use crate::message::quote_short;
use crate::tlsrpt::DateTime;

/// How close to its `notAfter` a certificate gets `cert-expiring`: 14 days,
/// in seconds (rule A12).
pub const CERT_EXPIRY_NOTICE: u64 = 14 * 86_400;

/// How many certificate names a `cert-name-mismatch` message quotes.
const NAMES_SHOWN: usize = 5;

/// Why senders refuse a certificate, as the enforce summary names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Refusal {
    /// The certificate names another host.
    Name,
    /// The leaf or the chain is outside its validity period.
    Dates,
    /// No path to a trusted root.
    Chain,
}

impl Refusal {
    /// A few words for the enforce summary.
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Refusal::Name => "its certificate names another host",
            Refusal::Dates => "its certificate is expired or not yet valid",
            Refusal::Chain => "its certificate is not trusted",
        }
    }
}

/// Judges `cert` as presented by `host` (`who` says which host it is, as
/// in "policy host \"mta-sts.example.com\"") at `now`, appending a lint per
/// problem. Refusals get `severity`; `cert-expiring` is always a warning.
/// Returns the first reason senders refuse the certificate, `None` when
/// they accept it.
pub(super) fn judge(
    cert: &Certificate,
    host: &str,
    who: &str,
    now: u64,
    severity: Severity,
    out: &mut Vec<Lint>,
) -> Option<Refusal> {
    let mut refusal = None;
    // A9: a subjectAltName DNS name covers the host; a wildcard stands for
    // exactly one leftmost label (RFC 8461 §4.1 and §4.2, RFC 6125 §6.4.3
    // without partial-label wildcards, as webpki does).
    if !cert.dns_names.iter().any(|name| covers(name, host)) {
        out.push(
            Lint::new(Code::CertNameMismatch, None, mismatch(cert, who)).with_severity(severity),
        );
        refusal = refusal.or(Some(Refusal::Name));
    }
    // A10, A11, A12: the leaf's own validity period.
    let leaf_dated = if now > cert.not_after {
        let message = format!(
            "the certificate of {who} expired {} ago ({})",
            span(now - cert.not_after),
            date(cert.not_after)
        );
        out.push(Lint::new(Code::CertExpired, None, message).with_severity(severity));
        true
    } else if now < cert.not_before {
        let message = format!(
            "the certificate of {who} is not valid until {} ({} from now)",
            date(cert.not_before),
            span(cert.not_before - now)
        );
        out.push(Lint::new(Code::CertNotYetValid, None, message).with_severity(severity));
        true
    } else {
        if cert.not_after - now < CERT_EXPIRY_NOTICE {
            let message = format!(
                "the certificate of {who} expires in {} ({})",
                span(cert.not_after - now),
                date(cert.not_after)
            );
            out.push(Lint::new(Code::CertExpiring, None, message));
        }
        false
    };
    if leaf_dated {
        refusal = refusal.or(Some(Refusal::Dates));
    }
    // A13: the chain, name checks aside. An expired chain whose leaf is
    // in date has an expired intermediate: still `cert-expired`.
    let chain = match &cert.chain {
        ChainVerdict::Trusted => None,
        ChainVerdict::Expired if leaf_dated => None,
        ChainVerdict::Expired => Some((
            Code::CertExpired,
            Refusal::Dates,
            format!(
                "a certificate in the chain of {who} (not the leaf) is expired or not yet valid"
            ),
        )),
        ChainVerdict::UnknownIssuer => Some((
            Code::CertUntrusted,
            Refusal::Chain,
            format!(
                "the certificate of {who} does not chain to a trusted root (self-signed, a private CA or a missing intermediate)"
            ),
        )),
        ChainVerdict::Invalid(reason) => Some((
            Code::CertUntrusted,
            Refusal::Chain,
            format!(
                "the certificate chain of {who} was refused: {}",
                quote_short(reason)
            ),
        )),
    };
    if let Some((code, why, message)) = chain {
        out.push(Lint::new(code, None, message).with_severity(severity));
        refusal = refusal.or(Some(why));
    }
    refusal
}

/// Whether the certificate name `name` covers `host`: equal, or a
/// `*.suffix` wildcard over exactly one label. A name that is not a valid
/// host name or wildcard (`m*.example.com`, an address) covers nothing.
fn covers(name: &str, host: &str) -> bool {
    MxPattern::parse_with(name, &ParseOptions::lenient()).is_ok_and(|pattern| pattern.matches(host))
}

/// The `cert-name-mismatch` message: the names the certificate does have,
/// the first few quoted.
fn mismatch(cert: &Certificate, who: &str) -> String {
    let names = &cert.dns_names;
    if names.is_empty() {
        return format!("the certificate of {who} has no DNS name in its subjectAltName");
    }
    let shown: Vec<String> = names
        .iter()
        .take(NAMES_SHOWN)
        .map(|n| quote_short(n).to_string())
        .collect();
    let more = match names.len().saturating_sub(NAMES_SHOWN) {
        0 => String::new(),
        rest => format!(" and {rest} more"),
    };
    format!(
        "the certificate of {who} names {}{more}, none of which covers the host",
        shown.join(", ")
    )
}

/// A Unix time as an RFC 3339 date-time in UTC.
fn date(secs: u64) -> String {
    i64::try_from(secs)
        .ok()
        .and_then(DateTime::from_unix)
        .map_or_else(|| format!("{secs} s after the epoch"), |d| d.to_string())
}

/// A duration in whole days, or "less than a day".
fn span(secs: u64) -> String {
    match secs / 86_400 {
        0 => "less than a day".to_owned(),
        1 => "1 day".to_owned(),
        days => format!("{days} days"),
    }
}
