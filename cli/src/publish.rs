//! `mta-sts publish DOMAIN MX…`: what to publish for a domain. Given its
//! name and its MX hosts (as DNS returns them), prints the policy file and
//! the `_mta-sts` TXT record, checked with the lint API.
//!
//! A new TXT id is made from the current time, unless a previous policy is
//! given and nothing changed (then the previous id stays, so senders do not
//! refetch). Exit status: 0 when the lint finds no error, 1 when it does,
//! 2 for a usage or I/O error.

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use mta_sts::lint::{self, Context, Severity};
use mta_sts::sender::PolicyDomain;
use mta_sts::{Mode, ParseOptions, Policy, TxtRecord};

use crate::input::read_input;

/// The options of `mta-sts publish`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit status: 0 the lint finds no error in what is printed; 1 it does; \
                  2 usage or I/O error."
)]
pub(crate) struct Args {
    /// The domain the policy is for (any case, a trailing dot is fine)
    #[arg(value_name = "DOMAIN")]
    domain: String,
    /// The hosts the domain's MX records point to, as DNS gives them
    #[arg(value_name = "MX-HOST")]
    mx: Vec<String>,
    /// The policy mode: testing (senders report but still deliver; switch
    /// to enforce once TLS-RPT reports are clean), enforce or none
    #[arg(long, default_value = "testing", value_parser = parse_mode)]
    mode: Mode,
    /// The policy lifetime in seconds (two weeks by default)
    #[arg(long, value_name = "SECONDS", default_value_t = 1_209_600)]
    max_age: u64,
    /// The policy published so far: its TXT id (--previous-id) is kept when
    /// nothing changed, and replaced otherwise
    #[arg(long, value_name = "FILE", requires = "previous_id")]
    previous: Option<String>,
    /// The TXT id the previous policy was published under
    #[arg(long, value_name = "ID", requires = "previous")]
    previous_id: Option<String>,
    /// The time the new id is made from, in Unix seconds (default: the clock)
    #[arg(long, value_name = "UNIX-SECONDS")]
    now: Option<u64>,
}

fn parse_mode(mode: &str) -> Result<Mode, String> {
    mode.parse().map_err(|err: mta_sts::Error| err.to_string())
}

/// Prints what to publish: exit 0 when the lint finds no error, 1 when it
/// does; `Err` for an I/O error or what is not a domain or a host.
pub(crate) fn run(args: &Args) -> Result<ExitCode, String> {
    let previous = match (&args.previous, &args.previous_id) {
        (Some(file), Some(id)) => {
            let text = String::from_utf8(read_input(file)?)
                .map_err(|_| format!("the previous policy {file:?} is not UTF-8 text"))?;
            Some((text, id.clone()))
        }
        _ => None,
    };
    match publish(args, previous.as_ref()) {
        Ok(true) => Ok(ExitCode::SUCCESS),
        Ok(false) => Ok(ExitCode::from(1)),
        Err(error) => Err(error.to_string()),
    }
}

/// Prints what to publish; `Ok(false)` when the lint finds an error.
fn publish(args: &Args, previous: Option<&(String, String)>) -> Result<bool, mta_sts::Error> {
    let domain = PolicyDomain::new(&args.domain)?;
    let mut builder = Policy::builder(args.mode, args.max_age);
    for host in &args.mx {
        builder = builder.mx_lenient(host);
    }
    let policy = builder.build()?;

    // Keep the previous id when the policy did not change (RFC 8461 §3.1:
    // the id changes whenever the policy does, and only then is a refetch
    // needed).
    let unchanged = previous.and_then(|(text, id)| {
        let previous = Policy::parse_with(text, &ParseOptions::lenient()).ok()?;
        previous.diff(&policy).is_empty().then_some(id)
    });
    let record = match unchanged.map(|id| TxtRecord::new(id.as_str())) {
        Some(Ok(record)) => record,
        _ => TxtRecord::from_unix_time(args.now.unwrap_or_else(now)),
    };

    println!(
        "# {} (HTTPS, status 200, Content-Type: text/plain)",
        domain.policy_url()
    );
    print!("{policy}");
    println!("\n# DNS: {}. TXT", domain.txt_name());
    println!("\"{record}\"");

    let text = policy.to_string();
    let mut context = Context::new()
        .domain(domain.as_str())
        .dns_mx(args.mx.iter().cloned())
        .txt(record.to_string());
    if let Some((previous, id)) = previous {
        context = context.previous(previous.as_str(), id.as_str());
    }
    let report = lint::check(&text, &context);
    println!("\n# Checks");
    if report.lints().is_empty() {
        println!("no findings");
    }
    for lint in report.lints() {
        println!("{lint}");
    }
    Ok(report.count(Severity::Error) == 0)
}

/// The clock, for a fresh id.
fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}
