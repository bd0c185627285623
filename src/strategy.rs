//! [`proptest`](mod@proptest) strategies for MTA-STS values, for downstream test suites.
//!
//! Enabled by the `proptest` feature. Every strategy here builds its values
//! from the grammar in the semantics reference (`docs/SEMANTICS.md`) and RFC 8461, not from this crate's
//! parser, so a test that feeds them to the parser checks the parser:
//!
//! | strategy | yields |
//! |---|---|
//! | [`mode`] | every [`Mode`] |
//! | [`host`] | valid ASCII host names, mixed case |
//! | [`mx_pattern_text`], [`mx_pattern`] | valid `mx` values (`*.` wildcards included), as text or parsed |
//! | [`matching_host`], [`non_matching_host`] | hosts that match a given pattern, and near misses that do not |
//! | [`policy`] | valid [`Policy`] values |
//! | [`policy_text`] | a valid policy and a strict text for it, in varied layout |
//! | [`txt_record_text`], [`txt_record`] | valid `_mta-sts` TXT records |
//! | [`malformed_policy`] | a policy text with exactly one deviation that only lenient parsing tolerates |
//! | [`grammar_text`] | strings built from the grammar's tokens, mostly invalid, for "never panics" tests |
//!
//! # Examples
//!
//! ```
//! use mta_sts::{strategy, ParseOptions, Policy};
//! use proptest::test_runner::{Config, TestRunner};
//!
//! let mut runner = TestRunner::new(Config::with_cases(64));
//!
//! // The canonical text of any valid policy parses back to the same value.
//! runner
//!     .run(&strategy::policy(), |policy| {
//!         assert_eq!(Policy::parse(&policy.to_string()).unwrap(), policy);
//!         Ok(())
//!     })
//!     .unwrap();
//!
//! // One lenient-only deviation: strict refuses it, lenient recovers the policy.
//! runner
//!     .run(&strategy::malformed_policy(), |bad| {
//!         assert!(Policy::parse(&bad.text).is_err(), "{:?} ({})", bad.text, bad.lint);
//!         let lenient = Policy::parse_with(&bad.text, &ParseOptions::lenient()).unwrap();
//!         assert_eq!(lenient, bad.policy);
//!         Ok(())
//!     })
//!     .unwrap();
//! ```

use proptest::prelude::*;
use proptest::sample::{Index, select};

use crate::policy::MAX_AGE_LIMIT;
use crate::{Mode, MxPattern, Policy, TxtRecord};

/// The longest host name (RFC 1035, without the root dot).
const MAX_NAME: usize = 253;

/// Every [`Mode`], equally likely.
///
/// ```
/// use mta_sts::strategy;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let mode = strategy::mode().new_tree(&mut runner).unwrap().current();
/// assert_eq!(mode.as_str().parse::<mta_sts::Mode>().unwrap(), mode);
/// ```
pub fn mode() -> impl Strategy<Value = Mode> {
    prop_oneof![Just(Mode::Enforce), Just(Mode::Testing), Just(Mode::None)]
}

/// One LDH label: mostly short, sometimes up to the 63-octet limit; letters
/// in either case, digits, inner hyphens.
fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?",
        1 => "[a-z0-9]",
        1 => "[a-zA-Z0-9][a-zA-Z0-9-]{60,61}[a-zA-Z0-9]",
        1 => "[0-9]{1,3}",
        1 => "xn--[a-z0-9]{2,8}",
    ]
}

/// A valid ASCII host name of at most `max` octets: one to five labels.
fn name(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(label(), 1..=5).prop_map(move |labels| {
        let mut name = String::new();
        for label in labels {
            let extra = label.len() + usize::from(!name.is_empty());
            if !name.is_empty() && name.len() + extra > max {
                break;
            }
            if !name.is_empty() {
                name.push('.');
            }
            name.push_str(&label);
        }
        // A single label can exceed a small `max` only when `max < 63`.
        name.truncate(max.max(1));
        while name.ends_with(['-', '.']) {
            name.pop();
        }
        if name.is_empty() {
            name.push('a');
        }
        name
    })
}

/// Valid ASCII host names (LDH labels of 1 to 63 octets, at most 253 octets
/// in all, no trailing dot), letters in mixed case. Every one of them is a
/// valid exact `mx` pattern too.
///
/// ```
/// use mta_sts::strategy;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let host = strategy::host().new_tree(&mut runner).unwrap().current();
/// assert!(host.parse::<mta_sts::MxPattern>().unwrap().matches(&host));
/// ```
pub fn host() -> impl Strategy<Value = String> {
    name(MAX_NAME)
}

/// Valid `mx` pattern texts in strict syntax (SEMANTICS M1, M2, M4, M5,
/// M11, M12): an optional `*.` and a host name, letters in mixed case.
///
/// A wildcard's suffix is kept at most 200 octets so that hosts can match it.
///
/// ```
/// use mta_sts::strategy;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let text = strategy::mx_pattern_text().new_tree(&mut runner).unwrap().current();
/// assert!(text.parse::<mta_sts::MxPattern>().is_ok(), "{text}");
/// ```
pub fn mx_pattern_text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => name(MAX_NAME),
        1 => name(200).prop_map(|suffix| format!("*.{suffix}")),
    ]
}

/// Valid [`MxPattern`]s: [`mx_pattern_text`] parsed.
///
/// ```
/// use mta_sts::strategy;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let pattern = strategy::mx_pattern().new_tree(&mut runner).unwrap().current();
/// assert_eq!(pattern.as_str().parse::<mta_sts::MxPattern>().unwrap(), pattern);
/// ```
pub fn mx_pattern() -> impl Strategy<Value = MxPattern> {
    mx_pattern_text().prop_filter_map("mx pattern refused by the parser", |text| {
        text.parse::<MxPattern>().ok()
    })
}

/// Flips the case of the letters whose bit is set in `mask` (bit `i % 64`
/// for the `i`-th character).
fn flip_case(text: &str, mask: u64) -> String {
    text.chars()
        .enumerate()
        .map(|(i, c)| {
            if (mask >> (i % 64)) & 1 == 1 {
                if c.is_ascii_lowercase() {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            } else {
                c
            }
        })
        .collect()
}

/// A case mask: untouched half of the time.
fn case_mask() -> impl Strategy<Value = u64> {
    prop_oneof![Just(0u64), any::<u64>()]
}

/// The name a pattern compares against: the suffix of a wildcard, the
/// whole name otherwise.
fn pattern_name(pattern: &MxPattern) -> String {
    let text = pattern.as_str();
    text.strip_prefix("*.").unwrap_or(text).to_owned()
}

/// Hosts that `pattern` matches (SEMANTICS X1–X3): the name itself or, for a
/// wildcard, one label in front of its suffix; letters in random case,
/// sometimes with one trailing dot.
///
/// # Panics
///
/// When building the strategy, if `pattern` is a wildcard whose suffix
/// leaves no room for a label within 253 octets (a suffix over 251
/// octets): no host can match such a pattern.
///
/// ```
/// use mta_sts::strategy;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let pattern: mta_sts::MxPattern = "*.example.com".parse().unwrap();
/// let host = strategy::matching_host(&pattern).new_tree(&mut runner).unwrap().current();
/// assert!(pattern.matches(&host), "{host}");
/// ```
pub fn matching_host(pattern: &MxPattern) -> impl Strategy<Value = String> + use<> {
    let name = pattern_name(pattern);
    let wildcard = pattern.is_wildcard();
    let room = MAX_NAME.saturating_sub(name.len() + 1);
    assert!(
        !wildcard || room > 0,
        "no host can match {:?}: its suffix leaves no room for a label",
        pattern.as_str()
    );
    let base = if wildcard {
        name_label(room)
            .prop_map(move |label| format!("{label}.{name}"))
            .boxed()
    } else {
        Just(name).boxed()
    };
    (base, case_mask(), prop::bool::weighted(0.25)).prop_map(|(host, mask, dot)| {
        let mut host = flip_case(&host, mask);
        if dot {
            host.push('.');
        }
        host
    })
}

/// One label of at most `max` octets.
fn name_label(max: usize) -> impl Strategy<Value = String> {
    label().prop_map(move |mut label| {
        label.truncate(max.clamp(1, 63));
        while label.ends_with('-') {
            label.pop();
        }
        label
    })
}

/// Replaces the letter or digit at `index` (among letters and digits) with
/// a different one, also different ignoring case.
fn substitute(text: &str, index: Index) -> String {
    let positions: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| b.is_ascii_alphanumeric())
        .map(|(i, _)| i)
        .collect();
    let mut bytes = text.as_bytes().to_vec();
    if positions.is_empty() {
        bytes.insert(0, b'x');
    } else {
        let at = positions[index.index(positions.len())];
        bytes[at] = match bytes[at].to_ascii_lowercase() {
            b'z' => b'a',
            b'9' => b'0',
            b => b + 1,
        };
    }
    // Only ASCII letters and digits were touched.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Near misses for `pattern` (SEMANTICS X2–X4): hosts one edit away from a
/// match that must not match: an extra or missing label, the suffix without
/// its dot, an empty leftmost label, two trailing dots, one letter changed,
/// a port, the wildcard pattern itself as a host. Letters in random case.
///
/// ```
/// use mta_sts::strategy;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let pattern: mta_sts::MxPattern = "*.example.com".parse().unwrap();
/// let host = strategy::non_matching_host(&pattern).new_tree(&mut runner).unwrap().current();
/// assert!(!pattern.matches(&host), "{host}");
/// ```
pub fn non_matching_host(pattern: &MxPattern) -> impl Strategy<Value = String> + use<> {
    let name = pattern_name(pattern);
    let wildcard = pattern.is_wildcard();
    let parent = name
        .split_once('.')
        .map(|(_, parent)| parent.to_owned())
        .filter(|parent| !parent.is_empty());
    let mut misses: Vec<String> = vec![
        format!(".{name}"),
        format!("*.{name}"),
        format!("{name}:25"),
        format!("{name} "),
    ];
    if wildcard {
        misses.extend([
            name.clone(),
            format!("a.b.{name}"),
            format!("mail{name}"),
            format!("mail-{name}"),
            format!("a.{name}.."),
            format!("a..{name}"),
            format!("a.{name}.x"),
        ]);
        if let Some(parent) = &parent {
            misses.push(format!("a.{parent}"));
        }
    } else {
        misses.extend([
            format!("x.{name}"),
            format!("x{name}"),
            format!("{name}x"),
            format!("{name}.."),
            format!("{name}.x"),
            format!("a.b.{name}"),
        ]);
        if let Some(parent) = &parent {
            misses.push(parent.clone());
        }
    }
    let changed = {
        let name = name.clone();
        any::<Index>().prop_map(move |index| {
            let changed = substitute(&name, index);
            if wildcard {
                format!("a.{changed}")
            } else {
                changed
            }
        })
    };
    (prop_oneof![3 => select(misses), 1 => changed], case_mask())
        .prop_map(|(host, mask)| flip_case(&host, mask))
}

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
fn policy_with(min_mx: usize) -> impl Strategy<Value = Policy> {
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
    use proptest::test_runner::{Config, TestRunner};

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

    #[test]
    fn generated_names_are_within_limits() {
        let mut runner = TestRunner::new(Config::with_cases(256));
        runner
            .run(&mx_pattern_text(), |text| {
                let name = text.strip_prefix("*.").unwrap_or(&text);
                prop_assert!(name.len() <= MAX_NAME, "{text:?}");
                for label in name.split('.') {
                    prop_assert!((1..=63).contains(&label.len()), "{text:?}");
                    prop_assert!(!label.starts_with('-') && !label.ends_with('-'), "{text:?}");
                    prop_assert!(
                        label
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    );
                }
                Ok(())
            })
            .unwrap();
    }
}
