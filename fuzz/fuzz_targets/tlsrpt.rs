//! TLS-RPT records (RFC 8460 §3) never panic, round-trip through `Display`,
//! and RRset selection agrees with a reference model.
//!
//! The input is split at NUL bytes into records; bytes `0x80..=0xFF` become
//! grammar tokens (so the fuzzer reaches past `v=TLSRPTv1;` quickly). Each
//! record is parsed on its own: a record that parses has at least one `rua`
//! URI and `parse(display(x)) == x`; an error has a column inside the text
//! and no line. The whole list is then an RRset: records beginning with the
//! bytes `v=TLSRPTv1;` are kept; none is `no-record`, more than one is
//! `multiple-records`, exactly one gives that record's own result.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mta_sts::tlsrpt::{ReportUri, TlsRptRecord};

/// Grammar tokens for the bytes `0x80..=0xFF`.
const TOKENS: &[&str] = &[
    "v=TLSRPTv1",
    "v=TLSRPTv1;",
    "rua=",
    "mailto:",
    "https://",
    "tlsrpt@example.com",
    "reports.example.com",
    "/v1",
    ";",
    " ",
    "\t",
    ",",
    "=",
    "%2C",
    "%",
    "!",
    "@",
    "[::1]",
    ":443",
    "?",
    "é",
    "RUA=",
    "x-ext=",
    "http://",
];

fuzz_target!(|data: &[u8]| {
    let records: Vec<String> = data
        .split(|b| *b == 0)
        .map(|record| {
            record
                .iter()
                .map(|&b| match b {
                    0..=0x7f => char::from(b).to_string(),
                    _ => TOKENS[usize::from(b - 0x80) % TOKENS.len()].to_owned(),
                })
                .collect()
        })
        .collect();
    for text in &records {
        match TlsRptRecord::parse(text) {
            Ok(record) => {
                assert!(!record.rua().is_empty(), "{text:?}");
                for uri in record.rua() {
                    let again: ReportUri = uri.as_str().parse().expect("a kept URI re-parses");
                    assert_eq!(&again, uri);
                }
                let display = record.to_string();
                assert_eq!(
                    TlsRptRecord::parse(&display).as_ref(),
                    Ok(&record),
                    "{text:?} -> {display:?}"
                );
            }
            Err(err) => {
                let column = err.column().expect("TLS-RPT errors carry a column");
                assert!(
                    column >= 1 && column <= text.chars().count() + 1,
                    "{text:?}: {err}"
                );
                assert_eq!(err.line(), None);
                assert!(!err.to_string().is_empty());
            }
        }
    }
    let selected = TlsRptRecord::from_rrset(&records);
    let kept: Vec<&String> = records
        .iter()
        .filter(|r| r.starts_with("v=TLSRPTv1;"))
        .collect();
    match kept.as_slice() {
        [] => assert_eq!(
            selected.map_err(|e| e.code()),
            Err("no-record"),
            "{records:?}"
        ),
        [one] => assert_eq!(selected, TlsRptRecord::parse(one), "{records:?}"),
        _ => assert_eq!(
            selected.map_err(|e| e.code()),
            Err("multiple-records"),
            "{records:?}"
        ),
    }
});
