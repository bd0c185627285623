//! `mta-sts lint FILE|-`: lints an MTA-STS policy, says whether senders
//! accept it, lists every finding with the exact fix, and explains on
//! request.
//!
//! The first line says whether strict senders (RFC 8461 as written) accept
//! the policy and what lenient senders apply. Then one headline per finding
//! (`severity[code] line L:C: message`), wrapped to the terminal width
//! (`COLUMNS`, else the terminal's, else 80), with the lines to write under
//! the finding they fix. Explanations come with `--explain`, or on their own
//! when there are at most three findings.
//!
//! Exit status: 1 when strict senders refuse the policy or any finding has
//! error severity, 0 otherwise, 2 for usage and I/O errors. Colour only when
//! standard output is a terminal and `NO_COLOR` is unset.
//!
//! This file holds the options and makes the verdict; `fix.rs` works out
//! each finding's fix, `output.rs` writes the report as text or JSON
//! (`mta-sts check` writes its audit reports with them too).

mod fix;
mod output;

use std::io::IsTerminal;
use std::process::ExitCode;

use mta_sts::lint::{self, Context, Lint, Report, Severity};
use mta_sts::{Error, MxPattern, ParseOptions, Policy};

use crate::input::read_input;
pub(crate) use fix::Fixes;
use fix::summarised;
pub(crate) use output::{JsonExtra, write_human, write_json};

/// The explanation for a file that is not UTF-8 (the message says which
/// byte, or that the file is UTF-16).
const NOT_UTF8: &str = "RFC 8461 §3.2 policies are UTF-8 text (plain ASCII in \
practice); senders refuse a file in another encoding. Save the file as UTF-8 \
without a byte order mark.";

/// Explanations are shown unasked when a report has at most this many findings.
pub(crate) const EXPLAIN_UP_TO: usize = 3;

/// The verdict names at most this many `mx` patterns.
const VERDICT_MX: usize = 4;

/// What `--help` says after the options.
const AFTER_HELP: &str = "\
Output is wrapped to COLUMNS, or to the terminal's width (80 when not a
terminal). Colour only on a terminal, and not when NO_COLOR is set.

Exit status: 0 strict senders accept the policy and nothing is an error;
1 strict senders refuse it or a finding is an error; 2 usage or I/O error.";

/// The options of `mta-sts lint`.
#[derive(clap::Args, Debug)]
#[command(after_help = AFTER_HELP)]
pub(crate) struct Args {
    /// The policy file (mta-sts.txt) to lint; - reads standard input
    #[arg(value_name = "FILE")]
    file: String,
    /// Explain every finding (why it matters, the RFC behind it); done
    /// anyway when there are at most 3 findings
    #[arg(long)]
    explain: bool,
    /// Print the report and a summary as JSON
    #[arg(long)]
    json: bool,
    /// The policy domain (checks wildcards over the own zone)
    #[arg(long, value_name = "DOMAIN")]
    domain: Option<String>,
    /// A host the domain's MX records point to; repeat for each
    #[arg(long, value_name = "HOST", conflicts_with = "no_mx")]
    mx: Vec<String>,
    /// The domain has no MX records at all
    #[arg(long)]
    no_mx: bool,
    /// The _mta-sts TXT record text, checked as well
    #[arg(long, value_name = "RECORD")]
    txt: Option<String>,
    /// A _smtp._tls TXT record (TLS-RPT); repeat for each
    #[arg(long, value_name = "RECORD", conflicts_with = "no_tls_rpt")]
    tls_rpt: Vec<String>,
    /// The domain has no _smtp._tls TXT records
    #[arg(long)]
    no_tls_rpt: bool,
    /// The policy published before this one (needs --previous-id and --txt)
    #[arg(long, value_name = "FILE", requires_all = ["previous_id", "txt"])]
    previous: Option<String>,
    /// The TXT id the previous policy was published under
    #[arg(long, value_name = "ID", requires = "previous")]
    previous_id: Option<String>,
}

/// What was linted (or audited), and what came of it.
pub(crate) struct Outcome {
    /// The file's name (the domain's, for an audit).
    pub(crate) name: String,
    /// The policy text; `None` when the bytes are not UTF-8 (or no policy
    /// was fetched).
    pub(crate) text: Option<String>,
    /// `Policy::parse` (strict) on the bytes; `None` when there are none
    /// (an audit that fetched no policy).
    pub(crate) strict: Option<Result<Policy, Error>>,
    /// The lint report; `None` when the bytes are not UTF-8 (then `strict`
    /// holds the one error).
    pub(crate) report: Option<Report>,
}

impl Outcome {
    pub(crate) fn lints(&self) -> &[Lint] {
        self.report.as_ref().map_or(&[], Report::lints)
    }

    /// The number of findings of `severity`, counting those a summary lint
    /// ("… and 29900 more lines like this") stands for.
    pub(crate) fn count(&self, severity: Severity) -> usize {
        match &self.report {
            Some(report) => report
                .lints()
                .iter()
                .filter(|lint| lint.severity() == severity)
                .map(|lint| summarised(lint).unwrap_or(1))
                .sum(),
            // The encoding error is the one finding.
            None => usize::from(severity == Severity::Error),
        }
    }

    /// Exit status 1: strict senders refuse the policy, or an error lint.
    pub(crate) fn failed(&self) -> bool {
        self.strict.as_ref().is_some_and(Result::is_err) || self.count(Severity::Error) > 0
    }
}

/// Lints `args.file`; `Err` is the message for an I/O error (exit 2).
pub(crate) fn run(args: &Args) -> Result<ExitCode, String> {
    let context = context(args)?;
    let name = if args.file == "-" {
        "<stdin>"
    } else {
        &args.file
    };
    let bytes = read_input(&args.file)?;
    let outcome = match String::from_utf8(bytes) {
        Ok(text) => Outcome {
            name: name.to_owned(),
            strict: Some(Policy::parse(&text)),
            report: Some(lint::check(&text, &context)),
            text: Some(text),
        },
        Err(err) => Outcome {
            name: name.to_owned(),
            text: None,
            // Not text: report it the way a sender sees it (an error naming
            // the line, or the UTF-16 hint).
            strict: Some(Policy::parse_bytes(err.as_bytes(), &ParseOptions::strict())),
            report: None,
        },
    };

    let out = std::io::stdout();
    let terminal = out.is_terminal();
    let colour = colour(terminal);
    let mut out = out.lock();
    let written = if args.json {
        write_json(&mut out, &outcome, None)
    } else {
        let width = width(terminal);
        let explain = args.explain || outcome.lints().len() <= EXPLAIN_UP_TO;
        let fixes = Fixes::new(outcome.text.as_deref(), args.txt.as_deref());
        write_human(
            &mut out,
            &verdict(&outcome),
            &outcome,
            &fixes,
            width,
            explain,
            colour,
        )
    };
    match written {
        Ok(()) => {}
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(err) => return Err(format!("cannot write the report: {err}")),
    }
    Ok(if outcome.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The lint context from the options.
fn context(args: &Args) -> Result<Context, String> {
    let mut context = Context::new();
    if let Some(domain) = &args.domain {
        context = context.domain(domain.as_str());
    }
    if !args.mx.is_empty() || args.no_mx {
        context = context.dns_mx(args.mx.iter().map(String::as_str));
    }
    if let Some(txt) = &args.txt {
        context = context.txt(txt.as_str());
    }
    if !args.tls_rpt.is_empty() || args.no_tls_rpt {
        context = context.tls_rpt(args.tls_rpt.iter().map(String::as_str));
    }
    if let (Some(file), Some(id)) = (&args.previous, &args.previous_id) {
        let text = String::from_utf8(read_input(file)?)
            .map_err(|_| format!("the previous policy {file:?} is not UTF-8 text"))?;
        context = context.previous(text, id.as_str());
    }
    Ok(context)
}

/// Colour only on a terminal, and not when `NO_COLOR` is set (and not
/// empty).
pub(crate) fn colour(terminal: bool) -> bool {
    terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The width to wrap to: `COLUMNS` when set, else the terminal's width,
/// else 80.
pub(crate) fn width(terminal: bool) -> usize {
    // 0 means unknown (a pseudo-terminal without a size).
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse().ok())
        .filter(|&columns| columns > 0)
        .or_else(|| terminal.then(terminal_columns).flatten())
        .filter(|&columns| columns > 0)
        .unwrap_or(80);
    columns.max(40)
}

/// The terminal's width as `stty size` reports it (no dependency needed).
#[cfg(unix)]
fn terminal_columns() -> Option<usize> {
    let tty = std::fs::File::open("/dev/tty").ok()?;
    let output = std::process::Command::new("stty")
        .arg("size")
        .stdin(tty)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let size = String::from_utf8(output.stdout).ok()?;
    size.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(not(unix))]
fn terminal_columns() -> Option<usize> {
    None
}

// ---------------------------------------------------------------- verdict

/// The first line, in plain words: do strict senders accept the policy, and
/// what do lenient senders apply?
fn verdict(outcome: &Outcome) -> String {
    let name = &outcome.name;
    let lenient = outcome.report.as_ref().and_then(Report::policy);
    match (&outcome.strict, lenient) {
        (Some(Ok(policy)), _) => format!(
            "{name}: strict and lenient senders accept this policy and apply {}.",
            describe(policy)
        ),
        (_, Some(policy)) => format!(
            "{name}: strict senders refuse this policy; lenient senders apply {}.",
            describe(policy)
        ),
        (_, None) => {
            format!("{name}: strict and lenient senders refuse this policy: it has no effect.")
        }
    }
}

/// `mode enforce, max_age 604800 (7 days), mx a.example.com and b.example.com`.
pub(crate) fn describe(policy: &Policy) -> String {
    let patterns: Vec<&str> = policy.mx().iter().map(MxPattern::as_str).collect();
    let mx = match patterns.len() {
        0 => "no mx patterns".to_owned(),
        1 => format!("mx {}", patterns[0]),
        n if n <= VERDICT_MX => format!(
            "mx {} and {}",
            patterns[..n - 1].join(", "),
            patterns[n - 1]
        ),
        n => format!(
            "mx {} and {} more",
            patterns[..VERDICT_MX - 1].join(", "),
            n - (VERDICT_MX - 1)
        ),
    };
    format!(
        "mode {}, max_age {} ({}), {mx}",
        policy.mode(),
        policy.max_age(),
        duration(policy.max_age())
    )
}

/// A number of seconds in the largest whole unit that fits.
fn duration(seconds: u64) -> String {
    let (n, unit) = match seconds {
        s if s >= 86_400 && s % 86_400 == 0 => (s / 86_400, "day"),
        s if s >= 86_400 => return format!("{:.1} days", s as f64 / 86_400.0),
        s if s >= 3_600 && s % 3_600 == 0 => (s / 3_600, "hour"),
        s if s >= 60 && s % 60 == 0 => (s / 60, "minute"),
        s => (s, "second"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}
