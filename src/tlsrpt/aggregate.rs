//! Building reports from delivery attempts (senders, RFC 8460 §4).

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::ResultType;
use super::{DateRange, FailureDetail, PolicyReport, PolicyType, Report};
use crate::Policy;
use crate::domain::PolicyDomain;

/// What a failure detail says about one failed session (RFC 8460 §4.4):
/// the sending MTA's address, the receiving MX host and its address, and
/// optionally the MX host's EHLO name, an error code or text, and a URI
/// with more information.
///
/// ```
/// use mta_sts::tlsrpt::Session;
///
/// let session = Session::new("192.0.2.25".parse().unwrap(), "mx1.example.com", "198.51.100.7".parse().unwrap())
///     .with_failure_reason_code("X509_V_ERR_CERT_HAS_EXPIRED");
/// assert_eq!(session.receiving_mx_hostname(), "mx1.example.com");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Session {
    sending_mta_ip: IpAddr,
    receiving_mx_hostname: String,
    receiving_ip: IpAddr,
    receiving_mx_helo: Option<String>,
    failure_reason_code: Option<String>,
    additional_information: Option<String>,
}

impl Session {
    /// A session from the sending MTA's address to an MX host at an
    /// address.
    pub fn new(
        sending_mta_ip: IpAddr,
        receiving_mx_hostname: impl Into<String>,
        receiving_ip: IpAddr,
    ) -> Session {
        Session {
            sending_mta_ip,
            receiving_mx_hostname: receiving_mx_hostname.into(),
            receiving_ip,
            receiving_mx_helo: None,
            failure_reason_code: None,
            additional_information: None,
        }
    }

    /// Sets the EHLO name the MX host announced (`receiving-mx-helo`).
    #[must_use]
    pub fn with_receiving_mx_helo(self, helo: impl Into<String>) -> Session {
        Session {
            receiving_mx_helo: Some(helo.into()),
            ..self
        }
    }

    /// Sets `failure-reason-code`: the TLS library's error code or text
    /// (RFC 8460 §4.3.3).
    #[must_use]
    pub fn with_failure_reason_code(self, code: impl Into<String>) -> Session {
        Session {
            failure_reason_code: Some(code.into()),
            ..self
        }
    }

    /// Sets `additional-information`: a URI with more about the failure.
    #[must_use]
    pub fn with_additional_information(self, uri: impl Into<String>) -> Session {
        Session {
            additional_information: Some(uri.into()),
            ..self
        }
    }

    /// The sending MTA's address.
    #[must_use]
    pub fn sending_mta_ip(&self) -> IpAddr {
        self.sending_mta_ip
    }

    /// The receiving MX host's name.
    #[must_use]
    pub fn receiving_mx_hostname(&self) -> &str {
        &self.receiving_mx_hostname
    }

    /// The receiving MX host's address.
    #[must_use]
    pub fn receiving_ip(&self) -> IpAddr {
        self.receiving_ip
    }
}

/// Which policy an entry is for: domain, type, canonical policy text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct EntryKey {
    domain: String,
    policy_type: PolicyType,
    text: String,
}

#[derive(Clone, Debug, Default)]
struct Entry {
    policy_strings: Vec<String>,
    mx_hosts: Vec<String>,
    successful: u64,
    failed: u64,
    /// Failed sessions per (result type, session details).
    failures: BTreeMap<(ResultType, Session), u64>,
}

/// Sums delivery attempts into TLS-RPT reports (RFC 8460 §4): one
/// `policies` entry per distinct policy and domain, successful and failed
/// sessions counted, failed sessions grouped into one failure detail per
/// result type, sending address, receiving MX host, receiving address,
/// EHLO name, reason code and URI.
///
/// The output is deterministic: entries are sorted by policy type, then
/// policy text; failure details by result type (RFC 8460 §4.3 order),
/// then the session details. Counts saturate at [`MAX_COUNT`](super::MAX_COUNT).
/// A policy in `none` mode applies no policy (RFC 8461 §5): record such
/// attempts with `None`, as for a domain without a policy.
///
/// ```
/// use mta_sts::sender::{verdict, PolicyDomain, TlsOutcome};
/// use mta_sts::tlsrpt::{Aggregator, DateRange, Session};
/// use mta_sts::Policy;
///
/// let domain = PolicyDomain::new("example.com")?;
/// let policy = Policy::parse("version: STSv1\nmode: testing\nmx: mx1.example.com\nmax_age: 86400\n")?;
/// let session = Session::new("192.0.2.25".parse().unwrap(), "mx1.example.com", "198.51.100.7".parse().unwrap());
///
/// let mut aggregator = Aggregator::new();
/// for outcome in [TlsOutcome::Valid, TlsOutcome::Valid, TlsOutcome::CertificateExpired] {
///     let v = verdict(&policy, session.receiving_mx_hostname(), outcome);
///     aggregator.record(Some(&policy), &domain, &v, &session);
/// }
/// let range = DateRange::utc_day(1_717_200_000).unwrap();
/// let report = aggregator
///     .report(&domain, "Example Sender", "tlsrpt@sender.example", "2024-06-01_example.com", range)
///     .unwrap();
/// let entry = &report.policies()[0];
/// assert_eq!((entry.successful_session_count(), entry.failure_session_count()), (2, 1));
/// assert_eq!(entry.failure_details()[0].result_type().as_str(), "certificate-expired");
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Aggregator {
    entries: BTreeMap<EntryKey, Entry>,
}

impl Aggregator {
    /// An aggregator with nothing recorded.
    #[must_use]
    pub fn new() -> Aggregator {
        Aggregator::default()
    }

    fn entry(&mut self, policy: Option<&Policy>, domain: &PolicyDomain) -> &mut Entry {
        let (policy_type, text) = match policy {
            Some(policy) => (PolicyType::Sts, policy.to_string()),
            None => (PolicyType::NoPolicyFound, String::new()),
        };
        let key = EntryKey {
            domain: domain.as_str().to_owned(),
            policy_type,
            text,
        };
        self.entries.entry(key).or_insert_with(|| Entry {
            policy_strings: policy.map(Policy::policy_strings).unwrap_or_default(),
            mx_hosts: policy
                .map(|p| p.mx().iter().map(ToString::to_string).collect())
                .unwrap_or_default(),
            ..Entry::default()
        })
    }

    /// Records a successful session: one that negotiated TLS as the policy
    /// requires or, with no policy, one that delivered over TLS.
    pub fn success(&mut self, policy: Option<&Policy>, domain: &PolicyDomain) {
        let entry = self.entry(policy, domain);
        entry.successful = entry.successful.saturating_add(1);
    }

    /// Records a failed session with its result type.
    pub fn failure(
        &mut self,
        policy: Option<&Policy>,
        domain: &PolicyDomain,
        result_type: ResultType,
        session: &Session,
    ) {
        let entry = self.entry(policy, domain);
        entry.failed = entry.failed.saturating_add(1);
        let count = entry
            .failures
            .entry((result_type, session.clone()))
            .or_default();
        *count = count.saturating_add(1);
    }

    /// The Policy Domains with recorded attempts, sorted: one report each.
    #[must_use]
    pub fn policy_domains(&self) -> Vec<&str> {
        let mut domains: Vec<&str> = self.entries.keys().map(|k| k.domain.as_str()).collect();
        domains.dedup();
        domains
    }

    /// The report for one Policy Domain, or `None` if nothing was recorded
    /// for it. The caller names the reporting organization, the contact
    /// address (its domain is the `TLS-Report-Submitter`), a unique report
    /// id and the date range the attempts fall in.
    #[must_use]
    pub fn report(
        &self,
        domain: &PolicyDomain,
        organization_name: &str,
        contact_info: &str,
        report_id: &str,
        date_range: DateRange,
    ) -> Option<Report> {
        // Keys sort by domain first, and (Sts, "") is the smallest rest.
        let first = EntryKey {
            domain: domain.as_str().to_owned(),
            policy_type: PolicyType::Sts,
            text: String::new(),
        };
        let policies: Vec<PolicyReport> = self
            .entries
            .range(first..)
            .take_while(|(key, _)| key.domain == domain.as_str())
            .map(|(key, entry)| {
                let details = entry
                    .failures
                    .iter()
                    .map(|((result_type, session), count)| {
                        failure_detail(*result_type, session, *count)
                    })
                    .collect();
                PolicyReport::new(key.policy_type.clone(), key.domain.as_str())
                    .with_policy_strings(entry.policy_strings.clone())
                    .with_mx_hosts(entry.mx_hosts.clone())
                    .with_counts(entry.successful, entry.failed)
                    .with_failure_details(details)
            })
            .collect();
        (!policies.is_empty()).then(|| {
            Report::new(
                organization_name,
                date_range,
                contact_info,
                report_id,
                policies,
            )
        })
    }
}

fn failure_detail(result_type: ResultType, session: &Session, count: u64) -> FailureDetail {
    let mut detail = FailureDetail::new(
        result_type,
        session.sending_mta_ip,
        session.receiving_mx_hostname.as_str(),
        session.receiving_ip,
        count,
    );
    detail.receiving_mx_helo = session.receiving_mx_helo.clone();
    detail.failure_reason_code = session.failure_reason_code.clone();
    detail.additional_information = session.additional_information.clone();
    detail
}
