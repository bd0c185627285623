//! The daemon's background work: cached policies refreshed before they
//! expire, and the cache file written periodically.
//!
//! RFC 8461 §3.3 and §10.2: senders should refresh cached policies before
//! they expire (it suggests daily). Every `interval`, each cached domain
//! whose policy is more than a day old, expires within a day or has
//! expired is looked up again as a request would look it up: the
//! resolver's cache decides whether to fetch (a new TXT id, an expired
//! policy, a policy more than a day old), a failed fetch keeps the cached
//! policy (F9), and the daemon's answer is replaced by the new one.
//! Entries of domains without a policy are then dropped from the
//! resolver's cache, which would otherwise grow with every domain asked.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use mta_sts::sender::PolicyDomain;

use super::answers::Answers;

/// A day, in seconds: the refresh age RFC 8461 §10.2 suggests.
const DAY: u64 = 86_400;

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
            _ = refresh.tick() => refresh_pass(&answers).await,
            _ = save.tick() => {
                if let Some(path) = &cache_file {
                    super::serve::save_cache(answers.resolver(), path).await;
                }
            }
        }
    }
}

/// Starts a lookup of each cached domain that is due for a refresh.
async fn refresh_pass(answers: &Arc<Answers>) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let mut due = 0usize;
    for domain in answers.resolver().domains() {
        let Some(entry) = answers.resolver().cached(&domain).await else {
            continue;
        };
        let Some(cached) = entry.cached() else {
            continue;
        };
        let old = cached.age(now) > DAY;
        let expiring = cached.expires_at().saturating_sub(now) < DAY;
        if !(old || expiring) {
            continue;
        }
        let Ok(domain) = PolicyDomain::new(&domain) else {
            continue;
        };
        // `None`: too many lookups under way; the next pass tries again.
        if answers.refresh(domain) {
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
