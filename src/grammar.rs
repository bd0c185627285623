//! Grammar pieces the policy and TXT record parsers share: field names,
//! `name:`, whitespace (P8–P10, and P10b's Unicode spaces), digits, and
//! quoting for messages.

/// The longest field name: `(ALPHA / DIGIT) *31(…)`.
pub(crate) const MAX_NAME_LEN: usize = 32;

/// Whether `name` is a whole valid field name of at most 32 characters.
pub(crate) fn is_field_name(name: &str) -> bool {
    name_len(name) == Some(name.len())
}

/// The length of the field name at the start of `input`, if there is one
/// of at most 32 characters.
#[inline]
pub(crate) fn name_len(input: &str) -> Option<usize> {
    name_len_bytes(input.as_bytes())
}

/// [`name_len`] on bytes.
#[inline]
pub(crate) fn name_len_bytes(input: &[u8]) -> Option<usize> {
    let len = name_end(input)?;
    (len <= MAX_NAME_LEN).then_some(len)
}

/// A field name, `(ALPHA / DIGIT) *(ALPHA / DIGIT / "_" / "-" / ".")`, the
/// same for policy fields and TXT record tags (RFC 8461 §3.1, §3.2; RFC
/// 8460 §3): the length of the name at the start of `bytes`, of any length
/// (callers check the 32-character limit). A byte loop over a table: every
/// name byte is ASCII, and this runs once per line of every policy.
#[inline]
fn name_end(bytes: &[u8]) -> Option<usize> {
    if !bytes.first()?.is_ascii_alphanumeric() {
        return None;
    }
    Some(
        bytes
            .iter()
            .position(|&b| !is_name_byte(b))
            .unwrap_or(bytes.len()),
    )
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

/// A line's `name *WSP ":"` start: the name, the whitespace before the
/// colon, and the byte offset just after the colon.
pub(crate) struct KeyColon<'t> {
    pub(crate) name: &'t str,
    pub(crate) space: &'t str,
    pub(crate) value_start: usize,
}

/// Reads `name *WSP ":"` at the start of `input`. The whitespace may hold
/// P10b Unicode spaces (the caller decides what they mean); `None` when
/// the line does not start so.
#[inline]
pub(crate) fn key_colon(input: &str) -> Option<KeyColon<'_>> {
    let name_end = name_end(input.as_bytes())?;
    // The name is ASCII, so `name_end` is a char boundary.
    let after = &input[name_end..];
    let mut colon = name_end + (after.len() - trim_wsp_start(after).len());
    if input.as_bytes().get(colon).is_some_and(|&b| b >= 0x80) {
        // Only Unicode spaces may continue the run (P10b).
        colon += space_len(&input[colon..]);
    }
    (input.as_bytes().get(colon) == Some(&b':')).then(|| KeyColon {
        name: &input[..name_end],
        space: &input[name_end..colon],
        value_start: colon + 1,
    })
}

/// A space or a tab.
#[inline]
pub(crate) fn is_wsp_byte(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// `text` without leading spaces and tabs (a byte loop: they are ASCII).
/// On every line of every policy: this index loop (with `trim_wsp_end`'s)
/// took the typical policy from 4 539 to 4 362 instructions under callgrind
/// against the iterator-chain form (`take_while().count()`).
pub(crate) fn trim_wsp_start(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut skip = 0;
    while skip < bytes.len() && is_wsp_byte(bytes[skip]) {
        skip += 1;
    }
    // Spaces and tabs are ASCII, so `skip` is a char boundary.
    text.get(skip..).unwrap_or_default()
}

/// `text` without trailing spaces and tabs.
pub(crate) fn trim_wsp_end(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    while end > 0 && is_wsp_byte(bytes[end - 1]) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

/// The name of a P10b Unicode space, or `None` for any other character:
/// U+00A0, U+2000–U+200A, U+202F, U+205F, U+3000.
pub(crate) fn unicode_space(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{a0}' => "no-break space",
        '\u{2000}' => "en quad",
        '\u{2001}' => "em quad",
        '\u{2002}' => "en space",
        '\u{2003}' => "em space",
        '\u{2004}' => "three-per-em space",
        '\u{2005}' => "four-per-em space",
        '\u{2006}' => "six-per-em space",
        '\u{2007}' => "figure space",
        '\u{2008}' => "punctuation space",
        '\u{2009}' => "thin space",
        '\u{200a}' => "hair space",
        '\u{202f}' => "narrow no-break space",
        '\u{205f}' => "medium mathematical space",
        '\u{3000}' => "ideographic space",
        _ => return None,
    })
}

/// The bytes of spaces, tabs and P10b Unicode spaces at the start of `text`.
pub(crate) fn space_len(text: &str) -> usize {
    let ascii = text.len() - trim_wsp_start(text).len();
    if text.as_bytes().get(ascii).is_none_or(|&b| b < 0x80) {
        return ascii;
    }
    text.len()
        - text
            .trim_start_matches(|c| c == ' ' || c == '\t' || unicode_space(c).is_some())
            .len()
}

/// The bytes of spaces, tabs and P10b Unicode spaces at the end of `text`.
pub(crate) fn space_len_end(text: &str) -> usize {
    let ascii = text.len() - trim_wsp_end(text).len();
    if text.len() == ascii || text.as_bytes()[text.len() - ascii - 1] < 0x80 {
        return ascii;
    }
    text.len()
        - text
            .trim_end_matches(|c| c == ' ' || c == '\t' || unicode_space(c).is_some())
            .len()
}

/// The first P10b Unicode space in `text`: its byte offset and its name
/// in words with its article, e.g. `a no-break space (U+00A0)`. Only looks when `text` is not
/// ASCII.
pub(crate) fn find_unicode_space(text: &str) -> Option<(usize, String)> {
    if text.is_ascii() {
        return None;
    }
    text.char_indices().find_map(|(at, c)| {
        unicode_space(c).map(|name| {
            let name = crate::message::with_article(name);
            (at, format!("{name} (U+{:04X})", u32::from(c)))
        })
    })
}

/// `1*10DIGIT` and nothing else, as a number (ten digits fit a `u64`).
pub(crate) fn digits(input: &str) -> Option<u64> {
    if input.is_empty() || input.len() > 10 {
        return None;
    }
    input.bytes().try_fold(0u64, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0'))
    })
}

// The one quote helper lives with the other message words.
pub(crate) use crate::message::quote;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_colon_reads_names_spaces_and_unicode_spaces() {
        let key = key_colon("max_age: 1").unwrap();
        assert_eq!((key.name, key.space, key.value_start), ("max_age", "", 8));
        let key = key_colon("mode \t: none").unwrap();
        assert_eq!((key.name, key.space, key.value_start), ("mode", " \t", 7));
        let key = key_colon("mode\u{a0}: none").unwrap();
        assert_eq!((key.name, key.space), ("mode", "\u{a0}"));
        assert!(key_colon("mode none").is_none());
        assert!(key_colon("_x: y").is_none());
        assert!(key_colon("modeé: y").is_none());
    }

    #[test]
    fn unicode_spaces_are_named_with_their_article() {
        assert_eq!(
            find_unicode_space("x\u{202f}"),
            Some((1, "a narrow no-break space (U+202F)".to_owned()))
        );
    }
}
