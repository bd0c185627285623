//! The TLS-RPT aggregate report (RFC 8460 §4): [`Report`] and its parts.
//!
//! Reading and writing JSON live in `report/parse.rs` and
//! `report/write.rs` (feature `serde`); errors and deviations in
//! `report/error.rs`.

use std::fmt;
use std::net::IpAddr;

use super::DateTime;
use crate::sender::{PolicyDomain, ResultType};
use crate::Policy;

mod error;
#[cfg(feature = "serde")]
mod json;
#[cfg(feature = "serde")]
mod parse;
#[cfg(feature = "serde")]
mod write;

#[cfg(feature = "serde")]
pub(crate) use error::{quote, ReportErrorKind};
pub use error::{Deviation, DeviationKind, ReportError};
#[cfg(feature = "serde")]
pub use parse::ParsedReport;

/// The largest count a report holds: 2^53, the largest integer every JSON
/// reader represents exactly (I-JSON, RFC 7493 §2.2; SEMANTICS G12).
/// Constructors and the aggregator clamp larger counts to it.
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
    pub fn organization_name(&self) -> &str {
        &self.organization_name
    }

    /// `date-range`: the time the report covers.
    pub fn date_range(&self) -> &DateRange {
        &self.date_range
    }

    /// `contact-info`: an address for questions about the report; `None`
    /// only when lenient reading found none (SEMANTICS G6).
    pub fn contact_info(&self) -> Option<&str> {
        self.contact_info.as_deref()
    }

    /// `report-id`: the sender's unique identifier for the report.
    pub fn report_id(&self) -> &str {
        &self.report_id
    }

    /// `policies`: one entry per policy applied, in order.
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
    pub fn new(start: DateTime, end: DateTime) -> Option<DateRange> {
        (start <= end).then_some(DateRange { start, end })
    }

    /// The UTC day that holds the instant `unix_seconds`, from `00:00:00Z`
    /// to `23:59:59Z` (the form most senders use, SEMANTICS G5); `None`
    /// outside the years 0000 to 9999.
    pub fn utc_day(unix_seconds: i64) -> Option<DateRange> {
        let start = DateTime::from_unix(unix_seconds)?.start_of_day();
        let end = DateTime::from_unix(start.unix_seconds() + 86_399)?;
        Some(DateRange { start, end })
    }

    /// `start-datetime`.
    pub fn start(&self) -> DateTime {
        self.start
    }

    /// `end-datetime`.
    pub fn end(&self) -> DateTime {
        self.end
    }
}

/// One `policies` entry: the policy applied, its session counts and its
/// failure details (RFC 8460 §4.4).
///
/// ```
/// use mta_sts::tlsrpt::{PolicyReport, PolicyType};
/// use mta_sts::sender::PolicyDomain;
/// use mta_sts::Policy;
///
/// let policy = Policy::parse("version: STSv1\nmode: testing\nmx: *.mail.example.com\nmax_age: 86400\n")?;
/// let entry = PolicyReport::sts(&policy, &PolicyDomain::new("example.com")?);
/// assert_eq!(entry.policy_type(), &PolicyType::Sts);
/// assert_eq!(entry.policy_domain(), Some("example.com"));
/// assert_eq!(entry.mx_hosts(), ["*.mail.example.com"]);
/// assert_eq!(entry.policy_strings()[1], "mode: testing");
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyReport {
    pub(crate) policy_type: PolicyType,
    pub(crate) policy_strings: Vec<String>,
    pub(crate) policy_domain: Option<String>,
    pub(crate) mx_hosts: Vec<String>,
    pub(crate) successful: u64,
    pub(crate) failed: u64,
    pub(crate) failure_details: Vec<FailureDetail>,
}

impl PolicyReport {
    /// An entry with no policy strings, no MX hosts, zero counts and no
    /// failure details.
    pub fn new(policy_type: PolicyType, policy_domain: impl Into<String>) -> PolicyReport {
        PolicyReport {
            policy_type,
            policy_strings: Vec::new(),
            policy_domain: Some(policy_domain.into()),
            mx_hosts: Vec::new(),
            successful: 0,
            failed: 0,
            failure_details: Vec::new(),
        }
    }

    /// The entry for an MTA-STS policy: type `sts`, the policy's
    /// [`policy_strings`](Policy::policy_strings) and its `mx` patterns as
    /// `mx-host`.
    pub fn sts(policy: &Policy, domain: &PolicyDomain) -> PolicyReport {
        PolicyReport {
            policy_strings: policy.policy_strings(),
            mx_hosts: policy.mx().iter().map(ToString::to_string).collect(),
            ..PolicyReport::new(PolicyType::Sts, domain.as_str())
        }
    }

    /// Sets `policy-string`.
    pub fn with_policy_strings(self, policy_strings: Vec<String>) -> PolicyReport {
        PolicyReport {
            policy_strings,
            ..self
        }
    }

    /// Sets `mx-host`.
    pub fn with_mx_hosts(self, mx_hosts: Vec<String>) -> PolicyReport {
        PolicyReport { mx_hosts, ..self }
    }

    /// Sets the `summary` counts (each clamped to [`MAX_COUNT`]).
    pub fn with_counts(self, successful: u64, failed: u64) -> PolicyReport {
        PolicyReport {
            successful: successful.min(MAX_COUNT),
            failed: failed.min(MAX_COUNT),
            ..self
        }
    }

    /// Sets `failure-details`.
    pub fn with_failure_details(self, failure_details: Vec<FailureDetail>) -> PolicyReport {
        PolicyReport {
            failure_details,
            ..self
        }
    }

    /// `policy-type`.
    pub fn policy_type(&self) -> &PolicyType {
        &self.policy_type
    }

    /// `policy-string`: the policy as applied, one string per line for
    /// `sts`, one per TLSA record for `tlsa` (RFC 8460 §4.5); empty when
    /// the report gave none (SEMANTICS G9).
    pub fn policy_strings(&self) -> &[String] {
        &self.policy_strings
    }

    /// `policy-domain`; `None` only for a `no-policy-found` entry read
    /// leniently without one (SEMANTICS G8).
    pub fn policy_domain(&self) -> Option<&str> {
        self.policy_domain.as_deref()
    }

    /// `mx-host`: the policy's MX host patterns (empty when none given).
    pub fn mx_hosts(&self) -> &[String] {
        &self.mx_hosts
    }

    /// `total-successful-session-count`.
    pub fn successful_session_count(&self) -> u64 {
        self.successful
    }

    /// `total-failure-session-count`. The failure details' counts may add
    /// up to more: one session can fail in several ways (RFC 8460 §4,
    /// SEMANTICS G18).
    pub fn failure_session_count(&self) -> u64 {
        self.failed
    }

    /// `failure-details`, in order (empty when there are none).
    pub fn failure_details(&self) -> &[FailureDetail] {
        &self.failure_details
    }
}

/// A name a report gave that the crate does not know, kept as written: an
/// unknown `policy-type` (lenient reading) or `result-type` (the registry
/// grows, SEMANTICS G15). Never one of the names the crate knows.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownName(Box<str>);

impl UnknownName {
    /// The name as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `policy-type` (RFC 8460 §4.4).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum PolicyType {
    /// `sts`: an MTA-STS policy.
    Sts,
    /// `tlsa`: a DANE TLSA RRset.
    Tlsa,
    /// `no-policy-found`: neither.
    NoPolicyFound,
    /// Any other name, as written (lenient reading only, SEMANTICS G7).
    Unknown(UnknownName),
}

impl PolicyType {
    /// The policy type a report names: one of the three RFC 8460 names, or
    /// [`PolicyType::Unknown`].
    pub fn from_name(name: &str) -> PolicyType {
        match name {
            "sts" => PolicyType::Sts,
            "tlsa" => PolicyType::Tlsa,
            "no-policy-found" => PolicyType::NoPolicyFound,
            _ => PolicyType::Unknown(UnknownName(name.into())),
        }
    }

    /// The name as written in a report.
    pub fn as_str(&self) -> &str {
        match self {
            PolicyType::Sts => "sts",
            PolicyType::Tlsa => "tlsa",
            PolicyType::NoPolicyFound => "no-policy-found",
            PolicyType::Unknown(name) => name.as_str(),
        }
    }
}

impl fmt::Display for PolicyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `result-type` of a failure detail: an RFC 8460 §4.3
/// [`ResultType`], or a name the crate does not know, kept as written (the
/// IANA registry is extensible, SEMANTICS G15).
///
/// ```
/// use mta_sts::sender::ResultType;
/// use mta_sts::tlsrpt::FailureType;
///
/// assert_eq!(FailureType::from_name("certificate-expired"), FailureType::Known(ResultType::CertificateExpired));
/// let other = FailureType::from_name("tls-version-too-old");
/// assert_eq!((other.known(), other.as_str()), (None, "tls-version-too-old"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FailureType {
    /// A registered result type.
    Known(ResultType),
    /// Any other name, as written.
    Unknown(UnknownName),
}

impl FailureType {
    /// The result type a report names.
    pub fn from_name(name: &str) -> FailureType {
        match name.parse() {
            Ok(known) => FailureType::Known(known),
            Err(_) => FailureType::Unknown(UnknownName(name.into())),
        }
    }

    /// The registered result type, if it is one.
    pub fn known(&self) -> Option<ResultType> {
        match self {
            FailureType::Known(known) => Some(*known),
            FailureType::Unknown(_) => None,
        }
    }

    /// The name as written in a report.
    pub fn as_str(&self) -> &str {
        match self {
            FailureType::Known(known) => known.as_str(),
            FailureType::Unknown(name) => name.as_str(),
        }
    }
}

impl From<ResultType> for FailureType {
    fn from(known: ResultType) -> FailureType {
        FailureType::Known(known)
    }
}

impl fmt::Display for FailureType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One `failure-details` entry (RFC 8460 §4.4): sessions that failed the
/// same way, from the same sending MTA to the same receiving MX.
///
/// IP addresses and host names are kept as the report wrote them;
/// [`FailureDetail::new`] writes addresses in their canonical form.
///
/// ```
/// use mta_sts::sender::ResultType;
/// use mta_sts::tlsrpt::FailureDetail;
///
/// let detail = FailureDetail::new(
///     ResultType::StartTlsNotSupported,
///     "2001:db8:abcd:13::1".parse().unwrap(),
///     "mx2.mail.company-y.example",
///     "203.0.113.56".parse().unwrap(),
///     200,
/// )
/// .with_failure_reason_code("no STARTTLS in EHLO");
/// assert_eq!(detail.result_type().as_str(), "starttls-not-supported");
/// assert_eq!(detail.receiving_ip(), Some("203.0.113.56"));
/// assert_eq!(detail.failed_session_count(), 200);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailureDetail {
    pub(crate) result_type: FailureType,
    pub(crate) sending_mta_ip: Option<String>,
    pub(crate) receiving_mx_hostname: Option<String>,
    pub(crate) receiving_mx_helo: Option<String>,
    pub(crate) receiving_ip: Option<String>,
    pub(crate) failed_session_count: u64,
    pub(crate) additional_information: Option<String>,
    pub(crate) failure_reason_code: Option<String>,
}

impl FailureDetail {
    /// A failure detail with its required members (the count clamped to
    /// [`MAX_COUNT`]).
    pub fn new(
        result_type: impl Into<FailureType>,
        sending_mta_ip: IpAddr,
        receiving_mx_hostname: impl Into<String>,
        receiving_ip: IpAddr,
        failed_session_count: u64,
    ) -> FailureDetail {
        FailureDetail {
            result_type: result_type.into(),
            sending_mta_ip: Some(sending_mta_ip.to_string()),
            receiving_mx_hostname: Some(receiving_mx_hostname.into()),
            receiving_mx_helo: None,
            receiving_ip: Some(receiving_ip.to_string()),
            failed_session_count: failed_session_count.min(MAX_COUNT),
            additional_information: None,
            failure_reason_code: None,
        }
    }

    /// Sets `receiving-mx-helo`.
    pub fn with_receiving_mx_helo(self, helo: impl Into<String>) -> FailureDetail {
        FailureDetail {
            receiving_mx_helo: Some(helo.into()),
            ..self
        }
    }

    /// Sets `additional-information` (a URI).
    pub fn with_additional_information(self, uri: impl Into<String>) -> FailureDetail {
        FailureDetail {
            additional_information: Some(uri.into()),
            ..self
        }
    }

    /// Sets `failure-reason-code`.
    pub fn with_failure_reason_code(self, code: impl Into<String>) -> FailureDetail {
        FailureDetail {
            failure_reason_code: Some(code.into()),
            ..self
        }
    }

    /// `result-type`.
    pub fn result_type(&self) -> &FailureType {
        &self.result_type
    }

    /// `sending-mta-ip`; `None` only when lenient reading found it missing
    /// or empty (SEMANTICS G14), as for the next two.
    pub fn sending_mta_ip(&self) -> Option<&str> {
        self.sending_mta_ip.as_deref()
    }

    /// `receiving-mx-hostname`.
    pub fn receiving_mx_hostname(&self) -> Option<&str> {
        self.receiving_mx_hostname.as_deref()
    }

    /// `receiving-mx-helo` (optional).
    pub fn receiving_mx_helo(&self) -> Option<&str> {
        self.receiving_mx_helo.as_deref()
    }

    /// `receiving-ip`.
    pub fn receiving_ip(&self) -> Option<&str> {
        self.receiving_ip.as_deref()
    }

    /// `failed-session-count`.
    pub fn failed_session_count(&self) -> u64 {
        self.failed_session_count
    }

    /// `additional-information` (optional; also read from the prose's name
    /// `additional-info-uri`, SEMANTICS G16).
    pub fn additional_information(&self) -> Option<&str> {
        self.additional_information.as_deref()
    }

    /// `failure-reason-code` (optional).
    pub fn failure_reason_code(&self) -> Option<&str> {
        self.failure_reason_code.as_deref()
    }
}
