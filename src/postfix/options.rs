//! What a TLS policy map reply depends on besides the policy (SEMANTICS
//! F2, F6, F10).

use super::PostfixVersion;

/// The settings and facts a reply depends on besides the policy.
///
/// Built from the Postfix version, then adjusted:
///
/// - [`testing_as_enforce`](ReplyOptions::testing_as_enforce) (off by
///   default): answer a `testing` policy as if it were `enforce` (F2).
///   RFC 8461 §5 says testing never blocks delivery, so keep it off unless
///   you mean it.
/// - [`tlsrpt`](ReplyOptions::tlsrpt) (off by default): add Postfix 3.10's
///   `policy_type`, `policy_domain`, `policy_ttl`, `mx_host_pattern` and
///   `policy_string` attributes (F6), which Postfix's TLSRPT support and
///   `smtp_tls_enforce_sts_mx_patterns` use. Ignored before 3.10, which
///   refuses them.
/// - [`dane_tlsa`](ReplyOptions::dane_tlsa): the domain's MX hosts have
///   DNSSEC-validated TLSA records (known only to a daemon that validates
///   DNSSEC); the reply is then `NOTFOUND ` so that Postfix's DANE applies
///   (F10).
///
/// ```
/// use mta_sts::postfix::{PostfixVersion, ReplyOptions};
///
/// let options = ReplyOptions::new(PostfixVersion::new(3, 10)).tlsrpt(true);
/// assert!(options.tlsrpt_attributes());
/// let old = ReplyOptions::new(PostfixVersion::new(3, 9)).tlsrpt(true);
/// assert!(!old.tlsrpt_attributes());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReplyOptions {
    version: PostfixVersion,
    testing_as_enforce: bool,
    tlsrpt: bool,
    dane_tlsa: bool,
}

impl ReplyOptions {
    /// Options for `version`, everything else off.
    #[must_use]
    pub fn new(version: PostfixVersion) -> ReplyOptions {
        ReplyOptions {
            version,
            testing_as_enforce: false,
            tlsrpt: false,
            dane_tlsa: false,
        }
    }

    /// Treat a `testing` policy as `enforce` (F2; off by default).
    #[must_use]
    pub fn testing_as_enforce(mut self, on: bool) -> ReplyOptions {
        self.testing_as_enforce = on;
        self
    }

    /// Add the Postfix 3.10 TLSRPT attributes when the version takes them
    /// (F6; off by default).
    #[must_use]
    pub fn tlsrpt(mut self, on: bool) -> ReplyOptions {
        self.tlsrpt = on;
        self
    }

    /// Whether the domain has DNSSEC-validated TLSA records (F10).
    #[must_use]
    pub fn dane_tlsa(mut self, present: bool) -> ReplyOptions {
        self.dane_tlsa = present;
        self
    }

    /// The Postfix version the reply is for.
    #[must_use]
    pub fn version(&self) -> PostfixVersion {
        self.version
    }

    /// Whether `servername=hostname` goes into the reply: Postfix 3.4 and
    /// later (F6).
    #[must_use]
    pub fn servername(&self) -> bool {
        self.version.at_least(PostfixVersion::SERVERNAME)
    }

    /// Whether the TLSRPT attributes go into the reply: asked for, and
    /// Postfix 3.10 or later (F6).
    #[must_use]
    pub fn tlsrpt_attributes(&self) -> bool {
        self.tlsrpt && self.version.at_least(PostfixVersion::TLSRPT)
    }

    pub(crate) fn treats_testing_as_enforce(&self) -> bool {
        self.testing_as_enforce
    }

    pub(crate) fn has_dane_tlsa(&self) -> bool {
        self.dane_tlsa
    }
}
