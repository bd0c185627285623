//! `mta-sts-lab-serve [N] [DIR]`: starts the lab with N domains (default
//! 1000) and serves them until standard input closes, for measuring
//! `mta-sts check --from` by hand (`cli/scripts/measure-check`).
//!
//! The domains are `bench-0.test` … : of every ten, seven are in place
//! (enforce policy, a STARTTLS MX host with a certificate for its name),
//! two serve no policy (404) and one does not exist. Their certificates
//! are issued before the lab is announced, so that a run measures the
//! checks and not the lab's key generation. It writes the list to
//! `DIR/domains.txt` and the lab CA to `DIR/ca.pem` (DIR: the temporary
//! directory), then prints one line: the options that point
//! `mta-sts check` at the lab.

use std::io::Read;
use std::path::PathBuf;

use mta_sts_lab::{Behaviour, Leaf, Mx, enforce, lab};

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = match args.next().map(|n| n.parse()) {
        None => 1000,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            eprintln!("usage: mta-sts-lab-serve [N] [DIR]");
            std::process::exit(2);
        }
    };
    let dir = args.next().map_or_else(std::env::temp_dir, PathBuf::from);
    let lab = lab();
    let mut list = String::new();
    for n in 0..count {
        let domain = format!("bench-{n}.test");
        let (host, mx) = (format!("mta-sts.{domain}"), format!("mx.{domain}"));
        match n % 10 {
            0..=6 => {
                lab.pki.serve(&host, Leaf::For(&[host.as_str()]));
                lab.pki.serve(&mx, Leaf::For(&[mx.as_str()]));
                let policy = Behaviour::policy(&enforce(&[&mx], 604_800));
                lab.publish(&domain, &["v=STSv1; id=1;"], policy, &[(&mx, Mx::Good)]);
            }
            7 | 8 => {
                lab.pki.serve(&host, Leaf::For(&[host.as_str()]));
                lab.pki.serve(&mx, Leaf::For(&[mx.as_str()]));
                let policy = Behaviour::status(404);
                lab.publish(&domain, &["v=STSv1; id=1;"], policy, &[(&mx, Mx::Good)]);
            }
            _ => {} // does not exist
        }
        list.push_str(&domain);
        list.push('\n');
    }
    let (list_file, ca_file) = (dir.join("domains.txt"), dir.join("ca.pem"));
    std::fs::write(&list_file, list).expect("list written");
    std::fs::write(&ca_file, lab.pki.ca_pem()).expect("CA written");
    println!(
        "--from {} --resolver {} --https-port {} --smtp-port {} --ca {}",
        list_file.display(),
        lab.dns,
        lab.https_port,
        lab.smtp_port,
        ca_file.display()
    );
    // Serve until standard input closes.
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}
