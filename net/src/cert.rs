//! Certificates: the rustls verifier that keeps the chain a server
//! presented, and the facts the audit judges ([`Certificate`]: the leaf's
//! names and validity, the chain's verdict without the name).
//!
//! The chain is captured inside the TLS handshake, by a verifier that
//! records what it is asked to verify, rather than by a second handshake
//! made only to look: the facts then describe the very connection that
//! served the policy (a load balancer may give another backend, and so
//! another certificate, to a second connection), the fetch stays one
//! connection within one time budget, and a handshake refused for its
//! certificate still leaves the certificate to report.

use std::sync::{Arc, Mutex, PoisonError};

use mta_sts::audit::{Certificate, ChainVerdict};
use mta_sts::sender::TransportError;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

/// The chain one connection's server presented, leaf first; empty until
/// the handshake shows it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Seen(Arc<Mutex<Vec<CertificateDer<'static>>>>);

impl Seen {
    fn record(&self, end_entity: &CertificateDer<'_>, intermediates: &[CertificateDer<'_>]) {
        let mut chain = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        chain.clear();
        chain.push(end_entity.clone().into_owned());
        chain.extend(intermediates.iter().map(|cert| cert.clone().into_owned()));
    }

    /// Whether no certificate has been seen yet.
    pub(crate) fn is_empty(&self) -> bool {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_empty()
    }

    /// The facts of the chain seen, judged against `roots` at `now`;
    /// `None` before the server showed a certificate.
    pub(crate) fn facts(&self, roots: &RootCertStore, now: u64) -> Option<Certificate> {
        let chain = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        (!chain.is_empty()).then(|| facts(&chain, roots, now))
    }
}

/// A verifier that records the presented chain, then either verifies it
/// as rustls's `WebPkiServerVerifier` does (strict: chain, time and name)
/// or accepts it (a probe that judges the facts itself afterwards).
/// Handshake signatures are always checked.
#[derive(Debug)]
struct CapturingVerifier {
    seen: Seen,
    strict: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for CapturingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.seen.record(end_entity, intermediates);
        match &self.strict {
            Some(verifier) => verifier.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            ),
            None => Ok(ServerCertVerified::assertion()),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// How certificates are judged during the handshake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Check {
    /// PKIX: a chain to `roots`, valid now, naming the host (RFC 8461
    /// §3.3, §4.2). What a sender does.
    Strict,
    /// Record and accept; the caller judges the facts.
    Record,
}

/// A TLS client configuration for one connection, recording the chain
/// into `seen`, with the `ring` provider.
pub(crate) fn client_config(
    roots: &Arc<RootCertStore>,
    check: Check,
    seen: Seen,
    alpn: &[&[u8]],
) -> Result<ClientConfig, rustls::Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let strict = match check {
        Check::Strict => Some(
            WebPkiServerVerifier::builder_with_provider(Arc::clone(roots), Arc::clone(&provider))
                .build()
                .map_err(|err| rustls::Error::General(err.to_string()))?,
        ),
        Check::Record => None,
    };
    let verifier = CapturingVerifier {
        seen,
        strict,
        provider: Arc::clone(&provider),
    };
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|protocol| protocol.to_vec()).collect();
    Ok(config)
}

/// The facts of a presented chain (leaf first): the leaf's DNS names and
/// validity, and the chain's verdict at `now` without the name.
fn facts(chain: &[CertificateDer<'_>], roots: &RootCertStore, now: u64) -> Certificate {
    let (dns_names, not_before, not_after) = match leaf_facts(&chain[0]) {
        Ok(facts) => facts,
        Err(reason) => {
            return Certificate {
                dns_names: Vec::new(),
                not_before: 0,
                not_after: 0,
                chain: ChainVerdict::Invalid(reason),
            };
        }
    };
    Certificate {
        dns_names,
        not_before,
        not_after,
        chain: chain_verdict(chain, roots, now),
    }
}

/// The leaf's `subjectAltName` DNS names, `notBefore` and `notAfter`.
fn leaf_facts(der: &[u8]) -> Result<(Vec<String>, u64, u64), String> {
    use x509_parser::extensions::GeneralName;

    let (_, cert) = x509_parser::parse_x509_certificate(der)
        .map_err(|err| format!("the leaf certificate cannot be read: {err}"))?;
    let dns_names = match cert.subject_alternative_name() {
        Ok(Some(san)) => san
            .value
            .general_names
            .iter()
            .filter_map(|name| match name {
                GeneralName::DNSName(name) => Some((*name).to_owned()),
                _ => None,
            })
            .collect(),
        Ok(None) => Vec::new(),
        Err(err) => return Err(format!("the leaf's subjectAltName cannot be read: {err}")),
    };
    let seconds = |time: i64| u64::try_from(time).unwrap_or(0);
    let validity = cert.validity();
    Ok((
        dns_names,
        seconds(validity.not_before.timestamp()),
        seconds(validity.not_after.timestamp()),
    ))
}

/// Path building from the leaf through the presented intermediates to
/// `roots`, for server authentication at `now`, names aside.
fn chain_verdict(chain: &[CertificateDer<'_>], roots: &RootCertStore, now: u64) -> ChainVerdict {
    let algorithms = rustls::crypto::ring::default_provider().signature_verification_algorithms;
    let leaf = match webpki::EndEntityCert::try_from(&chain[0]) {
        Ok(leaf) => leaf,
        Err(err) => {
            return ChainVerdict::Invalid(format!("the leaf certificate is malformed: {err}"));
        }
    };
    let verified = leaf.verify_for_usage(
        algorithms.all,
        &roots.roots,
        &chain[1..],
        UnixTime::since_unix_epoch(std::time::Duration::from_secs(now)),
        webpki::KeyUsage::server_auth(),
        None,
        None,
    );
    match verified {
        Ok(_) => ChainVerdict::Trusted,
        Err(webpki::Error::CertExpired { .. } | webpki::Error::CertNotValidYet { .. }) => {
            ChainVerdict::Expired
        }
        Err(webpki::Error::UnknownIssuer) => ChainVerdict::UnknownIssuer,
        Err(err) => ChainVerdict::Invalid(err.to_string()),
    }
}

/// How a rustls error classifies for TLS reporting (RFC 8460 §4.3).
pub(crate) fn transport_error(err: &rustls::Error) -> TransportError {
    match err {
        rustls::Error::InvalidCertificate(cert) => match cert {
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                TransportError::CertificateHostMismatch
            }
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. } => TransportError::CertificateExpired,
            CertificateError::UnknownIssuer => TransportError::CertificateNotTrusted,
            _ => TransportError::CertificateInvalid,
        },
        _ => TransportError::Handshake,
    }
}
