//! The lint API: every code of the catalog, its severity and line, the
//! explanations, ordering, `lint_policy`, and the serde form.

use mta_sts::Policy;
use mta_sts::lint::{self, Context, Lint, Report, Severity};

use Severity::{Error, Info, Warning};

/// A policy with the given lines between a valid header and footer would be
/// too indirect; rows give whole texts so lines are easy to read.
const OK: &str = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n";

/// The lints with `code` in `report`.
fn with_code<'a>(report: &'a Report, code: &str) -> Vec<&'a Lint> {
    report.lints().iter().filter(|l| l.code() == code).collect()
}

fn codes(report: &Report) -> Vec<&'static str> {
    report.lints().iter().map(Lint::code).collect()
}

/// Asserts that `check(text, context)` reports `code` exactly once, with the
/// given severity and line, and a message quoting `quoted`.
#[track_caller]
fn assert_lint(
    text: &str,
    context: &Context,
    code: &str,
    severity: Severity,
    line: Option<usize>,
    quoted: &str,
) {
    let report = lint::check(text, context);
    let found = with_code(&report, code);
    assert_eq!(
        found.len(),
        1,
        "{code} in {text:?}: expected once, got {:?}",
        report.lints()
    );
    let lint = found[0];
    assert_eq!(lint.severity(), severity, "{code} in {text:?}: {lint}");
    assert_eq!(lint.line(), line, "{code} in {text:?}: {lint}");
    assert!(
        lint.message().contains(quoted),
        "{code} in {text:?}: message {:?} does not contain {quoted:?}",
        lint.message()
    );
    if let Some(line) = line {
        assert!(
            lint.message().contains(&format!("line {line}")),
            "{code} in {text:?}: message {:?} does not name line {line}",
            lint.message()
        );
    }
    assert!(
        !lint.message().contains('\n'),
        "{code}: message is not one line"
    );
    assert!(!lint.explanation().is_empty(), "{code}: no explanation");
}

/// Asserts that `check(text, context)` does not report `code`.
#[track_caller]
fn assert_no_lint(text: &str, context: &Context, code: &str) {
    let report = lint::check(text, context);
    assert!(
        with_code(&report, code).is_empty(),
        "{code} in {text:?}: not expected, got {:?}",
        report.lints()
    );
}

fn none() -> Context {
    Context::new()
}

// ---- the clean case

#[test]
fn clean_policy_has_no_lints() {
    let report = lint::check(OK, &none());
    assert!(report.lints().is_empty(), "{:?}", report.lints());
    assert!(!report.has_errors());
    assert_eq!(report.policy(), Some(&Policy::parse(OK).unwrap()));
    let context = Context::new()
        .domain("example.com")
        .dns_mx(["mail.example.com"])
        .txt("v=STSv1; id=20240101T000000;");
    assert!(lint::check(OK, &context).lints().is_empty());
}

// ---- parse errors become error lints with the error's code and text

#[test]
fn parse_errors() {
    let rows: &[(&str, &str, Option<usize>, &str)] = &[
        (
            "version: STSv2\nmode: enforce\nmx: a.example.com\nmax_age: 604800\n",
            "invalid-version",
            Some(1),
            "STSv2",
        ),
        (
            "version: STSv1\nmode: Enforce\nmx: a.example.com\nmax_age: 604800\n",
            "invalid-mode",
            Some(2),
            "Enforce",
        ),
        (
            "version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 1e3\n",
            "invalid-max-age",
            Some(4),
            "1e3",
        ),
        (
            "version: STSv1\nmode: enforce\nmx: m*.example.com\nmax_age: 604800\n",
            "invalid-mx",
            Some(3),
            "m*.example.com",
        ),
        (
            "version: STSv1\nmode: enforce\nmx: a.example.com\nnote: a\u{1b}b\nmax_age: 604800\n",
            "syntax",
            Some(4),
            "line 4",
        ),
        (
            "version: STSv1\nmode: enforce\nmx: a.example.com\n",
            "missing-field",
            None,
            "max_age",
        ),
        (
            "version: STSv1\nmode: testing\nmax_age: 604800\n",
            "missing-mx",
            None,
            "mx",
        ),
    ];
    for &(text, code, line, quoted) in rows {
        let report = lint::check(text, &none());
        let lint = with_code(&report, code);
        assert_eq!(lint.len(), 1, "{text:?}: {:?}", report.lints());
        let strict = Policy::parse(text).unwrap_err();
        assert_eq!(lint[0].message(), strict.to_string(), "{text:?}");
        assert_eq!(
            (lint[0].severity(), lint[0].line()),
            (Error, line),
            "{text:?}"
        );
        assert!(lint[0].message().contains(quoted), "{text:?}: {}", lint[0]);
        assert!(report.policy().is_none(), "{text:?}");
    }
}

#[test]
fn too_large_stops_everything_about_the_policy() {
    let text = format!("{OK}note: {}\n", "x".repeat(70_000));
    let report = lint::check(&text, &Context::new().dns_mx(Vec::<String>::new()));
    assert_eq!(codes(&report), ["too-large"]);
    assert_eq!(report.lints()[0].line(), None);
    assert!(report.policy().is_none());
}

#[test]
fn broken_text_gets_every_finding() {
    // Blank line, bad version, leading zeros; no knock-on missing-field.
    let text = "\nmode: enforce\nversion: STSv2\nmx: mail.example.com\nmax_age: 0604800\n";
    let report = lint::check(text, &none());
    let found: Vec<_> = report
        .lints()
        .iter()
        .map(|l| (l.line(), l.code(), l.severity()))
        .collect();
    assert_eq!(
        found,
        [
            (Some(1), "blank-line", Error),
            (Some(3), "invalid-version", Error),
            (Some(5), "max-age-leading-zeros", Info),
        ]
    );
    // Single-line lints fire next to a bad mx line; DNS checks do not.
    let text =
        "version: STSv1\nmode: testing\nmx: *.example.com\nmx: bad_mx.example.com\nmax_age: 3600\n";
    let report = lint::check(text, &Context::new().dns_mx(["other.example.net"]));
    assert_eq!(
        codes(&report),
        ["mode-testing", "mx-wildcard", "invalid-mx", "max-age-short"]
    );
}

#[test]
fn empty_text_is_missing_fields_only() {
    let report = lint::check("", &none());
    assert!(
        report.lints().iter().all(|l| l.code() == "missing-field"),
        "{:?}",
        report.lints()
    );
    assert!(!report.lints().is_empty());
}

// ---- text-level deviations and notes

#[test]
fn text_lints() {
    let c = &none();
    assert_lint(
        "version: STSv1\r\nmode: enforce\nmx: a.example.com\r\nmax_age: 604800\r\n",
        c,
        "mixed-line-endings",
        Info,
        Some(2),
        "line 2",
    );
    assert_lint(
        "version: STSv1\n\nmode: enforce\nmx: a.example.com\nmax_age: 604800\n",
        c,
        "blank-line",
        Error,
        Some(2),
        "line 2",
    );
    assert_lint(
        "\u{feff}version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 604800\n",
        c,
        "bom",
        Error,
        Some(1),
        "byte order mark",
    );
    assert_lint(
        "version: STSv1\n mode: enforce\nmx: a.example.com\nmax_age: 604800\n",
        c,
        "leading-whitespace",
        Error,
        Some(2),
        "\" mode: enforce\"",
    );
    assert_lint(
        "version: STSv1\nmode : enforce\nmx: a.example.com\nmax_age: 604800\n",
        c,
        "space-before-colon",
        Error,
        Some(2),
        "\"mode : enforce\"",
    );
    assert_lint(
        "# managed by ansible\nversion: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 604800\n",
        c,
        "invalid-line",
        Error,
        Some(1),
        "\"# managed by ansible\"",
    );
    assert_lint(
        "version: STSv1\nMode: enforce\nmx: a.example.com\nmax_age: 604800\n",
        c,
        "key-case",
        Error,
        Some(2),
        "\"Mode\"",
    );
    assert_no_lint(
        "version: STSv1\nMode: enforce\nmx: a.example.com\nmax_age: 604800\n",
        c,
        "unknown-field",
    );
    assert_lint(
        &format!("{OK}foo: bar\n"),
        c,
        "unknown-field",
        Info,
        Some(5),
        "\"foo\"",
    );
    assert_lint(
        "version: STSv1\nversion: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 604800\n",
        c,
        "duplicate-field",
        Warning,
        Some(2),
        "\"version\"",
    );
    assert_lint(
        "version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 86400\nmax_age: 086400\n",
        c,
        "duplicate-field",
        Error,
        Some(5),
        "different value",
    );
    assert_lint(
        &format!("{OK}x-note: hello\nx-note: world\n"),
        c,
        "duplicate-field",
        Error,
        Some(6),
        "\"x-note\"",
    );
    assert_lint(
        "version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 0604800\n",
        c,
        "max-age-leading-zeros",
        Info,
        Some(4),
        "\"0604800\"",
    );
    assert_lint(
        "version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 31557601\n",
        c,
        "max-age-above-limit",
        Error,
        Some(4),
        "31557601",
    );
    assert_lint(
        "version: STSv1\nmode: enforce\nmx: MAIL.Example.COM\nmax_age: 604800\n",
        c,
        "mx-uppercase",
        Info,
        Some(3),
        "\"MAIL.Example.COM\"",
    );
    assert_lint(
        "version: STSv1\nmode: enforce\nmx: mail.example.com.\nmax_age: 604800\n",
        c,
        "mx-trailing-dot",
        Error,
        Some(3),
        "\"mail.example.com.\"",
    );
    assert_lint(
        "version: STSv1\nmode: enforce\nmx: mx.bücher.example\nmax_age: 604800\n",
        c,
        "mx-u-label",
        Error,
        Some(3),
        "mx.xn--bcher-kva.example",
    );
}

#[test]
fn long_subjects_are_cut_in_messages() {
    let text = format!("{}\n{OK}", "<".repeat(500));
    let report = lint::check(&text, &none());
    let lint = with_code(&report, "invalid-line")[0];
    assert!(lint.message().len() < 200, "{}", lint.message());
    assert!(lint.message().contains('…'));
}

// ---- mode and max_age

#[test]
fn mode_lints() {
    let c = &none();
    assert_lint(
        "version: STSv1\nmode: testing\nmx: a.example.com\nmax_age: 604800\n",
        c,
        "mode-testing",
        Info,
        Some(2),
        "testing",
    );
    assert_lint(
        "version: STSv1\nmax_age: 604800\nmode: none\n",
        c,
        "mode-none",
        Info,
        Some(3),
        "none",
    );
    assert_no_lint(OK, c, "mode-testing");
    assert_no_lint(OK, c, "mode-none");
    assert_lint(
        "version: STSv1\nmode: none\nmax_age: 604800\nmx: a.example.com\nmx: b.example.com\n",
        c,
        "none-with-mx",
        Info,
        Some(4),
        "2 mx patterns",
    );
    assert_no_lint(
        "version: STSv1\nmode: none\nmax_age: 604800\n",
        c,
        "none-with-mx",
    );
}

#[test]
fn max_age_lints() {
    let c = &none();
    let policy = |mode: &str, max_age: &str| {
        format!("version: STSv1\nmode: {mode}\nmx: a.example.com\nmax_age: {max_age}\n")
    };
    assert_lint(
        &policy("enforce", "0"),
        c,
        "max-age-zero",
        Error,
        Some(4),
        "0",
    );
    assert_lint(&policy("none", "0"), c, "max-age-zero", Error, Some(4), "0");
    assert_no_lint(&policy("enforce", "0"), c, "max-age-short");
    assert_no_lint(&policy("enforce", "0"), c, "max-age-leading-zeros");
    assert_lint(
        &policy("enforce", "1"),
        c,
        "max-age-short",
        Error,
        Some(4),
        "1",
    );
    assert_lint(
        &policy("testing", "86399"),
        c,
        "max-age-short",
        Error,
        Some(4),
        "86399",
    );
    assert_lint(
        &policy("enforce", "86400"),
        c,
        "max-age-short",
        Warning,
        Some(4),
        "86400",
    );
    assert_lint(
        &policy("enforce", "604799"),
        c,
        "max-age-short",
        Warning,
        Some(4),
        "604799",
    );
    assert_no_lint(&policy("enforce", "604800"), c, "max-age-short");
    assert_no_lint(&policy("none", "3600"), c, "max-age-short");
    // The effective (clamped) value is not short.
    assert_no_lint(&policy("enforce", "9999999999"), c, "max-age-short");
    // Leading zeros: the value, not the text, decides.
    assert_lint(
        &policy("enforce", "0000000001"),
        c,
        "max-age-short",
        Error,
        Some(4),
        "1",
    );
}

// ---- mx patterns

#[test]
fn mx_wildcard_severity_and_line() {
    let c = &none();
    let policy = |mx: &str| format!("version: STSv1\nmode: enforce\nmx: {mx}\nmax_age: 604800\n");
    assert_lint(
        &policy("*.example.com"),
        c,
        "mx-wildcard",
        Warning,
        Some(3),
        "\"*.example.com\"",
    );
    assert_lint(
        &policy("*.co.uk"),
        c,
        "mx-wildcard",
        Warning,
        Some(3),
        "\"*.co.uk\"",
    );
    assert_lint(
        &policy("*.com"),
        c,
        "mx-wildcard",
        Error,
        Some(3),
        "\"*.com\"",
    );
    assert_no_lint(&policy("*.com"), c, "mx-single-label");
    assert_no_lint(OK, c, "mx-wildcard");
}

#[test]
fn mx_wildcard_explanation() {
    let text = "version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 604800\n";
    let report = lint::check(text, &none());
    let explanation = with_code(&report, "mx-wildcard")[0].explanation();
    for needle in [
        "RFC 8461 §10.4",
        "dhcp-123.example.com",
        "Microsoft",
        "Exchange Online",
        "UK government",
        "wildcard *certificate*",
        "is fine",
        "wildcard *pattern*",
        "list each MX host by its full name",
    ] {
        assert!(
            explanation.contains(needle),
            "missing {needle:?} in {explanation}"
        );
    }

    // With DNS MX hosts, the remedy lists the exact lines for the hosts the
    // wildcard covers, canonical and without duplicates.
    let context = Context::new().dns_mx([
        "MX1.Example.COM.",
        "mx2.example.com",
        "mx1.example.com",
        "backup.example.net",
    ]);
    let report = lint::check(text, &context);
    let explanation = with_code(&report, "mx-wildcard")[0].explanation();
    assert!(explanation.contains("RFC 8461 §10.4"), "{explanation}");
    assert!(
        explanation.ends_with("replace line 3 with one line for each of the domain's MX hosts it covers, exactly as the MX records name them:\n\n    mx: mx1.example.com\n    mx: mx2.example.com"),
        "{explanation}"
    );
    assert!(!explanation.contains("backup.example.net"), "{explanation}");

    // A wildcard covering none of them: delete it.
    let report = lint::check(text, &Context::new().dns_mx(["mx.example.net"]));
    let explanation = with_code(&report, "mx-wildcard")[0].explanation();
    assert!(
        explanation
            .contains("None of the domain's DNS MX hosts matches \"*.example.com\": delete line 3"),
        "{explanation}"
    );
}

#[test]
fn mx_wildcard_own_domain() {
    let policy = |mx: &str| format!("version: STSv1\nmode: enforce\nmx: {mx}\nmax_age: 604800\n");
    let domain = |d: &str| Context::new().domain(d);
    assert_lint(
        &policy("*.example.com"),
        &domain("example.com"),
        "mx-wildcard-own-domain",
        Error,
        Some(3),
        "example.com's own zone",
    );
    assert_lint(
        &policy("*.example.com"),
        &domain("EXAMPLE.com."),
        "mx-wildcard-own-domain",
        Error,
        Some(3),
        "\"*.example.com\"",
    );
    assert_lint(
        &policy("*.example.com"),
        &domain("sub.example.com"),
        "mx-wildcard-own-domain",
        Error,
        Some(3),
        "a parent of sub.example.com",
    );
    assert_lint(
        &policy("*.com"),
        &domain("example.com"),
        "mx-wildcard-own-domain",
        Error,
        Some(3),
        "\"*.com\"",
    );
    assert_no_lint(
        &policy("*.example.com"),
        &domain("myexample.com"),
        "mx-wildcard-own-domain",
    );
    assert_no_lint(
        &policy("*.mx.example.com"),
        &domain("example.com"),
        "mx-wildcard-own-domain",
    );
    assert_no_lint(&policy("*.example.com"), &none(), "mx-wildcard-own-domain");
    assert_no_lint(
        &policy("example.com"),
        &domain("example.com"),
        "mx-wildcard-own-domain",
    );
    // A U-label domain is compared in A-label form.
    assert_lint(
        &policy("*.xn--bcher-kva.example"),
        &domain("bücher.example"),
        "mx-wildcard-own-domain",
        Error,
        Some(3),
        "own zone",
    );
}

#[test]
fn mx_pattern_lints() {
    let c = &none();
    let policy = |mx: &str| format!("version: STSv1\nmode: enforce\n{mx}max_age: 604800\n");
    assert_lint(
        &policy("mx: 192.0.2.1\n"),
        c,
        "mx-ip-address",
        Error,
        Some(3),
        "\"192.0.2.1\"",
    );
    assert_no_lint(&policy("mx: 192.0.2.example\n"), c, "mx-ip-address");
    assert_lint(
        &policy("mx: localhost\n"),
        c,
        "mx-single-label",
        Warning,
        Some(3),
        "\"localhost\"",
    );
    assert_lint(
        &policy("mx: a.example.com\nmx: b.example.com\nmx: A.example.com\n"),
        c,
        "mx-duplicate",
        Info,
        Some(5),
        "first on line 3",
    );
    assert_lint(
        &policy("mx: *.example.net\nmx: a.example.com\nmx: *.example.net\n"),
        c,
        "mx-duplicate",
        Info,
        Some(5),
        "\"*.example.net\"",
    );
    assert_lint(
        &policy("mx: *.example.com\nmx: mail.example.com\n"),
        c,
        "mx-redundant",
        Info,
        Some(4),
        "covered by \"*.example.com\" on line 3",
    );
    assert_lint(
        &policy("mx: mail.example.com\nmx: *.example.com\n"),
        c,
        "mx-redundant",
        Info,
        Some(3),
        "covered by \"*.example.com\" on line 4",
    );
    // X2: the wildcard stands for exactly one label.
    assert_no_lint(
        &policy("mx: *.example.com\nmx: example.com\nmx: a.b.example.com\n"),
        c,
        "mx-redundant",
    );
}

// ---- DNS cross-checks

#[test]
fn dns_cross_checks() {
    let policy =
        |mode: &str, mx: &str| format!("version: STSv1\nmode: {mode}\n{mx}max_age: 604800\n");
    let dns = |hosts: &[&str]| Context::new().dns_mx(hosts.iter().copied());

    let two = policy("enforce", "mx: mx1.example.com\nmx: old.example.com\n");
    assert_lint(
        &two,
        &dns(&["mx1.example.com", "backup.example.net."]),
        "mx-not-covered",
        Error,
        None,
        "\"backup.example.net.\"",
    );
    assert_lint(
        &two,
        &dns(&["mx1.example.com", "backup.example.net."]),
        "mx-not-covered",
        Error,
        None,
        "add \"mx: backup.example.net\"",
    );
    let testing = policy("testing", "mx: mx1.example.com\n");
    assert_lint(
        &testing,
        &dns(&["mx1.example.com", "mx2.example.com"]),
        "mx-not-covered",
        Warning,
        None,
        "\"mx2.example.com\"",
    );
    assert_lint(
        &two,
        &dns(&["MX1.Example.COM."]),
        "mx-pattern-unused",
        Warning,
        Some(4),
        "\"old.example.com\"",
    );
    assert_no_lint(
        &two,
        &dns(&["MX1.Example.COM.", "old.example.com"]),
        "mx-pattern-unused",
    );
    assert_no_lint(
        &two,
        &dns(&["MX1.Example.COM.", "old.example.com"]),
        "mx-not-covered",
    );

    // An empty list: only mx-no-dns-mx.
    assert_lint(&two, &dns(&[]), "mx-no-dns-mx", Error, None, "enforce");
    assert_lint(&testing, &dns(&[]), "mx-no-dns-mx", Error, None, "testing");
    assert_no_lint(&two, &dns(&[]), "mx-pattern-unused");
    assert_no_lint(&two, &none(), "mx-no-dns-mx");

    // Never in mode none, never when the mode or an mx line did not parse.
    let withdrawn = policy("none", "mx: old.example.com\n");
    for hosts in [&[][..], &["mx1.example.com"][..]] {
        for code in ["mx-no-dns-mx", "mx-not-covered", "mx-pattern-unused"] {
            assert_no_lint(&withdrawn, &dns(hosts), code);
            assert_no_lint(
                &policy("Enforce", "mx: old.example.com\n"),
                &dns(hosts),
                code,
            );
            assert_no_lint(
                &policy("enforce", "mx: old.example.com\nmx: bad_.example.com\n"),
                &dns(hosts),
                code,
            );
        }
    }
}

// ---- TXT record

#[test]
fn txt_lints() {
    let txt = |record: &str| Context::new().txt(record);
    assert_lint(
        OK,
        &txt("v=STSv1 ; id=abc"),
        "txt-space-before-semicolon",
        Error,
        None,
        "\"v=STSv1 ; id=abc\"",
    );
    assert_lint(
        OK,
        &txt("v=STSv1; id=abc "),
        "txt-trailing-whitespace",
        Error,
        None,
        "\"v=STSv1; id=abc \"",
    );
    assert_lint(
        OK,
        &txt("v=STSv1; id=2024-01-01"),
        "txt-id-invalid",
        Error,
        None,
        "\"2024-01-01\"",
    );
    assert_lint(
        OK,
        &txt("v=STSv1; id=abc; foo=bar"),
        "txt-unknown-field",
        Info,
        None,
        "\"foo=bar\"",
    );
    assert_lint(
        OK,
        &txt("v=STSv1; id=abc; id=def"),
        "txt-duplicate-field",
        Warning,
        None,
        "\"id\"",
    );
    assert_lint(
        OK,
        &txt("V=STSv1; id=abc"),
        "not-sts",
        Error,
        None,
        "V=STSv1",
    );
    assert_lint(OK, &txt("v=STSv1;"), "missing-id", Error, None, "id");
    assert_lint(OK, &txt("v=STSv1; id=a;b"), "syntax", Error, None, "");
    assert_no_lint(
        OK,
        &txt("v=STSv1;  id=abc  ;  "),
        "txt-space-before-semicolon",
    );
    // TXT lints come after the policy's, which have lines.
    let report = lint::check(
        "version: STSv1\nmode: testing\nmx: a.example.com\nmax_age: 604800\n",
        &txt("v=STSv1; id=a-b"),
    );
    assert_eq!(codes(&report), ["mode-testing", "txt-id-invalid"]);
}

// ---- order

#[test]
fn order_is_line_then_severity_then_found() {
    let text = "version: STSv1\nmode: enforce\nmx: *.com\nmx: 1.2.3.4\nmx: mail.com\nmax_age: 3600\nmax_age: 7200\n";
    let context = Context::new()
        .domain("example.com")
        .dns_mx(["mail.com", "other.example.net"]);
    let report = lint::check(text, &context);
    let found: Vec<_> = report
        .lints()
        .iter()
        .map(|l| (l.line(), l.severity(), l.code()))
        .collect();
    assert_eq!(
        found,
        [
            (Some(3), Error, "mx-wildcard"),
            (Some(3), Error, "mx-wildcard-own-domain"),
            (Some(4), Error, "mx-ip-address"),
            (Some(4), Warning, "mx-pattern-unused"),
            (Some(5), Info, "mx-redundant"),
            (Some(6), Error, "max-age-short"),
            (Some(7), Error, "duplicate-field"),
            (None, Error, "mx-not-covered"),
        ]
    );
    let mut sorted = found.clone();
    sorted.sort_by_key(|&(line, severity, _)| (line.is_none(), line, severity));
    assert_eq!(found, sorted);
}

// ---- lint_policy

#[test]
fn lint_policy_gives_the_semantic_lints_without_lines() {
    let text = "version: STSv1\nmode: testing\nmx: *.example.com\nmx: mail.example.com\nmx: MAIL.example.com\nmax_age: 3600\nfoo: bar\n";
    let policy = Policy::parse(text).unwrap();
    let context = Context::new()
        .domain("example.com")
        .dns_mx(["mail.example.com", "mx.example.net"]);
    let lints = lint::lint_policy(&policy, &context);
    let mut found: Vec<_> = lints.iter().map(|l| (l.code(), l.severity())).collect();
    assert!(lints.iter().all(|l| l.line().is_none()), "{lints:?}");
    assert!(
        lints.iter().all(|l| !l.message().contains("line")),
        "{lints:?}"
    );

    // The same semantic lints as check(), which adds the text-level ones.
    let report = lint::check(text, &context);
    let mut semantic: Vec<_> = report
        .lints()
        .iter()
        .filter(|l| !["mx-uppercase", "unknown-field"].contains(&l.code()))
        .map(|l| (l.code(), l.severity()))
        .collect();
    found.sort();
    semantic.sort();
    assert_eq!(found, semantic);
    assert!(found.contains(&("mx-wildcard-own-domain", Error)));
    assert!(found.contains(&("mx-duplicate", Info)));
    assert!(found.contains(&("mx-not-covered", Warning)));
    assert!(found.contains(&("max-age-short", Error)));
}

// ---- the catalog, through the public API

/// Every code `check` can produce from a policy and its context, with the
/// texts that produce it (the `RRset` codes and the sender's fetch codes,
/// which `check` does not produce, excluded).
#[test]
fn every_code_has_an_explanation_that_says_why_and_what() {
    let rows: &[(&str, Context)] = &[
        (
            "\u{feff}version: STSv1\r\n mode : testing\nMode: x\nmx: *.com\nmx: 1.2.3.4\nmx: localhost\nmx: A.example.com.\nmx: a.example.com\nmx: mx.bücher.example\nmax_age: 0604800\nmax_age: 1\n\n# x\nfoo: bar\n",
            Context::new()
                .domain("example.com")
                .dns_mx(["b.example.com"])
                .txt("v=STSv1 ; id=a-b; x=y; id=c "),
        ),
        (
            "version: STSv1\nmode: enforce\nmx: *.example.com\nmx: a.example.com\nmax_age: 0\n",
            Context::new().dns_mx(Vec::<String>::new()),
        ),
        (
            "version: STSv1\nmode: none\nmx: a.example.com\nmax_age: 99999999\n",
            Context::new().txt(format!("v=STSv1; id={}", "a".repeat(65))),
        ),
        (
            "version: STSv2\nmode: bogus\nmx: m*.example.com\nmax_age: x\n\u{7}\n",
            Context::new().txt("x"),
        ),
        (
            "mode: testing\nmax_age: 60\n",
            Context::new().txt("v=STSv1"),
        ),
        (&"x".repeat(70_000), Context::new()),
    ];
    let mut seen: Vec<&str> = Vec::new();
    for (text, context) in rows {
        for lint in lint::check(text, context).lints() {
            let explanation = lint.explanation();
            assert!(
                explanation.len() > 80,
                "{}: explanation too short: {explanation:?}",
                lint.code()
            );
            assert!(
                explanation.contains("RFC")
                    || ["mx-duplicate", "mx-redundant"].contains(&lint.code()),
                "{}: explanation cites no RFC: {explanation}",
                lint.code()
            );
            if !seen.contains(&lint.code()) {
                seen.push(lint.code());
            }
        }
    }
    seen.sort_unstable();
    let mut expected = vec![
        "too-large",
        "syntax",
        "invalid-version",
        "invalid-mode",
        "invalid-max-age",
        "max-age-above-limit",
        "missing-field",
        "missing-mx",
        "invalid-mx",
        "not-sts",
        "missing-id",
        "invalid-id",
        "mx-wildcard",
        "mx-wildcard-own-domain",
        "mx-not-covered",
        "mx-pattern-unused",
        "mx-no-dns-mx",
        "mx-ip-address",
        "mx-single-label",
        "mx-duplicate",
        "mx-redundant",
        "mx-uppercase",
        "mx-trailing-dot",
        "mx-u-label",
        "mode-testing",
        "mode-none",
        "none-with-mx",
        "max-age-zero",
        "max-age-short",
        "max-age-leading-zeros",
        "duplicate-field",
        "unknown-field",
        "key-case",
        "blank-line",
        "bom",
        "leading-whitespace",
        "space-before-colon",
        "invalid-line",
        "mixed-line-endings",
        "txt-space-before-semicolon",
        "txt-trailing-whitespace",
        "txt-id-invalid",
        "txt-unknown-field",
        "txt-duplicate-field",
    ];
    expected.sort_unstable();
    assert_eq!(seen, expected);
}

// ---- types

#[test]
fn severity_order_and_names() {
    let mut all = [Info, Error, Warning];
    all.sort();
    assert_eq!(all, [Error, Warning, Info]);
    assert_eq!(all.map(|s| s.as_str()), ["error", "warning", "info"]);
    assert_eq!(all.map(|s| s.to_string()), ["error", "warning", "info"]);
}

#[test]
fn lint_display_is_one_line() {
    let report = lint::check(
        "version: STSv1\nmode: enforce\nmx: *.com\nmax_age: 604800\n",
        &none(),
    );
    let lint = &report.lints()[0];
    assert_eq!(
        lint.to_string(),
        "error[mx-wildcard]: wildcard mx pattern \"*.com\" on line 3 lets every host under the top-level name \"com\" with a valid certificate receive the domain's mail"
    );
}

#[test]
fn report_counts() {
    let text =
        "version: STSv1\nmode: testing\nmx: *.example.com\nmx: mail.example.com.\nmax_age: 3600\n";
    let report = lint::check(text, &none());
    assert_eq!(
        [Error, Warning, Info].map(|s| report.count(s)),
        [2, 1, 2],
        "{:?}",
        report.lints()
    );
    assert!(report.has_errors());
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync + Clone + std::fmt::Debug>() {}
    check::<Context>();
    check::<Lint>();
    check::<Report>();
    check::<Severity>();
}

#[cfg(feature = "serde")]
#[test]
fn report_serialises_to_json() {
    let text = "version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 604800\n";
    let report = lint::check(text, &none());
    let json = serde_json::to_value(&report).unwrap();
    let lints = json["lints"].as_array().unwrap();
    assert_eq!(lints.len(), 1);
    assert_eq!(lints[0]["code"], "mx-wildcard");
    assert_eq!(lints[0]["severity"], "warning");
    assert_eq!(lints[0]["line"], 3);
    assert_eq!(lints[0]["message"], report.lints()[0].message());
    assert!(lints[0]["explanation"].as_str().unwrap().contains("§10.4"));
    assert_eq!(json["policy"]["mode"], "enforce");
    assert_eq!(json["policy"]["mx"][0], "*.example.com");

    let broken = serde_json::to_value(lint::check(
        "mode: x\n",
        &Context::new().txt("v=STSv1; id=a-b"),
    ))
    .unwrap();
    assert!(broken["policy"].is_null());
    let last = broken["lints"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["code"], "txt-id-invalid");
    assert!(last["line"].is_null());
    assert_eq!(serde_json::to_value(Severity::Info).unwrap(), "info");
}

// ---- any input

mod any_input {
    use mta_sts::lint::{self, Context, Severity};
    use mta_sts::{ParseOptions, Policy};
    use proptest::prelude::*;

    /// Lines close to the grammar, so the scan reaches deep.
    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("version: STSv1".to_owned()),
            Just("mode: enforce".to_owned()),
            Just("mode: testing".to_owned()),
            Just("mode: none".to_owned()),
            Just("Mode: enforce".to_owned()),
            "max_age: [0-9]{0,11}",
            "mx: [*]?[.]?[a-zA-Z0-9ü._-]{0,20}[.]?",
            "[ \t]?[a-z_#]{0,5}[ ]?:[ \t]?[a-z0-9 é]{0,6}",
            "[\u{0}-\u{7f}]{0,8}",
            Just(String::new()),
            Just("\u{feff}version: STSv1".to_owned()),
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            (line(), prop_oneof![Just("\n"), Just("\r\n"), Just("\r")]),
            0..10,
        )
        .prop_map(|lines| lines.into_iter().map(|(l, end)| l + end).collect())
    }

    fn context() -> impl Strategy<Value = Context> {
        (
            prop::option::of("[a-zA-Z.]{0,12}"),
            prop::option::of(prop::collection::vec("[a-z0-9.*ü]{0,14}", 0..4)),
            prop::option::of("[vV]=STSv1[ ;]{0,2}(id=[a-z0-9-]{0,5})?[; ]{0,2}[a-z=]{0,4}"),
        )
            .prop_map(|(domain, mx, txt)| {
                let mut context = Context::new();
                if let Some(domain) = domain {
                    context = context.domain(domain);
                }
                if let Some(mx) = mx {
                    context = context.dns_mx(mx);
                }
                if let Some(txt) = txt {
                    context = context.txt(txt);
                }
                context
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 1000,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn check_never_panics_and_keeps_its_promises(text in text(), context in context()) {
            let report = lint::check(&text, &context);
            let lenient = Policy::parse_with(&text, &ParseOptions::lenient());
            // The report's policy is exactly the lenient parse.
            prop_assert_eq!(report.policy(), lenient.as_ref().ok());
            // The lenient parse's error is among the error lints.
            if let Err(error) = &lenient {
                prop_assert!(
                    report.lints().iter().any(|l| l.code() == error.code() && l.severity() == Severity::Error),
                    "{} missing from {:?}", error.code(), report.lints()
                );
            }
            let keys: Vec<_> = report.lints().iter().map(|l| (l.line().is_none(), l.line(), l.severity())).collect();
            let mut sorted = keys.clone();
            sorted.sort();
            prop_assert_eq!(keys, sorted);
            for lint in report.lints() {
                prop_assert!(!lint.message().contains('\n'), "{}", lint);
                prop_assert!(!lint.explanation().is_empty(), "{}", lint);
            }
            if let Ok(policy) = &lenient {
                let semantic = lint::lint_policy(policy, &context);
                prop_assert!(semantic.iter().all(|l| l.line().is_none()));
            }
        }
    }
}
