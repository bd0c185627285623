//! `mx` patterns: validation (SEMANTICS M1–M16) and matching (X1–X6).

use std::fmt;
use std::str::FromStr;

use crate::error::{ErrorKind, Position};
use crate::finding::Finding;
use crate::hostname::{self, MAX_NAME_LEN};
use crate::Error;

/// One checked `mx` pattern of a policy: a host name such as
/// `mail.example.com`, or a wildcard such as `*.example.net` that stands for
/// exactly one leftmost label (RFC 8461 §3.2, §4.1).
///
/// A pattern that exists is valid and stored in lowercase A-label form, so
/// matching never re-validates it. [`FromStr`] parses strictly.
///
/// ```
/// use mta_sts::MxPattern;
///
/// let pattern: MxPattern = "*.Mail.Example.NET".parse()?;
/// assert!(pattern.is_wildcard());
/// assert_eq!(pattern.to_string(), "*.mail.example.net");
/// assert!(pattern.matches("mx1.mail.example.net"));
/// assert!(pattern.matches("MX1.MAIL.EXAMPLE.NET."));
/// assert!(!pattern.matches("mail.example.net"));
/// assert!(!pattern.matches("a.mx1.mail.example.net"));
///
/// let err = "m*.example.com".parse::<MxPattern>().unwrap_err();
/// assert_eq!(err.code(), "invalid-mx");
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MxPattern {
    /// Canonical text: lowercase, A-labels, `*.` kept.
    text: Box<str>,
}

impl MxPattern {
    /// Whether `host` matches this pattern (SEMANTICS X1–X4).
    ///
    /// Case-insensitive; one trailing dot on `host` is ignored; U-labels in
    /// `host` are converted to A-labels first (the only case that
    /// allocates); a host that is not a valid host name matches nothing. A
    /// wildcard matches exactly one non-empty leftmost label.
    pub fn matches(&self, host: &str) -> bool {
        any_matches(std::slice::from_ref(self), host)
    }

    /// Whether this is a wildcard pattern (`*.example.com`).
    pub fn is_wildcard(&self) -> bool {
        self.text.starts_with("*.")
    }

    /// The canonical text: lowercase A-labels, `*.` kept for a wildcard.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The name a wildcard stands above (`example.com` for
    /// `*.example.com`), or the whole name for an exact pattern.
    pub(crate) fn suffix(&self) -> &str {
        self.text.strip_prefix("*.").unwrap_or(&self.text)
    }

    /// The comparison on a host with its trailing dot removed. Works on the
    /// raw bytes: it is `true` only for an ASCII host, so a non-ASCII host
    /// must be converted and tried again (see [`MxPattern::matches`]).
    #[inline]
    pub(crate) fn matches_ascii(&self, host: &str) -> bool {
        let host = host.as_bytes();
        let pattern = self.text.as_bytes();
        if let Some(suffix) = pattern.strip_prefix(b"*.") {
            // `label.suffix`: one LDH label, a dot, then the suffix.
            let Some(label_len) = host.len().checked_sub(suffix.len() + 1) else {
                return false;
            };
            host.len() <= MAX_NAME_LEN
                && host[label_len] == b'.'
                && hostname::eq_lowercase(&host[label_len + 1..], suffix)
                && hostname::is_label(&host[..label_len])
        } else {
            // The pattern is a valid name, so equality makes the host valid.
            hostname::eq_lowercase(host, pattern)
        }
    }

    /// Builds a pattern from text already in canonical form.
    fn from_canonical(text: impl Into<Box<str>>) -> MxPattern {
        MxPattern { text: text.into() }
    }
}

impl fmt::Debug for MxPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("MxPattern").field(&self.as_str()).finish()
    }
}

impl fmt::Display for MxPattern {
    /// Writes the canonical text, which parses back to an equal pattern.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MxPattern {
    type Err = Error;

    /// Parses one `mx` value strictly (SEMANTICS M-rules). Surrounding
    /// spaces are not trimmed: give the value alone.
    fn from_str(s: &str) -> Result<MxPattern, Error> {
        parse_pattern(s, false, &mut Vec::new(), false).map_err(|bad| bad.into_error(s, None, 1))
    }
}

/// Whether `host` matches any of `patterns` (SEMANTICS X1–X5): the one
/// matcher behind [`MxPattern::matches`] and [`Policy::matches`](crate::Policy::matches).
///
/// A match on the raw bytes implies an ASCII host, so only a miss on a
/// non-ASCII host needs the IDNA conversion (and its allocation).
pub(crate) fn any_matches(patterns: &[MxPattern], host: &str) -> bool {
    let host = hostname::strip_root(host);
    patterns.iter().any(|p| p.matches_ascii(host))
        || (!host.is_ascii()
            && hostname::to_ascii(host)
                .is_some_and(|host| patterns.iter().any(|p| p.matches_ascii(&host))))
}

/// Why an `mx` value was refused, and where in the value.
#[derive(Debug)]
pub(crate) struct BadPattern {
    /// Byte offset of the offending text in the value.
    offset: usize,
    reason: String,
}

impl BadPattern {
    fn new(offset: usize, reason: impl Into<String>) -> BadPattern {
        BadPattern {
            offset,
            reason: reason.into(),
        }
    }

    /// The `invalid-mx` error. `value_column` is the 1-based column of the
    /// value's first character in `line_text`; `value` is the trimmed value.
    pub(crate) fn into_error(self, value: &str, line: Option<usize>, value_column: usize) -> Error {
        let column = value_column + value[..self.offset].chars().count();
        let position = Position {
            line,
            column: Some(column),
        };
        Error::new(
            ErrorKind::InvalidMx,
            line,
            Some(column),
            format!("invalid mx pattern {value:?}{position}: {}", self.reason),
        )
    }
}

/// Validates one `mx` value (already trimmed) into a pattern.
///
/// Lenient mode strips one trailing dot and converts U-labels. Findings
/// (`mx-uppercase`, `mx-trailing-dot`, `mx-u-label`) are pushed to
/// `findings` when `record` is set, with no line: the caller fills it in.
pub(crate) fn parse_pattern(
    value: &str,
    lenient: bool,
    findings: &mut Vec<Finding>,
    record: bool,
) -> Result<MxPattern, BadPattern> {
    // Fast path: a value already in canonical form (lowercase LDH, no
    // trailing dot) needs no diagnosis and records no finding.
    let name = value.strip_prefix("*.").unwrap_or(value);
    if hostname::is_canonical_name(name.as_bytes()) {
        return Ok(MxPattern::from_canonical(value));
    }
    if value.is_empty() {
        return Err(BadPattern::new(
            0,
            "the value is empty: give one host name per mx line",
        ));
    }
    if let Some(at) = value.find([',', ' ', '\t']) {
        let reason = if value.as_bytes()[at] == b'\t' {
            "a tab is not allowed in a host name"
        } else {
            "list one host per line, each on its own \"mx:\" line"
        };
        return Err(BadPattern::new(at, reason));
    }
    if value.starts_with('[') || value.contains(':') || value.contains('/') {
        let at = value.find(['[', ':', '/']).unwrap_or(0);
        return Err(BadPattern::new(
            at,
            "a pattern is a host name: no address literal, port or URL",
        ));
    }
    let (wildcard, name, name_offset) = match value.strip_prefix("*.") {
        Some(rest) => (true, rest, 2),
        None => (false, value, 0),
    };
    if let Some(star) = name.find('*') {
        let fix = value
            .rsplit_once('*')
            .map(|(_, rest)| rest.trim_start_matches('.'));
        let reason = match fix {
            Some(rest) if !rest.is_empty() && !rest.contains('*') => {
                format!("a wildcard must be the whole leftmost label (\"*.{rest}\")")
            }
            _ => "a wildcard must be the whole leftmost label, followed by a domain".to_owned(),
        };
        return Err(BadPattern::new(name_offset + star, reason));
    }
    if !wildcard && value.len() > 1 && value.starts_with('.') {
        return Err(BadPattern::new(
            0,
            format!("a leading dot is not a wildcard; write \"*{value}\""),
        ));
    }
    let mut name = name;
    let mut noted: [Option<&'static str>; 2] = [None, None];
    if let Some(stripped) = name
        .strip_suffix('.')
        .filter(|s| !s.is_empty() && !s.ends_with('.'))
    {
        if !lenient {
            let prefix = if wildcard { "*." } else { "" };
            return Err(BadPattern::new(
                name_offset + stripped.len(),
                format!("remove the trailing dot (\"{prefix}{stripped}\")"),
            ));
        }
        noted[0] = Some("mx-trailing-dot");
        name = stripped;
    }
    let prefix = if wildcard { "*." } else { "" };
    let text = if name.is_ascii() {
        if let Err(problem) = hostname::check_name(name) {
            return Err(BadPattern::new(
                name_offset + problem.offset(),
                problem.reason(name),
            ));
        }
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            noted[1] = Some("mx-uppercase");
        }
        let mut text = String::with_capacity(prefix.len() + name.len());
        text.push_str(prefix);
        text.extend(name.chars().map(|c| c.to_ascii_lowercase()));
        text
    } else {
        let at = name_offset + name.find(|c: char| !c.is_ascii()).unwrap_or(0);
        let Some(ascii) = hostname::to_ascii(name) else {
            return Err(BadPattern::new(
                at,
                "not a valid internationalized domain name (UTS #46)",
            ));
        };
        if !lenient {
            return Err(BadPattern::new(
                at,
                format!("write the name in A-label form (\"{prefix}{ascii}\")"),
            ));
        }
        noted[1] = Some("mx-u-label");
        format!("{prefix}{ascii}")
    };
    if record {
        for code in noted.into_iter().flatten() {
            findings.push(Finding::new(code, None, value).with_detail(text.as_str()));
        }
    }
    Ok(MxPattern::from_canonical(text))
}
