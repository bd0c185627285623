//! The socketmap codec and the Postfix reply never panic and agree with
//! themselves (SEMANTICS F8, F11).
//!
//! The input is read as a daemon reads a connection: request after request
//! from the front of the buffer, and separately as a stream of replies.
//! Checked: every message takes between 1 byte and what is left, so the
//! loop ends; `NeedMore` only while the buffer is shorter than one whole
//! frame may be; each request and reply encodes back to the bytes it came
//! from; each key gives a lookup result, and a domain's reply encodes within
//! the reply bound and decodes back to the same response.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mta_sts::postfix::socketmap::{
    decode_request, decode_response, Decoded, MAX_REPLY_LEN, MAX_REQUEST_FRAME_LEN,
};
use mta_sts::postfix::{lookup_key, reply, MapReply, PostfixVersion, ReplyOptions};
use mta_sts::{ParseOptions, Policy};

const POLICY: &str = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.Example.net.\n\
                      mx: 192.0.2.1\nmax_age: 604800\nnote: a b\n";

fuzz_target!(|data: &[u8]| {
    requests(data);
    responses(data);
});

fn requests(data: &[u8]) {
    let policy = Policy::parse_with(POLICY, &ParseOptions::lenient()).expect("a valid policy");
    let mut rest = data;
    loop {
        let consumed = match decode_request(rest) {
            Ok(Decoded::NeedMore) => {
                assert!(rest.len() < MAX_REQUEST_FRAME_LEN, "NeedMore past the bound");
                return;
            }
            Ok(Decoded::Done { value, consumed }) => {
                let mut again = Vec::new();
                value.encode(&mut again).expect("a decoded request fits");
                assert_eq!(again, &rest[..consumed], "request round trip");
                if let Ok(domain) = lookup_key(value.key()) {
                    for (version, tlsrpt) in [("3.3", false), ("3.4", false), ("3.10", true)] {
                        let version: PostfixVersion = version.parse().unwrap();
                        let options = ReplyOptions::new(version).tlsrpt(tlsrpt);
                        let answer = reply(Some(&policy), &domain, &options);
                        assert!(matches!(answer, MapReply::Policy(_)), "{answer:?}");
                        let response = answer.to_response();
                        let mut out = Vec::new();
                        response.encode(&mut out).expect("a reply within the bound");
                        assert!(out.len() <= MAX_REPLY_LEN + 8);
                        assert_eq!(
                            decode_response(&out),
                            Ok(Decoded::Done { value: response, consumed: out.len() })
                        );
                    }
                } else if let Err(reason) = lookup_key(value.key()) {
                    assert!(reason.to_string().starts_with("F8: "));
                }
                consumed
            }
            Err(err) => {
                assert!(!err.to_string().is_empty());
                match err.consumed() {
                    Some(consumed) => consumed,
                    None => return,
                }
            }
        };
        assert!(consumed >= 1 && consumed <= rest.len(), "consumed {consumed} of {}", rest.len());
        rest = &rest[consumed..];
    }
}

fn responses(data: &[u8]) {
    let mut rest = data;
    loop {
        let consumed = match decode_response(rest) {
            Ok(Decoded::NeedMore) => return,
            Ok(Decoded::Done { value, consumed }) => {
                let mut again = Vec::new();
                value.encode(&mut again).expect("a decoded reply fits");
                // `NOTFOUND` may arrive without its space or with text.
                if !matches!(value, mta_sts::postfix::socketmap::Response::NotFound) {
                    assert_eq!(again, &rest[..consumed], "reply round trip");
                }
                consumed
            }
            Err(err) => match err.consumed() {
                Some(consumed) => consumed,
                None => return,
            },
        };
        assert!(consumed >= 1 && consumed <= rest.len());
        rest = &rest[consumed..];
    }
}
