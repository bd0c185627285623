//! Processes the tests start and that must not outlive the test process:
//! each runs under a watchdog shell that kills it once the test process
//! is gone (a test binary ends without dropping its statics).

use std::ffi::OsStr;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Starts `program` with `args`, its standard error appended to `stderr`,
/// and kills it (then removes `cleanup`, when given) once this process
/// has ended.
///
/// # Errors
///
/// When the shell cannot be started.
pub fn spawn<I, S>(
    program: &Path,
    args: I,
    stderr: &Path,
    cleanup: Option<&Path>,
) -> Result<(), String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(
            "pid=$1 log=$2 cleanup=$3; shift 3; \
             \"$@\" 2>>\"$log\" & child=$!; \
             while kill -0 \"$pid\" 2>/dev/null; do sleep 1; done; \
             kill $child; [ -z \"$cleanup\" ] || rm -rf \"$cleanup\"",
        )
        .arg("watchdog")
        .arg(std::process::id().to_string())
        .arg(stderr)
        .arg(cleanup.map_or(OsStr::new(""), Path::as_os_str))
        .arg(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
        .spawn()
        .map(drop)
        .map_err(|err| format!("cannot start {}: {err}", program.display()))
}

/// Whether something accepts connections on `address` within 30 s.
#[must_use]
pub fn listening(address: SocketAddr) -> bool {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    false
}
