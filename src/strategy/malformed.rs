//! Policy texts with one lenient-only deviation, and grammar-token soup
//! for "never panics" tests.

use proptest::prelude::*;
use proptest::sample::{Index, select};

use super::host::MAX_NAME;
use super::policy::policy_with;
use crate::policy::MAX_AGE_LIMIT;
use crate::{MxPattern, Policy};

/// A policy text with exactly one deviation from strict syntax that
/// lenient parsing tolerates, from [`malformed_policy`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Malformed {
    /// The policy text: strict parsing refuses it.
    pub text: String,
    /// The lint code naming the deviation (`blank-line`, `bom`,
    /// `leading-whitespace`, `space-before-colon`, `invalid-line`,
    /// `max-age-above-limit`, `mx-trailing-dot` or `mx-u-label`).
    pub lint: &'static str,
    /// What lenient parsing must give for `text`.
    pub policy: Policy,
}

/// Lowercase U-labels with their A-labels (UTS #46, non-transitional).
const U_LABELS: [(&str, &str); 6] = [
    ("bücher", "xn--bcher-kva"),
    ("münchen", "xn--mnchen-3ya"),
    ("köln", "xn--kln-sna"),
    ("straße", "xn--strae-oqa"),
    ("zürich", "xn--zrich-kva"),
    ("日本", "xn--wgv71a"),
];

/// Realistic malformed policy texts, one deviation at a time from the
/// SEMANTICS lenient column: a blank line (P6), a BOM (P7), leading
/// whitespace (P8), whitespace before `:` (P9), a comment line (P11), a
/// `max_age` above the limit (P17), an `mx` with a trailing dot (M3) or with
/// a U-label (M13). Strict parsing refuses each text; lenient parsing gives
/// [`Malformed::policy`].
///
/// ```
/// use mta_sts::strategy;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let malformed = strategy::malformed_policy().new_tree(&mut runner).unwrap().current();
/// assert!(mta_sts::Policy::parse(&malformed.text).is_err());
/// ```
pub fn malformed_policy() -> impl Strategy<Value = Malformed> {
    (
        policy_with(1),
        0u8..8,
        any::<Index>(),
        any::<Index>(),
        select(vec!["", " ", "\t", "  \t "]),
        select(vec![
            "# comment",
            "#",
            "foo bar: x",
            "_x: y",
            "not a field",
            "x",
        ]),
        (MAX_AGE_LIMIT + 1)..=9_999_999_999,
        select(U_LABELS.to_vec()),
    )
        .prop_map(
            |(mut policy, kind, line, pick, blank, junk, too_long, (ulabel, alabel))| {
                let mut lines: Vec<String> = policy
                    .to_string()
                    .split("\r\n")
                    .filter(|line| !line.is_empty())
                    .map(str::to_owned)
                    .collect();
                let at = line.index(lines.len());
                let lint = match kind {
                    0 => {
                        lines.insert(line.index(lines.len() + 1), blank.to_owned());
                        "blank-line"
                    }
                    1 => {
                        lines[0].insert(0, '\u{feff}');
                        "bom"
                    }
                    2 => {
                        lines[at].insert_str(0, if blank.is_empty() { " " } else { blank });
                        "leading-whitespace"
                    }
                    3 => {
                        if let Some(colon) = lines[at].find(':') {
                            lines[at].insert(colon, ' ');
                        }
                        "space-before-colon"
                    }
                    4 => {
                        lines.insert(line.index(lines.len() + 1), junk.to_owned());
                        "invalid-line"
                    }
                    5 => {
                        for line in &mut lines {
                            if line.starts_with("max_age:") {
                                *line = format!("max_age: {too_long}");
                            }
                        }
                        policy.max_age = MAX_AGE_LIMIT;
                        "max-age-above-limit"
                    }
                    6 => {
                        let i = pick.index(policy.mx.len());
                        let target = format!("mx: {}", policy.mx[i].as_str());
                        if let Some(line) = lines.iter_mut().find(|line| **line == target) {
                            line.push('.');
                        }
                        "mx-trailing-dot"
                    }
                    _ => {
                        let i = pick.index(policy.mx.len());
                        let old = policy.mx[i].as_str().to_owned();
                        let (star, name) = match old.strip_prefix("*.") {
                            Some(name) => ("*.", name),
                            None => ("", old.as_str()),
                        };
                        // UTS #46 checks every label of a name that has a
                        // U-label, so an ASCII `xn--` label must be genuine.
                        let name = if name.len() + alabel.len() + 1 > MAX_NAME - 2
                            || name.split('.').any(|label| label.starts_with("xn--"))
                        {
                            "example"
                        } else {
                            name
                        };
                        let target = format!("mx: {old}");
                        let converted = format!("{star}{alabel}.{name}");
                        if let (Some(line), Ok(pattern)) = (
                            lines.iter_mut().find(|line| **line == target),
                            converted.parse::<MxPattern>(),
                        ) {
                            *line = format!("mx: {star}{ulabel}.{name}");
                            // Replace every equal pattern the line stood for:
                            // only the first line with that text changed.
                            if let Some(slot) = policy.mx.iter_mut().find(|p| p.as_str() == old) {
                                *slot = pattern;
                            }
                        }
                        "mx-u-label"
                    }
                };
                let mut text = lines.join("\n");
                text.push('\n');
                Malformed { text, lint, policy }
            },
        )
}

/// Tokens of the policy and TXT grammars, with the characters that break
/// them, for [`grammar_text`].
const TOKENS: &[&str] = &[
    "version",
    "mode",
    "mx",
    "max_age",
    "STSv1",
    "enforce",
    "testing",
    "none",
    ":",
    ": ",
    " ",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "*",
    ".",
    "*.",
    "example",
    "com",
    "mail",
    "-",
    "_",
    "0",
    "1",
    "604800",
    "31557600",
    "31557601",
    "9999999999",
    "99999999999",
    "v=STSv1",
    "v=STSv1;",
    ";",
    "id=",
    "id",
    "=",
    "v=",
    "\u{feff}",
    "é",
    "ü",
    "日本",
    "xn--",
    "xn--bcher-kva",
    "#",
    "\0",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\"",
    "[",
    "]",
    "::1",
    "a",
    "Z",
    "..",
    "@",
    ",",
];

/// Grammar-shaped strings: zero to 60 tokens of the policy and TXT grammars
/// (field names, values, `:`, `;`, `=`, `*.`, digits, CR, LF, spaces, tabs,
/// a BOM, controls, non-ASCII letters) in any order. Mostly invalid, they
/// reach far deeper into the parsers than random strings do; use them to
/// check that nothing panics.
///
/// ```
/// use mta_sts::strategy;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let text = strategy::grammar_text().new_tree(&mut runner).unwrap().current();
/// // Any outcome, never a panic.
/// let _ = mta_sts::Policy::parse_with(&text, &mta_sts::ParseOptions::lenient());
/// ```
pub fn grammar_text() -> impl Strategy<Value = String> {
    prop::collection::vec(select(TOKENS), 0..60).prop_map(|tokens| tokens.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u_labels_are_their_a_labels() {
        for (ulabel, alabel) in U_LABELS {
            let text = format!("version: STSv1\nmode: testing\nmx: {ulabel}.example\nmax_age: 1\n");
            let policy = Policy::parse_with(&text, &crate::ParseOptions::lenient()).unwrap();
            assert_eq!(
                policy.mx()[0].as_str(),
                format!("{alabel}.example"),
                "{ulabel}"
            );
        }
    }
}
