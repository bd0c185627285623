//! Finding the report JSON in what a file holds: the JSON itself, a gzip
//! stream of it, or an e-mail (RFC 8460 §5.3) whose MIME tree carries it.
//! Every path is bounded: gzip is inflated up to [`MAX_REPORT`] bytes, and
//! e-mails nest at most [`MAX_NESTING`] messages deep.

use std::io::Read;

use flate2::read::GzDecoder;
use mail_parser::{MessageParser, MimeHeaders, PartType};

/// A decompressed report may be at most 16 MiB.
///
/// Real aggregate reports are a few KiB: one object per policy, and failure
/// details grouped by result type, host and address, so even a large
/// sender's daily report for a busy domain stays far under 1 MiB. 16 MiB is
/// more than ten times that and bounds the memory one input can take, while
/// a gzip bomb (deflate reaches ~1000:1, so 512 MiB of zeros is ~500 KiB)
/// is stopped after 16 MiB of output, in milliseconds.
pub(crate) const MAX_REPORT: u64 = 16 << 20;

/// `message/rfc822` parts are followed this many levels deep (a forwarded
/// report); deeper ones are left alone.
const MAX_NESTING: usize = 4;

/// The two bytes every gzip stream starts with (RFC 1952 §2.3.1).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The media types RFC 8460 §5.3 names, then the generic ones senders use.
const GZIP_TYPES: [&str; 3] = [
    "application/tlsrpt+gzip",
    "application/gzip",
    "application/x-gzip",
];
const JSON_TYPES: [&str; 2] = ["application/tlsrpt+json", "application/json"];

/// One report found in an input: where in it (`None`: the input is the
/// report) and its JSON bytes.
#[derive(Debug)]
pub(crate) struct Found {
    pub(crate) part: Option<String>,
    pub(crate) json: Vec<u8>,
}

/// The reports in `bytes`, or what is wrong (a message naming no file: the
/// caller adds it).
pub(crate) fn reports(bytes: &[u8]) -> Result<Vec<Found>, String> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    let Some(start) = start else {
        return Err(if bytes.is_empty() {
            "the file is empty".to_owned()
        } else {
            "the file holds only white space".to_owned()
        });
    };
    let whole = |json| Ok(vec![Found { part: None, json }]);
    if bytes.starts_with(&GZIP_MAGIC) {
        return whole(gunzip(bytes)?);
    }
    if bytes[start..].starts_with(b"{") || bytes[start..].starts_with("\u{feff}".as_bytes()) {
        return whole(bytes.to_vec());
    }
    if starts_with_header(bytes) {
        return from_email(bytes);
    }
    Err("neither a TLS-RPT report (JSON), gzip data nor an e-mail".to_owned())
}

/// Inflates a gzip stream, refusing output past [`MAX_REPORT`] bytes.
fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut json = Vec::new();
    let read = GzDecoder::new(bytes)
        .take(MAX_REPORT + 1)
        .read_to_end(&mut json);
    match read {
        Ok(_) if json.len() as u64 > MAX_REPORT => Err(format!(
            "the gzip data inflates to more than {} MiB (a gzip bomb, or not a report): refused",
            MAX_REPORT >> 20
        )),
        Ok(_) => Ok(json),
        Err(err) if err.kind() == std::io::ErrorKind::UnexpectedEof => {
            Err("the gzip stream is truncated: it ends before its last block".to_owned())
        }
        Err(err) => Err(format!("the gzip data is corrupt: {err}")),
    }
}

/// The input starts with a header field (`Name: value`, RFC 5322 §2.2) or
/// an mbox `From ` line.
fn starts_with_header(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"From ") {
        return true;
    }
    let name_len = bytes
        .iter()
        .take_while(|&&b| (33..=126).contains(&b) && b != b':')
        .count();
    name_len > 0 && bytes.get(name_len) == Some(&b':')
}

/// A MIME part seen while looking for the report, for the error message.
struct Seen {
    media_type: String,
    name: Option<String>,
}

/// The reports among an e-mail's parts (attachments or the body), in
/// order.
fn from_email(bytes: &[u8]) -> Result<Vec<Found>, String> {
    let message = MessageParser::default()
        .parse(bytes)
        .ok_or("the e-mail cannot be parsed")?;
    let mut found = Vec::new();
    let mut seen = Vec::new();
    let mut errors = Vec::new();
    let mut messages = vec![(message, 0)];
    while let Some((message, depth)) = messages.pop() {
        for (index, part) in message.parts.iter().enumerate() {
            let media_type = part.content_type().map_or_else(
                // RFC 2045 §5.2: no Content-Type is text/plain.
                || "text/plain".to_owned(),
                |ct| {
                    let subtype = ct.subtype().unwrap_or_default();
                    format!("{}/{subtype}", ct.ctype()).to_ascii_lowercase()
                },
            );
            let name = part.attachment_name().map(str::to_owned);
            match &part.body {
                PartType::Multipart(_) => continue,
                PartType::Message(inner) if depth < MAX_NESTING => {
                    messages.push((inner.clone(), depth + 1));
                    continue;
                }
                _ => {}
            }
            let label = match &name {
                Some(name) => format!("part {index} ({media_type} {name:?})"),
                None => format!("part {index} ({media_type})"),
            };
            match part_report(&media_type, name.as_deref(), part.contents()) {
                Some(Ok(json)) => found.push(Found {
                    part: Some(label),
                    json,
                }),
                Some(Err(err)) => errors.push(format!("{label}: {err}")),
                None => seen.push(Seen { media_type, name }),
            }
        }
    }
    if !found.is_empty() {
        return Ok(found);
    }
    if !errors.is_empty() {
        return Err(errors.join("; "));
    }
    let parts: Vec<String> = seen
        .iter()
        .map(|seen| match &seen.name {
            Some(name) => format!("{} {name:?}", seen.media_type),
            None => seen.media_type.clone(),
        })
        .collect();
    Err(format!(
        "no TLS-RPT report in the e-mail (its parts: {}); RFC 8460 §5.3 sends it as \
         application/tlsrpt+gzip or application/tlsrpt+json",
        if parts.is_empty() {
            "none".to_owned()
        } else {
            parts.join(", ")
        }
    ))
}

/// The report JSON in one MIME part: `None` when the part is not a report
/// (by its media type, or for `application/octet-stream` by its file name).
fn part_report(
    media_type: &str,
    name: Option<&str>,
    contents: &[u8],
) -> Option<Result<Vec<u8>, String>> {
    let name = name.unwrap_or_default().to_ascii_lowercase();
    let generic = media_type == "application/octet-stream";
    let gzip = GZIP_TYPES.contains(&media_type)
        || (generic && (name.ends_with(".gz") || name.ends_with(".gzip")));
    let json = JSON_TYPES.contains(&media_type) || (generic && name.ends_with(".json"));
    if !gzip && !json {
        return None;
    }
    // The bytes decide: a report labelled JSON but gzipped (or the other
    // way round) is read as what it is.
    Some(if contents.starts_with(&GZIP_MAGIC) {
        gunzip(contents)
    } else if gzip {
        Err(format!("labelled {media_type}, but not gzip data"))
    } else {
        Ok(contents.to_vec())
    })
}
