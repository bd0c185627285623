//! The matcher agrees with a plain reference model (X1–X4 in
//! `docs/SEMANTICS.md`).
#![cfg(feature = "proptest")]

use mta_sts::{MxPattern, Policy, strategy};
use proptest::prelude::*;

/// The reference model: lowercase both sides, strip one trailing dot from
/// the host, refuse an invalid host, then compare exactly or, for
/// `*.suffix`, require one non-empty label followed by `.suffix`.
fn model(pattern: &str, host: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let host = host.to_ascii_lowercase();
    let host = host.strip_suffix('.').unwrap_or(&host);
    if !valid_host(host) {
        return false;
    }
    match pattern.strip_prefix("*.") {
        Some(suffix) => match host.split_once('.') {
            Some((label, rest)) => !label.is_empty() && rest == suffix,
            None => false,
        },
        None => host == pattern,
    }
}

/// An ASCII host name: LDH labels of 1 to 63 octets, no hyphen at either
/// end, at most 253 octets.
fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// A pattern with hosts that match it, near misses, and unrelated hosts.
fn pattern_and_host() -> impl Strategy<Value = (MxPattern, String)> {
    strategy::mx_pattern().prop_flat_map(|pattern| {
        let host = prop_oneof![
            strategy::matching_host(&pattern),
            strategy::non_matching_host(&pattern),
            strategy::host(),
            "[a-zA-Z0-9.*_ -]{0,20}",
        ];
        (Just(pattern), host)
    })
}

/// A pattern, a host that matches it and a near miss.
fn hit_and_miss() -> impl Strategy<Value = (MxPattern, String, String)> {
    strategy::mx_pattern().prop_flat_map(|pattern| {
        let hit = strategy::matching_host(&pattern);
        let miss = strategy::non_matching_host(&pattern);
        (Just(pattern), hit, miss)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn matcher_agrees_with_the_model((pattern, host) in pattern_and_host()) {
        let expected = model(pattern.as_str(), &host);
        prop_assert_eq!(pattern.matches(&host), expected, "{} vs {:?}", pattern, host);
        let policy = Policy::parse(&format!("version: STSv1\nmode: enforce\nmx: {pattern}\nmax_age: 86400\n")).unwrap();
        prop_assert_eq!(policy.matches(&host), expected, "policy {} vs {:?}", pattern, host);
    }

    #[test]
    fn matching_hosts_match_and_near_misses_do_not((pattern, hit, miss) in hit_and_miss()) {
        prop_assert!(model(pattern.as_str(), &hit), "model: {} vs {:?}", pattern, hit);
        prop_assert!(pattern.matches(&hit), "{} vs {:?}", pattern, hit);
        prop_assert!(!model(pattern.as_str(), &miss), "model: {} vs {:?}", pattern, miss);
        prop_assert!(!pattern.matches(&miss), "{} vs {:?}", pattern, miss);
    }

    #[test]
    fn any_pattern_matches_in_a_policy(
        patterns in prop::collection::vec(strategy::mx_pattern(), 1..5),
        host in strategy::host(),
    ) {
        let mut text = String::from("version: STSv1\nmode: testing\nmax_age: 86400\n");
        for pattern in &patterns {
            text.push_str(&format!("mx: {pattern}\n"));
        }
        let policy = Policy::parse(&text).unwrap();
        let expected = patterns.iter().any(|p| model(p.as_str(), &host));
        prop_assert_eq!(policy.matches(&host), expected, "{:?} vs {:?}", patterns, host);
        prop_assert_eq!(policy.matches(&format!("{}.", host.to_ascii_uppercase())), expected);
    }
}

/// The model itself, on the examples of X1–X4 in `docs/SEMANTICS.md`.
#[test]
fn model_follows_semantics_examples() {
    let rows = [
        ("mail.example.com", "MAIL.EXAMPLE.COM.", true),
        ("mail.example.com", "mail.example.com..", false),
        ("*.example.com", "mail.example.com", true),
        ("*.example.com", "example.com", false),
        ("*.example.com", "a.b.example.com", false),
        ("*.example.com", ".example.com", false),
        ("*.example.com", "mailexample.com", false),
        ("*.example.com", "_x.example.com", false),
        ("*.example.com", "*.example.com", false),
        ("mail.example.com", "mail.example.com:25", false),
    ];
    for (pattern, host, expected) in rows {
        assert_eq!(model(pattern, host), expected, "{pattern} vs {host}");
        let parsed: MxPattern = pattern.parse().unwrap();
        assert_eq!(parsed.matches(host), expected, "{pattern} vs {host}");
    }
}
