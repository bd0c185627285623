//! `_smtp._tls` TXT records (RFC 8460 §3): the record type, its parser on
//! the shared tag-list grammar, and selection from a TXT `RRset`. The `rua`
//! URIs are [`super::uri`]'s.

use std::fmt;
use std::str::FromStr;

use super::uri::{ReportUri, rua_list};
use crate::Error;
use crate::error::RecordWhy;
use crate::extensions::{Extensions, FirstWins};
use crate::taglist::{Head, TagList};

/// The literal version field every TLS-RPT record starts with.
const VERSION: &str = "v=TLSRPTv1";

/// A parsed `_smtp._tls` TXT record (RFC 8460 §3).
///
/// The grammar is RFC 8460's ABNF: `v=TLSRPTv1` first (case-sensitive),
/// then `;`-separated fields with optional spaces or tabs around each `;`,
/// one of which must be `rua=` with one or more comma-separated `mailto:`
/// or `https:` URIs; other `name=value` fields are extensions, kept in
/// order. As for STS records, a repeated field is ignored (the first one
/// wins) and not validated.
///
/// Errors (each with the 1-based column in the record text, and no line):
/// `not-tlsrpt` (does not start with `v=TLSRPTv1` followed by `;`, a space
/// or the end), `missing-rua`, `invalid-rua` (an empty URI, a scheme other
/// than `mailto` or `https`, a character a URI may not hold, or an
/// unencoded `,` or `!`), and `syntax` for anything else (an empty field,
/// a field that is not `name=value`, an invalid extension value, spaces
/// after the last field with no `;`, non-ASCII text).
///
/// ```
/// use mta_sts::tlsrpt::TlsRptRecord;
///
/// let record: TlsRptRecord = "v=TLSRPTv1;rua=mailto:reports@example.com".parse()?;
/// assert_eq!(record.rua()[0].as_str(), "mailto:reports@example.com");
///
/// let err = TlsRptRecord::parse("v=TLSRPTv1; rua=http://reports.example.com/").unwrap_err();
/// assert_eq!((err.code(), err.column()), ("invalid-rua", Some(17)));
/// assert_eq!(
///     err.to_string(),
///     "invalid TLS-RPT record \"v=TLSRPTv1; rua=http://reports.example.com/\" at column 17: \
///      the rua URI \"http://reports.example.com/\" has the scheme \"http\": \
///      only mailto: and https: are supported (RFC 8460 §3)"
/// );
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsRptRecord {
    rua: Vec<ReportUri>,
    extensions: Extensions,
}

impl TlsRptRecord {
    /// Parses one record's text (its character-strings joined with no
    /// separator, RFC 8460 §3).
    ///
    /// # Errors
    ///
    /// `not-tlsrpt`, `missing-rua`, `invalid-rua` or `syntax`, with the column
    /// in the record.
    pub fn parse(text: &str) -> Result<TlsRptRecord, Error> {
        record(text)
    }

    /// Selects and parses the one TLS-RPT record of a `_smtp._tls` TXT
    /// `RRset` (RFC 8460 §3).
    ///
    /// Each item is one TXT record's text, its strings joined. Records that
    /// do not begin with exactly `v=TLSRPTv1;` are discarded; none left is
    /// `no-record`, more than one is `multiple-records` (even if only one
    /// would parse), and a sender then assumes the domain does not
    /// implement TLS-RPT. Exactly one is parsed; its error is the result.
    ///
    /// ```
    /// use mta_sts::tlsrpt::TlsRptRecord;
    ///
    /// let err = TlsRptRecord::from_rrset(["v=TLSRPTv1 ; rua=mailto:a@example.com"]).unwrap_err();
    /// assert_eq!(err.code(), "no-record");
    /// let err = TlsRptRecord::from_rrset([
    ///     "v=TLSRPTv1; rua=mailto:a@example.com",
    ///     "v=TLSRPTv1; rua=mailto:b@example.com",
    /// ])
    /// .unwrap_err();
    /// assert_eq!(err.code(), "multiple-records");
    /// ```
    ///
    /// # Errors
    ///
    /// `no-record` or `multiple-records`, or the selected record's error.
    pub fn from_rrset<I, S>(records: I) -> Result<TlsRptRecord, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let prefix = "v=TLSRPTv1;";
        let record = crate::rrset::select(records, prefix, |text| text.starts_with(prefix))?;
        TlsRptRecord::parse(record.as_ref())
    }

    /// The report URIs of the `rua` field, in order (at least one).
    #[must_use]
    pub fn rua(&self) -> &[ReportUri] {
        &self.rua
    }

    /// Extension fields (`name=value`) in order, first occurrence of each
    /// name only.
    ///
    /// ```
    /// let record = mta_sts::tlsrpt::TlsRptRecord::parse("v=TLSRPTv1; rua=mailto:a@example.com; x-note=hi")?;
    /// assert_eq!(record.extensions().collect::<Vec<_>>(), [("x-note", "hi")]);
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    #[must_use]
    pub fn extensions(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.extensions.iter()
    }
}

impl FromStr for TlsRptRecord {
    type Err = Error;

    /// Same as [`TlsRptRecord::parse`].
    fn from_str(s: &str) -> Result<TlsRptRecord, Error> {
        TlsRptRecord::parse(s)
    }
}

impl fmt::Display for TlsRptRecord {
    /// Writes `v=TLSRPTv1; rua=URI,URI;` followed by ` name=value;` per
    /// extension. It parses back to an equal record.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{VERSION}; rua=")?;
        for (i, uri) in self.rua.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(uri.as_str())?;
        }
        f.write_str(";")?;
        self.extensions.write_tags(f)
    }
}

/// Parses one record (RFC 8460 §3) with the shared tag-list grammar;
/// only the `rua` rules are this module's.
fn record(text: &str) -> Result<TlsRptRecord, Error> {
    let list = TagList::new(text, "TLS-RPT record");
    let mut at = match list.head(VERSION)? {
        Head::NotVersion => {
            return Err(list.error(0, RecordWhy::NotTlsRpt));
        }
        Head::NoFields { .. } => return Err(missing_rua(&list)),
        Head::Fields { at, .. } => at,
    };
    let mut rua: Option<Vec<ReportUri>> = None;
    let mut extensions = FirstWins::default();
    while let Some(tag) = list.next_tag(&mut at)? {
        let repeat = match tag.name {
            "v" => true,
            "rua" => rua.is_some(),
            name => extensions.is_repeat(name),
        };
        if repeat {
            // First wins; a repeat is ignored without being validated.
        } else if tag.name == "rua" {
            rua = Some(rua_list(&list, tag.value, tag.value_start)?);
        } else {
            list.check_extension_value(&tag)?;
            extensions.push(tag.name, tag.value);
        }
        if let Some(space) = tag.trailing_space {
            return Err(list.trailing_space_error(space));
        }
    }
    let Some(rua) = rua else {
        return Err(missing_rua(&list));
    };
    Ok(TlsRptRecord {
        rua,
        extensions: extensions.finish(),
    })
}

fn missing_rua(list: &TagList<'_>) -> Error {
    list.error(0, RecordWhy::MissingRua)
}

/// RRsets as resolvers return them.
impl TlsRptRecord {
    /// Selects and parses the one TLS-RPT record of a `_smtp._tls` TXT
    /// RRset given as resolvers return it: per record, its
    /// character-strings as bytes (hickory-resolver's `TXT::txt_data()`),
    /// joined with no separator (RFC 8460 §3). A record that is not UTF-8
    /// is selected or discarded by how it begins, like any other; the
    /// selected record must be UTF-8 as a whole.
    ///
    /// # Errors
    ///
    /// As [`TlsRptRecord::from_rrset`]: `no-record`, `multiple-records`,
    /// or the selected record's parse error; and `syntax`, with the column
    /// of the first offending byte, when the selected record is not UTF-8.
    ///
    /// ```
    /// use mta_sts::tlsrpt::TlsRptRecord;
    ///
    /// let rrset = [vec![&b"v=TLSRPTv1; "[..], &b"rua=mailto:tlsrpt@example.com"[..]]];
    /// let record = TlsRptRecord::from_rrset_bytes(rrset)?;
    /// assert_eq!(record.rua()[0].as_str(), "mailto:tlsrpt@example.com");
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    pub fn from_rrset_bytes<I, R, B>(records: I) -> Result<TlsRptRecord, Error>
    where
        I: IntoIterator<Item = R>,
        R: IntoIterator<Item = B>,
        B: AsRef<[u8]>,
    {
        let prefix = "v=TLSRPTv1;";
        let record = crate::rrset::select_bytes(records, prefix, |text| text.starts_with(prefix))?;
        TlsRptRecord::parse(&record)
    }
}
