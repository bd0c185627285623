//! SMTP TLS Reporting (RFC 8460): `_smtp._tls` TXT records and the
//! `policy-string` form of a policy for reports.
//!
//! A domain that publishes an MTA-STS policy in `testing` mode learns about
//! failures only through TLS-RPT: senders send reports to the `rua` URIs of
//! its `_smtp._tls` record. [`TlsRptRecord`] parses that record with the
//! same guarantees as the STS parsers: errors with a stable code, the column
//! and the quoted text, a [`Display`](fmt::Display) that parses back to an
//! equal record, and no panic on any input. With the `serde` feature,
//! [`TlsRptRecord`] and [`ReportUri`] serialise as their text and
//! deserialise through `FromStr`.
//!
//! ```
//! use mta_sts::tlsrpt::{TlsRptRecord, UriScheme};
//!
//! let record = TlsRptRecord::from_rrset([
//!     "v=spf1 -all",
//!     "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reports.example.com/v1",
//! ])?;
//! let schemes: Vec<_> = record.rua().iter().map(|uri| uri.scheme()).collect();
//! assert_eq!(schemes, [UriScheme::Mailto, UriScheme::Https]);
//! assert_eq!(
//!     record.to_string(),
//!     "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reports.example.com/v1;"
//! );
//! # Ok::<(), mta_sts::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;

use crate::error::ErrorKind;
use crate::{Error, Policy};

/// The literal version field every TLS-RPT record starts with.
const VERSION: &str = "v=TLSRPTv1";

/// A parsed `_smtp._tls` TXT record (RFC 8460 §3).
///
/// The grammar is RFC 8460's ABNF: `v=TLSRPTv1` first (case-sensitive),
/// then `;`-separated fields with optional spaces or tabs around each `;`,
/// one of which must be `rua=` with one or more comma-separated `mailto:`
/// or `https:` URIs; other `name=value` fields are extensions, kept in
/// order. As for STS records, a repeated field is ignored (the first one
/// wins) and not validated.
///
/// Errors (each with the 1-based column in the record text, and no line):
/// `not-tlsrpt` (does not start with `v=TLSRPTv1` followed by `;`, a space
/// or the end), `missing-rua`, `invalid-rua` (an empty URI, a scheme other
/// than `mailto` or `https`, a character a URI may not hold, or an
/// unencoded `,` or `!`), and `syntax` for anything else (an empty field,
/// a field that is not `name=value`, an invalid extension value, spaces
/// after the last field with no `;`, non-ASCII text).
///
/// ```
/// use mta_sts::tlsrpt::TlsRptRecord;
///
/// let record: TlsRptRecord = "v=TLSRPTv1;rua=mailto:reports@example.com".parse()?;
/// assert_eq!(record.rua()[0].as_str(), "mailto:reports@example.com");
///
/// let err = TlsRptRecord::parse("v=TLSRPTv1; rua=http://reports.example.com/").unwrap_err();
/// assert_eq!((err.code(), err.column()), ("invalid-rua", Some(17)));
/// assert_eq!(
///     err.to_string(),
///     "invalid TLS-RPT record \"v=TLSRPTv1; rua=http://reports.example.com/\" at column 17: \
///      the rua URI \"http://reports.example.com/\" has the scheme \"http\": \
///      only mailto: and https: are supported (RFC 8460 §3)"
/// );
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsRptRecord {
    rua: Vec<ReportUri>,
    extensions: Vec<(String, String)>,
}

impl TlsRptRecord {
    /// Parses one record's text (its character-strings joined with no
    /// separator, RFC 8460 §3).
    pub fn parse(text: &str) -> Result<TlsRptRecord, Error> {
        Parser { text }.record()
    }

    /// Selects and parses the one TLS-RPT record of a `_smtp._tls` TXT
    /// RRset (RFC 8460 §3).
    ///
    /// Each item is one TXT record's text, its strings joined. Records that
    /// do not begin with exactly `v=TLSRPTv1;` are discarded; none left is
    /// `no-record`, more than one is `multiple-records` (even if only one
    /// would parse), and a sender then assumes the domain does not
    /// implement TLS-RPT. Exactly one is parsed; its error is the result.
    ///
    /// ```
    /// use mta_sts::tlsrpt::TlsRptRecord;
    ///
    /// let err = TlsRptRecord::from_rrset(["v=TLSRPTv1 ; rua=mailto:a@example.com"]).unwrap_err();
    /// assert_eq!(err.code(), "no-record");
    /// let err = TlsRptRecord::from_rrset([
    ///     "v=TLSRPTv1; rua=mailto:a@example.com",
    ///     "v=TLSRPTv1; rua=mailto:b@example.com",
    /// ])
    /// .unwrap_err();
    /// assert_eq!(err.code(), "multiple-records");
    /// ```
    pub fn from_rrset<I, S>(records: I) -> Result<TlsRptRecord, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let prefix = "v=TLSRPTv1;";
        let record = crate::rrset::select(records, prefix, |text| text.starts_with(prefix))?;
        TlsRptRecord::parse(record.as_ref())
    }

    /// The report URIs of the `rua` field, in order (at least one).
    pub fn rua(&self) -> &[ReportUri] {
        &self.rua
    }

    /// Extension fields (`name=value`) in order, first occurrence of each
    /// name only.
    ///
    /// ```
    /// let record = mta_sts::tlsrpt::TlsRptRecord::parse("v=TLSRPTv1; rua=mailto:a@example.com; x-note=hi")?;
    /// assert_eq!(record.extensions().collect::<Vec<_>>(), [("x-note", "hi")]);
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    pub fn extensions(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.extensions
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }
}

impl FromStr for TlsRptRecord {
    type Err = Error;

    /// Same as [`TlsRptRecord::parse`].
    fn from_str(s: &str) -> Result<TlsRptRecord, Error> {
        TlsRptRecord::parse(s)
    }
}

impl fmt::Display for TlsRptRecord {
    /// Writes `v=TLSRPTv1; rua=URI,URI;` followed by ` name=value;` per
    /// extension. It parses back to an equal record.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{VERSION}; rua=")?;
        for (i, uri) in self.rua.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(uri.as_str())?;
        }
        f.write_str(";")?;
        for (name, value) in &self.extensions {
            write!(f, " {name}={value};")?;
        }
        Ok(())
    }
}

/// The scheme of a [`ReportUri`]: the two RFC 8460 §3 supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UriScheme {
    /// `mailto:`: send the report by email (RFC 8460 §5.3).
    Mailto,
    /// `https:`: POST the report (RFC 8460 §5.4).
    Https,
}

impl UriScheme {
    /// The scheme in lowercase: `"mailto"` or `"https"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            UriScheme::Mailto => "mailto",
            UriScheme::Https => "https",
        }
    }
}

impl fmt::Display for UriScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The URI's scheme.
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
            let column = s[..at].chars().count() + 1;
            Error::new(
                ErrorKind::InvalidRua,
                None,
                Some(column),
                format!("invalid rua URI {s:?} at column {column}: {why}"),
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
    let rest = &uri[colon + 1..];
    match scheme {
        UriScheme::Mailto => {
            let to = rest.split('?').next().unwrap_or_default();
            let valid = to
                .rsplit_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
            if !valid {
                return Err((
                    colon + 1,
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
                    colon + 1,
                    format!("the https: URI {uri:?} has no host (expected \"https://host/path\")"),
                ));
            }
        }
    }
    Ok(ReportUri {
        text: uri.into(),
        scheme,
    })
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

fn is_wsp(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// `tlsrpt-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")`:
/// the length of the name at the start of `field`, if there is one.
fn field_name_len(field: &str) -> Option<usize> {
    let bytes = field.as_bytes();
    if !bytes.first()?.is_ascii_alphanumeric() {
        return None;
    }
    let len = bytes
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        .count();
    (len <= 32).then_some(len)
}

/// `tlsrpt-ext-value = 1*(%x21-3A / %x3C / %x3E-7E)`
fn is_ext_value_char(b: u8) -> bool {
    matches!(b, 0x21..=0x3a | 0x3c | 0x3e..=0x7e)
}

struct Parser<'t> {
    text: &'t str,
}

impl Parser<'_> {
    fn error(&self, kind: ErrorKind, at: usize, why: &str) -> Error {
        let column = self.text[..at].chars().count() + 1;
        Error::new(
            kind,
            None,
            Some(column),
            format!(
                "invalid TLS-RPT record {:?} at column {column}: {why}",
                self.text
            ),
        )
    }

    fn record(self) -> Result<TlsRptRecord, Error> {
        let text = self.text;
        let rest = match text.strip_prefix(VERSION) {
            Some(rest) if rest.is_empty() || rest.starts_with([';', ' ', '\t']) => rest,
            _ => {
                return Err(self.error(
                    ErrorKind::NotTlsRpt,
                    0,
                    "a TLS-RPT record starts with exactly \"v=TLSRPTv1;\" (case-sensitive)",
                ))
            }
        };
        let after_space = rest.trim_start_matches(is_wsp);
        let mut at = text.len() - after_space.len();
        if after_space.is_empty() {
            return Err(self.missing_rua());
        }
        if !after_space.starts_with(';') {
            return Err(self.error(ErrorKind::Syntax, at, "expected ';' after \"v=TLSRPTv1\""));
        }
        at += 1;
        let mut rua: Option<Vec<ReportUri>> = None;
        let mut extensions: Vec<(String, String)> = Vec::new();
        loop {
            let field = text[at..].trim_start_matches(is_wsp);
            at = text.len() - field.len();
            if field.is_empty() {
                break;
            }
            if field.starts_with(';') {
                return Err(self.error(ErrorKind::Syntax, at, "empty field (two ';' in a row)"));
            }
            let name_len = match field_name_len(field) {
                Some(len) if field[len..].starts_with('=') => len,
                _ => return Err(self.bad_field(at)),
            };
            let name = &field[..name_len];
            let value_start = at + name_len + 1;
            let region_end = text[value_start..]
                .find(';')
                .map_or(text.len(), |i| value_start + i);
            let value = text[value_start..region_end].trim_end_matches(is_wsp);
            let value_end = value_start + value.len();
            if let Some(bad) = value.find(|c: char| !c.is_ascii()) {
                return Err(self.error(
                    ErrorKind::Syntax,
                    value_start + bad,
                    "only ASCII is allowed in a TLS-RPT record",
                ));
            }
            let repeat = match name {
                "v" => true,
                "rua" => rua.is_some(),
                _ => extensions.iter().any(|(n, _)| n == name),
            };
            if repeat {
                // First wins; a repeat is ignored without being validated.
            } else if name == "rua" {
                rua = Some(self.rua_list(value, value_start)?);
            } else {
                if let Some(bad) = value
                    .bytes()
                    .position(|b| !is_ext_value_char(b))
                    .or(value.is_empty().then_some(0))
                {
                    return Err(self.error(
                        ErrorKind::Syntax,
                        value_start + bad,
                        &format!(
                            "invalid value for {name:?}: an extension value is one or more \
                             printable characters other than '=', ';' and space"
                        ),
                    ));
                }
                extensions.push((name.to_owned(), value.to_owned()));
            }
            if region_end == text.len() {
                if value_end < text.len() {
                    return Err(self.error(
                        ErrorKind::Syntax,
                        value_end,
                        "whitespace after the last field: remove it or end the record with ';'",
                    ));
                }
                break;
            }
            at = region_end + 1;
        }
        let Some(rua) = rua else {
            return Err(self.missing_rua());
        };
        Ok(TlsRptRecord { rua, extensions })
    }

    fn missing_rua(&self) -> Error {
        self.error(
            ErrorKind::MissingRua,
            0,
            "the record has no \"rua=\" field: reports would go nowhere",
        )
    }

    /// `tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)`, starting at byte `start`.
    fn rua_list(&self, value: &str, start: usize) -> Result<Vec<ReportUri>, Error> {
        let mut uris = Vec::new();
        let mut offset = 0;
        for part in value.split(',') {
            let uri = part.trim_matches(is_wsp);
            let uri_start = start + offset + (part.len() - part.trim_start_matches(is_wsp).len());
            if uri.is_empty() {
                return Err(self.error(
                    ErrorKind::InvalidRua,
                    uri_start,
                    "empty URI in \"rua=\" (a stray or doubled ',')",
                ));
            }
            match check_uri(uri) {
                Ok(checked) => uris.push(checked),
                Err((at, why)) => {
                    return Err(self.error(ErrorKind::InvalidRua, uri_start + at, &why))
                }
            }
            offset += part.len() + 1;
        }
        Ok(uris)
    }

    /// A field that is not `name=value`.
    fn bad_field(&self, at: usize) -> Error {
        let field = &self.text[at..];
        let field = &field[..field.find(';').unwrap_or(field.len())];
        self.error(
            ErrorKind::Syntax,
            at,
            &format!(
                "invalid field {field:?}: expected \"name=value\" with a name of up to 32 \
                 letters, digits, '_', '-' or '.'"
            ),
        )
    }
}

impl Policy {
    /// The policy as RFC 8460 §4.4's `policy-string`: one string per line
    /// of the canonical policy text, for the `policy-string` array of a
    /// TLS-RPT report (§4.5: each `mx` its own element).
    ///
    /// ```
    /// let policy = mta_sts::Policy::parse(
    ///     "version: STSv1\nmode: testing\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 604800\n",
    /// )?;
    /// assert_eq!(
    ///     policy.policy_strings(),
    ///     ["version: STSv1", "mode: testing", "mx: mx1.example.com", "mx: mx2.example.com", "max_age: 604800"]
    /// );
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    pub fn policy_strings(&self) -> Vec<String> {
        self.to_string()
            .split("\r\n")
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// The `policy-string` of a policy text as served, for reporting a policy
/// that did not parse (`sts-policy-invalid`; RFC 8460 §4.5 includes "any
/// errors that may be present"): its lines without their CRLF or LF ends,
/// a final empty line dropped.
///
/// ```
/// let strings = mta_sts::tlsrpt::policy_strings_from_text("version: STSv1\r\nmode: enforced\r\n");
/// assert_eq!(strings, ["version: STSv1", "mode: enforced"]);
/// ```
pub fn policy_strings_from_text(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

/// RRsets as resolvers return them.
impl TlsRptRecord {
    /// Selects and parses the one TLS-RPT record of a `_smtp._tls` TXT
    /// RRset given as resolvers return it: per record, its
    /// character-strings as bytes (hickory-resolver's `TXT::txt_data()`),
    /// joined with no separator (RFC 8460 §3). A record that is not UTF-8
    /// is selected or discarded by how it begins, like any other; the
    /// selected record must be UTF-8 as a whole.
    ///
    /// # Errors
    ///
    /// As [`TlsRptRecord::from_rrset`]: `no-record`, `multiple-records`,
    /// or the selected record's parse error; and `syntax`, with the column
    /// of the first offending byte, when the selected record is not UTF-8.
    ///
    /// ```
    /// use mta_sts::tlsrpt::TlsRptRecord;
    ///
    /// let rrset = [vec![&b"v=TLSRPTv1; "[..], &b"rua=mailto:tlsrpt@example.com"[..]]];
    /// let record = TlsRptRecord::from_rrset_bytes(rrset)?;
    /// assert_eq!(record.rua()[0].as_str(), "mailto:tlsrpt@example.com");
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    pub fn from_rrset_bytes<I, R, B>(records: I) -> Result<TlsRptRecord, Error>
    where
        I: IntoIterator<Item = R>,
        R: IntoIterator<Item = B>,
        B: AsRef<[u8]>,
    {
        let prefix = "v=TLSRPTv1;";
        let record = crate::rrset::select_bytes(records, prefix, |text| text.starts_with(prefix))?;
        TlsRptRecord::parse(&record)
    }
}
