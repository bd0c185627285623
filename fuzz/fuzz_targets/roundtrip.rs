//! Structured round trip: every valid value displays to text that parses
//! back to the same value (via the crate's `arbitrary` feature).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mta_sts::{Mode, MxPattern, ParseOptions, Policy, TxtRecord};

fuzz_target!(|input: (Policy, TxtRecord, MxPattern, Mode)| {
    let (policy, record, pattern, mode) = input;
    let text = policy.to_string();
    assert_eq!(Policy::parse(&text).as_ref(), Ok(&policy), "{text:?}");
    assert_eq!(
        Policy::parse_with(&text, &ParseOptions::lenient()).as_ref(),
        Ok(&policy),
        "{text:?}"
    );
    assert_eq!(
        Policy::parse_bytes(text.as_bytes(), &ParseOptions::strict()).as_ref(),
        Ok(&policy)
    );
    let txt = record.to_string();
    assert_eq!(TxtRecord::parse(&txt).as_ref(), Ok(&record), "{txt:?}");
    assert_eq!(
        TxtRecord::from_rrset([txt.as_str()]).as_ref(),
        Ok(&record),
        "{txt:?}"
    );
    assert_eq!(
        pattern.to_string().parse::<MxPattern>().as_ref(),
        Ok(&pattern)
    );
    assert_eq!(mode.to_string().parse::<Mode>(), Ok(mode));
    assert_eq!(mode.as_str(), mode.to_string());
    for p in policy.mx().iter().chain([&pattern]) {
        let host = match p.as_str().strip_prefix("*.") {
            Some(suffix) => format!("Mail.{suffix}."),
            None => p.as_str().to_ascii_uppercase(),
        };
        assert!(p.matches(&host), "{p} vs {host}");
    }
    for p in policy.mx() {
        assert!(policy.matches(p.as_str().trim_start_matches("*.")) || p.is_wildcard());
    }
});
