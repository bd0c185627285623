//! The `rua` URIs of a TLS-RPT record (RFC 8460 §3), parsed once into
//! their parts with nom:
//!
//! ```text
//! tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
//! tlsrpt-uri = URI   ; RFC 3986, with "!" "," ";" percent-encoded
//! ```
//!
//! The parser functions carry the ABNF rule names (`scheme`,
//! `pct_encoded`, `mailto_to`, `https_host`, …). nom stays inside this
//! file: each parser's failure becomes the byte offset at fault and why,
//! and [`ReportUri::from_str`] and [`rua_list`] turn that into the crate's
//! [`Error`].

use std::fmt;
use std::str::FromStr;

use nom::branch::alt;
use nom::bytes::complete::{tag, take_till, take_until, take_while_m_n, take_while1};
use nom::character::complete::char;
use nom::combinator::recognize;
use nom::multi::many0_count;
use nom::sequence::{preceded, terminated};
use nom::{IResult, Parser};

use crate::Error;
use crate::error::{Cause, Position, RecordWhy, RuaWhy};
use crate::grammar::{trim_wsp_end, trim_wsp_start};
use crate::names::names;
use crate::pass::Place;
use crate::taglist::TagList;

/// The scheme of a [`ReportUri`]: the two RFC 8460 §3 supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UriScheme {
    /// `mailto:`: send the report by email (RFC 8460 §5.3).
    Mailto,
    /// `https:`: POST the report (RFC 8460 §5.4).
    Https,
}

names!(UriScheme, pub fn as_str(by_ref) {
    Mailto => "mailto",
    Https => "https",
});

/// One checked `rua` URI of a TLS-RPT record: a `mailto:` address or an
/// `https:` URL (RFC 8460 §3), kept as written.
///
/// The check: the scheme (case-insensitive) is `mailto` or `https`; every
/// character is one RFC 3986 allows in a URI, with `%` followed by two hex
/// digits, and no unencoded `,`, `!` or `;` (RFC 8460 §3); a `mailto:` URI
/// names an address with a local part, `@` and a domain; an `https:` URI
/// has `//` and a non-empty host.
///
/// ```
/// use mta_sts::tlsrpt::{ReportUri, UriScheme};
///
/// let uri: ReportUri = "https://reports.example.com/v1/tlsrpt".parse()?;
/// assert_eq!(uri.scheme(), UriScheme::Https);
/// let err = "mailto:reports!@example.com".parse::<ReportUri>().unwrap_err();
/// assert_eq!((err.code(), err.column()), ("invalid-rua", Some(15)));
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReportUri {
    text: Box<str>,
    scheme: UriScheme,
    /// Where the target is in `text`: the addresses of a `mailto:` URI
    /// (before any `?`, still percent-encoded), the host of an `https:`
    /// one.
    target: (usize, usize),
}

impl ReportUri {
    /// The URI as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The URI's scheme.
    #[must_use]
    pub fn scheme(&self) -> UriScheme {
        self.scheme
    }

    /// The `to` part of a `mailto:` URI (RFC 6068: addresses separated by
    /// `,`, percent-encoded), `None` for an `https:` URI.
    pub(crate) fn mailto_to(&self) -> Option<&str> {
        (self.scheme == UriScheme::Mailto).then(|| self.target_text())
    }

    fn target_text(&self) -> &str {
        self.text
            .get(self.target.0..self.target.1)
            .unwrap_or_default()
    }
}

impl FromStr for ReportUri {
    type Err = Error;

    /// Checks one URI on its own; errors are `invalid-rua` with the column
    /// in the URI.
    fn from_str(s: &str) -> Result<ReportUri, Error> {
        tlsrpt_uri(s).map_err(|(at, why)| {
            let cause = Cause::InvalidRua {
                uri: s.into(),
                why,
                at: Position::NONE,
            };
            Place::record(s).error(cause, at)
        })
    }
}

impl fmt::Display for ReportUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// `tlsrpt-rua`'s value: `tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)`, starting
/// at byte `start` of the record.
pub(super) fn rua_list(
    list: &TagList<'_>,
    value: &str,
    start: usize,
) -> Result<Vec<ReportUri>, Error> {
    let mut uris = Vec::new();
    let mut offset = 0;
    for part in value.split(',') {
        let uri = trim_wsp_end(trim_wsp_start(part));
        let uri_start = start + offset + (part.len() - trim_wsp_start(part).len());
        if uri.is_empty() {
            return Err(list.error(uri_start, RecordWhy::EmptyRua));
        }
        match tlsrpt_uri(uri) {
            Ok(checked) => uris.push(checked),
            Err((at, why)) => return Err(list.error(uri_start + at, RecordWhy::Rua(why))),
        }
        offset += part.len() + 1;
    }
    Ok(uris)
}

/// `tlsrpt-uri`: one URI; on failure, the byte offset at fault and why.
fn tlsrpt_uri(uri: &str) -> Result<ReportUri, (usize, RuaWhy)> {
    let Ok((hier_part, scheme_text)) = scheme(uri) else {
        return Err((0, RuaWhy::NoScheme { uri: uri.into() }));
    };
    let scheme = if scheme_text.eq_ignore_ascii_case("mailto") {
        UriScheme::Mailto
    } else if scheme_text.eq_ignore_ascii_case("https") {
        UriScheme::Https
    } else {
        return Err((
            0,
            RuaWhy::Scheme {
                uri: uri.into(),
                scheme: scheme_text.into(),
            },
        ));
    };
    let start = uri.len() - hier_part.len();
    // Every character: the run `uri_chars` reads stops at the first one
    // that is not, and that one says what is wrong.
    let rest = uri_chars(hier_part).map_or(hier_part, |(rest, _)| rest);
    if let Some(c) = rest.chars().next() {
        let at = uri.len() - rest.len();
        let uri = uri.into();
        let why = match c {
            '%' => RuaWhy::Percent { uri },
            ',' | '!' | ';' => RuaWhy::MustEncode { uri, c },
            _ => RuaWhy::NotUriChar { uri, c },
        };
        return Err((at, why));
    }
    let target = match scheme {
        UriScheme::Mailto => mailto_to(hier_part).ok().filter(|&(_, to)| {
            to.rsplit_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
        }),
        UriScheme::Https => https_host(hier_part)
            .ok()
            .filter(|(_, host)| !host.is_empty()),
    };
    let Some((_, target)) = target else {
        let uri = uri.into();
        let why = match scheme {
            UriScheme::Mailto => RuaWhy::NoAddress { uri },
            UriScheme::Https => RuaWhy::NoHost { uri },
        };
        return Err((start, why));
    };
    // `target` is a slice of `uri`.
    let target_start = target.as_ptr() as usize - uri.as_ptr() as usize;
    Ok(ReportUri {
        text: uri.into(),
        scheme,
        target: (target_start, target_start + target.len()),
    })
}

/// `scheme ":"` (RFC 3986 §3.1): the text before the first colon (checked
/// against the two schemes by the caller).
fn scheme(input: &str) -> IResult<&str, &str> {
    terminated(take_until(":"), char(':')).parse(input)
}

/// The URI characters after the scheme: `pct-encoded` and the RFC 3986
/// characters other than the three RFC 8460 §3 wants encoded.
fn uri_chars(input: &str) -> IResult<&str, usize> {
    many0_count(alt((pct_encoded, take_while1(is_unencoded_char)))).parse(input)
}

/// `pct-encoded = "%" HEXDIG HEXDIG` (RFC 3986 §2.1).
fn pct_encoded(input: &str) -> IResult<&str, &str> {
    recognize(preceded(
        char('%'),
        take_while_m_n(2, 2, |c: char| c.is_ascii_hexdigit()),
    ))
    .parse(input)
}

/// `to` of RFC 6068's `mailtoURI = "mailto:" [ to ] [ hfields ]`: up to
/// the `?` that starts the header fields.
fn mailto_to(hier_part: &str) -> IResult<&str, &str> {
    take_till(|c| c == '?').parse(hier_part)
}

/// The `host` of `"//" authority` (RFC 3986 §3.2): the authority runs to
/// the first `/`, `?` or `#`; the host follows any `userinfo@` and comes
/// before any `:port` (an IP literal `[…]` is kept whole).
fn https_host(hier_part: &str) -> IResult<&str, &str> {
    let (rest, authority) =
        preceded(tag("//"), take_till(|c| matches!(c, '/' | '?' | '#'))).parse(hier_part)?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        host_port
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    Ok((rest, host))
}

/// RFC 3986 `unreserved / gen-delims / sub-delims` without `,`, `!` and
/// `;` (RFC 8460 §3; `%` is [`pct_encoded`]'s).
fn is_unencoded_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '-' | '.'
                | '_'
                | '~'
                | ':'
                | '/'
                | '?'
                | '#'
                | '['
                | ']'
                | '@'
                | '$'
                | '&'
                | '\''
                | '('
                | ')'
                | '*'
                | '+'
                | '='
        )
}
