//! One delivery through MTA-STS, as a sending MTA sees it, with the DNS and
//! HTTPS answers written into the program (no network):
//!
//! 1. name the TXT record and the policy URL for the recipient domain;
//! 2. select the STS record from the TXT answer (character-strings as
//!    bytes, as hickory-resolver returns them) and decide what to do;
//! 3. validate the HTTPS response, parse the policy and cache it in one
//!    call that also gives the decision to apply;
//! 4. decide again for later messages;
//! 5. skip MX hosts the policy does not allow, then give a verdict per MX
//!    host after TLS, in `enforce` and `testing` mode, with the TLS-RPT
//!    result type;
//! 6. find where to send TLS-RPT reports.
//!
//! Run with `cargo run --example sender` (it takes no arguments; `--help`
//! says so).

use std::process::ExitCode;

use mta_sts::sender::{
    Action, CacheEntry, HttpResponse, Next, PolicyDomain, ResultType, TlsOutcome, TransportError,
    TxtLookup, message_action, mx_allowed, validate_fetch, verdict,
};
use mta_sts::tlsrpt::TlsRptRecord;
use mta_sts::{Error, ParseOptions};

const USAGE: &str = "\
usage: sender

Walks through one delivery through MTA-STS as a sending MTA sees it, with
the DNS and HTTPS answers written into the program (no network).";

/// The clock: seconds since the Unix epoch (fixed, so the output is too).
const NOW: u64 = 1_700_000_000;

/// What the resolver answers for `_mta-sts.bücher.example`: one TXT RRset,
/// each record as its character-strings (the STS record was published as
/// two strings).
fn txt_answer() -> Vec<Vec<Box<[u8]>>> {
    vec![
        vec![Box::from(&b"v=spf1 -all"[..])],
        vec![
            Box::from(&b"v=STSv1; "[..]),
            Box::from(&b"id=20240315T120000;"[..]),
        ],
    ]
}

/// What the resolver answers for `_smtp._tls.bücher.example`.
fn tlsrpt_answer() -> Vec<Vec<Box<[u8]>>> {
    vec![vec![Box::from(
        &b"v=TLSRPTv1; rua=mailto:tlsrpt@xn--bcher-kva.example,https://reports.example.net/v1"[..],
    )]]
}

/// What the HTTPS client received from the policy URL.
const POLICY_BODY: &[u8] = b"version: STSv1\r\n\
mode: enforce\r\n\
mx: mx1.xn--bcher-kva.example\r\n\
mx: mx2.xn--bcher-kva.example\r\n\
max_age: 604800\r\n";

fn main() -> ExitCode {
    match std::env::args().nth(1).as_deref() {
        None => {}
        Some("-h" | "--help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(arg) => {
            eprintln!("sender: unexpected argument {arg:?}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    match walk_through() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("sender: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The steps, in order, printing what each decides.
fn walk_through() -> Result<(), Error> {
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
    let lookup = TxtLookup::from_rrset_bytes(txt_answer(), &options);
    println!("selected id       {:?}", lookup.id());
    // What the MTA keeps for this domain (nothing yet); a map from domain
    // to CacheEntry is the whole cache, and serde can persist it.
    let mut entry = CacheEntry::new();
    let decision = entry.decide(&lookup, NOW);
    println!(
        "decision          apply {}, next {}",
        decision.apply(),
        decision.next()
    );

    println!("\n== 3. fetch, validate, cache (RFC 8461 §3.2, §3.3)");
    let Next::Fetch(fetch) = decision.next() else {
        unreachable!("nothing is cached, so a fetch is due")
    };
    // A fetch that fails: the failure is recorded, retries wait five minutes.
    let mut failing = entry.clone();
    for (label, response) in [
        ("a redirect", HttpResponse::new(301, b"")),
        (
            "an HTML page",
            HttpResponse::new(200, b"<html></html>").content_type("text/html"),
        ),
    ] {
        let result = validate_fetch(&response, &ParseOptions::strict());
        if let Err(err) = &result {
            println!(
                "{label:<17} {}: {err} -> report {}",
                err.code(),
                ResultType::for_fetch_error(err)
            );
        }
        let after = failing.complete_fetch(fetch, result, NOW);
        println!(
            "then              apply {}, next {}",
            after.apply(),
            after.next()
        );
    }
    let expired = TransportError::CertificateExpired;
    println!(
        "expired cert      -> report {}",
        expired.fetch_result_type()
    );

    // The fetch that succeeds: one call caches the policy under the fetch's
    // TXT id and says what applies now.
    let headers = [("Content-Type", &b"text/plain; charset=utf-8"[..])];
    let response = HttpResponse::new(200, POLICY_BODY).headers(headers);
    let decision = entry.complete_fetch(fetch, validate_fetch(&response, &options), NOW);
    println!(
        "fetched           apply {}, next {}",
        decision.apply(),
        decision.next()
    );
    let cached = entry.cached().expect("the fetch succeeded");
    println!(
        "cached            id {}, mode {}, max_age {}, {} mx patterns, until {}",
        cached.id(),
        cached.policy().mode(),
        cached.policy().max_age(),
        cached.policy().mx().len(),
        cached.expires_at()
    );

    println!("\n== 4. later messages (RFC 8461 §3.3, §5.1)");
    for (label, lookup, at) in [
        ("next message", lookup.clone(), NOW + 600),
        ("DNS failure", TxtLookup::Failed, NOW + 700),
        ("two days later", lookup.clone(), NOW + 2 * 86_400),
        (
            "new id",
            TxtLookup::from_rrset(["v=STSv1; id=20240401T000000;"]),
            NOW + 800,
        ),
        ("after expiry", TxtLookup::Failed, NOW + 604_801),
    ] {
        let decision = entry.decide(&lookup, at);
        println!(
            "{label:<17} apply {}, next {}",
            decision.apply(),
            decision.next()
        );
    }

    println!("\n== 5. MX hosts and verdicts (RFC 8461 §4, §5; RFC 8460 §4.3)");
    let policy = entry.policy(NOW + 600);
    // What connecting to each MX host gave: a transport or certificate
    // error, or `None` for a handshake with a valid certificate.
    let candidates = [
        (
            "mx1.xn--bcher-kva.example",
            Some(TransportError::CertificateExpired),
        ),
        ("mx.attacker.example", None),
        (
            "mx2.xn--bcher-kva.example",
            Some(TransportError::Unreachable),
        ),
    ];
    let mut verdicts = Vec::new();
    for (host, error) in candidates {
        if mx_allowed(policy, host) == Action::Refuse {
            println!("enforce  {host:<27} not in the policy: skipped, no connection");
            continue;
        }
        let tls = match error.map(TransportError::tls_outcome) {
            None => TlsOutcome::Valid,
            Some(Some(tls)) => tls,
            Some(None) => {
                println!("enforce  {host:<27} unreachable: try the next host, report nothing");
                continue;
            }
        };
        let v = verdict(policy, host, tls);
        let report = v.result_type().map_or("nothing", |r| r.as_str());
        println!("enforce  {host:<27} {tls}: {}, report {report}", v.action());
        verdicts.push(v);
    }
    println!("message           {}", message_action(&verdicts));
    let retry = verdict(policy, "mx2.xn--bcher-kva.example", TlsOutcome::Valid);
    verdicts.push(retry);
    println!("mx2 valid later   {}", message_action(&verdicts));
    let policy = policy.expect("the cached policy applies");
    let testing_text = policy.to_string().replace("mode: enforce", "mode: testing");
    let testing = mta_sts::Policy::parse(&testing_text)?;
    let v = verdict(&testing, "mx.attacker.example", TlsOutcome::Valid);
    println!(
        "testing  {:<27} valid: {}, report {}",
        "mx.attacker.example",
        v.action(),
        v.result_type().map_or("nothing", |r| r.as_str())
    );

    println!("\n== 6. TLS-RPT (RFC 8460 §3, §4.4)");
    let record = TlsRptRecord::from_rrset_bytes(tlsrpt_answer())?;
    for uri in record.rua() {
        println!("report to         {} ({})", uri, uri.scheme());
    }
    println!("policy-string     {:?}", policy.policy_strings());
    Ok(())
}
