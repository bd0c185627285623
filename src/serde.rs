//! `serde` support (feature `serde`).
//!
//! [`Policy`] serialises as a map (`{"version": "STSv1", "mode": "enforce",
//! "mx": [...], "max_age": 604800}` plus one string entry per extension);
//! [`Mode`] as its lowercase name; [`MxPattern`], [`TxtRecord`],
//! [`PolicyDomain`], [`ResultType`], [`TlsRptRecord`] and [`ReportUri`] as
//! their canonical text. Deserialising validates exactly as strict parsing
//! does.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::grammar::is_field_name;
use crate::sender::{PolicyDomain, ResultType};
use crate::tlsrpt::{ReportUri, TlsRptRecord};
use crate::{Mode, MxPattern, Policy, TxtRecord};

impl Serialize for Mode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Mode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Mode, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

/// Serialises through `Display` and deserialises through strict `FromStr`,
/// for the types that are strings at heart.
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

via_text!(
    MxPattern,
    TxtRecord,
    PolicyDomain,
    ResultType,
    TlsRptRecord,
    ReportUri
);

impl Serialize for Policy {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4 + self.extensions.len()))?;
        map.serialize_entry("version", "STSv1")?;
        map.serialize_entry("mode", &self.mode)?;
        map.serialize_entry("mx", &self.mx)?;
        map.serialize_entry("max_age", &self.max_age)?;
        for (name, value) in &self.extensions {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Policy {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Policy, D::Error> {
        deserializer.deserialize_map(PolicyVisitor)
    }
}

struct PolicyVisitor;

impl<'de> Visitor<'de> for PolicyVisitor {
    type Value = Policy;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an MTA-STS policy as a map of its fields")
    }

    /// Rebuilds the policy text from the map and parses it strictly, so that
    /// every rule applies exactly as for a fetched policy.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Policy, A::Error> {
        let mut text = String::new();
        let mut push = |name: &str, value: &str| -> Result<(), A::Error> {
            if value.contains(['\r', '\n']) {
                return Err(de::Error::custom(format_args!(
                    "the value of {name:?} contains a line break"
                )));
            }
            text.push_str(name);
            text.push_str(": ");
            text.push_str(value);
            text.push('\n');
            Ok(())
        };
        while let Some(name) = map.next_key::<String>()? {
            match name.as_str() {
                "mx" => {
                    for pattern in map.next_value::<Vec<String>>()? {
                        push("mx", &pattern)?;
                    }
                }
                "max_age" => push("max_age", &map.next_value::<u64>()?.to_string())?,
                _ if is_field_name(&name) => push(&name, &map.next_value::<String>()?)?,
                _ => {
                    return Err(de::Error::custom(format_args!(
                        "{name:?} is not a valid policy field name"
                    )))
                }
            }
        }
        Policy::parse(&text).map_err(de::Error::custom)
    }
}
