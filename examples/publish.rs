//! Building what to publish: a policy from a domain's MX hosts (as DNS
//! gives them), its text, the `_mta-sts` TXT record with an id made from a
//! time, and the lint run over both.
//!
//! ```text
//! cargo run --example publish
//! ```
//!
//! The `mta-sts publish DOMAIN MX…` command (`cargo run -p mta-sts-cli --
//! publish --help`) does this for any domain, and keeps the previous id
//! when nothing changed.

use mta_sts::lint::{self, Context};
use mta_sts::sender::PolicyDomain;
use mta_sts::{Mode, Policy, TxtRecord};

fn main() -> Result<(), mta_sts::Error> {
    let domain = PolicyDomain::new("Example.COM.")?;
    let mx = ["MX1.example.com.", "mx2.example.com."];

    // `mx_lenient` takes host names as DNS returns them (any case, a
    // trailing dot) and writes them as the policy wants them.
    let mut builder = Policy::builder(Mode::Testing, 14 * 86_400);
    for host in mx {
        builder = builder.mx_lenient(host);
    }
    let policy = builder.build()?;
    // A new id for a new policy; 2024-11-30 09:30 UTC here, the clock in
    // real use.
    let record = TxtRecord::from_unix_time(1_732_959_000);

    println!("# {}", domain.policy_url());
    print!("{policy}");
    println!("\n# DNS: {}. TXT", domain.txt_name());
    println!("\"{record}\"");

    // What was built is checked like any published policy.
    let context = Context::new()
        .domain(domain.as_str())
        .dns_mx(mx)
        .txt(record.to_string());
    let report = lint::check(&policy.to_string(), &context);
    println!("\n# Checks");
    for lint in report.lints() {
        println!("{lint}");
    }
    Ok(())
}
