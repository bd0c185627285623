//! Delivery verdicts: what a policy's mode means for one MX host, and the
//! RFC 8460 result type to report (RFC 8461 §4, §5, §6).

use crate::domain::PolicyDomain;
use crate::tlsrpt::{Aggregator, ResultType, Session};
use crate::{Mode, Policy};

/// What the TLS handshake with an MX host showed (RFC 8461 §4.2).
///
/// The caller's TLS stack decides; the crate only maps the outcome to a
/// verdict and an RFC 8460 result type.
/// [`TransportError::tls_outcome`](crate::sender::TransportError::tls_outcome)
/// classifies a failed connection. `Display`, `FromStr` and serde use the
/// names of [`as_str`](TlsOutcome::as_str).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TlsOutcome {
    /// STARTTLS succeeded with a PKIX certificate valid for the MX host.
    Valid,
    /// The host did not offer STARTTLS, or the handshake could not start.
    StartTlsNotSupported,
    /// The certificate is not valid for the MX host name (no matching
    /// DNS-ID in its subject alternative names).
    CertificateHostMismatch,
    /// The certificate has expired.
    CertificateExpired,
    /// The certificate does not chain to a trusted root, or another chain
    /// error.
    CertificateNotTrusted,
    /// Any other validation failure.
    ValidationFailure,
}

impl TlsOutcome {
    /// The RFC 8460 result type for this outcome, `None` for
    /// [`TlsOutcome::Valid`].
    #[must_use]
    pub fn result_type(&self) -> Option<ResultType> {
        match self {
            TlsOutcome::Valid => None,
            TlsOutcome::StartTlsNotSupported => Some(ResultType::StartTlsNotSupported),
            TlsOutcome::CertificateHostMismatch => Some(ResultType::CertificateHostMismatch),
            TlsOutcome::CertificateExpired => Some(ResultType::CertificateExpired),
            TlsOutcome::CertificateNotTrusted => Some(ResultType::CertificateNotTrusted),
            TlsOutcome::ValidationFailure => Some(ResultType::ValidationFailure),
        }
    }
}

/// What to do with one MX host.
///
/// `Display`, `FromStr` and serde use the names `deliver`, `refuse` and
/// `defer`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// Deliver to this host.
    Deliver,
    /// Do not deliver to this host; try the next MX candidate in order of
    /// preference (RFC 8461 §5.1 step 2).
    Refuse,
    /// Do not deliver now; keep the message queued and retry later
    /// (a temporary failure). Returned by [`message_action`] when every
    /// candidate was refused: a message must not be bounced before the
    /// TXT record has been checked for a new policy (RFC 8461 §5, §5.1
    /// step 3).
    Defer,
}

/// The verdict for one MX host: what to do, and what to report.
///
/// ```
/// use mta_sts::sender::{verdict, Action, TlsOutcome};
/// use mta_sts::Policy;
///
/// let policy = Policy::parse("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n")?;
/// let ok = verdict(&policy, "mail.example.com", TlsOutcome::Valid);
/// assert_eq!((ok.action(), ok.result_type()), (Action::Deliver, None));
///
/// let bad = verdict(&policy, "mail.example.com", TlsOutcome::CertificateExpired);
/// assert_eq!(bad.action(), Action::Refuse);
/// assert_eq!(bad.result_type().unwrap().as_str(), "certificate-expired");
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Verdict {
    action: Action,
    result_type: Option<ResultType>,
}

impl Verdict {
    /// Whether to deliver to this host.
    #[must_use]
    pub fn action(&self) -> Action {
        self.action
    }

    /// The failure to report in a TLS-RPT report (RFC 8460 §4.3), or
    /// `None` when there is no failure to report: the host passed, or the
    /// mode is `none` (RFC 8461 §6).
    #[must_use]
    pub fn result_type(&self) -> Option<ResultType> {
        self.result_type
    }
}

/// The verdict for delivering to `mx_host` under `policy`, given what the
/// TLS handshake showed (RFC 8461 §4, §5).
///
/// `policy` is the policy to apply (`&Policy`), or `None` when no policy
/// applies ([`Apply::NoPolicy`](crate::sender::Apply::NoPolicy), as
/// [`CacheEntry::policy`](crate::sender::CacheEntry::policy) returns it):
/// then the host is delivered to with no report, as for mode `none`.
///
/// The host fails validation when it matches none of the policy's `mx`
/// patterns (reported as `validation-failure`; this check comes first, so a
/// sender may skip connecting to such a host in `enforce` mode: see
/// [`mx_allowed`]) or when TLS failed (reported with the outcome's result
/// type). Then, by mode:
///
/// | mode | host passes | host fails |
/// |---|---|---|
/// | `enforce` | deliver | refuse (try the next MX), report |
/// | `testing` | deliver | deliver anyway, report |
/// | `none` (or no policy) | deliver | deliver, no report: as if there were no policy |
///
/// ```
/// use mta_sts::sender::{verdict, Action, ResultType, TlsOutcome};
/// use mta_sts::Policy;
///
/// let policy = Policy::parse("version: STSv1\nmode: testing\nmx: mail.example.com\nmax_age: 604800\n")?;
/// let v = verdict(&policy, "evil.example.net", TlsOutcome::Valid);
/// assert_eq!(v.action(), Action::Deliver);
/// assert_eq!(v.result_type(), Some(ResultType::ValidationFailure));
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[must_use]
pub fn verdict<'p>(
    policy: impl Into<Option<&'p Policy>>,
    mx_host: &str,
    tls: TlsOutcome,
) -> Verdict {
    let Some(policy) = policy.into().filter(|policy| policy.mode() != Mode::None) else {
        return Verdict {
            action: Action::Deliver,
            result_type: None,
        };
    };
    let failure = if policy.matches(mx_host) {
        tls.result_type()
    } else {
        Some(ResultType::ValidationFailure)
    };
    let action = match (policy.mode(), failure) {
        (Mode::Enforce, Some(_)) => Action::Refuse,
        _ => Action::Deliver,
    };
    Verdict {
        action,
        result_type: failure,
    }
}

/// The action for a message once every MX candidate has been tried:
/// [`Action::Deliver`] if any verdict allowed delivery, otherwise
/// [`Action::Defer`] (a temporary failure, never a bounce: RFC 8461 §5
/// requires checking for a new policy first).
///
/// ```
/// use mta_sts::sender::{message_action, verdict, Action, TlsOutcome};
/// use mta_sts::Policy;
///
/// let policy = Policy::parse("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\n")?;
/// let verdicts = [
///     verdict(&policy, "mail.example.com", TlsOutcome::StartTlsNotSupported),
///     verdict(&policy, "backup.example.net", TlsOutcome::Valid),
/// ];
/// assert_eq!(message_action(&verdicts), Action::Defer);
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[must_use]
pub fn message_action<'a, I>(verdicts: I) -> Action
where
    I: IntoIterator<Item = &'a Verdict>,
{
    if verdicts
        .into_iter()
        .any(|verdict| verdict.action == Action::Deliver)
    {
        Action::Deliver
    } else {
        Action::Defer
    }
}

/// Whether to connect to `mx_host` at all under `policy`, before any TLS:
/// [`Action::Refuse`] for a host that matches none of the `mx` patterns of
/// an `enforce` policy (skip it and try the next MX host, RFC 8461 §5.1),
/// [`Action::Deliver`] otherwise (go on and connect).
///
/// `policy` is `&Policy` or, when no policy applies, `None`. This is the
/// first check [`verdict`] makes, without needing a [`TlsOutcome`]; after
/// the handshake, `verdict` gives the final action and the result type to
/// report (in `testing` mode a host that does not match is delivered to
/// and reported as `validation-failure`). A host refused here is reported
/// as [`ResultType::ValidationFailure`] too, as `verdict` would.
///
/// ```
/// use mta_sts::sender::{mx_allowed, Action};
/// use mta_sts::Policy;
///
/// let policy = Policy::parse("version: STSv1\nmode: enforce\nmx: *.mail.example.com\nmax_age: 604800\n")?;
/// assert_eq!(mx_allowed(&policy, "mx1.mail.example.com."), Action::Deliver);
/// assert_eq!(mx_allowed(&policy, "mx.attacker.example"), Action::Refuse);
/// assert_eq!(mx_allowed(None, "mx.attacker.example"), Action::Deliver);
/// # Ok::<(), mta_sts::Error>(())
/// ```
#[must_use]
pub fn mx_allowed<'p>(policy: impl Into<Option<&'p Policy>>, mx_host: &str) -> Action {
    match policy.into() {
        Some(policy) if policy.mode() == Mode::Enforce && !policy.matches(mx_host) => {
            Action::Refuse
        }
        _ => Action::Deliver,
    }
}

// `tlsrpt` knows nothing of the sender's verdicts (the sender reports to
// it, not the other way round), so the bridge from a `Verdict` to the
// aggregator lives here.
impl Aggregator {
    /// Records one attempt from its [`Verdict`]: a failure when the
    /// verdict has a result type, a success otherwise.
    pub fn record(
        &mut self,
        policy: Option<&Policy>,
        domain: &PolicyDomain,
        verdict: &Verdict,
        session: &Session,
    ) {
        match verdict.result_type() {
            Some(result_type) => self.failure(policy, domain, result_type, session),
            None => self.success(policy, domain),
        }
    }
}
