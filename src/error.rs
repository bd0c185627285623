//! The crate's one error type.

use std::fmt;

/// What went wrong, as a stable kind. Private: callers see [`Error::code`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ErrorKind {
    /// RFC 8461 §3.3 lets senders bound the policy size; SEMANTICS P1.
    TooLarge,
    /// Text that does not follow the RFC 8461 §3.1/§3.2 ABNF.
    Syntax,
    /// `version` other than `STSv1` (RFC 8461 §3.2).
    InvalidVersion,
    /// `mode` other than `enforce`, `testing`, `none` (RFC 8461 §3.2).
    InvalidMode,
    /// `max_age` not `1*10DIGIT` (RFC 8461 §3.2).
    InvalidMaxAge,
    /// `max_age` above 31 557 600 (RFC 8461 §3.2).
    MaxAgeAboveLimit,
    /// `version`, `mode` or `max_age` missing (RFC 8461 §3.2).
    MissingField,
    /// `enforce` or `testing` without `mx` (RFC 8461 §3.2).
    MissingMx,
    /// An `mx` value that is not `["*."] Domain` (RFC 8461 §3.2, §4.1).
    InvalidMx,
    /// A TXT record that is not an STS record (RFC 8461 §3.1).
    NotSts,
    /// A TXT record without `id` (RFC 8461 §3.1).
    MissingId,
    /// A TXT `id` that is not 1–32 letters and digits (RFC 8461 §3.1).
    InvalidId,
    /// No STS record in a TXT RRset (RFC 8461 §3.1).
    NoRecord,
    /// More than one STS record in a TXT RRset (RFC 8461 §3.1).
    MultipleRecords,
    /// A recipient domain that cannot name a Policy Domain: an address
    /// literal, an IP address, or not a valid (IDNA) domain (RFC 8461 §3.4).
    InvalidDomain,
    /// A policy fetch whose HTTP status was not 200 (RFC 8461 §3.3).
    HttpStatus,
    /// A policy fetch that involved an HTTP redirect (RFC 8461 §3.3).
    HttpRedirect,
    /// A policy served with a media type other than `text/plain`
    /// (RFC 8461 §3.2).
    MediaType,
    /// A TXT record that is not a TLS-RPT record (RFC 8460 §3).
    NotTlsRpt,
    /// A TLS-RPT record without `rua` (RFC 8460 §3).
    MissingRua,
    /// A TLS-RPT `rua` URI that is not a valid `mailto:` or `https:` URI
    /// (RFC 8460 §3).
    InvalidRua,
}

impl ErrorKind {
    pub(crate) const fn code(self) -> &'static str {
        match self {
            ErrorKind::TooLarge => "too-large",
            ErrorKind::Syntax => "syntax",
            ErrorKind::InvalidVersion => "invalid-version",
            ErrorKind::InvalidMode => "invalid-mode",
            ErrorKind::InvalidMaxAge => "invalid-max-age",
            ErrorKind::MaxAgeAboveLimit => "max-age-above-limit",
            ErrorKind::MissingField => "missing-field",
            ErrorKind::MissingMx => "missing-mx",
            ErrorKind::InvalidMx => "invalid-mx",
            ErrorKind::NotSts => "not-sts",
            ErrorKind::MissingId => "missing-id",
            ErrorKind::InvalidId => "invalid-id",
            ErrorKind::NoRecord => "no-record",
            ErrorKind::MultipleRecords => "multiple-records",
            ErrorKind::InvalidDomain => "invalid-domain",
            ErrorKind::HttpStatus => "http-status",
            ErrorKind::HttpRedirect => "http-redirect",
            ErrorKind::MediaType => "media-type",
            ErrorKind::NotTlsRpt => "not-tlsrpt",
            ErrorKind::MissingRua => "missing-rua",
            ErrorKind::InvalidRua => "invalid-rua",
        }
    }
}

/// Why a policy, TXT record, RRset or `mx` pattern was refused.
///
/// Every error has a stable [`code`](Error::code), and a position where one
/// is meaningful: policy errors tied to a line carry the 1-based
/// [`line`](Error::line) and, where one character is at fault, the 1-based
/// [`column`](Error::column); TXT record errors carry a column in the record
/// text and no line. The [`Display`](fmt::Display) text is one lowercase
/// sentence that names what was being parsed, quotes the offending text and
/// gives the position:
///
/// ```
/// let text = "version: STSv1\nmode: enforce\nmx: m*.example.com\nmax_age: 86400\n";
/// let err = mta_sts::Policy::parse(text).unwrap_err();
/// assert_eq!(err.code(), "invalid-mx");
/// assert_eq!(err.line(), Some(3));
/// assert_eq!(
///     err.to_string(),
///     "invalid mx pattern \"m*.example.com\" on line 3, column 6: \
///      a wildcard must be the whole leftmost label (\"*.example.com\")"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    line: Option<usize>,
    column: Option<usize>,
    message: Box<str>,
}

impl Error {
    /// Builds an error; `message` is the complete sentence shown by `Display`.
    pub(crate) fn new(
        kind: ErrorKind,
        line: Option<usize>,
        column: Option<usize>,
        message: impl Into<Box<str>>,
    ) -> Error {
        Error {
            kind,
            line,
            column,
            message: message.into(),
        }
    }

    /// The stable kebab-case error code.
    ///
    /// One of `too-large`, `syntax`, `invalid-version`, `invalid-mode`,
    /// `invalid-max-age`, `max-age-above-limit`, `missing-field`,
    /// `missing-mx`, `invalid-mx`, `not-sts`, `missing-id`, `invalid-id`,
    /// `no-record`, `multiple-records`. The lint API reports a parse error
    /// under this same code.
    ///
    /// The [`sender`](crate::sender) and [`tlsrpt`](crate::tlsrpt) modules
    /// add: `invalid-domain` (a recipient domain that names no Policy
    /// Domain), `http-status`, `http-redirect` and `media-type` (policy
    /// fetch validation, RFC 8461 §3.2, §3.3), and `not-tlsrpt`,
    /// `missing-rua`, `invalid-rua` (TLS-RPT records, RFC 8460 §3).
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The 1-based line the error is on, for policy errors tied to a line.
    ///
    /// `too-large`, `missing-field` and `missing-mx` carry no line, and
    /// neither do TXT record errors.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// The 1-based column (in characters) where the offending text starts,
    /// when one character or value is at fault.
    pub fn column(&self) -> Option<usize> {
        self.column
    }

    pub(crate) fn kind(&self) -> ErrorKind {
        self.kind
    }
}

/// Writes ` on line L, column C` / ` at column C` for messages.
pub(crate) struct Position {
    pub(crate) line: Option<usize>,
    pub(crate) column: Option<usize>,
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
