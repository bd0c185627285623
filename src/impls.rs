//! Standard trait impls beyond the type definitions' derives: the string
//! conversions and ordering users expect of [`MxPattern`]. Where a derive
//! gives the same (`Hash` of `Policy` and `TxtRecord`, `Ord` of `Mode`,
//! `PartialEq` of the lint `Report`), the type derives it.
//!
//! Kept apart from the types so that each impl's contract (which `Eq` a
//! `Hash` agrees with, what an order means) is stated in one place.

use std::borrow::Borrow;
use std::cmp::Ordering;

use crate::{Error, MxPattern};

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

/// Parses strictly, as [`FromStr`](std::str::FromStr) does.
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
