//! Postfix TLS policy map replies and lookup keys, one table per SEMANTICS
//! F-rule; each row's message names its rule.

use mta_sts::postfix::{MapReply, NotFound, PostfixVersion, ReplyOptions, lookup_key, reply};
use mta_sts::sender::PolicyDomain;
use mta_sts::{Mode, ParseOptions, Policy};

const ENFORCE: &str = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n";

/// The policy as a lenient sender gets it, or `None` when it does not
/// parse (the daemon then has no policy: F2).
fn lenient(text: &str) -> Option<Policy> {
    Policy::parse_with(text, &ParseOptions::lenient()).ok()
}

fn version(text: &str) -> PostfixVersion {
    text.parse().unwrap()
}

fn options(v: &str) -> ReplyOptions {
    ReplyOptions::new(version(v))
}

/// The reply's socketmap payload for `policy_text` and `example.com`.
#[track_caller]
fn payload(policy_text: Option<&str>, options: &ReplyOptions) -> (String, MapReply) {
    let policy = policy_text.and_then(lenient);
    let domain = PolicyDomain::new("example.com").unwrap();
    let answer = reply(policy.as_ref(), &domain, options);
    (answer.to_response().to_string(), answer)
}

/// (rule and case, policy text, options, payload)
type Row = (
    &'static str,
    Option<&'static str>,
    ReplyOptions,
    &'static str,
);

#[track_caller]
fn check(rows: &[Row]) {
    for (case, text, options, want) in rows {
        let (got, _) = payload(*text, options);
        assert_eq!(got, *want, "{case}");
    }
}

// ---- F1: enforce gives `secure` with match and servername

#[test]
fn f1_enforce_is_secure() {
    check(&[
        (
            "F1: enforce, one mx",
            Some(ENFORCE),
            options("3.7"),
            "OK secure match=mail.example.com servername=hostname",
        ),
        (
            "F1: enforce, two mx in policy order",
            Some(
                "version: STSv1\nmode: enforce\nmx: b.example.com\nmx: a.example.com\nmax_age: 86400\n",
            ),
            options("3.7"),
            "OK secure match=b.example.com:a.example.com servername=hostname",
        ),
    ]);
}

// ---- F2: testing, none, no policy

#[test]
fn f2_testing_none_and_no_policy_are_notfound() {
    let testing = "version: STSv1\nmode: testing\nmx: mail.example.com\nmax_age: 86400\n";
    let none = "version: STSv1\nmode: none\nmax_age: 86400\n";
    check(&[
        ("F2: testing", Some(testing), options("3.7"), "NOTFOUND "),
        ("F2: none", Some(none), options("3.7"), "NOTFOUND "),
        ("F2: no policy", None, options("3.7"), "NOTFOUND "),
        (
            "F2: testing treated as enforce when asked",
            Some(testing),
            options("3.7").testing_as_enforce(true),
            "OK secure match=mail.example.com servername=hostname",
        ),
        (
            "F2: none stays NOTFOUND even with testing as enforce",
            Some(none),
            options("3.7").testing_as_enforce(true),
            "NOTFOUND ",
        ),
        (
            "F2: enforce unchanged by testing as enforce",
            Some(ENFORCE),
            options("3.7").testing_as_enforce(true),
            "OK secure match=mail.example.com servername=hostname",
        ),
    ]);
    let (_, answer) = payload(Some(testing), &options("3.7"));
    assert_eq!(
        answer,
        NotFound::NotEnforced(Mode::Testing).into(),
        "F2: reason for testing"
    );
    let (_, answer) = payload(Some(none), &options("3.7"));
    assert_eq!(
        answer,
        NotFound::NotEnforced(Mode::None).into(),
        "F2: reason for none"
    );
    let (_, answer) = payload(None, &options("3.7"));
    assert_eq!(
        answer,
        NotFound::NoPolicy.into(),
        "F2: reason for no policy"
    );
}

#[test]
fn f2_misspelt_mx_key_gives_no_policy() {
    // `nmx:` is an extension, so the enforce policy has no `mx` (P21): it
    // does not parse, the daemon has no policy, and the reply is NOTFOUND,
    // never an empty `match=` (postfix-tlspol #95).
    let text = "version: STSv1\nmode: enforce\nnmx: mail.example.com\nmax_age: 86400\n";
    assert!(
        lenient(text).is_none(),
        "F2/F5: enforce without mx must not parse"
    );
    let (got, answer) = payload(Some(text), &options("3.7"));
    assert_eq!(got, "NOTFOUND ", "F2/F5: nmx: gives NOTFOUND");
    assert_eq!(answer, NotFound::NoPolicy.into(), "F2/F5: nmx: reason");
}

// ---- F3: lowercase A-labels, no trailing dot, de-duplicated, policy order

#[test]
fn f3_match_list_is_canonical() {
    check(&[
        (
            "F3: uppercase and trailing dot",
            Some("version: STSv1\nmode: enforce\nmx: MAIL.Example.COM.\nmax_age: 86400\n"),
            options("3.7"),
            "OK secure match=mail.example.com servername=hostname",
        ),
        (
            "F3: U-label to A-label",
            Some("version: STSv1\nmode: enforce\nmx: mx.bücher.example\nmax_age: 86400\n"),
            options("3.7"),
            "OK secure match=mx.xn--bcher-kva.example servername=hostname",
        ),
        (
            "F3: duplicates removed, first kept in policy order",
            Some(
                "version: STSv1\nmode: enforce\nmx: b.example.com\nmx: A.example.com\nmx: B.example.com.\nmx: a.example.com\nmax_age: 86400\n",
            ),
            options("3.7"),
            "OK secure match=b.example.com:a.example.com servername=hostname",
        ),
        (
            "F3: wildcard and exact name with the same suffix are different patterns",
            Some(
                "version: STSv1\nmode: enforce\nmx: *.example.com\nmx: example.com\nmx: *.EXAMPLE.com\nmax_age: 86400\n",
            ),
            options("3.7"),
            "OK secure match=.example.com:example.com servername=hostname",
        ),
    ]);
}

// ---- F4, F5: IP addresses dropped; never an empty match

#[test]
fn f4_ip_addresses_are_dropped() {
    let text =
        "version: STSv1\nmode: enforce\nmx: 192.0.2.1\nmx: mail.example.com\nmax_age: 86400\n";
    let (got, answer) = payload(Some(text), &options("3.7"));
    assert_eq!(
        got, "OK secure match=mail.example.com servername=hostname",
        "F4: IP literal in mx left out (postfix-tlspol #70)"
    );
    let MapReply::Policy(tls) = answer else {
        panic!("F4: expected a policy")
    };
    let dropped: Vec<&str> = tls
        .dropped()
        .iter()
        .map(mta_sts::MxPattern::as_str)
        .collect();
    assert_eq!(
        dropped,
        ["192.0.2.1"],
        "F4: dropped patterns available to log"
    );
    assert_eq!(tls.match_patterns(), ["mail.example.com"], "F4: match list");
}

#[test]
fn f4_wildcard_over_digits_is_a_name_and_kept() {
    // M11: an IP address is every label all digits and no wildcard.
    let text = "version: STSv1\nmode: enforce\nmx: *.0.2.1\nmax_age: 86400\n";
    let (got, _) = payload(Some(text), &options("3.7"));
    assert_eq!(
        got, "OK secure match=.0.2.1 servername=hostname",
        "F4: wildcard kept"
    );
}

#[test]
fn f5_no_pattern_left_is_notfound() {
    let text = "version: STSv1\nmode: enforce\nmx: 192.0.2.1\nmx: 198.51.100.7\nmax_age: 86400\n";
    let (got, answer) = payload(Some(text), &options("3.10").tlsrpt(true));
    assert_eq!(
        got, "NOTFOUND ",
        "F5: only IP addresses: NOTFOUND, never match="
    );
    assert_eq!(answer, NotFound::NoUsableMx.into(), "F5: reason");
    let MapReply::NotFound(reason) = answer else {
        unreachable!()
    };
    assert!(
        reason.to_string().starts_with("F5: "),
        "F5: loggable reason {reason}"
    );
}

// ---- F6: attributes by Postfix version

#[test]
fn f6_attributes_follow_the_version() {
    let tlsrpt_310 = "OK secure match=mail.example.com servername=hostname \
        policy_type=sts policy_domain=example.com policy_ttl=86400 \
        mx_host_pattern=mail.example.com \
        { policy_string = version: STSv1 } { policy_string = mode: enforce } \
        { policy_string = mx: mail.example.com } { policy_string = max_age: 86400 }";
    check(&[
        (
            "F6: 2.11 has no servername",
            Some(ENFORCE),
            options("2.11"),
            "OK secure match=mail.example.com",
        ),
        (
            "F6: 3.3 has no servername",
            Some(ENFORCE),
            options("3.3.2"),
            "OK secure match=mail.example.com",
        ),
        (
            "F6: 3.4 has servername",
            Some(ENFORCE),
            options("3.4"),
            "OK secure match=mail.example.com servername=hostname",
        ),
        (
            "F6: 3.9 with TLSRPT asked: no 3.10 attributes",
            Some(ENFORCE),
            options("3.9").tlsrpt(true),
            "OK secure match=mail.example.com servername=hostname",
        ),
        (
            "F6: 3.10 without TLSRPT: no 3.10 attributes",
            Some(ENFORCE),
            options("3.10"),
            "OK secure match=mail.example.com servername=hostname",
        ),
        (
            "F6: 3.10 with TLSRPT",
            Some(ENFORCE),
            options("3.10").tlsrpt(true),
            tlsrpt_310,
        ),
        (
            "F6: 3.11 with TLSRPT",
            Some(ENFORCE),
            options("3.11.1").tlsrpt(true),
            tlsrpt_310,
        ),
        (
            "F6: 4.0 with TLSRPT",
            Some(ENFORCE),
            options("4.0").tlsrpt(true),
            tlsrpt_310,
        ),
    ]);
}

#[test]
fn f6_policy_strings_carry_extensions_but_not_braces() {
    let text = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\nnote: a b\nodd: {x}\n";
    let (got, _) = payload(Some(text), &options("3.10").tlsrpt(true));
    assert!(
        got.contains(" { policy_string = note: a b }"),
        "F6: extension line kept: {got}"
    );
    assert!(
        !got.contains("odd"),
        "F6: a line with a brace is left out: {got}"
    );
}

#[test]
fn f6_huge_policy_reply_fits_the_socketmap_bound() {
    use mta_sts::postfix::socketmap::{MAX_REPLY_LEN, Response};
    // Near the 64 KiB policy limit: 1 000 names of 60 octets.
    let mx: String = (0..1000)
        .map(|i| format!("mx: m{i:04}{}.example.com\n", "a".repeat(43)))
        .collect();
    let text = format!("version: STSv1\nmode: enforce\n{mx}max_age: 86400\n");
    assert!(
        text.len() < 65_536,
        "F6: the policy is within the size limit"
    );
    let policy = Policy::parse(&text).unwrap();
    let domain = PolicyDomain::new("example.com").unwrap();
    for options in [options("3.4"), options("3.10").tlsrpt(true)] {
        let response = reply(Some(&policy), &domain, &options).to_response();
        let mut out = Vec::new();
        response.encode(&mut out).expect("F6/F11: the reply fits");
        let Response::Ok(data) = response else {
            panic!("F6: enforce gives OK")
        };
        assert!(data.len() + 3 <= MAX_REPLY_LEN, "F11: bound");
        assert_eq!(data.matches("m0999").count(), 1, "F6: once, in match=");
        assert!(
            data.contains(".example.com servername=hostname"),
            "F6: match= whole"
        );
        assert!(
            !data.contains("mx_host_pattern"),
            "F6: 3.10 attributes dropped to fit"
        );
    }
    // Half as many names: the exact patterns still fit, the policy strings do not.
    let mx: String = (0..600)
        .map(|i| format!("mx: m{i:04}{}.example.com\n", "a".repeat(43)))
        .collect();
    let text = format!("version: STSv1\nmode: enforce\n{mx}max_age: 86400\n");
    let policy = Policy::parse(&text).unwrap();
    let answer = reply(Some(&policy), &domain, &options("3.10").tlsrpt(true));
    let MapReply::Policy(tls) = answer else {
        panic!("F6: enforce gives a policy")
    };
    let data = tls.to_string();
    assert!(
        data.contains("mx_host_pattern=m0599"),
        "F6: exact patterns kept"
    );
    assert!(
        !data.contains("policy_string"),
        "F6: policy strings dropped to fit"
    );
    assert!(data.len() + 3 <= MAX_REPLY_LEN, "F11: bound");
}

#[test]
fn f6_version_parsing_and_order() {
    for (text, ok) in [
        ("3.4", true),
        ("3.10", true),
        ("3.10.2", true),
        ("10.0", true),
        ("3", false),
        ("3.", false),
        (".4", false),
        ("3.4.5.6", false),
        ("3.x", false),
        ("v3.4", false),
        ("3.4 ", false),
        ("123456.1", false),
        ("", false),
    ] {
        assert_eq!(
            text.parse::<PostfixVersion>().is_ok(),
            ok,
            "F6: version {text:?}"
        );
    }
    assert!(version("3.10") > version("3.9"), "F6: 3.10 after 3.9");
    assert!(version("3.9.9") < version("3.10"), "F6: 3.9.9 before 3.10");
    assert_eq!(
        version("3.10.2").to_string(),
        "3.10.2",
        "F6: display round trip"
    );
    assert!(
        version("3.10.2").at_least(PostfixVersion::TLSRPT),
        "F6: patch level counts as 3.10"
    );
}

// ---- F7: `*.example.com` written `.example.com`; exact from 3.10

#[test]
fn f7_wildcard_is_written_with_a_leading_dot() {
    let text =
        "version: STSv1\nmode: enforce\nmx: *.Example.com\nmx: mail.example.net\nmax_age: 604800\n";
    check(&[
        (
            "F7: 3.4: the wider Postfix pattern only",
            Some(text),
            options("3.4"),
            "OK secure match=.example.com:mail.example.net servername=hostname",
        ),
        (
            "F7: 3.10 with TLSRPT: the exact pattern in mx_host_pattern",
            Some(text),
            options("3.10").tlsrpt(true),
            "OK secure match=.example.com:mail.example.net servername=hostname \
             policy_type=sts policy_domain=example.com policy_ttl=604800 \
             mx_host_pattern=*.example.com mx_host_pattern=mail.example.net \
             { policy_string = version: STSv1 } { policy_string = mode: enforce } \
             { policy_string = mx: *.example.com } { policy_string = mx: mail.example.net } \
             { policy_string = max_age: 604800 }",
        ),
    ]);
}

// ---- F8: the lookup key

#[test]
fn f8_lookup_keys() {
    let domains: &[(&str, &str)] = &[
        ("example.com", "example.com"),
        ("EXAMPLE.Com", "example.com"),
        ("example.com.", "example.com"),
        ("example.com:25", "example.com"),
        ("Example.COM.:587", "example.com"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("mail.example.com", "mail.example.com"),
    ];
    for (key, want) in domains {
        let got = lookup_key(key).map(|d| d.as_str().to_owned());
        assert_eq!(got.as_deref(), Ok(*want), "F8: key {key:?}");
    }
    let not_found: &[(&str, NotFound)] = &[
        ("[mx.example.com]", NotFound::BracketedNextHop),
        ("[mx.example.com]:587", NotFound::BracketedNextHop),
        ("[MX.Example.com.]:25", NotFound::BracketedNextHop),
        ("[192.0.2.1]", NotFound::AddressLiteral),
        ("[192.0.2.1]:25", NotFound::AddressLiteral),
        ("[ipv6:2001:db8::1]", NotFound::AddressLiteral),
        ("[IPv6:2001:db8::1]:25", NotFound::AddressLiteral),
        (".example.com", NotFound::ParentDomain),
        (".Example.COM.", NotFound::ParentDomain),
        ("192.0.2.1", NotFound::IpAddress),
        ("192.0.2.1:25", NotFound::IpAddress),
        ("192.0.2.1.", NotFound::IpAddress),
        ("2001:db8::1", NotFound::IpAddress),
        ("::1", NotFound::IpAddress),
    ];
    for (key, want) in not_found {
        assert_eq!(lookup_key(key).as_ref(), Err(want), "F8: key {key:?}");
    }
    for key in [
        "",
        ".",
        "..example.com",
        ".a..b",
        "exa mple.com",
        "a..b",
        "example.com:",
        "example.com:0x19",
        "example.com:99999",
        "example.com:25:25",
        "[mx.example.com",
        "[mx.example.com]x",
        "[mx.example.com]:",
        "[]",
        "[a b]",
        "user@example.com",
        "-bad.example",
        "\u{0}",
        "bad\u{2028}.example",
    ] {
        let got = lookup_key(key);
        assert!(
            matches!(got, Err(NotFound::NotADomain(_))),
            "F8: key {key:?} is not a domain, got {got:?}"
        );
    }
}

#[test]
fn f8_reasons_name_their_rule() {
    for key in [
        "[mx.example.com]",
        "[192.0.2.1]",
        ".example.com",
        "192.0.2.1",
        "a..b",
    ] {
        let reason = lookup_key(key).unwrap_err().to_string();
        assert!(
            reason.starts_with("F8: "),
            "F8: reason for {key:?}: {reason}"
        );
    }
}

// ---- F10: DANE first

#[test]
fn f10_dane_wins() {
    check(&[
        (
            "F10: DANE over enforce",
            Some(ENFORCE),
            options("3.10").tlsrpt(true).dane_tlsa(true),
            "NOTFOUND ",
        ),
        (
            "F10: DANE and no policy",
            None,
            options("3.7").dane_tlsa(true),
            "NOTFOUND ",
        ),
        (
            "F10: no TLSA records: the MTA-STS reply",
            Some(ENFORCE),
            options("3.7").dane_tlsa(false),
            "OK secure match=mail.example.com servername=hostname",
        ),
    ]);
    let (_, answer) = payload(Some(ENFORCE), &options("3.7").dane_tlsa(true));
    assert_eq!(answer, NotFound::Dane.into(), "F10: reason");
}

// ---- Options accessors

#[test]
fn options_say_what_the_reply_holds() {
    assert!(!options("3.3").servername(), "F6: 3.3");
    assert!(options("3.4").servername(), "F6: 3.4");
    assert!(!options("3.10").tlsrpt_attributes(), "F6: 3.10, TLSRPT off");
    assert!(
        options("3.10").tlsrpt(true).tlsrpt_attributes(),
        "F6: 3.10, TLSRPT on"
    );
    assert_eq!(
        options("3.10").version(),
        PostfixVersion::new(3, 10),
        "F6: version kept"
    );
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<MapReply>();
    check::<NotFound>();
    check::<ReplyOptions>();
    check::<PostfixVersion>();
    check::<mta_sts::postfix::TlsPolicy>();
    check::<mta_sts::postfix::socketmap::Response>();
    check::<mta_sts::postfix::socketmap::DecodeError>();
}
