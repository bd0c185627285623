//! The semantic lints: what a policy's values mean, as opposed to how its
//! text is written. One function, [`lint`], serves both
//! [`check`](super::check) (values from the lenient scan, with their lines,
//! possibly incomplete) and [`lint_policy`](super::lint_policy) (a parsed
//! [`Policy`], no lines).

use super::context::canonical_host;
use super::{Context, Lint, Severity};
use crate::{Mode, MxPattern, Policy};

/// One day: `max_age` below this is an error (`max-age-short`).
const ONE_DAY: u64 = 86_400;
/// One week: `max_age` below this is a warning (`max-age-short`).
const ONE_WEEK: u64 = 604_800;

/// The policy values the semantic lints look at. From a scan, each value
/// carries its line; a value is `None` when its field was missing or did
/// not parse.
pub(crate) struct Facts<'a> {
    /// The first valid mode and its line.
    pub(crate) mode: Option<(Mode, Option<usize>)>,
    /// The first valid, effective (clamped) `max_age` and its line.
    pub(crate) max_age: Option<(u64, Option<usize>)>,
    /// Every `mx` pattern that parsed, in file order, with its line.
    pub(crate) mx: Vec<(&'a MxPattern, Option<usize>)>,
    /// Whether every `mx` line parsed (the DNS cross-checks need the whole
    /// list).
    pub(crate) mx_complete: bool,
}

impl<'a> Facts<'a> {
    /// The facts of a parsed policy: complete, without lines.
    pub(crate) fn of_policy(policy: &'a Policy) -> Facts<'a> {
        Facts {
            mode: Some((policy.mode(), None)),
            max_age: Some((policy.max_age(), None)),
            mx: policy.mx().iter().map(|pattern| (pattern, None)).collect(),
            mx_complete: true,
        }
    }
}

/// ` on line N`, or nothing without a line.
fn on(line: Option<usize>) -> String {
    line.map_or_else(String::new, |line| format!(" on line {line}"))
}

/// Every semantic lint for `facts` in `context`, appended to `out`.
pub(crate) fn lint(facts: &Facts<'_>, context: &Context, out: &mut Vec<Lint>) {
    mode_lints(facts, out);
    max_age_lints(facts, out);
    pattern_lints(facts, context, out);
    dns_lints(facts, context, out);
    super::tlsrpt::lint(facts.mode.map(|(mode, _)| mode), context, out);
}

fn mode_lints(facts: &Facts<'_>, out: &mut Vec<Lint>) {
    let Some((mode, line)) = facts.mode else {
        return;
    };
    match mode {
        Mode::Enforce => {}
        Mode::Testing => out.push(Lint::new(
            "mode-testing",
            Severity::Info,
            line,
            format!(
                "mode is \"testing\"{}: senders report failures but still deliver",
                on(line)
            ),
        )),
        Mode::None => {
            out.push(Lint::new(
                "mode-none",
                Severity::Info,
                line,
                format!(
                    "mode is \"none\"{}: the policy tells senders MTA-STS is being withdrawn",
                    on(line)
                ),
            ));
            if let Some((pattern, mx_line)) = facts.mx.first() {
                let count = facts.mx.len();
                out.push(Lint::new(
                    "none-with-mx",
                    Severity::Info,
                    *mx_line,
                    format!(
                        "mode is \"none\" but the policy lists {count} mx pattern{} (first: {:?}{}), which senders do not use",
                        if count == 1 { "" } else { "s" },
                        pattern.as_str(),
                        on(*mx_line),
                    ),
                ));
            }
        }
    }
}

fn max_age_lints(facts: &Facts<'_>, out: &mut Vec<Lint>) {
    let Some((max_age, line)) = facts.max_age else {
        return;
    };
    if max_age == 0 {
        out.push(Lint::new(
            "max-age-zero",
            Severity::Error,
            line,
            format!(
                "max_age is 0{}: senders can never cache the policy",
                on(line)
            ),
        ));
        return;
    }
    let withdrawn = matches!(facts.mode, Some((Mode::None, _)));
    if withdrawn || max_age >= ONE_WEEK {
        return;
    }
    let (severity, bound) = if max_age < ONE_DAY {
        (Severity::Error, "one day (86400 seconds)")
    } else {
        (Severity::Warning, "one week (604800 seconds)")
    };
    out.push(Lint::new(
        "max-age-short",
        severity,
        line,
        format!("max_age {max_age}{} is shorter than {bound}", on(line)),
    ));
}

/// Whether `name` (lowercase, no trailing dot) is `ancestor` or below it at
/// a label boundary.
fn is_at_or_below(name: &str, ancestor: &str) -> bool {
    name == ancestor
        || name
            .strip_suffix(ancestor)
            .is_some_and(|head| head.ends_with('.'))
}

fn pattern_lints(facts: &Facts<'_>, context: &Context, out: &mut Vec<Lint>) {
    let domain = context.policy_domain();
    for (index, &(pattern, line)) in facts.mx.iter().enumerate() {
        let text = pattern.as_str();
        if pattern.is_wildcard() {
            out.push(wildcard_lint(pattern, line, context));
            let suffix = pattern.suffix();
            if let Some(domain) = domain.as_deref().filter(|d| is_at_or_below(d, suffix)) {
                let whose = if domain == suffix {
                    format!("{domain}'s own zone")
                } else {
                    format!("{suffix}, a parent of {domain}")
                };
                out.push(Lint::new(
                    "mx-wildcard-own-domain",
                    Severity::Error,
                    line,
                    format!("wildcard mx pattern {text:?}{} lets every host in {whose} receive the domain's mail", on(line)),
                ));
            }
        } else if text
            .split('.')
            .all(|label| label.bytes().all(|b| b.is_ascii_digit()))
        {
            out.push(Lint::new(
                "mx-ip-address",
                Severity::Error,
                line,
                format!(
                    "mx pattern {text:?}{} is an IP address, not a host name",
                    on(line)
                ),
            ));
        } else if !text.contains('.') {
            out.push(Lint::new(
                "mx-single-label",
                Severity::Warning,
                line,
                format!("mx pattern {text:?}{} is a single-label name", on(line)),
            ));
        }

        if let Some(&(_, first_line)) = facts.mx[..index].iter().find(|(p, _)| p.as_str() == text) {
            let first = first_line.map_or_else(String::new, |l| format!(" (first on line {l})"));
            out.push(Lint::new(
                "mx-duplicate",
                Severity::Info,
                line,
                format!("mx pattern {text:?}{} is listed twice{first}", on(line)),
            ));
        } else if !pattern.is_wildcard() {
            let covering = facts
                .mx
                .iter()
                .find(|(other, _)| other.is_wildcard() && other.matches(text));
            if let Some(&(wildcard, wildcard_line)) = covering {
                out.push(Lint::new(
                    "mx-redundant",
                    Severity::Info,
                    line,
                    format!(
                        "mx pattern {text:?}{} is already covered by {:?}{}",
                        on(line),
                        wildcard.as_str(),
                        on(wildcard_line),
                    ),
                ));
            }
        }
    }
}

/// `mx-wildcard`, with the remedy built from the DNS MX hosts when known.
fn wildcard_lint(pattern: &MxPattern, line: Option<usize>, context: &Context) -> Lint {
    let text = pattern.as_str();
    let suffix = pattern.suffix();
    let one_label = !suffix.contains('.');
    let (severity, scope) = if one_label {
        (
            Severity::Error,
            format!("every host under the top-level name {suffix:?}"),
        )
    } else {
        (
            Severity::Warning,
            format!("any host directly under {suffix:?}"),
        )
    };
    let message = format!(
        "wildcard mx pattern {text:?}{} lets {scope} with a valid certificate receive the domain's mail",
        on(line)
    );
    let Some(hosts) = context.mx_hosts() else {
        return Lint::new("mx-wildcard", severity, line, message);
    };
    let mut covered: Vec<String> = Vec::new();
    for host in hosts {
        if let Some(host) = canonical_host(host).filter(|h| pattern.matches(h)) {
            if !covered.contains(&host) {
                covered.push(host);
            }
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
    Lint::new("mx-wildcard", severity, line, message)
        .with_explanation(format!("{}\n\n{remedy}", super::catalog::MX_WILDCARD_WHY))
}

/// The DNS cross-checks: only with a DNS MX list, a known mode other than
/// none, and every `mx` line parsed.
fn dns_lints(facts: &Facts<'_>, context: &Context, out: &mut Vec<Lint>) {
    let Some(hosts) = context.mx_hosts() else {
        return;
    };
    let mode = match facts.mode {
        Some((Mode::None, _)) | None => return,
        Some((mode, _)) => mode,
    };
    if !facts.mx_complete {
        return;
    }
    if hosts.is_empty() {
        out.push(Lint::new(
            "mx-no-dns-mx",
            Severity::Error,
            None,
            format!("the domain has no DNS MX hosts, but the policy is in {mode} mode"),
        ));
        return;
    }
    let severity = if mode == Mode::Enforce {
        Severity::Error
    } else {
        Severity::Warning
    };
    for host in hosts {
        if !facts.mx.iter().any(|(pattern, _)| pattern.matches(host)) {
            let fix = canonical_host(host)
                .map_or_else(String::new, |name| format!(" (add \"mx: {name}\")"));
            out.push(Lint::new(
                "mx-not-covered",
                severity,
                None,
                format!("DNS MX host {host:?} matches no mx pattern{fix}"),
            ));
        }
    }
    for &(pattern, line) in &facts.mx {
        if !hosts.iter().any(|host| pattern.matches(host)) {
            out.push(Lint::new(
                "mx-pattern-unused",
                Severity::Warning,
                line,
                format!(
                    "mx pattern {:?}{} matches none of the DNS MX hosts",
                    pattern.as_str(),
                    on(line)
                ),
            ));
        }
    }
}
