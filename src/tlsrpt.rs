//! SMTP TLS Reporting (RFC 8460): `_smtp._tls` TXT records and the
//! `policy-string` form of a policy for reports.
//!
//! A domain that publishes an MTA-STS policy in `testing` mode learns about
//! failures only through TLS-RPT: senders send reports to the `rua` URIs of
//! its `_smtp._tls` record. [`TlsRptRecord`] parses that record with the
//! same guarantees as the STS parsers: errors with a stable code, the column
//! and the quoted text, a [`Display`](fmt::Display) that parses back to an
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

use std::fmt;
use std::str::FromStr;

use std::collections::HashSet;

use crate::taglist::{Head, TagList};
use crate::{Error, ErrorKind, Policy};

mod aggregate;
mod datetime;
mod delivery;
mod report;
mod uri;

pub use aggregate::{Aggregator, Session};
pub use datetime::DateTime;
pub use delivery::{
    Compression, DeliveryTarget, TLS_REPORT_DOMAIN, TLS_REPORT_SUBMITTER, report_file_name,
};
#[cfg(feature = "serde")]
pub use report::ParsedReport;
pub use report::{
    DateRange, Deviation, DeviationKind, FailureDetail, FailureType, MAX_COUNT, PolicyReport,
    PolicyType, Report, ReportError, UnknownName,
};
use uri::rua_list;
pub use uri::{ReportUri, UriScheme};

/// The literal version field every TLS-RPT record starts with.
const VERSION: &str = "v=TLSRPTv1";

/// A parsed `_smtp._tls` TXT record (RFC 8460 §3).
///
/// The grammar is RFC 8460's ABNF: `v=TLSRPTv1` first (case-sensitive),
/// then `;`-separated fields with optional spaces or tabs around each `;`,
/// one of which must be `rua=` with one or more comma-separated `mailto:`
/// or `https:` URIs; other `name=value` fields are extensions, kept in
/// order. As for STS records, a repeated field is ignored (the first one
/// wins) and not validated.
///
/// Errors (each with the 1-based column in the record text, and no line):
/// `not-tlsrpt` (does not start with `v=TLSRPTv1` followed by `;`, a space
/// or the end), `missing-rua`, `invalid-rua` (an empty URI, a scheme other
/// than `mailto` or `https`, a character a URI may not hold, or an
/// unencoded `,` or `!`), and `syntax` for anything else (an empty field,
/// a field that is not `name=value`, an invalid extension value, spaces
/// after the last field with no `;`, non-ASCII text).
///
/// ```
/// use mta_sts::tlsrpt::TlsRptRecord;
///
/// let record: TlsRptRecord = "v=TLSRPTv1;rua=mailto:reports@example.com".parse()?;
/// assert_eq!(record.rua()[0].as_str(), "mailto:reports@example.com");
///
/// let err = TlsRptRecord::parse("v=TLSRPTv1; rua=http://reports.example.com/").unwrap_err();
/// assert_eq!((err.code(), err.column()), ("invalid-rua", Some(17)));
/// assert_eq!(
///     err.to_string(),
///     "invalid TLS-RPT record \"v=TLSRPTv1; rua=http://reports.example.com/\" at column 17: \
///      the rua URI \"http://reports.example.com/\" has the scheme \"http\": \
///      only mailto: and https: are supported (RFC 8460 §3)"
/// );
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsRptRecord {
    rua: Vec<ReportUri>,
    extensions: Vec<(String, String)>,
}

impl TlsRptRecord {
    /// Parses one record's text (its character-strings joined with no
    /// separator, RFC 8460 §3).
    ///
    /// # Errors
    ///
    /// `not-tlsrpt`, `missing-rua`, `invalid-rua` or `syntax`, with the column
    /// in the record.
    pub fn parse(text: &str) -> Result<TlsRptRecord, Error> {
        record(text)
    }

    /// Selects and parses the one TLS-RPT record of a `_smtp._tls` TXT
    /// `RRset` (RFC 8460 §3).
    ///
    /// Each item is one TXT record's text, its strings joined. Records that
    /// do not begin with exactly `v=TLSRPTv1;` are discarded; none left is
    /// `no-record`, more than one is `multiple-records` (even if only one
    /// would parse), and a sender then assumes the domain does not
    /// implement TLS-RPT. Exactly one is parsed; its error is the result.
    ///
    /// ```
    /// use mta_sts::tlsrpt::TlsRptRecord;
    ///
    /// let err = TlsRptRecord::from_rrset(["v=TLSRPTv1 ; rua=mailto:a@example.com"]).unwrap_err();
    /// assert_eq!(err.code(), "no-record");
    /// let err = TlsRptRecord::from_rrset([
    ///     "v=TLSRPTv1; rua=mailto:a@example.com",
    ///     "v=TLSRPTv1; rua=mailto:b@example.com",
    /// ])
    /// .unwrap_err();
    /// assert_eq!(err.code(), "multiple-records");
    /// ```
    ///
    /// # Errors
    ///
    /// `no-record` or `multiple-records`, or the selected record's error.
    pub fn from_rrset<I, S>(records: I) -> Result<TlsRptRecord, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let prefix = "v=TLSRPTv1;";
        let record = crate::rrset::select(records, prefix, |text| text.starts_with(prefix))?;
        TlsRptRecord::parse(record.as_ref())
    }

    /// The report URIs of the `rua` field, in order (at least one).
    #[must_use]
    pub fn rua(&self) -> &[ReportUri] {
        &self.rua
    }

    /// Extension fields (`name=value`) in order, first occurrence of each
    /// name only.
    ///
    /// ```
    /// let record = mta_sts::tlsrpt::TlsRptRecord::parse("v=TLSRPTv1; rua=mailto:a@example.com; x-note=hi")?;
    /// assert_eq!(record.extensions().collect::<Vec<_>>(), [("x-note", "hi")]);
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    #[must_use]
    pub fn extensions(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.extensions
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }
}

impl FromStr for TlsRptRecord {
    type Err = Error;

    /// Same as [`TlsRptRecord::parse`].
    fn from_str(s: &str) -> Result<TlsRptRecord, Error> {
        TlsRptRecord::parse(s)
    }
}

impl fmt::Display for TlsRptRecord {
    /// Writes `v=TLSRPTv1; rua=URI,URI;` followed by ` name=value;` per
    /// extension. It parses back to an equal record.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{VERSION}; rua=")?;
        for (i, uri) in self.rua.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(uri.as_str())?;
        }
        f.write_str(";")?;
        for (name, value) in &self.extensions {
            write!(f, " {name}={value};")?;
        }
        Ok(())
    }
}

/// Parses one record (RFC 8460 §3) with the shared tag-list grammar;
/// only the `rua` rules are this module's.
fn record(text: &str) -> Result<TlsRptRecord, Error> {
    let list = TagList::new(text, "TLS-RPT record");
    let mut at = match list.head(VERSION)? {
        Head::NotVersion => {
            return Err(list.error(
                ErrorKind::NotTlsRpt,
                0,
                "a TLS-RPT record starts with exactly \"v=TLSRPTv1;\" (case-sensitive)",
            ));
        }
        Head::NoFields { .. } => return Err(missing_rua(&list)),
        Head::Fields { at, .. } => at,
    };
    let mut rua: Option<Vec<ReportUri>> = None;
    let mut extensions: Vec<(String, String)> = Vec::new();
    let mut extension_names: Option<HashSet<&str>> = None;
    while let Some(tag) = list.next_tag(&mut at)? {
        let repeat = match tag.name {
            "v" => true,
            "rua" => rua.is_some(),
            name => extension_names
                .as_ref()
                .is_some_and(|names| names.contains(name)),
        };
        if repeat {
            // First wins; a repeat is ignored without being validated.
        } else if tag.name == "rua" {
            rua = Some(rua_list(&list, tag.value, tag.value_start)?);
        } else {
            list.check_extension_value(&tag)?;
            extension_names.get_or_insert_default().insert(tag.name);
            extensions.push((tag.name.to_owned(), tag.value.to_owned()));
        }
        if let Some(space) = tag.trailing_space {
            return Err(list.trailing_space_error(space));
        }
    }
    let Some(rua) = rua else {
        return Err(missing_rua(&list));
    };
    Ok(TlsRptRecord { rua, extensions })
}

fn missing_rua(list: &TagList<'_>) -> Error {
    list.error(
        ErrorKind::MissingRua,
        0,
        "the record has no \"rua=\" field: reports would go nowhere",
    )
}

impl Policy {
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

/// The `policy-string` of a policy text as served, for reporting a policy
/// that did not parse (`sts-policy-invalid`; RFC 8460 §4.5 includes "any
/// errors that may be present"): its lines without their CRLF or LF ends,
/// a final empty line dropped.
///
/// ```
/// let strings = mta_sts::tlsrpt::policy_strings_from_text("version: STSv1\r\nmode: enforced\r\n");
/// assert_eq!(strings, ["version: STSv1", "mode: enforced"]);
/// ```
pub fn policy_strings_from_text(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

/// RRsets as resolvers return them.
impl TlsRptRecord {
    /// Selects and parses the one TLS-RPT record of a `_smtp._tls` TXT
    /// RRset given as resolvers return it: per record, its
    /// character-strings as bytes (hickory-resolver's `TXT::txt_data()`),
    /// joined with no separator (RFC 8460 §3). A record that is not UTF-8
    /// is selected or discarded by how it begins, like any other; the
    /// selected record must be UTF-8 as a whole.
    ///
    /// # Errors
    ///
    /// As [`TlsRptRecord::from_rrset`]: `no-record`, `multiple-records`,
    /// or the selected record's parse error; and `syntax`, with the column
    /// of the first offending byte, when the selected record is not UTF-8.
    ///
    /// ```
    /// use mta_sts::tlsrpt::TlsRptRecord;
    ///
    /// let rrset = [vec![&b"v=TLSRPTv1; "[..], &b"rua=mailto:tlsrpt@example.com"[..]]];
    /// let record = TlsRptRecord::from_rrset_bytes(rrset)?;
    /// assert_eq!(record.rua()[0].as_str(), "mailto:tlsrpt@example.com");
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    pub fn from_rrset_bytes<I, R, B>(records: I) -> Result<TlsRptRecord, Error>
    where
        I: IntoIterator<Item = R>,
        R: IntoIterator<Item = B>,
        B: AsRef<[u8]>,
    {
        let prefix = "v=TLSRPTv1;";
        let record = crate::rrset::select_bytes(records, prefix, |text| text.starts_with(prefix))?;
        TlsRptRecord::parse(&record)
    }
}
