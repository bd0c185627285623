//! What enforce mode does with the MX hosts (RFC 8461 §4, §5): which hosts
//! senders honouring the policy refuse, and whether mail then bounces;
//! rules A22 and A23 of `docs/AUDIT.md`.

use std::collections::{HashMap, HashSet};

use super::mx::HostTls;
use crate::code::Code;
use crate::lint::{Lint, Severity};
use crate::{Mode, MxPattern, Policy, hostname};

/// How many refused hosts a message names.
const HOSTS_SHOWN: usize = 10;

/// Appends `enforce-refuses-all` or `enforce-refuses-mx` for `policy` in
/// `enforce` or `testing` mode (as "would refuse"), given the MX hosts in
/// preference order and what each probe found (`probes`, by host as
/// probed). A host is refused when no `mx` pattern matches it (§4.1) or
/// its TLS is not valid (§4.2); a host that was not probed, or could not
/// be, is neither refused nor known good.
pub(super) fn lint(
    policy: &Policy,
    hosts: &[String],
    probes: &[(&str, HostTls)],
    out: &mut Vec<Lint>,
) {
    let (all, some) = match policy.mode() {
        Mode::Enforce => (Severity::Error, Severity::Warning),
        Mode::Testing => (Severity::Warning, Severity::Info),
        Mode::None => return,
    };
    let tls: HashMap<String, HostTls> = probes
        .iter()
        .filter_map(|&(host, state)| Some((canonical(host)?, state)))
        .collect();
    // §4.1 (X1, X2) through sets, so the check is linear in hosts and
    // patterns together: exact names, and the suffixes of the wildcards.
    let exact: HashSet<&str> = policy
        .mx()
        .iter()
        .filter(|pattern| !pattern.is_wildcard())
        .map(MxPattern::as_str)
        .collect();
    let suffixes: HashSet<&str> = policy
        .mx()
        .iter()
        .filter(|pattern| pattern.is_wildcard())
        .map(|pattern| pattern.as_str().trim_start_matches("*."))
        .collect();
    let mut seen = HashSet::new();
    let mut refused = Vec::new();
    let mut total = 0usize;
    for host in hosts {
        // A host that is not a host name matches no pattern (X4).
        let key = canonical(host);
        if let Some(key) = &key
            && !seen.insert(key.clone())
        {
            continue;
        }
        total += 1;
        let covered = key.as_deref().is_some_and(|key| {
            exact.contains(key)
                || key
                    .split_once('.')
                    .is_some_and(|(_, parent)| suffixes.contains(parent))
        });
        let why = if covered {
            match key.and_then(|key| tls.get(&key).copied()) {
                Some(HostTls::Refused(why)) => Some(why),
                _ => None,
            }
        } else {
            Some("the policy does not list it")
        };
        if let Some(why) = why {
            refused.push((host, why));
        }
    }
    if refused.is_empty() {
        return;
    }
    let would = if policy.mode() == Mode::Enforce {
        "refuse"
    } else {
        "would refuse, in enforce mode,"
    };
    let listed = list(&refused);
    let lint = if refused.len() == total {
        // A23: no host left; mail is deferred, then bounced.
        let outcome = if policy.mode() == Mode::Enforce {
            "mail from them bounces"
        } else {
            "switching to enforce would make mail from them bounce"
        };
        Lint::new(
            Code::EnforceRefusesAll,
            None,
            format!("senders honouring the policy {would} every MX host: {listed}; {outcome}"),
        )
        .with_severity(all)
    } else {
        // A22: some hosts left.
        Lint::new(
            Code::EnforceRefusesMx,
            None,
            format!(
                "senders honouring the policy {would} {} of {total} MX hosts: {listed}; mail goes to the others only",
                refused.len()
            ),
        )
        .with_severity(some)
    };
    out.push(lint);
}

/// A host name as patterns are compared with it: lowercase A-labels, one
/// trailing dot dropped (X3, X4); `None` when it is not a host name.
fn canonical(host: &str) -> Option<String> {
    hostname::canonical_name(hostname::strip_root(host)).ok()
}

/// The first [`HOSTS_SHOWN`] refused hosts with their reasons, and how
/// many more.
fn list(items: &[(&String, &str)]) -> String {
    let shown: Vec<String> = items
        .iter()
        .take(HOSTS_SHOWN)
        .map(|(host, why)| format!("{host:?} ({why})"))
        .collect();
    let shown = shown.join(", ");
    match items.len().saturating_sub(HOSTS_SHOWN) {
        0 => shown,
        rest => format!("{shown} and {rest} more"),
    }
}
