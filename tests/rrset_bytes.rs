//! TXT RRsets as resolvers return them: per record, its character-strings
//! as bytes (hickory-resolver's `TXT::txt_data()`), for STS and TLS-RPT
//! records alike.

use mta_sts::tlsrpt::TlsRptRecord;
use mta_sts::{ParseOptions, TxtRecord};

/// `Vec<Box<[u8]>>` per record, as hickory-resolver holds them.
fn rrset(records: &[&[&[u8]]]) -> Vec<Vec<Box<[u8]>>> {
    records
        .iter()
        .map(|strings| strings.iter().map(|&s| Box::from(s)).collect())
        .collect()
}

#[track_caller]
fn assert_error<T: std::fmt::Debug>(result: Result<T, mta_sts::Error>, code: &str, message: &str) {
    let err = result.unwrap_err();
    assert_eq!((err.code(), err.to_string().as_str()), (code, message));
}

#[test]
fn sts_record_strings_are_joined() {
    let strict = ParseOptions::strict();
    let record = TxtRecord::from_rrset_bytes(
        rrset(&[&[b"v=spf1 ", b"-all"], &[b"v=STSv1; id=2024", b"0101;"]]),
        &strict,
    )
    .unwrap();
    assert_eq!(record.id(), "20240101");
    // Strict selection skips `v=STSv1 ;`; lenient selection takes it.
    let spaced = rrset(&[&[b"v=STSv1 ; id=1;"]]);
    assert_error(
        TxtRecord::from_rrset_bytes(spaced.clone(), &strict),
        "no-record",
        "no TXT record begins with \"v=STSv1;\" (1 record looked at)",
    );
    let lenient = TxtRecord::from_rrset_bytes(spaced, &ParseOptions::lenient()).unwrap();
    assert_eq!(lenient.id(), "1");
}

#[test]
fn records_that_are_not_utf8() {
    let strict = ParseOptions::strict();
    // Not an STS record: ignored, whatever its bytes.
    let record =
        TxtRecord::from_rrset_bytes(rrset(&[&[b"\xff\xfe\x00"], &[b"v=STSv1; id=1;"]]), &strict)
            .unwrap();
    assert_eq!(record.id(), "1");
    // The STS record: a syntax error at the first byte that is not UTF-8
    // (columns count characters, as everywhere in the crate).
    assert_error(
        TxtRecord::from_rrset_bytes(rrset(&[&[b"v=STSv1; id=\xc3\xa9", b"\xe2\x82;"]]), &strict),
        "syntax",
        "the TXT record \"v=STSv1; id=\u{e9}\u{fffd};\" at column 14: it is not valid UTF-8 (byte 0xE2)",
    );
    // An invalid byte before the `;` keeps the record from being selected.
    assert_error(
        TxtRecord::from_rrset_bytes(rrset(&[&[b"v=STSv1\xff; id=1;"]]), &strict),
        "no-record",
        "no TXT record begins with \"v=STSv1;\" (1 record looked at)",
    );
    // Two STS records are two, even if one is not UTF-8 (R3).
    assert_error(
        TxtRecord::from_rrset_bytes(
            rrset(&[&[b"v=STSv1; id=1;"], &[b"v=STSv1; id=\xff;"]]),
            &strict,
        ),
        "multiple-records",
        "2 TXT records begin with \"v=STSv1;\" (the first is \"v=STSv1; id=1;\"): publish exactly one",
    );
}

#[test]
fn tlsrpt_record_strings_are_joined() {
    let record = TlsRptRecord::from_rrset_bytes(rrset(&[
        &[b"v=STSv1; id=1;"],
        &[
            b"v=TLSRPTv1;",
            b"rua=mailto:a@example.com,",
            b"https://r.example.com/v1",
        ],
    ]))
    .unwrap();
    let rua: Vec<&str> = record
        .rua()
        .iter()
        .map(mta_sts::tlsrpt::ReportUri::as_str)
        .collect();
    assert_eq!(rua, ["mailto:a@example.com", "https://r.example.com/v1"]);
    assert_error(
        TlsRptRecord::from_rrset_bytes(rrset(&[&[b"v=TLSRPTv1; rua=mailto:\xff@example.com"]])),
        "syntax",
        "the TXT record \"v=TLSRPTv1; rua=mailto:\u{fffd}@example.com\" at column 24: it is not valid UTF-8 (byte 0xFF)",
    );
    assert_error(
        TlsRptRecord::from_rrset_bytes(Vec::<Vec<&[u8]>>::new()),
        "no-record",
        "no TXT record begins with \"v=TLSRPTv1;\" (0 records looked at)",
    );
}

/// hickory-resolver's `TxtLookup` yields `&TXT`s whose `txt_data()` is a
/// `&[Box<[u8]>]`: borrowed slices of boxed strings work as they are.
#[test]
fn borrowed_records_as_hickory_lends_them() {
    let answer: Vec<Vec<Box<[u8]>>> = rrset(&[&[b"v=STSv1; ", b"id=7;"], &[b"v=spf1 -all"]]);
    let txt_data = answer.iter().map(Vec::as_slice);
    let record = TxtRecord::from_rrset_bytes(txt_data, &ParseOptions::strict()).unwrap();
    assert_eq!(record.id(), "7");
    let lookup = mta_sts::sender::TxtLookup::from_rrset_bytes(
        answer.iter().map(Vec::as_slice),
        &ParseOptions::lenient(),
    );
    assert_eq!(lookup.id(), Some("7"));
}
