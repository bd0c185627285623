//! [`MemoryStore`]: a [`PolicyStore`] in the process, for resolvers that
//! share one process (and for tests), saved to and loaded from a file.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use mta_sts::sender::{CacheEntry, PolicyDomain};

use super::{FetchLock, PolicyStore, StoreFuture, lifetime};
use crate::gather::unix_now;

/// A [`PolicyStore`] in the process: the resolvers that share it (behind
/// an `Arc`) share one cache and one fetch per domain. Entries and locks
/// expire on the monotonic clock; [`save`](MemoryStore::save) and
/// [`load`](MemoryStore::load) keep the entries across a restart, in the
/// file form of [`Resolver::save`](crate::Resolver::save).
///
/// ```
/// use std::sync::Arc;
/// use mta_sts_net::{Config, MemoryStore, Resolver};
///
/// # async fn run() -> std::io::Result<()> {
/// let store = Arc::new(MemoryStore::new());
/// let first = Resolver::new(Config::default()).with_store(store.clone());
/// let second = Resolver::new(Config::default()).with_store(store.clone());
/// // ... deliveries on both; a policy one of them fetched serves the other.
/// store.save("mta-sts-cache.json").await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Default)]
pub struct MemoryStore {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    entries: HashMap<PolicyDomain, (CacheEntry, Instant)>,
    locks: HashMap<PolicyDomain, (FetchLock, Instant)>,
    tokens: u64,
}

impl MemoryStore {
    /// An empty store.
    #[must_use]
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// How many unexpired entries the store holds.
    #[must_use]
    pub fn len(&self) -> usize {
        let now = Instant::now();
        let state = self.lock_state();
        state.entries.values().filter(|(_, end)| *end > now).count()
    }

    /// Whether the store holds no unexpired entry.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes the unexpired entries to `path` as JSON, in the form of
    /// [`Resolver::save`](crate::Resolver::save).
    ///
    /// # Errors
    ///
    /// The file cannot be written.
    pub async fn save(&self, path: impl AsRef<Path>) -> std::io::Result<()> {
        let now = Instant::now();
        let domains: BTreeMap<String, CacheEntry> = self
            .lock_state()
            .entries
            .iter()
            .filter(|(_, (_, end))| *end > now)
            .map(|(domain, (entry, _))| (domain.as_str().to_owned(), entry.clone()))
            .collect();
        super::file::write(path.as_ref(), domains).await
    }

    /// Reads a file that [`save`](MemoryStore::save) or
    /// [`Resolver::save`](crate::Resolver::save) wrote into the store
    /// (replacing entries of the same domains), each entry kept until a
    /// minute past the time its policy expires (on the system clock), as
    /// [`put`](PolicyStore::put) keeps it; returns how many the file held.
    ///
    /// # Errors
    ///
    /// The file cannot be read, or is not such a cache (`InvalidData`).
    pub async fn load(&self, path: impl AsRef<Path>) -> std::io::Result<usize> {
        let (count, entries) = super::file::read(path.as_ref()).await?;
        let (now, clock) = (Instant::now(), unix_now());
        let mut state = self.lock_state();
        for (domain, entry) in entries {
            if let Some(lifetime) = lifetime(&entry, clock) {
                state.entries.insert(domain, (entry, now + lifetime));
            }
        }
        Ok(count)
    }

    fn lock_state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl PolicyStore for MemoryStore {
    fn get<'a>(&'a self, domain: &'a PolicyDomain) -> StoreFuture<'a, Option<CacheEntry>> {
        let now = Instant::now();
        let mut state = self.lock_state();
        let entry = match state.entries.get(domain) {
            Some((entry, end)) if *end > now => Some(entry.clone()),
            Some(_) => {
                state.entries.remove(domain);
                None
            }
            None => None,
        };
        Box::pin(std::future::ready(Ok(entry)))
    }

    fn put<'a>(
        &'a self,
        domain: &'a PolicyDomain,
        entry: &'a CacheEntry,
        lifetime: Duration,
    ) -> StoreFuture<'a, ()> {
        let end = Instant::now() + lifetime;
        self.lock_state()
            .entries
            .insert(domain.clone(), (entry.clone(), end));
        Box::pin(std::future::ready(Ok(())))
    }

    fn lock<'a>(
        &'a self,
        domain: &'a PolicyDomain,
        hold: Duration,
    ) -> StoreFuture<'a, Option<FetchLock>> {
        let now = Instant::now();
        let mut state = self.lock_state();
        let held = matches!(state.locks.get(domain), Some((_, end)) if *end > now);
        let lock = if held {
            None
        } else {
            state.tokens += 1;
            let lock = FetchLock::new(state.tokens.to_string());
            state
                .locks
                .insert(domain.clone(), (lock.clone(), now + hold));
            Some(lock)
        };
        Box::pin(std::future::ready(Ok(lock)))
    }

    fn unlock<'a>(&'a self, domain: &'a PolicyDomain, lock: FetchLock) -> StoreFuture<'a, ()> {
        let mut state = self.lock_state();
        if state
            .locks
            .get(domain)
            .is_some_and(|(held, _)| *held == lock)
        {
            state.locks.remove(domain);
        }
        Box::pin(std::future::ready(Ok(())))
    }
}
