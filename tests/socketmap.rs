//! The socketmap codec (SEMANTICS F11): netstring framing, requests and
//! replies, partial input, bounds, garbage.

use mta_sts::postfix::socketmap::{
    DecodeErrorKind, Decoded, MAX_REPLY_LEN, MAX_REQUEST_FRAME_LEN, MAX_REQUEST_LEN, Request,
    Response, decode_request, decode_response,
};
use proptest::prelude::*;

fn encoded_request(name: &str, key: &str) -> Vec<u8> {
    let mut out = Vec::new();
    Request::new(name, key).unwrap().encode(&mut out).unwrap();
    out
}

fn encoded_response(response: &Response) -> Vec<u8> {
    let mut out = Vec::new();
    response.encode(&mut out).unwrap();
    out
}

#[test]
fn request_round_trip() {
    let bytes = encoded_request("postfix", "example.com");
    assert_eq!(bytes, b"19:postfix example.com,");
    let decoded = decode_request(&bytes).unwrap();
    assert_eq!(
        decoded,
        Decoded::Done {
            value: Request::new("postfix", "example.com").unwrap(),
            consumed: bytes.len()
        }
    );
    // The key is everything after the first space.
    let bytes = encoded_request("map", "a b c");
    let Decoded::Done { value, .. } = decode_request(&bytes).unwrap() else {
        panic!()
    };
    assert_eq!((value.name(), value.key()), ("map", "a b c"));
}

#[test]
fn request_new_refuses_what_cannot_round_trip() {
    assert!(Request::new("", "k").is_none());
    assert!(Request::new("a b", "k").is_none());
    assert!(Request::new("a", "").is_none());
}

#[test]
fn response_round_trips() {
    let cases = [
        (
            Response::Ok("secure match=mx.example.com".into()),
            &b"30:OK secure match=mx.example.com,"[..],
        ),
        (Response::NotFound, b"9:NOTFOUND ,"),
        (
            Response::Temp("fetch running".into()),
            b"18:TEMP fetch running,",
        ),
        (
            Response::Timeout("budget spent".into()),
            b"20:TIMEOUT budget spent,",
        ),
        (
            Response::Perm("bad request".into()),
            b"16:PERM bad request,",
        ),
        (Response::Ok(String::new()), b"3:OK ,"),
    ];
    for (response, wire) in cases {
        assert_eq!(encoded_response(&response), wire, "{response:?}");
        assert_eq!(
            decode_response(wire).unwrap(),
            Decoded::Done {
                value: response.clone(),
                consumed: wire.len()
            },
            "{response:?}"
        );
    }
    // NOTFOUND without its space, as some servers send it.
    assert_eq!(
        decode_response(b"8:NOTFOUND,").unwrap(),
        Decoded::Done {
            value: Response::NotFound,
            consumed: 11
        }
    );
}

#[test]
fn every_prefix_needs_more() {
    let bytes = encoded_request("postfix", "example.com");
    for end in 0..bytes.len() {
        assert_eq!(
            decode_request(&bytes[..end]),
            Ok(Decoded::NeedMore),
            "prefix of {end} bytes"
        );
    }
    let bytes = encoded_response(&Response::Temp("x".into()));
    for end in 0..bytes.len() {
        assert_eq!(
            decode_response(&bytes[..end]),
            Ok(Decoded::NeedMore),
            "prefix of {end} bytes"
        );
    }
}

#[test]
fn two_requests_in_one_buffer() {
    let mut bytes = encoded_request("postfix", "a.example");
    let first = bytes.len();
    bytes.extend(encoded_request("postfix", "b.example"));
    bytes.extend(b"5:pos");
    let Decoded::Done { value, consumed } = decode_request(&bytes).unwrap() else {
        panic!()
    };
    assert_eq!((value.key(), consumed), ("a.example", first));
    let rest = &bytes[consumed..];
    let Decoded::Done { value, consumed } = decode_request(rest).unwrap() else {
        panic!()
    };
    assert_eq!(value.key(), "b.example");
    assert_eq!(decode_request(&rest[consumed..]), Ok(Decoded::NeedMore));
}

#[test]
fn huge_lengths_are_refused_after_a_bounded_read() {
    for wire in [
        &b"1000000000000:postfix example.com,"[..],
        b"1000000000000",
        b"999999999999999999999999999999999999",
        b"10001:",
        b"100000",
        b"99999:",
    ] {
        let err = decode_request(wire).unwrap_err();
        assert_eq!(err.kind(), DecodeErrorKind::LengthAboveLimit, "{wire:?}");
        assert_eq!(err.consumed(), None, "{wire:?}: framing lost");
    }
    // The bound itself is fine: a request of exactly MAX_REQUEST_LEN bytes.
    let key = "k".repeat(MAX_REQUEST_LEN - "postfix ".len());
    let bytes = encoded_request("postfix", &key);
    assert_eq!(bytes.len(), MAX_REQUEST_FRAME_LEN);
    assert!(matches!(decode_request(&bytes), Ok(Decoded::Done { .. })));
    assert_eq!(
        decode_request(&bytes[..bytes.len() - 1]),
        Ok(Decoded::NeedMore)
    );
    // Replies have the larger bound.
    assert_eq!(decode_response(b"100000:OK "), Ok(Decoded::NeedMore));
    assert_eq!(
        decode_response(b"100001:").unwrap_err().kind(),
        DecodeErrorKind::LengthAboveLimit
    );
}

#[test]
fn malformed_framing_is_refused() {
    let cases: &[(&[u8], DecodeErrorKind)] = &[
        (b"abc", DecodeErrorKind::LengthNotANumber),
        (b":", DecodeErrorKind::LengthNotANumber),
        (b"-1:", DecodeErrorKind::LengthNotANumber),
        (b"+1:a,", DecodeErrorKind::LengthNotANumber),
        (b" 1:a,", DecodeErrorKind::LengthNotANumber),
        (b"01:a,", DecodeErrorKind::LengthLeadingZero),
        (b"00:", DecodeErrorKind::LengthLeadingZero),
        (b"3;abc,", DecodeErrorKind::MissingColon),
        (b"3 :abc,", DecodeErrorKind::MissingColon),
        (b"3:abc;", DecodeErrorKind::MissingComma),
        (b"3:abcd,", DecodeErrorKind::MissingComma),
        (b"\xff\xfe", DecodeErrorKind::LengthNotANumber),
    ];
    for (wire, kind) in cases {
        let err = decode_request(wire).unwrap_err();
        assert_eq!((err.kind(), err.consumed()), (*kind, None), "{wire:?}");
        assert!(!err.to_string().is_empty());
        let err = decode_response(wire).unwrap_err();
        assert_eq!(err.kind(), *kind, "reply {wire:?}");
    }
}

#[test]
fn bad_payloads_keep_the_framing() {
    let cases: &[(&[u8], DecodeErrorKind)] = &[
        (b"0:,", DecodeErrorKind::NotNameKey),
        (b"7:postfix,", DecodeErrorKind::NotNameKey),
        (b"8:postfix ,", DecodeErrorKind::NotNameKey),
        (b"8: postfix,", DecodeErrorKind::NotNameKey),
        (b"4:a \xff\xfe,", DecodeErrorKind::NotUtf8),
    ];
    for (wire, kind) in cases {
        let err = decode_request(wire).unwrap_err();
        assert_eq!(
            (err.kind(), err.consumed()),
            (*kind, Some(wire.len())),
            "{wire:?}"
        );
    }
    let err = decode_response(b"6:MAYBE ,").unwrap_err();
    assert_eq!(
        (err.kind(), err.consumed()),
        (DecodeErrorKind::UnknownStatus, Some(9))
    );
    let err = decode_response(b"2:ok,").unwrap_err();
    assert_eq!(
        err.kind(),
        DecodeErrorKind::UnknownStatus,
        "status words are upper case"
    );
}

#[test]
fn encoding_is_bounded() {
    let fits = Response::Ok("x".repeat(MAX_REPLY_LEN - 3));
    let bytes = encoded_response(&fits);
    assert_eq!(
        decode_response(&bytes).unwrap(),
        Decoded::Done {
            value: fits,
            consumed: bytes.len()
        }
    );

    let mut out = b"keep".to_vec();
    let err = Response::Ok("x".repeat(MAX_REPLY_LEN - 2))
        .encode(&mut out)
        .unwrap_err();
    assert_eq!(out, b"keep", "nothing written for a refused reply");
    assert!(err.to_string().contains("100000"), "{err}");

    let key = "k".repeat(MAX_REQUEST_LEN);
    assert!(
        Request::new("postfix", &key)
            .unwrap()
            .encode(&mut out)
            .is_err()
    );
    assert_eq!(out, b"keep");
}

fn response() -> impl Strategy<Value = Response> {
    let text = ".{0,40}";
    prop_oneof![
        text.prop_map(Response::Ok),
        Just(Response::NotFound),
        text.prop_map(Response::Temp),
        text.prop_map(Response::Timeout),
        text.prop_map(Response::Perm),
    ]
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        for result in [decode_request(&bytes).map(|d| match d {
            Decoded::NeedMore => None,
            Decoded::Done { consumed, .. } => Some(consumed),
        }), decode_response(&bytes).map(|d| match d {
            Decoded::NeedMore => None,
            Decoded::Done { consumed, .. } => Some(consumed),
        })] {
            match result {
                Ok(Some(consumed)) => prop_assert!(consumed <= bytes.len()),
                Ok(None) => prop_assert!(bytes.len() < MAX_REQUEST_FRAME_LEN + 8),
                Err(err) => prop_assert!(err.consumed().is_none_or(|n| n <= bytes.len())),
            }
        }
    }

    #[test]
    fn netstring_shaped_bytes_never_panic(
        len in 0usize..20,
        payload in proptest::collection::vec(any::<u8>(), 0..24),
        end in any::<u8>(),
    ) {
        let mut bytes = format!("{len}:").into_bytes();
        bytes.extend(&payload);
        bytes.push(end);
        let _ = decode_request(&bytes);
        let _ = decode_response(&bytes);
    }

    #[test]
    fn responses_round_trip(response in response(), tail in proptest::collection::vec(any::<u8>(), 0..8)) {
        let mut bytes = encoded_response(&response);
        let len = bytes.len();
        bytes.extend(&tail);
        prop_assert_eq!(decode_response(&bytes), Ok(Decoded::Done { value: response, consumed: len }));
    }

    #[test]
    fn requests_round_trip(name in "[a-z_]{1,12}", key in "[^\u{0}]{1,40}") {
        let bytes = encoded_request(&name, &key);
        let decoded = decode_request(&bytes).unwrap();
        prop_assert_eq!(decoded, Decoded::Done { value: Request::new(&name, &key).unwrap(), consumed: bytes.len() });
        for end in 0..bytes.len() {
            prop_assert_eq!(decode_request(&bytes[..end]), Ok(Decoded::NeedMore));
        }
    }
}
