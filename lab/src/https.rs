//! The lab's policy hosts: one HTTPS server on 127.0.0.1 (tokio-rustls,
//! certificates by SNI) answering each host name as its test set it,
//! hostile behaviours included. A small HTTP/1.1 responder rather than
//! hyper: the hostile cases need byte-level control (an endless header,
//! one byte a second) that a conforming server library refuses to give.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use super::pki::Pki;

/// How a policy host answers `GET /.well-known/mta-sts.txt`.
#[derive(Clone, Debug)]
pub enum Behaviour {
    /// A response with this status, media type, body and optional
    /// `Location`.
    Serve {
        /// The status code.
        status: u16,
        /// The `Content-Type` field.
        content_type: &'static str,
        /// The body, sent whole with its `Content-Length`.
        body: Vec<u8>,
        /// A `Location` field, for redirects.
        location: Option<String>,
    },
    /// A 200 `text/plain` response whose body comes one byte a second.
    Drip(Vec<u8>),
    /// A 200 response whose body never ends.
    EndlessBody,
    /// A 200 `text/plain` response with this body, sent whole after the
    /// pause: a slow policy host whose fetch still succeeds.
    Late(Duration, Vec<u8>),
    /// A response whose header never ends.
    EndlessHeader,
}

impl Behaviour {
    /// A 200 `text/plain` response with `policy`.
    #[must_use]
    pub fn policy(policy: &str) -> Behaviour {
        Behaviour::Serve {
            status: 200,
            content_type: "text/plain",
            body: policy.as_bytes().to_vec(),
            location: None,
        }
    }

    /// A response with `status`, a short `text/plain` body.
    #[must_use]
    pub fn status(status: u16) -> Behaviour {
        Behaviour::Serve {
            status,
            content_type: "text/plain",
            body: b"no policy here\n".to_vec(),
            location: None,
        }
    }
}

/// The behaviour of each policy host and how many requests it got.
#[derive(Debug, Default)]
pub struct Web {
    behaviours: Mutex<HashMap<String, Behaviour>>,
    hits: Mutex<HashMap<String, usize>>,
}

impl Web {
    /// Makes `host` answer as `behaviour` from now on.
    pub fn set(&self, host: &str, behaviour: Behaviour) {
        self.behaviours
            .lock()
            .expect("behaviours")
            .insert(host.to_ascii_lowercase(), behaviour);
    }

    /// How many policy requests `host` has answered.
    pub fn hits(&self, host: &str) -> usize {
        self.hits
            .lock()
            .expect("hits")
            .get(host)
            .copied()
            .unwrap_or(0)
    }

    fn take(&self, host: &str, path: &str) -> Behaviour {
        *self
            .hits
            .lock()
            .expect("hits")
            .entry(host.to_owned())
            .or_default() += 1;
        let known = self
            .behaviours
            .lock()
            .expect("behaviours")
            .get(host)
            .cloned();
        match known {
            Some(behaviour) if path == "/.well-known/mta-sts.txt" => behaviour,
            _ => Behaviour::status(404),
        }
    }
}

/// Starts the server on 127.0.0.1; returns its port.
pub async fn start(web: Arc<Web>, pki: Arc<Pki>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("HTTPS listener");
    let port = listener.local_addr().expect("HTTPS address").port();
    let acceptor = TlsAcceptor::from(Arc::new(pki.server_config()));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (acceptor, web) = (acceptor.clone(), Arc::clone(&web));
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let host = tls.get_ref().1.server_name().unwrap_or_default().to_owned();
                let Some(path) = read_request(&mut tls).await else {
                    return;
                };
                let _ = respond(&mut tls, web.take(&host, &path)).await;
            });
        }
    });
    port
}

/// Reads a request head (at most 16 KiB); returns the request path.
async fn read_request<S: AsyncReadExt + Unpin>(stream: &mut S) -> Option<String> {
    let mut head = Vec::new();
    let mut buffer = [0; 1024];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 || head.len() > 16_384 {
            return None;
        }
        head.extend_from_slice(&buffer[..read]);
    }
    let line = head.split(|&byte| byte == b'\r').next()?;
    let path = line.split(|&byte| byte == b' ').nth(1)?;
    Some(String::from_utf8_lossy(path).into_owned())
}

async fn respond<S: AsyncWriteExt + Unpin>(
    stream: &mut S,
    behaviour: Behaviour,
) -> std::io::Result<()> {
    match behaviour {
        Behaviour::Serve {
            status,
            content_type,
            body,
            location,
        } => {
            let mut head = format!(
                "HTTP/1.1 {status} Lab\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            if let Some(location) = location {
                head.push_str(&format!("Location: {location}\r\n"));
            }
            head.push_str("\r\n");
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(&body).await?;
        }
        Behaviour::Drip(body) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).await?;
            for byte in body {
                stream.write_all(&[byte]).await?;
                stream.flush().await?;
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        Behaviour::Late(pause, body) => {
            tokio::time::sleep(pause).await;
            return Box::pin(respond(
                stream,
                Behaviour::policy(&String::from_utf8_lossy(&body)),
            ))
            .await;
        }
        Behaviour::EndlessBody => {
            stream
                .write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n",
                )
                .await?;
            let chunk = b"mx: endless.example\r\n".repeat(800);
            loop {
                stream.write_all(&chunk).await?;
            }
        }
        Behaviour::EndlessHeader => {
            stream.write_all(b"HTTP/1.1 200 OK\r\n").await?;
            let line = format!("X-Filler: {}\r\n", "a".repeat(1000));
            loop {
                stream.write_all(line.as_bytes()).await?;
            }
        }
    }
    stream.flush().await?;
    stream.shutdown().await
}
