//! Postfix from Debian's packages as the client of a TLS policy socketmap,
//! against the lab (docs/POSTFIX.md):
//!
//! - the replies of Debian's `postfix-mta-sts-resolver` and of
//!   `mta-sts postfix serve`, both asked through Postfix's own client
//!   (`postmap -q KEY socketmap:inet:…:postfix`), and of `mta-sts postfix
//!   reply` on the same policy text, for Debian's Postfix 3.7 and the same
//!   lab domains; each difference asserted with its reason;
//! - a sending Postfix taking its policies from each daemon in turn,
//!   delivering to the lab's Postfix MX: enforce with a good certificate is
//!   delivered over verified TLS, a certificate for another name is
//!   deferred and never sent in clear, testing is delivered; and the
//!   lookup keys Postfix sends are recorded and asserted.
//!
//! Needs root and Debian's `postfix` and `postfix-mta-sts-resolver`
//! (`.ci/run` installs them); a missing one fails the test that needs it.

use std::collections::BTreeSet;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use mta_sts_lab::mta_sts_daemon::{self, Daemon};
use mta_sts_lab::postfix_sender::{self, Outcome, Sender};
use mta_sts_lab::socketmap::Recorder;
use mta_sts_lab::{Behaviour, lab, policy};

const STS: &str = "v=STSv1; id=1;";

/// Debian's daemon, started once per test process.
fn debian_daemon() -> &'static Daemon {
    static DAEMON: OnceLock<Result<Daemon, String>> = OnceLock::new();
    match DAEMON.get_or_init(|| mta_sts_daemon::start(lab())) {
        Ok(daemon) => daemon,
        Err(why) => panic!("{why}"),
    }
}

/// Our daemon, `mta-sts postfix serve --postfix-version 3.7`, on the lab;
/// started once per test process. `--recheck 0`: every request asks DNS
/// for the record's id, as Debian's daemon does here.
fn our_daemon() -> SocketAddr {
    static DAEMON: OnceLock<Result<SocketAddr, String>> = OnceLock::new();
    let started = DAEMON.get_or_init(|| {
        let lab = lab();
        let port = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .map_err(|err| format!("no free port: {err}"))?
            .port();
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let dir = std::env::temp_dir().join(format!("mta-sts-real-postfix-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|err| format!("{}: {err}", dir.display()))?;
        let ca = dir.join("ca.pem");
        std::fs::write(&ca, lab.pki.ca_pem()).map_err(|err| format!("CA: {err}"))?;
        let (listen, resolver) = (address.to_string(), lab.dns.to_string());
        let https_port = lab.https_port.to_string();
        let log = dir.join("stderr");
        let args = [
            "postfix",
            "serve",
            "--postfix-version",
            "3.7",
            "--listen",
            &listen,
            "--resolver",
            &resolver,
            "--https-port",
            &https_port,
            "--timeout",
            "3",
            "--recheck",
            "0",
            "--ca",
            ca.to_str().expect("a UTF-8 temporary directory"),
        ];
        let program = std::path::Path::new(env!("CARGO_BIN_EXE_mta-sts"));
        mta_sts_lab::watchdog::spawn(program, args, &log, Some(&dir))?;
        if mta_sts_lab::watchdog::listening(address) {
            Ok(address)
        } else {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            Err(format!(
                "mta-sts postfix serve did not listen on {address}: {log}"
            ))
        }
    });
    match started {
        Ok(address) => *address,
        Err(why) => panic!("{why}"),
    }
}

/// Publishes `domain` with `policy` (or the policy host's `behaviour`) and
/// MX host `mx` at `address`.
fn publish(domain: &str, behaviour: Behaviour, mx: &str, address: Ipv4Addr) {
    let lab = lab();
    lab.publish(domain, &[STS], behaviour, &[]);
    lab.zone.set_mx(domain, &[(10, mx)]);
    lab.zone.set_a(mx, address);
}

/// A Postfix configuration directory for `postmap` (the package installs
/// none with "No configuration"): the lab MX instance's.
fn postmap_config() -> PathBuf {
    match mta_sts_lab::postfix() {
        Ok(dir) => dir.join("etc"),
        Err(why) => panic!("{why}"),
    }
}

/// Postfix's socketmap client asks `map` on `address` for `key`:
/// `OK value` or `NOTFOUND`, as the daemon answered.
fn postmap(key: &str, address: SocketAddr, map: &str) -> String {
    let output = Command::new("/usr/sbin/postmap")
        .arg("-c")
        .arg(postmap_config())
        .args(["-q", key, &format!("socketmap:inet:{address}:{map}")])
        .output()
        .expect("Debian's postfix is installed (apt-get install postfix)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    match output.status.code() {
        Some(0) => format!("OK {}", stdout.trim_end()),
        Some(1) if stdout.is_empty() => "NOTFOUND".to_owned(),
        _ => panic!(
            "postmap -q {key}: {:?} {stdout} {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

/// Our reply for `key` when the domain's policy is `policy` (`None`: no
/// policy, as after NXDOMAIN or a 404), for Debian's Postfix 3.7.
fn ours(key: &str, policy: Option<&str>, extra: &[&str]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mta-sts"))
        .args([
            "postfix",
            "reply",
            "--postfix-version",
            "3.7",
            "--domain",
            key,
        ])
        .args(extra)
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mta-sts runs");
    let text = policy.unwrap_or_default();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout)
        .trim_end()
        .to_owned()
}

/// The `match=` patterns of a reply as a set (Debian's daemon builds its
/// list from a Python `set`, so its order changes from run to run), and
/// the reply without them.
fn split_match(reply: &str) -> (String, BTreeSet<String>) {
    let mut patterns = BTreeSet::new();
    let mut rest = Vec::new();
    for word in reply.split(' ') {
        match word.strip_prefix("match=") {
            Some(list) => patterns.extend(list.split(':').map(str::to_owned)),
            None => rest.push(word),
        }
    }
    (rest.join(" "), patterns)
}

/// One lab domain for the comparison: its policy (`None`: the policy
/// host answers 404) and the replies expected from each daemon.
struct Case {
    domain: &'static str,
    policy: Option<String>,
    /// The lookup key Postfix sends (the domain unless a key form is tested).
    key: &'static str,
    debian: &'static str,
    ours: &'static str,
}

#[track_caller]
fn compare(case: &Case) {
    let lab = lab();
    let behaviour = case
        .policy
        .as_deref()
        .map_or_else(|| Behaviour::status(404), Behaviour::policy);
    lab.publish(case.domain, &[STS], behaviour, &[]);
    let debian = postmap(case.key, debian_daemon().address(), "postfix");
    let ours = ours(case.key, case.policy.as_deref(), &[]);
    let served = postmap(case.key, our_daemon(), "postfix");
    for (who, got, expected) in [
        ("debian", &debian, case.debian),
        ("ours", &ours, case.ours),
        ("mta-sts postfix serve", &served, case.ours),
    ] {
        assert_eq!(
            split_match(got),
            split_match(expected),
            "{who} for {} (key {:?}): {got:?}",
            case.domain,
            case.key
        );
    }
}

// The replies compared (docs/POSTFIX.md has the same table)

#[test]
fn where_both_daemons_agree() {
    let enforce = policy("enforce", &["mx1.agree.test", "*.agree.test"], 86_400);
    for case in [
        // F1, F3, F7: enforce; `*.` written `.` by both (Postfix's
        // `.agree.test` matches any depth: the F7 caveat applies to both).
        Case {
            domain: "agree.test",
            policy: Some(enforce.clone()),
            key: "agree.test",
            debian: "OK secure match=mx1.agree.test:.agree.test servername=hostname",
            ours: "OK secure match=mx1.agree.test:.agree.test servername=hostname",
        },
        // F8: case, a trailing dot and a `:port` suffix name the same domain.
        Case {
            domain: "agree.test",
            policy: Some(enforce.clone()),
            key: "Agree.TEST.",
            debian: "OK secure match=mx1.agree.test:.agree.test servername=hostname",
            ours: "OK secure match=mx1.agree.test:.agree.test servername=hostname",
        },
        Case {
            domain: "agree.test",
            policy: Some(enforce.clone()),
            key: "agree.test:25",
            debian: "OK secure match=mx1.agree.test:.agree.test servername=hostname",
            ours: "OK secure match=mx1.agree.test:.agree.test servername=hostname",
        },
        // F8: parent-domain lookups (the policy is there; the key form
        // alone decides).
        Case {
            domain: "agree.test",
            policy: Some(enforce.clone()),
            key: ".agree.test",
            debian: "NOTFOUND",
            ours: "NOTFOUND",
        },
        // F8: an address literal next hop has no policy domain.
        Case {
            domain: "agree.test",
            policy: Some(enforce),
            key: "[192.0.2.1]:25",
            debian: "NOTFOUND",
            ours: "NOTFOUND",
        },
        // F2: testing and none never block delivery.
        Case {
            domain: "testing.agree.test",
            policy: Some(policy("testing", &["mx.agree.test"], 86_400)),
            key: "testing.agree.test",
            debian: "NOTFOUND",
            ours: "NOTFOUND",
        },
        Case {
            domain: "none.agree.test",
            policy: Some(policy("none", &["mx.agree.test"], 86_400)),
            key: "none.agree.test",
            debian: "NOTFOUND",
            ours: "NOTFOUND",
        },
        // F2: a 404 is no policy.
        Case {
            domain: "missing.agree.test",
            policy: None,
            key: "missing.agree.test",
            debian: "NOTFOUND",
            ours: "NOTFOUND",
        },
        // F5: a misspelt `nmx:` leaves no pattern: no policy for both
        // (Debian's daemon refuses the fetch), never an empty `match=`.
        Case {
            domain: "nmx.agree.test",
            policy: Some(
                "version: STSv1\r\nmode: enforce\r\nnmx: mx.agree.test\r\nmax_age: 86400\r\n"
                    .to_owned(),
            ),
            key: "nmx.agree.test",
            debian: "NOTFOUND",
            ours: "NOTFOUND",
        },
    ] {
        compare(&case);
    }
}

#[test]
fn no_mta_sts_record_is_notfound_for_both() {
    // F2: no `_mta-sts` TXT record (NXDOMAIN): no policy.
    assert_eq!(
        postmap("absent.test", debian_daemon().address(), "postfix"),
        "NOTFOUND"
    );
    assert_eq!(ours("absent.test", None, &[]), "NOTFOUND");
    assert_eq!(postmap("absent.test", our_daemon(), "postfix"), "NOTFOUND");
}

#[test]
fn strict_testing_matches_testing_as_enforce() {
    // F2's option: Debian's `strict_testing` zone and our
    // `--testing-as-enforce` give the same reply for a testing policy.
    let text = policy("testing", &["mx.strict.test"], 86_400);
    lab().publish("strict.test", &[STS], Behaviour::policy(&text), &[]);
    let expected = "OK secure match=mx.strict.test servername=hostname";
    assert_eq!(
        postmap(
            "strict.test",
            debian_daemon().address(),
            mta_sts_daemon::STRICT_MAP
        ),
        expected
    );
    assert_eq!(
        ours("strict.test", Some(&text), &["--testing-as-enforce"]),
        expected
    );
}

#[test]
fn where_the_daemons_differ() {
    for case in [
        // F4: an IP address in `mx` (M11) goes into Debian's `match=`;
        // Postfix compares it with certificate names and every delivery
        // fails ("IP address mismatch"). Ours leaves it out.
        Case {
            domain: "ip.differ.test",
            policy: Some(policy("enforce", &["192.0.2.1", "mx.differ.test"], 86_400)),
            key: "ip.differ.test",
            debian: "OK secure match=192.0.2.1:mx.differ.test servername=hostname",
            ours: "OK secure match=mx.differ.test servername=hostname",
        },
        // F5: with only an address left, Debian's reply can match no
        // certificate and mail stays queued; ours is no policy, so the
        // address-only mistake does not stop mail (RFC 8461 §4.1: the
        // patterns are host names).
        Case {
            domain: "onlyip.differ.test",
            policy: Some(policy("enforce", &["192.0.2.1"], 86_400)),
            key: "onlyip.differ.test",
            debian: "OK secure match=192.0.2.1 servername=hostname",
            ours: "NOTFOUND",
        },
        // F3: patterns lowercased and de-duplicated; Debian's set keeps
        // both spellings (harmless: Postfix compares names without case,
        // RFC 8461 §4.1 too).
        Case {
            domain: "case.differ.test",
            policy: Some(policy(
                "enforce",
                &["MX.Case.differ.test", "mx.case.differ.test"],
                86_400,
            )),
            key: "case.differ.test",
            debian: "OK secure match=MX.Case.differ.test:mx.case.differ.test servername=hostname",
            ours: "OK secure match=mx.case.differ.test servername=hostname",
        },
        // F8: a next hop in brackets suppresses MX lookups, so the
        // policy's MX check does not apply (RFC 8461 §4.1 checks MX
        // hosts); Debian's daemon strips the brackets and answers the
        // domain's policy.
        Case {
            domain: "bracket.differ.test",
            policy: Some(policy("enforce", &["mx.bracket.differ.test"], 86_400)),
            key: "[bracket.differ.test]",
            debian: "OK secure match=mx.bracket.differ.test servername=hostname",
            ours: "NOTFOUND",
        },
        // M3, F3: a trailing dot in `mx` is stripped by a lenient sender;
        // Debian's daemon passes the pattern on as written.
        Case {
            domain: "dot.differ.test",
            policy: Some(policy("enforce", &["mx.dot.differ.test."], 86_400)),
            key: "dot.differ.test",
            debian: "OK secure match=mx.dot.differ.test. servername=hostname",
            ours: "OK secure match=mx.dot.differ.test servername=hostname",
        },
        // M6, F2: `*.*.` is no valid pattern (RFC 8461 §3.2 allows one
        // leading `*.` label), so the policy is invalid and a sender has
        // none; Debian's daemon enforces it, with a `match=` pattern
        // holding a literal `*`.
        Case {
            domain: "star.differ.test",
            policy: Some(policy(
                "enforce",
                &["mx.star.differ.test", "*.*.star.differ.test"],
                86_400,
            )),
            key: "star.differ.test",
            debian: "OK secure match=mx.star.differ.test:.*.star.differ.test servername=hostname",
            ours: "NOTFOUND",
        },
    ] {
        compare(&case);
    }
}

// Where the DNS answer or the HTTP response decides: the daemons only

/// A lab domain whose record or policy response is the point: the
/// replies of both daemons, asked through `postmap`.
struct Fetched {
    domain: &'static str,
    txt: &'static [&'static str],
    response: Behaviour,
    debian: &'static str,
    ours: &'static str,
}

#[track_caller]
fn compare_fetched(case: Fetched) {
    lab().publish(case.domain, case.txt, case.response, &[]);
    let debian = postmap(case.domain, debian_daemon().address(), "postfix");
    let ours = postmap(case.domain, our_daemon(), "postfix");
    assert_eq!(
        (debian.as_str(), ours.as_str()),
        (case.debian, case.ours),
        "{} (debian, ours)",
        case.domain
    );
}

/// A 200 response with this media type and body.
fn served(content_type: &'static str, body: &str) -> Behaviour {
    Behaviour::Serve {
        status: 200,
        content_type,
        body: body.as_bytes().to_vec(),
        location: None,
    }
}

#[test]
fn where_the_fetch_decides() {
    let enforce = |mx: &str| policy("enforce", &[mx], 86_400);
    for case in [
        // R3: two STSv1 records are no record (RFC 8461 §3.1).
        Fetched {
            domain: "two.fetch.test",
            txt: &["v=STSv1; id=1;", "v=STSv1; id=2;"],
            response: Behaviour::policy(&enforce("mx.two.fetch.test")),
            debian: "NOTFOUND",
            ours: "NOTFOUND",
        },
        // RFC 8461 §3.3: redirects are not followed: no policy for both.
        Fetched {
            domain: "redirect.fetch.test",
            txt: &[STS],
            response: Behaviour::Serve {
                status: 301,
                content_type: "text/plain",
                body: Vec::new(),
                location: Some("https://mta-sts.two.fetch.test/.well-known/mta-sts.txt".into()),
            },
            debian: "NOTFOUND",
            ours: "NOTFOUND",
        },
        // RFC 8461 §3.3: senders SHOULD check the media type. A lenient
        // sender keeps a policy whose only fault is `text/html` (lint
        // `media-type`, a warning), so its MX hosts stay protected;
        // Debian's daemon drops it and mail goes without MTA-STS.
        Fetched {
            domain: "html.fetch.test",
            txt: &[STS],
            response: served("text/html", &enforce("mx.html.fetch.test")),
            debian: "NOTFOUND",
            ours: "OK secure match=mx.html.fetch.test servername=hostname",
        },
        // P17: a `max_age` above RFC 8461's 31 557 600 is clamped by a
        // lenient sender; Debian's daemon drops the policy.
        Fetched {
            domain: "maxage.fetch.test",
            txt: &[STS],
            response: Behaviour::policy(&policy("enforce", &["mx.maxage.fetch.test"], 99_999_999)),
            debian: "NOTFOUND",
            ours: "OK secure match=mx.maxage.fetch.test servername=hostname",
        },
        // P7: a byte order mark is stripped by a lenient sender; Debian's
        // daemon decodes the body as ASCII and drops the policy.
        Fetched {
            domain: "bom.fetch.test",
            txt: &[STS],
            response: Behaviour::policy(&format!("\u{feff}{}", enforce("mx.bom.fetch.test"))),
            debian: "NOTFOUND",
            ours: "OK secure match=mx.bom.fetch.test servername=hostname",
        },
        // P14: `Enforce` is no mode: no policy for both.
        Fetched {
            domain: "mode.fetch.test",
            txt: &[STS],
            response: Behaviour::policy(&policy("Enforce", &["mx.mode.fetch.test"], 86_400)),
            debian: "NOTFOUND",
            ours: "NOTFOUND",
        },
    ] {
        compare_fetched(case);
    }
}

#[test]
fn a_failed_fetch_keeps_the_policy_and_none_replaces_it_at_once() {
    // F9 (RFC 8461 §5.1, §3.3): a new id whose fetch fails keeps the
    // cached policy; a new id whose policy is `mode: none` ends it at once.
    let lab = lab();
    let domain = "cache.fetch.test";
    let ask = || {
        (
            postmap(domain, debian_daemon().address(), "postfix"),
            postmap(domain, our_daemon(), "postfix"),
        )
    };
    let enforced = "OK secure match=mx.cache.fetch.test servername=hostname";
    let text = policy("enforce", &["mx.cache.fetch.test"], 86_400);
    lab.publish(domain, &["v=STSv1; id=1;"], Behaviour::policy(&text), &[]);
    assert_eq!(ask(), (enforced.to_owned(), enforced.to_owned()));
    lab.publish(domain, &["v=STSv1; id=2;"], Behaviour::status(500), &[]);
    assert_eq!(ask(), (enforced.to_owned(), enforced.to_owned()));
    let hits = lab.web.hits("mta-sts.cache.fetch.test");
    assert!(hits >= 4, "both daemons fetched twice: {hits}");
    let none = policy("none", &["mx.cache.fetch.test"], 86_400);
    lab.publish(domain, &["v=STSv1; id=3;"], Behaviour::policy(&none), &[]);
    let notfound = "NOTFOUND".to_owned();
    assert_eq!(ask(), (notfound.clone(), notfound));
}

// Delivery through a sending Postfix

/// The socketmap daemon a sending Postfix asks.
#[derive(Clone, Copy, Debug)]
enum Via {
    /// Debian's postfix-mta-sts-resolver.
    Debian,
    /// `mta-sts postfix serve`.
    Ours,
}

impl Via {
    /// A label for the lab domains of this daemon's tests.
    fn label(self) -> &'static str {
        match self {
            Via::Debian => "debian",
            Via::Ours => "ours",
        }
    }

    /// The daemon's address.
    fn daemon(self) -> SocketAddr {
        match self {
            Via::Debian => debian_daemon().address(),
            Via::Ours => our_daemon(),
        }
    }

    /// A sending Postfix whose policy socketmap is this daemon behind a
    /// recorder; started once per test process and daemon.
    fn sender(self) -> &'static (Recorder, Sender) {
        static DEBIAN: OnceLock<Result<(Recorder, Sender), String>> = OnceLock::new();
        static OURS: OnceLock<Result<(Recorder, Sender), String>> = OnceLock::new();
        let cell = match self {
            Via::Debian => &DEBIAN,
            Via::Ours => &OURS,
        };
        let started = cell.get_or_init(|| {
            let lab = lab();
            mta_sts_lab::postfix()?;
            let recorder = Recorder::start(self.daemon());
            let sender = postfix_sender::start(
                std::sync::Arc::clone(&lab.zone),
                &lab.pki,
                lab.smtp_port,
                recorder.address(),
            )?;
            Ok((recorder, sender))
        });
        match started {
            Ok(pair) => pair,
            Err(why) => panic!("{why}"),
        }
    }
}

/// The lab Postfix MX's log.
fn mx_log() -> String {
    let dir = mta_sts_lab::postfix().expect("the MX Postfix started");
    std::fs::read_to_string(dir.join("maillog")).unwrap_or_default()
}

/// Whether the lab Postfix MX received mail for `recipient`: its log
/// names it within 10 s (the MX logs its own delivery a little after the
/// sender has logged `status=sent`).
fn mx_received(recipient: &str) -> bool {
    let to = format!("to=<{recipient}>");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::time::Instant::now() < deadline {
        if mx_log().contains(&to) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// Publishes `NAME.VIA.test` with a `mode` policy listing its one MX host
/// `mx` (the lab's Postfix MX, whose certificate names
/// `mx.postfix.test`), sends a message to `user@` it through `via`'s
/// sending Postfix; returns the domain, the outcome and what Postfix
/// asked the daemon.
fn deliver(via: Via, name: &str, mode: &str, mx: &str) -> (String, Outcome, Vec<String>) {
    let domain = format!("{name}.{}.test", via.label());
    let mx = mx.replace("DOMAIN", &domain);
    let text = policy(mode, &[&mx], 86_400);
    publish(
        &domain,
        Behaviour::policy(&text),
        &mx,
        mta_sts_lab::postfix::ADDRESS,
    );
    let (recorder, sender) = via.sender();
    let outcome = sender
        .send(&format!("user@{domain}"), Duration::from_secs(30))
        .unwrap();
    (domain, outcome, recorder.requests())
}

fn enforce_with_a_good_certificate_is_delivered_over_verified_tls(via: Via) {
    let mx = mta_sts_lab::postfix::HOST;
    let (domain, outcome, asked) = deliver(via, "good", "enforce", mx);
    assert_eq!(outcome.status, "sent", "{}", outcome.log);
    let verified = format!("Verified TLS connection established to {mx}[");
    assert!(outcome.log.contains(&verified), "{}", outcome.log);
    assert!(mx_received(&format!("user@{domain}")), "{}", mx_log());
    // The key Postfix sends is the recipient domain, as is.
    let asked: Vec<&String> = asked.iter().filter(|key| key.contains(&domain)).collect();
    assert_eq!(asked, [&format!("postfix {domain}")]);
}

fn a_certificate_for_another_name_is_deferred_never_sent_in_clear(via: Via) {
    // The MX host's name is in the policy, but Postfix's certificate names
    // mx.postfix.test only.
    let (domain, outcome, _) = deliver(via, "othername", "enforce", "mx.DOMAIN");
    assert_eq!(outcome.status, "deferred", "{}", outcome.log);
    for line in [
        &format!("server certificate verification failed for mx.{domain}[127.0.0.7]"),
        "hostname mismatch",
        "status=deferred (Server certificate not verified)",
    ] {
        assert!(outcome.log.contains(line), "{line}: {}", outcome.log);
    }
    let mx_log = mx_log();
    assert!(!mx_log.contains(&format!("to=<user@{domain}>")), "{mx_log}");
}

fn testing_is_delivered_even_when_the_certificate_would_fail(via: Via) {
    let (domain, outcome, asked) = deliver(via, "testing", "testing", "mx.DOMAIN");
    assert_eq!(outcome.status, "sent", "{}", outcome.log);
    let established = format!("TLS connection established to mx.{domain}[");
    assert!(outcome.log.contains(&established), "{}", outcome.log);
    assert!(mx_received(&format!("user@{domain}")), "{}", mx_log());
    // After `NOTFOUND ` for the domain, Postfix asks again for each parent
    // domain with a leading dot (F8 answers them `NOTFOUND `).
    let parent = domain.split_once('.').unwrap().1;
    let at = |key: String| asked.iter().position(|request| *request == key);
    let (first, then) = (
        at(format!("postfix {domain}")),
        at(format!("postfix .{parent}")),
    );
    assert!(first.is_some() && then > first, "{asked:?}");
}

#[test]
fn debian_enforce_with_a_good_certificate_is_delivered_over_verified_tls() {
    enforce_with_a_good_certificate_is_delivered_over_verified_tls(Via::Debian);
}

#[test]
fn debian_a_certificate_for_another_name_is_deferred_never_sent_in_clear() {
    a_certificate_for_another_name_is_deferred_never_sent_in_clear(Via::Debian);
}

#[test]
fn debian_testing_is_delivered_even_when_the_certificate_would_fail() {
    testing_is_delivered_even_when_the_certificate_would_fail(Via::Debian);
}

#[test]
fn ours_enforce_with_a_good_certificate_is_delivered_over_verified_tls() {
    enforce_with_a_good_certificate_is_delivered_over_verified_tls(Via::Ours);
}

#[test]
fn ours_a_certificate_for_another_name_is_deferred_never_sent_in_clear() {
    a_certificate_for_another_name_is_deferred_never_sent_in_clear(Via::Ours);
}

#[test]
fn ours_testing_is_delivered_even_when_the_certificate_would_fail() {
    testing_is_delivered_even_when_the_certificate_would_fail(Via::Ours);
}
