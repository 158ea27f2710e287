//! The sync runner against a hostile server: a small scripted HTTP server on
//! 127.0.0.1 (not the emulator's good behaviour) that sends cross-origin and
//! looping `Link` headers, endless bodies, huge headers, absurd rate-limit
//! waits, terminal escapes, and echoes the token back. Every case must end with
//! the documented exit code, in bounded time and memory, with a recorded job,
//! and with the token nowhere: not on stderr, not in the database.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use docgate::sync::store::{JobState, Store};

const TOKEN: &str = "ghp_hostileTEST0123456789abcdef";

/// One request the server saw.
#[derive(Clone, Debug)]
struct Seen {
    target: String,
    authorization: Option<String>,
}

/// A scripted server: `respond(target, n, stream)` answers the n-th request (from 0).
struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

type Respond = dyn Fn(&str, usize, &mut TcpStream) + Send + Sync + 'static;

impl Server {
    fn start(respond: impl Fn(&str, usize, &mut TcpStream) + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let respond: Arc<Respond> = Arc::new(respond);
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let log = log.clone();
                let respond = respond.clone();
                std::thread::spawn(move || {
                    let Some(seen) = read_head(&stream) else { return };
                    let n = {
                        let mut l = log.lock().unwrap();
                        l.push(seen.clone());
                        l.len() - 1
                    };
                    respond(&seen.target, n, &mut stream);
                    let _ = stream.flush();
                    let _ = stream.shutdown(std::net::Shutdown::Both);
                });
            }
        });
        Server { port, seen }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn read_head(stream: &TcpStream) -> Option<Seen> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let target = line.split_whitespace().nth(1)?.to_string();
    let mut authorization = None;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 || h == "\r\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':')
            && k.eq_ignore_ascii_case("authorization")
        {
            authorization = Some(v.trim().to_string());
        }
    }
    Some(Seen { target, authorization })
}

/// Writes a whole response that closes the connection.
fn respond(stream: &mut TcpStream, status: &str, headers: &[(&str, String)], body: &str) {
    let mut head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
}

fn page(total: i64, login: &str) -> String {
    serde_json::json!({
        "total_seats_consumed": total,
        "total_seats_purchased": total,
        "users": [{ "github_com_login": login, "enterprise_server_user": true, "github_com_user": true,
                    "enterprise_server_emails": [format!("{login}@example.com")], "github_com_verified_domain_emails": [] }]
    })
    .to_string()
}

fn bin() -> PathBuf {
    PathBuf::from(assert_cmd::cargo::cargo_bin!("docgate"))
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

/// `docgate sync --ghec-url SERVER … ARGS` with the token in the environment.
fn docgate_sync(server_url: &str, state: &Path, args: &[&str]) -> Run {
    let start = Instant::now();
    let out = std::process::Command::new(bin())
        .env("GITHUB_TOKEN", TOKEN)
        .env("GHES_TOKEN", TOKEN)
        .env_remove("DOCGATE_GHES_URL")
        .env_remove("DOCGATE_LOG")
        .args(["--today", "2026-11-23", "sync", "--state"])
        .arg(state)
        .args(["--ghec-url", server_url, "--enterprise", "acme", "--attempts", "2"])
        .args(args)
        .output()
        .unwrap();
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        took: start.elapsed(),
    };
    assert_ne!(run.code, Some(101), "a panic:\n{}", run.stderr);
    assert_ne!(run.code, None, "killed by a signal:\n{}", run.stderr);
    run
}

/// No token and no terminal escape anywhere the user or the database sees.
fn assert_clean(run: &Run, state: &Path) {
    for (what, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(!text.contains(TOKEN), "the token is on {what}:\n{text}");
        assert!(!text.contains('\u{1b}'), "an escape sequence is on {what}:\n{text:?}");
        assert!(!text.contains('\u{7}'), "a BEL is on {what}:\n{text:?}");
    }
    for file in [state.to_path_buf(), state.with_extension("db-wal")] {
        let bytes = std::fs::read(&file).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(TOKEN),
            "the token is in {}",
            file.display()
        );
    }
    // The database is binary: look at its text columns for escapes.
    let store = Store::open(state).unwrap();
    for job in store.jobs(1000).unwrap() {
        let mut texts = vec![
            job.error.clone(),
            job.detail.clone(),
            job.target.clone(),
            job.ghes_version.clone(),
        ];
        texts.extend(store.events(job.id).unwrap().into_iter().map(|(_, _, d)| Some(d)));
        for t in texts.into_iter().flatten() {
            assert!(
                !t.chars().any(|c| c.is_control() && c != '\n' && c != '\t'),
                "job {}: {t:?}",
                job.id
            );
        }
    }
}

fn last_job(state: &Path) -> docgate::sync::store::Job {
    Store::open(state).unwrap().jobs(1).unwrap().remove(0)
}

#[test]
fn pagination_never_takes_the_token_to_another_origin() {
    let elsewhere = Server::start(|_, _, s| respond(s, "200 OK", &[], &page(300, "stolen")));
    let other = elsewhere.url();
    let cases = [
        format!("{other}/enterprises/acme/consumed-licenses?page=2"),
        "http://docgate-hostile.invalid/enterprises/acme/consumed-licenses?page=2".to_string(),
        // The same host and port, another scheme: another origin.
        "https://127.0.0.1:1/enterprises/acme/consumed-licenses?page=2".to_string(),
        "//docgate-hostile.invalid/steal".to_string(),
    ];
    for next in cases {
        let link = next.clone();
        let server = Server::start(move |_, _, s| {
            respond(
                s,
                "200 OK",
                &[("link", format!("<{link}>; rel=\"next\""))],
                &page(300, "first"),
            )
        });
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("h.db");
        let run = docgate_sync(&server.url(), &state, &["report"]);
        assert_eq!(run.code, Some(3), "{next}: {}", run.stderr);
        assert!(run.stderr.contains("another origin"), "{next}: {}", run.stderr);
        assert_eq!(server.seen().len(), 1, "{next}");
        assert_eq!(
            server.seen()[0].authorization.as_deref(),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_clean(&run, &state);
        let job = last_job(&state);
        assert_eq!((job.state, job.exit_code), (JobState::Failed, Some(3)), "{next}");
    }
    assert!(
        elsewhere.seen().is_empty(),
        "another origin was asked: {:?}",
        elsewhere.seen()
    );
}

#[test]
fn redirects_to_another_origin_are_not_followed() {
    let elsewhere = Server::start(|_, _, s| respond(s, "200 OK", &[], r#"{"server_instances":[]}"#));
    let target = format!("{}/enterprises/acme/license-sync-status", elsewhere.url());
    let server = Server::start(move |_, _, s| respond(s, "302 Found", &[("location", target.clone())], "{}"));
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    let run = docgate_sync(&server.url(), &state, &["status"]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.stderr.contains("302"), "{}", run.stderr);
    assert!(
        elsewhere.seen().is_empty(),
        "the redirect was followed: {:?}",
        elsewhere.seen()
    );
    assert_clean(&run, &state);
}

#[test]
fn looping_and_endless_pagination_stops() {
    // A page that links to itself.
    let server = Server::start(|target, _, s| {
        respond(
            s,
            "200 OK",
            &[("link", format!("<{target}>; rel=\"next\""))],
            &page(300, "loop"),
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    let run = docgate_sync(&server.url(), &state, &["report"]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.stderr.contains("repeats a page"), "{}", run.stderr);
    assert_eq!(server.seen().len(), 1);
    assert_eq!(last_job(&state).state, JobState::Failed);

    // Every page links to a new one, forever, for an enterprise of 150 people.
    let server = Server::start(|_, n, s| {
        let next = format!(
            "</enterprises/acme/consumed-licenses?per_page=100&page={}>; rel=\"next\"",
            n + 2
        );
        respond(s, "200 OK", &[("link", next)], &page(150, &format!("user{n}")))
    });
    let run = docgate_sync(&server.url(), &state, &["report"]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.stderr.contains("more pages than"), "{}", run.stderr);
    assert!(server.seen().len() <= 13, "{} requests", server.seen().len());
    assert!(run.took < Duration::from_secs(30), "{:?}", run.took);
    assert_clean(&run, &state);
}

/// Peak resident memory of this test process's finished children, in KiB.
fn children_max_rss_kib() -> i64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a whole rusage into the pointer it is given.
    unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init().ru_maxrss
    }
}

/// JSON that never ends, as fast as the socket takes it.
fn endless_json(_: &str, _: usize, s: &mut TcpStream) {
    let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n");
    let _ = s.write_all(b"{\"server_instances\":[");
    let chunk = "{\"hostname\":\"h\",\"server_id\":\"x\"},".repeat(2000);
    while s.write_all(chunk.as_bytes()).is_ok() {}
}

/// A valid answer followed by endless whitespace.
fn endless_tail(_: &str, _: usize, s: &mut TcpStream) {
    let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n");
    let _ = s.write_all(b"{\"server_instances\":[]}");
    let spaces = vec![b' '; 1 << 16];
    while s.write_all(&spaces).is_ok() {}
}

/// An error page that never ends: only its start is read.
fn endless_error(_: &str, _: usize, s: &mut TcpStream) {
    let _ = s.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n");
    let text = vec![b'x'; 1 << 16];
    while s.write_all(&text).is_ok() {}
}

#[test]
fn endless_bodies_are_cut_at_the_size_limit() {
    type Script = fn(&str, usize, &mut TcpStream);
    let cases: [(&str, Script, &str); 3] = [
        ("json", endless_json, "larger than 8 MiB"),
        ("tail", endless_tail, "larger than 8 MiB"),
        ("error", endless_error, "404"),
    ];
    for (name, script, text) in cases {
        let server = Server::start(script);
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("h.db");
        let run = docgate_sync(&server.url(), &state, &["status"]);
        assert_eq!(run.code, Some(3), "{name}: {}", run.stderr);
        assert!(run.stderr.contains(text), "{name}: {}", run.stderr);
        assert!(run.took < Duration::from_secs(30), "{name}: {:?}", run.took);
        assert_clean(&run, &state);
        assert_eq!(last_job(&state).state, JobState::Failed, "{name}");
    }
    let rss = children_max_rss_kib();
    assert!(rss < 400 * 1024, "a child peaked at {rss} KiB");
}

#[test]
fn huge_headers_are_a_network_failure() {
    let server = Server::start(|_, _, s| {
        respond(
            s,
            "200 OK",
            &[("x-padding", "a".repeat(2 << 20))],
            r#"{"server_instances":[]}"#,
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    let run = docgate_sync(&server.url(), &state, &["status"]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.took < Duration::from_secs(30));
    assert_clean(&run, &state);
    assert_eq!(last_job(&state).state, JobState::Failed);
}

#[test]
fn a_server_that_echoes_the_token_does_not_get_it_printed_or_stored() {
    let server = Server::start(|_, _, s| {
        let body = serde_json::json!({
            "message": format!("Bad credentials: Authorization: Bearer {TOKEN} \u{1b}]0;pwned\u{7}\u{1b}[2J"),
        })
        .to_string();
        respond(
            s,
            "401 Unauthorized",
            &[("www-authenticate", format!("Bearer {TOKEN}"))],
            &body,
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    for args in [&["status"][..], &["report"], &["--ghes-url", &server.url(), "license"]] {
        let run = docgate_sync(&server.url(), &state, args);
        assert_eq!(run.code, Some(3), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("401"), "{}", run.stderr);
        assert!(run.stderr.contains("Bearer ***"), "{}", run.stderr);
        assert_clean(&run, &state);
        let job = last_job(&state);
        assert_eq!(job.state, JobState::Failed, "{args:?}");
        assert!(job.error.unwrap_or_default().contains("Bearer ***"));
    }
    // With debug logs on, too.
    let out = std::process::Command::new(bin())
        .env("GITHUB_TOKEN", TOKEN)
        .env("DOCGATE_LOG", "docgate=debug")
        .args(["sync", "--state"])
        .arg(&state)
        .args(["--ghec-url", &server.url(), "--enterprise", "acme", "status"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains(TOKEN));
}

#[test]
fn escape_sequences_from_the_server_never_reach_the_terminal() {
    let server = Server::start(|_, _, s| {
        let body = serde_json::json!({ "server_instances": [{
            "server_id": "\u{1b}[31mid",
            "hostname": "\u{1b}]0;pwned\u{7}ghes\u{1b}[2J.example.com\u{9b}1m",
            "last_sync": { "date": "2026-11-20T10:00:00Z", "status": "\u{1b}[32msuccess", "error": "\u{1b}[8mhidden\r\nforged line" }
        }]})
        .to_string();
        respond(s, "200 OK", &[], &body)
    });
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    for args in [&["status"][..], &["status", "--json"], &["status", "--max-age", "1s"]] {
        let run = docgate_sync(&server.url(), &state, args);
        assert!(matches!(run.code, Some(0 | 1)), "{args:?}: {}", run.stderr);
        assert!(run.stdout.contains("ghes"), "{args:?}: {}", run.stdout);
        assert!(!run.stdout.contains('\u{9b}'), "{args:?}");
        assert!(!run.stdout.contains('\r'), "{args:?}");
        assert_clean(&run, &state);
    }
    let run = docgate_sync(&server.url(), &state, &["history"]);
    assert_eq!(run.code, Some(0));
    assert_clean(&run, &state);
}

#[test]
fn absurd_rate_limit_waits_give_up_instead_of_panicking() {
    let cases: [(&str, Vec<(&str, String)>); 3] = [
        ("429 Too Many Requests", vec![("retry-after", u64::MAX.to_string())]),
        (
            "403 Forbidden",
            vec![
                ("x-ratelimit-remaining", "0".into()),
                ("x-ratelimit-reset", u64::MAX.to_string()),
            ],
        ),
        (
            "503 Service Unavailable",
            vec![("retry-after", "Wed, 30 Dec 9998 23:59:59 GMT".into())],
        ),
    ];
    for (status, headers) in cases {
        let h = headers.clone();
        let server = Server::start(move |_, _, s| respond(s, status, &h, r#"{"message":"slow down"}"#));
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("h.db");
        let run = docgate_sync(&server.url(), &state, &["status"]);
        assert_eq!(run.code, Some(3), "{status} {headers:?}: {}", run.stderr);
        assert!(run.stderr.contains("beyond --max-wait"), "{}", run.stderr);
        assert!(run.took < Duration::from_secs(20), "{:?}", run.took);
        assert_eq!(last_job(&state).state, JobState::Failed);
    }
}

#[test]
fn absurd_option_values_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    let url = "http://127.0.0.1:9";
    for (args, text) in [
        (
            &["--http-timeout", "99999999999999999999d", "status"][..],
            "--http-timeout",
        ),
        (&["--http-timeout", "0", "status"], "--http-timeout"),
        (&["--max-wait", "1e300", "status"], "--max-wait"),
        (&["status", "--max-age", "18446744073709551615d"], "--max-age"),
        (&["--ghes-version", "3.5", "trigger", "--interval", "0"], "--interval"),
        (&["--ghes-version", "3.5", "trigger", "--wait", "NaN"], "--wait"),
        (&["--attempts", "0", "status"], "--attempts"),
        (&["--attempts", "4294967295", "status"], "--attempts"),
    ] {
        let run = docgate_sync(url, &state, args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(text), "{args:?}: {}", run.stderr);
    }
    // Polling faster than once a second is refused against a real server.
    let out = std::process::Command::new(bin())
        .env("GITHUB_TOKEN", TOKEN)
        .args(["sync", "--state"])
        .arg(&state)
        .args(["--ghec-url", "https://api.example.com", "--enterprise", "acme"])
        .args([
            "--ghes-version",
            "3.5",
            "--ghes-host",
            "h",
            "trigger",
            "--interval",
            "0.5s",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("between 1s and"));
}

#[test]
fn failures_before_a_job_starts_are_recorded() {
    let server = Server::start(|_, _, s| respond(s, "500 Internal Server Error", &[], r#"{"message":"down"}"#));
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    let bad_upload = dir.path().join("usage.json");
    std::fs::write(&bad_upload, "not json").unwrap();
    let url = server.url();
    let cases: [(&[&str], i32, JobState, &str); 4] = [
        (&["--ghes-url", &url, "trigger"], 3, JobState::Failed, "trigger"),
        (
            &["--ghes-version", "9.99", "--ghes-host", "h", "trigger"],
            2,
            JobState::Refused,
            "trigger",
        ),
        (
            &[
                "--ghes-version",
                "3.5",
                "--ghes-host",
                "h",
                "upload",
                "--file",
                bad_upload.to_str().unwrap(),
            ],
            2,
            JobState::Failed,
            "upload",
        ),
        (&["--ghes-url", &url, "license"], 3, JobState::Failed, "license"),
    ];
    for (args, code, job_state, kind) in cases {
        let before = Store::open(&state).unwrap().jobs(100).unwrap().len();
        let run = docgate_sync(&url, &state, args);
        assert_eq!(run.code, Some(code), "{args:?}: {}", run.stderr);
        let jobs = Store::open(&state).unwrap().jobs(100).unwrap();
        assert_eq!(jobs.len(), before + 1, "{args:?}: no history row");
        let job = &jobs[0];
        assert_eq!(
            (job.kind.as_str(), job.state, job.exit_code),
            (kind, job_state, Some(code)),
            "{args:?}"
        );
        assert!(job.error.as_deref().is_some_and(|e| !e.is_empty()), "{job:?}");
    }
}
