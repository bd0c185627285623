//! Building values in code: `Policy::builder`, `TxtRecord::new`,
//! `TxtRecord::from_unix_time` and `MxPattern::parse_with`.

use mta_sts::{ErrorKind, Mode, MxPattern, ParseOptions, Policy, TxtRecord};
use proptest::prelude::*;

#[test]
fn a_built_policy_equals_the_parsed_one() {
    let built = Policy::builder(Mode::Testing, 1_209_600)
        .mx("mx1.example.com")
        .mx("*.backup.example.net")
        .mx_lenient("MX2.Example.COM.")
        .mx_lenient("mx.bücher.example")
        .extension("note", "see https://example.com/a;b")
        .build()
        .unwrap();
    let parsed = Policy::parse(
        "version: STSv1\nmode: testing\nmx: mx1.example.com\nmx: *.backup.example.net\n\
         mx: mx2.example.com\nmx: mx.xn--bcher-kva.example\nmax_age: 1209600\n\
         note: see https://example.com/a;b\n",
    )
    .unwrap();
    assert_eq!(built, parsed);
    assert_eq!(Policy::parse(&built.to_string()).unwrap(), built);
    // Mode none needs no mx.
    let none = Policy::builder(Mode::None, 86_400).build().unwrap();
    assert!(none.mx().is_empty());
}

#[test]
fn builder_errors_name_the_field() {
    let rows: Vec<(Result<Policy, mta_sts::Error>, ErrorKind, &str)> = vec![
        (
            Policy::builder(Mode::Enforce, 86_400).build(),
            ErrorKind::MissingMx,
            r#"missing field "mx": mode "enforce" needs at least one "mx" pattern"#,
        ),
        (
            Policy::builder(Mode::Enforce, 86_400)
                .mx("mail.example.com.")
                .build(),
            ErrorKind::InvalidMx,
            r#"invalid mx pattern "mail.example.com." at column 17: remove the trailing dot ("mail.example.com")"#,
        ),
        (
            Policy::builder(Mode::None, 31_557_601).build(),
            ErrorKind::MaxAgeAboveLimit,
            "max_age 31557601: it is above the limit of 31557600 seconds (one year)",
        ),
        (
            Policy::builder(Mode::None, 1).extension("_x", "y").build(),
            ErrorKind::Syntax,
            r#"invalid extension name "_x": a field name is a letter or digit, then up to 31 letters, digits, '_', '-' or '.'"#,
        ),
        (
            Policy::builder(Mode::None, 1)
                .extension("mode", "enforce")
                .build(),
            ErrorKind::Syntax,
            r#"invalid extension name "mode": RFC 8461 defines this field: set it with the builder, not as an extension"#,
        ),
        (
            Policy::builder(Mode::None, 1)
                .extension("a", "1")
                .extension("a", "2")
                .build(),
            ErrorKind::Syntax,
            r#"invalid extension name "a": the extension is given twice (senders read only the first)"#,
        ),
        (
            Policy::builder(Mode::None, 1)
                .extension("a", "x\r\nmx: evil.example")
                .build(),
            ErrorKind::Syntax,
            r#"invalid value "x\r\nmx: evil.example" of extension "a": line breaks and control characters are not allowed in a value"#,
        ),
        (
            Policy::builder(Mode::None, 1).extension("a", " x").build(),
            ErrorKind::Syntax,
            r#"invalid value " x" of extension "a": spaces or tabs around the value are not kept by parsing: trim them"#,
        ),
        (
            Policy::builder(Mode::None, 1).extension("a", "").build(),
            ErrorKind::Syntax,
            r#"invalid value "" of extension "a": the value is empty"#,
        ),
    ];
    for (result, kind, message) in rows {
        let err = result.expect_err(message);
        assert_eq!(err.kind(), kind, "{err}");
        assert_eq!(err.line(), None, "{err}");
        assert_eq!(err.to_string(), message);
    }
}

#[test]
fn txt_records_in_code() {
    assert_eq!(
        TxtRecord::new("abc123").unwrap(),
        TxtRecord::parse("v=STSv1; id=abc123;").unwrap()
    );
    for bad in ["", "a-b", &"a".repeat(33), "é"] {
        assert_eq!(
            TxtRecord::new(bad).unwrap_err().kind(),
            ErrorKind::InvalidId,
            "{bad:?}"
        );
    }
    let rows = [
        (0, "19700101T000000"),
        (951_782_400, "20000229T000000"),
        (951_868_799, "20000229T235959"),
        (1_709_164_800, "20240229T000000"),
        (1_732_959_000, "20241130T093000"),
        (4_102_444_800, "21000101T000000"),
        (253_402_300_799, "99991231T235959"),
    ];
    for (seconds, id) in rows {
        let record = TxtRecord::from_unix_time(seconds);
        assert_eq!(record.id(), id, "{seconds}");
        assert_eq!(TxtRecord::parse(&record.to_string()).unwrap(), record);
    }
    // Any time makes a valid id.
    let last = TxtRecord::from_unix_time(u64::MAX);
    assert_eq!(TxtRecord::new(last.id()).unwrap(), last);
}

#[test]
fn mx_patterns_as_dns_returns_them() {
    let lenient = ParseOptions::lenient();
    let pattern = MxPattern::parse_with("MX1.Example.com.", &lenient).unwrap();
    assert_eq!(pattern.as_str(), "mx1.example.com");
    let err = MxPattern::parse_with("MX1.Example.com.", &ParseOptions::strict()).unwrap_err();
    assert_eq!((err.kind(), err.column()), (ErrorKind::InvalidMx, Some(16)));
    assert!(MxPattern::parse_with("10 mx1.example.com.", &lenient).is_err());
}

#[cfg(feature = "proptest")]
proptest! {
    #[test]
    fn every_policy_can_be_rebuilt_from_its_parts(policy in mta_sts::strategy::policy()) {
        let mut builder = Policy::builder(policy.mode(), policy.max_age());
        for pattern in policy.mx() {
            builder = builder.mx(pattern.as_str());
        }
        for (name, value) in policy.extensions() {
            builder = builder.extension(name, value);
        }
        prop_assert_eq!(builder.build(), Ok(policy));
    }

}

proptest! {
    #[test]
    fn every_time_makes_an_id_that_parses(seconds in any::<u64>()) {
        let record = TxtRecord::from_unix_time(seconds);
        prop_assert_eq!(TxtRecord::parse(&record.to_string()), Ok(record));
    }
}
