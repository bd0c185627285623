//! A load generator for `mta-sts postfix serve`: cached lookups over
//! loopback, as Postfix's socketmap client makes them (one request at a
//! time per connection), with the latency percentiles, the rate and the
//! daemon's resident memory along the way.
//!
//! It starts the lab's DNS and HTTPS servers in this process, publishes
//! `load.test` (enforce), starts the daemon binary given with `--daemon`
//! against them, looks the domain up once (the fetch), then sends
//! `--requests` lookups spread over `--connections` connections:
//!
//! ```sh
//! cargo build --release -p mta-sts-cli --bin mta-sts --example postfix_load
//! target/release/examples/postfix_load --daemon target/release/mta-sts \
//!     --connections 2 --requests 1000000
//! ```
//!
//! `--daemon` may name a wrapper first (`--daemon "valgrind --tool=callgrind
//! target/release/mta-sts"`): the instructions per lookup, from two runs
//! of different sizes, do not depend on the machine's load.
//!
//! `--floor` answers with a bare responder in this process instead of the
//! daemon (a thread per connection that reads up to the request's `,` and
//! writes the same reply, no lookup): the round trip the machine itself
//! allows, to read the daemon's figures against, measured the same way.
//!
//! Not a test: it measures, it does not judge (timings on a shared machine
//! vary; compare runs made together).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use mta_sts::postfix::socketmap::{Decoded, Response, decode_response};
use mta_sts_lab::{Behaviour, Mx, enforce, lab};

/// The command line: `--daemon PATH [--connections N] [--requests N]
/// [--floor]`.
struct Options {
    daemon: String,
    floor: bool,
    connections: usize,
    requests: usize,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        daemon: "target/release/mta-sts".to_owned(),
        floor: false,
        connections: 2,
        requests: 1_000_000,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--floor" {
            options.floor = true;
            continue;
        }
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<usize>()
                .map_err(|err| format!("{flag}: {err}"))
        };
        match flag.as_str() {
            "--daemon" => options.daemon.clone_from(&value),
            "--connections" => options.connections = number()?.max(1),
            "--requests" => options.requests = number()?.max(1),
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    Ok(options)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let options = options()?;
    let expected =
        Response::Ok("secure match=mx1.load.test:.mx.load.test servername=hostname".to_owned());
    if options.floor {
        let address = floor(&expected)?;
        let (latencies, elapsed) = load(address, &options, &expected, || {})?;
        print_figures("bare responder round trips", &latencies, elapsed, &options);
        return Ok(());
    }
    let lab = lab();
    lab.publish(
        "load.test",
        &["v=STSv1; id=1;"],
        Behaviour::policy(&enforce(&["mx1.load.test", "*.mx.load.test"], 604_800)),
        &[("mx1.load.test", Mx::Good)],
    );
    let ca = std::env::temp_dir().join(format!("postfix-load-ca-{}.pem", std::process::id()));
    std::fs::write(&ca, lab.pki.ca_pem())?;
    // `--daemon` may carry a wrapper: `valgrind --tool=callgrind target/…`.
    let mut words = options.daemon.split_whitespace();
    let program = words.next().ok_or("--daemon is empty")?;
    let mut daemon = Command::new(program)
        .args(words)
        .args([
            "postfix",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--log-format",
            "json",
        ])
        .args(["--resolver", &lab.dns.to_string()])
        .args(["--https-port", &lab.https_port.to_string()])
        .arg("--ca")
        .arg(&ca)
        .args(["--recheck", "86400"])
        .env("RUST_LOG", "warn,mta_sts=info")
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| format!("{}: {err}", options.daemon))?;
    let address = listening(daemon.stderr.take().ok_or("no stderr")?)?;
    let pid = daemon.id();

    let mut first = TcpStream::connect(address)?;
    let reply = lookup(&mut first, &mut Vec::new())?;
    if reply != expected {
        return Err(format!("the first lookup answered {reply}").into());
    }
    let rss_before = rss_kib(pid);

    // The daemon's memory, sampled while the load runs.
    let mut rss_peak = rss_before;
    let (latencies, elapsed) = load(address, &options, &expected, || {
        rss_peak = rss_peak.max(rss_kib(pid));
    })?;
    let rss_after = rss_kib(pid);
    // SIGTERM: the daemon's graceful end (a wrapper such as callgrind then
    // writes its output).
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let _ = daemon.wait();
    let _ = std::fs::remove_file(&ca);

    print_figures("cached lookups", &latencies, elapsed, &options);
    println!("daemon RSS: {rss_before} KiB before, {rss_peak} KiB peak, {rss_after} KiB after");
    Ok(())
}

/// Runs `options.requests` lookups over `options.connections` connections
/// to `address`, calling `sample` every 100 ms meanwhile; the latencies in
/// nanoseconds, and the wall time.
fn load(
    address: SocketAddr,
    options: &Options,
    expected: &Response,
    mut sample: impl FnMut(),
) -> Result<(Vec<u64>, Duration), String> {
    let per_connection = options.requests.div_ceil(options.connections);
    let started = Instant::now();
    let workers: Vec<_> = (0..options.connections)
        .map(|_| {
            let expected = expected.clone();
            std::thread::spawn(move || run(address, per_connection, &expected))
        })
        .collect();
    while !workers.iter().all(std::thread::JoinHandle::is_finished) {
        std::thread::sleep(Duration::from_millis(100));
        sample();
    }
    let mut latencies = Vec::with_capacity(per_connection * options.connections);
    for worker in workers {
        latencies.extend(worker.join().map_err(|_| "a worker panicked")??);
    }
    Ok((latencies, started.elapsed()))
}

/// Prints the rate and the latency percentiles of `latencies`.
fn print_figures(what: &str, latencies: &[u64], elapsed: Duration, options: &Options) {
    let mut latencies = latencies.to_vec();
    latencies.sort_unstable();
    let at = |fraction: f64| {
        // Truncation is the nearest-rank index here.
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let index = ((latencies.len() as f64 * fraction) as usize).min(latencies.len() - 1);
        Duration::from_nanos(latencies[index])
    };
    #[allow(clippy::cast_precision_loss)]
    let rate = latencies.len() as f64 / elapsed.as_secs_f64();
    println!(
        "{} {what} over {} connections in {:.2?}: {rate:.0}/s",
        latencies.len(),
        options.connections,
        elapsed
    );
    println!(
        "latency p50 {:?}, p99 {:?}, p99.9 {:?}, max {:?}",
        at(0.50),
        at(0.99),
        at(0.999),
        at(1.0)
    );
}

/// A bare responder on loopback: each connection gets a thread that reads
/// up to each request's `,` and writes `reply`, with no lookup.
fn floor(reply: &Response) -> Result<SocketAddr, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|err| err.to_string())?;
    let address = listener.local_addr().map_err(|err| err.to_string())?;
    let mut encoded = Vec::new();
    reply.encode(&mut encoded).map_err(|err| err.to_string())?;
    let reply = encoded;
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let reply = reply.clone();
            std::thread::spawn(move || {
                let _ = stream.set_nodelay(true);
                let mut chunk = [0u8; 256];
                while let Ok(read) = stream.read(&mut chunk) {
                    if read == 0 {
                        break;
                    }
                    // One request a round trip: its last byte is the `,`.
                    if chunk[..read].ends_with(b",") && stream.write_all(&reply).is_err() {
                        break;
                    }
                }
            });
        }
    });
    Ok(address)
}

/// The daemon's TCP address, from its `listening on TCP` log line.
fn listening(stderr: impl Read + Send + 'static) -> Result<SocketAddr, String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if let Ok(event) = serde_json::from_str::<serde_json::Value>(&line)
                && event["message"] == "listening on TCP"
                && let Some(Ok(address)) = event["address"].as_str().map(str::parse)
            {
                let _ = sender.send(address);
            } else {
                eprintln!("{line}");
            }
        }
    });
    receiver
        .recv_timeout(Duration::from_secs(20))
        .map_err(|_| "the daemon did not start listening".to_owned())
}

/// One connection's share: `count` lookups, one at a time; the latencies
/// in nanoseconds.
fn run(address: SocketAddr, count: usize, expected: &Response) -> Result<Vec<u64>, String> {
    let mut stream = TcpStream::connect(address).map_err(|err| err.to_string())?;
    stream.set_nodelay(true).map_err(|err| err.to_string())?;
    let mut buffer = Vec::with_capacity(256);
    let mut latencies = Vec::with_capacity(count);
    for _ in 0..count {
        let started = Instant::now();
        let reply = lookup(&mut stream, &mut buffer).map_err(|err| err.to_string())?;
        let nanos = started.elapsed().as_nanos();
        if &reply != expected {
            return Err(format!("unexpected reply {reply}"));
        }
        latencies.push(u64::try_from(nanos).unwrap_or(u64::MAX));
    }
    Ok(latencies)
}

/// Sends the request for `load.test` and reads the reply.
fn lookup(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> std::io::Result<Response> {
    const REQUEST: &[u8] = b"17:postfix load.test,";
    stream.write_all(REQUEST)?;
    buffer.clear();
    let mut chunk = [0u8; 256];
    loop {
        match decode_response(buffer) {
            Ok(Decoded::Done { value, .. }) => return Ok(value),
            Ok(Decoded::NeedMore) => {}
            Err(err) => return Err(std::io::Error::other(err)),
        }
        let read = stream.read(&mut chunk)?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
}

/// The resident memory of process `pid` in KiB (0 when unknown).
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmRSS:"))
                .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
