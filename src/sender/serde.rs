//! `serde` support for the sender's cache state and decisions (feature
//! `serde`), so that a cache can be persisted.
//!
//! Each type serialises through a private mirror of its fields and is
//! rebuilt through its public constructor, so the impls carry the feature's
//! `cfg` (and its documentation badge) and the types' fields stay private.
//! A cached policy is written in [`Policy`]'s own serde form and read back
//! through strict parsing, as every `Policy` is.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Policy;
use crate::sender::{CacheEntry, CachedPolicy, FailedFetch, Fetch, FetchReason, Next};

/// `{"policy": …, "id": …, "fetched_at": …}`.
impl Serialize for CachedPolicy {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename = "CachedPolicy")]
        struct Fields<'a> {
            policy: &'a Policy,
            id: &'a str,
            fetched_at: u64,
        }
        Fields {
            policy: self.policy(),
            id: self.id(),
            fetched_at: self.fetched_at(),
        }
        .serialize(serializer)
    }
}

/// Reads what `Serialize` writes; the policy is validated as strict
/// parsing does.
impl<'de> Deserialize<'de> for CachedPolicy {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<CachedPolicy, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename = "CachedPolicy", deny_unknown_fields)]
        struct Fields {
            policy: Policy,
            id: String,
            fetched_at: u64,
        }
        let fields = Fields::deserialize(deserializer)?;
        Ok(CachedPolicy::new(
            fields.policy,
            fields.id,
            fields.fetched_at,
        ))
    }
}

/// `{"id": …, "at": …}`.
impl Serialize for FailedFetch {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename = "FailedFetch")]
        struct Fields<'a> {
            id: &'a str,
            at: u64,
        }
        Fields {
            id: self.id(),
            at: self.at(),
        }
        .serialize(serializer)
    }
}

/// Reads what `Serialize` writes.
impl<'de> Deserialize<'de> for FailedFetch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<FailedFetch, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename = "FailedFetch", deny_unknown_fields)]
        struct Fields {
            id: String,
            at: u64,
        }
        let fields = Fields::deserialize(deserializer)?;
        Ok(FailedFetch::new(fields.id, fields.at))
    }
}

/// `{"cached": …, "last_failure": …}`, each `null` when absent.
impl Serialize for CacheEntry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        #[serde(rename = "CacheEntry")]
        struct Fields<'a> {
            cached: Option<&'a CachedPolicy>,
            last_failure: Option<&'a FailedFetch>,
        }
        Fields {
            cached: self.cached(),
            last_failure: self.last_failure(),
        }
        .serialize(serializer)
    }
}

/// Reads what `Serialize` writes; a missing field counts as absent.
impl<'de> Deserialize<'de> for CacheEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<CacheEntry, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename = "CacheEntry", deny_unknown_fields)]
        struct Fields {
            #[serde(default)]
            cached: Option<CachedPolicy>,
            #[serde(default)]
            last_failure: Option<FailedFetch>,
        }
        let fields = Fields::deserialize(deserializer)?;
        Ok(CacheEntry::with(fields.cached, fields.last_failure))
    }
}

/// `{"reason": …, "id": …}`.
impl Serialize for Fetch {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        FetchFields {
            reason: self.reason(),
            id: self.id().into(),
        }
        .serialize(serializer)
    }
}

/// Reads what `Serialize` writes.
impl<'de> Deserialize<'de> for Fetch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Fetch, D::Error> {
        FetchFields::deserialize(deserializer).map(FetchFields::into_fetch)
    }
}

/// [`Fetch`]'s fields; borrowed when writing, owned when reading.
#[derive(Serialize, Deserialize)]
#[serde(rename = "Fetch", deny_unknown_fields)]
struct FetchFields<'a> {
    reason: FetchReason,
    #[serde(borrow)]
    id: std::borrow::Cow<'a, str>,
}

impl FetchFields<'_> {
    fn into_fetch(self) -> Fetch {
        Fetch::new(self.reason, self.id)
    }
}

/// [`Next`], tagged by `"next"`.
#[derive(Serialize, Deserialize)]
#[serde(rename = "Next", tag = "next", rename_all = "kebab-case")]
enum NextFields<'a> {
    Nothing,
    Fetch(#[serde(borrow)] FetchFields<'a>),
    Wait { reason: FetchReason, until: u64 },
}

/// An object tagged by `"next"`: `{"next": "nothing"}`, `{"next": "fetch",
/// "reason": …, "id": …}` or `{"next": "wait", "reason": …, "until": …}`.
impl Serialize for Next {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Next::Nothing => NextFields::Nothing,
            Next::Fetch(fetch) => NextFields::Fetch(FetchFields {
                reason: fetch.reason(),
                id: fetch.id().into(),
            }),
            Next::Wait { reason, until } => NextFields::Wait {
                reason: *reason,
                until: *until,
            },
        }
        .serialize(serializer)
    }
}

/// Reads what `Serialize` writes.
impl<'de> Deserialize<'de> for Next {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Next, D::Error> {
        Ok(match NextFields::deserialize(deserializer)? {
            NextFields::Nothing => Next::Nothing,
            NextFields::Fetch(fields) => Next::Fetch(fields.into_fetch()),
            NextFields::Wait { reason, until } => Next::Wait { reason, until },
        })
    }
}
