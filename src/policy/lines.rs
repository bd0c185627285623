//! Splitting a policy into lines (SEMANTICS P3, P5) and the check for
//! control characters and bare CRs inside a line (P2, P4).

use crate::Error;
use crate::error::{Cause, Position};
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
        let (end, first_suspect) = line_end(bytes, start);
        let (content_end, ending) = if end == bytes.len() {
            (end, None)
        } else if end > start && bytes[end - 1] == b'\r' {
            (end - 1, Some(Ending::CrLf))
        } else {
            (end, Some(Ending::Lf))
        };
        self.start = end + 1;
        Some(RawLine {
            number: self.number,
            // `start` and `content_end` sit next to ASCII bytes (or the
            // ends of the text), so they are char boundaries.
            content: &self.text[start..content_end],
            ending,
            suspect: first_suspect < content_end,
        })
    }
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
