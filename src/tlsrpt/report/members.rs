//! The RFC 8460 §4.4 member names, one table per JSON object: the reader
//! (`report/parse`) and the writer (`report/write.rs`) both take their names
//! from here, and the reader's list of known members (G17) is each table's
//! `ALL`.

/// One module per object: a constant per member, and `ALL`, every member
/// RFC 8460 defines there in the order reports write them.
macro_rules! members {
    ($($(#[$doc:meta])* $object:ident { $($name:ident = $text:literal,)+ })+) => {$(
        $(#[$doc])*
        pub(crate) mod $object {
            $(pub(crate) const $name: &str = $text;)+
            /// Every member RFC 8460 defines here, in writing order.
            pub(crate) const ALL: &[&str] = &[$($name),+];
        }
    )+};
}

members! {
    /// The report (§4.4).
    report {
        ORGANIZATION_NAME = "organization-name",
        DATE_RANGE = "date-range",
        CONTACT_INFO = "contact-info",
        REPORT_ID = "report-id",
        POLICIES = "policies",
    }
    /// `date-range`.
    date_range {
        START = "start-datetime",
        END = "end-datetime",
    }
    /// One `policies` entry.
    entry {
        POLICY = "policy",
        SUMMARY = "summary",
        FAILURE_DETAILS = "failure-details",
    }
    /// An entry's `policy`.
    policy {
        TYPE = "policy-type",
        STRING = "policy-string",
        DOMAIN = "policy-domain",
        MX_HOST = "mx-host",
    }
    /// An entry's `summary`.
    summary {
        SUCCESSFUL = "total-successful-session-count",
        FAILED = "total-failure-session-count",
    }
    /// One `failure-details` element.
    failure {
        RESULT_TYPE = "result-type",
        SENDING_MTA_IP = "sending-mta-ip",
        RECEIVING_MX_HOSTNAME = "receiving-mx-hostname",
        RECEIVING_MX_HELO = "receiving-mx-helo",
        RECEIVING_IP = "receiving-ip",
        FAILED_SESSION_COUNT = "failed-session-count",
        ADDITIONAL_INFORMATION = "additional-information",
        FAILURE_REASON_CODE = "failure-reason-code",
    }
}

/// The prose's name for `additional-information` (RFC 8460 §4.4 writes
/// `additional-info-uri`; SEMANTICS G16).
pub(crate) const ADDITIONAL_INFO_URI: &str = "additional-info-uri";
