//! Reading one `mx` value into a pattern's canonical text: SEMANTICS
//! M1–M16, with the lenient repairs (M3 trailing dot, M13 U-labels).

use std::borrow::Cow;

use crate::Error;
use crate::code::Code;
use crate::error::{Cause, MxWhy, NameWhy, Position};
use crate::hostname;
use crate::pass::{Finding, Pass, Place};

/// An `mx` value being read: its text, and where it is (its line's text
/// and the byte offset of the value in it).
#[derive(Clone, Copy)]
struct Value<'t> {
    text: &'t str,
    place: Place<'t>,
    start: usize,
}

impl Value<'_> {
    /// The `invalid-mx` error at byte `offset` of the value.
    fn invalid(self, offset: usize, why: MxWhy) -> Error {
        let cause = Cause::InvalidMx {
            pattern: self.text.into(),
            why,
            at: Position::NONE,
        };
        self.place.error(cause, self.start + offset)
    }

    /// A finding about the value at byte `offset` of it.
    fn finding(self, code: Code, offset: usize, detail: String) -> Finding {
        Finding::new(code, self.place, self.text)
            .at(self.place, self.start + offset)
            .text(detail)
    }
}

/// Validates one `mx` value into a pattern's canonical text (SEMANTICS
/// M1–M16): `value` itself when it already is canonical. `value` starts at
/// byte `value_start` of `place`'s text.
///
/// Lenient parsing strips one trailing dot (M3) and converts U-labels
/// (M13); the findings (`mx-uppercase`, `mx-trailing-dot`, `mx-u-label`)
/// carry the place's line and the value's column.
#[inline]
pub(crate) fn parse_pattern<'t>(
    pass: &mut Pass,
    value: &'t str,
    place: Place<'_>,
    value_start: usize,
) -> Result<Cow<'t, str>, Error> {
    // Fast path: a value already in canonical form (lowercase LDH, no
    // trailing dot) needs no diagnosis and records no finding. Inlined into
    // the caller, with the rest out of line: the call's set-up cost more
    // than the check on a short name.
    let name = value.strip_prefix("*.").unwrap_or(value);
    if hostname::is_canonical_name(name.as_bytes()) {
        return Ok(Cow::Borrowed(value));
    }
    diagnose(pass, value, place, value_start).map(Cow::Owned)
}

/// Everything [`parse_pattern`]'s fast path does not cover: the checks
/// that say what is wrong, and the lenient repairs.
#[inline(never)]
fn diagnose(
    pass: &mut Pass,
    value: &str,
    place: Place<'_>,
    value_start: usize,
) -> Result<String, Error> {
    let value = Value {
        text: value,
        place,
        start: value_start,
    };
    check_shape(value)?;
    let (prefix, name) = match value.text.strip_prefix("*.") {
        Some(rest) => ("*.", rest),
        None => ("", value.text),
    };
    canonical(pass, value, prefix, name)
}

/// M6, M7, M9, M10, M16, and the DNS root: what is not `["*."] name` at all.
fn check_shape(value: Value<'_>) -> Result<(), Error> {
    let text = value.text;
    // M16.
    if text.is_empty() {
        return Err(value.invalid(0, MxWhy::Empty));
    }
    // `mx: .`: the DNS root, from templates.
    if text == "." {
        return Err(value.invalid(0, MxWhy::DnsRoot));
    }
    // A comment, alone or after the host (a valid pattern has no space).
    if text.starts_with('#') {
        return Err(no_comments(value, 0));
    }
    // M9, M10 and text around a host: spaces, tabs and commas.
    if let Some(at) = text.find([',', ' ', '\t']) {
        if let Some(hash) = comment_after_space(text, at) {
            return Err(no_comments(value, hash));
        }
        let (at, why) = several_words(text, at);
        return Err(value.invalid(at, why));
    }
    // M9: address literals, ports, URLs.
    if let Some(at) = text.find(['[', ':', '/']) {
        return Err(value.invalid(at, MxWhy::NotAHostName));
    }
    // M6.
    let (name, name_offset) = text.strip_prefix("*.").map_or((text, 0), |rest| (rest, 2));
    if let Some(star) = name.find('*') {
        let fix = text
            .rsplit_once('*')
            .map(|(_, rest)| rest.trim_start_matches('.'))
            .filter(|rest| !rest.is_empty() && !rest.contains('*'))
            .map(Into::into);
        return Err(value.invalid(name_offset + star, MxWhy::Wildcard { fix }));
    }
    // M7.
    if name_offset == 0 && text.len() > 1 && text.starts_with('.') {
        return Err(value.invalid(0, MxWhy::LeadingDot { text: text.into() }));
    }
    Ok(())
}

/// M2, M3, M8, M13: the name after `prefix` (`*.` or nothing) in canonical
/// form, with the lenient tolerances.
fn canonical(pass: &mut Pass, value: Value<'_>, prefix: &str, name: &str) -> Result<String, Error> {
    let name_offset = prefix.len();
    let mut name = name;
    // M3: one trailing dot.
    if let Some(stripped) = name
        .strip_suffix('.')
        .filter(|s| !s.is_empty() && !s.ends_with('.'))
    {
        let at = name_offset + stripped.len();
        pass.deviation(
            || {
                let fixed = format!("{prefix}{}", stripped.to_ascii_lowercase());
                value.finding(Code::MxTrailingDot, at, fixed)
            },
            || {
                let fixed = format!("{prefix}{stripped}").into();
                value.invalid(at, MxWhy::TrailingDot { fixed })
            },
        )?;
        name = stripped;
    }
    if name.is_ascii() {
        // M8.
        if let Err(problem) = hostname::check_name(name) {
            let why = MxWhy::Name(NameWhy::of(problem, name));
            return Err(value.invalid(name_offset + problem.offset(), why));
        }
        let mut text = String::with_capacity(prefix.len() + name.len());
        text.push_str(prefix);
        text.extend(name.chars().map(|c| c.to_ascii_lowercase()));
        // M2.
        if let Some(upper) = name.bytes().position(|b| b.is_ascii_uppercase()) {
            pass.note(|| value.finding(Code::MxUppercase, name_offset + upper, text.clone()));
        }
        return Ok(text);
    }
    // M13: U-labels.
    let at = name_offset + name.find(|c: char| !c.is_ascii()).unwrap_or(0);
    let Some(ascii) = hostname::to_ascii(name) else {
        return Err(value.invalid(at, MxWhy::Name(NameWhy::Idna)));
    };
    let text = format!("{prefix}{ascii}");
    pass.deviation(
        || value.finding(Code::MxULabel, at, text.clone()),
        || {
            let a_label = text.as_str().into();
            value.invalid(at, MxWhy::ULabel { a_label })
        },
    )?;
    Ok(text)
}

/// A `#` comment in an `mx` value, as templates write it
/// (`mx: mx1.example.com  # your primary MX`): the crate's own addition to
/// SEMANTICS "Messages on real-world mistakes" (documented at
/// `Policy::parse_with`).
fn no_comments(value: Value<'_>, at: usize) -> Error {
    let comment = value.text[at..].into();
    value.invalid(at, MxWhy::Comment { comment })
}

/// The byte offset of a `#` that follows a space or tab, searching from
/// `from` (the first space, tab or comma).
fn comment_after_space(text: &str, from: usize) -> Option<usize> {
    text.as_bytes()[from..]
        .windows(2)
        .position(|pair| matches!(pair, [b' ' | b'\t', b'#']))
        .map(|at| from + at + 1)
}

/// Why a value with a space, tab or comma at byte `at` is not one pattern
/// (M10, and SEMANTICS "Messages on real-world mistakes"): spaces around
/// it, several host names, or text around one host name.
fn several_words(value: &str, at: usize) -> (usize, MxWhy) {
    if value.starts_with([' ', '\t']) || value.ends_with([' ', '\t']) {
        return (at, MxWhy::SpacesAround);
    }
    let words: Vec<&str> = value
        .split([',', ' ', '\t'])
        .filter(|word| !word.is_empty())
        .collect();
    let is_host = |word: &&str| {
        let name = word.strip_prefix("*.").unwrap_or(word);
        let name = name.strip_suffix('.').unwrap_or(name);
        name.contains('.') && hostname::check_name(name).is_ok()
    };
    let hosts: Vec<&str> = words.iter().copied().filter(is_host).collect();
    let why = match hosts.as_slice() {
        [host] => {
            let extra: Vec<&str> = words.iter().copied().filter(|w| w != host).collect();
            // Point at the first extra word (the words are slices of `value`).
            let first = extra
                .first()
                .map_or(at, |word| word.as_ptr() as usize - value.as_ptr() as usize);
            let why = MxWhy::TextAround {
                host: (*host).into(),
                extra: extra.join(" ").into(),
            };
            return (first, why);
        }
        _ if value.as_bytes()[at] == b'\t' && hosts.is_empty() => MxWhy::Tab,
        _ => MxWhy::SeveralHosts,
    };
    (at, why)
}
