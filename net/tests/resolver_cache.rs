//! The sender resolver's cache as a long-running daemon manages it:
//! listing the cached domains and dropping the entries that hold nothing,
//! without any network (the cache comes from a file).

use mta_sts::Policy;
use mta_sts::sender::{CacheEntry, CachedPolicy, FailedFetch};
use mta_sts_net::{Config, Resolver};

#[tokio::test]
async fn entries_without_a_policy_or_a_failure_are_forgotten() {
    let policy =
        Policy::parse("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 86400\n")
            .unwrap();
    let now = 1_700_000_000;
    let domains = serde_json::json!({
        "policy.example": CacheEntry::with(Some(CachedPolicy::new(policy, "1", now)), None),
        "failed.example": CacheEntry::with(None, Some(FailedFetch::new("2", now))),
        "empty.example": CacheEntry::new(),
    });
    let file = serde_json::json!({ "version": 1, "domains": domains });
    let path = std::env::temp_dir().join(format!("mta-sts-forget-{}.json", std::process::id()));
    std::fs::write(&path, file.to_string()).unwrap();

    let resolver = Resolver::new(Config::default());
    assert_eq!(resolver.load(&path).await.unwrap(), 3);
    let _ = std::fs::remove_file(&path);
    let mut listed = resolver.domains();
    listed.sort();
    assert_eq!(
        listed,
        ["empty.example", "failed.example", "policy.example"]
    );

    assert_eq!(resolver.forget_empty(), 1);
    let mut listed = resolver.domains();
    listed.sort();
    assert_eq!(listed, ["failed.example", "policy.example"]);
    assert_eq!(resolver.forget_empty(), 0);
    assert!(resolver.cached("policy.example").await.is_some());
    assert!(resolver.cached("empty.example").await.is_none());
}
