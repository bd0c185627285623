//! [`gather`]: every fact the audit needs about one domain, collected
//! concurrently, each part within its own budget.

use std::time::{SystemTime, UNIX_EPOCH};

use mta_sts::audit::{DnsAnswer, Evidence, MxRecord};
use mta_sts::sender::PolicyDomain;
use tokio::task::JoinSet;

use crate::Config;
use crate::dns::Dns;
use crate::{fetch, probe};

/// Gathers the evidence about `domain` that
/// [`mta_sts::audit`](mta_sts::audit) judges: the `_mta-sts` and
/// `_smtp._tls` TXT answers, the policy fetch, the MX answer and a
/// STARTTLS probe of each MX host (the domain itself when it has no MX
/// records, RFC 5321 §5.1).
///
/// The TXT lookups, the fetch and the MX lookup run at the same time; the
/// probes start as soon as the MX answer is in, all at once. Each step
/// keeps to its budget in `config` (DNS, the whole fetch, each probe), so
/// the whole takes at most about `dns_timeout` plus the larger of
/// `fetch_timeout` and `dns_timeout + probe_timeout`.
///
/// The fetch is attempted whatever the TXT answer says, so that a policy
/// served without a record is seen too. Nothing here judges: a domain
/// name that is not valid gives failed answers that say so, and no fetch.
/// Must be called within a tokio runtime (the probes run as tasks).
///
/// ```no_run
/// # async fn run() {
/// let evidence = mta_sts_net::gather("example.com", &mta_sts_net::Config::default()).await;
/// println!("{} MX hosts probed", evidence.probes.len());
/// # }
/// ```
pub async fn gather(domain: &str, config: &Config) -> Evidence {
    let now = unix_now();
    let policy_domain = match PolicyDomain::new(domain) {
        Ok(policy_domain) => policy_domain,
        Err(err) => {
            let reason = format!("{domain:?} is not a valid domain name: {err}");
            return Evidence {
                domain: domain.to_owned(),
                now,
                sts_txt: DnsAnswer::Failed(reason.clone()),
                fetch: None,
                mx: DnsAnswer::Failed(reason.clone()),
                probes: Vec::new(),
                tlsrpt_txt: DnsAnswer::Failed(reason),
            };
        }
    };
    let dns = Dns::new(config);
    let name = policy_domain.as_str();
    let (txt_name, tls_rpt_name) = (policy_domain.txt_name(), policy_domain.tls_rpt_name());
    let (sts_txt, tlsrpt_txt, fetched, (mx, probes)) = tokio::join!(
        dns.txt(&txt_name),
        dns.txt(&tls_rpt_name),
        fetch::fetch(&policy_domain, &dns, config, config.fetch_timeout, now),
        async {
            let mx = dns.mx(name).await;
            let hosts = mx_hosts(&mx, name);
            let mut tasks = JoinSet::new();
            for (index, host) in hosts.into_iter().enumerate() {
                let (dns, config) = (dns.clone(), config.clone());
                tasks.spawn(async move { (index, probe::probe(&host, &dns, &config, now).await) });
            }
            let mut probes = Vec::with_capacity(tasks.len());
            while let Some(done) = tasks.join_next().await {
                if let Ok(probe) = done {
                    probes.push(probe);
                }
            }
            probes.sort_by_key(|(index, _)| *index);
            (mx, probes.into_iter().map(|(_, probe)| probe).collect())
        }
    );
    Evidence {
        domain: domain.to_owned(),
        now,
        sts_txt,
        fetch: Some(fetched.fetch),
        mx,
        probes,
        tlsrpt_txt,
    }
}

/// The hosts to probe, in preference order without repeats: the MX
/// exchanges (a null MX, RFC 7505, has none), or the domain itself when
/// it has no MX records (RFC 5321 §5.1); none when the lookup failed.
fn mx_hosts(mx: &DnsAnswer<Vec<MxRecord>>, domain: &str) -> Vec<String> {
    match mx {
        DnsAnswer::Records(records) if records.is_empty() => vec![domain.to_owned()],
        DnsAnswer::Records(records) => {
            let mut hosts: Vec<String> = Vec::new();
            for record in records {
                let host = record.exchange.trim_end_matches('.').to_ascii_lowercase();
                if !host.is_empty() && !hosts.contains(&host) {
                    hosts.push(host);
                }
            }
            hosts
        }
        DnsAnswer::NxDomain | DnsAnswer::Failed(_) => Vec::new(),
    }
}

/// Seconds since the Unix epoch; 0 for a clock before it.
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mx(records: &[(u16, &str)]) -> DnsAnswer<Vec<MxRecord>> {
        DnsAnswer::Records(
            records
                .iter()
                .map(|&(preference, exchange)| MxRecord {
                    preference,
                    exchange: exchange.to_owned(),
                })
                .collect(),
        )
    }

    #[test]
    fn hosts_to_probe() {
        assert_eq!(
            mx_hosts(&mx(&[]), "example.com"),
            ["example.com"],
            "implicit MX"
        );
        assert_eq!(
            mx_hosts(&mx(&[(0, ".")]), "example.com"),
            Vec::<String>::new(),
            "null MX"
        );
        assert_eq!(
            mx_hosts(
                &mx(&[
                    (10, "a.example.com."),
                    (20, "B.example.com"),
                    (30, "a.example.com")
                ]),
                "x"
            ),
            ["a.example.com", "b.example.com"]
        );
        assert_eq!(
            mx_hosts(&DnsAnswer::NxDomain, "example.com"),
            Vec::<String>::new()
        );
    }
}
