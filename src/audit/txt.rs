//! The `_mta-sts` TXT answer (RFC 8461 §3.1): rules A1–A5 of
//! `docs/AUDIT.md`.

use super::evidence::{DnsAnswer, TxtRrset};
use crate::code::Code;
use crate::lint::text::from_error;
use crate::lint::{Lint, Severity};
use crate::message::quote_short;
use crate::{ErrorKind, rrset, txt};

/// Judges the `_mta-sts.<domain>` TXT answer (`name` is that query name),
/// appending its lints. Returns whether an STS record was selected.
pub(super) fn lint(answer: &DnsAnswer<TxtRrset>, name: &str, out: &mut Vec<Lint>) -> bool {
    let rrset = match answer {
        // A1: no answer at all; the audit cannot tell whether a record exists.
        DnsAnswer::Failed(reason) => {
            let message = format!("the {name} TXT query failed: {}", quote_short(reason));
            out.push(Lint::new(Code::DnsFailed, None, message).with_severity(Severity::Error));
            return false;
        }
        // A2: the name does not exist.
        DnsAnswer::NxDomain => {
            let message = format!(
                "{name} does not exist (NXDOMAIN): senders find no MTA-STS record and apply no policy"
            );
            out.push(Lint::new(Code::Error(ErrorKind::NoRecord), None, message));
            return false;
        }
        DnsAnswer::Records(rrset) => rrset,
    };
    // R1–R3 as lenient senders select; a record only they select still
    // gets the error strict senders give it (`txt-space-before-semicolon`).
    let selected = rrset::select_bytes(rrset.iter(), "v=STSv1;", |text| {
        txt::is_sts_record(text, true)
    });
    let others = rrset
        .iter()
        .map(|record| joined(record))
        .filter(|text| !txt::is_sts_record(text, true));
    match selected {
        Ok(record) => {
            // A4: the record's own lints, exactly as `lint::check` gives them.
            crate::lint::txt_lints(&record, out);
            // A5: the other records are discarded by every sender.
            let others: Vec<String> = others.collect();
            if let Some(first) = others.first() {
                let message = format!(
                    "{name} also holds {} TXT {} other than the STS record, such as {}: senders ignore {}",
                    others.len(),
                    if others.len() == 1 {
                        "record"
                    } else {
                        "records"
                    },
                    quote_short(first),
                    if others.len() == 1 { "it" } else { "them" },
                );
                out.push(Lint::new(Code::TxtOtherRecord, None, message));
            }
            true
        }
        Err(error) if error.kind() == ErrorKind::NoRecord => {
            // A2: no record, or only records of other kinds (SPF).
            let mut others = others;
            let message = match others.next() {
                None => format!(
                    "{name} has no TXT record: senders find no MTA-STS record and apply no policy"
                ),
                Some(first) => format!(
                    "no TXT record at {name} begins with \"v=STSv1;\" (it holds {} {}, the first {}): senders apply no policy",
                    rrset.len(),
                    if rrset.len() == 1 {
                        "record"
                    } else {
                        "records"
                    },
                    quote_short(&first),
                ),
            };
            out.push(Lint::new(Code::Error(ErrorKind::NoRecord), None, message));
            false
        }
        // A3: several STS records count as none; or a selected record
        // that is not UTF-8.
        Err(error) => {
            out.push(from_error(&error));
            false
        }
    }
}

/// A record's character-strings joined, bytes that are not UTF-8 replaced
/// (for the prefix test and for quoting only).
fn joined(record: &[Box<[u8]>]) -> String {
    let bytes: Vec<u8> = record
        .iter()
        .flat_map(|string| string.iter().copied())
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}
