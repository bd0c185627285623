//! `mta-sts`: the command a mail administrator runs. It lints an MTA-STS
//! policy (`lint`), checks live domains (`check`: DNS, the policy fetch,
//! each MX host's STARTTLS), prints what to publish for a domain
//! (`publish`), shows what a Postfix TLS policy socketmap answers for a
//! policy (`postfix reply`), serves those answers to Postfix as a
//! socketmap daemon (`postfix serve`) and reads TLS-RPT aggregate reports, gzipped or as the
//! e-mails they arrive in (`report`). Every judgement is the `mta-sts` library's; this crate
//! reads the command line and the files and writes the answers.
//!
//! Exit status, for every subcommand: 0 nothing wrong, 1 something to fix
//! (findings with errors, failed TLS sessions), 2 usage or I/O errors, or
//! nothing could be read (for `check`: no domain could be checked); 130
//! `check` stopped by Ctrl-C.

mod check;
mod input;
mod lint;
mod net_args;
mod postfix;
mod publish;
mod report;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) for mail administrators.
#[derive(Parser, Debug)]
#[command(name = "mta-sts", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Lint an MTA-STS policy file: do senders accept it, and what to fix
    Lint(lint::Args),
    /// Check live domains: their _mta-sts record, policy, MX hosts' STARTTLS and TLS-RPT
    Check(check::Args),
    /// Print the policy file and the _mta-sts TXT record to publish for a domain
    Publish(publish::Args),
    /// Postfix: what its TLS policy socketmap answers for a domain
    #[command(subcommand)]
    Postfix(postfix::Command),
    /// Summarise TLS-RPT reports (JSON, gzipped, or whole e-mails) per policy domain
    Report(report::Args),
    /// Print a shell completion script (bash, elvish, fish, powershell, zsh)
    Completions {
        /// The shell to complete for
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (name, result) = match &cli.command {
        Command::Lint(args) => ("lint", lint::run(args)),
        Command::Check(args) => ("check", check::run(args)),
        Command::Publish(args) => ("publish", publish::run(args)),
        Command::Postfix(command) => ("postfix", postfix::run(command)),
        Command::Report(args) => ("report", report::run(args)),
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(*shell, &mut command, "mta-sts", &mut std::io::stdout());
            return ExitCode::SUCCESS;
        }
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("mta-sts {name}: {message}");
            ExitCode::from(2)
        }
    }
}
