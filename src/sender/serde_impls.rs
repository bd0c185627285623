//! `serde` support (feature `serde`) for the sender and TLS-RPT types that
//! are strings at heart: [`PolicyDomain`], [`ResultType`],
//! [`TlsRptRecord`] and [`ReportUri`] serialise as their `Display` text and
//! deserialise through `FromStr`, so deserialising validates.

use serde::de;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{PolicyDomain, ResultType};
use crate::tlsrpt::{ReportUri, TlsRptRecord};

macro_rules! via_text {
    ($($ty:ty),*) => {$(
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<$ty, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(de::Error::custom)
            }
        }
    )*};
}

via_text!(PolicyDomain, ResultType, TlsRptRecord, ReportUri);
