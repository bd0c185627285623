//! The Postfix version a reply is written for (SEMANTICS F6).

use crate::message::quote_short;
use std::fmt;
use std::str::FromStr;

/// A Postfix release, `MAJOR.MINOR` with an optional `.PATCH`, ordered
/// numerically: `3.4 < 3.9 < 3.10`. A patch level takes part in
/// comparisons (`3.10 < 3.10.0 < 3.10.1`) but never changes what a reply
/// holds: [`PostfixVersion::at_least`] compares `MAJOR.MINOR` only.
///
/// The version decides which attributes a TLS policy reply may carry
/// (SEMANTICS F6): Postfix refuses a whole reply that has an attribute it
/// does not know.
///
/// ```
/// use mta_sts::postfix::PostfixVersion;
///
/// let v: PostfixVersion = "3.10".parse()?;
/// assert!(v > "3.9.4".parse()?);
/// assert_eq!(v, PostfixVersion::new(3, 10));
/// assert_eq!(v.to_string(), "3.10");
/// assert!("3".parse::<PostfixVersion>().is_err());
/// # Ok::<(), mta_sts::postfix::ParseVersionError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PostfixVersion {
    major: u16,
    minor: u16,
    patch: Option<u16>,
}

impl PostfixVersion {
    /// Postfix 3.4: the first release that takes `servername=` (F6).
    pub const SERVERNAME: PostfixVersion = PostfixVersion::new(3, 4);
    /// Postfix 3.10: the first release that takes `policy_type`,
    /// `policy_domain`, `policy_ttl`, `mx_host_pattern` and `policy_string`
    /// (F6).
    pub const TLSRPT: PostfixVersion = PostfixVersion::new(3, 10);

    /// `MAJOR.MINOR`, without a patch level.
    #[must_use]
    pub const fn new(major: u16, minor: u16) -> PostfixVersion {
        PostfixVersion {
            major,
            minor,
            patch: None,
        }
    }

    /// Whether this release is `other` or a later one.
    #[must_use]
    pub fn at_least(self, other: PostfixVersion) -> bool {
        (self.major, self.minor) >= (other.major, other.minor)
    }
}

impl fmt::Display for PostfixVersion {
    /// Writes what [`FromStr`] reads: `3.10` or `3.10.2`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)?;
        if let Some(patch) = self.patch {
            write!(f, ".{patch}")?;
        }
        Ok(())
    }
}

impl FromStr for PostfixVersion {
    type Err = ParseVersionError;

    /// Reads `MAJOR.MINOR` or `MAJOR.MINOR.PATCH` (`mail_version` as
    /// `postconf -h mail_version` prints it), each part 1 to 5 digits.
    fn from_str(s: &str) -> Result<PostfixVersion, ParseVersionError> {
        let error = || ParseVersionError { text: s.into() };
        let mut parts = s.split('.');
        let mut number = || -> Result<Option<u16>, ParseVersionError> {
            match parts.next() {
                None => Ok(None),
                Some(part)
                    if (1..=5).contains(&part.len())
                        && part.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    part.parse().map(Some).map_err(|_| error())
                }
                Some(_) => Err(error()),
            }
        };
        let major = number()?.ok_or_else(error)?;
        let minor = number()?.ok_or_else(error)?;
        let patch = number()?;
        if number()?.is_some() {
            return Err(error());
        }
        Ok(PostfixVersion {
            major,
            minor,
            patch,
        })
    }
}

/// A Postfix version that is not `MAJOR.MINOR[.PATCH]`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid Postfix version {}: expected MAJOR.MINOR or MAJOR.MINOR.PATCH, such as \"3.10\"",
    quote_short(.text)
)]
pub struct ParseVersionError {
    text: Box<str>,
}
