//! The SMTP reply parser of `mta-sts-net` never panics, stays within its
//! bounds and agrees with itself.
//!
//! Checked: a reply takes a prefix of the input ending in a line end, its
//! code is 200..=599 and every line has it, it has 1..=MAX_LINES lines,
//! parsing the prefix alone gives the same reply, and the reply written
//! back in canonical form (`CODE-text` CRLF …, `CODE text` CRLF) parses to
//! the same reply. An error names a line within the bound.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mta_sts_net::smtp::{MAX_LINE, MAX_LINES, parse_reply};

fuzz_target!(|input: &[u8]| {
    match parse_reply(input) {
        Ok((reply, used)) => {
            assert!(used <= input.len());
            assert_eq!(input[..used].last(), Some(&b'\n'));
            assert!((200..=599).contains(&reply.code()));
            assert!((1..=MAX_LINES).contains(&reply.lines().len()));
            assert!(reply.lines().iter().all(|line| line.len() < MAX_LINE * 3));
            assert_eq!(parse_reply(&input[..used]), Ok((reply.clone(), used)));

            let mut canonical = String::new();
            let last = reply.lines().len() - 1;
            for (index, text) in reply.lines().iter().enumerate() {
                let separator = if index == last { ' ' } else { '-' };
                canonical.push_str(&format!("{}{separator}{text}\r\n", reply.code()));
            }
            if canonical.lines().all(|line| line.len() + 2 <= MAX_LINE) {
                let (again, again_used) = parse_reply(canonical.as_bytes())
                    .unwrap_or_else(|err| panic!("canonical form {canonical:?}: {err}"));
                assert_eq!((again, again_used), (reply, canonical.len()));
            }
        }
        Err(err) => {
            assert!((1..=MAX_LINES + 1).contains(&err.line()), "{err}");
            assert!(err.to_string().starts_with("SMTP reply line "));
        }
    }
});
