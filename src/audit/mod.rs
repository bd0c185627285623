//! Audit a live domain's MTA-STS deployment from evidence gathered
//! elsewhere: the DNS answers, the policy fetch, each MX host's STARTTLS
//! probe and the TLS-RPT record. Pure: the caller (for example the
//! `mta-sts-net` crate) does the I/O and hands over the facts.

mod evidence;

pub use evidence::{
    Certificate, ChainVerdict, DnsAnswer, Evidence, FetchFailure, HttpExchange, MxProbe, MxRecord,
    PolicyFetch, ProbeResult, Stage, TxtRrset,
};
