//! The `_smtp._tls` TLS-RPT record (RFC 8460 §3): rules A24 and A25 of
//! `docs/AUDIT.md`.

use super::evidence::{DnsAnswer, TxtRrset};
use crate::Mode;
use crate::code::Code;
use crate::lint::{Lint, Severity};
use crate::message::quote_short;
use crate::tlsrpt::TlsRptRecord;

/// Judges the `_smtp._tls.<domain>` TXT answer (`name` is that query name)
/// for a policy in `mode` (`None`: no policy was read), appending its lint.
pub(super) fn lint(
    answer: &DnsAnswer<TxtRrset>,
    name: &str,
    mode: Option<Mode>,
    out: &mut Vec<Lint>,
) {
    // A25: as `tlsrpt-missing` in the lint: a warning in testing mode,
    // where the reports are the point; info otherwise.
    let severity = if mode == Some(Mode::Testing) {
        Severity::Warning
    } else {
        Severity::Info
    };
    let result = match answer {
        // A24: unknown; a warning, since TLS-RPT never blocks mail.
        DnsAnswer::Failed(reason) => {
            let message = format!("the {name} TXT query failed: {}", quote_short(reason));
            out.push(Lint::new(Code::DnsFailed, None, message).with_severity(Severity::Warning));
            return;
        }
        DnsAnswer::NxDomain => TlsRptRecord::from_rrset_bytes(std::iter::empty::<&[&[u8]]>()),
        DnsAnswer::Records(rrset) => TlsRptRecord::from_rrset_bytes(rrset.iter()),
    };
    if let Err(error) = result {
        out.push(crate::lint::tlsrpt::missing(&error, severity));
    }
}
