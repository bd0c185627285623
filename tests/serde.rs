//! The `serde` feature: the JSON shape, and that deserialising validates.
#![cfg(feature = "serde")]

use mta_sts::{Mode, MxPattern, Policy, TxtRecord};

const POLICY: &str = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.backup.example.net\nmax_age: 604800\nnote: hello\n";

#[test]
fn policy_serialises_as_a_map_of_fields() {
    let policy = Policy::parse(POLICY).unwrap();
    let json = serde_json::to_value(&policy).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "version": "STSv1",
            "mode": "enforce",
            "mx": ["mail.example.com", "*.backup.example.net"],
            "max_age": 604800,
            "note": "hello",
        })
    );
    let back: Policy = serde_json::from_value(json).unwrap();
    assert_eq!(back, policy);
}

#[test]
fn deserialising_validates_like_parsing() {
    let cases = [
        (
            r#"{"version":"STSv1","mode":"enforce","mx":["m*.example.com"],"max_age":1}"#,
            "invalid mx pattern",
        ),
        (
            r#"{"version":"STSv1","mode":"Enforce","mx":["a.example"],"max_age":1}"#,
            "invalid mode",
        ),
        (
            r#"{"version":"STSv1","mode":"enforce","max_age":1}"#,
            "missing field \"mx\"",
        ),
        (
            r#"{"version":"STSv1","mode":"none","max_age":31557601}"#,
            "above the limit",
        ),
        (r#"{"max_age":1}"#, "missing field `mode`"),
        (
            r#"{"version":"STSv2","mode":"none","max_age":1}"#,
            "invalid version \"STSv2\"",
        ),
        (
            r#"{"mode":"none","mode":"none","max_age":1}"#,
            "duplicate field \"mode\"",
        ),
        (
            r#"{"mode":"enforce","max_age":86400}"#,
            "missing field \"mx\": mode \"enforce\" needs at least one \"mx\" pattern",
        ),
        // No line injection through values or names; errors name the field.
        (
            r#"{"version":"STSv1","mode":"none","max_age":1,"note":"x\nmx: evil.example"}"#,
            "invalid value \"x\\nmx: evil.example\" of extension \"note\": line breaks",
        ),
        (
            r#"{"version":"STSv1","mode":"none","max_age":1,"a: b":"c"}"#,
            "invalid extension name \"a: b\"",
        ),
        (
            r#"{"version":"STSv1","mode":"testing","mx":["a.example\nmx: evil.example"],"max_age":1}"#,
            "invalid mx pattern \"a.example\\nmx: evil.example\"",
        ),
    ];
    for (json, expected) in cases {
        let err = serde_json::from_str::<Policy>(json)
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{json}: {err}");
    }
}

#[test]
fn a_config_may_leave_out_the_version() {
    let policy: Policy =
        serde_json::from_str(r#"{"mode":"enforce","mx":["mail.example.com"],"max_age":604800}"#)
            .unwrap();
    assert_eq!(
        policy,
        Policy::parse("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n")
            .unwrap()
    );
}

#[test]
fn string_like_types_use_their_text() {
    assert_eq!(
        serde_json::to_string(&Mode::Testing).unwrap(),
        r#""testing""#
    );
    assert_eq!(
        serde_json::from_str::<Mode>(r#""none""#).unwrap(),
        Mode::None
    );
    assert!(serde_json::from_str::<Mode>(r#""NONE""#).is_err());

    let pattern: MxPattern = serde_json::from_str(r#""*.Example.COM""#).unwrap();
    assert_eq!(
        serde_json::to_string(&pattern).unwrap(),
        r#""*.example.com""#
    );
    assert!(serde_json::from_str::<MxPattern>(r#""*example.com""#).is_err());

    let record: TxtRecord = serde_json::from_str(r#""v=STSv1; id=abc""#).unwrap();
    assert_eq!(
        serde_json::to_string(&record).unwrap(),
        r#""v=STSv1; id=abc;""#
    );
    assert!(serde_json::from_str::<TxtRecord>(r#""v=STSv1;""#).is_err());
}
