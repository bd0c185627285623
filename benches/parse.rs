//! Parsing policies and TXT records.
//!
//! Groups:
//!
//! - `policy`: a typical six-line policy, strict, lenient and through the
//!   byte entry point (size and UTF-8 checks first).
//! - `txt`: the RFC 8461 §3.1 example record.
//! - `rrset`: picking the one STS record out of five TXT records.
//! - `policy_scaling`: policies of 10, 100 and 2 000 `mx` lines. The group
//!   reports `Throughput::Bytes`, so linear scaling shows as a roughly
//!   constant bytes-per-second figure across the three sizes.
//!
//! Run with `cargo bench --bench parse`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use mta_sts::{ParseOptions, Policy, TxtRecord};

/// A typical six-line policy (CRLF, as RFC 8461 §3.2 writes it).
const POLICY: &str = "version: STSv1\r\n\
mode: enforce\r\n\
mx: mx1.example.com\r\n\
mx: mx2.example.com\r\n\
mx: backup.example.net\r\n\
max_age: 604800\r\n";

/// The TXT record from RFC 8461 §3.1.
const TXT: &str = "v=STSv1; id=20160831085700Z;";

/// What a `_mta-sts` TXT lookup can return in the wild: the STS record among
/// records that belong elsewhere (R1).
const RRSET: [&str; 5] = [
    "v=spf1 include:_spf.example.com -all",
    "google-site-verification=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    "MS=ms12345678",
    "v=STSv1; id=20160831085700Z;",
    "v=DMARC1; p=reject; rua=mailto:dmarc@example.com",
];

/// A valid policy with `n` distinct `mx` lines.
fn policy_with_mx_lines(n: usize) -> String {
    let mut text = String::from("version: STSv1\r\nmode: enforce\r\n");
    for i in 0..n {
        text.push_str(&format!("mx: mx{i:04}.example.com\r\n"));
    }
    text.push_str("max_age: 604800\r\n");
    text
}

fn policy(c: &mut Criterion) {
    let strict = ParseOptions::strict();
    let lenient = ParseOptions::lenient();
    let parsed = Policy::parse(POLICY).expect("benchmark policy is valid");
    assert_eq!(parsed.mx().len(), 3);
    assert_eq!(Policy::parse_with(POLICY, &lenient), Ok(parsed.clone()));
    assert_eq!(
        Policy::parse_bytes(POLICY.as_bytes(), &strict),
        Ok(parsed.clone())
    );

    let mut group = c.benchmark_group("policy");
    group.throughput(Throughput::Bytes(POLICY.len() as u64));
    group.bench_function("typical_strict", |b| {
        b.iter(|| Policy::parse(black_box(POLICY)));
    });
    group.bench_function("typical_lenient", |b| {
        b.iter(|| Policy::parse_with(black_box(POLICY), black_box(&lenient)));
    });
    group.bench_function("typical_bytes", |b| {
        b.iter(|| Policy::parse_bytes(black_box(POLICY.as_bytes()), black_box(&strict)));
    });
    group.finish();
}

fn txt(c: &mut Criterion) {
    let parsed = TxtRecord::parse(TXT).expect("benchmark record is valid");
    assert_eq!(parsed.id(), "20160831085700Z");

    let mut group = c.benchmark_group("txt");
    group.throughput(Throughput::Bytes(TXT.len() as u64));
    group.bench_function("rfc_example", |b| {
        b.iter(|| TxtRecord::parse(black_box(TXT)));
    });
    group.finish();
}

fn rrset(c: &mut Criterion) {
    let parsed = TxtRecord::from_rrset(RRSET).expect("benchmark RRset has one STS record");
    assert_eq!(parsed.id(), "20160831085700Z");

    let bytes: usize = RRSET.iter().map(|r| r.len()).sum();
    let mut group = c.benchmark_group("rrset");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("select_1_of_5", |b| {
        b.iter(|| TxtRecord::from_rrset(black_box(&RRSET)));
    });
    group.finish();
}

fn policy_scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("policy_scaling");
    for n in [10usize, 100, 2000] {
        let text = policy_with_mx_lines(n);
        assert!(
            text.len() <= ParseOptions::default().max_size(),
            "{n} mx lines ({} bytes) must fit the default size limit",
            text.len()
        );
        let parsed = Policy::parse(&text).expect("benchmark policy is valid");
        assert_eq!(parsed.mx().len(), n);

        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("mx_lines", n), &text, |b, text| {
            b.iter(|| Policy::parse(black_box(text)));
        });
    }
    group.finish();
}

criterion_group!(benches, policy, txt, rrset, policy_scaling);
criterion_main!(benches);
