//! The `serde` feature for the sender and TLS-RPT types: strings in JSON,
//! validated when read back.
#![cfg(feature = "serde")]

use mta_sts::sender::{
    Action, Apply, CacheEntry, CachedPolicy, FailedFetch, Fetch, FetchReason, Next, PolicyDomain,
    ResultType, TlsOutcome, TxtLookup, decide,
};
use mta_sts::tlsrpt::{ReportUri, TlsRptRecord};
use mta_sts::{ParseOptions, Policy};
use serde_json::json;

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

#[test]
fn cache_state_round_trips_through_json() {
    // Lenient parsing strips the dot and clamps max_age; the canonical form
    // reads back strictly.
    let text = "version: STSv1\nmode: enforce\nmx: MX1.example.com.\nmax_age: 9999999999\n";
    let policy = Policy::parse_with(text, &ParseOptions::lenient()).unwrap();
    let cached = CachedPolicy::new(policy, "2024-01-01", 1_700_000_000);
    let json = serde_json::to_value(&cached).unwrap();
    assert_eq!(
        json,
        json!({
            "policy": {
                "version": "STSv1",
                "mode": "enforce",
                "mx": ["mx1.example.com"],
                "max_age": 31_557_600
            },
            "id": "2024-01-01",
            "fetched_at": 1_700_000_000u64
        })
    );
    assert_eq!(
        serde_json::from_value::<CachedPolicy>(json).unwrap(),
        cached
    );

    let failure = FailedFetch::new("2024-01-02", 1_700_000_100);
    let json = serde_json::to_string(&failure).unwrap();
    assert_eq!(json, r#"{"id":"2024-01-02","at":1700000100}"#);
    assert_eq!(serde_json::from_str::<FailedFetch>(&json).unwrap(), failure);

    for entry in [
        CacheEntry::new(),
        CacheEntry::with(Some(cached.clone()), None),
        CacheEntry::with(Some(cached), Some(failure)),
    ] {
        let json = serde_json::to_string(&entry).unwrap();
        assert_eq!(
            serde_json::from_str::<CacheEntry>(&json).unwrap(),
            entry,
            "{json}"
        );
    }
    assert_eq!(
        serde_json::to_string(&CacheEntry::new()).unwrap(),
        r#"{"cached":null,"last_failure":null}"#
    );
}

#[test]
fn cached_policy_is_validated_when_read_back() {
    // A policy edited in the stored cache goes through strict parsing.
    let stored = json!({
        "policy": {"version": "STSv1", "mode": "enforce", "mx": ["m*.example.com"], "max_age": 86400},
        "id": "1",
        "fetched_at": 0
    });
    let err = serde_json::from_value::<CachedPolicy>(stored).unwrap_err();
    assert!(err.to_string().contains("invalid mx pattern"), "{err}");
    let missing = json!({"policy": {"version": "STSv1", "mode": "none", "max_age": 1}, "id": "1"});
    let err = serde_json::from_value::<CachedPolicy>(missing).unwrap_err();
    assert!(err.to_string().contains("fetched_at"), "{err}");
}

#[test]
fn sender_enums_serialise_as_their_names() {
    let json = serde_json::to_value((
        Action::Refuse,
        Apply::NoPolicy,
        FetchReason::IdChanged,
        TlsOutcome::StartTlsNotSupported,
    ))
    .unwrap();
    assert_eq!(
        json,
        json!([
            "refuse",
            "no-policy",
            "id-changed",
            "starttls-not-supported"
        ])
    );
    let back: (Action, Apply, FetchReason, TlsOutcome) = serde_json::from_value(json).unwrap();
    assert_eq!(
        back,
        (
            Action::Refuse,
            Apply::NoPolicy,
            FetchReason::IdChanged,
            TlsOutcome::StartTlsNotSupported
        )
    );
    let err = serde_json::from_str::<TlsOutcome>("\"start-tls-not-supported\"").unwrap_err();
    assert!(err.to_string().contains("unknown TLS outcome"), "{err}");
}

#[test]
fn next_serialises_as_a_tagged_object() {
    let lookup = TxtLookup::from_rrset(["v=STSv1; id=20240101;"]);
    let fetch = decide(None, &lookup, None, 0).next().clone();
    let table = [
        (Next::Nothing, json!({"next": "nothing"})),
        (
            fetch,
            json!({"next": "fetch", "reason": "no-cache", "id": "20240101"}),
        ),
        (
            Next::Wait {
                reason: FetchReason::Expired,
                until: 300,
            },
            json!({"next": "wait", "reason": "expired", "until": 300}),
        ),
    ];
    for (next, expected) in table {
        let json = serde_json::to_value(&next).unwrap();
        assert_eq!(json, expected, "{next}");
        assert_eq!(serde_json::from_value::<Next>(json).unwrap(), next);
    }
    let fetch = Fetch::new(FetchReason::Refresh, "x");
    assert_eq!(
        serde_json::to_value(&fetch).unwrap(),
        json!({"reason": "refresh", "id": "x"})
    );
}

/// Any valid policy, cached, reads back equal: the cache form of a policy
/// is its strict text.
#[cfg(feature = "proptest")]
mod cached_policy_round_trip {
    use mta_sts::sender::CachedPolicy;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_policy(policy in mta_sts::strategy::policy(), at in any::<u64>()) {
            let cached = CachedPolicy::new(policy, "id", at);
            let json = serde_json::to_string(&cached).unwrap();
            prop_assert_eq!(serde_json::from_str::<CachedPolicy>(&json).unwrap(), cached);
        }

        /// What a sender caches is what lenient parsing gave; it must read
        /// back too.
        #[test]
        fn any_leniently_parsed_policy(malformed in mta_sts::strategy::malformed_policy()) {
            let cached = CachedPolicy::new(malformed.policy, "id", 0);
            let json = serde_json::to_string(&cached).unwrap();
            prop_assert_eq!(serde_json::from_str::<CachedPolicy>(&json).unwrap(), cached);
        }
    }
}
