//! Why a value breaks a rule, as a value: the explanations that follow the
//! position in a message (`… on line 3, column 6: <why>`). The rules that
//! find them (SEMANTICS M-, P-, T-rules, RFC 8461 §3.4) stay next to their
//! ids in the parsers; the words are here, one `#[error]` line each.

use crate::ErrorKind;
use crate::hostname::{MAX_LABEL_LEN, MAX_NAME_LEN, NameProblem};
use crate::message::{quote, quote_short, with_article};

/// The P11 field-name rule in words, for every message about a name that
/// breaks it.
const FIELD_NAME_RULE: &str =
    "a field name is a letter or digit, then up to 31 letters, digits, '_', '-' or '.'";

/// M8, M13: why a name is not a host name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum NameWhy {
    #[error("the host name is empty")]
    Empty,
    #[error("the name is {len} octets long, more than the {MAX_NAME_LEN} a domain name may have")]
    TooLong { len: usize },
    #[error("a label is empty (two dots in a row, or a dot at an end)")]
    EmptyLabel,
    #[error(
        "the label {} is {} octets long, more than the {MAX_LABEL_LEN} a label may have",
        quote_short(.label),
        .label.len()
    )]
    LabelTooLong { label: Box<str> },
    #[error("a label may not start or end with a hyphen")]
    Hyphen,
    #[error("{c:?} is not allowed: labels hold only letters, digits and hyphens")]
    Char { c: char },
    #[error("not a valid internationalized domain name (UTS #46)")]
    Idna,
}

impl NameWhy {
    /// The explanation of `problem`, found in the ASCII name `name`.
    pub(crate) fn of(problem: NameProblem, name: &str) -> NameWhy {
        let rest = name.get(problem.offset()..).unwrap_or_default();
        match problem {
            NameProblem::Empty => NameWhy::Empty,
            NameProblem::TooLong => NameWhy::TooLong { len: name.len() },
            NameProblem::EmptyLabel(_) => NameWhy::EmptyLabel,
            NameProblem::LabelTooLong(_) => NameWhy::LabelTooLong {
                label: rest.split('.').next().unwrap_or_default().into(),
            },
            NameProblem::Hyphen(_) => NameWhy::Hyphen,
            NameProblem::Char(_) => NameWhy::Char {
                c: rest.chars().next().unwrap_or_default(),
            },
        }
    }
}

/// M1–M16: why an `mx` value is not a pattern.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum MxWhy {
    /// M16.
    #[error("the value is empty: give one host name per mx line")]
    Empty,
    /// `mx: .`, from templates.
    #[error("\".\" is the DNS root, not a host: give the MX host's name (\"mail.example.com\")")]
    DnsRoot,
    /// A `#` comment (the crate's addition to SEMANTICS "Messages on
    /// real-world mistakes").
    #[error("the policy format has no comments; remove {}", quote(.comment))]
    Comment { comment: Box<str> },
    /// M10: spaces or tabs around one host name.
    #[error("remove the spaces around the host name: give the value alone")]
    SpacesAround,
    /// M10: one host name and other words.
    #[error(
        "an mx value is exactly one host name; remove the text around {}: {}",
        quote_short(.host),
        quote_short(.extra)
    )]
    TextAround { host: Box<str>, extra: Box<str> },
    /// M10: a tab inside what is not a host name list.
    #[error("a tab is not allowed in a host name")]
    Tab,
    /// M10: several host names.
    #[error("list one host per line, each on its own \"mx:\" line")]
    SeveralHosts,
    /// M9.
    #[error("a pattern is a host name: no address literal, port or URL")]
    NotAHostName,
    /// M6, with the pattern meant when there is one.
    #[error(
        "a wildcard must be the whole leftmost label{}",
        .fix.as_deref().map_or_else(
            || ", followed by a domain".to_owned(),
            |rest| format!(" (\"*.{rest}\")"),
        )
    )]
    Wildcard { fix: Option<Box<str>> },
    /// M7.
    #[error("a leading dot is not a wildcard; write \"*{text}\"")]
    LeadingDot { text: Box<str> },
    /// M3, strict.
    #[error("remove the trailing dot (\"{fixed}\")")]
    TrailingDot { fixed: Box<str> },
    /// M8, M13.
    #[error(transparent)]
    Name(NameWhy),
    /// M13, strict.
    #[error("write the name in A-label form (\"{a_label}\")")]
    ULabel { a_label: Box<str> },
}

/// RFC 8461 §3.4: why a recipient domain names no Policy Domain.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum DomainWhy {
    #[error("an address literal has no Policy Domain and no MTA-STS policy (RFC 8461 §3.4)")]
    AddressLiteral,
    #[error(transparent)]
    Name(NameWhy),
    #[error("an IP address is not a domain and has no MTA-STS policy")]
    IpAddress,
    #[error(
        "the TXT name \"_mta-sts.<domain>\" would be {len} octets long, \
         more than the {MAX_NAME_LEN} a domain name may have"
    )]
    TxtNameTooLong { len: usize },
}

/// P10b, P11, P24: why a policy line is not a field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum LineWhy {
    /// P11.
    #[error("a field name has at most 32 characters")]
    NameTooLong,
    /// P11.
    #[error("expected \"name: value\" and found no ':'")]
    NoColon,
    /// P11.
    #[error("{FIELD_NAME_RULE}")]
    FieldName,
    /// P24.
    #[error("the field {name:?} has an empty value")]
    EmptyValue { name: Box<str> },
    /// P24.
    #[error("a tab inside the value of {name:?} is not allowed")]
    TabInValue { name: Box<str> },
    /// P10b, strict: `what` names the space, `location` where it is.
    #[error("{what} {location} is not a space or tab; replace it with a space")]
    UnicodeSpace {
        what: Box<str>,
        location: &'static str,
    },
}

/// P23, P24 for a built policy: why an extension's name or value is
/// refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ExtensionWhy {
    #[error("{FIELD_NAME_RULE}")]
    FieldName,
    #[error("RFC 8461 defines this field: set it with the builder, not as an extension")]
    KnownField,
    #[error("the extension is given twice (senders read only the first)")]
    Repeated,
    #[error("the value is empty")]
    EmptyValue,
    #[error("spaces or tabs around the value are not kept by parsing: trim them")]
    SpacesAround,
    #[error("a tab is not allowed inside a value")]
    Tab,
    #[error("line breaks and control characters are not allowed in a value")]
    Control,
}

/// T-rules and RFC 8460 §3: why a TXT record (an STS or a TLS-RPT record,
/// read as a tag list) is refused. The variant gives the error's kind.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum RecordWhy {
    /// T4.
    #[error("an STS record starts with exactly \"v=STSv1;\" (case-sensitive)")]
    NotSts,
    /// RFC 8460 §3.
    #[error("a TLS-RPT record starts with exactly \"v=TLSRPTv1;\" (case-sensitive)")]
    NotTlsRpt,
    /// T2: the version field not ended by `;`.
    #[error("expected ';' after {version:?}")]
    NoSemicolon { version: Box<str> },
    /// T6.
    #[error("empty field (two ';' in a row)")]
    EmptyField,
    /// T6, T9: a field that is not `name=value`.
    #[error(
        "invalid field {}: expected \"name=value\" with a name of up to 32 letters, digits, \
         '_', '-' or '.'",
        quote_short(.field)
    )]
    BadField { field: Box<str> },
    /// T3: `what` names the record.
    #[error("only ASCII is allowed in {}", with_article(.what))]
    NotAscii { what: &'static str },
    /// T9.
    #[error(
        "invalid value for {name:?}: an extension value is one or more printable characters \
         other than '=', ';' and space"
    )]
    ExtensionValue { name: Box<str> },
    /// T2b, strict.
    #[error("whitespace after the last field: remove it or end the record with ';'")]
    TrailingSpace,
    /// T5.
    #[error("the record has no \"id=\" field")]
    MissingId,
    /// T7.
    #[error("\"id=\" has no value")]
    EmptyId,
    /// T7, strict.
    #[error("the id {} must be 1 to 32 letters and digits", quote_short(.id))]
    InvalidId { id: Box<str> },
    /// RFC 8460 §3.
    #[error("the record has no \"rua=\" field: reports would go nowhere")]
    MissingRua,
    /// RFC 8460 §3: `rua=a,,b`.
    #[error("empty URI in \"rua=\" (a stray or doubled ',')")]
    EmptyRua,
    /// RFC 8460 §3.
    #[error(transparent)]
    Rua(RuaWhy),
}

impl RecordWhy {
    /// The kind of the error this explains.
    pub(crate) fn kind(&self) -> ErrorKind {
        match self {
            RecordWhy::NotSts => ErrorKind::NotSts,
            RecordWhy::NotTlsRpt => ErrorKind::NotTlsRpt,
            RecordWhy::NoSemicolon { .. }
            | RecordWhy::EmptyField
            | RecordWhy::BadField { .. }
            | RecordWhy::NotAscii { .. }
            | RecordWhy::ExtensionValue { .. }
            | RecordWhy::TrailingSpace
            | RecordWhy::EmptyId => ErrorKind::Syntax,
            RecordWhy::MissingId => ErrorKind::MissingId,
            RecordWhy::InvalidId { .. } => ErrorKind::InvalidId,
            RecordWhy::MissingRua => ErrorKind::MissingRua,
            RecordWhy::EmptyRua | RecordWhy::Rua(_) => ErrorKind::InvalidRua,
        }
    }
}

/// RFC 8460 §3: why a `rua` URI is refused; each quotes the URI.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum RuaWhy {
    #[error(
        "the rua URI {} has no scheme: expected \"mailto:\" or \"https:\"",
        quote_short(.uri)
    )]
    NoScheme { uri: Box<str> },
    #[error(
        "the rua URI {} has the scheme {}: only mailto: and https: are supported (RFC 8460 §3)",
        quote_short(.uri),
        quote_short(.scheme)
    )]
    Scheme { uri: Box<str>, scheme: Box<str> },
    #[error("in the rua URI {}, '%' must be followed by two hex digits", quote_short(.uri))]
    Percent { uri: Box<str> },
    #[error(
        "the rua URI {} holds {c:?}, which must be percent-encoded (RFC 8460 §3)",
        quote_short(.uri)
    )]
    MustEncode { uri: Box<str>, c: char },
    #[error("the rua URI {} holds {c:?}, which a URI may not contain", quote_short(.uri))]
    NotUriChar { uri: Box<str>, c: char },
    #[error(
        "the mailto: URI {} does not name an address (local-part@domain)",
        quote_short(.uri)
    )]
    NoAddress { uri: Box<str> },
    #[error(
        "the https: URI {} has no host (expected \"https://host/path\")",
        quote_short(.uri)
    )]
    NoHost { uri: Box<str> },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wildcard_explanation_names_the_pattern_meant_when_there_is_one() {
        let fix = MxWhy::Wildcard {
            fix: Some("example.com".into()),
        };
        assert_eq!(
            fix.to_string(),
            "a wildcard must be the whole leftmost label (\"*.example.com\")"
        );
        let none = MxWhy::Wildcard { fix: None };
        assert_eq!(
            none.to_string(),
            "a wildcard must be the whole leftmost label, followed by a domain"
        );
    }

    #[test]
    fn name_explanations_quote_the_label_and_the_character() {
        let long = format!("{}.example", "a".repeat(64));
        let why = NameWhy::of(NameProblem::LabelTooLong(0), &long);
        assert!(
            why.to_string()
                .ends_with("is 64 octets long, more than the 63 a label may have")
        );
        let why = NameWhy::of(NameProblem::Char(1), "a_b.example");
        assert_eq!(
            why.to_string(),
            "'_' is not allowed: labels hold only letters, digits and hyphens"
        );
    }
}
