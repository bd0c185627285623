//! [`Code`]: every error kind and lint code, as one enum.
//!
//! Parsers tag their findings with a `Code`; the lint catalog
//! (`lint/catalog.rs`) gives each its severity and explanation with a
//! `match`, so adding a code is one variant here plus the arms the compiler
//! asks for. The public API keeps returning the stable strings of
//! [`Code::as_str`].

use crate::ErrorKind;

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

impl Code {
    /// Every lint code, parse errors first, in the order of the lint
    /// module's catalog table. `max-age-above-limit` appears once, as the
    /// error kind.
    #[cfg(test)]
    pub(crate) const ALL: [Code; 73] = {
        let mut all = [Code::MxWildcard; 73];
        let mut i = 0;
        while i < ErrorKind::ALL.len() {
            all[i] = Code::Error(ErrorKind::ALL[i]);
            i += 1;
        }
        let own = [
            Code::MxWildcard,
            Code::MxWildcardOwnDomain,
            Code::MxNotCovered,
            Code::MxPatternUnused,
            Code::MxNoDnsMx,
            Code::MxIpAddress,
            Code::MxSingleLabel,
            Code::MxDuplicate,
            Code::MxRedundant,
            Code::MxUppercase,
            Code::MxTrailingDot,
            Code::MxULabel,
            Code::ModeTesting,
            Code::ModeNone,
            Code::NoneWithMx,
            Code::MaxAgeZero,
            Code::MaxAgeShort,
            Code::MaxAgeLeadingZeros,
            Code::DuplicateField,
            Code::UnknownField,
            Code::KeyCase,
            Code::BlankLine,
            Code::Bom,
            Code::LeadingWhitespace,
            Code::SpaceBeforeColon,
            Code::UnicodeSpace,
            Code::InvalidLine,
            Code::MixedLineEndings,
            Code::ContextInvalid,
            Code::TlsRptMissing,
            Code::IdNotChanged,
            Code::IdChangedOnly,
            Code::TxtSpaceBeforeSemicolon,
            Code::TxtTrailingWhitespace,
            Code::TxtIdInvalid,
            Code::TxtUnknownField,
            Code::TxtDuplicateField,
            // ---- audit
            Code::DnsFailed,
            Code::DomainNotFound,
            Code::TxtOtherRecord,
            Code::FetchFailed,
            Code::CertNameMismatch,
            Code::CertExpired,
            Code::CertNotYetValid,
            Code::CertExpiring,
            Code::CertUntrusted,
            Code::MxImplicit,
            Code::MxNoStartTls,
            Code::MxTlsFailed,
            Code::MxUnreachable,
            Code::EnforceRefusesMx,
            Code::EnforceRefusesAll,
        ];
        let mut j = 0;
        while j < own.len() {
            all[ErrorKind::ALL.len() + j] = own[j];
            j += 1;
        }
        all
    };

    /// The stable kebab-case code.
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Code::Error(kind) => kind.code(),
            Code::MxWildcard => "mx-wildcard",
            Code::MxWildcardOwnDomain => "mx-wildcard-own-domain",
            Code::MxNotCovered => "mx-not-covered",
            Code::MxPatternUnused => "mx-pattern-unused",
            Code::MxNoDnsMx => "mx-no-dns-mx",
            Code::MxIpAddress => "mx-ip-address",
            Code::MxSingleLabel => "mx-single-label",
            Code::MxDuplicate => "mx-duplicate",
            Code::MxRedundant => "mx-redundant",
            Code::MxUppercase => "mx-uppercase",
            Code::MxTrailingDot => "mx-trailing-dot",
            Code::MxULabel => "mx-u-label",
            Code::ModeTesting => "mode-testing",
            Code::ModeNone => "mode-none",
            Code::NoneWithMx => "none-with-mx",
            Code::MaxAgeZero => "max-age-zero",
            Code::MaxAgeShort => "max-age-short",
            Code::MaxAgeLeadingZeros => "max-age-leading-zeros",
            Code::DuplicateField => "duplicate-field",
            Code::UnknownField => "unknown-field",
            Code::KeyCase => "key-case",
            Code::BlankLine => "blank-line",
            Code::Bom => "bom",
            Code::LeadingWhitespace => "leading-whitespace",
            Code::SpaceBeforeColon => "space-before-colon",
            Code::UnicodeSpace => "unicode-space",
            Code::InvalidLine => "invalid-line",
            Code::MixedLineEndings => "mixed-line-endings",
            Code::ContextInvalid => "context-invalid",
            Code::TlsRptMissing => "tlsrpt-missing",
            Code::IdNotChanged => "id-not-changed",
            Code::IdChangedOnly => "id-changed-only",
            Code::TxtSpaceBeforeSemicolon => "txt-space-before-semicolon",
            Code::TxtTrailingWhitespace => "txt-trailing-whitespace",
            Code::TxtIdInvalid => "txt-id-invalid",
            Code::TxtUnknownField => "txt-unknown-field",
            Code::TxtDuplicateField => "txt-duplicate-field",
            // ---- audit
            Code::DnsFailed => "dns-failed",
            Code::DomainNotFound => "domain-not-found",
            Code::TxtOtherRecord => "txt-other-record",
            Code::FetchFailed => "fetch-failed",
            Code::CertNameMismatch => "cert-name-mismatch",
            Code::CertExpired => "cert-expired",
            Code::CertNotYetValid => "cert-not-yet-valid",
            Code::CertExpiring => "cert-expiring",
            Code::CertUntrusted => "cert-untrusted",
            Code::MxImplicit => "mx-implicit",
            Code::MxNoStartTls => "mx-no-starttls",
            Code::MxTlsFailed => "mx-tls-failed",
            Code::MxUnreachable => "mx-unreachable",
            Code::EnforceRefusesMx => "enforce-refuses-mx",
            Code::EnforceRefusesAll => "enforce-refuses-all",
        }
    }
}

impl From<ErrorKind> for Code {
    fn from(kind: ErrorKind) -> Code {
        Code::Error(kind)
    }
}
