//! SMTP TLS Reporting (RFC 8460): `_smtp._tls` TXT records and the
//! `policy-string` form of a policy for reports.
//!
//! A domain that publishes an MTA-STS policy in `testing` mode learns about
//! failures only through TLS-RPT: senders send reports to the `rua` URIs of
//! its `_smtp._tls` record. [`TlsRptRecord`] parses that record with the
//! same guarantees as the STS parsers: errors with a stable code, the column
//! and the quoted text, a [`Display`](std::fmt::Display) that parses back to an
//! equal record, and no panic on any input. With the `serde` feature,
//! [`TlsRptRecord`] and [`ReportUri`] serialise as their text and
//! deserialise through `FromStr`.
//!
//! ```
//! use mta_sts::tlsrpt::{TlsRptRecord, UriScheme};
//!
//! let record = TlsRptRecord::from_rrset([
//!     "v=spf1 -all",
//!     "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reports.example.com/v1",
//! ])?;
//! let schemes: Vec<_> = record.rua().iter().map(|uri| uri.scheme()).collect();
//! assert_eq!(schemes, [UriScheme::Mailto, UriScheme::Https]);
//! assert_eq!(
//!     record.to_string(),
//!     "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reports.example.com/v1;"
//! );
//! # Ok::<(), mta_sts::Error>(())
//! ```
//!
//! # Aggregate reports
//!
//! [`Report`] is the RFC 8460 §4 report, for both sides. Senders sum their
//! delivery attempts with an [`Aggregator`] into one report per Policy
//! Domain, and get its file name, media type and mail header fields
//! ([`Report::file_name`], [`Compression`], [`Report::header_fields`]) and
//! the `rua` targets of the domain's record
//! ([`TlsRptRecord::delivery_targets`]). Receivers read reports with
//! `Report::from_json` (feature `serde`), strictly or leniently: lenient
//! reading accepts what real senders write (the RFC's own example has
//! `mx-host` as a string; Mail.ru leaves out the failure details' addresses)
//! and reports each tolerance as a [`Deviation`]; errors name the JSON path.
//! `Report::to_json` writes what strict reading reads back equal. Times are
//! [`DateTime`]s, read and written as RFC 3339 without a clock.
//!
//! ```
//! use mta_sts::sender::{PolicyDomain, ResultType};
//! use mta_sts::tlsrpt::{Aggregator, Compression, DateRange, Session};
//!
//! let domain = PolicyDomain::new("example.com")?;
//! let mut aggregator = Aggregator::new();
//! aggregator.success(None, &domain);
//! let session = Session::new("192.0.2.1".parse().unwrap(), "mx.example.com", "198.51.100.1".parse().unwrap());
//! aggregator.failure(None, &domain, ResultType::StartTlsNotSupported, &session);
//!
//! let range = DateRange::utc_day(1_717_200_000).unwrap();
//! let report = aggregator.report(&domain, "Sender", "tlsrpt@sender.example", "42", range).unwrap();
//! assert_eq!(
//!     report.file_name(None, Compression::Gzip).as_deref(),
//!     Some("sender.example!example.com!1717200000!1717286399.json.gz")
//! );
//! assert_eq!(Compression::Gzip.media_type(), "application/tlsrpt+gzip");
//! # Ok::<(), mta_sts::Error>(())
//! ```

mod aggregate;
mod datetime;
mod delivery;
mod record;
mod report;
mod result_type;
mod uri;

pub use aggregate::{Aggregator, Session};
pub use datetime::DateTime;
pub use delivery::{
    Compression, DeliveryTarget, TLS_REPORT_DOMAIN, TLS_REPORT_SUBMITTER, report_file_name,
};
pub use record::TlsRptRecord;
#[cfg(feature = "serde")]
pub use report::ParsedReport;
pub use report::{
    DateRange, Deviation, DeviationKind, FailureDetail, FailureType, MAX_COUNT, PolicyReport,
    PolicyType, Report, ReportError, UnknownName, policy_strings_from_text,
};
pub use result_type::ResultType;
pub use uri::{ReportUri, UriScheme};
