//! The daemon's listeners: TCP and unix sockets, each accepting
//! connections while fewer than `--max-connections` are open (one more is
//! closed at once) and handing each to `connection::serve`.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, UnixListener};
use tokio::sync::Semaphore;

use super::answers::Answers;
use super::connection::{self, Limits};
use super::workers::Workers;

/// What every connection shares.
#[derive(Clone)]
pub(super) struct Shared {
    pub(super) answers: Arc<Answers>,
    pub(super) limits: Arc<Limits>,
    /// One permit per open connection.
    pub(super) connections: Arc<Semaphore>,
    pub(super) workers: Workers,
}

/// A socket that accepts connections.
pub(super) trait Listener: Send + 'static {
    /// A connection's stream, on the runtime that serves it.
    type Stream: AsyncRead + AsyncWrite + Unpin + Send + 'static;
    /// The same connection on its way from the listener's runtime to the
    /// one that serves it (see `workers.rs`).
    type Moving: Send + 'static;

    /// The next connection and a name for its peer.
    fn next(&self) -> impl Future<Output = std::io::Result<(Self::Moving, String)>> + Send;

    /// The connection, registered with the runtime this is called on.
    fn arrive(moving: Self::Moving) -> std::io::Result<Self::Stream>;
}

impl Listener for TcpListener {
    type Stream = tokio::net::TcpStream;
    type Moving = std::net::TcpStream;

    async fn next(&self) -> std::io::Result<(Self::Moving, String)> {
        let (stream, peer) = self.accept().await?;
        // Replies are small and awaited one by one.
        let _ = stream.set_nodelay(true);
        Ok((stream.into_std()?, peer.to_string()))
    }

    fn arrive(moving: Self::Moving) -> std::io::Result<Self::Stream> {
        tokio::net::TcpStream::from_std(moving)
    }
}

impl Listener for UnixListener {
    type Stream = tokio::net::UnixStream;
    type Moving = std::os::unix::net::UnixStream;

    async fn next(&self) -> std::io::Result<(Self::Moving, String)> {
        let (stream, _) = self.accept().await?;
        Ok((stream.into_std()?, "unix".to_owned()))
    }

    fn arrive(moving: Self::Moving) -> std::io::Result<Self::Stream> {
        tokio::net::UnixStream::from_std(moving)
    }
}

/// Accepts connections forever.
pub(super) async fn accept<L: Listener>(listener: L, shared: Shared) {
    loop {
        let (stream, peer) = match listener.next().await {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of file descriptors, say: wait, never spin.
                tracing::warn!(%error, "cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Ok(permit) = Arc::clone(&shared.connections).try_acquire_owned() else {
            tracing::warn!(peer, "too many connections: closed at once");
            continue;
        };
        let (answers, limits) = (Arc::clone(&shared.answers), Arc::clone(&shared.limits));
        shared.workers.next().spawn(async move {
            match L::arrive(stream) {
                Ok(stream) => connection::serve(stream, &peer, answers, &limits).await,
                Err(error) => tracing::warn!(peer, %error, "cannot serve a connection"),
            }
            drop(permit);
        });
    }
}

/// Binds a unix socket at `path`, replacing an old socket (never another
/// kind of file), with `mode`.
pub(super) fn bind_unix(path: &Path, mode: u32) -> Result<UnixListener, String> {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let shown = path.display();
    if let Ok(metadata) = std::fs::symlink_metadata(path) {
        if !metadata.file_type().is_socket() {
            return Err(format!("--unix {shown}: exists and is not a socket"));
        }
        std::fs::remove_file(path).map_err(|err| format!("--unix {shown}: {err}"))?;
    }
    let listener = UnixListener::bind(path).map_err(|err| format!("--unix {shown}: {err}"))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|err| format!("--unix {shown}: {err}"))?;
    Ok(listener)
}
