//! Debian's `redis-server` as a shared policy cache for the tests: one
//! server per [`Redis::start`] on a free loopback port, without
//! persistence, killed when dropped (or [`stop`](Redis::stop)ped and
//! started again on the same port).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `redis-server` on 127.0.0.1.
#[derive(Debug)]
pub struct Redis {
    /// Its port.
    pub port: u16,
    child: Child,
}

impl Redis {
    /// Starts a server on a free port.
    #[must_use]
    pub fn start() -> Redis {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        Redis::start_on(port)
    }

    /// Starts a server on `port` and waits until it answers `PING`.
    #[must_use]
    pub fn start_on(port: u16) -> Redis {
        let child = Command::new("redis-server")
            .args(["--save", "", "--appendonly", "no", "--bind", "127.0.0.1"])
            .args(["--port", &port.to_string()])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server (Debian's redis-server package) starts");
        let server = Redis { port, child };
        let until = Instant::now() + Duration::from_secs(10);
        while !server.answers() {
            assert!(Instant::now() < until, "redis-server answers on {port}");
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    /// Its URL, database 0.
    #[must_use]
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// Stops the server; returns its port, for [`start_on`](Redis::start_on).
    #[must_use]
    pub fn stop(mut self) -> u16 {
        self.kill();
        self.port
    }

    fn answers(&self) -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
        let mut reply = [0; 7];
        stream.write_all(b"PING\r\n").is_ok()
            && stream.read_exact(&mut reply).is_ok()
            && &reply == b"+PONG\r\n"
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.kill();
    }
}
