//! Fetch validation: what the HTTP client saw, checked against RFC 8461
//! §3.2 and §3.3, then parsed.

use crate::code::Code;
use crate::error::{Cause, MediaType, Position};
use crate::lint::Lint;
use crate::{Error, ErrorKind, ParseOptions, Policy};

/// What the caller's HTTP client saw when fetching the policy URL.
///
/// Built with [`HttpResponse::new`] from the status code and the body, then
/// [`headers`](HttpResponse::headers) with the response headers as the
/// client gives them (or [`content_type`](HttpResponse::content_type) with
/// the `Content-Type` value alone), and
/// [`redirected`](HttpResponse::redirected) if the client followed a
/// redirect to get it (it should not: configure it not to follow redirects
/// and let the 3xx status speak).
///
/// ```
/// use mta_sts::sender::HttpResponse;
///
/// let body = b"version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n";
/// let response = HttpResponse::new(200, body).content_type("text/plain; charset=utf-8");
/// # let _ = response;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HttpResponse<'a> {
    status: u16,
    content_type: Option<&'a [u8]>,
    redirected: bool,
    body: &'a [u8],
}

impl<'a> HttpResponse<'a> {
    /// A response with this status code and body, no `Content-Type` and no
    /// redirect.
    #[must_use]
    pub fn new(status: u16, body: &'a [u8]) -> HttpResponse<'a> {
        HttpResponse {
            status,
            content_type: None,
            redirected: false,
            body,
        }
    }

    /// Sets the `Content-Type` header value, as received.
    #[must_use = "this returns a new response and leaves `self` unchanged"]
    pub fn content_type(self, value: &'a str) -> HttpResponse<'a> {
        HttpResponse {
            content_type: Some(value.as_bytes()),
            ..self
        }
    }

    /// Takes the `Content-Type` from the response headers, as HTTP clients
    /// give them: `(name, value)` pairs with the value as bytes, such as
    /// `&http::HeaderMap` (reqwest, hyper) or a `&[(String, Vec<u8>)]`.
    /// Names are compared case-insensitively; the first `Content-Type`
    /// counts; a value that is not UTF-8 is not `text/plain`.
    ///
    /// ```
    /// use mta_sts::sender::{validate_fetch, HttpResponse};
    /// use mta_sts::ParseOptions;
    ///
    /// let headers = vec![
    ///     ("Server".to_owned(), b"nginx".to_vec()),
    ///     ("Content-Type".to_owned(), b"text/plain".to_vec()),
    /// ];
    /// let body = b"version: STSv1\nmode: none\nmax_age: 86400\n";
    /// let response = HttpResponse::new(200, body).headers(&headers);
    /// assert!(validate_fetch(&response, &ParseOptions::strict()).is_ok());
    /// ```
    #[must_use = "this returns a new response and leaves `self` unchanged"]
    pub fn headers<I>(self, headers: I) -> HttpResponse<'a>
    where
        I: IntoIterator,
        I::Item: Header<'a>,
    {
        let content_type = headers
            .into_iter()
            .find(|header| header.name().eq_ignore_ascii_case("content-type"))
            .map(Header::value);
        HttpResponse {
            content_type,
            ..self
        }
    }

    /// Records whether a redirect was followed to get this response.
    #[must_use = "this returns a new response and leaves `self` unchanged"]
    pub fn redirected(self, redirected: bool) -> HttpResponse<'a> {
        HttpResponse { redirected, ..self }
    }
}

/// One response header, as [`HttpResponse::headers`] takes it: a name that
/// is a string and a value of bytes borrowed for `'a`.
///
/// Implemented for `(name, &value)` pairs, which is what iterating over
/// `&http::HeaderMap` gives, and for `&(name, value)`, which is what
/// iterating over a `&Vec<(String, Vec<u8>)>` gives. Sealed: the crate
/// implements it, callers only use it.
pub trait Header<'a>: sealed::Sealed {
    /// The header name, in any case.
    fn name(&self) -> &str;
    /// The header value, as received.
    fn value(self) -> &'a [u8];
}

mod sealed {
    /// Keeps [`Header`](super::Header) implemented by this crate only.
    pub trait Sealed {}
}

impl<N, V> sealed::Sealed for (N, &V)
where
    N: AsRef<str>,
    V: AsRef<[u8]> + ?Sized,
{
}

impl<'a, N, V> Header<'a> for (N, &'a V)
where
    N: AsRef<str>,
    V: AsRef<[u8]> + ?Sized,
{
    fn name(&self) -> &str {
        self.0.as_ref()
    }

    fn value(self) -> &'a [u8] {
        self.1.as_ref()
    }
}

impl<N, V> sealed::Sealed for &(N, V)
where
    N: AsRef<str>,
    V: AsRef<[u8]>,
{
}

impl<'a, N, V> Header<'a> for &'a (N, V)
where
    N: AsRef<str>,
    V: AsRef<[u8]>,
{
    fn name(&self) -> &str {
        self.0.as_ref()
    }

    fn value(self) -> &'a [u8] {
        self.1.as_ref()
    }
}

/// A policy that passed fetch validation, with any lint that lenient
/// validation recorded (a `media-type` warning when the response was not
/// `text/plain`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchedPolicy {
    policy: Policy,
    lints: Vec<Lint>,
}

impl FetchedPolicy {
    /// The parsed policy.
    #[must_use]
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The parsed policy, by value.
    #[must_use]
    pub fn into_policy(self) -> Policy {
        self.policy
    }

    /// What lenient validation tolerated: empty for a clean response.
    #[must_use]
    pub fn lints(&self) -> &[Lint] {
        &self.lints
    }
}

/// Validates a policy fetch and parses the body (RFC 8461 §3.2, §3.3).
///
/// The checks, in order, each with its error code:
///
/// 1. the status code is 200 (`http-status`);
/// 2. no redirect was followed (`http-redirect`);
/// 3. the media type is `text/plain`, compared case-insensitively, any
///    parameters allowed (`media-type`); a missing `Content-Type` counts as
///    the wrong type. Strict options refuse it; lenient options accept the
///    policy and record a `media-type` warning in
///    [`FetchedPolicy::lints`];
/// 4. the body is within the options' size limit (`too-large`);
/// 5. the body is valid UTF-8 (`syntax`, with line and column);
/// 6. the body parses as a policy with the options (its own error).
///
/// Use [`ResultType::for_fetch_error`](crate::sender::ResultType::for_fetch_error)
/// to turn an error into the TLS-RPT result type to report, and
/// [`CacheEntry::complete_fetch`](crate::sender::CacheEntry::complete_fetch)
/// to cache the result.
///
/// # Errors
///
/// The first check that fails, with its code as listed above.
///
/// ```
/// use mta_sts::sender::{validate_fetch, HttpResponse};
/// use mta_sts::{Mode, ParseOptions};
///
/// let body = b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n";
///
/// let ok = HttpResponse::new(200, body).content_type("text/plain; charset=utf-8");
/// let fetched = validate_fetch(&ok, &ParseOptions::strict())?;
/// assert_eq!(fetched.policy().mode(), Mode::Enforce);
///
/// let redirect = HttpResponse::new(301, b"");
/// let err = validate_fetch(&redirect, &ParseOptions::strict()).unwrap_err();
/// assert_eq!(err.code(), "http-status");
///
/// let html = HttpResponse::new(200, body).content_type("text/html");
/// assert_eq!(validate_fetch(&html, &ParseOptions::strict()).unwrap_err().code(), "media-type");
/// let fetched = validate_fetch(&html, &ParseOptions::lenient())?;
/// assert_eq!(fetched.lints()[0].code(), "media-type");
/// # Ok::<(), mta_sts::Error>(())
/// ```
pub fn validate_fetch(
    response: &HttpResponse<'_>,
    options: &ParseOptions,
) -> Result<FetchedPolicy, Error> {
    if response.status != 200 {
        return Err(Cause::HttpStatus {
            status: response.status,
            at: Position::NONE,
        }
        .into());
    }
    if response.redirected {
        return Err(Cause::HttpRedirect { at: Position::NONE }.into());
    }
    let mut lints = Vec::new();
    if !is_text_plain(response.content_type) {
        let found = response
            .content_type
            .map(|value| String::from_utf8_lossy(value).into());
        if !options.is_lenient() {
            return Err(Cause::MediaType {
                found,
                at: Position::NONE,
            }
            .into());
        }
        lints.push(Lint::new(
            Code::Error(ErrorKind::MediaType),
            None,
            format!(
                "policy served with {}, not \"text/plain\": strict senders refuse it",
                MediaType(found.as_deref())
            ),
        ));
    }
    let policy = Policy::parse_bytes(response.body, options)?;
    Ok(FetchedPolicy { policy, lints })
}

/// Whether a `Content-Type` value names `text/plain`: type and subtype
/// compared case-insensitively, surrounding spaces and any parameters
/// ignored (RFC 8461 §3.2, RFC 9110 §8.3.1).
fn is_text_plain(content_type: Option<&[u8]>) -> bool {
    let Some(value) = content_type else {
        return false;
    };
    let media_type = value.split(|&b| b == b';').next().unwrap_or_default();
    media_type
        .trim_ascii_start()
        .trim_ascii_end()
        .eq_ignore_ascii_case(b"text/plain")
}
