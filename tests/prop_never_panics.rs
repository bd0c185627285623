//! Nothing panics: every parser, the matcher and `lint::check` return
//! normally for arbitrary strings and for grammar-shaped strings, in both
//! modes. Any outcome is fine here; a panic fails the test.
#![cfg(feature = "proptest")]

use mta_sts::lint::{self, Context};
use mta_sts::{MxPattern, ParseOptions, Policy, TxtRecord, strategy};
use proptest::prelude::*;

/// Arbitrary strings, grammar-shaped strings and near-valid policy texts.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        strategy::grammar_text(),
        strategy::policy_text().prop_map(|(_, text)| text),
        strategy::malformed_policy().prop_map(|bad| bad.text),
    ]
}

fn both() -> [ParseOptions; 2] {
    [ParseOptions::strict(), ParseOptions::lenient()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn policy_parsers(text in text(), bytes in any::<Vec<u8>>()) {
        for options in both() {
            let _ = Policy::parse_with(&text, &options);
            let _ = Policy::parse_bytes(text.as_bytes(), &options);
            let _ = Policy::parse_bytes(&bytes, &options);
            let _ = Policy::parse_with(&text, &options.with_max_size(text.len() / 2));
        }
        let _ = text.parse::<Policy>();
    }

    #[test]
    fn txt_parsers(text in text(), records in prop::collection::vec(text(), 0..4)) {
        for options in both() {
            let _ = TxtRecord::parse_with(&text, &options);
            let _ = TxtRecord::from_rrset_with(&records, &options);
            let _ = TxtRecord::from_rrset_with([format!("v=STSv1;{text}")], &options);
        }
        let _ = TxtRecord::from_rrset(&records);
        let _ = text.parse::<TxtRecord>();
    }

    #[test]
    fn mx_patterns_and_matching(pattern in text(), host in text(), valid in strategy::mx_pattern()) {
        let _ = pattern.parse::<MxPattern>();
        if let Ok(pattern) = pattern.parse::<MxPattern>() {
            let _ = pattern.matches(&host);
        }
        let _ = valid.matches(&host);
        let _ = valid.matches(&pattern);
        if let Ok(policy) = Policy::parse(&format!("version: STSv1\nmode: enforce\nmx: {valid}\nmax_age: 1\n")) {
            let _ = policy.matches(&host);
        }
    }

    #[test]
    fn lint_check(
        text in text(),
        domain in prop_oneof![strategy::host(), any::<String>()],
        dns_mx in prop::collection::vec(prop_oneof![strategy::host(), any::<String>()], 0..3),
        txt in text(),
    ) {
        let _ = lint::check(&text, &Context::new());
        let context = Context::new().domain(domain).dns_mx(dns_mx).txt(txt);
        let report = lint::check(&text, &context);
        for lint in report.lints() {
            prop_assert!(!lint.message().is_empty());
        }
        if let Some(policy) = report.policy() {
            let _ = lint::lint_policy(policy, &context);
        }
    }
}
