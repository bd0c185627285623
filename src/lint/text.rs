//! Parse errors and the parsers' findings (lenient deviations, text-level
//! notes) turned into [`Lint`]s with severities and one-line messages.

use super::{catalog, Lint, Severity};
use crate::finding::Finding;
use crate::Error;

/// The longest quoted text in a message, in characters; longer text is cut
/// with `…` so messages stay one line of reasonable length.
const MAX_QUOTE: usize = 60;

/// `text` quoted with `{:?}`, cut to [`MAX_QUOTE`] characters.
fn quote(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTE) {
        Some((cut, _)) => format!("{:?}…", &text[..cut]),
        None => format!("{text:?}"),
    }
}

/// A parse error as an error-severity lint with the error's code; the
/// message is the error's own sentence.
pub(crate) fn from_error(error: &Error) -> Lint {
    Lint::new(
        error.code(),
        Severity::Error,
        error.line(),
        error.to_string(),
    )
}

/// A parser finding as a lint with its catalog severity.
pub(crate) fn from_finding(finding: &Finding) -> Lint {
    let code = finding.code;
    let line = finding.line;
    let at = line.map_or_else(String::new, |line| format!(" on line {line}"));
    // Line-level findings always have a line; `?` only for a parser bug.
    let n = line.map_or_else(|| "?".to_owned(), |line| line.to_string());
    let subject = quote(&finding.subject);
    let detail = finding.detail.as_str();
    let mut severity = catalog::severity(code);
    let message = match code {
        "mixed-line-endings" => format!(
            "line {n} ends differently from line 1: the file mixes LF and CRLF line endings"
        ),
        "blank-line" if finding.subject.is_empty() => format!("line {n} is empty and was skipped"),
        "blank-line" => format!("line {n} holds only whitespace ({subject}) and was skipped"),
        "bom" => "UTF-8 byte order mark at the start of line 1 stripped".to_owned(),
        "leading-whitespace" => format!("whitespace before the key{at}: {subject}"),
        "space-before-colon" => format!("whitespace between the key and \":\"{at}: {subject}"),
        "invalid-line" => format!("line {n} is not a \"key: value\" field and was skipped: {subject}"),
        "key-case" => format!(
            "key {subject}{at} is not {detail:?}: keys are case-sensitive, so the line is an unknown extension"
        ),
        "unknown-field" => format!("unknown field {subject}{at} has no effect on senders"),
        "duplicate-field" => {
            let first = if detail.is_empty() {
                String::new()
            } else {
                format!(" (first on line {detail})")
            };
            if finding.conflict {
                severity = Severity::Error;
                format!("field {subject} repeated{at} with a different value{first}: the first one wins")
            } else {
                format!("field {subject} repeated{at}{first}: the first one wins")
            }
        }
        "max-age-leading-zeros" => {
            format!("max_age {subject}{at} has leading zeros (read as {detail})")
        }
        "max-age-above-limit" => format!(
            "max_age {subject}{at} is above the limit of 31557600 seconds (clamped to {detail})"
        ),
        "mx-uppercase" => format!("mx pattern {subject}{at} has uppercase letters (read as {detail:?})"),
        "mx-trailing-dot" => format!("mx pattern {subject}{at} ends with a dot (read as {detail:?})"),
        "mx-u-label" => format!("mx pattern {subject}{at} is not in A-label form: write {detail:?}"),
        "txt-space-before-semicolon" => {
            format!("TXT record {subject} has whitespace before its first \";\"")
        }
        "txt-trailing-whitespace" => {
            format!("TXT record {subject} ends with whitespace after its last field")
        }
        "txt-id-invalid" => format!("TXT record id {subject} is not 1 to 32 letters and digits"),
        "txt-unknown-field" => format!("TXT record field {subject} is not defined by RFC 8461"),
        "txt-duplicate-field" => format!("TXT record field {subject} is repeated: the first one wins"),
        _ => format!("{code}{at}: {subject}"),
    };
    Lint::new(code, severity, line, message)
}
