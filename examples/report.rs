//! Reading a TLS-RPT aggregate report (RFC 8460 §4): leniently, with the
//! deviations listed, then the sessions and failures per policy.
//!
//! ```text
//! cargo run --features serde --example report [REPORT.json]
//! ```
//!
//! With no file it reads `examples/reports/company-x.json` (RFC 8460
//! Appendix B). The `mta-sts report` command (`cargo run -p mta-sts-cli --
//! report FILE…`) reads gzipped reports and whole e-mails too, and sums up
//! many reports per policy domain.

use mta_sts::ParseOptions;
use mta_sts::tlsrpt::Report;

const BUNDLED: &[u8] = include_bytes!("reports/company-x.json");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bytes = match std::env::args().nth(1) {
        Some(path) => std::fs::read(path)?,
        None => BUNDLED.to_vec(),
    };
    // Lenient reading accepts what real senders write; strict reading
    // (`ParseOptions::strict()`) refuses the first deviation instead.
    let read = Report::from_json(&bytes, &ParseOptions::lenient())?;
    for deviation in read.deviations() {
        println!("deviation: {deviation}");
    }
    let report = read.report();
    println!(
        "{} ({}), {} to {}",
        report.organization_name(),
        report.report_id(),
        report.date_range().start(),
        report.date_range().end()
    );
    for entry in report.policies() {
        println!(
            "{} {}: {} successful, {} failed sessions",
            entry.policy_type(),
            entry.policy_domain().unwrap_or("(no domain)"),
            entry.successful_session_count(),
            entry.failure_session_count()
        );
        for detail in entry.failure_details() {
            println!(
                "  {} × {} at {}",
                detail.failed_session_count(),
                detail.result_type(),
                detail
                    .receiving_mx_hostname()
                    .unwrap_or("(no MX host given)")
            );
        }
    }
    Ok(())
}
