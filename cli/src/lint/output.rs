//! The report as text for a person, or as JSON; for `mta-sts lint` and
//! for `mta-sts check`'s audit reports.

use std::io::Write;

use mta_sts::Policy;
use mta_sts::lint::Severity;

use super::fix::{Fix, Fixes, example_lines};
use super::{NOT_UTF8, Outcome};

/// What `mta-sts check` adds to the JSON report: the domain, the list
/// line it came from (none for a DOMAIN argument), the outcome, and why it
/// could not be checked (`null` when it was).
#[derive(serde::Serialize)]
pub(crate) struct JsonExtra<'a> {
    pub(crate) domain: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) line: Option<usize>,
    pub(crate) outcome: &'a str,
    pub(crate) could_not_check: Option<&'a str>,
}

/// Writes the report as JSON: pretty for a lint (`extra` is `None`), one
/// line for an audit (JSON Lines, one object per domain).
pub(crate) fn write_json(
    out: &mut impl Write,
    outcome: &Outcome,
    extra: Option<JsonExtra<'_>>,
) -> std::io::Result<()> {
    use serde::Serialize;

    /// The report, with the summary after the policy.
    #[derive(Serialize)]
    struct Json<'a, L: Serialize> {
        #[serde(flatten)]
        extra: Option<JsonExtra<'a>>,
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

    let strict_error = outcome
        .strict
        .as_ref()
        .and_then(|strict| strict.as_ref().err());
    let strict_error = strict_error.map(|error| ErrorJson {
        code: error.code(),
        line: error.line(),
        column: error.column(),
        message: error.to_string(),
    });
    let summary = Summary {
        error: outcome.count(Severity::Error),
        warning: outcome.count(Severity::Warning),
        info: outcome.count(Severity::Info),
        strict_accepts: outcome.strict.as_ref().is_some_and(Result::is_ok),
        strict_error,
        lenient_accepts: outcome
            .report
            .as_ref()
            .is_some_and(|r| r.policy().is_some()),
    };
    let pretty = extra.is_none();
    match (&outcome.report, &outcome.strict) {
        (Some(report), _) => emit(
            &mut *out,
            &Json {
                extra,
                lints: report.lints(),
                policy: report.policy(),
                summary,
            },
            pretty,
        )?,
        (None, Some(Err(error))) => emit(
            &mut *out,
            &Json {
                extra,
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
            pretty,
        )?,
        // Bytes that are not UTF-8 never parse; no report means bytes.
        (None, Some(Ok(_)) | None) => unreachable!(),
    }
    writeln!(out)
}

/// `json` as pretty JSON, or on one line.
fn emit(out: &mut impl Write, json: &impl serde::Serialize, pretty: bool) -> std::io::Result<()> {
    if pretty {
        serde_json::to_writer_pretty(out, json)?;
    } else {
        serde_json::to_writer(out, json)?;
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

/// Writes the report for a person: `first_line` (the verdict in plain
/// words), one headline per finding with its fix (and explanation), and
/// the counts.
pub(crate) fn write_human(
    out: &mut impl Write,
    first_line: &str,
    outcome: &Outcome,
    fixes: &Fixes<'_>,
    width: usize,
    explain: bool,
    colour: bool,
) -> std::io::Result<()> {
    for line in wrap(first_line, width, 2) {
        writeln!(out, "{line}")?;
    }
    if let Some(Err(error)) = &outcome.strict
        && outcome.report.is_none()
    {
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
                writeln!(out, "  fix: the same as above")?;
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
