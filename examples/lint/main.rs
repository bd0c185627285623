//! Lints an MTA-STS policy: says whether senders accept it, lists every
//! finding with the exact fix, and explains on request.
//!
//! ```text
//! cargo run --example lint -- [FILE | -] [--explain] [--json]
//!     [--domain DOMAIN] [--mx HOST]... [--no-mx] [--txt RECORD]
//!     [--tls-rpt RECORD]... [--no-tls-rpt] [--previous FILE --previous-id ID]
//! ```
//!
//! With no FILE it lints a bundled example policy (`examples/policies/problems.txt`)
//! as the policy of `example.com` with two MX hosts, so the first run shows
//! the crate at work. `-` reads the policy from standard input. `--help`
//! lists the options.
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
//! This file reads the command line and the input and makes the verdict;
//! `fix.rs` works out each finding's fix, `output.rs` writes the report as
//! text or JSON.

mod fix;
mod output;

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use mta_sts::lint::{self, Context, Lint, Report, Severity};
use mta_sts::{Error, MxPattern, ParseOptions, Policy};

use fix::{Fixes, summarised};
use output::{write_bundled_note, write_human, write_json};

/// The policy linted when no FILE is given, and its context.
const BUNDLED_PATH: &str = "examples/policies/problems.txt";
const BUNDLED_POLICY: &str = include_str!("../policies/problems.txt");
const BUNDLED_DOMAIN: &str = "example.com";
const BUNDLED_MX: [&str; 2] = ["mail.example.com.", "mx2.example.com."];
const BUNDLED_TXT: &str = "v=STSv1; id=2024-06-01;";

/// The explanation for a file that is not UTF-8 (the message says which
/// byte, or that the file is UTF-16).
const NOT_UTF8: &str = "RFC 8461 §3.2 policies are UTF-8 text (plain ASCII in \
practice); senders refuse a file in another encoding. Save the file as UTF-8 \
without a byte order mark.";

/// Explanations are shown unasked when a report has at most this many findings.
const EXPLAIN_UP_TO: usize = 3;

/// The verdict names at most this many `mx` patterns.
const VERDICT_MX: usize = 4;

const USAGE: &str = "\
usage: lint [FILE | -] [options]

Lints an MTA-STS policy file (or standard input with -): says whether senders
accept it, then lists each finding with the lines to write to fix it.
With no FILE, lints a bundled example policy.

  --explain            explain every finding (why it matters, the RFC behind it);
                       done anyway when there are at most 3 findings
  --json               print the report and a summary as JSON
                       (build with --features serde)
  --domain DOMAIN      the policy domain (checks wildcards over the own zone)
  --mx HOST            a host the domain's MX records point to; repeat for each
  --no-mx              the domain has no MX records at all
  --txt RECORD         the _mta-sts TXT record text, checked as well
  --tls-rpt RECORD     a _smtp._tls TXT record (TLS-RPT); repeat for each
  --no-tls-rpt         the domain has no _smtp._tls TXT records
  --previous FILE      the policy published before this one, with
  --previous-id ID     the TXT id it was published under (needs --txt)
  -h, --help           show this help

Output is wrapped to COLUMNS, or to the terminal's width (80 when not a
terminal). Colour only on a terminal, and not when NO_COLOR is set.

Exit status: 0 strict senders accept the policy and nothing is an error;
1 strict senders refuse it or a finding is an error; 2 usage or I/O error.";

/// The command line, parsed.
#[derive(Default)]
struct Args {
    file: Option<String>,
    domain: Option<String>,
    mx: Vec<String>,
    no_mx: bool,
    txt: Option<String>,
    tls_rpt: Vec<String>,
    no_tls_rpt: bool,
    previous: Option<String>,
    previous_id: Option<String>,
    explain: bool,
    json: bool,
    help: bool,
}

impl Args {
    /// Whether any context option was given (else the bundled policy gets
    /// the bundled context).
    fn has_context(&self) -> bool {
        self.domain.is_some()
            || !self.mx.is_empty()
            || self.no_mx
            || self.txt.is_some()
            || !self.tls_rpt.is_empty()
            || self.no_tls_rpt
            || self.previous.is_some()
    }
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        // `--name=value` and `--name value` are both accepted.
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => {
                (name.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name.as_str() {
            "-h" | "--help" => parsed.help = true,
            "--explain" => parsed.explain = true,
            "--json" => parsed.json = true,
            "--no-mx" => parsed.no_mx = true,
            "--no-tls-rpt" => parsed.no_tls_rpt = true,
            "--domain" => parsed.domain = Some(value("--domain")?),
            "--mx" => parsed.mx.push(value("--mx")?),
            "--txt" => parsed.txt = Some(value("--txt")?),
            "--tls-rpt" => parsed.tls_rpt.push(value("--tls-rpt")?),
            "--previous" => parsed.previous = Some(value("--previous")?),
            "--previous-id" => parsed.previous_id = Some(value("--previous-id")?),
            "-" => set_file(&mut parsed, arg)?,
            _ if name.starts_with('-') => return Err(format!("unknown option {arg:?}")),
            _ => set_file(&mut parsed, arg)?,
        }
    }
    if parsed.no_mx && !parsed.mx.is_empty() {
        return Err("--no-mx and --mx exclude each other".to_owned());
    }
    if parsed.no_tls_rpt && !parsed.tls_rpt.is_empty() {
        return Err("--no-tls-rpt and --tls-rpt exclude each other".to_owned());
    }
    match (&parsed.previous, &parsed.previous_id, &parsed.txt) {
        (Some(_), None, _) => return Err("--previous needs --previous-id".to_owned()),
        (None, Some(_), _) => return Err("--previous-id needs --previous".to_owned()),
        (Some(_), Some(_), None) => {
            return Err("--previous needs --txt, the TXT record published now".to_owned());
        }
        _ => {}
    }
    Ok(parsed)
}

fn set_file(args: &mut Args, file: String) -> Result<(), String> {
    match &args.file {
        Some(first) => Err(format!("one policy at a time: got {first:?} and {file:?}")),
        None => {
            args.file = Some(file);
            Ok(())
        }
    }
}

/// Reads a file named on the command line (`-`: standard input); `Err` is
/// the message for an I/O error.
fn read_file(file: &str) -> Result<Vec<u8>, String> {
    if file == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|err| format!("cannot read standard input: {err}"))?;
        Ok(bytes)
    } else {
        std::fs::read(file).map_err(|err| format!("cannot read {file:?}: {err}"))
    }
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("lint: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if args.help {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("lint: {message}");
            ExitCode::from(2)
        }
    }
}

/// What was linted, and what came of it.
struct Outcome {
    name: String,
    /// The policy text; `None` when the bytes are not UTF-8.
    text: Option<String>,
    /// `Policy::parse` (strict) on the text.
    strict: Result<Policy, Error>,
    /// The lint report; `None` when the bytes are not UTF-8 (then `strict`
    /// holds the one error).
    report: Option<Report>,
}

impl Outcome {
    fn lints(&self) -> &[Lint] {
        self.report.as_ref().map_or(&[], Report::lints)
    }

    /// The number of findings of `severity`, counting those a summary lint
    /// ("… and 29900 more lines like this") stands for.
    fn count(&self, severity: Severity) -> usize {
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
    fn failed(&self) -> bool {
        self.strict.is_err() || self.count(Severity::Error) > 0
    }
}

fn run(args: &Args) -> Result<ExitCode, String> {
    if args.json && !cfg!(feature = "serde") {
        return Err("--json needs the serde feature: \
                    cargo run --features serde --example lint -- --json"
            .to_owned());
    }
    let bundled_context = args.file.is_none() && !args.has_context();
    let context = context(args, bundled_context)?;
    let (name, bytes) = match &args.file {
        None => (BUNDLED_PATH.to_owned(), BUNDLED_POLICY.as_bytes().to_vec()),
        Some(file) => {
            let name = if file == "-" { "<stdin>" } else { file };
            (name.to_owned(), read_file(file)?)
        }
    };
    let outcome = match String::from_utf8(bytes) {
        Ok(text) => Outcome {
            name,
            strict: Policy::parse(&text),
            report: Some(lint::check(&text, &context)),
            text: Some(text),
        },
        Err(err) => Outcome {
            name,
            text: None,
            // Not text: report it the way a sender sees it (an error naming
            // the line, or the UTF-16 hint).
            strict: Policy::parse_bytes(err.as_bytes(), &ParseOptions::strict()),
            report: None,
        },
    };

    let out = std::io::stdout();
    let terminal = out.is_terminal();
    let colour = terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut out = out.lock();
    let written = if args.json {
        write_json(&mut out, &outcome)
    } else {
        let width = width(terminal);
        let explain = args.explain || outcome.lints().len() <= EXPLAIN_UP_TO;
        let txt = match bundled_context {
            true => Some(BUNDLED_TXT),
            false => args.txt.as_deref(),
        };
        let fixes = Fixes::new(outcome.text.as_deref(), txt);
        write_human(&mut out, &outcome, &fixes, width, explain, colour).and_then(|()| {
            if bundled_context {
                write_bundled_note(&mut out, width)
            } else {
                Ok(())
            }
        })
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

/// The lint context from the options (or the bundled one).
fn context(args: &Args, bundled: bool) -> Result<Context, String> {
    if bundled {
        return Ok(Context::new()
            .domain(BUNDLED_DOMAIN)
            .dns_mx(BUNDLED_MX)
            .txt(BUNDLED_TXT));
    }
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
        let text = String::from_utf8(read_file(file)?)
            .map_err(|_| format!("the previous policy {file:?} is not UTF-8 text"))?;
        context = context.previous(text, id.as_str());
    }
    Ok(context)
}

/// The width to wrap to: `COLUMNS` when set, else the terminal's width,
/// else 80.
fn width(terminal: bool) -> usize {
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
        (Ok(policy), _) => format!(
            "{name}: strict and lenient senders accept this policy and apply {}.",
            describe(policy)
        ),
        (Err(_), Some(policy)) => format!(
            "{name}: strict senders refuse this policy; lenient senders apply {}.",
            describe(policy)
        ),
        (Err(_), None) => {
            format!("{name}: strict and lenient senders refuse this policy: it has no effect.")
        }
    }
}

/// `mode enforce, max_age 604800 (7 days), mx a.example.com and b.example.com`.
fn describe(policy: &Policy) -> String {
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
