//! Running the checks: at most `jobs` at once on one thread (the work is
//! waiting on the network), their results handed on in input order, and
//! Ctrl-C. The inputs are read on a thread of their own, a few ahead, so
//! that a list that comes slowly (a pipe) never holds up the checks
//! already running, nor Ctrl-C.
//!
//! Order and memory: a result that finishes before those above it waits
//! in a window of at most [`WINDOW_PER_JOB`] × `jobs` inputs; when the
//! window is full (a slow domain at its top), no new check starts until
//! that domain is done. So the inputs are read as they are needed and at
//! most the window's results are held, whatever the length of the list.
//!
//! Ctrl-C (SIGINT): no new check starts, the running ones are abandoned
//! at once (a check can take a minute: the policy fetch's budget), the
//! results already finished are handed on (still in input order, with
//! gaps where checks were abandoned), and [`Ended::Interrupted`] says how
//! many were abandoned.

use std::collections::{BTreeMap, HashMap};
use std::pin::pin;
use std::sync::Arc;

use mta_sts_net::Config;
use tokio::sync::mpsc::Receiver;
use tokio::task::{Id, JoinSet};

use super::domain::Checked;
use super::list::{Input, Origin};

/// A finished result waits for those above it among at most this many
/// inputs per job.
pub(crate) const WINDOW_PER_JOB: usize = 16;

/// How a run ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Ended {
    /// Every input was handed on.
    Done,
    /// Ctrl-C: this many running checks were abandoned.
    Interrupted { abandoned: usize },
}

/// How many inputs the reading thread may read ahead.
const READ_AHEAD: usize = 64;

/// Checks each of `inputs`, at most `jobs` at once, and hands each result
/// to `sink` in input order; stops at the first error of `sink`.
pub(crate) async fn check_all<E>(
    inputs: impl Iterator<Item = Input> + Send + 'static,
    jobs: usize,
    config: Arc<Config>,
    mut sink: impl FnMut(Checked) -> Result<(), E>,
) -> Result<Ended, E> {
    let window = jobs.saturating_mul(WINDOW_PER_JOB);
    let mut inputs = read_ahead(inputs);
    let mut exhausted = false;
    let mut running = JoinSet::new();
    // The input of each running check: its index, where it came from and
    // the domain (for a check that panics).
    let mut started: HashMap<Id, (usize, Origin, String)> = HashMap::new();
    let mut finished: BTreeMap<usize, Checked> = BTreeMap::new();
    let (mut read, mut handed_on) = (0_usize, 0_usize);
    let mut interrupt = pin!(tokio::signal::ctrl_c());
    let mut can_interrupt = true;
    loop {
        while let Some(checked) = finished.remove(&handed_on) {
            sink(checked)?;
            handed_on += 1;
        }
        if exhausted && running.is_empty() {
            return Ok(Ended::Done);
        }
        // With nothing running, everything read is handed on: the window
        // is empty and a new input can always start.
        let can_start = !exhausted && running.len() < jobs && read - handed_on < window;
        tokio::select! {
            biased;
            signal = &mut interrupt, if can_interrupt => {
                if signal.is_err() {
                    // No SIGINT handler: Ctrl-C ends the process as usual.
                    can_interrupt = false;
                    continue;
                }
                let abandoned = running.len();
                running.abort_all();
                for checked in std::mem::take(&mut finished).into_values() {
                    sink(checked)?;
                }
                return Ok(Ended::Interrupted { abandoned });
            }
            Some(joined) = running.join_next_with_id(), if !running.is_empty() => {
                let (id, checked) = match joined {
                    Ok((id, checked)) => (id, Some(checked)),
                    Err(err) => (err.id(), None),
                };
                if let Some((index, origin, domain)) = started.remove(&id) {
                    let checked = checked.unwrap_or_else(|| Checked::failed(origin, domain));
                    finished.insert(index, checked);
                }
            }
            input = inputs.recv(), if can_start => {
                let Some(input) = input else {
                    exhausted = true;
                    continue;
                };
                let index = read;
                read += 1;
                match Checked::without_check(input) {
                    Ok(checked) => {
                        finished.insert(index, checked);
                    }
                    Err((origin, domain)) => {
                        let (task_origin, task_domain) = (origin.clone(), domain.clone());
                        let config = Arc::clone(&config);
                        let handle = running.spawn(async move {
                            Checked::check(task_origin, task_domain, &config).await
                        });
                        started.insert(handle.id(), (index, origin, domain));
                    }
                }
            }
        }
    }
}

/// The inputs, read on a thread of their own at most [`READ_AHEAD`] ahead;
/// the thread ends at the end of the inputs or when the receiver is gone.
fn read_ahead(inputs: impl Iterator<Item = Input> + Send + 'static) -> Receiver<Input> {
    let (sender, receiver) = tokio::sync::mpsc::channel(READ_AHEAD);
    std::thread::spawn(move || {
        for input in inputs {
            if sender.blocking_send(input).is_err() {
                break;
            }
        }
    });
    receiver
}
