//! The tag-list grammar of `_mta-sts` and `_smtp._tls` TXT records
//! (RFC 8461 §3.1, RFC 8460 §3): `v=VERSION` then `;`-separated
//! `name=value` fields with optional spaces or tabs around each `;`.
//!
//! This module yields the fields with their positions, or the syntax
//! errors both records share (SEMANTICS T2, T2b, T6, T9, T10, T12); the
//! record modules keep only their own fields' rules (`id`, `rua`).

use nom::bytes::complete::{tag, take_till};
use nom::sequence::separated_pair;
use nom::{IResult, Parser};

use crate::Error;
use crate::error::{Cause, Position, RecordWhy};
use crate::grammar::{name_len_bytes, trim_wsp_end, trim_wsp_start};
use crate::pass::Place;

/// One record's text and what it is called in messages.
#[derive(Clone, Copy)]
pub(crate) struct TagList<'t> {
    pub(crate) text: &'t str,
    /// `STS TXT record` or `TLS-RPT record`.
    what: &'static str,
}

/// How the record starts.
pub(crate) enum Head {
    /// Not `VERSION` followed by `;`, a space, a tab or the end.
    NotVersion,
    /// `VERSION` and nothing but spaces after it.
    NoFields {
        /// Byte offset of the end of the text.
        at: usize,
    },
    /// `VERSION *WSP ;`: fields follow from `at`.
    Fields {
        at: usize,
        /// Whether spaces or tabs come before the first `;` (T3).
        space_before_semicolon: bool,
    },
}

/// One `name=value` field.
pub(crate) struct Tag<'t> {
    pub(crate) name: &'t str,
    /// The value without the whitespace before the next `;` or the end.
    pub(crate) value: &'t str,
    /// Byte offset of the name in the record.
    pub(crate) name_start: usize,
    /// Byte offset of the value in the record.
    pub(crate) value_start: usize,
    /// The last field has spaces or tabs after it and no `;` (T2b): the
    /// byte offset of the first one.
    pub(crate) trailing_space: Option<usize>,
}

impl<'t> TagList<'t> {
    pub(crate) fn new(text: &'t str, what: &'static str) -> TagList<'t> {
        TagList { text, what }
    }

    /// An error about this record at byte `at`, with the record quoted.
    /// Cold, as [`TagList::bad_field`] is: out of the way, they leave the
    /// TXT parse at 807 instructions under callgrind (857 inline; 805
    /// before nom).
    #[cold]
    pub(crate) fn error(&self, at: usize, why: RecordWhy) -> Error {
        let cause = Cause::InvalidRecord {
            what: self.what,
            record: self.text.into(),
            why,
            at: Position::NONE,
        };
        Place::record(self.text).error(cause, at)
    }

    /// Reads `version` and what follows it.
    #[inline]
    pub(crate) fn head(&self, version: &str) -> Result<Head, Error> {
        let text = self.text;
        let rest = match text.strip_prefix(version) {
            Some(rest) if rest.is_empty() || matches!(rest.as_bytes()[0], b';' | b' ' | b'\t') => {
                rest
            }
            _ => return Ok(Head::NotVersion),
        };
        let after_space = trim_wsp_start(rest);
        let at = text.len() - after_space.len();
        if after_space.is_empty() {
            return Ok(Head::NoFields { at });
        }
        if !after_space.starts_with(';') {
            let version = version.into();
            return Err(self.error(at, RecordWhy::NoSemicolon { version }));
        }
        Ok(Head::Fields {
            at: at + 1,
            space_before_semicolon: after_space.len() < rest.len(),
        })
    }

    /// The field after byte `at` (just after a `;`), moving `at` past it
    /// and its `;`; `None` at the end.
    #[inline]
    pub(crate) fn next_tag(&self, at: &mut usize) -> Result<Option<Tag<'t>>, Error> {
        let text = self.text;
        let Some(rest) = text.get(*at..) else {
            return Ok(None);
        };
        // The `*WSP` after the `;` of `sts-field-delim`.
        let field = trim_wsp_start(rest);
        let start = text.len() - field.len();
        if field.is_empty() {
            return Ok(None);
        }
        // T6, T9: `name=`, then the value up to the next `;`.
        let Ok((after, (name, region))) = sts_field(field.as_bytes()) else {
            if field.starts_with(';') {
                return Err(self.error(start, RecordWhy::EmptyField));
            }
            return Err(self.bad_field(start));
        };
        let value_start = start + name.len() + 1;
        let region_end = value_start + region.len();
        // Both ends sit next to ASCII bytes (`=`, `;`) or at the end, so
        // they are char boundaries.
        let name = text.get(start..value_start - 1).unwrap_or_default();
        let region = text.get(value_start..region_end).unwrap_or_default();
        // Whitespace before the `;` (or the end) is the delimiter's.
        let value = trim_wsp_end(region);
        let value_end = value_start + value.len();
        // T12: non-ASCII is `syntax` wherever it is, in a repeat too.
        if let Some(bad) = (!value.is_ascii())
            .then(|| value.bytes().position(|b| !b.is_ascii()))
            .flatten()
        {
            let what = self.what;
            return Err(self.error(value_start + bad, RecordWhy::NotAscii { what }));
        }
        *at = region_end + 1;
        Ok(Some(Tag {
            name,
            value,
            name_start: start,
            value_start,
            trailing_space: (after.is_empty() && value_end < text.len()).then_some(value_end),
        }))
    }

    /// T9: an extension value is `1*(%x21-3A / %x3C / %x3E-7E)`.
    pub(crate) fn check_extension_value(&self, tag: &Tag<'_>) -> Result<(), Error> {
        let bad = tag
            .value
            .bytes()
            .position(|b| !matches!(b, 0x21..=0x3a | 0x3c | 0x3e..=0x7e))
            .or(tag.value.is_empty().then_some(0));
        match bad {
            None => Ok(()),
            Some(bad) => Err(self.error(
                tag.value_start + bad,
                RecordWhy::ExtensionValue {
                    name: tag.name.into(),
                },
            )),
        }
    }

    /// T2b, strict: the error for spaces after the last field.
    pub(crate) fn trailing_space_error(&self, at: usize) -> Error {
        self.error(at, RecordWhy::TrailingSpace)
    }

    /// T6, T9: a field that is not `name=value`.
    #[cold]
    fn bad_field(&self, at: usize) -> Error {
        let field = &self.text[at..];
        let field = &field[..field.find(';').unwrap_or(field.len())];
        self.error(
            at,
            RecordWhy::BadField {
                field: field.into(),
            },
        )
    }
}

/// `sts-field = sts-field-name "=" sts-field-value` (RFC 8461 §3.1; RFC
/// 8460 §3's `tlsrpt-field` has the same shape): the name and the value's
/// bytes up to the next `;` or the end, whitespace included (the value's
/// own rules are the record's). The rest starts at that `;`. On bytes: the
/// grammar's bytes are ASCII, and `str`'s char-by-char scan of the value
/// made the whole TXT parse 20% slower (805 to 983 instructions under
/// callgrind for the RFC 8461 §3.1 example).
#[inline]
fn sts_field(input: &[u8]) -> IResult<&[u8], (&[u8], &[u8])> {
    separated_pair(sts_field_name, tag(&b"="[..]), take_till(|b| b == b';')).parse(input)
}

/// `sts-field-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")`:
/// the one field-name grammar ([`name_len_bytes`], shared with the policy
/// parser's hot path), as a nom parser.
#[inline]
fn sts_field_name(input: &[u8]) -> IResult<&[u8], &[u8]> {
    match name_len_bytes(input).and_then(|len| input.split_at_checked(len)) {
        Some((name, rest)) => Ok((rest, name)),
        None => Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::AlphaNumeric,
        ))),
    }
}
