//! The severity invariant (SEMANTICS "Lint catalog", issue 9): a text that
//! `Policy::parse` (strict) rejects always gets an error-severity lint from
//! `lint::check`; so a text with no error-severity lint parses strictly.
//! The same for the TXT record: a record strict senders refuse (strict
//! parsing, or strict `RRset` selection discarding it) gets an error lint.
//!
//! Checked over the crate's own strategies (`mta_sts::strategy`: malformed
//! policies, grammar-shaped text, valid policies with one edit), over
//! arbitrary and line-shaped strings, and over every policy, lint, TXT and
//! one-record `RRset` vector in `tests/conformance/`.
#![cfg(feature = "proptest")]

// Only the loaders this test needs are used.
#[allow(dead_code)]
mod vectors;

use mta_sts::lint::{self, Context, Report, Severity};
use mta_sts::{Policy, TxtRecord, strategy};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::Value;

/// A clean policy, for checking TXT records on their own.
const CLEAN: &str = "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 604800\n";

/// The error-severity lints of a report, as `code: message` lines.
fn errors(report: &Report) -> Vec<String> {
    report
        .lints()
        .iter()
        .filter(|lint| lint.severity() == Severity::Error)
        .map(|lint| format!("{}: {}", lint.code(), lint.message()))
        .collect()
}

/// The invariant for one policy text (and context): `Err` describes the
/// counterexample.
fn policy_invariant(text: &str, context: &Context) -> Result<(), String> {
    let report = lint::check(text, context);
    match Policy::parse(text) {
        Err(error) if !report.has_errors() => Err(format!(
            "strict parsing rejects {text:?} ({error}, code {}) but check has no error: {:?}",
            error.code(),
            report
                .lints()
                .iter()
                .map(|lint| format!("{}[{}]", lint.severity(), lint.code()))
                .collect::<Vec<_>>()
        )),
        _ => Ok(()),
    }
}

/// The invariant for one TXT record, linted with a clean policy: if strict
/// senders refuse it (strict parsing, or strict selection from an `RRset` of
/// this one record), `check` has an error lint.
fn txt_invariant(record: &str) -> Result<(), String> {
    let report = lint::check(CLEAN, &Context::new().txt(record));
    let parse = TxtRecord::parse(record).err();
    let select = TxtRecord::from_rrset([record]).err();
    match parse.or(select) {
        Some(error) if !report.has_errors() => Err(format!(
            "strict senders refuse TXT record {record:?} ({error}, code {}) but check has no \
             error: {:?}",
            error.code(),
            report
                .lints()
                .iter()
                .map(mta_sts::lint::Lint::code)
                .collect::<Vec<_>>()
        )),
        _ => Ok(()),
    }
}

/// Small edits that keep a text close to the grammar, each a deviation
/// somewhere in the severity model (or none).
const EDITS: &[&str] = &[
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    ":",
    "\u{feff}",
    "\u{a0}",
    "\u{3000}",
    "*.",
    ".",
    "0",
    "mx: a.b\n",
    "mx: a.b.\n",
    "mx: bücher.example\n",
    "#",
    "é",
    "Mode",
    "mode: none\n",
    "max_age: 1\n",
    "eversion: STSv1\n",
    "\0",
    "x",
    " :",
];

/// A valid policy text with one edit inserted at a character boundary.
fn edited_policy() -> impl Strategy<Value = String> {
    (strategy::policy_text(), any::<Index>(), select(EDITS)).prop_map(|((_, text), at, edit)| {
        let boundaries: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let at = boundaries[at.index(boundaries.len())];
        format!("{}{edit}{}", &text[..at], &text[at..])
    })
}

/// Lines built from field names, separators and values, some of them wrong.
fn line_shaped() -> impl Strategy<Value = String> {
    let key = select(
        &[
            "version", "mode", "max_age", "mx", "Mode", "MX", "maxage", "note", "_x", " mode", "",
        ][..],
    );
    let sep = select(&[": ", ":", " : ", ":\t", ":\u{a0}", " ", ""][..]);
    let value = select(
        &[
            "STSv1",
            "stsv1",
            "enforce",
            "testing",
            "none",
            "Enforce",
            "604800",
            "0604800",
            "99999999999",
            "0",
            "mail.example.com",
            "MAIL.example.com.",
            "*.example.com",
            "*.com",
            "192.0.2.1",
            "a.example.com b.example.com",
            "mx.bücher.example",
            "",
            " ",
        ][..],
    );
    let end = select(&["\n", "\r\n", "", "\n\n"][..]);
    prop::collection::vec((key, sep, value, end), 0..8).prop_map(|lines| {
        lines
            .into_iter()
            .map(|(key, sep, value, end)| format!("{key}{sep}{value}{end}"))
            .collect()
    })
}

/// TXT-record-shaped strings: the STS prefix in several spellings, then
/// fields, separators and values, some of them wrong.
fn txt_shaped() -> impl Strategy<Value = String> {
    let prefix = select(
        &[
            "v=STSv1",
            "v=STSv1 ",
            "V=STSv1",
            "v=STSv1\t",
            "",
            "\"v=STSv1",
        ][..],
    );
    let field = select(
        &[
            ";",
            "; ",
            " ;",
            "id=abc",
            "id=2024-01-01",
            "id=",
            "ID=abc",
            "foo=bar",
            "foo=",
            "id=é",
            "v=STSv1",
            " ",
            "\t",
            "id=abcdefghijklmnopqrstuvwxyz0123456789",
        ][..],
    );
    (prefix, prop::collection::vec(field, 0..6))
        .prop_map(|(prefix, fields)| format!("{prefix}{}", fields.concat()))
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn malformed_policies_have_an_error(bad in strategy::malformed_policy()) {
        // The strategy promises strict parsing refuses every one of them.
        prop_assert!(Policy::parse(&bad.text).is_err(), "{:?} ({})", bad.text, bad.lint);
        let report = lint::check(&bad.text, &Context::new());
        prop_assert!(
            errors(&report).iter().any(|e| e.starts_with(&format!("{}:", bad.lint))),
            "{:?}: no error-severity {} in {:?}",
            bad.text,
            bad.lint,
            report.lints()
        );
    }

    #[test]
    fn grammar_text_holds(text in strategy::grammar_text()) {
        policy_invariant(&text, &Context::new()).map_err(TestCaseError::fail)?;
        txt_invariant(&text).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn edited_policies_hold(text in edited_policy()) {
        policy_invariant(&text, &Context::new()).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn line_shaped_text_holds(text in line_shaped()) {
        policy_invariant(&text, &Context::new()).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn arbitrary_strings_hold(text in any::<String>()) {
        policy_invariant(&text, &Context::new()).map_err(TestCaseError::fail)?;
        txt_invariant(&text).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn txt_shaped_records_hold(record in txt_shaped()) {
        txt_invariant(&record).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn valid_policies_parse_without_errors((_, text) in strategy::policy_text()) {
        // The other side of the model, for texts strict parsing accepts:
        // nothing about the text's syntax is an error (the semantic lints
        // may be: a short max_age, a wildcard over a TLD, …).
        prop_assert!(Policy::parse(&text).is_ok());
        let syntax = [
            "syntax", "blank-line", "bom", "leading-whitespace", "space-before-colon",
            "unicode-space", "invalid-line", "mx-trailing-dot", "mx-u-label", "invalid-mx",
            "invalid-mode", "invalid-version", "invalid-max-age", "missing-field", "missing-mx",
        ];
        let report = lint::check(&text, &Context::new());
        for lint in report.lints() {
            prop_assert!(!syntax.contains(&lint.code()), "{text:?}: {lint}");
        }
    }
}

/// The context a lint vector gives.
fn context(vector: &Value) -> Context {
    let mut context = Context::new();
    if let Some(domain) = vector["domain"].as_str() {
        context = context.domain(domain);
    }
    if vector.get("dns_mx").is_some() {
        context = context.dns_mx(vectors::strings(vector, "dns_mx"));
    }
    context
}

#[test]
fn every_policy_and_lint_vector_holds() {
    let mut failures = Vec::new();
    let mut rejected = 0;
    for kind in ["policy", "lint"] {
        for vector in vectors::vectors(kind) {
            let text = vectors::input(&vector);
            rejected += usize::from(Policy::parse(&text).is_err());
            // Without context, and with the vector's if it has one.
            let mut contexts = vec![Context::new()];
            if vector.get("domain").is_some() || vector.get("dns_mx").is_some() {
                contexts.push(context(&vector));
            }
            for context in contexts {
                if let Err(failure) = policy_invariant(&text, &context) {
                    failures.push(format!("{}: {failure}", vectors::id(&vector)));
                }
            }
        }
    }
    assert!(
        rejected > 50,
        "only {rejected} vectors are rejected strictly"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_txt_and_rrset_vector_holds() {
    let mut failures = Vec::new();
    for vector in vectors::vectors("txt") {
        if let Err(failure) = txt_invariant(&vectors::input(&vector)) {
            failures.push(format!("{}: {failure}", vectors::id(&vector)));
        }
    }
    // An RRset of one record is that record's fate at strict senders.
    for vector in vectors::vectors("rrset") {
        if let [record] = vectors::strings(&vector, "records")[..]
            && let Err(failure) = txt_invariant(record)
        {
            failures.push(format!("{}: {failure}", vectors::id(&vector)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
