//! The lab's MX hosts: small SMTP servers in Rust, one behaviour per
//! loopback address, all on one port (the probe's `smtp_port`).

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use super::pki::Pki;

/// What an MX host does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mx {
    /// Offers STARTTLS; the certificate is chosen by SNI.
    Good,
    /// Answers EHLO without STARTTLS.
    NoStartTls,
    /// Greets with something that is not SMTP.
    Garbage,
    /// Greets with continuation lines that never end.
    EndlessReply,
    /// Greets with one line that never ends.
    EndlessLine,
    /// Accepts the connection and never says anything.
    Silent,
}

/// The behaviours and their addresses, 127.0.0.2 onwards.
pub const HOSTS: [(Mx, Ipv4Addr); 6] = [
    (Mx::Good, Ipv4Addr::new(127, 0, 0, 2)),
    (Mx::NoStartTls, Ipv4Addr::new(127, 0, 0, 3)),
    (Mx::Garbage, Ipv4Addr::new(127, 0, 0, 4)),
    (Mx::EndlessReply, Ipv4Addr::new(127, 0, 0, 5)),
    (Mx::EndlessLine, Ipv4Addr::new(127, 0, 0, 6)),
    (Mx::Silent, Ipv4Addr::new(127, 0, 0, 8)),
];

/// The address serving `mx`.
#[must_use]
pub fn address(mx: Mx) -> Ipv4Addr {
    HOSTS
        .iter()
        .find(|(behaviour, _)| *behaviour == mx)
        .map(|(_, address)| *address)
        .expect("every behaviour has an address")
}

/// Starts every MX host on one port; returns it.
pub async fn start(pki: Arc<Pki>) -> u16 {
    let acceptor = TlsAcceptor::from(Arc::new(pki.server_config()));
    'port: loop {
        let first = TcpListener::bind(SocketAddr::from((HOSTS[0].1, 0)))
            .await
            .expect("SMTP listener");
        let port = first.local_addr().expect("SMTP address").port();
        let mut listeners = vec![first];
        for &(_, address) in &HOSTS[1..] {
            match TcpListener::bind(SocketAddr::from((address, port))).await {
                Ok(listener) => listeners.push(listener),
                Err(_) => continue 'port,
            }
        }
        for (listener, &(mx, _)) in listeners.into_iter().zip(&HOSTS) {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let acceptor = acceptor.clone();
                    tokio::spawn(async move {
                        let _ = serve(mx, stream, acceptor).await;
                    });
                }
            });
        }
        return port;
    }
}

async fn serve(
    mx: Mx,
    stream: tokio::net::TcpStream,
    acceptor: TlsAcceptor,
) -> std::io::Result<()> {
    let mut stream = BufReader::new(stream);
    match mx {
        Mx::Garbage => {
            stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n")
                .await?;
            return stream.shutdown().await;
        }
        Mx::EndlessReply => loop {
            stream.write_all(b"220-still greeting you\r\n").await?;
        },
        Mx::EndlessLine => {
            stream.write_all(b"220 ").await?;
            let filler = [b'a'; 4096];
            loop {
                stream.write_all(&filler).await?;
            }
        }
        Mx::Silent => {
            let mut buffer = [0; 1024];
            while tokio::io::AsyncReadExt::read(&mut stream, &mut buffer).await? > 0 {}
            return Ok(());
        }
        Mx::Good | Mx::NoStartTls => {}
    }
    stream.write_all(b"220 mx.lab.test ESMTP lab\r\n").await?;
    loop {
        let Some(line) = read_line(&mut stream).await? else {
            return Ok(());
        };
        let verb = line
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" if mx == Mx::Good => {
                stream
                    .write_all(b"250-mx.lab.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
                    .await?;
            }
            "EHLO" => {
                stream
                    .write_all(b"250-mx.lab.test\r\n250 PIPELINING\r\n")
                    .await?;
            }
            "STARTTLS" if mx == Mx::Good => {
                stream.write_all(b"220 go ahead\r\n").await?;
                let tls = acceptor.accept(stream.into_inner()).await?;
                return after_tls(BufReader::new(tls)).await;
            }
            "QUIT" => {
                stream.write_all(b"221 bye\r\n").await?;
                return stream.shutdown().await;
            }
            _ => stream.write_all(b"502 not here\r\n").await?,
        }
    }
}

/// The session after the handshake: everything but QUIT is refused.
async fn after_tls<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: BufReader<S>,
) -> std::io::Result<()> {
    while let Some(line) = read_line(&mut stream).await? {
        if line.eq_ignore_ascii_case("QUIT") {
            stream.write_all(b"221 bye\r\n").await?;
            break;
        }
        stream.write_all(b"502 not in the lab\r\n").await?;
    }
    stream.shutdown().await
}

/// One command line, at most 1 KiB; `None` at the end of the stream.
async fn read_line<S: AsyncRead + Unpin>(
    stream: &mut BufReader<S>,
) -> std::io::Result<Option<String>> {
    use tokio::io::AsyncReadExt;
    let mut line = Vec::new();
    let read = (&mut *stream)
        .take(1024)
        .read_until(b'\n', &mut line)
        .await?;
    if read == 0 {
        return Ok(None);
    }
    let text = String::from_utf8_lossy(&line);
    Ok(Some(text.trim_end().to_owned()))
}
