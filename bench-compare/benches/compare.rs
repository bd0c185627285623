//! Side-by-side comparison with `mailrs-mta-sts`, the fastest published Rust
//! MTA-STS crate.
//!
//! Each criterion group is one operation; inside it, the function `mta_sts`
//! measures this crate and `mailrs` measures `mailrs-mta-sts` on the same
//! input, in the same run. Before measuring, each group checks that both
//! crates give the same answer on its input.
//!
//! | group            | `mta_sts`                   | `mailrs`                     |
//! |------------------|-----------------------------|------------------------------|
//! | `wildcard_match` | `MxPattern::matches`        | `mx_matches`                 |
//! | `literal_match`  | `MxPattern::matches`        | `mx_matches`                 |
//! | `policy_miss_4`  | `Policy::matches`           | `enforce`                    |
//! | `policy_parse`   | `Policy::parse` (strict)    | `Policy::parse`              |
//! | `large_policy_parse` | `Policy::parse` (strict) | `Policy::parse`              |
//! | `txt_parse`      | `TxtRecord::parse` (strict) | `StsRecord::parse`           |
//!
//! Two baselines that are no MTA-STS parser at all show how close to the
//! floor this crate gets: a bare `eq_ignore_ascii_case` of the two names for
//! a literal match, and [`split_and_copy`] (split each line at its colon,
//! copy the value, validate nothing) for policy parsing. The paired report
//! gives their ratios too (`vs_eq`, `vs_split`, `large_vs_split`); the
//! targets say "within 1.5×" and "within 1.3×" of them.
//!
//! The two crates do not do the same amount of work, and the difference
//! favours `mailrs` on parsing: this crate validates every `mx` pattern
//! (LDH labels, lengths, wildcard shape), checks every line against the
//! strict grammar and keeps positions for its errors, while `mailrs`
//! lowercases and stores what it finds. For matching, this crate validates
//! each pattern once at parse time; `mailrs` works on the raw strings on every
//! call.
//!
//! This bench lives in its own crate (`bench-compare/`, its own workspace,
//! not published), so that `mailrs-mta-sts` and its async runtime are not
//! dev-dependencies of `mta-sts`. In `bench-compare/`, `cargo bench` gives
//! criterion's times. With the environment variable `PAIRED_RATIOS` set, a
//! paired, interleaved measurement of each operation follows and prints the
//! ratios, which hold steady on a busy machine (see [`paired`]);
//! `.ci/bench-compare` runs only that part:
//!
//! ```text
//! cd bench-compare && PAIRED_RATIOS=1 cargo bench --bench compare -- '^$'
//! ```

use std::hint::black_box;
use std::str::FromStr;

use criterion::{Criterion, criterion_group};

/// A typical six-line policy: three exact MX hosts (CRLF, as RFC 8461 §3.2
/// writes it).
const POLICY: &str = "version: STSv1\r\n\
mode: enforce\r\n\
mx: mx1.example.com\r\n\
mx: mx2.example.com\r\n\
mx: backup.example.net\r\n\
max_age: 604800\r\n";

/// A four-pattern policy used for the miss benchmark.
const POLICY_4: &str = "version: STSv1\r\n\
mode: enforce\r\n\
mx: mx1.example.com\r\n\
mx: mx2.example.com\r\n\
mx: *.mail.example.net\r\n\
mx: backup.example.org\r\n\
max_age: 604800\r\n";

/// The TXT record from RFC 8461 §3.1.
const TXT: &str = "v=STSv1; id=20160831085700Z;";

/// A large policy: 2 000 `mx` lines, about 58 KB (under the 64 KiB limit).
fn large_policy() -> String {
    let mut text = String::from("version: STSv1\r\nmode: enforce\r\n");
    for i in 0..2000 {
        text.push_str(&format!("mx: mx{i:04}.mail.example.com\r\n"));
    }
    text.push_str("max_age: 604800\r\n");
    text
}

/// The floor for policy parsing: a bare parser that splits each line at its
/// first colon and copies the trimmed value out, validating nothing.
#[derive(Default)]
struct SplitCopy {
    mode: String,
    max_age: String,
    mx: Vec<String>,
    extensions: Vec<(String, String)>,
}

fn split_and_copy(text: &str) -> SplitCopy {
    let mut policy = SplitCopy::default();
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name {
            "version" => {}
            "mode" => policy.mode = value.to_owned(),
            "max_age" => policy.max_age = value.to_owned(),
            "mx" => policy.mx.push(value.to_owned()),
            _ => policy.extensions.push((name.to_owned(), value.to_owned())),
        }
    }
    policy
}

fn wildcard_match(c: &mut Criterion) {
    let pattern_text = "*.example.com";
    let host = "mx1.example.com";
    let ours = mta_sts::MxPattern::from_str(pattern_text).expect("valid pattern");
    assert!(ours.matches(host));
    assert!(mailrs_mta_sts::mx_matches(host, pattern_text));

    let mut group = c.benchmark_group("wildcard_match");
    group.bench_function("mta_sts", |b| {
        b.iter(|| black_box(&ours).matches(black_box(host)));
    });
    group.bench_function("mailrs", |b| {
        b.iter(|| mailrs_mta_sts::mx_matches(black_box(host), black_box(pattern_text)));
    });
    group.finish();
}

fn literal_match(c: &mut Criterion) {
    let pattern_text = "mail.example.com";
    let host = "mail.example.com";
    let ours = mta_sts::MxPattern::from_str(pattern_text).expect("valid pattern");
    assert!(ours.matches(host));
    assert!(mailrs_mta_sts::mx_matches(host, pattern_text));

    let mut group = c.benchmark_group("literal_match");
    group.bench_function("mta_sts", |b| {
        b.iter(|| black_box(&ours).matches(black_box(host)));
    });
    group.bench_function("mailrs", |b| {
        b.iter(|| mailrs_mta_sts::mx_matches(black_box(host), black_box(pattern_text)));
    });
    group.finish();
}

fn policy_miss_4(c: &mut Criterion) {
    // A plausible miss: same domain, same shape, not listed.
    let host = "mx3.example.com";
    let ours = mta_sts::Policy::parse(POLICY_4).expect("valid policy");
    let theirs = mailrs_mta_sts::Policy::parse(POLICY_4).expect("valid policy");
    assert_eq!(ours.mx().len(), 4);
    assert_eq!(theirs.mx.len(), 4);
    assert!(!ours.matches(host));
    assert_eq!(
        mailrs_mta_sts::enforce(&theirs, host),
        mailrs_mta_sts::Decision::Deny
    );

    let mut group = c.benchmark_group("policy_miss_4");
    group.bench_function("mta_sts", |b| {
        b.iter(|| black_box(&ours).matches(black_box(host)));
    });
    group.bench_function("mailrs", |b| {
        b.iter(|| mailrs_mta_sts::enforce(black_box(&theirs), black_box(host)));
    });
    group.finish();
}

fn policy_parse(c: &mut Criterion) {
    let ours = mta_sts::Policy::parse(POLICY).expect("valid policy");
    let theirs = mailrs_mta_sts::Policy::parse(POLICY).expect("valid policy");
    assert_eq!(ours.mx().len(), theirs.mx.len());
    assert_eq!(ours.max_age(), theirs.max_age);

    let mut group = c.benchmark_group("policy_parse");
    group.bench_function("mta_sts", |b| {
        b.iter(|| mta_sts::Policy::parse(black_box(POLICY)));
    });
    group.bench_function("mailrs", |b| {
        b.iter(|| mailrs_mta_sts::Policy::parse(black_box(POLICY)));
    });
    group.finish();
}

fn large_policy_parse(c: &mut Criterion) {
    let text = large_policy();
    let ours = mta_sts::Policy::parse(&text).expect("valid policy");
    let theirs = mailrs_mta_sts::Policy::parse(&text).expect("valid policy");
    assert_eq!(ours.mx().len(), theirs.mx.len());
    assert_eq!(split_and_copy(&text).mx.len(), 2000);

    let mut group = c.benchmark_group("large_policy_parse");
    group.bench_function("mta_sts", |b| {
        b.iter(|| mta_sts::Policy::parse(black_box(&text)));
    });
    group.bench_function("mailrs", |b| {
        b.iter(|| mailrs_mta_sts::Policy::parse(black_box(&text)));
    });
    group.bench_function("split_and_copy", |b| {
        b.iter(|| split_and_copy(black_box(&text)));
    });
    group.finish();
}

fn txt_parse(c: &mut Criterion) {
    let ours = mta_sts::TxtRecord::parse(TXT).expect("valid record");
    let theirs = mailrs_mta_sts::StsRecord::parse(TXT).expect("valid record");
    assert_eq!(ours.id(), theirs.id.as_str());

    let mut group = c.benchmark_group("txt_parse");
    group.bench_function("mta_sts", |b| {
        b.iter(|| mta_sts::TxtRecord::parse(black_box(TXT)));
    });
    group.bench_function("mailrs", |b| {
        b.iter(|| mailrs_mta_sts::StsRecord::parse(black_box(TXT)));
    });
    group.finish();
}

criterion_group!(
    benches,
    wildcard_match,
    literal_match,
    policy_miss_4,
    policy_parse,
    large_policy_parse,
    txt_parse
);

/// `criterion_main!`, plus the paired ratio report when `PAIRED_RATIOS` is
/// set.
fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if std::env::var_os("PAIRED_RATIOS").is_some() {
        paired::report();
    }
}

/// Ratios from paired, interleaved timing.
///
/// Criterion times one function after the other; on a shared machine the
/// load (or a busy sibling hyperthread) can change between the two, which
/// moves a ratio by tens of percent from run to run. Here each round times a
/// batch of this crate's operation and then a batch of `mailrs`'s, so both
/// see the same conditions, and the report gives the median of the per-round
/// ratios with its 10th and 90th percentiles.
mod paired {
    use std::hint::black_box;
    use std::str::FromStr;
    use std::time::{Duration, Instant};

    use super::{POLICY, POLICY_4, TXT, large_policy, split_and_copy};

    /// Rounds per operation.
    const ROUNDS: usize = 201;
    /// Aimed-for length of one timed batch.
    const BATCH: Duration = Duration::from_micros(300);

    struct Case<'a> {
        name: &'static str,
        /// What `theirs` is: `mailrs`, or a bare baseline.
        baseline: &'static str,
        target: f64,
        ours: Box<dyn Fn() + 'a>,
        theirs: Box<dyn Fn() + 'a>,
    }

    /// Nanoseconds per call of `f`, over `n` calls.
    fn time(f: &dyn Fn(), n: u32) -> f64 {
        let start = Instant::now();
        for _ in 0..n {
            f();
        }
        start.elapsed().as_nanos() as f64 / f64::from(n)
    }

    /// How many calls of `f` fill about one [`BATCH`].
    fn batch_size(f: &dyn Fn()) -> u32 {
        let per_call = time(f, 1000).max(0.1);
        (BATCH.as_nanos() as f64 / per_call).clamp(1.0, 1e6) as u32
    }

    pub(super) fn report() {
        let wildcard = mta_sts::MxPattern::from_str("*.example.com").expect("valid pattern");
        let literal = mta_sts::MxPattern::from_str("mail.example.com").expect("valid pattern");
        let ours_4 = mta_sts::Policy::parse(POLICY_4).expect("valid policy");
        let large = large_policy();
        let large = large.as_str();
        let theirs_4 = mailrs_mta_sts::Policy::parse(POLICY_4).expect("valid policy");
        let cases = [
            Case {
                name: "wildcard_match",
                baseline: "mailrs",
                target: 10.0,
                ours: Box::new(|| {
                    black_box(black_box(&wildcard).matches(black_box("mx1.example.com")));
                }),
                theirs: Box::new(|| {
                    black_box(mailrs_mta_sts::mx_matches(
                        black_box("mx1.example.com"),
                        black_box("*.example.com"),
                    ));
                }),
            },
            Case {
                name: "literal_match",
                baseline: "mailrs",
                target: 5.0,
                ours: Box::new(|| {
                    black_box(black_box(&literal).matches(black_box("mail.example.com")));
                }),
                theirs: Box::new(|| {
                    black_box(mailrs_mta_sts::mx_matches(
                        black_box("mail.example.com"),
                        black_box("mail.example.com"),
                    ));
                }),
            },
            Case {
                name: "policy_miss_4",
                baseline: "mailrs",
                target: 5.0,
                ours: Box::new(|| {
                    black_box(black_box(&ours_4).matches(black_box("mx3.example.com")));
                }),
                theirs: Box::new(|| {
                    black_box(mailrs_mta_sts::enforce(
                        black_box(&theirs_4),
                        black_box("mx3.example.com"),
                    ));
                }),
            },
            Case {
                name: "policy_parse",
                baseline: "mailrs",
                target: 2.0,
                ours: Box::new(|| {
                    black_box(mta_sts::Policy::parse(black_box(POLICY)).is_ok());
                }),
                theirs: Box::new(|| {
                    black_box(mailrs_mta_sts::Policy::parse(black_box(POLICY)).is_ok());
                }),
            },
            Case {
                name: "large_policy_parse",
                baseline: "mailrs",
                target: 1.2,
                ours: Box::new(|| {
                    black_box(mta_sts::Policy::parse(black_box(large)).is_ok());
                }),
                theirs: Box::new(|| {
                    black_box(mailrs_mta_sts::Policy::parse(black_box(large)).is_ok());
                }),
            },
            Case {
                name: "vs_eq",
                baseline: "eq",
                // Within 1.5x of a bare compare.
                target: 1.0 / 1.5,
                ours: Box::new(|| {
                    black_box(black_box(&literal).matches(black_box("mail.example.com")));
                }),
                theirs: Box::new(|| {
                    black_box(
                        black_box("mail.example.com")
                            .eq_ignore_ascii_case(black_box("mail.example.com")),
                    );
                }),
            },
            Case {
                name: "vs_split",
                baseline: "split",
                // Within 1.3x of a parser that validates nothing.
                target: 1.0 / 1.3,
                ours: Box::new(|| {
                    black_box(mta_sts::Policy::parse(black_box(POLICY)).is_ok());
                }),
                theirs: Box::new(|| {
                    black_box(split_and_copy(black_box(POLICY)));
                }),
            },
            Case {
                name: "large_vs_split",
                baseline: "split",
                // Reported, no goal.
                target: 0.0,
                ours: Box::new(|| {
                    black_box(mta_sts::Policy::parse(black_box(large)).is_ok());
                }),
                theirs: Box::new(|| {
                    black_box(split_and_copy(black_box(large)));
                }),
            },
            Case {
                name: "txt_parse",
                baseline: "mailrs",
                target: 2.0,
                ours: Box::new(|| {
                    black_box(mta_sts::TxtRecord::parse(black_box(TXT)).is_ok());
                }),
                theirs: Box::new(|| {
                    black_box(mailrs_mta_sts::StsRecord::parse(black_box(TXT)).is_ok());
                }),
            },
        ];

        println!();
        println!("paired ratios (baseline time / mta-sts time, {ROUNDS} interleaved rounds)");
        println!(
            "{:<18} {:<8} {:>8} {:>8} {:>8} {:>7}",
            "operation", "baseline", "p10", "median", "p90", "target"
        );
        for case in &cases {
            let n_ours = batch_size(&*case.ours);
            let n_theirs = batch_size(&*case.theirs);
            let mut ratios: Vec<f64> = (0..ROUNDS)
                .map(|_| time(&*case.theirs, n_theirs) / time(&*case.ours, n_ours))
                .collect();
            ratios.sort_by(f64::total_cmp);
            let at = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
            let median = at(0.5);
            println!(
                "{:<18} {:<8} {:>7.2}x {:>7.2}x {:>7.2}x {:>6.2}x {}",
                case.name,
                case.baseline,
                at(0.1),
                median,
                at(0.9),
                case.target,
                if median >= case.target {
                    "ok"
                } else {
                    "MISSED"
                }
            );
        }
    }
}
