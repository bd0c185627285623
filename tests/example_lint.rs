//! The `lint` example program, end to end: built once with cargo (the same
//! features as this test), then run as a process on the bundled policies.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// Builds the example with this test's features and returns its path.
fn example() -> &'static Path {
    static EXAMPLE: OnceLock<PathBuf> = OnceLock::new();
    EXAMPLE.get_or_init(|| {
        let features: Vec<&str> = [
            ("serde", cfg!(feature = "serde")),
            ("proptest", cfg!(feature = "proptest")),
            ("arbitrary", cfg!(feature = "arbitrary")),
        ]
        .iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| *name)
        .collect();
        let mut cargo = Command::new(env!("CARGO"));
        cargo.current_dir(env!("CARGO_MANIFEST_DIR")).args([
            "build",
            "--quiet",
            "--example",
            "lint",
            "--message-format=json",
        ]);
        if !features.is_empty() {
            cargo.arg("--features").arg(features.join(","));
        }
        let output = cargo.output().expect("cargo runs");
        assert!(
            output.status.success(),
            "cargo build --example lint failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8(output.stdout).unwrap();
        stdout
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|message| message["target"]["name"] == "lint")
            .filter(|message| message["target"]["kind"][0] == "example")
            .find_map(|message| message["executable"].as_str().map(PathBuf::from))
            .expect("cargo reports the example's executable")
    })
}

/// A bundled policy's path.
fn policy(name: &str) -> String {
    format!("{}/examples/policies/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs the example with `args` (and `stdin`), outside the crate directory
/// so nothing depends on the working directory, with colour forbidden.
fn run(args: &[&str], stdin: &str) -> (Output, String, String) {
    let mut child = Command::new(example())
        .args(args)
        .current_dir(std::env::temp_dir())
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    (output, stdout, stderr)
}

#[track_caller]
fn assert_exit(output: &Output, code: i32, stdout: &str, stderr: &str) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
}

#[test]
fn default_lints_the_bundled_problems_policy() {
    let (output, stdout, stderr) = run(&[], "");
    assert_exit(&output, 1, &stdout, &stderr);
    assert!(stdout.starts_with("Linting the bundled example policy examples/policies/problems.txt"));
    for header in [
        "info[mode-testing]: mode is \"testing\" on line 2",
        "info[mx-redundant]: mx pattern \"mail.example.com\" on line 3",
        "error[mx-wildcard-own-domain]: wildcard mx pattern \"*.example.com\" on line 4",
        "warning[mx-wildcard]: wildcard mx pattern \"*.example.com\" on line 4",
        "error[mx-trailing-dot]: mx pattern \"backup.example.net.\" on line 5",
        "warning[mx-pattern-unused]: mx pattern \"backup.example.net\" on line 5",
        "error[key-case]: key \"Mode\" on line 6",
        "error[max-age-short]: max_age 3600 on line 7",
        "error[txt-id-invalid]: TXT record id \"2024-06-01\"",
    ] {
        assert!(stdout.contains(header), "missing {header:?} in\n{stdout}");
    }
    // The wildcard's remedy names the exact lines, indented as written.
    assert!(
        stdout.contains("\n      mx: mail.example.com\n      mx: mx2.example.com\n"),
        "{stdout}"
    );
    assert!(stdout.contains("RFC 8461 §10.4"));
    assert!(
        stdout.ends_with("\n5 errors, 2 warnings, 2 info\n"),
        "{stdout}"
    );
    // Not a terminal: no colour. Explanations wrapped to 78 columns.
    assert!(!stdout.contains('\x1b'));
    for line in stdout.lines().filter(|line| line.starts_with("  ")) {
        assert!(line.chars().count() <= 78, "too wide: {line:?}");
    }
    assert_eq!(stderr, "");
}

#[test]
fn clean_policy_exits_0() {
    let (output, stdout, stderr) = run(&[policy("clean.txt").as_str()], "");
    assert_exit(&output, 0, &stdout, &stderr);
    assert!(stdout.contains("parses (leniently) as mode enforce, max_age 1209600, 2 mx patterns"));
    assert!(
        stdout.ends_with("\n0 errors, 0 warnings, 0 info\n"),
        "{stdout}"
    );
}

#[test]
fn warnings_alone_exit_0() {
    let file = policy("wildcard.txt");
    let (output, stdout, stderr) = run(
        &[
            file.as_str(),
            "--domain",
            "contoso.com",
            "--mx",
            "contoso-com.mail.protection.outlook.com.",
        ],
        "",
    );
    assert_exit(&output, 0, &stdout, &stderr);
    assert!(stdout.contains(
        "warning[mx-wildcard]: wildcard mx pattern \"*.mail.protection.outlook.com\" on line 3"
    ));
    assert!(
        stdout.contains("\n      mx: contoso-com.mail.protection.outlook.com\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("\n0 errors, 1 warning, 0 info\n"),
        "{stdout}"
    );
}

#[test]
fn context_options_and_stdin() {
    let text = "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 604800\n";
    let (output, stdout, stderr) = run(
        &["-", "--mx", "mx1.example.com", "--mx=mx2.example.com"],
        text,
    );
    assert_exit(&output, 1, &stdout, &stderr);
    assert!(stdout.starts_with("<stdin>: parses"), "{stdout}");
    assert!(stdout
        .contains("error[mx-not-covered]: DNS MX host \"mx2.example.com\" matches no mx pattern"));

    let (output, stdout, stderr) = run(&["-", "--no-mx"], text);
    assert_exit(&output, 1, &stdout, &stderr);
    assert!(stdout.contains("error[mx-no-dns-mx]"), "{stdout}");

    let (output, stdout, stderr) = run(&["-", "--txt", "v=STSv1; id=abc; id=def"], text);
    assert_exit(&output, 0, &stdout, &stderr);
    assert!(stdout.contains("warning[txt-duplicate-field]"), "{stdout}");

    let (output, stdout, stderr) = run(&["-"], "mode: bogus\n");
    assert_exit(&output, 1, &stdout, &stderr);
    assert!(stdout.contains("does not parse"), "{stdout}");
    assert!(stdout.contains("error[invalid-mode]"), "{stdout}");
}

#[test]
fn usage_and_io_errors_exit_2() {
    let (output, stdout, stderr) = run(&["/nonexistent/mta-sts.txt"], "");
    assert_exit(&output, 2, &stdout, &stderr);
    assert!(
        stderr.contains("cannot read \"/nonexistent/mta-sts.txt\""),
        "{stderr}"
    );
    assert_eq!(stdout, "");

    for args in [
        &["--bogus"][..],
        &["--mx"][..],
        &["a.txt", "b.txt"][..],
        &["--mx", "a.example.com", "--no-mx"][..],
    ] {
        let (output, stdout, stderr) = run(args, "");
        assert_exit(&output, 2, &stdout, &stderr);
        assert!(stderr.starts_with("lint: "), "{args:?}: {stderr}");
        assert!(stderr.contains("usage: lint"), "{args:?}: {stderr}");
    }

    let (output, stdout, stderr) = run(&["--help"], "");
    assert_exit(&output, 0, &stdout, &stderr);
    assert!(stdout.starts_with("usage: lint"));
}

#[test]
fn bytes_that_are_not_utf8_are_an_error_finding() {
    let mut child = Command::new(example())
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"version: STSv1\nmode: \xff\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("error[syntax]: <stdin>: "), "{stderr}");
    assert!(stderr.contains("line 2"), "{stderr}");
}

#[cfg(feature = "serde")]
#[test]
fn json_output_parses() {
    let (output, stdout, stderr) = run(&["--json"], "");
    assert_exit(&output, 1, &stdout, &stderr);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    let lints = report["lints"].as_array().unwrap();
    let codes: Vec<&str> = lints.iter().map(|l| l["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"mx-wildcard-own-domain"), "{codes:?}");
    assert!(codes.contains(&"key-case"), "{codes:?}");
    for lint in lints {
        for field in ["code", "severity", "message", "explanation"] {
            assert!(lint[field].is_string(), "{field} in {lint}");
        }
        assert!(lint["line"].is_u64() || lint["line"].is_null(), "{lint}");
    }
    assert_eq!(report["policy"]["mode"], "testing");

    let (output, stdout, stderr) = run(&[policy("clean.txt").as_str(), "--json"], "");
    assert_exit(&output, 0, &stdout, &stderr);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["lints"], serde_json::json!([]));
}

#[cfg(not(feature = "serde"))]
#[test]
fn json_without_serde_is_a_usage_error() {
    let (output, stdout, stderr) = run(&["--json"], "");
    assert_exit(&output, 2, &stdout, &stderr);
    assert!(stderr.contains("--features serde"), "{stderr}");
}
