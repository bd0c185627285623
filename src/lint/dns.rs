//! The DNS cross-checks (`mx-not-covered`, `mx-pattern-unused`,
//! `mx-no-dns-mx`): the policy's `mx` patterns against the domain's DNS MX
//! hosts, linear in both through sets (X1, X2).

use std::collections::HashSet;

use super::report::CappedLints;
use super::semantic::{on, parent, repeat};
use super::{Lint, Severity};
use crate::Mode;
use crate::code::Code;
use crate::message::quote_short;
use crate::policy::{Located, Values};

/// The DNS cross-checks: only with a valid DNS MX list, a known mode other
/// than none, and every `mx` line parsed.
pub(super) fn lint(values: &Values, hosts: Option<&[(String, String)]>, out: &mut CappedLints) {
    let Some(hosts) = hosts else {
        return;
    };
    let mode = match values.mode {
        Some(Located {
            value: Mode::None, ..
        })
        | None => return,
        Some(Located { value: mode, .. }) => mode,
    };
    if !values.mx_complete {
        return;
    }
    if hosts.is_empty() {
        out.push(Lint::new(
            Code::MxNoDnsMx,
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
    not_covered(values, hosts, severity, out);
    unused(values, hosts, out);
}

/// `mx-not-covered`: DNS MX hosts no pattern matches (X1, X2 through sets).
fn not_covered(
    values: &Values,
    hosts: &[(String, String)],
    severity: Severity,
    out: &mut CappedLints,
) {
    let exact: HashSet<&str> = values
        .mx
        .iter()
        .filter(|l| !l.value.is_wildcard())
        .map(|l| l.value.as_str())
        .collect();
    let suffixes: HashSet<&str> = values
        .mx
        .iter()
        .filter(|l| l.value.is_wildcard())
        .map(|l| l.value.suffix())
        .collect();
    for (given, host) in hosts {
        let covered = exact.contains(host.as_str())
            || parent(host).is_some_and(|parent| suffixes.contains(parent));
        if !covered {
            repeat(out, Code::MxNotCovered, Some(severity), || {
                Lint::new(
                    Code::MxNotCovered,
                    None,
                    format!(
                        "DNS MX host {} matches no mx pattern (add \"mx: {host}\")",
                        quote_short(given)
                    ),
                )
                .with_severity(severity)
            });
        }
    }
}

/// `mx-pattern-unused`: patterns that match none of the DNS MX hosts.
fn unused(values: &Values, hosts: &[(String, String)], out: &mut CappedLints) {
    let host_set: HashSet<&str> = hosts.iter().map(|(_, host)| host.as_str()).collect();
    let parents: HashSet<&str> = hosts.iter().filter_map(|(_, host)| parent(host)).collect();
    for Located {
        value: pattern,
        line,
    } in &values.mx
    {
        let used = if pattern.is_wildcard() {
            parents.contains(pattern.suffix())
        } else {
            host_set.contains(pattern.as_str())
        };
        if !used {
            repeat(out, Code::MxPatternUnused, None, || {
                Lint::new(
                    Code::MxPatternUnused,
                    *line,
                    format!(
                        "mx pattern {:?}{} matches none of the DNS MX hosts",
                        pattern.as_str(),
                        on(*line)
                    ),
                )
            });
        }
    }
}
