//! The totals per policy across every report read: sessions, and the
//! failures per MX host, result type and reason; written for a person or
//! as JSON.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use mta_sts::sender::ResultType;
use mta_sts::tlsrpt::{PolicyType, Report};
use serde::Serialize;

/// The totals of every report read, per policy (domain and type).
#[derive(Default)]
pub(crate) struct Summary {
    policies: BTreeMap<(String, String), PolicyTotals>,
}

/// One policy's totals.
#[derive(Default, Serialize)]
struct PolicyTotals {
    policy_domain: Option<String>,
    policy_type: String,
    /// How many reports had this policy.
    reports: usize,
    /// Who sent them.
    organizations: BTreeSet<String>,
    mx_patterns: BTreeSet<String>,
    successful_sessions: u64,
    failed_sessions: u64,
    /// Per receiving MX host (`None`: the sender did not say).
    #[serde(serialize_with = "hosts_as_list")]
    hosts: BTreeMap<Option<String>, HostTotals>,
}

/// One MX host's failures.
#[derive(Default, Serialize)]
struct HostTotals {
    failed_sessions: u64,
    /// Per result type and failure reason code.
    #[serde(serialize_with = "failures_as_list")]
    failures: BTreeMap<(String, Option<String>), FailureTotals>,
}

/// The sessions that failed one way at one host.
#[derive(Default, Serialize)]
struct FailureTotals {
    sessions: u64,
    receiving_ips: BTreeSet<String>,
    additional_information: BTreeSet<String>,
    #[serde(skip)]
    known: Option<ResultType>,
}

impl Summary {
    /// Adds a report's policies to the totals.
    pub(crate) fn add(&mut self, report: &Report) {
        for entry in report.policies() {
            let policy_type = entry.policy_type().to_string();
            let domain = entry.policy_domain().map(str::to_ascii_lowercase);
            let key = (domain.clone().unwrap_or_default(), policy_type.clone());
            let totals = self.policies.entry(key).or_insert_with(|| PolicyTotals {
                policy_domain: domain,
                policy_type,
                ..PolicyTotals::default()
            });
            totals.reports += 1;
            totals
                .organizations
                .insert(report.organization_name().to_owned());
            totals.mx_patterns.extend(entry.mx_hosts().iter().cloned());
            totals.successful_sessions = totals
                .successful_sessions
                .saturating_add(entry.successful_session_count());
            totals.failed_sessions = totals
                .failed_sessions
                .saturating_add(entry.failure_session_count());
            for detail in entry.failure_details() {
                let host = totals
                    .hosts
                    .entry(detail.receiving_mx_hostname().map(str::to_ascii_lowercase))
                    .or_default();
                let count = detail.failed_session_count();
                host.failed_sessions = host.failed_sessions.saturating_add(count);
                let kind = (
                    detail.result_type().to_string(),
                    detail.failure_reason_code().map(str::to_owned),
                );
                let failure = host.failures.entry(kind).or_default();
                failure.sessions = failure.sessions.saturating_add(count);
                failure.known = detail.result_type().known();
                if let Some(ip) = detail.receiving_ip() {
                    failure.receiving_ips.insert(ip.to_owned());
                }
                if let Some(uri) = detail.additional_information() {
                    failure.additional_information.insert(uri.to_owned());
                }
            }
        }
    }

    /// The failed sessions of every policy.
    pub(crate) fn failed_sessions(&self) -> u64 {
        self.policies
            .values()
            .fold(0, |sum, totals| sum.saturating_add(totals.failed_sessions))
    }

    /// The totals as a JSON array, one object per policy.
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::to_value(self.policies.values().collect::<Vec<_>>())
            .unwrap_or(serde_json::Value::Null)
    }

    /// The totals for a person: per policy, the sessions and the failures
    /// by MX host (most failures first) with what to fix.
    pub(crate) fn write(&self, out: &mut impl Write) -> std::io::Result<()> {
        for totals in self.policies.values() {
            totals.write(out)?;
        }
        Ok(())
    }
}

impl PolicyTotals {
    fn write(&self, out: &mut impl Write) -> std::io::Result<()> {
        let domain = self.policy_domain.as_deref().unwrap_or("(no domain given)");
        writeln!(out)?;
        let from = if self.reports == 1 {
            String::new()
        } else {
            let organizations: Vec<&str> = self.organizations.iter().map(String::as_str).collect();
            format!(
                " ({} reports from {})",
                self.reports,
                organizations.join(", ")
            )
        };
        match PolicyType::from_name(&self.policy_type) {
            PolicyType::Sts => writeln!(out, "MTA-STS policy of {domain}{from}")?,
            PolicyType::Tlsa => writeln!(out, "DANE TLSA records of {domain}{from}")?,
            PolicyType::NoPolicyFound => writeln!(
                out,
                "{domain}: the sender found no MTA-STS or DANE policy{from}"
            )?,
            _ => writeln!(out, "{domain}: policy type \"{}\"{from}", self.policy_type)?,
        }
        if !self.mx_patterns.is_empty() {
            let patterns: Vec<&str> = self.mx_patterns.iter().map(String::as_str).collect();
            writeln!(out, "  mx patterns  {}", patterns.join(", "))?;
        }
        let (ok, failed) = (self.successful_sessions, self.failed_sessions);
        let total = ok.saturating_add(failed);
        let share = if total == 0 {
            0.0
        } else {
            failed as f64 * 100.0 / total as f64
        };
        writeln!(
            out,
            "  sessions     {total}: {ok} successful, {failed} failed ({share:.1} %)"
        )?;
        if self.hosts.is_empty() {
            return Ok(());
        }
        let mut hosts: Vec<_> = self.hosts.iter().collect();
        hosts.sort_by(|a, b| {
            b.1.failed_sessions
                .cmp(&a.1.failed_sessions)
                .then(a.0.cmp(b.0))
        });
        writeln!(out, "  failures by MX host:")?;
        for (host, totals) in hosts {
            let host = host.as_deref().unwrap_or("(no MX host given)");
            writeln!(
                out,
                "    {host}: {} failed sessions",
                totals.failed_sessions
            )?;
            let mut failures: Vec<_> = totals.failures.iter().collect();
            failures.sort_by(|a, b| b.1.sessions.cmp(&a.1.sessions).then(a.0.cmp(b.0)));
            for ((result_type, reason), failure) in failures {
                let mut line = format!("      {:>6} × {result_type}", failure.sessions);
                if !failure.receiving_ips.is_empty() {
                    let ips: Vec<&str> = failure.receiving_ips.iter().map(String::as_str).collect();
                    line += &format!(" at {}", ips.join(", "));
                }
                writeln!(out, "{line}")?;
                if let Some(code) = reason {
                    writeln!(out, "               reason: {code}")?;
                }
                for uri in &failure.additional_information {
                    writeln!(out, "               more:   {uri}")?;
                }
                let advice = advice(failure.known, result_type, self.policy_domain.as_deref());
                writeln!(out, "               fix:    {advice}")?;
            }
        }
        Ok(())
    }
}

/// What to check for a result type (RFC 8460 §4.3).
fn advice(known: Option<ResultType>, result_type: &str, domain: Option<&str>) -> String {
    let domain = domain.unwrap_or("<domain>");
    match known {
        Some(ResultType::StartTlsNotSupported) => {
            "the host did not offer STARTTLS: enable TLS on it".into()
        }
        Some(ResultType::CertificateHostMismatch) => {
            "the certificate does not name this host: add the host name to its SANs".into()
        }
        Some(ResultType::CertificateExpired) => "the certificate has expired: renew it".into(),
        Some(ResultType::CertificateNotTrusted) => {
            "the certificate does not chain to a public CA: serve the full chain of a trusted CA"
                .into()
        }
        Some(ResultType::ValidationFailure) => {
            "validation failed: see the reason; a host no `mx:` line covers is reported so".into()
        }
        Some(ResultType::StsPolicyFetchError) => format!(
            "the policy could not be fetched: check https://mta-sts.{domain}/.well-known/mta-sts.txt"
        ),
        Some(ResultType::StsPolicyInvalid) => {
            "the policy file does not parse: run `mta-sts lint` on it".into()
        }
        Some(ResultType::StsWebpkiInvalid) => {
            format!("the certificate of mta-sts.{domain} is not valid for that name")
        }
        Some(ResultType::TlsaInvalid | ResultType::DnssecInvalid | ResultType::DaneRequired) => {
            "check the DANE TLSA records and the DNSSEC chain of this host".into()
        }
        _ => format!(
            "{result_type:?} is a result type this program does not know: \
             see the sender's documentation"
        ),
    }
}

/// Hosts as a list of objects with the host name in them.
fn hosts_as_list<S: serde::Serializer>(
    hosts: &BTreeMap<Option<String>, HostTotals>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Host<'a> {
        receiving_mx_hostname: Option<&'a str>,
        #[serde(flatten)]
        totals: &'a HostTotals,
    }
    serializer.collect_seq(hosts.iter().map(|(host, totals)| Host {
        receiving_mx_hostname: host.as_deref(),
        totals,
    }))
}

/// Failures as a list of objects with the result type and reason in them.
fn failures_as_list<S: serde::Serializer>(
    failures: &BTreeMap<(String, Option<String>), FailureTotals>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct Failure<'a> {
        result_type: &'a str,
        failure_reason_code: Option<&'a str>,
        #[serde(flatten)]
        totals: &'a FailureTotals,
    }
    serializer.collect_seq(
        failures
            .iter()
            .map(|((result_type, reason), totals)| Failure {
                result_type,
                failure_reason_code: reason.as_deref(),
                totals,
            }),
    )
}
