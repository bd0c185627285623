//! `lint::check`: a typical policy next to hostile ~60 KB shapes, per byte.
//!
//! Group `check` (everything with `Throughput::Bytes`, so criterion reports
//! bytes per second and the shapes compare per byte):
//!
//! - `typical`: a clean six-line policy, no context: the baseline.
//! - `typical_with_dns_mx`: the same with the domain and its DNS MX hosts,
//!   the baseline for `mx_7000_dns_mx_7000`.
//! - `typical_with_txt`: the typical policy plus the TXT record checks.
//! - `findings_with_dns_mx`: a policy that trips several lints (wildcard,
//!   testing mode, short `max_age`, a pattern no MX uses, an MX no pattern
//!   covers), so the cost of building findings and their messages shows.
//!
//! Hostile shapes, each under the 65 536-byte limit (so everything is
//! linted) and each required (issue 9, SEMANTICS "Lint catalog") to lint
//! within 10× the per-byte time of `typical`:
//!
//! - `blank_lines_30000`: a valid policy followed by 30 000 empty CRLF
//!   lines (30 000 `blank-line` errors: 100 reported, then a summary);
//! - `mx_7000`: 7 000 distinct `mx` lines (the duplicate and redundancy
//!   checks must use sets, not scans);
//! - `mx_7000_under_wildcard`: the same plus `*.d`, which covers all of them
//!   (7 000 `mx-redundant` findings);
//! - `no_colon`: ~6 000 lines without a colon (`invalid-line` each);
//! - `repeated_fields`: `mode` repeated ~4 000 times with alternating values
//!   (`duplicate-field` errors);
//! - `mx_7000_dns_mx_7000`: `mx_7000` with a DNS MX context of the same
//!   7 000 hosts (compare with `typical_with_dns_mx`).
//!
//! Run with `cargo bench --bench lint`; the per-byte time is the reported
//! time divided by the shape's size (printed before the benchmarks run).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mta_sts::lint::{Context, Severity, check};

/// A typical six-line policy (CRLF, as RFC 8461 §3.2 writes it).
const POLICY: &str = "version: STSv1\r\n\
mode: enforce\r\n\
mx: mx1.example.com\r\n\
mx: mx2.example.com\r\n\
mx: backup.example.net\r\n\
max_age: 604800\r\n";

/// A policy with findings: a wildcard under the own domain, testing mode, a
/// one-hour `max_age`, an unused pattern and an uncovered DNS MX host.
const POLICY_WITH_FINDINGS: &str = "version: STSv1\r\n\
mode: testing\r\n\
mx: *.example.com\r\n\
mx: old-mx.example.org\r\n\
mx: MX1.example.com\r\n\
max_age: 3600\r\n";

const DNS_MX: [&str; 3] = ["mx1.example.com", "mx2.example.com", "backup.example.net"];

/// The policy's first lines, before a hostile body.
const HEAD: &str = "version: STSv1\nmode: enforce\nmax_age: 604800\n";

/// The size limit: a shape above it would only be refused, not linted.
const LIMIT: usize = 65_536;

/// `n` distinct host names of two short labels (`0.d`, `1.d`, …, `a.d`,
/// …, `10.d`, …), the first in base 36 so that 7 000 `mx` lines fit under
/// the size limit.
fn hosts(n: usize) -> Vec<String> {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..n)
        .map(|mut i| {
            let mut label = Vec::new();
            loop {
                label.push(DIGITS[i % 36]);
                i /= 36;
                if i == 0 {
                    break;
                }
            }
            label.reverse();
            format!("{}.d", String::from_utf8(label).unwrap())
        })
        .collect()
}

/// The hostile shapes: (name, text).
fn shapes(hosts: &[String]) -> Vec<(&'static str, String)> {
    let mx: String = hosts.iter().map(|host| format!("mx:{host}\n")).collect();
    let mut no_colon = String::from(HEAD) + "mx: mx1.example.com\n";
    let mut i = 0;
    while no_colon.len() < 60_000 {
        no_colon += &format!("no colon {i}\n");
        i += 1;
    }
    let mut repeated = String::from(HEAD) + "mx: mx1.example.com\n";
    while repeated.len() < 60_000 {
        repeated += "mode: testing\nmode: enforce\n";
    }
    vec![
        (
            "blank_lines_30000",
            format!("{HEAD}mx: mx1.example.com\n") + &"\r\n".repeat(30_000),
        ),
        ("mx_7000", format!("{HEAD}{mx}")),
        ("mx_7000_under_wildcard", format!("{HEAD}mx:*.d\n{mx}")),
        ("no_colon", no_colon),
        ("repeated_fields", repeated),
    ]
}

/// Checks that a shape is linted (under the limit) and finds what it should.
fn assert_shape(name: &str, text: &str, context: &Context) {
    assert!(text.len() <= LIMIT, "{name}: {} bytes", text.len());
    let report = check(text, context);
    let codes = |code: &str| report.lints().iter().filter(|l| l.code() == code).count();
    match name {
        "blank_lines_30000" => assert_eq!(codes("blank-line"), 101, "{name}"),
        "mx_7000" | "mx_7000_dns_mx_7000" => {
            assert!(report.policy().is_some_and(|p| p.mx().len() == 7_000));
            assert!(!report.has_errors(), "{name}: {:?}", report.lints());
        }
        "mx_7000_under_wildcard" => assert_eq!(codes("mx-redundant"), 101, "{name}"),
        "no_colon" => assert_eq!(codes("invalid-line"), 101, "{name}"),
        // Warnings (the same value as the first) and errors (another).
        "repeated_fields" => assert_eq!(codes("duplicate-field"), 2 * 101, "{name}"),
        _ => unreachable!("{name}"),
    }
    let errors = report.count(Severity::Error);
    eprintln!(
        "check/{name}: {} bytes, {} lints ({errors} errors)",
        text.len(),
        report.lints().len()
    );
}

fn lint_check(c: &mut Criterion) {
    let empty = Context::new();
    let context = Context::new().domain("example.com").dns_mx(DNS_MX);
    let with_txt = context.clone().txt("v=STSv1; id=20160831085700Z;");
    let noisy_context = Context::new()
        .domain("example.com")
        .dns_mx(["mx1.example.com", "mx9.example.net"]);

    let report = check(POLICY, &context);
    assert!(report.policy().is_some(), "typical policy must parse");
    let noisy = check(POLICY_WITH_FINDINGS, &noisy_context);
    assert!(
        noisy.policy().is_some(),
        "policy with findings still parses"
    );
    for code in ["mx-wildcard", "mx-not-covered", "mx-pattern-unused"] {
        assert!(
            noisy.lints().iter().any(|l| l.code() == code),
            "expected lint {code} in {:?}",
            noisy
                .lints()
                .iter()
                .map(mta_sts::lint::Lint::code)
                .collect::<Vec<_>>()
        );
    }
    assert!(noisy.lints().len() > report.lints().len());

    let hosts = hosts(7_000);
    let dns_mx = Context::new().domain("example.com").dns_mx(&hosts);
    let shapes = shapes(&hosts);
    for (name, text) in &shapes {
        assert_shape(name, text, &empty);
    }
    let mx_7000 = &shapes[1].1;
    assert_shape("mx_7000_dns_mx_7000", mx_7000, &dns_mx);
    eprintln!("check/typical: {} bytes", POLICY.len());

    let mut group = c.benchmark_group("check");
    group.throughput(Throughput::Bytes(POLICY.len() as u64));
    group.bench_function("typical", |b| {
        b.iter(|| check(black_box(POLICY), black_box(&empty)));
    });
    group.bench_function("typical_with_dns_mx", |b| {
        b.iter(|| check(black_box(POLICY), black_box(&context)));
    });
    group.bench_function("typical_with_txt", |b| {
        b.iter(|| check(black_box(POLICY), black_box(&with_txt)));
    });
    group.throughput(Throughput::Bytes(POLICY_WITH_FINDINGS.len() as u64));
    group.bench_function("findings_with_dns_mx", |b| {
        b.iter(|| check(black_box(POLICY_WITH_FINDINGS), black_box(&noisy_context)));
    });
    for (name, text) in &shapes {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| check(black_box(text), black_box(&empty)));
        });
    }
    group.throughput(Throughput::Bytes(mx_7000.len() as u64));
    group.bench_function("mx_7000_dns_mx_7000", |b| {
        b.iter(|| check(black_box(mx_7000), black_box(&dns_mx)));
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // The hostile shapes take milliseconds each: fewer, shorter samples keep
    // a run to a minute or two on a shared machine.
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = lint_check
}
criterion_main!(benches);
