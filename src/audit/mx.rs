//! The MX answer and each MX host's STARTTLS probe (RFC 5321 §5.1,
//! RFC 7505, RFC 8461 §4.2): rules A6, A7 and A18–A21 of `docs/AUDIT.md`.

use super::certificate;
use super::evidence::{DnsAnswer, MxProbe, MxRecord, ProbeResult, Stage};
use crate::Mode;
use crate::code::Code;
use crate::lint::{Lint, Severity};
use crate::message::quote_short;

/// What senders applying an enforce policy make of one MX host's TLS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum HostTls {
    /// STARTTLS with a certificate senders accept.
    Valid,
    /// Senders refuse the host: the reason, in a few words.
    Refused(&'static str),
    /// The probe did not get as far as TLS.
    Unknown,
}

/// The MX host names senders connect to, in preference order: the
/// exchanges of the MX records; the domain itself when there are none (A7,
/// RFC 5321 §5.1's implicit MX); none for a null MX (RFC 7505: a single
/// `.` exchange). `None` when the answer is unknown (A6).
pub(super) fn hosts(
    answer: &DnsAnswer<Vec<MxRecord>>,
    domain: &str,
    out: &mut Vec<Lint>,
) -> Option<Vec<String>> {
    match answer {
        // A6: the MX hosts are unknown.
        DnsAnswer::Failed(reason) => {
            let message = format!("the MX query for {domain} failed: {}", quote_short(reason));
            out.push(Lint::new(Code::DnsFailed, None, message).with_severity(Severity::Error));
            None
        }
        DnsAnswer::NxDomain => {
            let message = format!("{domain} does not exist (NXDOMAIN for its MX query)");
            out.push(Lint::new(Code::DomainNotFound, None, message));
            None
        }
        // A7: the implicit MX.
        DnsAnswer::Records(records) if records.is_empty() => {
            let message = format!(
                "{domain} has no MX records: mail goes to the domain's own address (implicit MX), \
                 taken as MX host {domain:?}"
            );
            out.push(Lint::new(Code::MxImplicit, None, message));
            Some(vec![domain.to_owned()])
        }
        DnsAnswer::Records(records) => {
            // A7: a null MX exchange names no host.
            let mut sorted: Vec<&MxRecord> = records.iter().collect();
            sorted.sort_by_key(|record| record.preference);
            Some(
                sorted
                    .into_iter()
                    .filter(|record| !matches!(record.exchange.as_str(), "" | "."))
                    .map(|record| record.exchange.clone())
                    .collect(),
            )
        }
    }
}

/// Judges one probe (A18–A21), appending its lints, and says what
/// enforce-mode senders make of the host. A refusal is an error in
/// `enforce` mode and a warning otherwise; `mx-unreachable` is always a
/// warning (the checker's own network may block port 25).
pub(super) fn probe(probe: &MxProbe, mode: Option<Mode>, now: u64, out: &mut Vec<Lint>) -> HostTls {
    let severity = if mode == Some(Mode::Enforce) {
        Severity::Error
    } else {
        Severity::Warning
    };
    let host = quote_short(&probe.host).to_string();
    match &probe.result {
        ProbeResult::Tls(cert) => {
            let who = format!("MX host {host}");
            // A21: the certificate, judged as the policy host's is.
            certificate::judge(cert, &probe.host, &who, now, severity, out)
                .map_or(HostTls::Valid, |why| HostTls::Refused(why.as_str()))
        }
        // A18.
        ProbeResult::NoStartTls => {
            let message = format!("MX host {host} does not offer STARTTLS");
            out.push(Lint::new(Code::MxNoStartTls, None, message).with_severity(severity));
            HostTls::Refused("no STARTTLS")
        }
        ProbeResult::Failed { stage, reason } => {
            let reason = quote_short(reason);
            match stage {
                // A20.
                Stage::Resolve | Stage::Connect | Stage::Greeting | Stage::Ehlo => {
                    let message = format!(
                        "MX host {host} could not be probed: {} failed: {reason}",
                        stage_words(*stage)
                    );
                    out.push(Lint::new(Code::MxUnreachable, None, message));
                    HostTls::Unknown
                }
                // A19.
                Stage::StartTls | Stage::Handshake | Stage::Http => {
                    let message = format!(
                        "MX host {host} offers STARTTLS but {} failed: {reason}",
                        stage_words(*stage)
                    );
                    out.push(Lint::new(Code::MxTlsFailed, None, message).with_severity(severity));
                    HostTls::Refused("TLS failed")
                }
            }
        }
    }
}

/// A stage as the subject of "… failed".
pub(super) fn stage_words(stage: Stage) -> &'static str {
    match stage {
        Stage::Resolve => "resolving its address",
        Stage::Connect => "connecting",
        Stage::Greeting => "reading the SMTP greeting",
        Stage::Ehlo => "EHLO",
        Stage::StartTls => "the STARTTLS command",
        Stage::Handshake => "the TLS handshake",
        Stage::Http => "the HTTP request",
    }
}
