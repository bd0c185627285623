//! Findings the parsers record for the lint API: every tolerance lenient
//! parsing applied, and every text-level observation the lint catalog reports
//! (a `mx-uppercase` pattern, a repeated field, …). Crate-internal: the lint
//! module turns them into `Lint`s with severities and explanations.
//!
//! Parsers only record findings when asked to (the lint pass); plain parsing
//! records nothing and allocates nothing for them.

/// One observation, tied to a line of a policy (TXT findings have no line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Finding {
    /// The lint code from the SEMANTICS catalog, e.g. `"blank-line"`.
    pub(crate) code: &'static str,
    /// 1-based policy line; `None` for TXT findings.
    pub(crate) line: Option<usize>,
    /// The offending text, as written: the whole line for line-level
    /// findings (`blank-line`, `bom`, `leading-whitespace`, `invalid-line`,
    /// `mixed-line-endings`, `space-before-colon`), the key for
    /// `unknown-field`, `key-case` and `duplicate-field` / `txt-duplicate-field`,
    /// the raw value for `mx-*` and `max-age-*` findings, the id for
    /// `txt-id-invalid`, the `name=value` for `txt-unknown-field`, the whole
    /// record for `txt-space-before-semicolon` / `txt-trailing-whitespace`.
    pub(crate) subject: String,
    /// Extra detail where the code needs one: the A-label for `mx-u-label`,
    /// the canonical pattern for `mx-uppercase` / `mx-trailing-dot`, the
    /// known field name for `key-case`, the first occurrence's line number
    /// for `duplicate-field` / `txt-duplicate-field`, the effective value for
    /// `max-age-above-limit` and `max-age-leading-zeros`. Otherwise empty.
    pub(crate) detail: String,
    /// `duplicate-field`: the repeat's raw trimmed value differs from the
    /// first one (SEMANTICS P20: error instead of warning).
    pub(crate) conflict: bool,
}

impl Finding {
    pub(crate) fn new(code: &'static str, line: Option<usize>, subject: &str) -> Finding {
        Finding {
            code,
            line,
            subject: subject.to_owned(),
            detail: String::new(),
            conflict: false,
        }
    }

    pub(crate) fn with_detail(mut self, detail: impl Into<String>) -> Finding {
        self.detail = detail.into();
        self
    }
}
