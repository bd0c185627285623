//! Delivering a report (RFC 8460 §5) as plain data for the caller's mailer
//! or HTTPS client: the file name, the media type, the mail header fields
//! and subject, and where the `rua` URIs of a TLS-RPT record send it.

use super::{Report, TlsRptRecord};

/// The header field naming the Policy Domain a report is about
/// (RFC 8460 §5.3): `TLS-Report-Domain: example.net`.
pub const TLS_REPORT_DOMAIN: &str = "TLS-Report-Domain";

/// The header field naming the domain that sends a report (RFC 8460
/// §5.3); its value is the domain of the report's `contact-info`.
pub const TLS_REPORT_SUBMITTER: &str = "TLS-Report-Submitter";

/// Whether a report is sent as plain JSON or gzipped (RFC 8460 §5.2
/// recommends gzip). RFC 8460 defines exactly these two media types, so the
/// enum is exhaustive on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Compression {
    /// Plain JSON: `.json`, `application/tlsrpt+json`.
    Plain,
    /// gzip: `.json.gz`, `application/tlsrpt+gzip`.
    Gzip,
}

impl Compression {
    /// The file name extension (RFC 8460 §5.1): `json` or `json.gz`.
    #[must_use]
    pub fn extension(&self) -> &'static str {
        match self {
            Compression::Plain => "json",
            Compression::Gzip => "json.gz",
        }
    }

    /// The media type for the MIME part or the HTTPS POST (RFC 8460 §5.3,
    /// §5.4, §6.4, §6.5): `application/tlsrpt+json` or
    /// `application/tlsrpt+gzip`.
    #[must_use]
    pub fn media_type(&self) -> &'static str {
        match self {
            Compression::Plain => "application/tlsrpt+json",
            Compression::Gzip => "application/tlsrpt+gzip",
        }
    }
}

/// The report file name RFC 8460 §5.1 recommends:
/// `sender!policy-domain!begin!end[!unique-id].json` (or `.json.gz`),
/// with `begin` and `end` as Unix seconds.
///
/// `None` when a part would break the name: a domain that is empty or has
/// characters other than letters, digits, `-` and `.` (A-labels, as the
/// RFC requires), or a unique id that is empty or has characters other
/// than letters and digits.
///
/// ```
/// use mta_sts::tlsrpt::{report_file_name, Compression};
///
/// let name = report_file_name(
///     "mail.sndr.example.com", "example.net", 1_470_013_207, 1_470_186_007, Some("001"), Compression::Gzip,
/// );
/// assert_eq!(name.as_deref(), Some("mail.sndr.example.com!example.net!1470013207!1470186007!001.json.gz"));
/// assert_eq!(report_file_name("a!b.example", "example.net", 0, 1, None, Compression::Plain), None);
/// ```
#[must_use]
pub fn report_file_name(
    sender: &str,
    policy_domain: &str,
    begin: u64,
    end: u64,
    unique_id: Option<&str>,
    compression: Compression,
) -> Option<String> {
    let domain_ok = |d: &str| {
        !d.is_empty()
            && d.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    };
    if !domain_ok(sender) || !domain_ok(policy_domain) {
        return None;
    }
    let mut name = format!("{sender}!{policy_domain}!{begin}!{end}");
    if let Some(id) = unique_id {
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        name.push('!');
        name.push_str(id);
    }
    name.push('.');
    name.push_str(compression.extension());
    Some(name)
}

impl Report {
    /// The Policy Domain the report is about: the `policy-domain` of its
    /// first entry that has one. The value of `TLS-Report-Domain`.
    #[must_use]
    pub fn report_domain(&self) -> Option<&str> {
        self.policies.iter().find_map(|entry| entry.policy_domain())
    }

    /// The domain of `contact-info` (after its last `@`), which RFC 8460
    /// §5.3 requires `TLS-Report-Submitter` to be, and which is the
    /// `sender` of the file name (§5.1).
    #[must_use]
    pub fn submitter(&self) -> Option<&str> {
        let contact = self.contact_info.as_deref()?;
        let (_, domain) = contact.rsplit_once('@')?;
        (!domain.is_empty()).then_some(domain)
    }

    /// The mail header fields RFC 8460 §5.3 requires, as (name, value)
    /// pairs: `TLS-Report-Domain` and `TLS-Report-Submitter`.
    ///
    /// ```
    /// use mta_sts::tlsrpt::{DateRange, PolicyReport, PolicyType, Report};
    ///
    /// let entry = PolicyReport::new(PolicyType::NoPolicyFound, "example.net").with_counts(1, 0);
    /// let report = Report::new(
    ///     "Sender", DateRange::utc_day(1_470_013_207).unwrap(),
    ///     "tlsrpt@mail.sender.example.com", "735ff.e317+bf22029", vec![entry],
    /// );
    /// assert_eq!(
    ///     report.header_fields(),
    ///     Some([("TLS-Report-Domain", "example.net"), ("TLS-Report-Submitter", "mail.sender.example.com")])
    /// );
    /// assert_eq!(
    ///     report.subject().as_deref(),
    ///     Some("Report Domain: example.net Submitter: mail.sender.example.com \
    ///           Report-ID: <735ff.e317+bf22029@mail.sender.example.com>")
    /// );
    /// ```
    #[must_use]
    pub fn header_fields(&self) -> Option<[(&'static str, &str); 2]> {
        Some([
            (TLS_REPORT_DOMAIN, self.report_domain()?),
            (TLS_REPORT_SUBMITTER, self.submitter()?),
        ])
    }

    /// The `Subject` RFC 8460 §5.3 recommends, unfolded:
    /// `Report Domain: D Submitter: S Report-ID: <id>`. The id is the
    /// `report-id`, with `@` and the submitter appended when it has no `@`
    /// (the field's ABNF wants `id-left "@" id-right`).
    #[must_use]
    pub fn subject(&self) -> Option<String> {
        let domain = self.report_domain()?;
        let submitter = self.submitter()?;
        let id = if self.report_id.contains('@') {
            self.report_id.clone()
        } else {
            format!("{}@{submitter}", self.report_id)
        };
        Some(format!(
            "Report Domain: {domain} Submitter: {submitter} Report-ID: <{id}>"
        ))
    }

    /// The file name for this report (RFC 8460 §5.1): the submitter as
    /// sender, the report domain, the date range as Unix seconds. `None`
    /// when [`report_file_name`] refuses the parts or the range starts
    /// before 1970.
    #[must_use]
    pub fn file_name(&self, unique_id: Option<&str>, compression: Compression) -> Option<String> {
        let begin = u64::try_from(self.date_range.start().unix_seconds()).ok()?;
        let end = u64::try_from(self.date_range.end().unix_seconds()).ok()?;
        report_file_name(
            self.submitter()?,
            self.report_domain()?,
            begin,
            end,
            unique_id,
            compression,
        )
    }
}

/// Where one `rua` URI sends reports (RFC 8460 §3).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeliveryTarget {
    /// Mail the report to this address (RFC 8460 §5.3), percent-decoded
    /// from the `mailto:` URI; a URI naming several addresses gives one
    /// target each. `?` headers of the URI are dropped.
    Mailto(String),
    /// POST the report to this URL (RFC 8460 §5.4), as written.
    Https(String),
}

impl TlsRptRecord {
    /// Where to send reports: one target per `rua` address, in order.
    ///
    /// ```
    /// use mta_sts::tlsrpt::{DeliveryTarget, TlsRptRecord};
    ///
    /// let record = TlsRptRecord::parse(
    ///     "v=TLSRPTv1; rua=mailto:tls%2Breports@example.com?subject=x,https://reports.example.com/v1",
    /// )?;
    /// assert_eq!(
    ///     record.delivery_targets(),
    ///     [
    ///         DeliveryTarget::Mailto("tls+reports@example.com".into()),
    ///         DeliveryTarget::Https("https://reports.example.com/v1".into()),
    ///     ]
    /// );
    /// # Ok::<(), mta_sts::Error>(())
    /// ```
    #[must_use]
    pub fn delivery_targets(&self) -> Vec<DeliveryTarget> {
        let mut targets = Vec::new();
        for uri in self.rua() {
            match uri.mailto_to() {
                Some(to) => {
                    for address in percent_decode(to).split(',') {
                        if !address.is_empty() {
                            targets.push(DeliveryTarget::Mailto(address.to_owned()));
                        }
                    }
                }
                None => targets.push(DeliveryTarget::Https(uri.as_str().to_owned())),
            }
        }
        targets
    }
}

/// Decodes `%XX` escapes; if the result is not UTF-8, the text as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |j: usize| {
            bytes
                .get(j)
                .and_then(|b| char::from(*b).to_digit(16))
                .map(|d| d as u8)
        };
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push(high * 16 + low);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}
