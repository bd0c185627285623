//! `mta-sts-net` against the lab's real servers on loopback: what
//! `gather` finds for good, broken and hostile domains, and what the
//! sender `Resolver` decides across policy changes. One test binary, one
//! lab shared by all its tests.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use mta_sts::Mode;
use mta_sts::ParseOptions;
use mta_sts::audit::{ChainVerdict, DnsAnswer, Evidence, HttpExchange, ProbeResult, Stage};
use mta_sts::sender::{Action, FetchReason, Next, ResultType, TlsOutcome, TxtLookup};
use mta_sts_lab::{self as lab, Behaviour, Lab, Leaf, Mx, enforce, lab, policy};
use mta_sts_net::{Config, Resolver, gather};

/// A configuration for the lab: its DNS server, ports and CA, and budgets
/// short enough for tests.
trait LabConfig {
    fn config(&self) -> Config;
}

impl LabConfig for Lab {
    fn config(&self) -> Config {
        let mut config = Config::default();
        config.nameserver = Some(self.dns);
        config.https_port = self.https_port;
        config.smtp_port = self.smtp_port;
        config.roots = Arc::new(self.pki.roots());
        config.dns_timeout = Duration::from_secs(2);
        config.fetch_timeout = Duration::from_secs(5);
        config.probe_timeout = Duration::from_secs(5);
        config.ehlo_name = "client.lab.test".to_owned();
        config
    }
}

const STS: &str = "v=STSv1; id=20240101T000000;";

/// Gathers `domain` with `config`, checking it kept to `limit`.
async fn gather_within(domain: &str, config: &Config, limit: Duration) -> Evidence {
    let start = Instant::now();
    let evidence = gather(domain, config).await;
    let took = start.elapsed();
    assert!(took < limit, "{domain}: took {took:?}, more than {limit:?}");
    evidence
}

/// The exchange of a fetch that got a response.
#[track_caller]
fn exchange(evidence: &Evidence) -> &HttpExchange {
    let fetch = evidence.fetch.as_ref().expect("a fetch was made");
    match &fetch.result {
        Ok(exchange) => exchange,
        Err(failure) => panic!("{}: fetch failed: {failure:?}", evidence.domain),
    }
}

fn header<'a>(exchange: &'a HttpExchange, name: &str) -> Option<&'a str> {
    exchange
        .headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

fn txt_records(answer: &DnsAnswer<mta_sts::audit::TxtRrset>) -> Vec<String> {
    match answer {
        DnsAnswer::Records(records) => records
            .iter()
            .map(|strings| {
                strings
                    .iter()
                    .map(|s| String::from_utf8_lossy(s).into_owned())
                    .collect()
            })
            .collect(),
        other => panic!("expected TXT records, got {other:?}"),
    }
}

// A good domain

#[tokio::test]
async fn good_domain() {
    let lab = lab();
    let text = enforce(&["mx.good.test"], 604_800);
    lab.publish(
        "good.test",
        &[STS],
        Behaviour::policy(&text),
        &[("mx.good.test", Mx::Good)],
    );
    let evidence = gather_within("good.test", &lab.config(), Duration::from_secs(5)).await;

    assert_eq!(txt_records(&evidence.sts_txt), [STS]);
    assert_eq!(
        txt_records(&evidence.tlsrpt_txt),
        ["v=TLSRPTv1; rua=mailto:tls@good.test"]
    );
    let fetch = evidence.fetch.as_ref().unwrap();
    assert_eq!(
        fetch.url,
        format!(
            "https://mta-sts.good.test:{}/.well-known/mta-sts.txt",
            lab.https_port
        )
    );
    let response = exchange(&evidence);
    assert_eq!(response.status, 200);
    assert_eq!(header(response, "content-type"), Some("text/plain"));
    assert_eq!(response.body, text.as_bytes());
    assert!(!response.body_truncated);
    assert_eq!(response.certificate.dns_names, ["mta-sts.good.test"]);
    assert_eq!(response.certificate.chain, ChainVerdict::Trusted);
    assert!(
        response.certificate.not_before < evidence.now
            && evidence.now < response.certificate.not_after
    );

    match &evidence.mx {
        DnsAnswer::Records(records) => {
            assert_eq!(records.len(), 1);
            assert_eq!(
                (records[0].preference, records[0].exchange.as_str()),
                (10, "mx.good.test.")
            );
        }
        other => panic!("MX: {other:?}"),
    }
    assert_eq!(evidence.probes.len(), 1);
    assert_eq!(evidence.probes[0].host, "mx.good.test");
    match &evidence.probes[0].result {
        ProbeResult::Tls(cert) => {
            assert_eq!(cert.dns_names, ["mx.good.test"]);
            assert_eq!(cert.chain, ChainVerdict::Trusted);
        }
        other => panic!("probe: {other:?}"),
    }

    // The sender resolver applies the same policy, and filters MX hosts.
    let resolver = Resolver::new(lab.config());
    let lookup = resolver.policy("good.test").await.unwrap();
    let applied = lookup.policy().expect("a policy applies");
    assert_eq!(applied.mode(), Mode::Enforce);
    assert!(lookup.fetch_error().is_none());
    assert_eq!(lookup.mx_allowed("mx.good.test"), Action::Deliver);
    assert_eq!(lookup.mx_allowed("mx.attacker.test"), Action::Refuse);
    assert_eq!(
        lookup.verdict("mx.good.test", TlsOutcome::Valid).action(),
        Action::Deliver
    );
}

#[tokio::test]
async fn private_ca_from_pem() {
    let lab = lab();
    lab.publish(
        "pem.test",
        &[STS],
        Behaviour::policy(&enforce(&["mx.pem.test"], 86_400)),
        &[],
    );
    let mut config = lab.config();
    config.roots = Config::roots_from_pem(lab.pki.ca_pem().as_bytes()).unwrap();
    let evidence = gather_within("pem.test", &config, Duration::from_secs(5)).await;
    assert_eq!(exchange(&evidence).certificate.chain, ChainVerdict::Trusted);

    // With the Mozilla roots the lab's chain is unknown.
    config.roots = Config::default().roots;
    let evidence = gather_within("pem.test", &config, Duration::from_secs(5)).await;
    let failure = evidence.fetch.unwrap().result.unwrap_err();
    assert_eq!(failure.stage, Stage::Handshake);
    assert_eq!(
        failure.certificate.unwrap().chain,
        ChainVerdict::UnknownIssuer
    );
}

#[tokio::test]
async fn implicit_mx_is_the_domain() {
    let lab = lab();
    lab.publish("implicit.test", &[STS], Behaviour::status(404), &[]);
    lab.zone
        .set_a("implicit.test", lab::smtp::address(Mx::Good));
    let evidence = gather_within("implicit.test", &lab.config(), Duration::from_secs(5)).await;
    assert_eq!(evidence.mx, DnsAnswer::Records(Vec::new()));
    assert_eq!(evidence.probes.len(), 1);
    assert_eq!(evidence.probes[0].host, "implicit.test");
    assert!(
        matches!(&evidence.probes[0].result, ProbeResult::Tls(cert) if cert.dns_names == ["implicit.test"])
    );
}

// The policy fetch

#[tokio::test]
async fn not_found() {
    let lab = lab();
    lab.publish("notfound.test", &[STS], Behaviour::status(404), &[]);
    let evidence = gather_within("notfound.test", &lab.config(), Duration::from_secs(5)).await;
    assert_eq!(exchange(&evidence).status, 404);

    let lookup = Resolver::new(lab.config())
        .policy("notfound.test")
        .await
        .unwrap();
    assert!(lookup.policy().is_none());
    let error = lookup.fetch_error().expect("the fetch failed");
    assert_eq!(error.result_type(), ResultType::StsPolicyFetchError);
    assert!(error.to_string().contains("HTTP status 404"), "{error}");
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let lab = lab();
    for (domain, target) in [
        (
            "redirect.test",
            "https://mta-sts.good.test/.well-known/mta-sts.txt",
        ),
        (
            "loop.test",
            "https://mta-sts.loop.test/.well-known/mta-sts.txt",
        ),
    ] {
        let redirect = Behaviour::Serve {
            status: 301,
            content_type: "text/plain",
            body: Vec::new(),
            location: Some(target.to_owned()),
        };
        lab.publish(domain, &[STS], redirect, &[]);
        let evidence = gather_within(domain, &lab.config(), Duration::from_secs(5)).await;
        let response = exchange(&evidence);
        assert_eq!(response.status, 301, "{domain}");
        assert_eq!(header(response, "location"), Some(target), "{domain}");
        assert_eq!(
            lab.web.hits(&format!("mta-sts.{domain}")),
            1,
            "{domain}: one request, not followed"
        );
    }
}

#[tokio::test]
async fn html_media_type() {
    let lab = lab();
    let text = enforce(&["mx.html.test"], 86_400);
    let html = Behaviour::Serve {
        status: 200,
        content_type: "text/html",
        body: text.into_bytes(),
        location: None,
    };
    lab.publish("html.test", &[STS], html, &[]);
    let evidence = gather_within("html.test", &lab.config(), Duration::from_secs(5)).await;
    assert_eq!(
        header(exchange(&evidence), "content-type"),
        Some("text/html")
    );
}

#[tokio::test]
async fn body_over_the_limit() {
    let lab = lab();
    let mut text = enforce(&["mx.big.test"], 86_400);
    while text.len() < 70_000 {
        text.push_str("# padding padding padding padding padding padding\r\n");
    }
    lab.publish("big.test", &[STS], Behaviour::policy(&text), &[]);
    let evidence = gather_within("big.test", &lab.config(), Duration::from_secs(5)).await;
    let response = exchange(&evidence);
    assert!(response.body_truncated);
    assert_eq!(response.body.len(), mta_sts_net::POLICY_SIZE_LIMIT);
    assert_eq!(
        response.body,
        text.as_bytes()[..mta_sts_net::POLICY_SIZE_LIMIT]
    );

    let lookup = Resolver::new(lab.config())
        .policy("big.test")
        .await
        .unwrap();
    assert!(lookup.policy().is_none());
    assert!(
        lookup.fetch_error().unwrap().to_string().contains("65536"),
        "{:?}",
        lookup.fetch_error()
    );
}

#[tokio::test]
async fn dripping_server_ends_at_the_budget() {
    let lab = lab();
    let text = enforce(&["mx.drip.test"], 86_400);
    lab.publish("drip.test", &[STS], Behaviour::Drip(text.into_bytes()), &[]);
    let mut config = lab.config();
    config.fetch_timeout = Duration::from_secs(2);
    let evidence = gather_within("drip.test", &config, Duration::from_secs(5)).await;
    let failure = evidence.fetch.unwrap().result.unwrap_err();
    assert_eq!(failure.stage, Stage::Http);
    assert!(
        failure.reason.contains("budget of 2000 ms"),
        "{}",
        failure.reason
    );
    assert_eq!(
        failure.certificate.map(|cert| cert.chain),
        Some(ChainVerdict::Trusted)
    );
}

#[tokio::test]
async fn certificate_for_another_name() {
    let lab = lab();
    lab.pki
        .serve("mta-sts.wrongname.test", Leaf::For(&["other.test"]));
    lab.publish(
        "wrongname.test",
        &[STS],
        Behaviour::policy(&enforce(&["mx.wrongname.test"], 86_400)),
        &[],
    );
    let evidence = gather_within("wrongname.test", &lab.config(), Duration::from_secs(5)).await;
    let failure = evidence.fetch.unwrap().result.unwrap_err();
    assert_eq!(failure.stage, Stage::Handshake, "{}", failure.reason);
    assert!(
        failure.reason.contains("not valid for name"),
        "{}",
        failure.reason
    );
    let cert = failure.certificate.expect("the certificate was seen");
    assert_eq!(cert.dns_names, ["other.test"]);
    assert_eq!(
        cert.chain,
        ChainVerdict::Trusted,
        "the chain is fine; only the name is wrong"
    );

    let lookup = Resolver::new(lab.config())
        .policy("wrongname.test")
        .await
        .unwrap();
    assert!(lookup.policy().is_none());
    assert_eq!(
        lookup.fetch_error().unwrap().result_type(),
        ResultType::StsWebpkiInvalid
    );
}

#[tokio::test]
async fn expired_and_untrusted_certificates() {
    let lab = lab();
    lab.pki.serve(
        "mta-sts.expired.test",
        Leaf::Expired(&["mta-sts.expired.test"]),
    );
    lab.pki.serve(
        "mta-sts.selfsigned.test",
        Leaf::SelfSigned(&["mta-sts.selfsigned.test"]),
    );
    for (domain, verdict) in [
        ("expired.test", ChainVerdict::Expired),
        ("selfsigned.test", ChainVerdict::UnknownIssuer),
    ] {
        lab.publish(
            domain,
            &[STS],
            Behaviour::policy(&enforce(&["mx.x.test"], 86_400)),
            &[],
        );
        let evidence = gather_within(domain, &lab.config(), Duration::from_secs(5)).await;
        let failure = evidence.fetch.unwrap().result.unwrap_err();
        assert_eq!(failure.stage, Stage::Handshake, "{domain}");
        let cert = failure.certificate.expect("the certificate was seen");
        assert_eq!(cert.chain, verdict, "{domain}");
        assert_eq!(cert.dns_names, [format!("mta-sts.{domain}")], "{domain}");
    }
}

// TXT records

#[tokio::test]
async fn txt_record_cases() {
    let lab = lab();
    let body = Behaviour::policy(&enforce(&["mx.t.test"], 86_400));
    lab.publish("notxt.test", &[], body.clone(), &[]);
    lab.publish("twotxt.test", &[STS, "v=STSv1; id=2;"], body.clone(), &[]);
    lab.publish("spf.test", &["v=spf1 -all"], body, &[]);
    let config = lab.config();

    let evidence = gather_within("notxt.test", &config, Duration::from_secs(5)).await;
    assert_eq!(evidence.sts_txt, DnsAnswer::NxDomain);
    let evidence = gather_within("twotxt.test", &config, Duration::from_secs(5)).await;
    let mut records = txt_records(&evidence.sts_txt);
    records.sort();
    assert_eq!(records, [STS, "v=STSv1; id=2;"]);
    let evidence = gather_within("spf.test", &config, Duration::from_secs(5)).await;
    let DnsAnswer::Records(rrset) = &evidence.sts_txt else {
        panic!("spf.test: {:?}", evidence.sts_txt)
    };
    assert_eq!(
        TxtLookup::from_rrset_bytes(rrset.clone(), &ParseOptions::lenient()),
        TxtLookup::NoRecord
    );

    // A sender applies no policy in each case, and does not fetch.
    let resolver = Resolver::new(config);
    for domain in ["notxt.test", "twotxt.test", "spf.test"] {
        let lookup = resolver.policy(domain).await.unwrap();
        assert!(lookup.policy().is_none(), "{domain}");
        assert_eq!(lookup.decision().next(), &Next::Nothing, "{domain}");
        assert_eq!(
            lab.web.hits(&format!("mta-sts.{domain}")),
            1,
            "{domain}: only gather fetched"
        );
    }
}

// MX probes

#[tokio::test]
async fn mx_probe_cases() {
    let lab = lab();
    lab.pki
        .serve("mx.othername.test", Leaf::For(&["mx.elsewhere.test"]));
    let mx = [
        ("mx.plain.test", Mx::NoStartTls),
        ("mx.othername.test", Mx::Good),
        ("mx.garbage.test", Mx::Garbage),
        ("mx.endless.test", Mx::EndlessReply),
        ("mx.longline.test", Mx::EndlessLine),
        ("mx.missing.test", Mx::Good),
    ];
    lab.publish("probes.test", &[STS], Behaviour::status(404), &mx);
    lab.zone
        .set_a("mx.missing.test", std::net::Ipv4Addr::new(127, 0, 0, 9));
    let evidence = gather_within("probes.test", &lab.config(), Duration::from_secs(8)).await;
    let hosts: Vec<&str> = evidence
        .probes
        .iter()
        .map(|probe| probe.host.as_str())
        .collect();
    assert_eq!(
        hosts,
        mx.iter().map(|(host, _)| *host).collect::<Vec<_>>(),
        "in MX order"
    );
    let results: Vec<&ProbeResult> = evidence.probes.iter().map(|probe| &probe.result).collect();

    assert_eq!(results[0], &ProbeResult::NoStartTls);
    assert!(
        matches!(results[1], ProbeResult::Tls(cert) if cert.dns_names == ["mx.elsewhere.test"] && cert.chain == ChainVerdict::Trusted),
        "{:?}",
        results[1]
    );
    let failed = |result: &ProbeResult| match result {
        ProbeResult::Failed { stage, reason } => (*stage, reason.clone()),
        other => panic!("expected a failure, got {other:?}"),
    };
    let (stage, reason) = failed(results[2]);
    assert_eq!(stage, Stage::Greeting);
    assert!(
        reason.contains("\"HTTP/1.1 400 Bad Request\" is not a reply line"),
        "{reason}"
    );
    let (stage, reason) = failed(results[3]);
    assert_eq!(stage, Stage::Greeting);
    assert!(reason.contains("more than 100 lines"), "{reason}");
    let (stage, reason) = failed(results[4]);
    assert_eq!(stage, Stage::Greeting);
    assert!(reason.contains("longer than 512 bytes"), "{reason}");
    let (stage, reason) = failed(results[5]);
    assert_eq!(stage, Stage::Connect);
    assert!(reason.contains("127.0.0.9"), "{reason}");
}

#[tokio::test]
async fn silent_mx_ends_at_the_budget() {
    let lab = lab();
    lab.publish(
        "silent.test",
        &[STS],
        Behaviour::status(404),
        &[("mx.silent.test", Mx::Silent)],
    );
    let mut config = lab.config();
    config.probe_timeout = Duration::from_secs(1);
    let evidence = gather_within("silent.test", &config, Duration::from_secs(5)).await;
    assert_eq!(
        evidence.probes[0].result,
        ProbeResult::Failed {
            stage: Stage::Greeting,
            reason: "no answer within the probe's budget of 1000 ms".to_owned()
        }
    );
}

#[tokio::test]
async fn postfix_as_mx() {
    let lab = lab();
    if let Err(why) = lab::postfix() {
        panic!("{why}");
    }
    lab.publish("postfix.test", &[STS], Behaviour::status(404), &[]);
    lab.zone.set_mx("postfix.test", &[(10, lab::postfix::HOST)]);
    lab.zone.set_a(lab::postfix::HOST, lab::postfix::ADDRESS);
    let evidence = gather_within("postfix.test", &lab.config(), Duration::from_secs(8)).await;
    assert_eq!(evidence.probes.len(), 1);
    match &evidence.probes[0].result {
        ProbeResult::Tls(cert) => {
            assert_eq!(cert.dns_names, [lab::postfix::HOST]);
            assert_eq!(cert.chain, ChainVerdict::Trusted);
        }
        other => panic!("Postfix probe: {other:?}"),
    }
}

// DNS failures and hostile DNS

#[tokio::test]
async fn dns_server_that_never_answers() {
    let lab = lab();
    let mut config = lab.config();
    config.nameserver = Some(lab.silent_dns);
    config.dns_timeout = Duration::from_secs(1);
    let evidence = gather_within("good.test", &config, Duration::from_secs(6)).await;
    for answer in [&evidence.sts_txt, &evidence.tlsrpt_txt] {
        assert!(matches!(answer, DnsAnswer::Failed(_)), "{answer:?}");
    }
    assert!(
        matches!(&evidence.mx, DnsAnswer::Failed(_)),
        "{:?}",
        evidence.mx
    );
    assert!(evidence.probes.is_empty());
    let failure = evidence.fetch.unwrap().result.unwrap_err();
    assert_eq!(failure.stage, Stage::Resolve);
    assert!(failure.certificate.is_none());

    let lookup = Resolver::new(config).policy("good.test").await.unwrap();
    assert!(lookup.policy().is_none());
    assert_eq!(lookup.decision().next(), &Next::Nothing);
}

#[tokio::test]
async fn ten_thousand_txt_records() {
    let lab = lab();
    lab.publish("many.test", &[], Behaviour::status(404), &[]);
    lab.zone.set_many_txt("_mta-sts.many.test", 10_000);
    let mut config = lab.config();
    config.dns_timeout = Duration::from_secs(1);
    let evidence = gather_within("many.test", &config, Duration::from_secs(6)).await;
    // 10 000 records do not fit in a DNS message (64 KiB): the server
    // sends a truncated answer over UDP and TCP, and the lookup fails.
    match &evidence.sts_txt {
        DnsAnswer::Failed(reason) => assert!(reason.contains("truncated"), "{reason}"),
        other => panic!("expected a failed lookup, got {other:?}"),
    }
}

// Hostile policy hosts

#[tokio::test]
async fn endless_body_and_header() {
    let lab = lab();
    lab.publish("endlessbody.test", &[STS], Behaviour::EndlessBody, &[]);
    lab.publish("endlessheader.test", &[STS], Behaviour::EndlessHeader, &[]);
    let config = lab.config();
    let evidence = gather_within("endlessbody.test", &config, Duration::from_secs(5)).await;
    let response = exchange(&evidence);
    assert!(response.body_truncated);
    assert_eq!(response.body.len(), mta_sts_net::POLICY_SIZE_LIMIT);

    let evidence = gather_within("endlessheader.test", &config, Duration::from_secs(6)).await;
    let failure = evidence.fetch.unwrap().result.unwrap_err();
    assert_eq!(failure.stage, Stage::Http);
    assert!(!failure.reason.is_empty());
}

// The sender resolver across changes

/// A clock the test moves.
fn clock(start: u64) -> (Arc<AtomicU64>, impl Fn() -> u64 + Send + Sync + 'static) {
    let now = Arc::new(AtomicU64::new(start));
    let read = Arc::clone(&now);
    (now, move || read.load(Ordering::SeqCst))
}

fn mx_of(lookup: &mta_sts_net::PolicyLookup) -> Vec<String> {
    lookup
        .policy()
        .map(|policy| policy.mx().iter().map(ToString::to_string).collect())
        .unwrap_or_default()
}

/// Publishes `domain` with the TXT record `txt` and an enforce policy for
/// `mx.<domain>`, and returns a resolver on a clock the test moves that
/// has fetched and cached that policy.
async fn cached(domain: &str, txt: &str, max_age: u32) -> (Arc<AtomicU64>, Resolver) {
    let lab = lab();
    let mx = format!("mx.{domain}");
    lab.publish(
        domain,
        &[txt],
        Behaviour::policy(&enforce(&[&mx], max_age)),
        &[],
    );
    let (now, read) = clock(1_800_000_000);
    let resolver = Resolver::new(lab.config()).with_clock(read);
    assert_eq!(mx_of(&resolver.policy(domain).await.unwrap()), [mx]);
    (now, resolver)
}

#[tokio::test]
async fn refresh_fetches_a_policy_that_expires_within_its_look_ahead() {
    let lab = lab();
    lab.publish(
        "ahead.test",
        &["v=STSv1; id=1;"],
        Behaviour::policy(&enforce(&["mx.ahead.test"], 3_600)),
        &[],
    );
    let (now, read) = clock(1_800_000_000);
    let resolver = Resolver::new(lab.config()).with_clock(read);
    resolver.policy("ahead.test").await.unwrap();
    assert_eq!(lab.web.hits("mta-sts.ahead.test"), 1);

    // Ten minutes before expiry: a lookup, and a refresh looking five
    // minutes ahead, use the cache.
    now.fetch_add(3_000, Ordering::SeqCst);
    resolver.policy("ahead.test").await.unwrap();
    let ahead = std::time::Duration::from_secs(300);
    resolver.refresh("ahead.test", ahead).await.unwrap();
    assert_eq!(lab.web.hits("mta-sts.ahead.test"), 1);

    // Two minutes before expiry: the refresh fetches, the policy is
    // cached as fetched now, and its answer is the policy in force.
    now.fetch_add(480, Ordering::SeqCst);
    let refreshed = resolver.refresh("ahead.test", ahead).await.unwrap();
    assert_eq!(lab.web.hits("mta-sts.ahead.test"), 2);
    assert_eq!(mx_of(&refreshed), ["mx.ahead.test"]);
    let entry = resolver.cached("ahead.test").await.unwrap();
    assert_eq!(entry.cached().unwrap().fetched_at(), 1_800_003_480);

    // A refresh that finds nothing to fetch answers for now.
    let quiet = resolver.refresh("ahead.test", ahead).await.unwrap();
    assert_eq!(lab.web.hits("mta-sts.ahead.test"), 2);
    assert_eq!(mx_of(&quiet), ["mx.ahead.test"]);
}

#[tokio::test]
async fn sender_follows_a_policy_change() {
    let lab = lab();
    lab.publish(
        "change.test",
        &["v=STSv1; id=1;"],
        Behaviour::policy(&enforce(&["mx1.change.test"], 604_800)),
        &[],
    );
    let (now, read) = clock(1_800_000_000);
    let resolver = Resolver::new(lab.config()).with_clock(read);
    let first = resolver.policy("change.test").await.unwrap();
    assert_eq!(mx_of(&first), ["mx1.change.test"]);

    // Same id: the cache answers, no second fetch.
    now.fetch_add(60, Ordering::SeqCst);
    let again = resolver.policy("change.test").await.unwrap();
    assert_eq!(mx_of(&again), ["mx1.change.test"]);
    assert_eq!(lab.web.hits("mta-sts.change.test"), 1);

    // A new id: fetched again, the new policy applies.
    lab.zone
        .set_txt("_mta-sts.change.test", &["v=STSv1; id=2;"]);
    lab.web.set(
        "mta-sts.change.test",
        Behaviour::policy(&enforce(&["mx2.change.test"], 604_800)),
    );
    let changed = resolver.policy("change.test").await.unwrap();
    assert_eq!(mx_of(&changed), ["mx2.change.test"]);
    assert_eq!(
        resolver
            .cached("change.test")
            .await
            .unwrap()
            .cached()
            .unwrap()
            .id(),
        "2"
    );
    assert_eq!(changed.mx_allowed("mx1.change.test"), Action::Refuse);
}

#[tokio::test]
async fn sender_keeps_the_policy_when_the_txt_record_goes() {
    let lab = lab();
    let (now, resolver) = cached("removed.test", STS, 604_800).await;
    lab.zone.set_txt("_mta-sts.removed.test", &[]);
    now.fetch_add(3_600, Ordering::SeqCst);
    let lookup = resolver.policy("removed.test").await.unwrap();
    assert_eq!(
        mx_of(&lookup),
        ["mx.removed.test"],
        "the cached policy stays until it expires"
    );
    assert_eq!(lookup.decision().next(), &Next::Nothing);
    assert_eq!(lab.web.hits("mta-sts.removed.test"), 1);
}

#[tokio::test]
async fn sender_keeps_the_cached_policy_when_a_fetch_fails() {
    let lab = lab();
    let (now, resolver) = cached("failing.test", "v=STSv1; id=1;", 604_800).await;

    lab.zone
        .set_txt("_mta-sts.failing.test", &["v=STSv1; id=2;"]);
    lab.web.set("mta-sts.failing.test", Behaviour::status(500));
    now.fetch_add(60, Ordering::SeqCst);
    let lookup = resolver.policy("failing.test").await.unwrap();
    assert_eq!(
        mx_of(&lookup),
        ["mx.failing.test"],
        "the cached policy stays"
    );
    assert_eq!(
        lookup.fetch_error().unwrap().result_type(),
        ResultType::StsPolicyFetchError
    );
    assert!(matches!(
        lookup.decision().next(),
        Next::Wait {
            reason: FetchReason::IdChanged,
            ..
        }
    ));

    // Within five minutes no new fetch; after them, one.
    now.fetch_add(60, Ordering::SeqCst);
    resolver.policy("failing.test").await.unwrap();
    assert_eq!(lab.web.hits("mta-sts.failing.test"), 2);
    now.fetch_add(300, Ordering::SeqCst);
    resolver.policy("failing.test").await.unwrap();
    assert_eq!(lab.web.hits("mta-sts.failing.test"), 3);
}

#[tokio::test]
async fn sender_drops_an_expired_policy() {
    let lab = lab();
    let (now, resolver) = cached("expiry.test", STS, 86_400).await;

    lab.web.set("mta-sts.expiry.test", Behaviour::status(503));
    now.fetch_add(86_401, Ordering::SeqCst);
    let lookup = resolver.policy("expiry.test").await.unwrap();
    assert!(lookup.policy().is_none(), "expired, and the refetch failed");
    assert_eq!(lookup.mx_allowed("mx.anything.test"), Action::Deliver);
}

/// STARTTLS to `host` at `address` with the resolver's strict TLS
/// configuration, as an MTA would: the outcome of the handshake.
async fn starttls(resolver: &Resolver, host: &str, address: std::net::Ipv4Addr) -> TlsOutcome {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

    let stream = tokio::net::TcpStream::connect((address, lab().smtp_port))
        .await
        .unwrap();
    let mut stream = BufReader::new(stream);
    let mut line = String::new();
    let mut read_reply = async |stream: &mut BufReader<tokio::net::TcpStream>| loop {
        line.clear();
        stream.read_line(&mut line).await.unwrap();
        if line.as_bytes().get(3) != Some(&b'-') {
            return line.clone();
        }
    };
    assert!(read_reply(&mut stream).await.starts_with("220"));
    stream.write_all(b"EHLO client.lab.test\r\n").await.unwrap();
    assert!(read_reply(&mut stream).await.starts_with("250"));
    stream.write_all(b"STARTTLS\r\n").await.unwrap();
    assert!(read_reply(&mut stream).await.starts_with("220"));
    let connector = tokio_rustls::TlsConnector::from(resolver.starttls_config().unwrap());
    let name = rustls::pki_types::ServerName::try_from(host.to_owned()).unwrap();
    match connector.connect(name, stream.into_inner()).await {
        Ok(_) => TlsOutcome::Valid,
        Err(err) => {
            let tls = err
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
                .unwrap_or_else(|| panic!("not a TLS error: {err}"));
            mta_sts_net::tls_outcome(tls)
        }
    }
}

#[tokio::test]
async fn sender_judges_mx_handshakes() {
    let lab = lab();
    lab.pki
        .serve("mx2.judged.test", Leaf::For(&["mx.elsewhere.test"]));
    lab.pki
        .serve("mx3.judged.test", Leaf::Expired(&["mx3.judged.test"]));
    lab.pki
        .serve("mx4.judged.test", Leaf::SelfSigned(&["mx4.judged.test"]));
    let text = enforce(&["*.judged.test"], 604_800);
    lab.publish("judged.test", &[STS], Behaviour::policy(&text), &[]);
    let resolver = Resolver::new(lab.config());
    let lookup = resolver.policy("judged.test").await.unwrap();
    let good = lab::smtp::address(Mx::Good);
    for (host, outcome, result_type) in [
        ("mx1.judged.test", TlsOutcome::Valid, None),
        (
            "mx2.judged.test",
            TlsOutcome::CertificateHostMismatch,
            Some(ResultType::CertificateHostMismatch),
        ),
        (
            "mx3.judged.test",
            TlsOutcome::CertificateExpired,
            Some(ResultType::CertificateExpired),
        ),
        (
            "mx4.judged.test",
            TlsOutcome::CertificateNotTrusted,
            Some(ResultType::CertificateNotTrusted),
        ),
    ] {
        assert_eq!(lookup.mx_allowed(host), Action::Deliver, "{host}");
        assert_eq!(starttls(&resolver, host, good).await, outcome, "{host}");
        let verdict = lookup.verdict(host, outcome);
        let action = if result_type.is_some() {
            Action::Refuse
        } else {
            Action::Deliver
        };
        assert_eq!(
            (verdict.action(), verdict.result_type()),
            (action, result_type),
            "{host}"
        );
    }
}

#[tokio::test]
async fn sender_with_mode_none() {
    let lab = lab();
    lab.publish(
        "modenone.test",
        &[STS],
        Behaviour::policy(&policy("none", &[], 86_400)),
        &[],
    );
    let lookup = Resolver::new(lab.config())
        .policy("modenone.test")
        .await
        .unwrap();
    assert_eq!(lookup.policy().map(mta_sts::Policy::mode), Some(Mode::None));
    assert_eq!(lookup.mx_allowed("mx.anything.test"), Action::Deliver);
    let verdict = lookup.verdict("mx.anything.test", TlsOutcome::CertificateExpired);
    assert_eq!(
        (verdict.action(), verdict.result_type()),
        (Action::Deliver, None)
    );
}

#[tokio::test]
async fn sender_fetches_once_per_domain_and_survives_a_restart() {
    let lab = lab();
    lab.publish(
        "once.test",
        &[STS],
        Behaviour::policy(&enforce(&["mx.once.test"], 604_800)),
        &[],
    );
    let (_, read) = clock(1_800_000_000);
    let resolver = Arc::new(Resolver::new(lab.config()).with_clock(read));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let resolver = Arc::clone(&resolver);
        tasks.spawn(async move {
            resolver
                .policy("once.test")
                .await
                .map(|lookup| mx_of(&lookup))
        });
    }
    while let Some(done) = tasks.join_next().await {
        assert_eq!(done.unwrap().unwrap(), ["mx.once.test"]);
    }
    assert_eq!(
        lab.web.hits("mta-sts.once.test"),
        1,
        "eight lookups, one fetch"
    );

    let path = std::env::temp_dir().join(format!("mta-sts-net-cache-{}.json", std::process::id()));
    resolver.save(&path).await.unwrap();
    let (_, read) = clock(1_800_000_100);
    let restarted = Resolver::new(lab.config()).with_clock(read);
    assert_eq!(restarted.load(&path).await.unwrap(), 1);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        restarted.cached("once.test").await,
        resolver.cached("once.test").await
    );
    let lookup = restarted.policy("once.test").await.unwrap();
    assert_eq!(mx_of(&lookup), ["mx.once.test"]);
    assert_eq!(
        lab.web.hits("mta-sts.once.test"),
        1,
        "the loaded cache answered"
    );
}
