//! A recording socketmap proxy: it passes every connection on to a
//! socketmap daemon and keeps each request's `NAME KEY`, so that a test
//! sees exactly what Postfix asked (the lookup key Postfix derives from a
//! next hop is Postfix's choice, not the daemon's).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use mta_sts::postfix::socketmap::{Decoded, MAX_REQUEST_FRAME_LEN, decode_request};

/// A running proxy.
#[derive(Debug)]
pub struct Recorder {
    address: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    /// Listens on 127.0.0.1 and passes each connection on to `daemon`.
    #[must_use]
    pub fn start(daemon: SocketAddr) -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").expect("socketmap proxy listener");
        let address = listener.local_addr().expect("socketmap proxy address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(daemon) else {
                    continue;
                };
                let recorded = Arc::clone(&recorded);
                let (Ok(client_reader), Ok(server_writer)) =
                    (client.try_clone(), server.try_clone())
                else {
                    continue;
                };
                std::thread::spawn(move || copy(server, client));
                std::thread::spawn(move || requests_to(client_reader, server_writer, &recorded));
            }
        });
        Recorder { address, requests }
    }

    /// Where Postfix should connect.
    #[must_use]
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Every request so far, as `NAME KEY`, in arrival order.
    #[must_use]
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("requests").clone()
    }
}

/// Copies replies back to the client until either side closes.
fn copy(mut from: TcpStream, mut to: TcpStream) {
    let _ = std::io::copy(&mut from, &mut to);
    let _ = to.shutdown(std::net::Shutdown::Both);
}

/// Copies requests to the daemon, recording each; a stream that is not
/// netstrings is still passed on, no longer recorded.
fn requests_to(mut from: TcpStream, mut to: TcpStream, recorded: &Mutex<Vec<String>>) {
    let mut pending = Vec::new();
    let mut buffer = [0; 4096];
    while let Ok(read) = from.read(&mut buffer) {
        if read == 0 || to.write_all(&buffer[..read]).is_err() {
            break;
        }
        if pending.len() <= MAX_REQUEST_FRAME_LEN {
            pending.extend_from_slice(&buffer[..read]);
        }
        while let Ok(Decoded::Done { value, consumed }) = decode_request(&pending) {
            let request = format!("{} {}", value.name(), value.key());
            recorded.lock().expect("requests").push(request);
            pending.drain(..consumed);
        }
    }
    let _ = to.shutdown(std::net::Shutdown::Both);
}
