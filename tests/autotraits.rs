//! Every public type is `Send + Sync + Unpin`: checked at compile time, so
//! a field that loses one of them (an `Rc`, a `Cell`, a raw pointer) fails
//! the build here rather than in a user's multi-threaded MTA.

fn assert_auto_traits<T: Send + Sync + Unpin>() {}

#[test]
fn public_types_are_send_sync_unpin() {
    // The crate root.
    assert_auto_traits::<mta_sts::Error>();
    assert_auto_traits::<mta_sts::ErrorKind>();
    assert_auto_traits::<mta_sts::PolicyBuilder>();
    assert_auto_traits::<mta_sts::Mode>();
    assert_auto_traits::<mta_sts::MxPattern>();
    assert_auto_traits::<mta_sts::ParseOptions>();
    assert_auto_traits::<mta_sts::Policy>();
    assert_auto_traits::<mta_sts::TxtRecord>();

    // lint
    assert_auto_traits::<mta_sts::lint::Context>();
    assert_auto_traits::<mta_sts::lint::Lint>();
    assert_auto_traits::<mta_sts::lint::Report>();
    assert_auto_traits::<mta_sts::lint::Severity>();

    // audit
    assert_auto_traits::<mta_sts::audit::Certificate>();
    assert_auto_traits::<mta_sts::audit::ChainVerdict>();
    assert_auto_traits::<mta_sts::audit::DnsAnswer<mta_sts::audit::TxtRrset>>();
    assert_auto_traits::<mta_sts::audit::Evidence>();
    assert_auto_traits::<mta_sts::audit::FetchFailure>();
    assert_auto_traits::<mta_sts::audit::HttpExchange>();
    assert_auto_traits::<mta_sts::audit::MxProbe>();
    assert_auto_traits::<mta_sts::audit::MxRecord>();
    assert_auto_traits::<mta_sts::audit::PolicyFetch>();
    assert_auto_traits::<mta_sts::audit::ProbeResult>();
    assert_auto_traits::<mta_sts::audit::Stage>();

    // diff
    assert_auto_traits::<mta_sts::diff::ExtensionChange>();
    assert_auto_traits::<mta_sts::diff::PolicyDiff>();

    // sender
    assert_auto_traits::<mta_sts::sender::Action>();
    assert_auto_traits::<mta_sts::sender::Apply>();
    assert_auto_traits::<mta_sts::sender::CacheEntry>();
    assert_auto_traits::<mta_sts::sender::CachedPolicy>();
    assert_auto_traits::<mta_sts::sender::Decision>();
    assert_auto_traits::<mta_sts::sender::FailedFetch>();
    assert_auto_traits::<mta_sts::sender::Fetch>();
    assert_auto_traits::<mta_sts::sender::FetchReason>();
    assert_auto_traits::<mta_sts::sender::FetchedPolicy>();
    assert_auto_traits::<mta_sts::sender::HttpResponse<'static>>();
    assert_auto_traits::<mta_sts::sender::Next>();
    assert_auto_traits::<mta_sts::sender::PolicyDomain>();
    assert_auto_traits::<mta_sts::sender::ResultType>();
    assert_auto_traits::<mta_sts::sender::TlsOutcome>();
    assert_auto_traits::<mta_sts::sender::TransportError>();
    assert_auto_traits::<mta_sts::sender::TxtLookup>();
    assert_auto_traits::<mta_sts::sender::Verdict>();

    // tlsrpt: records
    assert_auto_traits::<mta_sts::tlsrpt::ReportUri>();
    assert_auto_traits::<mta_sts::tlsrpt::TlsRptRecord>();
    assert_auto_traits::<mta_sts::tlsrpt::UriScheme>();
    assert_auto_traits::<mta_sts::tlsrpt::DeliveryTarget>();
    // tlsrpt: reports
    assert_auto_traits::<mta_sts::tlsrpt::Aggregator>();
    assert_auto_traits::<mta_sts::tlsrpt::Compression>();
    assert_auto_traits::<mta_sts::tlsrpt::DateRange>();
    assert_auto_traits::<mta_sts::tlsrpt::DateTime>();
    assert_auto_traits::<mta_sts::tlsrpt::Deviation>();
    assert_auto_traits::<mta_sts::tlsrpt::DeviationKind>();
    assert_auto_traits::<mta_sts::tlsrpt::FailureDetail>();
    assert_auto_traits::<mta_sts::tlsrpt::FailureType>();
    assert_auto_traits::<mta_sts::tlsrpt::PolicyReport>();
    assert_auto_traits::<mta_sts::tlsrpt::PolicyType>();
    assert_auto_traits::<mta_sts::tlsrpt::Report>();
    assert_auto_traits::<mta_sts::tlsrpt::ReportError>();
    assert_auto_traits::<mta_sts::tlsrpt::Session>();
    assert_auto_traits::<mta_sts::tlsrpt::UnknownName>();
}

/// The `serde` feature's report reader.
#[cfg(feature = "serde")]
#[test]
fn report_reader_types_are_send_sync_unpin() {
    assert_auto_traits::<mta_sts::tlsrpt::ParsedReport>();
}

/// The `proptest` feature's one public type.
#[cfg(feature = "proptest")]
#[test]
fn strategy_types_are_send_sync_unpin() {
    assert_auto_traits::<mta_sts::strategy::Malformed>();
}
