//! A small JSON tree that keeps every member of an object, duplicates
//! included, so that reading can refuse them (I-JSON, SEMANTICS G1), and
//! JSON paths for messages.
//!
//! `serde_json::Value` keeps the last of two equal names silently. The
//! tree is built through `serde_json`'s deserializer, so its recursion limit
//! (128 levels) bounds the depth here too, and every walk over the tree
//! recurses no deeper than that.

use std::collections::HashSet;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{Problem, ReportError};
use crate::message::quote_short;

/// One JSON value.
#[derive(Debug)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    /// A non-negative integer that fits `u64`.
    Unsigned(u64),
    /// A negative integer that fits `i64`.
    Negative(i64),
    /// Any other number.
    Float(f64),
    String(String),
    Array(Vec<Json>),
    /// Members in document order, duplicates kept.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Reads JSON text (UTF-8, one value, nothing after it but whitespace).
    pub(crate) fn from_slice(input: &[u8]) -> Result<Json, ReportError> {
        serde_json::from_slice(input)
            .map_err(|err| ReportError::new(String::new(), Problem::Json(err.to_string())))
    }

    /// The value for a message: strings quoted (and cut), numbers as
    /// written, containers by kind.
    pub(crate) fn describe(&self) -> String {
        match self {
            Json::Null => "null".to_owned(),
            Json::Bool(b) => b.to_string(),
            Json::Unsigned(n) => n.to_string(),
            Json::Negative(n) => n.to_string(),
            Json::Float(x) => format!("{x:?}"),
            Json::String(s) => super::quote(s).to_string(),
            Json::Array(_) => "an array".to_owned(),
            Json::Object(_) => "an object".to_owned(),
        }
    }

    /// The first object member named twice, anywhere in the tree, as an
    /// error with its path.
    pub(crate) fn check_duplicates(&self, path: &Path<'_>) -> Result<(), ReportError> {
        match self {
            Json::Array(items) => items
                .iter()
                .enumerate()
                .try_for_each(|(i, item)| item.check_duplicates(&path.index(i))),
            Json::Object(members) => {
                let mut seen = HashSet::with_capacity(members.len());
                for (name, value) in members {
                    let here = path.key(name);
                    if !seen.insert(name.as_str()) {
                        let name = name.clone();
                        let problem = Problem::DuplicateMember { name };
                        return Err(ReportError::new(here.to_string(), problem));
                    }
                    value.check_duplicates(&here)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Json, E> {
        Ok(Json::Bool(b))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Json, E> {
        Ok(Json::Unsigned(n))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Json, E> {
        Ok(match u64::try_from(n) {
            Ok(n) => Json::Unsigned(n),
            Err(_) => Json::Negative(n),
        })
    }

    fn visit_f64<E>(self, x: f64) -> Result<Json, E> {
        Ok(Json::Float(x))
    }

    fn visit_str<E>(self, s: &str) -> Result<Json, E> {
        Ok(Json::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Json, E> {
        Ok(Json::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        // No size hint: serde_json gives none, and a hint must never size
        // an allocation anyway.
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            let value = map.next_value()?;
            members.push((name, value));
        }
        Ok(Json::Object(members))
    }
}

/// A JSON path, built on the stack as the reader descends and written
/// only when a message needs it: `policies[0].summary.total-failure-session-count`.
/// Names other than letters, digits, `-` and `_` are written as `["…"]`.
pub(crate) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Step<'a>,
}

enum Step<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> Path<'a> {
    /// The report itself (written as the empty string).
    pub(crate) const ROOT: Path<'static> = Path {
        parent: None,
        step: Step::Root,
    };

    /// The member `name` of this object.
    pub(crate) fn key(&'a self, name: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            step: Step::Key(name),
        }
    }

    /// Element `i` of this array.
    pub(crate) fn index(&'a self, i: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            step: Step::Index(i),
        }
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut steps = Vec::new();
        let mut at = Some(self);
        while let Some(path) = at {
            steps.push(&path.step);
            at = path.parent;
        }
        let mut first = true;
        for step in steps.into_iter().rev() {
            match step {
                Step::Root => continue,
                Step::Index(i) => write!(f, "[{i}]")?,
                Step::Key(name)
                    if !name.is_empty()
                        && name
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
                {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(name)?;
                }
                Step::Key(name) => write!(f, "[{}]", quote_short(name))?,
            }
            first = false;
        }
        Ok(())
    }
}
