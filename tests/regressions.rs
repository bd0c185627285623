//! Regression tests: inputs found by the fuzzers and property tests, kept
//! so that they stay fixed. Each test names where the input came from.

use mta_sts::{MxPattern, ParseOptions, Policy};

/// Found while writing the `policy` fuzz target's round-trip check: the
/// canonical text writes `mx: a\r\n` where the input may have had `mx:a\n`,
/// so the canonical text of a policy close to the 64 KiB limit is larger
/// than the limit. The round trip holds once the limit is lifted.
#[test]
fn canonical_text_may_exceed_the_size_limit() {
    let mut text = String::from("version:STSv1\nmode:enforce\nmax_age:1\n");
    while text.len() + 5 <= 65_536 {
        text.push_str("mx:a\n");
    }
    let policy = Policy::parse(&text).unwrap();
    let canonical = policy.to_string();
    assert!(canonical.len() > 65_536);
    assert_eq!(Policy::parse(&canonical).unwrap_err().code(), "too-large");
    let unlimited = ParseOptions::strict().with_max_size(usize::MAX);
    assert_eq!(Policy::parse_with(&canonical, &unlimited), Ok(policy));
}

/// Found by `prop_parse::one_lenient_deviation_is_recovered` (a strategy
/// bug, kept to pin the behaviour): an ASCII `xn--` label that is not valid
/// Punycode is a valid LDH label, so strict accepts it (only non-ASCII input
/// goes through UTS #46); in a name that also has a U-label, lenient runs
/// UTS #46 on the whole name, which refuses it.
#[test]
fn fake_a_label_is_ldh_alone_but_not_next_to_a_u_label() {
    let pattern: MxPattern = "mx.xn--00.example".parse().unwrap();
    assert!(pattern.matches("MX.XN--00.EXAMPLE."));
    let text = "version: STSv1\nmode: enforce\nmx: bücher.xn--00\nmax_age: 1\n";
    let err = Policy::parse_with(text, &ParseOptions::lenient()).unwrap_err();
    assert_eq!((err.code(), err.line()), ("invalid-mx", Some(3)));
}
