//! `mx` matching agrees with a reference model and with itself.
//!
//! The input is `pattern LF host` (no LF: the whole input is the host,
//! matched against `*.example.com`). The pattern must parse strictly; the
//! host is anything. The model (SEMANTICS X1–X4): lowercase the host, strip
//! one trailing dot, refuse it unless it is a valid LDH host name, then
//! compare exactly, or for `*.suffix` require one non-empty label before
//! `.suffix`. Non-ASCII hosts are only checked for consistency.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mta_sts::{MxPattern, ParseOptions, Policy};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (pattern_text, host) = text.split_once('\n').unwrap_or(("*.example.com", &text));
    let pattern_text = pattern_text.trim_end_matches('\r');
    let policy_text = format!("version: STSv1\nmode: testing\nmx: {pattern_text}\nmax_age: 1\n");
    let lenient = Policy::parse_with(&policy_text, &ParseOptions::lenient());
    let pattern = match pattern_text.parse::<MxPattern>() {
        Ok(pattern) => pattern,
        Err(err) => {
            assert!(!err.to_string().is_empty());
            // Lenient may still accept it (trailing dot, U-label): check that.
            if let Ok(policy) = lenient {
                let pattern = &policy.mx()[0];
                assert_eq!(
                    pattern.matches(host),
                    model(pattern.as_str(), host).unwrap_or(pattern.matches(host))
                );
            }
            return;
        }
    };
    assert_eq!(
        pattern.to_string().parse::<MxPattern>().as_ref(),
        Ok(&pattern)
    );
    let strict = Policy::parse(&policy_text).expect("a valid pattern makes a valid policy");
    assert_eq!(lenient.as_ref(), Ok(&strict));
    assert_eq!(strict.mx(), std::slice::from_ref(&pattern));
    let matched = pattern.matches(host);
    assert_eq!(strict.matches(host), matched, "{pattern} vs {host:?}");
    if let Some(expected) = model(pattern.as_str(), host) {
        assert_eq!(matched, expected, "{pattern} vs {host:?}");
        assert_eq!(
            pattern.matches(&host.to_ascii_uppercase()),
            matched,
            "{pattern} vs {host:?}"
        );
        if !host.ends_with('.') {
            assert_eq!(
                pattern.matches(&format!("{host}.")),
                matched,
                "{pattern} vs {host:?}."
            );
        }
    }
});

/// The reference model; `None` for a non-ASCII host.
fn model(pattern: &str, host: &str) -> Option<bool> {
    if !host.is_ascii() {
        return None;
    }
    let host = host.to_ascii_lowercase();
    let host = host.strip_suffix('.').unwrap_or(&host);
    if !valid_host(host) {
        return Some(false);
    }
    Some(match pattern.strip_prefix("*.") {
        Some(suffix) => host
            .split_once('.')
            .is_some_and(|(first, rest)| !first.is_empty() && rest == suffix),
        None => host == pattern,
    })
}

fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            let bytes = label.as_bytes();
            (1..=63).contains(&bytes.len())
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
                && bytes[0] != b'-'
                && bytes[bytes.len() - 1] != b'-'
        })
}
