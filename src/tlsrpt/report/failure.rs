//! One `failure-details` entry of a report: [`FailureDetail`] and its
//! [`FailureType`].

use std::fmt;
use std::net::IpAddr;

use super::{MAX_COUNT, UnknownName};
use crate::tlsrpt::ResultType;

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
    #[must_use]
    pub fn from_name(name: &str) -> FailureType {
        match name.parse() {
            Ok(known) => FailureType::Known(known),
            Err(_) => FailureType::Unknown(UnknownName(name.into())),
        }
    }

    /// The registered result type, if it is one.
    #[must_use]
    pub fn known(&self) -> Option<ResultType> {
        match self {
            FailureType::Known(known) => Some(*known),
            FailureType::Unknown(_) => None,
        }
    }

    /// The name as written in a report.
    #[must_use]
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
    #[must_use]
    pub fn with_receiving_mx_helo(self, helo: impl Into<String>) -> FailureDetail {
        FailureDetail {
            receiving_mx_helo: Some(helo.into()),
            ..self
        }
    }

    /// Sets `additional-information` (a URI).
    #[must_use]
    pub fn with_additional_information(self, uri: impl Into<String>) -> FailureDetail {
        FailureDetail {
            additional_information: Some(uri.into()),
            ..self
        }
    }

    /// Sets `failure-reason-code`.
    #[must_use]
    pub fn with_failure_reason_code(self, code: impl Into<String>) -> FailureDetail {
        FailureDetail {
            failure_reason_code: Some(code.into()),
            ..self
        }
    }

    /// `result-type`.
    #[must_use]
    pub fn result_type(&self) -> &FailureType {
        &self.result_type
    }

    /// `sending-mta-ip`; `None` only when lenient reading found it missing
    /// or empty (SEMANTICS G14), as for the next two.
    #[must_use]
    pub fn sending_mta_ip(&self) -> Option<&str> {
        self.sending_mta_ip.as_deref()
    }

    /// `receiving-mx-hostname`.
    #[must_use]
    pub fn receiving_mx_hostname(&self) -> Option<&str> {
        self.receiving_mx_hostname.as_deref()
    }

    /// `receiving-mx-helo` (optional).
    #[must_use]
    pub fn receiving_mx_helo(&self) -> Option<&str> {
        self.receiving_mx_helo.as_deref()
    }

    /// `receiving-ip`.
    #[must_use]
    pub fn receiving_ip(&self) -> Option<&str> {
        self.receiving_ip.as_deref()
    }

    /// `failed-session-count`.
    #[must_use]
    pub fn failed_session_count(&self) -> u64 {
        self.failed_session_count
    }

    /// `additional-information` (optional; also read from the prose's name
    /// `additional-info-uri`, SEMANTICS G16).
    #[must_use]
    pub fn additional_information(&self) -> Option<&str> {
        self.additional_information.as_deref()
    }

    /// `failure-reason-code` (optional).
    #[must_use]
    pub fn failure_reason_code(&self) -> Option<&str> {
        self.failure_reason_code.as_deref()
    }
}
