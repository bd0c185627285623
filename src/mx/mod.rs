//! `mx` patterns: the checked pattern and matching (SEMANTICS X1–X6);
//! reading one from a policy value (M1–M16) is in `rules.rs`.

mod rules;

pub(crate) use rules::parse_pattern;

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use crate::hostname::{self, MAX_NAME_LEN};
use crate::pass::{Pass, Place};
use crate::{Error, ParseOptions};

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
    /// The bytes this pattern's canonical text (lowercase, A-labels, `*.`
    /// kept; always ASCII) is part of: that text alone, or, for the
    /// patterns of a parsed policy, all of their texts one after another
    /// (one allocation for the lot instead of one each).
    shared: Arc<[u8]>,
    /// Where the canonical text is in `shared`.
    start: u32,
    end: u32,
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
        self.shared
            .get(self.start as usize..self.end as usize)
            .unwrap_or_default()
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
        // 90.) `start <= end` always: the two come from one text's length.
        if host.len() < (self.end - self.start) as usize {
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
    pub(crate) fn from_canonical(text: &str) -> MxPattern {
        MxPattern {
            shared: Arc::from(text.as_bytes()),
            start: 0,
            // A canonical text is at most 255 bytes.
            end: u32::try_from(text.len()).unwrap_or_default(),
        }
    }

    /// Builds the patterns of a policy from texts already in canonical
    /// form, all in one shared allocation. (The `Vec` of texts becomes the
    /// `Vec` of patterns in place: both are 24 bytes.)
    pub(crate) fn from_canonical_all(texts: Vec<Cow<'_, str>>) -> Vec<MxPattern> {
        let total: usize = texts.iter().map(|text| text.len()).sum();
        // The offsets are `u32`: a policy is far smaller than 4 GiB.
        if u32::try_from(total).is_err() {
            return texts
                .iter()
                .map(|text| MxPattern::from_canonical(text))
                .collect();
        }
        let shared = concatenate(&texts, total);
        let mut start = 0u32;
        // `repeat_n` clones the allocation for all but the last pattern,
        // which takes it: one atomic increment and decrement fewer.
        let count = texts.len();
        texts
            .into_iter()
            .zip(std::iter::repeat_n(shared, count))
            .map(|(text, shared)| {
                // Each length fits, as their sum does.
                let end = start + u32::try_from(text.len()).unwrap_or_default();
                let pattern = MxPattern { shared, start, end };
                start = end;
                pattern
            })
            .collect()
    }
}

/// `texts` one after another, `total` bytes in all, in one allocation.
fn concatenate(texts: &[Cow<'_, str>], total: usize) -> Arc<[u8]> {
    let copy_into = |bytes: &mut [u8]| {
        let mut at = 0;
        for text in texts {
            bytes[at..at + text.len()].copy_from_slice(text.as_bytes());
            at += text.len();
        }
    };
    // Most policies' patterns fit a buffer on the stack, copied once into
    // the allocation: no zeroing it first, no uniqueness check (an atomic
    // operation) to write into it.
    let mut buffer = [0; 256];
    if let Some(bytes) = buffer.get_mut(..total) {
        copy_into(bytes);
        return Arc::from(&*bytes);
    }
    // One allocation of the right size (the iterator knows its length).
    let mut shared: Arc<[u8]> = std::iter::repeat_n(0, total).collect();
    if let Some(bytes) = Arc::get_mut(&mut shared) {
        copy_into(bytes);
    }
    shared
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
