//! What the tests of `mta-sts check` (and `postfix serve`) share: the
//! binary run against the lab of real DNS, HTTPS and SMTP servers
//! (`mta-sts-lab`) that the test process starts on loopback, pointed at it
//! with `--resolver`, `--https-port`, `--smtp-port` and `--ca`.

#![allow(dead_code, reason = "each test file uses some of the helpers")]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

use mta_sts_lab::{Behaviour, Mx, enforce, lab};

pub(crate) const STS: &str = "v=STSv1; id=20240101T000000;";

/// The lab CA's certificate in a file, for `--ca`.
pub(crate) fn ca_file() -> &'static PathBuf {
    static CA: OnceLock<PathBuf> = OnceLock::new();
    CA.get_or_init(|| {
        let path =
            std::env::temp_dir().join(format!("mta-sts-check-ca-{}.pem", std::process::id()));
        std::fs::write(&path, lab().pki.ca_pem()).expect("CA file written");
        path
    })
}

/// Runs `mta-sts check` against the lab's DNS server (or `resolver`) with
/// `args` (the lab's CA and a 3 s budget unless they give `--ca` or
/// `--timeout`); returns the output, standard output and standard error.
pub(crate) fn check_with(
    resolver: std::net::SocketAddr,
    args: &[&str],
) -> (Output, String, String) {
    let output = check_command(resolver, args)
        .output()
        .expect("mta-sts runs");
    let stdout = String::from_utf8(output.stdout.clone()).expect("UTF-8 output");
    let stderr = String::from_utf8(output.stderr.clone()).expect("UTF-8 errors");
    (output, stdout, stderr)
}

/// The command [`check_with`] runs, to run otherwise.
pub(crate) fn check_command(resolver: std::net::SocketAddr, args: &[&str]) -> Command {
    let lab = lab();
    let mut command = Command::new(env!("CARGO_BIN_EXE_mta-sts"));
    command
        .arg("check")
        .args(["--resolver", &resolver.to_string()])
        .args(["--https-port", &lab.https_port.to_string()])
        .args(["--smtp-port", &lab.smtp_port.to_string()]);
    if !args.contains(&"--ca") {
        command.arg("--ca").arg(ca_file());
    }
    if !args.contains(&"--timeout") {
        command.args(["--timeout", "3"]);
    }
    command.args(args).env_remove("COLUMNS");
    command
}

pub(crate) fn check(args: &[&str]) -> (Output, String, String) {
    check_with(lab().dns, args)
}

/// The JSON objects of `--json` output, one a line.
pub(crate) fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON object per line"))
        .collect()
}

/// The codes of a JSON report's findings.
pub(crate) fn codes(report: &serde_json::Value) -> Vec<&str> {
    report["lints"]
        .as_array()
        .expect("lints")
        .iter()
        .map(|lint| lint["code"].as_str().expect("code"))
        .collect()
}

/// A domain with everything in place: a record, an enforce policy over
/// HTTPS, an MX host with STARTTLS and a certificate for its name.
pub(crate) fn publish_good(domain: &str) {
    let mx = format!("mx.{domain}");
    publish(
        domain,
        Behaviour::policy(&enforce(&[&mx], 604_800)),
        Mx::Good,
    );
}

/// A domain with a record, its policy host answering as `policy`, and one
/// MX host, `mx.DOMAIN`, served as `mx`.
pub(crate) fn publish(domain: &str, policy: Behaviour, mx: Mx) {
    let host = format!("mx.{domain}");
    lab().publish(domain, &[STS], policy, &[(&host, mx)]);
}

/// The `--json` output: the object of each input, and the summary (the
/// last line, `{"summary": {…}}`).
pub(crate) fn results(stdout: &str) -> (Vec<serde_json::Value>, serde_json::Value) {
    let mut objects = json_lines(stdout);
    let last = objects.pop().expect("a summary line");
    assert_eq!(
        last.as_object().map(serde_json::Map::len),
        Some(1),
        "the last line is the summary alone: {last}"
    );
    (objects, last["summary"].clone())
}
