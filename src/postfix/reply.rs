//! The TLS policy map reply for a domain's MTA-STS policy (SEMANTICS
//! F1–F7, F10).

use std::collections::HashSet;
use std::fmt;

use crate::sender::PolicyDomain;
use crate::{Mode, MxPattern, Policy};

use super::socketmap::{MAX_REPLY_LEN, Response};
use super::{NotFound, ReplyOptions};

/// The answer to one TLS policy map lookup: a policy for Postfix, or
/// `NOTFOUND ` with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MapReply {
    /// `OK <policy>`: Postfix must use TLS with these settings.
    Policy(TlsPolicy),
    /// `NOTFOUND `: Postfix applies its defaults; the reason is for the log.
    NotFound(NotFound),
}

impl MapReply {
    /// The socketmap response to send: [`Response::Ok`] with the policy
    /// text, or [`Response::NotFound`].
    #[must_use]
    pub fn to_response(&self) -> Response {
        match self {
            MapReply::Policy(policy) => Response::Ok(policy.to_string()),
            MapReply::NotFound(_) => Response::NotFound,
        }
    }
}

impl From<NotFound> for MapReply {
    fn from(reason: NotFound) -> MapReply {
        MapReply::NotFound(reason)
    }
}

/// The policy of an `OK` reply: `secure match=P1:P2:…` and the attributes
/// the Postfix version takes (SEMANTICS F1, F3, F6). [`fmt::Display`]
/// writes the reply text.
///
/// # The `.example.com` depth caveat (F7)
///
/// MTA-STS's `*.example.com` stands for exactly one label
/// (`mx1.example.com`, not `a.mx1.example.com`; SEMANTICS X2). Postfix has
/// no such pattern: `match=` writes it `.example.com`, which Postfix
/// matches at any depth below `example.com`. So:
///
/// - **Before 3.10**, and from 3.10 without the TLSRPT attributes, the
///   reply is wider than the policy: a certificate for
///   `a.mx1.example.com` is accepted where RFC 8461 would refuse it. The
///   certificate must still be valid for the host Postfix connects to, and
///   that host comes from the domain's own MX records, so the widening
///   only matters for a domain whose MX records name hosts deeper than the
///   wildcard allows.
/// - **From 3.10 with the TLSRPT attributes**, each pattern also goes out
///   exactly, as `mx_host_pattern=*.example.com`; with
///   `smtp_tls_enforce_sts_mx_patterns = yes` Postfix checks the MX host
///   name against those exact patterns (unless the policy is so large that
///   the attributes do not fit the socketmap reply; see [`reply`]).
///
/// ```
/// use mta_sts::postfix::{reply, MapReply, PostfixVersion, ReplyOptions};
/// use mta_sts::sender::PolicyDomain;
/// use mta_sts::{ParseOptions, Policy};
///
/// let policy = Policy::parse_with(
///     "version: STSv1\nmode: enforce\nmx: *.Example.com\nmx: 192.0.2.1\nmax_age: 86400\n",
///     &ParseOptions::lenient(),
/// )?;
/// let domain = PolicyDomain::new("example.com")?;
/// let options = ReplyOptions::new(PostfixVersion::new(3, 4));
/// let MapReply::Policy(tls) = reply(Some(&policy), &domain, &options) else { panic!() };
/// assert_eq!(tls.to_string(), "secure match=.example.com servername=hostname");
/// assert_eq!(tls.dropped()[0].as_str(), "192.0.2.1"); // F4
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsPolicy {
    /// `match=` entries: lowercase A-labels, `*.x` written `.x`.
    matches: Vec<String>,
    /// The patterns behind `matches`, exact (for `mx_host_pattern`).
    patterns: Vec<MxPattern>,
    /// Patterns left out of `match=` (F4).
    dropped: Vec<MxPattern>,
    servername: bool,
    /// The Postfix 3.10 attributes, when written.
    tlsrpt: Option<TlsRptAttributes>,
}

/// Postfix 3.10's policy attributes (F6).
#[derive(Clone, Debug, PartialEq, Eq)]
struct TlsRptAttributes {
    domain: PolicyDomain,
    ttl: u64,
    /// The policy text's lines, each one `policy_string`.
    strings: Vec<String>,
}

impl TlsPolicy {
    /// The `match=` entries, in policy order: lowercase A-labels without a
    /// trailing dot, de-duplicated, `*.example.com` written
    /// `.example.com` (F3, F7). Never empty (F5).
    #[must_use]
    pub fn match_patterns(&self) -> &[String] {
        &self.matches
    }

    /// The policy's `mx` patterns left out of `match=` because they are IP
    /// addresses (F4), for the log.
    #[must_use]
    pub fn dropped(&self) -> &[MxPattern] {
        &self.dropped
    }
}

impl fmt::Display for TlsPolicy {
    /// The reply text after `OK `: `secure match=…`, then
    /// `servername=hostname` (3.4+), then the TLSRPT attributes (3.10+,
    /// when asked for).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // F1: `secure`, certificate names checked against `match=`.
        write!(f, "secure match={}", self.matches.join(":"))?;
        // F6: `servername` from 3.4 on.
        if self.servername {
            f.write_str(" servername=hostname")?;
        }
        // F6, F7: from 3.10, the exact patterns and the policy itself, as
        // postconf(5) names the attributes of `smtp_tls_policy_maps`.
        if let Some(tlsrpt) = &self.tlsrpt {
            write!(
                f,
                " policy_type=sts policy_domain={} policy_ttl={}",
                tlsrpt.domain, tlsrpt.ttl
            )?;
            for pattern in &self.patterns {
                write!(f, " mx_host_pattern={pattern}")?;
            }
            for line in &tlsrpt.strings {
                // Postfix's `{ name = value }` form keeps the spaces in a
                // value.
                write!(f, " {{ policy_string = {line} }}")?;
            }
        }
        Ok(())
    }
}

/// The TLS policy map reply for `domain`, whose policy (as a lenient sender
/// got it, or from the cache) is `policy`, or `None` when it has none
/// (SEMANTICS F1–F7, F10).
///
/// | case | reply |
/// |---|---|
/// | DNSSEC-validated TLSA records ([`ReplyOptions::dane_tlsa`]) | `NOTFOUND ` ([`NotFound::Dane`], F10) |
/// | no policy | `NOTFOUND ` ([`NotFound::NoPolicy`], F2) |
/// | `mode: none`, or `mode: testing` unless treated as enforce | `NOTFOUND ` ([`NotFound::NotEnforced`], F2) |
/// | every `mx` an IP address | `NOTFOUND ` ([`NotFound::NoUsableMx`], F4, F5) |
/// | `mode: enforce` | `OK secure match=…` ([`TlsPolicy`], F1, F3, F6, F7) |
///
/// The reply always fits Postfix's socketmap bound
/// ([`MAX_REPLY_LEN`](super::socketmap::MAX_REPLY_LEN)): when the 3.10
/// attributes of a very large policy would not, the `policy_string`
/// attributes are left out, and if that is not enough, all of them.
///
/// ```
/// use mta_sts::postfix::{reply, NotFound, PostfixVersion, ReplyOptions};
/// use mta_sts::sender::PolicyDomain;
/// use mta_sts::Policy;
///
/// let domain = PolicyDomain::new("example.com")?;
/// let policy = Policy::parse(
///     "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n",
/// )?;
/// let options = ReplyOptions::new(PostfixVersion::new(3, 10)).tlsrpt(true);
/// let answer = reply(Some(&policy), &domain, &options);
/// assert_eq!(
///     answer.to_response().to_string(),
///     "OK secure match=mail.example.com servername=hostname \
///      policy_type=sts policy_domain=example.com policy_ttl=86400 \
///      mx_host_pattern=mail.example.com \
///      { policy_string = version: STSv1 } { policy_string = mode: enforce } \
///      { policy_string = mx: mail.example.com } { policy_string = max_age: 86400 }"
/// );
///
/// let none = reply(None, &domain, &options);
/// assert_eq!(none, NotFound::NoPolicy.into());
/// assert_eq!(none.to_response().to_string(), "NOTFOUND ");
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[must_use]
pub fn reply(policy: Option<&Policy>, domain: &PolicyDomain, options: &ReplyOptions) -> MapReply {
    // F10: DANE first: MTA-STS never overrides it.
    if options.has_dane_tlsa() {
        return NotFound::Dane.into();
    }
    // F2: no policy.
    let Some(policy) = policy else {
        return NotFound::NoPolicy.into();
    };
    // F1, F2: only enforce (or testing, when asked) gives a policy.
    match policy.mode() {
        Mode::Enforce => {}
        Mode::Testing if options.treats_testing_as_enforce() => {}
        mode => return NotFound::NotEnforced(mode).into(),
    }
    let mut seen = HashSet::new();
    let mut matches = Vec::new();
    let mut patterns = Vec::new();
    let mut dropped = Vec::new();
    for pattern in policy.mx() {
        // F4: an IP address (M11) never goes into `match=`. A pattern that
        // is not a valid `["*."] Domain` cannot exist: `MxPattern` is
        // checked when parsed, so the policy holds none.
        if is_ip_address(pattern) {
            dropped.push(pattern.clone());
            continue;
        }
        // F3: lowercase A-labels without a trailing dot (the canonical
        // form), de-duplicated in policy order; F7: `*.x` written `.x`.
        if seen.insert(pattern.as_str()) {
            let text = pattern.as_str();
            matches.push(text.strip_prefix('*').unwrap_or(text).to_owned());
            patterns.push(pattern.clone());
        }
    }
    // F5: never an empty `match=`.
    if matches.is_empty() {
        return NotFound::NoUsableMx.into();
    }
    // F6: the attributes this version takes.
    let tlsrpt = options.tlsrpt_attributes().then(|| TlsRptAttributes {
        domain: domain.clone(),
        ttl: policy.max_age(),
        strings: policy_strings(policy),
    });
    let mut tls = TlsPolicy {
        matches,
        patterns,
        dropped,
        servername: options.servername(),
        tlsrpt,
    };
    fit_reply_bound(&mut tls);
    MapReply::Policy(tls)
}

/// Keeps `OK <policy>` within Postfix's reply bound (F11): a policy near
/// the 64 KiB size limit with many `mx` lines would overflow it once the
/// 3.10 attributes repeat every pattern and line. The `policy_string`
/// attributes go first, then all the 3.10 attributes; `match=` alone always
/// fits, since it is shorter than the policy text.
fn fit_reply_bound(tls: &mut TlsPolicy) {
    let fits = |tls: &TlsPolicy| "OK ".len() + tls.to_string().len() <= MAX_REPLY_LEN;
    if tls.tlsrpt.is_none() || fits(tls) {
        return;
    }
    if let Some(tlsrpt) = &mut tls.tlsrpt {
        tlsrpt.strings.clear();
    }
    if !fits(tls) {
        tls.tlsrpt = None;
    }
}

/// An `mx` pattern that is an IPv4 address (every label all digits, no
/// wildcard: SEMANTICS M11). IPv6 addresses never parse as patterns (M9).
fn is_ip_address(pattern: &MxPattern) -> bool {
    !pattern.is_wildcard()
        && pattern
            .as_str()
            .split('.')
            .all(|label| label.bytes().all(|b| b.is_ascii_digit()))
}

/// The canonical policy text's lines, one `policy_string` each (F6). A
/// line with a brace (possible only in an extension value) is left out:
/// Postfix's `{ name = value }` syntax cannot carry it.
fn policy_strings(policy: &Policy) -> Vec<String> {
    policy
        .to_string()
        .lines()
        .filter(|line| !line.contains(['{', '}']))
        .map(str::to_owned)
        .collect()
}
