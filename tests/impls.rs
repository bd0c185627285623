//! The standard trait impls of `src/impls.rs`: hashing consistent with
//! equality, orders, string conversions and comparisons.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};

use mta_sts::lint::{self, Context, Severity};
use mta_sts::{Mode, MxPattern, Policy, TxtRecord};

fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// `a == b` implies equal hashes; the pairs here are built to differ in
/// text but be equal as values.
#[track_caller]
fn assert_equal_and_hash_alike<T: Hash + Eq + std::fmt::Debug>(a: &T, b: &T) {
    assert_eq!(a, b);
    assert_eq!(
        hash_of(a),
        hash_of(b),
        "{a:?} and {b:?} are equal but hash differently"
    );
}

// --- Hash for Policy and TxtRecord ------------------------------------------

#[test]
fn policy_hash_agrees_with_eq() {
    let crlf = Policy::parse(
        "version: STSv1\r\nmode: enforce\r\nmx: MAIL.example.com\r\nmax_age: 0604800\r\nnote: x\r\n",
    )
    .unwrap();
    let lf = Policy::parse(
        "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800\nnote: x\n",
    )
    .unwrap();
    assert_equal_and_hash_alike(&crlf, &lf);

    // Usable as a set element; different policies stay apart.
    let other = Policy::parse(
        "version: STSv1\nmode: testing\nmx: mail.example.com\nmax_age: 604800\nnote: x\n",
    )
    .unwrap();
    let set: HashSet<Policy> = [crlf, lf, other].into_iter().collect();
    assert_eq!(set.len(), 2);
}

#[test]
fn policy_hash_separates_mx_from_extensions() {
    // The same strings in different places must not collide by construction.
    let a = Policy::parse("version: STSv1\nmode: none\nmax_age: 86400\na: b\nc: d\n").unwrap();
    let b = Policy::parse("version: STSv1\nmode: none\nmax_age: 86400\nc: d\na: b\n").unwrap();
    assert_ne!(a, b);
    assert_ne!(hash_of(&a), hash_of(&b));
}

#[test]
fn txt_record_hash_agrees_with_eq() {
    let spaced = TxtRecord::parse("v=STSv1;  id=abc;  ext=1;").unwrap();
    let tight = TxtRecord::parse("v=STSv1;id=abc;ext=1").unwrap();
    assert_equal_and_hash_alike(&spaced, &tight);
    let mut seen = HashMap::new();
    seen.insert(spaced, "first");
    assert_eq!(seen.get(&tight), Some(&"first"));
    assert!(!seen.contains_key(&TxtRecord::parse("v=STSv1; id=abd;").unwrap()));
}

// --- MxPattern ----------------------------------------------------------------

#[test]
fn mx_pattern_borrows_its_canonical_text() {
    let upper: MxPattern = "MAIL.Example.com".parse().unwrap();
    let lower: MxPattern = "mail.example.com".parse().unwrap();
    assert_equal_and_hash_alike(&upper, &lower);
    // Borrow<str> soundness: the pattern hashes exactly as its text.
    assert_eq!(hash_of(&upper), hash_of("mail.example.com"));

    let set: HashSet<MxPattern> = ["*.example.net", "MAIL.example.com"]
        .into_iter()
        .map(|text| text.parse().unwrap())
        .collect();
    assert!(set.contains("mail.example.com"));
    assert!(set.contains("*.example.net"));
    // The key must be canonical: a lookup does not canonicalise it.
    assert!(!set.contains("MAIL.example.com"));

    let tree: BTreeSet<MxPattern> = set.into_iter().collect();
    assert!(tree.contains("mail.example.com"));
}

#[test]
fn mx_pattern_orders_by_canonical_text() {
    let mut patterns: Vec<MxPattern> = ["mx2.example.com", "*.example.com", "MX1.example.com"]
        .into_iter()
        .map(|text| text.parse().unwrap())
        .collect();
    patterns.sort();
    let texts: Vec<&str> = patterns.iter().map(AsRef::as_ref).collect();
    assert_eq!(
        texts,
        ["*.example.com", "mx1.example.com", "mx2.example.com"]
    );
    assert_eq!(
        patterns[1].partial_cmp(&patterns[2]),
        Some(std::cmp::Ordering::Less)
    );
}

#[test]
fn mx_pattern_string_conversions() {
    let pattern = MxPattern::try_from("Mail.Example.com").unwrap();
    assert_eq!(AsRef::<str>::as_ref(&pattern), "mail.example.com");
    assert_eq!(String::from(pattern.clone()), "mail.example.com");
    let text: String = pattern.into();
    assert_eq!(text, "mail.example.com");

    // TryFrom is strict, like FromStr.
    let err = MxPattern::try_from("mail.example.com.").unwrap_err();
    assert_eq!(err.code(), "invalid-mx");
    assert_eq!(
        MxPattern::try_from("m*.example.com").unwrap_err(),
        "m*.example.com".parse::<MxPattern>().unwrap_err()
    );
}

// --- Mode ---------------------------------------------------------------------

#[test]
fn mode_orders_strictest_first() {
    let mut modes = vec![Mode::None, Mode::Enforce, Mode::Testing];
    modes.sort();
    assert_eq!(modes, [Mode::Enforce, Mode::Testing, Mode::None]);
    assert!(Mode::Enforce < Mode::Testing && Mode::Testing < Mode::None);
    assert_eq!(Mode::Testing.max(Mode::Enforce), Mode::Testing);
}

// --- lint::Severity ---------------------------------------------------------

#[test]
fn severity_parses_what_it_displays() {
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        let text = severity.to_string();
        assert_eq!(text.parse::<Severity>().unwrap(), severity, "{text}");
    }
    for bad in ["", "Error", "warn", " info", "fatal"] {
        let err = bad.parse::<Severity>().unwrap_err();
        assert_eq!(err.code(), "syntax", "{bad:?}");
        assert_eq!(
            err.to_string(),
            format!("unknown lint severity {bad:?}: expected \"error\", \"warning\" or \"info\"")
        );
    }
}

#[cfg(feature = "serde")]
#[test]
fn severity_deserialises_what_it_serialises() {
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        let json = serde_json::to_string(&severity).unwrap();
        assert_eq!(
            serde_json::from_str::<Severity>(&json).unwrap(),
            severity,
            "{json}"
        );
    }
    let err = serde_json::from_str::<Severity>("\"Warning\"").unwrap_err();
    assert!(err.to_string().contains("unknown lint severity"), "{err}");
}

// --- lint::Report and lint::Context -----------------------------------------

#[test]
fn reports_compare_by_policy_and_lints() {
    const TEXT: &str = "version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 86400\n";
    let a = lint::check(TEXT, &Context::new());
    let b = lint::check(TEXT, &Context::new());
    assert_eq!(a, b);
    // Same policy, one more lint.
    let c = lint::check(TEXT, &Context::new().domain("example.com"));
    assert_eq!(a.policy(), c.policy());
    assert_ne!(a, c);
    // A text that does not parse has no policy.
    let broken = lint::check("version: STSv1\n", &Context::new());
    assert!(broken.policy().is_none());
    assert_ne!(a, broken);
}

#[test]
fn contexts_compare_every_input_as_given() {
    let build = || {
        Context::new()
            .domain("example.com")
            .dns_mx(["mx1.example.com"])
            .txt("v=STSv1; id=1;")
            .tls_rpt(["v=TLSRPTv1; rua=mailto:a@example.com"])
            .previous("version: STSv1\n", "0")
    };
    assert_eq!(build(), build());
    assert_eq!(Context::new(), Context::default());
    assert_ne!(build(), build().domain("Example.com"));
    assert_ne!(
        build(),
        build().dns_mx(["mx1.example.com", "mx2.example.com"])
    );
    assert_ne!(build(), build().txt("v=STSv1; id=2;"));
    assert_ne!(build(), build().tls_rpt(Vec::<String>::new()));
    assert_ne!(build(), build().previous("version: STSv1\n", "1"));
    // An empty MX list is an input; no list is none.
    assert_ne!(Context::new(), Context::new().dns_mx(Vec::<String>::new()));
}
