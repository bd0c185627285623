//! Stable kebab-case names for the sender's unit enums, one table per enum
//! ([`names!`](crate::names::names)); serde reads and writes the same
//! names (`crate::serde`).

use crate::ErrorKind;
use crate::names::names;
use crate::sender::{Action, Apply, FetchReason, TlsOutcome};

names!(Action, pub fn as_str(by_ref), parse(ErrorKind::Syntax, "delivery action") {
    Deliver => "deliver",
    Refuse => "refuse",
    Defer => "defer",
});

names!(Apply, pub fn as_str(by_ref), parse(ErrorKind::Syntax, "policy to apply") {
    Cached => "cached",
    NoPolicy => "no-policy",
});

names!(FetchReason, pub fn as_str(by_ref), parse(ErrorKind::Syntax, "fetch reason") {
    NoCache => "no-cache",
    IdChanged => "id-changed",
    Expired => "expired",
    Refresh => "refresh",
});

names!(TlsOutcome, pub fn as_str(by_ref), parse(ErrorKind::Syntax, "TLS outcome") {
    Valid => "valid",
    StartTlsNotSupported => "starttls-not-supported",
    CertificateHostMismatch => "certificate-host-mismatch",
    CertificateExpired => "certificate-expired",
    CertificateNotTrusted => "certificate-not-trusted",
    ValidationFailure => "validation-failure",
});
