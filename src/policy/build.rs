//! Building a [`Policy`] in code: [`PolicyBuilder`], validated like a
//! parsed policy, with errors that name the field instead of a line.

use std::collections::HashSet;

use super::{MAX_AGE_LIMIT, Mode, Policy};
use crate::error::{Cause, ExtensionWhy, Position};
use crate::grammar::is_field_name;
use crate::mx::MxPattern;
use crate::{Error, ParseOptions};

/// Builds a [`Policy`] from values, for publishers and control panels that
/// generate a policy instead of parsing one. Start with
/// [`Policy::builder`].
///
/// [`build`](PolicyBuilder::build) checks what strict parsing checks
/// (RFC 8461 §3.2): every `mx` pattern (SEMANTICS M-rules, strictly;
/// give names as resolvers return them to
/// [`mx_lenient`](PolicyBuilder::mx_lenient)), at least one `mx` unless the
/// mode is `none` (P21), `max_age` at most 31 557 600 (P17), extension
/// names and values (P23, P24). Errors name the field and quote the value;
/// they carry no line. The built policy's [`Display`](std::fmt::Display)
/// text parses back to an equal policy.
///
/// ```
/// use mta_sts::{Mode, Policy};
///
/// let policy = Policy::builder(Mode::Enforce, 604_800)
///     .mx("mail.example.com")
///     .mx_lenient("MX2.Example.com.") // as DNS returns it
///     .extension("note", "managed by the mail team")
///     .build()?;
/// assert_eq!(policy.mx()[1].as_str(), "mx2.example.com");
/// assert_eq!(Policy::parse(&policy.to_string())?, policy);
///
/// let err = Policy::builder(Mode::Testing, 86_400).build().unwrap_err();
/// assert_eq!(err.to_string(), "missing field \"mx\": mode \"testing\" needs at least one \"mx\" pattern");
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct PolicyBuilder {
    mode: Mode,
    max_age: u64,
    /// Each pattern as given and whether to read it leniently.
    mx: Vec<(String, bool)>,
    extensions: Vec<(String, String)>,
}

impl PolicyBuilder {
    /// An empty builder: [`Policy::builder`].
    pub(super) fn new(mode: Mode, max_age: u64) -> PolicyBuilder {
        PolicyBuilder {
            mode,
            max_age,
            mx: Vec::new(),
            extensions: Vec::new(),
        }
    }

    /// Adds an `mx` pattern, checked strictly (`mail.example.com`,
    /// `*.example.net`).
    pub fn mx(mut self, pattern: impl AsRef<str>) -> PolicyBuilder {
        self.mx.push((pattern.as_ref().to_owned(), false));
        self
    }

    /// Adds an `mx` pattern given as DNS or a user returns it: any case,
    /// one trailing dot, U-labels (read as lenient parsing does, SEMANTICS
    /// M3, M13).
    pub fn mx_lenient(mut self, pattern: impl AsRef<str>) -> PolicyBuilder {
        self.mx.push((pattern.as_ref().to_owned(), true));
        self
    }

    /// Adds an extension field (`name: value`), kept in order after the
    /// fields RFC 8461 defines.
    pub fn extension(mut self, name: impl Into<String>, value: impl Into<String>) -> PolicyBuilder {
        self.extensions.push((name.into(), value.into()));
        self
    }

    /// Checks every value and builds the policy.
    ///
    /// # Errors
    ///
    /// The first problem, in the order mode, `mx`, `max_age`, extensions:
    /// `invalid-mx` for a pattern (with the column in the pattern),
    /// `missing-mx` for mode `enforce` or `testing` without `mx`,
    /// `max-age-above-limit` above 31 557 600 seconds, and `syntax` for an
    /// invalid, repeated or reserved extension name or an invalid value.
    pub fn build(self) -> Result<Policy, Error> {
        let mut mx = Vec::with_capacity(self.mx.len());
        for (text, lenient) in &self.mx {
            let options = if *lenient {
                ParseOptions::lenient()
            } else {
                ParseOptions::strict()
            };
            mx.push(MxPattern::parse_with(text, &options)?);
        }
        // P21.
        if mx.is_empty() && self.mode != Mode::None {
            return Err(super::missing_mx(self.mode, "pattern", None));
        }
        // P17.
        if self.max_age > MAX_AGE_LIMIT {
            return Err(super::max_age_above_limit(self.max_age));
        }
        let mut names = HashSet::new();
        for (name, value) in &self.extensions {
            check_extension(name, value, names.insert(name.as_str()))?;
        }
        Ok(Policy {
            mode: self.mode,
            max_age: self.max_age,
            mx,
            extensions: self.extensions.into(),
        })
    }
}

/// P23, P24 for a built extension: a valid name that is not one of the
/// RFC's fields and not a repeat, and a value that reads back the same.
fn check_extension(name: &str, value: &str, first: bool) -> Result<(), Error> {
    let bad_name = |why| {
        Err(Cause::ExtensionName {
            name: name.into(),
            why,
            at: Position::NONE,
        }
        .into())
    };
    if !is_field_name(name) {
        return bad_name(ExtensionWhy::FieldName);
    }
    if super::is_known_field(name) {
        return bad_name(ExtensionWhy::KnownField);
    }
    if !first {
        return bad_name(ExtensionWhy::Repeated);
    }
    let why = if value.is_empty() {
        Some(ExtensionWhy::EmptyValue)
    } else if value.starts_with([' ', '\t']) || value.ends_with([' ', '\t']) {
        Some(ExtensionWhy::SpacesAround)
    } else if value.contains('\t') {
        Some(ExtensionWhy::Tab)
    } else if value.chars().any(char::is_control) {
        Some(ExtensionWhy::Control)
    } else {
        None
    };
    match why {
        Some(why) => Err(Cause::ExtensionValue {
            name: name.into(),
            value: value.into(),
            why,
            at: Position::NONE,
        }
        .into()),
        None => Ok(()),
    }
}
