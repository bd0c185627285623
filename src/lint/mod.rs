//! Lints: every finding in a policy, explained.
//!
//! [`check`] answers "is my MTA-STS policy right, and if not, why and what do
//! I write instead?" in one call. It parses the text leniently, without
//! stopping at the first error, and reports
//!
//! - every parse error, as an error-severity [`Lint`] whose code is the
//!   error's [`code`](crate::Error::code) and whose message is its text;
//! - every tolerance the lenient parser applied (a BOM, a blank line, a
//!   trailing dot on an `mx` pattern, …) and every text-level note;
//! - every semantic lint in the catalog below, for the values that parsed.
//!
//! [`lint_policy`] gives the semantic lints alone for an already-parsed
//! [`Policy`], for servers that parse at load time.
//!
//! Lints that need more than the policy text (the policy domain, the DNS MX
//! hosts, the `_mta-sts` TXT record) run only when a [`Context`] carries
//! the input. Nothing here does I/O.
//!
//! # Examples
//!
//! ```
//! use mta_sts::lint::{self, Context, Severity};
//!
//! let text = "version: STSv1\r\nmode: enforce\r\nmx: *.example.com\r\nmax_age: 86400\r\n";
//! let context = Context::new()
//!     .domain("example.com")
//!     .dns_mx(["mx1.example.com.", "mx2.example.com."]);
//! let report = lint::check(text, &context);
//!
//! let found: Vec<_> = report.lints().iter().map(|l| (l.line(), l.code(), l.severity())).collect();
//! assert_eq!(
//!     found,
//!     [
//!         (Some(3), "mx-wildcard-own-domain", Severity::Error),
//!         (Some(3), "mx-wildcard", Severity::Warning),
//!         (Some(4), "max-age-short", Severity::Warning),
//!     ]
//! );
//! // The wildcard's remedy names the exact lines to write.
//! let wildcard = &report.lints()[1];
//! assert!(wildcard.explanation().contains("RFC 8461 §10.4"));
//! assert!(wildcard.explanation().contains("mx: mx1.example.com\n    mx: mx2.example.com"));
//! // The text parses leniently, so the report carries the policy.
//! assert_eq!(report.policy().unwrap().mx().len(), 1);
//! ```
//!
//! # Order
//!
//! A [`Report`]'s lints are ordered by line, lints without a line (the
//! whole-policy errors `missing-field` and `missing-mx`, the DNS
//! cross-checks, the TXT record's lints) last; then by severity, errors
//! first; then in the order found.
//!
//! # Catalog
//!
//! Every code [`Lint::code`] can return. The parse error codes come first
//! (severity error); the other codes follow the lint catalog of the
//! semantics reference (`docs/SEMANTICS.md`).
//!
//! **Severity means one thing everywhere**, so a publisher can gate on
//! [`Report::has_errors`]: *error* when some RFC-conforming sender refuses
//! the policy or record (everything strict parsing rejects, and a record
//! strict `RRset` selection discards), or when the policy lets the wrong
//! hosts receive mail or blocks mail it should deliver; *warning* when
//! every sender accepts it but it weakens the protection or is likely a
//! mistake; *info* when there is nothing to fix. A text
//! [`Policy::parse`](crate::Policy::parse) rejects always has an error.
//!
//! A code that fires on more than 100 lines is reported on the first 100,
//! then once more as a summary ("… and 29900 more lines like this"), so a
//! report stays readable.
//!
//! "needs" names the input beyond the policy text; lints on a single line
//! (an `mx` pattern's, `mode-*`, `max-age-*`) fire even when the rest of
//! the text does not parse, while the DNS cross-checks run only when the
//! mode and every `mx` line parsed, and never in mode `none`.
//!
//! | code | severity | needs | fires when |
//! |---|---|---|---|
//! | `too-large` | error | | the text is larger than the size limit (65 536 bytes); nothing else is reported about the policy |
//! | `syntax` | error | | a line breaks the grammar: control character, bare CR, empty extension value, …; or the TXT record does |
//! | `invalid-version` | error | | `version` is not exactly `STSv1` |
//! | `invalid-mode` | error | | `mode` is not exactly `enforce`, `testing` or `none` |
//! | `invalid-max-age` | error | | `max_age` is not 1 to 10 digits |
//! | `max-age-above-limit` | error | | `max_age` is above 31 557 600 (lenient parsing clamps it) |
//! | `missing-field` | error | | `version`, `mode` or `max_age` is missing (a present but invalid field counts as present) |
//! | `missing-mx` | error | | mode `enforce` or `testing` without any `mx` line |
//! | `invalid-mx` | error | | an `mx` value is not `["*."] Domain` |
//! | `not-sts` | error | TXT record | the record does not begin with `v=STSv1` and a delimiter |
//! | `missing-id` | error | TXT record | the record has no `id` |
//! | `invalid-id` | error | TXT record | the `id` is not even 1 to 64 printable characters without space, `;` or `=` (what lenient parsing accepts, with `txt-id-invalid`) |
//! | `no-record` | error | | not from `check`: `RRset` selection ([`TxtRecord::from_rrset`](crate::TxtRecord::from_rrset)) |
//! | `multiple-records` | error | | not from `check`: `RRset` selection ([`TxtRecord::from_rrset`](crate::TxtRecord::from_rrset)); `tlsrpt-missing` reports them for TLS-RPT |
//! | `invalid-domain` | error | | not from `check`: a recipient domain [`sender::PolicyDomain`](crate::sender::PolicyDomain) refuses |
//! | `http-status` | error | | not from `check`: [`sender::validate_fetch`](crate::sender::validate_fetch), a status other than 200 |
//! | `http-redirect` | error | | not from `check`: `validate_fetch`, a redirect |
//! | `media-type` | error | | not from `check`: `validate_fetch`, a policy not served as `text/plain` (a lint on the lenient result) |
//! | `not-tlsrpt` | error | | not from `check`: [`tlsrpt::TlsRptRecord`](crate::tlsrpt::TlsRptRecord) parsing |
//! | `missing-rua` | error | | not from `check`: `TlsRptRecord` parsing, no `rua=` |
//! | `invalid-rua` | error | | not from `check`: `TlsRptRecord` parsing, an invalid `rua` URI |
//! | `mx-wildcard` | warning; error for `*.<one label>` | | any `*.` pattern: RFC 8461 §10.4, Microsoft's and the UK government's guidance; the explanation lists the exact `mx:` lines to write when the DNS MX hosts are known |
//! | `mx-wildcard-own-domain` | error | domain | a wildcard's suffix is the policy domain or a parent of it (at a label boundary) |
//! | `mx-not-covered` | error in `enforce`, warning in `testing` | DNS MX hosts | a DNS MX host matches no pattern |
//! | `mx-pattern-unused` | warning | DNS MX hosts | a pattern matches none of the DNS MX hosts (not with an empty list) |
//! | `mx-no-dns-mx` | error | an empty DNS MX list | mode `enforce` or `testing` while the domain has no MX hosts at all |
//! | `mx-ip-address` | error | | an exact pattern whose labels are all digits (`192.0.2.1`) |
//! | `mx-single-label` | warning | | an exact pattern of one label (`localhost`) |
//! | `mx-duplicate` | info | | a pattern repeats an earlier one (compared in canonical form) |
//! | `mx-redundant` | info | | an exact pattern is covered by a wildcard in the same policy, in either order |
//! | `mx-uppercase` | info | | a pattern has uppercase letters |
//! | `mx-trailing-dot` | error | | a pattern ends with a dot: strict senders refuse the policy, lenient parsing strips it |
//! | `mx-u-label` | error | | a pattern has U-labels: strict senders refuse the policy, lenient parsing converts them |
//! | `mode-testing` | info | | mode is `testing` |
//! | `mode-none` | info | | mode is `none` |
//! | `none-with-mx` | info | | mode `none` with `mx` lines (on the first one) |
//! | `max-age-zero` | error | | `max_age` is 0 |
//! | `max-age-short` | warning below 604 800; error below 86 400 | | the effective `max_age` is short, unless the mode is `none` (not for 0: see `max-age-zero`) |
//! | `max-age-leading-zeros` | info | | `max_age` has leading zeros (not `0` itself) |
//! | `duplicate-field` | warning; error when the values differ | | a field other than `mx` is repeated, extensions included (raw values compared) |
//! | `unknown-field` | info | | an extension field (`foo: bar`) |
//! | `key-case` | error | | a key equals a known field name but for case (`Mode:`); replaces `unknown-field` |
//! | `blank-line` | error | | an empty or whitespace-only line: strict senders refuse the policy, lenient parsing skips it |
//! | `bom` | error | | the text starts with a UTF-8 BOM: strict senders refuse the policy, lenient parsing strips it |
//! | `leading-whitespace` | error | | whitespace before a key: strict senders refuse the policy |
//! | `space-before-colon` | error | | whitespace between a key and its `:`: strict senders refuse the policy |
//! | `unicode-space` | error | | a no-break space or another Unicode space where the grammar allows spaces and tabs (P10b): strict senders refuse the policy, lenient parsing reads it as a space |
//! | `invalid-line` | error | | a line that is not a `key: value` field, or an extension with an empty value: strict senders refuse the policy, lenient parsing skips it |
//! | `mixed-line-endings` | info | | the first line whose ending (LF or CRLF) differs from line 1's |
//! | `context-invalid` | error | a `Context` value | a domain or DNS MX host given in the context is not a host name (`10 mx1.example.com.`, `mx1.example.com:25`); the checks that need it do not run |
//! | `tlsrpt-missing` | warning in `testing`, info in `enforce` | TLS-RPT record | no valid `_smtp._tls` TLS-RPT record (RFC 8460) |
//! | `id-not-changed` | error | previous policy and TXT id | the policy changed but the TXT id did not (RFC 8461 §3.1) |
//! | `id-changed-only` | info | previous policy and TXT id | the TXT id changed but the policy did not |
//! | `txt-space-before-semicolon` | error | TXT record | whitespace before the record's first `;`: strict `RRset` selection discards the record |
//! | `txt-trailing-whitespace` | error | TXT record | whitespace after the last field with no `;` after it: strict senders refuse the record |
//! | `txt-id-invalid` | error | TXT record | an `id` that is not 1 to 32 letters and digits but is printable: strict senders refuse the record |
//! | `txt-unknown-field` | info | TXT record | a field other than `v` and `id` |
//! | `txt-duplicate-field` | warning | TXT record | a repeated field (`id`, `v`, an extension) |
//! | `dns-failed` | error; warning for `_smtp._tls` | | not from `check`: [`audit`](crate::audit), a DNS query got no answer (the audit could not check that part) |
//! | `domain-not-found` | error | | not from `check`: `audit`, the domain's MX query says NXDOMAIN |
//! | `txt-other-record` | info | | not from `check`: `audit`, a record other than the STS one at `_mta-sts` (SPF) |
//! | `fetch-failed` | error | | not from `check`: `audit`, the policy fetch got no response (stage and reason in the message) |
//! | `cert-name-mismatch` | error; warning for an MX host outside `enforce` | | not from `check`: `audit`, no certificate name covers the policy host or the MX host (a wildcard covers one label) |
//! | `cert-expired` | error; warning for an MX host outside `enforce` | | not from `check`: `audit`, the leaf (or the chain) has expired |
//! | `cert-not-yet-valid` | error; warning for an MX host outside `enforce` | | not from `check`: `audit`, the leaf's `notBefore` is in the future |
//! | `cert-expiring` | warning | | not from `check`: `audit`, the leaf expires within 14 days |
//! | `cert-untrusted` | error; warning for an MX host outside `enforce` | | not from `check`: `audit`, the chain does not lead to a trusted root |
//! | `mx-implicit` | warning | | not from `check`: `audit`, the domain has no MX records (RFC 5321's implicit MX) |
//! | `mx-no-starttls` | error in `enforce`, warning otherwise | | not from `check`: `audit`, an MX host does not offer STARTTLS |
//! | `mx-tls-failed` | error in `enforce`, warning otherwise | | not from `check`: `audit`, STARTTLS refused or the handshake failed |
//! | `mx-unreachable` | warning | | not from `check`: `audit`, an MX host could not be probed up to STARTTLS |
//! | `enforce-refuses-mx` | warning in `enforce`, info in `testing` | | not from `check`: `audit`, strict senders refuse some MX hosts (listed), not all |
//! | `enforce-refuses-all` | error in `enforce`, warning in `testing` | | not from `check`: `audit`, strict senders refuse every MX host: mail bounces |
//!
//! Each lint's [`explanation`](Lint::explanation) says why it matters, with
//! the RFC section or guidance behind it, and what to write instead.

mod catalog;
mod change;
mod context;
mod dns;
mod report;
mod semantic;
pub(crate) mod text;
pub(crate) mod tlsrpt;

pub use context::Context;
pub use report::{Lint, Report, Severity};

use crate::policy::Values;
use report::CappedLints;

use crate::{ErrorKind, ParseOptions, Policy, TxtRecord};

/// Lints a policy text: a lenient parse that reports everything.
///
/// The report holds every parse error (code = the error's code, severity
/// error), every deviation the lenient parser applied, every semantic lint
/// that the values that parsed allow, and, when the context carries a TXT
/// record, its parse error or `txt-*` lints. A text that does not parse
/// still gets every finding that can be made; only `too-large` stops the
/// policy's lints. [`Report::policy`] is the lenient parse, when it
/// succeeds. The order is described in the [module docs](self#order).
///
/// ```
/// use mta_sts::lint::{self, Context};
///
/// let text = "version: STSv1\nmode: Enforce\nmx: mail.example.com.\nmax_age: 3600\n";
/// let report = lint::check(text, &Context::new().txt("v=STSv1; id=2024-01-01;"));
/// let codes: Vec<_> = report.lints().iter().map(|l| l.code()).collect();
/// assert_eq!(
///     codes,
///     ["invalid-mode", "mx-trailing-dot", "max-age-short", "txt-id-invalid"]
/// );
/// assert!(report.policy().is_none());
/// ```
#[must_use]
pub fn check(text: &str, context: &Context) -> Report {
    let lenient = ParseOptions::lenient();
    // Each input is parsed once: the policy text, then the TXT record.
    let scan = crate::policy::scan(text, &lenient);
    let txt = context
        .txt_record()
        .map(|record| crate::txt::scan(record, &lenient));
    let record = txt.as_ref().and_then(|txt| txt.result.as_ref().ok());
    let mut lints = CappedLints::default();
    for error in &scan.errors {
        lints.push(text::from_error(error));
    }
    let too_large = scan
        .errors
        .iter()
        .any(|error| error.kind() == ErrorKind::TooLarge);
    if !too_large {
        semantic::lint(&scan.values, context, &mut lints);
        change::lint(scan.policy.as_ref(), record, context, &mut lints);
    }
    if let Some(txt) = &txt {
        if let Err(error) = &txt.result {
            lints.push(text::from_error(error));
        }
        for finding in &txt.findings {
            lints.push(text::from_finding(finding));
        }
    }
    // The parser's findings can repeat on every line: only the ones a
    // report shows are turned into lints.
    for finding in &scan.findings {
        lints.push_with(text::finding_key(finding), || text::from_finding(finding));
    }
    Report {
        policy: scan.policy,
        lints: lints.finish(),
    }
}

/// The lints on one `_mta-sts` TXT record's text (lenient parse): its
/// parse error, if any, then its `txt-*` findings.
pub(crate) fn txt_lints(record: &str, out: &mut Vec<Lint>) {
    let txt = crate::txt::scan(record, &ParseOptions::lenient());
    if let Err(error) = &txt.result {
        out.push(text::from_error(error));
    }
    out.extend(txt.findings.iter().map(text::from_finding));
}

/// The semantic lints for an already-parsed policy: the `mx-*`, `mode-*`,
/// `max-age-*` and `none-with-mx` lints of the catalog, plus the
/// cross-checks the context allows (DNS MX hosts, domain, TLS-RPT record,
/// previous policy and id). Text-level findings need the
/// text: use [`check`] for those. The lints carry no line.
///
/// ```
/// use mta_sts::lint::{self, Context, Severity};
/// use mta_sts::Policy;
///
/// let policy = Policy::parse("version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 604800\n")?;
/// let lints = lint::lint_policy(&policy, &Context::new().dns_mx(["mx1.example.com", "mx2.example.com"]));
/// assert_eq!(lints.len(), 1);
/// assert_eq!((lints[0].code(), lints[0].severity()), ("mx-not-covered", Severity::Error));
/// assert_eq!(lints[0].message(), "DNS MX host \"mx2.example.com\" matches no mx pattern (add \"mx: mx2.example.com\")");
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[must_use]
pub fn lint_policy(policy: &Policy, context: &Context) -> Vec<Lint> {
    let record = context
        .txt_record()
        .and_then(|txt| TxtRecord::parse_with(txt, &ParseOptions::lenient()).ok());
    let mut lints = CappedLints::default();
    semantic::lint(&Values::of_policy(policy), context, &mut lints);
    change::lint(Some(policy), record.as_ref(), context, &mut lints);
    lints.finish()
}
