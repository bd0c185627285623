//! `mta-sts lint`, end to end: the binary run as a process on the bundled
//! policies (the workspace's `examples/policies/`).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The workspace root: the tests run there, so that the bundled policy's
/// name in the output is the relative path a user types.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// A bundled policy's path.
fn policy(name: &str) -> String {
    format!("{}/examples/policies/{name}", root().display())
}

/// The problems policy as example.com's, with its MX hosts and TXT record
/// (what the lint example used to do with no FILE), then `extra`.
fn bundled<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "examples/policies/problems.txt",
        "--domain",
        "example.com",
        "--mx",
        "mail.example.com.",
        "--mx",
        "mx2.example.com.",
        "--txt",
        "v=STSv1; id=2024-06-01;",
    ];
    args.extend_from_slice(extra);
    args
}

/// Runs `mta-sts lint` with `args` (and `stdin`), in the workspace root,
/// with colour forbidden (not a terminal) and no `COLUMNS`: output is
/// wrapped to 80 columns.
fn run(args: &[&str], stdin: &str) -> (Output, String, String) {
    run_with(args, stdin.as_bytes(), &[])
}

/// [`run`] with raw bytes on standard input and extra environment.
fn run_with(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> (Output, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mta-sts"))
        .arg("lint")
        .args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mta-sts starts");
    // It may exit before it reads standard input (a usage error).
    if let Err(err) = child.stdin.take().unwrap().write_all(stdin) {
        assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe, "{err}");
    }
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

/// One finding of the default output: its headline (wrapped lines joined)
/// and the lines under it (the fix, or the explanation), trimmed.
#[derive(Debug)]
struct Finding {
    headline: String,
    under: Vec<String>,
}

/// The output's first paragraph (the verdict), its lines joined.
fn verdict(stdout: &str) -> String {
    let paragraph = stdout.split("\n\n").next().unwrap_or_default();
    paragraph
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The findings of an output without explanations: a headline starts a line
/// with `error[`, `warning[` or `info[`; its continuation lines are indented
/// by two spaces, up to the `fix:` line.
fn findings(stdout: &str) -> Vec<Finding> {
    let mut found: Vec<Finding> = Vec::new();
    let mut in_headline = false;
    for line in stdout.lines() {
        let starts = ["error[", "warning[", "info["]
            .iter()
            .any(|severity| line.starts_with(severity));
        if starts {
            found.push(Finding {
                headline: line.to_owned(),
                under: Vec::new(),
            });
            in_headline = true;
        } else if line.is_empty() || !line.starts_with("  ") {
            in_headline = false;
        } else if let Some(finding) = found.last_mut() {
            if line.starts_with("  fix:") {
                in_headline = false;
            }
            if in_headline {
                finding.headline.push(' ');
                finding.headline.push_str(line.trim());
            } else {
                finding.under.push(line.trim().to_owned());
            }
        }
    }
    found
}

/// The finding whose headline starts with `start`.
#[track_caller]
fn finding<'f>(found: &'f [Finding], start: &str) -> &'f Finding {
    found
        .iter()
        .find(|finding| finding.headline.starts_with(start))
        .unwrap_or_else(|| panic!("no finding starting {start:?} in {found:#?}"))
}

/// Every line is at most `width` columns, except the lines to write (a fix's
/// or an explanation's, indented by 6 and kept as written).
#[track_caller]
fn assert_width(stdout: &str, width: usize) {
    for line in stdout.lines().filter(|line| !line.starts_with("      ")) {
        assert!(
            line.chars().count() <= width,
            "wider than {width}: {line:?}"
        );
    }
}

// ---------------------------------------------------------------- default

#[test]
fn lints_the_problems_policy_in_context() {
    let (output, stdout, stderr) = run(&bundled(&[]), "");
    assert_exit(&output, 1, &stdout, &stderr);
    assert_eq!(
        verdict(&stdout),
        "examples/policies/problems.txt: strict senders refuse this policy; lenient senders \
         apply mode testing, max_age 3600 (1 hour), mx mail.example.com, *.example.com and \
         backup.example.net."
    );
    let found = findings(&stdout);
    let summary: Vec<(&str, Vec<&str>)> = found
        .iter()
        .map(|f| {
            let label = f.headline.split(':').next().unwrap();
            (label, f.under.iter().map(String::as_str).collect())
        })
        .collect();
    let none: Vec<&str> = Vec::new();
    assert_eq!(
        summary,
        [
            ("info[mode-testing] line 2", none.clone()),
            ("info[mx-redundant] line 3", none.clone()),
            (
                "error[mx-wildcard-own-domain] line 4",
                vec![
                    "fix: replace line 4 with",
                    "mx: mail.example.com",
                    "mx: mx2.example.com"
                ]
            ),
            (
                "warning[mx-wildcard] line 4",
                vec!["fix: the same as above"]
            ),
            (
                "error[mx-trailing-dot] line 5",
                vec!["fix: line 5 should read", "mx: backup.example.net"]
            ),
            (
                "warning[mx-pattern-unused] line 5",
                vec!["fix: delete line 5"]
            ),
            (
                "error[key-case] line 6",
                vec![
                    "fix: delete line 6, or make it read",
                    "mode: enforce",
                    "and delete line 2, which sets the field too"
                ]
            ),
            (
                "error[max-age-short] line 7",
                vec!["fix: line 7 should read", "max_age: 604800"]
            ),
            (
                "error[txt-id-invalid] TXT record, column 13",
                vec![
                    "fix: publish the _mta-sts TXT record as",
                    "v=STSv1; id=20240601;"
                ]
            ),
        ]
    );
    // Whole headlines: the position once, in front.
    for headline in [
        "info[mode-testing] line 2: mode is \"testing\": senders report failures but still deliver",
        "error[mx-wildcard-own-domain] line 4: wildcard mx pattern \"*.example.com\" lets every \
         host in example.com's own zone receive the domain's mail",
        "error[mx-trailing-dot] line 5:23: mx pattern \"backup.example.net.\" ends with a dot: \
         strict senders refuse the policy (write \"backup.example.net\")",
        "error[key-case] line 6: key \"Mode\" is not \"mode\": keys are case-sensitive, so \
         senders ignore this line as an unknown field",
        "error[txt-id-invalid] TXT record, column 13: TXT record id \"2024-06-01\" is not 1 to 32 \
         letters and digits: strict senders refuse the record",
    ] {
        assert!(
            found.iter().any(|f| f.headline == headline),
            "missing {headline:?} in {found:#?}"
        );
    }
    // No explanations unless asked (9 findings), a hint that they exist.
    assert!(!stdout.contains("RFC 8461 §10.4"), "{stdout}");
    assert!(
        stdout.contains("\n\n5 errors, 2 warnings, 2 info (--explain says why each matters)\n"),
        "{stdout}"
    );
    // Short, 80 columns, no colour when not a terminal.
    assert!(stdout.lines().count() <= 45, "{stdout}");
    assert_width(&stdout, 80);
    assert!(!stdout.contains('\x1b'));
    assert_eq!(stderr, "");
}

#[test]
fn explain_adds_the_explanations() {
    let (output, stdout, stderr) = run(&bundled(&["--explain"]), "");
    assert_exit(&output, 1, &stdout, &stderr);
    assert!(verdict(&stdout).contains("strict senders refuse this policy"));
    assert!(stdout.contains("RFC 8461 §10.4"), "{stdout}");
    // The wildcard's explanation lists the lines, so they are not repeated
    // as its fix; the own-domain error above it shows them as its fix.
    assert_eq!(
        stdout
            .matches("\n      mx: mail.example.com\n      mx: mx2.example.com\n")
            .count(),
        2,
        "{stdout}"
    );
    assert!(!stdout.contains("--explain says"), "{stdout}");
    assert_width(&stdout, 80);
}

#[test]
fn columns_sets_the_width() {
    let (output, stdout, stderr) = run_with(&bundled(&["--explain"]), b"", &[("COLUMNS", "60")]);
    assert_exit(&output, 1, &stdout, &stderr);
    assert_width(&stdout, 60);
    assert!(stdout.lines().any(|line| line.chars().count() > 50));
}

#[test]
fn clean_policy_exits_0_and_says_what_senders_apply() {
    let (output, stdout, stderr) = run(&[policy("clean.txt").as_str()], "");
    assert_exit(&output, 0, &stdout, &stderr);
    assert_eq!(
        verdict(&stdout),
        format!(
            "{}: strict and lenient senders accept this policy and apply mode enforce, \
             max_age 1209600 (14 days), mx mx1.example.com and mx2.example.com.",
            policy("clean.txt")
        )
    );
    assert!(
        stdout.ends_with("\n\n0 errors, 0 warnings, 0 info\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("bundled"), "{stdout}");
}

#[test]
fn few_findings_are_explained_unasked() {
    // One warning: explained without --explain.
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
    assert!(verdict(&stdout).contains("strict and lenient senders accept this policy"));
    assert!(stdout.contains(
        "\nwarning[mx-wildcard] line 3: wildcard mx pattern \"*.mail.protection.outlook.com\""
    ));
    assert!(stdout.contains("RFC 8461 §10.4"), "{stdout}");
    assert!(
        stdout.contains("\n      mx: contoso-com.mail.protection.outlook.com\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("\n\n0 errors, 1 warning, 0 info\n"),
        "{stdout}"
    );
}

#[test]
fn error_lint_exits_1_even_when_strict_senders_accept() {
    // A one-hour max_age parses strictly, but it is an error.
    let text = "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 3600\n";
    let (output, stdout, stderr) = run(&["-"], text);
    assert_exit(&output, 1, &stdout, &stderr);
    assert_eq!(
        verdict(&stdout),
        "<stdin>: strict and lenient senders accept this policy and apply mode enforce, \
         max_age 3600 (1 hour), mx mx1.example.com."
    );
    assert!(stdout.contains("\nerror[max-age-short] line 4: max_age 3600 is shorter"));
}

// ---------------------------------------------------------------- fixes

#[test]
fn fixes_are_the_lines_to_write() {
    // (policy text, extra arguments, headline start, the lines under it)
    let cases: &[(&str, &[&str], &str, &[&str])] = &[
        // Line-level deviations: the line as strict senders want it.
        (
            "\u{feff}version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 604800\n",
            &[],
            "error[bom] line 1:1",
            &["fix: line 1 should read", "version: STSv1"],
        ),
        (
            "version: STSv1\n  mode: enforce\nmx: mx1.example.com\nmax_age: 604800\n",
            &[],
            "error[leading-whitespace] line 2:1",
            &["fix: line 2 should read", "mode: enforce"],
        ),
        (
            "version: STSv1\nmode: enforce\nmx : MX.bücher.example\nmax_age: 604800\n",
            &[],
            "error[space-before-colon] line 3:3",
            &["fix: line 3 should read", "mx: mx.xn--bcher-kva.example"],
        ),
        (
            "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age:\u{a0}604800\n",
            &[],
            "error[unicode-space] line 4:9: a no-break space (U+00A0) instead of a space",
            &["fix: line 4 should read", "max_age: 604800"],
        ),
        (
            "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 0604800\n",
            &[],
            "info[max-age-leading-zeros] line 4:10",
            &["fix: line 4 should read", "max_age: 604800"],
        ),
        // A near-miss key: the same fix under the lint and the error.
        (
            "vrsion: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 604800\n",
            &[],
            "info[unknown-field] line 1",
            &["fix: line 1 should read", "version: STSv1"],
        ),
        (
            "vrsion: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 604800\n",
            &[],
            "error[missing-field]: missing field \"version\"",
            &["fix: the same as above"],
        ),
        (
            "version: STSv1\nmode: enforce\nMX: mx1.example.com\nmax_age: 604800\n",
            &[],
            "error[key-case] line 3",
            &["fix: line 3 should read", "mx: mx1.example.com"],
        ),
        // Lines to delete, lines to add.
        (
            "version: STSv1\n# comment\nmode: enforce\nmx: mx1.example.com\nmax_age: 604800\n",
            &[],
            "error[invalid-line] line 2",
            &["fix: delete line 2"],
        ),
        (
            "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 604800\n\n",
            &[],
            "error[blank-line] line 5",
            &["fix: delete line 5"],
        ),
        (
            "mode: enforce\nmx: mx1.example.com\nmax_age: 604800\n",
            &[],
            "error[missing-field]: missing field \"version\"",
            &["fix: add", "version: STSv1"],
        ),
        (
            "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 604800\n",
            &["--mx", "mx1.example.com", "--mx", "MX2.example.com."],
            "error[mx-not-covered]",
            &["fix: add", "mx: mx2.example.com"],
        ),
        // The TXT record as strict senders want it.
        (
            "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 604800\n",
            &["--txt", "v=STSv1 ; id=2024.06.01"],
            "error[txt-space-before-semicolon]",
            &[
                "fix: publish the _mta-sts TXT record as",
                "v=STSv1; id=20240601;",
            ],
        ),
    ];
    for (text, args, start, under) in cases {
        let mut all = vec!["-"];
        all.extend_from_slice(args);
        let (output, stdout, _) = run(&all, text);
        assert!(matches!(output.status.code(), Some(0 | 1)), "{stdout}");
        let found = findings(&stdout);
        let finding = finding(&found, start);
        // The fix comes first; an explanation may follow (at most three
        // findings).
        let fix: Vec<&str> = finding
            .under
            .iter()
            .map(String::as_str)
            .take(under.len())
            .collect();
        assert_eq!(fix, *under, "input {text:?} {args:?}:\n{stdout}");
    }
}

// ---------------------------------------------------------------- context

#[test]
fn context_options_and_stdin() {
    let text = "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 604800\n";
    let (output, stdout, stderr) = run(
        &["-", "--mx", "mx1.example.com", "--mx=mx2.example.com"],
        text,
    );
    assert_exit(&output, 1, &stdout, &stderr);
    assert!(
        stdout.starts_with("<stdin>: strict and lenient senders accept"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "error[mx-not-covered]: DNS MX host \"mx2.example.com\" matches no mx pattern"
        )
    );

    let (output, stdout, stderr) = run(&["-", "--no-mx"], text);
    assert_exit(&output, 1, &stdout, &stderr);
    assert!(stdout.contains("error[mx-no-dns-mx]"), "{stdout}");

    let (output, stdout, stderr) = run(&["-", "--txt", "v=STSv1; id=abc; id=def"], text);
    assert_exit(&output, 0, &stdout, &stderr);
    assert!(stdout.contains("warning[txt-duplicate-field]"), "{stdout}");

    let (output, stdout, stderr) = run(
        &[
            "-",
            "--domain",
            "example.com",
            "--mx",
            "10 mx1.example.com.",
        ],
        text,
    );
    assert_exit(&output, 1, &stdout, &stderr);
    assert!(
        stdout.contains("error[context-invalid]: the DNS MX host \"10 mx1.example.com.\""),
        "{stdout}"
    );

    let (output, stdout, stderr) = run(&["-"], "mode: bogus\n");
    assert_exit(&output, 1, &stdout, &stderr);
    assert_eq!(
        verdict(&stdout),
        "<stdin>: strict and lenient senders refuse this policy: it has no effect."
    );
    assert!(stdout.contains("error[invalid-mode] line 1"), "{stdout}");
}

#[test]
fn tls_rpt_options() {
    let text = "version: STSv1\nmode: testing\nmx: mx1.example.com\nmax_age: 604800\n";
    let (output, stdout, stderr) = run(&["-", "--no-tls-rpt"], text);
    assert_exit(&output, 0, &stdout, &stderr);
    assert!(
        stdout.contains("\nwarning[tlsrpt-missing]: no valid TLS-RPT record"),
        "{stdout}"
    );

    // A record without rua= is no valid record.
    let (output, stdout, stderr) = run(&["-", "--tls-rpt", "v=TLSRPTv1;"], text);
    assert_exit(&output, 0, &stdout, &stderr);
    assert!(stdout.contains("\nwarning[tlsrpt-missing]"), "{stdout}");

    let (output, stdout, stderr) = run(
        &[
            "-",
            "--tls-rpt",
            "v=spf1 -all",
            "--tls-rpt=v=TLSRPTv1; rua=mailto:tlsrpt@example.com",
        ],
        text,
    );
    assert_exit(&output, 0, &stdout, &stderr);
    assert!(!stdout.contains("tlsrpt-missing"), "{stdout}");
}

#[test]
fn previous_policy_options() {
    let dir = std::env::temp_dir().join(format!("mta-sts-example-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let old = dir.join("old.txt");
    std::fs::write(
        &old,
        "version: STSv1\nmode: testing\nmx: mx1.example.com\nmax_age: 604800\n",
    )
    .unwrap();
    let old = old.to_str().unwrap();
    let new = "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 604800\n";

    // The policy changed, the id did not: an error, fixed by a new id.
    let (output, stdout, stderr) = run(
        &[
            "-",
            "--txt",
            "v=STSv1; id=20240101;",
            "--previous",
            old,
            "--previous-id",
            "20240101",
        ],
        new,
    );
    assert_exit(&output, 1, &stdout, &stderr);
    let found = findings(&stdout);
    let lint = finding(&found, "error[id-not-changed]: the policy changed");
    assert_eq!(lint.under[0], "fix: publish the _mta-sts TXT record as");
    let record = &lint.under[1];
    let id = record
        .strip_prefix("v=STSv1; id=")
        .and_then(|rest| rest.strip_suffix(';'))
        .unwrap_or_else(|| panic!("{record:?}"));
    assert!(id.len() == 15 && id.as_bytes()[8] == b'T', "{id:?}");
    assert!(id.chars().all(|c| c.is_ascii_alphanumeric()), "{id:?}");

    // A new id: only the info lint.
    let (output, stdout, stderr) = run(
        &[
            "-",
            "--txt=v=STSv1; id=20240102;",
            "--previous",
            old,
            "--previous-id=20240101",
        ],
        new,
    );
    assert_exit(&output, 0, &stdout, &stderr);
    assert!(!stdout.contains("id-not-changed"), "{stdout}");

    let (output, stdout, stderr) = run(
        &[
            "-",
            "--txt=v=STSv1; id=20240102;",
            "--previous",
            old,
            "--previous-id=20240101",
        ],
        &std::fs::read_to_string(old).unwrap(),
    );
    assert_exit(&output, 0, &stdout, &stderr);
    assert!(stdout.contains("\ninfo[id-changed-only]"), "{stdout}");

    let missing = dir.join("missing.txt");
    let (output, stdout, stderr) = run(
        &[
            "-",
            "--txt=v=STSv1; id=1;",
            "--previous",
            missing.to_str().unwrap(),
            "--previous-id=1",
        ],
        new,
    );
    assert_exit(&output, 2, &stdout, &stderr);
    assert!(stderr.starts_with("mta-sts lint: cannot read "), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------- exit 2

#[test]
fn usage_and_io_errors_exit_2() {
    let (output, stdout, stderr) = run(&["/nonexistent/mta-sts.txt"], "");
    assert_exit(&output, 2, &stdout, &stderr);
    assert!(
        stderr.contains("cannot read \"/nonexistent/mta-sts.txt\""),
        "{stderr}"
    );
    assert_eq!(stdout, "");

    // Each with a FILE, so that the error is the one shown.
    for (args, says) in [
        (&["-", "--bogus"][..], "--bogus"),
        (&["-", "--mx"][..], "--mx"),
        (&[][..], "<FILE>"),
        (&["a.txt", "b.txt"][..], "b.txt"),
        (&["-", "--mx", "a.example.com", "--no-mx"][..], "--no-mx"),
        (
            &[
                "-",
                "--tls-rpt",
                "v=TLSRPTv1; rua=mailto:a@example.com",
                "--no-tls-rpt",
            ][..],
            "--no-tls-rpt",
        ),
        (
            &["-", "--previous", "old.txt", "--txt", "v=STSv1; id=1;"][..],
            "--previous-id",
        ),
        (
            &["-", "--previous-id", "1", "--txt", "v=STSv1; id=1;"][..],
            "--previous",
        ),
        (
            &["-", "--previous", "old.txt", "--previous-id", "1"][..],
            "--txt",
        ),
    ] {
        let (output, stdout, stderr) = run(args, "");
        assert_exit(&output, 2, &stdout, &stderr);
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(stderr.contains("--help"), "{args:?}: {stderr}");
    }

    let (output, stdout, stderr) = run(&["--help"], "");
    assert_exit(&output, 0, &stdout, &stderr);
    assert!(stdout.starts_with("Lint an MTA-STS policy"), "{stdout}");
    for option in [
        "--explain",
        "--json",
        "--domain",
        "--mx",
        "--no-mx",
        "--txt",
        "--tls-rpt",
        "--no-tls-rpt",
        "--previous",
        "--previous-id",
        "at most 3 findings",
        "COLUMNS",
        "NO_COLOR",
    ] {
        assert!(stdout.contains(option), "--help does not mention {option}");
    }
}

#[test]
fn bytes_that_are_not_utf8_are_an_error_finding() {
    let (output, stdout, stderr) = run_with(&["-"], b"version: STSv1\nmode: \xff\n", &[]);
    assert_exit(&output, 1, &stdout, &stderr);
    assert_eq!(
        verdict(&stdout),
        "<stdin>: strict and lenient senders refuse this policy: it has no effect."
    );
    assert!(stdout.contains("\nerror[syntax] line 2:7: "), "{stdout}");
    assert!(stdout.contains("Save the file as UTF-8"), "{stdout}");
    assert!(
        stdout.ends_with("\n1 error, 0 warnings, 0 info\n"),
        "{stdout}"
    );
}

// ---------------------------------------------------------------- JSON

#[test]
fn json_output_has_columns_and_a_summary() {
    use serde_json::json;

    let (output, stdout, stderr) = run(&bundled(&["--json"]), "");
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
        for field in ["line", "column"] {
            assert!(
                lint[field].is_u64() || lint[field].is_null(),
                "{field} in {lint}"
            );
        }
    }
    let dot = lints
        .iter()
        .find(|l| l["code"] == "mx-trailing-dot")
        .unwrap();
    assert_eq!((&dot["line"], &dot["column"]), (&json!(5), &json!(23)));
    assert_eq!(report["policy"]["mode"], "testing");
    let summary = &report["summary"];
    assert_eq!(
        (&summary["error"], &summary["warning"], &summary["info"]),
        (&json!(5), &json!(2), &json!(2))
    );
    assert_eq!(summary["strict_accepts"], false);
    assert_eq!(summary["lenient_accepts"], true);
    assert_eq!(summary["strict_error"]["code"], "invalid-mx");
    assert_eq!(summary["strict_error"]["line"], 5);

    let (output, stdout, stderr) = run(&[policy("clean.txt").as_str(), "--json"], "");
    assert_exit(&output, 0, &stdout, &stderr);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["lints"], json!([]));
    assert_eq!(
        report["summary"],
        json!({"error": 0, "warning": 0, "info": 0, "strict_accepts": true,
               "strict_error": null, "lenient_accepts": true})
    );

    // Counts include the findings a summary lint stands for.
    let text = format!(
        "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 604800\n{}",
        "\n".repeat(250)
    );
    let (output, stdout, stderr) = run(&["-", "--json"], &text);
    assert_exit(&output, 1, &stdout, &stderr);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["lints"].as_array().unwrap().len(), 101);
    assert_eq!(report["summary"]["error"], 250);

    let (output, stdout, stderr) = run_with(&["-", "--json"], b"\xff\xfev\0", &[]);
    assert_exit(&output, 1, &stdout, &stderr);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["lints"][0]["code"], "syntax");
    assert_eq!(report["policy"], serde_json::Value::Null);
    assert_eq!(report["summary"]["strict_accepts"], false);
    assert_eq!(report["summary"]["lenient_accepts"], false);
}

// ---------------------------------------------------------------- README

#[test]
fn readme_shows_the_real_output() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let shown = readme
        .split("```text\n")
        .find(|block| block.starts_with("examples/policies/problems.txt: "))
        .and_then(|block| block.split("```").next())
        .expect("the README shows the command's output");
    // The README's first command.
    let (_, stdout, _) = run(&["examples/policies/problems.txt"], "");
    // Each run of lines between "…" is in the output, in order.
    let mut rest = stdout.as_str();
    for part in shown.split("…\n") {
        let at = rest
            .find(part.trim_start_matches('\n'))
            .unwrap_or_else(|| panic!("the README shows {part:?}, mta-sts lint prints\n{stdout}"));
        rest = &rest[at + part.trim_start_matches('\n').len()..];
    }
}
