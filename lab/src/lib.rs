//! A lab of real servers on loopback for the workspace's tests, started
//! once per test process and shared by its tests: an authoritative DNS
//! server for `test.`, a DNS server that never answers, an HTTPS server
//! for the policy hosts and SMTP servers for the MX hosts, with
//! certificates from a CA made at start, and Debian's Postfix as a real
//! MX host on request. Only 127.0.0.0/8 addresses and unprivileged ports
//! are used, but for the port-53 DNS listener of a sending Postfix
//! ([`postfix_sender`], on an address of the process's own).
//!
//! For the Postfix tests: a sending Postfix that takes its TLS policies
//! from a socketmap daemon ([`postfix_sender`]), a proxy that records
//! what Postfix asks the daemon ([`socketmap`]), and Debian's
//! `postfix-mta-sts-resolver` pointed at the lab ([`mta_sts_daemon`]).
//! For the shared policy cache: Debian's `redis-server` ([`redis`](mod@redis)).
//!
//! `mta-sts-net`'s tests call `gather` and the sender resolver against
//! it; `mta-sts-cli`'s tests run `mta-sts check` as a process pointed at
//! it (`--resolver`, `--https-port`, `--smtp-port`, `--ca`). A lab
//! server that cannot start panics: the test that asked for it fails.
//!
//! ```no_run
//! use mta_sts_lab::{Behaviour, Mx, enforce, lab};
//!
//! let lab = lab();
//! lab.publish(
//!     "good.test",
//!     &["v=STSv1; id=1;"],
//!     Behaviour::policy(&enforce(&["mx.good.test"], 604_800)),
//!     &[("mx.good.test", Mx::Good)],
//! );
//! println!("DNS on {}, HTTPS on port {}", lab.dns, lab.https_port);
//! ```

#![allow(
    clippy::missing_panics_doc,
    reason = "a lab server that cannot start fails the test that asked for it"
)]

pub mod dns;
pub mod https;
pub mod mta_sts_daemon;
pub mod pki;
pub mod postfix;
pub mod postfix_sender;
pub mod redis;
pub mod smtp;
pub mod socketmap;
pub mod watchdog;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, OnceLock};

pub use https::Behaviour;
pub use pki::Leaf;
pub use smtp::Mx;

/// The running lab.
#[derive(Debug)]
pub struct Lab {
    /// The authoritative DNS server for `test.` (UDP and TCP).
    pub dns: SocketAddr,
    /// A DNS server that reads every question and never answers.
    pub silent_dns: SocketAddr,
    /// The port of the HTTPS server on 127.0.0.1 (every policy host).
    pub https_port: u16,
    /// The port of every MX host (127.0.0.2 onwards, see [`smtp::HOSTS`]).
    pub smtp_port: u16,
    /// The zone the DNS server answers from.
    pub zone: Arc<dns::Zone>,
    /// What each policy host serves.
    pub web: Arc<https::Web>,
    /// The CA and the certificates served.
    pub pki: Arc<pki::Pki>,
}

/// The lab, started on first use on a runtime of its own (so that it
/// outlives each test's runtime).
pub fn lab() -> &'static Lab {
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
/// first use (see [`postfix`](mod@postfix)); returns its directory.
///
/// # Errors
///
/// What is missing when it cannot start (the package, root), the same
/// message on every call.
pub fn postfix() -> Result<&'static std::path::Path, &'static str> {
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
pub type MxHost<'a> = (&'a str, Mx);

impl Lab {
    /// Publishes `domain`: its `_mta-sts` TXT records, the policy host's
    /// behaviour, its MX hosts (preference 10, 20, …) and a TLS-RPT
    /// record.
    pub fn publish(&self, domain: &str, txt: &[&str], policy: Behaviour, mx: &[MxHost<'_>]) {
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
#[must_use]
pub fn enforce(mx: &[&str], max_age: u32) -> String {
    policy("enforce", mx, max_age)
}

/// A policy text.
#[must_use]
pub fn policy(mode: &str, mx: &[&str], max_age: u32) -> String {
    let mut text = format!("version: STSv1\r\nmode: {mode}\r\n");
    for pattern in mx {
        text.push_str(&format!("mx: {pattern}\r\n"));
    }
    text.push_str(&format!("max_age: {max_age}\r\n"));
    text
}
