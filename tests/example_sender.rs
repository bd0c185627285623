//! `examples/sender.rs` runs and walks through the steps it promises.

use std::process::Command;

#[test]
fn sender_example_runs() {
    // Build with this test's features so the library is not rebuilt.
    let features: Vec<&str> = [
        ("serde", cfg!(feature = "serde")),
        ("proptest", cfg!(feature = "proptest")),
        ("arbitrary", cfg!(feature = "arbitrary")),
    ]
    .iter()
    .filter(|(_, on)| *on)
    .map(|(name, _)| *name)
    .collect();
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--quiet", "--example", "sender"]);
    if !features.is_empty() {
        cargo.arg("--features").arg(features.join(","));
    }
    let output = cargo.output().expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the example failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for expected in [
        "TXT record        _mta-sts.xn--bcher-kva.example",
        "policy URL        https://mta-sts.xn--bcher-kva.example/.well-known/mta-sts.txt",
        "address literal   invalid-domain",
        "decision          apply NoPolicy, next Fetch(NoCache)",
        "-> report sts-policy-fetch-error",
        "one minute later  next Wait { reason: NoCache, until: 1700000300 }",
        "DNS failure       apply Cached, next Nothing",
        "two days later    apply Cached, next Fetch(Refresh)",
        "after expiry      apply NoPolicy, next Nothing",
        "mx1.xn--bcher-kva.example   Valid: Deliver, report nothing",
        "mx.attacker.example         Valid: Refuse, report validation-failure",
        "without mx1       Defer",
        "testing  mx.attacker.example         Valid: Deliver, report validation-failure",
        "report to         https://reports.example.net/v1 (https)",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
}
