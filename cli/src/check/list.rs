//! The domains to check, in input order: the DOMAIN arguments, then each
//! `--from` list (a file, or `-` for standard input) read one line at a
//! time, so that a list of any length is never held whole. In a list,
//! blank lines and `#` comments (whole-line or after a domain) are
//! skipped; a line that is not a domain name becomes
//! [`Input::NotADomain`], naming `FILE:LINE`, and the rest go on.

use std::fmt;
use std::io::{BufRead, BufReader};
use std::sync::Arc;

use mta_sts::sender::PolicyDomain;

/// A list line is read up to this many bytes (a domain name has at most
/// 253); the rest of a longer line is skipped, and the line is reported as
/// not a domain name.
pub(crate) const MAX_LINE: usize = 1024;

/// Where an input came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The n-th DOMAIN argument (from 1).
    Argument(usize),
    /// A line of a `--from` list (`-` is standard input), from 1.
    Line { file: Arc<str>, line: usize },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Argument(n) => write!(f, "argument {n}"),
            Origin::Line { file, line } if &**file == "-" => write!(f, "<stdin>:{line}"),
            Origin::Line { file, line } => write!(f, "{file}:{line}"),
        }
    }
}

/// One input: a domain to check, a line that is not a domain name, or a
/// list that cannot be read (further).
#[derive(Debug)]
pub(crate) enum Input {
    /// A domain name, as written.
    Domain { origin: Origin, domain: String },
    /// Text that is not a domain name, and why.
    NotADomain {
        origin: Origin,
        text: String,
        reason: String,
    },
    /// A `--from` list that cannot be read, or not to its end.
    Unreadable { file: Arc<str>, reason: String },
}

/// The inputs of one run, read as they are needed.
pub(crate) struct Inputs {
    arguments: std::iter::Enumerate<std::vec::IntoIter<String>>,
    lists: std::vec::IntoIter<String>,
    current: Option<List>,
}

impl Inputs {
    /// The `domains` arguments first, then the lines of each of `lists`.
    pub(crate) fn new(domains: Vec<String>, lists: Vec<String>) -> Inputs {
        Inputs {
            arguments: domains.into_iter().enumerate(),
            lists: lists.into_iter(),
            current: None,
        }
    }
}

impl Iterator for Inputs {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        if let Some((index, text)) = self.arguments.next() {
            return Some(classify(Origin::Argument(index + 1), &text));
        }
        loop {
            if let Some(list) = &mut self.current {
                match list.next() {
                    Some(input) => return Some(input),
                    None => self.current = None,
                }
            }
            let file = self.lists.next()?;
            match List::open(&file) {
                Ok(list) => self.current = Some(list),
                Err(input) => return Some(input),
            }
        }
    }
}

/// A domain, or why `text` is not one (nothing else is looked at: a
/// domain name that does not exist is found out by the check).
fn classify(origin: Origin, text: &str) -> Input {
    match PolicyDomain::new(text) {
        Ok(_) => Input::Domain {
            origin,
            domain: text.to_owned(),
        },
        Err(err) => Input::NotADomain {
            origin,
            text: text.to_owned(),
            reason: format!("not a domain name: {err}"),
        },
    }
}

/// One `--from` list, read a line at a time.
struct List {
    file: Arc<str>,
    reader: Box<dyn BufRead + Send>,
    line: usize,
    buffer: Vec<u8>,
    done: bool,
}

impl List {
    /// Opens `file` (`-`: standard input); `Err` is the input that says
    /// why it cannot be read.
    fn open(file: &str) -> Result<List, Input> {
        let reader: Box<dyn BufRead + Send> = if file == "-" {
            Box::new(BufReader::new(std::io::stdin()))
        } else if std::path::Path::new(file).is_dir() {
            return Err(unreadable(file, "it is a directory"));
        } else {
            match std::fs::File::open(file) {
                Ok(opened) => Box::new(BufReader::new(opened)),
                Err(err) => return Err(unreadable(file, &err.to_string())),
            }
        };
        Ok(List {
            file: file.into(),
            reader,
            line: 0,
            buffer: Vec::with_capacity(MAX_LINE),
            done: false,
        })
    }

    /// The next line's input, skipping blank lines and comments.
    fn next(&mut self) -> Option<Input> {
        while !self.done {
            let whole = match read_line(&mut self.reader, &mut self.buffer) {
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Ok(Some(whole)) => whole,
                Err(err) => {
                    self.done = true;
                    let reason = format!("after line {}: {err}", self.line);
                    return Some(unreadable(&self.file, &reason));
                }
            };
            self.line += 1;
            let origin = Origin::Line {
                file: Arc::clone(&self.file),
                line: self.line,
            };
            let text = String::from_utf8_lossy(&self.buffer);
            let entry = text.split('#').next().unwrap_or_default().trim();
            // Blank lines and comments, however long, are skipped.
            if entry.is_empty() {
                continue;
            }
            if !whole {
                return Some(Input::NotADomain {
                    origin,
                    text: entry.chars().take(40).collect::<String>() + "…",
                    reason: format!("not a domain name: a line longer than {MAX_LINE} bytes"),
                });
            }
            return Some(classify(origin, entry));
        }
        None
    }
}

/// The input that says `file` cannot be read, and why.
fn unreadable(file: &str, reason: &str) -> Input {
    Input::Unreadable {
        file: file.into(),
        reason: reason.to_owned(),
    }
}

/// Reads one line into `buffer` (without its end of line), keeping at most
/// [`MAX_LINE`] bytes and skipping the rest: `Some(true)` a whole line,
/// `Some(false)` a line cut short, `None` at the end of the input.
fn read_line(reader: &mut impl BufRead, buffer: &mut Vec<u8>) -> std::io::Result<Option<bool>> {
    buffer.clear();
    let mut whole = true;
    let mut any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            return Ok(any.then_some(whole));
        }
        any = true;
        let (part, used, end) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (&available[..at], at + 1, true),
            None => (available, available.len(), false),
        };
        let room = MAX_LINE - buffer.len();
        if part.len() > room {
            whole = false;
        }
        buffer.extend_from_slice(&part[..part.len().min(room)]);
        reader.consume(used);
        if end {
            if buffer.last() == Some(&b'\r') {
                buffer.pop();
            }
            return Ok(Some(whole));
        }
    }
}

/// How many inputs a run over `domains` and `lists` gives (for the
/// progress bar's length): the lists are read once ahead, by the same
/// reader; `None` when one is standard input, which can be read once only.
pub(crate) fn count(domains: &[String], lists: &[String]) -> Option<u64> {
    if lists.iter().any(|file| file == "-") {
        return None;
    }
    Some(Inputs::new(domains.to_vec(), lists.to_vec()).count() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines of `text` read with [`read_line`]: (text, whole).
    fn lines(text: &[u8]) -> Vec<(String, bool)> {
        let mut reader = text;
        let mut buffer = Vec::new();
        let mut lines = Vec::new();
        while let Some(whole) = read_line(&mut reader, &mut buffer).expect("read") {
            lines.push((String::from_utf8_lossy(&buffer).into_owned(), whole));
        }
        lines
    }

    #[test]
    fn lines_end_at_lf_or_crlf_and_the_last_needs_no_end() {
        assert_eq!(
            lines(b"a\r\nb\n\nc"),
            [
                ("a".to_owned(), true),
                ("b".to_owned(), true),
                (String::new(), true),
                ("c".to_owned(), true)
            ]
        );
        assert!(lines(b"").is_empty());
    }

    #[test]
    fn a_long_line_is_cut_at_the_bound_and_the_next_is_whole() {
        let mut text = vec![b'x'; MAX_LINE * 3];
        text.extend_from_slice(b"\nnext\n");
        let lines = lines(&text);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].0.len(), MAX_LINE);
        assert!(!lines[0].1);
        assert_eq!(lines[1], ("next".to_owned(), true));
    }

    #[test]
    fn count_is_the_inputs_a_run_gives() {
        let file = std::env::temp_dir().join(format!("mta-sts-count-{}.txt", std::process::id()));
        let long_comment = format!("# {}\n", "x".repeat(2 * MAX_LINE));
        let text = format!("# domains\na.test\n\n{long_comment}not a domain # junk\n");
        std::fs::write(&file, text).expect("written");
        let file = file.to_str().expect("UTF-8").to_owned();
        let lists = [file.clone(), "/nonexistent/list".to_owned(), "/".to_owned()];
        let domains = ["b.test".to_owned()];
        // b.test, a.test, the junk line, two unreadable lists.
        assert_eq!(count(&domains, &lists), Some(5));
        let inputs = Inputs::new(domains.to_vec(), lists.to_vec()).count();
        assert_eq!(inputs, 5);
        assert_eq!(count(&domains, &[file.clone(), "-".to_owned()]), None);
        std::fs::remove_file(&file).expect("removed");
    }

    #[test]
    fn origins_name_the_argument_or_the_file_and_line() {
        assert_eq!(Origin::Argument(2).to_string(), "argument 2");
        let line = Origin::Line {
            file: "list.txt".into(),
            line: 7,
        };
        assert_eq!(line.to_string(), "list.txt:7");
        let stdin = Origin::Line {
            file: "-".into(),
            line: 1,
        };
        assert_eq!(stdin.to_string(), "<stdin>:1");
    }
}
