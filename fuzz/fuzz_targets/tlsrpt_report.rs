//! TLS-RPT aggregate reports (RFC 8460 §4, feature `serde`): reading never
//! panics, lenient reading accepts whatever strict reading accepts with the
//! same report and deviations, and a report read back from what the crate
//! writes is equal (strictly for a strictly read report, leniently for a
//! leniently read one).
//!
//! Each input is read twice: as given, and with bytes `0x80..=0xFF` mapped
//! to JSON tokens of the report schema (so the fuzzer reaches past the
//! member names quickly). Errors have a code and a path that is empty only
//! for errors about the whole input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mta_sts::tlsrpt::Report;
use mta_sts::ParseOptions;

/// Schema tokens for the bytes `0x80..=0xFF`.
const TOKENS: &[&str] = &[
    "{\"organization-name\":\"X\",\"date-range\":{\"start-datetime\":\"2016-04-01T00:00:00Z\",\"end-datetime\":\"2016-04-01T23:59:59Z\"},\"contact-info\":\"a@b\",\"report-id\":\"1\",\"policies\":[",
    "{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"example.com\"},\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":0}}",
    "\"failure-details\":[",
    "{\"result-type\":\"certificate-expired\",\"sending-mta-ip\":\"192.0.2.1\",\"receiving-mx-hostname\":\"mx\",\"receiving-ip\":\"::1\",\"failed-session-count\":1}",
    "]}",
    "\"policy-string\":",
    "\"mx-host\":",
    "\"policy-type\":",
    "\"no-policy-found\"",
    "\"tlsa\"",
    "\"summary\":",
    "\"total-successful-session-count\":",
    "\"total-failure-session-count\":",
    "\"failed-session-count\":",
    "\"additional-information\":",
    "\"additional-info-uri\":",
    "\"2016-04-01T00:00:00\"",
    "\"2024-02-30T00:00:00Z\"",
    "+02:00\"",
    "\"12\"",
    "9007199254740993",
    "-1",
    "1.5",
    "null",
    "[]",
    "{}",
    "\"\"",
    ",",
    ":",
    "\"",
];

fn check(input: &[u8]) {
    let strict = Report::from_json(input, &ParseOptions::strict());
    let lenient = Report::from_json(input, &ParseOptions::lenient());
    match (&strict, &lenient) {
        (Ok(s), Ok(l)) => {
            assert_eq!(s, l, "lenient differs from strict");
            assert!(s
                .deviations()
                .iter()
                .all(|d| d.code() == "report-unknown-member"));
            let json = s.report().to_json();
            let again = Report::from_json(json.as_bytes(), &ParseOptions::strict())
                .unwrap_or_else(|e| panic!("{json}: {e}"));
            assert_eq!(again.report(), s.report(), "{json}");
            assert!(again.deviations().is_empty(), "{json}");
        }
        (Ok(s), Err(e)) => panic!("strict accepts, lenient refuses ({e}): {s:?}"),
        (Err(_), Ok(l)) => {
            let json = l.report().to_json();
            let again = Report::from_json(json.as_bytes(), &ParseOptions::lenient())
                .unwrap_or_else(|e| panic!("{json}: {e}"));
            assert_eq!(again.report(), l.report(), "{json}");
        }
        (Err(_), Err(_)) => {}
    }
    for err in [strict.err(), lenient.err()].into_iter().flatten() {
        assert!(err.code().starts_with("report-"));
        let whole = matches!(err.code(), "report-syntax" | "report-wrong-type");
        assert!(whole || !err.path().is_empty(), "{err}");
        assert!(err.to_string().starts_with("invalid TLS-RPT report"));
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    let mapped: String = data
        .iter()
        .map(|&b| match b {
            0..=0x7f => char::from(b).to_string(),
            _ => TOKENS[usize::from(b - 0x80) % TOKENS.len()].to_owned(),
        })
        .collect();
    check(mapped.as_bytes());
});
