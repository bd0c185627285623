//! Why an input is refused, as a value: with `why.rs`, the one home of the
//! crate's error wording. Each variant's `#[error]` is the whole message
//! (what was being parsed and the offending text, the position, then why);
//! the parsers fill in the payload and, where a rule has several ways to
//! fail, the typed explanation from `why.rs`.

use std::borrow::Cow;
use std::fmt;

use super::Position;
use super::why::{DomainWhy, ExtensionWhy, LineWhy, MxWhy, RecordWhy, RuaWhy};
use crate::ErrorKind;
use crate::grammar::find_unicode_space;
use crate::message::{quote, quote_short};
use crate::policy::{MAX_AGE_LIMIT, Mode};

/// `$body` with `$at` bound to the position of `$cause`, whatever its
/// variant: the one list of variants that every variant has a position.
macro_rules! each_at {
    ($cause:expr, $at:ident => $body:expr) => {
        match $cause {
            Cause::TooLarge { at: $at, .. }
            | Cause::InvalidUtf8 { at: $at, .. }
            | Cause::Utf16 { at: $at, .. }
            | Cause::Control { at: $at, .. }
            | Cause::Bom { at: $at, .. }
            | Cause::BlankLine { at: $at, .. }
            | Cause::LeadingWhitespace { at: $at, .. }
            | Cause::SpaceBeforeColon { at: $at, .. }
            | Cause::InvalidLine { at: $at, .. }
            | Cause::InvalidVersion { at: $at, .. }
            | Cause::InvalidMode { at: $at, .. }
            | Cause::InvalidMaxAge { at: $at, .. }
            | Cause::MaxAgeAboveLimit { at: $at, .. }
            | Cause::MissingField { at: $at, .. }
            | Cause::MissingMx { at: $at, .. }
            | Cause::InvalidMx { at: $at, .. }
            | Cause::ExtensionName { at: $at, .. }
            | Cause::ExtensionValue { at: $at, .. }
            | Cause::UnknownName { at: $at, .. }
            | Cause::InvalidRecord { at: $at, .. }
            | Cause::InvalidId { at: $at, .. }
            | Cause::NoRecord { at: $at, .. }
            | Cause::MultipleRecords { at: $at, .. }
            | Cause::RecordNotUtf8 { at: $at, .. }
            | Cause::InvalidRua { at: $at, .. }
            | Cause::InvalidDomain { at: $at, .. }
            | Cause::HttpStatus { at: $at, .. }
            | Cause::HttpRedirect { at: $at, .. }
            | Cause::MediaType { at: $at, .. } => $body,
        }
    };
}

/// What went wrong and where, with everything its message needs.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Cause {
    // --- The policy body (SEMANTICS P1–P11) ---
    /// P1.
    #[error("policy of {len} bytes is larger than the limit of {limit} bytes{at}")]
    TooLarge {
        len: usize,
        limit: usize,
        at: Position,
    },
    /// P2: the first byte that is not UTF-8.
    #[error("invalid UTF-8 byte 0x{byte:02X} in the policy{at}")]
    InvalidUtf8 { byte: u8, at: Position },
    /// P2, a body in UTF-16 (SEMANTICS "Messages on real-world mistakes").
    #[error(
        "the policy is UTF-16 text{at}: save the file as UTF-8 (in Windows editors, not \"Unicode\")"
    )]
    Utf16 { at: Position },
    /// P2, P4: a control character or a bare CR in a line.
    #[error("{} in the policy{at}: only tabs and printable text may appear in a line", control(*.c))]
    Control { c: char, at: Position },
    /// P7, strict.
    #[error(
        "byte order mark (U+FEFF) at the start of the policy{at}: save the file as UTF-8 without a BOM"
    )]
    Bom { at: Position },
    /// P6, strict.
    #[error(
        "blank line {} in the policy{at}: every line must be \"name: value\"; remove it",
        quote(.line)
    )]
    BlankLine { line: Box<str>, at: Position },
    /// P8, strict.
    #[error("whitespace before the field name in {}{at}: start the line with the name", quote(.line))]
    LeadingWhitespace { line: Box<str>, at: Position },
    /// P9, strict.
    #[error("whitespace before ':' after {name:?}{at}: write \"{name}:\"")]
    SpaceBeforeColon { name: Box<str>, at: Position },
    /// P10b, P11, P24: a line that is not a field.
    #[error("invalid policy line {}{at}: {why}", quote(.line))]
    InvalidLine {
        line: Box<str>,
        why: LineWhy,
        at: Position,
    },

    // --- The policy fields (P12–P24) and the builder ---
    /// P13; P10b: a Unicode space in the value is named in words (as in
    /// the next two).
    #[error(
        "invalid version {}{at}: the only version is \"STSv1\" (case-sensitive){}",
        quote(.value),
        unicode_space_note(.value)
    )]
    InvalidVersion { value: Box<str>, at: Position },
    /// P14.
    #[error(
        "invalid mode {}{at}: expected \"enforce\", \"testing\" or \"none\" (case-sensitive){}",
        quote(.value),
        unicode_space_note(.value)
    )]
    InvalidMode { value: Box<str>, at: Position },
    /// P15.
    #[error(
        "invalid max_age {}{at}: expected 1 to 10 digits (seconds){}",
        quote(.value),
        unicode_space_note(.value)
    )]
    InvalidMaxAge { value: Box<str>, at: Position },
    /// P17: `max_age` as the input wrote it (quoted text when parsed, a
    /// number when built).
    #[error("max_age {written}{at}: it is above the limit of {MAX_AGE_LIMIT} seconds (one year)")]
    MaxAgeAboveLimit { written: Box<str>, at: Position },
    /// P19.
    #[error(
        "missing field {name:?}{at}: a policy needs \"version\", \"mode\" and \"max_age\"{}",
        near_miss(.near)
    )]
    MissingField {
        name: &'static str,
        near: Option<NearMiss>,
        at: Position,
    },
    /// P21: `item` is "line" when parsed, "pattern" when built.
    #[error(
        "missing field \"mx\"{at}: mode {:?} needs at least one \"mx\" {item}{}",
        .mode.as_str(),
        near_miss(.near)
    )]
    MissingMx {
        mode: Mode,
        item: &'static str,
        near: Option<NearMiss>,
        at: Position,
    },
    /// M1–M16.
    #[error("invalid mx pattern {}{at}: {why}", quote(.pattern))]
    InvalidMx {
        pattern: Box<str>,
        why: MxWhy,
        at: Position,
    },
    /// P23, P24, built: an extension's name.
    #[error("invalid extension name {}{at}: {why}", quote(.name))]
    ExtensionName {
        name: Box<str>,
        why: ExtensionWhy,
        at: Position,
    },
    /// P24, built: an extension's value.
    #[error("invalid value {} of extension {name:?}{at}: {why}", quote(.value))]
    ExtensionValue {
        name: Box<str>,
        value: Box<str>,
        why: ExtensionWhy,
        at: Position,
    },
    /// A name read by a name table's `FromStr`.
    #[error("unknown {what} {}{at}: expected {}", quote(.found), one_of(.expected))]
    UnknownName {
        kind: ErrorKind,
        what: &'static str,
        found: Box<str>,
        expected: Box<[&'static str]>,
        at: Position,
    },

    // --- TXT records and RRsets (T-, R-rules; RFC 8460 §3) ---
    /// A TXT record (`what` says which kind) that breaks a T-rule.
    #[error("invalid {what} {}{at}: {why}", quote_short(.record))]
    InvalidRecord {
        what: &'static str,
        record: Box<str>,
        why: RecordWhy,
        at: Position,
    },
    /// T7: an `id` given on its own (the parsers report it as
    /// [`Cause::InvalidRecord`], quoting the record).
    #[error(
        "invalid TXT record id {}{at}: an id is 1 to 32 letters and digits (RFC 8461 §3.1)",
        quote_short(.id)
    )]
    InvalidId { id: Box<str>, at: Position },
    /// R3: no record begins with `prefix`.
    #[error(
        "no TXT record begins with {prefix:?} ({seen} {} looked at){at}",
        if *.seen == 1 { "record" } else { "records" }
    )]
    NoRecord {
        prefix: Box<str>,
        seen: usize,
        at: Position,
    },
    /// R3: several records begin with `prefix`.
    #[error(
        "{count} TXT records begin with {prefix:?} (the first is {}){at}: publish exactly one",
        quote_short(.first)
    )]
    MultipleRecords {
        count: usize,
        prefix: Box<str>,
        first: Box<str>,
        at: Position,
    },
    /// R2: the selected record is not UTF-8 (`record` read lossily).
    #[error(
        "the TXT record {}{at}: it is not valid UTF-8 (byte 0x{byte:02X})",
        quote_short(.record)
    )]
    RecordNotUtf8 {
        record: Box<str>,
        byte: u8,
        at: Position,
    },
    /// A `rua` URI given on its own (RFC 8460 §3).
    #[error("invalid rua URI {}{at}: {why}", quote_short(.uri))]
    InvalidRua {
        uri: Box<str>,
        why: RuaWhy,
        at: Position,
    },

    // --- Senders (RFC 8461 §3.3, §3.4) ---
    /// A recipient domain that cannot name a Policy Domain.
    #[error("invalid domain {}{at}: {why}", quote_short(.domain))]
    InvalidDomain {
        domain: Box<str>,
        why: DomainWhy,
        at: Position,
    },
    /// RFC 8461 §3.3: a status other than 200.
    #[error(
        "policy fetch returned HTTP status {status}{at}: {} (RFC 8461 §3.3)",
        status_why(*.status)
    )]
    HttpStatus { status: u16, at: Position },
    /// RFC 8461 §3.3: a redirect was followed.
    #[error(
        "policy fetch followed an HTTP redirect{at}: redirects must not be followed (RFC 8461 §3.3)"
    )]
    HttpRedirect { at: Position },
    /// RFC 8461 §3.2: not `text/plain`.
    #[error("policy served with {}{at}: expected \"text/plain\" (RFC 8461 §3.2)", MediaType(.found.as_deref()))]
    MediaType {
        found: Option<Box<str>>,
        at: Position,
    },
}

impl Cause {
    /// The kind the variant stands for.
    pub(crate) fn kind(&self) -> ErrorKind {
        match self {
            Cause::TooLarge { .. } => ErrorKind::TooLarge,
            Cause::InvalidUtf8 { .. }
            | Cause::Utf16 { .. }
            | Cause::Control { .. }
            | Cause::Bom { .. }
            | Cause::BlankLine { .. }
            | Cause::LeadingWhitespace { .. }
            | Cause::SpaceBeforeColon { .. }
            | Cause::InvalidLine { .. }
            | Cause::ExtensionName { .. }
            | Cause::ExtensionValue { .. }
            | Cause::RecordNotUtf8 { .. } => ErrorKind::Syntax,
            Cause::InvalidVersion { .. } => ErrorKind::InvalidVersion,
            Cause::InvalidMode { .. } => ErrorKind::InvalidMode,
            Cause::InvalidMaxAge { .. } => ErrorKind::InvalidMaxAge,
            Cause::UnknownName { kind, .. } => *kind,
            Cause::InvalidRecord { why, .. } => why.kind(),
            Cause::MaxAgeAboveLimit { .. } => ErrorKind::MaxAgeAboveLimit,
            Cause::MissingField { .. } => ErrorKind::MissingField,
            Cause::MissingMx { .. } => ErrorKind::MissingMx,
            Cause::InvalidMx { .. } => ErrorKind::InvalidMx,
            Cause::InvalidId { .. } => ErrorKind::InvalidId,
            Cause::NoRecord { .. } => ErrorKind::NoRecord,
            Cause::MultipleRecords { .. } => ErrorKind::MultipleRecords,
            Cause::InvalidRua { .. } => ErrorKind::InvalidRua,
            Cause::InvalidDomain { .. } => ErrorKind::InvalidDomain,
            Cause::HttpStatus { .. } => ErrorKind::HttpStatus,
            Cause::HttpRedirect { .. } => ErrorKind::HttpRedirect,
            Cause::MediaType { .. } => ErrorKind::MediaType,
        }
    }

    /// Where the error is.
    pub(crate) fn at(&self) -> Position {
        each_at!(self, at => *at)
    }

    /// Where the error is, to set it.
    pub(crate) fn at_mut(&mut self) -> &mut Position {
        each_at!(self, at => at)
    }
}

/// A key on some line that resembles a missing field's (P12): written
/// `; line 2 has "Mode", and keys are case-sensitive: write "mode"` or
/// `; line 2 has "mx_host": did you mean "mx"?`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NearMiss {
    pub(crate) line: usize,
    pub(crate) written: Box<str>,
    pub(crate) key: &'static str,
}

impl fmt::Display for NearMiss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let NearMiss { line, written, key } = self;
        if written.eq_ignore_ascii_case(key) {
            write!(
                f,
                "; line {line} has {written:?}, and keys are case-sensitive: write {key:?}"
            )
        } else {
            write!(f, "; line {line} has {written:?}: did you mean {key:?}?")
        }
    }
}

/// A [`NearMiss`], or nothing.
fn near_miss(near: &Option<NearMiss>) -> &dyn fmt::Display {
    match near {
        Some(near) => near,
        None => &"",
    }
}

/// P2, P4: the character as the message names it.
fn control(c: char) -> Cow<'static, str> {
    if c == '\r' {
        Cow::Borrowed("bare carriage return (CR not followed by LF)")
    } else {
        Cow::Owned(format!("control character {c:?}"))
    }
}

/// P10b: names a Unicode space in an invalid value, which a reader cannot
/// see in the quote.
fn unicode_space_note(value: &str) -> String {
    find_unicode_space(value).map_or_else(String::new, |(_, what)| {
        format!("; it holds {what}, which is not a space here (write plain ASCII)")
    })
}

/// `"a", "b" or "c"`.
fn one_of(names: &[&str]) -> String {
    let mut text = String::new();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            text.push_str(if i + 1 == names.len() { " or " } else { ", " });
        }
        text.push_str(&format!("{name:?}"));
    }
    text
}

/// Why a status other than 200 holds no policy.
fn status_why(status: u16) -> &'static str {
    if (300..400).contains(&status) {
        "redirects must not be followed, so only a 200 response holds a policy"
    } else {
        "only a 200 (OK) response holds a policy"
    }
}

/// The media type a policy was served with, as messages name it:
/// `media type "text/html"` or `no Content-Type header`.
pub(crate) struct MediaType<'a>(pub(crate) Option<&'a str>);

impl fmt::Display for MediaType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(value) => write!(f, "media type {}", quote_short(value)),
            None => f.write_str("no Content-Type header"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    const AT: Position = Position {
        line: Some(2),
        column: Some(5),
    };

    /// The position follows the offending text, and the kind follows the
    /// variant (or its payload, for the variants shared by several kinds).
    #[test]
    fn messages_place_the_position_after_the_offending_text() {
        let cases: [(Cause, ErrorKind, &str); 5] = [
            (
                Cause::Control { c: '\r', at: AT },
                ErrorKind::Syntax,
                "bare carriage return (CR not followed by LF) in the policy on line 2, column 5: \
                 only tabs and printable text may appear in a line",
            ),
            (
                Cause::InvalidMaxAge {
                    value: "1\u{2003}2".into(),
                    at: AT,
                },
                ErrorKind::InvalidMaxAge,
                "invalid max_age \"1\u{2003}2\" on line 2, column 5: expected 1 to 10 digits \
                 (seconds); it holds an em space (U+2003), which is not a space here (write plain ASCII)",
            ),
            (
                Cause::MissingField {
                    name: "mode",
                    near: Some(NearMiss {
                        line: 3,
                        written: "Mode".into(),
                        key: "mode",
                    }),
                    at: Position::NONE,
                },
                ErrorKind::MissingField,
                "missing field \"mode\": a policy needs \"version\", \"mode\" and \"max_age\"; \
                 line 3 has \"Mode\", and keys are case-sensitive: write \"mode\"",
            ),
            (
                Cause::NoRecord {
                    prefix: "v=STSv1;".into(),
                    seen: 1,
                    at: Position::NONE,
                },
                ErrorKind::NoRecord,
                "no TXT record begins with \"v=STSv1;\" (1 record looked at)",
            ),
            (
                Cause::HttpStatus {
                    status: 301,
                    at: Position::NONE,
                },
                ErrorKind::HttpStatus,
                "policy fetch returned HTTP status 301: redirects must not be followed, so only \
                 a 200 response holds a policy (RFC 8461 §3.3)",
            ),
        ];
        for (cause, kind, message) in cases {
            assert_eq!(cause.kind(), kind);
            let error = Error::from(cause);
            assert_eq!(error.to_string(), message);
            assert_eq!(error.kind(), kind);
        }
    }

    #[test]
    fn a_position_can_be_set_on_any_variant() {
        let error = Error::from(Cause::HttpRedirect { at: Position::NONE }).at(Some(7), None);
        assert_eq!((error.line(), error.column()), (Some(7), None));
        assert!(
            error
                .to_string()
                .starts_with("policy fetch followed an HTTP redirect on line 7:")
        );
    }

    #[test]
    fn one_of_lists_names_with_commas_and_or() {
        assert_eq!(one_of(&["a"]), "\"a\"");
        assert_eq!(one_of(&["a", "b", "c"]), "\"a\", \"b\" or \"c\"");
    }
}
