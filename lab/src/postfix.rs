//! Debian's Postfix as a real MX host: a throwaway instance on
//! 127.0.0.7 (the lab's SMTP port), with its own configuration, queue and
//! a certificate from the lab CA in a temporary directory, started with
//! `postfix start-fg` under a watchdog that stops it when the test
//! process ends. It accepts mail for any domain under `test.` and
//! discards it, logging the recipient with `status=sent`, so that a
//! sending Postfix's delivery ends there ([`postfix_sender`]). Needs the
//! `postfix` package (`.ci/run` installs it) and root, as Postfix's
//! master does.
//!
//! [`postfix_sender`]: super::postfix_sender

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::pki::Pki;

/// The address Postfix listens on.
pub const ADDRESS: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 7);

/// The host name in Postfix's certificate and greeting.
pub const HOST: &str = "mx.postfix.test";

/// The services every lab instance needs; every one unchrooted.
pub(crate) const MASTER_CF: &str = "\
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
tlsmgr unix - - n 1000? 1 tlsmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
proxymap unix - - n - - proxymap
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
";

/// Starts Postfix on [`ADDRESS`]:`port` and waits until it accepts
/// connections; returns its directory.
///
/// # Errors
///
/// What is missing or went wrong: the package, root, its log when it
/// did not listen within 30 s.
pub fn start(pki: &Pki, port: u16) -> Result<PathBuf, String> {
    let postfix = Path::new("/usr/sbin/postfix");
    if !postfix.exists() {
        return Err("Debian's postfix is not installed: apt-get install postfix".to_owned());
    }
    let dir = instance_dir("mta-sts-net-postfix")?;
    let (cert, key) = pki.issue_pem(&[HOST]);
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join("etc").join(name), text).map_err(|err| format!("{name}: {err}"))
    };
    write("cert.pem", &cert)?;
    write("key.pem", &key)?;
    let d = dir.display();
    write(
        "main.cf",
        &format!(
            "{}smtpd_tls_security_level = may
smtpd_tls_chain_files = {d}/etc/key.pem, {d}/etc/cert.pem
# Mail for the lab's domains is accepted and discarded (logged with its
# recipient and `status=sent`), so that a sending Postfix's delivery ends.
relay_domains = test
relay_transport = discard:
smtpd_tls_loglevel = 1
",
            main_cf(&dir, HOST, "loopback-only")
        ),
    )?;
    write(
        "master.cf",
        &format!("{ADDRESS}:{port} inet n - n - - smtpd\n{MASTER_CF}"),
    )?;
    start_fg(&dir)?;
    if super::watchdog::listening(SocketAddr::from((ADDRESS, port))) {
        return Ok(dir);
    }
    let log = std::fs::read_to_string(dir.join("maillog")).unwrap_or_default();
    Err(format!(
        "postfix did not listen on {ADDRESS}:{port} within 30 s; its log:\n{log}"
    ))
}

/// A fresh directory `TEMP/{prefix}-{process id}` for a throwaway
/// instance: `etc`, `queue` and `data` (owned by the `postfix` user).
pub(crate) fn instance_dir(prefix: &str) -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("{prefix}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["etc", "queue", "data"] {
        std::fs::create_dir_all(dir.join(sub))
            .map_err(|err| format!("{}: {err}", dir.display()))?;
    }
    let owned = Command::new("chown")
        .args(["postfix", &format!("{}/data", dir.display())])
        .status()
        .map_err(|err| format!("chown: {err}"))?;
    if !owned.success() {
        return Err("cannot give the data directory to the postfix user".to_owned());
    }
    Ok(dir)
}

/// The `main.cf` lines every lab instance shares: its own directories and
/// log, IPv4 on `interfaces`, no local delivery.
pub(crate) fn main_cf(dir: &Path, host: &str, interfaces: &str) -> String {
    let d = dir.display();
    format!(
        "compatibility_level = 3.6
queue_directory = {d}/queue
data_directory = {d}/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = {interfaces}
inet_protocols = ipv4
myhostname = {host}
mydestination =
alias_maps =
alias_database =
local_recipient_maps =
maillog_file_prefixes = {d}
maillog_file = {d}/maillog
"
    )
}

/// Starts the Postfix instance configured in `dir/etc` with
/// `postfix start-fg`, under a watchdog shell that stops it and removes
/// `dir` once this process is gone.
pub(crate) fn start_fg(dir: &Path) -> Result<(), String> {
    Command::new("sh")
        .args([
            "-c",
            "/usr/sbin/postfix -c \"$1/etc\" start-fg & child=$!; \
             while kill -0 \"$2\" 2>/dev/null; do sleep 1; done; \
             /usr/sbin/postfix -c \"$1/etc\" stop; kill $child; rm -rf \"$1\"",
            "watchdog",
            &dir.display().to_string(),
            &std::process::id().to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(drop)
        .map_err(|err| format!("cannot start postfix: {err}"))
}
