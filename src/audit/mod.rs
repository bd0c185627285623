//! Audit a live domain's MTA-STS deployment from evidence gathered
//! elsewhere: the DNS answers, the policy fetch, each MX host's STARTTLS
//! probe and the TLS-RPT record. Pure: the caller (for example the
//! `mta-sts-net` crate) does the I/O and hands over the facts.
//!
//! [`audit`] turns an [`Evidence`] into the same [`lint::Report`] as
//! [`lint::check`], with the same codes, severity model
//! (an error is something an RFC-conforming sender refuses, or mail that
//! is affected), explanations and fixes; its audit-only codes are in the
//! [lint catalog](crate::lint#catalog) marked "not from `check`: `audit`".
//! The rules, with the positions taken where the RFCs are silent, are
//! `docs/AUDIT.md` (A1–A25).
//!
//! What it checks, in report order:
//!
//! 1. the `_mta-sts` TXT `RRset` (A1–A5): no answer (`dns-failed`), no STS
//!    record at all, including `NXDOMAIN` and SPF alone (`no-record`),
//!    several (`multiple-records`), the record's own lints as `lint::check`
//!    gives them, other records beside it (`txt-other-record`);
//! 2. the MX `RRset` (A6, A7): `dns-failed`, `domain-not-found`, and no MX
//!    records at all (`mx-implicit`: the domain itself is the MX host);
//! 3. the policy fetch (A8–A16): no response (`fetch-failed`), the policy
//!    host's certificate (`cert-name-mismatch` for `mta-sts.<domain>`,
//!    `cert-expired`, `cert-not-yet-valid`, `cert-expiring` within
//!    [`CERT_EXPIRY_NOTICE`], `cert-untrusted`), the status
//!    (`http-status`, `http-redirect` naming the target), the media type
//!    (`media-type`), a body over 64 KiB (`too-large`);
//! 4. the policy text (A17): every lint of [`lint::check`],
//!    in its order, with the domain and the MX hosts as its context (so
//!    `mx-not-covered`, `mx-wildcard`, …);
//! 5. each MX probe, in preference order (A18–A21): `mx-no-starttls`,
//!    `mx-tls-failed`, `mx-unreachable`, and the certificate checks of 3.
//!    against the MX host name;
//! 6. what enforce mode does (A22, A23): `enforce-refuses-mx` names the MX
//!    hosts senders honouring the policy refuse, `enforce-refuses-all` says
//!    mail bounces;
//! 7. the TLS-RPT record (A24, A25): `dns-failed`, `tlsrpt-missing`.
//!
//! `dns-failed` is the one code that means the audit could not see part of
//! the deployment (a command line tool may exit with "could not check"
//! on it); `domain-not-found` means there is nothing to check.
//!
//! The audit is linear in the size of the evidence and never panics.
//!
//! # Examples
//!
//! ```
//! use mta_sts::audit::{
//!     audit, Certificate, ChainVerdict, DnsAnswer, Evidence, HttpExchange, MxProbe, MxRecord,
//!     PolicyFetch, ProbeResult,
//! };
//! use mta_sts::lint::Severity;
//!
//! let now = 1_800_000_000;
//! let cert = |name: &str| Certificate {
//!     dns_names: vec![name.to_owned()],
//!     not_before: now - 86_400,
//!     not_after: now + 60 * 86_400,
//!     chain: ChainVerdict::Trusted,
//! };
//! let txt = |text: &str| DnsAnswer::Records(vec![vec![Box::from(text.as_bytes())]]);
//! let body = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmax_age: 1209600\r\n";
//! let evidence = Evidence {
//!     domain: "example.com".to_owned(),
//!     now,
//!     sts_txt: txt("v=STSv1; id=20240101T000000;"),
//!     fetch: Some(PolicyFetch {
//!         url: "https://mta-sts.example.com/.well-known/mta-sts.txt".to_owned(),
//!         result: Ok(HttpExchange {
//!             status: 200,
//!             headers: vec![("Content-Type".to_owned(), "text/plain".to_owned())],
//!             body: body.as_bytes().to_vec(),
//!             body_truncated: false,
//!             certificate: cert("mta-sts.example.com"),
//!         }),
//!     }),
//!     mx: DnsAnswer::Records(vec![
//!         MxRecord { preference: 10, exchange: "mx1.example.com.".to_owned() },
//!         MxRecord { preference: 20, exchange: "mx2.example.com.".to_owned() },
//!     ]),
//!     probes: vec![
//!         MxProbe { host: "mx1.example.com.".to_owned(), result: ProbeResult::Tls(cert("mx1.example.com")) },
//!         MxProbe { host: "mx2.example.com.".to_owned(), result: ProbeResult::NoStartTls },
//!     ],
//!     tlsrpt_txt: txt("v=TLSRPTv1; rua=mailto:tlsrpt@example.com"),
//! };
//!
//! let report = audit(&evidence);
//! let found: Vec<_> = report.lints().iter().map(|l| (l.code(), l.severity())).collect();
//! assert_eq!(
//!     found,
//!     [
//!         ("mx-not-covered", Severity::Error),
//!         ("mx-no-starttls", Severity::Error),
//!         ("enforce-refuses-mx", Severity::Warning),
//!     ]
//! );
//! assert_eq!(
//!     report.lints()[2].message(),
//!     "senders honouring the policy refuse 1 of 2 MX hosts: \"mx2.example.com.\" (the policy \
//!      does not list it); mail goes to the others only"
//! );
//! ```

mod certificate;
mod enforce;
mod evidence;
mod fetch;
mod mx;
mod tlsrpt;
mod txt;

pub use certificate::CERT_EXPIRY_NOTICE;
pub use evidence::{
    Certificate, ChainVerdict, DnsAnswer, Evidence, FetchFailure, HttpExchange, MxProbe, MxRecord,
    PolicyFetch, ProbeResult, Stage, TxtRrset,
};

use crate::lint::{self, Context, Lint, Report};
use crate::sender::PolicyDomain;

/// Audits one domain's MTA-STS deployment from the evidence: every
/// finding about its `_mta-sts` record, its policy fetch and policy, its
/// MX hosts and their TLS, what enforce mode does with them, and its
/// TLS-RPT record, as one [`Report`] in the order of the
/// [module docs](self) ([`Report::policy`] is the policy as lenient
/// senders read it, when it was fetched). See the module docs for an
/// example.
#[must_use]
pub fn audit(evidence: &Evidence) -> Report {
    let mut lints: Vec<Lint> = Vec::new();
    // The names to query and to check certificates against. A domain
    // that cannot be a Policy Domain is reported; the audit goes on with
    // the name as given.
    let (domain, context) = match PolicyDomain::new(&evidence.domain) {
        Ok(domain) => {
            let context = Context::new().domain(domain.as_str());
            (domain.as_str().to_owned(), context)
        }
        Err(error) => {
            lints.push(lint::text::from_error(&error));
            (evidence.domain.clone(), Context::new())
        }
    };
    txt::lint(&evidence.sts_txt, &format!("_mta-sts.{domain}"), &mut lints);
    let hosts = mx::hosts(&evidence.mx, &domain, &mut lints);
    let context = match &hosts {
        Some(hosts) => context.dns_mx(hosts.iter().map(String::as_str)),
        None => context,
    };
    let policy_report = evidence.fetch.as_ref().and_then(|fetch| {
        fetch::lint(
            fetch,
            &format!("mta-sts.{domain}"),
            evidence.now,
            &context,
            &mut lints,
        )
    });
    let (policy, policy_lints) = match policy_report {
        Some(report) => (report.policy, report.lints),
        None => (None, Vec::new()),
    };
    lints.extend(policy_lints);
    let mode = policy.as_ref().map(crate::Policy::mode);
    let probes: Vec<(&str, mx::HostTls)> = evidence
        .probes
        .iter()
        .map(|probe| {
            let tls = mx::probe(probe, mode, evidence.now, &mut lints);
            (probe.host.as_str(), tls)
        })
        .collect();
    if let (Some(policy), Some(hosts)) = (&policy, &hosts) {
        enforce::lint(policy, hosts, &probes, &mut lints);
    }
    tlsrpt::lint(
        &evidence.tlsrpt_txt,
        &format!("_smtp._tls.{domain}"),
        mode,
        &mut lints,
    );
    Report { policy, lints }
}
