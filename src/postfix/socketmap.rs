//! The socketmap protocol as a bounded codec (SEMANTICS F11): netstrings
//! (`LEN:DATA,`), requests `NAME KEY`, replies `OK data`, `NOTFOUND `,
//! `TEMP reason`, `TIMEOUT reason`, `PERM reason`.
//!
//! The decoders are incremental: give them what has arrived; they answer
//! [`Decoded::NeedMore`], or one message and the bytes it took, or an
//! error. They read at most the digits of the length bound before refusing
//! a length, never allocate for a length they have not checked, and never
//! panic.

use std::fmt;

use nom::Parser;
use nom::bytes::streaming::{take, take_while_m_n};
use nom::character::streaming::char;

/// The longest request payload (`NAME KEY`) the decoder accepts, in bytes:
/// the query limit of Postfix's socketmap client (`socketmap_table(5)`);
/// a TLS policy key is a next hop, far shorter.
pub const MAX_REQUEST_LEN: usize = 10_000;

/// The longest reply payload the encoder writes and [`decode_response`]
/// accepts, in bytes: Postfix's socketmap client refuses longer replies
/// (`socketmap_max_reply`, default 100000, `socketmap_table(5)`).
pub const MAX_REPLY_LEN: usize = 100_000;

/// The most bytes a caller ever buffers for one request before the decoder
/// answers: the length's digits, `:`, the payload and `,`.
pub const MAX_REQUEST_FRAME_LEN: usize = digits(MAX_REQUEST_LEN) + MAX_REQUEST_LEN + 2;

/// The number of decimal digits of `n`.
const fn digits(mut n: usize) -> usize {
    let mut count = 1;
    while n >= 10 {
        n /= 10;
        count += 1;
    }
    count
}

/// What an incremental decoder made of the bytes so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decoded<T> {
    /// The bytes are a valid start; read more and call again with
    /// everything received.
    NeedMore,
    /// One message, taking the first `consumed` bytes of the buffer; the
    /// rest belongs to the next.
    Done {
        /// The message.
        value: T,
        /// How many bytes of the buffer it took.
        consumed: usize,
    },
}

/// A socketmap request: `NAME KEY`, the map name and the lookup key
/// (`postmap -q KEY socketmap:inet:HOST:PORT:NAME` sends `NAME KEY`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Request<'a> {
    name: &'a str,
    key: &'a str,
}

impl<'a> Request<'a> {
    /// A request, or `None` when `name` is empty or holds a space or `key`
    /// is empty (neither could be decoded back).
    #[must_use]
    pub fn new(name: &'a str, key: &'a str) -> Option<Request<'a>> {
        (!name.is_empty() && !name.contains(' ') && !key.is_empty())
            .then_some(Request { name, key })
    }

    /// The map name (the last part of `socketmap:…:NAME`).
    #[must_use]
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The lookup key: everything after the first space.
    #[must_use]
    pub fn key(&self) -> &'a str {
        self.key
    }

    /// Appends the request as a netstring to `out`.
    ///
    /// # Errors
    ///
    /// [`EncodeError`] when the payload is longer than
    /// [`MAX_REQUEST_LEN`]; nothing is written then.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let len = self.name.len() + 1 + self.key.len();
        check_len(len, MAX_REQUEST_LEN)?;
        write_frame(out, len, &[self.name, " ", self.key]);
        Ok(())
    }
}

/// A socketmap reply.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Response {
    /// `OK data`: the lookup found `data`.
    Ok(String),
    /// `NOTFOUND `: no entry for the key.
    NotFound,
    /// `TEMP reason`: a temporary failure; Postfix defers and retries.
    Temp(String),
    /// `TIMEOUT reason`: the server ran out of time; Postfix defers.
    Timeout(String),
    /// `PERM reason`: a permanent failure, such as a malformed request.
    Perm(String),
}

impl Response {
    /// The status word and the text after it.
    fn parts(&self) -> (&'static str, &str) {
        match self {
            Response::Ok(data) => ("OK", data),
            Response::NotFound => ("NOTFOUND", ""),
            Response::Temp(reason) => ("TEMP", reason),
            Response::Timeout(reason) => ("TIMEOUT", reason),
            Response::Perm(reason) => ("PERM", reason),
        }
    }

    /// Appends the reply as a netstring to `out`.
    ///
    /// ```
    /// use mta_sts::postfix::socketmap::Response;
    ///
    /// let mut out = Vec::new();
    /// Response::NotFound.encode(&mut out)?;
    /// Response::Ok("secure match=mx.example.com".into()).encode(&mut out)?;
    /// assert_eq!(out, b"9:NOTFOUND ,30:OK secure match=mx.example.com,");
    /// # Ok::<(), mta_sts::postfix::socketmap::EncodeError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`EncodeError`] when the payload is longer than [`MAX_REPLY_LEN`]
    /// (Postfix would refuse it); nothing is written then. Answer `PERM`
    /// or `TEMP` with a short reason instead.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let (word, text) = self.parts();
        let len = word.len() + 1 + text.len();
        check_len(len, MAX_REPLY_LEN)?;
        write_frame(out, len, &[word, " ", text]);
        Ok(())
    }
}

impl fmt::Display for Response {
    /// The payload: `OK data`, `NOTFOUND `, `TEMP reason`, ….
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (word, text) = self.parts();
        write!(f, "{word} {text}")
    }
}

fn check_len(len: usize, limit: usize) -> Result<(), EncodeError> {
    if len > limit {
        return Err(EncodeError { len, limit });
    }
    Ok(())
}

fn write_frame(out: &mut Vec<u8>, len: usize, parts: &[&str]) {
    out.extend_from_slice(len.to_string().as_bytes());
    out.push(b':');
    for part in parts {
        out.extend_from_slice(part.as_bytes());
    }
    out.push(b',');
}

/// A message too long to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("socketmap payload of {len} bytes is longer than the {limit} the peer accepts")]
pub struct EncodeError {
    len: usize,
    limit: usize,
}

/// Decodes one request from the start of `buf` (SEMANTICS F11).
///
/// ```
/// use mta_sts::postfix::socketmap::{decode_request, Decoded};
///
/// let buf = b"19:postfix example.com,";
/// assert_eq!(decode_request(&buf[..10]), Ok(Decoded::NeedMore));
/// let Ok(Decoded::Done { value, consumed }) = decode_request(buf) else { panic!() };
/// assert_eq!((value.name(), value.key(), consumed), ("postfix", "example.com", 23));
///
/// let err = decode_request(b"1000000000000:postfix example.com,").unwrap_err();
/// assert_eq!(err.consumed(), None); // framing lost: answer PERM, then close
/// # Ok::<(), mta_sts::postfix::socketmap::DecodeError>(())
/// ```
///
/// # Errors
///
/// [`DecodeError`]: a length that is not a number, has a leading zero or
/// exceeds [`MAX_REQUEST_LEN`] (refused after at most its digits plus
/// one), a missing `:` or `,` — after these the stream cannot be
/// resynchronised ([`DecodeError::consumed`] is `None`): answer `PERM` and
/// close. A well-framed payload that is not UTF-8 or not `NAME KEY` has
/// `consumed` set: answer `PERM` and go on after those bytes.
pub fn decode_request(buf: &[u8]) -> Result<Decoded<Request<'_>>, DecodeError> {
    let Some((text, consumed)) = text_frame(buf, MAX_REQUEST_LEN)? else {
        return Ok(Decoded::NeedMore);
    };
    let request = text
        .split_once(' ')
        .and_then(|(name, key)| Request::new(name, key))
        .ok_or(DecodeError::content(DecodeErrorKind::NotNameKey, consumed))?;
    Ok(Decoded::Done {
        value: request,
        consumed,
    })
}

/// Decodes one reply from the start of `buf`: what Postfix's client does,
/// for tests and tools.
///
/// ```
/// use mta_sts::postfix::socketmap::{decode_response, Decoded, Response};
///
/// let decoded = decode_response(b"9:NOTFOUND ,")?;
/// assert_eq!(decoded, Decoded::Done { value: Response::NotFound, consumed: 12 });
/// # Ok::<(), mta_sts::postfix::socketmap::DecodeError>(())
/// ```
///
/// # Errors
///
/// The framing errors of [`decode_request`] (with [`MAX_REPLY_LEN`] as the
/// bound), a payload that is not UTF-8, and a status word other than `OK`,
/// `NOTFOUND`, `TEMP`, `TIMEOUT`, `PERM`.
pub fn decode_response(buf: &[u8]) -> Result<Decoded<Response>, DecodeError> {
    let Some((text, consumed)) = text_frame(buf, MAX_REPLY_LEN)? else {
        return Ok(Decoded::NeedMore);
    };
    let (word, rest) = text.split_once(' ').unwrap_or((text, ""));
    let value = match word {
        "OK" => Response::Ok(rest.to_owned()),
        "NOTFOUND" => Response::NotFound,
        "TEMP" => Response::Temp(rest.to_owned()),
        "TIMEOUT" => Response::Timeout(rest.to_owned()),
        "PERM" => Response::Perm(rest.to_owned()),
        _ => {
            return Err(DecodeError::content(
                DecodeErrorKind::UnknownStatus,
                consumed,
            ));
        }
    };
    Ok(Decoded::Done { value, consumed })
}

/// A frame's payload as UTF-8 and the bytes the frame took; `None` while
/// more bytes are needed.
fn text_frame(buf: &[u8], limit: usize) -> Result<Option<(&str, usize)>, DecodeError> {
    let Decoded::Done { value, consumed } = frame(buf, limit)? else {
        return Ok(None);
    };
    let text = std::str::from_utf8(value)
        .map_err(|_| DecodeError::content(DecodeErrorKind::NotUtf8, consumed))?;
    Ok(Some((text, consumed)))
}

/// The netstring grammar: `1*DIGIT ":" DATA ","` with no leading zero and
/// a length of at most `limit`; the payload and the bytes taken.
fn frame(buf: &[u8], limit: usize) -> Result<Decoded<&[u8]>, DecodeError> {
    type NomError<'a> = nom::error::Error<&'a [u8]>;
    let framing = |kind| DecodeError {
        kind,
        consumed: None,
    };
    // At most as many digits as the limit has: 10^12 stops after those.
    let (rest, length) =
        match take_while_m_n::<_, _, NomError<'_>>(1, digits(limit), |b: u8| b.is_ascii_digit())
            .parse(buf)
        {
            Ok(parsed) => parsed,
            Err(nom::Err::Incomplete(_)) => return Ok(Decoded::NeedMore),
            Err(_) => return Err(framing(DecodeErrorKind::LengthNotANumber)),
        };
    if length.len() > 1 && length[0] == b'0' {
        return Err(framing(DecodeErrorKind::LengthLeadingZero));
    }
    // At most `digits(limit)` digits: no overflow.
    let len = length
        .iter()
        .fold(0usize, |n, &d| n * 10 + usize::from(d - b'0'));
    let rest = match char::<_, NomError<'_>>(':').parse(rest) {
        Ok((rest, _)) => rest,
        Err(nom::Err::Incomplete(_)) => return Ok(Decoded::NeedMore),
        Err(_) if rest.first().is_some_and(u8::is_ascii_digit) => {
            return Err(framing(DecodeErrorKind::LengthAboveLimit));
        }
        Err(_) => return Err(framing(DecodeErrorKind::MissingColon)),
    };
    if len > limit {
        return Err(framing(DecodeErrorKind::LengthAboveLimit));
    }
    // Streaming `take` fails only with `Incomplete`.
    let Ok((rest, payload)) = take::<_, _, NomError<'_>>(len).parse(rest) else {
        return Ok(Decoded::NeedMore);
    };
    let rest = match char::<_, NomError<'_>>(',').parse(rest) {
        Ok((rest, _)) => rest,
        Err(nom::Err::Incomplete(_)) => return Ok(Decoded::NeedMore),
        Err(_) => return Err(framing(DecodeErrorKind::MissingComma)),
    };
    Ok(Decoded::Done {
        value: payload,
        consumed: buf.len() - rest.len(),
    })
}

/// Why bytes are not a socketmap message (SEMANTICS F11).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct DecodeError {
    kind: DecodeErrorKind,
    consumed: Option<usize>,
}

impl DecodeError {
    /// A refused payload in a well-formed frame of `consumed` bytes.
    fn content(kind: DecodeErrorKind, consumed: usize) -> DecodeError {
        DecodeError {
            kind,
            consumed: Some(consumed),
        }
    }

    /// What is wrong.
    #[must_use]
    pub fn kind(&self) -> DecodeErrorKind {
        self.kind
    }

    /// For a well-framed message whose payload is refused, the bytes it
    /// took: answer `PERM` and decode the rest. `None` when the framing
    /// itself is broken: answer `PERM`, then close the connection.
    #[must_use]
    pub fn consumed(&self) -> Option<usize> {
        self.consumed
    }
}

/// The kinds of [`DecodeError`]; each displays as the error's message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The first byte is not a digit.
    #[error("malformed netstring: the length does not start with a digit")]
    LengthNotANumber,
    /// A length of more than one digit starting with `0`.
    #[error("malformed netstring: the length has a leading zero")]
    LengthLeadingZero,
    /// A length above the bound, refused after its digits (at most one
    /// more than the bound has).
    #[error("netstring length above the limit (10000 bytes for a request, 100000 for a reply)")]
    LengthAboveLimit,
    /// No `:` after the length.
    #[error("malformed netstring: no ':' after the length")]
    MissingColon,
    /// No `,` after the data.
    #[error("malformed netstring: no ',' after the data")]
    MissingComma,
    /// The payload is not UTF-8.
    #[error("the socketmap payload is not UTF-8")]
    NotUtf8,
    /// A request without a non-empty name, a space and a non-empty key.
    #[error("the socketmap request is not \"NAME KEY\" (a map name, a space, a key)")]
    NotNameKey,
    /// A reply with an unknown status word.
    #[error("the socketmap reply does not start with OK, NOTFOUND, TEMP, TIMEOUT or PERM")]
    UnknownStatus,
}
