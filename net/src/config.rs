//! [`Config`]: where to ask and how long to wait, as one value.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

/// The size limit for a policy body: 64 KiB (RFC 8461 §3.2 suggests
/// senders cap the policy's size; the core's default parse limit).
pub const POLICY_SIZE_LIMIT: usize = 65_536;

/// Where the I/O goes and how long it may take.
///
/// Start from [`Config::default`] and change the fields that differ:
/// tests point [`nameserver`](Config::nameserver) at their own DNS server,
/// set the HTTPS and SMTP ports of their lab and give the lab's CA as
/// [`roots`](Config::roots).
///
/// ```
/// use std::time::Duration;
/// use mta_sts_net::Config;
///
/// let mut config = Config::default();
/// config.nameserver = Some("127.0.0.1:5353".parse()?);
/// config.fetch_timeout = Duration::from_secs(10);
/// config.smtp_port = 2525;
/// assert_eq!(config.https_port, 443);
/// # Ok::<(), std::net::AddrParseError>(())
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// The DNS server to ask (UDP, then TCP for truncated answers); `None`
    /// uses the system's configuration (`/etc/resolv.conf`).
    pub nameserver: Option<SocketAddr>,
    /// How long one DNS lookup may take, retries included (default 5 s).
    pub dns_timeout: Duration,
    /// The budget for the whole policy fetch: resolving, connecting, the
    /// handshake, the request and reading the body (default 60 s, as RFC
    /// 8461 §3.3 suggests).
    pub fetch_timeout: Duration,
    /// The budget for the STARTTLS probe of one MX host, from resolving
    /// its name to the end of the handshake (default 30 s).
    pub probe_timeout: Duration,
    /// The port of the policy host (default 443; tests use their own).
    pub https_port: u16,
    /// The SMTP port of the MX hosts (default 25; tests use their own).
    pub smtp_port: u16,
    /// The name this host gives in `EHLO` (default `localhost`).
    pub ehlo_name: String,
    /// The trust anchors for certificate chains: the Mozilla roots of
    /// `webpki-roots` by default, or a store the caller gives (a private
    /// CA, the lab's CA in tests).
    pub roots: Arc<RootCertStore>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            nameserver: None,
            dns_timeout: Duration::from_secs(5),
            fetch_timeout: Duration::from_secs(60),
            probe_timeout: Duration::from_secs(30),
            https_port: 443,
            smtp_port: 25,
            ehlo_name: "localhost".to_owned(),
            roots: Arc::new(RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            }),
        }
    }
}

impl Config {
    /// A root store of the CA certificates in `pem` (PEM text, one or more
    /// `CERTIFICATE` blocks; other blocks are skipped), for
    /// [`roots`](Config::roots) when a private CA signs the certificates
    /// (a command's `--ca FILE`).
    ///
    /// # Errors
    ///
    /// `InvalidData` when a block is not valid PEM or not a usable CA
    /// certificate, or when there is no certificate at all.
    pub fn roots_from_pem(pem: &[u8]) -> std::io::Result<Arc<RootCertStore>> {
        let invalid =
            |message: String| std::io::Error::new(std::io::ErrorKind::InvalidData, message);
        let mut roots = RootCertStore::empty();
        for (index, cert) in CertificateDer::pem_slice_iter(pem).enumerate() {
            let cert = cert.map_err(|err| invalid(format!("certificate {}: {err}", index + 1)))?;
            roots
                .add(cert)
                .map_err(|err| invalid(format!("certificate {}: {err}", index + 1)))?;
        }
        if roots.is_empty() {
            return Err(invalid("no CERTIFICATE block found".to_owned()));
        }
        Ok(Arc::new(roots))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_from_pem_refuses_what_is_not_a_certificate() {
        let err = Config::roots_from_pem(b"not pem at all").unwrap_err();
        assert_eq!(err.to_string(), "no CERTIFICATE block found");
        let broken = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let err = Config::roots_from_pem(broken).unwrap_err();
        assert!(err.to_string().starts_with("certificate 1: "), "{err}");
    }
}
