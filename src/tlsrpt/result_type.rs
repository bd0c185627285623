//! RFC 8460 §4.3 result types: what a sender reports about a failed
//! session or policy fetch.

use std::fmt;
use std::str::FromStr;

use crate::{Error, ErrorKind};

/// An RFC 8460 §4.3 result type, as reported in a TLS-RPT report's
/// `result-type` field.
///
/// ```
/// use mta_sts::sender::ResultType;
///
/// assert_eq!(ResultType::StsPolicyInvalid.as_str(), "sts-policy-invalid");
/// assert_eq!("certificate-expired".parse::<ResultType>()?, ResultType::CertificateExpired);
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ResultType {
    /// `starttls-not-supported` (§4.3.1).
    StartTlsNotSupported,
    /// `certificate-host-mismatch` (§4.3.1).
    CertificateHostMismatch,
    /// `certificate-expired` (§4.3.1).
    CertificateExpired,
    /// `certificate-not-trusted` (§4.3.1).
    CertificateNotTrusted,
    /// `validation-failure` (§4.3.1, §4.3.3): a failure in no other
    /// category, such as an MX host that matches none of the policy's `mx`
    /// patterns.
    ValidationFailure,
    /// `tlsa-invalid` (§4.3.2.1, DANE).
    TlsaInvalid,
    /// `dnssec-invalid` (§4.3.2.1, DANE).
    DnssecInvalid,
    /// `dane-required` (§4.3.2.1, DANE).
    DaneRequired,
    /// `sts-policy-fetch-error` (§4.3.2.2): the policy could not be
    /// retrieved.
    StsPolicyFetchError,
    /// `sts-policy-invalid` (§4.3.2.2): the policy was retrieved but is
    /// not valid.
    StsPolicyInvalid,
    /// `sts-webpki-invalid` (§4.3.2.2): the Policy Host's certificate did
    /// not validate.
    StsWebpkiInvalid,
}

/// Every result type, in RFC 8460 §4.3 order.
const RESULT_TYPES: [ResultType; 11] = [
    ResultType::StartTlsNotSupported,
    ResultType::CertificateHostMismatch,
    ResultType::CertificateExpired,
    ResultType::CertificateNotTrusted,
    ResultType::ValidationFailure,
    ResultType::TlsaInvalid,
    ResultType::DnssecInvalid,
    ResultType::DaneRequired,
    ResultType::StsPolicyFetchError,
    ResultType::StsPolicyInvalid,
    ResultType::StsWebpkiInvalid,
];

impl ResultType {
    /// The result type as written in a report, e.g. `"sts-webpki-invalid"`.
    #[must_use]
    pub fn as_str(&self) -> &'static str {
        match self {
            ResultType::StartTlsNotSupported => "starttls-not-supported",
            ResultType::CertificateHostMismatch => "certificate-host-mismatch",
            ResultType::CertificateExpired => "certificate-expired",
            ResultType::CertificateNotTrusted => "certificate-not-trusted",
            ResultType::ValidationFailure => "validation-failure",
            ResultType::TlsaInvalid => "tlsa-invalid",
            ResultType::DnssecInvalid => "dnssec-invalid",
            ResultType::DaneRequired => "dane-required",
            ResultType::StsPolicyFetchError => "sts-policy-fetch-error",
            ResultType::StsPolicyInvalid => "sts-policy-invalid",
            ResultType::StsWebpkiInvalid => "sts-webpki-invalid",
        }
    }

    /// The result type to report for a failed policy fetch, given the error
    /// from [`validate_fetch`](crate::sender::validate_fetch): an HTTP
    /// status other than 200 or a redirect is `sts-policy-fetch-error`;
    /// everything about the body (media type, size, encoding, syntax) is
    /// `sts-policy-invalid` (RFC 8460 §4.3.2.2). Certificate failures of the
    /// Policy Host never reach `validate_fetch`: report them as
    /// [`ResultType::StsWebpkiInvalid`].
    ///
    /// ```
    /// use mta_sts::sender::{validate_fetch, HttpResponse, ResultType};
    /// use mta_sts::ParseOptions;
    ///
    /// let err = validate_fetch(&HttpResponse::new(404, b""), &ParseOptions::strict()).unwrap_err();
    /// assert_eq!(ResultType::for_fetch_error(&err), ResultType::StsPolicyFetchError);
    /// ```
    #[must_use]
    pub fn for_fetch_error(error: &Error) -> ResultType {
        match error.kind() {
            ErrorKind::HttpStatus | ErrorKind::HttpRedirect => ResultType::StsPolicyFetchError,
            _ => ResultType::StsPolicyInvalid,
        }
    }
}

impl fmt::Display for ResultType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ResultType {
    type Err = Error;

    /// Parses a result type name exactly as RFC 8460 §4.3 writes it;
    /// anything else is a `syntax` error.
    fn from_str(s: &str) -> Result<ResultType, Error> {
        RESULT_TYPES
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Syntax,
                    format!("unknown TLS-RPT result type {s:?} (RFC 8460 §4.3)"),
                    "",
                )
            })
    }
}
