//! What to publish for a domain: given its name and its MX hosts (as DNS
//! returns them), print the policy file and the `_mta-sts` TXT record,
//! checked with the lint API.
//!
//! ```text
//! cargo run --example publish -- example.com mx1.example.com. mx2.example.com.
//! cargo run --example publish -- example.com mx1.example.com --mode enforce \
//!     --previous old-mta-sts.txt --previous-id 20240101T000000
//! ```
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

const USAGE: &str = "\
usage: publish DOMAIN MX-HOST... [--mode testing|enforce|none] [--max-age SECONDS]
               [--previous FILE --previous-id ID] [--now UNIX-SECONDS]

Prints the MTA-STS policy file and the _mta-sts TXT record to publish for
DOMAIN whose MX records point to the MX-HOSTs (names as DNS gives them:
any case, trailing dots fine), then checks them.

  --mode         the policy mode (default testing: senders report but still
                 deliver; switch to enforce once TLS-RPT reports are clean)
  --max-age      the policy lifetime in seconds (default 1209600, two weeks)
  --previous     the policy published so far, and --previous-id its TXT id:
                 the id is kept when nothing changed, and replaced otherwise
  --now          the time the new id is made from (default: the clock)";

/// What the command line asks for.
enum Command {
    /// Print the policy and record for these arguments.
    Publish(Args),
    /// Print the usage and exit 0.
    Help,
}

/// The command line, read.
struct Args {
    domain: String,
    mx: Vec<String>,
    mode: Mode,
    max_age: u64,
    previous: Option<(String, String)>,
    now: Option<u64>,
}

fn parse_args() -> Result<Command, String> {
    let mut positional = Vec::new();
    let mut mode = Mode::Testing;
    let mut max_age = 1_209_600;
    let mut previous_file = None;
    let mut previous_id = None;
    let mut now = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--mode" => {
                mode = value("--mode")?
                    .parse()
                    .map_err(|e| format!("--mode: {e}"))?;
            }
            "--max-age" => {
                max_age = value("--max-age")?
                    .parse()
                    .map_err(|e| format!("--max-age: {e}"))?;
            }
            "--previous" => previous_file = Some(value("--previous")?),
            "--previous-id" => previous_id = Some(value("--previous-id")?),
            "--now" => now = Some(value("--now")?.parse().map_err(|e| format!("--now: {e}"))?),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            _ => positional.push(arg),
        }
    }
    let previous = match (previous_file, previous_id) {
        (Some(file), Some(id)) => {
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("reading {file}: {e}"))?;
            Some((text, id))
        }
        (None, None) => None,
        _ => return Err("--previous and --previous-id go together".to_owned()),
    };
    let mut positional = positional.into_iter();
    let domain = positional.next().ok_or("give the domain")?;
    Ok(Command::Publish(Args {
        domain,
        mx: positional.collect(),
        mode,
        max_age,
        previous,
        now,
    }))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Command::Publish(args)) => args,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("publish: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match publish(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("publish: {error}");
            ExitCode::from(2)
        }
    }
}

/// Prints what to publish; `Ok(false)` when the lint finds an error.
fn publish(args: &Args) -> Result<bool, mta_sts::Error> {
    let domain = PolicyDomain::new(&args.domain)?;
    let mut builder = Policy::builder(args.mode, args.max_age);
    for host in &args.mx {
        builder = builder.mx_lenient(host);
    }
    let policy = builder.build()?;

    // Keep the previous id when the policy did not change (RFC 8461 §3.1:
    // the id changes whenever the policy does, and only then is a refetch
    // needed).
    let unchanged = args.previous.as_ref().and_then(|(text, id)| {
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
    if let Some((previous, id)) = &args.previous {
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
