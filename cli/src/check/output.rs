//! Where the results go: each report to standard output (and a line on
//! standard error for an input that has none), counted in the summary,
//! with the progress bar kept out of the way; then the summary.

use std::io::Write;
use std::process::ExitCode;

use super::domain::{Checked, Style};
use super::progress::Progress;
use super::summary::Tally;

/// The results written so far.
pub(crate) struct Output {
    style: Style,
    progress: Progress,
    tally: Tally,
    /// How many reports a person has been shown (a blank line between).
    reports: usize,
}

impl Output {
    pub(crate) fn new(style: Style, progress: Progress) -> Output {
        Output {
            style,
            progress,
            tally: Tally::default(),
            reports: 0,
        }
    }

    /// Writes one result and counts it.
    pub(crate) fn write(&mut self, checked: &Checked) -> std::io::Result<()> {
        self.tally.add(checked.kind(), &checked.codes());
        let after_another = self.reports > 0;
        if checked.kind().checked() {
            self.reports += 1;
        }
        let style = self.style;
        self.progress.suspend(|| {
            if let Some(complaint) = checked.complaint() {
                eprintln!("{complaint}");
            }
            let mut out = std::io::stdout().lock();
            checked.write(&mut out, style, after_another)?;
            out.flush()
        })?;
        self.progress.advance();
        Ok(())
    }

    /// Ctrl-C came; `abandoned` checks were running.
    pub(crate) fn interrupt(&mut self, abandoned: usize) {
        self.tally.interrupt(abandoned);
    }

    /// Removes the progress bar and writes the summary: in JSON always, for
    /// a person when there was more than one input or Ctrl-C came; then the
    /// exit status.
    pub(crate) fn finish(&self) -> std::io::Result<ExitCode> {
        self.progress.finish();
        let mut out = std::io::stdout().lock();
        if self.style.json {
            self.tally.write_json(&mut out)?;
        } else if self.tally.results() > 1 || self.tally.interrupted_line().is_some() {
            self.tally.write_human(&mut out)?;
        }
        out.flush()?;
        if let Some(line) = self.tally.interrupted_line() {
            eprintln!("{line}");
        }
        Ok(self.exit_code())
    }

    /// The exit status the results so far call for.
    pub(crate) fn exit_code(&self) -> ExitCode {
        self.tally.exit_code()
    }
}
