//! `mta-sts check`, end to end: the binary run as a process against the
//! lab of real DNS, HTTPS and SMTP servers (`mta-sts-lab`) that this test
//! process starts on loopback, pointed at it with `--resolver`,
//! `--https-port`, `--smtp-port` and `--ca`.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{STS, check, check_with, codes, publish_good, results};
use mta_sts_lab::{Behaviour, Leaf, Mx, enforce, lab};

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
    let (reports, summary) = results(&stdout);
    assert_eq!(reports.len(), 1, "{stdout}");
    let report = &reports[0];
    assert_eq!(report["domain"], "good.test");
    assert!(
        report["outcome"] == "ok" || report["outcome"] == "warnings",
        "{report}"
    );
    assert!(report.get("file").is_none(), "{report}");
    assert_eq!(summary["checked"], 1, "{summary}");
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
    let report = &results(&stdout).0[0];
    assert!(codes(report).contains(&"http-status"), "{report}");
    assert_eq!(report["outcome"], "errors", "{report}");
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
    let report = &results(&stdout).0[0];
    assert_eq!(report["domain"], "nosuch.test");
    assert_eq!(report["outcome"], "could-not-check", "{report}");
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

    let (output, stdout, _) = check(&["--json", "not a domain"]);
    assert_eq!(output.status.code(), Some(2), "{stdout}");
    let (objects, summary) = results(&stdout);
    assert_eq!(objects[0]["domain"], "not a domain");
    assert_eq!(objects[0]["outcome"], "not-a-domain");
    assert_eq!(summary["not_a_domain"], 1, "{summary}");
}

#[test]
fn some_domains_checked_exits_1_and_reports_each() {
    publish_good("alsogood.test");
    let (output, stdout, stderr) = check(&["--json", "alsogood.test", "gone.test"]);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    let (reports, summary) = results(&stdout);
    assert_eq!(summary["could_not_check"], 1, "{summary}");
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
    for option in [
        "--resolver",
        "--timeout",
        "--ca",
        "--smtp-port",
        "--json",
        "--from",
        "--jobs",
        "Ctrl-C",
    ] {
        assert!(help.contains(option), "{option} missing from {help}");
    }
}
