//! Discovery names: the Policy Domain, its `_mta-sts` TXT name and its
//! policy URL (RFC 8461 §3.1, §3.2, §3.4).

use std::fmt;
use std::str::FromStr;

use crate::Error;
use crate::error::{Cause, DomainWhy, NameWhy, Position};
use crate::hostname::{self, BadName, MAX_NAME_LEN};

/// The prefix of the TXT record name (RFC 8461 §3.1).
const TXT_PREFIX: &str = "_mta-sts.";

/// A checked Policy Domain: the recipient domain of a message, in lowercase
/// A-label form, from which the discovery names are built
/// (RFC 8461 §3.1, §3.2).
///
/// [`PolicyDomain::new`] takes the domain as found in a recipient address
/// (the part after the `@`) or as configured for a smart host (§3.4):
/// U-labels are converted to A-labels with UTS #46, ASCII is folded to
/// lowercase and one trailing dot is removed. An address literal
/// (`[192.0.2.1]`), a bare IP address or a name that is not a valid domain
/// is an `invalid-domain` error: there is no policy to discover for it.
///
/// The names are always built from the domain itself, never from a parent
/// zone: mail to `user@mail.example.com` looks up
/// `_mta-sts.mail.example.com`, not `_mta-sts.example.com` (§3.4).
///
/// ```
/// use mta_sts::sender::PolicyDomain;
///
/// let domain = PolicyDomain::new("Bücher.Example.")?;
/// assert_eq!(domain.as_str(), "xn--bcher-kva.example");
/// assert_eq!(domain.txt_name(), "_mta-sts.xn--bcher-kva.example");
/// assert_eq!(domain.policy_host(), "mta-sts.xn--bcher-kva.example");
/// assert_eq!(
///     domain.policy_url(),
///     "https://mta-sts.xn--bcher-kva.example/.well-known/mta-sts.txt"
/// );
///
/// let err = PolicyDomain::new("[192.0.2.1]").unwrap_err();
/// assert_eq!(err.code(), "invalid-domain");
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PolicyDomain {
    /// Lowercase A-labels, no trailing dot.
    name: Box<str>,
}

impl PolicyDomain {
    /// Checks a recipient domain and converts it to its canonical form.
    ///
    /// Errors (code `invalid-domain`, with the column of the offending
    /// character where there is one): an empty name, an address literal, an
    /// IP address, a name with characters other than letters, digits,
    /// hyphens and dots, an empty label, a label of more than 63 octets or
    /// starting or ending with a hyphen, an invalid internationalized name,
    /// and a name so long that `_mta-sts.<domain>` would exceed the 253
    /// octets DNS allows.
    ///
    /// ```
    /// use mta_sts::sender::PolicyDomain;
    ///
    /// assert_eq!(PolicyDomain::new("MAIL.Example.COM")?.as_str(), "mail.example.com");
    /// let err = PolicyDomain::new("example..com").unwrap_err();
    /// assert_eq!(err.column(), Some(9));
    /// assert_eq!(
    ///     err.to_string(),
    ///     "invalid domain \"example..com\" at column 9: \
    ///      a label is empty (two dots in a row, or a dot at an end)"
    /// );
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `invalid-domain`, with the column of the offending character when one is
    /// at fault.
    pub fn new(domain: &str) -> Result<PolicyDomain, Error> {
        let name = domain.strip_suffix('.').unwrap_or(domain);
        if name.starts_with('[') {
            return Err(invalid(domain, None, DomainWhy::AddressLiteral));
        }
        let name = match hostname::canonical_name(name) {
            Ok(name) => name,
            Err(BadName::Ascii(problem)) => {
                let column = problem.offset() + 1;
                let why = DomainWhy::Name(NameWhy::of(problem, name));
                return Err(invalid(domain, Some(column), why));
            }
            Err(BadName::Idna) => {
                return Err(invalid(domain, None, DomainWhy::Name(NameWhy::Idna)));
            }
        };
        if name
            .split('.')
            .all(|label| label.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(invalid(domain, None, DomainWhy::IpAddress));
        }
        if name.len() + TXT_PREFIX.len() > MAX_NAME_LEN {
            return Err(invalid(
                domain,
                None,
                DomainWhy::TxtNameTooLong {
                    len: name.len() + TXT_PREFIX.len(),
                },
            ));
        }
        Ok(PolicyDomain { name: name.into() })
    }

    /// The domain: lowercase A-labels, no trailing dot.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// The name of the MTA-STS TXT record: `_mta-sts.<domain>` (RFC 8461
    /// §3.1), without a trailing dot.
    ///
    /// ```
    /// let domain = mta_sts::sender::PolicyDomain::new("mail.example.com")?;
    /// // Never the parent zone (RFC 8461 §3.4).
    /// assert_eq!(domain.txt_name(), "_mta-sts.mail.example.com");
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    #[must_use]
    pub fn txt_name(&self) -> String {
        format!("{TXT_PREFIX}{}", self.name)
    }

    /// The Policy Host: `mta-sts.<domain>` (RFC 8461 §3.2). Its HTTPS
    /// certificate must be valid for this name (§3.3).
    ///
    /// ```
    /// let domain = mta_sts::sender::PolicyDomain::new("example.com")?;
    /// assert_eq!(domain.policy_host(), "mta-sts.example.com");
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    #[must_use]
    pub fn policy_host(&self) -> String {
        format!("mta-sts.{}", self.name)
    }

    /// The policy URL: `https://mta-sts.<domain>/.well-known/mta-sts.txt`
    /// (RFC 8461 §3.2). Fetch it without following redirects and without
    /// HTTP caching (§3.3), then hand the response to
    /// [`validate_fetch`](crate::sender::validate_fetch).
    ///
    /// ```
    /// let domain = mta_sts::sender::PolicyDomain::new("example.com")?;
    /// assert_eq!(domain.policy_url(), "https://mta-sts.example.com/.well-known/mta-sts.txt");
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    #[must_use]
    pub fn policy_url(&self) -> String {
        format!("https://mta-sts.{}/.well-known/mta-sts.txt", self.name)
    }

    /// The name of the TLS-RPT TXT record: `_smtp._tls.<domain>`
    /// (RFC 8460 §3); parse its `RRset` with
    /// [`TlsRptRecord::from_rrset`](crate::tlsrpt::TlsRptRecord::from_rrset).
    ///
    /// ```
    /// let domain = mta_sts::sender::PolicyDomain::new("example.com")?;
    /// assert_eq!(domain.tls_rpt_name(), "_smtp._tls.example.com");
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    #[must_use]
    pub fn tls_rpt_name(&self) -> String {
        format!("_smtp._tls.{}", self.name)
    }
}

fn invalid(domain: &str, column: Option<usize>, why: DomainWhy) -> Error {
    Cause::InvalidDomain {
        domain: domain.into(),
        why,
        at: Position { line: None, column },
    }
    .into()
}

impl FromStr for PolicyDomain {
    type Err = Error;

    /// Same as [`PolicyDomain::new`].
    fn from_str(s: &str) -> Result<PolicyDomain, Error> {
        PolicyDomain::new(s)
    }
}

impl fmt::Display for PolicyDomain {
    /// Writes the canonical domain; parsing it gives back an equal value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl AsRef<str> for PolicyDomain {
    fn as_ref(&self) -> &str {
        &self.name
    }
}
