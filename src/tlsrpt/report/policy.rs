//! One `policies` entry of a report: [`PolicyReport`], its [`PolicyType`],
//! and [`UnknownName`] for names the crate does not know.

use std::fmt;

use super::{FailureDetail, MAX_COUNT};
use crate::Policy;
use crate::domain::PolicyDomain;

/// A name a report gave that the crate does not know, kept as written: an
/// unknown `policy-type` (lenient reading) or `result-type` (the registry
/// grows, SEMANTICS G15). Never one of the names the crate knows.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownName(pub(super) Box<str>);

impl UnknownName {
    /// The name as written.
    #[must_use]
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
    /// `tlsa`: a DANE TLSA `RRset`.
    Tlsa,
    /// `no-policy-found`: neither.
    NoPolicyFound,
    /// Any other name, as written (lenient reading only, SEMANTICS G7).
    Unknown(UnknownName),
}

impl PolicyType {
    /// The policy type a report names: one of the three RFC 8460 names, or
    /// [`PolicyType::Unknown`].
    #[must_use]
    pub fn from_name(name: &str) -> PolicyType {
        match name {
            "sts" => PolicyType::Sts,
            "tlsa" => PolicyType::Tlsa,
            "no-policy-found" => PolicyType::NoPolicyFound,
            _ => PolicyType::Unknown(UnknownName(name.into())),
        }
    }

    /// The name as written in a report.
    #[must_use]
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
    #[must_use]
    pub fn with_policy_strings(self, policy_strings: Vec<String>) -> PolicyReport {
        PolicyReport {
            policy_strings,
            ..self
        }
    }

    /// Sets `mx-host`.
    #[must_use]
    pub fn with_mx_hosts(self, mx_hosts: Vec<String>) -> PolicyReport {
        PolicyReport { mx_hosts, ..self }
    }

    /// Sets the `summary` counts (each clamped to [`MAX_COUNT`]).
    #[must_use]
    pub fn with_counts(self, successful: u64, failed: u64) -> PolicyReport {
        PolicyReport {
            successful: successful.min(MAX_COUNT),
            failed: failed.min(MAX_COUNT),
            ..self
        }
    }

    /// Sets `failure-details`.
    #[must_use]
    pub fn with_failure_details(self, failure_details: Vec<FailureDetail>) -> PolicyReport {
        PolicyReport {
            failure_details,
            ..self
        }
    }

    /// `policy-type`.
    #[must_use]
    pub fn policy_type(&self) -> &PolicyType {
        &self.policy_type
    }

    /// `policy-string`: the policy as applied, one string per line for
    /// `sts`, one per TLSA record for `tlsa` (RFC 8460 §4.5); empty when
    /// the report gave none (SEMANTICS G9).
    #[must_use]
    pub fn policy_strings(&self) -> &[String] {
        &self.policy_strings
    }

    /// `policy-domain`; `None` only for a `no-policy-found` entry read
    /// leniently without one (SEMANTICS G8).
    #[must_use]
    pub fn policy_domain(&self) -> Option<&str> {
        self.policy_domain.as_deref()
    }

    /// `mx-host`: the policy's MX host patterns (empty when none given).
    #[must_use]
    pub fn mx_hosts(&self) -> &[String] {
        &self.mx_hosts
    }

    /// `total-successful-session-count`.
    #[must_use]
    pub fn successful_session_count(&self) -> u64 {
        self.successful
    }

    /// `total-failure-session-count`. The failure details' counts may add
    /// up to more: one session can fail in several ways (RFC 8460 §4,
    /// SEMANTICS G18).
    #[must_use]
    pub fn failure_session_count(&self) -> u64 {
        self.failed
    }

    /// `failure-details`, in order (empty when there are none).
    #[must_use]
    pub fn failure_details(&self) -> &[FailureDetail] {
        &self.failure_details
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
