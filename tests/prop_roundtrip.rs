//! Round trips over generated values: `parse(x.to_string()) == x`.
#![cfg(feature = "proptest")]

use mta_sts::{Mode, MxPattern, ParseOptions, Policy, TxtRecord, strategy};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn policy_display_parses_back(policy in strategy::policy()) {
        let text = policy.to_string();
        prop_assert_eq!(Policy::parse(&text), Ok(policy.clone()), "{:?}", text);
        prop_assert_eq!(Policy::parse_with(&text, &ParseOptions::lenient()), Ok(policy.clone()));
        prop_assert_eq!(Policy::parse_bytes(text.as_bytes(), &ParseOptions::strict()), Ok(policy.clone()));
        prop_assert_eq!(text.parse::<Policy>(), Ok(policy));
    }

    #[test]
    fn policy_text_in_any_layout_parses_to_its_policy((policy, text) in strategy::policy_text()) {
        prop_assert_eq!(Policy::parse(&text), Ok(policy.clone()), "{:?}", text);
        // Its canonical text is the same whatever the layout was.
        prop_assert_eq!(Policy::parse(&policy.to_string()), Ok(policy));
    }

    #[test]
    fn txt_record_display_parses_back(record in strategy::txt_record()) {
        let text = record.to_string();
        prop_assert!(text.starts_with("v=STSv1; id="), "{:?}", text);
        prop_assert_eq!(TxtRecord::parse(&text), Ok(record.clone()), "{:?}", text);
        prop_assert_eq!(TxtRecord::from_rrset([text.as_str(), "v=spf1 -all"]), Ok(record.clone()));
        prop_assert_eq!(text.parse::<TxtRecord>(), Ok(record));
    }

    #[test]
    fn generated_txt_texts_are_strictly_valid(text in strategy::txt_record_text()) {
        let record = TxtRecord::parse(&text);
        prop_assert!(record.is_ok(), "{:?}: {:?}", text, record);
    }

    #[test]
    fn mx_pattern_display_parses_back(text in strategy::mx_pattern_text()) {
        let pattern = text.parse::<MxPattern>();
        prop_assert!(pattern.is_ok(), "{:?}: {:?}", text, pattern);
        let pattern = pattern.unwrap();
        // Stored lowercase (M2 in `docs/SEMANTICS.md`), wildcard kept.
        prop_assert_eq!(pattern.as_str(), text.to_ascii_lowercase());
        prop_assert_eq!(pattern.to_string(), text.to_ascii_lowercase());
        prop_assert_eq!(pattern.is_wildcard(), text.starts_with("*."));
        prop_assert_eq!(pattern.to_string().parse::<MxPattern>(), Ok(pattern));
    }

    #[test]
    fn generated_hosts_are_valid_exact_patterns(host in strategy::host()) {
        let pattern = host.parse::<MxPattern>();
        prop_assert!(pattern.is_ok(), "{:?}: {:?}", host, pattern);
        prop_assert!(pattern.unwrap().matches(&host));
    }

    #[test]
    fn mode_display_parses_back(mode in strategy::mode()) {
        prop_assert_eq!(mode.to_string().parse::<Mode>(), Ok(mode));
        prop_assert_eq!(mode.as_str(), mode.to_string());
    }
}
