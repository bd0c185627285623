//! Transport and certificate errors, mapped to RFC 8460 result types.

use crate::sender::{ResultType, TlsOutcome};

/// A transport or certificate error of the caller's DNS, TCP, TLS or HTTPS
/// client, classified for TLS reporting (RFC 8460 §4.3).
///
/// Classify what the client reported, then, for the policy fetch, report
/// [`fetch_result_type`](TransportError::fetch_result_type) and record the
/// failure ([`CacheEntry::complete_fetch`](crate::sender::CacheEntry::complete_fetch));
/// for an MX host, give [`tls_outcome`](TransportError::tls_outcome) to
/// [`verdict`](crate::sender::verdict), whose result type then also
/// accounts for the policy's mode. The mapping:
///
/// | error | examples | policy fetch (HTTPS to the Policy Host) | MX host (SMTP): `TlsOutcome`, result type |
/// |---|---|---|---|
/// | [`Unreachable`](TransportError::Unreachable) | name does not resolve, connection refused or reset, timeout | `sts-policy-fetch-error` | none: no TLS to judge; try the next MX host, report nothing |
/// | [`StartTlsNotSupported`](TransportError::StartTlsNotSupported) | no `STARTTLS` in the `EHLO` reply, or it was refused | `sts-policy-fetch-error` | `StartTlsNotSupported`, `starttls-not-supported` |
/// | [`Handshake`](TransportError::Handshake) | no common protocol version or cipher suite, a TLS alert not about the certificate | `sts-policy-fetch-error` | `ValidationFailure`, `validation-failure` |
/// | [`CertificateHostMismatch`](TransportError::CertificateHostMismatch) | rustls `NotValidForName`, OpenSSL `X509_V_ERR_HOSTNAME_MISMATCH` | `sts-webpki-invalid` | `CertificateHostMismatch`, `certificate-host-mismatch` |
/// | [`CertificateExpired`](TransportError::CertificateExpired) | rustls `Expired` or `NotValidYet`, OpenSSL `X509_V_ERR_CERT_HAS_EXPIRED` | `sts-webpki-invalid` | `CertificateExpired`, `certificate-expired` |
/// | [`CertificateNotTrusted`](TransportError::CertificateNotTrusted) | rustls `UnknownIssuer`, OpenSSL `X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY`, a self-signed certificate | `sts-webpki-invalid` | `CertificateNotTrusted`, `certificate-not-trusted` |
/// | [`CertificateInvalid`](TransportError::CertificateInvalid) | any other certificate error: bad signature, revoked, wrong key usage, malformed | `sts-webpki-invalid` | `ValidationFailure`, `validation-failure` |
///
/// For the policy fetch, RFC 8460 §4.3.2.2 gives every PKIX failure of the
/// Policy Host one type, `sts-webpki-invalid`, and every other failure to
/// retrieve the policy `sts-policy-fetch-error`; a policy that was
/// retrieved but is wrong is `sts-policy-invalid`, from
/// [`ResultType::for_fetch_error`]. For an MX host, RFC 8460 §4.3.1 has a
/// type per certificate failure and `validation-failure` for the rest;
/// not reaching a host at all is not a TLS failure and is not reported.
///
/// ```
/// use mta_sts::sender::{ResultType, TlsOutcome, TransportError};
///
/// let expired = TransportError::CertificateExpired;
/// assert_eq!(expired.fetch_result_type(), ResultType::StsWebpkiInvalid);
/// assert_eq!(expired.tls_outcome(), Some(TlsOutcome::CertificateExpired));
/// assert_eq!(TransportError::Unreachable.fetch_result_type(), ResultType::StsPolicyFetchError);
/// assert_eq!(TransportError::Unreachable.tls_outcome(), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportError {
    /// The host could not be reached: its name did not resolve, the
    /// connection was refused or reset, or it timed out.
    Unreachable,
    /// The SMTP server did not offer `STARTTLS`, or refused it.
    StartTlsNotSupported,
    /// The TLS handshake failed for a reason other than the certificate.
    Handshake,
    /// The certificate is not valid for the host name (no matching DNS-ID).
    CertificateHostMismatch,
    /// The certificate has expired or is not valid yet.
    CertificateExpired,
    /// The certificate does not chain to a trusted root (unknown issuer,
    /// self-signed).
    CertificateNotTrusted,
    /// Any other certificate error.
    CertificateInvalid,
}

impl TransportError {
    /// The RFC 8460 result type to report when the policy fetch failed
    /// with this error (RFC 8460 §4.3.2.2): `sts-webpki-invalid` for a
    /// certificate error, `sts-policy-fetch-error` otherwise. See the
    /// table in the [type's docs](TransportError).
    #[must_use]
    pub fn fetch_result_type(self) -> ResultType {
        match self {
            TransportError::Unreachable
            | TransportError::StartTlsNotSupported
            | TransportError::Handshake => ResultType::StsPolicyFetchError,
            TransportError::CertificateHostMismatch
            | TransportError::CertificateExpired
            | TransportError::CertificateNotTrusted
            | TransportError::CertificateInvalid => ResultType::StsWebpkiInvalid,
        }
    }

    /// What the error means for an MX host's TLS, to give
    /// [`verdict`](crate::sender::verdict); `None` for
    /// [`Unreachable`](TransportError::Unreachable): there was no TLS to
    /// judge, so try the next MX host as without MTA-STS. See the table in
    /// the [type's docs](TransportError).
    #[must_use]
    pub fn tls_outcome(self) -> Option<TlsOutcome> {
        match self {
            TransportError::Unreachable => None,
            TransportError::StartTlsNotSupported => Some(TlsOutcome::StartTlsNotSupported),
            TransportError::Handshake | TransportError::CertificateInvalid => {
                Some(TlsOutcome::ValidationFailure)
            }
            TransportError::CertificateHostMismatch => Some(TlsOutcome::CertificateHostMismatch),
            TransportError::CertificateExpired => Some(TlsOutcome::CertificateExpired),
            TransportError::CertificateNotTrusted => Some(TlsOutcome::CertificateNotTrusted),
        }
    }
}
