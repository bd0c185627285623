//! Policy parsing never panics and agrees with itself.
//!
//! Each input goes through `Policy::parse_bytes` in both modes, then (when it
//! is UTF-8) through `Policy::parse_with`, and once more with every byte
//! `0x80..=0xFF` replaced by a grammar token, which reaches the field and
//! `mx` grammar much faster than raw bytes do. Checked on every parse:
//! positions lie inside the input, lenient accepts whatever strict accepts
//! with the same result, and the canonical text parses back to the same
//! policy whose patterns match their own hosts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mta_sts::{MxPattern, ParseOptions, Policy};

/// Grammar tokens for the bytes `0x80..=0xFF`.
const TOKENS: &[&str] = &[
    "version",
    "mode",
    "mx",
    "max_age",
    "STSv1",
    "enforce",
    "testing",
    "none",
    ": ",
    "\r\n",
    "*.",
    "example.com",
    "mail.",
    "604800",
    "31557600",
    "31557601",
    "9999999999",
    "\u{feff}",
    "é",
    "ü",
    "日本",
    "xn--",
    "xn--bcher-kva",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{7f}",
    "\0",
    " \t",
    "-",
    "_",
    "..",
];

fuzz_target!(|data: &[u8]| {
    for options in [ParseOptions::strict(), ParseOptions::lenient()] {
        let from_bytes = Policy::parse_bytes(data, &options);
        if let Err(err) = &from_bytes {
            assert!(!err.to_string().is_empty());
            if let Some(line) = err.line() {
                let lines = data.split(|b| *b == b'\n').count();
                assert!(line >= 1 && line <= lines, "line {line} of {lines}: {err}");
            }
        }
        if let Ok(text) = std::str::from_utf8(data) {
            assert_eq!(from_bytes, Policy::parse_with(text, &options), "{text:?}");
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        check(text);
    }
    if !data.is_ascii() {
        let mapped: String = data
            .iter()
            .map(|&b| match b {
                0..=0x7f => char::from(b).to_string(),
                _ => TOKENS[usize::from(b - 0x80) % TOKENS.len()].to_owned(),
            })
            .collect();
        check(&mapped);
    }
});

/// Lines in `text`: terminators, plus an unterminated last line.
fn line_count(text: &str) -> usize {
    text.matches('\n').count() + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

fn check(text: &str) {
    let strict = Policy::parse_with(text, &ParseOptions::strict());
    let lenient = Policy::parse_with(text, &ParseOptions::lenient());
    for result in [&strict, &lenient] {
        match result {
            Err(err) => {
                assert!(!err.to_string().is_empty());
                if let Some(line) = err.line() {
                    let lines = line_count(text);
                    assert!(
                        line >= 1 && line <= lines,
                        "line {line} of {lines} in {text:?}: {err}"
                    );
                    if let Some(column) = err.column() {
                        let width = text
                            .split('\n')
                            .nth(line - 1)
                            .map_or(0, |l| l.chars().count());
                        assert!(
                            column >= 1 && column <= width + 1,
                            "column {column} of {width} in {text:?}: {err}"
                        );
                    }
                }
            }
            Ok(policy) => check_policy(policy),
        }
    }
    if let Ok(policy) = &strict {
        assert_eq!(
            lenient.as_ref(),
            Ok(policy),
            "lenient refused what strict accepted: {text:?}"
        );
    }
}

fn check_policy(policy: &Policy) {
    let canonical = policy.to_string();
    let unlimited = ParseOptions::strict().with_max_size(usize::MAX);
    assert_eq!(
        Policy::parse_with(&canonical, &unlimited).as_ref(),
        Ok(policy),
        "{canonical:?}"
    );
    for pattern in policy.mx() {
        assert_eq!(pattern.as_str().parse::<MxPattern>().as_ref(), Ok(pattern));
        let host = match pattern.as_str().strip_prefix("*.") {
            Some(suffix) if suffix.len() < 250 => format!("a.{suffix}"),
            Some(_) => continue,
            None => pattern.as_str().to_owned(),
        };
        assert!(pattern.matches(&host), "{pattern} vs {host}");
        assert!(
            policy.matches(&host.to_ascii_uppercase()),
            "{pattern} vs {host}"
        );
        assert!(
            !pattern.matches(&format!("{host}..")),
            "{pattern} vs {host}.."
        );
    }
}
