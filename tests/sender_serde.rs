//! The `serde` feature for the sender and TLS-RPT types: strings in JSON,
//! validated when read back.
#![cfg(feature = "serde")]

use mta_sts::sender::{PolicyDomain, ResultType};
use mta_sts::tlsrpt::{ReportUri, TlsRptRecord};

#[test]
fn string_types_round_trip_through_json() {
    let domain = PolicyDomain::new("Bücher.example").unwrap();
    let json = serde_json::to_string(&domain).unwrap();
    assert_eq!(json, "\"xn--bcher-kva.example\"");
    assert_eq!(serde_json::from_str::<PolicyDomain>(&json).unwrap(), domain);

    let json = serde_json::to_string(&[
        ResultType::StsPolicyInvalid,
        ResultType::StartTlsNotSupported,
    ])
    .unwrap();
    assert_eq!(json, r#"["sts-policy-invalid","starttls-not-supported"]"#);
    assert_eq!(
        serde_json::from_str::<Vec<ResultType>>(&json).unwrap(),
        [
            ResultType::StsPolicyInvalid,
            ResultType::StartTlsNotSupported
        ]
    );

    let record = TlsRptRecord::parse("v=TLSRPTv1;rua=mailto:a@example.com").unwrap();
    let json = serde_json::to_string(&record).unwrap();
    assert_eq!(json, "\"v=TLSRPTv1; rua=mailto:a@example.com;\"");
    assert_eq!(serde_json::from_str::<TlsRptRecord>(&json).unwrap(), record);

    let uri: ReportUri = "https://r.example.com/v1".parse().unwrap();
    assert_eq!(
        serde_json::to_string(&uri).unwrap(),
        "\"https://r.example.com/v1\""
    );
}

#[test]
fn deserialising_validates() {
    let err = serde_json::from_str::<PolicyDomain>("\"[192.0.2.1]\"").unwrap_err();
    assert!(err.to_string().contains("address literal"), "{err}");
    let err = serde_json::from_str::<ResultType>("\"bogus-type\"").unwrap_err();
    assert!(
        err.to_string().contains("unknown TLS-RPT result type"),
        "{err}"
    );
    let err = serde_json::from_str::<TlsRptRecord>("\"v=TLSRPTv1;\"").unwrap_err();
    assert!(err.to_string().contains("no \"rua=\" field"), "{err}");
    let err = serde_json::from_str::<ReportUri>("\"ftp://x\"").unwrap_err();
    assert!(err.to_string().contains("only mailto: and https:"), "{err}");
}
