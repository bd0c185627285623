//! Builds an example program from a test, with the test's own features so
//! that cargo reuses the library it has already built, and returns the
//! executable's path. Shared by the `example_*` tests.

use std::path::PathBuf;
use std::process::Command;

/// Builds `examples/<name>` (once per call) and returns its executable.
pub(crate) fn executable(name: &str) -> PathBuf {
    let features: Vec<&str> = [
        ("serde", cfg!(feature = "serde")),
        ("proptest", cfg!(feature = "proptest")),
        ("arbitrary", cfg!(feature = "arbitrary")),
    ]
    .iter()
    .filter(|(_, on)| *on)
    .map(|(feature, _)| *feature)
    .collect();
    let mut cargo = Command::new(env!("CARGO"));
    cargo.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "build",
        "--quiet",
        "--example",
        name,
        "--message-format=json",
    ]);
    if !features.is_empty() {
        cargo.arg("--features").arg(features.join(","));
    }
    let output = cargo.output().expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo build --example {name} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["target"]["name"] == name)
        .filter(|message| message["target"]["kind"][0] == "example")
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .expect("cargo reports the example's executable")
}
