//! The policy file parser (RFC 8461 §3.2; SEMANTICS P1–P25).
//!
//! One top-to-bottom pass: the text is split into lines by hand (which keeps
//! line numbers and CRLF handling simple), and each line is read by small
//! complete `nom` parsers. The same pass serves plain parsing, which stops at
//! the first error and records nothing else, and the lint pass ([`scan`]),
//! which records every error and every finding and carries on.

use std::collections::HashMap;

use nom::bytes::complete::take_while1;
use nom::character::complete::{char, space0};
use nom::combinator::verify;
use nom::{IResult, Parser as _};

use crate::error::{ErrorKind, Position};
use crate::finding::Finding;
use crate::mx::{parse_pattern, MxPattern};
use crate::policy::MAX_AGE_LIMIT;
use crate::{Error, Mode, ParseOptions, Policy};

/// Parses a policy, stopping at the first error.
pub(crate) fn parse(text: &str, options: &ParseOptions) -> Result<Policy, Error> {
    check_size(text.len(), options)?;
    let mut parser = Parser::new(options, false);
    parser.lines(text)?;
    parser.finish()?;
    Ok(parser.into_policy())
}

/// Everything one lenient-or-strict pass found, for the lint API.
#[derive(Debug)]
pub(crate) struct PolicyScan {
    /// The policy, when the pass found no error at all.
    pub(crate) policy: Option<Policy>,
    /// Every error, in line order (`too-large` alone when too large).
    pub(crate) errors: Vec<Error>,
    /// Every deviation and text-level note, in line order.
    pub(crate) findings: Vec<Finding>,
    /// The first `mode`, when valid, and its line.
    pub(crate) mode: Option<(Mode, usize)>,
    /// The first `max_age`, when valid: its effective value and line.
    pub(crate) max_age: Option<(u64, usize)>,
    /// Every `mx` line that parsed, with its line.
    pub(crate) mx: Vec<(MxPattern, usize)>,
    /// Whether some `mx` line failed to parse.
    pub(crate) mx_failed: bool,
}

/// Parses a policy without stopping at errors, recording every error and
/// finding (SEMANTICS "check() on a broken text").
pub(crate) fn scan(text: &str, options: &ParseOptions) -> PolicyScan {
    let mut scan = PolicyScan {
        policy: None,
        errors: Vec::new(),
        findings: Vec::new(),
        mode: None,
        max_age: None,
        mx: Vec::new(),
        mx_failed: false,
    };
    if let Err(error) = check_size(text.len(), options) {
        scan.errors.push(error);
        return scan;
    }
    let mut parser = Parser::new(options, true);
    // In collecting mode these never fail: errors are recorded instead.
    let _ = parser.lines(text);
    let _ = parser.finish();
    scan.mode = parser
        .mode
        .as_ref()
        .and_then(|seen| Some((seen.value?, seen.line)));
    scan.max_age = parser
        .max_age
        .as_ref()
        .and_then(|seen| Some((seen.value?, seen.line)));
    scan.mx_failed = parser.mx_failed;
    scan.errors = std::mem::take(&mut parser.errors);
    scan.findings = std::mem::take(&mut parser.findings);
    scan.mx = parser
        .mx
        .iter()
        .cloned()
        .zip(parser.mx_lines.iter().copied())
        .collect();
    if scan.errors.is_empty() {
        scan.policy = Some(parser.into_policy());
    }
    scan
}

/// SEMANTICS P1: refuses a text over the size limit before parsing.
pub(crate) fn check_size(len: usize, options: &ParseOptions) -> Result<(), Error> {
    if len > options.size_limit() {
        return Err(Error::new(
            ErrorKind::TooLarge,
            None,
            None,
            format!(
                "policy of {len} bytes is larger than the limit of {} bytes",
                options.size_limit()
            ),
        ));
    }
    Ok(())
}

/// SEMANTICS P2: decodes a body as UTF-8, naming the first invalid byte.
pub(crate) fn decode_utf8(body: &[u8]) -> Result<&str, Error> {
    std::str::from_utf8(body).map_err(|err| {
        let valid = &body[..err.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        // The prefix is valid UTF-8, so this cannot fail.
        let column = std::str::from_utf8(&valid[line_start..]).map_or(1, |s| s.chars().count() + 1);
        let byte = body[err.valid_up_to()];
        Error::new(
            ErrorKind::Syntax,
            Some(line),
            Some(column),
            format!(
                "invalid UTF-8 byte 0x{byte:02x} in the policy on line {line}, column {column}"
            ),
        )
    })
}

/// The `invalid-mode` error for a value.
pub(crate) fn invalid_mode(value: &str, line: Option<usize>, column: Option<usize>) -> Error {
    let position = Position { line, column };
    Error::new(
        ErrorKind::InvalidMode,
        line,
        column,
        format!(
            "invalid mode {value:?}{position}: expected \"enforce\", \"testing\" or \"none\" (case-sensitive)"
        ),
    )
}

/// Whether `name` is a valid field name: `(ALPHA / DIGIT) *31(ALPHA /
/// DIGIT / "_" / "-" / ".")`.
#[cfg(feature = "serde")]
pub(crate) fn is_field_name(name: &str) -> bool {
    matches!(field_name(name.as_bytes()), Ok((rest, _)) if rest.is_empty())
}

/// A field name, `(ALPHA / DIGIT) *(ALPHA / DIGIT / "_" / "-" / ".")`; the
/// 32-character limit is checked by the caller. On bytes: every name byte is
/// ASCII, so no character decoding is needed.
pub(crate) fn field_name(input: &[u8]) -> IResult<&[u8], &[u8]> {
    verify(take_while1(is_name_byte), |name: &[u8]| {
        name.first().is_some_and(u8::is_ascii_alphanumeric)
    })
    .parse(input)
}

fn is_name_byte(b: u8) -> bool {
    NAME_BYTE[usize::from(b)]
}

/// Letters, digits, `_`, `-` and `.`: the bytes of a field name.
const NAME_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric() || matches!(b as u8, b'_' | b'-' | b'.');
        b += 1;
    }
    table
};

/// `name *WSP ":"`: the value part after the colon, the name, and the
/// whitespace before the colon; `None` when the line does not start so.
fn key_colon(input: &str) -> Option<(&str, &str, &str)> {
    let (_, (name, space, _)) = (field_name, space0, char(':'))
        .parse(input.as_bytes())
        .ok()?;
    // The name, the spaces and the colon are ASCII: these are char boundaries.
    let name_end = name.len();
    let colon = name_end + space.len();
    Some((
        input.get(colon + 1..)?,
        input.get(..name_end)?,
        input.get(name_end..colon)?,
    ))
}

/// `1*10DIGIT` and nothing else, as a number (ten digits fit a `u64`).
fn digits(input: &str) -> Option<u64> {
    if input.is_empty() || input.len() > 10 {
        return None;
    }
    input.bytes().try_fold(0u64, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0'))
    })
}

/// `text` without leading spaces and tabs (a byte loop: they are ASCII).
pub(crate) fn trim_wsp_start(text: &str) -> &str {
    let skip = text
        .bytes()
        .take_while(|&b| b == b' ' || b == b'\t')
        .count();
    &text[skip..]
}

/// `text` without trailing spaces and tabs.
pub(crate) fn trim_wsp_end(text: &str) -> &str {
    let skip = text
        .bytes()
        .rev()
        .take_while(|&b| b == b' ' || b == b'\t')
        .count();
    &text[..text.len() - skip]
}

/// 1-based column of byte offset `at` in `line`.
fn column(line: &str, at: usize) -> usize {
    line.get(..at).map_or(at, |prefix| prefix.chars().count()) + 1
}

/// Bytes that may start a P2/P4 problem inside a line: C0 controls other
/// than HTAB (a CR only when not part of the line's CRLF), DEL, and 0xC2, the
/// lead byte of the UTF-8 encoding of a C1 control.
const SUSPECT: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b != 0x09;
        b += 1;
    }
    table[0x7f] = true;
    table[0xc2] = true;
    table
};

/// The end of the line that starts at `start` (the index of its `\n`, or
/// the length of the text) and the index of its first [`SUSPECT`] byte
/// (`usize::MAX` if none). Skips eight bytes at a time while they are all
/// printable ASCII, which is what almost every policy line is made of.
fn line_end(bytes: &[u8], start: usize) -> (usize, usize) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    let mut at = start;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // Top bit of a byte set when it is below 0x20 (`\n` included), or
        // 0x7F and above. Borrows and carries only run upwards from a flagged
        // byte, so the lowest flagged byte is exact.
        let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        let del_or_high = (x | x.wrapping_add(ONES)) & HIGH;
        let flagged = below_space | del_or_high;
        if flagged != 0 {
            // Continue byte by byte from the first flagged byte: usually the
            // `\n` (or the `\r` of `\r\n`) that ends the line.
            at += (flagged.trailing_zeros() / 8) as usize;
            break;
        }
        at += 8;
    }
    let mut first_suspect = usize::MAX;
    while let Some(&b) = bytes.get(at) {
        if b == b'\n' {
            break;
        }
        if SUSPECT[usize::from(b)] && first_suspect == usize::MAX {
            first_suspect = at;
        }
        at += 1;
    }
    (at, first_suspect)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ending {
    Lf,
    CrLf,
}

/// Where a value starts: its line's text and byte offset. The column is
/// only computed for an error.
#[derive(Clone, Copy)]
struct ValueAt<'t> {
    content: &'t str,
    value_start: usize,
}

impl ValueAt<'_> {
    fn column(self) -> usize {
        column(self.content, self.value_start)
    }
}

/// A known field's first occurrence.
struct Seen<'t, T> {
    line: usize,
    raw: &'t str,
    /// The value, when it was valid.
    value: Option<T>,
}

/// An extension's first occurrence.
struct FirstExtension<'t> {
    line: usize,
    raw: &'t str,
}

struct Parser<'t> {
    lenient: bool,
    /// Lint pass: record everything, never stop.
    collect: bool,
    errors: Vec<Error>,
    findings: Vec<Finding>,
    first_ending: Option<Ending>,
    mixed_reported: bool,
    version: Option<Seen<'t, ()>>,
    mode: Option<Seen<'t, Mode>>,
    max_age: Option<Seen<'t, u64>>,
    mx: Vec<MxPattern>,
    mx_lines: Vec<usize>,
    mx_seen: bool,
    mx_failed: bool,
    extensions: Vec<(&'t str, &'t str)>,
    extension_index: HashMap<&'t str, FirstExtension<'t>>,
}

impl<'t> Parser<'t> {
    fn new(options: &ParseOptions, collect: bool) -> Parser<'t> {
        Parser {
            lenient: options.is_lenient(),
            collect,
            errors: Vec::new(),
            findings: Vec::new(),
            first_ending: None,
            mixed_reported: false,
            version: None,
            mode: None,
            max_age: None,
            mx: Vec::new(),
            mx_lines: Vec::new(),
            mx_seen: false,
            mx_failed: false,
            extensions: Vec::new(),
            extension_index: HashMap::new(),
        }
    }

    /// Records an error. Plain parsing stops (`Err`); the lint pass keeps
    /// going (`Ok`), and the caller abandons the current line.
    fn fail(&mut self, error: Error) -> Result<(), Error> {
        if self.collect {
            self.errors.push(error);
            Ok(())
        } else {
            Err(error)
        }
    }

    /// Records a finding, in the lint pass only.
    fn note(&mut self, code: &'static str, line: usize, subject: &str) {
        if self.collect {
            self.findings.push(Finding::new(code, Some(line), subject));
        }
    }

    fn syntax(&mut self, line: usize, column: usize, message: String) -> Result<(), Error> {
        self.fail(Error::new(
            ErrorKind::Syntax,
            Some(line),
            Some(column),
            message,
        ))
    }

    /// Splits `text` into lines (LF or CRLF; SEMANTICS P3, P5) and reads each.
    fn lines(&mut self, text: &'t str) -> Result<(), Error> {
        let bytes = text.as_bytes();
        let mut start = 0;
        let mut number = 0;
        while start < bytes.len() {
            number += 1;
            // One pass to the end of the line that also notes the first byte
            // the P2/P4 check must look at.
            let (end, first_suspect) = line_end(bytes, start);
            let (content_end, ending) = if end == bytes.len() {
                (end, None)
            } else if end > start && bytes[end - 1] == b'\r' {
                (end - 1, Some(Ending::CrLf))
            } else {
                (end, Some(Ending::Lf))
            };
            // `start` and `content_end` sit next to ASCII bytes (or the ends
            // of the text), so they are char boundaries.
            let content = &text[start..content_end];
            if let Some(ending) = ending {
                self.ending(number, content, ending);
            }
            self.line(number, content, first_suspect < content_end)?;
            start = end + 1;
        }
        Ok(())
    }

    /// SEMANTICS P3: notes the first line whose ending differs from the first.
    fn ending(&mut self, number: usize, content: &str, ending: Ending) {
        match self.first_ending {
            None => self.first_ending = Some(ending),
            Some(first) if first != ending && !self.mixed_reported => {
                self.mixed_reported = true;
                self.note("mixed-line-endings", number, content);
            }
            Some(_) => {}
        }
    }

    /// Reads one line (without its terminator), in the order SEMANTICS
    /// Precision gives.
    fn line(&mut self, number: usize, content: &'t str, suspect: bool) -> Result<(), Error> {
        // P2, P4: control characters and bare CR, when the line has a byte
        // that could be one.
        let bytes = content.as_bytes();
        if suspect {
            for (at, &b) in bytes.iter().enumerate() {
                let bad = (b < 0x20 && b != b'\t')
                    || b == 0x7f
                    || (b == 0xc2 && matches!(bytes.get(at + 1), Some(0x80..=0x9f)));
                if bad {
                    let c = content[at..].chars().next().unwrap_or_default();
                    let col = column(content, at);
                    let what = if b == b'\r' {
                        "bare carriage return (CR not followed by LF)".to_owned()
                    } else {
                        format!("control character {c:?}")
                    };
                    return self.syntax(
                        number,
                        col,
                        format!("{what} in the policy on line {number}, column {col}: only tabs and printable text may appear in a line"),
                    );
                }
            }
        }
        // P7: byte order mark.
        let mut start = 0;
        if number == 1 && content.starts_with('\u{feff}') {
            if !self.lenient {
                return self.syntax(
                    1,
                    1,
                    "byte order mark (U+FEFF) at the start of the policy on line 1, column 1: save the file as UTF-8 without a BOM".to_owned(),
                );
            }
            self.note("bom", 1, content);
            start = '\u{feff}'.len_utf8();
        }
        // P6: blank lines.
        let body = &content[start..];
        let key_start = start + (body.len() - trim_wsp_start(body).len());
        if key_start == content.len() {
            if !self.lenient {
                return self.syntax(
                    number,
                    1,
                    format!("blank line {content:?} in the policy on line {number}: every line must be \"name: value\"; remove it"),
                );
            }
            self.note("blank-line", number, content);
            return Ok(());
        }
        // P8: whitespace before the key.
        if key_start > start {
            if !self.lenient {
                let col = column(content, start);
                return self.syntax(
                    number,
                    col,
                    format!("whitespace before the field name in {content:?} on line {number}, column {col}: start the line with the name"),
                );
            }
            self.note("leading-whitespace", number, content);
        }
        // P11: `name:` with a valid name.
        let rest = &content[key_start..];
        let (value_part, name, space) = match key_colon(rest) {
            Some((value_part, name, space)) if name.len() <= 32 => (value_part, name, space),
            parsed => {
                if !self.lenient {
                    let col = column(content, key_start);
                    let why = match parsed {
                        Some(_) => "a field name has at most 32 characters",
                        None if !rest.contains(':') => "expected \"name: value\" and found no ':'",
                        None => "a field name is a letter or digit, then letters, digits, '_', '-' or '.'",
                    };
                    return self.syntax(
                        number,
                        col,
                        format!(
                            "invalid policy line {content:?} on line {number}, column {col}: {why}"
                        ),
                    );
                }
                self.note("invalid-line", number, content);
                return Ok(());
            }
        };
        // P9: whitespace between the name and the colon.
        if !space.is_empty() {
            if !self.lenient {
                let col = column(content, key_start + name.len());
                return self.syntax(
                    number,
                    col,
                    format!("whitespace before ':' after {name:?} on line {number}, column {col}: write \"{name}:\""),
                );
            }
            self.note("space-before-colon", number, content);
        }
        // P10: whitespace around the value is trimmed.
        let value_start = content.len() - value_part.len();
        let value = trim_wsp_start(value_part);
        let value_start = value_start + (value_part.len() - value.len());
        let value = trim_wsp_end(value);
        let at = ValueAt {
            content,
            value_start,
        };
        match name {
            "version" => self.version(number, value, at),
            "mode" => self.mode(number, value, at),
            "max_age" => self.max_age(number, value, at),
            "mx" => self.mx(number, value, at),
            _ => self.extension(number, name, value, at),
        }
    }

    /// SEMANTICS P20: a repeated field is noted, not validated.
    fn repeat(&mut self, number: usize, name: &str, first_line: usize, first_raw: &str, raw: &str) {
        if self.collect {
            let mut finding = Finding::new("duplicate-field", Some(number), name)
                .with_detail(first_line.to_string());
            finding.conflict = first_raw != raw;
            self.findings.push(finding);
        }
    }

    fn version(&mut self, number: usize, value: &'t str, at: ValueAt) -> Result<(), Error> {
        if let Some(first) = &self.version {
            let (line, raw) = (first.line, first.raw);
            self.repeat(number, "version", line, raw, value);
            return Ok(());
        }
        let valid = value == "STSv1";
        self.version = Some(Seen {
            line: number,
            raw: value,
            value: valid.then_some(()),
        });
        if !valid {
            let col = at.column();
            return self.fail(Error::new(
                ErrorKind::InvalidVersion,
                Some(number),
                Some(col),
                format!("invalid version {value:?} on line {number}, column {col}: the only version is \"STSv1\" (case-sensitive)"),
            ));
        }
        Ok(())
    }

    fn mode(&mut self, number: usize, value: &'t str, at: ValueAt) -> Result<(), Error> {
        if let Some(first) = &self.mode {
            let (line, raw) = (first.line, first.raw);
            self.repeat(number, "mode", line, raw, value);
            return Ok(());
        }
        let mode = Mode::from_value(value);
        self.mode = Some(Seen {
            line: number,
            raw: value,
            value: mode,
        });
        if mode.is_none() {
            return self.fail(invalid_mode(value, Some(number), Some(at.column())));
        }
        Ok(())
    }

    fn max_age(&mut self, number: usize, value: &'t str, at: ValueAt) -> Result<(), Error> {
        if let Some(first) = &self.max_age {
            let (line, raw) = (first.line, first.raw);
            self.repeat(number, "max_age", line, raw, value);
            return Ok(());
        }
        self.max_age = Some(Seen {
            line: number,
            raw: value,
            value: None,
        });
        // P15: 1*10DIGIT. Ten digits fit a u64 with room to spare.
        let Some(seconds) = digits(value) else {
            let col = at.column();
            return self.fail(Error::new(
                ErrorKind::InvalidMaxAge,
                Some(number),
                Some(col),
                format!("invalid max_age {value:?} on line {number}, column {col}: expected 1 to 10 digits (seconds)"),
            ));
        };
        // P16: leading zeros.
        if value.len() > 1 && value.starts_with('0') && self.collect {
            self.findings.push(
                Finding::new("max-age-leading-zeros", Some(number), value)
                    .with_detail(seconds.to_string()),
            );
        }
        // P17: above the limit.
        let effective = if seconds > MAX_AGE_LIMIT {
            if !self.lenient {
                let col = at.column();
                return self.fail(Error::new(
                    ErrorKind::MaxAgeAboveLimit,
                    Some(number),
                    Some(col),
                    format!("max_age {value:?} on line {number}, column {col} is above the limit of {MAX_AGE_LIMIT} seconds (one year)"),
                ));
            }
            if self.collect {
                self.findings.push(
                    Finding::new("max-age-above-limit", Some(number), value)
                        .with_detail(MAX_AGE_LIMIT.to_string()),
                );
            }
            MAX_AGE_LIMIT
        } else {
            seconds
        };
        if let Some(seen) = &mut self.max_age {
            seen.value = Some(effective);
        }
        Ok(())
    }

    fn mx(&mut self, number: usize, value: &'t str, at: ValueAt) -> Result<(), Error> {
        self.mx_seen = true;
        let before = self.findings.len();
        match parse_pattern(value, self.lenient, &mut self.findings, self.collect) {
            Ok(pattern) => {
                for finding in &mut self.findings[before..] {
                    finding.line = Some(number);
                }
                self.mx.push(pattern);
                if self.collect {
                    self.mx_lines.push(number);
                }
                Ok(())
            }
            Err(bad) => {
                self.mx_failed = true;
                self.fail(bad.into_error(value, Some(number), at.column()))
            }
        }
    }

    /// SEMANTICS P11, P12, P23, P24: an extension field.
    fn extension(
        &mut self,
        number: usize,
        name: &'t str,
        value: &'t str,
        at: ValueAt,
    ) -> Result<(), Error> {
        let ValueAt {
            content,
            value_start,
        } = at;
        if let Some(first) = self.extension_index.get(name) {
            let (line, raw) = (first.line, first.raw);
            self.repeat(number, name, line, raw, value);
            return Ok(());
        }
        let problem = if value.is_empty() {
            Some((
                value_start,
                format!("the field {name:?} has an empty value"),
            ))
        } else {
            value.find('\t').map(|at| {
                (
                    value_start + at,
                    format!("a tab inside the value of {name:?} is not allowed"),
                )
            })
        };
        if let Some((at, why)) = problem {
            if !self.lenient {
                let col = column(content, at);
                return self.syntax(
                    number,
                    col,
                    format!(
                        "invalid policy line {content:?} on line {number}, column {col}: {why}"
                    ),
                );
            }
            self.note("invalid-line", number, content);
            return Ok(());
        }
        if self.collect {
            let known = ["version", "mode", "max_age", "mx"]
                .into_iter()
                .find(|known| known.eq_ignore_ascii_case(name));
            let finding = match known {
                Some(known) => Finding::new("key-case", Some(number), name).with_detail(known),
                None => Finding::new("unknown-field", Some(number), name),
            };
            self.findings.push(finding);
        }
        self.extension_index.insert(
            name,
            FirstExtension {
                line: number,
                raw: value,
            },
        );
        self.extensions.push((name, value));
        Ok(())
    }

    /// SEMANTICS P19, P21: required fields, checked after the pass.
    fn finish(&mut self) -> Result<(), Error> {
        let missing = [
            ("version", self.version.is_none()),
            ("mode", self.mode.is_none()),
            ("max_age", self.max_age.is_none()),
        ];
        for (name, absent) in missing {
            if absent {
                self.fail(Error::new(
                    ErrorKind::MissingField,
                    None,
                    None,
                    format!("missing field {name:?}: a policy needs \"version\", \"mode\" and \"max_age\""),
                ))?;
            }
        }
        let mode = self.mode.as_ref().and_then(|seen| seen.value);
        if let Some(mode @ (Mode::Enforce | Mode::Testing)) = mode {
            if !self.mx_seen {
                self.fail(Error::new(
                    ErrorKind::MissingMx,
                    None,
                    None,
                    format!(
                        "missing field \"mx\": mode {:?} needs at least one \"mx\" line",
                        mode.as_str()
                    ),
                ))?;
            }
        }
        Ok(())
    }

    /// The policy; call only when the pass found no error.
    fn into_policy(self) -> Policy {
        Policy {
            mode: self.mode.and_then(|seen| seen.value).unwrap_or(Mode::None),
            max_age: self.max_age.and_then(|seen| seen.value).unwrap_or(0),
            mx: self.mx,
            extensions: self
                .extensions
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect(),
        }
    }
}
