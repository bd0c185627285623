//! The `mta-sts` command as a whole: help on every subcommand, the
//! version, completion scripts, usage errors.

use std::process::{Command, Output};

fn mta_sts(args: &[&str]) -> (Output, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_mta-sts"))
        .args(args)
        .output()
        .expect("mta-sts runs");
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    let stderr = String::from_utf8(output.stderr.clone()).unwrap();
    (output, stdout, stderr)
}

#[test]
fn help_on_every_subcommand_exits_0() {
    let (output, stdout, _) = mta_sts(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    for subcommand in [
        "lint",
        "check",
        "publish",
        "report",
        "postfix",
        "completions",
    ] {
        assert!(stdout.contains(subcommand), "{subcommand} not in\n{stdout}");
        for help in [
            &[subcommand, "--help"][..],
            &[subcommand, "-h"],
            &["help", subcommand],
        ] {
            let (output, stdout, stderr) = mta_sts(help);
            assert_eq!(output.status.code(), Some(0), "{help:?}: {stderr}");
            assert!(
                stdout.contains(&format!("Usage: mta-sts {subcommand}")),
                "{help:?}: {stdout}"
            );
        }
    }
}

#[test]
fn version_names_the_package_version() {
    for flag in ["--version", "-V"] {
        let (output, stdout, _) = mta_sts(&[flag]);
        assert_eq!(output.status.code(), Some(0));
        assert_eq!(stdout, format!("mta-sts {}\n", env!("CARGO_PKG_VERSION")));
    }
    let (output, stdout, _) = mta_sts(&["report", "--version"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout.starts_with("mta-sts-report "), "{stdout}");
}

#[test]
fn completion_scripts_name_every_subcommand() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef mta-sts"),
        ("fish", "complete -c mta-sts"),
        ("elvish", "edit:completion:arg-completer[mta-sts]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (output, stdout, stderr) = mta_sts(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}: {stderr}");
        assert!(stdout.contains(marker), "{shell}: no {marker:?}");
        for word in ["lint", "publish", "report", "strict", "explain"] {
            assert!(stdout.contains(word), "{shell}: {word} not completed");
        }
    }
    let (output, _, stderr) = mta_sts(&["completions", "cmd.exe"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("possible values"), "{stderr}");
}

#[test]
fn usage_errors_exit_2() {
    for args in [&[][..], &["frobnicate"], &["lint", "--no-such-option", "-"]] {
        let (output, stdout, stderr) = mta_sts(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stdout}");
        assert!(stderr.contains("Usage: mta-sts"), "{args:?}: {stderr}");
    }
}
