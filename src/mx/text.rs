//! Where an `mx` pattern's canonical text is kept: inline for a short text
//! (most host names), else in an allocation that clones share.

use std::borrow::Cow;
use std::num::NonZeroU8;
use std::sync::Arc;

/// The longest text kept inline. With its length byte an inline text fills
/// the 24 bytes the shared form takes, so a pattern stays the size of the
/// `Cow<str>` a parsed policy builds it from (that `Vec` becomes the
/// patterns' `Vec` in place).
const INLINE_CAPACITY: usize = 23;

// The size the in-place `Vec` conversion needs (see `INLINE_CAPACITY`).
const _: () = assert!(size_of::<Text>() == size_of::<Cow<'static, str>>());

/// A canonical text (ASCII, never empty). Parsing, cloning and dropping an
/// inline text neither allocates nor touches an atomic counter.
#[derive(Clone)]
pub(super) enum Text {
    /// A text of at most [`INLINE_CAPACITY`] bytes.
    Inline(Inline),
    /// A longer text, in its own allocation.
    Shared(Arc<[u8]>),
}

/// The first `len` bytes of `bytes`. `len` is never zero, which leaves a
/// spare value for [`Text`]'s discriminant: the enum is 24 bytes. `len`
/// comes last (`repr(C)`) so that the bytes start the 24 and `pack`'s
/// 8-byte words land where moving the value reads them.
#[derive(Clone, Copy)]
#[repr(C)]
pub(super) struct Inline {
    bytes: [u8; INLINE_CAPACITY],
    len: NonZeroU8,
}

impl Text {
    /// Keeps `text` inline when it fits, else in a new allocation.
    // Inline: built in place, an inline text is not written and then read
    // back in wider pieces (which waits for the writes).
    #[inline]
    pub(super) fn new(text: &[u8]) -> Text {
        match u8::try_from(text.len()).ok().and_then(NonZeroU8::new) {
            Some(len) if text.len() <= INLINE_CAPACITY => Text::Inline(Inline {
                bytes: pack(text),
                len,
            }),
            _ => Text::Shared(Arc::from(text)),
        }
    }

    /// The text's bytes.
    #[inline(always)]
    pub(super) fn as_bytes(&self) -> &[u8] {
        match self {
            Text::Inline(Inline { len, bytes }) => {
                bytes.get(..usize::from(len.get())).unwrap_or_default()
            }
            Text::Shared(shared) => shared,
        }
    }

    /// The text's length in bytes, without looking at the bytes.
    #[inline(always)]
    pub(super) fn len(&self) -> usize {
        match self {
            Text::Inline(Inline { len, .. }) => usize::from(len.get()),
            Text::Shared(shared) => shared.len(),
        }
    }
}

/// `text` (at most [`INLINE_CAPACITY`] bytes) followed by zeros, put
/// together from 8-byte loads in registers. (Copying it into a zeroed array
/// instead and moving that array into place made a large policy's parse 25%
/// slower: the move's wide reads wait for the copy's narrow writes.)
#[inline(always)]
fn pack(text: &[u8]) -> [u8; INLINE_CAPACITY] {
    let mut bytes = [0; INLINE_CAPACITY];
    bytes[..8].copy_from_slice(&word(text, 0).to_le_bytes());
    bytes[8..16].copy_from_slice(&word(text, 8).to_le_bytes());
    bytes[16..].copy_from_slice(&word(text, 16).to_le_bytes()[..INLINE_CAPACITY - 16]);
    bytes
}

/// Bytes `at..at + 8` of `text` followed by zeros, as a little-endian word.
#[inline(always)]
fn word(text: &[u8], at: usize) -> u64 {
    let load = |bytes: &[u8]| <[u8; 8]>::try_from(bytes).map_or(0, u64::from_le_bytes);
    if let Some(whole) = text.get(at..at + 8) {
        return load(whole);
    }
    if at >= text.len() {
        return 0;
    }
    match text.len().checked_sub(8) {
        // The last eight bytes, shifted down to start at `at` (by one to
        // seven bytes).
        Some(last) => load(text.get(last..).unwrap_or_default()) >> (8 * (at + 8 - text.len())),
        // A text shorter than a word, byte by byte.
        None => text
            .iter()
            .rev()
            .fold(0, |word, &byte| (word << 8) | u64::from(byte)),
    }
}

#[cfg(test)]
mod tests {
    use super::{INLINE_CAPACITY, Text};

    #[test]
    fn texts_up_to_the_capacity_are_inline_and_longer_ones_shared() {
        // Distinct bytes, so that a byte out of place shows.
        let all: Vec<u8> = (b'a'..=b'z').chain(b'0'..=b'9').collect();
        for len in 0..all.len() {
            let text = &all[..len];
            let kept = Text::new(text);
            assert_eq!(kept.as_bytes(), text, "{len}");
            assert_eq!(kept.len(), len);
            let inline = (1..=INLINE_CAPACITY).contains(&len);
            assert_eq!(matches!(kept, Text::Inline(_)), inline, "{len}");
            assert_eq!(kept.clone().as_bytes(), text, "{len}");
        }
    }
}
