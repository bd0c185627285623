//! The words every message shares: the one way offending text is quoted,
//! and "a" or "an" before a name.

use std::fmt::{self, Write as _};

use crate::grammar::unicode_space;

/// The longest text [`quote_short`] writes, in characters; longer text is
/// cut with `…` so that a message stays one line of reasonable length.
pub(crate) const MAX_QUOTE: usize = 64;

/// `text` in double quotes for a message: escaped as `{:?}` does, except
/// that P10b Unicode spaces are written as themselves (the message names
/// them in words).
pub(crate) fn quote(text: &str) -> Quoted<'_> {
    Quoted { text, max: None }
}

/// As [`quote`], cut after [`MAX_QUOTE`] characters, for messages that
/// may quote text of any length (lint subjects, report values).
pub(crate) fn quote_short(text: &str) -> Quoted<'_> {
    Quoted {
        text,
        max: Some(MAX_QUOTE),
    }
}

/// See [`quote`].
pub(crate) struct Quoted<'a> {
    text: &'a str,
    max: Option<usize>,
}

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cut = self
            .max
            .and_then(|max| self.text.char_indices().nth(max))
            .map(|(at, _)| at);
        f.write_char('"')?;
        for c in self.text[..cut.unwrap_or(self.text.len())].chars() {
            if unicode_space(c).is_some() {
                f.write_char(c)?;
            } else {
                for escaped in c.escape_debug() {
                    f.write_char(escaped)?;
                }
            }
        }
        f.write_char('"')?;
        if cut.is_some() {
            f.write_char('…')?;
        }
        Ok(())
    }
}

/// `words` after "a" or "an", by how they are read aloud: a lowercase
/// word by its first letter (`an en space`, `a no-break space`), an
/// acronym by its first letter's name (`an STS TXT record`, `a TLS-RPT
/// record`).
pub(crate) fn with_article(words: &str) -> String {
    let mut letters = words.chars();
    let first = letters.next().unwrap_or_default();
    let acronym =
        first.is_ascii_uppercase() && letters.next().is_some_and(|c| c.is_ascii_uppercase());
    let an = if acronym {
        "AEFHILMNORSX".contains(first)
    } else {
        "aeiouAEIOU".contains(first)
    };
    format!("{} {words}", if an { "an" } else { "a" })
}

/// Where the first byte that is not UTF-8 sits in `bytes`, whose first
/// `valid` bytes are UTF-8 (`Utf8Error::valid_up_to`): its 1-based line
/// and column (in characters), and the byte. The one place policies and TXT
/// records locate it.
pub(crate) fn invalid_utf8(bytes: &[u8], valid: usize) -> (usize, usize, u8) {
    let prefix = bytes.get(..valid).unwrap_or(bytes);
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = prefix
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    // The prefix is UTF-8; the fallback keeps the path panic-free all the same.
    let column = std::str::from_utf8(&prefix[line_start..])
        .map_or(prefix.len() - line_start, |s| s.chars().count())
        + 1;
    (line, column, bytes.get(valid).copied().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_keeps_unicode_spaces_escapes_controls_and_cuts_long_text() {
        assert_eq!(quote("a\u{a0}b\t\"").to_string(), "\"a\u{a0}b\\t\\\"\"");
        let long = "x".repeat(MAX_QUOTE + 1);
        assert_eq!(quote(&long).to_string(), format!("\"{long}\""));
        assert_eq!(
            quote_short(&long).to_string(),
            format!("\"{}\"…", &long[..MAX_QUOTE])
        );
        assert_eq!(quote_short("short").to_string(), "\"short\"");
    }

    #[test]
    fn invalid_utf8_is_located_by_line_and_column() {
        let bytes = b"ab\n\xc3\xa9x\xff";
        // `a`, `b`, LF, `é` (two bytes) and `x` are UTF-8: 6 bytes.
        assert_eq!(invalid_utf8(bytes, 6), (2, 3, 0xff));
        assert_eq!(invalid_utf8(b"\xfe", 0), (1, 1, 0xfe));
    }

    #[test]
    fn articles_follow_the_sound() {
        for (words, expected) in [
            ("en space", "an en space"),
            ("ideographic space", "an ideographic space"),
            ("no-break space", "a no-break space"),
            ("STS TXT record", "an STS TXT record"),
            ("TLS-RPT record", "a TLS-RPT record"),
        ] {
            assert_eq!(with_article(words), expected);
        }
    }
}
