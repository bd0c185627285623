//! Policy change detection (RFC 8461 §3.1: the id must change whenever the
//! policy changes).

use mta_sts::diff::PolicyDiff;
use mta_sts::{Mode, Policy};
use proptest::prelude::*;

fn parse(text: &str) -> Policy {
    Policy::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

const BASE: &str =
    "version: STSv1\nmode: testing\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 86400\n";

/// (new policy text, expected Display of BASE.diff(new))
const TABLE: &[(&str, &str)] = &[
    // Same meaning: order, case, repeats and line ends do not matter.
    (BASE, "no changes"),
    (
        "max_age: 86400\r\nmx: MX2.example.com\r\nmode: testing\r\nmx: mx1.example.com\r\nmx: mx1.example.com\r\nversion: STSv1\r\n",
        "no changes",
    ),
    // Mode.
    (
        "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 86400\n",
        "mode: testing -> enforce",
    ),
    // mx patterns added and removed.
    (
        "version: STSv1\nmode: testing\nmx: mx1.example.com\nmx: *.example.net\nmax_age: 86400\n",
        "mx removed: mx2.example.com\nmx added: *.example.net",
    ),
    // max_age.
    (
        "version: STSv1\nmode: testing\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 604800\n",
        "max_age: 86400 -> 604800",
    ),
    // Extensions.
    (
        "version: STSv1\nmode: testing\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 86400\nnote: new\n",
        "extension added: note: new",
    ),
    // Everything at once, in the Display order.
    (
        "version: STSv1\nmode: none\nmax_age: 1\n",
        "mode: testing -> none\nmx removed: mx1.example.com\nmx removed: mx2.example.com\nmax_age: 86400 -> 1",
    ),
];

#[test]
fn diff_table() {
    let base = parse(BASE);
    for &(new, expected) in TABLE {
        let diff = base.diff(&parse(new));
        assert_eq!(diff.to_string(), expected, "{new:?}");
        assert_eq!(diff.is_empty(), expected == "no changes", "{new:?}");
    }
}

#[test]
fn accessors() {
    let old = parse(
        "version: STSv1\nmode: testing\nmx: a.example.com\nmax_age: 86400\nkeep: 1\ngone: 2\nedit: 3\n",
    );
    let new = parse(
        "version: STSv1\nmode: enforce\nmx: b.example.com\nmx: b.example.com\nmax_age: 86400\nedit: 4\nkeep: 1\nfresh: 5\n",
    );
    let diff = old.diff(&new);
    assert_eq!(diff.mode(), Some((Mode::Testing, Mode::Enforce)));
    assert_eq!(diff.max_age(), None);
    let added: Vec<_> = diff
        .mx_added()
        .iter()
        .map(mta_sts::MxPattern::as_str)
        .collect();
    let removed: Vec<_> = diff
        .mx_removed()
        .iter()
        .map(mta_sts::MxPattern::as_str)
        .collect();
    assert_eq!(
        (added, removed),
        (vec!["b.example.com"], vec!["a.example.com"])
    );
    let changes: Vec<_> = diff
        .extensions()
        .iter()
        .map(|c| (c.name(), c.old_value(), c.new_value()))
        .collect();
    assert_eq!(
        changes,
        [
            ("gone", Some("2"), None),
            ("edit", Some("3"), Some("4")),
            ("fresh", None, Some("5"))
        ]
    );
    assert_eq!(
        diff.to_string(),
        "mode: testing -> enforce\nmx removed: a.example.com\nmx added: b.example.com\n\
         extension removed: gone: 2\nextension changed: edit: 3 -> 4\nextension added: fresh: 5"
    );
    // The reverse diff swaps every change.
    let back = new.diff(&old);
    assert_eq!(back.mode(), Some((Mode::Enforce, Mode::Testing)));
    assert_eq!(back.mx_added(), diff.mx_removed());
    assert_eq!(PolicyDiff::default().to_string(), "no changes");
}

fn policy_strategy() -> impl Strategy<Value = Policy> {
    let mx = prop::collection::vec(
        prop::sample::select(vec![
            "a.example.com",
            "b.example.com",
            "*.example.net",
            "MX.example.org",
        ]),
        1..4,
    );
    let ext = prop::collection::vec(
        (
            prop::sample::select(vec!["x", "y"]),
            prop::sample::select(vec!["1", "2"]),
        ),
        0..3,
    );
    (
        prop::sample::select(vec!["enforce", "testing", "none"]),
        mx,
        prop::sample::select(vec![0u64, 86_400, 604_800]),
        ext,
    )
        .prop_map(|(mode, mx, max_age, ext)| {
            let mut text = format!("version: STSv1\nmode: {mode}\n");
            for m in mx {
                text.push_str(&format!("mx: {m}\n"));
            }
            text.push_str(&format!("max_age: {max_age}\n"));
            for (n, v) in ext {
                text.push_str(&format!("{n}: {v}\n"));
            }
            Policy::parse(&text).unwrap()
        })
}

proptest! {
    #[test]
    fn diff_is_empty_exactly_when_policies_mean_the_same(a in policy_strategy(), b in policy_strategy()) {
        prop_assert!(a.diff(&a).is_empty());
        let mut a_mx: Vec<_> = a.mx().iter().map(mta_sts::MxPattern::as_str).collect();
        let mut b_mx: Vec<_> = b.mx().iter().map(mta_sts::MxPattern::as_str).collect();
        a_mx.sort_unstable();
        a_mx.dedup();
        b_mx.sort_unstable();
        b_mx.dedup();
        let a_ext: Vec<_> = a.extensions().collect();
        let mut a_ext_sorted = a_ext.clone();
        a_ext_sorted.sort_unstable();
        let mut b_ext: Vec<_> = b.extensions().collect();
        b_ext.sort_unstable();
        let same = a.mode() == b.mode() && a.max_age() == b.max_age() && a_mx == b_mx && a_ext_sorted == b_ext;
        prop_assert_eq!(a.diff(&b).is_empty(), same);
        prop_assert_eq!(b.diff(&a).is_empty(), same);
    }
}
