//! One client connection of the socketmap daemon: netstring requests in,
//! replies out, in order, with bounded reads and deadlines (SEMANTICS
//! F11).
//!
//! - A request may take at most `read_timeout` from its first byte to its
//!   last (a client that drips a byte a second is cut off), and a reply at
//!   most as long to write.
//! - Between requests a connection may stay idle for `idle_timeout`.
//! - At most [`MAX_REQUEST_FRAME_LEN`] bytes (plus one read) are buffered:
//!   the codec refuses a longer length after its digits.
//! - A request the codec refuses gets `PERM <reason>`; when its framing is
//!   lost (`12x`, a length like 10^12, a missing `,`) the connection is
//!   closed after that reply. A map name other than the one served gets
//!   `PERM`, and the connection goes on.

use std::sync::Arc;
use std::time::Duration;

use mta_sts::postfix::socketmap::{Decoded, MAX_REQUEST_FRAME_LEN, Response, decode_request};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::time::Instant;

use super::answers::Answers;

/// What a connection may do.
#[derive(Clone, Debug)]
pub(crate) struct Limits {
    /// The map name served (`socketmap:…:NAME`).
    pub(crate) map: Arc<str>,
    /// The time from a request's first byte to its last, and to write a
    /// reply.
    pub(crate) read_timeout: Duration,
    /// How long a connection may wait between requests.
    pub(crate) idle_timeout: Duration,
}

/// Why a connection ended, for the log.
#[derive(Debug)]
enum End {
    Closed,
    Idle,
    SlowRequest,
    SlowReader,
    Framing,
    Io(std::io::Error),
}

/// Serves one connection until the client closes it or a limit ends it.
pub(crate) async fn serve<S>(mut stream: S, peer: &str, answers: Arc<Answers>, limits: &Limits)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let end = run(&mut stream, &answers, limits).await;
    match end {
        End::Closed => tracing::debug!(peer, "connection closed by the client"),
        End::Idle => tracing::debug!(peer, "idle connection closed"),
        End::SlowRequest => tracing::info!(peer, "connection closed: request not complete in time"),
        End::SlowReader => tracing::info!(peer, "connection closed: reply not read in time"),
        End::Framing => tracing::info!(peer, "connection closed: netstring framing lost (F11)"),
        End::Io(error) => tracing::info!(peer, %error, "connection failed"),
    }
    let _ = stream.shutdown().await;
}

async fn run<S>(stream: &mut S, answers: &Arc<Answers>, limits: &Limits) -> End
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let mut buffer: Vec<u8> = Vec::with_capacity(512);
    let mut out: Vec<u8> = Vec::with_capacity(512);
    let mut chunk = [0u8; 4096];
    // When the request being read must be complete; `None` while idle.
    let mut deadline: Option<Instant> = None;
    loop {
        let mut close = false;
        // Answer every whole request in the buffer.
        loop {
            let (response, consumed) = match decode_request(&buffer) {
                Ok(Decoded::NeedMore) => break,
                Ok(Decoded::Done { value, consumed }) => {
                    let response = if value.name() == &*limits.map {
                        let answer = answers.answer(value.key()).await;
                        tracing::debug!(
                            key = value.key(),
                            reply = %answer.response,
                            reason = answer.reason.as_deref().unwrap_or(""),
                            source = ?answer.source,
                            "request"
                        );
                        answer.response
                    } else {
                        tracing::debug!(name = value.name(), "request for another map (F11)");
                        Arc::new(Response::Perm(format!(
                            "F11: no map named {} here (this daemon serves {:?})",
                            quoted(value.name()),
                            &*limits.map
                        )))
                    };
                    (response, Some(consumed))
                }
                Err(error) => {
                    tracing::debug!(%error, "malformed request (F11)");
                    (
                        Arc::new(Response::Perm(format!("F11: {error}"))),
                        error.consumed(),
                    )
                }
            };
            // Replies are short; one too long for Postfix is PERM instead.
            if response.encode(&mut out).is_err() {
                let _ = Response::Perm("F11: the reply is too long".to_owned()).encode(&mut out);
            }
            match consumed {
                Some(consumed) => {
                    buffer.drain(..consumed);
                    deadline = None;
                }
                None => {
                    close = true;
                    break;
                }
            }
        }
        if !out.is_empty() {
            let written = tokio::time::timeout(limits.read_timeout, stream.write_all(&out)).await;
            out.clear();
            match written {
                Ok(Ok(())) => {}
                Ok(Err(error)) => return End::Io(error),
                Err(_) => return End::SlowReader,
            }
        }
        if close {
            return End::Framing;
        }
        // A request has begun: it must end by its deadline.
        if !buffer.is_empty() && deadline.is_none() {
            deadline = Some(Instant::now() + limits.read_timeout);
        }
        let until = deadline.unwrap_or_else(|| Instant::now() + limits.idle_timeout);
        // The codec refuses any frame longer than this before it is whole.
        let room = (MAX_REQUEST_FRAME_LEN + 1).saturating_sub(buffer.len());
        let want = room.clamp(1, chunk.len());
        match tokio::time::timeout_at(until, stream.read(&mut chunk[..want])).await {
            Ok(Ok(0)) => return End::Closed,
            Ok(Ok(read)) => {
                if deadline.is_none() {
                    deadline = Some(Instant::now() + limits.read_timeout);
                }
                buffer.extend_from_slice(&chunk[..read]);
            }
            Ok(Err(error)) => return End::Io(error),
            Err(_) if deadline.is_some() => return End::SlowRequest,
            Err(_) => return End::Idle,
        }
    }
}

/// `text` quoted, cut after 64 characters: a map name may be 10 000
/// bytes long.
fn quoted(text: &str) -> String {
    match text.char_indices().nth(64) {
        Some((at, _)) => format!("{:?}…", &text[..at]),
        None => format!("{text:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn long_names_are_cut_in_replies() {
        assert_eq!(quoted("other"), "\"other\"");
        let long = "é".repeat(100);
        assert_eq!(quoted(&long), format!("{:?}…", "é".repeat(64)));
    }
}
