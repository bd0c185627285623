//! Delivery verdicts (RFC 8461 §4, §5, §6) and RFC 8460 §4.3 result types.

use mta_sts::Policy;
use mta_sts::sender::{
    Action, Apply, FetchReason, ResultType, TlsOutcome, TransportError, Verdict, message_action,
    mx_allowed, verdict,
};

fn policy(mode: &str) -> Policy {
    let mx = if mode == "none" {
        ""
    } else {
        "mx: mail.example.com\nmx: *.backup.example.net\n"
    };
    Policy::parse(&format!(
        "version: STSv1\nmode: {mode}\n{mx}max_age: 604800\n"
    ))
    .unwrap()
}

const GOOD_HOST: &str = "mail.example.com";
const WILDCARD_HOST: &str = "MX2.backup.example.net.";
const BAD_HOST: &str = "mx.attacker.example";

/// (mode, host, TLS outcome, action, result type to report)
const TABLE: &[(&str, &str, TlsOutcome, Action, Option<&str>)] = &[
    // §5 enforce: deliver only to a matching host with valid TLS.
    (
        "enforce",
        GOOD_HOST,
        TlsOutcome::Valid,
        Action::Deliver,
        None,
    ),
    (
        "enforce",
        WILDCARD_HOST,
        TlsOutcome::Valid,
        Action::Deliver,
        None,
    ),
    (
        "enforce",
        GOOD_HOST,
        TlsOutcome::StartTlsNotSupported,
        Action::Refuse,
        Some("starttls-not-supported"),
    ),
    (
        "enforce",
        GOOD_HOST,
        TlsOutcome::CertificateHostMismatch,
        Action::Refuse,
        Some("certificate-host-mismatch"),
    ),
    (
        "enforce",
        GOOD_HOST,
        TlsOutcome::CertificateExpired,
        Action::Refuse,
        Some("certificate-expired"),
    ),
    (
        "enforce",
        GOOD_HOST,
        TlsOutcome::CertificateNotTrusted,
        Action::Refuse,
        Some("certificate-not-trusted"),
    ),
    (
        "enforce",
        GOOD_HOST,
        TlsOutcome::ValidationFailure,
        Action::Refuse,
        Some("validation-failure"),
    ),
    // §4.1: a host no pattern matches fails, whatever TLS said; matching comes first.
    (
        "enforce",
        BAD_HOST,
        TlsOutcome::Valid,
        Action::Refuse,
        Some("validation-failure"),
    ),
    (
        "enforce",
        BAD_HOST,
        TlsOutcome::StartTlsNotSupported,
        Action::Refuse,
        Some("validation-failure"),
    ),
    (
        "enforce",
        "a.mx2.backup.example.net",
        TlsOutcome::Valid,
        Action::Refuse,
        Some("validation-failure"),
    ),
    (
        "enforce",
        "",
        TlsOutcome::Valid,
        Action::Refuse,
        Some("validation-failure"),
    ),
    // §5 testing: deliver anyway, report the failure.
    (
        "testing",
        GOOD_HOST,
        TlsOutcome::Valid,
        Action::Deliver,
        None,
    ),
    (
        "testing",
        GOOD_HOST,
        TlsOutcome::StartTlsNotSupported,
        Action::Deliver,
        Some("starttls-not-supported"),
    ),
    (
        "testing",
        GOOD_HOST,
        TlsOutcome::CertificateExpired,
        Action::Deliver,
        Some("certificate-expired"),
    ),
    (
        "testing",
        BAD_HOST,
        TlsOutcome::Valid,
        Action::Deliver,
        Some("validation-failure"),
    ),
    (
        "testing",
        BAD_HOST,
        TlsOutcome::CertificateNotTrusted,
        Action::Deliver,
        Some("validation-failure"),
    ),
    // §5 none, §6: as if there were no policy; nothing to report.
    ("none", GOOD_HOST, TlsOutcome::Valid, Action::Deliver, None),
    (
        "none",
        BAD_HOST,
        TlsOutcome::StartTlsNotSupported,
        Action::Deliver,
        None,
    ),
    (
        "none",
        BAD_HOST,
        TlsOutcome::CertificateHostMismatch,
        Action::Deliver,
        None,
    ),
];

#[test]
fn verdict_table() {
    for &(mode, host, tls, action, result_type) in TABLE {
        let got = verdict(&policy(mode), host, tls);
        let label = format!("{mode} {host:?} {tls:?}");
        assert_eq!(got.action(), action, "{label}");
        assert_eq!(
            got.result_type().map(|r| r.as_str()),
            result_type,
            "{label}"
        );
    }
}

#[test]
fn mx_allowed_is_the_verdicts_first_check() {
    // Only enforce refuses, and only a host the patterns do not cover.
    for &(mode, host, _, _, _) in TABLE {
        let policy = policy(mode);
        let expected = if mode == "enforce" && !policy.matches(host) {
            Action::Refuse
        } else {
            Action::Deliver
        };
        assert_eq!(mx_allowed(&policy, host), expected, "{mode} {host:?}");
        // With a valid handshake, verdict agrees.
        assert_eq!(
            verdict(&policy, host, TlsOutcome::Valid).action(),
            expected,
            "{mode} {host:?}"
        );
    }
    assert_eq!(mx_allowed(&policy("enforce"), "not a host"), Action::Refuse);
}

#[test]
fn no_policy_delivers_without_reports() {
    // Apply::NoPolicy: as though the domain had no MTA-STS (RFC 8461 §3.3).
    for tls in [TlsOutcome::Valid, TlsOutcome::CertificateExpired] {
        let got = verdict(None, BAD_HOST, tls);
        assert_eq!((got.action(), got.result_type()), (Action::Deliver, None));
    }
    assert_eq!(mx_allowed(None, BAD_HOST), Action::Deliver);
    // Some(&policy) and &policy are the same call.
    let enforce = policy("enforce");
    assert_eq!(
        verdict(Some(&enforce), BAD_HOST, TlsOutcome::Valid),
        verdict(&enforce, BAD_HOST, TlsOutcome::Valid)
    );
}

/// (error, policy fetch result type, MX host TLS outcome): the table in
/// `TransportError`'s docs.
const TRANSPORT: &[(TransportError, &str, Option<TlsOutcome>)] = &[
    (TransportError::Unreachable, "sts-policy-fetch-error", None),
    (
        TransportError::StartTlsNotSupported,
        "sts-policy-fetch-error",
        Some(TlsOutcome::StartTlsNotSupported),
    ),
    (
        TransportError::Handshake,
        "sts-policy-fetch-error",
        Some(TlsOutcome::ValidationFailure),
    ),
    (
        TransportError::CertificateHostMismatch,
        "sts-webpki-invalid",
        Some(TlsOutcome::CertificateHostMismatch),
    ),
    (
        TransportError::CertificateExpired,
        "sts-webpki-invalid",
        Some(TlsOutcome::CertificateExpired),
    ),
    (
        TransportError::CertificateNotTrusted,
        "sts-webpki-invalid",
        Some(TlsOutcome::CertificateNotTrusted),
    ),
    (
        TransportError::CertificateInvalid,
        "sts-webpki-invalid",
        Some(TlsOutcome::ValidationFailure),
    ),
];

#[test]
fn transport_errors_map_to_rfc8460_result_types() {
    for &(error, fetch, tls) in TRANSPORT {
        assert_eq!(error.fetch_result_type().as_str(), fetch, "{error:?}");
        assert_eq!(error.tls_outcome(), tls, "{error:?}");
        // On an MX host the result type is the TLS outcome's, through the
        // verdict: reported in enforce and testing, not in none.
        let expected = tls.and_then(|tls| tls.result_type());
        for mode in ["enforce", "testing"] {
            let got = tls.map(|tls| verdict(&policy(mode), GOOD_HOST, tls).result_type());
            assert_eq!(got.flatten(), expected, "{mode} {error:?}");
        }
    }
    // A certificate problem is named for its kind on an MX host.
    assert_eq!(
        TransportError::CertificateExpired
            .tls_outcome()
            .and_then(|tls| tls.result_type()),
        Some(ResultType::CertificateExpired)
    );
}

#[test]
fn sender_enum_names_round_trip() {
    #[track_caller]
    fn check<T>(values: &[T], names: &[&str])
    where
        T: std::fmt::Display + std::str::FromStr + PartialEq + std::fmt::Debug,
        T::Err: std::fmt::Debug,
    {
        assert_eq!(values.len(), names.len());
        for (value, name) in values.iter().zip(names) {
            assert_eq!(value.to_string(), *name);
            assert_eq!(&name.parse::<T>().unwrap(), value, "{name}");
        }
    }
    check(
        &[Action::Deliver, Action::Refuse, Action::Defer],
        &["deliver", "refuse", "defer"],
    );
    check(&[Apply::Cached, Apply::NoPolicy], &["cached", "no-policy"]);
    check(
        &[
            FetchReason::NoCache,
            FetchReason::IdChanged,
            FetchReason::Expired,
            FetchReason::Refresh,
        ],
        &["no-cache", "id-changed", "expired", "refresh"],
    );
    check(
        &[
            TlsOutcome::Valid,
            TlsOutcome::StartTlsNotSupported,
            TlsOutcome::CertificateHostMismatch,
            TlsOutcome::CertificateExpired,
            TlsOutcome::CertificateNotTrusted,
            TlsOutcome::ValidationFailure,
        ],
        &[
            "valid",
            "starttls-not-supported",
            "certificate-host-mismatch",
            "certificate-expired",
            "certificate-not-trusted",
            "validation-failure",
        ],
    );
    // The TLS outcome names for failures are the RFC 8460 result types.
    for name in [
        "starttls-not-supported",
        "certificate-expired",
        "validation-failure",
    ] {
        let tls: TlsOutcome = name.parse().unwrap();
        assert_eq!(tls.result_type().unwrap().as_str(), name);
    }
    let err = "Deliver".parse::<Action>().unwrap_err();
    assert_eq!(err.code(), "syntax");
    assert_eq!(
        err.to_string(),
        "unknown delivery action \"Deliver\": expected \"deliver\", \"refuse\" or \"defer\""
    );
    assert_eq!(
        "nocache".parse::<FetchReason>().unwrap_err().to_string(),
        "unknown fetch reason \"nocache\": expected \"no-cache\", \"id-changed\", \"expired\" or \"refresh\""
    );
}

#[test]
fn testing_is_never_enforced() {
    // The bug seen in the wild: testing treated as enforce.
    let testing = policy("testing");
    for tls in [
        TlsOutcome::Valid,
        TlsOutcome::StartTlsNotSupported,
        TlsOutcome::CertificateHostMismatch,
        TlsOutcome::CertificateExpired,
        TlsOutcome::CertificateNotTrusted,
        TlsOutcome::ValidationFailure,
    ] {
        for host in [GOOD_HOST, BAD_HOST, "not a host"] {
            assert_eq!(
                verdict(&testing, host, tls).action(),
                Action::Deliver,
                "{host} {tls:?}"
            );
        }
    }
}

#[test]
fn message_action_defers_when_every_candidate_is_refused() {
    // §5, §5.1 step 3: never bounce; defer and recheck the TXT record.
    let enforce = policy("enforce");
    let refused = verdict(&enforce, BAD_HOST, TlsOutcome::Valid);
    let delivered = verdict(&enforce, GOOD_HOST, TlsOutcome::Valid);
    assert_eq!(message_action([&refused, &refused]), Action::Defer);
    assert_eq!(message_action([&refused, &delivered]), Action::Deliver);
    assert_eq!(
        message_action(std::iter::empty::<&Verdict>()),
        Action::Defer
    );
    assert_eq!(message_action(&vec![delivered]), Action::Deliver);
}

#[test]
fn every_result_type_name_round_trips() {
    // RFC 8460 §4.3 names, exactly.
    let names = [
        "starttls-not-supported",
        "certificate-host-mismatch",
        "certificate-expired",
        "certificate-not-trusted",
        "validation-failure",
        "tlsa-invalid",
        "dnssec-invalid",
        "dane-required",
        "sts-policy-fetch-error",
        "sts-policy-invalid",
        "sts-webpki-invalid",
    ];
    for name in names {
        let parsed: ResultType = name.parse().unwrap();
        assert_eq!(parsed.as_str(), name);
        assert_eq!(parsed.to_string(), name);
    }
    let err = "STS-POLICY-INVALID".parse::<ResultType>().unwrap_err();
    assert_eq!(err.code(), "syntax");
    // The one wording of every name table: the names that exist.
    assert_eq!(
        err.to_string(),
        "unknown TLS-RPT result type \"STS-POLICY-INVALID\": expected \
         \"starttls-not-supported\", \"certificate-host-mismatch\", \"certificate-expired\", \
         \"certificate-not-trusted\", \"validation-failure\", \"tlsa-invalid\", \
         \"dnssec-invalid\", \"dane-required\", \"sts-policy-fetch-error\", \
         \"sts-policy-invalid\" or \"sts-webpki-invalid\""
    );
}

#[test]
fn tls_outcome_result_types() {
    assert_eq!(TlsOutcome::Valid.result_type(), None);
    assert_eq!(
        TlsOutcome::StartTlsNotSupported.result_type(),
        Some(ResultType::StartTlsNotSupported)
    );
    assert_eq!(
        TlsOutcome::CertificateHostMismatch.result_type(),
        Some(ResultType::CertificateHostMismatch)
    );
}

#[test]
fn public_types_are_send_sync() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Verdict>();
    assert_send_sync::<ResultType>();
    assert_send_sync::<mta_sts::sender::CachedPolicy>();
    assert_send_sync::<mta_sts::sender::TxtLookup>();
    assert_send_sync::<mta_sts::sender::Decision>();
    assert_send_sync::<mta_sts::sender::PolicyDomain>();
    assert_send_sync::<mta_sts::sender::FetchedPolicy>();
    assert_send_sync::<mta_sts::tlsrpt::TlsRptRecord>();
    assert_send_sync::<mta_sts::diff::PolicyDiff>();
}
