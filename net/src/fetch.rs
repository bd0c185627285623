//! The HTTPS policy fetch (RFC 8461 §3.3) with reqwest on rustls: HTTPS
//! only, redirects never followed, the body read while streaming up to
//! the size limit, one time budget for the whole fetch, host names
//! resolved through the configured DNS server.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::Duration;

use mta_sts::audit::{FetchFailure, HttpExchange, PolicyFetch, Stage};
use mta_sts::sender::{PolicyDomain, TransportError};

use crate::Config;
use crate::cert::{Check, Seen, client_config, transport_error};
use crate::config::POLICY_SIZE_LIMIT;
use crate::dns::{Dns, HttpResolver};

/// What the fetch found, with the TLS error class when it failed in TLS.
pub(crate) struct Fetched {
    pub(crate) fetch: PolicyFetch,
    /// How a failure classifies for TLS reporting (RFC 8460 §4.3.2.2).
    pub(crate) transport: Option<TransportError>,
}

/// The policy URL for `domain` on `port` (the port is written only when
/// it is not 443).
pub(crate) fn policy_url(domain: &PolicyDomain, port: u16) -> String {
    if port == 443 {
        domain.policy_url()
    } else {
        format!(
            "https://{}:{port}/.well-known/mta-sts.txt",
            domain.policy_host()
        )
    }
}

/// Fetches `domain`'s policy within `budget` (at most the configured
/// `fetch_timeout`), checking the certificate strictly and judging its
/// chain at `now`.
pub(crate) async fn fetch(
    domain: &PolicyDomain,
    dns: &Dns,
    config: &Config,
    budget: Duration,
    now: u64,
) -> Fetched {
    let url = policy_url(domain, config.https_port);
    let seen = Seen::default();
    let mut reached = Stage::Resolve;
    let outcome = tokio::time::timeout(
        budget,
        exchange(&url, dns, config, &seen, now, &mut reached),
    )
    .await;
    let certificate = seen.facts(&config.roots, now);
    let (result, transport) = match outcome {
        Ok(Ok(exchange)) => (Ok(exchange), None),
        Ok(Err((stage, reason, transport))) => (
            Err(FetchFailure {
                stage,
                reason,
                certificate,
            }),
            Some(transport),
        ),
        Err(_) => {
            let stage = if certificate.is_some() {
                Stage::Http
            } else {
                reached
            };
            let reason = format!(
                "the fetch did not finish within its budget of {} ms",
                budget.as_millis()
            );
            (
                Err(FetchFailure {
                    stage,
                    reason,
                    certificate,
                }),
                Some(TransportError::Unreachable),
            )
        }
    };
    Fetched {
        fetch: PolicyFetch { url, result },
        transport,
    }
}

type Failure = (Stage, String, TransportError);

async fn exchange(
    url: &str,
    dns: &Dns,
    config: &Config,
    seen: &Seen,
    now: u64,
    reached: &mut Stage,
) -> Result<HttpExchange, Failure> {
    let setup = |err: &dyn std::fmt::Display| {
        (
            Stage::Connect,
            format!("cannot set up the HTTPS client: {err}"),
            TransportError::Unreachable,
        )
    };
    let tls = client_config(&config.roots, Check::Strict, seen.clone(), &[b"http/1.1"])
        .map_err(|err| setup(&err))?;
    let client = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .dns_resolver(Arc::new(HttpResolver(dns.clone())))
        .redirect(reqwest::redirect::Policy::none())
        .https_only(true)
        .no_proxy()
        .pool_max_idle_per_host(0)
        .user_agent(concat!("mta-sts-net/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|err| setup(&err))?;
    *reached = Stage::Connect;
    let mut response = client
        .get(url)
        .send()
        .await
        .map_err(|err| classify(&err, seen))?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_owned(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut body = Vec::new();
    let mut body_truncated = false;
    while let Some(chunk) = response.chunk().await.map_err(|err| {
        (
            Stage::Http,
            format!("reading the body failed: {}", chain(&err)),
            TransportError::Unreachable,
        )
    })? {
        let room = POLICY_SIZE_LIMIT - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            body_truncated = true;
            break;
        }
        body.extend_from_slice(&chunk);
    }
    let certificate = seen.facts(&config.roots, now).ok_or_else(|| {
        (
            Stage::Handshake,
            "the response came without a certificate".to_owned(),
            TransportError::Handshake,
        )
    })?;
    Ok(HttpExchange {
        status,
        headers,
        body,
        body_truncated,
        certificate,
    })
}

/// How far a failed request got and why, from reqwest's error chain.
fn classify(err: &reqwest::Error, seen: &Seen) -> Failure {
    let mut source: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(current) = source {
        if let Some(tls) = as_rustls(current) {
            return (
                Stage::Handshake,
                format!("TLS handshake failed: {tls}"),
                transport_error(tls),
            );
        }
        if current.is::<crate::dns::ResolveError>() {
            return (
                Stage::Resolve,
                current.to_string(),
                TransportError::Unreachable,
            );
        }
        source = current.source();
    }
    let has_certificate = !seen.is_empty();
    let stage = if has_certificate || !err.is_connect() {
        Stage::Http
    } else {
        Stage::Connect
    };
    (stage, chain(err), TransportError::Unreachable)
}

/// A rustls error, directly or inside `io::Error`s (hyper-util wraps
/// tokio-rustls's `io::Error` in another one).
fn as_rustls<'a>(err: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    let mut current: &(dyn StdError + 'static) = err;
    for _ in 0..4 {
        if let Some(tls) = current.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        let inner = current.downcast_ref::<std::io::Error>()?.get_ref()?;
        current = inner;
    }
    None
}

/// An error and its sources, joined with ": ".
fn chain(err: &dyn StdError) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(current) = source {
        let more = current.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = current.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_port_is_written_only_when_not_443() {
        let domain = PolicyDomain::new("Example.COM").unwrap();
        assert_eq!(
            policy_url(&domain, 443),
            "https://mta-sts.example.com/.well-known/mta-sts.txt"
        );
        assert_eq!(
            policy_url(&domain, 8443),
            "https://mta-sts.example.com:8443/.well-known/mta-sts.txt"
        );
    }
}
