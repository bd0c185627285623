//! A lab of real servers on loopback, started once per test binary and
//! shared by its tests: an authoritative DNS server for `test.`, a DNS
//! server that never answers, an HTTPS server for the policy hosts and
//! SMTP servers for the MX hosts, with certificates from a CA made at
//! start. Only 127.0.0.0/8 addresses and unprivileged ports are used.

pub(crate) mod dns;
pub(crate) mod https;
pub(crate) mod pki;
pub(crate) mod postfix;
pub(crate) mod smtp;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use mta_sts_net::Config;

pub(crate) use https::Behaviour;
pub(crate) use pki::Leaf;
pub(crate) use smtp::Mx;

/// The running lab.
#[derive(Debug)]
pub(crate) struct Lab {
    pub(crate) dns: SocketAddr,
    pub(crate) silent_dns: SocketAddr,
    pub(crate) https_port: u16,
    pub(crate) smtp_port: u16,
    pub(crate) zone: Arc<dns::Zone>,
    pub(crate) web: Arc<https::Web>,
    pub(crate) pki: Arc<pki::Pki>,
}

/// The lab, started on first use on a runtime of its own (so that it
/// outlives each test's runtime).
pub(crate) fn lab() -> &'static Lab {
    static LAB: OnceLock<Lab> = OnceLock::new();
    LAB.get_or_init(|| {
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("lab runtime");
            runtime.block_on(async move {
                let zone = Arc::new(dns::Zone::default());
                let web = Arc::new(https::Web::default());
                let pki = Arc::new(pki::Pki::new());
                let lab = Lab {
                    dns: dns::start(Arc::clone(&zone)).await,
                    silent_dns: dns::start_silent().await,
                    https_port: https::start(Arc::clone(&web), Arc::clone(&pki)).await,
                    smtp_port: smtp::start(Arc::clone(&pki)).await,
                    zone,
                    web,
                    pki,
                };
                sender.send(lab).expect("lab handed over");
                std::future::pending::<()>().await;
            });
        });
        receiver.recv().expect("the lab started")
    })
}

/// Debian's Postfix as an MX host on [`postfix::ADDRESS`], started on
/// first use (see [`postfix`]).
pub(crate) fn postfix() -> Result<&'static std::path::Path, &'static str> {
    static POSTFIX: OnceLock<Result<std::path::PathBuf, String>> = OnceLock::new();
    POSTFIX
        .get_or_init(|| {
            let lab = lab();
            postfix::start(&lab.pki, lab.smtp_port)
        })
        .as_deref()
        .map_err(String::as_str)
}

/// One MX record of a lab domain: its host name and what serves it.
pub(crate) type MxHost<'a> = (&'a str, Mx);

impl Lab {
    /// A configuration for the lab: its DNS server, ports and CA, and
    /// budgets short enough for tests.
    pub(crate) fn config(&self) -> Config {
        let mut config = Config::default();
        config.nameserver = Some(self.dns);
        config.https_port = self.https_port;
        config.smtp_port = self.smtp_port;
        config.roots = Arc::new(self.pki.roots());
        config.dns_timeout = Duration::from_secs(2);
        config.fetch_timeout = Duration::from_secs(5);
        config.probe_timeout = Duration::from_secs(5);
        config.ehlo_name = "client.lab.test".to_owned();
        config
    }

    /// Publishes `domain`: its `_mta-sts` TXT records, the policy host's
    /// behaviour, its MX hosts (preference 10, 20, …) and a TLS-RPT
    /// record.
    pub(crate) fn publish(&self, domain: &str, txt: &[&str], policy: Behaviour, mx: &[MxHost<'_>]) {
        self.zone.set_txt(&format!("_mta-sts.{domain}"), txt);
        self.zone.set_txt(
            &format!("_smtp._tls.{domain}"),
            &[&format!("v=TLSRPTv1; rua=mailto:tls@{domain}")],
        );
        self.zone
            .set_a(&format!("mta-sts.{domain}"), Ipv4Addr::LOCALHOST);
        self.web.set(&format!("mta-sts.{domain}"), policy);
        let records: Vec<(u16, &str)> = mx
            .iter()
            .zip(1..)
            .map(|(&(host, _), rank)| (rank * 10, host))
            .collect();
        self.zone.set_mx(domain, &records);
        for &(host, behaviour) in mx {
            self.zone.set_a(host, smtp::address(behaviour));
        }
    }
}

/// A policy in enforce mode for these MX patterns.
pub(crate) fn enforce(mx: &[&str], max_age: u32) -> String {
    policy("enforce", mx, max_age)
}

/// A policy text.
pub(crate) fn policy(mode: &str, mx: &[&str], max_age: u32) -> String {
    let mut text = format!("version: STSv1\r\nmode: {mode}\r\n");
    for pattern in mx {
        text.push_str(&format!("mx: {pattern}\r\n"));
    }
    text.push_str(&format!("max_age: {max_age}\r\n"));
    text
}
