//! Standard trait impls beyond the type definitions' derives: hashing,
//! ordering, string conversions and comparisons users expect of the public
//! types.
//!
//! Kept apart from the types so that each impl's contract (which `Eq` a
//! `Hash` agrees with, what an order means) is stated in one place.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use crate::error::ErrorKind;
use crate::lint::{Report, Severity};
use crate::{Error, Mode, MxPattern, Policy, TxtRecord};

// --- Policy, TxtRecord: Hash ---------------------------------------------

/// Hashes what the derived `PartialEq` compares: the mode, `max_age`, the
/// `mx` patterns in order and the extensions in order. Equal policies have
/// equal fields, so they hash alike.
impl Hash for Policy {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.mode().hash(state);
        self.max_age().hash(state);
        self.mx().hash(state);
        hash_pairs(self.extensions(), state);
    }
}

/// Hashes the `id` and the extensions in order, as the derived `PartialEq`
/// compares them.
impl Hash for TxtRecord {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id().hash(state);
        hash_pairs(self.extensions(), state);
    }
}

/// Hashes `(name, value)` pairs with their count first, so that two lists
/// never run into each other (the `Hash` contract for slices).
fn hash_pairs<'a, H: Hasher>(
    pairs: impl ExactSizeIterator<Item = (&'a str, &'a str)>,
    state: &mut H,
) {
    state.write_usize(pairs.len());
    for pair in pairs {
        pair.hash(state);
    }
}

// --- MxPattern: string conversions, Borrow<str>, Ord ----------------------

/// The canonical text (lowercase A-labels, `*.` kept), as
/// [`MxPattern::as_str`].
impl AsRef<str> for MxPattern {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// Looks a pattern up by its canonical text, e.g. in a
/// `HashSet<MxPattern>` or `BTreeMap<MxPattern, _>` with a `&str` key.
///
/// Sound because `MxPattern`'s one field is its canonical text and its
/// `PartialEq`, `Eq` and `Hash` (in `mx.rs`) are those of that text, and
/// its `Ord` below is the text's too: for any two patterns `a == b` exactly when
/// `a.as_str() == b.as_str()`, and they hash and order as those strings. The
/// lookup key must be canonical (`"mail.example.com"`, not
/// `"MAIL.example.com."`): parse a non-canonical name first.
impl Borrow<str> for MxPattern {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

/// Orders patterns by their canonical text (byte order), consistent with
/// `Eq` and with `Borrow<str>`.
impl Ord for MxPattern {
    fn cmp(&self, other: &MxPattern) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for MxPattern {
    fn partial_cmp(&self, other: &MxPattern) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Parses strictly, as [`FromStr`] does.
impl TryFrom<&str> for MxPattern {
    type Error = Error;

    fn try_from(text: &str) -> Result<MxPattern, Error> {
        text.parse()
    }
}

/// The canonical text.
impl From<MxPattern> for String {
    fn from(pattern: MxPattern) -> String {
        pattern.as_str().to_owned()
    }
}

// --- Mode: Ord ------------------------------------------------------------

impl Mode {
    /// Strictest first: `enforce`, `testing`, `none`.
    fn rank(self) -> u8 {
        match self {
            Mode::Enforce => 0,
            Mode::Testing => 1,
            Mode::None => 2,
        }
    }
}

/// Orders modes from the strictest to the least strict: `Enforce <
/// Testing < None`, the order in which RFC 8461 §5 lists them. Sorting a
/// list of policies by mode puts the enforced ones first.
impl Ord for Mode {
    fn cmp(&self, other: &Mode) -> Ordering {
        self.rank().cmp(&other.rank())
    }
}

impl PartialOrd for Mode {
    fn partial_cmp(&self, other: &Mode) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

// --- lint::Severity: FromStr ----------------------------------------------

/// Reads the lowercase word that `Display` writes: `error`, `warning` or
/// `info` (exactly, case-sensitively); anything else is a `syntax` error.
impl FromStr for Severity {
    type Err = Error;

    fn from_str(s: &str) -> Result<Severity, Error> {
        [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .find(|severity| severity.as_str() == s)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Syntax,
                    format!("unknown lint severity {s:?}"),
                    "expected \"error\", \"warning\" or \"info\"",
                )
            })
    }
}

// --- lint::Report: PartialEq -------------------------------

/// Two reports are equal when they hold the same policy (or none) and the
/// same lints in the same order.
impl PartialEq for Report {
    fn eq(&self, other: &Report) -> bool {
        self.policy() == other.policy() && self.lints() == other.lints()
    }
}

impl Eq for Report {}

// --- serde ----------------------------------------------------------------

/// Reads a severity from its lowercase word, as [`FromStr`] does; the
/// inverse of its `Serialize`.
#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Severity {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Severity, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
