//! Parse errors and the parsers' findings (lenient deviations, text-level
//! notes) turned into [`Lint`]s: the one place their messages are written.

use super::{Lint, Severity};
use crate::code::Code;
use crate::error::Position;
use crate::message::quote_short;
use crate::pass::{Detail, Finding};
use crate::{Error, ErrorKind, MAX_AGE_LIMIT};

/// A parse error as an error-severity lint with the error's code; the
/// message is the error's own sentence.
pub(crate) fn from_error(error: &Error) -> Lint {
    Lint::new(Code::Error(error.kind()), error.line(), error.to_string())
        .with_severity(Severity::Error)
        .with_column(error.column())
}

/// A finding's code and the severity its lint will have, without
/// building the lint.
pub(crate) fn finding_key(finding: &Finding) -> (Code, Severity) {
    let severity = match finding.detail {
        Detail::Repeat { differs: true, .. } => Severity::Error,
        _ => super::catalog::entry(finding.code).0,
    };
    (finding.code, severity)
}

/// A parser finding as a lint with its catalog severity.
pub(crate) fn from_finding(finding: &Finding) -> Lint {
    let line = finding.line;
    let at = Position {
        line,
        column: finding.column,
    };
    // Line-level findings always have a line.
    let n = line.unwrap_or_default();
    let subject = quote_short(&finding.subject);
    let text = match &finding.detail {
        Detail::Text(text) => text.as_str(),
        _ => "",
    };
    let message = match finding.code {
        Code::MixedLineEndings => format!(
            "line {n} ends differently from line 1: the file mixes LF and CRLF line endings"
        ),
        Code::BlankLine if finding.subject.is_empty() => {
            format!(
                "line {n} is empty: strict senders refuse the policy (lenient ones skip the line)"
            )
        }
        Code::BlankLine => {
            let what = crate::grammar::find_unicode_space(&finding.subject).map_or_else(
                || format!("({subject})"),
                |(_, name)| format!("(with {name})"),
            );
            format!(
                "line {n} holds only whitespace {what}: strict senders refuse the policy (lenient ones skip the line)"
            )
        }
        Code::Bom => format!(
            "the file starts with a UTF-8 byte order mark{at}: strict senders refuse the policy (lenient ones strip it)"
        ),
        Code::LeadingWhitespace => format!("whitespace before the key{at}: {subject}"),
        Code::SpaceBeforeColon => format!("whitespace between the key and \":\"{at}: {subject}"),
        Code::UnicodeSpace => format!("{text} instead of a space{at}"),
        Code::InvalidLine => format!(
            "line {n} is not a \"key: value\" field: {subject} (strict senders refuse the policy; lenient ones skip the line)"
        ),
        Code::KeyCase | Code::UnknownField => match finding.detail {
            Detail::Resembles {
                key,
                case_only: true,
            } => format!(
                "key {subject}{at} is not {key:?}: keys are case-sensitive, so senders ignore this line as an unknown field"
            ),
            Detail::Resembles {
                key,
                case_only: false,
            } => {
                format!(
                    "unknown field {subject}{at} has no effect on senders: did you mean {key:?}?"
                )
            }
            _ => format!("unknown field {subject}{at} has no effect on senders"),
        },
        Code::DuplicateField | Code::TxtDuplicateField => {
            let (first, differs) = match finding.detail {
                Detail::Repeat {
                    first_line,
                    differs,
                } => (
                    first_line.map_or_else(String::new, |l| format!(" (first on line {l})")),
                    differs,
                ),
                _ => (String::new(), false),
            };
            let record = if finding.code == Code::TxtDuplicateField {
                "TXT record field"
            } else {
                "field"
            };
            if differs {
                format!(
                    "{record} {subject} repeated{at} with a different value{first}: the first one wins"
                )
            } else {
                format!("{record} {subject} repeated{at}{first}: the first one wins")
            }
        }
        Code::MaxAgeLeadingZeros => {
            format!("max_age {subject}{at} has leading zeros (read as {text})")
        }
        Code::Error(ErrorKind::MaxAgeAboveLimit) => format!(
            "max_age {subject}{at} is above the limit of {MAX_AGE_LIMIT} seconds: strict senders refuse the policy, lenient ones clamp it to {text}"
        ),
        Code::MxUppercase => {
            format!("mx pattern {subject}{at} has uppercase letters (read as {text:?})")
        }
        Code::MxTrailingDot => format!(
            "mx pattern {subject}{at} ends with a dot: strict senders refuse the policy (write {text:?})"
        ),
        Code::MxULabel => format!(
            "mx pattern {subject}{at} is not in A-label form: strict senders refuse the policy (write {text:?})"
        ),
        Code::TxtSpaceBeforeSemicolon => format!(
            "TXT record {subject} has whitespace before its first \";\": strict senders do not select it and see no policy"
        ),
        Code::TxtTrailingWhitespace => format!(
            "TXT record {subject} ends with whitespace after its last field{at}: strict senders refuse it"
        ),
        Code::TxtIdInvalid => format!(
            "TXT record id {subject} is not 1 to 32 letters and digits: strict senders refuse the record"
        ),
        Code::TxtUnknownField => format!("TXT record field {subject} is not defined by RFC 8461"),
        code => format!("{}{at}: {subject}", code.as_str()),
    };
    Lint::new(finding.code, line, message)
        .with_severity(finding_key(finding).1)
        .with_column(finding.column)
}
