//! One input's result: what the check of a domain found (or why there is
//! nothing to check), its outcome, and how it is written: for a person
//! (the lint's report, or one line on standard error) or as one JSON
//! object.

use std::io::Write;

use mta_sts::Policy;
use mta_sts::audit::{DnsAnswer, Evidence, audit};
use mta_sts::lint::{Lint, Report, Severity};
use mta_sts_net::{Config, gather};

use super::list::{Input, Origin};
use crate::lint::{EXPLAIN_UP_TO, Fixes, JsonExtra, Outcome, describe, write_human, write_json};

/// What became of one input; its name in JSON (`outcome`) is
/// [`Kind::name`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Checked: no error and no warning.
    Ok,
    /// Checked: at least one finding is an error.
    Errors,
    /// Checked: warnings, no error.
    Warnings,
    /// The domain does not exist, or its DNS queries got no answer.
    CouldNotCheck,
    /// The input is not a domain name.
    NotADomain,
    /// A `--from` list that cannot be read.
    Unreadable,
}

impl Kind {
    /// The name in JSON.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Ok => "ok",
            Kind::Errors => "errors",
            Kind::Warnings => "warnings",
            Kind::CouldNotCheck => "could-not-check",
            Kind::NotADomain => "not-a-domain",
            Kind::Unreadable => "unreadable",
        }
    }

    /// The domain was checked (it has a report).
    pub(crate) fn checked(self) -> bool {
        matches!(self, Kind::Ok | Kind::Errors | Kind::Warnings)
    }
}

/// One input's result.
pub(crate) struct Checked {
    /// Where it came from; `None` for an unreadable list.
    origin: Option<Origin>,
    /// The domain as written (the text, for a line that is not one; the
    /// file, for an unreadable list).
    domain: String,
    kind: Kind,
    /// Why it could not be checked.
    reason: Option<String>,
    /// The audit report, when the domain was asked about.
    outcome: Option<Outcome>,
    /// The `_mta-sts` record, for the fixes.
    txt: Option<String>,
}

/// How reports are written.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Style {
    pub(crate) json: bool,
    pub(crate) explain: bool,
    pub(crate) colour: bool,
    pub(crate) width: usize,
}

impl Checked {
    /// Checks `domain` (already known to be a domain name): DNS, the
    /// policy, the MX hosts, then the audit.
    pub(crate) async fn check(origin: Origin, domain: String, config: &Config) -> Checked {
        let evidence = gather(&domain, config).await;
        let outcome = outcome(&evidence, audit(&evidence));
        let reason = could_not_check(outcome.lints());
        let kind = if reason.is_some() {
            Kind::CouldNotCheck
        } else if outcome.failed() {
            Kind::Errors
        } else if outcome.count(Severity::Warning) > 0 {
            Kind::Warnings
        } else {
            Kind::Ok
        };
        Checked {
            origin: Some(origin),
            domain,
            kind,
            reason,
            txt: sts_record(&evidence),
            outcome: Some(outcome),
        }
    }

    /// The result of an input that is not checked (not a domain name, an
    /// unreadable list); `Err` gives back a domain, which must be checked.
    pub(crate) fn without_check(input: Input) -> Result<Checked, (Origin, String)> {
        let (origin, domain, kind, reason) = match input {
            Input::Domain { origin, domain } => return Err((origin, domain)),
            Input::NotADomain {
                origin,
                text,
                reason,
            } => (Some(origin), text, Kind::NotADomain, reason),
            Input::Unreadable { file, reason } => {
                (None, file.to_string(), Kind::Unreadable, reason)
            }
        };
        Ok(Checked {
            origin,
            domain,
            kind,
            reason: Some(reason),
            outcome: None,
            txt: None,
        })
    }

    /// The result of a check that ended without one (a bug): it could not
    /// be checked.
    pub(crate) fn failed(origin: Origin, domain: String) -> Checked {
        Checked {
            origin: Some(origin),
            domain,
            kind: Kind::CouldNotCheck,
            reason: Some("the check stopped unexpectedly".to_owned()),
            outcome: None,
            txt: None,
        }
    }

    pub(crate) fn kind(&self) -> Kind {
        self.kind
    }

    /// The codes of the findings (each once), for the summary.
    pub(crate) fn codes(&self) -> Vec<&'static str> {
        let lints = self.outcome.as_ref().map_or(&[][..], Outcome::lints);
        let mut codes: Vec<&'static str> = lints.iter().map(Lint::code).collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    }

    /// The line for standard error when there is no report, naming the
    /// input and what is wrong.
    pub(crate) fn complaint(&self) -> Option<String> {
        let reason = self.reason.as_deref()?;
        let (domain, kind) = (&self.domain, self.kind);
        Some(match &self.origin {
            None => format!("mta-sts check: cannot read {domain:?}: {reason}"),
            Some(Origin::Argument(_)) => {
                format!("mta-sts check: {domain}: could not check: {reason}")
            }
            Some(origin) if kind == Kind::NotADomain => {
                format!("mta-sts check: {origin}: {reason}")
            }
            Some(origin) => format!("mta-sts check: {origin}: {domain}: could not check: {reason}"),
        })
    }

    /// Writes the report: the lint's, for a person (nothing when there is
    /// none: see [`Checked::complaint`]), preceded by a blank line when
    /// `after_another`; or one JSON object on one line.
    pub(crate) fn write(
        &self,
        out: &mut impl Write,
        style: Style,
        after_another: bool,
    ) -> std::io::Result<()> {
        if style.json {
            return self.write_json(out);
        }
        let Some(outcome) = self.outcome.as_ref().filter(|_| self.kind.checked()) else {
            return Ok(());
        };
        if after_another {
            writeln!(out)?;
        }
        let explain = style.explain || outcome.lints().len() <= EXPLAIN_UP_TO;
        let fixes = Fixes::new(outcome.text.as_deref(), self.txt.as_deref());
        write_human(
            out,
            &verdict(outcome),
            outcome,
            &fixes,
            style.width,
            explain,
            style.colour,
        )
    }

    /// One JSON object on one line: the lint's JSON report with the
    /// domain, its list line, the outcome and why it could not be checked;
    /// only these fields when there is no report.
    fn write_json(&self, out: &mut impl Write) -> std::io::Result<()> {
        let (file, line) = match &self.origin {
            Some(Origin::Line { file, line }) => (Some(&**file), Some(*line)),
            Some(Origin::Argument(_)) => (None, None),
            None => (Some(self.domain.as_str()), None),
        };
        let extra = JsonExtra {
            domain: &self.domain,
            file,
            line,
            outcome: self.kind.name(),
            could_not_check: self.reason.as_deref(),
        };
        match &self.outcome {
            Some(outcome) => write_json(out, outcome, Some(extra)),
            None => {
                serde_json::to_writer(&mut *out, &extra)?;
                writeln!(out)
            }
        }
    }
}

/// The audit report as the lint output takes it: the fetched policy text
/// (when it is UTF-8) and its strict parse; no text when no policy came.
fn outcome(evidence: &Evidence, report: Report) -> Outcome {
    let text = match evidence.fetch.as_ref().map(|fetch| &fetch.result) {
        Some(Ok(exchange)) if report.policy().is_some() => {
            String::from_utf8(exchange.body.clone()).ok()
        }
        _ => None,
    };
    Outcome {
        name: evidence.domain.clone(),
        strict: text.as_deref().map(Policy::parse),
        text,
        report: Some(report),
    }
}

/// The `_mta-sts` TXT record senders read (the one record that starts
/// with `v=STSv1`), for the fixes of `txt-…` findings.
fn sts_record(evidence: &Evidence) -> Option<String> {
    let DnsAnswer::Records(records) = &evidence.sts_txt else {
        return None;
    };
    let mut sts = records.iter().map(|strings| {
        let bytes: Vec<u8> = strings.iter().flat_map(|s| s.iter().copied()).collect();
        String::from_utf8(bytes).ok()
    });
    let sts = sts.find(|text| text.as_deref().is_some_and(|t| t.starts_with("v=STSv1")));
    sts.flatten()
}

/// Why the audit could not see the domain: it does not exist, or its
/// `_mta-sts` TXT or MX query got no answer (the messages name the query
/// and the reason, and the code follows).
fn could_not_check(lints: &[Lint]) -> Option<String> {
    lints
        .iter()
        .find(|lint| {
            lint.code() == "domain-not-found"
                || (lint.code() == "dns-failed" && lint.severity() == Severity::Error)
        })
        .map(|lint| format!("{} [{}]", lint.message(), lint.code()))
}

/// The first line, in plain words: what senders that honour MTA-STS do
/// with the domain.
fn verdict(outcome: &Outcome) -> String {
    let name = &outcome.name;
    let errors = outcome.count(Severity::Error);
    let policy = outcome.report.as_ref().and_then(Report::policy);
    match policy {
        Some(policy) if errors == 0 => format!(
            "{name}: MTA-STS is in place: senders apply {}.",
            describe(policy)
        ),
        Some(policy) => format!(
            "{name}: senders that get the policy apply {}, but {errors} finding{} {} errors.",
            describe(policy),
            if errors == 1 { "" } else { "s" },
            if errors == 1 { "is" } else { "are" },
        ),
        None if errors == 0 => format!("{name}: no MTA-STS policy: senders deliver without it."),
        None => format!(
            "{name}: senders get no MTA-STS policy, so it has no effect; {errors} finding{} {} errors.",
            if errors == 1 { "" } else { "s" },
            if errors == 1 { "is" } else { "are" },
        ),
    }
}
