//! The semantic lints: what a policy's values mean, as opposed to how its
//! text is written. One function, [`lint`], serves both
//! [`check`](super::check) (values from the lenient scan, with their lines,
//! possibly incomplete) and [`lint_policy`](super::lint_policy) (a parsed
//! [`Policy`](crate::Policy), no lines).
//!
//! Every check is linear in the number of `mx` lines and DNS MX hosts:
//! comparisons go through sets, never every pattern against every other.

use std::collections::{HashMap, HashSet};

use super::report::CappedLints;
use super::{Context, Lint, Severity};
use crate::code::Code;
use crate::error::{NameWhy, Position};
use crate::hostname::{self, BadName};
use crate::message::quote_short;
use crate::policy::{Located, Values};
use crate::{Mode, MxPattern};

/// One day: `max_age` below this is an error (`max-age-short`).
const ONE_DAY: u64 = 86_400;
/// One week: `max_age` below this is a warning (`max-age-short`).
const ONE_WEEK: u64 = 604_800;

/// ` on line N`, or nothing without a line.
pub(super) fn on(line: Option<usize>) -> Position {
    Position { line, column: None }
}

/// The context's domain and DNS MX hosts in canonical form, when every
/// value given is a host name ("Context input").
struct Inputs {
    domain: Option<String>,
    /// `None` when not given, or when a value is not a host name; else
    /// each host as given and in canonical form.
    dns_mx: Option<Vec<(String, String)>>,
}

/// A lint that may repeat on every `mx` line or DNS MX host: `severity`
/// is its severity when it is not the catalog's usual one. Built only when
/// the report shows it.
pub(super) fn repeat(
    out: &mut CappedLints,
    code: Code,
    severity: Option<Severity>,
    lint: impl FnOnce() -> Lint,
) {
    let severity = severity.unwrap_or_else(|| super::catalog::entry(code).0);
    out.push_with((code, severity), lint);
}

/// Every semantic lint for `values` in `context`, appended to `lints`.
pub(crate) fn lint(values: &Values, context: &Context, out: &mut CappedLints) {
    let inputs = inputs(context, out);
    mode_lints(values, out);
    max_age_lints(values, out);
    pattern_lints(values, &inputs, out);
    super::dns::lint(values, inputs.dns_mx.as_deref(), out);
    super::tlsrpt::lint(values.mode.as_ref().map(|mode| mode.value), context, out);
}

/// Reads the context's names; a value that is not a host name gets a
/// `context-invalid` lint, and the checks that need it do not run.
fn inputs(context: &Context, out: &mut CappedLints) -> Inputs {
    let domain = context
        .domain_given()
        .and_then(|domain| canonical(domain, "domain", out));
    let dns_mx = context.mx_hosts().and_then(|hosts| {
        let canonical: Vec<Option<(String, String)>> = hosts
            .iter()
            .map(|host| Some((host.clone(), canonical(host, "DNS MX host", out)?)))
            .collect();
        canonical.into_iter().collect()
    });
    Inputs { domain, dns_mx }
}

/// A context name in canonical form, or a `context-invalid` lint.
fn canonical(name: &str, what: &str, out: &mut CappedLints) -> Option<String> {
    let stripped = hostname::strip_root(name);
    let why = match hostname::canonical_name(stripped) {
        Ok(name) => return Some(name),
        Err(_) if stripped.split_whitespace().nth(1).is_some() => {
            let words: Vec<&str> = stripped.split_whitespace().collect();
            if words.len() == 2 && words[0].bytes().all(|b| b.is_ascii_digit()) {
                format!(
                    "give the host name alone, without the MX preference {:?}",
                    words[0]
                )
            } else {
                "a host name holds no spaces".to_owned()
            }
        }
        Err(_) if stripped.starts_with('[') || stripped.parse::<std::net::IpAddr>().is_ok() => {
            "an address, not a host name".to_owned()
        }
        Err(_) if stripped.contains(':') => "give the host name alone, without a port".to_owned(),
        Err(BadName::Ascii(problem)) => NameWhy::of(problem, stripped).to_string(),
        Err(BadName::Idna) => NameWhy::Idna.to_string(),
    };
    repeat(out, Code::ContextInvalid, None, || {
        Lint::new(
            Code::ContextInvalid,
            None,
            format!(
                "the {what} {} given for the checks is not a host name: {why}",
                quote_short(name)
            ),
        )
    });
    None
}

fn mode_lints(values: &Values, out: &mut CappedLints) {
    let Some(Located { value: mode, line }) = values.mode else {
        return;
    };
    match mode {
        Mode::Enforce => {}
        Mode::Testing => out.push(Lint::new(
            Code::ModeTesting,
            line,
            format!(
                "mode is \"testing\"{}: senders report failures but still deliver",
                on(line)
            ),
        )),
        Mode::None => {
            out.push(Lint::new(
                Code::ModeNone,
                line,
                format!(
                    "mode is \"none\"{}: the policy tells senders MTA-STS is being withdrawn",
                    on(line)
                ),
            ));
            // P22.
            if let Some(first) = values.mx.first() {
                let count = values.mx.len();
                out.push(Lint::new(
                    Code::NoneWithMx,
                    first.line,
                    format!(
                        "mode is \"none\" but the policy lists {count} mx pattern{} (first: {:?}{}), which senders do not use",
                        if count == 1 { "" } else { "s" },
                        first.value.as_str(),
                        on(first.line),
                    ),
                ));
            }
        }
    }
}

fn max_age_lints(values: &Values, out: &mut CappedLints) {
    let Some(Located {
        value: max_age,
        line,
    }) = values.max_age
    else {
        return;
    };
    // P18.
    if max_age == 0 {
        out.push(Lint::new(
            Code::MaxAgeZero,
            line,
            format!(
                "max_age is 0{}: senders can never cache the policy",
                on(line)
            ),
        ));
        return;
    }
    let withdrawn = matches!(
        values.mode,
        Some(Located {
            value: Mode::None,
            ..
        })
    );
    if withdrawn || max_age >= ONE_WEEK {
        return;
    }
    let (severity, bound) = if max_age < ONE_DAY {
        (Severity::Error, "one day (86400 seconds)")
    } else {
        (Severity::Warning, "one week (604800 seconds)")
    };
    out.push(
        Lint::new(
            Code::MaxAgeShort,
            line,
            format!("max_age {max_age}{} is shorter than {bound}", on(line)),
        )
        .with_severity(severity),
    );
}

/// Whether `name` (lowercase, no trailing dot) is `ancestor` or below it at
/// a label boundary.
fn is_at_or_below(name: &str, ancestor: &str) -> bool {
    name == ancestor
        || name
            .strip_suffix(ancestor)
            .is_some_and(|head| head.ends_with('.'))
}

/// The name above a host's first label (`example.com` for
/// `mx.example.com`): a wildcard with this suffix covers the host (X2).
pub(super) fn parent(name: &str) -> Option<&str> {
    name.split_once('.').map(|(_, parent)| parent)
}

fn pattern_lints(values: &Values, inputs: &Inputs, out: &mut CappedLints) {
    // M15: the suffixes of the wildcards, wherever they are in the policy.
    let mut wildcards: HashMap<&str, &Located<MxPattern>> = HashMap::new();
    for located in values.mx.iter().filter(|l| l.value.is_wildcard()) {
        wildcards.entry(located.value.suffix()).or_insert(located);
    }
    // M14: the first line of each pattern.
    let mut first_seen: HashMap<&str, Option<usize>> = HashMap::new();
    for Located {
        value: pattern,
        line,
    } in &values.mx
    {
        let line = *line;
        let text = pattern.as_str();
        shape_lints(pattern, line, inputs, out);
        // M14: a repeat.
        if let Some(&first_line) = first_seen.get(text) {
            repeat(out, Code::MxDuplicate, None, || {
                let first =
                    first_line.map_or_else(String::new, |l| format!(" (first on line {l})"));
                Lint::new(
                    Code::MxDuplicate,
                    line,
                    format!("mx pattern {text:?}{} is listed twice{first}", on(line)),
                )
            });
            continue;
        }
        first_seen.insert(text, line);
        // M15: an exact name covered by a wildcard anywhere in the policy.
        if pattern.is_wildcard() {
            continue;
        }
        if let Some(wildcard) = parent(text).and_then(|parent| wildcards.get(parent)) {
            repeat(out, Code::MxRedundant, None, || {
                Lint::new(
                    Code::MxRedundant,
                    line,
                    format!(
                        "mx pattern {text:?}{} is already covered by {:?}{}",
                        on(line),
                        wildcard.value.as_str(),
                        on(wildcard.line),
                    ),
                )
            });
        }
    }
}

/// The lints about one pattern's shape: M4, M5 (wildcards, and a wildcard
/// over the policy domain), M11 (all-digit labels), M12 (one label).
fn shape_lints(pattern: &MxPattern, line: Option<usize>, inputs: &Inputs, out: &mut CappedLints) {
    let text = pattern.as_str();
    if pattern.is_wildcard() {
        let severity = wildcard_severity(pattern);
        repeat(out, Code::MxWildcard, Some(severity), || {
            wildcard_lint(pattern, line, inputs)
        });
        let suffix = pattern.suffix();
        if let Some(domain) = inputs
            .domain
            .as_deref()
            .filter(|d| is_at_or_below(d, suffix))
        {
            let whose = if domain == suffix {
                format!("{domain}'s own zone")
            } else {
                format!("{suffix}, a parent of {domain}")
            };
            repeat(out, Code::MxWildcardOwnDomain, None, || {
                Lint::new(
                    Code::MxWildcardOwnDomain,
                    line,
                    format!(
                        "wildcard mx pattern {text:?}{} lets every host in {whose} receive the domain's mail",
                        on(line)
                    ),
                )
            });
        }
    } else if text
        .split('.')
        .all(|label| label.bytes().all(|b| b.is_ascii_digit()))
    {
        repeat(out, Code::MxIpAddress, None, || {
            Lint::new(
                Code::MxIpAddress,
                line,
                format!(
                    "mx pattern {text:?}{} is an IP address, not a host name",
                    on(line)
                ),
            )
        });
    } else if !text.contains('.') {
        repeat(out, Code::MxSingleLabel, None, || {
            Lint::new(
                Code::MxSingleLabel,
                line,
                format!("mx pattern {text:?}{} is a single-label name", on(line)),
            )
        });
    }
}

/// `mx-wildcard`, with the remedy built from the DNS MX hosts when known.
/// `mx-wildcard`'s severity: an error for `*.<one label>` (M5), every name
/// under a top-level domain; a warning otherwise (M4).
fn wildcard_severity(pattern: &MxPattern) -> Severity {
    if pattern.suffix().contains('.') {
        Severity::Warning
    } else {
        Severity::Error
    }
}

fn wildcard_lint(pattern: &MxPattern, line: Option<usize>, inputs: &Inputs) -> Lint {
    let text = pattern.as_str();
    let suffix = pattern.suffix();
    let severity = wildcard_severity(pattern);
    let scope = if severity == Severity::Error {
        format!("every host under the top-level name {suffix:?}")
    } else {
        format!("any host directly under {suffix:?}")
    };
    let message = format!(
        "wildcard mx pattern {text:?}{} lets {scope} with a valid certificate receive the domain's mail",
        on(line)
    );
    let lint = Lint::new(Code::MxWildcard, line, message).with_severity(severity);
    let Some(hosts) = &inputs.dns_mx else {
        return lint;
    };
    let mut covered: Vec<&str> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for (_, host) in hosts {
        if parent(host) == Some(suffix) && seen.insert(host) {
            covered.push(host);
        }
    }
    let place = line.map_or_else(|| "it".to_owned(), |l| format!("line {l}"));
    let remedy = if covered.is_empty() {
        format!(
            "None of the domain's DNS MX hosts matches {text:?}: delete {place}, and list each \
             MX host by its full name on its own \"mx:\" line."
        )
    } else {
        let lines: String = covered
            .iter()
            .map(|host| format!("\n    mx: {host}"))
            .collect();
        format!(
            "Instead, replace {place} with one line for each of the domain's MX hosts it \
             covers, exactly as the MX records name them:\n{lines}"
        )
    };
    lint.with_explanation(format!("{}\n\n{remedy}", super::catalog::MX_WILDCARD_WHY))
}
