//! The summary of a run over many inputs: how many of each outcome, the
//! most common findings, whether it was interrupted, and the exit status
//! that follows. Only counts are kept (the findings' codes come from a
//! fixed catalogue), so its size does not grow with the list.

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use super::domain::Kind;

/// The summary names at most this many finding codes.
const TOP_CODES: usize = 10;

/// The exit status of a run stopped by Ctrl-C (128 + SIGINT, as shells
/// report a process killed by it).
pub(crate) const INTERRUPTED: u8 = 130;

/// The counts of a run so far.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    ok: usize,
    errors: usize,
    warnings: usize,
    could_not_check: usize,
    not_a_domain: usize,
    unreadable: usize,
    /// Per finding code, how many checked domains have it.
    codes: HashMap<&'static str, usize>,
    /// Checks abandoned by Ctrl-C, when it came.
    interrupted: Option<usize>,
}

impl Tally {
    /// Counts one result of `kind` with these finding codes (each once).
    pub(crate) fn add(&mut self, kind: Kind, codes: &[&'static str]) {
        let count = match kind {
            Kind::Ok => &mut self.ok,
            Kind::Errors => &mut self.errors,
            Kind::Warnings => &mut self.warnings,
            Kind::CouldNotCheck => &mut self.could_not_check,
            Kind::NotADomain => &mut self.not_a_domain,
            Kind::Unreadable => &mut self.unreadable,
        };
        *count += 1;
        if kind.checked() {
            for &code in codes {
                *self.codes.entry(code).or_default() += 1;
            }
        }
    }

    /// Ctrl-C came; `abandoned` checks were running.
    pub(crate) fn interrupt(&mut self, abandoned: usize) {
        self.interrupted = Some(abandoned);
    }

    /// The domains checked (with a report).
    pub(crate) fn checked(&self) -> usize {
        self.ok + self.errors + self.warnings
    }

    /// Every result counted.
    pub(crate) fn results(&self) -> usize {
        self.checked() + self.could_not_check + self.not_a_domain + self.unreadable
    }

    /// The codes found most often, most common first (ties by code).
    fn top_codes(&self) -> Vec<(&'static str, usize)> {
        let mut codes: Vec<(&'static str, usize)> =
            self.codes.iter().map(|(&code, &n)| (code, n)).collect();
        codes.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        codes.truncate(TOP_CODES);
        codes
    }

    /// 130 when interrupted; else 2 when no domain could be checked; 1
    /// when a finding is an error or an input could not be checked; 0.
    pub(crate) fn exit_code(&self) -> ExitCode {
        if self.interrupted.is_some() {
            ExitCode::from(INTERRUPTED)
        } else if self.checked() == 0 {
            ExitCode::from(2)
        } else if self.checked() < self.results() || self.errors > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }

    /// The summary as one JSON object on one line, `{"summary": {…}}`.
    pub(crate) fn write_json(&self, out: &mut impl Write) -> std::io::Result<()> {
        #[derive(serde::Serialize)]
        struct Top {
            code: &'static str,
            domains: usize,
        }
        let top: Vec<Top> = self
            .top_codes()
            .into_iter()
            .map(|(code, domains)| Top { code, domains })
            .collect();
        let summary = serde_json::json!({
            "summary": {
                "inputs": self.results(),
                "checked": self.checked(),
                "ok": self.ok,
                "errors": self.errors,
                "warnings": self.warnings,
                "could_not_check": self.could_not_check,
                "not_a_domain": self.not_a_domain,
                "unreadable": self.unreadable,
                "interrupted": self.interrupted.is_some(),
                "abandoned": self.interrupted.unwrap_or(0),
                "top_findings": top,
            }
        });
        serde_json::to_writer(&mut *out, &summary)?;
        writeln!(out)
    }

    /// The summary for a person: a blank line, the counts, the most common
    /// findings.
    pub(crate) fn write_human(&self, out: &mut impl Write) -> std::io::Result<()> {
        let checked = self.checked();
        write!(
            out,
            "\nChecked {checked} domain{}: {} ok, {} with errors, {} with warnings only",
            plural(checked),
            self.ok,
            self.errors,
            self.warnings
        )?;
        if self.could_not_check > 0 {
            write!(out, "; {} could not be checked", self.could_not_check)?;
        }
        if self.not_a_domain > 0 {
            let n = self.not_a_domain;
            write!(out, "; {n} input{} not a domain name", plural(n))?;
        }
        if self.unreadable > 0 {
            let n = self.unreadable;
            write!(out, "; {n} list{} unreadable", plural(n))?;
        }
        writeln!(out, ".")?;
        let top = self.top_codes();
        if !top.is_empty() {
            let top: Vec<String> = top
                .iter()
                .take(5)
                .map(|(code, n)| format!("{code} ({n})"))
                .collect();
            writeln!(out, "Most common findings (domains): {}.", top.join(", "))?;
        }
        Ok(())
    }

    /// The line for standard error after Ctrl-C.
    pub(crate) fn interrupted_line(&self) -> Option<String> {
        let abandoned = self.interrupted?;
        Some(format!(
            "mta-sts check: interrupted: {} result{} written, {abandoned} running check{} abandoned, no new check started",
            self.results(),
            plural(self.results()),
            plural(abandoned),
        ))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exit(tally: &Tally) -> ExitCode {
        tally.exit_code()
    }

    #[test]
    fn exit_status_follows_the_outcomes() {
        let mut tally = Tally::default();
        tally.add(Kind::NotADomain, &[]);
        assert_eq!(exit(&tally), ExitCode::from(2), "nothing checked");
        tally.add(Kind::Warnings, &["mx-pattern"]);
        assert_eq!(exit(&tally), ExitCode::from(1), "a junk line");
        let mut clean = Tally::default();
        clean.add(Kind::Ok, &[]);
        clean.add(Kind::Warnings, &["a"]);
        assert_eq!(exit(&clean), ExitCode::SUCCESS);
        clean.add(Kind::Errors, &["b"]);
        assert_eq!(exit(&clean), ExitCode::from(1));
        clean.interrupt(3);
        assert_eq!(exit(&clean), ExitCode::from(INTERRUPTED));
    }

    #[test]
    fn top_codes_count_checked_domains_most_common_first() {
        let mut tally = Tally::default();
        tally.add(Kind::Errors, &["b", "c"]);
        tally.add(Kind::Warnings, &["c"]);
        tally.add(Kind::CouldNotCheck, &["dns-failed"]);
        assert_eq!(tally.top_codes(), [("c", 2), ("b", 1)]);
        let mut json = Vec::new();
        tally.write_json(&mut json).expect("written");
        let json: serde_json::Value = serde_json::from_slice(&json).expect("JSON");
        assert_eq!(json["summary"]["checked"], 2);
        assert_eq!(json["summary"]["could_not_check"], 1);
        assert_eq!(json["summary"]["top_findings"][0]["code"], "c");
        assert_eq!(json["summary"]["top_findings"][0]["domains"], 2);
    }
}
