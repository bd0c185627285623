//! The lint result types: [`Severity`], [`Lint`] and [`Report`].

use std::borrow::Cow;
use std::fmt;

use std::collections::HashMap;

use crate::code::Code;
use crate::names::names;
use crate::{ErrorKind, Policy};

/// How serious a [`Lint`] is: one model everywhere (see the
/// [module docs](crate::lint#catalog)). The three levels are the model
/// itself, so the enum is exhaustive on purpose: a `match` needs no
/// wildcard arm.
///
/// Ordered from most to least serious, so sorting puts errors first:
///
/// ```
/// use mta_sts::lint::Severity;
///
/// assert!(Severity::Error < Severity::Warning && Severity::Warning < Severity::Info);
/// assert_eq!(Severity::Warning.to_string(), "warning");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Senders reject the policy or record, or the policy does not protect
    /// the domain's mail as intended (or lets the wrong hosts receive it).
    Error,
    /// Works with some senders but not all, or weakens the protection.
    Warning,
    /// Worth knowing; nothing to fix unless unintended.
    Info,
}

names!(Severity, pub fn as_str(by_ref), parse(ErrorKind::Syntax, "lint severity") {
    Error => "error",
    Warning => "warning",
    Info => "info",
});

/// One finding: a stable code, a severity, a one-line message naming the
/// offending value and line, and an explanation of why it matters and what
/// to write instead.
///
/// `Display` writes one line, `severity[code]: message`:
///
/// ```
/// use mta_sts::lint::{self, Context, Severity};
///
/// let report = lint::check(
///     "version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 604800\n",
///     &Context::new(),
/// );
/// let lint = &report.lints()[0];
/// assert_eq!((lint.code(), lint.severity(), lint.line()), ("mx-wildcard", Severity::Warning, Some(3)));
/// assert_eq!(
///     lint.to_string(),
///     "warning[mx-wildcard]: wildcard mx pattern \"*.example.com\" on line 3 lets any host \
///      directly under \"example.com\" with a valid certificate receive the domain's mail"
/// );
/// assert!(lint.explanation().contains("§10.4"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lint {
    code: Code,
    severity: Severity,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
    explanation: Cow<'static, str>,
}

impl Lint {
    /// Builds a lint with the catalog's severity and explanation for `code`.
    pub(crate) fn new(code: Code, line: Option<usize>, message: String) -> Lint {
        let (severity, explanation) = super::catalog::entry(code);
        Lint {
            code,
            severity,
            line,
            column: None,
            message,
            explanation: Cow::Borrowed(explanation),
        }
    }

    /// The same lint with another severity, for the codes whose severity
    /// depends on the finding.
    pub(crate) fn with_severity(mut self, severity: Severity) -> Lint {
        self.severity = severity;
        self
    }

    /// What repeats are counted by: the code and the severity.
    pub(crate) fn key(&self) -> (Code, Severity) {
        (self.code, self.severity)
    }

    /// The same lint pointing at a column.
    pub(crate) fn with_column(mut self, column: Option<usize>) -> Lint {
        self.column = column;
        self
    }

    /// Replaces the explanation with one built for this finding.
    pub(crate) fn with_explanation(mut self, explanation: String) -> Lint {
        self.explanation = Cow::Owned(explanation);
        self
    }

    /// The stable kebab-case code: a code from the lint catalog (see the
    /// [module docs](crate::lint)) or a parse error's
    /// [`Error::code`](crate::Error::code).
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.code.as_str()
    }

    /// How serious the finding is.
    #[must_use]
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// One line naming the offending value and, where known, its line.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Why it matters, with the RFC section or guidance behind it, and what
    /// to write instead. May hold several paragraphs separated by blank
    /// lines, and indented example lines.
    #[must_use]
    pub fn explanation(&self) -> &str {
        &self.explanation
    }

    /// The 1-based policy line the finding is about, if it is about one.
    ///
    /// Whole-policy findings (`missing-field`, `missing-mx`), DNS
    /// cross-checks and TXT record findings have none, and neither do the
    /// lints from [`lint_policy`](crate::lint::lint_policy).
    #[must_use]
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// The 1-based column (in characters) of the offending character, when
    /// one character is at fault (a parse error's column, a stray space, a
    /// trailing dot, …).
    #[must_use]
    pub fn column(&self) -> Option<usize> {
        self.column
    }
}

impl fmt::Display for Lint {
    /// `severity[code]: message`, one line (the message names the line).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[{}]: {}", self.severity, self.code(), self.message)
    }
}

/// What [`check`](crate::lint::check) found: every lint, ordered, and the
/// policy if the lenient parse succeeded.
///
/// Lints are ordered by line (lints without a line come last), then by
/// severity (errors first); lints on the same line with the same severity
/// keep the order in which they were found.
/// Two reports are equal when they hold the same policy (or none) and the
/// same lints in the same order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub(crate) policy: Option<Policy>,
    pub(crate) lints: Vec<Lint>,
}

impl Report {
    /// The policy as a lenient sender reads it, when the text parses
    /// leniently as a whole; `None` otherwise.
    #[must_use]
    pub fn policy(&self) -> Option<&Policy> {
        self.policy.as_ref()
    }

    /// Every finding, in report order.
    #[must_use]
    pub fn lints(&self) -> &[Lint] {
        &self.lints
    }

    /// Whether any finding has error severity.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.lints
            .iter()
            .any(|lint| lint.severity == Severity::Error)
    }

    /// The number of findings with the given severity.
    ///
    /// ```
    /// use mta_sts::lint::{self, Context, Severity};
    ///
    /// let report = lint::check(
    ///     "version: STSv1\nmode: testing\nmx: mail.example.com\nmax_age: 3600\n",
    ///     &Context::new(),
    /// );
    /// // max-age-short (error, under a day) and mode-testing (info).
    /// assert_eq!(report.count(Severity::Error), 1);
    /// assert_eq!(report.count(Severity::Warning), 0);
    /// assert_eq!(report.count(Severity::Info), 1);
    /// assert!(report.has_errors());
    /// ```
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.lints
            .iter()
            .filter(|lint| lint.severity == severity)
            .count()
    }
}

/// How many lints of one code a report shows before it summarises the
/// rest (SEMANTICS: "reported on its first 100 lines").
pub(crate) const REPEAT_LIMIT: usize = 100;

/// The lints of one report as they are found, with the cap applied in
/// this one place: the first [`REPEAT_LIMIT`] of each code and severity
/// are kept, the one after becomes a summary of the rest ("… and N more
/// lines like this", N known at the end), and the others are only counted,
/// never built, so a text with a problem on every line costs no more than
/// it must.
#[derive(Default)]
pub(crate) struct CappedLints {
    lints: Vec<Lint>,
    seen: HashMap<(Code, Severity), Seen>,
}

/// How many lints of one code and severity were found, and where the
/// summary of the left-out ones stands.
#[derive(Default)]
struct Seen {
    count: usize,
    summary: Option<usize>,
}

impl CappedLints {
    /// Adds a lint.
    pub(crate) fn push(&mut self, lint: Lint) {
        self.push_with(lint.key(), || lint);
    }

    /// Adds the lint `lint` builds, with code and severity `key`; `lint` is
    /// called only when the lint is shown.
    pub(crate) fn push_with(&mut self, key: (Code, Severity), lint: impl FnOnce() -> Lint) {
        let seen = self.seen.entry(key).or_default();
        seen.count += 1;
        if seen.count == REPEAT_LIMIT + 1 {
            seen.summary = Some(self.lints.len());
        }
        if seen.count <= REPEAT_LIMIT + 1 {
            self.lints.push(lint());
        }
    }

    /// The lints in report order (by line, none last, then severity), each
    /// summary saying how many lints it stands for.
    pub(crate) fn finish(mut self) -> Vec<Lint> {
        for seen in self.seen.values() {
            if let Some(at) = seen.summary {
                let rest = seen.count - REPEAT_LIMIT;
                let what = if rest == 1 { "line" } else { "lines" };
                let summary = &mut self.lints[at];
                summary.column = None;
                summary.message = format!("… and {rest} more {what} like this");
            }
        }
        self.lints
            .sort_by_key(|lint| (lint.line.is_none(), lint.line, lint.severity));
        self.lints
    }
}

#[cfg(feature = "serde")]
mod serde_impls {
    use serde::ser::{Serialize, SerializeStruct, Serializer};

    use super::{Lint, Report};

    impl Serialize for Lint {
        /// As `{"code", "severity", "line", "column", "message",
        /// "explanation"}`, `line` and `column` being `null` when the lint
        /// has none.
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut lint = serializer.serialize_struct("Lint", 6)?;
            lint.serialize_field("code", self.code())?;
            lint.serialize_field("severity", &self.severity)?;
            lint.serialize_field("line", &self.line)?;
            lint.serialize_field("column", &self.column)?;
            lint.serialize_field("message", &self.message)?;
            lint.serialize_field("explanation", &*self.explanation)?;
            lint.end()
        }
    }

    impl Serialize for Report {
        /// As `{"lints": [...], "policy": <policy or null>}`.
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut report = serializer.serialize_struct("Report", 2)?;
            report.serialize_field("lints", &self.lints)?;
            report.serialize_field("policy", &self.policy)?;
            report.end()
        }
    }
}
