//! One parsing pass: strict or lenient, stopping at the first error or
//! collecting everything, and the [`Finding`]s it records.
//!
//! Every parser (policy lines, `mx` values, TXT and TLS-RPT records) takes a
//! [`Pass`]. A rule with a lenient tolerance is one call,
//! [`Pass::deviation`], at the point of the rule; an error ends the current
//! item (`?`), and at the item's boundary [`Pass::error`] decides whether
//! the whole parse stops (plain parsing) or the error is recorded and the
//! next item is read (the lint pass). Plain parsing records nothing and
//! allocates nothing for findings. The TLS-RPT report reader runs on the
//! same `Pass`, with its own deviation and error types.

use crate::code::Code;
use crate::{Error, ParseOptions};

/// One observation for the lint API: a tolerance lenient parsing applied,
/// or a text-level note (an `mx-uppercase` pattern, a repeated field, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Finding {
    pub(crate) code: Code,
    /// 1-based policy line; `None` for TXT findings.
    pub(crate) line: Option<usize>,
    /// 1-based column where one character is at fault.
    pub(crate) column: Option<usize>,
    /// The offending text as written: the line for line-level findings,
    /// the key for key findings, the raw value for value findings, the
    /// record for record-level TXT findings.
    pub(crate) subject: String,
    /// What the message needs beyond the subject.
    pub(crate) detail: Detail,
}

/// The data a finding's message needs beyond its subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Detail {
    None,
    /// What the text was read as, or should be: the canonical pattern
    /// (`mx-uppercase`, `mx-trailing-dot`), the A-label (`mx-u-label`), the
    /// effective value (`max-age-*`), the character's name
    /// (`unicode-space`).
    Text(String),
    /// The known key a key resembles (`key-case`, `unknown-field`), and
    /// whether it differs in case only.
    Resembles {
        key: &'static str,
        case_only: bool,
    },
    /// A repeated field (`duplicate-field`, `txt-duplicate-field`): the
    /// first occurrence's line, and whether the raw values differ (P20).
    Repeat {
        first_line: Option<usize>,
        differs: bool,
    },
}

impl Finding {
    pub(crate) fn new(code: Code, place: Place<'_>, subject: &str) -> Finding {
        Finding {
            code,
            line: place.line,
            column: None,
            subject: subject.to_owned(),
            detail: Detail::None,
        }
    }

    /// The same finding with the column of byte `at` of the place's text.
    pub(crate) fn at(mut self, place: Place<'_>, at: usize) -> Finding {
        self.column = Some(place.column(at));
        self
    }

    pub(crate) fn detail(mut self, detail: Detail) -> Finding {
        self.detail = detail;
        self
    }

    pub(crate) fn text(self, text: impl Into<String>) -> Finding {
        self.detail(Detail::Text(text.into()))
    }
}

/// Where an item sits: its policy line (none for a TXT record) and the
/// text columns count in (the whole line or record). Columns are computed
/// only when an error or a finding needs one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Place<'t> {
    pub(crate) line: Option<usize>,
    pub(crate) text: &'t str,
}

impl<'t> Place<'t> {
    pub(crate) fn line(line: usize, text: &'t str) -> Place<'t> {
        Place {
            line: Some(line),
            text,
        }
    }

    pub(crate) fn record(text: &'t str) -> Place<'t> {
        Place { line: None, text }
    }

    /// The 1-based column, in characters, of byte offset `at`.
    pub(crate) fn column(self, at: usize) -> usize {
        self.text
            .get(..at)
            .map_or(at, |prefix| prefix.chars().count())
            + 1
    }

    /// `error` placed at byte offset `at`.
    pub(crate) fn error(self, error: impl Into<Error>, at: usize) -> Error {
        error.into().at(self.line, Some(self.column(at)))
    }
}

/// What a pass recorded.
#[derive(Debug)]
pub(crate) struct Sink<F = Finding, E = Error> {
    /// Every error, in the order found (a collecting pass only).
    pub(crate) errors: Vec<E>,
    /// Every deviation and note, in the order found.
    pub(crate) findings: Vec<F>,
}

impl<F, E> Default for Sink<F, E> {
    fn default() -> Self {
        Sink {
            errors: Vec::new(),
            findings: Vec::new(),
        }
    }
}

/// How a parser runs. See the module docs. The text parsers record
/// [`Finding`]s and fail with [`Error`]s; the TLS-RPT report reader records
/// its `Deviation`s and fails with `ReportError`s.
#[derive(Debug)]
pub(crate) struct Pass<F = Finding, E = Error> {
    lenient: bool,
    /// Whether errors are recorded and parsing goes on (the lint pass).
    collecting: bool,
    /// `Some` when findings are recorded.
    sink: Option<Sink<F, E>>,
}

impl<F, E> Pass<F, E> {
    /// Plain parsing: the first error is the result, and nothing is
    /// recorded.
    pub(crate) fn first_error(options: &ParseOptions) -> Self {
        Pass {
            lenient: options.is_lenient(),
            collecting: false,
            sink: None,
        }
    }

    /// The first error is the result; every finding is recorded (the
    /// report reader, whose deviations are part of what it returns).
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn recording(options: &ParseOptions) -> Self {
        Pass {
            lenient: options.is_lenient(),
            collecting: false,
            sink: Some(Sink::default()),
        }
    }

    /// The lint pass: every error and finding is recorded, and parsing
    /// carries on with the next item.
    pub(crate) fn collect(options: &ParseOptions) -> Self {
        Pass {
            lenient: options.is_lenient(),
            collecting: true,
            sink: Some(Sink::default()),
        }
    }

    pub(crate) fn is_lenient(&self) -> bool {
        self.lenient
    }

    pub(crate) fn is_collecting(&self) -> bool {
        self.collecting
    }

    /// An error at an item's boundary: plain parsing stops (`Err`); the
    /// lint pass records it and goes on with the next item (`Ok`).
    pub(crate) fn error(&mut self, error: E) -> Result<(), E> {
        match &mut self.sink {
            Some(sink) if self.collecting => {
                sink.errors.push(error);
                Ok(())
            }
            _ => Err(error),
        }
    }

    /// A rule with a lenient tolerance: lenient records the finding and
    /// goes on (`Ok`); strict refuses with the error, which ends the item.
    pub(crate) fn deviation(
        &mut self,
        finding: impl FnOnce() -> F,
        strict: impl FnOnce() -> E,
    ) -> Result<(), E> {
        if !self.lenient {
            return Err(strict());
        }
        self.note(finding);
        Ok(())
    }

    /// An observation that is never an error, recorded when recording.
    pub(crate) fn note(&mut self, finding: impl FnOnce() -> F) {
        if let Some(sink) = &mut self.sink {
            sink.findings.push(finding());
        }
    }

    /// What was recorded (empty for plain parsing).
    pub(crate) fn into_sink(self) -> Sink<F, E> {
        self.sink.unwrap_or_default()
    }
}
