//! [`arbitrary::Arbitrary`] for the public value types (feature `arbitrary`).
//!
//! Every value is valid: a `cargo fuzz` target can take a structured
//! [`Policy`], [`TxtRecord`], [`MxPattern`] or [`Mode`] and check what it
//! does with it (display, serialise, match) without first parsing text.
//! Patterns and TXT records are written from the grammar and then parsed;
//! policies are put together from those parts.

use arbitrary::{Arbitrary, Error as ArbitraryError, Result, Unstructured};

use crate::policy::MAX_AGE_LIMIT;
use crate::{Mode, MxPattern, Policy, TxtRecord};

/// Letters and digits.
const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/// Letters, digits and the hyphen: the inside of a label.
const LDH: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
/// What an extension name may hold after its first character.
const NAME_TAIL: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.";

/// The longest host name, and the longest wildcard suffix generated (so
/// that hosts can still match it).
const MAX_NAME: usize = 253;
const MAX_SUFFIX: usize = 200;

impl<'a> Arbitrary<'a> for Mode {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(*u.choose(&[Mode::Enforce, Mode::Testing, Mode::None])?)
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (1, Some(1))
    }
}

/// One byte of `set`.
fn pick(u: &mut Unstructured<'_>, set: &[u8]) -> Result<char> {
    Ok(char::from(*u.choose(set)?))
}

/// An LDH label of at most `max` (1..=63) octets, usually short.
fn label(u: &mut Unstructured<'_>, max: usize) -> Result<String> {
    let len = match u.int_in_range(0u8..=15)? {
        15 => u.int_in_range(1..=63)?,
        n => usize::from(n % 8) + 1,
    }
    .min(max.clamp(1, 63));
    let mut label = String::with_capacity(len);
    label.push(pick(u, ALNUM)?);
    for i in 1..len {
        label.push(pick(u, if i + 1 == len { ALNUM } else { LDH })?);
    }
    Ok(label)
}

/// A host name of one to five labels and at most `max` octets.
fn name(u: &mut Unstructured<'_>, max: usize) -> Result<String> {
    let count = u.int_in_range(1u8..=5)?;
    let mut name = label(u, max)?;
    for _ in 1..count {
        let room = max.saturating_sub(name.len() + 1);
        if room == 0 {
            break;
        }
        let next = label(u, room)?;
        name.push('.');
        name.push_str(&next);
    }
    Ok(name)
}

impl<'a> Arbitrary<'a> for MxPattern {
    /// A valid pattern: a host name of one to five LDH labels in mixed case,
    /// a `*.` wildcard about a third of the time.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let text = if u.ratio(1u8, 3)? {
            format!("*.{}", name(u, MAX_SUFFIX)?)
        } else {
            name(u, MAX_NAME)?
        };
        text.parse().map_err(|_| ArbitraryError::IncorrectFormat)
    }
}

/// A policy extension value: `%x21-7E` and non-ASCII non-control
/// characters, inner spaces allowed, 1 to 32 characters.
fn extension_value(u: &mut Unstructured<'_>) -> Result<String> {
    let len = u.int_in_range(1u8..=32)?;
    let mut value = String::new();
    for i in 0..len {
        let inner = i != 0 && i + 1 != len;
        let c = match u.int_in_range(0u8..=19)? {
            0 if inner => ' ',
            1 => {
                let c = char::arbitrary(u)?;
                if c.is_control() || c.is_ascii() {
                    'é'
                } else {
                    c
                }
            }
            _ => char::from(u.int_in_range(0x21u8..=0x7e)?),
        };
        value.push(c);
    }
    Ok(value)
}

/// An extension name: `(ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")`.
fn extension_name(u: &mut Unstructured<'_>) -> Result<String> {
    let len = u.int_in_range(0u8..=31)?;
    let mut name = String::new();
    name.push(pick(u, ALNUM)?);
    for _ in 0..len % 12 {
        name.push(pick(u, NAME_TAIL)?);
    }
    Ok(name)
}

impl<'a> Arbitrary<'a> for Policy {
    /// A valid policy: any mode, `max_age` up to 31 557 600, up to eight
    /// `mx` patterns (at least one unless the mode is `none`), up to four
    /// extensions with distinct names.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mode = Mode::arbitrary(u)?;
        let max_age = u.int_in_range(0..=MAX_AGE_LIMIT)?;
        let least = u8::from(mode != Mode::None);
        let count = u.int_in_range(least..=8)?;
        let mx = (0..count)
            .map(|_| MxPattern::arbitrary(u))
            .collect::<Result<Vec<_>>>()?;
        let mut extensions: Vec<(String, String)> = Vec::new();
        for _ in 0..u.int_in_range(0u8..=4)? {
            let name = extension_name(u)?;
            let value = extension_value(u)?;
            let known = crate::policy::is_known_field(&name);
            if !known && !extensions.iter().any(|(seen, _)| *seen == name) {
                extensions.push((name, value));
            }
        }
        Ok(Policy {
            mode,
            max_age,
            mx,
            extensions: extensions.into(),
        })
    }
}

impl<'a> Arbitrary<'a> for TxtRecord {
    /// A valid record: an id of 1 to 32 letters and digits and up to three
    /// extensions.
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let mut text = String::from("v=STSv1; id=");
        for _ in 0..u.int_in_range(1u8..=32)? {
            text.push(pick(u, ALNUM)?);
        }
        for _ in 0..u.int_in_range(0u8..=3)? {
            let name = extension_name(u)?;
            if name == "id" || name == "v" {
                continue;
            }
            text.push_str("; ");
            text.push_str(&name);
            text.push('=');
            for _ in 0..u.int_in_range(1u8..=16)? {
                // %x21-3A / %x3C / %x3E-7E: printable, no `;` or `=`.
                let c = match u.int_in_range(0x21u8..=0x7e)? {
                    b';' | b'=' => '+',
                    b => char::from(b),
                };
                text.push(c);
            }
        }
        text.push(';');
        TxtRecord::parse(&text).map_err(|_| ArbitraryError::IncorrectFormat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-random bytes.
    fn bytes(seed: u64, len: usize) -> Vec<u8> {
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect()
    }

    #[test]
    fn always_valid_and_round_trips() {
        for seed in 0..2000 {
            for len in [0, 1, 7, 64, 512] {
                let data = bytes(seed, len);
                let mut u = Unstructured::new(&data);
                let policy = Policy::arbitrary(&mut u).expect("policy");
                assert_eq!(Policy::parse(&policy.to_string()), Ok(policy.clone()));
                let txt = TxtRecord::arbitrary(&mut u).expect("txt");
                assert_eq!(TxtRecord::parse(&txt.to_string()), Ok(txt.clone()));
                let mx = MxPattern::arbitrary(&mut u).expect("mx");
                assert_eq!(mx.to_string().parse::<MxPattern>(), Ok(mx.clone()));
                Mode::arbitrary(&mut u).expect("mode");
            }
        }
    }
}
