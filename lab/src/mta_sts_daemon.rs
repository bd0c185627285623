//! Debian's `postfix-mta-sts-resolver` (its `mta-sts-daemon`, Python),
//! the socketmap daemon Postfix users run today, started against the lab
//! so that tests can compare its replies with ours.
//!
//! The daemon takes neither a DNS server nor an HTTPS port nor trust
//! roots from its configuration: a small Python wrapper
//! (`lab/src/mta_sts_daemon.py`) patches exactly those two transports
//! (aiodns asks the lab's DNS; aiohttp connects to the lab's HTTPS port
//! and trusts the lab's CA) and then runs the daemon's own `main` with a
//! configuration file. Everything the daemon decides is its own code.
//! Needs the `postfix-mta-sts-resolver` package (`.ci/run` installs it).

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};

use super::Lab;

/// The wrapper that points the daemon at the lab.
const WRAPPER: &str = include_str!("mta_sts_daemon.py");

/// The map name that treats `testing` as `enforce` (the daemon's
/// `strict_testing`); the default map name is `postfix`.
pub const STRICT_MAP: &str = "strict";

/// A running daemon.
#[derive(Debug)]
pub struct Daemon {
    address: SocketAddr,
    dir: PathBuf,
}

impl Daemon {
    /// Where it listens (socketmap over TCP).
    #[must_use]
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Its log so far (debug level).
    #[must_use]
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("daemon.log")).unwrap_or_default()
    }
}

/// Starts the daemon on a free port of 127.0.0.1, its DNS and HTTPS
/// pointed at `lab`, stopped when this process ends. Its cache grace is
/// 0: every request asks DNS for the record's id, so a test sees a
/// changed record at once.
///
/// # Errors
///
/// When the package is missing, or the daemon does not listen within
/// 30 s (with its log).
pub fn start(lab: &Lab) -> Result<Daemon, String> {
    let python = Path::new("/usr/bin/python3");
    let package = Path::new("/usr/lib/python3/dist-packages/postfix_mta_sts_resolver");
    if !python.exists() || !package.exists() {
        return Err("Debian's postfix-mta-sts-resolver is not installed: \
             apt-get install postfix-mta-sts-resolver"
            .to_owned());
    }
    let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map_err(|err| format!("no free port: {err}"))?
        .port();
    let dir = std::env::temp_dir().join(format!("mta-sts-daemon-{}-{port}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|err| format!("{}: {err}", dir.display()))?;
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text).map_err(|err| format!("{name}: {err}"))
    };
    write("wrapper.py", WRAPPER)?;
    write("ca.pem", &lab.pki.ca_pem())?;
    write(
        "config.yml",
        &format!(
            "host: 127.0.0.1\nport: {port}\nshutdown_timeout: 1\ncache_grace: 0\n\
             cache:\n  type: internal\n\
             default_zone:\n  strict_testing: false\n  timeout: 4\n\
             zones:\n  {STRICT_MAP}:\n    strict_testing: true\n    timeout: 4\n"
        ),
    )?;
    let ca = dir.join("ca.pem");
    let config = dir.join("config.yml");
    let log = dir.join("daemon.log");
    let (dns_host, dns_port) = (lab.dns.ip().to_string(), lab.dns.port().to_string());
    let https_port = lab.https_port.to_string();
    super::watchdog::spawn(
        python,
        [
            dir.join("wrapper.py").as_os_str(),
            dns_host.as_ref(),
            dns_port.as_ref(),
            https_port.as_ref(),
            ca.as_os_str(),
            "--".as_ref(),
            "--disable-uvloop".as_ref(),
            "-v".as_ref(),
            "debug".as_ref(),
            "-c".as_ref(),
            config.as_os_str(),
            "-l".as_ref(),
            log.as_os_str(),
        ],
        &dir.join("stderr"),
        Some(&dir),
    )?;
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    if super::watchdog::listening(address) {
        return Ok(Daemon { address, dir });
    }
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
    Err(format!(
        "mta-sts-daemon did not listen on {address} within 30 s; its log:\n{}\n{}",
        read("daemon.log"),
        read("stderr")
    ))
}
