//! The cache file that [`Resolver::save`](crate::Resolver::save) and
//! [`MemoryStore::save`](crate::MemoryStore::save) write: `{"version": 1,
//! "domains": {"example.com": {"cached": …, "last_failure": …}}}`.

use std::collections::BTreeMap;
use std::path::Path;

use mta_sts::sender::{CacheEntry, PolicyDomain};

/// The cache file's form.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CacheFile {
    version: u32,
    domains: BTreeMap<String, CacheEntry>,
}

/// Writes `domains` to `path` as a cache file, through a temporary file
/// renamed into place.
pub(crate) async fn write(
    path: &Path,
    domains: BTreeMap<String, CacheEntry>,
) -> std::io::Result<()> {
    let file = CacheFile {
        version: 1,
        domains,
    };
    let json = serde_json::to_vec_pretty(&file).map_err(std::io::Error::other)?;
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    tokio::fs::write(&temporary, json).await?;
    tokio::fs::rename(&temporary, path).await
}

/// Reads a cache file; returns how many entries it holds and those whose
/// domain is a valid Policy Domain.
pub(crate) async fn read(path: &Path) -> std::io::Result<(usize, Vec<(PolicyDomain, CacheEntry)>)> {
    let json = tokio::fs::read(path).await?;
    let file: CacheFile = serde_json::from_slice(&json).map_err(|err| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{}: not an MTA-STS cache: {err}", path.display()),
        )
    })?;
    if file.version != 1 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "{}: cache version {} is not 1",
                path.display(),
                file.version
            ),
        ));
    }
    let count = file.domains.len();
    let entries = file
        .domains
        .into_iter()
        .filter_map(|(domain, entry)| Some((PolicyDomain::new(&domain).ok()?, entry)))
        .collect();
    Ok((count, entries))
}
