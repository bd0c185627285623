//! `mta-sts postfix reply`: the socketmap reply for a policy file (SEMANTICS
//! F-rules), the binary run as a process.

use std::io::Write;
use std::process::{Command, Stdio};

const ENFORCE: &str = "version: STSv1\nmode: enforce\nmx: MX1.example.com\nmx: *.example.net\n\
                       mx: 192.0.2.1\nmx: mx1.example.com\nmax_age: 86400\n";

/// Runs `mta-sts postfix reply ARGS -` with `policy` on standard input:
/// the exit code, standard output and standard error.
fn reply(policy: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mta-sts"))
        .args(["postfix", "reply"])
        .args(args)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mta-sts runs");
    // A usage error ends the process before it reads its input.
    if let Err(err) = child.stdin.take().unwrap().write_all(policy.as_bytes()) {
        assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe, "{err}");
    }
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn enforce_gives_secure_with_the_patterns_postfix_understands() {
    // F1, F3 (lowercase, de-duplicated, `*.` as `.`), F4 (the address is
    // left out and named on standard error), F6 (servername from 3.4).
    let (code, stdout, stderr) = reply(ENFORCE, &["--domain", "Example.COM."]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        stdout,
        "OK secure match=mx1.example.com:.example.net servername=hostname\n"
    );
    assert!(stderr.contains("\"192.0.2.1\""), "{stderr}");
}

#[test]
fn the_version_decides_the_attributes() {
    // F6: no servername before 3.4; the TLSRPT attributes only from 3.10.
    let (_, old, _) = reply(
        ENFORCE,
        &["--domain", "example.com", "--postfix-version", "3.3"],
    );
    assert_eq!(old, "OK secure match=mx1.example.com:.example.net\n");
    let (_, new, _) = reply(
        ENFORCE,
        &[
            "--domain",
            "example.com",
            "--postfix-version",
            "3.10",
            "--tlsrpt",
        ],
    );
    assert!(new.starts_with("OK secure match=mx1.example.com:.example.net servername=hostname policy_type=sts policy_domain=example.com policy_ttl=86400 mx_host_pattern=mx1.example.com mx_host_pattern=*.example.net "), "{new}");
    let (_, without, _) = reply(
        ENFORCE,
        &[
            "--domain",
            "example.com",
            "--postfix-version",
            "3.9",
            "--tlsrpt",
        ],
    );
    assert!(!without.contains("policy_type"), "{without}");
}

#[test]
fn testing_none_and_no_policy_are_notfound_with_a_reason() {
    let testing = ENFORCE.replace("enforce", "testing");
    // F2: testing never blocks delivery, unless asked.
    let (code, stdout, stderr) = reply(&testing, &["--domain", "example.com"]);
    assert_eq!((code, stdout.as_str()), (Some(0), "NOTFOUND \n"));
    assert!(stderr.starts_with("F2"), "{stderr}");
    let (_, stdout, _) = reply(
        &testing,
        &["--domain", "example.com", "--testing-as-enforce"],
    );
    assert!(stdout.starts_with("OK secure "), "{stdout}");
    // A misspelt `nmx:` leaves enforce without mx: no policy, never an
    // empty match= (F5).
    let misspelt = "version: STSv1\nmode: enforce\nnmx: mx1.example.com\nmax_age: 86400\n";
    let (code, stdout, stderr) = reply(misspelt, &["--domain", "example.com"]);
    assert_eq!((code, stdout.as_str()), (Some(0), "NOTFOUND \n"));
    assert!(stderr.contains("not a policy senders apply"), "{stderr}");
    // Only an address in mx: nothing left for match= (F5).
    let only_ip = "version: STSv1\nmode: enforce\nmx: 192.0.2.1\nmax_age: 86400\n";
    let (_, stdout, stderr) = reply(only_ip, &["--domain", "example.com"]);
    assert_eq!(stdout, "NOTFOUND \n", "{stderr}");
    assert!(stderr.contains("F5"), "{stderr}");
}

#[test]
fn lookup_keys_that_are_not_a_policy_domain_are_notfound() {
    // F8: brackets, parent-domain lookups, IP literals.
    for key in ["[mx.example.com]:25", ".example.com", "[192.0.2.1]"] {
        let (code, stdout, stderr) = reply(ENFORCE, &["--domain", key]);
        assert_eq!((code, stdout.as_str()), (Some(0), "NOTFOUND \n"), "{key}");
        assert!(stderr.starts_with("F8"), "{key}: {stderr}");
    }
    // `domain:port` is the domain's policy.
    let (_, stdout, _) = reply(ENFORCE, &["--domain", "example.com:25"]);
    assert!(stdout.starts_with("OK secure "), "{stdout}");
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let (code, _, stderr) = reply(
        ENFORCE,
        &["--domain", "example.com", "--postfix-version", "three"],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("invalid Postfix version"), "{stderr}");
    let (code, _, _) = reply(ENFORCE, &[]);
    assert_eq!(code, Some(2));
    let help = Command::new(env!("CARGO_BIN_EXE_mta-sts"))
        .args(["postfix", "reply", "--help"])
        .output()
        .unwrap();
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("--postfix-version"));
}
