//! The SMTP reply grammar (RFC 5321 §4.2), as a small pure parser: what
//! the STARTTLS probe reads from a server, and what the `smtp_reply` fuzz
//! target feeds with anything.
//!
//! ```text
//! Reply-line = *( Reply-code "-" [ textstring ] CRLF )
//!              Reply-code [ SP textstring ] CRLF
//! Reply-code = %x32-35 %x30-35 %x30-39
//! textstring = 1*(%d09 / %d32-126)
//! ```
//!
//! Bounded: a line is at most [`MAX_LINE`] bytes with its line end, a
//! reply at most [`MAX_LINES`] lines.

use std::fmt;

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while_m_n};
use nom::combinator::{all_consuming, eof, map, value};
use nom::sequence::preceded;
use nom::{IResult, Parser};

/// The longest reply line read, its CRLF included: 512 bytes (RFC 5321
/// §4.5.3.1.5).
pub const MAX_LINE: usize = 512;

/// The most lines one reply may have. RFC 5321 sets no limit; an `EHLO`
/// reply has one line per extension, a few dozen at most.
pub const MAX_LINES: usize = 100;

/// A complete SMTP reply: its code and the text of each line.
///
/// ```
/// use mta_sts_net::smtp::parse_reply;
///
/// let input = b"250-mx.example.com\r\n250-PIPELINING\r\n250 STARTTLS\r\n";
/// let (reply, used) = parse_reply(input)?;
/// assert_eq!((reply.code(), used), (250, input.len()));
/// assert!(reply.has_extension("starttls"));
/// # Ok::<(), mta_sts_net::smtp::ReplyError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    code: u16,
    lines: Vec<String>,
}

impl Reply {
    /// The reply code, `200..=599`.
    #[must_use]
    pub fn code(&self) -> u16 {
        self.code
    }

    /// The text of each line, without the code and separator (bytes that
    /// are not UTF-8 replaced).
    #[must_use]
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// Whether an `EHLO` reply offers the extension `keyword` (compared
    /// case-insensitively): the first word of a line after the first
    /// (RFC 5321 §4.1.1.1).
    #[must_use]
    pub fn has_extension(&self, keyword: &str) -> bool {
        self.lines.iter().skip(1).any(|line| {
            line.split_ascii_whitespace()
                .next()
                .is_some_and(|word| word.eq_ignore_ascii_case(keyword))
        })
    }
}

impl fmt::Display for Reply {
    /// The first line as received: `250 mx.example.com`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.lines.first() {
            Some(text) if !text.is_empty() => write!(f, "{} {text}", self.code),
            _ => write!(f, "{}", self.code),
        }
    }
}

/// Why bytes are not an SMTP reply, naming the line (1-based) and quoting
/// it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("SMTP reply line {line}: {message}")]
pub struct ReplyError {
    line: usize,
    message: String,
}

impl ReplyError {
    fn new(line: usize, message: impl Into<String>) -> ReplyError {
        ReplyError {
            line,
            message: message.into(),
        }
    }

    /// The reply line the error is on, 1-based.
    #[must_use]
    pub fn line(&self) -> usize {
        self.line
    }
}

/// One reply line, its line end removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ReplyLine<'a> {
    code: u16,
    more: bool,
    text: &'a [u8],
}

/// `Reply-code = %x32-35 %x30-35 %x30-39`.
fn reply_code(input: &[u8]) -> IResult<&[u8], u16> {
    let digit = |low: u8, high: u8| {
        map(
            take_while_m_n(1, 1, move |byte: u8| (low..=high).contains(&byte)),
            |digit: &[u8]| u16::from(digit.first().copied().unwrap_or(b'0') - b'0'),
        )
    };
    map(
        (digit(b'2', b'5'), digit(b'0', b'5'), digit(b'0', b'9')),
        |(hundreds, tens, units)| hundreds * 100 + tens * 10 + units,
    )
    .parse(input)
}

/// `textstring = 1*(%d09 / %d32-126)`, tolerating bytes above 126 (UTF-8
/// greetings are common) and an empty text after the separator.
fn textstring(input: &[u8]) -> IResult<&[u8], &[u8]> {
    take_while(|byte: u8| byte == b'\t' || (byte >= 0x20 && byte != 0x7f)).parse(input)
}

/// One line of `Reply-line`: `Reply-code "-" [ textstring ]` (more lines
/// follow) or `Reply-code [ SP textstring ]` (the last line).
fn reply_line(input: &[u8]) -> IResult<&[u8], ReplyLine<'_>> {
    let continued = map(preceded(tag(&b"-"[..]), textstring), |text| (true, text));
    let last = map(preceded(tag(&b" "[..]), textstring), |text| (false, text));
    let bare = value((false, &b""[..]), eof);
    map(
        all_consuming((reply_code, alt((continued, last, bare)))),
        |(code, (more, text))| ReplyLine { code, more, text },
    )
    .parse(input)
}

/// Reply lines gathered one at a time until the last one; the probe feeds
/// it what it reads from the socket.
#[derive(Debug, Default)]
pub(crate) struct ReplyLines {
    code: Option<u16>,
    lines: Vec<String>,
}

impl ReplyLines {
    /// Takes one line (its line end removed); the whole reply once this
    /// was its last line.
    pub(crate) fn push(&mut self, line: &[u8]) -> Result<Option<Reply>, ReplyError> {
        let number = self.lines.len() + 1;
        if number > MAX_LINES {
            return Err(ReplyError::new(
                number,
                format!("the reply has more than {MAX_LINES} lines"),
            ));
        }
        let (_, parsed) = reply_line(line).map_err(|_| {
            ReplyError::new(
                number,
                format!(
                    "{:?} is not a reply line (a code 200-599, then \"-\", a space or the end)",
                    String::from_utf8_lossy(&line[..line.len().min(80)])
                ),
            )
        })?;
        let code = *self.code.get_or_insert(parsed.code);
        if parsed.code != code {
            return Err(ReplyError::new(
                number,
                format!("code {} in a reply that began with {code}", parsed.code),
            ));
        }
        self.lines
            .push(String::from_utf8_lossy(parsed.text).into_owned());
        if parsed.more {
            return Ok(None);
        }
        Ok(Some(Reply {
            code,
            lines: std::mem::take(&mut self.lines),
        }))
    }
}

/// Parses one complete reply from the start of `input`; returns it and
/// the number of bytes it took. Lines end in CRLF (a bare LF is
/// tolerated).
///
/// # Errors
///
/// A line that is not a reply line, longer than [`MAX_LINE`], with another
/// code than the first, more than [`MAX_LINES`] lines, or input that ends
/// before the last line.
pub fn parse_reply(input: &[u8]) -> Result<(Reply, usize), ReplyError> {
    let mut lines = ReplyLines::default();
    let mut used = 0;
    loop {
        let number = lines.lines.len() + 1;
        let rest = &input[used..];
        let window = &rest[..rest.len().min(MAX_LINE)];
        let Some(end) = window.iter().position(|&byte| byte == b'\n') else {
            let message = if rest.len() >= MAX_LINE {
                format!("longer than {MAX_LINE} bytes")
            } else {
                "the input ends before the reply's last line".to_owned()
            };
            return Err(ReplyError::new(number, message));
        };
        let line = &rest[..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        used += end + 1;
        if let Some(reply) = lines.push(line)? {
            return Ok((reply, used));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn error(input: &[u8], expected: &str) {
        let err = parse_reply(input).unwrap_err();
        assert_eq!(err.to_string(), expected, "input {input:?}");
    }

    #[test]
    fn replies() {
        // (input, code, lines, bytes used)
        let rows: &[(&[u8], u16, &[&str], usize)] = &[
            (
                b"220 mx.example.com ESMTP\r\n",
                220,
                &["mx.example.com ESMTP"],
                26,
            ),
            (b"250\r\n", 250, &[""], 5),
            (b"250 \r\n", 250, &[""], 6),
            (
                b"250-a\r\n250-b\r\n250 c\r\nrest",
                250,
                &["a", "b", "c"],
                21,
            ),
            (b"554 no\n", 554, &["no"], 7),
            (b"250-\r\n250 x\r\n", 250, &["", "x"], 13),
        ];
        for &(input, code, lines, used) in rows {
            let (reply, n) = parse_reply(input).unwrap_or_else(|err| panic!("{input:?}: {err}"));
            assert_eq!((reply.code(), n), (code, used), "input {input:?}");
            assert_eq!(reply.lines(), lines, "input {input:?}");
        }
    }

    #[test]
    fn errors() {
        error(
            b"",
            "SMTP reply line 1: the input ends before the reply's last line",
        );
        error(
            b"250-a\r\n",
            "SMTP reply line 2: the input ends before the reply's last line",
        );
        error(
            b"600 x\r\n",
            "SMTP reply line 1: \"600 x\" is not a reply line (a code 200-599, then \"-\", a space or the end)",
        );
        error(
            b"25 x\r\n",
            "SMTP reply line 1: \"25 x\" is not a reply line (a code 200-599, then \"-\", a space or the end)",
        );
        error(
            b"250x\r\n",
            "SMTP reply line 1: \"250x\" is not a reply line (a code 200-599, then \"-\", a space or the end)",
        );
        error(
            b"250-a\r\n220 b\r\n",
            "SMTP reply line 2: code 220 in a reply that began with 250",
        );
        error(&[b'2'; 600], "SMTP reply line 1: longer than 512 bytes");
        let endless = b"250-x\r\n".repeat(200);
        error(
            &endless,
            "SMTP reply line 101: the reply has more than 100 lines",
        );
    }

    #[test]
    fn extensions() {
        let (reply, _) = parse_reply(b"250-mx\r\n250-SIZE 10\r\n250 StartTLS\r\n").unwrap();
        assert!(reply.has_extension("STARTTLS"));
        assert!(reply.has_extension("size"));
        assert!(
            !reply.has_extension("mx"),
            "the first line is the greeting, not an extension"
        );
        assert_eq!(reply.to_string(), "250 mx");
    }
}
