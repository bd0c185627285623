//! Debian's Postfix as a sending MTA whose TLS policy comes from a
//! socketmap daemon (`smtp_tls_policy_maps =
//! socketmap:inet:127.0.0.1:PORT:postfix`), delivering to the lab's MX
//! hosts: a throwaway instance with its own configuration, queue and log
//! in a temporary directory, like the MX one ([`postfix`](mod@super::postfix)).
//! Mail is submitted with `sendmail -C`; the outcome is read from its log.
//!
//! # Name resolution
//!
//! Postfix resolves MX and host names with the C library's resolver,
//! which reads `/etc/resolv.conf` and knows no port but 53; the lab's DNS
//! runs on a random port. Nothing global is changed: the instance runs
//! its `smtp` client chrooted into its own queue directory (as Debian
//! runs it in `/var/spool/postfix`), where `etc/resolv.conf` names a
//! second listener of the lab's DNS, on port 53 of a loopback address of
//! this process's own (`127.53.x.y`, from the process id, so that test
//! processes running at once do not collide). MX lookups stay on, so the
//! policy lookup key is what a real delivery sends: the recipient domain.
//! The lab's MX hosts listen on one random port, which the instance uses
//! as the `smtp` port through `known_tcp_ports = smtp=PORT` (next hops
//! written `domain:port` would have changed the lookup key).
//!
//! Needs the `postfix` package and root, like the MX instance.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::dns::Zone;
use super::pki::Pki;

/// The sending instance's host name (its EHLO name).
pub const HOST: &str = "sender.postfix.test";

/// The services a sending instance needs beside the MX instance's;
/// `smtp` is chrooted into the queue directory, where it finds the lab's
/// `etc/resolv.conf`.
const SENDING_SERVICES: &str = "\
pickup unix n - n 60 1 pickup
flush unix n - n 1000? 0 flush
showq unix n - n - - showq
smtp unix - - y - - smtp
relay unix - - y - - smtp
";

/// A running sending instance.
#[derive(Debug)]
pub struct Sender {
    dir: PathBuf,
    policy_map: SocketAddr,
}

/// What became of one message, from the sending instance's log.
#[derive(Debug)]
pub struct Outcome {
    /// `sent`, `deferred` or `bounced`.
    pub status: String,
    /// Every log line about the delivery attempt to the recipient's
    /// domain: the TLS handshake, certificate verification, the status.
    pub log: String,
}

/// The loopback address of this process's port-53 DNS listener.
#[must_use]
pub fn resolver_address() -> Ipv4Addr {
    let id = std::process::id();
    let [_, _, high, low] = (id & 0xffff).to_be_bytes();
    // 127.53.0.0 and 127.53.0.1 are left to others.
    Ipv4Addr::new(127, 53, high, low.max(2))
}

/// Starts the lab's DNS on port 53 of [`resolver_address`] (on a runtime
/// of its own) and a sending Postfix that takes its TLS policies from the
/// socketmap at `policy_map` and delivers to port `smtp_port`.
///
/// # Errors
///
/// What is missing or went wrong: the package, root, the port-53 listener,
/// the instance's log when it did not start within 30 s.
pub fn start(
    zone: Arc<Zone>,
    pki: &Pki,
    smtp_port: u16,
    policy_map: SocketAddr,
) -> Result<Sender, String> {
    if !Path::new("/usr/sbin/sendmail").exists() {
        return Err("Debian's postfix is not installed: apt-get install postfix".to_owned());
    }
    let nameserver = resolver_address();
    start_dns(zone, nameserver)?;
    let dir = super::postfix::instance_dir(&format!("mta-sts-sender-{}", policy_map.port()))?;
    std::fs::create_dir_all(dir.join("queue/etc"))
        .map_err(|err| format!("{}: {err}", dir.display()))?;
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text).map_err(|err| format!("{name}: {err}"))
    };
    write(
        "queue/etc/resolv.conf",
        &format!("nameserver {nameserver}\noptions timeout:2 attempts:2\n"),
    )?;
    write("etc/ca.pem", &pki.ca_pem())?;
    let d = dir.display();
    write(
        "etc/main.cf",
        &format!(
            "{}known_tcp_ports = smtp={smtp_port}
smtp_tls_security_level = may
smtp_tls_CAfile = {d}/etc/ca.pem
smtp_tls_loglevel = 1
smtp_tls_policy_maps = socketmap:inet:{policy_map}:postfix
smtp_connect_timeout = 5s
smtp_helo_timeout = 10s
queue_run_delay = 300s
max_use = 1
",
            super::postfix::main_cf(&dir, HOST, "127.0.0.1")
        ),
    )?;
    write(
        "etc/master.cf",
        &format!("{SENDING_SERVICES}{}", super::postfix::MASTER_CF),
    )?;
    super::postfix::start_fg(&dir)?;
    let pickup = dir.join("queue/public/pickup");
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if pickup.exists() && dir.join("queue/pid/master.pid").exists() {
            return Ok(Sender { dir, policy_map });
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let log = std::fs::read_to_string(dir.join("maillog")).unwrap_or_default();
    Err(format!(
        "the sending postfix did not start within 30 s; its log:\n{log}"
    ))
}

/// Serves the lab's zone on port 53 of `address`, once per process.
fn start_dns(zone: Arc<Zone>, address: Ipv4Addr) -> Result<(), String> {
    static STARTED: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    STARTED
        .get_or_init(|| {
            let (sender, receiver) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("DNS runtime");
                runtime.block_on(async move {
                    let started = super::dns::start_at(zone, SocketAddr::from((address, 53)))
                        .await
                        .map_err(|err| format!("lab DNS on {address}:53: {err}"));
                    let _ = sender.send(started);
                    std::future::pending::<()>().await;
                });
            });
            receiver
                .recv()
                .unwrap_or_else(|_| Err("the lab DNS thread ended".to_owned()))
        })
        .clone()
}

impl Sender {
    /// The socketmap this instance asks for TLS policies.
    #[must_use]
    pub fn policy_map(&self) -> SocketAddr {
        self.policy_map
    }

    /// The instance's configuration directory (for `postmap -c`).
    #[must_use]
    pub fn config_dir(&self) -> PathBuf {
        self.dir.join("etc")
    }

    /// The instance's log so far.
    #[must_use]
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("maillog")).unwrap_or_default()
    }

    /// Submits a message to `recipient` and waits (at most `within`) for
    /// the first delivery attempt's status in the log.
    ///
    /// # Errors
    ///
    /// When `sendmail` fails, or no status is logged in time (with the log).
    pub fn send(&self, recipient: &str, within: Duration) -> Result<Outcome, String> {
        let mut child = Command::new("/usr/sbin/sendmail")
            .arg("-C")
            .arg(self.config_dir())
            .args(["-f", &format!("lab@{HOST}"), "-i", "--", recipient])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|err| format!("sendmail: {err}"))?;
        let message = format!("From: lab@{HOST}\nTo: {recipient}\nSubject: lab\n\nhello\n");
        if let Some(mut stdin) = child.stdin.take() {
            std::io::Write::write_all(&mut stdin, message.as_bytes())
                .map_err(|err| format!("sendmail: {err}"))?;
        }
        let output = child
            .wait_with_output()
            .map_err(|err| format!("sendmail: {err}"))?;
        if !output.status.success() {
            return Err(format!(
                "sendmail: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        let to = format!("to=<{recipient}>");
        let deadline = Instant::now() + within;
        loop {
            let log = self.log();
            if let Some(line) = log
                .lines()
                .find(|line| line.contains(&to) && line.contains("status="))
            {
                let status = line
                    .split("status=")
                    .nth(1)
                    .and_then(|rest| rest.split(' ').next())
                    .unwrap_or_default()
                    .to_owned();
                // The lines of the process that made the attempt (each
                // `smtp` process makes one, `max_use = 1`) and of the
                // message's queue id.
                let mut fields = line.split(": ");
                let process = fields.next().unwrap_or_default();
                let process = &process[process.rfind(' ').map_or(0, |at| at + 1)..];
                let queue_id = fields.next().unwrap_or_default();
                let log = log
                    .lines()
                    .filter(|line| line.contains(process) || line.contains(queue_id))
                    .collect::<Vec<_>>()
                    .join("\n");
                return Ok(Outcome { status, log });
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "no delivery status for {recipient}; the log:\n{log}"
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
