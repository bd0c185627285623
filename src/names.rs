//! One table per name: the [`names!`] macro gives a unit enum, from one
//! list of `Variant => "name"` rows, its `ALL` list, its name method,
//! `Display` and, where the enum is read from text, `FromStr` with the
//! crate's one wording for an unknown name ([`unknown`]).

use crate::error::{Cause, Position};
use crate::{Error, ErrorKind};

/// Generates, for a unit enum and one row per variant in declaration order:
///
/// - `ALL`, every variant in declaration order (crate-private);
/// - the name method, `by_ref` (`fn as_str(&self)`) or `by_value`
///   (`const fn code(self)`), with the visibility given;
/// - `from_name`, the variant a name stands for (crate-private);
/// - `Display`, writing the name;
/// - with `parse(kind, "what")`, `FromStr`, reading the name exactly and
///   failing with a `kind` error worded by [`unknown`].
macro_rules! names {
    (
        $ty:ident, $vis:vis fn $method:ident($receiver:ident)
        $(, parse($kind:expr, $what:literal))?
        { $($variant:ident => $name:literal,)+ }
    ) => {
        impl $ty {
            /// Every variant, in declaration order.
            #[allow(dead_code)]
            pub(crate) const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The variant `name` stands for, read exactly.
            #[allow(dead_code)]
            pub(crate) fn from_name(name: &str) -> Option<$ty> {
                match name {
                    $($name => Some($ty::$variant),)+
                    _ => None,
                }
            }
        }

        $crate::names::names!(@method $ty, $vis, $method, $receiver, $($variant => $name,)+);

        impl ::std::fmt::Display for $ty {
            #[doc = concat!("Writes [`", stringify!($method), "`](Self::", stringify!($method), ").")]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.$method())
            }
        }

        $(
            impl ::std::str::FromStr for $ty {
                type Err = $crate::Error;

                #[doc = concat!(
                    "Reads the name `Display` writes, exactly; anything else is a `",
                    stringify!($kind),
                    "` error."
                )]
                fn from_str(s: &str) -> Result<$ty, $crate::Error> {
                    $ty::from_name(s).ok_or_else(|| {
                        $crate::names::unknown($kind, $what, s, $ty::ALL.iter().map(|v| v.$method()))
                    })
                }
            }
        )?
    };
    // A table whose first variant wraps another table (`Code::Error` wraps
    // every `ErrorKind`): `ALL` lists the wrapped table first.
    (
        $ty:ident, $vis:vis fn $method:ident(by_value),
        wraps $wrap:ident($inner:ident::$inner_method:ident)
        { $($variant:ident => $name:literal,)+ }
    ) => {
        /// The variants of the table's own rows.
        const OWN: &[$ty] = &[$($ty::$variant),+];

        impl $ty {
            /// Every variant: the wrapped table's, then the own rows.
            #[allow(dead_code)]
            pub(crate) const ALL: [$ty; $inner::ALL.len() + OWN.len()] = {
                let mut all = [OWN[0]; $inner::ALL.len() + OWN.len()];
                let mut i = 0;
                while i < $inner::ALL.len() {
                    all[i] = $ty::$wrap($inner::ALL[i]);
                    i += 1;
                }
                let mut j = 0;
                while j < OWN.len() {
                    all[$inner::ALL.len() + j] = OWN[j];
                    j += 1;
                }
                all
            };

            /// The stable name: the wrapped value's, or the row's.
            $vis const fn $method(self) -> &'static str {
                match self {
                    $ty::$wrap(inner) => inner.$inner_method(),
                    $($ty::$variant => $name,)+
                }
            }
        }
    };
    (@method $ty:ident, $vis:vis, $method:ident, by_ref, $($variant:ident => $name:literal,)+) => {
        impl $ty {
            #[doc = concat!("The stable name, one per variant in declaration order:", $(" `", $name, "`",)+ ".")]
            #[must_use]
            $vis const fn $method(&self) -> &'static str {
                match self {
                    $($ty::$variant => $name,)+
                }
            }
        }
    };
    (@method $ty:ident, $vis:vis, $method:ident, by_value, $($variant:ident => $name:literal,)+) => {
        impl $ty {
            #[doc = concat!("The stable name, one per variant in declaration order:", $(" `", $name, "`",)+ ".")]
            #[must_use]
            $vis const fn $method(self) -> &'static str {
                match self {
                    $($ty::$variant => $name,)+
                }
            }
        }
    };
}

pub(crate) use names;

/// The `FromStr` error of every name table: the unknown name and the
/// names that exist, e.g. `unknown delivery action "Deliver": expected
/// "deliver", "refuse" or "defer"`.
pub(crate) fn unknown(
    kind: ErrorKind,
    what: &'static str,
    found: &str,
    names: impl Iterator<Item = &'static str>,
) -> Error {
    Cause::UnknownName {
        kind,
        what,
        found: found.into(),
        expected: names.collect(),
        at: Position::NONE,
    }
    .into()
}
