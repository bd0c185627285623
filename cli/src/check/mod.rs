//! `mta-sts check DOMAIN…` and `mta-sts check --from FILE`: audits live
//! domains. For each domain, `mta_sts_net::gather` asks DNS, fetches the
//! policy and probes each MX host's STARTTLS; `mta_sts::audit::audit`
//! judges what it found; the report is written as `mta-sts lint` writes
//! one (a plain-words first line, one headline per finding with its fix),
//! or as JSON Lines.
//!
//! The inputs ([`list`]): the DOMAIN arguments, then the lines of each
//! `--from` list (blank lines and `#` comments skipped), read as needed.
//! Up to `--jobs` checks run at once ([`run`]); the results come out in
//! input order ([`domain`], [`output`]), then a summary ([`summary`]):
//! always in JSON (`{"summary": {…}}` on the last line), for a person when
//! there was more than one input. A progress bar ([`progress`]) shows on
//! standard error when it is a terminal.
//!
//! A domain could not be checked when the audit could not see it: the
//! domain does not exist (`domain-not-found`), or its `_mta-sts` TXT or MX
//! query got no answer (`dns-failed` with error severity: no network, a
//! DNS server that fails or times out). An input that is not a domain
//! name is not checked, and a `--from` list that cannot be read gives no
//! domains. Each of these gets one line on standard error naming it
//! (`FILE:LINE` for a list line) and the reason, and no report (in JSON,
//! its object says why in `could_not_check`). A failed `_smtp._tls` query
//! is a warning in the report: TLS-RPT never blocks mail.
//!
//! Exit status: 0 every input checked and nothing is an error; 1 a
//! finding is an error, or some (not all) inputs could not be checked; 2
//! no domain could be checked, or a usage or I/O error; 130 Ctrl-C
//! stopped the run (no new check starts, running ones are abandoned; what
//! finished is written, then the summary and a line saying so).

mod domain;
mod list;
mod output;
mod progress;
mod run;
mod summary;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use mta_sts_net::Config;

use crate::lint::{colour, width};
use crate::net_args::NetArgs;
use domain::Style;
use list::Inputs;
use output::Output;
use progress::Progress;
use run::{Ended, check_all};

/// The default of `--jobs`: checks wait on the network, not the CPU.
const DEFAULT_JOBS: u16 = 16;

/// The most `--jobs` allows: each running check holds a few sockets open
/// (DNS, the policy host, each MX host), within the usual limit of 1024
/// open files.
const MAX_JOBS: u16 = 100;

/// What `--help` says after the options.
const AFTER_HELP: &str = "\
Each domain is checked as a sender sees it: its _mta-sts TXT record, the
policy at https://mta-sts.DOMAIN/.well-known/mta-sts.txt (redirects never
followed, at most 64 KiB), its MX hosts (or the domain itself when it has
none), a STARTTLS probe of each MX host with its certificate checked
against the policy, what enforce mode does with them, and its _smtp._tls
(TLS-RPT) record. The budgets: 5 s per DNS query, 60 s for the policy
fetch, 30 s per MX probe, unless --timeout sets them all.

Domains come from the arguments, then from each --from list: one domain
a line; blank lines and # comments (whole lines, or after the domain)
are skipped. Up to --jobs checks run at once (default 16: they wait on
the network, not on the CPU). Reports come out in input order: while one
domain is slow, at most 16 x --jobs inputs after it are checked ahead.
After more than one input, a summary: how many are fine, have errors,
have warnings only, could not be checked, are not domain names, and the
most common findings. A progress bar shows on standard error when it is
a terminal.

A domain that does not exist, or whose DNS queries get no answer, cannot
be checked; a list line that is not a domain name is not checked: one
line on standard error names it (FILE:LINE for a list line) and says why.

With --json: one object a line per input (\"domain\"; \"file\" and
\"line\" for a list line; \"outcome\": ok, errors, warnings,
could-not-check, not-a-domain or unreadable; \"could_not_check\"; the
report), then always {\"summary\": {...}} with the counts and
\"top_findings\" (the codes found on the most domains).

Ctrl-C stops the run: no new check starts, running checks are abandoned,
what finished is written with the summary, and a line on standard error
says it was interrupted (exit status 130).

Exit status: 0 every input checked and nothing is an error; 1 a finding
is an error, or some inputs could not be checked; 2 no domain could be
checked, or a usage or I/O error; 130 interrupted by Ctrl-C.

Examples: mta-sts check example.com
          mta-sts check --from domains.txt --json > results.jsonl";

/// The options of `mta-sts check`.
#[derive(clap::Args, Debug)]
#[command(after_help = AFTER_HELP)]
pub(crate) struct Args {
    /// The domains to check (the part after @ in an address)
    #[arg(value_name = "DOMAIN", required_unless_present = "from")]
    domains: Vec<String>,
    /// Also check the domains listed in FILE, one a line (- reads standard
    /// input); may be given more than once
    #[arg(long, value_name = "FILE")]
    from: Vec<String>,
    /// How many checks run at once (1 to 100)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_JOBS,
          value_parser = clap::value_parser!(u16).range(1..=i64::from(MAX_JOBS)))]
    jobs: u16,
    /// Explain every finding (why it matters, the RFC behind it); done
    /// anyway when there are at most 3 findings
    #[arg(long)]
    explain: bool,
    /// Write one JSON object per input, one a line: the lint's JSON
    /// report, with the domain, its list line, the outcome and why it could
    /// not be checked; then a summary object
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    net: NetArgs,
    /// The SMTP port of the MX hosts (for test servers)
    #[arg(long, value_name = "PORT", default_value_t = 25)]
    smtp_port: u16,
}

/// The network configuration from the options: `--timeout` is also each
/// MX probe's budget.
fn config(args: &Args) -> Result<Config, String> {
    let mut config = args.net.config()?;
    config.smtp_port = args.smtp_port;
    if let Some(timeout) = args.net.timeout() {
        config.probe_timeout = timeout;
    }
    Ok(config)
}

/// Checks every input; `Err` is the message for a usage or I/O error
/// (exit 2).
pub(crate) fn run(args: &Args) -> Result<ExitCode, String> {
    let config = Arc::new(config(args)?);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| format!("cannot start the I/O runtime: {err}"))?;

    let terminal = std::io::stdout().is_terminal();
    let style = Style {
        json: args.json,
        explain: args.explain,
        colour: colour(terminal),
        width: width(terminal),
    };
    let progress = Progress::new(|| list::count(&args.domains, &args.from));
    let mut output = Output::new(style, progress);
    let inputs = Inputs::new(args.domains.clone(), args.from.clone());
    let jobs = usize::from(args.jobs);
    let ended = runtime.block_on(check_all(inputs, jobs, config, |checked| {
        output.write(&checked)
    }));
    // Abandoned checks are not waited for.
    runtime.shutdown_background();
    match ended {
        Ok(Ended::Done) => {}
        Ok(Ended::Interrupted { abandoned }) => output.interrupt(abandoned),
        // A closed pipe (`| head`): nobody reads the rest.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => return Ok(output.exit_code()),
        Err(err) => return Err(format!("cannot write the report: {err}")),
    }
    match output.finish() {
        Ok(code) => Ok(code),
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(output.exit_code()),
        Err(err) => Err(format!("cannot write the summary: {err}")),
    }
}
