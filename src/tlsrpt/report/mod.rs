//! The TLS-RPT aggregate report (RFC 8460 §4): [`Report`] and its parts.
//!
//! The entries live in `report/policy.rs` and `report/failure.rs`; reading
//! and writing JSON in `report/parse/` and `report/write.rs` (feature
//! `serde`), with the member names of `report/members.rs`; errors and
//! deviations in `report/error.rs`.

use super::DateTime;

mod error;
mod failure;
#[cfg(feature = "serde")]
mod json;
#[cfg(feature = "serde")]
mod members;
#[cfg(feature = "serde")]
mod parse;
mod policy;
#[cfg(feature = "serde")]
mod write;

pub use error::{Deviation, DeviationKind, ReportError};
#[cfg(feature = "serde")]
pub(crate) use error::{Problem, quote};
pub use failure::{FailureDetail, FailureType};
#[cfg(feature = "serde")]
pub use parse::ParsedReport;
pub use policy::{PolicyReport, PolicyType, UnknownName, policy_strings_from_text};

/// The largest count a report may hold: 2^53 (SEMANTICS G12; I-JSON,
/// RFC 7493 §2.2, keeps integers near this bound so that every JSON reader
/// represents them exactly). Constructors and the aggregator clamp larger
/// counts to it.
pub const MAX_COUNT: u64 = 1 << 53;

/// One TLS-RPT aggregate report (RFC 8460 §4.4): who reports, for which
/// time range, and one [`PolicyReport`] per policy applied.
///
/// Build one with [`Report::new`] or the [`Aggregator`](super::Aggregator);
/// read one with `Report::from_json` and write it with `Report::to_json`
/// (feature `serde`). What strict reading accepts, writing reproduces:
/// `Report::from_json(report.to_json())` gives back an equal report.
///
/// ```
/// use mta_sts::tlsrpt::{DateRange, PolicyReport, PolicyType, Report};
///
/// let range = DateRange::utc_day(1_459_468_800).unwrap();
/// let entry = PolicyReport::new(PolicyType::NoPolicyFound, "company-y.example").with_counts(12, 0);
/// let report = Report::new("Company-X", range, "sts-reporting@company-x.example", "5065427c", vec![entry]);
/// assert_eq!(report.date_range().start().to_string(), "2016-04-01T00:00:00Z");
/// assert_eq!(report.date_range().end().to_string(), "2016-04-01T23:59:59Z");
/// assert_eq!(report.policies()[0].successful_session_count(), 12);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub(crate) organization_name: String,
    pub(crate) date_range: DateRange,
    pub(crate) contact_info: Option<String>,
    pub(crate) report_id: String,
    pub(crate) policies: Vec<PolicyReport>,
}

impl Report {
    /// A report from its parts. A report needs at least one policy entry
    /// to be valid: with none, the JSON written has `"policies": []`,
    /// which reading refuses.
    pub fn new(
        organization_name: impl Into<String>,
        date_range: DateRange,
        contact_info: impl Into<String>,
        report_id: impl Into<String>,
        policies: Vec<PolicyReport>,
    ) -> Report {
        Report {
            organization_name: organization_name.into(),
            date_range,
            contact_info: Some(contact_info.into()),
            report_id: report_id.into(),
            policies,
        }
    }

    /// `organization-name`: who sends the report.
    #[must_use]
    pub fn organization_name(&self) -> &str {
        &self.organization_name
    }

    /// `date-range`: the time the report covers.
    #[must_use]
    pub fn date_range(&self) -> &DateRange {
        &self.date_range
    }

    /// `contact-info`: an address for questions about the report; `None`
    /// only when lenient reading found none (SEMANTICS G6).
    #[must_use]
    pub fn contact_info(&self) -> Option<&str> {
        self.contact_info.as_deref()
    }

    /// `report-id`: the sender's unique identifier for the report.
    #[must_use]
    pub fn report_id(&self) -> &str {
        &self.report_id
    }

    /// `policies`: one entry per policy applied, in order.
    #[must_use]
    pub fn policies(&self) -> &[PolicyReport] {
        &self.policies
    }
}

/// `date-range`: the start and end of the time a report covers (RFC 8460
/// §4.1: a full UTC day is recommended). The end is never before the start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DateRange {
    start: DateTime,
    end: DateTime,
}

impl DateRange {
    /// The range from `start` to `end`; `None` if `end` is before `start`.
    #[must_use]
    pub fn new(start: DateTime, end: DateTime) -> Option<DateRange> {
        (start <= end).then_some(DateRange { start, end })
    }

    /// The UTC day that holds the instant `unix_seconds`, from `00:00:00Z`
    /// to `23:59:59Z` (the form most senders use, SEMANTICS G5); `None`
    /// outside the years 0000 to 9999.
    #[must_use]
    pub fn utc_day(unix_seconds: i64) -> Option<DateRange> {
        let start = DateTime::from_unix(unix_seconds)?.start_of_day();
        let end = DateTime::from_unix(start.unix_seconds() + 86_399)?;
        Some(DateRange { start, end })
    }

    /// `start-datetime`.
    #[must_use]
    pub fn start(&self) -> DateTime {
        self.start
    }

    /// `end-datetime`.
    #[must_use]
    pub fn end(&self) -> DateTime {
        self.end
    }
}
