//! The lab's certificates: one CA made at start, and a leaf for each name
//! a client asks for by SNI (made on first use), unless a test put
//! another certificate under that name.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
    date_time_ymd,
};
use rustls::RootCertStore;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;

/// What a leaf certificate says.
#[derive(Clone, Copy, Debug)]
pub enum Leaf<'a> {
    /// Valid for these names, signed by the lab CA.
    For(&'a [&'a str]),
    /// Signed by the lab CA for these names, expired since 2021.
    Expired(&'a [&'a str]),
    /// Self-signed, for these names.
    SelfSigned(&'a [&'a str]),
}

/// The lab CA and the certificates served by SNI.
pub struct Pki {
    ca: CertifiedIssuer<'static, KeyPair>,
    provider: Arc<CryptoProvider>,
    by_name: Mutex<HashMap<String, Arc<CertifiedKey>>>,
}

impl std::fmt::Debug for Pki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pki")
    }
}

impl Default for Pki {
    fn default() -> Pki {
        Pki::new()
    }
}

impl Pki {
    /// A new CA (a fresh key), no leaves yet.
    #[must_use]
    pub fn new() -> Pki {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, "mta-sts-net lab CA");
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let ca = CertifiedIssuer::self_signed(params, KeyPair::generate().expect("CA key"))
            .expect("CA certificate");
        Pki {
            ca,
            provider: Arc::new(rustls::crypto::ring::default_provider()),
            by_name: Mutex::new(HashMap::new()),
        }
    }

    /// The lab CA's certificate, as PEM.
    pub fn ca_pem(&self) -> String {
        self.ca.pem()
    }

    /// A root store holding the lab CA only.
    pub fn roots(&self) -> RootCertStore {
        let mut roots = RootCertStore::empty();
        roots.add(self.ca.der().clone()).expect("lab CA as a root");
        roots
    }

    /// A certificate and key as `leaf` says.
    pub fn issue(&self, leaf: Leaf<'_>) -> Arc<CertifiedKey> {
        let names = match leaf {
            Leaf::For(names) | Leaf::Expired(names) | Leaf::SelfSigned(names) => names,
        };
        let mut params = CertificateParams::new(
            names
                .iter()
                .map(|&name| name.to_owned())
                .collect::<Vec<_>>(),
        )
        .expect("leaf params");
        if let Leaf::Expired(_) = leaf {
            params.not_before = date_time_ymd(2020, 1, 1);
            params.not_after = date_time_ymd(2021, 1, 1);
        }
        let key = KeyPair::generate().expect("leaf key");
        let cert = match leaf {
            Leaf::SelfSigned(_) => params.self_signed(&key),
            _ => params.signed_by(&key, &self.ca),
        }
        .expect("leaf certificate");
        let der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let signing = self
            .provider
            .key_provider
            .load_private_key(der)
            .expect("leaf key for rustls");
        Arc::new(CertifiedKey::new(vec![cert.der().clone()], signing))
    }

    /// A leaf for `names` signed by the lab CA, as PEM: (certificate, key).
    pub fn issue_pem(&self, names: &[&str]) -> (String, String) {
        let params = CertificateParams::new(
            names
                .iter()
                .map(|&name| name.to_owned())
                .collect::<Vec<_>>(),
        )
        .expect("leaf params");
        let key = KeyPair::generate().expect("leaf key");
        let cert = params.signed_by(&key, &self.ca).expect("leaf certificate");
        (cert.pem(), key.serialize_pem())
    }

    /// Serves `leaf` to clients asking for `sni`.
    pub fn serve(&self, sni: &str, leaf: Leaf<'_>) {
        let key = self.issue(leaf);
        self.by_name
            .lock()
            .expect("certificates")
            .insert(sni.to_ascii_lowercase(), key);
    }

    /// A rustls server configuration that picks the certificate by SNI.
    pub fn server_config(self: &Arc<Self>) -> rustls::ServerConfig {
        rustls::ServerConfig::builder_with_provider(Arc::clone(&self.provider))
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(BySni(Arc::clone(self))))
    }
}

/// Picks the certificate by the name the client asked for.
#[derive(Debug)]
struct BySni(Arc<Pki>);

impl ResolvesServerCert for BySni {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let name = hello
            .server_name()
            .unwrap_or("lab.test")
            .to_ascii_lowercase();
        let mut by_name = self.0.by_name.lock().ok()?;
        if let Some(key) = by_name.get(&name) {
            return Some(Arc::clone(key));
        }
        let key = self.0.issue(Leaf::For(&[name.as_str()]));
        by_name.insert(name, Arc::clone(&key));
        Some(key)
    }
}
