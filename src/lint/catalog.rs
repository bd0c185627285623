//! The lint catalog: for every [`Code`], its usual severity and the
//! explanation shown to the reader, as one `match`. Explanations built per
//! finding (`mx-wildcard` with the DNS MX hosts) start from the texts here.

use super::Severity;
use crate::ErrorKind;
use crate::code::Code;

use Severity::{Error, Info, Warning};

/// The first paragraphs of the `mx-wildcard` explanation: why. The remedy
/// follows; with DNS MX hosts it is built per finding (the exact `mx:` lines).
macro_rules! mx_wildcard_why {
    () => {
        "\
A wildcard pattern makes every host under its suffix that can show a CA-signed \
certificate a valid MX host for the domain. RFC 8461 §10.4 gives the example: \
with \"mx: *.example.com\", any host with a valid name and certificate, such as \
\"dhcp-123.example.com\", passes MTA-STS validation for example.com. A \
compromised web server, a forgotten test box or a dangling subdomain that \
someone can take over can then receive the domain's mail under MTA-STS \
protection, and senders will trust it.

Microsoft's Exchange Online MTA-STS guidance says wildcards (\"*\") must not \
be used as the MX prefix in general MTA-STS configurations, and the UK \
government's MTA-STS guidance (security.gov.uk) says not to use wildcard MX \
entries.

A wildcard *certificate* on the listed MX hosts is fine: senders check that \
the certificate matches the MX host name, and a certificate for \
*.example.com does. The problem is the wildcard *pattern* in the policy, \
which widens the set of hosts allowed to receive mail."
    };
}

/// `mx-wildcard`'s why, for explanations built per finding.
pub(crate) const MX_WILDCARD_WHY: &str = mx_wildcard_why!();

/// `mx-wildcard`'s explanation without DNS MX hosts: why, then the generic
/// remedy.
const MX_WILDCARD: &str = concat!(
    mx_wildcard_why!(),
    "\n\n\
Instead, list each MX host by its full name on its own line (\"mx: \
mx1.example.com\", \"mx: mx2.example.com\"), exactly the names your MX records \
point to; lint with the domain's MX hosts to get the exact lines."
);

/// The usual severity of `code` and its explanation (why it matters, the
/// RFC section or guidance behind it, and what to write instead). A few
/// codes have a severity that depends on the finding (`mx-wildcard`,
/// `mx-not-covered`, `max-age-short`, `duplicate-field`): this is the usual
/// one, and the code that builds the lint picks the other.
///
/// Severity means one thing everywhere (SEMANTICS, "Lint catalog"): error
/// when some RFC-conforming sender refuses the policy or record (everything
/// strict parsing rejects), or the policy lets the wrong hosts receive mail
/// or blocks mail it should deliver; warning when every sender accepts it
/// but it weakens the protection or is likely a mistake; info otherwise.
pub(crate) const fn entry(code: Code) -> (Severity, &'static str) {
    match code {
        Code::Error(ErrorKind::TooLarge) => (
            Error,
            "The policy is larger than the size limit (65 536 bytes by default). RFC 8461 \
         §3.3 lets senders refuse large policy bodies, and a real policy is a few \
         hundred bytes: check that the URL serves the policy file and not an error \
         page or another document.",
        ),
        Code::Error(ErrorKind::Syntax) => (
            Error,
            "The text does not follow the grammar of RFC 8461 (§3.2 for the policy, §3.1 \
         for the TXT record): a control character, a bare CR, an empty or malformed \
         field, or (in a TXT record) non-ASCII text or a stray character. Senders \
         that find a syntax error ignore the whole policy or record. Write one \
         \"key: value\" field per line in plain ASCII (\"key=value\" fields separated \
         by \";\" in the TXT record).",
        ),
        Code::Error(ErrorKind::InvalidVersion) => (
            Error,
            "RFC 8461 §3.2 defines exactly one version, written \"STSv1\" (case-sensitive). \
         Senders reject a policy with any other value. Write \"version: STSv1\".",
        ),
        Code::Error(ErrorKind::InvalidMode) => (
            Error,
            "RFC 8461 §3.2 allows exactly \"enforce\", \"testing\" or \"none\", in \
         lowercase. Senders reject a policy with any other value (the pre-RFC \
         \"report\" mode included). Write \"mode: testing\" while you check TLS-RPT \
         reports, then \"mode: enforce\".",
        ),
        Code::Error(ErrorKind::InvalidMaxAge) => (
            Error,
            "RFC 8461 §3.2 defines max_age as 1 to 10 decimal digits: no sign, no \
         decimal point, no spaces, no units. Senders reject the policy otherwise. \
         Write the lifetime in seconds, for example \"max_age: 604800\" (one week).",
        ),
        Code::Error(ErrorKind::MaxAgeAboveLimit) => (
            Error,
            "RFC 8461 §3.2 caps max_age at 31557600 seconds (one year). Strict parsers \
         reject a larger value and lenient ones clamp it to the cap, so different \
         senders keep the policy for different times. Write a value of at most \
         31557600; several weeks (1209600 to 2419200) is typical.",
        ),
        Code::Error(ErrorKind::MissingField) => (
            Error,
            "RFC 8461 §3.2 requires the \"version\", \"mode\" and \"max_age\" fields. \
         Without them senders ignore the policy. Keys are case-sensitive, so \
         \"Mode:\" does not count as \"mode:\". Add the missing lines, for example \
         \"version: STSv1\", \"mode: enforce\", \"max_age: 604800\".",
        ),
        Code::Error(ErrorKind::MissingMx) => (
            Error,
            "RFC 8461 §3.2 requires at least one \"mx\" line unless the mode is \"none\": \
         without one, no MX host can match, and in enforce mode senders would refuse \
         to deliver. Add one \"mx:\" line per MX host (\"mx: mail.example.com\").",
        ),
        Code::Error(ErrorKind::InvalidMx) => (
            Error,
            "An mx value is a host name or \"*.\" followed by a host name (RFC 8461 §3.2, \
         §4.1): letters, digits and hyphens in dot-separated labels, in A-label form \
         for internationalized names. No IP address literals, ports, URLs, lists or \
         other wildcards. Senders reject the policy otherwise. Write one \"mx:\" line \
         per MX host, for example \"mx: mail.example.com\".",
        ),
        Code::Error(ErrorKind::NotSts) => (
            Error,
            "An MTA-STS TXT record must begin with exactly \"v=STSv1\" followed by \";\" \
         (RFC 8461 §3.1). Senders skip any other record, so the domain has no \
         MTA-STS. Publish \"v=STSv1; id=20240101T000000;\" at _mta-sts.<domain>, \
         without quote characters inside the record text.",
        ),
        Code::Error(ErrorKind::MissingId) => (
            Error,
            "RFC 8461 §3.1 requires an \"id\" field (lowercase) in the TXT record: senders \
         use it to notice a new policy. Write \"v=STSv1; id=20240101T000000;\" and \
         change the id whenever the policy changes.",
        ),
        Code::Error(ErrorKind::InvalidId) => (
            Error,
            "RFC 8461 §3.1 defines the id as 1 to 32 letters and digits. Strict senders \
         reject the record otherwise. Use a timestamp without punctuation, such as \
         \"id=20240101T000000\".",
        ),
        Code::MxWildcard => (Warning, MX_WILDCARD),
        Code::MxWildcardOwnDomain => (
            Error,
            "The wildcard's suffix is the policy domain itself or a parent of it, so \
         every host in the domain's own zone qualifies as an MX host (the RFC 8461 \
         §10.4 scenario): a web server, a VPN gateway or a host anyone can get a \
         certificate for can receive the domain's mail. List each MX host by its \
         full name instead.",
        ),
        Code::MxNotCovered => (
            Error,
            "This MX host, from the domain's DNS MX records, matches no mx pattern. \
         Senders honouring the policy will not deliver to it (RFC 8461 §4.1, §5): \
         in enforce mode mail to it is refused, and in testing mode every delivery \
         to it is reported as a failure. Add an \"mx:\" line with its name, or remove \
         the MX record.",
        ),
        Code::MxPatternUnused => (
            Warning,
            "No DNS MX host of the domain matches this pattern: it is left over from an \
         old mail setup, or a typo. It only widens the set of hosts senders accept \
         (one an attacker could redirect mail to by spoofing DNS, RFC 8461 §4.1). \
         Remove the line, or correct it to the MX host's name.",
        ),
        Code::MxNoDnsMx => (
            Error,
            "The domain has no MX records. MTA-STS only protects delivery to MX hosts \
         (RFC 8461 §4, §5): with no MX hosts there is nothing to protect and senders \
         that fall back to the domain's address get no protection. Publish MX \
         records, or withdraw the policy with \"mode: none\" (RFC 8461 §8.3).",
        ),
        Code::MxIpAddress => (
            Error,
            "This pattern consists of digits only, like an IPv4 address. MX records name \
         hosts, not addresses, and senders compare the pattern with the MX host name \
         and check the certificate against it (RFC 8461 §4.1), so an address never \
         matches. Write the MX host's name (\"mx: mail.example.com\").",
        ),
        Code::MxSingleLabel => (
            Warning,
            "This pattern has a single label (\"localhost\", \"mx\"). Senders validate the \
         MX host's certificate against its name (RFC 8461 §4.1), and public CAs do \
         not issue certificates for single-label names, so this pattern never \
         validates on the Internet. Write the MX host's fully qualified name \
         (\"mx: mx.example.com\").",
        ),
        Code::MxDuplicate => (
            Info,
            "The same pattern appears more than once (compared in lowercase A-label \
         form). It is harmless, but a sign the list was edited by hand; delete the \
         repeat.",
        ),
        Code::MxRedundant => (
            Info,
            "This exact name is already covered by a wildcard pattern in the same \
         policy. It is harmless; keep the exact names and remove the wildcard \
         (see mx-wildcard) rather than the other way round.",
        ),
        Code::MxUppercase => (
            Info,
            "Host names are case-insensitive, and senders compare them so, but RFC \
         8461's examples and most tools use lowercase. Write the pattern in \
         lowercase.",
        ),
        Code::MxTrailingDot => (
            Error,
            "The RFC 5321 Domain grammar used by RFC 8461 §3.2 has no trailing dot: \
         strict senders reject the whole policy, lenient ones strip the dot. Write \
         the name without the final dot, unlike in a DNS zone file.",
        ),
        Code::MxULabel => (
            Error,
            "RFC 8461 §3.2 says an internationalized mx value must be written as its \
         A-label (Punycode, \"xn--...\"), not as Unicode. Strict senders reject the \
         policy; lenient ones convert it. Write the A-label shown in the message.",
        ),
        Code::ModeTesting => (
            Info,
            "In testing mode senders report failures through TLS-RPT but still deliver \
         over unauthenticated or cleartext connections (RFC 8461 §5), so the policy \
         does not protect mail yet. Publish a TLS-RPT record (RFC 8460) to receive \
         the reports, check them, then switch to \"mode: enforce\".",
        ),
        Code::ModeNone => (
            Info,
            "Mode none tells senders the domain is withdrawing MTA-STS (RFC 8461 §8.3): \
         cached policies are replaced and nothing is enforced. Keep it published \
         until the previous policy's max_age has passed, then remove the TXT record \
         and the policy.",
        ),
        Code::NoneWithMx => (
            Info,
            "In mode none the mx lines are not used by senders (RFC 8461 §5). They are \
         allowed (and still validated), but can be removed.",
        ),
        Code::MaxAgeZero => (
            Error,
            "With max_age 0 senders cannot cache the policy (RFC 8461 §3.2), so it \
         protects nothing: an attacker who strips the TXT record or blocks the \
         policy fetch makes senders fall back to opportunistic TLS. Use at least \
         604800 (one week); 1209600 to 2419200 is typical.",
        ),
        Code::MaxAgeShort => (
            Warning,
            "RFC 8461 §3.2 expects max_age to be \"in the range of weeks or greater\": \
         MTA-STS protects a domain only while senders hold a cached policy, so a \
         short lifetime leaves them unprotected on first contact and after each \
         expiry, when an attacker can block the policy fetch. Below one day \
         (86400) is an error, below one week (604800) a warning. Use at least \
         604800; 1209600 to 2419200 is typical.",
        ),
        Code::MaxAgeLeadingZeros => (
            Info,
            "RFC 8461 §3.2 allows leading zeros in max_age, and the value is read as a \
         decimal number, but they count towards the 10-digit limit and a tool that \
         reads them as octal gets another value. Write the number without leading \
         zeros.",
        ),
        Code::DuplicateField => (
            Warning,
            "RFC 8461 §3.2: when a field other than \"mx\" is repeated, senders use the \
         first occurrence and ignore the rest. If the values differ (an error), the \
         later line has no effect and the policy may not say what you meant. Keep \
         one line per field.",
        ),
        Code::UnknownField => (
            Info,
            "RFC 8461 §3.2 lets senders ignore fields they do not know, so this field \
         has no effect on delivery. Fine if intended (an extension or a note); \
         otherwise check the spelling of the field name.",
        ),
        Code::KeyCase => (
            Error,
            "Field names are case-sensitive in RFC 8461 §3.2 (%s\"mode\" in its ABNF), \
         so this line is read as an unknown extension and the field it was meant \
         to set is missing or comes from another line. Write the key in lowercase: \
         \"version\", \"mode\", \"mx\", \"max_age\".",
        ),
        Code::BlankLine => (
            Error,
            "The RFC 8461 §3.2 grammar has no empty lines, also not at the end of the \
         file: strict senders reject the policy, lenient ones skip the line. Remove \
         blank lines and trailing newlines beyond the last line's own terminator.",
        ),
        Code::Bom => (
            Error,
            "The file starts with a UTF-8 byte order mark (often added by Windows \
         editors). The RFC 8461 §3.2 grammar does not allow it: strict senders \
         reject the policy, lenient ones strip it. Save the file as UTF-8 without BOM (or plain ASCII).",
        ),
        Code::LeadingWhitespace => (
            Error,
            "The RFC 8461 §3.2 grammar has no whitespace before a field name: strict \
         senders reject the policy, lenient ones trim it. Start each line with its \
         key.",
        ),
        Code::SpaceBeforeColon => (
            Error,
            "The RFC 8461 §3.2 grammar puts the \":\" right after the field name: strict \
         senders reject \"mode : enforce\" (the whole policy), lenient ones accept \
         it. Write \"mode: enforce\".",
        ),
        Code::InvalidLine => (
            Error,
            "This line is not a \"key: value\" field of RFC 8461 §3.2 (comments, HTML, \
         a key with spaces or a leading \"_\", or an empty value): strict senders \
         reject the whole policy, lenient ones skip the line. Remove it; the policy \
         format has no comments.",
        ),
        Code::MixedLineEndings => (
            Info,
            "The file mixes LF and CRLF line endings. Both are accepted (RFC 8461 §3.2 \
         with erratum 6253), but a mix usually means the file was assembled by \
         hand from several sources. Use one style throughout; CRLF is what the RFC \
         shows.",
        ),
        Code::TlsRptMissing => (
            Warning,
            "The domain has no valid TLS-RPT record at _smtp._tls.<domain> (RFC 8460). \
         Without one, senders have nowhere to report failures (RFC 8461 §5): in \
         testing mode the policy then achieves nothing, and in enforce mode \
         refused deliveries go unnoticed. Publish \"v=TLSRPTv1; \
         rua=mailto:tls-reports@example.com\".",
        ),
        Code::IdNotChanged => (
            Error,
            "The policy changed but the TXT record's id did not. Senders only refetch \
         the policy when the id changes (RFC 8461 §3.1), so those holding the old \
         policy keep it until its max_age expires. Publish a new id (for example \
         the current timestamp) after updating the policy file (RFC 8461 §8.1).",
        ),
        Code::IdChangedOnly => (
            Info,
            "The TXT record's id changed but the policy is the same. Harmless: senders \
         refetch the policy and find nothing new (RFC 8461 §3.1).",
        ),
        Code::UnicodeSpace => (
            Error,
            "A no-break space (U+00A0) or another Unicode space stands where the RFC \
         8461 §3.2 grammar allows only spaces and tabs, usually after pasting from \
         a web page or a word processor. Strict senders reject the policy (the \
         value is then invalid, such as \"max_age: 86400\" with a no-break space); \
         lenient ones read it as a space. Retype the line with plain spaces.",
        ),
        Code::ContextInvalid => (
            Error,
            "A value given as the policy domain or as a DNS MX host is not a host name, \
         so the checks that need it did not run. Give names as DNS has them: \
         \"mx1.example.com\" or \"mx1.example.com.\" (any case, U-labels are \
         fine), without the MX preference (\"10 mx1.example.com.\"), a port, \
         brackets or spaces.",
        ),
        Code::Error(ErrorKind::NoRecord) => (
            Error,
            "No TXT record of the RRset begins with the version prefix (\"v=STSv1;\" \
         for MTA-STS, RFC 8461 §3.1; \"v=TLSRPTv1;\" for TLS-RPT, RFC 8460 §3), so \
         senders see none. Publish exactly one such record.",
        ),
        Code::Error(ErrorKind::MultipleRecords) => (
            Error,
            "More than one TXT record of the RRset begins with the version prefix. RFC \
         8461 §3.1 (and RFC 8460 §3) has senders treat that as no record at all, \
         even if only one of them would parse. Keep exactly one.",
        ),
        Code::Error(ErrorKind::InvalidDomain) => (
            Error,
            "The recipient domain cannot name a Policy Domain (RFC 8461 §3.4): it is an \
         address literal, an IP address, or not a valid (internationalized) domain \
         name. MTA-STS applies only to mail for domain names.",
        ),
        Code::Error(ErrorKind::HttpStatus) => (
            Error,
            "RFC 8461 §3.3 counts only an HTTP 200 response as a policy: senders treat \
         any other status as a failed fetch. Serve the policy file at \
         https://mta-sts.<domain>/.well-known/mta-sts.txt with status 200.",
        ),
        Code::Error(ErrorKind::HttpRedirect) => (
            Error,
            "RFC 8461 §3.3 forbids following HTTP redirects when fetching a policy, so \
         senders that meet one fail the fetch. Serve the file directly from \
         https://mta-sts.<domain>/.well-known/mta-sts.txt, without a redirect.",
        ),
        Code::Error(ErrorKind::MediaType) => (
            Error,
            "RFC 8461 §3.2 says the policy must be served as \"text/plain\", so that a web \
         server letting users upload files under a path of their choosing (HTML \
         pages, images) cannot serve a policy by accident or on purpose. Strict \
         senders refuse a policy served otherwise; lenient ones accept it. \
         Configure the web server to send \"Content-Type: text/plain\" (parameters \
         such as \"; charset=utf-8\" are fine) for /.well-known/mta-sts.txt.",
        ),
        Code::Error(ErrorKind::NotTlsRpt) => (
            Error,
            "A TLS-RPT record must begin with exactly \"v=TLSRPTv1\" followed by \";\" \
         (RFC 8460 §3): senders skip any other record and send no reports. Publish \
         \"v=TLSRPTv1; rua=mailto:tlsrpt@example.com;\" at _smtp._tls.<domain>.",
        ),
        Code::Error(ErrorKind::MissingRua) => (
            Error,
            "A TLS-RPT record needs a \"rua=\" field naming where reports go (RFC 8460 \
         §3): without it, senders have nowhere to send them. Add \
         \"rua=mailto:tlsrpt@example.com\" or an https: URL.",
        ),
        Code::Error(ErrorKind::InvalidRua) => (
            Error,
            "Each \"rua=\" URI must be a mailto: address or an https: URL, with \",\", \
         \"!\" and \";\" percent-encoded (RFC 8460 §3). Senders skip a record with \
         an invalid URI. Write \"rua=mailto:tlsrpt@example.com\".",
        ),
        Code::TxtSpaceBeforeSemicolon => (
            Error,
            "The record has whitespace between \"v=STSv1\" and the first \";\". RFC 8461 \
         §3.1 has senders select the record by its \"v=STSv1;\" prefix, so strict \
         senders skip it and see no policy. Write \"v=STSv1; id=...;\".",
        ),
        Code::TxtTrailingWhitespace => (
            Error,
            "The record ends with whitespace after its last field and no \";\" after it, \
         which the RFC 8461 §3.1 grammar does not allow: strict senders reject it. \
         Remove the trailing whitespace or end the record with \";\".",
        ),
        Code::TxtIdInvalid => (
            Error,
            "RFC 8461 §3.1 defines the id as 1 to 32 letters and digits; this one is \
         longer or has other characters (hyphens, dots, ...). Strict senders reject \
         the record and see no policy. Use a timestamp without punctuation, such as \
         \"id=20240101T000000\".",
        ),
        Code::TxtUnknownField => (
            Info,
            "RFC 8461 §3.1 lets senders ignore fields other than v and id, so this one \
         has no effect. Fine if intended; otherwise check the spelling.",
        ),
        Code::TxtDuplicateField => (
            Warning,
            "A field is repeated in the TXT record; RFC 8461 §3.1 has senders use the \
         first occurrence and ignore the rest, so the repeat has no effect. Keep \
         one of each.",
        ),
        // ---- audit (docs/AUDIT.md)
        Code::DnsFailed => (
            Error,
            "The DNS query got no answer (SERVFAIL, REFUSED, a timeout or an \
         unreachable server), so this part of the deployment could not be \
         checked. If the domain's name servers fail for everyone, senders cannot \
         discover the policy either and deliver without it (RFC 8461 §3.1, §5.1). \
         Check the name servers, then check again; if only this checker's network \
         is at fault, the finding says nothing about the domain.",
        ),
        Code::DomainNotFound => (
            Error,
            "The domain does not exist in DNS (NXDOMAIN for its MX query), so no mail \
         can be delivered to it and nothing else can be checked. Check the \
         spelling of the domain, or that its delegation is in place.",
        ),
        Code::TxtOtherRecord => (
            Info,
            "Besides the STS record, _mta-sts.<domain> holds a TXT record that does not \
         begin with \"v=STSv1;\" (often SPF copied to every name). Senders discard \
         it (RFC 8461 §3.1), so it does no harm; remove it to keep the name tidy.",
        ),
        Code::FetchFailed => (
            Error,
            "The policy could not be fetched from \
         https://mta-sts.<domain>/.well-known/mta-sts.txt: the host name did not \
         resolve, the connection or the TLS handshake failed, or the server did \
         not answer in time. Senders then have no policy on first contact and keep \
         a cached one only until it expires (RFC 8461 §3.3), and they report \
         sts-policy-fetch-error (RFC 8460 §4.3.2.2). Publish an A or AAAA record \
         for mta-sts.<domain> and serve the file over HTTPS on port 443.",
        ),
        Code::CertNameMismatch => (
            Error,
            "The certificate does not name this host: no DNS name in its \
         subjectAltName matches it (RFC 6125; a wildcard \"*.example.com\" covers \
         exactly one label, so not \"example.com\" nor \"a.b.example.com\"). \
         Senders refuse the policy host's certificate (RFC 8461 §3.3) and, in \
         enforce mode, an MX host whose certificate does not name it (RFC 8461 \
         §4.2). Get a certificate whose subjectAltName lists the host name.",
        ),
        Code::CertExpired => (
            Error,
            "The certificate has expired. Senders refuse an expired certificate on the \
         policy host (RFC 8461 §3.3) and, in enforce mode, on an MX host (RFC 8461 \
         §4.2: \"MUST not be expired\"). Renew it, and automate renewal (ACME).",
        ),
        Code::CertNotYetValid => (
            Error,
            "The certificate is not valid yet (its notBefore is in the future), so \
         senders refuse it as they refuse an expired one (RFC 8461 §3.3, §4.2). \
         Check the clock of the machine that issued it, or serve the previous \
         certificate until this one is valid.",
        ),
        Code::CertExpiring => (
            Warning,
            "The certificate expires within 14 days. Once it has expired, senders \
         refuse the policy host or, in enforce mode, the MX host (RFC 8461 §3.3, \
         §4.2). Renew it now, and automate renewal (ACME) so it never lapses.",
        ),
        Code::CertUntrusted => (
            Error,
            "The certificate chain does not lead to a root the checker trusts: a \
         self-signed certificate, a private CA, or a missing intermediate. RFC \
         8461 §3.3 and §4.2 require a chain to a trusted root (WebPKI), so senders \
         refuse the policy host, or the MX host in enforce mode. Use a certificate \
         from a public CA and send the full chain (leaf and intermediates).",
        ),
        Code::MxImplicit => (
            Warning,
            "The domain has no MX records, so mail goes to the domain's own address \
         (RFC 5321 §5.1, the implicit MX). RFC 8461 speaks of MX hosts only, and \
         senders differ on whether they apply MTA-STS to the implicit MX; those \
         that do take the domain's own name as the MX host name, so the policy must \
         list it (\"mx: example.com\") and its certificate must name it. Publish an \
         MX record for the host that receives mail.",
        ),
        Code::MxNoStartTls => (
            Error,
            "The MX host does not offer STARTTLS in its EHLO reply. In enforce mode \
         senders honouring the policy refuse to deliver to it (RFC 8461 §4.2, §5); \
         in testing mode they deliver and report starttls-not-supported (RFC 8460). \
         Enable STARTTLS with a certificate for the host name.",
        ),
        Code::MxTlsFailed => (
            Error,
            "STARTTLS was offered but TLS could not be set up: the server refused the \
         STARTTLS command, or the handshake failed (no shared protocol version or \
         cipher, a broken certificate). In enforce mode senders honouring the \
         policy refuse the host (RFC 8461 §4.2, §5). Check the server's TLS \
         configuration with TLS 1.2 or 1.3.",
        ),
        Code::MxUnreachable => (
            Warning,
            "The MX host could not be reached or did not speak SMTP (no address, \
         connection refused or timed out, no greeting, no EHLO reply), so its TLS \
         could not be checked. Senders try the next MX host; if none can be \
         reached, mail waits and eventually bounces. Many networks block outgoing \
         port 25: check from another network before changing anything.",
        ),
        Code::EnforceRefusesMx => (
            Warning,
            "Senders that honour the policy in enforce mode skip these MX hosts: the \
         policy does not list them (RFC 8461 §4.1), or they have no valid TLS \
         (RFC 8461 §4.2). Mail still reaches the other MX hosts, but not while \
         those are down. Fix the findings on each host (or list it in the policy).",
        ),
        Code::EnforceRefusesAll => (
            Error,
            "Senders that honour the policy in enforce mode refuse every MX host of \
         the domain (RFC 8461 §5: they \"MUST NOT deliver\" to a host that fails \
         validation), so mail from them is deferred and then bounced. In testing \
         mode nothing is refused yet, but switching to enforce would do this. \
         Fix the MX hosts' TLS and the policy's mx lines first, or set \
         \"mode: testing\" until they are fixed.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::{Code, entry};

    #[test]
    fn every_code_is_kebab_case_unique_and_in_the_docs_table() {
        let docs = include_str!("mod.rs");
        for (i, &code) in Code::ALL.iter().enumerate() {
            let name = code.as_str();
            assert!(
                Code::ALL[..i].iter().all(|other| other.as_str() != name),
                "{name} listed twice"
            );
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{name} is not kebab-case"
            );
            assert!(
                docs.contains(&format!("//! | `{name}` |")),
                "{name} has no row in the lint module's table"
            );
            assert!(!entry(code).1.contains("  "), "{name}: double space");
        }
        // And every row of the table is a code, in `Code::ALL`'s order.
        let rows: Vec<&str> = docs
            .lines()
            .filter_map(|line| line.strip_prefix("//! | `"))
            .collect();
        let names: Vec<&str> = rows
            .iter()
            .map(|row| row.split('`').next().unwrap_or_default())
            .collect();
        let codes: Vec<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
        assert_eq!(
            names, codes,
            "the docs table lists the codes in another order"
        );
    }

    #[test]
    fn the_docs_table_gives_each_code_its_catalog_severity() {
        let docs = include_str!("mod.rs");
        for code in Code::ALL {
            let name = code.as_str();
            let row = docs
                .lines()
                .find_map(|line| line.strip_prefix(&format!("//! | `{name}` | ")))
                .unwrap_or_default();
            // The severity cell starts with the catalog's severity; a code
            // whose severity depends on the finding says on what after it.
            let cell = row.split(" | ").next().unwrap_or_default();
            let severity = entry(code).0.as_str();
            assert!(
                cell == severity
                    || cell.starts_with(&format!("{severity};"))
                    || cell.starts_with(&format!("{severity} ")),
                "{name}: the docs table says {cell:?}, the catalog {severity:?}"
            );
        }
    }
}
