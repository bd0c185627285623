//! `examples/publish.rs`: the policy and TXT record built for example.com.

mod examples;

use std::process::Command;

#[test]
fn publish_example_prints_the_policy_the_record_and_the_checks() {
    let output = Command::new(examples::executable("publish"))
        .output()
        .expect("the example runs");
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n");
    let expected = "\
# https://mta-sts.example.com/.well-known/mta-sts.txt
version: STSv1
mode: testing
mx: mx1.example.com
mx: mx2.example.com
max_age: 1209600

# DNS: _mta-sts.example.com. TXT
\"v=STSv1; id=20241130T093000;\"

# Checks
info[mode-testing]: mode is \"testing\" on line 2: senders report failures but still deliver
";
    assert_eq!(stdout, expected);
}
