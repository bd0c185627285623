//! `examples/report.rs` reads the bundled report (RFC 8460 Appendix B) and
//! a real one.
#![cfg(feature = "serde")]

mod examples;

use std::process::Command;

#[test]
fn report_example_lists_deviations_and_failures() {
    let example = examples::executable("report");
    let output = Command::new(&example).output().expect("the example runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    for expected in [
        "deviation: policies[0].policy.mx-host: mx-host as a string",
        "Company-X (5065427c-23d3-47ca-b6e0-946ea0e8c4be), 2016-04-01T00:00:00Z to",
        "sts company-y.example: 5326 successful, 303 failed sessions",
        "  200 × starttls-not-supported at mx2.mail.company-y.example",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }

    let google = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/tlsrpt-reports/google-krvtz.net-2024-09-15.json"
    );
    let output = Command::new(&example).arg(google).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(!stdout.contains("deviation"), "{stdout}");
    assert!(stdout.contains("krvtz.net"), "{stdout}");
}
