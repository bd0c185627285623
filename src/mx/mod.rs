//! `mx` patterns: the checked pattern and matching (SEMANTICS X1–X6);
//! reading one from a policy value (M1–M16) is in `rules.rs`.

mod rules;
mod text;

pub(crate) use rules::parse_pattern;

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::hostname::{self, MAX_NAME_LEN};
use crate::pass::{Pass, Place};
use crate::{Error, ParseOptions};
use text::Text;

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
#[derive(Clone)]
pub struct MxPattern {
    /// The canonical text (lowercase, A-labels, `*.` kept; always ASCII):
    /// inline when short, so that most patterns cost no allocation.
    text: Text,
}

/// Equal exactly when the canonical texts are equal.
impl PartialEq for MxPattern {
    fn eq(&self, other: &MxPattern) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for MxPattern {}

/// Hashes as the canonical text's `str` does (see `Borrow<str>`).
impl std::hash::Hash for MxPattern {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl MxPattern {
    /// Whether `host` matches this pattern (SEMANTICS X1–X4).
    ///
    /// Case-insensitive; one trailing dot on `host` is ignored; U-labels in
    /// `host` are converted to A-labels first (the only case that
    /// allocates); a host that is not a valid host name matches nothing. A
    /// wildcard matches exactly one non-empty leftmost label.
    #[must_use]
    // Always: a literal hit took 101 instructions as a call and 96 inlined
    // (callgrind); the IDNA path behind it is out of line.
    #[inline(always)]
    pub fn matches(&self, host: &str) -> bool {
        let host = hostname::strip_root(host);
        self.matches_ascii(host)
            || (!host.is_ascii() && matches_u_labels(std::slice::from_ref(self), host))
    }

    /// Parses one `mx` value with the given options: lenient accepts names
    /// as DNS returns them, with one trailing dot (`MX1.Example.com.`), and
    /// U-labels (SEMANTICS M3, M13). Errors are `invalid-mx` with the
    /// column in `value`.
    ///
    /// ```
    /// use mta_sts::{MxPattern, ParseOptions};
    ///
    /// let pattern = MxPattern::parse_with("MX1.Example.com.", &ParseOptions::lenient())?;
    /// assert_eq!(pattern.as_str(), "mx1.example.com");
    /// assert!(MxPattern::parse_with("MX1.Example.com.", &ParseOptions::strict()).is_err());
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `invalid-mx` when `value` is not `["*."] Domain` (after the lenient
    /// tolerances, if any).
    pub fn parse_with(value: &str, options: &ParseOptions) -> Result<MxPattern, Error> {
        let text = parse_pattern(
            &mut Pass::first_error(options),
            value,
            Place::record(value),
            0,
        )?;
        Ok(MxPattern::from_canonical(&text))
    }

    /// Whether this is a wildcard pattern (`*.example.com`).
    #[must_use]
    pub fn is_wildcard(&self) -> bool {
        self.as_bytes().starts_with(b"*.")
    }

    /// The canonical text: lowercase A-labels, `*.` kept for a wildcard.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // The bytes are a canonical text, which is ASCII.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// The canonical text's bytes.
    #[inline]
    fn as_bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    /// The name a wildcard stands above (`example.com` for
    /// `*.example.com`), or the whole name for an exact pattern.
    pub(crate) fn suffix(&self) -> &str {
        let text = self.as_str();
        text.strip_prefix("*.").unwrap_or(text)
    }

    /// The comparison on a host with its trailing dot removed. Works on the
    /// raw bytes: it is `true` only for an ASCII host, so a non-ASCII host
    /// must be converted and tried again (see [`MxPattern::matches`]).
    // Always: as a call from another crate's `matches`, a literal hit took
    // 81 instructions, inlined 65 (a wildcard 138 and 113; callgrind).
    #[inline(always)]
    pub(crate) fn matches_ascii(&self, host: &str) -> bool {
        let host = host.as_bytes();
        // A host shorter than the pattern matches neither form (`*.` stands
        // for at least two bytes): no need to look at the text. (Callgrind:
        // a four-pattern miss 227 to 209 instructions, a literal hit 86 to
        // 90.)
        if host.len() < self.text.len() {
            return false;
        }
        let pattern = self.as_bytes();
        // A canonical pattern holds `*` only in its `*.` prefix.
        if let [b'*', b'.', suffix @ ..] = pattern {
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
    #[inline]
    pub(crate) fn from_canonical(text: &str) -> MxPattern {
        MxPattern {
            text: Text::new(text.as_bytes()),
        }
    }

    /// Builds the patterns of a policy from texts already in canonical
    /// form. (The `Vec` of texts becomes the `Vec` of patterns in place:
    /// both are 24 bytes.)
    pub(crate) fn from_canonical_all(texts: Vec<Cow<'_, str>>) -> Vec<MxPattern> {
        texts
            .into_iter()
            .map(|text| MxPattern::from_canonical(&text))
            .collect()
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
        MxPattern::parse_with(s, &ParseOptions::strict())
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
        || (!host.is_ascii() && matches_u_labels(patterns, host))
}

/// X4: a non-ASCII host (without its trailing dot) in A-label form against
/// `patterns`. Out of line: the ASCII hit above is the hot path.
#[cold]
#[inline(never)]
fn matches_u_labels(patterns: &[MxPattern], host: &str) -> bool {
    hostname::to_ascii(host).is_some_and(|host| patterns.iter().any(|p| p.matches_ascii(&host)))
}
