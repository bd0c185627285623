//! The options that point a command's network side somewhere else than the
//! public Internet (a test lab, a private resolver or CA), as one clap
//! struct, and the `mta_sts_net::Config` they make.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use mta_sts_net::Config;

use crate::input::read_input;

/// Where DNS questions and policy fetches go, and how long they may take.
#[derive(clap::Args, Debug)]
pub(crate) struct NetArgs {
    /// The DNS server to ask (default: the system's, from
    /// /etc/resolv.conf); port 53 unless given
    #[arg(long, value_name = "ADDR[:PORT]", value_parser = parse_resolver)]
    resolver: Option<SocketAddr>,
    /// The budget of each DNS query, of each policy fetch and (for check)
    /// of each MX probe, in seconds (fractions allowed; default 5 for DNS,
    /// 60 for the fetch, 30 for a probe)
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    timeout: Option<Duration>,
    /// A PEM file of CA certificates to trust instead of the public roots
    /// (a private CA)
    #[arg(long, value_name = "FILE")]
    ca: Option<String>,
    /// The HTTPS port of the policy hosts (for test servers)
    #[arg(long, value_name = "PORT", default_value_t = 443)]
    https_port: u16,
}

impl NetArgs {
    /// `--timeout`, when given.
    pub(crate) fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The network configuration the options describe.
    pub(crate) fn config(&self) -> Result<Config, String> {
        let mut config = Config::default();
        config.nameserver = self.resolver;
        config.https_port = self.https_port;
        if let Some(timeout) = self.timeout {
            config.dns_timeout = timeout;
            config.fetch_timeout = timeout;
        }
        if let Some(file) = &self.ca {
            let pem = read_input(file)?;
            config.roots =
                Config::roots_from_pem(&pem).map_err(|err| format!("--ca {file}: {err}"))?;
        }
        Ok(config)
    }
}

/// `ADDR` or `ADDR:PORT` (`[V6]:PORT` for IPv6 with a port).
fn parse_resolver(text: &str) -> Result<SocketAddr, String> {
    if let Ok(address) = text.parse::<SocketAddr>() {
        return Ok(address);
    }
    let bare = text.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<IpAddr>()
        .map(|ip| SocketAddr::new(ip, 53))
        .map_err(|_| format!("{text:?} is not an IP address, with or without a port"))
}

/// A positive number of seconds, at most a day (fractions allowed).
pub(crate) fn parse_seconds(text: &str) -> Result<Duration, String> {
    match parse_seconds_or_zero(text)? {
        Duration::ZERO => Err(format!("{text:?}: give more than 0 seconds")),
        duration => Ok(duration),
    }
}

/// A number of seconds from 0 to a day (fractions allowed).
pub(crate) fn parse_seconds_or_zero(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(0.0..=86_400.0).contains(&seconds) {
        return Err(format!("{text:?}: give from 0 to 86400 seconds"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_bounded_and_may_be_fractions() {
        assert_eq!(parse_seconds("0.25"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_seconds_or_zero("0"), Ok(Duration::ZERO));
        assert_eq!(
            parse_seconds("0"),
            Err("\"0\": give more than 0 seconds".to_owned())
        );
        assert_eq!(
            parse_seconds("86401"),
            Err("\"86401\": give from 0 to 86400 seconds".to_owned())
        );
        assert_eq!(
            parse_seconds("NaN"),
            Err("\"NaN\": give from 0 to 86400 seconds".to_owned())
        );
        assert_eq!(
            parse_seconds("soon"),
            Err("\"soon\" is not a number of seconds".to_owned())
        );
    }

    #[test]
    fn a_resolver_without_a_port_uses_53() {
        assert_eq!(
            parse_resolver("127.0.0.1"),
            Ok("127.0.0.1:53".parse().unwrap())
        );
        assert_eq!(parse_resolver("[::1]"), Ok("[::1]:53".parse().unwrap()));
        assert_eq!(
            parse_resolver("[::1]:5353"),
            Ok("[::1]:5353".parse().unwrap())
        );
        assert!(parse_resolver("dns.example").is_err());
    }
}
