//! `lint::check` never panics and agrees with the parser.
//!
//! The input is `policy NUL domain NUL txt NUL mx NUL mx …`, each part
//! decoded lossily from UTF-8; a missing or empty domain or TXT part is left
//! out of the context, and the DNS MX list is given (possibly empty) when a
//! fourth part exists. Bytes `0x80..=0xFF` in the policy part become grammar
//! tokens. Checked: the report's policy is the lenient parse, a lenient
//! parse error shows up as an error-severity lint with its code, every lint
//! has a message, an explanation and a line inside the text, and
//! `lint_policy` runs on the parsed policy.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mta_sts::lint::{self, Context, Severity};
use mta_sts::{ParseOptions, Policy};

/// Grammar tokens for the bytes `0x80..=0xFF` of the policy part.
const TOKENS: &[&str] = &[
    "version",
    "mode",
    "mx",
    "max_age",
    "STSv1",
    "enforce",
    "testing",
    "none",
    ": ",
    "\r\n",
    "*.",
    "example.com",
    "mail.",
    "604800",
    "31557600",
    "31557601",
    "9999999999",
    "\u{feff}",
    "é",
    "日本",
    "xn--bcher-kva",
    "\u{85}",
    "\0",
    " \t",
    "Mode",
    "0",
    "86400",
];

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|b| *b == 0);
    let text: String = parts
        .next()
        .unwrap_or_default()
        .iter()
        .map(|&b| match b {
            0..=0x7f => char::from(b).to_string(),
            _ => TOKENS[usize::from(b - 0x80) % TOKENS.len()].to_owned(),
        })
        .collect();
    let rest: Vec<String> = parts
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    let mut context = Context::new();
    if let Some(domain) = rest.first().filter(|d| !d.is_empty()) {
        context = context.domain(domain.as_str());
    }
    if let Some(txt) = rest.get(1).filter(|t| !t.is_empty()) {
        context = context.txt(txt.as_str());
    }
    if rest.len() >= 3 {
        context = context.dns_mx(rest[2..].iter().filter(|h| !h.is_empty()).cloned());
    }

    let report = lint::check(&text, &context);
    let lenient = Policy::parse_with(&text, &ParseOptions::lenient());
    assert_eq!(report.policy(), lenient.as_ref().ok(), "{text:?}");
    if let Err(err) = &lenient {
        assert!(
            report
                .lints()
                .iter()
                .any(|l| l.code() == err.code() && l.severity() == Severity::Error),
            "{text:?}: {err} missing from the report"
        );
        assert!(report.has_errors());
    }
    let lines = text.matches('\n').count() + usize::from(!text.is_empty() && !text.ends_with('\n'));
    for lint in report.lints() {
        assert!(!lint.message().is_empty(), "{lint:?}");
        assert!(!lint.explanation().is_empty(), "{lint:?}");
        assert!(!lint.to_string().is_empty());
        if let Some(line) = lint.line() {
            assert!(
                line >= 1 && line <= lines,
                "line {line} of {lines} in {text:?}: {lint}"
            );
        }
    }
    if let Some(policy) = report.policy() {
        let _ = lint::lint_policy(policy, &context);
    }
});
