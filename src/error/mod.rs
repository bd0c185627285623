//! The crate's one error type, [`Error`], and its kind, [`ErrorKind`].
//!
//! Every message is worded in one place, `cause.rs`, in one way: what was
//! being parsed and the offending text, the position, then why: `invalid
//! mx pattern "m*.example.com" on line 3, column 6: a wildcard must be the
//! whole leftmost label ("*.example.com")`.

use std::fmt;

use crate::names::names;

mod cause;
mod why;

pub(crate) use cause::{Cause, MediaType, NearMiss};
pub(crate) use why::{DomainWhy, ExtensionWhy, LineWhy, MxWhy, NameWhy, RecordWhy, RuaWhy};

/// What went wrong, as a value to `match` on. [`ErrorKind::code`] is the
/// same stable kebab-case string as [`Error::code`].
///
/// New kinds may be added as the crate grows (new RFCs, new checks), so
/// the enum is `#[non_exhaustive]`: keep a wildcard arm.
///
/// ```
/// use mta_sts::{ErrorKind, Policy};
///
/// let err = Policy::parse("version: STSv1\nmode: enforce\nmax_age: 86400\n").unwrap_err();
/// match err.kind() {
///     ErrorKind::MissingMx => println!("add an mx line"),
///     ErrorKind::MissingField => println!("add version, mode and max_age"),
///     other => println!("{}", other.code()),
/// }
/// assert_eq!(err.kind(), ErrorKind::MissingMx);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `too-large`: a policy body over the size limit, refused before
    /// parsing (RFC 8461 §3.3 lets senders bound it; SEMANTICS P1).
    TooLarge,
    /// `syntax`: text that does not follow the RFC 8461 §3.1/§3.2 (or
    /// RFC 8460 §3) grammar: a control character, a blank line, a line that
    /// is not `name: value`, an empty field, non-ASCII in a TXT record, …
    Syntax,
    /// `invalid-version`: `version` other than `STSv1` (RFC 8461 §3.2; P13).
    InvalidVersion,
    /// `invalid-mode`: `mode` other than `enforce`, `testing`, `none`
    /// (RFC 8461 §3.2; P14).
    InvalidMode,
    /// `invalid-max-age`: `max_age` not `1*10DIGIT` (RFC 8461 §3.2; P15).
    InvalidMaxAge,
    /// `max-age-above-limit`: `max_age` above 31 557 600 (RFC 8461 §3.2;
    /// P17).
    MaxAgeAboveLimit,
    /// `missing-field`: `version`, `mode` or `max_age` missing (RFC 8461
    /// §3.2; P19).
    MissingField,
    /// `missing-mx`: mode `enforce` or `testing` without `mx` (RFC 8461
    /// §3.2; P21).
    MissingMx,
    /// `invalid-mx`: an `mx` value that is not `["*."] Domain` (RFC 8461
    /// §3.2, §4.1; M-rules).
    InvalidMx,
    /// `not-sts`: a TXT record that is not an STS record (RFC 8461 §3.1; T4).
    NotSts,
    /// `missing-id`: an STS TXT record without `id` (RFC 8461 §3.1; T5).
    MissingId,
    /// `invalid-id`: a TXT `id` that is not 1–32 letters and digits
    /// (RFC 8461 §3.1; T7).
    InvalidId,
    /// `no-record`: no STS (or TLS-RPT) record in a TXT `RRset` (RFC 8461
    /// §3.1; R3).
    NoRecord,
    /// `multiple-records`: more than one STS (or TLS-RPT) record in a TXT
    /// `RRset` (RFC 8461 §3.1; R3).
    MultipleRecords,
    /// `invalid-domain`: a recipient domain that cannot name a Policy
    /// Domain: an address literal, an IP address, or not a valid (IDNA)
    /// domain (RFC 8461 §3.4).
    InvalidDomain,
    /// `http-status`: a policy fetch whose HTTP status was not 200
    /// (RFC 8461 §3.3).
    HttpStatus,
    /// `http-redirect`: a policy fetch that involved an HTTP redirect
    /// (RFC 8461 §3.3).
    HttpRedirect,
    /// `media-type`: a policy served with a media type other than
    /// `text/plain` (RFC 8461 §3.2).
    MediaType,
    /// `not-tlsrpt`: a TXT record that is not a TLS-RPT record (RFC 8460 §3).
    NotTlsRpt,
    /// `missing-rua`: a TLS-RPT record without `rua` (RFC 8460 §3).
    MissingRua,
    /// `invalid-rua`: a TLS-RPT `rua` URI that is not a valid `mailto:` or
    /// `https:` URI (RFC 8460 §3).
    InvalidRua,
}

names!(ErrorKind, pub fn code(by_value) {
    TooLarge => "too-large",
    Syntax => "syntax",
    InvalidVersion => "invalid-version",
    InvalidMode => "invalid-mode",
    InvalidMaxAge => "invalid-max-age",
    MaxAgeAboveLimit => "max-age-above-limit",
    MissingField => "missing-field",
    MissingMx => "missing-mx",
    InvalidMx => "invalid-mx",
    NotSts => "not-sts",
    MissingId => "missing-id",
    InvalidId => "invalid-id",
    NoRecord => "no-record",
    MultipleRecords => "multiple-records",
    InvalidDomain => "invalid-domain",
    HttpStatus => "http-status",
    HttpRedirect => "http-redirect",
    MediaType => "media-type",
    NotTlsRpt => "not-tlsrpt",
    MissingRua => "missing-rua",
    InvalidRua => "invalid-rua",
});

/// Why a policy, TXT record, `RRset` or `mx` pattern was refused.
///
/// Every error has a [`kind`](Error::kind) (and its stable
/// [`code`](Error::code) string), and a position where one is meaningful:
/// policy errors tied to a line carry the 1-based [`line`](Error::line)
/// and, where one character is at fault, the 1-based
/// [`column`](Error::column); TXT record errors carry a column in the
/// record text and no line. The [`Display`](fmt::Display) text is one
/// lowercase sentence that names what was being parsed, quotes the
/// offending text, gives the position and says why:
///
/// ```
/// use mta_sts::ErrorKind;
///
/// let text = "version: STSv1\nmode: enforce\nmx: m*.example.com\nmax_age: 86400\n";
/// let err = mta_sts::Policy::parse(text).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidMx);
/// assert_eq!(err.code(), "invalid-mx");
/// assert_eq!((err.line(), err.column()), (Some(3), Some(6)));
/// assert_eq!(
///     err.to_string(),
///     "invalid mx pattern \"m*.example.com\" on line 3, column 6: \
///      a wildcard must be the whole leftmost label (\"*.example.com\")"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(transparent)]
pub struct Error(Box<Cause>);

/// Boxed, so that `Result<T, Error>` stays one pointer wide on the
/// parsers' paths where nothing fails.
impl From<Cause> for Error {
    fn from(cause: Cause) -> Error {
        Error(Box::new(cause))
    }
}

impl Error {
    /// The same error at a position.
    pub(crate) fn at(mut self, line: Option<usize>, column: Option<usize>) -> Error {
        *self.0.at_mut() = Position { line, column };
        self
    }

    /// What went wrong, to `match` on.
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        self.0.kind()
    }

    /// The stable kebab-case error code: [`ErrorKind::code`] of
    /// [`kind`](Error::kind).
    ///
    /// The parsers give `too-large`, `syntax`, `invalid-version`,
    /// `invalid-mode`, `invalid-max-age`, `max-age-above-limit`,
    /// `missing-field`, `missing-mx`, `invalid-mx`, `not-sts`,
    /// `missing-id`, `invalid-id`, `no-record` and `multiple-records`; the
    /// lint API reports a parse error under this same code. The
    /// [`sender`](crate::sender) and [`tlsrpt`](crate::tlsrpt) modules add
    /// `invalid-domain`, `http-status`, `http-redirect`, `media-type`,
    /// `not-tlsrpt`, `missing-rua` and `invalid-rua`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.0.kind().code()
    }

    /// The 1-based line the error is on, for policy errors tied to a line.
    ///
    /// `too-large`, `missing-field` and `missing-mx` carry no line, and
    /// neither do TXT record errors.
    #[must_use]
    pub fn line(&self) -> Option<usize> {
        self.0.at().line
    }

    /// The 1-based column (in characters) where the offending text starts,
    /// when one character or value is at fault.
    #[must_use]
    pub fn column(&self) -> Option<usize> {
        self.0.at().column
    }
}

/// Where an error or a lint is: a policy line and a column, either, or
/// neither. Written ` on line L, column C`, ` on line L`, ` at column C` or
/// not at all, right after the offending text: the one way positions are
/// rendered, in errors and lints alike.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Position {
    pub(crate) line: Option<usize>,
    pub(crate) column: Option<usize>,
}

impl Position {
    /// No position (yet): the parsers add it where they know it.
    pub(crate) const NONE: Position = Position {
        line: None,
        column: None,
    };
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, " on line {line}, column {column}"),
            (Some(line), None) => write!(f, " on line {line}"),
            (None, Some(column)) => write!(f, " at column {column}"),
            (None, None) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorKind;

    #[test]
    fn codes_are_unique_kebab_case() {
        for (i, kind) in ErrorKind::ALL.iter().enumerate() {
            let code = kind.code();
            assert!(
                code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{code}"
            );
            assert!(
                ErrorKind::ALL[..i].iter().all(|other| other.code() != code),
                "{code} twice"
            );
        }
    }
}
