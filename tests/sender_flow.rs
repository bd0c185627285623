//! A sending MTA's whole MTA-STS flow, driven through closures shaped like
//! what its libraries return: a TXT answer as hickory-resolver gives it
//! (per record, its character-strings as `Box<[u8]>`), an HTTPS response
//! as an HTTP client gives it (status, headers, body bytes) or a transport
//! error, and the TLS outcome of connecting to an MX host. Everything
//! between the closures is one call into the crate: TXT lookup, decide,
//! fetch, validate, cache, and a verdict per MX host.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use mta_sts::ParseOptions;
use mta_sts::sender::{
    Action, Apply, CacheEntry, Decision, FetchReason, HttpResponse, Next, PolicyDomain, ResultType,
    TlsOutcome, TransportError, TxtLookup, message_action, mx_allowed, validate_fetch, verdict,
};

/// A resolver failure (timeout, `SERVFAIL`), as opposed to an empty answer.
#[derive(Clone, Debug)]
struct ResolveFailed;

/// hickory-resolver's answer to a TXT query: one `Vec<Box<[u8]>>` of
/// character-strings per TXT record (`TXT::txt_data`).
type TxtAnswer = Result<Vec<Vec<Box<[u8]>>>, ResolveFailed>;

/// An HTTP client's response: status, headers (name, value bytes), body.
#[derive(Clone, Debug)]
struct HttpAnswer {
    status: u16,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

/// What the MTA learned from one delivery attempt.
#[derive(Debug)]
struct Delivery {
    decision: Decision,
    action: Action,
    /// The hosts delivered to or tried, in order.
    tried: Vec<String>,
    /// TLS-RPT failures to report.
    reports: Vec<ResultType>,
}

/// The network, as the closures see it: answers by name, and counters.
#[derive(Default)]
struct Network {
    txt: RefCell<HashMap<String, TxtAnswer>>,
    https: RefCell<HashMap<String, Result<HttpAnswer, TransportError>>>,
    smtp: RefCell<HashMap<String, Result<(), TransportError>>>,
    fetches: Cell<usize>,
}

impl Network {
    fn publish_txt(&self, name: &str, answer: TxtAnswer) {
        self.txt.borrow_mut().insert(name.to_owned(), answer);
    }

    fn publish_policy(&self, url: &str, answer: Result<HttpAnswer, TransportError>) {
        self.https.borrow_mut().insert(url.to_owned(), answer);
    }

    fn smtp(&self, host: &str, outcome: Result<(), TransportError>) {
        self.smtp.borrow_mut().insert(host.to_owned(), outcome);
    }
}

/// The sending MTA: a persistent cache and the closures.
struct Mta<'n> {
    cache: HashMap<PolicyDomain, CacheEntry>,
    net: &'n Network,
}

impl<'n> Mta<'n> {
    /// An MTA with an empty cache.
    fn new(net: &'n Network) -> Mta<'n> {
        Mta {
            cache: HashMap::new(),
            net,
        }
    }

    /// One message to `recipient_domain`, whose MX hosts are `mx_hosts` in
    /// order of preference, over the network's closures.
    fn deliver(&mut self, recipient_domain: &str, mx_hosts: &[&str], now: u64) -> Delivery {
        let net = self.net;
        deliver(
            &mut self.cache,
            |name| net.txt.borrow().get(name).cloned().unwrap_or(Ok(vec![])),
            |url| {
                net.fetches.set(net.fetches.get() + 1);
                let answer = net.https.borrow().get(url).cloned();
                answer.unwrap_or(Err(TransportError::Unreachable))
            },
            |host| {
                let outcome = net.smtp.borrow().get(host).copied();
                outcome.unwrap_or(Err(TransportError::Unreachable))
            },
            recipient_domain,
            mx_hosts,
            now,
        )
    }
}

/// The MTA's MTA-STS code: the closures stand for the resolver
/// (`resolve_txt`), the HTTPS client (`get`) and the SMTP client's
/// connection and TLS handshake (`connect`); everything else is the crate.
fn deliver(
    cache: &mut HashMap<PolicyDomain, CacheEntry>,
    resolve_txt: impl Fn(&str) -> TxtAnswer,
    get: impl Fn(&str) -> Result<HttpAnswer, TransportError>,
    connect: impl Fn(&str) -> Result<(), TransportError>,
    recipient_domain: &str,
    mx_hosts: &[&str],
    now: u64,
) -> Delivery {
    let options = ParseOptions::lenient();
    let domain = PolicyDomain::new(recipient_domain).expect("a valid domain");
    let lookup = match resolve_txt(&domain.txt_name()) {
        Ok(rrset) => TxtLookup::from_rrset_bytes(rrset, &options),
        Err(ResolveFailed) => TxtLookup::Failed,
    };
    let mut entry = cache.remove(&domain).unwrap_or_default();
    let mut decision = entry.decide(&lookup, now);
    let mut reports = Vec::new();
    if let Next::Fetch(fetch) = decision.next() {
        let result = match get(&domain.policy_url()) {
            Ok(answer) => {
                let response =
                    HttpResponse::new(answer.status, &answer.body).headers(&answer.headers);
                validate_fetch(&response, &options).map_err(|err| ResultType::for_fetch_error(&err))
            }
            Err(error) => Err(error.fetch_result_type()),
        };
        reports.extend(result.as_ref().err());
        decision = entry.complete_fetch(fetch, result, now);
    }

    let policy = entry.policy(now);
    let mut verdicts = Vec::new();
    let mut tried = Vec::new();
    for &host in mx_hosts {
        if mx_allowed(policy, host) == Action::Refuse {
            reports.push(ResultType::ValidationFailure);
            continue;
        }
        tried.push(host.to_owned());
        let tls = match connect(host) {
            Ok(()) => TlsOutcome::Valid,
            Err(error) => match error.tls_outcome() {
                Some(tls) => tls,
                None => continue,
            },
        };
        let host_verdict = verdict(policy, host, tls);
        reports.extend(host_verdict.result_type());
        verdicts.push(host_verdict);
        if host_verdict.action() == Action::Deliver {
            break;
        }
    }
    cache.insert(domain, entry);
    Delivery {
        decision,
        action: message_action(&verdicts),
        tried,
        reports,
    }
}

// --- the answers --------------------------------------------------------------

const NOW: u64 = 1_700_000_000;
const TXT_NAME: &str = "_mta-sts.example.com";
const POLICY_URL: &str = "https://mta-sts.example.com/.well-known/mta-sts.txt";

/// A TXT RRset with an SPF record and an STS record split into two
/// character-strings, as published by a zone file with a long record.
fn txt_answer(id: &str) -> TxtAnswer {
    Ok(vec![
        vec![Box::from(&b"v=spf1 -all"[..])],
        vec![
            Box::from(&b"v=STSv1; "[..]),
            format!("id={id};").into_bytes().into_boxed_slice(),
        ],
    ])
}

fn policy_answer(mode: &str, mx: &[&str]) -> Result<HttpAnswer, TransportError> {
    let mut body = format!("version: STSv1\r\nmode: {mode}\r\n");
    for host in mx {
        body.push_str(&format!("mx: {host}\r\n"));
    }
    body.push_str("max_age: 604800\r\n");
    Ok(HttpAnswer {
        status: 200,
        headers: vec![
            ("date".to_owned(), b"Tue, 14 Nov 2023 22:13:20 GMT".to_vec()),
            (
                "content-type".to_owned(),
                b"text/plain; charset=utf-8".to_vec(),
            ),
        ],
        body: body.into_bytes(),
    })
}

fn setup() -> Network {
    let net = Network::default();
    net.publish_txt(TXT_NAME, txt_answer("1"));
    net.publish_policy(POLICY_URL, policy_answer("enforce", &["mx1.example.com"]));
    net.smtp("mx1.example.com", Ok(()));
    net.smtp("mx.attacker.example", Ok(()));
    net
}

// --- the flow -----------------------------------------------------------------

#[test]
fn first_delivery_fetches_caches_and_enforces() {
    let net = setup();
    let mut mta = Mta::new(&net);
    // An attacker's MX host first in line: skipped without connecting.
    let delivery = mta.deliver(
        "Example.COM",
        &["mx.attacker.example", "mx1.example.com"],
        NOW,
    );
    assert_eq!(net.fetches.get(), 1);
    assert_eq!(delivery.decision.apply(), Apply::Cached);
    assert_eq!(delivery.decision.next(), &Next::Nothing);
    assert_eq!(delivery.action, Action::Deliver);
    assert_eq!(delivery.tried, ["mx1.example.com"]);
    assert_eq!(delivery.reports, [ResultType::ValidationFailure]);

    // The cache holds the policy under the TXT id the fetch was for.
    let entry = &mta.cache[&PolicyDomain::new("example.com").unwrap()];
    assert_eq!(entry.cached().unwrap().id(), "1");
    assert_eq!(entry.cached().unwrap().fetched_at(), NOW);
    assert!(entry.last_failure().is_none());

    // The next message uses the cache: no fetch.
    let delivery = mta.deliver("example.com", &["mx1.example.com"], NOW + 60);
    assert_eq!(net.fetches.get(), 1);
    assert_eq!(delivery.action, Action::Deliver);
    assert!(delivery.reports.is_empty());
}

#[test]
fn only_disallowed_or_failing_hosts_defer_the_message() {
    let net = setup();
    net.smtp("mx1.example.com", Err(TransportError::CertificateExpired));
    let mut mta = Mta::new(&net);
    let delivery = mta.deliver(
        "example.com",
        &["mx.attacker.example", "mx1.example.com"],
        NOW,
    );
    assert_eq!(delivery.action, Action::Defer);
    assert_eq!(
        delivery.reports,
        [
            ResultType::ValidationFailure,
            ResultType::CertificateExpired
        ]
    );
}

#[test]
fn dns_failure_keeps_the_cached_policy() {
    let net = setup();
    let mut mta = Mta::new(&net);
    mta.deliver("example.com", &["mx1.example.com"], NOW);
    net.publish_txt(TXT_NAME, Err(ResolveFailed));
    let delivery = mta.deliver("example.com", &["mx.attacker.example"], NOW + 3_600);
    assert_eq!(delivery.decision.apply(), Apply::Cached);
    assert_eq!(delivery.action, Action::Defer);
    assert_eq!(net.fetches.get(), 1);
}

#[test]
fn a_new_id_applies_the_new_policy_in_the_same_delivery() {
    let net = setup();
    let mut mta = Mta::new(&net);
    mta.deliver("example.com", &["mx1.example.com"], NOW);
    // The domain moves its mail to mx2 and publishes a new id.
    net.publish_txt(TXT_NAME, txt_answer("2"));
    net.publish_policy(POLICY_URL, policy_answer("enforce", &["mx2.example.com"]));
    net.smtp("mx2.example.com", Ok(()));
    let delivery = mta.deliver("example.com", &["mx2.example.com"], NOW + 600);
    assert_eq!(net.fetches.get(), 2);
    assert_eq!(delivery.decision.apply(), Apply::Cached);
    assert_eq!(delivery.action, Action::Deliver);
    assert_eq!(delivery.tried, ["mx2.example.com"]);
    let entry = &mta.cache[&PolicyDomain::new("example.com").unwrap()];
    assert_eq!(entry.cached().unwrap().id(), "2");
}

#[test]
fn failed_fetch_keeps_the_old_policy_and_waits_five_minutes() {
    let net = setup();
    let mut mta = Mta::new(&net);
    mta.deliver("example.com", &["mx1.example.com"], NOW);
    net.publish_txt(TXT_NAME, txt_answer("2"));
    net.publish_policy(
        POLICY_URL,
        Ok(HttpAnswer {
            status: 404,
            headers: vec![],
            body: b"not found".to_vec(),
        }),
    );
    let delivery = mta.deliver("example.com", &["mx1.example.com"], NOW + 600);
    assert_eq!(net.fetches.get(), 2);
    assert_eq!(delivery.reports, [ResultType::StsPolicyFetchError]);
    // The old policy still applies; the retry waits for five minutes.
    assert_eq!(delivery.decision.apply(), Apply::Cached);
    assert_eq!(
        delivery.decision.next(),
        &Next::Wait {
            reason: FetchReason::IdChanged,
            until: NOW + 900
        }
    );
    assert_eq!(delivery.action, Action::Deliver);

    // Within the five minutes: no fetch.
    mta.deliver("example.com", &["mx1.example.com"], NOW + 899);
    assert_eq!(net.fetches.get(), 2);
    // Then a fetch, which fails on the Policy Host's certificate.
    net.publish_policy(POLICY_URL, Err(TransportError::CertificateNotTrusted));
    let delivery = mta.deliver("example.com", &["mx1.example.com"], NOW + 900);
    assert_eq!(net.fetches.get(), 3);
    assert_eq!(delivery.reports, [ResultType::StsWebpkiInvalid]);
}

#[test]
fn wrong_media_type_is_tolerated_leniently() {
    let net = setup();
    let mut answer = policy_answer("testing", &["mx1.example.com"]).unwrap();
    answer.headers = vec![("Content-Type".to_owned(), b"text/html".to_vec())];
    net.publish_policy(POLICY_URL, Ok(answer));
    let mut mta = Mta::new(&net);
    // testing mode: the attacker's host is delivered to, and reported.
    let delivery = mta.deliver("example.com", &["mx.attacker.example"], NOW);
    assert_eq!(delivery.decision.apply(), Apply::Cached);
    assert_eq!(delivery.action, Action::Deliver);
    assert_eq!(delivery.reports, [ResultType::ValidationFailure]);
}

#[test]
fn txt_record_that_is_not_utf8_is_invalid_not_a_panic() {
    let net = setup();
    net.publish_txt(
        TXT_NAME,
        Ok(vec![vec![Box::from(&b"v=STSv1; id=\xff\xfe;"[..])]]),
    );
    let lookup = TxtLookup::from_rrset_bytes(
        net.txt.borrow()[TXT_NAME].clone().unwrap(),
        &ParseOptions::lenient(),
    );
    let TxtLookup::Invalid(err) = &lookup else {
        panic!("expected an invalid record, got {lookup:?}")
    };
    assert_eq!((err.code(), err.column()), ("syntax", Some(13)));
    assert_eq!(
        err.to_string(),
        "the TXT record \"v=STSv1; id=\u{fffd}\u{fffd};\" at column 13: it is not valid UTF-8 (byte 0xFF)"
    );
    // No policy, nothing to fetch: deliver as without MTA-STS.
    let mut mta = Mta::new(&net);
    let delivery = mta.deliver("example.com", &["mx.attacker.example"], NOW);
    assert_eq!(delivery.decision.apply(), Apply::NoPolicy);
    assert_eq!(delivery.action, Action::Deliver);
    assert_eq!(net.fetches.get(), 0);
}

#[test]
fn unreachable_mx_hosts_are_skipped_without_reports() {
    let net = setup();
    net.smtp("mx1.example.com", Err(TransportError::Unreachable));
    net.smtp("mx2.example.com", Ok(()));
    net.publish_policy(
        POLICY_URL,
        policy_answer("enforce", &["mx1.example.com", "mx2.example.com"]),
    );
    let mut mta = Mta::new(&net);
    let delivery = mta.deliver("example.com", &["mx1.example.com", "mx2.example.com"], NOW);
    assert_eq!(delivery.tried, ["mx1.example.com", "mx2.example.com"]);
    assert_eq!(delivery.action, Action::Deliver);
    assert!(delivery.reports.is_empty());
}

/// The cache survives a restart through serde, and the flow carries on
/// from it.
#[cfg(feature = "serde")]
#[test]
fn cache_persists_through_serde() {
    let net = setup();
    let mut mta = Mta::new(&net);
    mta.deliver("example.com", &["mx1.example.com"], NOW);
    let saved: Vec<(String, CacheEntry)> = mta
        .cache
        .iter()
        .map(|(domain, entry)| (domain.to_string(), entry.clone()))
        .collect();
    let json = serde_json::to_string(&saved).unwrap();
    let restored: Vec<(PolicyDomain, CacheEntry)> = serde_json::from_str(&json).unwrap();
    let mut restarted = Mta {
        cache: restored.into_iter().collect(),
        net: &net,
    };
    assert_eq!(restarted.cache, mta.cache);
    let delivery = restarted.deliver("example.com", &["mx.attacker.example"], NOW + 60);
    assert_eq!(delivery.decision.apply(), Apply::Cached);
    assert_eq!(delivery.action, Action::Defer);
    assert_eq!(net.fetches.get(), 1);
}
