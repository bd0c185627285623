//! `rua` URIs (RFC 8460 §3): [`ReportUri`] and its [`UriScheme`], the URI
//! check and the comma-separated `rua` list.

use std::fmt;
use std::str::FromStr;

use crate::grammar::{trim_wsp_end, trim_wsp_start};
use crate::names::names;
use crate::pass::Place;
use crate::taglist::TagList;
use crate::{Error, ErrorKind};

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
}

impl FromStr for ReportUri {
    type Err = Error;

    /// Checks one URI on its own; errors are `invalid-rua` with the column
    /// in the URI.
    fn from_str(s: &str) -> Result<ReportUri, Error> {
        check_uri(s).map_err(|(at, why)| {
            Place::record(s).error(
                Error::new(ErrorKind::InvalidRua, format!("invalid rua URI {s:?}"), why),
                at,
            )
        })
    }
}

impl fmt::Display for ReportUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Checks a URI; on failure, the byte offset at fault and why.
fn check_uri(uri: &str) -> Result<ReportUri, (usize, String)> {
    let Some(colon) = uri.find(':') else {
        return Err((
            0,
            format!("the rua URI {uri:?} has no scheme: expected \"mailto:\" or \"https:\""),
        ));
    };
    let scheme_text = &uri[..colon];
    let scheme = if scheme_text.eq_ignore_ascii_case("mailto") {
        UriScheme::Mailto
    } else if scheme_text.eq_ignore_ascii_case("https") {
        UriScheme::Https
    } else {
        return Err((
            0,
            format!(
                "the rua URI {uri:?} has the scheme {scheme_text:?}: \
                 only mailto: and https: are supported (RFC 8460 §3)"
            ),
        ));
    };
    let bytes = uri.as_bytes();
    let mut i = colon + 1;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(i + 1) && hex(i + 2)) {
                return Err((
                    i,
                    format!("in the rua URI {uri:?}, '%' must be followed by two hex digits"),
                ));
            }
            i += 3;
            continue;
        }
        if matches!(b, b',' | b'!' | b';') {
            return Err((
                i,
                format!(
                    "the rua URI {uri:?} holds {:?}, which must be percent-encoded (RFC 8460 §3)",
                    char::from(b)
                ),
            ));
        }
        if !is_uri_char(b) {
            let c = uri[i..].chars().next().unwrap_or_default();
            return Err((
                i,
                format!("the rua URI {uri:?} holds {c:?}, which a URI may not contain"),
            ));
        }
        i += 1;
    }
    check_target(uri, scheme, colon + 1)?;
    Ok(ReportUri {
        text: uri.into(),
        scheme,
    })
}

/// What follows the scheme (from byte `start`): an address for `mailto:`,
/// a host for `https:`.
fn check_target(uri: &str, scheme: UriScheme, start: usize) -> Result<(), (usize, String)> {
    let rest = &uri[start..];
    match scheme {
        UriScheme::Mailto => {
            let to = rest.split('?').next().unwrap_or_default();
            let valid = to
                .rsplit_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
            if !valid {
                return Err((
                    start,
                    format!("the mailto: URI {uri:?} does not name an address (local-part@domain)"),
                ));
            }
        }
        UriScheme::Https => {
            let authority = rest
                .strip_prefix("//")
                .map(|after| after.split(['/', '?', '#']).next().unwrap_or_default());
            let host = authority.map(|authority| {
                let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
                if host_port.starts_with('[') {
                    host_port
                } else {
                    host_port.split(':').next().unwrap_or_default()
                }
            });
            if host.is_none_or(str::is_empty) {
                return Err((
                    start,
                    format!("the https: URI {uri:?} has no host (expected \"https://host/path\")"),
                ));
            }
        }
    }
    Ok(())
}

/// RFC 3986 `unreserved / gen-delims / sub-delims` (`%` is handled apart).
fn is_uri_char(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b':'
                | b'/'
                | b'?'
                | b'#'
                | b'['
                | b']'
                | b'@'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
        )
}

/// `tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)`, starting at byte `start`.
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
            return Err(list.error(
                ErrorKind::InvalidRua,
                uri_start,
                "empty URI in \"rua=\" (a stray or doubled ',')",
            ));
        }
        match check_uri(uri) {
            Ok(checked) => uris.push(checked),
            Err((at, why)) => return Err(list.error(ErrorKind::InvalidRua, uri_start + at, why)),
        }
        offset += part.len() + 1;
    }
    Ok(uris)
}
