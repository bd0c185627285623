//! Parser properties: lenient extends strict, error positions lie inside
//! the input, and one lenient-only deviation is recovered exactly.
#![cfg(feature = "proptest")]

use mta_sts::lint::{self, Context};
use mta_sts::{Error, ParseOptions, Policy, TxtRecord, strategy};
use proptest::prelude::*;
use proptest::sample::{Index, select};

/// Small edits that keep a text close to the grammar.
const EDITS: &[&str] = &[
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    ":",
    "\u{feff}",
    "*.",
    ".",
    "0",
    "9",
    "mx: a.b\n",
    "#",
    "é",
    "mode: none\n",
    "Mode",
    "\0",
    "x",
    ";",
    "=",
];

/// Valid policy texts with one random edit at a random place.
fn edited() -> impl Strategy<Value = String> {
    (strategy::policy_text(), any::<Index>(), select(EDITS)).prop_map(|((_, text), at, edit)| {
        let mut boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        boundaries.push(text.len());
        let mut text = text;
        text.insert_str(boundaries[at.index(boundaries.len())], edit);
        text
    })
}

/// Policy texts of every shape: valid, lenient-only, edited, grammar soup.
fn policy_like() -> impl Strategy<Value = String> {
    prop_oneof![
        strategy::policy_text().prop_map(|(_, text)| text),
        strategy::malformed_policy().prop_map(|bad| bad.text),
        edited(),
        strategy::grammar_text(),
        any::<String>(),
    ]
}

/// Lines in `text`: its line terminators, plus an unterminated last line.
fn line_count(text: &str) -> usize {
    text.matches('\n').count() + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// Checks an error's position against the text it came from.
fn check_position(text: &str, err: &Error) -> Result<(), TestCaseError> {
    prop_assert!(!err.to_string().is_empty());
    match err.code() {
        "too-large" | "missing-field" | "missing-mx" => {
            prop_assert_eq!(err.line(), None, "{:?}: {}", text, err);
        }
        _ => prop_assert!(err.line().is_some(), "{:?}: {} has no line", text, err),
    }
    if let Some(line) = err.line() {
        let lines = line_count(text);
        prop_assert!(
            (1..=lines).contains(&line),
            "line {} of {} in {:?}: {}",
            line,
            lines,
            text,
            err
        );
        if let Some(column) = err.column() {
            let width = text
                .split('\n')
                .nth(line - 1)
                .map_or(0, |l| l.chars().count());
            prop_assert!(
                (1..=width + 1).contains(&column),
                "column {} of {} in {:?}: {}",
                column,
                width,
                text,
                err
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn lenient_extends_strict(text in policy_like()) {
        if let Ok(strict) = Policy::parse(&text) {
            let lenient = Policy::parse_with(&text, &ParseOptions::lenient());
            prop_assert_eq!(lenient.as_ref().map(Policy::mode), Ok(strict.mode()), "{:?}", text);
            prop_assert_eq!(lenient.as_ref().map(Policy::max_age), Ok(strict.max_age()));
            prop_assert_eq!(lenient.as_ref().map(Policy::mx), Ok(strict.mx()));
            prop_assert!(lenient.as_ref().unwrap().extensions().eq(strict.extensions()));
        }
    }

    #[test]
    fn lenient_extends_strict_for_txt(text in prop_oneof![
        strategy::txt_record_text(),
        strategy::txt_record_text().prop_map(|t| format!("{t} ")),
        strategy::grammar_text(),
        "v=STSv1; id=[ -~]{0,70}",
    ]) {
        if let Ok(strict) = TxtRecord::parse(&text) {
            prop_assert_eq!(TxtRecord::parse_with(&text, &ParseOptions::lenient()), Ok(strict), "{:?}", text);
        }
    }

    #[test]
    fn policy_errors_lie_inside_the_text(text in policy_like()) {
        for options in [ParseOptions::strict(), ParseOptions::lenient()] {
            if let Err(err) = Policy::parse_with(&text, &options) {
                check_position(&text, &err)?;
            }
        }
    }

    #[test]
    fn byte_errors_lie_inside_the_body(text in policy_like(), at in any::<Index>(), byte in 0x80u8..=0xff) {
        let mut body = text.into_bytes();
        body.insert(at.index(body.len() + 1), byte);
        if let Err(err) = Policy::parse_bytes(&body, &ParseOptions::lenient())
            && let Some(line) = err.line() {
                let lines = body.split(|b| *b == b'\n').count();
                prop_assert!((1..=lines).contains(&line), "line {} of {}: {}", line, lines, err);
            }
    }

    #[test]
    fn txt_errors_carry_a_column_inside_the_record(text in prop_oneof![
        strategy::txt_record_text().prop_map(|t| format!("{t} x")),
        strategy::grammar_text(),
        any::<String>(),
    ]) {
        for options in [ParseOptions::strict(), ParseOptions::lenient()] {
            if let Err(err) = TxtRecord::parse_with(&text, &options) {
                prop_assert_eq!(err.line(), None, "{:?}: {}", text, err);
                if let Some(column) = err.column() {
                    prop_assert!((1..=text.chars().count() + 1).contains(&column), "{:?}: {}", text, err);
                }
            }
        }
    }

    #[test]
    fn one_lenient_deviation_is_recovered(bad in strategy::malformed_policy()) {
        let strict = Policy::parse(&bad.text);
        prop_assert!(strict.is_err(), "strict accepted {:?} ({})", bad.text, bad.lint);
        check_position(&bad.text, strict.as_ref().unwrap_err())?;
        let lenient = Policy::parse_with(&bad.text, &ParseOptions::lenient());
        prop_assert_eq!(lenient.as_ref(), Ok(&bad.policy), "{:?} ({})", bad.text, bad.lint);
        let report = lint::check(&bad.text, &Context::new());
        prop_assert!(
            report.lints().iter().any(|l| l.code() == bad.lint),
            "{:?}: no {} in {:?}", bad.text, bad.lint, report.lints()
        );
        prop_assert_eq!(report.policy(), Some(&bad.policy));
    }
}
