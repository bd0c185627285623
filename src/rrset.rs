//! Record selection from a TXT `RRset`, shared by the `_mta-sts` record
//! (RFC 8461 §3.1; SEMANTICS R1–R3) and the `_smtp._tls` TLS-RPT record
//! (RFC 8460 §3): exactly one record of the `RRset` must be a candidate.

use crate::Error;
use crate::error::{Cause, Position};

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
        (None, _) => Err(Cause::NoRecord {
            prefix: prefix.into(),
            seen,
            at: Position::NONE,
        }
        .into()),
        (Some(first), count) => Err(Cause::MultipleRecords {
            count,
            prefix: prefix.into(),
            first: first.as_ref().into(),
            at: Position::NONE,
        }
        .into()),
    }
}

/// [`select`] for an RRset as resolvers return it: each record a sequence
/// of character-strings as bytes (hickory-resolver's `TXT::txt_data`),
/// joined with no separator (RFC 8461 §3.1, RFC 8460 §3), then decoded as
/// UTF-8.
///
/// `is_candidate` sees the longest valid UTF-8 prefix of each record, which
/// is enough for the prefix tests it makes: a record that is not UTF-8 is
/// not discarded for that alone, and bytes that are not UTF-8 in a record
/// that is not a candidate never matter. The selected record must be UTF-8
/// as a whole; otherwise the error is `syntax`, with the column of the
/// first byte that is not, and never a panic.
pub(crate) fn select_bytes<I, R, B>(
    records: I,
    prefix: &str,
    is_candidate: impl Fn(&str) -> bool,
) -> Result<String, Error>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = B>,
    B: AsRef<[u8]>,
{
    let joined = records.into_iter().map(|strings| {
        strings.into_iter().fold(Vec::new(), |mut record, string| {
            record.extend_from_slice(string.as_ref());
            record
        })
    });
    let record = select(joined.map(Utf8Prefix::new), prefix, is_candidate)?;
    String::from_utf8(record.bytes).map_err(|err| {
        let bytes = err.as_bytes();
        // A TXT record is one line: its column is all the position it has.
        let (_, column, byte) = crate::message::invalid_utf8(bytes, err.utf8_error().valid_up_to());
        Cause::RecordNotUtf8 {
            record: String::from_utf8_lossy(bytes).into(),
            byte,
            at: Position {
                line: None,
                column: Some(column),
            },
        }
        .into()
    })
}

/// A joined record and the length of its longest UTF-8 prefix, seen by
/// [`select`] as that prefix.
struct Utf8Prefix {
    bytes: Vec<u8>,
    valid: usize,
}

impl Utf8Prefix {
    fn new(bytes: Vec<u8>) -> Utf8Prefix {
        let valid = match std::str::from_utf8(&bytes) {
            Ok(text) => text.len(),
            Err(err) => err.valid_up_to(),
        };
        Utf8Prefix { bytes, valid }
    }
}

impl AsRef<str> for Utf8Prefix {
    fn as_ref(&self) -> &str {
        // The first `valid` bytes are UTF-8 by construction.
        std::str::from_utf8(&self.bytes[..self.valid]).unwrap_or_default()
    }
}
