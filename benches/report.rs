//! Reading and writing TLS-RPT aggregate reports (feature `serde`).
//!
//! Groups:
//!
//! - `report`: the RFC 8460 Appendix B example, read strictly (after the
//!   `mx-host` fix) and leniently, and written.
//! - `report_scaling`: reports of 10, 1 000 and 10 000 failure details, read
//!   strictly. The group reports `Throughput::Bytes`, so linear scaling
//!   shows as a roughly constant bytes-per-second figure.
//! - `aggregate`: 10 000 delivery attempts summed into a report.
//!
//! Run with `cargo bench --features serde --bench report`.

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use mta_sts::sender::{PolicyDomain, ResultType};
use mta_sts::tlsrpt::{
    Aggregator, DateRange, FailureDetail, PolicyReport, PolicyType, Report, Session,
};
use mta_sts::{ParseOptions, Policy};

const RFC_EXAMPLE: &str = include_str!("../tests/data/tlsrpt-reports/rfc8460-appendix-b.json");

/// A strictly valid report with `n` failure details.
fn report_with_details(n: usize) -> Report {
    let details = (0..n)
        .map(|i| {
            let from = IpAddr::V4(Ipv4Addr::from(0xC000_0200 + i as u32));
            let to = IpAddr::V4(Ipv4Addr::from(0xC633_6400 + (i % 256) as u32));
            FailureDetail::new(
                ResultType::CertificateExpired,
                from,
                format!("mx{i}.example.com"),
                to,
                i as u64 + 1,
            )
        })
        .collect();
    let entry = PolicyReport::new(PolicyType::Sts, "example.com")
        .with_policy_strings(vec!["version: STSv1".into(), "mode: testing".into()])
        .with_mx_hosts(vec!["*.example.com".into()])
        .with_counts(1000, n as u64)
        .with_failure_details(details);
    Report::new(
        "Sender",
        DateRange::utc_day(1_700_000_000).unwrap(),
        "tlsrpt@sender.example",
        "bench",
        vec![entry],
    )
}

fn report(c: &mut Criterion) {
    let strict_text = RFC_EXAMPLE
        .replace(
            r#""mx-host": "*.mail.company-y.example""#,
            r#""mx-host": ["*.mail.company-y.example"]"#,
        )
        .replace(
            r#""failed-session-count": 100"#,
            r#""receiving-ip": "203.0.113.55", "failed-session-count": 100"#,
        );
    let strict = ParseOptions::strict();
    let lenient = ParseOptions::lenient();
    let parsed = Report::from_json(strict_text.as_bytes(), &strict).expect("valid");
    let mut group = c.benchmark_group("report");
    group.throughput(Throughput::Bytes(strict_text.len() as u64));
    group.bench_function("read_strict", |b| {
        b.iter(|| Report::from_json(black_box(strict_text.as_bytes()), &strict));
    });
    group.throughput(Throughput::Bytes(RFC_EXAMPLE.len() as u64));
    group.bench_function("read_lenient", |b| {
        b.iter(|| Report::from_json(black_box(RFC_EXAMPLE.as_bytes()), &lenient));
    });
    group.bench_function("write", |b| b.iter(|| black_box(parsed.report()).to_json()));
    group.finish();
}

fn report_scaling(c: &mut Criterion) {
    let strict = ParseOptions::strict();
    let mut group = c.benchmark_group("report_scaling");
    for n in [10, 1_000, 10_000] {
        let json = report_with_details(n).to_json();
        assert!(Report::from_json(json.as_bytes(), &strict).is_ok());
        group.throughput(Throughput::Bytes(json.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &json, |b, json| {
            b.iter(|| Report::from_json(black_box(json.as_bytes()), &strict));
        });
    }
    group.finish();
}

fn aggregate(c: &mut Criterion) {
    let policy =
        Policy::parse("version: STSv1\nmode: testing\nmx: *.example.com\nmax_age: 86400\n")
            .unwrap();
    let domain = PolicyDomain::new("example.com").unwrap();
    let sessions: Vec<Session> = (0..16u32)
        .map(|i| {
            Session::new(
                IpAddr::V4(Ipv4Addr::from(0xC000_0200 + i)),
                format!("mx{}.example.com", i % 4),
                IpAddr::V4(Ipv4Addr::from(0xC633_6400 + i % 4)),
            )
        })
        .collect();
    let range = DateRange::utc_day(1_700_000_000).unwrap();
    c.bench_function("aggregate/10000_attempts", |b| {
        b.iter(|| {
            let mut aggregator = Aggregator::new();
            for i in 0..10_000usize {
                if i % 10 == 0 {
                    let session = &sessions[i % sessions.len()];
                    aggregator.failure(
                        Some(&policy),
                        &domain,
                        ResultType::StartTlsNotSupported,
                        session,
                    );
                } else {
                    aggregator.success(Some(&policy), &domain);
                }
            }
            aggregator.report(&domain, "Sender", "tlsrpt@sender.example", "bench", range)
        });
    });
}

criterion_group!(benches, report, report_scaling, aggregate);
criterion_main!(benches);
