//! Stable kebab-case names for the sender's unit enums: `as_str`,
//! `Display`, `FromStr` and, with the `serde` feature, `Serialize` and
//! `Deserialize`, all from one table per enum.

use std::fmt;
use std::str::FromStr;

use crate::Error;
use crate::error::ErrorKind;
use crate::sender::{Action, Apply, FetchReason, TlsOutcome};

/// One name per variant; `$what` names the enum in `FromStr` errors.
macro_rules! names {
    ($ty:ident, $what:literal, { $($variant:ident => $name:literal,)* }) => {
        impl $ty {
            /// Every variant, in declaration order.
            const ALL: &'static [$ty] = &[$($ty::$variant),*];

            #[doc = concat!("The stable name, one per variant in declaration order:", $(" `", $name, "`",)* ".")]
            #[must_use]
            pub fn as_str(&self) -> &'static str {
                match self {
                    $($ty::$variant => $name,)*
                }
            }
        }

        impl fmt::Display for $ty {
            /// Writes [`as_str`](Self::as_str).
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $ty {
            type Err = Error;

            /// Reads the name `Display` writes, exactly; anything else is a
            /// `syntax` error.
            fn from_str(s: &str) -> Result<$ty, Error> {
                $ty::ALL
                    .iter()
                    .copied()
                    .find(|value| value.as_str() == s)
                    .ok_or_else(|| unknown($what, s, $ty::ALL.iter().map($ty::as_str)))
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for $ty {
            /// As its name.
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $ty {
            /// From its name, as `FromStr` reads it.
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$ty, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

names!(Action, "delivery action", {
    Deliver => "deliver",
    Refuse => "refuse",
    Defer => "defer",
});

names!(Apply, "policy to apply", {
    Cached => "cached",
    NoPolicy => "no-policy",
});

names!(FetchReason, "fetch reason", {
    NoCache => "no-cache",
    IdChanged => "id-changed",
    Expired => "expired",
    Refresh => "refresh",
});

names!(TlsOutcome, "TLS outcome", {
    Valid => "valid",
    StartTlsNotSupported => "starttls-not-supported",
    CertificateHostMismatch => "certificate-host-mismatch",
    CertificateExpired => "certificate-expired",
    CertificateNotTrusted => "certificate-not-trusted",
    ValidationFailure => "validation-failure",
});

/// The `FromStr` error: the unknown name and the names that exist.
fn unknown<'a>(what: &str, found: &str, names: impl Iterator<Item = &'a str>) -> Error {
    let expected: Vec<String> = names.map(|name| format!("{name:?}")).collect();
    Error::new(
        ErrorKind::Syntax,
        format!("unknown {what} {found:?}"),
        format!("expected one of {}", expected.join(", ")),
    )
}
