//! Reads a TLS-RPT aggregate report (RFC 8460 §4) and says what a mail
//! administrator should look at: which MX hosts failed, why, how often,
//! per policy.
//!
//! ```text
//! cargo run --features serde --example report -- [FILE | -] [--strict]
//! ```
//!
//! With no FILE it reads a bundled report (`examples/reports/company-x.json`,
//! the example of RFC 8460 Appendix B). `-` reads standard input. Reports
//! arrive gzipped (`.json.gz`): `gunzip` them first. Reading is lenient
//! unless `--strict` is given; every tolerance applied is listed.
//!
//! Exit status: 0 when the report shows no failed session, 1 when it shows
//! some, 2 for usage, I/O and read errors.

use std::collections::BTreeMap;
use std::io::Read;
use std::process::ExitCode;

use mta_sts::ParseOptions;
use mta_sts::sender::ResultType;
use mta_sts::tlsrpt::{FailureDetail, PolicyReport, PolicyType, Report};

const BUNDLED_PATH: &str = "examples/reports/company-x.json";
const BUNDLED_REPORT: &[u8] = include_bytes!("reports/company-x.json");

const USAGE: &str = "usage: report [FILE | -] [--strict]";

fn main() -> ExitCode {
    let mut file = None;
    let mut options = ParseOptions::lenient();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--strict" => options = ParseOptions::strict(),
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if file.is_none() && (arg == "-" || !arg.starts_with('-')) => file = Some(arg),
            _ => {
                eprintln!("unexpected argument {arg:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let (name, bytes) = match file.as_deref() {
        None => (BUNDLED_PATH.to_owned(), BUNDLED_REPORT.to_vec()),
        Some("-") => {
            let mut bytes = Vec::new();
            if let Err(err) = std::io::stdin().read_to_end(&mut bytes) {
                eprintln!("reading standard input: {err}");
                return ExitCode::from(2);
            }
            ("standard input".to_owned(), bytes)
        }
        Some(path) => match std::fs::read(path) {
            Ok(bytes) => (path.to_owned(), bytes),
            Err(err) => {
                eprintln!("reading {path}: {err}");
                return ExitCode::from(2);
            }
        },
    };
    if bytes.starts_with(&[0x1f, 0x8b]) {
        eprintln!("{name} is gzipped: gunzip it first");
        return ExitCode::from(2);
    }
    let read = match Report::from_json(&bytes, &options) {
        Ok(read) => read,
        Err(err) => {
            eprintln!("{name}: {err} [{}]", err.code());
            return ExitCode::from(2);
        }
    };
    let report = read.report();
    print_header(&name, report);
    if !read.deviations().is_empty() {
        println!("\nThe sender deviated from RFC 8460 (read anyway):");
        for deviation in read.deviations() {
            println!("  {deviation}");
        }
    }
    let mut failed = 0;
    for entry in report.policies() {
        failed = entry.failure_session_count().saturating_add(failed);
        print_policy(entry);
    }
    if failed == 0 {
        println!("\nNo failed sessions: TLS to your MX hosts worked for this sender.");
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print_header(name: &str, report: &Report) {
    println!("TLS-RPT report {name}");
    println!(
        "  from       {} <{}>",
        report.organization_name(),
        report.contact_info().unwrap_or("no contact given")
    );
    println!("  report id  {}", report.report_id());
    println!(
        "  covering   {} to {}",
        report.date_range().start(),
        report.date_range().end()
    );
}

fn print_policy(entry: &PolicyReport) {
    let domain = entry.policy_domain().unwrap_or("(no domain given)");
    println!();
    match entry.policy_type() {
        PolicyType::Sts => println!("MTA-STS policy of {domain}"),
        PolicyType::Tlsa => println!("DANE TLSA records of {domain}"),
        PolicyType::NoPolicyFound => {
            println!("{domain}: the sender found no MTA-STS or DANE policy");
        }
        other => println!("{domain}: policy type \"{other}\""),
    }
    if !entry.mx_hosts().is_empty() {
        println!("  mx patterns  {}", entry.mx_hosts().join(", "));
    }
    let (ok, failed) = (
        entry.successful_session_count(),
        entry.failure_session_count(),
    );
    let total = ok.saturating_add(failed);
    let share = if total == 0 {
        0.0
    } else {
        failed as f64 * 100.0 / total as f64
    };
    println!("  sessions     {total}: {ok} successful, {failed} failed ({share:.1} %)");
    if entry.failure_details().is_empty() {
        return;
    }
    // Failures per receiving MX host, the host with most failures first.
    let mut hosts: BTreeMap<&str, Vec<&FailureDetail>> = BTreeMap::new();
    for detail in entry.failure_details() {
        let host = detail
            .receiving_mx_hostname()
            .unwrap_or("(no MX host given)");
        hosts.entry(host).or_default().push(detail);
    }
    let mut hosts: Vec<_> = hosts.into_iter().collect();
    let sum = |details: &[&FailureDetail]| -> u64 {
        details.iter().fold(0, |sum: u64, d| {
            sum.saturating_add(d.failed_session_count())
        })
    };
    hosts.sort_by(|a, b| sum(&b.1).cmp(&sum(&a.1)).then(a.0.cmp(b.0)));
    println!("  failures by MX host:");
    for (host, details) in hosts {
        println!("    {host}: {} failed sessions", sum(&details));
        for detail in details {
            let mut line = format!(
                "      {:>6} × {}",
                detail.failed_session_count(),
                detail.result_type()
            );
            if let Some(ip) = detail.receiving_ip() {
                line += &format!(" at {ip}");
            }
            if let Some(ip) = detail.sending_mta_ip() {
                line += &format!(" from {ip}");
            }
            println!("{line}");
            if let Some(code) = detail.failure_reason_code() {
                println!("               reason: {code}");
            }
            if let Some(uri) = detail.additional_information() {
                println!("               more:   {uri}");
            }
            println!("               fix:    {}", advice(detail, entry));
        }
    }
}

/// What to check for a result type (RFC 8460 §4.3).
fn advice(detail: &FailureDetail, entry: &PolicyReport) -> String {
    let domain = entry.policy_domain().unwrap_or("<domain>");
    match detail.result_type().known() {
        Some(ResultType::StartTlsNotSupported) => {
            "the host did not offer STARTTLS: enable TLS on it".into()
        }
        Some(ResultType::CertificateHostMismatch) => {
            "the certificate does not name this host: add the host name to its SANs".into()
        }
        Some(ResultType::CertificateExpired) => "the certificate has expired: renew it".into(),
        Some(ResultType::CertificateNotTrusted) => {
            "the certificate does not chain to a public CA: serve the full chain of a trusted CA"
                .into()
        }
        Some(ResultType::ValidationFailure) => {
            "validation failed: see the reason; a host no `mx:` line covers is reported so".into()
        }
        Some(ResultType::StsPolicyFetchError) => format!(
            "the policy could not be fetched: check https://mta-sts.{domain}/.well-known/mta-sts.txt"
        ),
        Some(ResultType::StsPolicyInvalid) => {
            "the policy file does not parse: run `cargo run --example lint` on it".into()
        }
        Some(ResultType::StsWebpkiInvalid) => {
            format!("the certificate of mta-sts.{domain} is not valid for that name")
        }
        Some(ResultType::TlsaInvalid | ResultType::DnssecInvalid | ResultType::DaneRequired) => {
            "check the DANE TLSA records and the DNSSEC chain of this host".into()
        }
        _ => "a result type this program does not know: see the sender's documentation".into(),
    }
}
