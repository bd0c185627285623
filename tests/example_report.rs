//! The `report` example program, end to end: built once with cargo, then
//! run on the bundled report and on real ones.
#![cfg(feature = "serde")]

mod examples;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn example() -> &'static Path {
    static EXAMPLE: OnceLock<PathBuf> = OnceLock::new();
    EXAMPLE.get_or_init(|| examples::executable("report"))
}

/// Runs the example outside the crate directory: (exit code, stdout, stderr).
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(example())
        .args(args)
        .current_dir(std::env::temp_dir())
        .output()
        .expect("the example runs");
    (
        output.status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn sample(name: &str) -> String {
    format!(
        "{}/tests/data/tlsrpt-reports/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn bundled_report_names_failing_hosts_and_deviations() {
    let (code, stdout, stderr) = run(&[]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    for expected in [
        "from       Company-X <sts-reporting@company-x.example>",
        "policies[0].policy.mx-host: mx-host as a string",
        "sessions     5629: 5326 successful, 303 failed (5.4 %)",
        "    mx2.mail.company-y.example: 200 failed sessions",
        "200 × starttls-not-supported at 203.0.113.56 from 2001:db8:abcd:0013::1",
        "reason: X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED",
        "fix:    the certificate has expired: renew it",
    ] {
        assert!(stdout.contains(expected), "{expected:?} not in\n{stdout}");
    }
    // The host with the most failures comes first.
    let mx2 = stdout.find("mx2.mail").unwrap();
    let mx1 = stdout.find("mx1.mail").unwrap();
    assert!(mx2 < mx1, "{stdout}");
}

#[test]
fn a_clean_report_exits_0_and_strict_errors_exit_2() {
    let (code, stdout, _) = run(&[&sample("google-krvtz.net-2024-09-15.json"), "--strict"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.contains("No failed sessions"), "{stdout}");
    let (code, _, stderr) = run(&[&sample("mail.ru-krvtz.net-2023-01-25.json"), "--strict"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("policies[0].failure-details[0].sending-mta-ip: the member is missing"),
        "{stderr}"
    );
    let (code, stdout, _) = run(&[&sample("mail.ru-krvtz.net-2023-01-25.json")]);
    assert_eq!(code, Some(1));
    assert!(
        stdout.contains("(no MX host given): 1 failed sessions"),
        "{stdout}"
    );
    assert!(
        stdout.contains("https://mta-sts.krvtz.net/.well-known/mta-sts.txt"),
        "{stdout}"
    );
    let (code, _, stderr) = run(&["/nonexistent/report.json"]);
    assert_eq!(code, Some(2), "{stderr}");
}

#[test]
fn help_exits_0() {
    for flag in ["--help", "-h"] {
        let (code, stdout, stderr) = run(&[flag]);
        assert_eq!(code, Some(0), "{flag}: {stderr}");
        assert!(stdout.starts_with("usage: report"), "{stdout}");
    }
}
