//! What reading a report can say: [`ReportError`] (it stops) and
//! [`Deviation`] (lenient reading went on), both tied to a JSON path.

use std::fmt;

use crate::names::names;
use crate::tlsrpt::DateTime;

/// What went wrong, as a stable kind. Private: callers see
/// [`ReportError::code`].
/// Without the `serde` feature only date-time errors are built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(not(feature = "serde"), allow(dead_code))]
pub(crate) enum ReportErrorKind {
    /// Not JSON, not UTF-8, or nested deeper than the JSON reader allows
    /// (SEMANTICS G1).
    Syntax,
    /// An object with two members of one name (I-JSON, RFC 7493 §2.3; G1).
    DuplicateMember,
    /// A required member missing (RFC 8460 §4.4; G2, G6, G8, G11, G14).
    MissingMember,
    /// A member of the wrong JSON type, or the report not an object (G1,
    /// G2, G10).
    WrongType,
    /// An empty `policies` array, or an empty string where a value is
    /// required (G2, G14).
    EmptyValue,
    /// A `policy-type` RFC 8460 §4.4 does not define (G7).
    InvalidValue,
    /// A date-time that is not RFC 3339 (G3, G4).
    InvalidDatetime,
    /// A range that ends before it starts (G4).
    InvalidDateRange,
    /// A count that is not a whole number from 0 to 2^53 (G11, G12).
    InvalidCount,
}

names!(ReportErrorKind, fn code(by_value) {
    Syntax => "report-syntax",
    DuplicateMember => "report-duplicate-member",
    MissingMember => "report-missing-member",
    WrongType => "report-wrong-type",
    EmptyValue => "report-empty-value",
    InvalidValue => "report-invalid-value",
    InvalidDatetime => "report-invalid-datetime",
    InvalidDateRange => "report-invalid-date-range",
    InvalidCount => "report-invalid-count",
});

/// What went wrong and what its message needs: the one home of each
/// message's wording (after the path, which [`ReportError`] writes).
/// Private: callers see [`ReportError::code`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(not(feature = "serde"), allow(dead_code))]
pub(crate) enum Problem {
    /// What the JSON reader said (G1).
    #[error("{0}")]
    Json(String),
    #[error("the member {} appears twice (I-JSON forbids duplicate names)", quote(.name))]
    DuplicateMember { name: String },
    #[error("the member is missing ({what})")]
    MissingMember { what: &'static str },
    /// `found` as [`Json::describe`](super::json) writes it.
    #[error("expected {expected}, found {found}")]
    WrongType {
        expected: &'static str,
        found: String,
    },
    #[error("the array is empty: a report has at least one policy entry")]
    NoPolicies,
    #[error(
        "the value is \"\": a failure detail names the sending MTA, the receiving MX host \
         and its IP address"
    )]
    EmptyFailureField,
    #[error(
        "unknown policy type {}: expected \"sts\", \"tlsa\" or \"no-policy-found\"",
        quote(.name)
    )]
    UnknownPolicyType { name: String },
    /// A date-time in a report.
    #[error("the date-time {} is invalid: {why}", quote(.text))]
    DatetimeInReport { text: String, why: String },
    /// A date-time on its own (`DateTime::from_str`).
    #[error("invalid date-time {}: {why}", quote(.text))]
    Datetime { text: String, why: String },
    #[error("the range ends ({end}) before it starts ({start})")]
    DateRange { start: DateTime, end: DateTime },
    /// `count` as written in the report.
    #[error("the count {count} is above 2^53")]
    CountTooLarge { count: String },
    #[error("the count {0} is negative")]
    CountNegative(i64),
    /// The number as written.
    #[error("the count {0} is not a whole number written without a fraction or exponent")]
    CountFraction(String),
    #[error("the count {} is a string, not a JSON number", quote(.0))]
    CountString(String),
    #[error("the count {} is not a string of digits", quote(.0))]
    CountNotDigits(String),
}

impl Problem {
    fn kind(&self) -> ReportErrorKind {
        match self {
            Problem::Json(_) => ReportErrorKind::Syntax,
            Problem::DuplicateMember { .. } => ReportErrorKind::DuplicateMember,
            Problem::MissingMember { .. } => ReportErrorKind::MissingMember,
            Problem::WrongType { .. } => ReportErrorKind::WrongType,
            Problem::NoPolicies | Problem::EmptyFailureField => ReportErrorKind::EmptyValue,
            Problem::UnknownPolicyType { .. } => ReportErrorKind::InvalidValue,
            Problem::DatetimeInReport { .. } | Problem::Datetime { .. } => {
                ReportErrorKind::InvalidDatetime
            }
            Problem::DateRange { .. } => ReportErrorKind::InvalidDateRange,
            Problem::CountTooLarge { .. }
            | Problem::CountNegative(_)
            | Problem::CountFraction(_)
            | Problem::CountString(_)
            | Problem::CountNotDigits(_) => ReportErrorKind::InvalidCount,
        }
    }
}

/// Why a TLS-RPT report (RFC 8460 §4) or a date-time in one was refused.
///
/// Every error has a stable [`code`](ReportError::code) and the JSON
/// [`path`](ReportError::path) of the offending member
/// (`policies[0].summary.total-failure-session-count`; empty for the
/// report as a whole). The [`Display`](fmt::Display) text is one lowercase
/// sentence that names the path and quotes the offending value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{problem}", context(.path, .problem))]
pub struct ReportError {
    path: String,
    problem: Problem,
}

/// What a message says before its problem: the report and the path, or
/// nothing for a date-time on its own.
fn context(path: &str, problem: &Problem) -> String {
    match problem {
        Problem::Datetime { .. } => String::new(),
        _ if path.is_empty() => "invalid TLS-RPT report: ".to_owned(),
        _ => format!("invalid TLS-RPT report at {path}: "),
    }
}

impl ReportError {
    /// The error at `path` (empty for the report as a whole).
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn new(path: String, problem: Problem) -> ReportError {
        ReportError { path, problem }
    }

    /// A date-time error; with no path, the message is about the text alone.
    pub(crate) fn datetime(path: &str, text: &str, why: &str) -> ReportError {
        let (text, why) = (text.to_owned(), why.to_owned());
        let problem = if path.is_empty() {
            Problem::Datetime { text, why }
        } else {
            Problem::DatetimeInReport { text, why }
        };
        ReportError::new(path.to_owned(), problem)
    }

    /// The stable kebab-case error code: one of `report-syntax`,
    /// `report-duplicate-member`, `report-missing-member`,
    /// `report-wrong-type`, `report-empty-value`, `report-invalid-value`,
    /// `report-invalid-datetime`, `report-invalid-date-range`,
    /// `report-invalid-count`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.problem.kind().code()
    }

    /// The JSON path of the offending member, such as
    /// `policies[0].failure-details[2].failed-session-count`; empty when
    /// the report as a whole is at fault (not JSON, not an object).
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }
}

pub(crate) use crate::message::quote_short as quote;

/// A tolerance lenient reading applied, or (in both modes) a member the
/// RFC does not define; codes as the project's SEMANTICS names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DeviationKind {
    /// `report-datetime-no-offset`: a date-time without a UTC offset, read
    /// as UTC (G3).
    DatetimeNoOffset,
    /// `report-contact-missing`: `contact-info` `null` or missing (G6).
    ContactMissing,
    /// `report-unknown-policy-type`: a `policy-type` other than `sts`,
    /// `tlsa`, `no-policy-found`, kept as written (G7).
    UnknownPolicyType,
    /// `report-policy-domain-missing`: a `no-policy-found` entry without
    /// `policy-domain` (G8).
    PolicyDomainMissing,
    /// `report-mx-host-string`: `mx-host` as one string, read as a
    /// one-element array (G10; the RFC's own example does this).
    MxHostString,
    /// `report-count-missing`: a `summary` count missing, read as 0 (G11).
    CountMissing,
    /// `report-count-string`: a count written as a string of digits (G12).
    CountString,
    /// `report-failure-field-missing`: a failure detail without
    /// `sending-mta-ip`, `receiving-mx-hostname` or `receiving-ip`, or with
    /// one of them `""`; read as absent (G14).
    FailureFieldMissing,
    /// `report-unknown-member`: a member RFC 8460 does not define, ignored
    /// (G17; reported in strict mode too).
    UnknownMember,
}

names!(DeviationKind, pub fn code(by_value) {
    DatetimeNoOffset => "report-datetime-no-offset",
    ContactMissing => "report-contact-missing",
    UnknownPolicyType => "report-unknown-policy-type",
    PolicyDomainMissing => "report-policy-domain-missing",
    MxHostString => "report-mx-host-string",
    CountMissing => "report-count-missing",
    CountString => "report-count-string",
    FailureFieldMissing => "report-failure-field-missing",
    UnknownMember => "report-unknown-member",
});

impl DeviationKind {
    /// What was read and how, in a few words.
    #[must_use]
    pub const fn description(self) -> &'static str {
        match self {
            DeviationKind::DatetimeNoOffset => "a date-time without a UTC offset, read as UTC",
            DeviationKind::ContactMissing => "no contact-info",
            DeviationKind::UnknownPolicyType => "a policy-type RFC 8460 does not define, kept",
            DeviationKind::PolicyDomainMissing => "a no-policy-found entry without policy-domain",
            DeviationKind::MxHostString => "mx-host as a string, read as a one-element array",
            DeviationKind::CountMissing => "a summary count missing, read as 0",
            DeviationKind::CountString => "a count written as a string, read as a number",
            DeviationKind::FailureFieldMissing => "a failure detail member missing or empty",
            DeviationKind::UnknownMember => "a member RFC 8460 does not define, ignored",
        }
    }
}

/// One deviation and the JSON path where it was found.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use mta_sts::tlsrpt::{DeviationKind, Report};
/// use mta_sts::ParseOptions;
///
/// let json = br#"{"organization-name": "Company-X",
///   "date-range": {"start-datetime": "2016-04-01T00:00:00Z", "end-datetime": "2016-04-01T23:59:59Z"},
///   "contact-info": "sts-reporting@company-x.example", "report-id": "5065427c",
///   "policies": [{"policy": {"policy-type": "sts", "policy-domain": "company-y.example",
///                            "mx-host": "*.mail.company-y.example"},
///                 "summary": {"total-successful-session-count": 5326,
///                             "total-failure-session-count": 0}}]}"#;
/// let read = Report::from_json(json, &ParseOptions::lenient()).unwrap();
/// let deviation = &read.deviations()[0];
/// assert_eq!(deviation.kind(), DeviationKind::MxHostString);
/// assert_eq!(deviation.path(), "policies[0].policy.mx-host");
/// assert_eq!(
///     deviation.to_string(),
///     "policies[0].policy.mx-host: mx-host as a string, read as a one-element array \
///      (report-mx-host-string)"
/// );
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Deviation {
    kind: DeviationKind,
    path: String,
}

impl Deviation {
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn new(kind: DeviationKind, path: String) -> Deviation {
        Deviation { kind, path }
    }

    /// Which tolerance.
    #[must_use]
    pub fn kind(&self) -> DeviationKind {
        self.kind
    }

    /// The stable code, same as `self.kind().code()`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The JSON path of the member concerned, such as
    /// `policies[0].failure-details[1].sending-mta-ip`.
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} ({})",
            self.path,
            self.kind.description(),
            self.kind.code()
        )
    }
}
