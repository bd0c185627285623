//! Lints an MTA-STS policy and explains every finding.
//!
//! ```text
//! cargo run --example lint -- [FILE | -] [--domain DOMAIN] [--mx HOST]... [--no-mx]
//!                             [--txt RECORD] [--json]
//! ```
//!
//! With no FILE it lints a bundled example policy (`examples/policies/problems.txt`)
//! as the policy of `example.com` with two MX hosts, so the first run shows
//! the crate at work. `-` reads the policy from standard input.
//!
//! - `--domain DOMAIN`: the policy domain (enables `mx-wildcard-own-domain`);
//! - `--mx HOST`, repeatable: the hosts the domain's MX records point to
//!   (enables `mx-not-covered`, `mx-pattern-unused`, and the exact `mx:`
//!   lines in the `mx-wildcard` remedy);
//! - `--no-mx`: the domain has no MX records at all (`mx-no-dns-mx`);
//! - `--txt RECORD`: the `_mta-sts` TXT record text, checked too;
//! - `--json`: print the report as JSON (needs `--features serde`).
//!
//! Exit status: 0 when no finding has error severity, 1 when one has, 2 for
//! usage and I/O errors. Colour only when standard output is a terminal and
//! `NO_COLOR` is unset.

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use mta_sts::lint::{self, Context, Lint, Report, Severity};
use mta_sts::{ParseOptions, Policy};

/// The policy linted when no FILE is given, and its context.
const BUNDLED_PATH: &str = "examples/policies/problems.txt";
const BUNDLED_POLICY: &str = include_str!("policies/problems.txt");
const BUNDLED_DOMAIN: &str = "example.com";
const BUNDLED_MX: [&str; 2] = ["mail.example.com.", "mx2.example.com."];
const BUNDLED_TXT: &str = "v=STSv1; id=2024-06-01;";

/// Explanations are wrapped to this many columns.
const WIDTH: usize = 78;

const USAGE: &str = "\
usage: lint [FILE | -] [--domain DOMAIN] [--mx HOST]... [--no-mx] [--txt RECORD] [--json]

Lints an MTA-STS policy file (or standard input with -) and explains each finding.
With no FILE, lints a bundled example policy.

  --domain DOMAIN  the policy domain (checks wildcards over the own zone)
  --mx HOST        a host the domain's MX records point to; repeat for each
  --no-mx          the domain has no MX records at all
  --txt RECORD     the _mta-sts TXT record text, checked as well
  --json           print the report as JSON (build with --features serde)
  -h, --help       show this help

Exit status: 0 no errors, 1 errors found, 2 usage or I/O error.";

/// The command line, parsed.
#[derive(Default)]
struct Args {
    file: Option<String>,
    domain: Option<String>,
    mx: Vec<String>,
    no_mx: bool,
    txt: Option<String>,
    json: bool,
    help: bool,
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
            "--json" => parsed.json = true,
            "--no-mx" => parsed.no_mx = true,
            "--domain" => parsed.domain = Some(value("--domain")?),
            "--mx" => parsed.mx.push(value("--mx")?),
            "--txt" => parsed.txt = Some(value("--txt")?),
            "-" => set_file(&mut parsed, arg)?,
            _ if name.starts_with('-') => return Err(format!("unknown option {arg:?}")),
            _ => set_file(&mut parsed, arg)?,
        }
    }
    if parsed.no_mx && !parsed.mx.is_empty() {
        return Err("--no-mx and --mx exclude each other".to_owned());
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

/// Reads the policy named on the command line; `Err` is the message for a
/// usage or I/O error.
fn read_policy(file: &str) -> Result<Vec<u8>, String> {
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

fn run(args: &Args) -> Result<ExitCode, String> {
    if args.json && !cfg!(feature = "serde") {
        return Err("--json needs the serde feature: \
                    cargo run --features serde --example lint -- --json"
            .to_owned());
    }
    let bundled = args.file.is_none();
    let mut context = Context::new();
    let (name, text) = match &args.file {
        None => {
            let uses_own_context =
                args.domain.is_some() || !args.mx.is_empty() || args.no_mx || args.txt.is_some();
            if !uses_own_context {
                context = context
                    .domain(BUNDLED_DOMAIN)
                    .dns_mx(BUNDLED_MX)
                    .txt(BUNDLED_TXT);
            }
            (BUNDLED_PATH.to_owned(), BUNDLED_POLICY.to_owned())
        }
        Some(file) => {
            let bytes = read_policy(file)?;
            let name = if file == "-" { "<stdin>" } else { file };
            match String::from_utf8(bytes) {
                Ok(text) => (name.to_owned(), text),
                Err(err) => {
                    // Not text: report it the way a sender sees it.
                    let error = Policy::parse_bytes(err.as_bytes(), &ParseOptions::lenient())
                        .err()
                        .map_or_else(|| "not valid UTF-8".to_owned(), |e| e.to_string());
                    eprintln!("error[syntax]: {name}: {error}");
                    return Ok(ExitCode::from(1));
                }
            }
        }
    };
    if let Some(domain) = &args.domain {
        context = context.domain(domain.as_str());
    }
    if !args.mx.is_empty() || args.no_mx {
        context = context.dns_mx(args.mx.iter().map(String::as_str));
    }
    if let Some(txt) = &args.txt {
        context = context.txt(txt.as_str());
    }

    let report = lint::check(&text, &context);
    let out = std::io::stdout();
    let colour = out.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut out = out.lock();
    let written = if args.json {
        write_json(&mut out, &report)
    } else {
        if bundled
            && args.domain.is_none()
            && args.mx.is_empty()
            && !args.no_mx
            && args.txt.is_none()
        {
            write_bundled_note(&mut out)
        } else {
            Ok(())
        }
        .and_then(|()| write_human(&mut out, &name, &report, colour))
    };
    match written {
        Ok(()) => {}
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(err) => return Err(format!("cannot write the report: {err}")),
    }
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(feature = "serde")]
fn write_json(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

#[cfg(not(feature = "serde"))]
fn write_json(_: &mut impl Write, _: &Report) -> std::io::Result<()> {
    // run() refuses --json before getting here.
    Err(std::io::Error::other("--json needs the serde feature"))
}

fn write_bundled_note(out: &mut impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "Linting the bundled example policy {BUNDLED_PATH}\n  \
         as the policy of {BUNDLED_DOMAIN}, whose MX records point to\n  \
         {}, with _mta-sts TXT record\n  \
         {BUNDLED_TXT:?}.\n\
         Give a FILE (or - for standard input) to lint your own; --help for options.\n",
        BUNDLED_MX.join(" and "),
    )
}

/// ANSI styles for one severity: (label style, reset).
fn style(severity: Severity, colour: bool) -> (&'static str, &'static str) {
    if !colour {
        return ("", "");
    }
    let on = match severity {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[1;36m",
    };
    (on, "\x1b[0m")
}

fn write_human(
    out: &mut impl Write,
    name: &str,
    report: &Report,
    colour: bool,
) -> std::io::Result<()> {
    match report.policy() {
        Some(policy) => writeln!(
            out,
            "{name}: parses (leniently) as mode {}, max_age {}, {} mx pattern{}",
            policy.mode(),
            policy.max_age(),
            policy.mx().len(),
            if policy.mx().len() == 1 { "" } else { "s" },
        )?,
        None => writeln!(out, "{name}: does not parse, even leniently")?,
    }
    for lint in report.lints() {
        writeln!(out)?;
        write_lint(out, lint, colour)?;
    }
    writeln!(out)?;
    let (errors, warnings, infos) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info),
    );
    writeln!(
        out,
        "{errors} error{}, {warnings} warning{}, {infos} info",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    )
}

/// One finding: `severity[code]: message` (the message is one line, left
/// to the terminal), then the explanation wrapped and indented.
fn write_lint(out: &mut impl Write, lint: &Lint, colour: bool) -> std::io::Result<()> {
    let (on, off) = style(lint.severity(), colour);
    writeln!(
        out,
        "{on}{}[{}]{off}: {}",
        lint.severity(),
        lint.code(),
        lint.message()
    )?;
    for paragraph in lint.explanation().split('\n') {
        if paragraph.is_empty() {
            writeln!(out)?;
        } else if paragraph.starts_with(' ') {
            // Example lines (`    mx: host`) are kept as written.
            writeln!(out, "  {paragraph}")?;
        } else {
            for line in wrap(paragraph, WIDTH - 2) {
                writeln!(out, "  {line}")?;
            }
        }
    }
    Ok(())
}

/// Greedy word wrap of `text` to `width` columns (counted in characters). A
/// word longer than the width gets a line of its own.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut columns = 0;
    for word in text.split(' ').filter(|word| !word.is_empty()) {
        let word_columns = word.chars().count();
        if columns > 0 && columns + 1 + word_columns > width {
            lines.push(std::mem::take(&mut line));
            columns = 0;
        }
        if columns > 0 {
            line.push(' ');
            columns += 1;
        }
        line.push_str(word);
        columns += word_columns;
    }
    if columns > 0 {
        lines.push(line);
    }
    lines
}
