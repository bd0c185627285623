//! The `_mta-sts` TXT record (RFC 8461 §3.1; SEMANTICS T1–T12) and record
//! selection from a TXT RRset (R1–R3).

use std::fmt;
use std::str::FromStr;

use crate::error::ErrorKind;
use crate::finding::Finding;
use crate::policy_parse::{self, trim_wsp_end, trim_wsp_start};
use crate::{Error, ParseOptions};

/// The literal prefix every STS record starts with.
const VERSION: &str = "v=STSv1";

/// A parsed `_mta-sts` TXT record (RFC 8461 §3.1).
///
/// The record's `id` tells senders whether the policy changed since they
/// fetched it. Extensions (`name=value`) are kept in order.
///
/// ```
/// use mta_sts::TxtRecord;
///
/// let record: TxtRecord = "v=STSv1; id=20160831085700Z;".parse()?;
/// assert_eq!(record.id(), "20160831085700Z");
/// assert_eq!(record.to_string(), "v=STSv1; id=20160831085700Z;");
///
/// // From a TXT lookup: unrelated records are ignored.
/// let record = TxtRecord::from_rrset(["v=spf1 -all", "v=STSv1; id=abc123"])?;
/// assert_eq!(record.id(), "abc123");
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxtRecord {
    id: String,
    extensions: Vec<(String, String)>,
}

impl TxtRecord {
    /// Parses one record's text strictly. The record's character-strings
    /// must already be joined with no separator.
    pub fn parse(text: &str) -> Result<TxtRecord, Error> {
        TxtRecord::parse_with(text, &ParseOptions::strict())
    }

    /// Parses one record's text with the given options.
    ///
    /// Lenient accepts a trailing space after the last field and ids of 1–64
    /// printable ASCII characters (SEMANTICS T2b, T7).
    ///
    /// ```
    /// use mta_sts::{ParseOptions, TxtRecord};
    ///
    /// assert_eq!(TxtRecord::parse("v=STSv1; id=2024-01-01").unwrap_err().code(), "invalid-id");
    /// let record = TxtRecord::parse_with("v=STSv1; id=2024-01-01", &ParseOptions::lenient())?;
    /// assert_eq!(record.id(), "2024-01-01");
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    pub fn parse_with(text: &str, options: &ParseOptions) -> Result<TxtRecord, Error> {
        Parser {
            text,
            lenient: options.is_lenient(),
            findings: None,
        }
        .record()
    }

    /// Selects and parses the one STS record of a TXT RRset, strictly
    /// (SEMANTICS R1–R3).
    ///
    /// Each item is one TXT record's text, its strings joined. Records that
    /// do not begin with `v=STSv1;` are discarded; none left is `no-record`,
    /// more than one is `multiple-records` (even if only one would parse).
    ///
    /// ```
    /// use mta_sts::TxtRecord;
    ///
    /// let err = TxtRecord::from_rrset(["v=STSv1; id=a", "v=STSv1; id=b"]).unwrap_err();
    /// assert_eq!(err.code(), "multiple-records");
    /// let err = TxtRecord::from_rrset(Vec::<String>::new()).unwrap_err();
    /// assert_eq!(err.code(), "no-record");
    /// ```
    pub fn from_rrset<I, S>(records: I) -> Result<TxtRecord, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        TxtRecord::from_rrset_with(records, &ParseOptions::strict())
    }

    /// Selects and parses the one STS record of a TXT RRset with the given
    /// options. Lenient also selects `v=STSv1 ;` (spaces or tabs before the
    /// `;`, SEMANTICS R2).
    pub fn from_rrset_with<I, S>(records: I, options: &ParseOptions) -> Result<TxtRecord, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let lenient = options.is_lenient();
        let record =
            crate::rrset::select(records, "v=STSv1;", |text| is_sts_record(text, lenient))?;
        TxtRecord::parse_with(record.as_ref(), options)
    }

    /// The record's `id`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Extension fields (`name=value`) in order, first occurrence of each
    /// name only.
    pub fn extensions(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.extensions
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }
}

impl FromStr for TxtRecord {
    type Err = Error;

    /// Same as [`TxtRecord::parse`] (strict).
    fn from_str(s: &str) -> Result<TxtRecord, Error> {
        TxtRecord::parse(s)
    }
}

impl fmt::Display for TxtRecord {
    /// Writes `v=STSv1; id=ID;` followed by ` name=value;` per extension. It
    /// parses back to an equal record with the options that accepted it (an
    /// id only lenient parsing accepts needs lenient parsing again).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{VERSION}; id={};", self.id)?;
        for (name, value) in &self.extensions {
            write!(f, " {name}={value};")?;
        }
        Ok(())
    }
}

/// Everything one pass over a TXT record found, for the lint API.
#[derive(Debug)]
pub(crate) struct TxtScan {
    pub(crate) result: Result<TxtRecord, Error>,
    pub(crate) findings: Vec<Finding>,
}

/// Parses a record, recording every finding (`txt-*` lint codes).
pub(crate) fn scan(text: &str, options: &ParseOptions) -> TxtScan {
    let mut findings = Vec::new();
    let result = Parser {
        text,
        lenient: options.is_lenient(),
        findings: Some(&mut findings),
    }
    .record();
    TxtScan { result, findings }
}

/// SEMANTICS R1, R2: whether RRset selection keeps this record.
fn is_sts_record(text: &str, lenient: bool) -> bool {
    let Some(rest) = text.strip_prefix(VERSION) else {
        return false;
    };
    if rest.starts_with(';') {
        return true;
    }
    let after = trim_wsp_start(rest);
    lenient && after.len() < rest.len() && after.starts_with(';')
}

/// `sts-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")`:
/// the length of the name at the start of `input`, if it has at most 32
/// characters (the same name grammar as a policy field).
fn field_name(input: &str) -> Option<usize> {
    let (_, name) = policy_parse::field_name(input.as_bytes()).ok()?;
    (name.len() <= 32).then_some(name.len())
}

/// `sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E)`
fn is_ext_value_char(b: u8) -> bool {
    matches!(b, 0x21..=0x3a | 0x3c | 0x3e..=0x7e)
}

/// Whether a lenient id is acceptable: 1–64 printable ASCII characters
/// other than space, `;` and `=` (SEMANTICS T7).
fn is_lenient_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| matches!(b, 0x21..=0x7e) && b != b';' && b != b'=')
}

fn is_strict_id(id: &str) -> bool {
    (1..=32).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

struct Parser<'t, 'f> {
    text: &'t str,
    lenient: bool,
    findings: Option<&'f mut Vec<Finding>>,
}

impl Parser<'_, '_> {
    fn error(&self, kind: ErrorKind, at: usize, why: &str) -> Error {
        let column = self.text[..at].chars().count() + 1;
        Error::new(
            kind,
            None,
            Some(column),
            format!(
                "invalid STS TXT record {:?} at column {column}: {why}",
                self.text
            ),
        )
    }

    fn note(&mut self, code: &'static str, subject: &str) {
        if let Some(findings) = self.findings.as_deref_mut() {
            findings.push(Finding::new(code, None, subject));
        }
    }

    fn record(mut self) -> Result<TxtRecord, Error> {
        let text = self.text;
        // T4: `v=STSv1` then `;`, a space or tab, or the end.
        let rest = match text.strip_prefix(VERSION) {
            Some(rest) if rest.is_empty() || rest.starts_with([';', ' ', '\t']) => rest,
            _ => {
                return Err(self.error(
                    ErrorKind::NotSts,
                    0,
                    "an STS record starts with exactly \"v=STSv1;\" (case-sensitive)",
                ))
            }
        };
        let mut at = VERSION.len();
        let after_space = trim_wsp_start(rest);
        at += rest.len() - after_space.len();
        if after_space.is_empty() {
            return Err(self.error(ErrorKind::MissingId, at, "the record has no \"id=\" field"));
        }
        if !after_space.starts_with(';') {
            return Err(self.error(ErrorKind::Syntax, at, "expected ';' after \"v=STSv1\""));
        }
        if after_space.len() < rest.len() {
            // T3: accepted, but record selection would skip it (R2).
            self.note("txt-space-before-semicolon", text);
        }
        at += 1;
        let mut id: Option<&str> = None;
        let mut extensions: Vec<(String, String)> = Vec::new();
        // After a `;`: `*WSP` then a field or the end.
        loop {
            let field = trim_wsp_start(&text[at..]);
            at = text.len() - field.len();
            if field.is_empty() {
                break;
            }
            if field.starts_with(';') {
                return Err(self.error(ErrorKind::Syntax, at, "empty field (two ';' in a row)"));
            }
            // `name=`
            let name = match field_name(field) {
                // The name is ASCII, so `len` is a char boundary.
                Some(len) if field.as_bytes().get(len) == Some(&b'=') => &field[..len],
                _ => return Err(self.bad_field(at)),
            };
            let value_start = at + name.len() + 1;
            // The value runs to the next `;`; whitespace before it is the delimiter.
            let region_end = text.as_bytes()[value_start..]
                .iter()
                .position(|&b| b == b';')
                .map_or(text.len(), |i| value_start + i);
            let value = trim_wsp_end(&text[value_start..region_end]);
            let value_end = value_start + value.len();
            // Non-ASCII is `syntax` wherever it is (SEMANTICS Precision). A
            // valid strict id or extension value is ASCII, so the check only
            // runs for values that are not.
            let non_ascii = || {
                value.bytes().position(|b| !b.is_ascii()).map(|bad| {
                    self.error(
                        ErrorKind::Syntax,
                        value_start + bad,
                        "only ASCII is allowed in an STS record",
                    )
                })
            };
            let repeat = match name {
                "id" => id.is_some(),
                "v" => true,
                _ => extensions.iter().any(|(n, _)| n == name),
            };
            if repeat {
                // T11: first wins; the repeat is not validated.
                self.note("txt-duplicate-field", name);
            } else if name == "id" {
                if value.is_empty() {
                    return Err(self.error(ErrorKind::Syntax, value_start, "\"id=\" has no value"));
                }
                if !is_strict_id(value) {
                    if let Some(error) = non_ascii() {
                        return Err(error);
                    }
                    if !(self.lenient && is_lenient_id(value)) {
                        return Err(self.error(
                            ErrorKind::InvalidId,
                            value_start,
                            &format!("the id {value:?} must be 1 to 32 letters and digits"),
                        ));
                    }
                    self.note("txt-id-invalid", value);
                }
                id = Some(value);
            } else {
                if let Some(bad) = value
                    .bytes()
                    .position(|b| !is_ext_value_char(b))
                    .or(value.is_empty().then_some(0))
                {
                    if let Some(error) = non_ascii() {
                        return Err(error);
                    }
                    return Err(self.error(
                        ErrorKind::Syntax,
                        value_start + bad,
                        &format!("invalid value for {name:?}: an extension value is one or more printable characters other than '=', ';' and space"),
                    ));
                }
                self.note("txt-unknown-field", &text[at..value_end]);
                extensions.push((name.to_owned(), value.to_owned()));
            }
            if region_end == text.len() {
                // T2b: whitespace after the last field with no `;` after it.
                if value_end < text.len() {
                    if !self.lenient {
                        return Err(self.error(
                            ErrorKind::Syntax,
                            value_end,
                            "whitespace after the last field: remove it or end the record with ';'",
                        ));
                    }
                    self.note("txt-trailing-whitespace", text);
                }
                break;
            }
            at = region_end + 1;
        }
        let Some(id) = id else {
            return Err(self.error(ErrorKind::MissingId, 0, "the record has no \"id=\" field"));
        };
        Ok(TxtRecord {
            id: id.to_owned(),
            extensions,
        })
    }

    /// T6, T9: a field that is not `name=value`.
    fn bad_field(&self, at: usize) -> Error {
        let field = &self.text[at..];
        let field = &field[..field.find(';').unwrap_or(field.len())];
        self.error(
            ErrorKind::Syntax,
            at,
            &format!("invalid field {field:?}: expected \"name=value\" with a name of up to 32 letters, digits, '_', '-' or '.'"),
        )
    }
}

/// RRsets as resolvers return them (used by `sender::TxtLookup`).
impl TxtRecord {
    /// Selects and parses the one STS record of a TXT RRset given as
    /// resolvers return it: per record, its character-strings as bytes
    /// (hickory-resolver's `TXT::txt_data()` is a `&[Box<[u8]>]`), which are
    /// joined with no separator (SEMANTICS R1–R3, as
    /// [`TxtRecord::from_rrset_with`] with these options).
    ///
    /// A record that is not UTF-8 is selected or discarded by how it
    /// begins, like any other; the selected record must be UTF-8 as a
    /// whole.
    ///
    /// # Errors
    ///
    /// As [`TxtRecord::from_rrset_with`]: `no-record`, `multiple-records`,
    /// or the selected record's parse error; and `syntax`, with the column
    /// of the first offending byte, when the selected record is not UTF-8.
    ///
    /// ```
    /// use mta_sts::{ParseOptions, TxtRecord};
    ///
    /// let rrset: Vec<Vec<Box<[u8]>>> = vec![
    ///     vec![Box::from(&b"v=spf1 -all"[..])],
    ///     vec![Box::from(&b"v=STSv1; "[..]), Box::from(&b"id=20240101;"[..])],
    /// ];
    /// let record = TxtRecord::from_rrset_bytes(rrset, &ParseOptions::strict())?;
    /// assert_eq!(record.id(), "20240101");
    ///
    /// let err = TxtRecord::from_rrset_bytes([[&b"v=STSv1; id=\xff;"[..]]], &ParseOptions::strict())
    ///     .unwrap_err();
    /// assert_eq!((err.code(), err.column()), ("syntax", Some(13)));
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    pub fn from_rrset_bytes<I, R, B>(records: I, options: &ParseOptions) -> Result<TxtRecord, Error>
    where
        I: IntoIterator<Item = R>,
        R: IntoIterator<Item = B>,
        B: AsRef<[u8]>,
    {
        let lenient = options.is_lenient();
        let record =
            crate::rrset::select_bytes(records, "v=STSv1;", |text| is_sts_record(text, lenient))?;
        TxtRecord::parse_with(&record, options)
    }
}
