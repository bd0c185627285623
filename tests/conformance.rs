//! Every conformance vector (policy, txt, rrset, match, lint) in both parse
//! modes, plus the round trip `parse(x.to_string()) == x` for every vector
//! that parses.

mod vectors;

use mta_sts::{lint, MxPattern, ParseOptions, Policy, TxtRecord};
use serde_json::Value;
use vectors::{id, input, strings, vectors, Failures};

fn modes() -> [(&'static str, ParseOptions); 2] {
    [
        ("strict", ParseOptions::strict()),
        ("lenient", ParseOptions::lenient()),
    ]
}

/// Compares an outcome with `{"ok": false, "error": CODE}`; returns the
/// value when the vector expects success.
fn check_outcome<'a, T>(
    failures: &mut Failures,
    name: &str,
    mode: &str,
    expected: &Value,
    outcome: &'a Result<T, mta_sts::Error>,
) -> Option<&'a T>
where
    T: std::fmt::Debug,
{
    let expect_ok = expected["ok"].as_bool().expect("ok field");
    match (outcome, expect_ok) {
        (Ok(value), true) => Some(value),
        (Ok(value), false) => {
            failures.check(false, name, || {
                format!(
                    "{mode}: expected error {}, got {value:?}",
                    expected["error"]
                )
            });
            None
        }
        (Err(err), true) => {
            failures.check(false, name, || {
                format!("{mode}: expected ok, got {} ({err})", err.code())
            });
            None
        }
        (Err(err), false) => {
            let code = expected["error"].as_str().expect("error field");
            failures.check(err.code() == code, name, || {
                format!("{mode}: expected error {code}, got {} ({err})", err.code())
            });
            // Every error names what went wrong; positions stay in range.
            failures.check(!err.to_string().is_empty(), name, || {
                format!("{mode}: empty message")
            });
            None
        }
    }
}

#[test]
fn policy_vectors() {
    let mut failures = Failures::default();
    let mut ran = 0;
    for vector in vectors("policy") {
        let name = id(&vector);
        let text = input(&vector);
        for (mode, options) in modes() {
            ran += 1;
            let outcome = Policy::parse_with(&text, &options);
            if let Err(err) = &outcome {
                let lines = text.split('\n').count();
                failures.check(
                    err.line().is_none_or(|l| l >= 1 && l <= lines),
                    name,
                    || format!("{mode}: error line {:?} outside 1..={lines}", err.line()),
                );
            }
            let Some(policy) = check_outcome(&mut failures, name, mode, &vector[mode], &outcome)
            else {
                continue;
            };
            let expected = &vector[mode];
            failures.check(policy.mode().as_str() == expected["mode"], name, || {
                format!(
                    "{mode}: mode {:?}, expected {}",
                    policy.mode(),
                    expected["mode"]
                )
            });
            failures.check(
                Some(policy.max_age()) == expected["max_age"].as_u64(),
                name,
                || {
                    format!(
                        "{mode}: max_age {}, expected {}",
                        policy.max_age(),
                        expected["max_age"]
                    )
                },
            );
            let mx: Vec<String> = policy.mx().iter().map(MxPattern::to_string).collect();
            failures.check(mx == strings(expected, "mx"), name, || {
                format!("{mode}: mx {mx:?}, expected {}", expected["mx"])
            });
            // Round trip: the canonical text parses strictly to the same
            // policy. CRLF line ends make it longer than an LF input, so a
            // policy at the size limit is re-read without the limit.
            let canonical = policy.to_string();
            let again = if canonical.len() > 65_536 {
                Policy::parse_with(
                    &canonical,
                    &ParseOptions::strict().with_max_size(usize::MAX),
                )
            } else {
                Policy::parse(&canonical)
            };
            failures.check(again.as_ref() == Ok(policy), name, || {
                format!("{mode}: round trip gave {again:?}")
            });
        }
        // The byte entry point agrees with the text one.
        let bytes = Policy::parse_bytes(text.as_bytes(), &ParseOptions::strict());
        failures.check(bytes == Policy::parse(&text), name, || {
            "parse_bytes differs from parse".into()
        });
    }
    failures.assert_none(ran);
}

#[test]
fn txt_vectors() {
    let mut failures = Failures::default();
    let mut ran = 0;
    for vector in vectors("txt") {
        let name = id(&vector);
        let text = input(&vector);
        for (mode, options) in modes() {
            ran += 1;
            let outcome = TxtRecord::parse_with(&text, &options);
            if let Err(err) = &outcome {
                failures.check(err.line().is_none() && err.column().is_some(), name, || {
                    format!("{mode}: TXT errors carry a column and no line: {err:?}")
                });
            }
            let Some(record) = check_outcome(&mut failures, name, mode, &vector[mode], &outcome)
            else {
                continue;
            };
            failures.check(record.id() == vector[mode]["id"], name, || {
                format!(
                    "{mode}: id {:?}, expected {}",
                    record.id(),
                    vector[mode]["id"]
                )
            });
            let again = TxtRecord::parse_with(&record.to_string(), &options);
            failures.check(again.as_ref() == Ok(record), name, || {
                format!("{mode}: round trip gave {again:?}")
            });
        }
    }
    failures.assert_none(ran);
}

#[test]
fn rrset_vectors() {
    let mut failures = Failures::default();
    let mut ran = 0;
    for vector in vectors("rrset") {
        let name = id(&vector);
        let records = strings(&vector, "records");
        for (mode, options) in modes() {
            ran += 1;
            let outcome = TxtRecord::from_rrset_with(&records, &options);
            let Some(record) = check_outcome(&mut failures, name, mode, &vector[mode], &outcome)
            else {
                continue;
            };
            failures.check(record.id() == vector[mode]["id"], name, || {
                format!(
                    "{mode}: id {:?}, expected {}",
                    record.id(),
                    vector[mode]["id"]
                )
            });
        }
        if vector["strict"]["ok"] == true {
            let strict = TxtRecord::from_rrset(&records);
            failures.check(strict.is_ok(), name, || format!("from_rrset: {strict:?}"));
        }
    }
    failures.assert_none(ran);
}

#[test]
fn match_vectors() {
    let mut failures = Failures::default();
    let mut ran = 0;
    for vector in vectors("match") {
        ran += 1;
        let name = id(&vector);
        let host = vector["host"].as_str().expect("host");
        let expect = vector["expect"].as_bool().expect("expect");
        let patterns = strings(&vector, "patterns");
        let parsed: Vec<MxPattern> = patterns
            .iter()
            .map(|p| {
                p.parse()
                    .unwrap_or_else(|e| panic!("{name}: pattern {p:?}: {e}"))
            })
            .collect();
        let any = parsed.iter().any(|p| p.matches(host));
        failures.check(any == expect, name, || {
            format!("{patterns:?} vs {host:?}: got {any}")
        });
        // The same through a policy.
        let mut text = String::from("version: STSv1\nmode: testing\nmax_age: 86400\n");
        for p in &patterns {
            text.push_str(&format!("mx: {p}\n"));
        }
        if !patterns.is_empty() {
            let policy = Policy::parse(&text).expect("policy of valid patterns");
            failures.check(policy.matches(host) == expect, name, || {
                format!("Policy::matches({host:?}) != {expect}")
            });
        }
    }
    failures.assert_none(ran);
}

/// The codes and severities `lint::check` reported, as `(code, severity)`.
fn reported(report: &lint::Report) -> Vec<(&'static str, &'static str)> {
    report
        .lints()
        .iter()
        .map(|l| (l.code(), l.severity().as_str()))
        .collect()
}

/// Checks a vector's `lints`, `no_lints` and `severities` against a report.
fn check_lints(failures: &mut Failures, vector: &Value, report: &lint::Report) {
    let name = id(vector);
    let found = reported(report);
    for code in strings(vector, "lints") {
        failures.check(found.iter().any(|(c, _)| *c == code), name, || {
            format!("lint {code} not reported; got {found:?}")
        });
    }
    for code in strings(vector, "no_lints") {
        failures.check(!found.iter().any(|(c, _)| *c == code), name, || {
            format!("lint {code} reported but must not be; got {found:?}")
        });
    }
    if let Some(severities) = vector["severities"].as_object() {
        for (code, severity) in severities {
            let severity = severity.as_str().expect("severity");
            failures.check(
                found.iter().any(|&(c, s)| c == code && s == severity),
                name,
                || format!("lint {code} not reported as {severity}; got {found:?}"),
            );
        }
    }
}

#[test]
fn lint_fields_of_policy_and_txt_vectors() {
    let mut failures = Failures::default();
    let mut ran = 0;
    for vector in vectors("policy") {
        if vector.get("lints").is_some() || vector.get("no_lints").is_some() {
            ran += 1;
            let report = lint::check(&input(&vector), &lint::Context::new());
            check_lints(&mut failures, &vector, &report);
        }
    }
    // TXT lints come from `check` when the context carries the record.
    let policy = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n";
    for vector in vectors("txt") {
        if vector.get("lints").is_some() || vector.get("no_lints").is_some() {
            ran += 1;
            let report = lint::check(policy, &lint::Context::new().txt(input(&vector)));
            check_lints(&mut failures, &vector, &report);
        }
    }
    failures.assert_none(ran);
}

#[test]
fn lint_vectors() {
    let mut failures = Failures::default();
    let mut ran = 0;
    for vector in vectors("lint") {
        ran += 1;
        let mut context = lint::Context::new();
        if let Some(domain) = vector["domain"].as_str() {
            context = context.domain(domain);
        }
        if vector.get("dns_mx").is_some() {
            context = context.dns_mx(strings(&vector, "dns_mx"));
        }
        let report = lint::check(&input(&vector), &context);
        check_lints(&mut failures, &vector, &report);
    }
    failures.assert_none(ran);
}
