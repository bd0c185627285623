//! `mta-sts report`, end to end: the binary run as a process on the real
//! reports in `tests/data/tlsrpt-reports/`, as JSON, gzipped and inside
//! RFC 8460 §5.3 e-mails made here, and on every kind of bad input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use flate2::write::GzEncoder;
use flate2::{Compress, Compression as Level, Crc, FlushCompress};
use mta_sts::ParseOptions;
use mta_sts::tlsrpt::{Compression, Report};
use serde_json::Value;

/// What a run gave: exit code, standard output, standard error.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `mta-sts report` with `args`, outside the workspace.
fn run(args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_mta-sts"))
        .arg("report")
        .args(args)
        .current_dir(std::env::temp_dir())
        .output()
        .expect("mta-sts runs");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// [`run`] with `--json`, the output parsed.
fn run_json(args: &[&str]) -> (Run, Value) {
    let mut all = args.to_vec();
    all.push("--json");
    let run = run(&all);
    let json = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|err| panic!("{err}: {}\n{}", run.stdout, run.stderr));
    (run, json)
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/tlsrpt-reports")
}

fn sample(name: &str) -> String {
    samples().join(name).to_string_lossy().into_owned()
}

/// Every real report sample: (file name, bytes).
fn all_samples() -> Vec<(String, Vec<u8>)> {
    let mut found: Vec<_> = std::fs::read_dir(samples())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    found.sort();
    assert!(found.len() >= 8, "{found:?}");
    found
}

/// A directory of its own for one test, emptied first.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mta-sts-cli-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Level::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// Base64 (RFC 2045 §6.8), in lines of 76 characters.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for (i, chunk) in bytes.chunks(3).enumerate() {
        if i > 0 && i % 19 == 0 {
            out.push_str("\r\n");
        }
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * k) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// An RFC 8460 §5.3 report e-mail: `multipart/report; report-type="tlsrpt"`
/// with a text part and the report as a base64 part of `media_type` named
/// `file_name` (the headers and names from the library's delivery API).
fn email(json: &[u8], media_type: &str, file_name: Option<&str>, body: &[u8]) -> Vec<u8> {
    let report = Report::from_json(json, &ParseOptions::lenient())
        .unwrap()
        .into_report();
    let [domain, submitter] = report.header_fields().map_or(
        [
            ("TLS-Report-Domain", "example.net"),
            ("TLS-Report-Submitter", "x.example"),
        ],
        |f| f,
    );
    let subject = report.subject().unwrap_or_else(|| "Report".to_owned());
    let name = file_name.map_or_else(
        || {
            report
                .file_name(None, Compression::Gzip)
                .unwrap_or_else(|| "report.json.gz".to_owned())
        },
        str::to_owned,
    );
    format!(
        "From: TLS reporting <noreply-smtp-tls-reporting@{}>\r\n\
         To: tlsrpt@{}\r\n\
         Subject: {subject}\r\n\
         {}: {}\r\n\
         {}: {}\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=\"tlsrpt\";\r\n\
         \tboundary=\"----=_Part_1\"\r\n\
         \r\n\
         ------=_Part_1\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\
         \r\n\
         This is an aggregate TLS report from {}.\r\n\
         \r\n\
         ------=_Part_1\r\n\
         Content-Type: {media_type}\r\n\
         Content-Transfer-Encoding: base64\r\n\
         Content-Disposition: attachment;\r\n\
         \tfilename=\"{name}\"\r\n\
         \r\n\
         {}\r\n\
         ------=_Part_1--\r\n",
        submitter.1,
        domain.1,
        domain.0,
        domain.1,
        submitter.0,
        submitter.1,
        submitter.1,
        base64(body),
    )
    .into_bytes()
}

/// `key` of each object in a JSON array, summed.
fn sum(values: &Value, key: &str) -> u64 {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|value| value[key].as_u64().unwrap())
        .sum()
}

// ---------------------------------------------------------------- one report

#[test]
fn the_rfc_example_names_failing_hosts_and_deviations() {
    let run = run(&[&sample("rfc8460-appendix-b.json")]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    for expected in [
        "from       Company-X <sts-reporting@company-x.example>",
        "policies[0].policy.mx-host: mx-host as a string",
        "sessions     5629: 5326 successful, 303 failed (5.4 %)",
        "    mx2.mail.company-y.example: 200 failed sessions",
        "200 × starttls-not-supported at 203.0.113.56",
        "reason: X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED",
        "fix:    the certificate has expired: renew it",
    ] {
        assert!(
            run.stdout.contains(expected),
            "{expected:?} not in\n{}",
            run.stdout
        );
    }
    // The host with the most failures comes first.
    let mx2 = run.stdout.find("mx2.mail").unwrap();
    let mx1 = run.stdout.find("mx1.mail").unwrap();
    assert!(mx2 < mx1, "{}", run.stdout);
    assert_eq!(run.stderr, "");
}

#[test]
fn a_clean_report_exits_0_and_strict_errors_exit_2() {
    let clean = run(&[&sample("google-krvtz.net-2024-09-15.json"), "--strict"]);
    assert_eq!(clean.code, Some(0), "{}", clean.stdout);
    assert!(
        clean.stdout.contains("No failed sessions"),
        "{}",
        clean.stdout
    );

    let strict = run(&[&sample("mail.ru-krvtz.net-2023-01-25.json"), "--strict"]);
    assert_eq!(strict.code, Some(2));
    assert!(
        strict
            .stderr
            .contains("policies[0].failure-details[0].sending-mta-ip: the member is missing"),
        "{}",
        strict.stderr
    );
    assert_eq!(strict.stderr.lines().count(), 1, "{}", strict.stderr);

    let lenient = run(&[&sample("mail.ru-krvtz.net-2023-01-25.json")]);
    assert_eq!(lenient.code, Some(1));
    assert!(
        lenient
            .stdout
            .contains("(no MX host given): 1 failed sessions"),
        "{}",
        lenient.stdout
    );
    assert!(
        lenient
            .stdout
            .contains("https://mta-sts.krvtz.net/.well-known/mta-sts.txt"),
        "{}",
        lenient.stdout
    );
}

#[test]
fn standard_input_and_help() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mta-sts"))
        .args(["report", "-", "--json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let report = std::fs::read(sample("rfc8460-appendix-b.json")).unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&gzip(&report))
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["reports"][0]["file"], "<stdin>");
    assert_eq!(json["failed_sessions"], 303);

    let help = run(&["--help"]);
    assert_eq!(help.code, Some(0));
    for said in [
        "16 MiB",
        "application/tlsrpt+gzip",
        "application/x-gzip",
        "--strict",
        "--json",
    ] {
        assert!(help.stdout.contains(said), "--help does not say {said:?}");
    }
    let none = run(&[]);
    assert_eq!(none.code, Some(2));
    assert!(none.stderr.contains("<FILE>..."), "{}", none.stderr);
}

// ---------------------------------------------------------------- many reports

/// Every sample as JSON, as `.json.gz` and inside an e-mail: three times
/// the same totals as the JSON alone, per policy and overall.
#[test]
fn every_sample_reads_the_same_as_json_gzip_and_email() {
    let dir = scratch("forms");
    let mut plain = Vec::new();
    let mut all = Vec::new();
    for (name, json) in all_samples() {
        let gz = gzip(&json);
        plain.push(sample(&name));
        all.push(sample(&name));
        // The gzip is found by its magic bytes, whatever the name.
        let gz_name = if all.len() % 2 == 0 {
            format!("{name}.gz")
        } else {
            format!("{name}.bin")
        };
        all.push(write(&dir, &gz_name, &gz));
        let mail = email(&json, "application/tlsrpt+gzip", None, &gz);
        all.push(write(&dir, &format!("{name}.eml"), &mail));
    }
    let plain: Vec<&str> = plain.iter().map(String::as_str).collect();
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    let (one, once) = run_json(&plain);
    let (three, thrice) = run_json(&all);
    assert_eq!(one.stderr, "");
    assert_eq!(three.stderr, "");
    assert_eq!(once["errors"], serde_json::json!([]));
    assert_eq!(thrice["errors"], serde_json::json!([]));
    assert_eq!(thrice["reports"].as_array().unwrap().len(), 3 * plain.len());
    let failed = once["failed_sessions"].as_u64().unwrap();
    assert!(failed > 300, "{once}");
    assert_eq!(thrice["failed_sessions"].as_u64().unwrap(), 3 * failed);
    assert_eq!(one.code, Some(1));
    assert_eq!(three.code, Some(1));
    for key in ["successful_sessions", "failed_sessions", "reports"] {
        assert_eq!(
            sum(&thrice["policies"], key),
            3 * sum(&once["policies"], key),
            "{key}"
        );
    }
    // Per policy domain: which hosts failed, why, how often.
    let krvtz: Vec<&Value> = thrice["policies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|policy| policy["policy_domain"] == "krvtz.net")
        .collect();
    assert!(!krvtz.is_empty(), "{thrice}");
    let company_y = thrice["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|policy| policy["policy_domain"] == "company-y.example")
        .unwrap();
    let hosts = company_y["hosts"].as_array().unwrap();
    let mx2 = hosts
        .iter()
        .find(|host| host["receiving_mx_hostname"] == "mx2.mail.company-y.example")
        .unwrap();
    assert_eq!(mx2["failed_sessions"], 600);
    assert_eq!(mx2["failures"][0]["result_type"], "starttls-not-supported");
    assert_eq!(mx2["failures"][0]["sessions"], 600);

    // The text summary says the same, per domain.
    let text = run(&all);
    assert_eq!(text.code, Some(1));
    assert!(
        text.stdout
            .contains("mx2.mail.company-y.example: 600 failed sessions"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("MTA-STS policy of company-y.example (3 reports from Company-X)"),
        "{}",
        text.stdout
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Every media type a sender uses for the report part, and a generic one
/// decided by the file name.
#[test]
fn report_parts_of_every_accepted_media_type() {
    let dir = scratch("media");
    let json = std::fs::read(sample("rfc8460-appendix-b.json")).unwrap();
    let gz = gzip(&json);
    let mut files = Vec::new();
    for (media_type, name, body) in [
        ("application/tlsrpt+gzip", None, &gz),
        ("application/tlsrpt+json", Some("report.json"), &json),
        ("application/gzip", Some("report.json.gz"), &gz),
        ("application/x-gzip", Some("report.json.gz"), &gz),
        ("application/json", Some("report.json"), &json),
        ("application/octet-stream", Some("report.json.gz"), &gz),
        ("application/octet-stream", Some("report.json"), &json),
        // Labelled JSON, gzipped all the same: the bytes decide.
        ("application/tlsrpt+json", Some("report.json"), &gz),
    ] {
        let mail = email(&json, media_type, name, body);
        files.push(write(&dir, &format!("{}.eml", files.len()), &mail));
    }
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    let (run, json) = run_json(&files);
    assert_eq!(run.stderr, "");
    assert_eq!(json["reports"].as_array().unwrap().len(), files.len());
    assert_eq!(json["failed_sessions"], 303 * files.len() as u64);
    assert!(
        json["reports"][1]["file"]
            .as_str()
            .unwrap()
            .ends_with("1.eml part 2 (application/tlsrpt+json \"report.json\")"),
        "{json}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------- bad input

/// Each bad input gets one line naming it and what is wrong; the good one
/// is still read (exit 1: it shows failures); alone, the bad ones exit 2.
#[test]
fn bad_inputs_get_one_line_each_and_the_rest_is_read() {
    let dir = scratch("bad");
    let json = std::fs::read(sample("rfc8460-appendix-b.json")).unwrap();
    let gz = gzip(&json);
    let good = write(&dir, "good.json.gz", &gz);
    let missing = dir.join("missing.json").to_string_lossy().into_owned();
    let directory = dir.join("a-directory");
    std::fs::create_dir(&directory).unwrap();
    let directory = directory.to_string_lossy().into_owned();
    let empty = write(&dir, "empty.json", b"");
    let truncated = write(&dir, "truncated.json.gz", &gz[..gz.len() / 2]);
    let no_report = write(
        &dir,
        "no-report.eml",
        b"From: a@example.com\r\nTo: b@example.com\r\nSubject: hello\r\n\r\nJust text.\r\n",
    );
    let wrong_type = write(
        &dir,
        "wrong-type.eml",
        &email(&json, "application/pdf", Some("report.pdf"), &gz),
    );
    let not_json = write(&dir, "not-json.json", b"{\"organization-name\": 5}");
    let garbage = write(&dir, "garbage.bin", b"\x00\x01\x02 binary");
    // Open, but every read fails (EIO), even for root.
    let unreadable = "/proc/self/mem".to_owned();
    let bad = [
        (
            &unreadable,
            "cannot read \"/proc/self/mem\": Input/output error",
        ),
        (&missing, "cannot read"),
        (&directory, "it is a directory"),
        (&empty, "the file is empty"),
        (&truncated, "the gzip stream is truncated"),
        (
            &no_report,
            "no TLS-RPT report in the e-mail (its parts: text/plain)",
        ),
        (
            &wrong_type,
            "no TLS-RPT report in the e-mail (its parts: text/plain, application/pdf \"report.pdf\")",
        ),
        (&not_json, "not a TLS-RPT report"),
        (
            &garbage,
            "neither a TLS-RPT report (JSON), gzip data nor an e-mail",
        ),
    ];
    let mut args: Vec<&str> = bad.iter().map(|(file, _)| file.as_str()).collect();
    args.insert(3, &good);
    let mixed = run(&args);
    assert_eq!(mixed.code, Some(1), "{}", mixed.stderr);
    assert!(mixed.stdout.contains("303 failed"), "{}", mixed.stdout);
    let lines: Vec<&str> = mixed.stderr.lines().collect();
    assert_eq!(lines.len(), bad.len(), "{}", mixed.stderr);
    for ((file, says), line) in bad.iter().zip(&lines) {
        assert!(line.starts_with("mta-sts report: "), "{line}");
        assert!(line.contains(file.as_str()), "{line} does not name {file}");
        assert!(line.contains(says), "{line} does not say {says:?}");
    }

    let args: Vec<&str> = bad.iter().map(|(file, _)| file.as_str()).collect();
    let (alone, json) = run_json(&args);
    assert_eq!(alone.code, Some(2), "{}", alone.stdout);
    assert_eq!(json["errors"].as_array().unwrap().len(), bad.len());
    assert_eq!(json["reports"], serde_json::json!([]));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// 512 MiB of zeros gzipped (about 0.5 MiB), alone and inside an e-mail:
/// refused with exit 2 after inflating 16 MiB, never the whole.
#[test]
fn a_gzip_bomb_is_refused() {
    let dir = scratch("bomb");
    let path = dir.join("bomb.json.gz");
    // Written as a user's tool would, but fast in a debug build: one 1 MiB
    // block of zeros deflated with a full flush (which resets the
    // compressor, so the same bytes are a valid block anywhere in the
    // stream) repeated 512 times, streamed to the file, then the final
    // block and the gzip trailer (CRC-32 and length, RFC 1952 §2.3.1).
    let zeros = vec![0u8; 1 << 20];
    let mut compress = Compress::new(Level::fast(), false);
    let mut block = Vec::with_capacity(64 << 10);
    while compress.total_in() < zeros.len() as u64 {
        let at = usize::try_from(compress.total_in()).unwrap();
        compress
            .compress_vec(&zeros[at..], &mut block, FlushCompress::Full)
            .unwrap();
        block.reserve(64 << 10);
    }
    let mut last = Vec::with_capacity(64);
    compress
        .compress_vec(&[], &mut last, FlushCompress::Finish)
        .unwrap();
    let mut one = Crc::new();
    one.update(&zeros);
    let mut crc = Crc::new();
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    file.write_all(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])
        .unwrap();
    for _ in 0..512 {
        file.write_all(&block).unwrap();
        crc.combine(&one);
    }
    file.write_all(&last).unwrap();
    file.write_all(&crc.sum().to_le_bytes()).unwrap();
    file.write_all(&crc.amount().to_le_bytes()).unwrap();
    file.flush().unwrap();
    drop(file);
    let bomb = std::fs::read(&path).unwrap();
    assert!(bomb.len() < 4 << 20, "{}", bomb.len());
    let json = std::fs::read(sample("rfc8460-appendix-b.json")).unwrap();
    let mail = write(
        &dir,
        "bomb.eml",
        &email(&json, "application/tlsrpt+gzip", None, &bomb),
    );
    let bomb = path.to_string_lossy().into_owned();

    let run = run(&[&bomb, &mail]);
    assert_eq!(run.code, Some(2), "{}", run.stdout);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    for (line, file) in lines.iter().zip([&bomb, &mail]) {
        assert!(line.contains(file.as_str()), "{line}");
        assert!(
            line.contains("inflates to more than 16 MiB (a gzip bomb"),
            "{line}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
