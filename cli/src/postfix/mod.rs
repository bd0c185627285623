//! `mta-sts postfix reply --domain DOMAIN FILE|-`: the answer a Postfix
//! TLS policy socketmap gives for a domain whose policy is FILE, without
//! any network (SEMANTICS F1–F8, F10; the library's `postfix` module
//! decides). For administrators who want to see what Postfix will be told,
//! and for tests.
//!
//! The policy is read as a sending MTA reads it (leniently, RFC 8461 §3.3);
//! one that does not parse is no policy, so the reply is `NOTFOUND `.
//!
//! `mta-sts postfix serve` is the socketmap daemon giving the same replies
//! for live domains (`postfix/serve.rs`).

mod answers;
mod connection;
mod listen;
mod refresh;
mod serve;
mod workers;

use std::process::ExitCode;

use mta_sts::postfix::{self, MapReply, PostfixVersion, ReplyOptions};
use mta_sts::{ParseOptions, Policy};

use crate::input::read_input;

/// The `postfix` subcommands.
#[derive(clap::Subcommand, Debug)]
pub(crate) enum Command {
    /// Print the socketmap reply for a domain's policy file (no network)
    Reply(ReplyArgs),
    /// Run the socketmap daemon Postfix asks for TLS policies (TCP or a unix socket)
    Serve(Box<serve::Args>),
}

/// The options that shape a reply, shared by `reply` and `serve`.
#[derive(clap::Args, Debug)]
pub(crate) struct MapArgs {
    /// The Postfix version the reply is for: `servername` from 3.4, the TLSRPT
    /// attributes (with --tlsrpt) from 3.10
    #[arg(long, value_name = "MAJOR.MINOR", default_value = "3.4")]
    postfix_version: PostfixVersion,
    /// Treat `mode: testing` as enforce (off: testing never blocks delivery)
    #[arg(long)]
    testing_as_enforce: bool,
    /// Add Postfix 3.10's TLSRPT attributes (`policy_type`, `mx_host_pattern`, …)
    #[arg(long)]
    tlsrpt: bool,
}

impl MapArgs {
    /// The core's reply options.
    fn options(&self) -> ReplyOptions {
        ReplyOptions::new(self.postfix_version)
            .testing_as_enforce(self.testing_as_enforce)
            .tlsrpt(self.tlsrpt)
    }
}

/// The options of `mta-sts postfix reply`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Prints the reply's text as the socketmap daemon sends it (inside a \
                  netstring): `OK secure match=… servername=hostname`, or `NOTFOUND ` with \
                  the reason on standard error.\n\n\
                  Exit status: 0 a reply was printed (OK or NOTFOUND); 2 usage or I/O error."
)]
pub(crate) struct ReplyArgs {
    /// The lookup key as Postfix passes it: the next-hop domain (`example.com`,
    /// `example.com:25`, `[mx.example.com]`, …)
    #[arg(long, value_name = "DOMAIN")]
    domain: String,
    /// The domain's policy file (`-`: standard input)
    #[arg(value_name = "FILE")]
    file: String,
    #[command(flatten)]
    map: MapArgs,
}

/// Runs a `postfix` subcommand.
pub(crate) fn run(command: &Command) -> Result<ExitCode, String> {
    match command {
        Command::Reply(args) => reply(args),
        Command::Serve(args) => serve::run(args),
    }
}

fn reply(args: &ReplyArgs) -> Result<ExitCode, String> {
    let body = read_input(&args.file)?;
    let options = args.map.options();
    let answer = match postfix::lookup_key(&args.domain) {
        Err(reason) => MapReply::from(reason),
        Ok(domain) => match Policy::parse_bytes(&body, &ParseOptions::lenient()) {
            Ok(policy) => postfix::reply(Some(&policy), &domain, &options),
            Err(err) => {
                eprintln!("{}: not a policy senders apply: {err}", args.file);
                postfix::reply(None, &domain, &options)
            }
        },
    };
    match &answer {
        MapReply::NotFound(reason) => eprintln!("{reason}"),
        MapReply::Policy(policy) => {
            for pattern in policy.dropped() {
                eprintln!(
                    "F4: mx pattern {:?} is an IP address, left out of match=",
                    pattern.as_str()
                );
            }
        }
    }
    println!("{}", answer.to_response());
    Ok(ExitCode::SUCCESS)
}
