//! The lookup key Postfix passes to the TLS policy map (SEMANTICS F8).

use std::net::IpAddr;

use crate::sender::PolicyDomain;

use super::NotFound;

/// The Policy Domain a TLS policy map lookup key names, or why the answer
/// is `NOTFOUND ` without looking anything up (SEMANTICS F8).
///
/// Postfix looks up the next-hop destination as the transport names it:
///
/// | key | result |
/// |---|---|
/// | `example.com`, `EXAMPLE.com.`, `bücher.example` | that domain, in lowercase A-labels (`xn--bcher-kva.example`) |
/// | `example.com:25` | `example.com`: a port on a domain next hop keeps MX lookups |
/// | `[mx.example.com]`, `[mx.example.com]:587` | [`NotFound::BracketedNextHop`]: MX lookups are suppressed, so RFC 8461's MX check does not apply |
/// | `[192.0.2.1]`, `[192.0.2.1]:25`, `[ipv6:2001:db8::1]` | [`NotFound::AddressLiteral`] |
/// | `.example.com` | [`NotFound::ParentDomain`]: Postfix's parent-domain lookup; a policy belongs to one domain, never to its sub-domains (RFC 8461 §3.4) |
/// | `192.0.2.1`, `2001:db8::1` | [`NotFound::IpAddress`] |
/// | anything else (`exa mple.com`, `a..b`, `host:port:x`, `..example.com`, `""`) | [`NotFound::NotADomain`] with the parse error |
///
/// ```
/// use mta_sts::postfix::{lookup_key, NotFound};
///
/// assert_eq!(lookup_key("Example.COM.:25")?.as_str(), "example.com");
/// assert_eq!(lookup_key("[mx.example.com]:587"), Err(NotFound::BracketedNextHop));
/// assert_eq!(lookup_key(".example.com"), Err(NotFound::ParentDomain));
/// # Ok::<(), NotFound>(())
/// ```
///
/// # Errors
///
/// The [`NotFound`] reason of the table above; the map answers
/// `NOTFOUND ` and Postfix applies its own defaults.
pub fn lookup_key(key: &str) -> Result<PolicyDomain, NotFound> {
    // F8: `[host]` and `[host]:port`: the next hop is a host, not a domain.
    if let Some(rest) = key.strip_prefix('[') {
        return Err(bracketed(key, rest));
    }
    // F8: `.example.com`: a parent-domain lookup.
    if let Some(parent) = key.strip_prefix('.') {
        return Err(if PolicyDomain::new(parent).is_ok() {
            NotFound::ParentDomain
        } else {
            not_a_domain(key)
        });
    }
    // F8: a bare address (IPv6 has colons, so test before the port).
    if is_ip_address(key) {
        return Err(NotFound::IpAddress);
    }
    // F8: `domain:port`: the domain's policy.
    let domain = match key.rsplit_once(':') {
        Some((domain, port)) if is_port(port) => domain,
        _ => key,
    };
    if is_ip_address(domain) {
        return Err(NotFound::IpAddress);
    }
    // F8: case-insensitive, one trailing dot ignored, U-labels to A-labels;
    // PolicyDomain also refuses all-digit names.
    PolicyDomain::new(domain).map_err(|error| {
        if all_digit_labels(domain.strip_suffix('.').unwrap_or(domain)) {
            NotFound::IpAddress
        } else {
            NotFound::NotADomain(error)
        }
    })
}

/// The reason for a key starting with `[`.
fn bracketed(key: &str, rest: &str) -> NotFound {
    let Some((inside, after)) = rest.split_once(']') else {
        return not_a_domain(key);
    };
    if !(after.is_empty() || after.strip_prefix(':').is_some_and(is_port)) {
        return not_a_domain(key);
    }
    let address = inside
        .get(..5)
        .filter(|tag| tag.eq_ignore_ascii_case("ipv6:"))
        .map_or(inside, |_| &inside[5..]);
    if is_ip_address(address) {
        NotFound::AddressLiteral
    } else if PolicyDomain::new(inside).is_ok() {
        NotFound::BracketedNextHop
    } else {
        not_a_domain(key)
    }
}

/// The `NotADomain` reason with the parse error of the whole key.
fn not_a_domain(key: &str) -> NotFound {
    match PolicyDomain::new(key) {
        Err(error) => NotFound::NotADomain(error),
        // A key in brackets is never a valid domain; keep a reason anyway.
        Ok(_) => NotFound::BracketedNextHop,
    }
}

fn is_ip_address(text: &str) -> bool {
    text.parse::<IpAddr>().is_ok()
}

fn all_digit_labels(name: &str) -> bool {
    !name.is_empty()
        && name
            .split('.')
            .all(|label| !label.is_empty() && label.bytes().all(|b| b.is_ascii_digit()))
}

/// A TCP port as Postfix writes it after a next hop: 1 to 5 digits.
fn is_port(port: &str) -> bool {
    (1..=5).contains(&port.len())
        && port.bytes().all(|b| b.is_ascii_digit())
        && port.parse::<u16>().is_ok()
}
