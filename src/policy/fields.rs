//! The fields of a policy: first-wins state and the value rules
//! (SEMANTICS P12–P25), and the required-field checks after the pass.

use std::borrow::Cow;
use std::collections::HashMap;

use super::line::{Field, invalid_line};
use super::{KnownField, MAX_AGE_LIMIT, Mode, Policy, invalid_mode};
use crate::code::Code;
use crate::error::{Cause, LineWhy, NearMiss, Position};
use crate::grammar::{digits, quote};
use crate::mx::{self, MxPattern};
use crate::pass::{Detail, Finding, Pass};
use crate::{Error, ErrorKind};

/// A value and the line it is on (none for a policy given as a value).
#[derive(Clone, Debug)]
pub(crate) struct Located<T> {
    pub(crate) value: T,
    pub(crate) line: Option<usize>,
}

/// A field's first occurrence: its line, its raw trimmed value (P20
/// compares repeats with it) and the value, when valid.
struct Seen<'t, T> {
    line: usize,
    raw: &'t str,
    value: Option<T>,
}

/// The policy's values as far as they parsed, for the semantic lints.
#[derive(Clone, Debug, Default)]
pub(crate) struct Values {
    /// The first valid mode.
    pub(crate) mode: Option<Located<Mode>>,
    /// The first valid, effective (clamped) `max_age`.
    pub(crate) max_age: Option<Located<u64>>,
    /// Every `mx` pattern that parsed, in file order.
    pub(crate) mx: Vec<Located<MxPattern>>,
    /// Whether every `mx` line parsed (the DNS cross-checks need all).
    pub(crate) mx_complete: bool,
}

impl Values {
    /// The values of a parsed policy: complete, without lines.
    pub(crate) fn of_policy(policy: &Policy) -> Values {
        Values {
            mode: Some(Located {
                value: policy.mode,
                line: None,
            }),
            max_age: Some(Located {
                value: policy.max_age,
                line: None,
            }),
            mx: policy
                .mx
                .iter()
                .map(|pattern| Located {
                    value: pattern.clone(),
                    line: None,
                })
                .collect(),
            mx_complete: true,
        }
    }
}

/// What the pass has read so far.
#[derive(Default)]
pub(super) struct Fields<'t> {
    version: Option<Seen<'t, ()>>,
    mode: Option<Seen<'t, Mode>>,
    max_age: Option<Seen<'t, u64>>,
    /// The canonical text of each `mx` pattern (most often the value as
    /// written), made patterns in one allocation at the end.
    mx: Vec<Cow<'t, str>>,
    /// The line of each of `mx`, kept by a collecting pass only (for the
    /// lints).
    mx_lines: Vec<usize>,
    mx_seen: bool,
    mx_failed: bool,
    extensions: Vec<(&'t str, &'t str)>,
    extension_index: HashMap<&'t str, Seen<'t, ()>>,
    /// Extension keys that resemble a known key (P12 and near misses),
    /// for the `missing-field` / `missing-mx` messages: the known key, the
    /// key as written, its line.
    resembling: Vec<(&'static str, &'t str, usize)>,
}

impl<'t> Fields<'t> {
    /// Reads one field.
    pub(super) fn read(&mut self, pass: &mut Pass, field: Field<'t>) -> Result<(), Error> {
        match field.known {
            Some(KnownField::Version) => self.version(pass, field),
            Some(KnownField::Mode) => self.mode(pass, field),
            Some(KnownField::MaxAge) => self.max_age(pass, field),
            Some(KnownField::Mx) => self.mx(pass, field),
            None => self.extension(pass, field),
        }
    }

    /// P20: a repeat of a first-wins field is noted, not validated.
    fn repeat<T>(pass: &mut Pass, first: &Seen<'_, T>, field: &Field<'_>) {
        pass.note(|| {
            Finding::new(Code::DuplicateField, field.place, field.name).detail(Detail::Repeat {
                first_line: Some(first.line),
                differs: first.raw != field.value,
            })
        });
    }

    /// P13.
    fn version(&mut self, pass: &mut Pass, field: Field<'t>) -> Result<(), Error> {
        if let Some(first) = &self.version {
            Self::repeat(pass, first, &field);
            return Ok(());
        }
        let valid = field.value == "STSv1";
        self.version = Some(Seen {
            line: line_of(&field),
            raw: field.value,
            value: valid.then_some(()),
        });
        if valid {
            return Ok(());
        }
        let value = field.value.into();
        let cause = Cause::InvalidVersion {
            value,
            at: Position::NONE,
        };
        Err(field.place.error(cause, field.value_start))
    }

    /// P14.
    fn mode(&mut self, pass: &mut Pass, field: Field<'t>) -> Result<(), Error> {
        if let Some(first) = &self.mode {
            Self::repeat(pass, first, &field);
            return Ok(());
        }
        let mode = Mode::from_name(field.value);
        self.mode = Some(Seen {
            line: line_of(&field),
            raw: field.value,
            value: mode,
        });
        match mode {
            Some(_) => Ok(()),
            None => Err(field
                .place
                .error(invalid_mode(field.value), field.value_start)),
        }
    }

    /// P15–P18.
    fn max_age(&mut self, pass: &mut Pass, field: Field<'t>) -> Result<(), Error> {
        if let Some(first) = &self.max_age {
            Self::repeat(pass, first, &field);
            return Ok(());
        }
        let value = field.value;
        let seen = self.max_age.insert(Seen {
            line: line_of(&field),
            raw: value,
            value: None,
        });
        // P15: 1*10DIGIT. Ten digits fit a u64 with room to spare.
        let Some(seconds) = digits(value) else {
            let cause = Cause::InvalidMaxAge {
                value: value.into(),
                at: Position::NONE,
            };
            return Err(field.place.error(cause, field.value_start));
        };
        // P16: leading zeros.
        if value.len() > 1 && value.starts_with('0') {
            pass.note(|| {
                Finding::new(Code::MaxAgeLeadingZeros, field.place, value)
                    .at(field.place, field.value_start)
                    .text(seconds.to_string())
            });
        }
        // P17: above the limit.
        let effective = if seconds > MAX_AGE_LIMIT {
            pass.deviation(
                || {
                    Finding::new(Code::Error(ErrorKind::MaxAgeAboveLimit), field.place, value)
                        .at(field.place, field.value_start)
                        .text(MAX_AGE_LIMIT.to_string())
                },
                || {
                    field
                        .place
                        .error(super::max_age_above_limit(quote(value)), field.value_start)
                },
            )?;
            MAX_AGE_LIMIT
        } else {
            seconds
        };
        seen.value = Some(effective);
        Ok(())
    }

    /// M1–M16, through [`mx::parse_pattern`]; every `mx` line is kept.
    fn mx(&mut self, pass: &mut Pass, field: Field<'t>) -> Result<(), Error> {
        self.mx_seen = true;
        match mx::parse_pattern(pass, field.value, field.place, field.value_start) {
            Ok(pattern) => {
                self.mx.push(pattern);
                if pass.is_collecting() {
                    self.mx_lines.push(line_of(&field));
                }
                Ok(())
            }
            Err(error) => {
                self.mx_failed = true;
                Err(error)
            }
        }
    }

    /// P11, P12, P23, P24: an extension field.
    fn extension(&mut self, pass: &mut Pass, field: Field<'t>) -> Result<(), Error> {
        let Field {
            name,
            value,
            value_start,
            place,
            ..
        } = field;
        if let Some(first) = self.extension_index.get(name) {
            Self::repeat(pass, first, &field);
            return Ok(());
        }
        let problem = if value.is_empty() {
            Some((value_start, LineWhy::EmptyValue { name: name.into() }))
        } else {
            value
                .find('\t')
                .map(|at| (value_start + at, LineWhy::TabInValue { name: name.into() }))
        };
        if let Some((at, why)) = problem {
            pass.deviation(
                || Finding::new(Code::InvalidLine, place, place.text).at(place, at),
                || place.error(invalid_line(place.text, why), at),
            )?;
            return Ok(());
        }
        let line = line_of(&field);
        let resembles = super::resemble::resembled_key(name);
        if let Some((key, _)) = resembles {
            self.resembling.push((key, name, line));
        }
        pass.note(|| {
            let code = match resembles {
                Some((_, true)) => Code::KeyCase,
                _ => Code::UnknownField,
            };
            let finding = Finding::new(code, place, name);
            match resembles {
                Some((key, case_only)) => finding.detail(Detail::Resembles { key, case_only }),
                None => finding,
            }
        });
        self.extension_index.insert(
            name,
            Seen {
                line,
                raw: value,
                value: None,
            },
        );
        self.extensions.push((name, value));
        Ok(())
    }

    /// P19, P21: required fields, after the pass. Each missing field is
    /// its own error.
    pub(super) fn finish(&mut self, pass: &mut Pass) -> Result<(), Error> {
        let missing = [
            ("version", self.version.is_none()),
            ("mode", self.mode.is_none()),
            ("max_age", self.max_age.is_none()),
        ];
        for (name, absent) in missing {
            if absent {
                let cause = Cause::MissingField {
                    name,
                    near: self.near_miss(name),
                    at: Position::NONE,
                };
                pass.error(cause.into())?;
            }
        }
        let mode = self.mode.as_ref().and_then(|seen| seen.value);
        if let Some(mode @ (Mode::Enforce | Mode::Testing)) = mode
            && !self.mx_seen
        {
            let error = super::missing_mx(mode, "line", self.near_miss("mx"));
            pass.error(error)?;
        }
        Ok(())
    }

    /// The key on some line that resembles the missing `key`, if any.
    fn near_miss(&self, key: &'static str) -> Option<NearMiss> {
        let &(_, written, line) = self.resembling.iter().find(|(k, _, _)| *k == key)?;
        Some(NearMiss {
            line,
            written: written.into(),
            key,
        })
    }

    /// The values for the lint API.
    pub(super) fn values(&self) -> Values {
        Values {
            mode: self.mode.as_ref().and_then(|seen| {
                Some(Located {
                    value: seen.value?,
                    line: Some(seen.line),
                })
            }),
            max_age: self.max_age.as_ref().and_then(|seen| {
                Some(Located {
                    value: seen.value?,
                    line: Some(seen.line),
                })
            }),
            mx: self
                .mx
                .iter()
                .enumerate()
                .map(|(i, text)| Located {
                    value: MxPattern::from_canonical(text),
                    line: self.mx_lines.get(i).copied(),
                })
                .collect(),
            mx_complete: !self.mx_failed,
        }
    }

    /// The policy; call only when the pass found no error.
    pub(super) fn into_policy(self) -> Policy {
        Policy {
            mode: self.mode.and_then(|seen| seen.value).unwrap_or(Mode::None),
            max_age: self.max_age.and_then(|seen| seen.value).unwrap_or(0),
            mx: MxPattern::from_canonical_all(self.mx),
            extensions: self
                .extensions
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect(),
        }
    }
}

/// A field's line (every policy field has one).
fn line_of(field: &Field<'_>) -> usize {
    field.place.line.unwrap_or_default()
}
