//! `id-not-changed` and `id-changed-only`: the published policy compared
//! with the previously published one and their TXT ids (RFC 8461 §3.1:
//! the id must change whenever the policy does).

use super::report::CappedLints;
use super::{Context, Lint};
use crate::code::Code;
use crate::{ParseOptions, Policy, TxtRecord};

/// Appends `id-not-changed` (the policy changed, the id did not) or
/// `id-changed-only` (the id changed, the policy did not) when the context
/// carries the previous policy text and id and the current TXT record
/// (`record`, parsed by the caller), and both policies and the current
/// record parse (leniently, as senders do).
pub(crate) fn lint(
    policy: Option<&Policy>,
    record: Option<&TxtRecord>,
    context: &Context,
    out: &mut CappedLints,
) {
    let (Some(policy), Some(record), Some((previous_text, previous_id))) =
        (policy, record, context.previous_policy())
    else {
        return;
    };
    let Ok(previous) = Policy::parse_with(previous_text, &ParseOptions::lenient()) else {
        return;
    };
    let diff = previous.diff(policy);
    let id = record.id();
    if !diff.is_empty() && id == previous_id {
        let changes = diff.to_string().replace('\n', "; ");
        out.push(Lint::new(
            Code::IdNotChanged,
            None,
            format!(
                "the policy changed ({changes}) but the TXT id {id:?} did not: \
                 senders holding the old policy will not refetch it"
            ),
        ));
    } else if diff.is_empty() && id != previous_id {
        out.push(Lint::new(
            Code::IdChangedOnly,
            None,
            format!("the TXT id changed from {previous_id:?} to {id:?} but the policy did not"),
        ));
    }
}
