//! Reading a file named on the command line (`-`: standard input), with a
//! bound on what is read.

use std::io::Read;
use std::path::Path;

/// At most this many bytes are read from one input (16 MiB). A policy is
/// at most 64 KiB on the wire (RFC 8461 §3.3 suggests that cap) and a
/// TLS-RPT report, even as a whole e-mail, a few hundred KiB at most; the
/// bound keeps a wrong file (a disk image, `/dev/zero`) from filling memory.
pub(crate) const MAX_INPUT: u64 = 16 << 20;

/// Reads `file` (`-`: standard input) up to [`MAX_INPUT`] bytes; `Err` is a
/// message that names the file and says what is wrong.
pub(crate) fn read_input(file: &str) -> Result<Vec<u8>, String> {
    if file == "-" {
        return read_capped(std::io::stdin().lock())
            .map_err(|err| format!("cannot read standard input: {err}"));
    }
    if Path::new(file).is_dir() {
        return Err(format!("cannot read {file:?}: it is a directory"));
    }
    let opened = std::fs::File::open(file).map_err(|err| format!("cannot read {file:?}: {err}"))?;
    read_capped(opened).map_err(|err| format!("cannot read {file:?}: {err}"))
}

/// Reads to the end, refusing more than [`MAX_INPUT`] bytes.
fn read_capped(reader: impl Read) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(MAX_INPUT + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT {
        return Err(std::io::Error::other(format!(
            "larger than {} MiB",
            MAX_INPUT >> 20
        )));
    }
    Ok(bytes)
}
