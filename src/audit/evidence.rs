//! The evidence an audit judges: what DNS, HTTPS and SMTP said about one
//! domain, as plain data.
//!
//! An I/O crate (such as `mta-sts-net`) gathers these facts from the
//! network; tests write them by hand. Nothing here is judged: the audit
//! turns evidence into findings. Times are seconds since the Unix epoch,
//! like everywhere in this crate.

/// The character-strings of each record of a TXT `RRset`, as a resolver
/// returns them (what [`TxtLookup::from_rrset_bytes`] takes).
///
/// [`TxtLookup::from_rrset_bytes`]: crate::sender::TxtLookup::from_rrset_bytes
pub type TxtRrset = Vec<Vec<Box<[u8]>>>;

/// The answer to one DNS question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DnsAnswer<T> {
    /// The name exists (`NOERROR`); the records, possibly none (`NODATA`).
    Records(T),
    /// The name does not exist (`NXDOMAIN`).
    NxDomain,
    /// No answer: `SERVFAIL`, `REFUSED`, a timeout or an unreachable
    /// server; the reason in words, as the resolver put it.
    Failed(String),
}

/// One MX record of the domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MxRecord {
    /// The preference; lower is tried first.
    pub preference: u16,
    /// The exchange host name, as the resolver gave it (a trailing dot is
    /// allowed).
    pub exchange: String,
}

/// The leaf certificate a TLS server presented, and what path building to
/// a trusted root made of its chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certificate {
    /// The `subjectAltName` DNS names of the leaf certificate, as written
    /// there (`mx1.example.com`, `*.example.com`).
    pub dns_names: Vec<String>,
    /// The start of the leaf's validity (`notBefore`).
    pub not_before: u64,
    /// The end of the leaf's validity (`notAfter`).
    pub not_after: u64,
    /// The verdict on the chain, judged without regard to the host name
    /// (the audit checks names against [`dns_names`](Self::dns_names)).
    pub chain: ChainVerdict,
}

/// What path building from the presented chain to a trusted root found,
/// at the time of the audit, name checks aside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainVerdict {
    /// The chain leads to a trusted root and every certificate in it is
    /// valid now.
    Trusted,
    /// No path to a trusted root (self-signed, a private CA, a missing
    /// intermediate).
    UnknownIssuer,
    /// A certificate in the chain is expired or not yet valid.
    Expired,
    /// Any other reason the chain was refused, in words.
    Invalid(String),
}

/// The HTTPS fetch of the policy (RFC 8461 §3.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyFetch {
    /// The URL fetched: `https://mta-sts.<domain>/.well-known/mta-sts.txt`.
    pub url: String,
    /// The response, or why there is none.
    pub result: Result<HttpExchange, FetchFailure>,
}

/// An HTTP response to the policy fetch. Redirects are never followed: a
/// 3xx is the response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpExchange {
    /// The status code.
    pub status: u16,
    /// The response's header fields, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body, read up to the size limit.
    pub body: Vec<u8>,
    /// The server sent more than the size limit; reading stopped there.
    pub body_truncated: bool,
    /// The policy host's certificate.
    pub certificate: Certificate,
}

/// Why the policy fetch has no response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchFailure {
    /// How far the fetch got.
    pub stage: Stage,
    /// What went wrong, in words ("timed out after 60 s", "connection
    /// refused").
    pub reason: String,
    /// The certificate, when the TLS handshake got as far as seeing one.
    pub certificate: Option<Certificate>,
}

/// How far a connection got before it failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stage {
    /// Resolving the host's addresses.
    Resolve,
    /// Opening the TCP connection.
    Connect,
    /// Reading the SMTP greeting.
    Greeting,
    /// `EHLO` and its reply.
    Ehlo,
    /// The `STARTTLS` command and its reply.
    StartTls,
    /// The TLS handshake.
    Handshake,
    /// The HTTP request and response.
    Http,
}

/// A STARTTLS probe of one MX host (RFC 8461 §4.2, §5).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MxProbe {
    /// The MX host name probed.
    pub host: String,
    /// What the probe found.
    pub result: ProbeResult,
}

/// What a STARTTLS probe of an MX host found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProbeResult {
    /// The TLS handshake completed; the certificate the host presented.
    Tls(Certificate),
    /// The host answered `EHLO` without offering `STARTTLS`.
    NoStartTls,
    /// The probe failed at `stage`: the host could not be reached, did
    /// not speak SMTP, refused `STARTTLS` or failed the handshake.
    Failed {
        /// How far the probe got.
        stage: Stage,
        /// What went wrong, in words.
        reason: String,
    },
}

/// Everything known about one domain's MTA-STS deployment at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    /// The policy domain (`example.com`), as the user gave it.
    pub domain: String,
    /// When the evidence was gathered, seconds since the Unix epoch.
    pub now: u64,
    /// The `_mta-sts.<domain>` TXT answer.
    pub sts_txt: DnsAnswer<TxtRrset>,
    /// The policy fetch; `None` when it was not attempted.
    pub fetch: Option<PolicyFetch>,
    /// The domain's MX answer. No records at all means RFC 5321's implicit
    /// MX: the domain itself.
    pub mx: DnsAnswer<Vec<MxRecord>>,
    /// One probe per MX host probed (the implicit MX included), in MX
    /// preference order.
    pub probes: Vec<MxProbe>,
    /// The `_smtp._tls.<domain>` TXT answer (TLS-RPT, RFC 8460 §3).
    pub tlsrpt_txt: DnsAnswer<TxtRrset>,
}
