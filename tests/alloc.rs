//! Allocation counts, measured with a counting global allocator.
//!
//! X6 (`docs/SEMANTICS.md`): matching an ASCII host allocates nothing, through
//! `MxPattern::matches` and `Policy::matches` alike, for hits and misses,
//! any case, with or without the trailing dot. Parsing allocates a bounded
//! number of times that does not grow with line length: see
//! [`PARSE_BOUND`].
//!
//! The counter is per thread, so the test harness's own threads do not
//! disturb it.
#![allow(unsafe_code)] // The GlobalAlloc impl below; the library itself forbids unsafe code.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use mta_sts::{MxPattern, ParseOptions, Policy, TxtRecord};

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

/// Forwards to the system allocator, counting allocations and
/// reallocations made on the current thread.
struct Counting;

fn count() {
    // `try_with`: no panic while the thread's locals are being torn down.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every method forwards its arguments unchanged to `System`, which
// upholds the `GlobalAlloc` contract; counting touches only a const-
// initialised thread-local `Cell`, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded from our caller, who upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` through this allocator.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: `ptr` came from `System` through this allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns its result with the allocations it made.
fn allocations<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let result = f();
    let after = ALLOCATIONS.with(Cell::get);
    (result, after - before)
}

/// The allocator counts: a `String` is one allocation.
#[test]
fn the_counter_counts() {
    let (_, n) = allocations(|| std::hint::black_box(String::from("x")));
    assert_eq!(n, 1);
    let (_, n) = allocations(|| std::hint::black_box(1 + 1));
    assert_eq!(n, 0);
}

// --- Matching (SEMANTICS X6) ---

/// `(pattern, host, expected)`: literal and wildcard hits, misses, mixed
/// case, trailing dot, and invalid hosts, all ASCII.
const MATCH_ROWS: &[(&str, &str, bool)] = &[
    // literal
    ("mail.example.com", "mail.example.com", true),
    ("mail.example.com", "MAIL.Example.COM", true),
    ("mail.example.com", "mail.example.com.", true),
    ("mail.example.com", "Mail.Example.Com.", true),
    ("mail.example.com", "mail.example.net", false),
    ("mail.example.com", "mail.example.com..", false),
    // wildcard
    ("*.example.com", "mx1.example.com", true),
    ("*.example.com", "MX1.EXAMPLE.COM.", true),
    ("*.example.com", "example.com", false),
    ("*.example.com", "a.b.example.com", false),
    ("*.example.com", "mailexample.com", false),
    ("*.example.com", "_x.example.com", false),
    // invalid hosts
    ("mail.example.com", "", false),
    ("mail.example.com", ".", false),
    ("mail.example.com", "mail.example.com:25", false),
    ("*.example.com", "*.example.com", false),
];

#[test]
fn matching_an_ascii_host_allocates_nothing() {
    for &(pattern, host, expected) in MATCH_ROWS {
        let parsed: MxPattern = pattern.parse().unwrap();
        let (matched, n) = allocations(|| parsed.matches(std::hint::black_box(host)));
        assert_eq!(matched, expected, "{pattern} vs {host:?}");
        assert_eq!(
            n, 0,
            "MxPattern::matches({host:?}) on {pattern} allocated {n} times"
        );
    }
}

#[test]
fn policy_matching_an_ascii_host_allocates_nothing() {
    let policy = Policy::parse(
        "version: STSv1\nmode: enforce\nmx: backup.example.net\nmx: mail.example.com\n\
         mx: *.example.com\nmax_age: 604800\n",
    )
    .unwrap();
    let rows = [
        ("mail.example.com", true),
        ("BACKUP.example.NET.", true),
        ("mx7.Example.Com", true),
        ("a.b.example.com", false),
        ("example.com", false),
        ("evil.example.org.", false),
        ("", false),
    ];
    for (host, expected) in rows {
        let (matched, n) = allocations(|| policy.matches(std::hint::black_box(host)));
        assert_eq!(matched, expected, "{host:?}");
        assert_eq!(n, 0, "Policy::matches({host:?}) allocated {n} times");
    }
}

/// A U-label host is converted first (SEMANTICS X4), which may allocate:
/// only the ASCII path is allocation-free. This pins that the result is
/// still right.
#[test]
fn u_label_hosts_still_match() {
    let pattern: MxPattern = "*.xn--bcher-kva.example".parse().unwrap();
    assert!(pattern.matches("mx.bücher.example"));
}

// --- Parsing ---

/// The most allocations a policy parse may make (strict or lenient) for a
/// policy with `mx` pattern lines and `extensions` extension lines, however
/// long those lines are: [`PARSE_BOUND`], plus two per pattern (its text,
/// and a share of the list's growth by doubling) and three per extension
/// (name, value, a share of the growth). Measured on 0.1.0: 2 allocations
/// for one pattern, 4 for three, 28 for 16 patterns and 3 extensions.
fn parse_bound(mx: usize, extensions: usize) -> usize {
    PARSE_BOUND + 2 * mx + 3 * extensions
}

/// The constant part of [`parse_bound`]: the error-free parse of a policy
/// needs no allocation that is not a pattern, an extension or a list.
const PARSE_BOUND: usize = 4;

fn policy_text(mx: usize, label_len: usize, extensions: usize, value_len: usize) -> String {
    let mut text = String::from("version: STSv1\r\nmode: enforce\r\n");
    for i in 0..mx {
        text.push_str(&format!(
            "mx: mx{i}.{}.example.com\r\n",
            "a".repeat(label_len)
        ));
    }
    text.push_str("max_age: 604800\r\n");
    for i in 0..extensions {
        text.push_str(&format!("note{i}: {}\r\n", "v".repeat(value_len)));
    }
    text
}

#[test]
fn parsing_allocations_do_not_grow_with_line_length() {
    for options in [ParseOptions::strict(), ParseOptions::lenient()] {
        for (mx, extensions) in [(1, 0), (2, 1), (4, 2), (16, 3)] {
            let mut counts = Vec::new();
            for (label_len, value_len) in [(1, 1), (20, 200), (63, 10_000)] {
                let text = policy_text(mx, label_len, extensions, value_len);
                let (policy, n) = allocations(|| Policy::parse_with(&text, &options));
                let policy = policy.unwrap();
                assert_eq!(
                    (policy.mx().len(), policy.extensions().len()),
                    (mx, extensions)
                );
                assert!(
                    n <= parse_bound(mx, extensions),
                    "{n} allocations for {mx} mx and {extensions} extension lines \
                     (bound {}, lenient: {})",
                    parse_bound(mx, extensions),
                    options.is_lenient()
                );
                counts.push(n);
            }
            // Patterns of up to 23 bytes are kept inline, longer ones take
            // an allocation each: the count may rise once, past that
            // length, and then stays.
            assert!(
                counts[0] <= counts[1] && counts[1] == counts[2],
                "allocations grew with line length: {counts:?} ({mx} mx, {extensions} extensions)"
            );
        }
    }
}

#[test]
fn a_typical_policy_parses_in_few_allocations() {
    let text = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\n\
                mx: backupmx.example.com\nmax_age: 604800\n";
    let (policy, n) = allocations(|| Policy::parse(text));
    policy.unwrap();
    assert!(n <= parse_bound(3, 0), "{n} allocations");
    // Its patterns are short enough to be kept inline: the one allocation
    // is the list of patterns.
    assert_eq!(n, 1, "{n} allocations");
}

#[test]
fn txt_parsing_allocations_do_not_grow_with_length() {
    let mut counts = Vec::new();
    for len in [1, 32] {
        let text = format!(
            "v=STSv1; id={}; note={};",
            "a".repeat(len),
            "x".repeat(len * 10)
        );
        let (record, n) = allocations(|| TxtRecord::parse(&text));
        record.unwrap();
        counts.push(n);
    }
    assert_eq!(counts[0], counts[1], "{counts:?}");
    assert!(counts[0] <= 8, "{counts:?}");
}
