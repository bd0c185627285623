//! Resolvers sharing a `MemoryStore` against the lab: one fetch for all,
//! the store saved and loaded across a restart.

mod common;

use std::sync::Arc;

use mta_sts_lab::{Behaviour, enforce, lab};
use mta_sts_net::{MemoryStore, Resolver};

use common::{mx_of, resolver};

async fn mx(resolver: &Resolver, domain: &str) -> Vec<String> {
    mx_of(&resolver.policy(domain).await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolvers_on_one_memory_store_fetch_once() {
    let lab = lab();
    let domain = "shared.memory.test";
    lab.publish(
        domain,
        &["v=STSv1; id=1;"],
        Behaviour::policy(&enforce(&["mx.shared.memory.test"], 604_800)),
        &[],
    );
    let store = Arc::new(MemoryStore::new());
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let resolver = resolver(store.clone());
        tasks.spawn(async move { mx(&resolver, domain).await });
    }
    while let Some(done) = tasks.join_next().await {
        assert_eq!(done.unwrap(), ["mx.shared.memory.test"]);
    }
    assert_eq!(lab.web.hits("mta-sts.shared.memory.test"), 1);
    assert_eq!(store.len(), 1);

    let path = std::env::temp_dir().join(format!("mta-sts-store-{}.json", std::process::id()));
    store.save(&path).await.unwrap();
    let restarted = Arc::new(MemoryStore::new());
    assert_eq!(restarted.load(&path).await.unwrap(), 1);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        mx(&resolver(restarted), domain).await,
        ["mx.shared.memory.test"]
    );
    assert_eq!(
        lab.web.hits("mta-sts.shared.memory.test"),
        1,
        "the loaded store answered"
    );
}
