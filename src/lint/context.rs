//! [`Context`]: the optional inputs some lints need.

/// Optional inputs for the lints that need more than the policy text: the
/// policy domain, the domain's DNS MX host names and its `_mta-sts` TXT
/// record. Plain data; the crate does no I/O.
///
/// A lint that needs an input runs only when it is given. Build one with
/// [`Context::new`] and the builder methods:
///
/// ```
/// use mta_sts::lint::Context;
///
/// let context = Context::new()
///     .domain("example.com")
///     .dns_mx(["mx1.example.com.", "mx2.example.com."])
///     .txt("v=STSv1; id=20240101T000000;");
/// # let _ = context;
/// ```
/// Two contexts are equal when every input was given alike (as given, not
/// canonicalised) or equally absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    domain: Option<String>,
    dns_mx: Option<Vec<String>>,
    txt: Option<String>,
    tls_rpt: Option<Vec<String>>,
    previous: Option<(String, String)>,
}

impl Context {
    /// A context with no inputs: only the lints that need nothing but the
    /// policy run.
    #[must_use]
    pub fn new() -> Self {
        Context::default()
    }

    /// The policy domain (`example.com`), enabling `mx-wildcard-own-domain`.
    ///
    /// Any case, one trailing dot allowed, U-labels converted to A-labels.
    /// A value that is not a domain name gets a `context-invalid` lint.
    #[must_use]
    pub fn domain(self, domain: impl Into<String>) -> Self {
        Context {
            domain: Some(domain.into()),
            ..self
        }
    }

    /// The host names the domain's DNS MX records point to, enabling the
    /// cross-checks `mx-not-covered`, `mx-pattern-unused` and
    /// `mx-no-dns-mx`, and making the `mx-wildcard` explanation list the
    /// exact `mx:` lines to write.
    ///
    /// Hosts are matched as [`Policy::matches`](crate::Policy::matches) does
    /// (any case, one trailing dot ignored). An empty list means the domain
    /// has no MX hosts at all, which is not the same as not calling this
    /// method (unknown). Calling it again replaces the list. Names are
    /// taken as resolvers give them (any case, a trailing dot, U-labels); a
    /// value that is not a host name (`10 mx1.example.com.` with the MX
    /// preference, `mx1.example.com:25`, `[192.0.2.1]`) gets a
    /// `context-invalid` lint, and the DNS cross-checks do not run.
    #[must_use]
    pub fn dns_mx<I, S>(self, hosts: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Context {
            dns_mx: Some(hosts.into_iter().map(Into::into).collect()),
            ..self
        }
    }

    /// The text of the domain's `_mta-sts` TXT record (its strings joined
    /// with no separator): [`check`](crate::lint::check) then also reports
    /// its parse error or its `txt-*` lints (lenient parse).
    #[must_use]
    pub fn txt(self, record: impl Into<String>) -> Self {
        Context {
            txt: Some(record.into()),
            ..self
        }
    }

    /// The domain's `_smtp._tls` TXT `RRset` (each record's strings joined
    /// with no separator), enabling `tlsrpt-missing`: a warning in
    /// `testing` mode, info in `enforce`, when the `RRset` holds no valid
    /// TLS-RPT record (RFC 8460 §3; see
    /// [`TlsRptRecord::from_rrset`](crate::tlsrpt::TlsRptRecord::from_rrset)).
    /// An empty list means the domain publishes none.
    ///
    /// ```
    /// use mta_sts::lint::{self, Context, Severity};
    ///
    /// let text = "version: STSv1\nmode: testing\nmx: mx1.example.com\nmax_age: 604800\n";
    /// let report = lint::check(text, &Context::new().tls_rpt(Vec::<String>::new()));
    /// let lint = report.lints().iter().find(|l| l.code() == "tlsrpt-missing").unwrap();
    /// assert_eq!(lint.severity(), Severity::Warning);
    ///
    /// let context = Context::new().tls_rpt(["v=TLSRPTv1; rua=mailto:tlsrpt@example.com"]);
    /// assert!(lint::check(text, &context).lints().iter().all(|l| l.code() != "tlsrpt-missing"));
    /// ```
    #[must_use]
    pub fn tls_rpt<I, S>(self, records: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Context {
            tls_rpt: Some(records.into_iter().map(Into::into).collect()),
            ..self
        }
    }

    /// The previously published policy text and the TXT id it was
    /// published under, enabling `id-not-changed` (error: the policy
    /// changed but the id in [`Context::txt`] did not, RFC 8461 §3.1) and
    /// `id-changed-only` (info). Both need [`Context::txt`] too; policies
    /// are compared as [`Policy::diff`](crate::Policy::diff) does, and a
    /// previous text that does not parse is ignored.
    ///
    /// ```
    /// use mta_sts::lint::{self, Context};
    ///
    /// let old = "version: STSv1\nmode: testing\nmx: mx1.example.com\nmax_age: 604800\n";
    /// let new = "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmax_age: 604800\n";
    /// let context = Context::new().txt("v=STSv1; id=20240101;").previous(old, "20240101");
    /// let report = lint::check(new, &context);
    /// let lint = report.lints().iter().find(|l| l.code() == "id-not-changed").unwrap();
    /// assert!(lint.message().contains("mode: testing -> enforce"));
    /// ```
    #[must_use]
    pub fn previous(self, policy_text: impl Into<String>, txt_id: impl Into<String>) -> Self {
        Context {
            previous: Some((policy_text.into(), txt_id.into())),
            ..self
        }
    }

    /// The `_smtp._tls` `RRset`, if given.
    pub(crate) fn tls_rpt_records(&self) -> Option<&[String]> {
        self.tls_rpt.as_deref()
    }

    /// The previous policy text and TXT id, if given.
    pub(crate) fn previous_policy(&self) -> Option<(&str, &str)> {
        self.previous
            .as_ref()
            .map(|(text, id)| (text.as_str(), id.as_str()))
    }

    /// The policy domain as given, if given.
    pub(crate) fn domain_given(&self) -> Option<&str> {
        self.domain.as_deref()
    }

    /// The DNS MX hosts as given, `None` when unknown.
    pub(crate) fn mx_hosts(&self) -> Option<&[String]> {
        self.dns_mx.as_deref()
    }

    /// The TXT record text, if given.
    pub(crate) fn txt_record(&self) -> Option<&str> {
        self.txt.as_deref()
    }
}
