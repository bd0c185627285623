//! RFC 8460 §4.3 result types: what a sender reports about a failed
//! session or policy fetch.

use crate::names::names;
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

names!(ResultType, pub fn as_str(by_ref), parse(ErrorKind::Syntax, "TLS-RPT result type") {
    StartTlsNotSupported => "starttls-not-supported",
    CertificateHostMismatch => "certificate-host-mismatch",
    CertificateExpired => "certificate-expired",
    CertificateNotTrusted => "certificate-not-trusted",
    ValidationFailure => "validation-failure",
    TlsaInvalid => "tlsa-invalid",
    DnssecInvalid => "dnssec-invalid",
    DaneRequired => "dane-required",
    StsPolicyFetchError => "sts-policy-fetch-error",
    StsPolicyInvalid => "sts-policy-invalid",
    StsWebpkiInvalid => "sts-webpki-invalid",
});

impl ResultType {
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
