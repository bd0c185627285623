//! What enforce mode does with the MX hosts (RFC 8461 §4, §5): which hosts
//! senders honouring the policy refuse, and whether mail then bounces;
//! rules A22 and A23 of `docs/AUDIT.md`.

use std::collections::{HashMap, HashSet};

use super::mx::HostTls;
use crate::code::Code;
use crate::lint::{Lint, Severity};
use crate::{Mode, Policy};

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
        .map(|&(host, state)| (canonical(host), state))
        .collect();
    let mut seen = HashSet::new();
    let mut refused = Vec::new();
    let mut total = 0usize;
    for host in hosts {
        let key = canonical(host);
        if !seen.insert(key.clone()) {
            continue;
        }
        total += 1;
        let why = if policy.matches(host) {
            match tls.get(&key) {
                Some(HostTls::Refused(why)) => Some(*why),
                _ => None,
            }
        } else {
            Some("the policy does not list it")
        };
        if let Some(why) = why {
            refused.push(format!("{host:?} ({why})"));
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

/// A host name compared as DNS does: lowercase, no trailing dot.
fn canonical(host: &str) -> String {
    host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase()
}

/// The first [`HOSTS_SHOWN`] entries joined, and how many more.
fn list(items: &[String]) -> String {
    let shown = items[..items.len().min(HOSTS_SHOWN)].join(", ");
    match items.len().saturating_sub(HOSTS_SHOWN) {
        0 => shown,
        rest => format!("{shown} and {rest} more"),
    }
}
