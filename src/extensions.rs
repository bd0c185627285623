//! Extension fields: the one list of `name` and value pairs that
//! [`Policy`](crate::Policy), [`TxtRecord`](crate::TxtRecord) and
//! [`TlsRptRecord`](crate::tlsrpt::TlsRptRecord) keep, and the first-wins
//! rule the record parsers read them with (SEMANTICS P20, T11).

use std::collections::HashSet;
use std::fmt;

/// Extension fields in order, first occurrence of each name only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub(crate) struct Extensions(Vec<(String, String)>);

impl Extensions {
    /// The fields in order, as `(name, value)`.
    pub(crate) fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.0
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// Writes ` name=value;` per field, as the TXT records' `Display` does.
    pub(crate) fn write_tags(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (name, value) in self.iter() {
            write!(f, " {name}={value};")?;
        }
        Ok(())
    }
}

impl From<Vec<(String, String)>> for Extensions {
    /// Fields already checked to have distinct names.
    fn from(fields: Vec<(String, String)>) -> Extensions {
        Extensions(fields)
    }
}

impl FromIterator<(String, String)> for Extensions {
    /// Fields already checked to have distinct names.
    fn from_iter<I: IntoIterator<Item = (String, String)>>(fields: I) -> Extensions {
        Extensions(fields.into_iter().collect())
    }
}

/// Extension fields being read: the first occurrence of a name wins, and
/// a repeat is ignored without being validated. The set of names seen is
/// only allocated once there is an extension.
#[derive(Default)]
pub(crate) struct FirstWins<'t> {
    fields: Vec<(String, String)>,
    names: Option<HashSet<&'t str>>,
}

impl<'t> FirstWins<'t> {
    /// Whether an extension named `name` was read already.
    #[inline]
    pub(crate) fn is_repeat(&self, name: &str) -> bool {
        self.names
            .as_ref()
            .is_some_and(|names| names.contains(name))
    }

    /// Keeps a field whose name was not seen yet.
    pub(crate) fn push(&mut self, name: &'t str, value: &str) {
        self.names.get_or_insert_default().insert(name);
        self.fields.push((name.to_owned(), value.to_owned()));
    }

    #[inline]
    pub(crate) fn finish(self) -> Extensions {
        Extensions(self.fields)
    }
}
