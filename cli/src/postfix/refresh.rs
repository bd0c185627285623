//! The daemon's background work: cached policies refreshed before they
//! expire, and the cache file written periodically.
//!
//! RFC 8461 §3.3: MTAs should refresh cached policies before they expire
//! (once a day is suggested) and log failed attempts. Every `interval`,
//! each cached domain whose policy is more than a day old, expires before
//! the next pass or expired less than a day ago is looked up again with
//! [`Resolver::refresh`](mta_sts_net::Resolver::refresh), which decides as
//! though the time until the next pass had gone by: a policy that would
//! expire (or turn a day old) by then is fetched now, while it is still in
//! force, so no request waits for it; a new TXT id is fetched as a request
//! would fetch it; a failed fetch keeps the cached policy and is logged
//! (F9), and the daemon's answer is replaced by the new one. Entries of domains without
//! a policy are then dropped from the resolver's cache, which would
//! otherwise grow with every domain asked.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use mta_sts::sender::{PolicyDomain, REFRESH_AFTER};

use super::answers::Answers;

/// How long after its policy expired an entry that nobody asked for since
/// is still refreshed: a day, in seconds.
const REST_AFTER_EXPIRY: u64 = 86_400;

/// Runs forever: a refresh pass every `interval`, the cache written to
/// `cache_file` every `save_interval`.
pub(super) async fn run(
    answers: Arc<Answers>,
    interval: Duration,
    cache_file: Option<PathBuf>,
    save_interval: Duration,
) {
    let mut refresh = tokio::time::interval(interval);
    let mut save = tokio::time::interval(save_interval);
    refresh.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    save.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // Both fire at once first: skip that.
    refresh.tick().await;
    save.tick().await;
    loop {
        tokio::select! {
            _ = refresh.tick() => refresh_pass(&answers, interval).await,
            _ = save.tick() => {
                if let Some(path) = &cache_file {
                    super::serve::save_cache(answers.resolver(), path).await;
                }
            }
        }
    }
}

/// Starts a lookup of each cached domain that is due for a refresh.
async fn refresh_pass(answers: &Arc<Answers>, interval: Duration) {
    let now = answers.resolver().now();
    // Until the pass after next may begin, in whole seconds (the cache's
    // clock counts seconds).
    let ahead = Duration::from_secs(interval.as_secs_f64().ceil() as u64 + 1);
    let mut due = 0usize;
    for domain in answers.resolver().domains() {
        let Some(entry) = answers.resolver().cached(&domain).await else {
            continue;
        };
        let Some(cached) = entry.cached() else {
            continue;
        };
        // Expired a day ago and not asked for since: let it rest.
        if now > cached.expires_at().saturating_add(REST_AFTER_EXPIRY) {
            continue;
        }
        // By the next pass: more than a day old (§3.3's daily refresh), or
        // expired. `Resolver::refresh` decides at that same time.
        let next_pass = now.saturating_add(ahead.as_secs());
        if !(cached.age(next_pass) > REFRESH_AFTER || cached.is_expired(next_pass)) {
            continue;
        }
        let Ok(domain) = PolicyDomain::new(&domain) else {
            continue;
        };
        // `None`: too many lookups under way; the next pass tries again.
        if answers.refresh(domain, ahead) {
            due += 1;
        }
    }
    if due > 0 {
        tracing::info!(domains = due, "refreshing cached policies");
    }
    // Domains without a policy need no refresh: their entries go.
    let forgotten = answers.resolver().forget_empty();
    tracing::debug!(
        domains = forgotten,
        "cache entries without a policy dropped"
    );
}
