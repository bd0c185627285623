//! `serde` support (feature `serde`).
//!
//! [`Policy`] serialises as a map (`{"version": "STSv1", "mode": "enforce",
//! "mx": [...], "max_age": 604800}` plus one string entry per extension);
//! [`Mode`] as its lowercase name; [`MxPattern`], [`TxtRecord`],
//! [`PolicyDomain`], [`ResultType`], [`TlsRptRecord`] and [`ReportUri`] as
//! their canonical text. Deserialising validates exactly as strict parsing
//! does; a [`Policy`] is built from its fields with [`Policy::builder`]
//! (`version` may be left out), so errors name the field, not a line of
//! generated text.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::PolicyDomain;
use crate::lint::Severity;
use crate::message::quote_short;
use crate::sender::{Action, Apply, FetchReason, TlsOutcome};
use crate::tlsrpt::ResultType;
use crate::tlsrpt::{ReportUri, TlsRptRecord};
use crate::{Mode, MxPattern, Policy, TxtRecord};

/// Serialises through `Display` and deserialises through strict `FromStr`,
/// for the types that are strings at heart, and for the name tables
/// (`crate::names`).
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
    TlsRptRecord,
    ReportUri,
    Mode,
    ResultType,
    Severity,
    Action,
    Apply,
    FetchReason,
    TlsOutcome
);

impl Serialize for Policy {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4 + self.extensions().len()))?;
        map.serialize_entry("version", "STSv1")?;
        map.serialize_entry("mode", &self.mode)?;
        map.serialize_entry("mx", &self.mx)?;
        map.serialize_entry("max_age", &self.max_age)?;
        for (name, value) in self.extensions.iter() {
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

    /// Reads the fields and builds the policy with [`Policy::builder`], so
    /// every rule of strict parsing applies and errors name the field.
    /// `version` may be left out; when given it must be `STSv1`.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Policy, A::Error> {
        let mut mode: Option<Mode> = None;
        let mut max_age: Option<u64> = None;
        let mut mx: Option<Vec<String>> = None;
        let mut version_seen = false;
        let mut extensions: Vec<(String, String)> = Vec::new();
        let duplicate =
            |name: &str| de::Error::custom(format_args!("duplicate field {}", quote_short(name)));
        while let Some(name) = map.next_key::<String>()? {
            match name.as_str() {
                "version" => {
                    if std::mem::replace(&mut version_seen, true) {
                        return Err(duplicate(&name));
                    }
                    let version = map.next_value::<String>()?;
                    if version != "STSv1" {
                        return Err(de::Error::custom(format_args!(
                            "invalid version {}: the only version is \"STSv1\"",
                            quote_short(&version)
                        )));
                    }
                }
                "mode" if mode.is_some() => return Err(duplicate(&name)),
                "mode" => mode = Some(map.next_value()?),
                "max_age" if max_age.is_some() => return Err(duplicate(&name)),
                "max_age" => max_age = Some(map.next_value()?),
                "mx" if mx.is_some() => return Err(duplicate(&name)),
                "mx" => mx = Some(map.next_value()?),
                _ => {
                    let value = map.next_value::<String>()?;
                    extensions.push((name, value));
                }
            }
        }
        let mode = mode.ok_or_else(|| de::Error::missing_field("mode"))?;
        let max_age = max_age.ok_or_else(|| de::Error::missing_field("max_age"))?;
        let mut builder = Policy::builder(mode, max_age);
        for pattern in mx.unwrap_or_default() {
            builder = builder.mx(pattern);
        }
        for (name, value) in extensions {
            builder = builder.extension(name, value);
        }
        builder.build().map_err(de::Error::custom)
    }
}
