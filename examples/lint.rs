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

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use mta_sts::lint::{self, Context, Lint, Report, Severity};
use mta_sts::{Error, MxPattern, ParseOptions, Policy};

/// The policy linted when no FILE is given, and its context.
const BUNDLED_PATH: &str = "examples/policies/problems.txt";
const BUNDLED_POLICY: &str = include_str!("policies/problems.txt");
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
            return Err("--previous needs --txt, the TXT record published now".to_owned())
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
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse().ok())
        .or_else(|| terminal.then(terminal_columns).flatten())
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

// ---------------------------------------------------------------- fixes

/// The exact fix for a finding: the lines to write.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Fix {
    /// Write line `line` as `text`.
    Line { line: usize, text: String },
    /// Write line `line` as `text` and delete line `other`, which sets the
    /// same field; or delete line `line`.
    Either {
        line: usize,
        text: String,
        other: usize,
    },
    /// Replace line `line` with these lines.
    Replace { line: usize, lines: Vec<String> },
    /// Delete line `line`.
    Delete { line: usize },
    /// Add these lines.
    Add { lines: Vec<String> },
    /// Publish the `_mta-sts` TXT record as `record`.
    Txt { record: String },
}

/// Works out fixes from the policy's lines and the TXT record given.
struct Fixes<'a> {
    lines: Vec<&'a str>,
    txt: Option<&'a str>,
}

impl<'a> Fixes<'a> {
    fn new(text: Option<&'a str>, txt: Option<&'a str>) -> Self {
        let lines = text
            .unwrap_or_default()
            .split('\n')
            .map(|line| line.strip_suffix('\r').unwrap_or(line))
            .collect();
        Fixes { lines, txt }
    }

    /// The fix for `lint`, if there is an exact one. `lints` is the whole
    /// report: the wildcard lints share the `mx-wildcard` remedy.
    fn of(&self, lint: &Lint, lints: &[Lint]) -> Option<Fix> {
        if is_summary(lint) {
            return None;
        }
        let message = lint.message();
        let Some(line) = lint.line() else {
            return match lint.code() {
                "mx-not-covered" => {
                    quoted_after(message, "(add ").map(|add| Fix::Add { lines: vec![add] })
                }
                // "line 2 has \"Mode\"": that line, with the key it misses.
                "missing-field" | "missing-mx" if message.contains("; line ") => {
                    let field = quoted_after(message, "missing field ")?;
                    let rest = &message[message.find("; line ")? + "; line ".len()..];
                    let line: usize = rest.split(' ').next()?.parse().ok()?;
                    let text = normalized(self.lines.get(line.checked_sub(1)?)?, Some(&field))?;
                    Some(Fix::Line { line, text })
                }
                "missing-field" if message.starts_with("missing field \"version\"") => {
                    Some(Fix::Add {
                        lines: vec!["version: STSv1".to_owned()],
                    })
                }
                "missing-field" if message.starts_with("missing field \"max_age\"") => {
                    Some(Fix::Add {
                        lines: vec!["max_age: 604800".to_owned()],
                    })
                }
                "txt-space-before-semicolon"
                | "txt-trailing-whitespace"
                | "txt-id-invalid"
                | "txt-duplicate-field"
                | "invalid-id" => self
                    .txt
                    .and_then(txt_fixed)
                    .map(|record| Fix::Txt { record }),
                "id-not-changed" => self
                    .txt
                    .and_then(|txt| txt_with_id(txt, &timestamp_id()))
                    .map(|record| Fix::Txt { record }),
                _ => None,
            };
        };
        let source = *self.lines.get(line.checked_sub(1)?)?;
        let rewrite = |text: Option<String>| text.map(|text| Fix::Line { line, text });
        match lint.code() {
            "mx-wildcard" | "mx-wildcard-own-domain" => {
                // The `mx-wildcard` explanation lists the lines when the DNS
                // MX hosts are known.
                let wildcard = lints
                    .iter()
                    .find(|other| other.code() == "mx-wildcard" && other.line() == Some(line))?;
                let lines = example_lines(wildcard.explanation());
                (!lines.is_empty()).then_some(Fix::Replace { line, lines })
            }
            "blank-line" | "invalid-line" | "duplicate-field" | "mx-duplicate"
            | "mx-pattern-unused" => Some(Fix::Delete { line }),
            "key-case" => {
                let text = normalized(source, None)?;
                let key = text.split(':').next().unwrap_or_default();
                match self.field_line(key, line) {
                    Some(other) if key != "mx" => Some(Fix::Either { line, text, other }),
                    _ => Some(Fix::Line { line, text }),
                }
            }
            "bom"
            | "leading-whitespace"
            | "space-before-colon"
            | "unicode-space"
            | "mx-trailing-dot"
            | "mx-u-label"
            | "mx-uppercase"
            | "max-age-leading-zeros" => rewrite(normalized(source, None)),
            "unknown-field" => {
                // A near miss of a known key that no other line sets.
                let key = quoted_after(message, "did you mean ")?;
                if self.field_line(&key, line).is_some() {
                    return None;
                }
                rewrite(normalized(source, Some(&key)))
            }
            "invalid-version" => rewrite(Some("version: STSv1".to_owned())),
            "invalid-mode" => {
                let (_, value) = source.split_once(':')?;
                let mode = value.trim().to_ascii_lowercase();
                let known = ["enforce", "testing", "none"].contains(&mode.as_str());
                rewrite(known.then(|| format!("mode: {mode}")))
            }
            "max-age-above-limit" => rewrite(Some(format!("max_age: {}", mta_sts::MAX_AGE_LIMIT))),
            "max-age-zero" | "max-age-short" => rewrite(Some("max_age: 604800".to_owned())),
            _ => None,
        }
    }
}

impl Fixes<'_> {
    /// The first line other than `except` that sets field `key`.
    fn field_line(&self, key: &str, except: usize) -> Option<usize> {
        let position = self.lines.iter().enumerate().position(|(i, line)| {
            i + 1 != except
                && line
                    .split_once(':')
                    .is_some_and(|(name, _)| name.trim_start_matches('\u{feff}').trim() == key)
        })?;
        Some(position + 1)
    }
}

/// Whether `lint` is the summary of a repeated finding ("… and 29900 more
/// lines like this"), which fixes nothing by itself.
fn is_summary(lint: &Lint) -> bool {
    summarised(lint).is_some()
}

/// How many findings a summary lint stands for.
fn summarised(lint: &Lint) -> Option<usize> {
    let rest = lint.message().strip_prefix("… and ")?;
    let (count, rest) = rest.split_once(' ')?;
    rest.starts_with("more ")
        .then(|| count.parse().ok())
        .flatten()
}

/// The text quoted (`{:?}`) right after `prefix` in `message`.
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    let rest = rest.strip_prefix('"')?;
    let mut text = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(text),
            '\\' => text.push(chars.next()?),
            c => text.push(c),
        }
    }
    None
}

/// The indented example lines of an explanation (`    mx: host`).
fn example_lines(explanation: &str) -> Vec<String> {
    explanation
        .lines()
        .filter(|line| line.starts_with("    "))
        .map(|line| line.trim().to_owned())
        .collect()
}

/// Spaces P10b lets lenient senders read as a space (SEMANTICS).
fn is_unicode_space(c: char) -> bool {
    matches!(
        c,
        '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// A policy line as strict senders want it: no BOM, plain spaces, no space
/// around the key, one space after the colon, the key in lowercase when it
/// is a known key in another case (or `key` when given), an `mx` value in
/// canonical form, `max_age` without leading zeros.
fn normalized(source: &str, key: Option<&str>) -> Option<String> {
    let source: String = source
        .trim_start_matches('\u{feff}')
        .chars()
        .map(|c| if is_unicode_space(c) { ' ' } else { c })
        .collect();
    let (name, value) = source.split_once(':')?;
    let (name, value) = (name.trim(), value.trim());
    let lower = name.to_ascii_lowercase();
    let name = match key {
        Some(key) => key,
        None if ["version", "mode", "mx", "max_age"].contains(&lower.as_str()) => &lower,
        None => name,
    };
    let value = match name {
        "mx" => MxPattern::parse_with(value, &ParseOptions::lenient())
            .ok()?
            .as_str()
            .to_owned(),
        "max_age" if value.len() > 1 && value.bytes().all(|b| b.is_ascii_digit()) => {
            let digits = value.trim_start_matches('0');
            if digits.is_empty() { "0" } else { digits }.to_owned()
        }
        _ => value.to_owned(),
    };
    Some(format!("{name}: {value}"))
}

/// The TXT record as strict senders want it: no whitespace before a `;`,
/// each field once, an id of letters and digits, a final `;`.
fn txt_fixed(record: &str) -> Option<String> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for field in record.split(';').map(str::trim).filter(|f| !f.is_empty()) {
        let (name, value) = field.split_once('=')?;
        let (name, mut value) = (name.trim().to_owned(), value.trim().to_owned());
        if name == "id" {
            value = value
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(32)
                .collect();
            if value.is_empty() {
                value = timestamp_id();
            }
        }
        if fields.iter().all(|(seen, _)| *seen != name) {
            fields.push((name, value));
        }
    }
    let fixed: Vec<String> = fields.iter().map(|(n, v)| format!("{n}={v};")).collect();
    Some(fixed.join(" "))
}

/// The TXT record with a new id.
fn txt_with_id(record: &str, id: &str) -> Option<String> {
    let fixed = txt_fixed(record)?;
    let fields: Vec<String> = fixed
        .split(' ')
        .map(|field| {
            if field.starts_with("id=") {
                format!("id={id};")
            } else {
                field.to_owned()
            }
        })
        .collect();
    Some(fields.join(" "))
}

/// The current UTC time as a TXT id, `20240601T120000`.
fn timestamp_id() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, secs) = (now / 86_400, now % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}",
        secs / 3_600,
        secs / 60 % 60,
        secs % 60
    )
}

// ---------------------------------------------------------------- output

#[cfg(feature = "serde")]
fn write_json(out: &mut impl Write, outcome: &Outcome) -> std::io::Result<()> {
    use serde::Serialize;

    /// The report, with the summary after the policy.
    #[derive(Serialize)]
    struct Json<'a, L: Serialize> {
        lints: L,
        policy: Option<&'a Policy>,
        summary: Summary<'a>,
    }

    /// Counts per severity and the strict verdict.
    #[derive(Serialize)]
    struct Summary<'a> {
        error: usize,
        warning: usize,
        info: usize,
        /// `Policy::parse` (strict) accepts the text.
        strict_accepts: bool,
        /// Its error, when it does not.
        strict_error: Option<ErrorJson<'a>>,
        /// Lenient parsing accepts it (`policy` is not null).
        lenient_accepts: bool,
    }

    /// An error as a lint's fields.
    #[derive(Serialize)]
    struct ErrorJson<'a> {
        code: &'a str,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    }

    /// The one finding for bytes that are not UTF-8, shaped like a lint.
    #[derive(Serialize)]
    struct EncodingLint<'a> {
        code: &'a str,
        severity: Severity,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
        explanation: &'a str,
    }

    let strict_error = outcome.strict.as_ref().err().map(|error| ErrorJson {
        code: error.code(),
        line: error.line(),
        column: error.column(),
        message: error.to_string(),
    });
    let summary = Summary {
        error: outcome.count(Severity::Error),
        warning: outcome.count(Severity::Warning),
        info: outcome.count(Severity::Info),
        strict_accepts: outcome.strict.is_ok(),
        strict_error,
        lenient_accepts: outcome
            .report
            .as_ref()
            .is_some_and(|r| r.policy().is_some()),
    };
    match (&outcome.report, &outcome.strict) {
        (Some(report), _) => serde_json::to_writer_pretty(
            &mut *out,
            &Json {
                lints: report.lints(),
                policy: report.policy(),
                summary,
            },
        )?,
        (None, Err(error)) => serde_json::to_writer_pretty(
            &mut *out,
            &Json {
                lints: [EncodingLint {
                    code: error.code(),
                    severity: Severity::Error,
                    line: error.line(),
                    column: error.column(),
                    message: error.to_string(),
                    explanation: NOT_UTF8,
                }],
                policy: None,
                summary,
            },
        )?,
        // Bytes that are not UTF-8 never parse.
        (None, Ok(_)) => unreachable!(),
    }
    writeln!(out)
}

#[cfg(not(feature = "serde"))]
fn write_json(_: &mut impl Write, _: &Outcome) -> std::io::Result<()> {
    // run() refuses --json before getting here.
    Err(std::io::Error::other("--json needs the serde feature"))
}

fn write_bundled_note(out: &mut impl Write, width: usize) -> std::io::Result<()> {
    let note = format!(
        "This was the bundled example, linted as {BUNDLED_DOMAIN}'s policy with MX hosts {} \
         and TXT record {BUNDLED_TXT:?}. Give a FILE (or - for standard input) to lint your \
         own; --help lists the options.",
        BUNDLED_MX.join(" and "),
    );
    writeln!(out)?;
    for line in wrap(&note, width, 0) {
        writeln!(out, "{line}")?;
    }
    Ok(())
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
    outcome: &Outcome,
    fixes: &Fixes<'_>,
    width: usize,
    explain: bool,
    colour: bool,
) -> std::io::Result<()> {
    for line in wrap(&verdict(outcome), width, 2) {
        writeln!(out, "{line}")?;
    }
    if let Err(error) = &outcome.strict {
        if outcome.report.is_none() {
            // Not UTF-8: the encoding error is the one finding.
            writeln!(out)?;
            let headline = headline(
                Severity::Error,
                error.code(),
                error.line(),
                error.column(),
                &error.to_string(),
            );
            write_headline(out, &headline, Severity::Error, width, colour)?;
            if explain {
                write_explanation(out, NOT_UTF8, width)?;
            }
        }
    }
    let lints = outcome.lints();
    if !lints.is_empty() {
        writeln!(out)?;
    }
    let mut last_fix: Option<Fix> = None;
    for (i, lint) in lints.iter().enumerate() {
        if explain && i > 0 {
            writeln!(out)?;
        }
        let headline = headline(
            lint.severity(),
            lint.code(),
            lint.line(),
            lint.column(),
            lint.message(),
        );
        write_headline(out, &headline, lint.severity(), width, colour)?;
        let fix = fixes.of(lint, lints);
        // An explanation that lists the lines to write is the fix itself.
        let explained_lines = explain && !example_lines(lint.explanation()).is_empty();
        match &fix {
            _ if explained_lines => {}
            Some(fix) if last_fix.as_ref() == Some(fix) => {
                writeln!(out, "  fix: the same as above")?
            }
            Some(fix) => write_fix(out, fix)?,
            None => {}
        }
        if fix.is_some() {
            last_fix = fix;
        }
        if explain {
            write_explanation(out, lint.explanation(), width)?;
        }
    }
    writeln!(out)?;
    let (errors, warnings, infos) = (
        outcome.count(Severity::Error),
        outcome.count(Severity::Warning),
        outcome.count(Severity::Info),
    );
    let hint = if explain || lints.is_empty() {
        ""
    } else {
        " (--explain says why each matters)"
    };
    writeln!(
        out,
        "{errors} error{}, {warnings} warning{}, {infos} info{hint}",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    )
}

/// `severity[code] line L:C: message`, the position left out of the
/// message when it says the same.
fn headline(
    severity: Severity,
    code: &str,
    line: Option<usize>,
    column: Option<usize>,
    message: &str,
) -> String {
    let (position, said) = match (line, column) {
        (Some(line), Some(column)) => (
            format!(" line {line}:{column}"),
            vec![
                format!(" on line {line}, column {column}"),
                format!(" on line {line}"),
            ],
        ),
        (Some(line), None) => (format!(" line {line}"), vec![format!(" on line {line}")]),
        // Only TXT record findings have a column and no line.
        (None, Some(column)) => (
            format!(" TXT record, column {column}"),
            vec![format!(" at column {column}")],
        ),
        (None, None) => (String::new(), Vec::new()),
    };
    let message = said
        .iter()
        .find(|said| message.contains(said.as_str()))
        .map_or_else(
            || message.to_owned(),
            |said| message.replacen(said.as_str(), "", 1),
        );
    format!("{severity}[{code}]{position}: {message}")
}

/// A headline wrapped to `width`, continuation lines indented, the
/// severity label coloured.
fn write_headline(
    out: &mut impl Write,
    headline: &str,
    severity: Severity,
    width: usize,
    colour: bool,
) -> std::io::Result<()> {
    let (on, off) = style(severity, colour);
    for (i, line) in wrap(headline, width, 2).into_iter().enumerate() {
        match line.split_once(']') {
            Some((label, rest)) if i == 0 => writeln!(out, "{on}{label}]{off}{rest}")?,
            _ => writeln!(out, "{line}")?,
        }
    }
    Ok(())
}

fn write_fix(out: &mut impl Write, fix: &Fix) -> std::io::Result<()> {
    let (what, lines): (String, &[String]) = match fix {
        Fix::Line { line, text } => (
            format!("line {line} should read"),
            std::slice::from_ref(text),
        ),
        Fix::Replace { line, lines } => (format!("replace line {line} with"), lines),
        Fix::Either { line, text, other } => {
            writeln!(out, "  fix: delete line {line}, or make it read")?;
            writeln!(out, "      {text}")?;
            return writeln!(out, "    and delete line {other}, which sets the field too");
        }
        Fix::Delete { line } => (format!("delete line {line}"), &[]),
        Fix::Add { lines } => ("add".to_owned(), lines),
        Fix::Txt { record } => (
            "publish the _mta-sts TXT record as".to_owned(),
            std::slice::from_ref(record),
        ),
    };
    writeln!(out, "  fix: {what}")?;
    for line in lines {
        writeln!(out, "      {line}")?;
    }
    Ok(())
}

/// An explanation, its paragraphs wrapped and indented; example lines
/// (`    mx: host`) kept as written.
fn write_explanation(out: &mut impl Write, explanation: &str, width: usize) -> std::io::Result<()> {
    for paragraph in explanation.split('\n') {
        if paragraph.is_empty() {
            writeln!(out)?;
        } else if paragraph.starts_with(' ') {
            writeln!(out, "  {paragraph}")?;
        } else {
            for line in wrap(paragraph, width - 2, 0) {
                writeln!(out, "  {line}")?;
            }
        }
    }
    Ok(())
}

/// Greedy word wrap of `text` to `width` columns (counted in characters),
/// lines after the first indented by `indent` spaces (within the width). A
/// word longer than a line gets a line of its own.
fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    // Where the current line's text starts, and how wide it is so far.
    let (mut start, mut columns) = (0, 0);
    // Spaces between the last word and the next (kept as written: quoted
    // text may hold several).
    let mut gap = 0;
    for (i, word) in text.split(' ').enumerate() {
        gap += usize::from(i > 0);
        if word.is_empty() {
            continue;
        }
        let word_columns = word.chars().count();
        if columns > start && columns + gap + word_columns > width {
            lines.push(std::mem::take(&mut line));
            line.push_str(&" ".repeat(indent));
            (start, columns) = (indent, indent);
        }
        if columns > start {
            line.push_str(&" ".repeat(gap));
            columns += gap;
        }
        gap = 0;
        line.push_str(word);
        columns += word_columns;
    }
    if columns > start {
        lines.push(line);
    }
    lines
}
