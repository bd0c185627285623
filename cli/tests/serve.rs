//! `mta-sts postfix serve`, end to end: the daemon run as a process
//! against the lab's DNS and HTTPS servers, asked over TCP and a unix
//! socket as Postfix's socketmap client asks (SEMANTICS F1–F12).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;

use common::ca_file;
use mta_sts::postfix::socketmap::{Decoded, Request, Response, decode_response};
use mta_sts_lab::{Behaviour, Mx, enforce, lab, policy};

/// A file name in the temporary directory, unique to this process.
fn temp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("mta-sts-serve-{}-{name}", std::process::id()))
}

/// A running daemon; killed when dropped.
struct Daemon {
    child: Child,
    tcp: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
}

impl Daemon {
    /// Starts the daemon on the lab (its DNS server unless `args` give
    /// `--resolver`, a 3 s budget for DNS and fetches unless they give
    /// `--timeout`) on a free TCP port, with `args`.
    fn start(args: &[&str]) -> Daemon {
        let lab = lab();
        let mut command = Command::new(env!("CARGO_BIN_EXE_mta-sts"));
        command.args(["postfix", "serve", "--listen", "127.0.0.1:0"]);
        command.args(["--log-format", "json"]);
        if !args.contains(&"--resolver") {
            command.args(["--resolver", &lab.dns.to_string()]);
        }
        if !args.contains(&"--timeout") {
            command.args(["--timeout", "3"]);
        }
        command
            .args(["--https-port", &lab.https_port.to_string()])
            .arg("--ca")
            .arg(ca_file())
            .args(args)
            .env("RUST_LOG", "info,mta_sts=debug")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("mta-sts runs");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (sender, receiver) = mpsc::channel();
        let lines = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if let Ok(event) = serde_json::from_str::<serde_json::Value>(&line)
                    && event["message"] == "listening on TCP"
                {
                    let address = event["address"].as_str().unwrap_or_default();
                    let _ = sender.send(address.parse::<SocketAddr>().expect("an address"));
                }
                lines.lock().unwrap().push(line);
            }
        });
        let tcp = receiver
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("the daemon did not listen: {:?}", log.lock().unwrap()));
        Daemon { child, tcp, log }
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.tcp).expect("connected");
        stream
            .set_read_timeout(Some(Duration::from_secs(15)))
            .unwrap();
        stream
    }

    /// One request on a new connection.
    fn query(&self, key: &str) -> Response {
        query(&mut self.connect(), "postfix", key)
    }

    /// SIGTERM, then waits for the exit; returns the exit code.
    fn stop(mut self) -> Option<i32> {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        self.child.wait().expect("the daemon ends").code()
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Whether the log holds `needle` within 10 s (a thread reads it).
    fn logged(&self, needle: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.log().contains(needle) {
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        true
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends one request and reads one reply.
fn query<S: Read + Write>(stream: &mut S, name: &str, key: &str) -> Response {
    let mut out = Vec::new();
    Request::new(name, key)
        .expect("a request")
        .encode(&mut out)
        .unwrap();
    stream.write_all(&out).expect("request sent");
    read_reply(stream).expect("a reply")
}

/// Reads one reply; `None` when the connection closes first.
fn read_reply<S: Read>(stream: &mut S) -> Option<Response> {
    let mut buffer = Vec::new();
    let mut byte = [0u8; 1];
    loop {
        match decode_response(&buffer).expect("a well-formed reply") {
            Decoded::Done { value, .. } => return Some(value),
            Decoded::NeedMore => {}
        }
        match stream.read(&mut byte) {
            Ok(0) | Err(_) => return None,
            Ok(_) => buffer.push(byte[0]),
        }
    }
}

/// Whether the peer closes the connection (a read returns end of file,
/// or the connection is reset) within `within`.
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut byte = [0u8; 1];
    match stream.read(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(err) => err.kind() == std::io::ErrorKind::ConnectionReset,
    }
}

fn ok(text: &str) -> Response {
    Response::Ok(text.to_owned())
}

#[test]
fn modes_and_keys_over_tcp_and_a_unix_socket() {
    let lab = lab();
    lab.publish(
        "enforce.serve.test",
        &["v=STSv1; id=1;"],
        Behaviour::policy(&enforce(&["MX.enforce.serve.test", "192.0.2.1"], 86_400)),
        &[("mx.enforce.serve.test", Mx::Good)],
    );
    for mode in ["testing", "none"] {
        let domain = format!("{mode}.serve.test");
        let mx = format!("mx.{domain}");
        lab.publish(
            &domain,
            &["v=STSv1; id=1;"],
            Behaviour::policy(&policy(mode, &[&mx], 86_400)),
            &[(&mx, Mx::Good)],
        );
    }
    lab.publish(
        "norecord.serve.test",
        &[],
        Behaviour::status(404),
        &[("mx.norecord.serve.test", Mx::Good)],
    );
    let socket = temp_path("modes.sock");
    let daemon = Daemon::start(&["--unix", socket.to_str().unwrap()]);

    // F1, F3, F4: enforce gives secure with the names, never the address.
    let secure = ok("secure match=mx.enforce.serve.test servername=hostname");
    assert_eq!(daemon.query("enforce.serve.test"), secure);
    // F8: case, a trailing dot and a port name the same domain.
    assert_eq!(daemon.query("Enforce.Serve.Test.:25"), secure);
    // F2: testing, none and no record are NOTFOUND.
    for domain in [
        "testing.serve.test",
        "none.serve.test",
        "norecord.serve.test",
    ] {
        assert_eq!(daemon.query(domain), Response::NotFound, "{domain}");
    }
    // F8: keys that are no Policy Domain, answered without a lookup.
    for key in [
        "exa mple.com",
        "[192.0.2.1]:25",
        ".enforce.serve.test",
        "192.0.2.1",
    ] {
        assert_eq!(daemon.query(key), Response::NotFound, "{key}");
    }
    // F11: another map name is PERM, and the connection goes on.
    let mut stream = daemon.connect();
    let Response::Perm(reason) = query(&mut stream, "other", "enforce.serve.test") else {
        panic!("PERM for another map")
    };
    assert!(reason.contains("\"other\""), "{reason}");
    assert_eq!(query(&mut stream, "postfix", "enforce.serve.test"), secure);

    // The same over the unix socket, with its mode.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&socket).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o660);
    let mut unix = UnixStream::connect(&socket).expect("unix socket");
    assert_eq!(query(&mut unix, "postfix", "enforce.serve.test"), secure);
    assert_eq!(
        query(&mut unix, "postfix", "testing.serve.test"),
        Response::NotFound
    );

    // The NOTFOUND reasons are logged.
    assert!(
        daemon.logged("F2: the policy's mode is testing"),
        "{}",
        daemon.log()
    );
    assert!(
        daemon.logged("F2: no MTA-STS policy for the domain"),
        "{}",
        daemon.log()
    );
    assert_eq!(daemon.stop(), Some(0));
    assert!(!socket.exists(), "the socket is removed at exit");
}

#[test]
fn the_cache_file_survives_a_restart() {
    let lab = lab();
    let host = "mta-sts.cached.serve.test";
    lab.publish(
        "cached.serve.test",
        &["v=STSv1; id=1;"],
        Behaviour::policy(&enforce(&["mx.cached.serve.test"], 86_400)),
        &[("mx.cached.serve.test", Mx::Good)],
    );
    let file = temp_path("cache.json");
    let _ = std::fs::remove_file(&file);
    let secure = ok("secure match=mx.cached.serve.test servername=hostname");

    let daemon = Daemon::start(&["--cache-file", file.to_str().unwrap()]);
    assert_eq!(daemon.query("cached.serve.test"), secure);
    assert_eq!(lab.web.hits(host), 1);
    assert_eq!(daemon.stop(), Some(0));
    let saved = std::fs::read_to_string(&file).expect("the cache is saved at exit");
    assert!(saved.contains("cached.serve.test"), "{saved}");

    // The policy host now fails: the restarted daemon answers from the file.
    lab.web.set(host, Behaviour::status(500));
    let daemon = Daemon::start(&["--cache-file", file.to_str().unwrap()]);
    assert_eq!(daemon.query("cached.serve.test"), secure);
    assert_eq!(lab.web.hits(host), 1, "no fetch after the restart");
    drop(daemon);

    // A corrupt file is set aside; the daemon starts empty.
    std::fs::write(&file, b"{not json").unwrap();
    let daemon = Daemon::start(&["--cache-file", file.to_str().unwrap()]);
    assert!(daemon.logged("cache file unreadable"), "{}", daemon.log());
    let mut aside = file.clone().into_os_string();
    aside.push(".corrupt");
    assert_eq!(std::fs::read(&aside).unwrap(), b"{not json");
    assert_eq!(daemon.query("cached.serve.test"), Response::NotFound);
}

#[test]
fn a_slow_policy_host_gives_temp_then_the_policy() {
    // F12: the budget is spent while the first fetch runs: TEMP; the fetch
    // goes on, and the next request after it lands gets the policy.
    let lab = lab();
    let host = "mta-sts.late.serve.test";
    lab.publish(
        "late.serve.test",
        &["v=STSv1; id=1;"],
        Behaviour::Late(
            Duration::from_secs(3),
            enforce(&["mx.late.serve.test"], 86_400).into_bytes(),
        ),
        &[("mx.late.serve.test", Mx::Good)],
    );
    let daemon = Daemon::start(&["--budget", "0.5", "--timeout", "10"]);
    let started = Instant::now();
    let Response::Temp(reason) = daemon.query("late.serve.test") else {
        panic!("TEMP while the fetch runs")
    };
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    assert!(reason.starts_with("F12: "), "{reason}");
    let secure = ok("secure match=mx.late.serve.test servername=hostname");
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut reply = daemon.query("late.serve.test");
    while reply != secure && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
        reply = daemon.query("late.serve.test");
    }
    assert_eq!(reply, secure);
    assert_eq!(lab.web.hits(host), 1, "one fetch, shared by the requests");
}

#[test]
fn a_dns_server_that_never_answers_gives_temp_within_the_budget() {
    lab().publish(
        "silent.serve.test",
        &["v=STSv1; id=1;"],
        Behaviour::policy(&enforce(&["mx.silent.serve.test"], 86_400)),
        &[("mx.silent.serve.test", Mx::Good)],
    );
    let silent = lab().silent_dns.to_string();
    let daemon = Daemon::start(&[
        "--resolver",
        &silent,
        "--budget",
        "0.5",
        "--timeout",
        "10",
        "--max-fetches",
        "1",
    ]);
    let started = Instant::now();
    assert!(matches!(
        daemon.query("silent.serve.test"),
        Response::Temp(_)
    ));
    assert!(
        started.elapsed() < Duration::from_millis(1900),
        "{:?}",
        started.elapsed()
    );
    // One lookup runs (--max-fetches 1) and three more wait; a fifth
    // domain is refused at once (not after the budget, which says F12)
    // rather than queued without bound.
    for domain in ["a.silent.test", "b.silent.test", "c.silent.test"] {
        assert!(
            matches!(daemon.query(domain), Response::Temp(_)),
            "{domain}"
        );
    }
    let Response::Temp(reason) = daemon.query("d.silent.test") else {
        panic!("TEMP when too many lookups wait")
    };
    assert_eq!(reason, "too many policy lookups under way");
    // A key that needs no lookup is still answered.
    assert_eq!(daemon.query("[192.0.2.1]"), Response::NotFound);
}

#[test]
fn a_failed_fetch_keeps_the_cached_policy_and_none_replaces_it() {
    // F9, with every request asking DNS again (--recheck 0).
    let lab = lab();
    let host = "mta-sts.kept.serve.test";
    let mx = [("mx.kept.serve.test", Mx::Good)];
    lab.publish(
        "kept.serve.test",
        &["v=STSv1; id=1;"],
        Behaviour::policy(&enforce(&["mx.kept.serve.test"], 86_400)),
        &mx,
    );
    let daemon = Daemon::start(&["--recheck", "0"]);
    let secure = ok("secure match=mx.kept.serve.test servername=hostname");
    assert_eq!(daemon.query("kept.serve.test"), secure);

    // A new id whose fetch fails: the cached policy stays.
    lab.publish(
        "kept.serve.test",
        &["v=STSv1; id=2;"],
        Behaviour::status(500),
        &mx,
    );
    assert_eq!(daemon.query("kept.serve.test"), secure);
    assert_eq!(lab.web.hits(host), 2, "the new id was fetched");
    assert!(daemon.logged("policy fetch failed"), "{}", daemon.log());

    // A new id whose policy is `mode: none`: it replaces the cached one.
    lab.publish(
        "kept.serve.test",
        &["v=STSv1; id=3;"],
        Behaviour::policy(&policy("none", &["mx.kept.serve.test"], 86_400)),
        &mx,
    );
    assert_eq!(daemon.query("kept.serve.test"), Response::NotFound);
}

#[test]
fn bad_input_gets_perm_or_a_closed_connection_and_the_daemon_goes_on() {
    lab().publish(
        "after.serve.test",
        &["v=STSv1; id=1;"],
        Behaviour::policy(&enforce(&["mx.after.serve.test"], 86_400)),
        &[("mx.after.serve.test", Mx::Good)],
    );
    let daemon = Daemon::start(&[
        "--max-connections",
        "3",
        "--read-timeout",
        "1",
        "--idle-timeout",
        "5",
    ]);
    let secure = ok("secure match=mx.after.serve.test servername=hostname");

    // F11: framing lost: PERM naming the fault, then the connection closes.
    for bad in [
        &b"abc,"[..],
        b"1000000000000:postfix x,",
        b"07:postfix,",
        b"3:abcd,",
    ] {
        let mut stream = daemon.connect();
        stream.write_all(bad).unwrap();
        let reply = read_reply(&mut stream);
        assert!(
            matches!(&reply, Some(Response::Perm(reason)) if reason.starts_with("F11: ")),
            "{bad:?}: {reply:?}"
        );
        assert!(
            closed_within(&mut stream, Duration::from_secs(5)),
            "{bad:?}"
        );
    }
    // A well-framed request that is not `NAME KEY`: PERM, and it goes on.
    let mut stream = daemon.connect();
    stream.write_all(b"7:postfix,").unwrap();
    assert!(matches!(read_reply(&mut stream), Some(Response::Perm(_))));
    assert_eq!(query(&mut stream, "postfix", "after.serve.test"), secure);
    // Two requests in one write: two replies, in order.
    stream
        .write_all(b"24:postfix after.serve.test,19:postfix [192.0.2.1],")
        .unwrap();
    assert_eq!(read_reply(&mut stream), Some(secure.clone()));
    assert_eq!(read_reply(&mut stream), Some(Response::NotFound));
    drop(stream);

    // A client sending a byte every 300 ms is cut off after --read-timeout.
    let mut slow = daemon.connect();
    let started = Instant::now();
    for byte in b"24:postfix after.serve.test," {
        if slow.write_all(&[*byte]).is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(300));
        if started.elapsed() > Duration::from_secs(3) {
            break;
        }
    }
    assert!(closed_within(&mut slow, Duration::from_secs(3)));
    drop(slow);

    // A thousand connections beyond --max-connections, one after the
    // other, are each closed at once; the ones within it stay open.
    let mut idle: Vec<TcpStream> = (0..3).map(|_| daemon.connect()).collect();
    std::thread::sleep(Duration::from_millis(200));
    for _ in 0..1000 {
        let mut extra = daemon.connect();
        assert!(closed_within(&mut extra, Duration::from_secs(2)));
    }
    assert!(!closed_within(&mut idle[0], Duration::from_millis(100)));
    // Idle connections are closed after --idle-timeout, making room.
    for mut stream in idle {
        assert!(closed_within(&mut stream, Duration::from_secs(10)));
    }
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(daemon.query("after.serve.test"), secure);
    assert_eq!(daemon.stop(), Some(0));
}

#[test]
fn policies_are_refreshed_and_the_cache_saved_in_the_background() {
    // A policy that expires after 2 s is fetched again without any
    // request, and the cache file is written without a stop.
    let lab = lab();
    let host = "mta-sts.refresh.serve.test";
    lab.publish(
        "refresh.serve.test",
        &["v=STSv1; id=1;"],
        Behaviour::policy(&enforce(&["mx.refresh.serve.test"], 2)),
        &[("mx.refresh.serve.test", Mx::Good)],
    );
    let file = temp_path("refresh-cache.json");
    let _ = std::fs::remove_file(&file);
    let daemon = Daemon::start(&[
        "--refresh-interval",
        "0.5",
        "--save-interval",
        "0.5",
        "--cache-file",
        file.to_str().unwrap(),
    ]);
    let secure = ok("secure match=mx.refresh.serve.test servername=hostname");
    assert_eq!(daemon.query("refresh.serve.test"), secure);
    assert_eq!(lab.web.hits(host), 1);
    let deadline = Instant::now() + Duration::from_secs(15);
    while lab.web.hits(host) < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(lab.web.hits(host) >= 2, "{}", daemon.log());
    while !file.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let saved = std::fs::read_to_string(&file).expect("the cache is saved periodically");
    assert!(saved.contains("refresh.serve.test"), "{saved}");
    assert_eq!(daemon.query("refresh.serve.test"), secure);
}

#[test]
fn a_policy_is_refreshed_before_it_expires() {
    // max_age 5: the policy is in force until 6 s after its fetch (the
    // cache counts whole seconds). A refresh every 0.5 s looks 2 s ahead,
    // so the second fetch comes about 4 s after the first: before the
    // policy expires, where waiting for the expiry would fetch at 6 s.
    let lab = lab();
    let host = "mta-sts.ahead.serve.test";
    lab.publish(
        "ahead.serve.test",
        &["v=STSv1; id=1;"],
        Behaviour::policy(&enforce(&["mx.ahead.serve.test"], 5)),
        &[("mx.ahead.serve.test", Mx::Good)],
    );
    let daemon = Daemon::start(&["--refresh-interval", "0.5"]);
    let unix_now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
    };
    // Early in a second, so that the fetch's second is this one.
    while unix_now().fract() > 0.2 {
        std::thread::sleep(Duration::from_millis(20));
    }
    let before = unix_now().floor();
    let secure = ok("secure match=mx.ahead.serve.test servername=hostname");
    assert_eq!(daemon.query("ahead.serve.test"), secure);
    assert_eq!(lab.web.hits(host), 1);
    let deadline = Instant::now() + Duration::from_secs(15);
    while lab.web.hits(host) < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let refreshed = unix_now();
    assert!(lab.web.hits(host) >= 2, "{}", daemon.log());
    assert!(
        refreshed < before + 6.0,
        "refreshed {:.1} s after the first fetch's second: not before expiry\n{}",
        refreshed - before,
        daemon.log()
    );
    assert_eq!(daemon.query("ahead.serve.test"), secure);
}

#[test]
fn usage_and_bind_errors_exit_2_naming_the_option() {
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_mta-sts"))
            .args(["postfix", "serve"])
            .args(args)
            .output()
            .expect("mta-sts runs");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        (output.status.code(), stderr)
    };
    let (code, stderr) = run(&["--unix-mode", "999"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("\"999\" is not a mode in octal"),
        "{stderr}"
    );
    let (code, stderr) = run(&["--budget", "0"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("give more than 0 seconds"), "{stderr}");

    // The port is taken: the daemon says which option failed.
    let daemon = Daemon::start(&[]);
    let taken = daemon.tcp.to_string();
    let (code, stderr) = run(&["--listen", &taken]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains(&format!("--listen {taken}: ")), "{stderr}");
    // A unix path that is not a socket is never replaced.
    let file = temp_path("not-a-socket");
    std::fs::write(&file, b"keep me").unwrap();
    let (code, stderr) = run(&["--unix", file.to_str().unwrap()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("exists and is not a socket"), "{stderr}");
    assert_eq!(std::fs::read(&file).unwrap(), b"keep me");
    let _ = std::fs::remove_file(&file);
}

#[test]
fn daemons_on_one_redis_fetch_once() {
    let lab = lab();
    let host = "mta-sts.shared.serve.test";
    lab.publish(
        "shared.serve.test",
        &["v=STSv1; id=1;"],
        Behaviour::policy(&enforce(&["mx.shared.serve.test"], 86_400)),
        &[("mx.shared.serve.test", Mx::Good)],
    );
    let secure = ok("secure match=mx.shared.serve.test servername=hostname");
    let redis = mta_sts_lab::redis::Redis::start();
    let url = redis.url();
    let first = Daemon::start(&["--cache", &url]);
    let second = Daemon::start(&["--cache", &url]);
    assert_eq!(first.query("shared.serve.test"), secure);
    assert_eq!(second.query("shared.serve.test"), secure);
    assert_eq!(lab.web.hits(host), 1, "two daemons, one fetch");

    // Redis gone: a daemon goes on with its own cache and fetches.
    let port = redis.stop();
    let alone = Daemon::start(&["--cache", &format!("redis://127.0.0.1:{port}/0")]);
    assert_eq!(alone.query("shared.serve.test"), secure);
    assert_eq!(lab.web.hits(host), 2);
    assert!(alone.log().contains("unreachable"), "{}", alone.log());
}
