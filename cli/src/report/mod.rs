//! `mta-sts report FILE…|-`: reads TLS-RPT aggregate reports (RFC 8460 §4)
//! and says what a mail administrator should look at: which MX hosts
//! failed, why, how often, per policy domain across every report.
//!
//! Each input is a report (JSON), a gzipped report, or a whole e-mail with
//! the report in its MIME tree (`extract.rs`). Reading is lenient unless
//! `--strict` is given; every tolerance applied is listed. An input that
//! cannot be read gets one line on standard error naming it and what is
//! wrong, and the others are still read.
//!
//! Exit status: 0 when the reports show no failed session, 1 when they show
//! some, 2 when no input could be read (or a usage error).

mod extract;
mod summary;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use mta_sts::ParseOptions;
use mta_sts::tlsrpt::{ParsedReport, Report};
use serde_json::json;

use crate::input::read_input;
use summary::Summary;

/// What `--help` says after the options.
const AFTER_HELP: &str = "\
Each FILE is a report as JSON (.json), gzipped (.json.gz; recognised by its
first bytes whatever its name), or a whole e-mail (.eml, or anything that
starts with mail headers) with the report as an application/tlsrpt+gzip,
application/tlsrpt+json, application/gzip, application/x-gzip or
application/json part, or an application/octet-stream part named *.json or
*.gz. Directories and other inputs that cannot be read are reported on
standard error, one line each, and the rest are still read.

A gzipped report is inflated to at most 16 MiB: real aggregate reports are a
few KiB (one object per policy, failure details grouped by result type, host
and address), so the cap is far above any real report and bounds memory per
file; a gzip bomb is refused after 16 MiB of output, in milliseconds. Inputs
are read up to 16 MiB too.

Exit status: 0 no failed sessions; 1 some sessions failed; 2 no input could
be read, or a usage error.";

/// The options of `mta-sts report`.
#[derive(clap::Args, Debug)]
#[command(after_help = AFTER_HELP)]
pub(crate) struct Args {
    /// Report files (JSON, gzipped JSON or e-mails); - reads standard input
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
    /// Read RFC 8460 as written: a report that deviates from it is an error
    /// (by default it is read, and each tolerance is listed)
    #[arg(long)]
    strict: bool,
    /// Print the reports read, the inputs that could not be, and the totals
    /// per policy as one JSON object
    #[arg(long)]
    json: bool,
}

/// A report read from an input.
struct Read {
    /// The input, and the MIME part it was in.
    name: String,
    parsed: ParsedReport,
}

/// Reads every input, then writes the totals; `Err` only for a write error.
pub(crate) fn run(args: &Args) -> Result<ExitCode, String> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match read_all(args, &mut out).and_then(|code| out.flush().map(|()| code)) {
        Ok(code) => Ok(code),
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(err) => Err(format!("cannot write the summary: {err}")),
    }
}

/// Reads every input (each one that cannot be read gets a line on standard
/// error), writes each report's header and the totals to `out`.
fn read_all(args: &Args, out: &mut impl Write) -> std::io::Result<ExitCode> {
    let options = if args.strict {
        ParseOptions::strict()
    } else {
        ParseOptions::lenient()
    };
    let mut summary = Summary::default();
    let mut reports = Vec::new();
    let mut errors = Vec::new();
    for file in &args.files {
        let file = file.to_string_lossy();
        let name = if file == "-" { "<stdin>" } else { &file };
        match read(&file, name, &options) {
            Ok(read) => {
                for read in read {
                    summary.add(read.parsed.report());
                    if args.json {
                        reports.push(report_json(&read));
                    } else {
                        write_header(out, &read)?;
                    }
                }
            }
            Err(message) => {
                eprintln!("mta-sts report: {message}");
                errors.push(json!({ "file": name, "error": message }));
            }
        }
    }
    let read_any = errors.len() < args.files.len();
    let failed = summary.failed_sessions();
    if args.json {
        let all = json!({
            "reports": reports,
            "errors": errors,
            "policies": summary.json(),
            "failed_sessions": failed,
        });
        serde_json::to_writer_pretty(&mut *out, &all)?;
        writeln!(out)?;
    } else if read_any {
        summary.write(out)?;
        if failed == 0 {
            writeln!(
                out,
                "\nNo failed sessions: TLS to your MX hosts worked for these senders."
            )?;
        }
    }
    Ok(match (read_any, failed) {
        (false, _) => ExitCode::from(2),
        (true, 0) => ExitCode::SUCCESS,
        (true, _) => ExitCode::from(1),
    })
}

/// The reports in one input; `Err` is one line naming the input.
fn read(file: &str, name: &str, options: &ParseOptions) -> Result<Vec<Read>, String> {
    let bytes = read_input(file)?;
    let found = extract::reports(&bytes).map_err(|err| format!("{name}: {err}"))?;
    let mut read = Vec::with_capacity(found.len());
    for found in found {
        let name = match found.part {
            Some(part) => format!("{name} {part}"),
            None => name.to_owned(),
        };
        match Report::from_json(&found.json, options) {
            Ok(parsed) => read.push(Read { name, parsed }),
            Err(err) => {
                return Err(format!(
                    "{name}: not a TLS-RPT report: {err} [{}]",
                    err.code()
                ));
            }
        }
    }
    Ok(read)
}

/// Who sent a report, for what time, and what it deviated in.
fn write_header(out: &mut impl Write, read: &Read) -> std::io::Result<()> {
    let report = read.parsed.report();
    writeln!(out, "TLS-RPT report {}", read.name)?;
    writeln!(
        out,
        "  from       {} <{}>",
        report.organization_name(),
        report.contact_info().unwrap_or("no contact given")
    )?;
    writeln!(out, "  report id  {}", report.report_id())?;
    writeln!(
        out,
        "  covering   {} to {}",
        report.date_range().start(),
        report.date_range().end()
    )?;
    if !read.parsed.deviations().is_empty() {
        writeln!(out, "  the sender deviated from RFC 8460 (read anyway):")?;
        for deviation in read.parsed.deviations() {
            writeln!(out, "    {deviation}")?;
        }
    }
    Ok(())
}

/// A report's header as JSON.
fn report_json(read: &Read) -> serde_json::Value {
    let report = read.parsed.report();
    let deviations: Vec<String> = read
        .parsed
        .deviations()
        .iter()
        .map(ToString::to_string)
        .collect();
    json!({
        "file": read.name,
        "organization_name": report.organization_name(),
        "contact_info": report.contact_info(),
        "report_id": report.report_id(),
        "start": report.date_range().start().to_string(),
        "end": report.date_range().end().to_string(),
        "failed_sessions": report.policies().iter()
            .fold(0u64, |sum, entry| sum.saturating_add(entry.failure_session_count())),
        "deviations": deviations,
    })
}
