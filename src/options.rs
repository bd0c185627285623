//! Parse options: strict or lenient, and the size limit.

/// How to parse: [`strict`](ParseOptions::strict) (the default) or
/// [`lenient`](ParseOptions::lenient), and the size limit.
///
/// Strict follows RFC 8461's ABNF and prose with erratum 6253 applied (LF or
/// CRLF line endings). It is for people who write, publish or gate their own
/// policy. Lenient is what a robust sending MTA accepts from the wild: it
/// skips blank and unparsable lines, trims stray whitespace, strips a BOM,
/// clamps an over-long `max_age`, converts U-label `mx` patterns and accepts
/// looser TXT ids. It never invents a field, never guesses a value and never
/// accepts anything that could widen which hosts match. Every tolerance it
/// applies is reported by [`lint::check`](crate::lint::check).
///
/// ```
/// use mta_sts::{ParseOptions, Policy};
///
/// let text = "version: STSv1\nmode: enforce\nmx: mail.example.com.\nmax_age: 86400\n";
/// assert_eq!(Policy::parse(text).unwrap_err().code(), "invalid-mx");
///
/// let policy = Policy::parse_with(text, &ParseOptions::lenient()).unwrap();
/// assert_eq!(policy.mx()[0].to_string(), "mail.example.com");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseOptions {
    lenient: bool,
    max_size: usize,
}

/// The default size limit in bytes (SEMANTICS P1).
pub(crate) const DEFAULT_MAX_SIZE: usize = 65_536;

impl ParseOptions {
    /// RFC 8461 as written, with erratum 6253. The default.
    #[must_use]
    pub fn strict() -> Self {
        ParseOptions {
            lenient: false,
            max_size: DEFAULT_MAX_SIZE,
        }
    }

    /// What a robust sender accepts; see the type's docs.
    #[must_use]
    pub fn lenient() -> Self {
        ParseOptions {
            lenient: true,
            ..ParseOptions::strict()
        }
    }

    /// Sets the size limit in bytes (UTF-8, BOM included); default 65 536.
    ///
    /// A policy text larger than this is refused with `too-large` before any
    /// parsing. The limit applies to policies only: a TXT record is bounded
    /// by DNS itself. [`max_size`](ParseOptions::max_size) reads it back.
    ///
    /// ```
    /// use mta_sts::ParseOptions;
    ///
    /// let options = ParseOptions::lenient().with_max_size(16_384);
    /// assert_eq!(options.max_size(), 16_384);
    /// assert!(options.is_lenient());
    /// ```
    #[must_use = "this returns new options and leaves `self` unchanged"]
    pub fn with_max_size(self, bytes: usize) -> Self {
        ParseOptions {
            max_size: bytes,
            ..self
        }
    }

    /// Whether these options are lenient.
    #[must_use]
    pub fn is_lenient(&self) -> bool {
        self.lenient
    }

    /// The size limit in bytes, as set by
    /// [`with_max_size`](ParseOptions::with_max_size).
    #[must_use]
    pub fn max_size(&self) -> usize {
        self.max_size
    }
}

impl Default for ParseOptions {
    /// Same as [`ParseOptions::strict`].
    fn default() -> Self {
        ParseOptions::strict()
    }
}
