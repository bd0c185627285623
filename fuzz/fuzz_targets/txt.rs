//! TXT record parsing never panics and agrees with itself.
//!
//! The input goes through `TxtRecord::parse_with` in both modes (when it is
//! UTF-8), and once more with every byte `0x80..=0xFF` replaced by a grammar
//! token. Checked: errors carry no line and a column inside the record,
//! lenient accepts whatever strict accepts with the same result, the
//! canonical text parses back, and a one-record RRset agrees with `parse`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mta_sts::{ParseOptions, TxtRecord};

/// Grammar tokens for the bytes `0x80..=0xFF`.
const TOKENS: &[&str] = &[
    "v=STSv1",
    "v=STSv1;",
    "; ",
    "id=",
    "id",
    "=",
    ";",
    " ",
    "\t",
    "20160831085700Z",
    "v=",
    "\"",
    "é",
    "\u{a0}",
    "\0",
    "ID=",
    "foo=bar",
    "a-b",
    "x",
];

fuzz_target!(|data: &[u8]| {
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

fn check(text: &str) {
    let strict = TxtRecord::parse_with(text, &ParseOptions::strict());
    let lenient = TxtRecord::parse_with(text, &ParseOptions::lenient());
    for (options, result) in [
        (ParseOptions::strict(), &strict),
        (ParseOptions::lenient(), &lenient),
    ] {
        match result {
            Err(err) => {
                assert!(!err.to_string().is_empty());
                assert_eq!(err.line(), None, "{text:?}: {err}");
                if let Some(column) = err.column() {
                    let width = text.chars().count();
                    assert!(
                        column >= 1 && column <= width + 1,
                        "column {column} of {width} in {text:?}: {err}"
                    );
                }
            }
            Ok(record) => {
                let canonical = record.to_string();
                assert_eq!(
                    TxtRecord::parse_with(&canonical, &options).as_ref(),
                    Ok(record),
                    "{canonical:?}"
                );
                assert!(!record.id().is_empty());
            }
        }
        if text.starts_with("v=STSv1;") {
            // The only STS record of its RRset: selection gives parse's result.
            let selected = TxtRecord::from_rrset_with([text, "v=spf1 -all"], &options);
            assert_eq!(&selected, result, "{text:?}");
        }
    }
    if let Ok(record) = &strict {
        assert_eq!(
            lenient.as_ref(),
            Ok(record),
            "lenient refused what strict accepted: {text:?}"
        );
    }
}
