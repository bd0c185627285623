//! One delivery through MTA-STS, as a sending MTA sees it, with the DNS and
//! HTTPS answers written into the program (no network):
//!
//! 1. name the TXT record and the policy URL for the recipient domain;
//! 2. select the STS record from the TXT answer and decide what to do;
//! 3. validate the HTTPS response and parse the policy;
//! 4. cache it, then decide again for the next message;
//! 5. give a verdict for a matching and a non-matching MX host, in
//!    `enforce` and `testing` mode, with the TLS-RPT result type;
//! 6. find where to send TLS-RPT reports.
//!
//! Run with `cargo run --example sender`.

use mta_sts::sender::{
    CachedPolicy, FailedFetch, HttpResponse, PolicyDomain, ResultType, TlsOutcome, TxtLookup,
    decide, message_action, validate_fetch, verdict,
};
use mta_sts::tlsrpt::TlsRptRecord;
use mta_sts::{Error, ParseOptions};

/// The clock: seconds since the Unix epoch (fixed, so the output is too).
const NOW: u64 = 1_700_000_000;

/// What the resolver answers for `_mta-sts.bücher.example` (one TXT `RRset`,
/// each record's strings already joined).
const TXT_ANSWER: &[&str] = &["v=spf1 -all", "v=STSv1; id=20240315T120000;"];

/// What the resolver answers for `_smtp._tls.bücher.example`.
const TLSRPT_ANSWER: &[&str] =
    &["v=TLSRPTv1; rua=mailto:tlsrpt@xn--bcher-kva.example,https://reports.example.net/v1"];

/// What the HTTPS client received from the policy URL.
const POLICY_BODY: &[u8] = b"version: STSv1\r\n\
mode: enforce\r\n\
mx: mx1.xn--bcher-kva.example\r\n\
mx: mx2.xn--bcher-kva.example\r\n\
max_age: 604800\r\n";

fn main() -> Result<(), Error> {
    // Lenient: a sending MTA accepts what the RFC's prose allows in practice.
    let options = ParseOptions::lenient();

    println!("== 1. discovery names (RFC 8461 §3.1, §3.2)");
    let domain = PolicyDomain::new("Bücher.example")?;
    println!("recipient domain  {domain}");
    println!("TXT record        {}", domain.txt_name());
    println!("policy URL        {}", domain.policy_url());
    match PolicyDomain::new("[192.0.2.1]") {
        Ok(_) => unreachable!("address literals have no policy"),
        Err(err) => println!("address literal   {} ({err})", err.code()),
    }

    println!("\n== 2. TXT lookup and cache decision (RFC 8461 §3.1, §3.3)");
    let lookup = TxtLookup::from_rrset_with(TXT_ANSWER, &options);
    println!("TXT answer        {TXT_ANSWER:?}");
    println!("selected id       {:?}", lookup.id());
    let decision = decide(None, &lookup, None, NOW);
    println!(
        "decision          apply {:?}, next {:?}",
        decision.apply(),
        decision.next()
    );

    println!("\n== 3. fetch validation (RFC 8461 §3.2, §3.3)");
    for (label, response) in [
        ("a redirect", HttpResponse::new(301, b"")),
        (
            "an HTML page",
            HttpResponse::new(200, b"<html></html>").content_type("text/html"),
        ),
    ] {
        let options = ParseOptions::strict();
        let err = validate_fetch(&response, &options).unwrap_err();
        println!(
            "{label:<17} {}: {err} -> report {}",
            err.code(),
            ResultType::for_fetch_error(&err)
        );
    }
    // A failed fetch for this id holds off retries for five minutes.
    let failed = FailedFetch::new(lookup.id().unwrap_or_default(), NOW);
    let retry = decide(None, &lookup, Some(&failed), NOW + 60);
    println!("one minute later  next {:?}", retry.next());

    let response = HttpResponse::new(200, POLICY_BODY).content_type("text/plain; charset=utf-8");
    let fetched = validate_fetch(&response, &options)?;
    let policy = fetched.into_policy();
    println!(
        "policy            mode {}, max_age {}, {} mx patterns",
        policy.mode(),
        policy.max_age(),
        policy.mx().len()
    );

    println!("\n== 4. the cache (RFC 8461 §3.3, §5.1)");
    let cached = CachedPolicy::new(policy, lookup.id().unwrap_or_default(), NOW + 300);
    println!(
        "cached until      {} (fetched at {})",
        cached.expires_at(),
        cached.fetched_at()
    );
    for (label, lookup, at) in [
        ("next message", lookup.clone(), NOW + 600),
        ("DNS failure", TxtLookup::Failed, NOW + 700),
        ("two days later", lookup.clone(), NOW + 2 * 86_400),
        (
            "new id",
            TxtLookup::from_rrset(["v=STSv1; id=20240401T000000;"]),
            NOW + 800,
        ),
        ("after expiry", TxtLookup::Failed, NOW + 300 + 604_801),
    ] {
        let decision = decide(Some(&cached), &lookup, None, at);
        println!(
            "{label:<17} apply {:?}, next {:?}",
            decision.apply(),
            decision.next()
        );
    }

    println!("\n== 5. verdicts (RFC 8461 §4, §5; RFC 8460 §4.3)");
    let policy = cached.policy();
    let candidates = [
        ("mx1.xn--bcher-kva.example", TlsOutcome::Valid),
        ("mx.attacker.example", TlsOutcome::Valid),
        ("mx2.xn--bcher-kva.example", TlsOutcome::CertificateExpired),
    ];
    let mut verdicts = Vec::new();
    for (host, tls) in candidates {
        let v = verdict(policy, host, tls);
        let report = v
            .result_type()
            .map_or("nothing".to_owned(), |r| r.to_string());
        println!(
            "enforce  {host:<27} {tls:?}: {:?}, report {report}",
            v.action()
        );
        verdicts.push(v);
    }
    println!("message           {:?}", message_action(&verdicts));
    println!("without mx1       {:?}", message_action(&verdicts[1..]));
    let testing_text = policy.to_string().replace("mode: enforce", "mode: testing");
    let testing = mta_sts::Policy::parse(&testing_text)?;
    let v = verdict(&testing, "mx.attacker.example", TlsOutcome::Valid);
    println!(
        "testing  {:<27} Valid: {:?}, report {}",
        "mx.attacker.example",
        v.action(),
        v.result_type().map_or("nothing", |r| r.as_str())
    );

    println!("\n== 6. TLS-RPT (RFC 8460 §3, §4.4)");
    let record = TlsRptRecord::from_rrset(TLSRPT_ANSWER)?;
    for uri in record.rua() {
        println!("report to         {} ({})", uri, uri.scheme());
    }
    println!("policy-string     {:?}", policy.policy_strings());
    Ok(())
}
