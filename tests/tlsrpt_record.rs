//! TLS-RPT records (RFC 8460 §3) in the conformance style: every vector in
//! `tests/data/tlsrpt.json` (valid, invalid, `RRset` selection), the Display
//! round trip, error message style, and never-panic properties.

use mta_sts::Policy;
use mta_sts::tlsrpt::{ReportUri, TlsRptRecord, UriScheme, policy_strings_from_text};
use proptest::prelude::*;
use serde_json::Value;

const VECTORS: &str = include_str!("data/tlsrpt.json");

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Checks one vector; returns a description of each mismatch.
fn check(vector: &Value) -> Vec<String> {
    let id = vector["id"].as_str().unwrap();
    let expect = &vector["expect"];
    let (outcome, input) = match vector.get("records") {
        Some(records) => (TlsRptRecord::from_rrset(strings(records)), None),
        None => {
            let input = vector["input"].as_str().unwrap();
            (TlsRptRecord::parse(input), Some(input))
        }
    };
    let mut problems = Vec::new();
    match (outcome, expect["ok"].as_bool().unwrap()) {
        (Ok(record), true) => {
            let rua: Vec<_> = record.rua().iter().map(ReportUri::as_str).collect();
            if rua != strings(&expect["rua"]) {
                problems.push(format!("{id}: rua {rua:?}"));
            }
            let extensions: Vec<String> = record
                .extensions()
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            let expected: Vec<String> = expect["extensions"]
                .as_array()
                .map(|pairs| {
                    pairs
                        .iter()
                        .map(|p| format!("{}={}", p[0].as_str().unwrap(), p[1].as_str().unwrap()))
                        .collect()
                })
                .unwrap_or_default();
            if extensions != expected {
                problems.push(format!("{id}: extensions {extensions:?}"));
            }
            let display = record.to_string();
            if let Some(expected) = expect["display"].as_str()
                && display != expected
            {
                problems.push(format!("{id}: display {display:?}"));
            }
            // Round trip, and the canonical text is selected from an RRset.
            if TlsRptRecord::parse(&display).as_ref() != Ok(&record) {
                problems.push(format!("{id}: {display:?} does not parse back"));
            }
            if TlsRptRecord::from_rrset([&display]).as_ref() != Ok(&record) {
                problems.push(format!("{id}: {display:?} is not selected from an RRset"));
            }
        }
        (Err(err), false) => {
            if err.code() != expect["error"].as_str().unwrap() {
                problems.push(format!("{id}: error {} ({err})", err.code()));
            }
            let column = expect["column"].as_u64().map(|c| c as usize);
            if err.column() != column {
                problems.push(format!(
                    "{id}: column {:?}, expected {column:?} ({err})",
                    err.column()
                ));
            }
            if err.line().is_some() {
                problems.push(format!("{id}: has a line"));
            }
            if let Some(input) = input {
                // Messages quote at most 64 characters, then `…`.
                let quoted = match input.char_indices().nth(64) {
                    Some((cut, _)) => format!("{:?}…", &input[..cut]),
                    None => format!("{input:?}"),
                };
                let prefix = format!("invalid TLS-RPT record {quoted} at column ");
                if !err.to_string().starts_with(&prefix) {
                    problems.push(format!("{id}: message {err}"));
                }
            }
        }
        (Ok(record), false) => problems.push(format!("{id}: expected an error, got {record:?}")),
        (Err(err), true) => problems.push(format!("{id}: expected ok, got {} ({err})", err.code())),
    }
    problems
}

#[test]
fn vectors() {
    let vectors: Vec<Value> = serde_json::from_str(VECTORS).unwrap();
    assert!(vectors.len() >= 50, "only {} vectors", vectors.len());
    let mut ids = std::collections::HashSet::new();
    let mut problems = Vec::new();
    for vector in &vectors {
        assert!(
            ids.insert(vector["id"].as_str().unwrap()),
            "duplicate id {}",
            vector["id"]
        );
        assert!(
            vector["rule"].as_str().is_some_and(|r| !r.is_empty()),
            "{} has no rule",
            vector["id"]
        );
        problems.extend(check(vector));
    }
    assert!(
        problems.is_empty(),
        "{} failing vectors:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_error_code_is_exercised() {
    let vectors: Vec<Value> = serde_json::from_str(VECTORS).unwrap();
    for code in [
        "not-tlsrpt",
        "missing-rua",
        "invalid-rua",
        "syntax",
        "no-record",
        "multiple-records",
    ] {
        assert!(
            vectors.iter().any(|v| v["expect"]["error"] == code),
            "no vector for {code}"
        );
    }
}

#[test]
fn exact_error_messages() {
    let err = TlsRptRecord::parse("v=TLSRPTv1; rua=mailto:a@example.com,,x").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid TLS-RPT record \"v=TLSRPTv1; rua=mailto:a@example.com,,x\" at column 38: \
         empty URI in \"rua=\" (a stray or doubled ',')"
    );
    let err = TlsRptRecord::parse("v=TLSRPTv1;").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid TLS-RPT record \"v=TLSRPTv1;\" at column 1: \
         the record has no \"rua=\" field: reports would go nowhere"
    );
    let err = TlsRptRecord::from_rrset(["v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1;"])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "2 TXT records begin with \"v=TLSRPTv1;\" (the first is \"v=TLSRPTv1; rua=mailto:a@example.com\"): \
         publish exactly one"
    );
    let err = TlsRptRecord::from_rrset(["v=spf1 -all"]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no TXT record begins with \"v=TLSRPTv1;\" (1 record looked at)"
    );
}

#[test]
fn report_uri_on_its_own() {
    let uri: ReportUri = "mailto:tlsrpt@example.com".parse().unwrap();
    assert_eq!(
        (uri.scheme(), uri.as_str()),
        (UriScheme::Mailto, "mailto:tlsrpt@example.com")
    );
    assert_eq!(uri.to_string(), "mailto:tlsrpt@example.com");
    assert_eq!(UriScheme::Https.to_string(), "https");
    let err = "ftp://example.com".parse::<ReportUri>().unwrap_err();
    assert_eq!(err.code(), "invalid-rua");
    assert_eq!(
        err.to_string(),
        "invalid rua URI \"ftp://example.com\" at column 1: the rua URI \"ftp://example.com\" \
         has the scheme \"ftp\": only mailto: and https: are supported (RFC 8460 §3)"
    );
    // Columns count characters, not bytes.
    let err = "mailto:é!@example.com".parse::<ReportUri>().unwrap_err();
    assert_eq!(err.column(), Some(8));
    let err = "https://r.example.com/%4".parse::<ReportUri>().unwrap_err();
    assert_eq!(err.column(), Some(23));
}

#[test]
fn policy_strings_for_reports() {
    // RFC 8460 §4.5: each mx its own element; extensions too.
    let policy = Policy::parse(
        "mode: testing\r\nversion: STSv1\r\nmx: MX1.example.com\r\nmax_age: 604800\r\nmx: mx.backup-example.com\r\nnote: hi\r\n",
    )
    .unwrap();
    assert_eq!(
        policy.policy_strings(),
        [
            "version: STSv1",
            "mode: testing",
            "mx: mx1.example.com",
            "mx: mx.backup-example.com",
            "max_age: 604800",
            "note: hi",
        ]
    );
    assert_eq!(
        policy_strings_from_text("version: STSv1\nmode: enforce\r\nmx: a\n\nmax_age: x"),
        ["version: STSv1", "mode: enforce", "mx: a", "", "max_age: x"]
    );
    assert!(policy_strings_from_text("").is_empty());
}

fn alphabet_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "v=TLSRPTv1",
            "v=",
            "rua=",
            ";",
            " ",
            "\t",
            ",",
            "=",
            "mailto:",
            "https://",
            "a@b.c",
            "r.example",
            "/",
            "%",
            "2C",
            "x",
            "!",
            "é",
            "[",
            "]",
            ":",
            "?",
            "@",
            "ext",
        ]),
        0..16,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #[test]
    fn parse_never_panics_and_round_trips(text in prop_oneof![alphabet_text(), any::<String>()]) {
        if let Ok(record) = TlsRptRecord::parse(&text) {
            prop_assert!(!record.rua().is_empty());
            let display = record.to_string();
            prop_assert_eq!(TlsRptRecord::parse(&display), Ok(record));
        }
        let prefixed = format!("v=TLSRPTv1; {text}");
        if let Ok(record) = TlsRptRecord::parse(&prefixed) {
            prop_assert_eq!(TlsRptRecord::parse(&record.to_string()), Ok(record));
        }
    }

    #[test]
    fn error_columns_are_inside_the_text(text in alphabet_text()) {
        if let Err(err) = TlsRptRecord::parse(&text) {
            let column = err.column().unwrap();
            prop_assert!(column >= 1 && column <= text.chars().count() + 1, "{} in {:?}", column, text);
        }
    }
}
