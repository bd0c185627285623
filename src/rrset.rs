//! Record selection from a TXT `RRset`, shared by the `_mta-sts` record
//! (RFC 8461 §3.1; SEMANTICS R1–R3) and the `_smtp._tls` TLS-RPT record
//! (RFC 8460 §3): exactly one record of the `RRset` must be a candidate.

use crate::{Error, ErrorKind};

/// The one record of `records` for which `is_candidate` holds.
///
/// None is `no-record`; more than one is `multiple-records`, even if only
/// one of them would parse. `prefix` names the test in error messages.
pub(crate) fn select<I, S>(
    records: I,
    prefix: &str,
    is_candidate: impl Fn(&str) -> bool,
) -> Result<S, Error>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut selected = None;
    let mut seen = 0usize;
    let mut count = 0usize;
    for record in records {
        seen += 1;
        if is_candidate(record.as_ref()) {
            count += 1;
            if selected.is_none() {
                selected = Some(record);
            }
        }
    }
    match (selected, count) {
        (Some(record), 1) => Ok(record),
        (None, _) => Err(Error::new(
            ErrorKind::NoRecord,
            format!(
                "no TXT record begins with {prefix:?} ({seen} {} looked at)",
                if seen == 1 { "record" } else { "records" }
            ),
            "",
        )),
        (Some(first), count) => Err(Error::new(
            ErrorKind::MultipleRecords,
            format!(
                "{count} TXT records begin with {prefix:?} (the first is {:?})",
                first.as_ref()
            ),
            "publish exactly one",
        )),
    }
}
