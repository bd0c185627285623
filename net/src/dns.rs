//! DNS lookups with hickory-resolver: the `_mta-sts` and `_smtp._tls` TXT
//! `RRset`s, MX records and host addresses, each as a [`DnsAnswer`] that
//! keeps `NXDOMAIN`, `NODATA` and failures apart.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use hickory_resolver::config::{NameServerConfig, ResolveHosts, ResolverConfig};
use hickory_resolver::lookup::Lookup;
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{Name, RData, RecordType};
use hickory_resolver::{Resolver, TokioResolver};
use mta_sts::audit::{DnsAnswer, MxRecord, TxtRrset};

use crate::Config;

/// A DNS client for the lookups MTA-STS needs, asking the configured
/// server.
///
/// Answers are never cached here (the resolver's cache is off), so that
/// each lookup sees the zone as it is now; an MTA's recursive resolver
/// caches by TTL anyway.
#[derive(Clone, Debug)]
pub(crate) struct Dns {
    resolver: Result<Arc<TokioResolver>, String>,
    timeout: std::time::Duration,
}

impl Dns {
    /// A client for `config`'s name server (or the system's). A
    /// configuration that cannot be read makes every lookup fail with the
    /// reason.
    pub(crate) fn new(config: &Config) -> Dns {
        Dns {
            resolver: build(config).map(Arc::new),
            timeout: config.dns_timeout,
        }
    }

    /// The TXT `RRset` at `name`, each record as its character-strings.
    pub(crate) async fn txt(&self, name: &str) -> DnsAnswer<TxtRrset> {
        let answer = self.lookup(name, RecordType::TXT).await;
        map_records(answer, |lookup| {
            lookup
                .answers()
                .iter()
                .filter_map(|record| match &record.data {
                    RData::TXT(txt) => Some(txt.txt_data.to_vec()),
                    _ => None,
                })
                .collect()
        })
    }

    /// The MX records of `domain`, in preference order (ties in the order
    /// the server sent them). No records at all is `Records(vec![])`: the
    /// caller applies RFC 5321's implicit MX.
    pub(crate) async fn mx(&self, domain: &str) -> DnsAnswer<Vec<MxRecord>> {
        let answer = self.lookup(domain, RecordType::MX).await;
        map_records(answer, |lookup| {
            let mut records: Vec<MxRecord> = lookup
                .answers()
                .iter()
                .filter_map(|record| match &record.data {
                    RData::MX(mx) => Some(MxRecord {
                        preference: mx.preference,
                        exchange: mx.exchange.to_ascii(),
                    }),
                    _ => None,
                })
                .collect();
            records.sort_by_key(|record| record.preference);
            records
        })
    }

    /// The A and AAAA addresses of `host`.
    pub(crate) async fn addresses(&self, host: &str) -> DnsAnswer<Vec<IpAddr>> {
        let resolver = match &self.resolver {
            Ok(resolver) => resolver,
            Err(reason) => return DnsAnswer::Failed(reason.clone()),
        };
        let name = match fqdn(host) {
            Ok(name) => name,
            Err(reason) => return DnsAnswer::Failed(reason),
        };
        match tokio::time::timeout(self.timeout, resolver.lookup_ip(name)).await {
            Ok(Ok(lookup)) => DnsAnswer::Records(lookup.iter().collect()),
            Ok(Err(err)) => classify(&err),
            Err(_) => DnsAnswer::Failed(timed_out(self.timeout)),
        }
    }

    async fn lookup(&self, name: &str, kind: RecordType) -> Result<Lookup, DnsAnswer<()>> {
        let resolver = self
            .resolver
            .as_ref()
            .map_err(|reason| DnsAnswer::Failed(reason.clone()))?;
        let name = fqdn(name).map_err(DnsAnswer::Failed)?;
        match tokio::time::timeout(self.timeout, resolver.lookup(name, kind)).await {
            Ok(Ok(lookup)) => Ok(lookup),
            Ok(Err(err)) => Err(classify(&err)),
            Err(_) => Err(DnsAnswer::Failed(timed_out(self.timeout))),
        }
    }
}

/// The resolver for `config`: its name server over UDP and TCP, or the
/// system's; no cache, no hosts file.
fn build(config: &Config) -> Result<TokioResolver, String> {
    let mut builder = match config.nameserver {
        Some(address) => {
            let mut server = NameServerConfig::udp_and_tcp(address.ip());
            for connection in &mut server.connections {
                connection.port = address.port();
            }
            Resolver::builder_with_config(
                ResolverConfig::from_name_servers(vec![server]),
                TokioRuntimeProvider::default(),
            )
        }
        None => Resolver::builder_tokio()
            .map_err(|err| format!("cannot read the system's DNS configuration: {err}"))?,
    };
    let options = builder.options_mut();
    options.timeout = config.dns_timeout / 2;
    options.attempts = 2;
    options.cache_size = 0;
    options.use_hosts_file = ResolveHosts::Never;
    builder
        .build()
        .map_err(|err| format!("cannot set up the DNS resolver: {err}"))
}

/// `name` as an absolute DNS name, so no search domain is tried.
fn fqdn(name: &str) -> Result<Name, String> {
    let mut parsed =
        Name::from_utf8(name).map_err(|err| format!("invalid DNS name {name:?}: {err}"))?;
    parsed.set_fqdn(true);
    Ok(parsed)
}

fn map_records<T>(
    answer: Result<Lookup, DnsAnswer<()>>,
    records: impl FnOnce(&Lookup) -> T,
) -> DnsAnswer<T>
where
    T: Default,
{
    match answer {
        Ok(lookup) => DnsAnswer::Records(records(&lookup)),
        Err(DnsAnswer::Records(())) => DnsAnswer::Records(T::default()),
        Err(DnsAnswer::NxDomain) => DnsAnswer::NxDomain,
        Err(DnsAnswer::Failed(reason)) => DnsAnswer::Failed(reason),
    }
}

/// `NXDOMAIN`, `NODATA` (`Records` of nothing) or a failure in words.
fn classify<T: Default>(err: &NetError) -> DnsAnswer<T> {
    match err {
        NetError::Dns(DnsError::NoRecordsFound(none)) => match none.response_code {
            ResponseCode::NXDomain => DnsAnswer::NxDomain,
            ResponseCode::NoError => DnsAnswer::Records(T::default()),
            code => DnsAnswer::Failed(format!("the DNS server answered {code}")),
        },
        NetError::Dns(DnsError::ResponseCode(code)) => {
            DnsAnswer::Failed(format!("the DNS server answered {code}"))
        }
        NetError::Timeout => DnsAnswer::Failed("the DNS server did not answer in time".to_owned()),
        other => DnsAnswer::Failed(format!("DNS lookup failed: {other}")),
    }
}

fn timed_out(timeout: std::time::Duration) -> String {
    format!("DNS lookup timed out after {} ms", timeout.as_millis())
}

/// Host names for reqwest's connector, resolved by the same [`Dns`].
pub(crate) struct HttpResolver(pub(crate) Dns);

impl reqwest::dns::Resolve for HttpResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let dns = self.0.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            match dns.addresses(&host).await {
                DnsAnswer::Records(addresses) if !addresses.is_empty() => {
                    let addresses: reqwest::dns::Addrs = Box::new(
                        addresses
                            .into_iter()
                            .map(|address| SocketAddr::new(address, 0)),
                    );
                    Ok(addresses)
                }
                DnsAnswer::Records(_) => {
                    Err(ResolveError(format!("{host} has no A or AAAA record")).into())
                }
                DnsAnswer::NxDomain => {
                    Err(ResolveError(format!("{host} does not exist (NXDOMAIN)")).into())
                }
                DnsAnswer::Failed(reason) => Err(ResolveError(reason).into()),
            }
        })
    }
}

/// Why a host name did not resolve, as reqwest's connector reports it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct ResolveError(String);
