//! [`Code`]: every error kind and lint code, as one enum.
//!
//! Parsers tag their findings with a `Code`; the lint catalog
//! (`lint/catalog.rs`) gives each its severity and explanation with a
//! `match`, so adding a code is one variant here plus the arms the compiler
//! asks for. The public API keeps returning the stable strings of
//! [`Code::as_str`].

use crate::ErrorKind;
use crate::names::names;

/// A lint code: a parse error's kind, or one of the catalog's own codes
/// (SEMANTICS, "Lint catalog").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Code {
    /// A parse error reported as a lint, under the error's code. Also the
    /// lenient deviation `max-age-above-limit` (P17), which shares its code.
    Error(ErrorKind),
    // ---- mx patterns (M-rules and the DNS cross-checks)
    MxWildcard,
    MxWildcardOwnDomain,
    MxNotCovered,
    MxPatternUnused,
    MxNoDnsMx,
    MxIpAddress,
    MxSingleLabel,
    MxDuplicate,
    MxRedundant,
    MxUppercase,
    MxTrailingDot,
    MxULabel,
    // ---- mode and max_age
    ModeTesting,
    ModeNone,
    NoneWithMx,
    MaxAgeZero,
    MaxAgeShort,
    MaxAgeLeadingZeros,
    // ---- the policy text (P-rules)
    DuplicateField,
    UnknownField,
    KeyCase,
    BlankLine,
    Bom,
    LeadingWhitespace,
    SpaceBeforeColon,
    UnicodeSpace,
    InvalidLine,
    MixedLineEndings,
    // ---- inputs beyond the policy text
    ContextInvalid,
    TlsRptMissing,
    IdNotChanged,
    IdChangedOnly,
    // ---- the TXT record (T-rules)
    TxtSpaceBeforeSemicolon,
    TxtTrailingWhitespace,
    TxtIdInvalid,
    TxtUnknownField,
    TxtDuplicateField,
    // ---- audit (docs/AUDIT.md)
    DnsFailed,
    DomainNotFound,
    TxtOtherRecord,
    FetchFailed,
    CertNameMismatch,
    CertExpired,
    CertNotYetValid,
    CertExpiring,
    CertUntrusted,
    MxImplicit,
    MxNoStartTls,
    MxTlsFailed,
    MxUnreachable,
    EnforceRefusesMx,
    EnforceRefusesAll,
}

// Every lint code, parse errors first, in the order of the lint module's
// catalog table. `max-age-above-limit` appears once, as the error kind.
names!(Code, pub(crate) fn as_str(by_value), wraps Error(ErrorKind::code) {
    MxWildcard => "mx-wildcard",
    MxWildcardOwnDomain => "mx-wildcard-own-domain",
    MxNotCovered => "mx-not-covered",
    MxPatternUnused => "mx-pattern-unused",
    MxNoDnsMx => "mx-no-dns-mx",
    MxIpAddress => "mx-ip-address",
    MxSingleLabel => "mx-single-label",
    MxDuplicate => "mx-duplicate",
    MxRedundant => "mx-redundant",
    MxUppercase => "mx-uppercase",
    MxTrailingDot => "mx-trailing-dot",
    MxULabel => "mx-u-label",
    ModeTesting => "mode-testing",
    ModeNone => "mode-none",
    NoneWithMx => "none-with-mx",
    MaxAgeZero => "max-age-zero",
    MaxAgeShort => "max-age-short",
    MaxAgeLeadingZeros => "max-age-leading-zeros",
    DuplicateField => "duplicate-field",
    UnknownField => "unknown-field",
    KeyCase => "key-case",
    BlankLine => "blank-line",
    Bom => "bom",
    LeadingWhitespace => "leading-whitespace",
    SpaceBeforeColon => "space-before-colon",
    UnicodeSpace => "unicode-space",
    InvalidLine => "invalid-line",
    MixedLineEndings => "mixed-line-endings",
    ContextInvalid => "context-invalid",
    TlsRptMissing => "tlsrpt-missing",
    IdNotChanged => "id-not-changed",
    IdChangedOnly => "id-changed-only",
    TxtSpaceBeforeSemicolon => "txt-space-before-semicolon",
    TxtTrailingWhitespace => "txt-trailing-whitespace",
    TxtIdInvalid => "txt-id-invalid",
    TxtUnknownField => "txt-unknown-field",
    TxtDuplicateField => "txt-duplicate-field",
    // ---- audit (docs/AUDIT.md)
    DnsFailed => "dns-failed",
    DomainNotFound => "domain-not-found",
    TxtOtherRecord => "txt-other-record",
    FetchFailed => "fetch-failed",
    CertNameMismatch => "cert-name-mismatch",
    CertExpired => "cert-expired",
    CertNotYetValid => "cert-not-yet-valid",
    CertExpiring => "cert-expiring",
    CertUntrusted => "cert-untrusted",
    MxImplicit => "mx-implicit",
    MxNoStartTls => "mx-no-starttls",
    MxTlsFailed => "mx-tls-failed",
    MxUnreachable => "mx-unreachable",
    EnforceRefusesMx => "enforce-refuses-mx",
    EnforceRefusesAll => "enforce-refuses-all",
});

impl From<ErrorKind> for Code {
    fn from(kind: ErrorKind) -> Code {
        Code::Error(kind)
    }
}
