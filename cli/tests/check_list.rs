//! `mta-sts check` over many domains (`--from`, `--jobs`, the summary,
//! the progress bar, Ctrl-C), the binary run as a process against the lab
//! (see `common`).

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{check, check_command, codes, publish, publish_good, results};
use mta_sts_lab::{Behaviour, Mx, enforce, lab};

/// A file holding `text` in the temporary directory, named for the test.
fn list_file(name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "mta-sts-check-list-{}-{name}.txt",
        std::process::id()
    ));
    std::fs::write(&path, text).expect("list written");
    path
}

/// Publishes `PREFIX-0.test` … with `publish`; returns the list of them,
/// one a line.
fn published(prefix: &str, count: usize, publish: fn(&str)) -> String {
    let mut list = String::new();
    for n in 0..count {
        let domain = format!("{prefix}-{n}.test");
        publish(&domain);
        list.push_str(&domain);
        list.push('\n');
    }
    list
}

/// A domain whose policy host answers 404 (an error finding).
fn publish_missing_policy(domain: &str) {
    publish(domain, Behaviour::status(404), Mx::Good);
}

/// A domain whose only MX host accepts the connection and never speaks:
/// its check lasts as long as the probe's budget.
fn publish_slow(domain: &str) {
    let mx = format!("mx.{domain}");
    publish(
        domain,
        Behaviour::policy(&enforce(&[&mx], 604_800)),
        Mx::Silent,
    );
}

const LIST: &str = "\
# the domains of the lab
list-good.test   # fine

not a domain
list-missing.test
list-nosuch.test
   # an indented comment
";

#[test]
fn from_a_list_skips_comments_and_reports_junk_and_missing_domains() {
    publish_good("list-good.test");
    publish_missing_policy("list-missing.test");
    // Then a line that is not UTF-8 and one too long to be a domain name.
    let mut text = LIST.as_bytes().to_vec();
    text.extend_from_slice(b"caf\xe9.test\n");
    text.extend_from_slice(&[b'a'; 5000]);
    text.extend_from_slice(b".test\n# the end\n");
    let file = list_file("junk", text);
    let path = file.to_str().expect("UTF-8 path");

    let (output, stdout, stderr) = check(&["--from", path]);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    let good = stdout
        .find("list-good.test: MTA-STS is in place")
        .expect(&stdout);
    let missing = stdout
        .find("list-missing.test: senders get no MTA-STS policy")
        .expect(&stdout);
    assert!(good < missing, "input order: {stdout}");
    assert!(
        stderr.contains(&format!(
            "mta-sts check: {path}:4: not a domain name: invalid domain \"not a domain\""
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "mta-sts check: {path}:6: list-nosuch.test: could not check: "
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "mta-sts check: {path}:8: not a domain name: invalid domain \"caf\u{fffd}.test\""
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "mta-sts check: {path}:9: not a domain name: a line longer than 1024 bytes"
        )),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 4, "{stderr}");
    let summary = stdout.lines().rev().take(3).collect::<Vec<_>>().join("\n");
    assert!(
        stdout.contains("\nChecked 2 domains: ")
            && stdout.contains(" 1 with errors, ")
            && stdout.contains("; 1 could not be checked; 3 inputs not a domain name."),
        "{summary}"
    );
    assert!(
        stdout.contains("Most common findings (domains): "),
        "{summary}"
    );

    let (output, stdout, _) = check(&["--json", "--from", path]);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let (objects, summary) = results(&stdout);
    let lines: Vec<(u64, &str, &str)> = objects
        .iter()
        .map(|object| {
            assert_eq!(object["file"], path, "{object}");
            (
                object["line"].as_u64().expect("line"),
                object["domain"].as_str().expect("domain"),
                object["outcome"].as_str().expect("outcome"),
            )
        })
        .collect();
    let good_outcome = lines[0].2;
    assert!(["ok", "warnings"].contains(&good_outcome), "{good_outcome}");
    assert_eq!(
        lines,
        [
            (2, "list-good.test", good_outcome),
            (4, "not a domain", "not-a-domain"),
            (5, "list-missing.test", "errors"),
            (6, "list-nosuch.test", "could-not-check"),
            (8, "caf\u{fffd}.test", "not-a-domain"),
            (9, &format!("{}…", "a".repeat(40)), "not-a-domain"),
        ]
    );
    assert!(codes(&objects[2]).contains(&"http-status"));
    assert!(
        objects[1]["could_not_check"]
            .as_str()
            .is_some_and(|why| why.starts_with("not a domain name: ")),
        "{}",
        objects[1]
    );
    assert_eq!(summary["inputs"], 6, "{summary}");
    assert_eq!(summary["checked"], 2, "{summary}");
    assert_eq!(summary["errors"], 1, "{summary}");
    assert_eq!(summary["not_a_domain"], 3, "{summary}");
    assert_eq!(summary["could_not_check"], 1, "{summary}");
    assert_eq!(summary["interrupted"], false, "{summary}");
    let top = summary["top_findings"].as_array().expect("top findings");
    assert!(
        top.iter()
            .any(|finding| finding["code"] == "http-status" && finding["domains"] == 1),
        "{summary}"
    );
}

#[test]
fn arguments_come_first_then_standard_input() {
    publish_good("stdin-a.test");
    publish_good("stdin-b.test");
    let mut child = check_command(lab().dns, &["--json", "stdin-a.test", "--from", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mta-sts runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"stdin-b.test\r\n# done\n")
        .expect("list written");
    let output = child.wait_with_output().expect("mta-sts ends");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let (objects, summary) = results(&stdout);
    let domains: Vec<&str> = objects
        .iter()
        .map(|o| o["domain"].as_str().expect("domain"))
        .collect();
    assert_eq!(domains, ["stdin-a.test", "stdin-b.test"]);
    assert!(objects[0].get("line").is_none(), "{}", objects[0]);
    assert_eq!(objects[1]["file"], "-");
    assert_eq!(objects[1]["line"], 1);
    assert_eq!(summary["checked"], 2, "{summary}");
}

#[test]
fn a_list_that_comes_slowly_does_not_hold_up_the_checks() {
    publish_good("trickle-0.test");
    let mut child = check_command(lab().dns, &["--json", "--from", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mta-sts runs");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(b"trickle-0.test\n")
        .expect("a line written");
    let stdout = child.stdout.take().expect("stdout");
    let (sender, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if sender.send(line.expect("UTF-8")).is_err() {
                break;
            }
        }
    });
    // The list is still open, and the first result comes.
    let first = lines
        .recv_timeout(Duration::from_secs(20))
        .expect("the first result before the list ends");
    let first: serde_json::Value = serde_json::from_str(&first).expect("JSON");
    assert_eq!(first["domain"], "trickle-0.test", "{first}");
    drop(stdin);
    let summary = lines
        .recv_timeout(Duration::from_secs(20))
        .expect("the summary once the list ends");
    assert!(summary.starts_with("{\"summary\":"), "{summary}");
    assert_eq!(child.wait().expect("mta-sts ends").code(), Some(0));
}

#[test]
fn an_unreadable_list_is_named_and_the_rest_goes_on() {
    publish_good("beside-unreadable.test");
    let (output, stdout, stderr) =
        check(&["--from", "/nonexistent/list", "beside-unreadable.test"]);
    assert_eq!(output.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.starts_with("beside-unreadable.test: MTA-STS is in place"),
        "{stdout}"
    );
    assert!(
        stderr.starts_with("mta-sts check: cannot read \"/nonexistent/list\": "),
        "{stderr}"
    );
    assert!(stdout.contains("; 1 list unreadable."), "{stdout}");

    let (output, _, stderr) = check(&["--from", "/nonexistent/list"]);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let (output, _, stderr) = check(&["--from", "/"]);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("it is a directory"), "{stderr}");
}

#[test]
fn no_domain_and_no_list_is_a_usage_error() {
    let output = Command::new(env!("CARGO_BIN_EXE_mta-sts"))
        .arg("check")
        .output()
        .expect("mta-sts runs");
    assert_eq!(output.status.code(), Some(2));
    for jobs in ["0", "101", "many"] {
        let (output, _, stderr) = check(&["--jobs", jobs, "example.test"]);
        assert_eq!(output.status.code(), Some(2), "--jobs {jobs}: {stderr}");
        assert!(stderr.contains("--jobs"), "{stderr}");
    }
}

#[test]
fn one_job_or_many_give_the_same_results_in_the_same_order() {
    let mut list = String::new();
    for n in 0..24 {
        let domain = format!("jobs-{n}.test");
        match n % 3 {
            0 => publish_good(&domain),
            1 => publish_missing_policy(&domain),
            _ => {} // does not exist
        }
        list.push_str(&domain);
        list.push('\n');
    }
    let file = list_file("jobs", &list);
    let path = file.to_str().expect("UTF-8 path");
    let seen = |jobs: &str| {
        let (output, stdout, _) = check(&["--json", "--jobs", jobs, "--from", path]);
        assert_eq!(output.status.code(), Some(1), "{stdout}");
        let (objects, summary) = results(&stdout);
        let seen: Vec<(String, String, BTreeSet<String>)> = objects
            .iter()
            .map(|object| {
                (
                    object["domain"].as_str().expect("domain").to_owned(),
                    object["outcome"].as_str().expect("outcome").to_owned(),
                    codes(object).into_iter().map(str::to_owned).collect(),
                )
            })
            .collect();
        (seen, summary)
    };
    let (one, one_summary) = seen("1");
    let (many, many_summary) = seen("16");
    assert_eq!(one.len(), 24);
    assert_eq!(one, many);
    assert_eq!(one_summary, many_summary);
    assert_eq!(one_summary["could_not_check"], 8, "{one_summary}");
    assert_eq!(one_summary["errors"], 8, "{one_summary}");
}

#[test]
fn a_thousand_lab_domains_from_a_list() {
    // As `mta-sts-lab-serve` lays them out: of every ten, seven in place,
    // two without a policy (404), one that does not exist.
    let mut list = String::new();
    for n in 0..1000 {
        let domain = format!("thousand-{n}.test");
        match n % 10 {
            0..=6 => publish_good(&domain),
            7 | 8 => publish_missing_policy(&domain),
            _ => {} // does not exist
        }
        list.push_str(&domain);
        list.push('\n');
    }
    let file = list_file("thousand", &list);
    let (output, stdout, stderr) = check(&["--json", "--from", file.to_str().expect("UTF-8")]);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let (objects, summary) = results(&stdout);
    assert_eq!(objects.len(), 1000);
    for (n, object) in objects.iter().enumerate() {
        assert_eq!(
            object["domain"],
            format!("thousand-{n}.test"),
            "input order"
        );
        let outcome = match n % 10 {
            0..=6 => "ok",
            7 | 8 => "errors",
            _ => "could-not-check",
        };
        assert_eq!(object["outcome"], outcome, "{object}");
    }
    assert_eq!(summary["ok"], 700, "{summary}");
    assert_eq!(summary["errors"], 200, "{summary}");
    assert_eq!(summary["could_not_check"], 100, "{summary}");
}

/// Runs `command` in a pseudo-terminal (util-linux's `script`); returns
/// everything the terminal showed.
fn in_terminal(command: &Command) -> String {
    let mut line = String::new();
    line.push_str(&quote(command.get_program().to_str().expect("UTF-8")));
    for arg in command.get_args() {
        line.push(' ');
        line.push_str(&quote(arg.to_str().expect("UTF-8")));
    }
    let output = Command::new("script")
        .args(["--quiet", "--return", "--command", &line, "/dev/null"])
        .env("COLUMNS", "100")
        .stdin(Stdio::null())
        .output()
        .expect("script runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The lines a terminal shows for `shown`: what follows the last carriage
/// return of each line, without the "erase the line" sequence.
fn screen_lines(shown: &str) -> Vec<String> {
    shown
        .split('\n')
        .map(|line| {
            let line = line.trim_end_matches('\r');
            let visible = line.rsplit('\r').next().unwrap_or_default();
            visible.replace("\x1b[2K", "")
        })
        .collect()
}

fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[test]
fn progress_bar_on_a_terminal_and_none_when_piped() {
    let list = published("progress", 20, publish_good);
    let file = list_file("progress", &list);
    let path = file.to_str().expect("UTF-8 path");

    let shown = in_terminal(&check_command(lab().dns, &["--from", path]));
    assert!(shown.contains("/20 inputs checked"), "{shown}");
    // What stays on the screen: the reports, whole, and no bar (it is
    // cleared before each report is written, and at the end).
    let screen = screen_lines(&shown);
    for n in 0..20 {
        let first = format!("progress-{n}.test: MTA-STS is in place");
        assert!(
            screen.iter().any(|line| line.starts_with(&first)),
            "{first:?} in {screen:#?}"
        );
    }
    assert!(
        !screen.iter().any(|line| line.contains("inputs checked")),
        "{screen:#?}"
    );
    assert!(
        screen
            .iter()
            .any(|line| line.starts_with("Checked 20 domains: 20 ok")),
        "{screen:#?}"
    );

    let (output, stdout, stderr) = check(&["--from", path]);
    assert_eq!(output.status.code(), Some(0), "{stdout}{stderr}");
    assert_eq!(stderr, "");
    assert!(!stdout.contains("inputs checked"), "{stdout}");
}

#[test]
fn ctrl_c_writes_what_finished_and_says_it_was_interrupted() {
    let list = published("before-ctrl-c", 3, publish_good) + &published("slow", 3, publish_slow);
    let file = list_file("ctrl-c", &list);
    let path = file.to_str().expect("UTF-8 path");
    let mut child = check_command(lab().dns, &["--json", "--timeout", "60", "--from", path])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mta-sts runs");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut finished = String::new();
    for _ in 0..3 {
        stdout.read_line(&mut finished).expect("a result");
    }
    // The three good domains are written; the slow ones wait on their MX
    // host for up to a minute.
    let start = Instant::now();
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).expect("the rest");
    let output = child.wait_with_output().expect("mta-sts ends");
    let took = start.elapsed();
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_eq!(output.status.code(), Some(130), "{finished}{rest}");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert!(
        stderr
            .contains("mta-sts check: interrupted: 3 results written, 3 running checks abandoned"),
        "{stderr}"
    );
    let (objects, summary) = results(&(finished + &rest));
    let domains: Vec<&str> = objects
        .iter()
        .map(|o| o["domain"].as_str().expect("domain"))
        .collect();
    assert_eq!(
        domains,
        [
            "before-ctrl-c-0.test",
            "before-ctrl-c-1.test",
            "before-ctrl-c-2.test"
        ]
    );
    assert_eq!(summary["interrupted"], true, "{summary}");
    assert_eq!(summary["abandoned"], 3, "{summary}");
    assert_eq!(summary["checked"], 3, "{summary}");
}
