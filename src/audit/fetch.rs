//! The policy fetch (RFC 8461 §3.3): the response, the policy host's
//! certificate and the policy text, rules A8 and A14–A17 of
//! `docs/AUDIT.md`.

use super::certificate;
use super::evidence::{HttpExchange, PolicyFetch};
use super::mx::stage_words;
use crate::code::Code;
use crate::lint::text::from_error;
use crate::lint::{self, Context, Lint, Report, Severity};
use crate::message::quote_short;
use crate::sender::{HttpResponse, validate_fetch};
use crate::{ErrorKind, ParseOptions, Policy};

/// Judges the fetch from `policy_host` at `now`, appending its lints.
/// Returns the lint report on the policy text when there is one to read
/// (a 200 response with a whole UTF-8 body): `context` carries the domain
/// and the DNS MX hosts for its cross-checks.
pub(super) fn lint(
    fetch: &PolicyFetch,
    policy_host: &str,
    now: u64,
    context: &Context,
    out: &mut Vec<Lint>,
) -> Option<Report> {
    let who = format!("policy host {}", quote_short(policy_host));
    let exchange = match &fetch.result {
        Ok(exchange) => exchange,
        // A8: no response; the certificate, if the handshake saw one.
        Err(failure) => {
            let message = format!(
                "the policy fetch from {} failed: {} failed: {}",
                quote_short(&fetch.url),
                stage_words(failure.stage),
                quote_short(&failure.reason)
            );
            out.push(Lint::new(Code::FetchFailed, None, message));
            if let Some(cert) = &failure.certificate {
                certificate::judge(cert, policy_host, &who, now, Severity::Error, out);
            }
            return None;
        }
    };
    // A9–A13: senders refuse the fetch over a certificate they refuse.
    certificate::judge(
        &exchange.certificate,
        policy_host,
        &who,
        now,
        Severity::Error,
        out,
    );
    if !response_ok(exchange, &fetch.url, out) {
        return None;
    }
    // A16: a body over the limit, cut short by the fetcher.
    if exchange.body_truncated {
        let message = format!(
            "the policy body is larger than the 65536-byte limit (reading stopped after {} bytes): senders refuse it",
            exchange.body.len()
        );
        out.push(Lint::new(Code::Error(ErrorKind::TooLarge), None, message));
        return None;
    }
    // A17: the policy text, linted as `lint::check` does.
    match std::str::from_utf8(&exchange.body) {
        Ok(text) => Some(lint::check(text, context)),
        Err(_) => {
            if let Err(error) = Policy::parse_bytes(&exchange.body, &ParseOptions::lenient()) {
                out.push(from_error(&error));
            }
            None
        }
    }
}

/// A14, A15: the status and the media type, as `validate_fetch` decides
/// them for strict senders. Returns whether the body is a policy to read
/// (status 200; a wrong media type is reported and the body still read).
fn response_ok(exchange: &HttpExchange, url: &str, out: &mut Vec<Lint>) -> bool {
    let response = HttpResponse::new(exchange.status, &exchange.body).headers(&exchange.headers);
    let Err(error) = validate_fetch(&response, &ParseOptions::strict()) else {
        return true;
    };
    match error.kind() {
        // A14: a redirect, named; senders never follow it.
        ErrorKind::HttpStatus if (300..400).contains(&exchange.status) => {
            let target = exchange
                .headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("location"))
                .map_or_else(
                    || "no Location header".to_owned(),
                    |(_, value)| quote_short(value).to_string(),
                );
            let message = format!(
                "the policy URL {} redirects (HTTP {}) to {target}: senders do not follow redirects and fail the fetch",
                quote_short(url),
                exchange.status
            );
            out.push(Lint::new(
                Code::Error(ErrorKind::HttpRedirect),
                None,
                message,
            ));
            false
        }
        ErrorKind::HttpStatus => {
            out.push(from_error(&error));
            false
        }
        // A15: strict senders refuse it; the body is still linted.
        ErrorKind::MediaType => {
            out.push(from_error(&error));
            true
        }
        // The body's own errors come from the policy lint (A16, A17).
        _ => true,
    }
}
