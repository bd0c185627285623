//! Error codes, positions and exact messages: every error names what was
//! being parsed, quotes the offending text and gives its position.

use mta_sts::{Error, ErrorKind, Mode, MxPattern, ParseOptions, Policy, TxtRecord};

const HEAD: &str = "version: STSv1\nmode: testing\n";

#[track_caller]
fn assert_error(
    result: Result<impl std::fmt::Debug, Error>,
    code: &str,
    line: Option<usize>,
    column: Option<usize>,
    message: &str,
) {
    let err = result.expect_err(message);
    assert_eq!(err.code(), code, "code of {err}");
    assert_eq!(err.line(), line, "line of {err}");
    assert_eq!(err.column(), column, "column of {err}");
    assert_eq!(err.to_string(), message);
}

fn policy_with(line: &str) -> String {
    format!("{HEAD}{line}\nmax_age: 86400\n")
}

#[test]
fn policy_line_errors() {
    let rows: &[(&str, &str, usize, usize, &str)] = &[
        // (text, code, line, column, message)
        (
            "version: STSv2\n",
            "invalid-version",
            1,
            10,
            r#"invalid version "STSv2" on line 1, column 10: the only version is "STSv1" (case-sensitive)"#,
        ),
        (
            "version: STSv1\r\nmode: Enforce\r\n",
            "invalid-mode",
            2,
            7,
            r#"invalid mode "Enforce" on line 2, column 7: expected "enforce", "testing" or "none" (case-sensitive)"#,
        ),
        (
            "version: STSv1\nmode: none\nmax_age:   1e3  \n",
            "invalid-max-age",
            3,
            12,
            r#"invalid max_age "1e3" on line 3, column 12: expected 1 to 10 digits (seconds)"#,
        ),
        (
            "version: STSv1\nmode: none\nmax_age: 31557601\n",
            "max-age-above-limit",
            3,
            10,
            r#"max_age "31557601" on line 3, column 10: it is above the limit of 31557600 seconds (one year)"#,
        ),
        (
            "version: STSv1\n\nmode: none\n",
            "syntax",
            2,
            1,
            r#"blank line "" in the policy on line 2, column 1: every line must be "name: value"; remove it"#,
        ),
        (
            " version: STSv1\n",
            "syntax",
            1,
            1,
            r#"whitespace before the field name in " version: STSv1" on line 1, column 1: start the line with the name"#,
        ),
        (
            "version : STSv1\n",
            "syntax",
            1,
            8,
            r#"whitespace before ':' after "version" on line 1, column 8: write "version:""#,
        ),
        (
            "# comment\n",
            "syntax",
            1,
            1,
            r##"invalid policy line "# comment" on line 1, column 1: expected "name: value" and found no ':'"##,
        ),
        (
            "version: STSv1\nfoo: a\tb\n",
            "syntax",
            2,
            7,
            r#"invalid policy line "foo: a\tb" on line 2, column 7: a tab inside the value of "foo" is not allowed"#,
        ),
        (
            "version: STSv1\rmode: none\n",
            "syntax",
            1,
            15,
            "bare carriage return (CR not followed by LF) in the policy on line 1, column 15: only tabs and printable text may appear in a line",
        ),
        (
            "note: é\u{85}\n",
            "syntax",
            1,
            8,
            r#"control character '\u{85}' in the policy on line 1, column 8: only tabs and printable text may appear in a line"#,
        ),
    ];
    for &(text, code, line, column, message) in rows {
        assert_error(Policy::parse(text), code, Some(line), Some(column), message);
    }
}

#[test]
fn mx_errors_point_at_the_offending_character() {
    let rows: &[(&str, usize, &str)] = &[
        (
            "mx: m*.example.com",
            6,
            r#"a wildcard must be the whole leftmost label ("*.example.com")"#,
        ),
        (
            "mx: mail.example.com.",
            21,
            r#"remove the trailing dot ("mail.example.com")"#,
        ),
        (
            "mx: .example.com",
            5,
            r#"a leading dot is not a wildcard; write "*.example.com""#,
        ),
        (
            "mx: a.example.com, b.example.com",
            18,
            r#"list one host per line, each on its own "mx:" line"#,
        ),
        (
            "mx: mx.bücher.example",
            9,
            r#"write the name in A-label form ("mx.xn--bcher-kva.example")"#,
        ),
        (
            "mx: *.bücher.example",
            8,
            r#"write the name in A-label form ("*.xn--bcher-kva.example")"#,
        ),
        (
            "mx: [192.0.2.1]",
            5,
            "a pattern is a host name: no address literal, port or URL",
        ),
        (
            "mx: mail.example.com:25",
            21,
            "a pattern is a host name: no address literal, port or URL",
        ),
        (
            "mx: _mx.example.com",
            5,
            "'_' is not allowed: labels hold only letters, digits and hyphens",
        ),
        (
            "mx: mx-.example.com",
            7,
            "a label may not start or end with a hyphen",
        ),
        (
            "mx: mx..example.com",
            8,
            "a label is empty (two dots in a row, or a dot at an end)",
        ),
        (
            "mx: *",
            5,
            "a wildcard must be the whole leftmost label, followed by a domain",
        ),
        (
            "mx:",
            4,
            "the value is empty: give one host name per mx line",
        ),
    ];
    for &(line, column, reason) in rows {
        let value = line["mx:".len()..].trim();
        let message = format!("invalid mx pattern {value:?} on line 3, column {column}: {reason}");
        assert_error(
            Policy::parse(&policy_with(line)),
            "invalid-mx",
            Some(3),
            Some(column),
            &message,
        );
    }
    let long_label = format!("mx: {}.example.com", "a".repeat(64));
    let err = Policy::parse(&policy_with(&long_label)).unwrap_err();
    assert!(
        err.to_string()
            .contains("is 64 octets long, more than the 63"),
        "{err}"
    );
}

#[test]
fn errors_without_a_line() {
    assert_error(
        Policy::parse("version: STSv1\nmode: none\n"),
        "missing-field",
        None,
        None,
        r#"missing field "max_age": a policy needs "version", "mode" and "max_age""#,
    );
    assert_error(
        Policy::parse("version: STSv1\nmode: enforce\nmax_age: 1\n"),
        "missing-mx",
        None,
        None,
        r#"missing field "mx": mode "enforce" needs at least one "mx" line"#,
    );
    assert_error(
        Policy::parse_with(
            "version: STSv1\n",
            &ParseOptions::strict().with_max_size(10),
        ),
        "too-large",
        None,
        None,
        "policy of 15 bytes is larger than the limit of 10 bytes",
    );
}

#[test]
fn parse_bytes_checks_size_then_utf8() {
    assert_error(
        Policy::parse_bytes(b"version: STSv1\nmode: \xffnone\n", &ParseOptions::strict()),
        "syntax",
        Some(2),
        Some(7),
        "invalid UTF-8 byte 0xFF in the policy on line 2, column 7",
    );
    let big = vec![0xff; 100];
    let err = Policy::parse_bytes(&big, &ParseOptions::strict().with_max_size(99)).unwrap_err();
    assert_eq!(err.code(), "too-large");
}

#[test]
fn txt_errors_carry_a_column() {
    let rows: &[(&str, &str, usize, &str)] = &[
        (
            "v=STSv1",
            "missing-id",
            8,
            r#"the record has no "id=" field"#,
        ),
        (
            "v=STSv1 id=abc",
            "syntax",
            9,
            r#"expected ';' after "v=STSv1""#,
        ),
        (
            "V=STSv1; id=a",
            "not-sts",
            1,
            r#"an STS record starts with exactly "v=STSv1;" (case-sensitive)"#,
        ),
        (
            "v=STSv1; id=a-b",
            "invalid-id",
            13,
            r#"the id "a-b" must be 1 to 32 letters and digits"#,
        ),
        (
            "v=STSv1; id=abc ",
            "syntax",
            16,
            "whitespace after the last field: remove it or end the record with ';'",
        ),
        (
            "v=STSv1;; id=a",
            "syntax",
            9,
            "empty field (two ';' in a row)",
        ),
        (
            "v=STSv1; id=abcé",
            "syntax",
            16,
            "only ASCII is allowed in an STS TXT record",
        ),
        (
            "v=STSv1; id = a",
            "syntax",
            10,
            r#"invalid field "id = a": expected "name=value" with a name of up to 32 letters, digits, '_', '-' or '.'"#,
        ),
    ];
    for &(text, code, column, reason) in rows {
        let message = format!("invalid STS TXT record {text:?} at column {column}: {reason}");
        assert_error(TxtRecord::parse(text), code, None, Some(column), &message);
    }
}

#[test]
fn rrset_errors() {
    assert_error(
        TxtRecord::from_rrset(["v=spf1 -all", "v=STSv1 ; id=a"]),
        "no-record",
        None,
        None,
        r#"no TXT record begins with "v=STSv1;" (2 records looked at)"#,
    );
    assert_error(
        TxtRecord::from_rrset(["v=STSv1; id=a", "v=STSv1; id=b"]),
        "multiple-records",
        None,
        None,
        r#"2 TXT records begin with "v=STSv1;" (the first is "v=STSv1; id=a"): publish exactly one"#,
    );
}

#[test]
fn standalone_mx_pattern_errors() {
    assert_error(
        "m*.example.com".parse::<MxPattern>(),
        "invalid-mx",
        None,
        Some(2),
        r#"invalid mx pattern "m*.example.com" at column 2: a wildcard must be the whole leftmost label ("*.example.com")"#,
    );
}

// ---- SEMANTICS "Messages on real-world mistakes"

#[test]
fn utf16_policies_get_one_error_saying_so() {
    let message = "the policy is UTF-16 text on line 1, column 1: \
                   save the file as UTF-8 (in Windows editors, not \"Unicode\")";
    let text = "version: STSv1\r\nmode: enforce\r\n";
    let le: Vec<u8> = text.bytes().flat_map(|b| [b, 0]).collect();
    let be: Vec<u8> = text.bytes().flat_map(|b| [0, b]).collect();
    // As text (valid UTF-8 with a NUL after every character) and as bytes.
    for body in [&le, &be] {
        let text = std::str::from_utf8(body).unwrap();
        assert_error(Policy::parse(text), "syntax", Some(1), Some(1), message);
        let report = mta_sts::lint::check(text, &mta_sts::lint::Context::new());
        let codes: Vec<_> = report
            .lints()
            .iter()
            .map(mta_sts::lint::Lint::code)
            .collect();
        assert_eq!(codes, ["syntax"], "one error, not one per NUL");
    }
    let mut bom = vec![0xff, 0xfe];
    bom.extend(&le);
    assert_error(
        Policy::parse_bytes(&bom, &ParseOptions::strict()),
        "syntax",
        Some(1),
        Some(1),
        message,
    );
}

#[test]
fn utf16_policies_read_lossily_as_text_get_one_error() {
    // A published policy saved as "Unicode" and read by a client that
    // decoded it lossily: the byte order mark became two U+FFFD, then a NUL
    // follows (or precedes) every character.
    let message = "the policy is UTF-16 text on line 1, column 1: \
                   save the file as UTF-8 (in Windows editors, not \"Unicode\")";
    let text = "version: STSv1\r\nmode: testing\r\nmx: mail.example.com\r\nmax_age: 86400\r\n";
    let le: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(text.bytes().flat_map(|b| [b, 0]))
        .collect();
    let be: Vec<u8> = [0xfe, 0xff]
        .into_iter()
        .chain(text.bytes().flat_map(|b| [0, b]))
        .collect();
    for body in [le, be] {
        let lossy = String::from_utf8_lossy(&body);
        assert!(lossy.starts_with("\u{fffd}\u{fffd}"), "{lossy:?}");
        assert_error(Policy::parse(&lossy), "syntax", Some(1), Some(1), message);
        let report = mta_sts::lint::check(&lossy, &mta_sts::lint::Context::new());
        let lints: Vec<_> = report.lints().iter().map(ToString::to_string).collect();
        assert_eq!(lints.len(), 1, "one error, not one per line: {lints:#?}");
        assert_eq!(report.lints()[0].code(), "syntax");
    }
    // Two U+FFFD before ordinary text are not UTF-16.
    let err = Policy::parse("\u{fffd}\u{fffd}version: STSv1\n").unwrap_err();
    assert!(!err.to_string().contains("UTF-16"), "{err}");
}

#[test]
fn a_comment_after_an_mx_host_is_named_as_a_comment() {
    // From a published policy, filled in from a template.
    let line = "mx: mx1.your_domain.tld      # 2. Add your primary mailserver (see MX record)";
    let value = &line["mx: ".len()..];
    let message = format!(
        "invalid mx pattern {value:?} on line 3, column 30: the policy format has no \
         comments; remove \"# 2. Add your primary mailserver (see MX record)\""
    );
    assert_error(
        Policy::parse(&policy_with(line)),
        "invalid-mx",
        Some(3),
        Some(30),
        &message,
    );
    assert_error(
        Policy::parse(&policy_with("mx: # mx1.example.com")),
        "invalid-mx",
        Some(3),
        Some(5),
        r##"invalid mx pattern "# mx1.example.com" on line 3, column 5: the policy format has no comments; remove "# mx1.example.com""##,
    );
    // Not a comment: a `#` inside a word.
    let err = Policy::parse(&policy_with("mx: a#b.example.com c.example.com")).unwrap_err();
    assert!(!err.to_string().contains("comments"), "{err}");
}

#[test]
fn missing_fields_name_the_line_with_a_resembling_key() {
    assert_error(
        Policy::parse("version: STSv1\nMode: enforce\nmx: a.example.com\nmax_age: 86400\n"),
        "missing-field",
        None,
        None,
        r#"missing field "mode": a policy needs "version", "mode" and "max_age"; line 2 has "Mode", and keys are case-sensitive: write "mode""#,
    );
    assert_error(
        Policy::parse("eversion: STSv1\nmode: none\nmax_age: 86400\n"),
        "missing-field",
        None,
        None,
        r#"missing field "version": a policy needs "version", "mode" and "max_age"; line 1 has "eversion": did you mean "version"?"#,
    );
    assert_error(
        Policy::parse("version: STSv1\nmode: enforce\nMX: a.example.com\nmax_age: 86400\n"),
        "missing-mx",
        None,
        None,
        r#"missing field "mx": mode "enforce" needs at least one "mx" line; line 3 has "MX", and keys are case-sensitive: write "mx""#,
    );
    let report = mta_sts::lint::check(
        "maxage: 86400\nversion: STSv1\nmode: none\n",
        &mta_sts::lint::Context::new(),
    );
    let hint = report
        .lints()
        .iter()
        .find(|l| l.code() == "unknown-field")
        .unwrap();
    assert!(
        hint.message().contains("did you mean \"max_age\"?"),
        "{hint}"
    );
}

#[test]
fn mx_values_with_text_around_one_host() {
    let rows: &[(&str, usize, &str)] = &[
        (
            "mx: Priority 0: SMTP.GOOGLE.COM",
            5,
            r#"an mx value is exactly one host name; remove the text around "SMTP.GOOGLE.COM": "Priority 0:""#,
        ),
        (
            "mx: mx1.example.com (primary)",
            21,
            r#"an mx value is exactly one host name; remove the text around "mx1.example.com": "(primary)""#,
        ),
        (
            "mx: a.example.com b.example.com",
            18,
            r#"list one host per line, each on its own "mx:" line"#,
        ),
        (
            "mx: .",
            5,
            r#""." is the DNS root, not a host: give the MX host's name ("mail.example.com")"#,
        ),
    ];
    for &(line, column, reason) in rows {
        let value = &line["mx: ".len()..];
        let message = format!("invalid mx pattern {value:?} on line 3, column {column}: {reason}");
        assert_error(
            Policy::parse(&policy_with(line)),
            "invalid-mx",
            Some(3),
            Some(column),
            &message,
        );
    }
    assert_error(
        " mail.example.com".parse::<MxPattern>(),
        "invalid-mx",
        None,
        Some(1),
        r#"invalid mx pattern " mail.example.com" at column 1: remove the spaces around the host name: give the value alone"#,
    );
}

#[test]
fn unicode_spaces_are_named_in_words() {
    let text = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age:\u{a0}86400\n";
    let err = Policy::parse(text).unwrap_err();
    assert_eq!(
        (err.kind(), err.line(), err.column()),
        (ErrorKind::InvalidMaxAge, Some(4), Some(9))
    );
    let message = err.to_string();
    assert!(message.contains("no-break space (U+00A0)"), "{message}");
    assert!(!message.contains("\\u{a0}"), "no Rust escape: {message}");
    // Lenient reads it as a space, and the lint names it.
    let policy = Policy::parse_with(text, &ParseOptions::lenient()).unwrap();
    assert_eq!(policy.max_age(), 86_400);
    let report = mta_sts::lint::check(text, &mta_sts::lint::Context::new());
    let lint = report
        .lints()
        .iter()
        .find(|l| l.code() == "unicode-space")
        .unwrap();
    assert_eq!((lint.line(), lint.column()), (Some(4), Some(9)));
    assert!(lint.message().contains("no-break space (U+00A0)"), "{lint}");
}

#[test]
fn non_ascii_in_a_repeated_txt_field_is_still_an_error() {
    for text in ["v=STSv1;id=a;id=é", "v=STSv1;v=é;id=a"] {
        let err = TxtRecord::parse(text).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Syntax, "{text}: {err}");
    }
}

#[test]
fn error_kinds_match_their_codes() {
    let err = Policy::parse("version: STSv1\nmode: enforce\nmax_age: 86400\n").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingMx);
    assert_eq!(err.kind().code(), err.code());
    assert_eq!(err.kind().to_string(), "missing-mx");
}

/// `Mode::from_str` words a value as the policy parser does, and names a
/// Unicode space in it, which the quote alone does not show.
#[test]
fn mode_from_str_names_a_unicode_space_like_the_parser() {
    let err = "enforce\u{a0}".parse::<Mode>().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidMode);
    assert_eq!(
        err.to_string(),
        "invalid mode \"enforce\u{a0}\": expected \"enforce\", \"testing\" or \"none\" \
         (case-sensitive); it holds a no-break space (U+00A0), which is not a space here \
         (write plain ASCII)"
    );
    let text = "version: STSv1\nmode: enforce\u{a0}x\nmx: a.example\nmax_age: 1\n";
    let parsed = Policy::parse(text).unwrap_err();
    assert_eq!(parsed.kind(), ErrorKind::InvalidMode);
    assert!(
        parsed.to_string().contains("no-break space (U+00A0)"),
        "{parsed}"
    );
}
