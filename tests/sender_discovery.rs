//! Discovery names (RFC 8461 §3.1, §3.2, §3.4) and fetch validation
//! (RFC 8461 §3.2, §3.3), as tables.

use mta_sts::sender::{HttpResponse, PolicyDomain, ResultType, validate_fetch};
use mta_sts::{Mode, ParseOptions};

// ---- discovery names ----------------------------------------------------

/// (input, canonical domain)
const VALID_DOMAINS: &[(&str, &str)] = &[
    // §3.1: the name is the domain as given.
    ("example.com", "example.com"),
    // Case folded.
    ("EXAMPLE.Com", "example.com"),
    // One trailing dot removed.
    ("example.com.", "example.com"),
    // §3.4: a subdomain is its own Policy Domain, never its parent.
    ("mail.example.com", "mail.example.com"),
    // §3.2 IDNA: U-labels to A-labels (UTS #46 maps case too).
    ("bücher.example", "xn--bcher-kva.example"),
    ("BÜCHER.example.", "xn--bcher-kva.example"),
    ("xn--bcher-kva.example", "xn--bcher-kva.example"),
    // Digits are fine as long as the name is not an IP address.
    ("123.example", "123.example"),
    ("localhost", "localhost"),
];

/// (input, column if any, a phrase the message must contain)
const INVALID_DOMAINS: &[(&str, Option<usize>, &str)] = &[
    // §3.4: address literals have no policy.
    ("[192.0.2.1]", None, "address literal"),
    ("[IPv6:2001:db8::1]", None, "address literal"),
    ("192.0.2.1", None, "IP address"),
    ("2001:db8::1", Some(5), "':' is not allowed"),
    ("", Some(1), "empty"),
    (".", Some(1), "empty"),
    ("example..com", Some(9), "label is empty"),
    (".example.com", Some(1), "label is empty"),
    ("example.com..", Some(12), "label is empty"),
    ("-example.com", Some(1), "hyphen"),
    ("example-.com", Some(8), "hyphen"),
    ("exa mple.com", Some(4), "' ' is not allowed"),
    ("_dmarc.example.com", Some(1), "'_' is not allowed"),
    ("user@example.com", Some(5), "'@' is not allowed"),
    ("*.example.com", Some(1), "'*' is not allowed"),
    ("bü..example", None, "internationalized"),
];

#[track_caller]
fn assert_domain(input: &str, expected: &str) {
    let domain = PolicyDomain::new(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
    assert_eq!(domain.as_str(), expected, "{input:?}");
    assert_eq!(
        domain.txt_name(),
        format!("_mta-sts.{expected}"),
        "{input:?}"
    );
    assert_eq!(
        domain.policy_host(),
        format!("mta-sts.{expected}"),
        "{input:?}"
    );
    assert_eq!(
        domain.policy_url(),
        format!("https://mta-sts.{expected}/.well-known/mta-sts.txt"),
        "{input:?}"
    );
    assert_eq!(
        domain.tls_rpt_name(),
        format!("_smtp._tls.{expected}"),
        "{input:?}"
    );
    // Display round trip.
    assert_eq!(
        domain.to_string().parse::<PolicyDomain>().as_ref(),
        Ok(&domain),
        "{input:?}"
    );
}

#[test]
fn valid_domains() {
    for &(input, expected) in VALID_DOMAINS {
        assert_domain(input, expected);
    }
}

#[test]
fn invalid_domains() {
    for &(input, column, phrase) in INVALID_DOMAINS {
        let err = PolicyDomain::new(input).expect_err(input);
        assert_eq!(err.code(), "invalid-domain", "{input:?}");
        assert_eq!(err.column(), column, "{input:?}: {err}");
        assert_eq!(err.line(), None, "{input:?}");
        let message = err.to_string();
        assert!(
            message.starts_with(&format!("invalid domain {input:?}")),
            "{message}"
        );
        assert!(message.contains(phrase), "{input:?}: {message}");
    }
}

#[test]
fn domain_length_leaves_room_for_the_txt_name() {
    // 244 octets + "_mta-sts." (9) = 253: the longest TXT name DNS allows.
    let label = "a".repeat(60);
    let longest = format!("{label}.{label}.{label}.{}", "b".repeat(61));
    assert_eq!(longest.len(), 244);
    let domain = PolicyDomain::new(&longest).unwrap();
    assert_eq!(domain.txt_name().len(), 253);

    let too_long = format!("{label}.{label}.{label}.{}", "b".repeat(62));
    let err = PolicyDomain::new(&too_long).unwrap_err();
    assert_eq!(err.code(), "invalid-domain");
    assert!(err.to_string().contains("254 octets"), "{err}");
}

#[test]
fn parent_zone_is_never_used() {
    // RFC 8461 §3.4: mail to user@mail.example.com uses mail.example.com only.
    let domain = PolicyDomain::new("a.b.mail.example.com").unwrap();
    assert_eq!(domain.txt_name(), "_mta-sts.a.b.mail.example.com");
    assert_eq!(
        domain.policy_url(),
        "https://mta-sts.a.b.mail.example.com/.well-known/mta-sts.txt"
    );
}

// ---- fetch validation ---------------------------------------------------

const BODY: &[u8] =
    b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n";

/// (status, content type, redirected, body, strict outcome, lenient outcome)
/// where an outcome is `Ok(lint codes)` or `Err(error code)`.
type Row = (
    u16,
    Option<&'static str>,
    bool,
    &'static [u8],
    Result<&'static [&'static str], &'static str>,
    Result<&'static [&'static str], &'static str>,
);

const FETCHES: &[Row] = &[
    // §3.3: 200 with text/plain.
    (200, Some("text/plain"), false, BODY, Ok(&[]), Ok(&[])),
    // §3.2: case-insensitive, parameters allowed.
    (
        200,
        Some("Text/Plain; charset=utf-8"),
        false,
        BODY,
        Ok(&[]),
        Ok(&[]),
    ),
    (
        200,
        Some(" text/plain ;charset=us-ascii"),
        false,
        BODY,
        Ok(&[]),
        Ok(&[]),
    ),
    (
        200,
        Some("TEXT/PLAIN;format=flowed"),
        false,
        BODY,
        Ok(&[]),
        Ok(&[]),
    ),
    // §3.3: only 200 is valid; 3xx must not be followed.
    (
        204,
        Some("text/plain"),
        false,
        BODY,
        Err("http-status"),
        Err("http-status"),
    ),
    (
        301,
        None,
        false,
        b"",
        Err("http-status"),
        Err("http-status"),
    ),
    (
        302,
        Some("text/html"),
        false,
        b"",
        Err("http-status"),
        Err("http-status"),
    ),
    (
        404,
        Some("text/plain"),
        false,
        BODY,
        Err("http-status"),
        Err("http-status"),
    ),
    (
        500,
        None,
        false,
        b"",
        Err("http-status"),
        Err("http-status"),
    ),
    // Status is checked before anything else, redirect before media type.
    (
        404,
        Some("text/html"),
        true,
        b"\xff",
        Err("http-status"),
        Err("http-status"),
    ),
    (
        200,
        Some("text/plain"),
        true,
        BODY,
        Err("http-redirect"),
        Err("http-redirect"),
    ),
    (
        200,
        Some("text/html"),
        true,
        BODY,
        Err("http-redirect"),
        Err("http-redirect"),
    ),
    // §3.2: other media types: strict error, lenient warning.
    (
        200,
        Some("text/html"),
        false,
        BODY,
        Err("media-type"),
        Ok(&["media-type"]),
    ),
    (
        200,
        Some("application/octet-stream"),
        false,
        BODY,
        Err("media-type"),
        Ok(&["media-type"]),
    ),
    (
        200,
        Some("text/plain-ish"),
        false,
        BODY,
        Err("media-type"),
        Ok(&["media-type"]),
    ),
    (
        200,
        Some("text/plainx; charset=utf-8"),
        false,
        BODY,
        Err("media-type"),
        Ok(&["media-type"]),
    ),
    (
        200,
        Some(""),
        false,
        BODY,
        Err("media-type"),
        Ok(&["media-type"]),
    ),
    (
        200,
        None,
        false,
        BODY,
        Err("media-type"),
        Ok(&["media-type"]),
    ),
    // Media type before size and UTF-8.
    (
        200,
        Some("text/html"),
        false,
        b"\xff",
        Err("media-type"),
        Err("syntax"),
    ),
    // Invalid UTF-8, then the parse itself.
    (
        200,
        Some("text/plain"),
        false,
        b"version: STSv1\r\nmode: \xffenforce\r\n",
        Err("syntax"),
        Err("syntax"),
    ),
    (
        200,
        Some("text/plain"),
        false,
        b"version: STSv1\r\nmode: enforce\r\nmax_age: 1\r\n",
        Err("missing-mx"),
        Err("missing-mx"),
    ),
    (
        200,
        Some("text/plain"),
        false,
        b"<html>",
        Err("syntax"),
        Err("missing-field"),
    ),
];

#[test]
fn fetch_validation_table() {
    for (i, &(status, content_type, redirected, body, strict, lenient)) in
        FETCHES.iter().enumerate()
    {
        let mut response = HttpResponse::new(status, body).redirected(redirected);
        if let Some(value) = content_type {
            response = response.content_type(value);
        }
        for (options, expected) in [
            (ParseOptions::strict(), strict),
            (ParseOptions::lenient(), lenient),
        ] {
            let got = validate_fetch(&response, &options);
            let label = format!(
                "row {i} {status} {content_type:?} redirected={redirected} lenient={}",
                options.is_lenient()
            );
            match (got, expected) {
                (Ok(fetched), Ok(lints)) => {
                    let codes: Vec<_> = fetched
                        .lints()
                        .iter()
                        .map(mta_sts::lint::Lint::code)
                        .collect();
                    assert_eq!(codes, lints, "{label}");
                    assert_eq!(fetched.policy().mode(), Mode::Enforce, "{label}");
                }
                (Err(err), Err(code)) => assert_eq!(err.code(), code, "{label}: {err}"),
                (got, expected) => panic!("{label}: got {got:?}, expected {expected:?}"),
            }
        }
    }
}

#[test]
fn fetch_size_limit_is_the_options_limit() {
    // §3.3: senders may limit the body size; the check is before parsing.
    let response = HttpResponse::new(200, BODY).content_type("text/plain");
    let small = ParseOptions::strict().with_max_size(BODY.len() - 1);
    assert_eq!(
        validate_fetch(&response, &small).unwrap_err().code(),
        "too-large"
    );
    let exact = ParseOptions::strict().with_max_size(BODY.len());
    assert!(validate_fetch(&response, &exact).is_ok());
    // Over the default 64 KiB, even though the text would be invalid anyway.
    let big = vec![b'x'; 65_537];
    let response = HttpResponse::new(200, &big).content_type("text/plain");
    assert_eq!(
        validate_fetch(&response, &ParseOptions::lenient())
            .unwrap_err()
            .code(),
        "too-large"
    );
}

#[test]
fn fetch_error_messages_say_which_rule_failed() {
    let strict = ParseOptions::strict();
    let err = validate_fetch(&HttpResponse::new(301, b""), &strict).unwrap_err();
    assert_eq!(
        err.to_string(),
        "policy fetch returned HTTP status 301: redirects must not be followed, \
         so only a 200 response holds a policy (RFC 8461 §3.3)"
    );
    let err = validate_fetch(&HttpResponse::new(404, b""), &strict).unwrap_err();
    assert_eq!(
        err.to_string(),
        "policy fetch returned HTTP status 404: only a 200 (OK) response holds a policy (RFC 8461 §3.3)"
    );
    let err = validate_fetch(&HttpResponse::new(200, BODY).redirected(true), &strict).unwrap_err();
    assert!(err.to_string().contains("redirect"), "{err}");
    let err = validate_fetch(
        &HttpResponse::new(200, BODY).content_type("text/html"),
        &strict,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "policy served with media type \"text/html\": expected \"text/plain\" (RFC 8461 §3.2)"
    );
    let err = validate_fetch(&HttpResponse::new(200, BODY), &strict).unwrap_err();
    assert!(err.to_string().contains("no Content-Type header"), "{err}");
}

#[test]
fn lenient_media_type_lint_is_explained() {
    let response = HttpResponse::new(200, BODY).content_type("text/html; charset=utf-8");
    let fetched = validate_fetch(&response, &ParseOptions::lenient()).unwrap();
    let lint = &fetched.lints()[0];
    assert_eq!(lint.code(), "media-type");
    assert_eq!(lint.severity(), mta_sts::lint::Severity::Error);
    assert!(
        lint.message().contains("\"text/html; charset=utf-8\""),
        "{}",
        lint.message()
    );
    assert!(
        lint.explanation().contains("§3.2"),
        "{}",
        lint.explanation()
    );
    assert_eq!(fetched.into_policy().mx()[0].as_str(), "mail.example.com");
}

#[test]
fn fetch_errors_map_to_rfc8460_result_types() {
    // RFC 8460 §4.3.2.2.
    let cases: &[(HttpResponse<'_>, ResultType)] = &[
        (HttpResponse::new(404, b""), ResultType::StsPolicyFetchError),
        (HttpResponse::new(302, b""), ResultType::StsPolicyFetchError),
        (
            HttpResponse::new(200, BODY).redirected(true),
            ResultType::StsPolicyFetchError,
        ),
        (
            HttpResponse::new(200, BODY).content_type("image/png"),
            ResultType::StsPolicyInvalid,
        ),
        (
            HttpResponse::new(200, b"\xff").content_type("text/plain"),
            ResultType::StsPolicyInvalid,
        ),
        (
            HttpResponse::new(200, b"mode: x").content_type("text/plain"),
            ResultType::StsPolicyInvalid,
        ),
    ];
    for (response, expected) in cases {
        let err = validate_fetch(response, &ParseOptions::strict()).unwrap_err();
        assert_eq!(
            ResultType::for_fetch_error(&err),
            *expected,
            "{response:?}: {err}"
        );
    }
}

#[test]
fn content_type_is_taken_from_the_response_headers() {
    let strict = ParseOptions::strict();
    // As a client gives them: owned names and byte values, in any case.
    let owned: Vec<(String, Vec<u8>)> = vec![
        ("Server".to_owned(), b"nginx".to_vec()),
        (
            "CONTENT-TYPE".to_owned(),
            b" text/plain ; charset=utf-8".to_vec(),
        ),
    ];
    let response = HttpResponse::new(200, BODY).headers(&owned);
    assert!(validate_fetch(&response, &strict).is_ok());
    // As (name, &value) pairs, which is what iterating a `&HeaderMap` gives.
    let pairs = [("content-type", &b"text/html"[..])];
    let response = HttpResponse::new(200, BODY).headers(pairs);
    assert_eq!(
        validate_fetch(&response, &strict).unwrap_err().to_string(),
        "policy served with media type \"text/html\": expected \"text/plain\" (RFC 8461 §3.2)"
    );
    // The first Content-Type counts; none is the wrong media type.
    let twice = [
        ("Content-Type", &b"text/plain"[..]),
        ("Content-Type", &b"text/html"[..]),
    ];
    assert!(validate_fetch(&HttpResponse::new(200, BODY).headers(twice), &strict).is_ok());
    let none: [(&str, &[u8]); 0] = [];
    assert_eq!(
        validate_fetch(&HttpResponse::new(200, BODY).headers(none), &strict)
            .unwrap_err()
            .code(),
        "media-type"
    );
}

#[test]
fn content_type_that_is_not_utf8_is_the_wrong_media_type() {
    let headers = [("Content-Type", &b"text/plain\xff"[..])];
    let response = HttpResponse::new(200, BODY).headers(headers);
    let err = validate_fetch(&response, &ParseOptions::strict()).unwrap_err();
    assert_eq!(err.code(), "media-type");
    assert_eq!(
        err.to_string(),
        "policy served with media type \"text/plain\u{fffd}\": expected \"text/plain\" (RFC 8461 §3.2)"
    );
    // Lenient validation accepts the policy with the media-type warning.
    let fetched = validate_fetch(&response, &ParseOptions::lenient()).unwrap();
    assert_eq!(fetched.lints()[0].code(), "media-type");
}
