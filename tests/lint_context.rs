//! The lints on sender-side inputs: `tlsrpt-missing` (RFC 8460 §3,
//! RFC 8461 §5) and `id-not-changed` / `id-changed-only` (RFC 8461 §3.1).

use mta_sts::Policy;
use mta_sts::lint::{self, Context, Severity};

fn policy_text(mode: &str) -> String {
    format!("version: STSv1\nmode: {mode}\nmx: mx1.example.com\nmax_age: 604800\n")
}

/// The `(severity, message)` of `code` in `check`'s report, if reported.
fn find(text: &str, context: &Context, code: &str) -> Option<(Severity, String)> {
    let report = lint::check(text, context);
    let mut found = report.lints().iter().filter(|l| l.code() == code);
    let lint = found.next()?;
    assert!(found.next().is_none(), "{code} reported twice");
    assert_eq!(lint.line(), None, "{code} carries no line");
    assert!(!lint.explanation().is_empty());
    Some((lint.severity(), lint.message().to_owned()))
}

const VALID: &str = "v=TLSRPTv1; rua=mailto:tlsrpt@example.com";

// ---- tlsrpt-missing ----------------------------------------------------

/// (mode, `_smtp._tls` `RRset`, expected severity, phrase in the message)
const TLSRPT: &[(&str, &[&str], Option<Severity>, &str)] = &[
    // RFC 8461 §5: without TLS-RPT, testing mode reports to no one.
    (
        "testing",
        &[],
        Some(Severity::Warning),
        "no _smtp._tls TXT record",
    ),
    (
        "testing",
        &["v=spf1 -all"],
        Some(Severity::Warning),
        "testing mode reports to no one",
    ),
    (
        "testing",
        &[VALID, VALID],
        Some(Severity::Warning),
        "more than one",
    ),
    (
        "testing",
        &["v=TLSRPTv1; rua=http://x.example/"],
        Some(Severity::Warning),
        "the scheme \"http\"",
    ),
    (
        "testing",
        &["v=TLSRPTv1;"],
        Some(Severity::Warning),
        "no \"rua=\" field",
    ),
    (
        "enforce",
        &[],
        Some(Severity::Info),
        "refused deliveries go unreported",
    ),
    // mode none: nothing to report about.
    ("none", &[], None, ""),
    // A valid record among others: no lint.
    ("testing", &["v=spf1 -all", VALID], None, ""),
    ("enforce", &[VALID], None, ""),
];

#[test]
fn tlsrpt_missing_table() {
    for &(mode, records, severity, phrase) in TLSRPT {
        let text = if mode == "none" {
            "version: STSv1\nmode: none\nmax_age: 604800\n".to_owned()
        } else {
            policy_text(mode)
        };
        let context = Context::new().tls_rpt(records.iter().copied());
        let got = find(&text, &context, "tlsrpt-missing");
        assert_eq!(
            got.as_ref().map(|(s, _)| *s),
            severity,
            "{mode} {records:?}"
        );
        if let Some((_, message)) = got {
            assert!(message.contains(phrase), "{mode} {records:?}: {message}");
        }
        // lint_policy agrees.
        let policy = Policy::parse(&text).unwrap();
        let from_policy = lint::lint_policy(&policy, &context)
            .into_iter()
            .find(|l| l.code() == "tlsrpt-missing")
            .map(|l| l.severity());
        assert_eq!(from_policy, severity, "lint_policy {mode} {records:?}");
    }
}

#[test]
fn tlsrpt_missing_needs_the_input() {
    // Without Context::tls_rpt nothing is known about TLS-RPT.
    assert_eq!(
        find(&policy_text("testing"), &Context::new(), "tlsrpt-missing"),
        None
    );
}

#[test]
fn tlsrpt_missing_on_a_broken_text_uses_the_mode_that_parsed() {
    let text = "version: STSv1\nmode: testing\nmx: m*.example.com\nmax_age: 604800\n";
    let context = Context::new().tls_rpt(Vec::<String>::new());
    assert_eq!(
        find(text, &context, "tlsrpt-missing").map(|(s, _)| s),
        Some(Severity::Warning)
    );
}

// ---- id-not-changed / id-changed-only ----------------------------------

#[test]
fn id_not_changed_when_the_policy_changed() {
    let old = policy_text("testing");
    let new = "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 604800\n";
    let context = Context::new()
        .txt("v=STSv1; id=20240101;")
        .previous(&old, "20240101");
    let (severity, message) = find(new, &context, "id-not-changed").unwrap();
    assert_eq!(severity, Severity::Error);
    assert_eq!(
        message,
        "the policy changed (mode: testing -> enforce; mx added: mx2.example.com) but the TXT id \
         \"20240101\" did not: senders holding the old policy will not refetch it"
    );
    assert_eq!(find(new, &context, "id-changed-only"), None);
    // lint_policy agrees.
    let lints = lint::lint_policy(&Policy::parse(new).unwrap(), &context);
    assert!(
        lints
            .iter()
            .any(|l| l.code() == "id-not-changed" && l.severity() == Severity::Error)
    );
}

#[test]
fn id_changed_only_when_the_policy_is_the_same() {
    let old = policy_text("enforce");
    // Same meaning, different text.
    let new = "max_age: 604800\r\nmx: MX1.example.com\r\nmode: enforce\r\nversion: STSv1\r\n";
    let context = Context::new().txt("v=STSv1; id=v2;").previous(&old, "v1");
    let (severity, message) = find(new, &context, "id-changed-only").unwrap();
    assert_eq!(severity, Severity::Info);
    assert_eq!(
        message,
        "the TXT id changed from \"v1\" to \"v2\" but the policy did not"
    );
    assert_eq!(find(new, &context, "id-not-changed"), None);
}

#[test]
fn no_id_lint_when_both_changed_or_neither() {
    let old = policy_text("testing");
    let new = policy_text("enforce");
    let both = Context::new().txt("v=STSv1; id=v2;").previous(&old, "v1");
    let neither = Context::new().txt("v=STSv1; id=v1;").previous(&old, "v1");
    for (text, context) in [(&new, &both), (&old, &neither)] {
        assert_eq!(find(text, context, "id-not-changed"), None);
        assert_eq!(find(text, context, "id-changed-only"), None);
    }
}

#[test]
fn id_lints_need_every_input_to_parse() {
    let old = policy_text("testing");
    let new = policy_text("enforce");
    for context in [
        // No current TXT record: the current id is unknown.
        Context::new().previous(&old, "v1"),
        // No previous policy.
        Context::new().txt("v=STSv1; id=v1;"),
        // The previous text does not parse.
        Context::new()
            .txt("v=STSv1; id=v1;")
            .previous("mode: testing", "v1"),
        // The TXT record does not parse.
        Context::new().txt("v=STSv1;").previous(&old, "v1"),
    ] {
        assert_eq!(find(&new, &context, "id-not-changed"), None, "{context:?}");
    }
    // The current text does not parse: no policy to compare.
    let broken = "version: STSv1\nmode: enforce\nmx: m*.example.com\nmax_age: 604800\n";
    let context = Context::new().txt("v=STSv1; id=v1;").previous(&old, "v1");
    assert_eq!(find(broken, &context, "id-not-changed"), None);
}
