//! Cache and refresh decisions (RFC 8461 §3.1, §3.3, §5.1): tables, then
//! property tests.

use mta_sts::sender::{
    Apply, CacheEntry, CachedPolicy, Decision, FETCH_RETRY_DELAY, FailedFetch, Fetch, FetchReason,
    FetchedPolicy, HttpResponse, Next, REFRESH_AFTER, TxtLookup, decide, validate_fetch,
};
use mta_sts::{ParseOptions, Policy};
use proptest::prelude::*;

const LIMIT: u64 = 31_557_600;

fn policy(max_age: u64) -> Policy {
    let text = format!("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: {max_age}\n");
    Policy::parse_with(&text, &ParseOptions::lenient()).unwrap()
}

fn record(id: &str) -> TxtLookup {
    TxtLookup::from_rrset([format!("v=STSv1; id={id};")])
}

#[track_caller]
#[allow(clippy::needless_pass_by_value)] // owned values read best in the tables
fn check(decision: Decision, apply: Apply, next: Next) {
    assert_eq!((decision.apply(), decision.next()), (apply, &next));
}

// ---- CachedPolicy ------------------------------------------------------

#[test]
fn expiry_is_fetched_at_plus_max_age_inclusive() {
    // §3.2: cache "for up to" max_age seconds from the fetch.
    let cached = CachedPolicy::new(policy(86_400), "a", 1_000);
    assert_eq!(cached.expires_at(), 87_400);
    assert!(!cached.is_expired(1_000));
    assert!(!cached.is_expired(87_400));
    assert!(cached.is_expired(87_401));
    assert_eq!(cached.age(87_400), 86_400);
    // A clock that went backwards: age 0, still valid.
    assert_eq!(cached.age(10), 0);
    assert!(!cached.is_expired(10));
}

#[test]
fn max_age_zero_is_valid_only_at_the_fetch_second() {
    let cached = CachedPolicy::new(policy(0), "a", 5);
    assert!(!cached.is_expired(5));
    assert!(cached.is_expired(6));
}

#[test]
fn expiry_saturates_instead_of_overflowing() {
    let cached = CachedPolicy::new(policy(LIMIT), "a", u64::MAX - 10);
    assert_eq!(cached.expires_at(), u64::MAX);
    assert!(!cached.is_expired(u64::MAX));
}

#[test]
fn lenient_max_age_above_the_limit_is_clamped() {
    // §3.2 / SEMANTICS P17: max_age above 31557600 counts as 31557600.
    let cached = CachedPolicy::new(policy(9_999_999_999), "a", 0);
    assert_eq!(cached.expires_at(), LIMIT);
}

#[test]
fn failed_fetch_retry_is_five_minutes_later() {
    assert_eq!(FETCH_RETRY_DELAY, 300);
    assert_eq!(FailedFetch::new("a", 100).retry_at(), 400);
    assert_eq!(FailedFetch::new("a", u64::MAX - 1).retry_at(), u64::MAX);
}

// ---- TxtLookup ---------------------------------------------------------

#[test]
fn txt_lookup_from_rrset() {
    // §3.1 record selection.
    assert_eq!(
        TxtLookup::from_rrset(Vec::<&str>::new()),
        TxtLookup::NoRecord
    );
    assert_eq!(TxtLookup::from_rrset(["v=spf1 -all"]), TxtLookup::NoRecord);
    assert_eq!(
        TxtLookup::from_rrset(["v=STSv1; id=a;", "v=STSv1; id=b;"]),
        TxtLookup::MultipleRecords
    );
    let invalid = TxtLookup::from_rrset(["v=STSv1; id=a-b;"]);
    assert!(
        matches!(&invalid, TxtLookup::Invalid(err) if err.code() == "invalid-id"),
        "{invalid:?}"
    );
    assert_eq!(invalid.id(), None);
    // Lenient accepts the looser id (SEMANTICS T7).
    let lenient = TxtLookup::from_rrset_with(["v=STSv1; id=a-b;"], &ParseOptions::lenient());
    assert_eq!(lenient.id(), Some("a-b"));
    assert_eq!(TxtLookup::Failed.id(), None);
}

// ---- decide: tables ----------------------------------------------------

const NOW: u64 = 1_700_000_000;

#[test]
fn no_cache() {
    // §3.3: nothing cached and a valid record: fetch; until then, no policy.
    check(
        decide(None, &record("a"), None, NOW),
        Apply::NoPolicy,
        Next::Fetch(Fetch::new(FetchReason::NoCache, "a")),
    );
    // §3.1: no usable record: no policy, nothing to fetch.
    for lookup in [
        TxtLookup::NoRecord,
        TxtLookup::MultipleRecords,
        TxtLookup::Failed,
        TxtLookup::from_rrset(["v=STSv1;"]),
    ] {
        check(
            decide(None, &lookup, None, NOW),
            Apply::NoPolicy,
            Next::Nothing,
        );
    }
}

#[test]
fn unexpired_cache_survives_any_txt_outcome() {
    // §3.1 note and §5.1: a missing or failed TXT lookup does not remove a
    // policy that has not expired.
    let cached = CachedPolicy::new(policy(604_800), "a", NOW);
    for lookup in [
        TxtLookup::NoRecord,
        TxtLookup::MultipleRecords,
        TxtLookup::Failed,
        TxtLookup::from_rrset(["v=STSv1; id=!"]),
    ] {
        check(
            decide(Some(&cached), &lookup, None, NOW + 3_600),
            Apply::Cached,
            Next::Nothing,
        );
        // At exactly max_age: still applied.
        check(
            decide(Some(&cached), &lookup, None, NOW + 604_800),
            Apply::Cached,
            Next::Nothing,
        );
        // One second later: expired, nothing to fetch without a record.
        check(
            decide(Some(&cached), &lookup, None, NOW + 604_801),
            Apply::NoPolicy,
            Next::Nothing,
        );
    }
}

#[test]
fn same_id() {
    let cached = CachedPolicy::new(policy(604_800), "a", NOW);
    // Fresh: nothing to do.
    check(
        decide(Some(&cached), &record("a"), None, NOW + 60),
        Apply::Cached,
        Next::Nothing,
    );
    // §3.3: exactly one day old is not "older than a day".
    check(
        decide(Some(&cached), &record("a"), None, NOW + REFRESH_AFTER),
        Apply::Cached,
        Next::Nothing,
    );
    // §3.3 proactive refresh after a day.
    check(
        decide(Some(&cached), &record("a"), None, NOW + REFRESH_AFTER + 1),
        Apply::Cached,
        Next::Fetch(Fetch::new(FetchReason::Refresh, "a")),
    );
    // Expired: fetch; until then, no policy.
    check(
        decide(Some(&cached), &record("a"), None, NOW + 604_801),
        Apply::NoPolicy,
        Next::Fetch(Fetch::new(FetchReason::Expired, "a")),
    );
}

#[test]
fn id_changed() {
    // §3.1: a new id means a new policy; §3.3: the old one still applies
    // until a fetch succeeds, as long as it has not expired.
    let cached = CachedPolicy::new(policy(604_800), "a", NOW);
    check(
        decide(Some(&cached), &record("b"), None, NOW + 60),
        Apply::Cached,
        Next::Fetch(Fetch::new(FetchReason::IdChanged, "b")),
    );
    check(
        decide(Some(&cached), &record("b"), None, NOW + 604_801),
        Apply::NoPolicy,
        Next::Fetch(Fetch::new(FetchReason::IdChanged, "b")),
    );
}

#[test]
fn failed_fetch_backoff_is_per_id() {
    // §3.3: after a failed GET, no new attempt within five minutes for the
    // same version id.
    let cached = CachedPolicy::new(policy(604_800), "a", NOW);
    let failed = FailedFetch::new("b", NOW + 100);
    let wait = Next::Wait {
        reason: FetchReason::IdChanged,
        until: NOW + 400,
    };
    check(
        decide(Some(&cached), &record("b"), Some(&failed), NOW + 100),
        Apply::Cached,
        wait.clone(),
    );
    check(
        decide(Some(&cached), &record("b"), Some(&failed), NOW + 399),
        Apply::Cached,
        wait,
    );
    check(
        decide(Some(&cached), &record("b"), Some(&failed), NOW + 400),
        Apply::Cached,
        Next::Fetch(Fetch::new(FetchReason::IdChanged, "b")),
    );
    // A failure for another id does not hold off this one.
    check(
        decide(Some(&cached), &record("c"), Some(&failed), NOW + 100),
        Apply::Cached,
        Next::Fetch(Fetch::new(FetchReason::IdChanged, "c")),
    );
    // Without a cache: no policy while waiting.
    check(
        decide(None, &record("b"), Some(&failed), NOW + 200),
        Apply::NoPolicy,
        Next::Wait {
            reason: FetchReason::NoCache,
            until: NOW + 400,
        },
    );
    // A failure never makes a fetch due by itself.
    check(
        decide(
            Some(&cached),
            &record("a"),
            Some(&FailedFetch::new("a", NOW)),
            NOW + 10,
        ),
        Apply::Cached,
        Next::Nothing,
    );
}

#[test]
fn fetch_accessor_and_reason_names() {
    let decision = decide(None, &record("a"), None, NOW);
    assert_eq!(
        decision.fetch(),
        Some(&Fetch::new(FetchReason::NoCache, "a"))
    );
    assert_eq!(decision.fetch().unwrap().id(), "a");
    assert_eq!(decide(None, &TxtLookup::Failed, None, NOW).fetch(), None);
    let names: Vec<_> = [
        FetchReason::NoCache,
        FetchReason::IdChanged,
        FetchReason::Expired,
        FetchReason::Refresh,
    ]
    .iter()
    .map(FetchReason::as_str)
    .collect();
    assert_eq!(names, ["no-cache", "id-changed", "expired", "refresh"]);
}

// ---- TxtLookup from bytes ---------------------------------------------

/// Records, each as its character-strings.
type Records<'a> = &'a [&'a [&'a [u8]]];

/// An RRset as hickory-resolver gives it: per record, its strings.
fn rrset(records: Records<'_>) -> Vec<Vec<Box<[u8]>>> {
    records
        .iter()
        .map(|strings| strings.iter().map(|&s| Box::from(s)).collect())
        .collect()
}

#[test]
fn lookup_from_bytes_joins_each_records_strings() {
    let lenient = ParseOptions::lenient();
    let table: &[(Records, Result<&str, &str>)] = &[
        // One record in three strings; the split may fall anywhere.
        (&[&[b"v=ST", b"Sv1; id=abc", b"123;"]], Ok("abc123")),
        // Other records, even ones that are not UTF-8, are ignored.
        (&[&[b"\xff\xfe binary"], &[b"v=STSv1; id=1;"]], Ok("1")),
        (&[&[b"v=spf1 -all"], &[b"v=STSv1;", b" id=2"]], Ok("2")),
        // Lenient selection also takes `v=STSv1 ;` (R2).
        (&[&[b"v=STSv1 ; id=3;"]], Ok("3")),
        // Strings are joined with no separator: `v=STSv1 id=4;` has no `;`
        // after the version, so it is not an STS record at all.
        (&[&[b"v=STSv1", b" ", b"id=4;"]], Err("no-record")),
        (&[], Err("no-record")),
        (&[&[]], Err("no-record")),
        (
            &[&[b"v=STSv1; id=5;"], &[b"v=STSv1; id=6;"]],
            Err("multiple"),
        ),
        // The one STS record is not UTF-8: invalid, with the column.
        (&[&[b"v=STSv1; id=", b"\xc3("]], Err("invalid")),
    ];
    for (records, expected) in table {
        let lookup = TxtLookup::from_rrset_bytes(rrset(records), &lenient);
        let got = match &lookup {
            TxtLookup::Record(record) => Ok(record.id()),
            TxtLookup::NoRecord => Err("no-record"),
            TxtLookup::MultipleRecords => Err("multiple"),
            TxtLookup::Invalid(_) => Err("invalid"),
            other => panic!("{records:?}: {other:?}"),
        };
        let text: Vec<Vec<String>> = records
            .iter()
            .map(|strings| {
                strings
                    .iter()
                    .map(|s| String::from_utf8_lossy(s).into_owned())
                    .collect()
            })
            .collect();
        assert_eq!(got, *expected, "{text:?}");
    }
    let lookup = TxtLookup::from_rrset_bytes(rrset(&[&[b"v=STSv1; id=", b"\xc3("]]), &lenient);
    let TxtLookup::Invalid(err) = lookup else {
        panic!("{lookup:?}")
    };
    assert_eq!((err.code(), err.column()), ("syntax", Some(13)));
}

#[test]
fn lookup_from_bytes_agrees_with_lookup_from_strings() {
    for options in [ParseOptions::strict(), ParseOptions::lenient()] {
        for records in [
            vec!["v=STSv1; id=20240101;"],
            vec!["v=spf1 -all", "v=STSv1;id=x"],
            vec!["v=STSv1 ; id=x;"],
            vec!["v=STSv1; id=a", "v=STSv1; id=b"],
            vec!["v=STSv1; id=2024-01-01;"],
        ] {
            let bytes: Vec<Vec<&[u8]>> = records.iter().map(|r| vec![r.as_bytes()]).collect();
            assert_eq!(
                TxtLookup::from_rrset_bytes(bytes, &options),
                TxtLookup::from_rrset_with(&records, &options),
                "{records:?} lenient={}",
                options.is_lenient()
            );
        }
    }
}

// ---- CacheEntry --------------------------------------------------------

fn fetched(max_age: u64) -> FetchedPolicy {
    let body = format!("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: {max_age}\n");
    let response = HttpResponse::new(200, body.as_bytes()).content_type("text/plain");
    validate_fetch(&response, &ParseOptions::lenient()).unwrap()
}

#[test]
fn successful_fetch_is_cached_and_applied_at_once() {
    let mut entry = CacheEntry::with(None, Some(FailedFetch::new("a", NOW - 600)));
    let decision = entry.decide(&record("a"), NOW);
    let fetch = decision.fetch().unwrap().clone();
    assert_eq!(fetch, Fetch::new(FetchReason::NoCache, "a"));
    let decision = entry.complete_fetch(&fetch, Ok::<_, ()>(fetched(604_800)), NOW);
    check(decision, Apply::Cached, Next::Nothing);
    let cached = entry.cached().unwrap();
    assert_eq!((cached.id(), cached.fetched_at()), ("a", NOW));
    // The earlier failure is forgotten.
    assert_eq!(entry.last_failure(), None);
    assert_eq!(entry.policy(NOW), Some(cached.policy()));
}

#[test]
fn failed_fetch_keeps_the_cache_and_waits() {
    let old = CachedPolicy::new(policy(604_800), "a", NOW);
    let mut entry = CacheEntry::with(Some(old.clone()), None);
    let at = NOW + 60;
    let decision = entry.decide(&record("b"), at);
    let fetch = decision.fetch().unwrap().clone();
    let decision = entry.complete_fetch(&fetch, Err::<FetchedPolicy, _>("timeout"), at);
    check(
        decision,
        Apply::Cached,
        Next::Wait {
            reason: FetchReason::IdChanged,
            until: at + FETCH_RETRY_DELAY,
        },
    );
    assert_eq!(entry.cached(), Some(&old));
    assert_eq!(entry.last_failure(), Some(&FailedFetch::new("b", at)));
    // Without an unexpired policy, a failed fetch leaves no policy.
    let mut empty = CacheEntry::new();
    let decision = empty.complete_fetch(&fetch, Err::<FetchedPolicy, _>(()), at);
    assert_eq!(decision.apply(), Apply::NoPolicy);
    assert_eq!(empty.policy(at), None);
}

#[test]
fn entry_policy_is_what_the_decision_applies() {
    let entry = CacheEntry::with(Some(CachedPolicy::new(policy(100), "a", NOW)), None);
    for at in [NOW, NOW + 100, NOW + 101] {
        let applies = entry.decide(&TxtLookup::Failed, at).apply() == Apply::Cached;
        assert_eq!(entry.policy(at).is_some(), applies, "{at}");
    }
}

// ---- decide: properties ------------------------------------------------

fn lookup_strategy() -> impl Strategy<Value = TxtLookup> {
    prop_oneof![
        prop::sample::select(vec!["a", "b", "c"]).prop_map(record),
        Just(TxtLookup::NoRecord),
        Just(TxtLookup::MultipleRecords),
        Just(TxtLookup::Failed),
        Just(TxtLookup::from_rrset(["v=STSv1; id=a=b"])),
    ]
}

fn max_age_strategy() -> impl Strategy<Value = u64> {
    prop_oneof![Just(0), Just(LIMIT), 0..=LIMIT, LIMIT..=9_999_999_999]
}

fn time_strategy() -> impl Strategy<Value = u64> {
    prop_oneof![
        any::<u64>(),
        u64::MAX - 1_000_000..=u64::MAX,
        0..1_000_000u64
    ]
}

fn cached_strategy() -> impl Strategy<Value = Option<CachedPolicy>> {
    prop::option::of((
        max_age_strategy(),
        prop::sample::select(vec!["a", "b"]),
        time_strategy(),
    ))
    .prop_map(|entry| entry.map(|(max_age, id, at)| CachedPolicy::new(policy(max_age), id, at)))
}

fn failure_strategy() -> impl Strategy<Value = Option<FailedFetch>> {
    prop::option::of((prop::sample::select(vec!["a", "b"]), time_strategy()))
        .prop_map(|failure| failure.map(|(id, at)| FailedFetch::new(id, at)))
}

fn fetch_due(decision: &Decision) -> bool {
    matches!(decision.next(), Next::Fetch(_))
}

proptest! {
    #[test]
    fn expiry_never_overflows(max_age in any::<u64>(), fetched_at in any::<u64>(), now in any::<u64>()) {
        // Any u64 max_age, even one a parser would never produce.
        let text = format!("version: STSv1\nmode: none\nmax_age: {}\n", max_age % 10_000_000_000);
        let policy = Policy::parse_with(&text, &ParseOptions::lenient()).unwrap();
        let cached = CachedPolicy::new(policy, "a", fetched_at);
        let expires = cached.expires_at();
        prop_assert!(expires >= fetched_at);
        prop_assert!(expires - fetched_at <= LIMIT);
        prop_assert_eq!(cached.is_expired(now), now > expires);
        let _ = decide(Some(&cached), &record("a"), Some(&FailedFetch::new("a", now)), now);
    }

    #[test]
    fn lookup_failure_never_evicts_an_unexpired_policy(
        cached in cached_strategy(),
        lookup in lookup_strategy(),
        failure in failure_strategy(),
        now in time_strategy(),
    ) {
        let decision = decide(cached.as_ref(), &lookup, failure.as_ref(), now);
        let unexpired = cached.as_ref().is_some_and(|c| !c.is_expired(now));
        // The cache applies exactly when it has not expired, whatever DNS said.
        prop_assert_eq!(decision.apply() == Apply::Cached, unexpired);
        // Without a valid record, nothing is fetched or awaited.
        if lookup.id().is_none() {
            prop_assert_eq!(decision.next(), &Next::Nothing);
        }
        // A wait always ends in the future, five minutes after the failure
        // for the id now published.
        if let Next::Wait { until, .. } = decision.next() {
            let failure = failure.as_ref().unwrap();
            prop_assert!(*until > now);
            prop_assert_eq!(*until, failure.retry_at());
            prop_assert_eq!(Some(failure.id()), lookup.id());
        }
    }

    #[test]
    fn decisions_are_monotonic_in_time(
        cached in cached_strategy(),
        lookup in lookup_strategy(),
        failure in failure_strategy(),
        t1 in time_strategy(),
        dt in prop_oneof![0..1_000u64, 0..100_000_000u64, any::<u64>()],
    ) {
        let t2 = t1.saturating_add(dt);
        let early = decide(cached.as_ref(), &lookup, failure.as_ref(), t1);
        let late = decide(cached.as_ref(), &lookup, failure.as_ref(), t2);
        // Once the cache stops applying, it never applies again.
        if early.apply() == Apply::NoPolicy {
            prop_assert_eq!(late.apply(), Apply::NoPolicy);
        }
        // Once a fetch is due, it stays due.
        if fetch_due(&early) {
            prop_assert!(fetch_due(&late), "{early:?} then {late:?}");
        }
        // A wait never moves its deadline.
        if let (Next::Wait { until: a, .. }, Next::Wait { until: b, .. }) = (early.next(), late.next()) {
            prop_assert_eq!(a, b);
        }
    }
}

proptest! {
    #[test]
    fn complete_fetch_gives_what_a_second_decide_would(
        cached in cached_strategy(),
        failure in failure_strategy(),
        id in prop::sample::select(vec!["a", "b"]),
        succeeded in any::<bool>(),
        now in time_strategy(),
    ) {
        let mut entry = CacheEntry::with(cached, failure);
        let fetch = Fetch::new(FetchReason::NoCache, id);
        let result = if succeeded { Ok(fetched(86_400)) } else { Err(()) };
        let decision = entry.complete_fetch(&fetch, result, now);
        prop_assert_eq!(&decision, &entry.decide(&record(id), now));
        if succeeded {
            prop_assert_eq!(decision.apply(), Apply::Cached);
            prop_assert_eq!(decision.next(), &Next::Nothing);
        } else {
            prop_assert_eq!(entry.last_failure(), Some(&FailedFetch::new(id, now)));
            prop_assert!(!matches!(decision.next(), Next::Fetch(_)));
        }
    }
}
