//! Change detection: what differs between two policies (RFC 8461 §3.1:
//! the TXT id must change whenever the policy does).
//!
//! ```
//! use mta_sts::Policy;
//!
//! let old = Policy::parse("version: STSv1\nmode: testing\nmx: mx1.example.com\nmax_age: 86400\n")?;
//! let new = Policy::parse("version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: mx2.example.com\nmax_age: 604800\n")?;
//! let diff = old.diff(&new);
//! assert!(!diff.is_empty());
//! assert_eq!(
//!     diff.to_string(),
//!     "mode: testing -> enforce\nmx added: mx2.example.com\nmax_age: 86400 -> 604800"
//! );
//! # Ok::<(), mta_sts::Error>(())
//! ```

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::{Mode, MxPattern, Policy};

/// The differences between an old and a new [`Policy`], from
/// [`Policy::diff`].
///
/// `mx` patterns are compared as a set, since their order and repeats do not
/// change which hosts match; extensions are compared by name. An empty diff
/// means the two policies mean the same thing to a sender.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PolicyDiff {
    mode: Option<(Mode, Mode)>,
    max_age: Option<(u64, u64)>,
    mx_added: Vec<MxPattern>,
    mx_removed: Vec<MxPattern>,
    extensions: Vec<ExtensionChange>,
}

impl PolicyDiff {
    /// Whether the policies mean the same thing (no difference at all).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.mode.is_none()
            && self.max_age.is_none()
            && self.mx_added.is_empty()
            && self.mx_removed.is_empty()
            && self.extensions.is_empty()
    }

    /// The mode change, as `(old, new)`, if the mode changed.
    #[must_use]
    pub fn mode(&self) -> Option<(Mode, Mode)> {
        self.mode
    }

    /// The `max_age` change, as `(old, new)` in seconds, if it changed.
    #[must_use]
    pub fn max_age(&self) -> Option<(u64, u64)> {
        self.max_age
    }

    /// Patterns in the new policy and not in the old, in the new policy's
    /// order, each once.
    #[must_use]
    pub fn mx_added(&self) -> &[MxPattern] {
        &self.mx_added
    }

    /// Patterns in the old policy and not in the new, in the old policy's
    /// order, each once.
    #[must_use]
    pub fn mx_removed(&self) -> &[MxPattern] {
        &self.mx_removed
    }

    /// Extension fields added, removed or changed: the old policy's order,
    /// then those only in the new policy in its order.
    #[must_use]
    pub fn extensions(&self) -> &[ExtensionChange] {
        &self.extensions
    }
}

impl fmt::Display for PolicyDiff {
    /// One line per change (`mode: testing -> enforce`, `mx added: …`,
    /// `mx removed: …`, `max_age: 86400 -> 604800`, `extension added: …`,
    /// `extension removed: …`, `extension changed: …`), joined by `\n`;
    /// `no changes` for an empty diff.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("no changes");
        }
        let mut lines: Vec<String> = Vec::new();
        if let Some((old, new)) = self.mode {
            lines.push(format!("mode: {old} -> {new}"));
        }
        lines.extend(self.mx_removed.iter().map(|mx| format!("mx removed: {mx}")));
        lines.extend(self.mx_added.iter().map(|mx| format!("mx added: {mx}")));
        if let Some((old, new)) = self.max_age {
            lines.push(format!("max_age: {old} -> {new}"));
        }
        lines.extend(self.extensions.iter().map(ExtensionChange::to_string));
        f.write_str(&lines.join("\n"))
    }
}

/// A change to one extension field, from [`PolicyDiff::extensions`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtensionChange {
    name: String,
    old: Option<String>,
    new: Option<String>,
}

impl ExtensionChange {
    /// The field name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The old value; `None` if the field was added.
    #[must_use]
    pub fn old_value(&self) -> Option<&str> {
        self.old.as_deref()
    }

    /// The new value; `None` if the field was removed.
    #[must_use]
    pub fn new_value(&self) -> Option<&str> {
        self.new.as_deref()
    }
}

impl fmt::Display for ExtensionChange {
    /// `extension added: name: value`, `extension removed: name: value`
    /// or `extension changed: name: old -> new`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = &self.name;
        match (&self.old, &self.new) {
            (None, Some(new)) => write!(f, "extension added: {name}: {new}"),
            (Some(old), None) => write!(f, "extension removed: {name}: {old}"),
            (Some(old), Some(new)) => write!(f, "extension changed: {name}: {old} -> {new}"),
            (None, None) => write!(f, "extension unchanged: {name}"),
        }
    }
}

impl Policy {
    /// What changed from this (old) policy to `new`.
    ///
    /// ```
    /// use mta_sts::Policy;
    ///
    /// let a = Policy::parse("version: STSv1\nmode: enforce\nmx: a.example.com\nmx: b.example.com\nmax_age: 86400\n")?;
    /// let b = Policy::parse("version: STSv1\nmode: enforce\nmx: B.example.com\nmx: a.example.com\nmax_age: 86400\n")?;
    /// // Order and case do not matter to a sender.
    /// assert!(a.diff(&b).is_empty());
    /// assert_eq!(a.diff(&b).to_string(), "no changes");
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    pub fn diff(&self, new: &Policy) -> PolicyDiff {
        let mode = (self.mode() != new.mode()).then_some((self.mode(), new.mode()));
        let max_age = (self.max_age() != new.max_age()).then_some((self.max_age(), new.max_age()));
        let mx_added = only_in(new.mx(), self.mx());
        let mx_removed = only_in(self.mx(), new.mx());
        let old_fields: HashMap<&str, &str> = self.extensions().collect();
        let new_fields: HashMap<&str, &str> = new.extensions().collect();
        let mut extensions = Vec::new();
        for (name, old) in self.extensions() {
            let now = new_fields.get(name).copied();
            if now != Some(old) {
                extensions.push(ExtensionChange {
                    name: name.to_owned(),
                    old: Some(old.to_owned()),
                    new: now.map(str::to_owned),
                });
            }
        }
        for (name, value) in new.extensions() {
            if !old_fields.contains_key(name) {
                extensions.push(ExtensionChange {
                    name: name.to_owned(),
                    old: None,
                    new: Some(value.to_owned()),
                });
            }
        }
        PolicyDiff {
            mode,
            max_age,
            mx_added,
            mx_removed,
            extensions,
        }
    }
}

/// Patterns of `a` not in `b`, in `a`'s order, each once.
fn only_in(a: &[MxPattern], b: &[MxPattern]) -> Vec<MxPattern> {
    let mut seen: HashSet<&MxPattern> = b.iter().collect();
    a.iter()
        .filter(|pattern| seen.insert(pattern))
        .cloned()
        .collect()
}
