//! Reading a report's JSON (feature `serde`), strictly or leniently, by
//! the project's SEMANTICS rules G1–G20.

use super::json::{Json, Path};
use super::members;

mod detail;
use super::{
    DateRange, Deviation, DeviationKind, PolicyReport, PolicyType, Problem, Report, ReportError,
};
use crate::ParseOptions;
use crate::pass::Pass;
use crate::tlsrpt::datetime;

/// A report as read, with every deviation reading applied or noticed, in
/// the order reading met them: the RFC's members of an object in the
/// schema's order (each nested object's deviations in its place), then the
/// object's unknown members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedReport {
    report: Report,
    deviations: Vec<Deviation>,
}

impl ParsedReport {
    /// The report.
    #[must_use]
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The deviations: in strict mode only `report-unknown-member`.
    #[must_use]
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }

    /// The report, dropping the deviations.
    #[must_use]
    pub fn into_report(self) -> Report {
        self.report
    }

    /// The report and the deviations.
    #[must_use]
    pub fn into_parts(self) -> (Report, Vec<Deviation>) {
        (self.report, self.deviations)
    }
}

impl Report {
    /// Reads a report's JSON (RFC 8460 §4.4) as bytes, strictly or
    /// leniently (SEMANTICS G1–G20), and returns it with the deviations
    /// applied. The options' size limit does not apply (it is for policy
    /// files): a report's size is the caller's to bound.
    ///
    /// Strict reads what RFC 8460 §4.4 describes, with erratum 6241
    /// (`mx-host` is an array); lenient also reads what real senders are
    /// known to write, and records each tolerance as a [`Deviation`]. Both
    /// ignore, and report, members the RFC does not define. Errors name
    /// the JSON path:
    ///
    /// ```
    /// use mta_sts::tlsrpt::Report;
    /// use mta_sts::ParseOptions;
    ///
    /// let json = br#"{"organization-name": "Mail.ru",
    ///   "date-range": {"start-datetime": "2024-02-22T00:00:00Z", "end-datetime": "2024-02-23T00:00:00Z"},
    ///   "contact-info": "tls_support@corp.mail.ru", "report-id": "b28254de",
    ///   "policies": [{"policy": {"policy-type": "sts", "policy-domain": "example.com"},
    ///                 "summary": {"total-successful-session-count": 0, "total-failure-session-count": "1"}}]}"#;
    /// let err = Report::from_json(json, &ParseOptions::strict()).unwrap_err();
    /// assert_eq!(err.code(), "report-invalid-count");
    /// assert_eq!(err.path(), "policies[0].summary.total-failure-session-count");
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid TLS-RPT report at policies[0].summary.total-failure-session-count: \
    ///      the count \"1\" is a string, not a JSON number"
    /// );
    ///
    /// let read = Report::from_json(json, &ParseOptions::lenient())?;
    /// assert_eq!(read.report().policies()[0].failure_session_count(), 1);
    /// assert_eq!(read.deviations()[0].code(), "report-count-string");
    /// # Ok::<(), mta_sts::tlsrpt::ReportError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`ReportError`] with its code and the JSON path of the offending
    /// member.
    pub fn from_json(input: &[u8], options: &ParseOptions) -> Result<ParsedReport, ReportError> {
        let root = Json::from_slice(input)?;
        read(&root, options)
    }
}

/// Reads a tree; `Deserialize for Report` uses it too.
pub(crate) fn read(root: &Json, options: &ParseOptions) -> Result<ParsedReport, ReportError> {
    root.check_duplicates(&Path::ROOT)?;
    let mut reader = Reader {
        pass: Pass::recording(options),
    };
    let report = reader.report(root)?;
    Ok(ParsedReport {
        report,
        deviations: reader.pass.into_sink().findings,
    })
}

/// The reader: a [`Pass`] that stops at the first error and records every
/// deviation, a tolerance (lenient only) or an unknown member (both modes).
struct Reader {
    pass: Pass<Deviation, ReportError>,
}

/// An object being read: its members and where it is.
struct Object<'j, 'p> {
    members: &'j [(String, Json)],
    path: &'p Path<'p>,
}

impl<'j> Object<'j, '_> {
    fn get(&self, name: &str) -> Option<&'j Json> {
        self.members
            .iter()
            .find(|(member, _)| member == name)
            .map(|(_, value)| value)
    }
}

/// The error `problem` at `path`.
fn error(path: &Path<'_>, problem: Problem) -> ReportError {
    ReportError::new(path.to_string(), problem)
}

/// A required member `name` of the object at `object` is missing; the
/// error's path names the member.
fn missing(object: &Path<'_>, name: &str, what: &'static str) -> ReportError {
    error(&object.key(name), Problem::MissingMember { what })
}

fn wrong_type(path: &Path<'_>, value: &Json, expected: &'static str) -> ReportError {
    let found = value.describe();
    error(path, Problem::WrongType { expected, found })
}

fn as_object<'j, 'p>(value: &'j Json, path: &'p Path<'p>) -> Result<Object<'j, 'p>, ReportError> {
    match value {
        Json::Object(members) => Ok(Object { members, path }),
        other => Err(wrong_type(path, other, "an object")),
    }
}

fn as_string<'j>(value: &'j Json, path: &Path<'_>) -> Result<&'j str, ReportError> {
    match value {
        Json::String(s) => Ok(s),
        other => Err(wrong_type(path, other, "a string")),
    }
}

fn as_strings(value: &Json, path: &Path<'_>) -> Result<Vec<String>, ReportError> {
    let Json::Array(items) = value else {
        return Err(wrong_type(path, value, "an array of strings"));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| as_string(item, &path.index(i)).map(str::to_owned))
        .collect()
}

impl Reader {
    /// A tolerance: lenient reading records the deviation `kind` at `path`
    /// and goes on; strict reading fails with `strict`.
    fn tolerate(
        &mut self,
        kind: DeviationKind,
        path: &Path<'_>,
        strict: impl FnOnce() -> ReportError,
    ) -> Result<(), ReportError> {
        self.pass
            .deviation(|| Deviation::new(kind, path.to_string()), strict)
    }

    /// Reports the members not in `known` (SEMANTICS G17).
    fn unknown_members(&mut self, object: &Object<'_, '_>, known: &[&str]) {
        for (name, _) in object.members {
            if !known.contains(&name.as_str()) {
                let path = object.path.key(name);
                self.pass
                    .note(|| Deviation::new(DeviationKind::UnknownMember, path.to_string()));
            }
        }
    }

    /// A required member, or the error naming it.
    fn required<'j>(
        object: &Object<'j, '_>,
        name: &str,
        what: &'static str,
    ) -> Result<&'j Json, ReportError> {
        object
            .get(name)
            .ok_or_else(|| missing(object.path, name, what))
    }

    fn report(&mut self, root: &Json) -> Result<Report, ReportError> {
        let root = as_object(root, &Path::ROOT)?;
        let path = root.path;
        let name = members::report::ORGANIZATION_NAME;
        let organization_name = as_string(
            Self::required(&root, name, "who sends the report")?,
            &path.key(name),
        )?;
        let date_range = self.date_range(&root)?;
        let name = members::report::CONTACT_INFO;
        let contact_info = match root.get(name) {
            Some(Json::String(contact)) => Some(contact.clone()),
            value @ (None | Some(Json::Null)) => {
                self.tolerate(
                    DeviationKind::ContactMissing,
                    &path.key(name),
                    || match value {
                        Some(null) => wrong_type(&path.key(name), null, "a string"),
                        None => missing(path, name, "an address for the report"),
                    },
                )?;
                None
            }
            Some(other) => return Err(wrong_type(&path.key(name), other, "a string")),
        };
        let name = members::report::REPORT_ID;
        let report_id = as_string(
            Self::required(&root, name, "its identifier")?,
            &path.key(name),
        )?;
        let name = members::report::POLICIES;
        let policies_path = path.key(name);
        let policies = match Self::required(&root, name, "one entry per policy applied")? {
            Json::Array(items) if items.is_empty() => {
                return Err(error(&policies_path, Problem::NoPolicies));
            }
            Json::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| self.policy_entry(item, &policies_path.index(i)))
                .collect::<Result<Vec<_>, _>>()?,
            other => return Err(wrong_type(&policies_path, other, "an array")),
        };
        self.unknown_members(&root, members::report::ALL);
        Ok(Report {
            organization_name: organization_name.to_owned(),
            date_range,
            contact_info,
            report_id: report_id.to_owned(),
            policies,
        })
    }

    fn date_range(&mut self, root: &Object<'_, '_>) -> Result<DateRange, ReportError> {
        let name = members::report::DATE_RANGE;
        let path = root.path.key(name);
        let range = as_object(
            Self::required(root, name, "the time the report covers")?,
            &path,
        )?;
        let start = self.datetime(&range, members::date_range::START)?;
        let end = self.datetime(&range, members::date_range::END)?;
        self.unknown_members(&range, members::date_range::ALL);
        DateRange::new(start, end).ok_or_else(|| error(&path, Problem::DateRange { start, end }))
    }

    fn datetime(
        &mut self,
        range: &Object<'_, '_>,
        name: &str,
    ) -> Result<super::DateTime, ReportError> {
        let path = range.path.key(name);
        let text = as_string(Self::required(range, name, "an RFC 3339 date-time")?, &path)?;
        match datetime::parse(text) {
            Ok((time, true)) => Ok(time),
            Ok((time, false)) => {
                self.tolerate(DeviationKind::DatetimeNoOffset, &path, || {
                    ReportError::datetime(&path.to_string(), text, datetime::NO_OFFSET)
                })?;
                Ok(time)
            }
            Err(why) => Err(ReportError::datetime(&path.to_string(), text, &why)),
        }
    }

    fn policy_entry(&mut self, value: &Json, path: &Path<'_>) -> Result<PolicyReport, ReportError> {
        let entry = as_object(value, path)?;
        let name = members::entry::POLICY;
        let policy_path = path.key(name);
        let policy = as_object(
            Self::required(&entry, name, "the policy applied")?,
            &policy_path,
        )?;
        let mut report = self.policy(&policy)?;
        let name = members::entry::SUMMARY;
        let summary_path = path.key(name);
        let summary = as_object(
            Self::required(&entry, name, "the session counts")?,
            &summary_path,
        )?;
        report.successful = self.summary_count(&summary, members::summary::SUCCESSFUL)?;
        report.failed = self.summary_count(&summary, members::summary::FAILED)?;
        self.unknown_members(&summary, members::summary::ALL);
        let name = members::entry::FAILURE_DETAILS;
        let details_path = path.key(name);
        report.failure_details = match entry.get(name) {
            None => Vec::new(),
            Some(Json::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| self.failure_detail(item, &details_path.index(i)))
                .collect::<Result<_, _>>()?,
            Some(other) => return Err(wrong_type(&details_path, other, "an array")),
        };
        self.unknown_members(&entry, members::entry::ALL);
        Ok(report)
    }

    fn policy(&mut self, policy: &Object<'_, '_>) -> Result<PolicyReport, ReportError> {
        let path = policy.path;
        let name = members::policy::TYPE;
        let type_path = path.key(name);
        let type_name = as_string(
            Self::required(policy, name, "\"sts\", \"tlsa\" or \"no-policy-found\"")?,
            &type_path,
        )?;
        let policy_type = PolicyType::from_name(type_name);
        if let PolicyType::Unknown(_) = policy_type {
            self.tolerate(DeviationKind::UnknownPolicyType, &type_path, || {
                let name = type_name.to_owned();
                error(&type_path, Problem::UnknownPolicyType { name })
            })?;
        }
        let name = members::policy::STRING;
        let policy_strings = match policy.get(name) {
            None => Vec::new(),
            Some(value) => as_strings(value, &path.key(name))?,
        };
        let name = members::policy::DOMAIN;
        let domain_path = path.key(name);
        let policy_domain = match policy.get(name) {
            Some(value) => Some(as_string(value, &domain_path)?.to_owned()),
            None if policy_type == PolicyType::NoPolicyFound => {
                self.tolerate(DeviationKind::PolicyDomainMissing, &domain_path, || {
                    missing(path, name, "the Policy Domain")
                })?;
                None
            }
            None => return Err(missing(path, name, "the Policy Domain")),
        };
        let name = members::policy::MX_HOST;
        let mx_path = path.key(name);
        let mx_hosts = match policy.get(name) {
            None => Vec::new(),
            Some(value @ Json::String(host)) => {
                self.tolerate(DeviationKind::MxHostString, &mx_path, || {
                    wrong_type(&mx_path, value, "an array of strings")
                })?;
                vec![host.clone()]
            }
            Some(value) => as_strings(value, &mx_path)?,
        };
        self.unknown_members(policy, members::policy::ALL);
        Ok(PolicyReport {
            policy_type,
            policy_strings,
            policy_domain,
            mx_hosts,
            successful: 0,
            failed: 0,
            failure_details: Vec::new(),
        })
    }

    fn summary_count(&mut self, summary: &Object<'_, '_>, name: &str) -> Result<u64, ReportError> {
        match summary.get(name) {
            Some(value) => self.count(value, &summary.path.key(name)),
            None => {
                self.tolerate(DeviationKind::CountMissing, &summary.path.key(name), || {
                    missing(summary.path, name, "a session count")
                })?;
                Ok(0)
            }
        }
    }
}
