//! The audit of a live domain from evidence (docs/AUDIT.md, A1–A25): one
//! builder for a good domain, and a table of cases that each break one
//! thing, asserting the exact codes and severities.

use mta_sts::audit::{
    Certificate, ChainVerdict, DnsAnswer, Evidence, FetchFailure, HttpExchange, MxProbe, MxRecord,
    PolicyFetch, ProbeResult, Stage, TxtRrset, audit,
};
use mta_sts::lint::Severity::{self, Error, Info, Warning};

const NOW: u64 = 1_800_000_000;
const DAY: u64 = 86_400;
const URL: &str = "https://mta-sts.example.com/.well-known/mta-sts.txt";

/// A certificate for `names`, valid from yesterday for 60 more days, with
/// a trusted chain.
fn cert(names: &[&str]) -> Certificate {
    Certificate {
        dns_names: names.iter().map(|&n| n.to_owned()).collect(),
        not_before: NOW - DAY,
        not_after: NOW + 60 * DAY,
        chain: ChainVerdict::Trusted,
    }
}

/// A TXT `RRset` of one-string records.
fn txt(records: &[&str]) -> DnsAnswer<TxtRrset> {
    DnsAnswer::Records(
        records
            .iter()
            .map(|r| vec![Box::from(r.as_bytes())])
            .collect(),
    )
}

fn policy(mode: &str, mx: &[&str]) -> Vec<u8> {
    let mut text = format!("version: STSv1\r\nmode: {mode}\r\n");
    for pattern in mx {
        text.push_str(&format!("mx: {pattern}\r\n"));
    }
    text.push_str("max_age: 1209600\r\n");
    text.into_bytes()
}

fn probe(host: &str, result: ProbeResult) -> MxProbe {
    MxProbe {
        host: host.to_owned(),
        result,
    }
}

/// The one evidence builder: example.com done right. Enforce mode, two MX
/// hosts both listed, valid certificates everywhere, a TLS-RPT record.
fn good() -> Evidence {
    Evidence {
        domain: "example.com".to_owned(),
        now: NOW,
        sts_txt: txt(&["v=STSv1; id=20240101T000000;"]),
        fetch: Some(PolicyFetch {
            url: URL.to_owned(),
            result: Ok(HttpExchange {
                status: 200,
                headers: vec![(
                    "Content-Type".to_owned(),
                    "text/plain; charset=utf-8".to_owned(),
                )],
                body: policy("enforce", &["mx1.example.com", "mx2.example.com"]),
                body_truncated: false,
                certificate: cert(&["mta-sts.example.com"]),
            }),
        }),
        mx: DnsAnswer::Records(vec![
            MxRecord {
                preference: 20,
                exchange: "mx2.example.com.".to_owned(),
            },
            MxRecord {
                preference: 10,
                exchange: "mx1.example.com.".to_owned(),
            },
        ]),
        probes: vec![
            probe(
                "mx1.example.com.",
                ProbeResult::Tls(cert(&["mx1.example.com"])),
            ),
            probe(
                "mx2.example.com.",
                ProbeResult::Tls(cert(&["mx2.example.com"])),
            ),
        ],
        tlsrpt_txt: txt(&["v=TLSRPTv1; rua=mailto:tlsrpt@example.com"]),
    }
}

/// The HTTP exchange of the good evidence, to change.
fn exchange(evidence: &mut Evidence) -> &mut HttpExchange {
    evidence
        .fetch
        .as_mut()
        .and_then(|fetch| fetch.result.as_mut().ok())
        .expect("the good evidence has an exchange")
}

fn set_body(evidence: &mut Evidence, body: Vec<u8>) {
    exchange(evidence).body = body;
}

fn set_probe(evidence: &mut Evidence, index: usize, result: ProbeResult) {
    evidence.probes[index].result = result;
}

fn set_mx(evidence: &mut Evidence, hosts: &[&str]) {
    evidence.mx = DnsAnswer::Records(
        hosts
            .iter()
            .zip(10..)
            .map(|(host, preference)| MxRecord {
                preference,
                exchange: (*host).to_owned(),
            })
            .collect(),
    );
}

type Case = (
    &'static str,
    fn(&mut Evidence),
    &'static [(&'static str, Severity)],
);

const CASES: &[Case] = &[
    ("a good domain", |_| {}, &[]),
    // ---- the _mta-sts TXT record (A1–A5)
    (
        "no TXT record",
        |e| e.sts_txt = txt(&[]),
        &[("no-record", Error)],
    ),
    (
        "NXDOMAIN at _mta-sts",
        |e| e.sts_txt = DnsAnswer::NxDomain,
        &[("no-record", Error)],
    ),
    (
        "two STS records",
        |e| e.sts_txt = txt(&["v=STSv1; id=1;", "v=STSv1; id=2;"]),
        &[("multiple-records", Error)],
    ),
    (
        "SPF alone at _mta-sts",
        |e| e.sts_txt = txt(&["v=spf1 -all"]),
        &[("no-record", Error)],
    ),
    (
        "SPF beside the STS record",
        |e| e.sts_txt = txt(&["v=spf1 -all", "v=STSv1; id=20240101;"]),
        &[("txt-other-record", Info)],
    ),
    (
        "a record only lenient senders select",
        |e| e.sts_txt = txt(&["v=STSv1 ; id=20240101;"]),
        &[("txt-space-before-semicolon", Error)],
    ),
    (
        "an id with hyphens",
        |e| e.sts_txt = txt(&["v=STSv1; id=2024-01-01;"]),
        &[("txt-id-invalid", Error)],
    ),
    (
        "the TXT query fails",
        |e| {
            e.sts_txt = DnsAnswer::Failed("SERVFAIL".to_owned());
            e.fetch = None;
        },
        &[("dns-failed", Error)],
    ),
    // ---- the MX answer (A6, A7)
    (
        "the MX query fails",
        |e| e.mx = DnsAnswer::Failed("timed out".to_owned()),
        &[("dns-failed", Error)],
    ),
    (
        "the domain does not exist",
        |e| {
            e.mx = DnsAnswer::NxDomain;
            e.probes.clear();
        },
        &[("domain-not-found", Error)],
    ),
    (
        "no MX records: the implicit MX, not listed",
        |e| {
            e.mx = DnsAnswer::Records(Vec::new());
            e.probes = vec![probe(
                "example.com",
                ProbeResult::Tls(cert(&["example.com"])),
            )];
        },
        &[
            ("mx-implicit", Warning),
            ("mx-pattern-unused", Warning),
            ("mx-pattern-unused", Warning),
            ("mx-not-covered", Error),
            ("enforce-refuses-all", Error),
        ],
    ),
    (
        "no MX records: the implicit MX, listed",
        |e| {
            e.mx = DnsAnswer::Records(Vec::new());
            set_body(e, policy("enforce", &["example.com"]));
            e.probes = vec![probe(
                "example.com",
                ProbeResult::Tls(cert(&["example.com"])),
            )];
        },
        &[("mx-implicit", Warning)],
    ),
    (
        "a null MX",
        |e| {
            set_mx(e, &["."]);
            e.probes.clear();
        },
        &[("mx-no-dns-mx", Error)],
    ),
    // ---- the fetch (A8, A14–A16)
    (
        "404",
        |e| {
            let x = exchange(e);
            x.status = 404;
            x.headers = vec![("Content-Type".to_owned(), "text/html".to_owned())];
            x.body = b"<h1>Not Found</h1>".to_vec();
        },
        &[("http-status", Error)],
    ),
    (
        "a redirect",
        |e| {
            let x = exchange(e);
            x.status = 301;
            x.headers = vec![(
                "location".to_owned(),
                "https://www.example.com/mta-sts.txt".to_owned(),
            )];
        },
        &[("http-redirect", Error)],
    ),
    (
        "text/html",
        |e| exchange(e).headers = vec![("content-type".to_owned(), "text/html".to_owned())],
        &[("media-type", Error)],
    ),
    (
        "no Content-Type and a policy error",
        |e| {
            let x = exchange(e);
            x.headers.clear();
            x.body = b"version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 3600\n".to_vec();
        },
        &[("media-type", Error), ("max-age-short", Error)],
    ),
    (
        "a 70 KB body",
        |e| {
            let x = exchange(e);
            let mut body = policy("enforce", &["mx1.example.com", "mx2.example.com"]);
            body.resize(65_536, b'x');
            x.body = body;
            x.body_truncated = true;
        },
        &[("too-large", Error)],
    ),
    (
        "a body that is not UTF-8",
        |e| set_body(e, b"version: STSv1\nmode: \xffenforce\n".to_vec()),
        &[("syntax", Error)],
    ),
    (
        "the policy host does not answer",
        |e| {
            e.fetch = Some(PolicyFetch {
                url: URL.to_owned(),
                result: Err(FetchFailure {
                    stage: Stage::Connect,
                    reason: "connection refused".to_owned(),
                    certificate: None,
                }),
            });
        },
        &[("fetch-failed", Error)],
    ),
    (
        "the handshake fails over an untrusted certificate",
        |e| {
            let mut certificate = cert(&["mta-sts.example.com"]);
            certificate.chain = ChainVerdict::UnknownIssuer;
            e.fetch = Some(PolicyFetch {
                url: URL.to_owned(),
                result: Err(FetchFailure {
                    stage: Stage::Handshake,
                    reason: "invalid peer certificate: UnknownIssuer".to_owned(),
                    certificate: Some(certificate),
                }),
            });
        },
        &[("fetch-failed", Error), ("cert-untrusted", Error)],
    ),
    // ---- the policy host's certificate (A9–A13)
    (
        "a certificate for another name",
        |e| exchange(e).certificate = cert(&["www.example.com", "example.com"]),
        &[("cert-name-mismatch", Error)],
    ),
    (
        "a wildcard certificate on the policy host",
        |e| exchange(e).certificate = cert(&["*.example.com"]),
        &[],
    ),
    (
        "an expired certificate",
        |e| {
            let certificate = &mut exchange(e).certificate;
            certificate.not_after = NOW - 3 * DAY;
            certificate.chain = ChainVerdict::Expired;
        },
        &[("cert-expired", Error)],
    ),
    (
        "an expired intermediate",
        |e| exchange(e).certificate.chain = ChainVerdict::Expired,
        &[("cert-expired", Error)],
    ),
    (
        "a certificate expiring in 13 days",
        |e| exchange(e).certificate.not_after = NOW + 13 * DAY,
        &[("cert-expiring", Warning)],
    ),
    (
        "a certificate expiring in 15 days",
        |e| exchange(e).certificate.not_after = NOW + 15 * DAY,
        &[],
    ),
    (
        "a certificate not valid yet",
        |e| exchange(e).certificate.not_before = NOW + DAY,
        &[("cert-not-yet-valid", Error)],
    ),
    (
        "a self-signed certificate",
        |e| exchange(e).certificate.chain = ChainVerdict::UnknownIssuer,
        &[("cert-untrusted", Error)],
    ),
    // ---- the policy text, linted with the DNS MX hosts (A17)
    (
        "an MX the policy does not cover",
        |e| {
            set_mx(
                e,
                &["mx1.example.com.", "mx2.example.com.", "mx3.example.com."],
            );
            e.probes.push(probe(
                "mx3.example.com.",
                ProbeResult::Tls(cert(&["mx3.example.com"])),
            ));
        },
        &[("mx-not-covered", Error), ("enforce-refuses-mx", Warning)],
    ),
    (
        "a wildcard pattern",
        |e| set_body(e, policy("enforce", &["*.example.com"])),
        &[("mx-wildcard-own-domain", Error), ("mx-wildcard", Warning)],
    ),
    (
        "MX names in any case, repeated",
        |e| {
            set_mx(
                e,
                &["MX1.EXAMPLE.COM.", "mx1.example.com", "Mx2.Example.Com"],
            );
        },
        &[],
    ),
    (
        "mode testing",
        |e| {
            set_body(
                e,
                policy("testing", &["mx1.example.com", "mx2.example.com"]),
            );
        },
        &[("mode-testing", Info)],
    ),
    // ---- the MX probes (A18–A21)
    (
        "an MX without STARTTLS",
        |e| set_probe(e, 1, ProbeResult::NoStartTls),
        &[("mx-no-starttls", Error), ("enforce-refuses-mx", Warning)],
    ),
    (
        "every MX without STARTTLS",
        |e| {
            set_probe(e, 0, ProbeResult::NoStartTls);
            set_probe(e, 1, ProbeResult::NoStartTls);
        },
        &[
            ("mx-no-starttls", Error),
            ("mx-no-starttls", Error),
            ("enforce-refuses-all", Error),
        ],
    ),
    (
        "every MX without STARTTLS, in testing mode",
        |e| {
            set_body(
                e,
                policy("testing", &["mx1.example.com", "mx2.example.com"]),
            );
            set_probe(e, 0, ProbeResult::NoStartTls);
            set_probe(e, 1, ProbeResult::NoStartTls);
        },
        &[
            ("mode-testing", Info),
            ("mx-no-starttls", Warning),
            ("mx-no-starttls", Warning),
            ("enforce-refuses-all", Warning),
        ],
    ),
    (
        "an MX without STARTTLS, in mode none",
        |e| {
            set_body(e, b"version: STSv1\nmode: none\nmax_age: 86400\n".to_vec());
            set_probe(e, 1, ProbeResult::NoStartTls);
        },
        &[("mode-none", Info), ("mx-no-starttls", Warning)],
    ),
    (
        "an MX whose certificate names another host",
        |e| set_probe(e, 1, ProbeResult::Tls(cert(&["mx1.example.com"]))),
        &[
            ("cert-name-mismatch", Error),
            ("enforce-refuses-mx", Warning),
        ],
    ),
    (
        "wildcard MX certificates",
        |e| {
            set_probe(e, 0, ProbeResult::Tls(cert(&["*.example.com"])));
            set_probe(e, 1, ProbeResult::Tls(cert(&["*.EXAMPLE.com"])));
        },
        &[],
    ),
    (
        "a wildcard certificate covers one label only",
        |e| {
            set_body(
                e,
                policy("enforce", &["mx1.example.com", "a.mx2.example.com"]),
            );
            set_mx(e, &["mx1.example.com.", "a.mx2.example.com."]);
            set_probe(e, 0, ProbeResult::Tls(cert(&["*.example.com"])));
            e.probes[1] = probe(
                "a.mx2.example.com.",
                ProbeResult::Tls(cert(&["*.example.com"])),
            );
        },
        &[
            ("cert-name-mismatch", Error),
            ("enforce-refuses-mx", Warning),
        ],
    ),
    (
        "an MX with an expired, untrusted certificate",
        |e| {
            let mut certificate = cert(&["mx2.example.com"]);
            certificate.not_after = NOW - DAY;
            certificate.chain = ChainVerdict::Invalid("BadSignature".to_owned());
            set_probe(e, 1, ProbeResult::Tls(certificate));
        },
        &[
            ("cert-expired", Error),
            ("cert-untrusted", Error),
            ("enforce-refuses-mx", Warning),
        ],
    ),
    (
        "an MX certificate expiring soon",
        |e| {
            let mut certificate = cert(&["mx2.example.com"]);
            certificate.not_after = NOW + 2 * DAY;
            set_probe(e, 1, ProbeResult::Tls(certificate));
        },
        &[("cert-expiring", Warning)],
    ),
    (
        "a failed MX handshake",
        |e| {
            set_probe(
                e,
                0,
                ProbeResult::Failed {
                    stage: Stage::Handshake,
                    reason: "no shared cipher".to_owned(),
                },
            );
        },
        &[("mx-tls-failed", Error), ("enforce-refuses-mx", Warning)],
    ),
    (
        "an unreachable MX",
        |e| {
            set_probe(
                e,
                1,
                ProbeResult::Failed {
                    stage: Stage::Connect,
                    reason: "timed out".to_owned(),
                },
            );
        },
        &[("mx-unreachable", Warning)],
    ),
    (
        "one MX refused, the other unreachable",
        |e| {
            set_probe(e, 0, ProbeResult::NoStartTls);
            set_probe(
                e,
                1,
                ProbeResult::Failed {
                    stage: Stage::Greeting,
                    reason: "554 go away".to_owned(),
                },
            );
        },
        &[
            ("mx-no-starttls", Error),
            ("mx-unreachable", Warning),
            ("enforce-refuses-mx", Warning),
        ],
    ),
    // ---- TLS-RPT (A24, A25)
    (
        "no TLS-RPT record",
        |e| e.tlsrpt_txt = DnsAnswer::NxDomain,
        &[("tlsrpt-missing", Info)],
    ),
    (
        "no TLS-RPT record, in testing mode",
        |e| {
            set_body(
                e,
                policy("testing", &["mx1.example.com", "mx2.example.com"]),
            );
            e.tlsrpt_txt = txt(&[]);
        },
        &[("mode-testing", Info), ("tlsrpt-missing", Warning)],
    ),
    (
        "two TLS-RPT records",
        |e| {
            e.tlsrpt_txt = txt(&[
                "v=TLSRPTv1; rua=mailto:a@example.com",
                "v=TLSRPTv1; rua=mailto:b@example.com",
            ]);
        },
        &[("tlsrpt-missing", Info)],
    ),
    (
        "a TLS-RPT record without rua",
        |e| e.tlsrpt_txt = txt(&["v=TLSRPTv1;"]),
        &[("tlsrpt-missing", Info)],
    ),
    (
        "the TLS-RPT query fails",
        |e| e.tlsrpt_txt = DnsAnswer::Failed("REFUSED".to_owned()),
        &[("dns-failed", Warning)],
    ),
    (
        "no TLS-RPT record and no policy",
        |e| {
            e.fetch = None;
            e.tlsrpt_txt = txt(&[]);
        },
        &[("tlsrpt-missing", Info)],
    ),
];

#[test]
fn each_case_gives_exactly_its_findings() {
    for (name, change, expected) in CASES {
        let mut evidence = good();
        change(&mut evidence);
        let report = audit(&evidence);
        let found: Vec<(&str, Severity)> = report
            .lints()
            .iter()
            .map(|lint| (lint.code(), lint.severity()))
            .collect();
        assert_eq!(found, *expected, "case {name:?}: {:#?}", report.lints());
        for lint in report.lints() {
            assert!(
                !lint.message().is_empty() && !lint.explanation().is_empty(),
                "case {name:?}: {lint:?}"
            );
        }
    }
}

/// The message of the one lint with `code` when `change` is applied.
#[track_caller]
fn message(change: fn(&mut Evidence), code: &str) -> String {
    let mut evidence = good();
    change(&mut evidence);
    let report = audit(&evidence);
    let mut found = report.lints().iter().filter(|lint| lint.code() == code);
    let lint = found.next().unwrap_or_else(|| panic!("no {code}"));
    assert!(found.next().is_none(), "{code} twice");
    lint.message().to_owned()
}

/// A change to the good evidence, a code, and that lint's exact message.
type MessageCase = (fn(&mut Evidence), &'static str, &'static str);

#[test]
fn messages_name_what_is_wrong() {
    let cases: &[MessageCase] = &[
        (
            |e| {
                let x = exchange(e);
                x.status = 302;
                x.headers = vec![("Location".to_owned(), "https://example.net/x".to_owned())];
            },
            "http-redirect",
            "the policy URL \"https://mta-sts.example.com/.well-known/mta-sts.txt\" redirects \
             (HTTP 302) to \"https://example.net/x\": senders do not follow redirects and fail \
             the fetch",
        ),
        (
            |e| exchange(e).certificate = cert(&["www.example.com"]),
            "cert-name-mismatch",
            "the certificate of policy host \"mta-sts.example.com\" names \"www.example.com\", \
             none of which covers the host",
        ),
        (
            |e| exchange(e).certificate.not_after = NOW - 3 * DAY,
            "cert-expired",
            "the certificate of policy host \"mta-sts.example.com\" expired 3 days ago \
             (2027-01-12T08:00:00Z)",
        ),
        (
            |e| e.sts_txt = txt(&["v=spf1 -all"]),
            "no-record",
            "no TXT record at _mta-sts.example.com begins with \"v=STSv1;\" (it holds 1 record, \
             the first \"v=spf1 -all\"): senders apply no policy",
        ),
        (
            |e| set_probe(e, 1, ProbeResult::NoStartTls),
            "enforce-refuses-mx",
            "senders honouring the policy refuse 1 of 2 MX hosts: \"mx2.example.com.\" \
             (no STARTTLS); mail goes to the others only",
        ),
        (
            |e| {
                set_probe(e, 0, ProbeResult::Tls(cert(&["other.example"])));
                set_probe(e, 1, ProbeResult::NoStartTls);
            },
            "enforce-refuses-all",
            "senders honouring the policy refuse every MX host: \"mx1.example.com.\" (its \
             certificate names another host), \"mx2.example.com.\" (no STARTTLS); mail from \
             them bounces",
        ),
        (
            |e| {
                set_body(e, policy("enforce", &["*.example.com"]));
                set_probe(e, 1, ProbeResult::NoStartTls);
            },
            "enforce-refuses-mx",
            "senders honouring the policy refuse 1 of 2 MX hosts: \"mx2.example.com.\" \
             (no STARTTLS); mail goes to the others only",
        ),
        (
            |e| {
                set_mx(e, &["mx1.example.com.", "mx1.example.com.", "bad host"]);
                e.probes.truncate(1);
            },
            "enforce-refuses-mx",
            "senders honouring the policy refuse 1 of 2 MX hosts: \"bad host\" (the policy \
             does not list it); mail goes to the others only",
        ),
        (
            |e| e.mx = DnsAnswer::Records(Vec::new()),
            "mx-implicit",
            "example.com has no MX records: mail goes to the domain's own address (implicit \
             MX), taken as MX host \"example.com\"",
        ),
        (
            |e| e.tlsrpt_txt = txt(&["v=TLSRPTv1; rua=a", "v=TLSRPTv1; rua=b"]),
            "tlsrpt-missing",
            "no valid TLS-RPT record: more than one _smtp._tls TXT record begins with \
             \"v=TLSRPTv1;\", so senders use none; refused deliveries go unreported",
        ),
    ];
    for (change, code, expected) in cases {
        assert_eq!(message(*change, code), *expected);
    }
}

#[test]
fn the_report_carries_the_policy_senders_read() {
    let report = audit(&good());
    let policy = report.policy().expect("the good domain's policy");
    assert_eq!(policy.mx().len(), 2);
    let mut evidence = good();
    exchange(&mut evidence).status = 404;
    assert!(audit(&evidence).policy().is_none());
}

#[test]
fn extreme_times_and_empty_evidence_never_panic() {
    for (now, not_before, not_after) in [
        (0, u64::MAX, u64::MAX),
        (u64::MAX, 0, 0),
        (u64::MAX, u64::MAX, u64::MAX),
        (0, 0, 0),
    ] {
        let mut evidence = good();
        evidence.now = now;
        let mut certificate = cert(&["mta-sts.example.com"]);
        certificate.not_before = not_before;
        certificate.not_after = not_after;
        exchange(&mut evidence).certificate = certificate;
        let report = audit(&evidence);
        assert!(report.has_errors() || now == 0 && not_after == u64::MAX);
    }
    let empty = Evidence {
        domain: String::new(),
        now: 0,
        sts_txt: DnsAnswer::Records(Vec::new()),
        fetch: None,
        mx: DnsAnswer::Records(Vec::new()),
        probes: Vec::new(),
        tlsrpt_txt: DnsAnswer::Records(vec![vec![Box::from(&b"\xff"[..])]]),
    };
    let codes: Vec<&str> = audit(&empty)
        .lints()
        .iter()
        .map(mta_sts::lint::Lint::code)
        .collect();
    assert_eq!(
        codes,
        [
            "invalid-domain",
            "no-record",
            "mx-implicit",
            "tlsrpt-missing"
        ]
    );
}

#[test]
fn many_mx_hosts_are_judged_in_one_pass() {
    // 5 000 MX hosts, none listed, none with STARTTLS: every host gets its
    // finding, and the summary names ten of them and counts the rest.
    let mut evidence = good();
    let hosts: Vec<String> = (0..5_000).map(|i| format!("mx{i}.example.net")).collect();
    let names: Vec<&str> = hosts.iter().map(String::as_str).collect();
    set_mx(&mut evidence, &names);
    evidence.probes = hosts
        .iter()
        .map(|host| probe(host, ProbeResult::NoStartTls))
        .collect();
    let report = audit(&evidence);
    let summary = report.lints().last().expect("findings");
    assert_eq!(summary.code(), "enforce-refuses-all");
    assert!(
        summary
            .message()
            .ends_with("and 4990 more; mail from them bounces")
    );
    let no_tls = report
        .lints()
        .iter()
        .filter(|l| l.code() == "mx-no-starttls")
        .count();
    assert_eq!(no_tls, 5_000);
}

// ---- never panics --------------------------------------------------------

mod arbitrary_evidence {
    use super::{
        Certificate, ChainVerdict, DnsAnswer, Evidence, FetchFailure, HttpExchange, MxProbe,
        MxRecord, PolicyFetch, ProbeResult, Stage, TxtRrset, audit,
    };
    use proptest::prelude::*;

    /// Names as resolvers, certificates and users give them, good and bad.
    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("example.com".to_owned()),
            Just("mx1.example.com.".to_owned()),
            Just("mta-sts.example.com".to_owned()),
            Just("*.example.com".to_owned()),
            Just(".".to_owned()),
            Just("m*.example.com".to_owned()),
            "[a-z*.\\- ]{0,20}",
            any::<String>(),
        ]
    }

    fn text_bytes() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            Just(b"v=STSv1; id=20240101;".to_vec()),
            Just(b"v=TLSRPTv1; rua=mailto:a@example.com".to_vec()),
            Just(b"version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 86400\n".to_vec()),
            Just(b"version: STSv1\nmode: testing\nmx: *.example.com\nmax_age: 1\n".to_vec()),
            prop::collection::vec(
                prop::sample::select(b"v=STSv1TLSRP;id: \r\n\xff*.mx".to_vec()),
                0..40
            ),
        ]
    }

    fn rrset() -> impl Strategy<Value = DnsAnswer<TxtRrset>> {
        prop_oneof![
            Just(DnsAnswer::NxDomain),
            any::<String>().prop_map(DnsAnswer::Failed),
            prop::collection::vec(
                prop::collection::vec(text_bytes().prop_map(Vec::into_boxed_slice), 0..3),
                0..4
            )
            .prop_map(DnsAnswer::Records),
        ]
    }

    fn certificate() -> impl Strategy<Value = Certificate> {
        (
            prop::collection::vec(name(), 0..4),
            any::<u64>(),
            any::<u64>(),
            prop_oneof![
                Just(ChainVerdict::Trusted),
                Just(ChainVerdict::UnknownIssuer),
                Just(ChainVerdict::Expired),
                any::<String>().prop_map(ChainVerdict::Invalid),
            ],
        )
            .prop_map(|(dns_names, not_before, not_after, chain)| Certificate {
                dns_names,
                not_before,
                not_after,
                chain,
            })
    }

    fn stage() -> impl Strategy<Value = Stage> {
        prop::sample::select(vec![
            Stage::Resolve,
            Stage::Connect,
            Stage::Greeting,
            Stage::Ehlo,
            Stage::StartTls,
            Stage::Handshake,
            Stage::Http,
        ])
    }

    fn fetch() -> impl Strategy<Value = Option<PolicyFetch>> {
        let exchange = (
            prop_oneof![Just(200u16), Just(301), Just(404), any::<u16>()],
            prop::collection::vec((name(), name()), 0..3),
            text_bytes(),
            any::<bool>(),
            certificate(),
        )
            .prop_map(|(status, headers, body, body_truncated, certificate)| {
                Ok(HttpExchange {
                    status,
                    headers,
                    body,
                    body_truncated,
                    certificate,
                })
            });
        let failure = (stage(), any::<String>(), prop::option::of(certificate())).prop_map(
            |(stage, reason, certificate)| {
                Err(FetchFailure {
                    stage,
                    reason,
                    certificate,
                })
            },
        );
        prop::option::of((name(), prop_oneof![exchange, failure]))
            .prop_map(|fetch| fetch.map(|(url, result)| PolicyFetch { url, result }))
    }

    fn probes() -> impl Strategy<Value = Vec<MxProbe>> {
        let result = prop_oneof![
            certificate().prop_map(ProbeResult::Tls),
            Just(ProbeResult::NoStartTls),
            (stage(), any::<String>())
                .prop_map(|(stage, reason)| ProbeResult::Failed { stage, reason }),
        ];
        prop::collection::vec(
            (name(), result).prop_map(|(host, result)| MxProbe { host, result }),
            0..4,
        )
    }

    fn mx() -> impl Strategy<Value = DnsAnswer<Vec<MxRecord>>> {
        prop_oneof![
            Just(DnsAnswer::NxDomain),
            any::<String>().prop_map(DnsAnswer::Failed),
            prop::collection::vec(
                (any::<u16>(), name()).prop_map(|(preference, exchange)| MxRecord {
                    preference,
                    exchange
                }),
                0..4
            )
            .prop_map(DnsAnswer::Records),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn audit_never_panics(
            domain in name(),
            now in any::<u64>(),
            sts_txt in rrset(),
            fetch in fetch(),
            mx in mx(),
            probes in probes(),
            tlsrpt_txt in rrset(),
        ) {
            let evidence = Evidence { domain, now, sts_txt, fetch, mx, probes, tlsrpt_txt };
            let report = audit(&evidence);
            for lint in report.lints() {
                prop_assert!(!lint.message().is_empty() && !lint.explanation().is_empty(), "{lint:?}");
            }
            // A TXT answer that selects no record is always an error.
            if matches!(evidence.sts_txt, DnsAnswer::NxDomain) {
                prop_assert!(report.has_errors());
            }
        }
    }
}
