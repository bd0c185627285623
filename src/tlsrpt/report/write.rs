//! Writing a report's JSON (feature `serde`), as SEMANTICS "Writing a
//! report" says: the schema's member order, `Z` offsets, `mx-host` always
//! an array, the schema's `additional-information` name, `failure-details`
//! and the counts always present.

use serde::de::{self, Deserialize, Deserializer};
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::json::Json;
use super::members;
use super::{DateRange, FailureDetail, FailureType, PolicyReport, PolicyType, Report};
use crate::tlsrpt::DateTime;

impl Report {
    /// The report as compact JSON (RFC 8460 §4.4), ready to be gzipped
    /// and sent. Strict reading gives back an equal report when this one
    /// has what strict reading requires (a contact, a domain per entry,
    /// every failure detail's addresses and host name, known policy types,
    /// at least one entry), as every report built through the crate's
    /// constructors does.
    ///
    /// ```
    /// use mta_sts::tlsrpt::{DateRange, PolicyReport, PolicyType, Report};
    /// use mta_sts::ParseOptions;
    ///
    /// let range = DateRange::utc_day(1_717_200_000).unwrap();
    /// let entry = PolicyReport::new(PolicyType::NoPolicyFound, "example.com").with_counts(3, 0);
    /// let report = Report::new("Example", range, "tlsrpt@example.net", "2024-06-01_example.com", vec![entry]);
    /// let json = report.to_json();
    /// assert_eq!(
    ///     json,
    ///     r#"{"organization-name":"Example","date-range":{"start-datetime":"2024-06-01T00:00:00Z","#.to_owned()
    ///         + r#""end-datetime":"2024-06-01T23:59:59Z"},"contact-info":"tlsrpt@example.net","#
    ///         + r#""report-id":"2024-06-01_example.com","policies":[{"policy":{"policy-type":"no-policy-found","#
    ///         + r#""policy-string":[],"policy-domain":"example.com","mx-host":[]},"#
    ///         + r#""summary":{"total-successful-session-count":3,"total-failure-session-count":0},"#
    ///         + r#""failure-details":[]}]}"#
    /// );
    /// let read = Report::from_json(json.as_bytes(), &ParseOptions::strict())?;
    /// assert_eq!(read.report(), &report);
    /// # Ok::<(), mta_sts::tlsrpt::ReportError>(())
    /// ```
    #[must_use]
    pub fn to_json(&self) -> String {
        // Serialising these types into a String cannot fail: every map key
        // is a string and no Serialize impl here returns an error.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The report as indented JSON, for people.
    #[must_use]
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(members::report::ORGANIZATION_NAME, &self.organization_name)?;
        map.serialize_entry(members::report::DATE_RANGE, &self.date_range)?;
        if let Some(contact) = &self.contact_info {
            map.serialize_entry(members::report::CONTACT_INFO, contact)?;
        }
        map.serialize_entry(members::report::REPORT_ID, &self.report_id)?;
        map.serialize_entry(members::report::POLICIES, &self.policies)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for Report {
    /// Reads as [`Report::from_json`] does in strict mode; deviations
    /// (unknown members only, in strict mode) are dropped.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Report, D::Error> {
        let root = Json::deserialize(deserializer)?;
        super::parse::read(&root, &crate::ParseOptions::strict())
            .map(super::ParsedReport::into_report)
            .map_err(de::Error::custom)
    }
}

impl Serialize for DateRange {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry(members::date_range::START, &self.start())?;
        map.serialize_entry(members::date_range::END, &self.end())?;
        map.end()
    }
}

impl Serialize for PolicyReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry(members::entry::POLICY, &PolicyPart(self))?;
        map.serialize_entry(members::entry::SUMMARY, &SummaryPart(self))?;
        map.serialize_entry(members::entry::FAILURE_DETAILS, &self.failure_details)?;
        map.end()
    }
}

/// The `policy` object of an entry.
struct PolicyPart<'a>(&'a PolicyReport);

impl Serialize for PolicyPart<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let entry = self.0;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(members::policy::TYPE, &entry.policy_type)?;
        map.serialize_entry(members::policy::STRING, &entry.policy_strings)?;
        if let Some(domain) = &entry.policy_domain {
            map.serialize_entry(members::policy::DOMAIN, domain)?;
        }
        map.serialize_entry(members::policy::MX_HOST, &entry.mx_hosts)?;
        map.end()
    }
}

/// The `summary` object of an entry.
struct SummaryPart<'a>(&'a PolicyReport);

impl Serialize for SummaryPart<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry(members::summary::SUCCESSFUL, &self.0.successful)?;
        map.serialize_entry(members::summary::FAILED, &self.0.failed)?;
        map.end()
    }
}

impl Serialize for FailureDetail {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(members::failure::RESULT_TYPE, &self.result_type)?;
        let optional = [
            (members::failure::SENDING_MTA_IP, &self.sending_mta_ip),
            (
                members::failure::RECEIVING_MX_HOSTNAME,
                &self.receiving_mx_hostname,
            ),
            (members::failure::RECEIVING_MX_HELO, &self.receiving_mx_helo),
            (members::failure::RECEIVING_IP, &self.receiving_ip),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                map.serialize_entry(name, value)?;
            }
        }
        map.serialize_entry(
            members::failure::FAILED_SESSION_COUNT,
            &self.failed_session_count,
        )?;
        let optional = [
            (
                members::failure::ADDITIONAL_INFORMATION,
                &self.additional_information,
            ),
            (
                members::failure::FAILURE_REASON_CODE,
                &self.failure_reason_code,
            ),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                map.serialize_entry(name, value)?;
            }
        }
        map.end()
    }
}

impl Serialize for PolicyType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl Serialize for FailureType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    /// Reads an RFC 3339 date-time as `FromStr` does (strict).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}
