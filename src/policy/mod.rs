//! The policy file (`/.well-known/mta-sts.txt`): [`Policy`] and [`Mode`].
//!
//! The parser: [`parse`] (entry points and the pass), [`lines`] (P2–P5),
//! [`line`] (one line to a field, P6–P11), [`fields`] (the values,
//! P12–P25).

use std::fmt;
use std::str::FromStr;

use crate::error::{Cause, NearMiss, Position};
use crate::extensions::Extensions;
use crate::names::names;
use crate::{Error, MxPattern, ParseOptions};

mod build;
mod fields;
mod line;
mod lines;
mod parse;
mod resemble;

pub use build::PolicyBuilder;
pub(crate) use fields::{Located, Values};
pub(crate) use parse::scan;

/// A policy's `mode` (RFC 8461 §5).
///
/// RFC 8461 defines exactly these three modes, and a new one would come with
/// a new policy version, so the enum is exhaustive on purpose: a `match`
/// needs no wildcard arm.
///
/// ```
/// use mta_sts::Mode;
/// assert_eq!(Mode::Testing.as_str(), "testing");
/// assert_eq!("enforce".parse::<Mode>().unwrap(), Mode::Enforce);
/// ```
///
/// Modes are ordered from the strictest to the least strict, `Enforce <
/// Testing < None`, the order in which RFC 8461 §5 lists them: sorting
/// policies by mode puts the enforced ones first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// Sending MTAs must not deliver to an MX host that fails matching or
    /// TLS validation.
    Enforce,
    /// Sending MTAs deliver anyway and report failures (RFC 8460 TLS-RPT).
    Testing,
    /// No active policy: the domain is withdrawing MTA-STS.
    None,
}

// SEMANTICS P14: the value is read exactly, case-sensitively.
names!(Mode, pub fn as_str(by_ref) {
    Enforce => "enforce",
    Testing => "testing",
    None => "none",
});

impl FromStr for Mode {
    type Err = Error;

    /// Parses `enforce`, `testing` or `none`, case-sensitively; anything
    /// else is the `invalid-mode` error the policy parser gives the value.
    fn from_str(s: &str) -> Result<Mode, Error> {
        Mode::from_name(s).ok_or_else(|| invalid_mode(s))
    }
}

/// The `invalid-mode` error for a value (SEMANTICS P14), without a position.
pub(crate) fn invalid_mode(value: &str) -> Error {
    Cause::InvalidMode {
        value: value.into(),
        at: Position::NONE,
    }
    .into()
}

/// The fields RFC 8461 §3.2 defines, in the order a policy lists them;
/// every other name is an extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KnownField {
    Version,
    Mode,
    MaxAge,
    Mx,
}

names!(KnownField, pub(crate) fn as_str(by_value) {
    Version => "version",
    Mode => "mode",
    MaxAge => "max_age",
    Mx => "mx",
});

/// Whether `name` is one of the [`KnownField`]s (a `match`: lenient
/// parsing asks for every line).
pub(crate) fn is_known_field(name: &str) -> bool {
    KnownField::from_name(name).is_some()
}

/// The `missing-mx` error (SEMANTICS P21), for parsing (`item` "line",
/// with the key on some line that resembles `mx`) and the builder (`item`
/// "pattern").
pub(crate) fn missing_mx(mode: Mode, item: &'static str, near: Option<NearMiss>) -> Error {
    Cause::MissingMx {
        mode,
        item,
        near,
        at: Position::NONE,
    }
    .into()
}

/// The `max-age-above-limit` error (SEMANTICS P17); `max_age` is the value
/// as the caller shows it (quoted text when parsed, a number when built).
pub(crate) fn max_age_above_limit(max_age: impl fmt::Display) -> Error {
    Cause::MaxAgeAboveLimit {
        written: max_age.to_string().into(),
        at: Position::NONE,
    }
    .into()
}

/// The largest `max_age` RFC 8461 §3.2 allows: 31 557 600 seconds (a year).
pub const MAX_AGE_LIMIT: u64 = 31_557_600;

/// A parsed MTA-STS policy (RFC 8461 §3.2).
///
/// A `Policy` that exists is valid: its `mx` patterns are checked, its
/// `max_age` is within the RFC's limit. Parse one with [`Policy::parse`]
/// (strict), [`Policy::parse_with`] or [`str::parse`], or build one in code
/// with [`Policy::builder`].
///
/// ```
/// use mta_sts::{Mode, Policy};
///
/// let policy: Policy = "version: STSv1\r\n\
///                       mode: enforce\r\n\
///                       mx: mail.example.com\r\n\
///                       mx: backup.example.net\r\n\
///                       max_age: 604800\r\n"
///     .parse()?;
/// assert_eq!(policy.mode(), Mode::Enforce);
/// assert_eq!(policy.max_age(), 604_800);
/// assert!(policy.matches("MAIL.example.com."));
/// assert!(!policy.matches("evil.example.com"));
/// # Ok::<(), mta_sts::Error>(())
/// ```
/// `Hash` agrees with `Eq`: equal policies have equal fields.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Policy {
    pub(crate) mode: Mode,
    pub(crate) max_age: u64,
    pub(crate) mx: Vec<MxPattern>,
    pub(crate) extensions: Extensions,
}

impl Policy {
    /// Starts building a policy with its mode and `max_age` in seconds;
    /// add `mx` patterns and extensions, then call
    /// [`build`](PolicyBuilder::build).
    pub fn builder(mode: Mode, max_age: u64) -> PolicyBuilder {
        PolicyBuilder::new(mode, max_age)
    }

    /// Parses a policy strictly (RFC 8461 plus erratum 6253).
    ///
    /// Same as `Policy::parse_with(text, &ParseOptions::strict())`.
    ///
    /// # Errors
    ///
    /// The first problem found, with its [`ErrorKind`](crate::ErrorKind), line
    /// and column: `too-large`, `syntax`, `invalid-version`, `invalid-mode`,
    /// `invalid-max-age`, `max-age-above-limit`, `missing-field`, `missing-mx`
    /// or `invalid-mx`.
    pub fn parse(text: &str) -> Result<Policy, Error> {
        Policy::parse_with(text, &ParseOptions::strict())
    }

    /// Parses a policy with the given options.
    ///
    /// The size limit is checked first; then one top-to-bottom pass reports
    /// the first problem found, with its line and column.
    ///
    /// ```
    /// use mta_sts::{ParseOptions, Policy};
    ///
    /// let text = "\u{feff}version: STSv1\nmode: testing\nmx: *.mail.example.net\nmax_age: 99999999999\n";
    /// assert_eq!(Policy::parse(text).unwrap_err().code(), "syntax");
    /// // Lenient strips the BOM; an 11-digit max_age is still invalid.
    /// let err = Policy::parse_with(text, &ParseOptions::lenient()).unwrap_err();
    /// assert_eq!((err.code(), err.line()), ("invalid-max-age", Some(4)));
    /// ```
    ///
    /// Two real-world mistakes get a message of their own beyond the
    /// semantics reference's list ("Messages on real-world mistakes"): a
    /// UTF-16 file read lossily as text (its byte order mark turned into two
    /// U+FFFD, then a NUL every other character) is one `syntax` error on
    /// line 1 saying the file is UTF-16, and a `#` comment in an `mx` value
    /// (`mx: mx1.example.com   # primary`, from templates) is `invalid-mx`
    /// saying that the format has no comments, quoting the comment.
    ///
    /// # Errors
    ///
    /// The first problem found, with its [`ErrorKind`](crate::ErrorKind), line
    /// and column: `too-large`, `syntax`, `invalid-version`, `invalid-mode`,
    /// `invalid-max-age`, `max-age-above-limit`, `missing-field`, `missing-mx`
    /// or `invalid-mx`.
    pub fn parse_with(text: &str, options: &ParseOptions) -> Result<Policy, Error> {
        parse::parse(text, options)
    }

    /// Parses a policy body as received, checking the size limit and then
    /// UTF-8 (an invalid byte is a `syntax` error naming its line and
    /// column) before parsing it as [`Policy::parse_with`] does.
    ///
    /// ```
    /// use mta_sts::{ErrorKind, ParseOptions, Policy};
    ///
    /// let body = b"version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n";
    /// let policy = Policy::parse_bytes(body, &ParseOptions::strict())?;
    /// assert_eq!(policy.max_age(), 86_400);
    ///
    /// let err = Policy::parse_bytes(b"version: STSv1\nmode: \xffnone\n", &ParseOptions::strict())
    ///     .unwrap_err();
    /// assert_eq!((err.kind(), err.line(), err.column()), (ErrorKind::Syntax, Some(2), Some(7)));
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `too-large` first, then `syntax` naming the first invalid UTF-8 byte (or
    /// saying that the body is UTF-16), then what [`Policy::parse_with`]
    /// refuses.
    pub fn parse_bytes(body: &[u8], options: &ParseOptions) -> Result<Policy, Error> {
        parse::parse_bytes(body, options)
    }

    /// The policy mode.
    #[must_use]
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The effective `max_age` in seconds: at most 31 557 600 (lenient
    /// parsing clamps larger values, SEMANTICS P17).
    #[must_use]
    pub fn max_age(&self) -> u64 {
        self.max_age
    }

    /// The `mx` patterns in file order, duplicates included.
    #[must_use]
    pub fn mx(&self) -> &[MxPattern] {
        &self.mx
    }

    /// Extension fields (`name: value`) in file order, first occurrence of
    /// each name only. Keys are case-sensitive, so `Mode: enforce` is an
    /// extension named `Mode`.
    ///
    /// ```
    /// let text = "version: STSv1\nmode: none\nmax_age: 86400\nnote: see https://example.com/a;b\n";
    /// let policy = mta_sts::Policy::parse(text)?;
    /// assert_eq!(policy.extensions().collect::<Vec<_>>(), [("note", "see https://example.com/a;b")]);
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    #[must_use]
    pub fn extensions(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.extensions.iter()
    }

    /// Whether `host` matches any of the policy's `mx` patterns
    /// (SEMANTICS X1–X5).
    ///
    /// Case-insensitive; one trailing dot on `host` is ignored; a host with
    /// U-labels is converted to A-labels first; an invalid host name matches
    /// nothing. The mode is not consulted: what `testing` or `none` mean for
    /// delivery is the caller's decision. Matching an ASCII host allocates
    /// nothing.
    #[must_use]
    pub fn matches(&self, host: &str) -> bool {
        crate::mx::any_matches(&self.mx, host)
    }

    /// The policy as RFC 8460 §4.4's `policy-string`: one string per line
    /// of the canonical policy text, for the `policy-string` array of a
    /// TLS-RPT report (§4.5: each `mx` its own element).
    ///
    /// ```
    /// let policy = mta_sts::Policy::parse(
    ///     "version: STSv1\nmode: testing\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 604800\n",
    /// )?;
    /// assert_eq!(
    ///     policy.policy_strings(),
    ///     ["version: STSv1", "mode: testing", "mx: mx1.example.com", "mx: mx2.example.com", "max_age: 604800"]
    /// );
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    pub fn policy_strings(&self) -> Vec<String> {
        self.to_string()
            .split("\r\n")
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

impl FromStr for Policy {
    type Err = Error;

    /// Same as [`Policy::parse`] (strict).
    fn from_str(s: &str) -> Result<Policy, Error> {
        Policy::parse(s)
    }
}

impl fmt::Display for Policy {
    /// Writes the canonical policy text: `version`, `mode`, each `mx`,
    /// `max_age`, then the extensions, one per line with CRLF line ends.
    /// `Policy::parse(&policy.to_string())` gives back an equal policy, as
    /// long as the text fits the size limit (CRLF line ends can make it a
    /// little longer than an LF original).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "version: STSv1\r\nmode: {}\r\n", self.mode)?;
        for mx in &self.mx {
            write!(f, "mx: {mx}\r\n")?;
        }
        write!(f, "max_age: {}\r\n", self.max_age)?;
        for (name, value) in self.extensions.iter() {
            write!(f, "{name}: {value}\r\n")?;
        }
        Ok(())
    }
}
