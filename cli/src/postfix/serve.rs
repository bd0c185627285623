//! `mta-sts postfix serve`: the socketmap daemon Postfix asks for the TLS
//! policy of each next-hop domain (`smtp_tls_policy_maps =
//! socketmap:inet:127.0.0.1:8461:postfix`), answering from `mta-sts-net`'s
//! sender resolver (SEMANTICS F1–F12).
//!
//! The process: on the main thread, listeners (TCP and unix sockets,
//! `listen.rs`) hand connections in turn to a single-threaded runtime per
//! core (`workers.rs`), where each is served (`connection.rs`) from the
//! answers (`answers.rs`); a background task refreshes cached policies
//! before they expire and saves the cache file; SIGTERM or Ctrl-C saves it
//! once more and ends the process.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use mta_sts_net::{RedisStore, Resolver};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use super::MapArgs;
use super::answers::{Answers, Settings};
use super::connection::Limits;
use super::listen::{self, Shared};
use super::workers::Workers;
use crate::net_args::{NetArgs, parse_seconds, parse_seconds_or_zero};

/// What `--help` says after the options.
const AFTER_HELP: &str = "\
Postfix configuration (main.cf), one of:
    smtp_tls_policy_maps = socketmap:inet:127.0.0.1:8461:postfix
    smtp_tls_policy_maps = socketmap:unix:/run/mta-sts-postfix/socketmap:postfix

Each request's domain gets the reply of `mta-sts postfix reply` for the
policy a sending MTA applies now: from memory when it was looked up less
than --recheck seconds ago, else from DNS, the cache and a fetch when one
is due. When --budget is spent before the lookup ends, the reply is the
previous one while its policy has not expired, else TEMP (Postfix defers
and retries); the lookup goes on and its result is kept. Postfix's
socketmap client waits up to 100 s for a reply (holding a delivery
meanwhile), and closes a connection after 10 s idle or 100 s of age.

Logs go to standard error (RUST_LOG sets the level: info by default,
debug logs every request).";

/// The options of `mta-sts postfix serve`.
#[derive(clap::Args, Debug)]
#[command(after_help = AFTER_HELP)]
pub(crate) struct Args {
    /// A TCP address to listen on (repeatable; default 127.0.0.1:8461 when
    /// no --unix is given)
    #[arg(long, value_name = "ADDR:PORT")]
    listen: Vec<std::net::SocketAddr>,
    /// A unix socket to listen on (repeatable); an old socket there is
    /// replaced
    #[arg(long, value_name = "PATH")]
    unix: Vec<PathBuf>,
    /// The permissions of the unix sockets, in octal
    #[arg(long, value_name = "OCTAL", default_value = "660", value_parser = parse_mode)]
    unix_mode: u32,
    /// The map name served (the last part of `socketmap:…:NAME`)
    #[arg(long, value_name = "NAME", default_value = "postfix")]
    map: String,
    #[command(flatten)]
    reply: MapArgs,
    #[command(flatten)]
    net: NetArgs,
    /// The cache file: read at start (a missing file is an empty cache, a
    /// corrupt one is set aside as FILE.corrupt), written periodically and
    /// at exit
    #[arg(long, value_name = "FILE")]
    cache_file: Option<PathBuf>,
    /// A cache shared with the other daemons on this Redis
    /// (redis://HOST:PORT/DB): each policy is fetched once for all of them,
    /// and a restarted daemon starts with theirs. Redis down or slow never
    /// holds a request: the daemon goes on with its own cache
    #[arg(long, value_name = "URL", value_parser = parse_cache)]
    cache: Option<Arc<RedisStore>>,
    /// How often the cache file is written, in seconds
    #[arg(long, value_name = "SECS", default_value = "300", value_parser = parse_seconds)]
    save_interval: Duration,
    /// How often cached policies are checked for a refresh, in seconds
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = parse_seconds)]
    refresh_interval: Duration,
    /// How long a domain's answer is given from memory before DNS is asked
    /// again, in seconds (0: every request asks)
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = parse_seconds_or_zero)]
    recheck: Duration,
    /// How long one request may wait for a lookup, in seconds (F12)
    #[arg(long, value_name = "SECS", default_value = "5", value_parser = parse_seconds)]
    budget: Duration,
    /// How many lookups may run at once
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    max_fetches: u32,
    /// How many domains' answers are kept in memory
    #[arg(long, value_name = "N", default_value_t = 100_000, value_parser = clap::value_parser!(u32).range(1..))]
    max_domains: u32,
    /// How many client connections are served at once (Postfix opens one
    /// per smtp process); more are closed at once
    #[arg(long, value_name = "N", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    max_connections: u32,
    /// How long a request may take to arrive, from its first byte, and a
    /// reply to be read, in seconds
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = parse_seconds)]
    read_timeout: Duration,
    /// How long a connection may stay idle between requests, in seconds
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = parse_seconds)]
    idle_timeout: Duration,
    /// The log format on standard error
    #[arg(long, value_name = "FORMAT", default_value = "text")]
    log_format: LogFormat,
}

/// How log lines are written.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum LogFormat {
    /// One line of text per event
    Text,
    /// One JSON object per event, one a line
    Json,
}

/// File permissions in octal, at most 0777.
fn parse_mode(text: &str) -> Result<u32, String> {
    u32::from_str_radix(text, 8)
        .ok()
        .filter(|mode| *mode <= 0o777)
        .ok_or_else(|| format!("{text:?} is not a mode in octal (such as 660)"))
}

/// The store at a Redis URL (it connects on first use).
fn parse_cache(text: &str) -> Result<Arc<RedisStore>, String> {
    RedisStore::new(text)
        .map(Arc::new)
        .map_err(|err| err.to_string())
}

/// Runs the daemon until SIGTERM or Ctrl-C.
pub(crate) fn run(args: &Args) -> Result<ExitCode, String> {
    init_logs(args.log_format);
    let config = args.net.config()?;
    // This thread: the listeners, the background refresh, the signals.
    // Connections: a runtime per core (`workers.rs`).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| format!("cannot start the I/O runtime: {err}"))?;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let workers = Workers::start(cores)?;
    runtime.block_on(daemon(args, config, workers))?;
    Ok(ExitCode::SUCCESS)
}

fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    match format {
        LogFormat::Text => builder.with_ansi(false).init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}

async fn daemon(args: &Args, config: mta_sts_net::Config, workers: Workers) -> Result<(), String> {
    let mut resolver = Resolver::new(config);
    if let Some(store) = &args.cache {
        tracing::info!(?store, "policy cache shared on redis");
        resolver = resolver.with_store(Arc::<RedisStore>::clone(store));
    }
    let resolver = Arc::new(resolver);
    if let Some(path) = &args.cache_file {
        load_cache(&resolver, path).await;
    }
    let settings = Settings {
        options: args.reply.options(),
        recheck: args.recheck,
        budget: args.budget,
        max_fetches: args.max_fetches as usize,
        max_domains: args.max_domains as usize,
    };
    let answers = Arc::new(Answers::new(resolver, settings));
    let shared = Shared {
        answers: Arc::clone(&answers),
        limits: Arc::new(Limits {
            map: args.map.as_str().into(),
            read_timeout: args.read_timeout,
            idle_timeout: args.idle_timeout,
        }),
        connections: Arc::new(Semaphore::new(args.max_connections as usize)),
        workers,
    };

    let mut tcp = args.listen.clone();
    if tcp.is_empty() && args.unix.is_empty() {
        tcp.push(std::net::SocketAddr::from(([127, 0, 0, 1], 8461)));
    }
    let mut tasks = tokio::task::JoinSet::new();
    for address in tcp {
        let listener = TcpListener::bind(address)
            .await
            .map_err(|err| format!("--listen {address}: {err}"))?;
        let local = listener
            .local_addr()
            .map_err(|err| format!("--listen {address}: {err}"))?;
        tracing::info!(address = %local, map = args.map, "listening on TCP");
        tasks.spawn(listen::accept(listener, shared.clone()));
    }
    for path in &args.unix {
        let listener = listen::bind_unix(path, args.unix_mode)?;
        tracing::info!(path = %path.display(), map = args.map, "listening on a unix socket");
        tasks.spawn(listen::accept(listener, shared.clone()));
    }
    tasks.spawn(super::refresh::run(
        Arc::clone(&answers),
        args.refresh_interval,
        args.cache_file.clone(),
        args.save_interval,
    ));

    shutdown_signal().await;
    tracing::info!("shutting down");
    tasks.abort_all();
    if let Some(path) = &args.cache_file {
        save_cache(answers.resolver(), path).await;
    }
    for path in &args.unix {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

/// Loads the cache file: a missing file is an empty cache; one that cannot
/// be read as a cache is set aside as `FILE.corrupt` (a warning), so that
/// the daemon still answers and the next save does not destroy it.
async fn load_cache(resolver: &Resolver, path: &Path) {
    let shown = path.display();
    match resolver.load(path).await {
        Ok(count) => tracing::info!(path = %shown, domains = count, "cache loaded"),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            tracing::info!(path = %shown, "no cache file yet: starting empty");
        }
        Err(error) => {
            let mut aside = path.as_os_str().to_owned();
            aside.push(".corrupt");
            let moved = std::fs::rename(path, &aside);
            tracing::warn!(
                path = %shown,
                %error,
                set_aside = moved.is_ok(),
                "cache file unreadable: starting empty"
            );
        }
    }
}

/// Writes the cache file, logging a failure.
pub(super) async fn save_cache(resolver: &Resolver, path: &Path) {
    match resolver.save(path).await {
        Ok(()) => tracing::debug!(path = %path.display(), "cache saved"),
        Err(error) => tracing::warn!(path = %path.display(), %error, "cannot save the cache"),
    }
}

/// Waits for SIGTERM or Ctrl-C (SIGINT).
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}
