//! `mta-sts check`, end to end: the binary run as a process against the
//! lab of real DNS, HTTPS and SMTP servers (`mta-sts-lab`) that this test
//! process starts on loopback, pointed at it with `--resolver`,
//! `--https-port`, `--smtp-port` and `--ca`.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use mta_sts_lab::{Behaviour, Leaf, Mx, enforce, lab};

const STS: &str = "v=STSv1; id=20240101T000000;";

/// The lab CA's certificate in a file, for `--ca`.
fn ca_file() -> &'static PathBuf {
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
fn check_with(resolver: std::net::SocketAddr, args: &[&str]) -> (Output, String, String) {
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
    let output = command
        .args(args)
        .env_remove("COLUMNS")
        .output()
        .expect("mta-sts runs");
    let stdout = String::from_utf8(output.stdout.clone()).expect("UTF-8 output");
    let stderr = String::from_utf8(output.stderr.clone()).expect("UTF-8 errors");
    (output, stdout, stderr)
}

fn check(args: &[&str]) -> (Output, String, String) {
    check_with(lab().dns, args)
}

/// The JSON objects of `--json` output, one a line.
fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON object per line"))
        .collect()
}

/// The codes of a JSON report's findings.
fn codes(report: &serde_json::Value) -> Vec<&str> {
    report["lints"]
        .as_array()
        .expect("lints")
        .iter()
        .map(|lint| lint["code"].as_str().expect("code"))
        .collect()
}

/// A domain with everything in place: a record, an enforce policy over
/// HTTPS, an MX host with STARTTLS and a certificate for its name.
fn publish_good(domain: &str) {
    let mx = format!("mx.{domain}");
    lab().publish(
        domain,
        &[STS],
        Behaviour::policy(&enforce(&[&mx], 604_800)),
        &[(&mx, Mx::Good)],
    );
}

#[test]
fn good_domain_exits_0() {
    publish_good("good.test");
    let (output, stdout, stderr) = check(&["good.test"]);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    let first = stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("good.test: MTA-STS is in place: senders apply mode enforce"),
        "{stdout}"
    );
    assert!(stdout.contains("mx mx.good.test"), "{stdout}");
    assert!(stdout.contains("\n0 errors, "), "{stdout}");
    assert!(!stdout.contains("error["), "{stdout}");
    assert_eq!(stderr, "");

    let (output, stdout, _) = check(&["good.test", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let reports = json_lines(&stdout);
    assert_eq!(reports.len(), 1, "{stdout}");
    let report = &reports[0];
    assert_eq!(report["domain"], "good.test");
    assert!(report["could_not_check"].is_null(), "{report}");
    assert_eq!(report["summary"]["error"], 0, "{report}");
    assert_eq!(report["summary"]["strict_accepts"], true, "{report}");
    assert_eq!(report["policy"]["mode"], "enforce", "{report}");
}

#[test]
fn policy_not_found_exits_1_naming_the_finding() {
    lab().publish(
        "missing.test",
        &[STS],
        Behaviour::status(404),
        &[("mx.missing.test", Mx::Good)],
    );
    let (output, stdout, stderr) = check(&["missing.test"]);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.starts_with("missing.test: senders get no MTA-STS policy"),
        "{stdout}"
    );
    assert!(stdout.contains("error[http-status]"), "{stdout}");
    assert!(stdout.contains("404"), "{stdout}");

    let (output, stdout, _) = check(&["missing.test", "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let report = &json_lines(&stdout)[0];
    assert!(codes(report).contains(&"http-status"), "{report}");
    assert!(report["policy"].is_null());
}

#[test]
fn mx_certificate_for_another_host_exits_1() {
    let lab = lab();
    lab.pki
        .serve("mx.othercert.test", Leaf::For(&["somewhere.else.test"]));
    lab.publish(
        "othercert.test",
        &[STS],
        Behaviour::policy(&enforce(&["mx.othercert.test"], 604_800)),
        &[("mx.othercert.test", Mx::Good)],
    );
    let (output, stdout, stderr) = check(&["othercert.test"]);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stdout.contains("error[cert-name-mismatch]"), "{stdout}");
    assert!(stdout.contains("somewhere.else.test"), "{stdout}");
    // The only MX host is refused: enforce mode bounces the mail.
    assert!(stdout.contains("[enforce-refuses-all]"), "{stdout}");
}

#[test]
fn domain_that_does_not_exist_exits_2_naming_it() {
    let (output, stdout, stderr) = check(&["nosuch.test"]);
    assert_eq!(output.status.code(), Some(2), "{stdout}{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with("mta-sts check: nosuch.test: could not check: "),
        "{stderr}"
    );
    assert!(stderr.contains("[domain-not-found]"), "{stderr}");

    let (output, stdout, _) = check(&["nosuch.test", "--json"]);
    assert_eq!(output.status.code(), Some(2));
    let report = &json_lines(&stdout)[0];
    assert_eq!(report["domain"], "nosuch.test");
    let why = report["could_not_check"].as_str().expect("a reason");
    assert!(why.contains("does not exist"), "{why}");
}

#[test]
fn what_is_not_a_domain_name_exits_2_naming_it() {
    let (output, stdout, stderr) = check(&["not a domain"]);
    assert_eq!(output.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stderr.starts_with("mta-sts check: not a domain: could not check: not a domain name: "),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn some_domains_checked_exits_1_and_reports_each() {
    publish_good("alsogood.test");
    let (output, stdout, stderr) = check(&["--json", "alsogood.test", "gone.test"]);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    let reports = json_lines(&stdout);
    let domains: Vec<&str> = reports
        .iter()
        .map(|report| report["domain"].as_str().expect("domain"))
        .collect();
    assert_eq!(domains, ["alsogood.test", "gone.test"]);
    assert!(reports[0]["could_not_check"].is_null());
    assert!(stderr.contains("gone.test: could not check"), "{stderr}");
    assert!(!stderr.contains("alsogood.test"), "{stderr}");
}

#[test]
fn dns_server_that_never_answers_exits_2_within_the_timeout() {
    let start = Instant::now();
    let (output, stdout, stderr) = check_with(lab().silent_dns, &["--timeout", "1", "good.test"]);
    let took = start.elapsed();
    assert_eq!(output.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stderr.starts_with("mta-sts check: good.test: could not check: "),
        "{stderr}"
    );
    assert!(stderr.contains("[dns-failed]"), "{stderr}");
    assert!(stderr.contains("timed out"), "{stderr}");
    // The DNS budget (1 s) plus starting the process.
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn unreadable_ca_file_exits_2_naming_it() {
    let (output, _, stderr) = check(&["--ca", "/nonexistent/ca.pem", "good.test"]);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("/nonexistent/ca.pem"), "{stderr}");
}

#[test]
fn help_exits_0() {
    let output = Command::new(env!("CARGO_BIN_EXE_mta-sts"))
        .args(["check", "--help"])
        .output()
        .expect("mta-sts runs");
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8(output.stdout).expect("UTF-8 help");
    for option in ["--resolver", "--timeout", "--ca", "--smtp-port", "--json"] {
        assert!(help.contains(option), "{option} missing from {help}");
    }
}
