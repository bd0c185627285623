//! The `_mta-sts` TXT record (RFC 8461 §3.1; SEMANTICS T1–T12) and record
//! selection from a TXT `RRset` (R1–R3).

use std::fmt;
use std::str::FromStr;

use crate::civil::civil_from_days;
use crate::code::Code;
use crate::error::{Cause, Position, RecordWhy};
use crate::extensions::{Extensions, FirstWins};
use crate::grammar::trim_wsp_start;
use crate::pass::{Detail, Finding, Pass, Place};
use crate::taglist::{Head, Tag, TagList};
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
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TxtRecord {
    id: String,
    extensions: Extensions,
}

impl TxtRecord {
    /// Parses one record's text strictly. The record's character-strings
    /// must already be joined with no separator.
    ///
    /// # Errors
    ///
    /// `not-sts`, `missing-id`, `invalid-id` or `syntax`, with the column in
    /// the record.
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
    ///
    /// # Errors
    ///
    /// `not-sts`, `missing-id`, `invalid-id` or `syntax`, with the column in
    /// the record.
    pub fn parse_with(text: &str, options: &ParseOptions) -> Result<TxtRecord, Error> {
        record(&mut Pass::first_error(options), text)
    }

    /// Selects and parses the one STS record of a TXT `RRset`, strictly
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
    ///
    /// # Errors
    ///
    /// `no-record` or `multiple-records`, or the selected record's parse error.
    pub fn from_rrset<I, S>(records: I) -> Result<TxtRecord, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        TxtRecord::from_rrset_with(records, &ParseOptions::strict())
    }

    /// Selects and parses the one STS record of a TXT `RRset` with the given
    /// options. Lenient also selects `v=STSv1 ;` (spaces or tabs before the
    /// `;`, SEMANTICS R2).
    ///
    /// # Errors
    ///
    /// `no-record` or `multiple-records`, or the selected record's parse error.
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

    /// A record with the given `id`, checked as strict parsing checks it:
    /// 1 to 32 letters and digits (RFC 8461 §3.1; SEMANTICS T7).
    ///
    /// ```
    /// use mta_sts::TxtRecord;
    ///
    /// let record = TxtRecord::new("20241130T093000")?;
    /// assert_eq!(record.to_string(), "v=STSv1; id=20241130T093000;");
    /// assert_eq!(TxtRecord::new("2024-11-30").unwrap_err().code(), "invalid-id");
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `invalid-id` when `id` is not 1 to 32 letters and digits.
    pub fn new(id: impl Into<String>) -> Result<TxtRecord, Error> {
        let id = id.into();
        if !is_strict_id(&id) {
            return Err(Cause::InvalidId {
                id: id.into(),
                at: Position::NONE,
            }
            .into());
        }
        Ok(TxtRecord {
            id,
            extensions: Extensions::default(),
        })
    }

    /// A record with a fresh id made from a time the caller gives, in Unix
    /// seconds: the UTC date and time as `YYYYMMDDTHHMMSS`. Publish a new
    /// id whenever the policy changes (RFC 8461 §3.1); a timestamp is
    /// the usual choice, and this one needs no clock.
    ///
    /// ```
    /// let record = mta_sts::TxtRecord::from_unix_time(1_732_959_000);
    /// assert_eq!(record.id(), "20241130T093000");
    /// ```
    #[must_use]
    pub fn from_unix_time(unix_seconds: u64) -> TxtRecord {
        let days = unix_seconds / 86_400;
        let seconds = unix_seconds % 86_400;
        // At most u64::MAX / 86 400 days: an i64 holds the day count and
        // the year.
        let (year, month, day) = civil_from_days(i64::try_from(days).unwrap_or(i64::MAX));
        TxtRecord {
            id: format!(
                "{year:04}{month:02}{day:02}T{:02}{:02}{:02}",
                seconds / 3600,
                seconds / 60 % 60,
                seconds % 60
            ),
            extensions: Extensions::default(),
        }
    }

    /// The record's `id`.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Extension fields (`name=value`) in order, first occurrence of each
    /// name only.
    #[must_use]
    pub fn extensions(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.extensions.iter()
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
        self.extensions.write_tags(f)
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
    let mut pass = Pass::collect(options);
    let result = record(&mut pass, text);
    TxtScan {
        result,
        findings: pass.into_sink().findings,
    }
}

/// SEMANTICS R1, R2: whether `RRset` selection keeps this record.
pub(crate) fn is_sts_record(text: &str, lenient: bool) -> bool {
    let Some(rest) = text.strip_prefix(VERSION) else {
        return false;
    };
    if rest.starts_with(';') {
        return true;
    }
    let after = trim_wsp_start(rest);
    lenient && after.len() < rest.len() && after.starts_with(';')
}

/// Whether a lenient id is acceptable: 1–64 printable ASCII characters
/// other than space, `;` and `=` (SEMANTICS T7).
fn is_lenient_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| matches!(b, 0x21..=0x7e) && b != b';' && b != b'=')
}

/// T7: `sts-id = 1*32(ALPHA / DIGIT)`.
fn is_strict_id(id: &str) -> bool {
    (1..=32).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Parses one record (SEMANTICS T1–T12) in `pass`.
fn record(pass: &mut Pass, text: &str) -> Result<TxtRecord, Error> {
    let list = TagList::new(text, "STS TXT record");
    let mut at = head(pass, &list)?;
    let mut id: Option<&str> = None;
    // T11: first wins (no allocation without extensions).
    let mut extensions = FirstWins::default();
    let place = Place::record(text);
    while let Some(tag) = list.next_tag(&mut at)? {
        let name = tag.name;
        let repeat = match name {
            "id" => id.is_some(),
            "v" => true,
            _ => extensions.is_repeat(name),
        };
        if repeat {
            // T11: first wins; the repeat is not validated (but T12 was).
            pass.note(|| {
                Finding::new(Code::TxtDuplicateField, place, name)
                    .at(place, tag.name_start)
                    .detail(Detail::Repeat {
                        first_line: None,
                        differs: false,
                    })
            });
        } else if name == "id" {
            id = Some(read_id(pass, &list, &tag)?);
        } else {
            // T8, T9.
            list.check_extension_value(&tag)?;
            pass.note(|| {
                let field = &text[tag.name_start..tag.value_start + tag.value.len()];
                Finding::new(Code::TxtUnknownField, place, field).at(place, tag.name_start)
            });
            extensions.push(name, tag.value);
        }
        // T2b: whitespace after the last field with no `;` after it.
        if let Some(space) = tag.trailing_space {
            pass.deviation(
                || Finding::new(Code::TxtTrailingWhitespace, place, text).at(place, space),
                || list.trailing_space_error(space),
            )?;
        }
    }
    let Some(id) = id else {
        return Err(missing_id(&list, 0));
    };
    Ok(TxtRecord {
        id: id.to_owned(),
        extensions: extensions.finish(),
    })
}

/// T3, T4, T5: `v=STSv1` and the first `;`; the byte offset of the first
/// field.
fn head(pass: &mut Pass, list: &TagList<'_>) -> Result<usize, Error> {
    match list.head(VERSION)? {
        Head::NotVersion => Err(list.error(0, RecordWhy::NotSts)),
        Head::NoFields { at } => Err(missing_id(list, at)),
        Head::Fields {
            at,
            space_before_semicolon,
        } => {
            if space_before_semicolon {
                // T3: accepted, but strict record selection skips it (R2).
                let place = Place::record(list.text);
                pass.note(|| Finding::new(Code::TxtSpaceBeforeSemicolon, place, list.text));
            }
            Ok(at)
        }
    }
}

/// T6, T7: the `id` value.
fn read_id<'t>(pass: &mut Pass, list: &TagList<'t>, tag: &Tag<'t>) -> Result<&'t str, Error> {
    let value = tag.value;
    if value.is_empty() {
        return Err(list.error(tag.value_start, RecordWhy::EmptyId));
    }
    if !is_strict_id(value) {
        let place = Place::record(list.text);
        let strict = || {
            let id = value.into();
            list.error(tag.value_start, RecordWhy::InvalidId { id })
        };
        if !is_lenient_id(value) {
            return Err(strict());
        }
        pass.deviation(
            || Finding::new(Code::TxtIdInvalid, place, value).at(place, tag.value_start),
            strict,
        )?;
    }
    Ok(value)
}

/// T5.
fn missing_id(list: &TagList<'_>, at: usize) -> Error {
    list.error(at, RecordWhy::MissingId)
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
