//! The lint API: check a policy with what the cross-checks need (the
//! domain, its DNS MX hosts, its `_mta-sts` TXT record), then say whether
//! strict senders accept it and what each finding means.
//!
//! ```text
//! cargo run --example lint [POLICY-FILE]
//! ```
//!
//! With no file it lints `examples/policies/problems.txt` as example.com's
//! policy. The `mta-sts lint` command (`cargo run -p mta-sts-cli -- lint`)
//! is the full front: exact fixes, wrapping, colour, JSON.

use mta_sts::Policy;
use mta_sts::lint::{self, Context, Severity};

const BUNDLED: &str = include_str!("policies/problems.txt");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let text = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(path)?,
        None => BUNDLED.to_owned(),
    };
    // What the lint cannot see in the file: where it is published, the MX
    // records it must cover and the TXT record that announces it.
    let context = Context::new()
        .domain("example.com")
        .dns_mx(["mail.example.com.", "mx2.example.com."])
        .txt("v=STSv1; id=2024-06-01;");
    let report = lint::check(&text, &context);

    // Strict parsing is RFC 8461 as written; the lint parses leniently and
    // keeps the policy lenient senders would apply.
    match Policy::parse(&text) {
        Ok(_) => println!("strict senders accept the policy"),
        Err(err) => println!("strict senders refuse the policy: {err}"),
    }
    match report.policy() {
        Some(policy) => println!("lenient senders apply mode {}", policy.mode()),
        None => println!("lenient senders refuse it too"),
    }
    for lint in report.lints() {
        println!("\n{lint}");
        // The first paragraph of the explanation: why it matters.
        let why = lint.explanation().split('\n').next().unwrap_or_default();
        println!("  {why}");
    }
    println!(
        "\n{} errors, {} warnings, {} info",
        report.count(Severity::Error),
        report.count(Severity::Warning),
        report.count(Severity::Info)
    );
    Ok(())
}
