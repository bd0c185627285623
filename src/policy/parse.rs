//! The policy parser's entry points and its one top-to-bottom pass
//! (RFC 8461 §3.2; SEMANTICS P1–P25): size (P1), bytes to text (P2), then
//! lines ([`super::lines`]), each line to a field ([`super::line`]) and the
//! fields to values ([`super::fields`]).
//!
//! The same pass serves plain parsing, which stops at the first error and
//! records nothing else, and the lint pass ([`scan`]), which records every
//! error and finding and carries on with the next line.

use super::fields::{Fields, Values};
use super::lines::Lines;
use super::{Policy, line};
use crate::code::Code;
use crate::error::{Cause, Position};
use crate::message::invalid_utf8;
use crate::pass::{Finding, Pass, Place};
use crate::{Error, ParseOptions};

/// Parses a policy, stopping at the first error.
pub(crate) fn parse(text: &str, options: &ParseOptions) -> Result<Policy, Error> {
    check_size(text.len(), options)?;
    let mut pass = Pass::first_error(options);
    Ok(run(text, &mut pass)?.into_policy())
}

/// Parses a policy body as received: size (P1), then UTF-8 (P2), then the
/// text.
pub(crate) fn parse_bytes(body: &[u8], options: &ParseOptions) -> Result<Policy, Error> {
    check_size(body.len(), options)?;
    parse(decode_utf8(body)?, options)
}

/// Everything one collecting pass found, for the lint API.
#[derive(Debug)]
pub(crate) struct PolicyScan {
    /// The policy, when the pass found no error at all.
    pub(crate) policy: Option<Policy>,
    /// Every error, in line order (`too-large` alone when too large).
    pub(crate) errors: Vec<Error>,
    /// Every deviation and text-level note, in line order.
    pub(crate) findings: Vec<Finding>,
    /// The values as far as they parsed.
    pub(crate) values: Values,
}

/// Parses a policy without stopping at errors, recording every error and
/// finding (SEMANTICS "`check()` on a broken text").
pub(crate) fn scan(text: &str, options: &ParseOptions) -> PolicyScan {
    if let Err(error) = check_size(text.len(), options) {
        return PolicyScan {
            policy: None,
            errors: vec![error],
            findings: Vec::new(),
            values: Values::default(),
        };
    }
    let mut pass = Pass::collect(options);
    // A collecting pass records errors instead of returning them.
    let fields = run(text, &mut pass).ok();
    let sink = pass.into_sink();
    let values = fields.as_ref().map(Fields::values).unwrap_or_default();
    let policy = fields
        .filter(|_| sink.errors.is_empty())
        .map(Fields::into_policy);
    PolicyScan {
        policy,
        errors: sink.errors,
        findings: sink.findings,
        values,
    }
}

/// The pass: every line, then the required fields.
fn run<'t>(text: &'t str, pass: &mut Pass) -> Result<Fields<'t>, Error> {
    if let Some(error) = utf16(text.as_bytes()) {
        pass.error(error)?;
        return Ok(Fields::default());
    }
    let mut fields = Fields::default();
    let mut first_ending = None;
    let mut mixed_reported = false;
    for raw in Lines::new(text) {
        let place = Place::line(raw.number, raw.content);
        // P3: the first line whose ending differs from line 1's (lint only).
        if pass.is_collecting() && !mixed_reported {
            match (first_ending, raw.ending) {
                (None, ending) => first_ending = ending,
                (Some(first), Some(ending)) if first != ending => {
                    mixed_reported = true;
                    pass.note(|| Finding::new(Code::MixedLineEndings, place, raw.content));
                }
                _ => {}
            }
        }
        let read = line::read(pass, place, raw.suspect, raw.simple)
            .and_then(|field| field.map_or(Ok(()), |field| fields.read(pass, field)));
        if let Err(error) = read {
            pass.error(error)?;
        }
    }
    fields.finish(pass)?;
    Ok(fields)
}

/// SEMANTICS P1: refuses a text over the size limit before parsing.
pub(crate) fn check_size(len: usize, options: &ParseOptions) -> Result<(), Error> {
    if len > options.max_size() {
        return Err(Cause::TooLarge {
            len,
            limit: options.max_size(),
            at: Position::NONE,
        }
        .into());
    }
    Ok(())
}

/// SEMANTICS P2: decodes a body as UTF-8, naming the first invalid byte
/// (or saying that the body is UTF-16).
fn decode_utf8(body: &[u8]) -> Result<&str, Error> {
    std::str::from_utf8(body).map_err(|err| {
        if let Some(error) = utf16(body) {
            return error;
        }
        let (line, column, byte) = invalid_utf8(body, err.valid_up_to());
        Cause::InvalidUtf8 {
            byte,
            at: Position {
                line: Some(line),
                column: Some(column),
            },
        }
        .into()
    })
}

/// A UTF-16 body (SEMANTICS "Messages on real-world mistakes"): a UTF-16
/// byte order mark, or NUL as every other byte of the first line (UTF-16 of
/// ASCII text), is one `syntax` error on line 1. So is the same body read
/// lossily as UTF-8 text, its byte order mark turned into two U+FFFD: the
/// crate's own addition to that list (documented at `Policy::parse_with`).
fn utf16(body: &[u8]) -> Option<Error> {
    let bom = body.starts_with(&[0xff, 0xfe]) || body.starts_with(&[0xfe, 0xff]);
    let units = body
        .strip_prefix("\u{fffd}\u{fffd}".as_bytes())
        .unwrap_or(body);
    // Cheap test first: a NUL in the first two bytes.
    let nul_pairs = units.len() >= 2 && (units[0] == 0 || units[1] == 0) && {
        let first_line = units
            .iter()
            .position(|&b| b == b'\n')
            .map_or(units, |end| &units[..end]);
        let nul_at = usize::from(units[0] != 0);
        first_line.len() >= 2 && first_line.iter().skip(nul_at).step_by(2).all(|&b| b == 0)
    };
    (bom || nul_pairs).then(|| {
        Cause::Utf16 {
            at: Position {
                line: Some(1),
                column: Some(1),
            },
        }
        .into()
    })
}
