//! [`Resolver`]: the policy side of a sending MTA (RFC 8461 §3–§5) on
//! real I/O, with a per-domain cache that survives restarts.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use mta_sts::audit::DnsAnswer;
use mta_sts::sender::{
    Action, CacheEntry, Decision, HttpResponse, Next, PolicyDomain, ResultType, TlsOutcome,
    TransportError, TxtLookup, Verdict, mx_allowed, validate_fetch, verdict,
};
use mta_sts::{ParseOptions, Policy};

use crate::dns::Dns;
use crate::gather::unix_now;
use crate::store::shared::{self, Turn};
use crate::{Config, PolicyStore, fetch};

/// The clock a [`Resolver`] reads: seconds since the Unix epoch.
type Clock = Box<dyn Fn() -> u64 + Send + Sync>;

/// The MTA-STS policy resolver a sending MTA keeps, one for all
/// deliveries (`Send + Sync`; share it behind an `Arc`).
///
/// [`policy`](Resolver::policy) runs the core's flow for one recipient
/// domain: the `_mta-sts` TXT lookup ([`TxtLookup::from_rrset_bytes`],
/// lenient), the cache decision ([`CacheEntry::decide`]), the fetch when
/// one is due (strict PKIX checking of the policy host, redirects never
/// followed, the 64 KiB cap, one time budget), [`validate_fetch`] and
/// [`CacheEntry::complete_fetch`]. The answer then filters MX hosts before
/// connecting ([`PolicyLookup::mx_allowed`]) and judges each TLS handshake
/// ([`PolicyLookup::verdict`]).
///
/// One fetch per domain runs at a time: a delivery that needs a domain
/// whose fetch is under way waits for it and uses its result. The cache
/// saves to a file and loads from one ([`save`](Resolver::save),
/// [`load`](Resolver::load)), so policies survive a restart (RFC 8461
/// §3.3: a cached policy must be kept until it expires). Several
/// resolvers (the MTAs of one mail service) share their cache and fetch
/// each policy once through a [`PolicyStore`]
/// ([`with_store`](Resolver::with_store)).
///
/// ```no_run
/// use mta_sts::sender::{Action, TlsOutcome};
/// use mta_sts_net::{Config, Resolver};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let resolver = Resolver::new(Config::default());
/// let lookup = resolver.policy("example.com").await?;
/// for mx in ["mx1.example.com", "mx.attacker.example"] {
///     if lookup.mx_allowed(mx) == Action::Refuse {
///         continue; // enforce mode: never connect to a host the policy does not list
///     }
///     // ... connect, STARTTLS, handshake with strict checks, then:
///     let verdict = lookup.verdict(mx, TlsOutcome::Valid);
///     assert_eq!(verdict.action(), Action::Deliver);
/// }
/// resolver.save("mta-sts-cache.json").await?;
/// # Ok(())
/// # }
/// ```
pub struct Resolver {
    config: Config,
    dns: Dns,
    options: ParseOptions,
    clock: Clock,
    cache: Mutex<HashMap<String, Arc<tokio::sync::Mutex<CacheEntry>>>>,
    store: Option<Arc<dyn PolicyStore>>,
}

impl fmt::Debug for Resolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolver")
            .field("config", &self.config)
            .field("domains", &self.lock_cache().len())
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl Resolver {
    /// A resolver with an empty cache, asking what `config` says, reading
    /// the system clock.
    #[must_use]
    pub fn new(config: Config) -> Resolver {
        Resolver {
            dns: Dns::new(&config),
            config,
            options: ParseOptions::lenient(),
            clock: Box::new(unix_now),
            cache: Mutex::new(HashMap::new()),
            store: None,
        }
    }

    /// The same resolver reading `clock` (seconds since the Unix epoch)
    /// instead of the system clock: for tests, and for MTAs with a clock
    /// of their own.
    #[must_use]
    pub fn with_clock(self, clock: impl Fn() -> u64 + Send + Sync + 'static) -> Resolver {
        Resolver {
            clock: Box::new(clock),
            ..self
        }
    }

    /// The same resolver sharing its cache through `store` with the other
    /// resolvers on it. It keeps its own cache and asks the store only
    /// when its entry calls for a fetch (or holds no policy in force while
    /// the TXT lookup did not say "no record"): it takes the store's entry
    /// when that is newer; otherwise the one resolver that takes the
    /// domain's fetch lock fetches and stores the result, and the others
    /// keep applying their cached policy or, with none, wait for that
    /// entry within the fetch budget ([`Config::fetch_timeout`]). The lock
    /// frees itself one second after that budget, so a holder that died is
    /// taken over. A store that fails or is slow costs a lookup at most
    /// the store's own time limit: the resolver goes on with its own cache
    /// and its own fetches.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use mta_sts_net::{Config, MemoryStore, PolicyStore, Resolver};
    ///
    /// let store: Arc<dyn PolicyStore> = Arc::new(MemoryStore::new());
    /// let resolver = Resolver::new(Config::default()).with_store(store);
    /// assert!(format!("{resolver:?}").contains("MemoryStore"));
    /// ```
    #[must_use]
    pub fn with_store(self, store: Arc<dyn PolicyStore>) -> Resolver {
        Resolver {
            store: Some(store),
            ..self
        }
    }

    /// The policy to apply to mail for `domain` now, fetching it first if
    /// the cache says a fetch is due.
    ///
    /// # Errors
    ///
    /// `domain` is not a valid domain name ([`PolicyDomain::new`]'s
    /// error). Everything else (DNS failures, fetch failures, invalid
    /// policies) is part of the answer, as RFC 8461 wants: a failed lookup
    /// or fetch leaves the cached policy in force.
    pub async fn policy(&self, domain: &str) -> Result<PolicyLookup, mta_sts::Error> {
        self.look_up(domain, 0).await
    }

    /// [`policy`](Resolver::policy), deciding whether to fetch as though
    /// `ahead` had already passed: a cached policy that expires (or turns a
    /// day old) within `ahead` is fetched again now, while it is still in
    /// force, so that no delivery waits for its refresh (RFC 8461 §3.3:
    /// refresh before expiry). For a background task that runs every
    /// `ahead` or more often. A failed refresh keeps the cached policy; the
    /// answer is the policy to apply now.
    ///
    /// # Errors
    ///
    /// As [`policy`](Resolver::policy).
    pub async fn refresh(
        &self,
        domain: &str,
        ahead: Duration,
    ) -> Result<PolicyLookup, mta_sts::Error> {
        self.look_up(domain, ahead.as_secs()).await
    }

    /// The lookup of [`policy`](Resolver::policy) and
    /// [`refresh`](Resolver::refresh): the cache decides at `now + ahead`,
    /// the fetch is recorded at `now`.
    async fn look_up(&self, domain: &str, ahead: u64) -> Result<PolicyLookup, mta_sts::Error> {
        let domain = PolicyDomain::new(domain)?;
        let lookup = match self.dns.txt(&domain.txt_name()).await {
            DnsAnswer::Records(rrset) => TxtLookup::from_rrset_bytes(rrset, &self.options),
            DnsAnswer::NxDomain => TxtLookup::NoRecord,
            DnsAnswer::Failed(_) => TxtLookup::Failed,
        };
        let slot = self.slot(domain.as_str());
        let mut entry = slot.lock().await;
        let decide_at = || (self.clock)().saturating_add(ahead);
        let mut decision = entry.decide(&lookup, decide_at());
        let mut fetch_error = None;
        let mut turn = Turn::Fetch {
            budget: self.config.fetch_timeout,
            lock: None,
        };
        if let Some(store) = &self.store
            && shared::wants_store(&decision, &lookup)
        {
            let budget = self.config.fetch_timeout;
            (decision, turn) = shared::consult(
                &**store,
                &domain,
                &mut entry,
                &lookup,
                &*self.clock,
                ahead,
                budget,
            )
            .await;
        }
        let mut fetched = false;
        if let (Next::Fetch(due), Turn::Fetch { budget, lock }) = (decision.next().clone(), turn) {
            fetched = true;
            let deadline = tokio::time::Instant::now() + budget;
            let now = (self.clock)();
            let fetched = fetch::fetch(&domain, &self.dns, &self.config, budget, now).await;
            let result = match fetched.fetch.result {
                Ok(exchange) => {
                    let mut body = exchange.body;
                    if exchange.body_truncated {
                        // Reading stopped at the limit: one byte more makes
                        // the core's size check (`too-large`) see it.
                        body.push(b'\n');
                    }
                    let response =
                        HttpResponse::new(exchange.status, &body).headers(&exchange.headers);
                    validate_fetch(&response, &self.options).map_err(|err| FetchError {
                        result_type: ResultType::for_fetch_error(&err),
                        message: err.to_string(),
                    })
                }
                Err(failure) => Err(FetchError {
                    result_type: fetched
                        .transport
                        .unwrap_or(TransportError::Unreachable)
                        .fetch_result_type(),
                    message: failure.reason,
                }),
            };
            if let Err(err) = &result {
                fetch_error = Some(err.clone());
            }
            decision = entry.complete_fetch(&due, result, (self.clock)());
            if let Some(store) = &self.store {
                let now = (self.clock)();
                shared::publish(store, &domain, &entry, lock, now, deadline).await;
            }
        }
        if ahead > 0 && !fetched {
            // Nothing fetched: the decision taken ahead is not the one for now.
            decision = entry.decide(&lookup, (self.clock)());
        }
        Ok(PolicyLookup {
            policy: entry.policy((self.clock)()).cloned(),
            decision,
            fetch_error,
        })
    }

    /// A rustls client configuration for STARTTLS to MX hosts with the
    /// checks RFC 8461 §4.2 asks for: a chain to the configured roots,
    /// valid now, naming the MX host (give the MX host name as the server
    /// name). Turn a handshake error into a [`TlsOutcome`] with
    /// [`tls_outcome`](crate::tls_outcome), then ask
    /// [`PolicyLookup::verdict`].
    ///
    /// # Errors
    ///
    /// The roots cannot make a verifier (an empty root store).
    pub fn starttls_config(&self) -> Result<Arc<rustls::ClientConfig>, rustls::Error> {
        crate::cert::client_config(
            &self.config.roots,
            crate::cert::Check::Strict,
            crate::cert::Seen::default(),
            &[],
        )
        .map(Arc::new)
    }

    /// The time by this resolver's clock ([`with_clock`](Resolver::with_clock)),
    /// in seconds since the Unix epoch: the clock its cache's expiry times
    /// count in.
    #[must_use]
    pub fn now(&self) -> u64 {
        (self.clock)()
    }

    /// The cache entry of `domain`, as it stands (a fetch under way is
    /// waited for).
    pub async fn cached(&self, domain: &str) -> Option<CacheEntry> {
        let domain = PolicyDomain::new(domain).ok()?;
        let slot = self.lock_cache().get(domain.as_str()).cloned()?;
        let entry = slot.lock().await;
        Some(entry.clone())
    }

    /// Writes the cache to `path` as JSON (`{"version": 1, "domains":
    /// {"example.com": {"cached": …, "last_failure": …}}}`), through a
    /// temporary file renamed into place.
    ///
    /// # Errors
    ///
    /// The file cannot be written.
    pub async fn save(&self, path: impl AsRef<Path>) -> std::io::Result<()> {
        let slots: Vec<(String, Arc<tokio::sync::Mutex<CacheEntry>>)> = self
            .lock_cache()
            .iter()
            .map(|(domain, slot)| (domain.clone(), Arc::clone(slot)))
            .collect();
        let mut domains = BTreeMap::new();
        for (domain, slot) in slots {
            domains.insert(domain, slot.lock().await.clone());
        }
        crate::store::file::write(path.as_ref(), domains).await
    }

    /// Reads a cache that [`save`](Resolver::save) wrote and puts its
    /// entries in this resolver's cache (replacing entries of the same
    /// domains); returns how many it read.
    ///
    /// # Errors
    ///
    /// The file cannot be read, or is not such a cache (`InvalidData`,
    /// naming the JSON error; a policy in it is read back through strict
    /// parsing).
    pub async fn load(&self, path: impl AsRef<Path>) -> std::io::Result<usize> {
        let (count, entries) = crate::store::file::read(path.as_ref()).await?;
        let mut cache = self.lock_cache();
        for (domain, entry) in entries {
            cache.insert(
                domain.as_str().to_owned(),
                Arc::new(tokio::sync::Mutex::new(entry)),
            );
        }
        Ok(count)
    }

    fn slot(&self, domain: &str) -> Arc<tokio::sync::Mutex<CacheEntry>> {
        Arc::clone(self.lock_cache().entry(domain.to_owned()).or_default())
    }

    fn lock_cache(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<String, Arc<tokio::sync::Mutex<CacheEntry>>>> {
        self.cache.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The domains the cache holds an entry for (with or without a
    /// policy), in no particular order: for a daemon that refreshes its
    /// policies before they expire ([`cached`](Resolver::cached) gives
    /// each one's entry).
    #[must_use]
    pub fn domains(&self) -> Vec<String> {
        self.lock_cache().keys().cloned().collect()
    }

    /// Drops the entries that hold nothing (no policy, no failed fetch:
    /// domains looked up without finding a policy), so that a long-running
    /// resolver asked about many such domains keeps its memory bounded;
    /// returns how many it dropped. An entry in use is kept.
    pub fn forget_empty(&self) -> usize {
        let mut cache = self.lock_cache();
        let before = cache.len();
        cache.retain(|_, slot| {
            slot.try_lock().map_or(true, |entry| {
                entry.cached().is_some() || entry.last_failure().is_some()
            })
        });
        before - cache.len()
    }
}

/// What [`Resolver::policy`] found for one domain.
#[derive(Clone, Debug)]
pub struct PolicyLookup {
    policy: Option<Policy>,
    decision: Decision,
    fetch_error: Option<FetchError>,
}

impl PolicyLookup {
    /// The policy to apply now, or `None`: deliver as though the domain had
    /// not implemented MTA-STS.
    #[must_use]
    pub fn policy(&self) -> Option<&Policy> {
        self.policy.as_ref()
    }

    /// The cache's decision: which policy applies and what comes next
    /// (nothing, or a wait after a failed fetch; with a shared store, a
    /// fetch that another resolver has under way, or that this lookup's
    /// budget ran out waiting for).
    #[must_use]
    pub fn decision(&self) -> &Decision {
        &self.decision
    }

    /// Why this lookup's fetch failed, if it fetched and failed: report it
    /// to TLS-RPT with its result type.
    #[must_use]
    pub fn fetch_error(&self) -> Option<&FetchError> {
        self.fetch_error.as_ref()
    }

    /// Whether to connect to `mx_host` at all ([`mx_allowed`]).
    #[must_use]
    pub fn mx_allowed(&self, mx_host: &str) -> Action {
        mx_allowed(self.policy.as_ref(), mx_host)
    }

    /// The verdict for `mx_host` after the TLS handshake showed `tls`
    /// ([`verdict`]); [`tls_outcome`](crate::tls_outcome) classifies a
    /// rustls error.
    #[must_use]
    pub fn verdict(&self, mx_host: &str, tls: TlsOutcome) -> Verdict {
        verdict(self.policy.as_ref(), mx_host, tls)
    }
}

/// A policy fetch that failed, with the RFC 8460 result type to report.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} ({result_type})")]
pub struct FetchError {
    result_type: ResultType,
    message: String,
}

impl FetchError {
    /// The result type to report: `sts-policy-fetch-error`,
    /// `sts-webpki-invalid` or `sts-policy-invalid` (RFC 8460 §4.3.2.2).
    #[must_use]
    pub fn result_type(&self) -> ResultType {
        self.result_type
    }
}
