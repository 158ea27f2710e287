//! The license-sync runner against the emulator (a real HTTP server on
//! loopback): capabilities and the docs agree for every release and language,
//! trigger/upload/export/status/report end to end, every injected fault, and a
//! consistent job history after kill -9.

use crate::common;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use docgate::corpus::Corpus;
use docgate::emulator::{Config, Emulator, Fault};
use docgate::languages::Lang;
use docgate::render::Renderer;
use docgate::sync::capabilities::{self, SEED_PAGE, SYNC_PAGE};
use docgate::sync::store::{JobState, Store};
use docgate::versions::Version;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

const TOKEN: &str = "emulator-admin-token";

fn bin() -> PathBuf {
    PathBuf::from(assert_cmd::cargo::cargo_bin!("docgate"))
}

fn emulator(version: &str, faults: &[&str]) -> Emulator {
    Emulator::start(
        Config {
            ghes_version: version.into(),
            users: 200,
            faults: faults.iter().map(|f| Fault::parse(f).unwrap()).collect(),
            ..Config::default()
        },
        0,
    )
    .unwrap()
}

/// The arguments of `docgate sync …` against `emu`, with its own history database.
fn sync_args(emu: &Emulator, state: &Path) -> Vec<std::ffi::OsString> {
    let mut a: Vec<std::ffi::OsString> = ["--today", "2026-11-23", "sync", "--state"].map(Into::into).to_vec();
    a.push(state.into());
    for s in [
        "--ghes-url",
        &emu.url(),
        "--ghec-url",
        &emu.url(),
        "--enterprise",
        "acme",
    ] {
        a.push(s.into());
    }
    for s in ["--ghes-host", "ghes.example.com", "--attempts", "4"] {
        a.push(s.into());
    }
    a
}

/// `docgate sync …` against `emu` (for assertions).
fn sync(emu: &Emulator, state: &Path) -> Command {
    let mut c = Command::new(bin());
    c.env("GITHUB_TOKEN", TOKEN)
        .env_remove("GHES_TOKEN")
        .env_remove("DOCGATE_GHES_URL")
        .args(sync_args(emu, state));
    c
}

/// `docgate sync …` against `emu` as a child process (for background runs).
fn spawn_sync(emu: &Emulator, state: &Path, args: &[&str]) -> Child {
    std::process::Command::new(bin())
        .env("GITHUB_TOKEN", TOKEN)
        .env_remove("GHES_TOKEN")
        .args(sync_args(emu, state))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn client() -> reqwest::blocking::Client {
    docgate::sync::http::install_tls_provider();
    reqwest::blocking::Client::new()
}

fn post(url: &str) {
    let client = client();
    let r = client.post(url).send().unwrap();
    assert!(r.status().is_success(), "{url}: {}", r.status());
}

fn jobs(state: &Path) -> Vec<docgate::sync::store::Job> {
    Store::open(state).unwrap().jobs(50).unwrap()
}

#[test]
fn the_docs_mention_the_trigger_exactly_where_the_capability_is_on() {
    let corpus = Corpus::bundled("2026-11-23".parse().unwrap()).unwrap();
    let renderer = Renderer::new(corpus.clone()).unwrap();
    let seed = corpus.page(SEED_PAGE).unwrap().unwrap();
    let sync_page = corpus.page(SYNC_PAGE).unwrap().unwrap();
    let trigger = capabilities::CapabilityId::Trigger.capability();
    let mut checked = 0;
    for info in corpus.releases().releases() {
        let on = capabilities::enabled(&renderer, trigger, info.release).unwrap();
        assert_eq!(on, info.release > "3.4".parse().unwrap(), "{}", info.release);
        for lang in Lang::all() {
            let v = Version::Ghes(info.release);
            let article = renderer.render_page(&seed, v, lang).unwrap();
            assert_eq!(
                article.body.contains("#triggering-a-license-sync-job"),
                on,
                "seed article, {} {lang}",
                info.release
            );
            let page = renderer.render_page(&sync_page, v, lang).unwrap();
            assert_eq!(
                page.body.contains("### Triggering a license sync job"),
                on,
                "sync page, {} {lang}",
                info.release
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 48 * 9);
}

/// `docgate sync capabilities --json` against `emu`, which must succeed.
fn capabilities_json(emu: &Emulator, state: &Path) -> serde_json::Value {
    let out = sync(emu, state).args(["capabilities", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn capabilities_follow_the_installed_release() {
    let emu = emulator("3.12.4", &[]);
    let dir = tempfile::tempdir().unwrap();
    let v = capabilities_json(&emu, &dir.path().join("h.db"));
    assert_eq!(v["installed"], "3.12.4", "detected from /api/v3/meta");
    let on = |name: &str| {
        v["capabilities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()["enabled"]
            .as_bool()
            .unwrap()
    };
    assert!(on("trigger") && on("ghas-usage") && on("export"));
    assert!(!on("ghe-license") && !on("ghecom-target"));
    let trigger = v["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "trigger")
        .unwrap();
    assert!(trigger["description"].as_str().unwrap().contains("Sync now"));
    assert!(trigger["requires"].as_str().unwrap().contains("ghes '>3.4'"));
    // Docs links are docs.github.com URLs of the installed release, reusables
    // included; descriptions are plain text (no wrapping, no decoration).
    for c in v["capabilities"].as_array().unwrap() {
        for key in ["docs", "alternative_docs"] {
            if let Some(link) = c[key].as_str() {
                assert!(
                    link.starts_with("https://docs.github.com/en/enterprise-server@3.12/"),
                    "{}: {link}",
                    c["name"]
                );
            }
        }
        let d = c["description"].as_str().unwrap();
        assert!(!d.contains('─') && !d.contains("###") && !d.contains("\x1b"), "{d:?}");
        assert!(!d.contains("</admin"), "relative link in {d:?}");
    }
    // The descriptions come from the docs in the language asked for: the
    // enabling steps are translated into Korean; the billing article is not
    // (English fallback).
    let ko = sync(&emu, &dir.path().join("h.db"))
        .args(["--lang", "ko", "capabilities", "--json"])
        .output()
        .unwrap();
    assert!(ko.status.success(), "{}", String::from_utf8_lossy(&ko.stderr));
    let ko: serde_json::Value = serde_json::from_slice(&ko.stdout).unwrap();
    let describe = |v: &serde_json::Value, name: &str| {
        v["capabilities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()["description"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let enable_ko = describe(&ko, "enable");
    assert!(enable_ko.contains("라이선스 동기화 사용"), "{enable_ko}");
    assert!(
        !enable_ko.contains("{%") && !enable_ko.contains("데이터"),
        "{enable_ko}"
    );
    assert!(describe(&v, "enable").contains("Enabling license synchronization"));
    assert!(describe(&ko, "trigger").contains("Sync now"));
    sync(&emu, &dir.path().join("h.db"))
        .args(["--ghes-version", "3.16", "capabilities"])
        .assert()
        .success()
        .stdout(contains("GitHub Enterprise Server 3.16 (release 3.16)").and(contains("ghecom-target  enabled")));
}

#[test]
fn the_release_comes_from_the_version_header_when_meta_lacks_it() {
    let emu = Emulator::start(
        Config {
            ghes_version: "3.4.7".into(),
            meta_version: false,
            ..Config::default()
        },
        0,
    )
    .unwrap();
    let meta: serde_json::Value = client()
        .get(format!("{}/api/v3/meta", emu.url()))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(meta.get("installed_version").is_none(), "{meta}");
    let dir = tempfile::tempdir().unwrap();
    let v = capabilities_json(&emu, &dir.path().join("h.db"));
    assert_eq!(v["installed"], "3.4.7", "detected from X-GitHub-Enterprise-Version");
    sync(&emu, &dir.path().join("h.db"))
        .arg("trigger")
        .assert()
        .code(2)
        .stderr(contains("3.4"));
}

#[test]
fn trigger_is_refused_on_3_4_with_the_reason_the_alternative_and_the_docs() {
    let emu = emulator("3.4.9", &[]);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    sync(&emu, &state)
        .arg("trigger")
        .assert()
        .code(2)
        .stderr(
            contains("`docgate sync trigger` is not available on GitHub Enterprise Server 3.4.9")
                .and(contains("requires feature license-sync-manual-trigger (ghec '*', ghes '>3.4')"))
                .and(contains("syncs weekly"))
                .and(contains("docgate sync export"))
                .and(contains("Manually uploading GitHub Enterprise Server license usage"))
                .and(contains("/en/enterprise-server@3.4/billing/managing-your-license-for-github-enterprise/syncing-license-usage-between-github-enterprise-server-and-github-enterprise-cloud#manually-uploading")),
        );
    let j = jobs(&state);
    assert_eq!(
        (j[0].kind.as_str(), j[0].state, j[0].exit_code),
        ("trigger", JobState::Refused, Some(2))
    );
}

#[test]
fn trigger_on_3_5_guides_then_sees_the_sync_the_test_clicks() {
    let emu = emulator("3.5.0", &[]);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    let mut child = spawn_sync(&emu, &state, &["trigger", "--interval", "0.2s", "--wait", "20s"]);
    wait_for_polls(&state, 1);
    post(&format!("{}/_emulator/sync-now", emu.url()));
    let out = wait_output(&mut child, Duration::from_secs(20));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Under \"License sync\", click Sync now."), "{stdout}");
    assert!(stdout.contains(&format!("Direct link: {}/enterprises/acme/settings/license", emu.url())));
    assert!(stdout.contains("synced: ghes.example.com at "));
    let j = &jobs(&state)[0];
    assert_eq!(
        (j.kind.as_str(), j.state, j.exit_code),
        ("trigger", JobState::Succeeded, Some(0))
    );
    let events = Store::open(&state).unwrap().events(j.id).unwrap();
    assert_eq!(events[0].1, "baseline");
    assert!(events.iter().filter(|e| e.1 == "poll").count() >= 2);
    // On 3.5 the emulator has the button; on 3.4 it would not.
    let old = emulator("3.4.0", &[]);
    let r = client()
        .post(format!("{}/_emulator/sync-now", old.url()))
        .send()
        .unwrap();
    assert_eq!(r.status(), 404);
}

/// Waits until the newest job is running and has at least `n` poll events.
fn wait_for_polls(state: &Path, n: usize) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if let Ok(store) = Store::open(state)
            && let Ok(jobs) = store.jobs(1)
            && let Some(j) = jobs.first()
            && j.state == JobState::Running
            && store
                .events(j.id)
                .map(|e| e.iter().filter(|e| e.1 == "poll").count())
                .unwrap_or(0)
                >= n
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("no poll recorded in {}", state.display());
}

fn wait_output(child: &mut Child, limit: Duration) -> std::process::Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        assert!(start.elapsed() < limit, "the runner did not finish");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    use std::io::Read;
    child.stdout.take().unwrap().read_to_end(&mut stdout).unwrap();
    child.stderr.take().unwrap().read_to_end(&mut stderr).unwrap();
    std::process::Output {
        status: child.wait().unwrap(),
        stdout,
        stderr,
    }
}

#[test]
fn trigger_times_out_and_a_failed_sync_fails() {
    let emu = emulator("3.20.1", &[]);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    sync(&emu, &state)
        .args(["trigger", "--interval", "0.2s", "--wait", "1s"])
        .assert()
        .code(1)
        .stdout(contains("no new sync of ghes.example.com after 1s"));
    assert_eq!(jobs(&state)[0].state, JobState::Timeout);
    let mut child = spawn_sync(&emu, &state, &["trigger", "--interval", "0.2s", "--wait", "20s"]);
    wait_for_polls(&state, 1);
    post(&format!("{}/_emulator/fail-sync", emu.url()));
    let out = wait_output(&mut child, Duration::from_secs(20));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("failed: failed could not reach api.github.com"));
    assert_eq!(jobs(&state)[0].state, JobState::Failed);
}

#[test]
fn export_runs_the_command_of_the_release() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    for (version, command) in [("3.12.4", "ghe-license-usage"), ("3.13.0", "ghe-license usage")] {
        let emu = emulator(version, &[]);
        let out = dir.path().join(format!("usage-{version}.json"));
        let ssh = format!("{} emulate shell --ghes-version {version}", bin().display());
        sync(&emu, &state)
            .args(["export", "--ssh", &ssh, "--out"])
            .arg(&out)
            .assert()
            .success()
            .stderr(contains(format!(
                "running `{command}` on ghes.example.com (GHES {version})"
            )));
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
        assert_eq!(v["version"], version);
        let j = &jobs(&state)[0];
        assert_eq!((j.kind.as_str(), j.state), ("export", JobState::Succeeded));
        let events = Store::open(&state).unwrap().events(j.id).unwrap();
        assert_eq!(events[0].2, format!("ssh -p 122 admin@ghes.example.com {command}"));
    }
    // A shell of the other release: "command not found", exit 3, no file.
    let emu = emulator("3.13.0", &[]);
    let out = dir.path().join("never.json");
    let ssh = format!("{} emulate shell --ghes-version 3.12.0", bin().display());
    sync(&emu, &state)
        .args(["export", "--ssh", &ssh, "--out"])
        .arg(&out)
        .assert()
        .code(3)
        .stderr(contains("ghe-license: command not found"));
    assert!(!out.exists());
    assert_eq!(jobs(&state)[0].state, JobState::Failed);
}

#[test]
fn upload_guides_and_sees_the_upload() {
    let emu = emulator("3.10.2", &[]);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    let file = dir.path().join("usage.json");
    std::fs::write(
        &file,
        r#"{"host_name":"ghes.example.com","server_id":"b6a4","license":"6f1e","users":"x"}"#,
    )
    .unwrap();
    let mut child = spawn_sync(
        &emu,
        &state,
        &[
            "upload",
            "--interval",
            "0.2s",
            "--wait",
            "20s",
            "--file",
            file.to_str().unwrap(),
        ],
    );
    wait_for_polls(&state, 1);
    post(&format!("{}/_emulator/upload", emu.url()));
    let out = wait_output(&mut child, Duration::from_secs(20));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("click Add server usage")
            && stdout.contains("https://github.com/enterprises/acme/settings/license")
    );
    // Not a usage file: refused before anything happens, bad JSON with its place.
    std::fs::write(&file, "{\n  \"server_id\": nope\n}").unwrap();
    sync(&emu, &state)
        .args(["upload", "--file"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(contains("not a license usage export").and(contains("usage.json:2:")));
    std::fs::write(&file, r#"{"users": []}"#).unwrap();
    sync(&emu, &state)
        .args(["upload", "--file"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(contains("no Server ID"));
    // A file of another instance than the one waited for: said before the wait.
    std::fs::write(
        &file,
        r#"{"host_name":"old-name.example.com","server_id":"b6a4","license":"6f1e"}"#,
    )
    .unwrap();
    sync(&emu, &state)
        .args(["upload", "--interval", "0.2s", "--wait", "1s", "--file"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(contains(
            "names the instance `old-name.example.com`, docgate waits for `ghes.example.com`",
        ));
}

#[test]
fn status_for_monitoring() {
    let emu = emulator("3.22.0", &[]);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    sync(&emu, &state)
        .args(["status", "--max-age", "7d"])
        .assert()
        .success();
    assert_eq!(jobs(&state)[0].state, JobState::Succeeded);
    // All instances: the other one last synced 9 days ago.
    let mut all = Command::new(bin());
    all.env("GITHUB_TOKEN", TOKEN)
        .args(["sync", "--state"])
        .arg(&state)
        .args([
            "--ghec-url",
            &emu.url(),
            "--enterprise",
            "acme",
            "status",
            "--max-age",
            "7d",
        ])
        .assert()
        .code(1)
        .stderr(contains("stale: ghes-old.example.com: last sync 9d ago"));
    assert_eq!(jobs(&state)[0].state, JobState::Stale);
    sync(&emu, &state).args(["status", "--max-age", "1d"]).assert().code(1);
    post(&format!("{}/_emulator/fail-sync", emu.url()));
    sync(&emu, &state)
        .args(["status", "--max-age", "7d"])
        .assert()
        .code(1)
        .stderr(contains("last sync failed"));
}

#[test]
fn report_writes_every_page_and_finds_double_counts() {
    let emu = emulator("3.22.0", &[]);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    let csv = dir.path().join("licenses.csv");
    let analysis = dir.path().join("analysis.json");
    sync(&emu, &state)
        .args(["report", "--out"])
        .arg(&csv)
        .arg("--analysis")
        .arg(&analysis)
        .assert()
        .success()
        .stdout(contains("200 people: 200 consumed of 180 purchased").and(contains("30 likely counted twice")));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count(), 201, "a header and 200 people from 2 pages");
    let a: serde_json::Value = serde_json::from_slice(&std::fs::read(&analysis).unwrap()).unwrap();
    assert_eq!(a["suspects"].as_array().unwrap().len(), 30);
    assert!(
        a["suspects"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| !s["fix"].as_str().unwrap().is_empty())
    );
    let json_out = dir.path().join("licenses.json");
    sync(&emu, &state)
        .args(["report", "--out"])
        .arg(&json_out)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json_out).unwrap()).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 200);
    let snaps = Store::open(&state).unwrap().snapshots().unwrap();
    assert_eq!(snaps.len(), 2);
    assert_eq!(
        (snaps[0].totals.consumed, snaps[0].totals.purchased, snaps[0].suspects),
        (200, 180, 30)
    );
    Command::new(bin())
        .args(["sync", "--state"])
        .arg(&state)
        .arg("history")
        .assert()
        .success()
        .stdout(contains("Consumed licenses over time:").and(contains("report")));
}

/// (fault, command, expected exit code, expected job state, text in stderr or stdout)
#[test]
fn every_fault_gives_a_recorded_state_and_the_documented_exit_code() {
    let cases: &[(&str, &[&str], i32, JobState, &str)] = &[
        ("503@status*2", &["status"], 0, JobState::Succeeded, "3 attempt(s)"),
        (
            "503@status",
            &["status"],
            3,
            JobState::Failed,
            "503 Server Error (after 4 attempts)",
        ),
        ("502@report*1", &["report"], 0, JobState::Succeeded, "200 people"),
        ("429@status*1", &["status"], 0, JobState::Succeeded, "2 attempt(s)"),
        (
            "403-ratelimit@status*1",
            &["status"],
            0,
            JobState::Succeeded,
            "2 attempt(s)",
        ),
        ("reset@status*1", &["status"], 0, JobState::Succeeded, "2 attempt(s)"),
        ("reset@status", &["status"], 3, JobState::Failed, "connection failed"),
        (
            "slow=3000@status",
            &["--http-timeout", "1s", "--attempts", "1", "status"],
            3,
            JobState::Failed,
            "timed out",
        ),
        (
            "malformed@status",
            &["status"],
            3,
            JobState::Failed,
            "not the expected JSON",
        ),
        (
            "truncated@report",
            &["report"],
            3,
            JobState::Failed,
            "not the expected JSON",
        ),
        ("500@license", &["license"], 3, JobState::Failed, "500"),
    ];
    for (fault, args, code, state_expected, text) in cases {
        let emu = emulator("3.22.0", &[fault]);
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("h.db");
        let out = sync(&emu, &state).args(*args).output().unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(*code), "{fault}: {all}");
        let j = &jobs(&state)[0];
        assert_eq!(j.state, *state_expected, "{fault}: {j:?}");
        let recorded = format!(
            "{} {} {:?}",
            j.error.clone().unwrap_or_default(),
            j.detail.clone().unwrap_or_default(),
            Store::open(&state).unwrap().events(j.id).unwrap()
        );
        assert!(
            all.contains(text) || recorded.contains(text),
            "{fault}: `{text}` not in\n{all}\n{recorded}"
        );
        assert_eq!(j.exit_code, Some(*code), "{fault}");
    }
}

#[test]
fn auth_and_transport_rules() {
    let emu = emulator("3.22.0", &[]);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    // A bad token: 401, exit 3, and the token appears nowhere.
    let out = sync(&emu, &state)
        .env("GITHUB_TOKEN", "ghp_secret_value_123")
        .arg("status")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("401 Bad credentials") && !stderr.contains("ghp_secret_value_123"),
        "{stderr}"
    );
    // A non-admin: 404, with the hint GitHub hides resources.
    sync(&emu, &state)
        .env("GITHUB_TOKEN", "emulator-user-token")
        .arg("status")
        .assert()
        .code(3)
        .stderr(contains("404 Not Found").and(contains("enterprise owner")));
    // A token file instead of the environment.
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    sync(&emu, &state)
        .env_remove("GITHUB_TOKEN")
        .arg("--token-file")
        .arg(&token_file)
        .arg("status")
        .assert()
        .success();
    // No token at all.
    sync(&emu, &state)
        .env_remove("GITHUB_TOKEN")
        .arg("status")
        .assert()
        .code(2)
        .stderr(contains("GITHUB_TOKEN"));
    // Tokens are never taken from argv.
    sync(&emu, &state).args(["--token", TOKEN, "status"]).assert().code(2);
    // Plain http is refused except on loopback.
    Command::new(bin())
        .env("GITHUB_TOKEN", TOKEN)
        .args(["sync", "--state"])
        .arg(&state)
        .args(["--ghec-url", "http://api.example.com", "--enterprise", "acme", "status"])
        .assert()
        .code(2)
        .stderr(contains("use https"));
    // Nothing in the database holds a token.
    let db = std::fs::read(&state).unwrap();
    let wal = std::fs::read(state.with_extension("db-wal")).unwrap_or_default();
    for bytes in [db, wal] {
        assert!(!String::from_utf8_lossy(&bytes).contains("ghp_secret_value_123"));
        assert!(!String::from_utf8_lossy(&bytes).contains(TOKEN));
    }
    // The API version header: an unsupported one is a 400.
    let r = client()
        .get(format!("{}/enterprises/acme/license-sync-status", emu.url()))
        .bearer_auth(TOKEN)
        .header("x-github-api-version", "2099-01-01")
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.headers()["x-ratelimit-limit"], "5000");
}

#[test]
fn kill_9_during_a_poll_leaves_a_consistent_history() {
    let emu = emulator("3.21.0", &[]);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    let mut child = spawn_sync(&emu, &state, &["trigger", "--interval", "0.1s", "--wait", "60s"]);
    wait_for_polls(&state, 3);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    // The next start marks the job interrupted; what it recorded is still there.
    let store = Store::open(&state).unwrap();
    let j = &store.jobs(1).unwrap()[0];
    assert_eq!(j.state, JobState::Interrupted);
    assert!(j.error.as_deref().unwrap().contains("ended before the job finished"));
    assert!(store.events(j.id).unwrap().iter().filter(|e| e.1 == "poll").count() >= 3);
    drop(store);
    let conn = rusqlite_check(&state);
    assert_eq!(conn, "ok");
}

/// SQLite's own integrity check, through the docgate store's file.
fn rusqlite_check(path: &Path) -> String {
    let out = Command::new(bin())
        .args(["sync", "--state"])
        .arg(path)
        .args(["history", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["jobs"][0]["state"], "interrupted");
    docgate::sync::store::integrity_check(path).unwrap()
}

/// Today's tree keeps the license-sync articles elsewhere
/// (`admin/configuring-settings/…`, `billing/how-tos/manage-server-licenses/…`):
/// the capabilities find them through their `redirect_from`.
#[test]
fn capabilities_follow_articles_that_moved() {
    let dir = common::bundled_copy();
    let content = dir.path().join("content");
    for (old, new) in [
        (
            SEED_PAGE,
            "admin/configuring-settings/configuring-github-connect/enabling-automatic-user-license-sync-for-your-enterprise.md",
        ),
        (
            SYNC_PAGE,
            "billing/how-tos/manage-server-licenses/syncing-license-usage-between-github-enterprise-server-and-github-enterprise-cloud.md",
        ),
    ] {
        let text = std::fs::read_to_string(content.join(old)).unwrap();
        let old_path = format!("/{}", old.trim_end_matches(".md"));
        let text = if text.contains("redirect_from:\n") {
            text.replacen("redirect_from:\n", &format!("redirect_from:\n  - {old_path}\n"), 1)
        } else {
            text.replacen("versions:", &format!("redirect_from:\n  - {old_path}\nversions:"), 1)
        };
        std::fs::create_dir_all(content.join(new).parent().unwrap()).unwrap();
        std::fs::write(content.join(new), text).unwrap();
        std::fs::remove_file(content.join(old)).unwrap();
        // Translations move with their page.
        for lang in std::fs::read_dir(dir.path().join("translations")).unwrap() {
            let t = lang.unwrap().path().join("content");
            if t.join(old).is_file() {
                std::fs::create_dir_all(t.join(new).parent().unwrap()).unwrap();
                std::fs::rename(t.join(old), t.join(new)).unwrap();
            }
        }
    }
    let corpus = Corpus::open(
        docgate::corpus::Source::disk(dir.path()).unwrap(),
        "2026-11-23".parse().unwrap(),
    )
    .unwrap();
    let renderer = Renderer::new(corpus).unwrap();
    for (release, on) in [("3.4", false), ("3.5", true)] {
        let caps = capabilities::evaluate(
            &renderer,
            release.parse().unwrap(),
            Lang::ENGLISH,
            &docgate::render::text::TextOptions::default(),
        )
        .unwrap();
        let trigger = caps.iter().find(|c| c.name == "trigger").unwrap();
        assert_eq!(trigger.enabled, on, "{release}");
        assert!(
            trigger.docs.starts_with(&format!(
                "https://docs.github.com/en/enterprise-server@{release}/billing/how-tos/manage-server-licenses/syncing-license-usage"
            )),
            "{}",
            trigger.docs
        );
        let enable = caps.iter().find(|c| c.name == "enable").unwrap();
        assert!(enable.docs.contains("/admin/configuring-settings/"), "{}", enable.docs);
        assert!(!enable.description.contains("no article"), "{}", enable.description);
    }
}

/// `docgate emulate` prints export lines; pasted verbatim into a shell, they
/// make the README's sync examples run against the emulator.
#[test]
fn the_emulator_prints_exports_that_run_the_readme_examples() {
    use std::io::{BufRead, BufReader};
    let mut emu = std::process::Command::new(bin())
        .args(["emulate", "--port", "0", "--ghes-version", "3.5.1"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pasted = Vec::new();
    for line in BufReader::new(emu.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        if line.starts_with("export ") || line.starts_with("S=") {
            pasted.push(line.clone());
        }
        if line.starts_with("S=") {
            break;
        }
    }
    // The README's sync examples, verbatim, but those that wait for a sync in the
    // web UI (trigger, upload) or need ssh (export).
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let examples: Vec<String> = readme
        .lines()
        .filter(|l| l.starts_with("docgate sync ") && (l.contains("$S") || l.starts_with("docgate sync history")))
        .map(|l| l.split(" #").next().unwrap().trim().to_string())
        .filter(|l| {
            !["export", "trigger", "upload"]
                .iter()
                .any(|w| l.starts_with(&format!("docgate sync {w} ")))
        })
        .collect();
    assert!(examples.len() >= 5, "{examples:?}");
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        "{}\nexport DOCGATE_STATE={}\ndocgate() {{ {} --today 2026-11-23 \"$@\"; }}\ncd {}\n{}",
        pasted.join("\n"),
        dir.path().join("h.db").display(),
        bin().display(),
        dir.path().display(),
        examples
            .iter()
            .map(|e| format!("echo '== {e}'; {e}; echo \"exit=$?\""))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(&script)
        .output()
        .unwrap();
    let _ = emu.kill();
    let _ = emu.wait();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(pasted.len(), 3, "{pasted:?}");
    assert!(
        stdout.contains("GitHub Enterprise Server 3.5.1 (release 3.5)"),
        "{stdout}\n{stderr}"
    );
    assert!(stdout.contains("trigger        enabled"), "{stdout}");
    // Every example ran: 0, or 1 for a status that is stale (no sync yet).
    for e in &examples {
        let ran = stdout
            .split(&format!("== {e}\n"))
            .nth(1)
            .unwrap_or_else(|| panic!("{e} did not run"));
        let code = ran.lines().find_map(|l| l.strip_prefix("exit=")).unwrap();
        let ok = code == "0" || (code == "1" && e.contains("status"));
        assert!(ok, "`{e}` exited {code}\n{stdout}\n{stderr}");
    }
    assert!(dir.path().join("licenses.csv").is_file() && dir.path().join("suspects.json").is_file());
}

#[test]
fn status_for_an_unknown_host_names_the_hosts_ghec_knows() {
    let emu = emulator("3.5.1", &[]);
    let dir = tempfile::tempdir().unwrap();
    sync(&emu, &dir.path().join("h.db"))
        .args(["status", "--ghes-host", "nope.example.com", "--max-age", "30d"])
        .assert()
        .code(1)
        .stderr(
            contains("nope.example.com: not listed in license-sync-status")
                .and(contains("it lists `ghes.example.com`")),
        );
}

/// `--format json` on the sync commands that print data: each document parses,
/// has `schema_version` 1 and the documented keys (README, "JSON output").
#[test]
fn sync_json_output_has_a_schema_version_and_the_documented_keys() {
    let emu = emulator("3.14.2", &[]);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("history.db");
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["capabilities", "--format", "json"],
            &["installed", "release", "deprecated", "capabilities"],
        ),
        (&["status", "--format", "json"], &["enterprise", "instances", "stale"]),
        (
            &["license", "--format", "json"],
            &[
                "installed",
                "release",
                "seats",
                "seats_used",
                "seats_available",
                "kind",
                "expire_at",
                "days_until_expiration",
            ],
        ),
        (&["history", "--format", "json"], &["jobs", "snapshots"]),
    ];
    for (args, keys) in cases {
        let out = sync(&emu, &state).args(*args).output().unwrap();
        common::json_document(&format!("{args:?}"), &out, keys);
    }
    let status = sync(&emu, &state).args(["status", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(v["instances"][0]["hostname"], "ghes.example.com", "{v}");
    let license = sync(&emu, &state).args(["license", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&license.stdout).unwrap();
    assert!(v["seats"].is_number() && v["seats_used"].is_number(), "{v}");
}

/// `--ghes-url` as users paste it: the API root works like the base URL; another
/// path is explained with the URL to use.
#[test]
fn ghes_url_forms_are_accepted_or_explained() {
    let emu = emulator("3.14.2", &[]);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("history.db");
    sync(&emu, &state)
        .args(["capabilities", "--ghes-url", &format!("{}/api/v3/", emu.url())])
        .assert()
        .success()
        .stdout(contains("3.14.2"));
    sync(&emu, &state)
        .args(["capabilities", "--ghes-url", &format!("{}/setup", emu.url())])
        .assert()
        .code(2)
        .stderr(contains("has a path").and(contains(format!("use --ghes-url {}", emu.url()))));
}

/// A wait for a host GitHub Enterprise Cloud does not list says so once, with the
/// hosts it does list, instead of waiting in silence.
#[test]
fn a_wait_for_an_unknown_host_names_the_known_ones() {
    let emu = emulator("3.20.1", &[]);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    let args: Vec<std::ffi::OsString> = sync_args(&emu, &state)
        .into_iter()
        .map(|a| {
            if a == "ghes.example.com" {
                "other.example.com".into()
            } else {
                a
            }
        })
        .collect();
    let out = Command::new(bin())
        .env("GITHUB_TOKEN", TOKEN)
        .env_remove("GHES_TOKEN")
        .args(args)
        .args(["trigger", "--interval", "0.2s", "--wait", "1s"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("does not list other.example.com").count(), 1, "{stderr}");
    assert!(stderr.contains("it lists `ghes.example.com`"), "{stderr}");
}

/// The default is one line (or a few wrapped ones) per capability; `--long`
/// has the docs' text and full links.
#[test]
fn capabilities_table_by_default_and_docs_with_long() {
    let emu = emulator("3.4.2", &[]);
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    let out = sync(&emu, &state).args(["capabilities"]).output().unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("CAPABILITY     STATE     WHAT"), "{table}");
    assert!(
        table.contains("trigger        disabled  start a license sync job now"),
        "{table}"
    );
    assert!(table.contains("needs feature license-sync-manual-trigger"), "{table}");
    assert!(!table.contains("docs:") && !table.contains("1. In the"), "{table}");
    assert!(table.lines().all(|l| l.chars().count() <= 80), "{table}");
    let out = sync(&emu, &state).args(["capabilities", "--long"]).output().unwrap();
    let long = String::from_utf8(out.stdout).unwrap();
    assert!(
        long.contains("docs: https://docs.github.com/en/enterprise-server@3.4/billing/"),
        "{long}"
    );
    assert!(!long.contains("data/reusables"), "{long}");
    assert!(long.contains("1. In the upper-right corner"), "{long}");
}
