//! `tlsrpt-missing`: a policy in `testing` (or `enforce`) mode whose domain
//! publishes no valid TLS-RPT record (RFC 8460 §3, RFC 8461 §5).

use super::report::CappedLints;
use super::{Context, Lint, Severity};
use crate::code::Code;
use crate::tlsrpt::TlsRptRecord;
use crate::{Error, ErrorKind, Mode};

/// Appends `tlsrpt-missing` when the context carries the `_smtp._tls` TXT
/// `RRset` and it holds no valid TLS-RPT record: a warning in `testing` mode
/// (the reports are the whole point of testing), info in `enforce`, nothing
/// in `none` or when the mode is unknown.
pub(crate) fn lint(mode: Option<Mode>, context: &Context, out: &mut CappedLints) {
    let Some(records) = context.tls_rpt_records() else {
        return;
    };
    let severity = match mode {
        Some(Mode::Testing) => Severity::Warning,
        Some(Mode::Enforce) => Severity::Info,
        Some(Mode::None) | None => return,
    };
    if let Err(error) = TlsRptRecord::from_rrset(records) {
        out.push(missing(&error, severity));
    }
}

/// The `tlsrpt-missing` lint for the error that selecting or parsing the
/// `_smtp._tls` record gave, with the message naming why.
pub(crate) fn missing(error: &Error, severity: Severity) -> Lint {
    let why = match error.kind() {
        ErrorKind::NoRecord => "no _smtp._tls TXT record begins with \"v=TLSRPTv1;\"".to_owned(),
        ErrorKind::MultipleRecords => {
            "more than one _smtp._tls TXT record begins with \"v=TLSRPTv1;\", so senders use none"
                .to_owned()
        }
        _ => format!("the _smtp._tls record is invalid: {error}"),
    };
    let consequence = match severity {
        Severity::Warning => "testing mode reports to no one",
        _ => "refused deliveries go unreported",
    };
    Lint::new(
        Code::TlsRptMissing,
        None,
        format!("no valid TLS-RPT record: {why}; {consequence}"),
    )
    .with_severity(severity)
}
