//! What the shared-cache tests have in common: a resolver for the lab on
//! a store, and the MX patterns a lookup applies.

#![allow(dead_code, reason = "each test binary uses its part")]

use std::sync::Arc;
use std::time::Duration;

use mta_sts_lab::lab;
use mta_sts_net::{Config, PolicyLookup, PolicyStore, Resolver};

/// The fetch budget of the tests' resolvers.
pub(crate) const BUDGET: Duration = Duration::from_secs(3);

/// A configuration for the lab with the tests' budgets.
pub(crate) fn config() -> Config {
    let lab = lab();
    let mut config = Config::default();
    config.nameserver = Some(lab.dns);
    config.https_port = lab.https_port;
    config.roots = Arc::new(lab.pki.roots());
    config.dns_timeout = Duration::from_secs(2);
    config.fetch_timeout = BUDGET;
    config
}

/// A resolver for the lab, on a clock that stands still, sharing `store`.
pub(crate) fn resolver(store: Arc<dyn PolicyStore>) -> Resolver {
    resolver_with(config(), store)
}

/// The same with `config`.
pub(crate) fn resolver_with(config: Config, store: Arc<dyn PolicyStore>) -> Resolver {
    Resolver::new(config)
        .with_clock(|| 1_800_000_000)
        .with_store(store)
}

/// The MX patterns of the policy a lookup applies.
pub(crate) fn mx_of(lookup: &PolicyLookup) -> Vec<String> {
    lookup
        .policy()
        .map(|policy| policy.mx().iter().map(ToString::to_string).collect())
        .unwrap_or_default()
}
