//! `examples/lint.rs` runs on the bundled policy and on a file given.

mod examples;

use std::process::Command;

#[test]
fn lint_example_reports_the_bundled_policy_and_a_file() {
    let example = examples::executable("lint");
    let output = Command::new(&example).output().expect("the example runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    for expected in [
        "strict senders refuse the policy: invalid mx pattern \"backup.example.net.\" on line 5",
        "lenient senders apply mode testing",
        "error[mx-wildcard-own-domain]: wildcard mx pattern \"*.example.com\" on line 4",
        "RFC 8461 §10.4",
        "5 errors, 2 warnings, 2 info",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }

    let clean = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/policies/clean.txt");
    let output = Command::new(&example).arg(clean).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("strict senders accept the policy"),
        "{stdout}"
    );
    assert!(
        stdout.contains("lenient senders apply mode enforce"),
        "{stdout}"
    );

    let output = Command::new(&example)
        .arg("/nonexistent/policy.txt")
        .output()
        .unwrap();
    assert!(!output.status.success());
}
