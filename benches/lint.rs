//! `lint::check`: the lenient parse plus every finding, with a DNS MX context.
//!
//! Functions in the `check` group:
//!
//! - `typical_with_dns_mx`: a clean six-line policy whose patterns cover the
//!   domain's DNS MX hosts exactly; the cost of the cross-checks with nothing
//!   to report beyond info lints.
//! - `findings_with_dns_mx`: a policy that trips several lints (wildcard,
//!   testing mode, short `max_age`, a pattern no MX uses, an MX no pattern
//!   covers), so the cost of building findings and their messages shows.
//! - `typical_with_txt`: the typical policy plus the TXT record checks.
//!
//! Run with `cargo bench --bench lint`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mta_sts::lint::{check, Context};

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

fn lint_check(c: &mut Criterion) {
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
            noisy.lints().iter().map(|l| l.code()).collect::<Vec<_>>()
        );
    }
    assert!(noisy.lints().len() > report.lints().len());

    let mut group = c.benchmark_group("check");
    group.throughput(Throughput::Bytes(POLICY.len() as u64));
    group.bench_function("typical_with_dns_mx", |b| {
        b.iter(|| check(black_box(POLICY), black_box(&context)))
    });
    group.bench_function("typical_with_txt", |b| {
        b.iter(|| check(black_box(POLICY), black_box(&with_txt)))
    });
    group.throughput(Throughput::Bytes(POLICY_WITH_FINDINGS.len() as u64));
    group.bench_function("findings_with_dns_mx", |b| {
        b.iter(|| check(black_box(POLICY_WITH_FINDINGS), black_box(&noisy_context)))
    });
    group.finish();
}

criterion_group!(benches, lint_check);
criterion_main!(benches);
