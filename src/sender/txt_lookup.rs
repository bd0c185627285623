//! The outcome of the `_mta-sts` TXT lookup, as the cache decision takes
//! it (RFC 8461 §3.1).

use crate::{Error, ErrorKind, ParseOptions, TxtRecord};

/// The outcome of looking up the `_mta-sts` TXT RRset
/// (RFC 8461 §3.1).
///
/// Build it with [`TxtLookup::from_rrset_bytes`] from the records as the
/// resolver returned them (character-strings as bytes), with
/// [`TxtLookup::from_rrset`] from records already joined into strings, or
/// use [`TxtLookup::Failed`] when the lookup itself failed (timeout,
/// `SERVFAIL`). A name that does not exist (`NXDOMAIN`) or has no TXT
/// records is an empty RRset: [`TxtLookup::NoRecord`].
///
/// ```
/// use mta_sts::sender::TxtLookup;
///
/// let lookup = TxtLookup::from_rrset(["v=spf1 -all", "v=STSv1; id=20240101;"]);
/// assert!(matches!(&lookup, TxtLookup::Record(txt) if txt.id() == "20240101"));
/// assert_eq!(TxtLookup::from_rrset(Vec::<String>::new()), TxtLookup::NoRecord);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TxtLookup {
    /// Exactly one valid STS record.
    Record(TxtRecord),
    /// No record begins with `v=STSv1;` (including an empty RRset or a
    /// name that does not exist).
    NoRecord,
    /// More than one record begins with `v=STSv1;`.
    MultipleRecords,
    /// The one STS record is invalid; the error says why.
    Invalid(Error),
    /// The DNS lookup failed (timeout, `SERVFAIL`, …): nothing is known.
    Failed,
}

impl TxtLookup {
    /// Selects and parses the STS record from a TXT RRset strictly
    /// (SEMANTICS R1–R3); each item is one record's strings joined without
    /// a separator.
    #[must_use]
    pub fn from_rrset<I, S>(records: I) -> TxtLookup
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        TxtLookup::from_rrset_with(records, &ParseOptions::strict())
    }

    /// Same as [`TxtLookup::from_rrset`] with the given parse options
    /// (a sending MTA typically passes [`ParseOptions::lenient`]).
    #[must_use]
    pub fn from_rrset_with<I, S>(records: I, options: &ParseOptions) -> TxtLookup
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        TxtLookup::from_result(TxtRecord::from_rrset_with(records, options))
    }

    /// Selects and parses the STS record from a TXT RRset as resolvers
    /// return it: per record, its character-strings as bytes, joined with
    /// no separator (hickory-resolver's `TXT::txt_data()` gives a
    /// `&[Box<[u8]>]` per record). See [`TxtRecord::from_rrset_bytes`].
    ///
    /// A selected record that is not UTF-8 is [`TxtLookup::Invalid`] with a
    /// `syntax` error naming the column of the first offending byte;
    /// records that are not UTF-8 and do not begin with `v=STSv1;` are
    /// ignored like any other.
    ///
    /// ```
    /// use mta_sts::sender::TxtLookup;
    /// use mta_sts::ParseOptions;
    ///
    /// // One TXT RR whose record was published as two character-strings.
    /// let rrset: Vec<Vec<Box<[u8]>>> = vec![vec![
    ///     Box::from(&b"v=STSv1; id=2024"[..]),
    ///     Box::from(&b"0101T000000;"[..]),
    /// ]];
    /// let lookup = TxtLookup::from_rrset_bytes(rrset, &ParseOptions::lenient());
    /// assert_eq!(lookup.id(), Some("20240101T000000"));
    ///
    /// let lookup = TxtLookup::from_rrset_bytes([[&b"v=STSv1; id=\xc3;"[..]]], &ParseOptions::lenient());
    /// assert!(matches!(lookup, TxtLookup::Invalid(err) if err.code() == "syntax"));
    /// ```
    #[must_use]
    pub fn from_rrset_bytes<I, R, B>(records: I, options: &ParseOptions) -> TxtLookup
    where
        I: IntoIterator<Item = R>,
        R: IntoIterator<Item = B>,
        B: AsRef<[u8]>,
    {
        TxtLookup::from_result(TxtRecord::from_rrset_bytes(records, options))
    }

    fn from_result(result: Result<TxtRecord, Error>) -> TxtLookup {
        match result {
            Ok(record) => TxtLookup::Record(record),
            Err(err) if err.kind() == ErrorKind::NoRecord => TxtLookup::NoRecord,
            Err(err) if err.kind() == ErrorKind::MultipleRecords => TxtLookup::MultipleRecords,
            Err(err) => TxtLookup::Invalid(err),
        }
    }

    /// The id of the STS record, if there is exactly one valid record.
    #[must_use]
    pub fn id(&self) -> Option<&str> {
        match self {
            TxtLookup::Record(record) => Some(record.id()),
            _ => None,
        }
    }
}
