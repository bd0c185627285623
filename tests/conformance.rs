//! The conformance vectors in `tests/conformance/*.json` (schema in
//! `tests/conformance/README.md`, rules in `docs/SEMANTICS.md`), one trial
//! per vector and parse mode:
//!
//! - `policy::<id>::strict`, `policy::<id>::lenient`, and
//!   `policy::<id>::lints` when the vector lists lint codes; the same for
//!   `txt::<id>`; `rrset::<id>::strict` and `rrset::<id>::lenient`;
//! - `match::<id>` and `lint::<id>`.
//!
//! A mode's trial checks the outcome (value or error code, and the error's
//! line and column where the vector gives them or where they must lie
//! inside the input), that the other entry points agree (`parse_bytes`, and
//! the strict defaults `parse` and `from_rrset`), and the round trip
//! `parse(x.to_string()) == x` for whatever parses. A field the harness
//! does not read fails the trial, so no expectation goes unchecked. A trial
//! fails with every mismatch it found and the vector's input.
//!
//! ```sh
//! cargo test --test conformance -- P16                # every trial naming P16
//! cargo test --test conformance -- ::lenient          # one mode, every vector
//! cargo test --test conformance -- --exact policy::P16-max-age-leading-zero::strict
//! cargo test --test conformance -- --list             # every trial
//! ```

mod vectors;

use std::collections::HashSet;
use std::fmt::Debug;

use libtest_mimic::{Arguments, Failed, Trial};
use mta_sts::{MxPattern, ParseOptions, Policy, TxtRecord, lint};
use serde_json::Value;
use vectors::{KINDS, describe_input, id, input, strings, vectors};

fn main() {
    let args = Arguments::from_args();
    libtest_mimic::run(&args, trials()).exit();
}

/// Every trial of every vector file, refusing two trials of one name.
fn trials() -> Vec<Trial> {
    let mut trials = Vec::new();
    for kind in KINDS {
        for vector in vectors(kind) {
            add_trials(&mut trials, kind, &vector);
        }
    }
    let mut names = HashSet::new();
    for trial in &trials {
        assert!(
            names.insert(trial.name().to_owned()),
            "two trials named {} (vector ids must be unique in their file)",
            trial.name()
        );
    }
    trials
}

/// A vector's trials, named `<kind>::<id>` (and `::<mode>` or `::lints`).
fn add_trials(trials: &mut Vec<Trial>, kind: &'static str, vector: &Value) {
    let name = format!("{kind}::{}", id(vector));
    let run_mode: fn(&Value, Mode, &mut Checks) = match kind {
        "policy" => policy_mode,
        "txt" => txt_mode,
        "rrset" => rrset_mode,
        "match" => return trials.push(trial(name, kind, vector, match_vector)),
        "lint" => return trials.push(trial(name, kind, vector, lint_vector)),
        _ => unreachable!("unknown vector kind {kind}"),
    };
    for mode in [Mode::Strict, Mode::Lenient] {
        let run = move |vector: &Value, checks: &mut Checks| run_mode(vector, mode, checks);
        trials.push(trial(format!("{name}::{}", mode.key()), kind, vector, run));
    }
    // An rrset vector has no lint fields (README, Fields): its mode trials
    // fail on one until a trial here checks it.
    let run_lints: Option<fn(&Value, &mut Checks)> = match kind {
        "policy" => Some(policy_lints),
        "txt" => Some(txt_lints),
        _ => None,
    };
    if let Some(run) = run_lints
        && (vector.get("lints").is_some() || vector.get("no_lints").is_some())
    {
        trials.push(trial(format!("{name}::lints"), kind, vector, run));
    }
}

/// One trial: the vector's fields are known, then `run`'s checks.
fn trial(
    name: String,
    kind: &'static str,
    vector: &Value,
    run: impl FnOnce(&Value, &mut Checks) + Send + 'static,
) -> Trial {
    let vector = vector.clone();
    Trial::test(name, move || {
        let mut checks = Checks::default();
        check_fields(&vector, kind, &mut checks);
        run(&vector, &mut checks);
        checks.finish(&vector)
    })
}

/// The mismatches one trial found.
#[derive(Default)]
struct Checks(Vec<String>);

impl Checks {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if !ok {
            self.0.push(what());
        }
    }

    /// Passes, or fails with the input and every mismatch.
    fn finish(self, vector: &Value) -> Result<(), Failed> {
        if self.0.is_empty() {
            return Ok(());
        }
        Err(format!("{}\n  {}", describe_input(vector), self.0.join("\n  ")).into())
    }
}

// --- Fields ---

/// The fields each kind's vectors may have (README, Fields). A field outside
/// these is an expectation no trial checks, so the trial fails on it.
fn check_fields(vector: &Value, kind: &str, checks: &mut Checks) {
    let known: &[&str] = match kind {
        "policy" | "txt" => &[
            "input", "generate", "strict", "lenient", "lints", "no_lints",
        ],
        "rrset" => &["records", "strict", "lenient"],
        "match" => &["patterns", "host", "expect"],
        _ => &[
            "input",
            "domain",
            "dns_mx",
            "lints",
            "severities",
            "no_lints",
        ],
    };
    let common = ["id", "rule", "kind", "source", "note"];
    for field in vector.as_object().expect("a vector is an object").keys() {
        checks.check(
            common.contains(&field.as_str()) || known.contains(&field.as_str()),
            || format!("field {field:?} is not checked by this harness"),
        );
    }
    checks.check(vector["kind"] == kind, || {
        format!("kind {} in {kind}.json", vector["kind"])
    });
}

// --- Modes and outcomes ---

#[derive(Clone, Copy)]
enum Mode {
    Strict,
    Lenient,
}

impl Mode {
    fn key(self) -> &'static str {
        match self {
            Mode::Strict => "strict",
            Mode::Lenient => "lenient",
        }
    }

    fn options(self) -> ParseOptions {
        match self {
            Mode::Strict => ParseOptions::strict(),
            Mode::Lenient => ParseOptions::lenient(),
        }
    }
}

/// Compares an outcome with the mode's expectation, `{"ok": true, …}` or
/// `{"ok": false, "error": CODE}` with an optional `line` and `column`;
/// returns the value when both say it parsed.
fn expect_outcome<'a, T: Debug>(
    checks: &mut Checks,
    expected: &Value,
    value_fields: &[&str],
    outcome: &'a Result<T, mta_sts::Error>,
) -> Option<&'a T> {
    let expect_ok = expected["ok"].as_bool().expect("ok field");
    let known: &[&str] = if expect_ok {
        value_fields
    } else {
        &["error", "line", "column"]
    };
    let fields = expected.as_object().expect("an outcome is an object");
    for field in fields.keys() {
        checks.check(field == "ok" || known.contains(&field.as_str()), || {
            format!("outcome field {field:?} is not checked by this harness")
        });
    }
    match (outcome, expect_ok) {
        (Ok(value), true) => return Some(value),
        (Ok(value), false) => checks.check(false, || {
            format!("expected error {}, got {value:?}", expected["error"])
        }),
        (Err(err), true) => checks.check(false, || {
            format!("expected ok, got error {} ({err})", err.code())
        }),
        (Err(err), false) => {
            let code = expected["error"].as_str().expect("error field");
            checks.check(err.code() == code, || {
                format!("expected error {code}, got {} ({err})", err.code())
            });
            for (field, got) in [("line", err.line()), ("column", err.column())] {
                if let Some(want) = expected.get(field) {
                    let got_u64 = got.and_then(|n| u64::try_from(n).ok());
                    checks.check(want.as_u64() == got_u64, || {
                        format!("expected {field} {want}, got {got:?} ({err})")
                    });
                }
            }
            // Every error names what went wrong.
            checks.check(!err.to_string().is_empty(), || {
                format!("error {} has an empty message", err.code())
            });
        }
    }
    None
}

/// The width in characters of each line of `text` (split at LF, so a CRLF
/// line counts its CR).
fn line_widths(text: &str) -> Vec<usize> {
    text.split('\n').map(|line| line.chars().count()).collect()
}

// --- policy ---

fn policy_mode(vector: &Value, mode: Mode, checks: &mut Checks) {
    let text = input(vector);
    let options = mode.options();
    let outcome = Policy::parse_with(&text, &options);
    if let Err(err) = &outcome {
        // A position lies inside the text: a line that exists, a column on
        // it or just past its end.
        let widths = line_widths(&text);
        if let Some(line) = err.line() {
            checks.check((1..=widths.len()).contains(&line), || {
                format!("error line {line} outside 1..={} ({err})", widths.len())
            });
            let width = line.checked_sub(1).and_then(|i| widths.get(i));
            if let (Some(column), Some(width)) = (err.column(), width) {
                checks.check((1..=width + 1).contains(&column), || {
                    format!("error column {column} outside 1..={} ({err})", width + 1)
                });
            }
        }
    }
    // The byte entry point agrees with the text one, and in strict mode so
    // do the defaults.
    let bytes = Policy::parse_bytes(text.as_bytes(), &options);
    checks.check(bytes == outcome, || {
        format!("parse_bytes gave {bytes:?}, parse_with {outcome:?}")
    });
    if let Mode::Strict = mode {
        let default = Policy::parse(&text);
        checks.check(default == outcome, || {
            format!("Policy::parse gave {default:?}, parse_with(strict) {outcome:?}")
        });
    }

    let expected = &vector[mode.key()];
    let fields = ["mode", "max_age", "mx"];
    let Some(policy) = expect_outcome(checks, expected, &fields, &outcome) else {
        return;
    };
    checks.check(policy.mode().as_str() == expected["mode"], || {
        format!("mode {:?}, expected {}", policy.mode(), expected["mode"])
    });
    checks.check(
        Some(policy.max_age()) == expected["max_age"].as_u64(),
        || {
            format!(
                "max_age {}, expected {}",
                policy.max_age(),
                expected["max_age"]
            )
        },
    );
    let mx: Vec<String> = policy.mx().iter().map(MxPattern::to_string).collect();
    checks.check(mx == strings(expected, "mx"), || {
        format!("mx {mx:?}, expected {}", expected["mx"])
    });
    // Round trip: the canonical text parses strictly to the same policy.
    // CRLF line ends make it longer than an LF input, so a policy at the
    // size limit is re-read without the limit.
    let canonical = policy.to_string();
    let again = if canonical.len() > 65_536 {
        Policy::parse_with(
            &canonical,
            &ParseOptions::strict().with_max_size(usize::MAX),
        )
    } else {
        Policy::parse(&canonical)
    };
    checks.check(again.as_ref() == Ok(policy), || {
        format!("round trip of {canonical:?} gave {again:?}")
    });
}

fn policy_lints(vector: &Value, checks: &mut Checks) {
    let report = lint::check(&input(vector), &lint::Context::new());
    check_lints(vector, &report, checks);
}

// --- txt and rrset ---

fn txt_mode(vector: &Value, mode: Mode, checks: &mut Checks) {
    let text = input(vector);
    let options = mode.options();
    let outcome = TxtRecord::parse_with(&text, &options);
    if let Err(err) = &outcome {
        let width = text.chars().count();
        checks.check(err.line().is_none(), || {
            format!("a TXT error with a line: {err:?}")
        });
        checks.check(
            err.column().is_some_and(|c| (1..=width + 1).contains(&c)),
            || format!("a TXT error without a column in 1..={}: {err:?}", width + 1),
        );
    }
    if let Mode::Strict = mode {
        let default = TxtRecord::parse(&text);
        checks.check(default == outcome, || {
            format!("TxtRecord::parse gave {default:?}, parse_with(strict) {outcome:?}")
        });
    }
    let expected = &vector[mode.key()];
    if let Some(record) = expect_outcome(checks, expected, &["id"], &outcome) {
        check_record(record, expected, &options, checks);
    }
}

fn rrset_mode(vector: &Value, mode: Mode, checks: &mut Checks) {
    let records = strings(vector, "records");
    let options = mode.options();
    let outcome = TxtRecord::from_rrset_with(&records, &options);
    if let Mode::Strict = mode {
        let default = TxtRecord::from_rrset(&records);
        checks.check(default == outcome, || {
            format!("from_rrset gave {default:?}, from_rrset_with(strict) {outcome:?}")
        });
    }
    let expected = &vector[mode.key()];
    if let Some(record) = expect_outcome(checks, expected, &["id"], &outcome) {
        check_record(record, expected, &options, checks);
    }
}

/// A parsed record's id, and its round trip in the same mode.
fn check_record(record: &TxtRecord, expected: &Value, options: &ParseOptions, checks: &mut Checks) {
    checks.check(record.id() == expected["id"], || {
        format!("id {:?}, expected {}", record.id(), expected["id"])
    });
    let canonical = record.to_string();
    let again = TxtRecord::parse_with(&canonical, options);
    checks.check(again.as_ref() == Ok(record), || {
        format!("round trip of {canonical:?} gave {again:?}")
    });
}

/// TXT lints come from `check` when the context carries the record.
fn txt_lints(vector: &Value, checks: &mut Checks) {
    const POLICY: &str = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n";
    let report = lint::check(POLICY, &lint::Context::new().txt(input(vector)));
    check_lints(vector, &report, checks);
}

// --- match ---

fn match_vector(vector: &Value, checks: &mut Checks) {
    let host = vector["host"].as_str().expect("host");
    let expect = vector["expect"].as_bool().expect("expect");
    let patterns = strings(vector, "patterns");
    let mut parsed = Vec::new();
    for &text in &patterns {
        match text.parse::<MxPattern>() {
            Ok(pattern) => {
                let again = pattern.to_string().parse::<MxPattern>();
                checks.check(again.as_ref() == Ok(&pattern), || {
                    format!("round trip of pattern {pattern} gave {again:?}")
                });
                parsed.push(pattern);
            }
            Err(err) => checks.check(false, || format!("pattern {text:?}: {err}")),
        }
    }
    let any = parsed.iter().any(|p| p.matches(host));
    checks.check(any == expect, || {
        format!("MxPattern::matches gave {any}, expected {expect}")
    });
    // The same through a policy.
    if !patterns.is_empty() {
        let mut text = String::from("version: STSv1\nmode: testing\nmax_age: 86400\n");
        for pattern in &patterns {
            text.push_str(&format!("mx: {pattern}\n"));
        }
        match Policy::parse(&text) {
            Ok(policy) => {
                let got = policy.matches(host);
                checks.check(got == expect, || {
                    format!("Policy::matches gave {got}, expected {expect}")
                });
            }
            Err(err) => checks.check(false, || format!("policy of the patterns: {err}")),
        }
    }
}

// --- lint ---

fn lint_vector(vector: &Value, checks: &mut Checks) {
    let mut context = lint::Context::new();
    if let Some(domain) = vector["domain"].as_str() {
        context = context.domain(domain);
    }
    if vector.get("dns_mx").is_some() {
        context = context.dns_mx(strings(vector, "dns_mx"));
    }
    let report = lint::check(&input(vector), &context);
    check_lints(vector, &report, checks);
}

/// Checks a vector's `lints` (must be reported), `no_lints` (must not be)
/// and `severities` (reported with that severity) against a report.
fn check_lints(vector: &Value, report: &lint::Report, checks: &mut Checks) {
    let found: Vec<(&str, &str)> = report
        .lints()
        .iter()
        .map(|l| (l.code(), l.severity().as_str()))
        .collect();
    for code in strings(vector, "lints") {
        checks.check(found.iter().any(|&(c, _)| c == code), || {
            format!("lint {code} not reported; got {found:?}")
        });
    }
    for code in strings(vector, "no_lints") {
        checks.check(!found.iter().any(|&(c, _)| c == code), || {
            format!("lint {code} reported but must not be; got {found:?}")
        });
    }
    if let Some(severities) = vector["severities"].as_object() {
        for (code, severity) in severities {
            let severity = severity.as_str().expect("severity");
            checks.check(
                found.iter().any(|&(c, s)| c == code && s == severity),
                || format!("lint {code} not reported as {severity}; got {found:?}"),
            );
        }
    }
}
