//! `examples/sender.rs` runs and walks through the steps it promises.

mod examples;

use std::process::Command;

#[test]
fn sender_example_runs() {
    let output = Command::new(examples::executable("sender"))
        .output()
        .expect("the example runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the example failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for expected in [
        "TXT record        _mta-sts.xn--bcher-kva.example",
        "policy URL        https://mta-sts.xn--bcher-kva.example/.well-known/mta-sts.txt",
        "address literal   invalid-domain",
        "selected id       Some(\"20240315T120000\")",
        "decision          apply no-policy, next fetch for id \"20240315T120000\" (no-cache)",
        "-> report sts-policy-fetch-error",
        "then              apply no-policy, next wait until 1700000300 (no-cache)",
        "expired cert      -> report sts-webpki-invalid",
        "fetched           apply cached, next nothing",
        "DNS failure       apply cached, next nothing",
        "two days later    apply cached, next fetch for id \"20240315T120000\" (refresh)",
        "after expiry      apply no-policy, next nothing",
        "mx1.xn--bcher-kva.example   certificate-expired: refuse, report certificate-expired",
        "mx.attacker.example         not in the policy: skipped, no connection",
        "mx2.xn--bcher-kva.example   unreachable: try the next host, report nothing",
        "message           defer",
        "mx2 valid later   deliver",
        "testing  mx.attacker.example         valid: deliver, report validation-failure",
        "report to         https://reports.example.net/v1 (https)",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
}

#[test]
fn help_exits_0_and_an_argument_exits_2() {
    let example = examples::executable("sender");
    let output = Command::new(&example).arg("--help").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("usage: sender"));
    let output = Command::new(&example).arg("--verbose").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unexpected argument \"--verbose\""),
        "{stderr}"
    );
}
