//! `mta-sts publish`: the policy and TXT record to publish, checked; the
//! binary run as a process.

use std::process::{Command, Output};

/// Runs `mta-sts publish` with `args`.
fn publish(args: &[&str]) -> (Output, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_mta-sts"))
        .arg("publish")
        .args(args)
        .output()
        .expect("mta-sts runs");
    let stdout = String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n");
    (output, stdout)
}

#[test]
fn prints_the_policy_and_the_record_for_dns_names() {
    let (output, stdout) = publish(&[
        "Example.COM.",
        "MX1.example.com.",
        "mx2.example.com.",
        "--now",
        "1732959000",
    ]);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let expected = "\
# https://mta-sts.example.com/.well-known/mta-sts.txt (HTTPS, status 200, Content-Type: text/plain)
version: STSv1
mode: testing
mx: mx1.example.com
mx: mx2.example.com
max_age: 1209600

# DNS: _mta-sts.example.com. TXT
\"v=STSv1; id=20241130T093000;\"

# Checks
info[mode-testing]: mode is \"testing\" on line 2: senders report failures but still deliver
";
    assert_eq!(stdout, expected);
}

#[test]
fn keeps_the_previous_id_only_when_nothing_changed() {
    let previous =
        std::env::temp_dir().join(format!("mta-sts-previous-{}.txt", std::process::id()));
    std::fs::write(
        &previous,
        "version: STSv1\nmode: testing\nmx: mx1.example.com\nmax_age: 1209600\n",
    )
    .unwrap();
    let previous = previous.to_str().unwrap();
    let args = |mode: &'static str| {
        vec![
            "example.com",
            "mx1.example.com",
            "--mode",
            mode,
            "--previous",
            previous,
            "--previous-id",
            "20240101",
            "--now",
            "1732959000",
        ]
    };
    let (_, same) = publish(&args("testing"));
    assert!(same.contains("\"v=STSv1; id=20240101;\""), "{same}");
    let (output, changed) = publish(&args("enforce"));
    assert_eq!(output.status.code(), Some(0), "{changed}");
    assert!(
        changed.contains("\"v=STSv1; id=20241130T093000;\""),
        "{changed}"
    );
}

#[test]
fn refuses_what_is_not_a_domain_or_a_host() {
    let (output, _) = publish(&["exa mple.com", "mx1.example.com"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid domain \"exa mple.com\""));
    let (output, _) = publish(&["example.com", "10 mx1.example.com."]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid mx pattern"));
    // Mode enforce without any MX host cannot be built.
    let (output, stdout) = publish(&["example.com", "--mode", "enforce"]);
    assert_eq!(output.status.code(), Some(2), "{stdout}");

    // Missing previous id, unknown mode, no domain: usage errors.
    for (args, says) in [
        (
            &["example.com", "--previous", "old.txt"][..],
            "--previous-id",
        ),
        (&["example.com", "--mode", "strict"][..], "strict"),
        (&[][..], "<DOMAIN>"),
    ] {
        let (output, _) = publish(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

#[test]
fn help_exits_0() {
    let (output, stdout) = publish(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    for option in [
        "<DOMAIN>",
        "[MX-HOST]...",
        "--mode",
        "--max-age",
        "--previous",
        "--previous-id",
        "--now",
    ] {
        assert!(
            stdout.contains(option),
            "--help does not mention {option}:\n{stdout}"
        );
    }
}
