//! Record selection from a TXT RRset agrees with a reference model.
//!
//! The input is split at NUL bytes into records (each decoded lossily from
//! UTF-8). The model (SEMANTICS R1–R3): strict keeps the records that begin
//! with the bytes `v=STSv1;`, lenient also those where spaces or tabs come
//! before that `;`; none left is `no-record`, more than one is
//! `multiple-records`, and exactly one gives `TxtRecord::parse_with`'s result.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mta_sts::{ParseOptions, TxtRecord};

fuzz_target!(|data: &[u8]| {
    let records: Vec<String> = data
        .split(|b| *b == 0)
        .map(|record| String::from_utf8_lossy(record).into_owned())
        .collect();
    for options in [ParseOptions::strict(), ParseOptions::lenient()] {
        let selected = TxtRecord::from_rrset_with(&records, &options);
        let sts: Vec<&String> = records
            .iter()
            .filter(|record| is_sts(record, options.is_lenient()))
            .collect();
        match sts.as_slice() {
            [] => assert_eq!(
                selected.map_err(|e| e.code()),
                Err("no-record"),
                "{records:?}"
            ),
            [one] => assert_eq!(
                selected,
                TxtRecord::parse_with(one, &options),
                "{records:?}"
            ),
            _ => assert_eq!(
                selected.map_err(|e| e.code()),
                Err("multiple-records"),
                "{records:?}"
            ),
        }
    }
});

fn is_sts(record: &str, lenient: bool) -> bool {
    match record.strip_prefix("v=STSv1") {
        Some(rest) if rest.starts_with(';') => true,
        Some(rest) if lenient => {
            let after = rest.trim_start_matches([' ', '\t']);
            after.len() < rest.len() && after.starts_with(';')
        }
        _ => false,
    }
}
