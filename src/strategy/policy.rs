//! Valid policies, their texts in varied layouts, and `_mta-sts` TXT records.

use proptest::prelude::*;
use proptest::sample::select;

use super::host::mx_pattern;
use super::mode;
use crate::policy::MAX_AGE_LIMIT;
use crate::{Mode, Policy, TxtRecord};

/// A policy extension name (SEMANTICS P23): `(ALPHA / DIGIT)
/// *31(ALPHA / DIGIT / "_" / "-" / ".")`, never a known field name.
fn extension_name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9][a-zA-Z0-9_.-]{0,31}".prop_filter("a known field name", |name| {
        !crate::policy::is_known_field(name)
    })
}

/// A character allowed in a policy extension value other than the space:
/// `%x21-7E` or any non-ASCII character that is not a control.
fn value_char() -> impl Strategy<Value = char> {
    prop_oneof![
        8 => proptest::char::range('!', '~'),
        1 => proptest::char::range('\u{a0}', '\u{17f}'),
        1 => any::<char>().prop_filter("a control character", |c| !c.is_control() && !c.is_ascii()),
    ]
}

/// A policy extension value: printable, inner spaces allowed, not blank.
fn extension_value() -> impl Strategy<Value = String> {
    (
        value_char(),
        prop::collection::vec(prop_oneof![4 => value_char(), 1 => Just(' ')], 0..24),
        value_char(),
        any::<bool>(),
    )
        .prop_map(|(first, middle, last, single)| {
            let mut value = String::new();
            value.push(first);
            if !single {
                value.extend(middle);
                value.push(last);
            }
            value
        })
}

/// Extensions with distinct names (first-wins would drop repeats).
fn extensions(max: usize) -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((extension_name(), extension_value()), 0..=max).prop_map(|list| {
        let mut seen: Vec<(String, String)> = Vec::new();
        for (name, value) in list {
            if !seen.iter().any(|(known, _)| *known == name) {
                seen.push((name, value));
            }
        }
        seen
    })
}

/// A `max_age` up to the limit, with the boundaries more likely.
fn max_age() -> impl Strategy<Value = u64> {
    prop_oneof![
        4 => 0..=MAX_AGE_LIMIT,
        1 => select(vec![0, 1, 86_399, 86_400, 604_799, 604_800, MAX_AGE_LIMIT]),
    ]
}

/// Valid policies: any mode, a `max_age` up to 31 557 600, zero to six `mx`
/// patterns (at least one unless the mode is `none`), zero to three
/// extensions with distinct names and printable (also non-ASCII) values.
///
/// ```
/// use mta_sts::strategy;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let policy = strategy::policy().new_tree(&mut runner).unwrap().current();
/// assert_eq!(mta_sts::Policy::parse(&policy.to_string()).unwrap(), policy);
/// ```
pub fn policy() -> impl Strategy<Value = Policy> {
    policy_with(0)
}

/// Policies with at least `min_mx` patterns (and at least one when the mode
/// requires it).
pub(super) fn policy_with(min_mx: usize) -> impl Strategy<Value = Policy> {
    mode().prop_flat_map(move |mode| {
        let least = if mode == Mode::None {
            min_mx
        } else {
            min_mx.max(1)
        };
        (
            Just(mode),
            max_age(),
            prop::collection::vec(mx_pattern(), least..=6),
            extensions(3),
        )
            .prop_map(|(mode, max_age, mx, extensions)| Policy {
                mode,
                max_age,
                mx,
                extensions: extensions.into(),
            })
    })
}

/// One line of a policy text, before layout.
#[derive(Clone, Debug)]
enum Line {
    Version,
    Mode,
    MaxAge,
    Mx,
    Extension,
}

/// How one line is written: the separator after `:`, whitespace at the end
/// and the terminator (SEMANTICS P3, P10).
fn layout() -> impl Strategy<Value = (&'static str, &'static str, &'static str)> {
    (
        select(vec![" ", " ", " ", "", "  ", "\t", " \t"]),
        select(vec!["", "", "", "", " ", "\t", "  \t"]),
        select(vec!["\n", "\r\n"]),
    )
}

/// Valid policies with a strict-valid text for each, in varied layout:
/// fields in any order (`mx` lines and extensions keep their relative
/// order), LF, CRLF or a mix, optional whitespace after `:` and at line
/// ends, no terminator after the last line sometimes, `max_age` with
/// leading zeros sometimes, and sometimes repeated `version`, `mode` or
/// `max_age` lines after the first (ignored, even with an invalid value:
/// SEMANTICS P20). `Policy::parse(&text)` must give the policy.
///
/// ```
/// use mta_sts::strategy;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let (policy, text) = strategy::policy_text().new_tree(&mut runner).unwrap().current();
/// assert_eq!(mta_sts::Policy::parse(&text).unwrap(), policy);
/// ```
pub fn policy_text() -> impl Strategy<Value = (Policy, String)> {
    policy().prop_flat_map(|policy| {
        let mut lines = vec![Line::Version, Line::Mode, Line::MaxAge];
        lines.extend(policy.mx.iter().map(|_| Line::Mx));
        lines.extend(policy.extensions.iter().map(|_| Line::Extension));
        let count = lines.len();
        (
            Just(policy),
            Just(lines).prop_shuffle(),
            prop::collection::vec(layout(), count..=count),
            any::<bool>(),
            0usize..4,
            prop::collection::vec(
                (
                    select(vec!["version", "mode", "max_age"]),
                    select(vec![
                        "STSv1",
                        "enforce",
                        "bogus",
                        "-1",
                        "99999999999",
                        "none",
                    ]),
                ),
                0..3,
            ),
        )
            .prop_map(|(policy, lines, layouts, last_eol, zeros, repeats)| {
                let text = write_policy(&policy, &lines, &layouts, last_eol, zeros, &repeats);
                (policy, text)
            })
    })
}

/// Writes `policy` as text in the given line order and layout.
fn write_policy(
    policy: &Policy,
    lines: &[Line],
    layouts: &[(&str, &str, &str)],
    last_eol: bool,
    zeros: usize,
    repeats: &[(&str, &str)],
) -> String {
    let mut mx = policy.mx.iter();
    let mut extensions = policy.extensions.iter();
    let max_age = policy.max_age.to_string();
    let padded = format!("{}{max_age}", "0".repeat(zeros.min(10 - max_age.len())));
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in lines {
        let field = match line {
            Line::Version => ("version".into(), "STSv1".into()),
            Line::Mode => ("mode".into(), policy.mode.as_str().into()),
            Line::MaxAge => ("max_age".into(), padded.clone()),
            Line::Mx => (
                "mx".into(),
                mx.next().map(|p| p.as_str().into()).unwrap_or_default(),
            ),
            Line::Extension => extensions
                .next()
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .unwrap_or_default(),
        };
        fields.push(field);
    }
    fields.extend(repeats.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let mut text = String::new();
    for (i, (key, value)) in fields.iter().enumerate() {
        let (sep, trail, eol) = layouts.get(i).copied().unwrap_or((" ", "", "\n"));
        text.push_str(key);
        text.push(':');
        text.push_str(sep);
        text.push_str(value);
        text.push_str(trail);
        if i + 1 < fields.len() || last_eol {
            text.push_str(eol);
        }
    }
    text
}

/// Valid TXT record texts in strict syntax (SEMANTICS T1, T2, T8): `v=STSv1`,
/// an id of 1 to 32 letters and digits, up to two extensions, with optional
/// whitespace around the semicolons and an optional trailing `;`.
///
/// ```
/// use mta_sts::strategy;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let text = strategy::txt_record_text().new_tree(&mut runner).unwrap().current();
/// assert!(mta_sts::TxtRecord::parse(&text).is_ok(), "{text}");
/// ```
pub fn txt_record_text() -> impl Strategy<Value = String> {
    let semicolon = select(vec![";", "; ", " ;", ";  ", " ; ", ";\t"]);
    (
        "[a-zA-Z0-9]{1,32}",
        prop::collection::vec(
            (
                "[a-zA-Z0-9][a-zA-Z0-9_.-]{0,31}"
                    .prop_filter("a known field", |n| n != "id" && n != "v"),
                "[!-:<>-~]{1,20}",
            ),
            0..3,
        ),
        prop::collection::vec(semicolon, 4),
        select(vec!["", ";", "; ", " ;"]),
    )
        .prop_map(|(id, extensions, semicolons, end)| {
            // The first `;` follows `v=STSv1` directly or after spaces (T3).
            let mut text = format!("v=STSv1{}id={id}", semicolons[0].trim_end());
            for (i, (name, value)) in extensions.iter().enumerate() {
                text.push_str(semicolons[1 + i % 3]);
                text.push_str(name);
                text.push('=');
                text.push_str(value);
            }
            text.push_str(end);
            text
        })
}

/// Valid [`TxtRecord`]s: [`txt_record_text`] parsed.
///
/// ```
/// use mta_sts::strategy;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let record = strategy::txt_record().new_tree(&mut runner).unwrap().current();
/// assert_eq!(mta_sts::TxtRecord::parse(&record.to_string()).unwrap(), record);
/// ```
pub fn txt_record() -> impl Strategy<Value = TxtRecord> {
    txt_record_text().prop_filter_map("TXT record refused by the parser", |text| {
        TxtRecord::parse(&text).ok()
    })
}
