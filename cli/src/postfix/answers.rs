//! The daemon's answers: the socketmap reply for each lookup key, from
//! memory when the domain was looked up lately, else from the sender
//! resolver within the request's budget (SEMANTICS F2, F8, F9, F12).
//!
//! A lookup of a domain runs in a task of its own, one per domain at a
//! time and at most `max_fetches` at once; the requests that need it wait
//! for it up to their budget. When the budget is spent the reply is the
//! domain's previous answer while its policy has not expired (RFC 8461
//! §3.3: the cached policy applies while a new one is fetched), else
//! `TEMP` (F12); the lookup goes on and its answer is kept for the next
//! request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use mta_sts::postfix::socketmap::Response;
use mta_sts::postfix::{self, MapReply, ReplyOptions, lookup_key};
use mta_sts::sender::PolicyDomain;
use mta_sts_net::Resolver;
use tokio::sync::{Semaphore, watch};

/// How answers are found and kept.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    /// The Postfix version and reply options.
    pub(crate) options: ReplyOptions,
    /// How long an answer is given from memory before the resolver is
    /// asked again (its `_mta-sts` TXT lookup sees a new policy id).
    pub(crate) recheck: Duration,
    /// How long one request may wait for a lookup (F12).
    pub(crate) budget: Duration,
    /// How many lookups may run at once.
    pub(crate) max_fetches: usize,
    /// How many domains' answers are kept in memory.
    pub(crate) max_domains: usize,
}

/// An answer as the daemon keeps it.
#[derive(Clone, Debug)]
struct Known {
    /// The reply, as it goes on the wire.
    response: Arc<Response>,
    /// Why the reply is `NOTFOUND `, for the log.
    reason: Option<Arc<str>>,
    /// When the resolver gave it.
    checked: Instant,
    /// When the cached policy behind it expires (Unix seconds), if there
    /// is one: a previous answer is never given after that.
    expires_at: Option<u64>,
}

impl Known {
    /// Whether the policy behind the answer, if any, has not expired at
    /// `now` (Unix seconds).
    fn unexpired(&self, now: u64) -> bool {
        self.expires_at.is_none_or(|expiry| now <= expiry)
    }
}

/// Where a request's reply came from, for the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// The key is no Policy Domain (F8): nothing looked up.
    Key,
    /// Memory: the domain was looked up less than `recheck` ago, and the
    /// policy behind the answer has not expired.
    Memory,
    /// A lookup that ended within the budget.
    Lookup,
    /// The budget was spent; the previous answer, its policy unexpired (F9).
    Previous,
    /// The budget was spent with no previous answer (F12), or too many
    /// lookups are under way.
    Budget,
}

/// A request's reply and why.
#[derive(Debug)]
pub(crate) struct Answer {
    /// The reply.
    pub(crate) response: Arc<Response>,
    /// Why it is `NOTFOUND ` or `TEMP`, when it is.
    pub(crate) reason: Option<Arc<str>>,
    /// Where it came from.
    pub(crate) source: Source,
}

/// The answers, shared by every connection.
pub(crate) struct Answers {
    resolver: Arc<Resolver>,
    settings: Settings,
    fetches: Semaphore,
    known: RwLock<HashMap<String, Known>>,
    pending: Mutex<HashMap<String, watch::Receiver<Option<Known>>>>,
    /// When answers due for a recheck were last dropped to make room.
    swept: Mutex<Instant>,
}

impl Answers {
    pub(crate) fn new(resolver: Arc<Resolver>, settings: Settings) -> Answers {
        Answers {
            resolver,
            settings,
            fetches: Semaphore::new(settings.max_fetches),
            known: RwLock::new(HashMap::new()),
            pending: Mutex::new(HashMap::new()),
            swept: Mutex::new(Instant::now()),
        }
    }

    /// The resolver the answers come from.
    pub(crate) fn resolver(&self) -> &Resolver {
        &self.resolver
    }

    /// The reply for the lookup key `key`.
    pub(crate) async fn answer(self: &Arc<Self>, key: &str) -> Answer {
        // F8: keys that name no Policy Domain are answered at once.
        let domain = match lookup_key(key) {
            Ok(domain) => domain,
            Err(reason) => {
                return Answer {
                    response: Arc::new(MapReply::from(reason.clone()).to_response()),
                    reason: Some(reason.to_string().into()),
                    source: Source::Key,
                };
            }
        };
        let previous = self.known(domain.as_str());
        if let Some(known) = &previous
            && known.checked.elapsed() < self.settings.recheck
            && known.unexpired(self.resolver.now())
        {
            return answer(known, Source::Memory);
        }
        let Some(mut receiver) = self.look_up(domain, Duration::ZERO) else {
            return self.budget_spent(previous, "too many policy lookups under way");
        };
        let budget = self.settings.budget;
        let ended = match tokio::time::timeout(budget, receiver.wait_for(Option::is_some)).await {
            // `wait_for` returns only once the value is `Some`.
            Ok(Ok(known)) => known.as_ref().map(|known| answer(known, Source::Lookup)),
            // The lookup's task ended without an answer (it cannot panic,
            // but a reply is owed).
            Ok(Err(_)) => None,
            Err(_) => {
                return self.budget_spent(previous, "F12: the policy lookup is still under way");
            }
        };
        match ended {
            Some(reply) => reply,
            None => self.budget_spent(previous, "the policy lookup ended without an answer"),
        }
    }

    /// Starts a lookup of `domain` unless one is under way, for a refresh
    /// that fetches a policy expiring within `ahead` now, before it expires
    /// ([`Resolver::refresh`]); `false` when too many lookups are under way.
    pub(crate) fn refresh(self: &Arc<Self>, domain: PolicyDomain, ahead: Duration) -> bool {
        self.look_up(domain, ahead).is_some()
    }

    /// Starts a lookup of `domain` unless one is under way; the receiver
    /// gets its answer. `None` when too many lookups are under way.
    fn look_up(
        self: &Arc<Self>,
        domain: PolicyDomain,
        ahead: Duration,
    ) -> Option<watch::Receiver<Option<Known>>> {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(receiver) = pending.get(domain.as_str()) {
            return Some(receiver.clone());
        }
        // Waiting lookups are bounded too: each holds a domain name.
        if pending.len() >= self.settings.max_fetches.saturating_mul(4) {
            return None;
        }
        let (sender, receiver) = watch::channel(None);
        pending.insert(domain.as_str().to_owned(), receiver.clone());
        drop(pending);
        let answers = Arc::clone(self);
        tokio::spawn(async move {
            let known = answers.resolve(&domain, ahead).await;
            answers.keep(domain.as_str(), known.clone());
            answers
                .pending
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(domain.as_str());
            // Nobody waiting is fine: the answer is kept.
            let _ = sender.send(Some(known));
        });
        Some(receiver)
    }

    /// Asks the resolver (DNS, the cache, a fetch when one is due) and
    /// makes the reply.
    async fn resolve(&self, domain: &PolicyDomain, ahead: Duration) -> Known {
        // The semaphore is never closed.
        let _permit = self.fetches.acquire().await.ok();
        let started = Instant::now();
        let mut applies = false;
        // A request looks zero seconds ahead: `Resolver::policy`'s lookup.
        let reply = match self.resolver.refresh(domain.as_str(), ahead).await {
            Ok(lookup) => {
                applies = lookup.policy().is_some();
                if let Some(error) = lookup.fetch_error() {
                    tracing::warn!(
                        domain = domain.as_str(),
                        %error,
                        cached = lookup.policy().is_some(),
                        "policy fetch failed; the cached policy, if any, stays (F9)"
                    );
                }
                postfix::reply(lookup.policy(), domain, &self.settings.options)
            }
            // `domain` is a PolicyDomain already; kept for completeness.
            Err(error) => MapReply::from(postfix::NotFound::NotADomain(error)),
        };
        // Only a policy in force has an expiry that matters to the answer.
        let expires_at = if applies {
            self.resolver.cached(domain.as_str()).await
        } else {
            None
        }
        .and_then(|entry| {
            entry
                .cached()
                .map(mta_sts::sender::CachedPolicy::expires_at)
        });
        let reason = match &reply {
            MapReply::NotFound(reason) => Some(Arc::from(reason.to_string())),
            MapReply::Policy(_) => None,
        };
        let response = Arc::new(reply.to_response());
        let millis = started.elapsed().as_millis();
        let reason_text = reason.as_deref().unwrap_or("");
        // A new answer for the domain is news; the same one again is not.
        let changed = self
            .known(domain.as_str())
            .is_none_or(|previous| previous.response != response);
        if changed {
            tracing::info!(domain = domain.as_str(), reply = %response, reason = reason_text, millis, "policy answer");
        } else {
            tracing::debug!(domain = domain.as_str(), reply = %response, reason = reason_text, millis, "policy answer unchanged");
        }
        Known {
            response,
            reason,
            checked: Instant::now(),
            expires_at,
        }
    }

    /// The answer kept for `domain`.
    fn known(&self, domain: &str) -> Option<Known> {
        self.known
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(domain)
            .cloned()
    }

    /// Keeps `known` as `domain`'s answer; when memory is full, answers
    /// due for a recheck make room first, and if none are, the answer is
    /// not kept (the next request asks the resolver again).
    fn keep(&self, domain: &str, known: Known) {
        let mut map = self.known.write().unwrap_or_else(PoisonError::into_inner);
        if map.len() >= self.settings.max_domains && !map.contains_key(domain) {
            // One sweep a second at most: each is linear in the map.
            let mut swept = self.swept.lock().unwrap_or_else(PoisonError::into_inner);
            if swept.elapsed() >= Duration::from_secs(1) {
                *swept = Instant::now();
                let recheck = self.settings.recheck;
                map.retain(|_, kept| kept.checked.elapsed() < recheck);
            }
            if map.len() >= self.settings.max_domains {
                return;
            }
        }
        map.insert(domain.to_owned(), known);
    }

    /// The reply when no fresh answer came within the budget.
    fn budget_spent(&self, previous: Option<Known>, why: &str) -> Answer {
        match previous {
            Some(known) if known.unexpired(self.resolver.now()) => answer(&known, Source::Previous),
            _ => Answer {
                response: Arc::new(Response::Temp(why.to_owned())),
                reason: Some(why.into()),
                source: Source::Budget,
            },
        }
    }
}

fn answer(known: &Known, source: Source) -> Answer {
    Answer {
        response: Arc::clone(&known.response),
        reason: known.reason.clone(),
        source,
    }
}
