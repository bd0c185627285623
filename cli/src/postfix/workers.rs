//! The runtimes connections are served on: one single-threaded tokio
//! runtime per core, each on its own thread, and accepted connections
//! handed to them in turn.
//!
//! A lookup answered from memory costs a few microseconds of work; what
//! it waits for is the scheduler. On a multi-threaded runtime a reply
//! often crosses threads (the thread that polls the sockets wakes another
//! to run the connection's task); here a connection's socket, its task
//! and its reply stay on one thread. Measured with
//! `examples/postfix_load.rs` (two connections, 2 cores): p99 63–90 µs
//! here, 128–132 µs on one multi-threaded runtime (the README's
//! performance section).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::runtime::Handle;

/// The connection runtimes (cheap to clone).
#[derive(Clone)]
pub(super) struct Workers {
    handles: Arc<[Handle]>,
    next: Arc<AtomicUsize>,
}

impl Workers {
    /// Starts `count` runtimes (at least one), each driven by a thread of
    /// its own for the rest of the process.
    pub(super) fn start(count: usize) -> Result<Workers, String> {
        let mut handles = Vec::with_capacity(count.max(1));
        for n in 0..count.max(1) {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|err| format!("cannot start a connection runtime: {err}"))?;
            handles.push(runtime.handle().clone());
            std::thread::Builder::new()
                .name(format!("connections-{n}"))
                .spawn(move || runtime.block_on(std::future::pending::<()>()))
                .map_err(|err| format!("cannot start a connection thread: {err}"))?;
        }
        Ok(Workers {
            handles: handles.into(),
            next: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// The runtime for the next connection, in turn.
    pub(super) fn next(&self) -> &Handle {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        &self.handles[n % self.handles.len()]
    }
}
