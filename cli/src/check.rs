//! `mta-sts check DOMAIN…`: audits live domains. For each domain,
//! `mta_sts_net::gather` asks DNS, fetches the policy and probes each MX
//! host's STARTTLS; `mta_sts::audit::audit` judges what it found; the
//! report is written as `mta-sts lint` writes one (a plain-words first
//! line, one headline per finding with its fix), or as JSON Lines.
//!
//! A domain could not be checked when it is not a domain name, or when
//! the audit could not see it: the domain does not exist (`domain-not-found`), or its `_mta-sts` TXT or MX
//! query got no answer (`dns-failed` with error severity: no network, a
//! DNS server that fails or times out). That domain gets one line on
//! standard error naming it and the reason, and no report (in JSON, its
//! object says why in `could_not_check`). A failed `_smtp._tls` query is
//! a warning in the report: TLS-RPT never blocks mail.
//!
//! Exit status: 0 every domain checked and nothing is an error; 1 a
//! finding is an error, or some (not all) domains could not be checked;
//! 2 no domain could be checked, or a usage or I/O error.

use std::io::{IsTerminal, Write};
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use mta_sts::Policy;
use mta_sts::audit::{DnsAnswer, Evidence, audit};
use mta_sts::lint::{Lint, Report, Severity};
use mta_sts::sender::PolicyDomain;
use mta_sts_net::{Config, gather};

use crate::input::read_input;
use crate::lint::{
    EXPLAIN_UP_TO, Fixes, JsonExtra, Outcome, colour, describe, width, write_human, write_json,
};

/// What `--help` says after the options.
const AFTER_HELP: &str = "\
Each domain is checked as a sender sees it: its _mta-sts TXT record, the
policy at https://mta-sts.DOMAIN/.well-known/mta-sts.txt (redirects never
followed, at most 64 KiB), its MX hosts (or the domain itself when it has
none), a STARTTLS probe of each MX host with its certificate checked
against the policy, what enforce mode does with them, and its _smtp._tls
(TLS-RPT) record. The budgets: 5 s per DNS query, 60 s for the policy
fetch, 30 s per MX probe, unless --timeout sets them all.

A domain that does not exist, or whose DNS queries get no answer, cannot
be checked: one line on standard error names it and says why.

Exit status: 0 every domain checked and nothing is an error; 1 a finding
is an error, or some domains could not be checked; 2 no domain could be
checked, or a usage or I/O error.

Example: mta-sts check example.com";

/// The options of `mta-sts check`.
#[derive(clap::Args, Debug)]
#[command(after_help = AFTER_HELP)]
pub(crate) struct Args {
    /// The domains to check (the part after @ in an address)
    #[arg(value_name = "DOMAIN", required = true)]
    domains: Vec<String>,
    /// Explain every finding (why it matters, the RFC behind it); done
    /// anyway when there are at most 3 findings
    #[arg(long)]
    explain: bool,
    /// Write one JSON object per domain, one a line: the lint's JSON
    /// report, with the domain and why it could not be checked
    #[arg(long)]
    json: bool,
    /// The DNS server to ask (default: the system's, from
    /// /etc/resolv.conf); port 53 unless given
    #[arg(long, value_name = "ADDR[:PORT]", value_parser = parse_resolver)]
    resolver: Option<SocketAddr>,
    /// The budget of each DNS query, of the policy fetch and of each MX
    /// probe, in seconds (fractions allowed)
    #[arg(long, value_name = "SECS", value_parser = parse_timeout)]
    timeout: Option<Duration>,
    /// A PEM file of CA certificates to trust instead of the public roots
    /// (a private CA)
    #[arg(long, value_name = "FILE")]
    ca: Option<String>,
    /// The SMTP port of the MX hosts (for test servers)
    #[arg(long, value_name = "PORT", default_value_t = 25)]
    smtp_port: u16,
    /// The HTTPS port of the policy host (for test servers)
    #[arg(long, value_name = "PORT", default_value_t = 443)]
    https_port: u16,
}

/// `ADDR` or `ADDR:PORT` (`[V6]:PORT` for IPv6 with a port).
fn parse_resolver(text: &str) -> Result<SocketAddr, String> {
    if let Ok(address) = text.parse::<SocketAddr>() {
        return Ok(address);
    }
    let bare = text.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<IpAddr>()
        .map(|ip| SocketAddr::new(ip, 53))
        .map_err(|_| format!("{text:?} is not an IP address, with or without a port"))
}

/// A positive number of seconds, at most a day.
fn parse_timeout(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(seconds > 0.0 && seconds <= 86_400.0) {
        return Err(format!(
            "{text:?}: give more than 0 and at most 86400 seconds"
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// The network configuration from the options.
fn config(args: &Args) -> Result<Config, String> {
    let mut config = Config::default();
    config.nameserver = args.resolver;
    config.smtp_port = args.smtp_port;
    config.https_port = args.https_port;
    if let Some(timeout) = args.timeout {
        config.dns_timeout = timeout;
        config.fetch_timeout = timeout;
        config.probe_timeout = timeout;
    }
    if let Some(file) = &args.ca {
        let pem = read_input(file)?;
        config.roots = Config::roots_from_pem(&pem).map_err(|err| format!("--ca {file}: {err}"))?;
    }
    Ok(config)
}

/// Checks each domain in turn; `Err` is the message for a usage or I/O
/// error (exit 2).
pub(crate) fn run(args: &Args) -> Result<ExitCode, String> {
    let config = config(args)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| format!("cannot start the I/O runtime: {err}"))?;

    let out = std::io::stdout();
    let terminal = out.is_terminal();
    let (colour, width) = (colour(terminal), width(terminal));
    let (mut checked, mut failed) = (0, false);
    for domain in &args.domains {
        let evidence = runtime.block_on(gather(domain, &config));
        let outcome = outcome(&evidence, audit(&evidence));
        let reason = not_a_domain(domain).or_else(|| could_not_check(outcome.lints()));
        if let Some(reason) = &reason {
            eprintln!("mta-sts check: {domain}: could not check: {reason}");
        } else {
            checked += 1;
            failed |= outcome.failed();
        }
        let mut out = out.lock();
        let written = if args.json {
            let extra = JsonExtra {
                domain,
                could_not_check: reason.as_deref(),
            };
            write_json(&mut out, &outcome, Some(extra))
        } else if reason.is_none() {
            let explain = args.explain || outcome.lints().len() <= EXPLAIN_UP_TO;
            let txt = sts_record(&evidence);
            let fixes = Fixes::new(outcome.text.as_deref(), txt.as_deref());
            // A blank line between the reports of several domains.
            let blank = if checked > 1 { "\n" } else { "" };
            write!(out, "{blank}").and_then(|()| {
                write_human(
                    &mut out,
                    &verdict(&outcome),
                    &outcome,
                    &fixes,
                    width,
                    explain,
                    colour,
                )
            })
        } else {
            Ok(())
        };
        match written.and_then(|()| out.flush()) {
            Ok(()) => {}
            // A closed pipe (`| head`): nobody reads the rest.
            Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => break,
            Err(err) => return Err(format!("cannot write the report: {err}")),
        }
    }
    Ok(if checked == 0 {
        ExitCode::from(2)
    } else if failed || checked < args.domains.len() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The audit report as the lint output takes it: the fetched policy text
/// (when it is UTF-8) and its strict parse; no text when no policy came.
fn outcome(evidence: &Evidence, report: Report) -> Outcome {
    let text = match evidence.fetch.as_ref().map(|fetch| &fetch.result) {
        Some(Ok(exchange)) if report.policy().is_some() => {
            String::from_utf8(exchange.body.clone()).ok()
        }
        _ => None,
    };
    Outcome {
        name: evidence.domain.clone(),
        strict: text.as_deref().map(Policy::parse),
        text,
        report: Some(report),
    }
}

/// The `_mta-sts` TXT record senders read (the one record that starts
/// with `v=STSv1`), for the fixes of `txt-…` findings.
fn sts_record(evidence: &Evidence) -> Option<String> {
    let DnsAnswer::Records(records) = &evidence.sts_txt else {
        return None;
    };
    let mut sts = records.iter().map(|strings| {
        let bytes: Vec<u8> = strings.iter().flat_map(|s| s.iter().copied()).collect();
        String::from_utf8(bytes).ok()
    });
    let sts = sts.find(|text| text.as_deref().is_some_and(|t| t.starts_with("v=STSv1")));
    sts.flatten()
}

/// Why `domain` cannot be a policy domain, if it cannot (then nothing was
/// asked on the network).
fn not_a_domain(domain: &str) -> Option<String> {
    PolicyDomain::new(domain)
        .err()
        .map(|err| format!("not a domain name: {err}"))
}

/// Why the audit could not see the domain: it does not exist, or its
/// `_mta-sts` TXT or MX query got no answer (the messages name the query
/// and the reason, and the code follows).
fn could_not_check(lints: &[Lint]) -> Option<String> {
    lints
        .iter()
        .find(|lint| {
            lint.code() == "domain-not-found"
                || (lint.code() == "dns-failed" && lint.severity() == Severity::Error)
        })
        .map(|lint| format!("{} [{}]", lint.message(), lint.code()))
}

/// The first line, in plain words: what senders that honour MTA-STS do
/// with the domain.
fn verdict(outcome: &Outcome) -> String {
    let name = &outcome.name;
    let errors = outcome.count(Severity::Error);
    let policy = outcome.report.as_ref().and_then(Report::policy);
    match policy {
        Some(policy) if errors == 0 => format!(
            "{name}: MTA-STS is in place: senders apply {}.",
            describe(policy)
        ),
        Some(policy) => format!(
            "{name}: senders that get the policy apply {}, but {errors} finding{} {} errors.",
            describe(policy),
            if errors == 1 { "" } else { "s" },
            if errors == 1 { "is" } else { "are" },
        ),
        None if errors == 0 => format!("{name}: no MTA-STS policy: senders deliver without it."),
        None => format!(
            "{name}: senders get no MTA-STS policy, so it has no effect; {errors} finding{} {} errors.",
            if errors == 1 { "" } else { "s" },
            if errors == 1 { "is" } else { "are" },
        ),
    }
}
