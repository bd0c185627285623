//! The exact fix for a finding: the lines to write, worked out from the
//! policy's own lines, the TXT record given and the lint's message.

use mta_sts::lint::Lint;
use mta_sts::{MxPattern, ParseOptions};

/// The exact fix for a finding: the lines to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Fix {
    /// Write line `line` as `text`.
    Line { line: usize, text: String },
    /// Write line `line` as `text` and delete line `other`, which sets the
    /// same field; or delete line `line`.
    Either {
        line: usize,
        text: String,
        other: usize,
    },
    /// Replace line `line` with these lines.
    Replace { line: usize, lines: Vec<String> },
    /// Delete line `line`.
    Delete { line: usize },
    /// Add these lines.
    Add { lines: Vec<String> },
    /// Publish the `_mta-sts` TXT record as `record`.
    Txt { record: String },
}

/// Works out fixes from the policy's lines and the TXT record given.
pub(crate) struct Fixes<'a> {
    lines: Vec<&'a str>,
    txt: Option<&'a str>,
}

impl<'a> Fixes<'a> {
    pub(crate) fn new(text: Option<&'a str>, txt: Option<&'a str>) -> Self {
        let lines = text
            .unwrap_or_default()
            .split('\n')
            .map(|line| line.strip_suffix('\r').unwrap_or(line))
            .collect();
        Fixes { lines, txt }
    }

    /// The fix for `lint`, if there is an exact one. `lints` is the whole
    /// report: the wildcard lints share the `mx-wildcard` remedy.
    pub(super) fn of(&self, lint: &Lint, lints: &[Lint]) -> Option<Fix> {
        if is_summary(lint) {
            return None;
        }
        let message = lint.message();
        let Some(line) = lint.line() else {
            return match lint.code() {
                "mx-not-covered" => {
                    quoted_after(message, "(add ").map(|add| Fix::Add { lines: vec![add] })
                }
                // "line 2 has \"Mode\"": that line, with the key it misses.
                "missing-field" | "missing-mx" if message.contains("; line ") => {
                    let field = quoted_after(message, "missing field ")?;
                    let rest = &message[message.find("; line ")? + "; line ".len()..];
                    let line: usize = rest.split(' ').next()?.parse().ok()?;
                    let text = normalized(self.lines.get(line.checked_sub(1)?)?, Some(&field))?;
                    Some(Fix::Line { line, text })
                }
                "missing-field" if message.starts_with("missing field \"version\"") => {
                    Some(Fix::Add {
                        lines: vec!["version: STSv1".to_owned()],
                    })
                }
                "missing-field" if message.starts_with("missing field \"max_age\"") => {
                    Some(Fix::Add {
                        lines: vec!["max_age: 604800".to_owned()],
                    })
                }
                "txt-space-before-semicolon"
                | "txt-trailing-whitespace"
                | "txt-id-invalid"
                | "txt-duplicate-field"
                | "invalid-id" => self
                    .txt
                    .and_then(txt_fixed)
                    .map(|record| Fix::Txt { record }),
                "id-not-changed" => self
                    .txt
                    .and_then(|txt| txt_with_id(txt, &timestamp_id()))
                    .map(|record| Fix::Txt { record }),
                _ => None,
            };
        };
        let source = *self.lines.get(line.checked_sub(1)?)?;
        let rewrite = |text: Option<String>| text.map(|text| Fix::Line { line, text });
        match lint.code() {
            "mx-wildcard" | "mx-wildcard-own-domain" => {
                // The `mx-wildcard` explanation lists the lines when the DNS
                // MX hosts are known.
                let wildcard = lints
                    .iter()
                    .find(|other| other.code() == "mx-wildcard" && other.line() == Some(line))?;
                let lines = example_lines(wildcard.explanation());
                (!lines.is_empty()).then_some(Fix::Replace { line, lines })
            }
            "blank-line" | "invalid-line" | "duplicate-field" | "mx-duplicate"
            | "mx-pattern-unused" => Some(Fix::Delete { line }),
            "key-case" => {
                let text = normalized(source, None)?;
                let key = text.split(':').next().unwrap_or_default();
                match self.field_line(key, line) {
                    Some(other) if key != "mx" => Some(Fix::Either { line, text, other }),
                    _ => Some(Fix::Line { line, text }),
                }
            }
            "bom"
            | "leading-whitespace"
            | "space-before-colon"
            | "unicode-space"
            | "mx-trailing-dot"
            | "mx-u-label"
            | "mx-uppercase"
            | "max-age-leading-zeros" => rewrite(normalized(source, None)),
            "unknown-field" => {
                // A near miss of a known key that no other line sets.
                let key = quoted_after(message, "did you mean ")?;
                if self.field_line(&key, line).is_some() {
                    return None;
                }
                rewrite(normalized(source, Some(&key)))
            }
            "invalid-version" => rewrite(Some("version: STSv1".to_owned())),
            "invalid-mode" => {
                let (_, value) = source.split_once(':')?;
                let mode = value.trim().to_ascii_lowercase();
                let known = ["enforce", "testing", "none"].contains(&mode.as_str());
                rewrite(known.then(|| format!("mode: {mode}")))
            }
            "max-age-above-limit" => rewrite(Some(format!("max_age: {}", mta_sts::MAX_AGE_LIMIT))),
            "max-age-zero" | "max-age-short" => rewrite(Some("max_age: 604800".to_owned())),
            _ => None,
        }
    }
}

impl Fixes<'_> {
    /// The first line other than `except` that sets field `key`.
    fn field_line(&self, key: &str, except: usize) -> Option<usize> {
        let position = self.lines.iter().enumerate().position(|(i, line)| {
            i + 1 != except
                && line
                    .split_once(':')
                    .is_some_and(|(name, _)| name.trim_start_matches('\u{feff}').trim() == key)
        })?;
        Some(position + 1)
    }
}

/// Whether `lint` is the summary of a repeated finding ("… and 29900 more
/// lines like this"), which fixes nothing by itself.
pub(super) fn is_summary(lint: &Lint) -> bool {
    summarised(lint).is_some()
}

/// How many findings a summary lint stands for.
pub(super) fn summarised(lint: &Lint) -> Option<usize> {
    let rest = lint.message().strip_prefix("… and ")?;
    let (count, rest) = rest.split_once(' ')?;
    rest.starts_with("more ")
        .then(|| count.parse().ok())
        .flatten()
}

/// The text quoted (`{:?}`) right after `prefix` in `message`.
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = &message[message.find(prefix)? + prefix.len()..];
    let rest = rest.strip_prefix('"')?;
    let mut text = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(text),
            '\\' => text.push(chars.next()?),
            c => text.push(c),
        }
    }
    None
}

/// The indented example lines of an explanation (`    mx: host`).
pub(super) fn example_lines(explanation: &str) -> Vec<String> {
    explanation
        .lines()
        .filter(|line| line.starts_with("    "))
        .map(|line| line.trim().to_owned())
        .collect()
}

/// Spaces P10b lets lenient senders read as a space (SEMANTICS).
fn is_unicode_space(c: char) -> bool {
    matches!(
        c,
        '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// A policy line as strict senders want it: no BOM, plain spaces, no space
/// around the key, one space after the colon, the key in lowercase when it
/// is a known key in another case (or `key` when given), an `mx` value in
/// canonical form, `max_age` without leading zeros.
fn normalized(source: &str, key: Option<&str>) -> Option<String> {
    let source: String = source
        .trim_start_matches('\u{feff}')
        .chars()
        .map(|c| if is_unicode_space(c) { ' ' } else { c })
        .collect();
    let (name, value) = source.split_once(':')?;
    let (name, value) = (name.trim(), value.trim());
    let lower = name.to_ascii_lowercase();
    let name = match key {
        Some(key) => key,
        None if ["version", "mode", "mx", "max_age"].contains(&lower.as_str()) => &lower,
        None => name,
    };
    let value = match name {
        "mx" => MxPattern::parse_with(value, &ParseOptions::lenient())
            .ok()?
            .as_str()
            .to_owned(),
        "max_age" if value.len() > 1 && value.bytes().all(|b| b.is_ascii_digit()) => {
            let digits = value.trim_start_matches('0');
            if digits.is_empty() { "0" } else { digits }.to_owned()
        }
        _ => value.to_owned(),
    };
    Some(format!("{name}: {value}"))
}

/// The TXT record as strict senders want it: no whitespace before a `;`,
/// each field once, an id of letters and digits, a final `;`.
fn txt_fixed(record: &str) -> Option<String> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for field in record.split(';').map(str::trim).filter(|f| !f.is_empty()) {
        let (name, value) = field.split_once('=')?;
        let (name, mut value) = (name.trim().to_owned(), value.trim().to_owned());
        if name == "id" {
            value = value
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .take(32)
                .collect();
            if value.is_empty() {
                value = timestamp_id();
            }
        }
        if fields.iter().all(|(seen, _)| *seen != name) {
            fields.push((name, value));
        }
    }
    let fixed: Vec<String> = fields.iter().map(|(n, v)| format!("{n}={v};")).collect();
    Some(fixed.join(" "))
}

/// The TXT record with a new id.
fn txt_with_id(record: &str, id: &str) -> Option<String> {
    let fixed = txt_fixed(record)?;
    let fields: Vec<String> = fixed
        .split(' ')
        .map(|field| {
            if field.starts_with("id=") {
                format!("id={id};")
            } else {
                field.to_owned()
            }
        })
        .collect();
    Some(fields.join(" "))
}

/// The current UTC time as a TXT id, `20240601T120000`.
fn timestamp_id() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, secs) = (now / 86_400, now % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}",
        secs / 3_600,
        secs / 60 % 60,
        secs % 60
    )
}
