//! [`proptest`](mod@proptest) strategies for MTA-STS values, for downstream test suites.
//!
//! Enabled by the `proptest` feature. Every strategy here builds its values
//! from the grammar in the semantics reference (`docs/SEMANTICS.md`) and RFC 8461, not from this crate's
//! parser, so a test that feeds them to the parser checks the parser:
//!
//! | strategy | yields |
//! |---|---|
//! | [`mode`] | every [`Mode`] |
//! | [`host`] | valid ASCII host names, mixed case |
//! | [`mx_pattern_text`], [`mx_pattern`] | valid `mx` values (`*.` wildcards included), as text or parsed |
//! | [`matching_host`], [`non_matching_host`] | hosts that match a given pattern, and near misses that do not |
//! | [`policy`] | valid [`Policy`](crate::Policy) values |
//! | [`policy_text`] | a valid policy and a strict text for it, in varied layout |
//! | [`txt_record_text`], [`txt_record`] | valid `_mta-sts` TXT records |
//! | [`malformed_policy`] | a policy text with exactly one deviation that only lenient parsing tolerates |
//! | [`grammar_text`] | strings built from the grammar's tokens, mostly invalid, for "never panics" tests |
//!
//! # Examples
//!
//! ```
//! use mta_sts::{strategy, ParseOptions, Policy};
//! use proptest::test_runner::{Config, TestRunner};
//!
//! let mut runner = TestRunner::new(Config::with_cases(64));
//!
//! // The canonical text of any valid policy parses back to the same value.
//! runner
//!     .run(&strategy::policy(), |policy| {
//!         assert_eq!(Policy::parse(&policy.to_string()).unwrap(), policy);
//!         Ok(())
//!     })
//!     .unwrap();
//!
//! // One lenient-only deviation: strict refuses it, lenient recovers the policy.
//! runner
//!     .run(&strategy::malformed_policy(), |bad| {
//!         assert!(Policy::parse(&bad.text).is_err(), "{:?} ({})", bad.text, bad.lint);
//!         let lenient = Policy::parse_with(&bad.text, &ParseOptions::lenient()).unwrap();
//!         assert_eq!(lenient, bad.policy);
//!         Ok(())
//!     })
//!     .unwrap();
//! ```

mod host;
mod malformed;
mod policy;

use proptest::prelude::*;

use crate::Mode;

pub use host::{host, matching_host, mx_pattern, mx_pattern_text, non_matching_host};
pub use malformed::{Malformed, grammar_text, malformed_policy};
pub use policy::{policy, policy_text, txt_record, txt_record_text};

/// Every [`Mode`], equally likely.
///
/// ```
/// use mta_sts::strategy;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let mode = strategy::mode().new_tree(&mut runner).unwrap().current();
/// assert_eq!(mode.as_str().parse::<mta_sts::Mode>().unwrap(), mode);
/// ```
pub fn mode() -> impl Strategy<Value = Mode> {
    prop_oneof![Just(Mode::Enforce), Just(Mode::Testing), Just(Mode::None)]
}
