//! Matching MX host names against `mx` patterns.
//!
//! Groups:
//!
//! - `mx_pattern`: one `MxPattern` against one host: literal hit, wildcard
//!   hit, a mixed-case host and a host with a trailing dot (both on the
//!   allocation-free ASCII path).
//! - `policy_miss`: `Policy::matches` with a host that matches none of 1, 4
//!   or 16 patterns (every pattern is tried).
//! - `u_label`: hosts with a U-label, which go through IDNA first: the slow
//!   path, measured on its own so it does not hide in the ASCII numbers.
//!
//! Run with `cargo bench --bench match`.

use std::hint::black_box;
use std::str::FromStr;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use mta_sts::{MxPattern, Policy};

fn pattern(text: &str) -> MxPattern {
    MxPattern::from_str(text).expect("benchmark pattern is valid")
}

/// A policy with `n` patterns: `n - 1` exact names and, last, one wildcard
/// (for `n == 1`, a single exact name).
fn policy_with(n: usize) -> Policy {
    let mut text = String::from("version: STSv1\r\nmode: enforce\r\n");
    for i in 1..n.max(2) {
        text.push_str(&format!("mx: mx{i:02}.example.com\r\n"));
    }
    if n > 1 {
        text.push_str("mx: *.mail.example.net\r\n");
    }
    text.push_str("max_age: 604800\r\n");
    let policy = Policy::parse(&text).expect("benchmark policy is valid");
    assert_eq!(policy.mx().len(), n);
    policy
}

fn mx_pattern(c: &mut Criterion) {
    let literal = pattern("mx1.example.com");
    let wildcard = pattern("*.example.com");
    let cases: [(&str, &MxPattern, &str); 4] = [
        ("literal_hit", &literal, "mx1.example.com"),
        ("wildcard_hit", &wildcard, "mx1.example.com"),
        ("mixed_case_host", &literal, "MX1.Example.COM"),
        ("trailing_dot_host", &literal, "mx1.example.com."),
    ];

    let mut group = c.benchmark_group("mx_pattern");
    for (name, pat, host) in cases {
        assert!(pat.matches(host), "{name}: {pat} should match {host:?}");
        group.bench_function(name, |b| b.iter(|| black_box(pat).matches(black_box(host))));
    }
    // The two near misses a wildcard must reject (X2).
    for (name, host) in [
        ("wildcard_miss_two_labels", "a.mx1.example.com"),
        ("wildcard_miss_bare_suffix", "example.com"),
    ] {
        assert!(!wildcard.matches(host), "{name}: should not match {host:?}");
        group.bench_function(name, |b| {
            b.iter(|| black_box(&wildcard).matches(black_box(host)));
        });
    }
    group.finish();
}

fn policy_miss(c: &mut Criterion) {
    // Same shape and length as the listed names, but not listed.
    let host = "mx99.example.com";
    let mut group = c.benchmark_group("policy_miss");
    for n in [1usize, 4, 16] {
        let policy = policy_with(n);
        assert!(!policy.matches(host), "{n} patterns: {host:?} must miss");
        group.bench_with_input(BenchmarkId::from_parameter(n), &policy, |b, policy| {
            b.iter(|| black_box(policy).matches(black_box(host)));
        });
    }
    group.finish();

    // And the hit on the last pattern of 16, for contrast.
    let policy = policy_with(16);
    let host = "mx1.mail.example.net";
    assert!(policy.matches(host));
    c.bench_function("policy_hit_last_of_16", |b| {
        b.iter(|| black_box(&policy).matches(black_box(host)));
    });
}

fn u_label(c: &mut Criterion) {
    let literal = pattern("mx.xn--bcher-kva.example");
    let wildcard = pattern("*.xn--bcher-kva.example");
    let cases: [(&str, &MxPattern, &str, bool); 3] = [
        ("literal_hit", &literal, "mx.bücher.example", true),
        ("wildcard_hit", &wildcard, "MX.Bücher.example.", true),
        ("miss", &literal, "mx.bücherei.example", false),
    ];

    let mut group = c.benchmark_group("u_label");
    for (name, pat, host, expected) in cases {
        assert_eq!(pat.matches(host), expected, "{name}: {pat} vs {host:?}");
        group.bench_function(name, |b| b.iter(|| black_box(pat).matches(black_box(host))));
    }
    group.finish();
}

criterion_group!(benches, mx_pattern, policy_miss, u_label);
criterion_main!(benches);
