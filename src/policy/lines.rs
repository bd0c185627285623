//! Splitting a policy into lines (SEMANTICS P3, P5) and the check for
//! control characters and bare CRs inside a line (P2, P4). The same scan
//! recognises the shape almost every policy line has ([`Simple`]), so that
//! the line grammar does not read those bytes again.

use super::KnownField;
use crate::Error;
use crate::error::{Cause, Position};
use crate::grammar::{is_wsp_byte, name_len_bytes};
use crate::pass::Place;

/// A line's terminator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ending {
    Lf,
    CrLf,
}

/// One line of the text, without its terminator.
pub(super) struct RawLine<'t> {
    /// 1-based line number.
    pub(super) number: usize,
    pub(super) content: &'t str,
    /// `None` for a last line without a terminator (P5).
    pub(super) ending: Option<Ending>,
    /// Whether the line holds a byte [`check_controls`] must look at.
    pub(super) suspect: bool,
    /// The line's `name: value` parts, when it has the common shape.
    pub(super) simple: Option<Simple>,
}

/// A line of the shape almost every policy line has: a field name of at
/// most 32 characters right at the start (P11), `:` right after it, spaces
/// or tabs, then a value of printable ASCII without spaces that runs to the
/// line's end. Such a line has nothing for P2, P4, P6–P10b to report, and
/// its value needs no trimming: the line grammar takes the parts as they
/// are. Every other line goes through the whole grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Simple {
    /// The name's length (the name is `content[..name_len]`).
    pub(super) name_len: usize,
    /// The field RFC 8461 defines that the name is, if any.
    pub(super) known: Option<KnownField>,
    /// Where the value starts; it runs to the end of the content.
    pub(super) value_start: usize,
}

/// The lines of a text: LF or CRLF ends a line, a mix is fine (P3), and the
/// last line needs no terminator (P5). An empty text has no lines.
pub(super) struct Lines<'t> {
    text: &'t str,
    start: usize,
    number: usize,
}

impl<'t> Lines<'t> {
    pub(super) fn new(text: &'t str) -> Lines<'t> {
        Lines {
            text,
            start: 0,
            number: 0,
        }
    }
}

#[cfg(test)]
impl<'t> Lines<'t> {
    /// Line `number` of `text` as the general scan alone splits it, without
    /// [`Simple`] parts.
    pub(super) fn general(text: &'t str, number: usize) -> RawLine<'t> {
        let bytes = text.as_bytes();
        let mut start = 0;
        for _ in 1..number {
            start = line_end(bytes, start).0 + 1;
        }
        let (end, first_suspect) = line_end(bytes, start);
        let (content_end, ending) = terminator(bytes, start, end);
        RawLine {
            number,
            content: &text[start..content_end],
            ending,
            suspect: first_suspect < content_end,
            simple: None,
        }
    }
}

impl<'t> Iterator for Lines<'t> {
    type Item = RawLine<'t>;

    #[inline]
    fn next(&mut self) -> Option<RawLine<'t>> {
        let bytes = self.text.as_bytes();
        let start = self.start;
        if start >= bytes.len() {
            return None;
        }
        self.number += 1;
        // The common shape first; the general scan picks up where it
        // stopped: the bytes before that are name bytes, `:`, spaces, tabs
        // and printable ASCII, none of them a line end or suspect.
        let (simple, resume) = match simple_line(bytes, start) {
            Ok((simple, stop)) => (Some(simple), stop),
            Err(stop) => (None, stop),
        };
        let (simple, end, first_suspect) = match (simple, line_end_at(bytes, resume)) {
            (Some(simple), Some(end)) => (Some(simple), end, usize::MAX),
            _ => {
                let (end, first_suspect) = line_end(bytes, resume);
                (None, end, first_suspect)
            }
        };
        let (content_end, ending) = terminator(bytes, start, end);
        self.start = end + 1;
        Some(RawLine {
            number: self.number,
            // `start` and `content_end` sit next to ASCII bytes (or the
            // ends of the text), so they are char boundaries.
            content: &self.text[start..content_end],
            ending,
            suspect: first_suspect < content_end,
            simple,
        })
    }
}

/// The end of the content of the line from `start` to `end` (its `\n`, or
/// the end of the text), and the line's terminator.
fn terminator(bytes: &[u8], start: usize, end: usize) -> (usize, Option<Ending>) {
    if end == bytes.len() {
        (end, None)
    } else if end > start && bytes[end - 1] == b'\r' {
        (end - 1, Some(Ending::CrLf))
    } else {
        (end, Some(Ending::Lf))
    }
}

/// When a line's content ends at `at` (the end of the text, `\n`, or the
/// `\r` of `\r\n`): the line's end as [`line_end`] gives it (the index of
/// the `\n`, or the length of the text).
#[inline]
fn line_end_at(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at) {
        None | Some(b'\n') => Some(at),
        Some(b'\r') if bytes.get(at + 1) == Some(&b'\n') => Some(at + 1),
        Some(_) => None,
    }
}

/// Reads a [`Simple`] line's parts from `start`: the parts and the offset
/// of the byte the value stops at (which must end the line for the shape to
/// hold), or `Err` with the offset where reading stopped.
///
/// A hand-written byte scan, eight value bytes at a time, instead of
/// splitting the line first and running the grammar over it again: the
/// typical policy went from 4 207 to 3 748 instructions per parse under
/// callgrind.
#[inline]
fn simple_line(bytes: &[u8], start: usize) -> Result<(Simple, usize), usize> {
    let rest = bytes.get(start..).unwrap_or_default();
    // P11: a name (it starts with a letter or digit) of at most 32
    // characters, and `:` right after it; one of the RFC's four names is
    // recognised whole.
    let (name_len, known) = match known_key(rest) {
        Some(field) => (field.as_str().len(), Some(field)),
        None => match name_len_bytes(rest) {
            Some(len) if rest.get(len) == Some(&b':') => {
                // A line too short for `known_key` may still hold one.
                let name = std::str::from_utf8(&rest[..len]).unwrap_or_default();
                (len, KnownField::from_name(name))
            }
            _ => return Err(start),
        },
    };
    let mut at = name_len + 1;
    while rest.get(at).is_some_and(|&b| is_wsp_byte(b)) {
        at += 1;
    }
    let value_start = at;
    Ok((
        Simple {
            name_len,
            known,
            value_start,
        },
        start + value_start + printable_len(&rest[value_start..]),
    ))
}

/// The known field whose name and colon start `line`: one compare of the
/// line's first eight bytes for each, where a name scan and a string match
/// took a byte loop (the typical policy: 3 655 to 3 412 instructions per parse
/// under callgrind). A line shorter than eight bytes gets `None`: the name
/// scan reads it.
#[inline]
fn known_key(line: &[u8]) -> Option<KnownField> {
    /// `key` as the low bytes of a little-endian word, and the mask that
    /// keeps that many bytes.
    const fn word(key: &[u8]) -> (u64, u64) {
        let mut word = 0;
        let mut i = 0;
        while i < key.len() {
            word |= (key[i] as u64) << (8 * i);
            i += 1;
        }
        let mask = if key.len() == 8 {
            u64::MAX
        } else {
            (1 << (8 * key.len())) - 1
        };
        (word, mask)
    }
    const KEYS: [(KnownField, (u64, u64)); 4] = [
        (KnownField::Mx, word(b"mx:")),
        (KnownField::Mode, word(b"mode:")),
        (KnownField::Version, word(b"version:")),
        (KnownField::MaxAge, word(b"max_age:")),
    ];
    let mut first = [0u8; 8];
    first.copy_from_slice(line.get(..8)?);
    let first = u64::from_le_bytes(first);
    KEYS.iter()
        .find(|(_, (key, mask))| first & mask == *key)
        .map(|&(field, _)| field)
}

/// The length of the run of printable ASCII other than space (`!` to `~`)
/// at the start of `bytes`, eight bytes at a time.
#[inline]
fn printable_len(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    let mut at = 0;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // Top bit of a byte set when it is below 0x21 or 0x7F and above;
        // exact for the lowest such byte, as in `line_end`.
        let below = x.wrapping_sub(ONES * 0x21) & !x & HIGH;
        let del_or_high = (x | x.wrapping_add(ONES)) & HIGH;
        let flagged = below | del_or_high;
        if flagged != 0 {
            return at + (flagged.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while bytes.get(at).is_some_and(|&b| (0x21..0x7f).contains(&b)) {
        at += 1;
    }
    at
}

/// SEMANTICS P2, P4: the first control character (C0 other than HTAB, DEL,
/// C1) or bare CR in a line is a `syntax` error.
pub(super) fn check_controls(place: Place<'_>) -> Result<(), Error> {
    let content = place.text;
    let bytes = content.as_bytes();
    for (at, &b) in bytes.iter().enumerate() {
        let bad = (b < 0x20 && b != b'\t')
            || b == 0x7f
            || (b == 0xc2 && matches!(bytes.get(at + 1), Some(0x80..=0x9f)));
        if bad {
            let c = content[at..].chars().next().unwrap_or_default();
            let cause = Cause::Control {
                c,
                at: Position::NONE,
            };
            return Err(place.error(cause, at));
        }
    }
    Ok(())
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
