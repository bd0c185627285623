//! One policy line to a field, or to a deviation lenient parsing skips
//! (SEMANTICS P6–P11, P10b), in the order SEMANTICS "Order of checks"
//! gives.

use super::KnownField;
use super::lines::{Simple, check_controls};
use crate::Error;
use crate::code::Code;
use crate::error::{Cause, LineWhy, Position};
use crate::grammar::{self, find_unicode_space, key_colon, space_len, space_len_end};
use crate::pass::{Detail, Finding, Pass, Place};

/// A line's `name: value`, the value trimmed (P10).
#[derive(Clone, Copy)]
pub(super) struct Field<'t> {
    pub(super) name: &'t str,
    /// The field RFC 8461 defines that `name` is, if any.
    pub(super) known: Option<KnownField>,
    pub(super) value: &'t str,
    /// Byte offset of the value in the line.
    pub(super) value_start: usize,
    pub(super) place: Place<'t>,
}

/// Reads one line: `Ok(None)` for a line lenient parsing skips. A
/// [`Simple`] line's parts were read with its end and are taken as they
/// are.
#[inline]
pub(super) fn read<'t>(
    pass: &mut Pass,
    place: Place<'t>,
    suspect: bool,
    simple: Option<Simple>,
) -> Result<Option<Field<'t>>, Error> {
    let content = place.text;
    // The common shape, already read while splitting the lines.
    if let Some(simple) = simple {
        return Ok(Some(Field {
            name: &content[..simple.name_len],
            known: simple.known,
            value: &content[simple.value_start..],
            value_start: simple.value_start,
            place,
        }));
    }
    // P2, P4: control characters and bare CR.
    if suspect {
        check_controls(place)?;
    }
    // Almost every line starts with its key: no BOM, blank line or
    // leading whitespace to look for.
    let key_start = if content
        .as_bytes()
        .first()
        .is_some_and(u8::is_ascii_alphanumeric)
    {
        Some(0)
    } else {
        leading(pass, place)?
    };
    let Some(key_start) = key_start else {
        return Ok(None);
    };
    field(pass, place, key_start)
}

/// P6–P8, P10b before the key: the byte offset where the key starts, or
/// `None` for a line lenient parsing skips.
fn leading(pass: &mut Pass, place: Place<'_>) -> Result<Option<usize>, Error> {
    let content = place.text;
    // P7: byte order mark.
    let mut start = 0;
    if place.line == Some(1) && content.starts_with('\u{feff}') {
        pass.deviation(
            || Finding::new(Code::Bom, place, content).at(place, 0),
            || place.error(Cause::Bom { at: Position::NONE }, 0),
        )?;
        start = '\u{feff}'.len_utf8();
    }
    // P6: blank lines (spaces, tabs and P10b spaces only).
    let body = &content[start..];
    let key_start = start + space_len(body);
    if key_start == content.len() {
        pass.deviation(
            || Finding::new(Code::BlankLine, place, content),
            || {
                let line = content.into();
                place.error(
                    Cause::BlankLine {
                        line,
                        at: Position::NONE,
                    },
                    0,
                )
            },
        )?;
        return Ok(None);
    }
    // P8, P10b: whitespace before the key.
    if key_start > start {
        let lead = &content[start..key_start];
        match find_unicode_space(lead) {
            Some((at, name)) => {
                unicode_space(pass, place, start + at, &name, "before the field name")?;
            }
            None => pass.deviation(
                || Finding::new(Code::LeadingWhitespace, place, content).at(place, start),
                || {
                    let line = content.into();
                    let cause = Cause::LeadingWhitespace {
                        line,
                        at: Position::NONE,
                    };
                    place.error(cause, start)
                },
            )?,
        }
    }
    Ok(Some(key_start))
}

/// P9–P11, P10b from the key on.
#[inline]
fn field<'t>(
    pass: &mut Pass,
    place: Place<'t>,
    key_start: usize,
) -> Result<Option<Field<'t>>, Error> {
    let content = place.text;
    // P11: `name:` with a valid name.
    let rest = &content[key_start..];
    let key = match key_colon(rest) {
        Some(key) if key.name.len() <= grammar::MAX_NAME_LEN => key,
        parsed => {
            pass.deviation(
                || Finding::new(Code::InvalidLine, place, content).at(place, key_start),
                || {
                    let why = match parsed {
                        Some(_) => LineWhy::NameTooLong,
                        None if !rest.contains(':') => LineWhy::NoColon,
                        None => LineWhy::FieldName,
                    };
                    place.error(invalid_line(content, why), key_start)
                },
            )?;
            return Ok(None);
        }
    };
    let name = key.name;
    // P9, P10b: whitespace between the name and the colon.
    if !key.space.is_empty() {
        let at = key_start + name.len();
        match find_unicode_space(key.space) {
            Some((offset, what)) => unicode_space(pass, place, at + offset, &what, "before ':'")?,
            None => pass.deviation(
                || Finding::new(Code::SpaceBeforeColon, place, content).at(place, at),
                || {
                    let name = name.into();
                    place.error(
                        Cause::SpaceBeforeColon {
                            name,
                            at: Position::NONE,
                        },
                        at,
                    )
                },
            )?,
        }
    }
    let value_part = &rest[key.value_start..];
    let known = KnownField::from_name(name);
    let start = content.len() - value_part.len();
    let (value, value_start) = trim_value(pass, place, known.is_some(), start)?;
    Ok(Some(Field {
        name,
        known,
        value,
        value_start,
        place,
    }))
}

/// P10: spaces and tabs around the value (from byte `start` of the line)
/// are trimmed; P10b: so are Unicode spaces around a `known` field's value,
/// leniently. An extension's value may hold any UTF-8, so its Unicode
/// spaces stay. The value and its byte offset in the line.
#[inline]
fn trim_value<'t>(
    pass: &mut Pass,
    place: Place<'t>,
    known: bool,
    start: usize,
) -> Result<(&'t str, usize), Error> {
    let trimmed = grammar::trim_wsp_start(&place.text[start..]);
    let mut value_start = place.text.len() - trimmed.len();
    let mut value = grammar::trim_wsp_end(trimmed);
    if pass.is_lenient() && known && !value.is_ascii() {
        let lead = space_len(value);
        let trail = space_len_end(&value[lead..]);
        if lead + trail > 0 {
            let at = if lead > 0 {
                value_start
            } else {
                value_start + value.len() - trail
            };
            let (_, what) = find_unicode_space(&place.text[at..]).unwrap_or_default();
            unicode_space(pass, place, at, &what, "around the value")?;
            value = &value[lead..value.len() - trail];
            value_start += lead;
        }
    }
    Ok((value, value_start))
}

/// P10b: a Unicode space where spaces or tabs are allowed or trimmed.
/// Lenient reads it as a space; strict refuses the line naming it.
fn unicode_space(
    pass: &mut Pass,
    place: Place<'_>,
    at: usize,
    what: &str,
    location: &'static str,
) -> Result<(), Error> {
    let strict = || {
        place.error(
            invalid_line(
                place.text,
                LineWhy::UnicodeSpace {
                    what: what.into(),
                    location,
                },
            ),
            at,
        )
    };
    pass.deviation(
        || {
            Finding::new(Code::UnicodeSpace, place, place.text)
                .at(place, at)
                .detail(Detail::Text(what.to_owned()))
        },
        strict,
    )
}

/// P10b, P11, P24: a line that is not a field.
pub(super) fn invalid_line(content: &str, why: LineWhy) -> Cause {
    Cause::InvalidLine {
        line: content.into(),
        why,
        at: Position::NONE,
    }
}

#[cfg(test)]
mod tests {
    use super::read;
    use crate::ParseOptions;
    use crate::pass::{Pass, Place};
    use crate::policy::lines::Lines;

    fn parts(field: super::Field<'_>) -> (&str, Option<super::KnownField>, &str, usize) {
        (field.name, field.known, field.value, field.value_start)
    }

    /// Every line made of up to four of these pieces.
    fn lines() -> Vec<String> {
        const PIECES: [&str; 16] = [
            "mx",
            "Mode",
            "x_y.z",
            ":",
            " ",
            "\t",
            "a.example",
            "é",
            "\u{a0}",
            "\r",
            "\n",
            "#",
            "\x7f",
            "\u{85}",
            ",",
            "\u{feff}",
        ];
        let mut lines = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|line| PIECES.iter().map(move |piece| format!("{line}{piece}")))
                .collect();
            lines.extend(last.iter().cloned());
        }
        lines
    }

    /// A line that the split recognises as simple reads as the whole
    /// grammar reads it, strict and lenient, and the split's line ends and
    /// P2/P4 flags are those of the general scan.
    #[test]
    fn simple_lines_read_as_the_grammar_reads_them() {
        let mut simple = 0;
        for text in lines() {
            for raw in Lines::new(&text) {
                let general = Lines::general(&text, raw.number);
                assert_eq!(
                    (raw.content, raw.ending, raw.suspect),
                    (general.content, general.ending, general.suspect),
                    "{text:?}"
                );
                let Some(shape) = raw.simple else {
                    continue;
                };
                simple += 1;
                for options in [ParseOptions::strict(), ParseOptions::lenient()] {
                    let place = Place::line(raw.number, raw.content);
                    let fast = read(&mut Pass::first_error(&options), place, false, Some(shape));
                    let slow = read(&mut Pass::first_error(&options), place, raw.suspect, None);
                    assert_eq!(
                        fast.map(|f| f.map(parts)),
                        slow.map(|f| f.map(parts)),
                        "{text:?}"
                    );
                }
            }
        }
        assert!(simple > 500, "{simple} simple lines");
    }
}
