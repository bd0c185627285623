//! TLS-RPT aggregate reports (RFC 8460 §4; SEMANTICS G1–G20): the
//! conformance-style vectors in `tests/data/tlsrpt-report.json`, real
//! reports from `tests/data/tlsrpt-reports/`, exact error messages, the
//! round trip, and property tests for writing and aggregating.
//!
//! Vector schema: `id`, `rule` (G-ids), `input` (the JSON text), `strict`
//! and `lenient`: `{"ok": true, "deviations": [codes]}` (no `deviations`:
//! none) or `{"ok": false, "error": CODE, "path": PATH}`; optional `note`.
#![cfg(feature = "serde")]

use std::collections::HashSet;
use std::net::IpAddr;

use mta_sts::sender::{PolicyDomain, ResultType};
use mta_sts::tlsrpt::{
    Aggregator, DateRange, DateTime, FailureDetail, FailureType, MAX_COUNT, PolicyReport,
    PolicyType, Report, Session,
};
use mta_sts::{ParseOptions, Policy};
use proptest::prelude::*;
use serde_json::Value;

const VECTORS: &str = include_str!("data/tlsrpt-report.json");

fn modes() -> [(&'static str, ParseOptions); 2] {
    [
        ("strict", ParseOptions::strict()),
        ("lenient", ParseOptions::lenient()),
    ]
}

/// Checks one vector in one mode; returns what does not match.
fn check(vector: &Value, mode: &str, options: &ParseOptions) -> Option<String> {
    let id = vector["id"].as_str().unwrap();
    let input = vector["input"].as_str().unwrap();
    let expect = &vector[mode];
    let outcome = Report::from_json(input.as_bytes(), options);
    match (outcome, expect["ok"].as_bool().unwrap()) {
        (Ok(read), true) => {
            let mut codes: Vec<&str> = read
                .deviations()
                .iter()
                .map(mta_sts::tlsrpt::Deviation::code)
                .collect();
            let mut expected: Vec<&str> = expect["deviations"]
                .as_array()
                .map(|a| a.iter().map(|c| c.as_str().unwrap()).collect())
                .unwrap_or_default();
            codes.sort_unstable();
            expected.sort_unstable();
            if codes != expected {
                return Some(format!("{id} ({mode}): deviations {codes:?}"));
            }
            // What was read writes out and reads back equal, in this mode.
            let json = read.report().to_json();
            match Report::from_json(json.as_bytes(), options) {
                Ok(again) if again.report() == read.report() => None,
                other => Some(format!("{id} ({mode}): {json} read back as {other:?}")),
            }
        }
        (Err(err), false) => {
            let (code, path) = (expect["error"].as_str(), expect["path"].as_str());
            if (Some(err.code()), Some(err.path())) != (code, path) {
                return Some(format!(
                    "{id} ({mode}): error {} at {:?} ({err})",
                    err.code(),
                    err.path()
                ));
            }
            let prefix = if err.path().is_empty() {
                "invalid TLS-RPT report: ".to_owned()
            } else {
                format!("invalid TLS-RPT report at {}: ", err.path())
            };
            (!err.to_string().starts_with(&prefix)).then(|| format!("{id} ({mode}): message {err}"))
        }
        (Ok(read), false) => Some(format!("{id} ({mode}): expected an error, got {read:?}")),
        (Err(err), true) => Some(format!("{id} ({mode}): {} {err}", err.code())),
    }
}

#[test]
fn vectors() {
    let vectors: Vec<Value> = serde_json::from_str(VECTORS).unwrap();
    assert!(vectors.len() >= 80, "only {} vectors", vectors.len());
    let mut ids = HashSet::new();
    let mut problems = Vec::new();
    for vector in &vectors {
        let id = vector["id"].as_str().unwrap();
        assert!(ids.insert(id), "duplicate id {id}");
        assert!(vector["rule"].as_str().is_some_and(|r| !r.is_empty()));
        for (mode, options) in modes() {
            problems.extend(check(vector, mode, &options));
        }
    }
    assert!(
        problems.is_empty(),
        "{} failing:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn sample(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/data/tlsrpt-reports/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A JSON path and what is there: an error or deviation code.
type At = (&'static str, &'static str);

// Real reports: (file, strict error (code, path) or None, lenient deviations
// as (code, path)).
const SAMPLES: &[(&str, Option<At>, &[At])] = &[
    ("google-cardinalhealth.ca-2024-09-03.json", None, &[]),
    ("google-krvtz.net-2024-09-15.json", None, &[]),
    ("microsoft-krvtz.net-2024-09-13.json", None, &[]),
    ("example-inc-smtp_tls.json", None, &[]),
    (
        "mail.ru-example.com-2024-02-22.json",
        Some((
            "report-missing-member",
            "policies[0].failure-details[0].sending-mta-ip",
        )),
        &[
            (
                "report-failure-field-missing",
                "policies[0].failure-details[0].sending-mta-ip",
            ),
            (
                "report-failure-field-missing",
                "policies[0].failure-details[0].receiving-mx-hostname",
            ),
            (
                "report-failure-field-missing",
                "policies[0].failure-details[0].receiving-ip",
            ),
            (
                "report-failure-field-missing",
                "policies[0].failure-details[1].sending-mta-ip",
            ),
            (
                "report-failure-field-missing",
                "policies[0].failure-details[1].receiving-mx-hostname",
            ),
            (
                "report-failure-field-missing",
                "policies[0].failure-details[1].receiving-ip",
            ),
        ],
    ),
    (
        "mail.ru-krvtz.net-2023-01-25.json",
        Some((
            "report-missing-member",
            "policies[0].failure-details[0].sending-mta-ip",
        )),
        &[
            (
                "report-failure-field-missing",
                "policies[0].failure-details[0].sending-mta-ip",
            ),
            (
                "report-failure-field-missing",
                "policies[0].failure-details[0].receiving-mx-hostname",
            ),
            (
                "report-failure-field-missing",
                "policies[0].failure-details[0].receiving-ip",
            ),
        ],
    ),
    (
        "reporter-example-empty-failure-fields.json",
        Some((
            "report-empty-value",
            "policies[0].failure-details[0].sending-mta-ip",
        )),
        &[
            (
                "report-failure-field-missing",
                "policies[0].failure-details[0].sending-mta-ip",
            ),
            (
                "report-failure-field-missing",
                "policies[0].failure-details[0].receiving-mx-hostname",
            ),
            (
                "report-failure-field-missing",
                "policies[0].failure-details[0].receiving-ip",
            ),
        ],
    ),
    (
        "rfc8460-appendix-b.json",
        Some(("report-wrong-type", "policies[0].policy.mx-host")),
        &[
            ("report-mx-host-string", "policies[0].policy.mx-host"),
            (
                "report-failure-field-missing",
                "policies[0].failure-details[0].receiving-ip",
            ),
        ],
    ),
];

#[test]
fn real_reports_parse_with_their_deviations_reported() {
    for (name, strict, lenient) in SAMPLES {
        let bytes = sample(name);
        let strictly = Report::from_json(&bytes, &ParseOptions::strict());
        match (strict, &strictly) {
            (None, Ok(read)) => assert_eq!(read.deviations(), [], "{name}"),
            (Some((code, path)), Err(err)) => {
                assert_eq!((err.code(), err.path()), (*code, *path), "{name}: {err}");
            }
            _ => panic!("{name}: strict gave {strictly:?}"),
        }
        let read = Report::from_json(&bytes, &ParseOptions::lenient())
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        let found: Vec<(&str, &str)> = read
            .deviations()
            .iter()
            .map(|d| (d.code(), d.path()))
            .collect();
        assert_eq!(found, *lenient, "{name}");
        if let Ok(strictly) = strictly {
            assert_eq!(strictly.report(), read.report(), "{name}");
        }
        // Written and read back (leniently: the deviations stay absent).
        let again = Report::from_json(read.report().to_json().as_bytes(), &ParseOptions::lenient())
            .unwrap();
        assert_eq!(again.report(), read.report(), "{name}");
    }
}

#[test]
fn real_reports_hold_what_their_senders_wrote() {
    let read = |name| {
        Report::from_json(&sample(name), &ParseOptions::lenient())
            .unwrap()
            .into_report()
    };
    let google = read("google-cardinalhealth.ca-2024-09-03.json");
    assert_eq!(google.organization_name(), "Google Inc.");
    assert_eq!(google.date_range().start().unix_seconds(), 1_725_321_600);
    assert_eq!(google.date_range().end().unix_seconds(), 1_725_407_999);
    let entry = &google.policies()[0];
    assert_eq!(entry.policy_type(), &PolicyType::NoPolicyFound);
    assert_eq!(entry.successful_session_count(), 48);
    assert_eq!(
        google.header_fields(),
        Some([
            ("TLS-Report-Domain", "cardinalhealth.ca"),
            ("TLS-Report-Submitter", "google.com"),
        ])
    );
    // The name Google gave the attachment.
    assert_eq!(
        google
            .file_name(Some("001"), mta_sts::tlsrpt::Compression::Gzip)
            .as_deref(),
        Some("google.com!cardinalhealth.ca!1725321600!1725407999!001.json.gz")
    );

    let microsoft = read("microsoft-krvtz.net-2024-09-13.json");
    let [sts, tlsa] = microsoft.policies() else {
        panic!("two entries")
    };
    assert_eq!(sts.policy_type(), &PolicyType::Sts);
    assert_eq!(sts.mx_hosts(), [] as [String; 0]);
    assert_eq!(tlsa.policy_type(), &PolicyType::Tlsa);
    // G20: one string holding a JSON array, kept as written.
    assert_eq!(tlsa.policy_strings().len(), 1);
    assert!(tlsa.policy_strings()[0].starts_with("[\"2 1 1 025490860B498AB7"));

    let mailru = read("mail.ru-example.com-2024-02-22.json");
    let entry = &mailru.policies()[0];
    // G18: the details add up to more than the total.
    assert_eq!(entry.failure_session_count(), 1);
    assert_eq!(entry.failure_details().len(), 2);
    let detail = &entry.failure_details()[0];
    assert_eq!(
        detail.result_type(),
        &FailureType::Known(ResultType::StsPolicyFetchError)
    );
    assert_eq!(detail.sending_mta_ip(), None);
    assert_eq!(
        detail.failure_reason_code(),
        Some("bad https response code: 404")
    );
}

#[test]
fn rfc_example_parses_leniently_and_round_trips() {
    let bytes = sample("rfc8460-appendix-b.json");
    let read = Report::from_json(&bytes, &ParseOptions::lenient()).unwrap();
    let report = read.report();
    assert_eq!(report.organization_name(), "Company-X");
    assert_eq!(
        report.contact_info(),
        Some("sts-reporting@company-x.example")
    );
    assert_eq!(report.report_id(), "5065427c-23d3-47ca-b6e0-946ea0e8c4be");
    let entry = &report.policies()[0];
    assert_eq!(entry.mx_hosts(), ["*.mail.company-y.example"]);
    assert_eq!(
        (
            entry.successful_session_count(),
            entry.failure_session_count()
        ),
        (5326, 303)
    );
    let counts: Vec<u64> = entry
        .failure_details()
        .iter()
        .map(FailureDetail::failed_session_count)
        .collect();
    assert_eq!(counts, [100, 200, 3]);
    assert_eq!(
        entry.failure_details()[2].failure_reason_code(),
        Some("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED")
    );
    // Written: mx-host becomes an array, so only the missing receiving-ip
    // remains a deviation; the report reads back equal.
    let json = report.to_json();
    assert!(
        json.contains(r#""mx-host":["*.mail.company-y.example"]"#),
        "{json}"
    );
    let again = Report::from_json(json.as_bytes(), &ParseOptions::lenient()).unwrap();
    assert_eq!(again.report(), report);
    let codes: Vec<_> = again
        .deviations()
        .iter()
        .map(mta_sts::tlsrpt::Deviation::code)
        .collect();
    assert_eq!(codes, ["report-failure-field-missing"]);
    // With the receiving IP the RFC's prose requires, strict reads it too.
    let fixed = String::from_utf8(bytes)
        .unwrap()
        .replace(
            r#""mx-host": "*.mail.company-y.example""#,
            r#""mx-host": ["*.mail.company-y.example"]"#,
        )
        .replace(
            r#""receiving-mx-hostname": "mx1.mail.company-y.example","#,
            r#""receiving-mx-hostname": "mx1.mail.company-y.example", "receiving-ip": "203.0.113.55","#,
        );
    let strict = Report::from_json(fixed.as_bytes(), &ParseOptions::strict()).unwrap();
    let written = strict.report().to_json();
    let back = Report::from_json(written.as_bytes(), &ParseOptions::strict()).unwrap();
    assert_eq!(back.report(), strict.report());
    assert_eq!(
        serde_json::from_str::<Report>(&written).unwrap(),
        *strict.report()
    );
}

#[track_caller]
fn assert_error(json: &str, mode: &ParseOptions, message: &str) {
    let err = Report::from_json(json.as_bytes(), mode).unwrap_err();
    assert_eq!(err.to_string(), message, "{json}");
}

/// The vector base report with one replacement.
fn base_with(from: &str, to: &str) -> String {
    let vectors: Vec<Value> = serde_json::from_str(VECTORS).unwrap();
    let base = vectors[0]["input"].as_str().unwrap();
    assert!(base.contains(from), "{from}");
    base.replacen(from, to, 1)
}

#[test]
fn error_messages() {
    let strict = ParseOptions::strict();
    let lenient = ParseOptions::lenient();
    assert_error(
        &base_with(
            "\"total-failure-session-count\": 3",
            "\"total-failure-session-count\": -3",
        ),
        &strict,
        "invalid TLS-RPT report at policies[0].summary.total-failure-session-count: \
         the count -3 is negative",
    );
    assert_error(
        &base_with(
            "\"total-failure-session-count\": 3",
            "\"total-failure-session-count\": \"3 \"",
        ),
        &lenient,
        "invalid TLS-RPT report at policies[0].summary.total-failure-session-count: \
         the count \"3 \" is not a string of digits",
    );
    assert_error(
        &base_with(
            "\"total-failure-session-count\": 3",
            "\"total-failure-session-count\": 2.5",
        ),
        &strict,
        "invalid TLS-RPT report at policies[0].summary.total-failure-session-count: \
         the count 2.5 is not a whole number written without a fraction or exponent",
    );
    assert_error(
        &base_with("2016-04-01T00:00:00Z", "2024-02-30T00:00:00Z"),
        &lenient,
        "invalid TLS-RPT report at date-range.start-datetime: \
         the date-time \"2024-02-30T00:00:00Z\" is invalid: February 2024 has 29 days",
    );
    assert_error(
        &base_with("2016-04-01T00:00:00Z", "April fools"),
        &lenient,
        "invalid TLS-RPT report at date-range.start-datetime: the date-time \"April fools\" \
         is invalid: expected an RFC 3339 date-time such as \"2024-03-26T00:00:00Z\"",
    );
    assert_error(
        &base_with("2016-04-01T00:00:00Z", "2016-04-01T00:00:00"),
        &strict,
        "invalid TLS-RPT report at date-range.start-datetime: the date-time \
         \"2016-04-01T00:00:00\" is invalid: it has no UTC offset \
         (RFC 3339 needs \"Z\" or \"+hh:mm\" at the end)",
    );
    assert_error(
        &base_with("2016-04-01T00:00:00Z", "2016-04-02T00:00:00Z"),
        &strict,
        "invalid TLS-RPT report at date-range: \
         the range ends (2016-04-01T23:59:59Z) before it starts (2016-04-02T00:00:00Z)",
    );
    assert_error(
        &base_with("\"policy-type\": \"sts\"", "\"policy-type\": \"dane\""),
        &strict,
        "invalid TLS-RPT report at policies[0].policy.policy-type: \
         unknown policy type \"dane\": expected \"sts\", \"tlsa\" or \"no-policy-found\"",
    );
    assert_error(
        &base_with("\"receiving-ip\": \"203.0.113.58\", ", ""),
        &strict,
        "invalid TLS-RPT report at policies[0].failure-details[0].receiving-ip: \
         the member is missing (required in a failure detail)",
    );
    assert_error(
        &base_with(
            "\"report-id\": \"5065427c\"",
            "\"report-id\": \"5065427c\", \"report-id\": \"x\"",
        ),
        &strict,
        "invalid TLS-RPT report at report-id: \
         the member \"report-id\" appears twice (I-JSON forbids duplicate names)",
    );
    assert_error(
        &base_with(
            "\"mx-host\": [\"*.mail.company-y.example\"]",
            "\"mx-host\": \"*.mail.company-y.example\"",
        ),
        &strict,
        "invalid TLS-RPT report at policies[0].policy.mx-host: \
         expected an array of strings, found \"*.mail.company-y.example\"",
    );
    assert_error(
        "[]",
        &strict,
        "invalid TLS-RPT report: expected an object, found an array",
    );
    let err = Report::from_json(b"{\"a\": \xff}", &strict).unwrap_err();
    assert_eq!(err.code(), "report-syntax");
    assert!(
        err.to_string().starts_with("invalid TLS-RPT report: "),
        "{err}"
    );
}

#[test]
fn unknown_members_are_reported_with_their_paths_in_strict_mode_too() {
    let json = base_with(
        "\"failed-session-count\": 3",
        "\"failed-session-count\": 3, \"receiving-mx-host-name\": \"mx\", \"x y\": 1",
    );
    let read = Report::from_json(json.as_bytes(), &ParseOptions::strict()).unwrap();
    let paths: Vec<String> = read.deviations().iter().map(ToString::to_string).collect();
    assert_eq!(
        paths,
        [
            "policies[0].failure-details[0].receiving-mx-host-name: \
             a member RFC 8460 does not define, ignored (report-unknown-member)",
            "policies[0].failure-details[0][\"x y\"]: \
             a member RFC 8460 does not define, ignored (report-unknown-member)",
        ]
    );
}

#[test]
fn date_times() {
    // (input, Unix seconds, canonical text)
    let valid = [
        ("1970-01-01T00:00:00Z", 0, "1970-01-01T00:00:00Z"),
        (
            "2016-04-01T23:59:59Z",
            1_459_555_199,
            "2016-04-01T23:59:59Z",
        ),
        (
            "2016-04-02T01:59:59+02:00",
            1_459_555_199,
            "2016-04-01T23:59:59Z",
        ),
        (
            "2016-04-01T18:59:59-05:00",
            1_459_555_199,
            "2016-04-01T23:59:59Z",
        ),
        (
            "2016-04-01t23:59:59z",
            1_459_555_199,
            "2016-04-01T23:59:59Z",
        ),
        (
            "2016-04-01T23:59:59-00:00",
            1_459_555_199,
            "2016-04-01T23:59:59Z",
        ),
        (
            "2016-12-31T23:59:60Z",
            1_483_228_800,
            "2017-01-01T00:00:00Z",
        ),
        (
            "2024-02-29T12:00:00Z",
            1_709_208_000,
            "2024-02-29T12:00:00Z",
        ),
        ("2000-02-29T00:00:00Z", 951_782_400, "2000-02-29T00:00:00Z"),
        ("1969-12-31T23:59:59Z", -1, "1969-12-31T23:59:59Z"),
        (
            "0000-01-01T00:00:00Z",
            -62_167_219_200,
            "0000-01-01T00:00:00Z",
        ),
        (
            "9999-12-31T23:59:59Z",
            253_402_300_799,
            "9999-12-31T23:59:59Z",
        ),
    ];
    for (text, secs, canonical) in valid {
        let time: DateTime = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(time.unix_seconds(), secs, "{text}");
        assert_eq!(time.to_string(), canonical, "{text}");
        assert_eq!(canonical.parse::<DateTime>(), Ok(time));
    }
    let fraction: DateTime = "2016-04-01T00:00:00.1234567891Z".parse().unwrap();
    assert_eq!(fraction.subsec_nanos(), 123_456_789);
    assert_eq!(fraction.to_string(), "2016-04-01T00:00:00.123456789Z");
    let invalid = [
        "",
        "2016-04-01",
        "2016-04-01T00:00Z",
        "2016-04-01 00:00:00Z",
        "2016-4-01T00:00:00Z",
        "2016-13-01T00:00:00Z",
        "2016-00-01T00:00:00Z",
        "2016-04-31T00:00:00Z",
        "2100-02-29T00:00:00Z",
        "2016-04-01T24:00:00Z",
        "2016-04-01T23:60:00Z",
        "2016-04-01T23:59:61Z",
        "2016-04-01T22:59:60Z",
        "2016-04-01T00:00:00.Z",
        "2016-04-01T00:00:00+2:00",
        "2016-04-01T00:00:00+02:60",
        "2016-04-01T00:00:00+0200",
        "2016-04-01T00:00:00ZZ",
        "2016-04-01T00:00:00 Z",
        "0000-01-01T00:00:00+00:01",
        "9999-12-31T23:59:59-00:01",
        "２016-04-01T00:00:00Z",
        "2016-04-01T00:00:00",
    ];
    for text in invalid {
        let err = text.parse::<DateTime>().unwrap_err();
        assert_eq!(err.code(), "report-invalid-datetime", "{text}");
        assert!(
            err.to_string()
                .starts_with(&format!("invalid date-time {text:?}: ")),
            "{err}"
        );
    }
    assert_eq!(DateTime::from_unix(253_402_300_800), None);
    assert_eq!(
        DateRange::utc_day(1_459_555_199).map(|r| (r.start().to_string(), r.end().to_string())),
        Some(("2016-04-01T00:00:00Z".into(), "2016-04-01T23:59:59Z".into()))
    );
}

fn domain(name: &str) -> PolicyDomain {
    PolicyDomain::new(name).unwrap()
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

#[test]
fn aggregator_groups_and_sorts() {
    let policy = Policy::parse(
        "version: STSv1\nmode: testing\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 86400\n",
    )
    .unwrap();
    let example = domain("example.com");
    let other = domain("other.example");
    let mx1 = Session::new(ip("192.0.2.1"), "mx1.example.com", ip("198.51.100.1"));
    let mx2 = Session::new(ip("192.0.2.1"), "mx2.example.com", ip("198.51.100.2"))
        .with_failure_reason_code("X509_V_ERR_CERT_HAS_EXPIRED");
    type Call<'a> = Box<dyn Fn(&mut Aggregator) + 'a>;
    let mut calls: Vec<Call> = Vec::new();
    for _ in 0..3 {
        calls.push(Box::new(|a| a.success(Some(&policy), &example)));
    }
    calls.push(Box::new(|a| {
        a.failure(
            Some(&policy),
            &example,
            ResultType::CertificateExpired,
            &mx2,
        );
    }));
    calls.push(Box::new(|a| {
        a.failure(
            Some(&policy),
            &example,
            ResultType::StartTlsNotSupported,
            &mx1,
        );
    }));
    calls.push(Box::new(|a| {
        a.failure(
            Some(&policy),
            &example,
            ResultType::StartTlsNotSupported,
            &mx1,
        );
    }));
    calls.push(Box::new(|a| a.success(None, &example)));
    calls.push(Box::new(|a| a.success(None, &other)));
    let range = DateRange::utc_day(1_717_200_000).unwrap();
    let build = |order: &[usize]| {
        let mut aggregator = Aggregator::new();
        for &i in order {
            calls[i](&mut aggregator);
        }
        aggregator
    };
    let forward: Vec<usize> = (0..calls.len()).collect();
    let backward: Vec<usize> = forward.iter().rev().copied().collect();
    let (a, b) = (build(&forward), build(&backward));
    assert_eq!(a.policy_domains(), ["example.com", "other.example"]);
    let report = |agg: &Aggregator| {
        agg.report(&example, "Sender", "tlsrpt@sender.example", "r1", range)
            .unwrap()
    };
    assert_eq!(report(&a).to_json(), report(&b).to_json());
    let report = report(&a);
    let [sts, none] = report.policies() else {
        panic!("{report:?}")
    };
    assert_eq!(sts.policy_type(), &PolicyType::Sts);
    assert_eq!(sts.mx_hosts(), ["mx1.example.com", "mx2.example.com"]);
    assert_eq!(sts.policy_strings(), policy.policy_strings());
    assert_eq!(
        (sts.successful_session_count(), sts.failure_session_count()),
        (3, 3)
    );
    let details: Vec<(&str, &str, u64)> = sts
        .failure_details()
        .iter()
        .map(|d| {
            (
                d.result_type().as_str(),
                d.receiving_mx_hostname().unwrap(),
                d.failed_session_count(),
            )
        })
        .collect();
    assert_eq!(
        details,
        [
            ("starttls-not-supported", "mx1.example.com", 2),
            ("certificate-expired", "mx2.example.com", 1),
        ]
    );
    assert_eq!(
        sts.failure_details()[1].failure_reason_code(),
        Some("X509_V_ERR_CERT_HAS_EXPIRED")
    );
    assert_eq!(none.policy_type(), &PolicyType::NoPolicyFound);
    assert_eq!(none.successful_session_count(), 1);
    // What the aggregator writes, strict reading accepts unchanged.
    let read = Report::from_json(report.to_json().as_bytes(), &ParseOptions::strict()).unwrap();
    assert_eq!((read.report(), read.deviations()), (&report, &[][..]));
    assert!(
        a.report(&domain("nothing.example"), "S", "a@b.example", "r", range)
            .is_none()
    );
}

// Property tests.

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9.@_-]{0,20}",
        any::<String>().prop_map(|s| s.chars().take(12).collect()),
        Just("\"quoted\" \\ back\u{0}slash\u{7f}é".to_owned()),
    ]
}

fn count() -> impl Strategy<Value = u64> {
    prop_oneof![0..1000u64, Just(MAX_COUNT), 0..=MAX_COUNT]
}

fn failure_detail() -> impl Strategy<Value = FailureDetail> {
    let result_type = prop_oneof![
        Just(FailureType::Known(ResultType::CertificateExpired)),
        Just(FailureType::Known(ResultType::StsPolicyFetchError)),
        "[a-z-]{1,20}".prop_map(|name| FailureType::from_name(&name)),
    ];
    (
        result_type,
        any::<IpAddr>(),
        text(),
        any::<IpAddr>(),
        count(),
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(text()),
    )
        .prop_filter("hostname not empty", |t| !t.2.is_empty())
        .prop_map(|(kind, from, mx, to, n, helo, info, code)| {
            let mut detail = FailureDetail::new(kind, from, mx, to, n);
            if let Some(helo) = helo {
                detail = detail.with_receiving_mx_helo(helo);
            }
            if let Some(info) = info {
                detail = detail.with_additional_information(info);
            }
            if let Some(code) = code {
                detail = detail.with_failure_reason_code(code);
            }
            detail
        })
}

fn policy_report() -> impl Strategy<Value = PolicyReport> {
    let policy_type = prop_oneof![
        Just(PolicyType::Sts),
        Just(PolicyType::Tlsa),
        Just(PolicyType::NoPolicyFound),
    ];
    (
        policy_type,
        text(),
        proptest::collection::vec(text(), 0..4),
        proptest::collection::vec(text(), 0..3),
        count(),
        count(),
        proptest::collection::vec(failure_detail(), 0..4),
    )
        .prop_map(|(kind, domain, strings, mx, ok, failed, details)| {
            PolicyReport::new(kind, domain)
                .with_policy_strings(strings)
                .with_mx_hosts(mx)
                .with_counts(ok, failed)
                .with_failure_details(details)
        })
}

fn report() -> impl Strategy<Value = Report> {
    let min = -62_167_219_200i64;
    let max = 253_402_300_799i64;
    (
        text(),
        min..=max,
        0..=86_400i64 * 30,
        0..1_000_000_000u32,
        text(),
        text(),
        proptest::collection::vec(policy_report(), 1..4),
    )
        .prop_map(move |(org, start, length, nanos, contact, id, policies)| {
            let start = DateTime::from_unix(start).unwrap().with_nanos(nanos);
            let end = DateTime::from_unix((start.unix_seconds() + length).min(max)).unwrap();
            let end = end.max(start);
            Report::new(
                org,
                DateRange::new(start, end).unwrap(),
                contact,
                id,
                policies,
            )
        })
}

proptest! {
    #[test]
    fn written_reports_read_back_equal_in_strict_mode(report in report()) {
        let json = report.to_json();
        let read = Report::from_json(json.as_bytes(), &ParseOptions::strict());
        prop_assert_eq!(read.as_ref().map(mta_sts::tlsrpt::ParsedReport::report), Ok(&report), "{}", json);
        prop_assert!(read.unwrap().deviations().is_empty());
        let pretty = report.to_json_pretty();
        let read = Report::from_json(pretty.as_bytes(), &ParseOptions::lenient()).unwrap();
        prop_assert_eq!(read.report(), &report);
    }

    #[test]
    fn date_times_display_and_parse_back(secs in -62_167_219_200i64..=253_402_300_799, nanos in 0..1_000_000_000u32) {
        let time = DateTime::from_unix(secs).unwrap().with_nanos(nanos);
        prop_assert_eq!(time.to_string().parse::<DateTime>(), Ok(time));
    }

    #[test]
    fn reading_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        for (_, options) in modes() {
            let _ = Report::from_json(&bytes, &options);
        }
    }

    #[test]
    fn aggregator_totals_equal_the_inputs(
        attempts in proptest::collection::vec((0..3usize, 0..3usize, proptest::option::of(0..4usize), 0..3usize), 0..60)
    ) {
        let policies: Vec<Policy> = ["mx1.a.example", "*.b.example"]
            .iter()
            .map(|mx| Policy::parse(&format!("version: STSv1\nmode: testing\nmx: {mx}\nmax_age: 86400\n")).unwrap())
            .collect();
        let domains = [domain("a.example"), domain("b.example"), domain("c.example")];
        let results = [ResultType::StartTlsNotSupported, ResultType::CertificateExpired, ResultType::ValidationFailure, ResultType::StsPolicyFetchError];
        let mut aggregator = Aggregator::new();
        let (mut ok, mut failed) = ([0u64; 3], [0u64; 3]);
        for (d, p, result, mx) in &attempts {
            let policy = policies.get(*p);
            match result {
                Some(r) => {
                    let session = Session::new(ip("192.0.2.1"), format!("mx{mx}.example"), ip("198.51.100.1"));
                    aggregator.failure(policy, &domains[*d], results[*r], &session);
                    failed[*d] += 1;
                }
                None => {
                    aggregator.success(policy, &domains[*d]);
                    ok[*d] += 1;
                }
            }
        }
        let range = DateRange::utc_day(0).unwrap();
        for (i, domain) in domains.iter().enumerate() {
            let report = aggregator.report(domain, "S", "t@s.example", "id", range);
            prop_assert_eq!(report.is_some(), ok[i] + failed[i] > 0);
            let Some(report) = report else { continue };
            let entries = report.policies();
            prop_assert_eq!(entries.iter().map(mta_sts::tlsrpt::PolicyReport::successful_session_count).sum::<u64>(), ok[i]);
            prop_assert_eq!(entries.iter().map(mta_sts::tlsrpt::PolicyReport::failure_session_count).sum::<u64>(), failed[i]);
            let detail_sum: u64 = entries.iter().flat_map(mta_sts::tlsrpt::PolicyReport::failure_details).map(mta_sts::tlsrpt::FailureDetail::failed_session_count).sum();
            prop_assert_eq!(detail_sum, failed[i]);
            let read = Report::from_json(report.to_json().as_bytes(), &ParseOptions::strict()).unwrap();
            prop_assert_eq!(read.report(), &report);
        }
    }
}

/// `examples/sender.rs` section 5, aggregated: its deliveries give a report
/// that strict reading accepts, and its TLS-RPT record says where to send it.
#[test]
fn the_sender_examples_deliveries_make_a_valid_report() {
    use mta_sts::sender::{TlsOutcome, verdict};
    use mta_sts::tlsrpt::{Compression, DeliveryTarget, TlsRptRecord};

    let policy = Policy::parse(
        "version: STSv1\r\nmode: enforce\r\nmx: mx1.xn--bcher-kva.example\r\n\
         mx: mx2.xn--bcher-kva.example\r\nmax_age: 604800\r\n",
    )
    .unwrap();
    let domain = domain("Bücher.example");
    let mut aggregator = Aggregator::new();
    for (host, tls, to) in [
        (
            "mx1.xn--bcher-kva.example",
            TlsOutcome::Valid,
            "198.51.100.1",
        ),
        ("mx.attacker.example", TlsOutcome::Valid, "203.0.113.66"),
        (
            "mx2.xn--bcher-kva.example",
            TlsOutcome::CertificateExpired,
            "198.51.100.2",
        ),
    ] {
        let session = Session::new(ip("192.0.2.25"), host, ip(to));
        aggregator.record(
            Some(&policy),
            &domain,
            &verdict(&policy, host, tls),
            &session,
        );
    }
    let range = DateRange::utc_day(1_700_000_000).unwrap();
    let report = aggregator
        .report(
            &domain,
            "Sender Example",
            "tlsrpt@sender.example",
            "20231114",
            range,
        )
        .unwrap();
    let json = report.to_json();
    let read = Report::from_json(json.as_bytes(), &ParseOptions::strict()).unwrap();
    assert_eq!(read.report(), &report);
    assert!(read.deviations().is_empty());
    let entry = &report.policies()[0];
    assert_eq!(entry.policy_domain(), Some("xn--bcher-kva.example"));
    assert_eq!(
        (
            entry.successful_session_count(),
            entry.failure_session_count()
        ),
        (1, 2)
    );
    let kinds: Vec<&str> = entry
        .failure_details()
        .iter()
        .map(|d| d.result_type().as_str())
        .collect();
    assert_eq!(kinds, ["certificate-expired", "validation-failure"]);
    assert_eq!(
        report.file_name(None, Compression::Gzip).as_deref(),
        Some("sender.example!xn--bcher-kva.example!1699920000!1700006399.json.gz")
    );
    assert_eq!(
        report.header_fields(),
        Some([
            ("TLS-Report-Domain", "xn--bcher-kva.example"),
            ("TLS-Report-Submitter", "sender.example"),
        ])
    );
    let record = TlsRptRecord::from_rrset([
        "v=TLSRPTv1; rua=mailto:tlsrpt@xn--bcher-kva.example,https://reports.example.net/v1",
    ])
    .unwrap();
    assert_eq!(
        record.delivery_targets(),
        [
            DeliveryTarget::Mailto("tlsrpt@xn--bcher-kva.example".into()),
            DeliveryTarget::Https("https://reports.example.net/v1".into()),
        ]
    );
}

#[test]
fn delivery_data() {
    use mta_sts::tlsrpt::{Compression, DeliveryTarget, TlsRptRecord, report_file_name};

    // (sender, domain, unique id, expected name)
    let cases = [
        (
            "mail.sndr.example.com",
            "example.net",
            Some("001"),
            Some("mail.sndr.example.com!example.net!10!20!001.json"),
        ),
        (
            "mail.sndr.example.com",
            "example.net",
            None,
            Some("mail.sndr.example.com!example.net!10!20.json"),
        ),
        ("", "example.net", None, None),
        ("a!b", "example.net", None, None),
        ("sndr.example", "exa mple.net", None, None),
        ("sndr.example", "bücher.example", None, None),
        ("sndr.example", "example.net", Some(""), None),
        ("sndr.example", "example.net", Some("0-1"), None),
    ];
    for (sender, domain, id, expected) in cases {
        assert_eq!(
            report_file_name(sender, domain, 10, 20, id, Compression::Plain).as_deref(),
            expected,
            "{sender} {domain} {id:?}"
        );
    }
    assert_eq!(Compression::Plain.media_type(), "application/tlsrpt+json");
    assert_eq!(Compression::Gzip.extension(), "json.gz");
    let record = TlsRptRecord::parse(
        "v=TLSRPTv1; rua=mailto:a@example.com%2Cb@example.com?subject=tlsrpt,MAILTO:c%40x@example.com",
    )
    .unwrap();
    assert_eq!(
        record.delivery_targets(),
        [
            DeliveryTarget::Mailto("a@example.com".into()),
            DeliveryTarget::Mailto("b@example.com".into()),
            DeliveryTarget::Mailto("c@x@example.com".into()),
        ]
    );
    // A report whose contact has no domain names no submitter.
    let entry = PolicyReport::new(PolicyType::Sts, "example.com");
    let report = Report::new(
        "X",
        DateRange::utc_day(0).unwrap(),
        "nobody",
        "1",
        vec![entry],
    );
    assert_eq!((report.submitter(), report.header_fields()), (None, None));
    assert_eq!(report.subject(), None);
    let before_1970 = Report::new(
        "X",
        DateRange::utc_day(-86_400).unwrap(),
        "a@b.example",
        "1",
        vec![PolicyReport::new(PolicyType::Sts, "example.com")],
    );
    assert_eq!(before_1970.file_name(None, Compression::Plain), None);
    assert_eq!(
        before_1970.subject().as_deref(),
        Some("Report Domain: example.com Submitter: b.example Report-ID: <1@b.example>")
    );
}

/// Lenient reading accepts whatever strict reading accepts, with the same
/// report and deviations; what either gives writes out and reads back equal.
fn check_modes(input: &[u8]) -> Result<(), TestCaseError> {
    let strict = Report::from_json(input, &ParseOptions::strict());
    let lenient = Report::from_json(input, &ParseOptions::lenient());
    if let Ok(read) = &strict {
        prop_assert_eq!(lenient.as_ref(), Ok(read));
    }
    if let Ok(read) = &lenient {
        let json = read.report().to_json();
        let again = Report::from_json(json.as_bytes(), &ParseOptions::lenient()).unwrap();
        prop_assert_eq!(again.report(), read.report());
    }
    Ok(())
}

proptest! {
    #[test]
    fn vectors_with_one_edit_keep_lenient_a_superset_of_strict(
        which in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        edit in prop_oneof![
            Just(""), Just("\""), Just("\"3\""), Just("-"), Just("null"), Just("[]"),
            Just("{}"), Just(","), Just("Z"), Just("\"x\": 1,"),
        ],
        cut in 0..4usize,
    ) {
        let vectors: Vec<Value> = serde_json::from_str(VECTORS).unwrap();
        let input = vectors[which.index(vectors.len())]["input"].as_str().unwrap();
        let boundaries: Vec<usize> = (0..=input.len()).filter(|&i| input.is_char_boundary(i)).collect();
        let start = boundaries[at.index(boundaries.len())];
        let end = boundaries.iter().copied().find(|&i| i >= start + cut).unwrap_or(input.len());
        let edited = format!("{}{edit}{}", &input[..start], &input[end..]);
        check_modes(edited.as_bytes())?;
    }
}
