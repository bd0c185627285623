//! Host names and `mx` patterns, and hosts that match a pattern or miss it.

use proptest::prelude::*;
use proptest::sample::{Index, select};

use crate::MxPattern;

/// The longest host name (RFC 1035, without the root dot).
pub(super) const MAX_NAME: usize = 253;

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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::test_runner::{Config, TestRunner};

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
