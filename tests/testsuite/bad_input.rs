//! The catalogue of bad input: every `tests/bad_input/*.case` is a small docs
//! tree (or just a command line) with the exit code, messages and locations
//! docgate must give for it. `tests/bad_input/README.md` describes the format.
//!
//! Every case also must not panic (exit 101), die of a signal, take longer
//! than its timeout, or write outside the output folder.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> PathBuf {
    PathBuf::from(assert_cmd::cargo::cargo_bin!("docgate"))
}

/// One file of a case's tree.
enum Entry {
    File(String, Vec<u8>),
    Symlink(String, String),
    Fifo(String),
}

struct Case {
    name: String,
    run: Vec<String>,
    exit: i32,
    expect: Vec<String>,
    expect_not: Vec<String>,
    absent: Vec<String>,
    exists: Vec<String>,
    root: bool,
    timeout: Duration,
    entries: Vec<Entry>,
}

/// Splits a command line on spaces; `"…"` keeps spaces.
fn split_args(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            c => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

/// A body line: `@repeat N TEXT` is TEXT N times (no newline after it; `\n` in TEXT is one),
/// `@hex 00ff` raw bytes (no newline), anything else the line itself.
fn expand_body(lines: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in lines {
        if let Some(rest) = line.strip_prefix("@repeat ") {
            let (n, text) = rest.split_once(' ').expect("@repeat N TEXT");
            let n: usize = n.parse().expect("@repeat count");
            out.extend(text.replace("\\n", "\n").repeat(n).into_bytes());
        } else if let Some(hex) = line.strip_prefix("@hex ") {
            let hex: String = hex.split_whitespace().collect();
            for i in (0..hex.len()).step_by(2) {
                out.push(u8::from_str_radix(&hex[i..i + 2], 16).expect("@hex bytes"));
            }
        } else {
            out.extend(line.as_bytes());
            out.push(b'\n');
        }
    }
    out
}

fn parse_case(name: &str, text: &str) -> Case {
    let mut case = Case {
        name: name.to_string(),
        run: Vec::new(),
        exit: -1,
        expect: Vec::new(),
        expect_not: Vec::new(),
        absent: Vec::new(),
        exists: Vec::new(),
        root: true,
        timeout: Duration::from_secs(60),
        entries: Vec::new(),
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() && !lines[i].starts_with("== ") {
        let line = lines[i].trim_end();
        i += 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line.split_once(':').unwrap_or_else(|| panic!("{name}: `{line}`"));
        let value = value.trim();
        match key {
            "run" => case.run = split_args(value),
            "exit" => case.exit = value.parse().unwrap(),
            // `\n` in an expectation is a newline, `\e` an ESC.
            "expect" => case.expect.push(value.replace("\\n", "\n").replace("\\e", "\u{1b}")),
            "expect-not" => case
                .expect_not
                .push(value.replace("\\n", "\n").replace("\\e", "\u{1b}")),
            "absent" => case.absent.push(value.to_string()),
            "exists" => case.exists.push(value.to_string()),
            "root" => case.root = value != "none",
            "timeout" => case.timeout = Duration::from_secs(value.parse().unwrap()),
            other => panic!("{name}: unknown key `{other}`"),
        }
    }
    while i < lines.len() {
        let head = lines[i].strip_prefix("== ").unwrap();
        i += 1;
        let start = i;
        while i < lines.len() && !lines[i].starts_with("== ") {
            i += 1;
        }
        let body = &lines[start..i];
        let (kind, rest) = head.split_once(' ').unwrap_or((head, ""));
        case.entries.push(match kind {
            "file" => Entry::File(rest.to_string(), expand_body(body)),
            "symlink" => {
                let (from, to) = rest.split_once(" -> ").expect("symlink A -> B");
                Entry::Symlink(from.to_string(), to.to_string())
            }
            "fifo" => Entry::Fifo(rest.to_string()),
            other => panic!("{name}: unknown entry `{other}`"),
        });
    }
    assert!(!case.run.is_empty(), "{name}: no run");
    assert!(case.exit >= 0, "{name}: no exit");
    case
}

/// A tree-relative name; `\xHH` (two hex digits) is that raw byte, for names that are not UTF-8.
fn name(rel: &str) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    let b = rel.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 3 < b.len()
            && b[i + 1] == b'x'
            && let Ok(v) = u8::from_str_radix(std::str::from_utf8(&b[i + 2..i + 4]).unwrap_or("zz"), 16)
        {
            out.push(v);
            i += 4;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    PathBuf::from(std::ffi::OsString::from_vec(out))
}

fn build_tree(case: &Case, work: &Path, root: &Path) {
    std::fs::create_dir_all(root.join("content")).unwrap();
    let subst = |s: &str| s.replace("{work}", &work.display().to_string());
    for e in &case.entries {
        match e {
            Entry::File(rel, bytes) => {
                let p = root.join(name(rel));
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, bytes).unwrap();
            }
            Entry::Symlink(rel, target) => {
                let p = root.join(rel);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::os::unix::fs::symlink(subst(target), p).unwrap();
            }
            Entry::Fifo(rel) => {
                let p = root.join(rel);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                let status = Command::new("mkfifo").arg(&p).status().unwrap();
                assert!(status.success(), "mkfifo {}", p.display());
            }
        }
    }
}

/// Runs one case; returns what went wrong, if anything.
fn run_case(case: &Case) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().canonicalize().unwrap();
    let root = work.join("tree");
    let out = work.join("o/a/b/c");
    std::fs::create_dir_all(&out).unwrap();
    build_tree(case, &work, &root);
    let subst = |s: &str| {
        s.replace("{root}", &root.display().to_string())
            .replace("{out}", &out.display().to_string())
            .replace("{work}", &work.display().to_string())
    };
    let mut cmd = Command::new(bin());
    cmd.current_dir(&work)
        .env_remove("DOCGATE_ROOT")
        .env_remove("DOCGATE_LOG")
        .env("GITHUB_TOKEN", "ghp_badinputcasetoken123")
        .env("DOCGATE_STATE", work.join("history.db"));
    if !case.run.iter().any(|a| a == "--today") {
        cmd.args(["--today", "2026-11-23"]);
    }
    if case.root {
        cmd.arg("--root").arg(&root);
    }
    cmd.args(case.run.iter().map(|a| subst(a)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().unwrap();
    // Read both pipes on threads, so a chatty child cannot block on a full pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut v);
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut v);
        v
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > case.timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Some(format!("took longer than {:?}", case.timeout));
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&t_out.join().unwrap()),
        String::from_utf8_lossy(&t_err.join().unwrap())
    );
    let mut problems = Vec::new();
    match status.code() {
        Some(c) if c == case.exit => {}
        Some(101) => problems.push("panicked (exit 101)".to_string()),
        Some(c) => problems.push(format!("exit {c}, expected {}", case.exit)),
        None => problems.push(format!("killed by a signal ({status})")),
    }
    for e in &case.expect {
        let e = subst(e);
        if !text.contains(&e) {
            problems.push(format!("missing `{e}`"));
        }
    }
    for e in &case.expect_not {
        let e = subst(e);
        if text.contains(&e) {
            problems.push(format!("unexpected `{e}`"));
        }
    }
    for a in &case.absent {
        if work.join(subst(a)).exists() {
            problems.push(format!("`{a}` was written"));
        }
    }
    for a in &case.exists {
        if !work.join(subst(a)).exists() {
            problems.push(format!("`{a}` was not written"));
        }
    }
    (!problems.is_empty()).then(|| {
        let shown: String = text.chars().take(3000).collect();
        format!("{}\n--- output:\n{shown}", problems.join("\n"))
    })
}

#[test]
fn every_bad_input_case() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_input");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    names.sort();
    let only = std::env::var("BAD_INPUT_CASE").ok();
    let mut failures = Vec::new();
    let mut ran = 0;
    for path in &names {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        let case = parse_case(&name, &std::fs::read_to_string(path).unwrap());
        ran += 1;
        if let Some(why) = run_case(&case) {
            failures.push(format!("== {}: {why}", case.name));
        }
    }
    assert!(only.is_some() || ran >= 60, "only {ran} cases");
    assert!(
        failures.is_empty(),
        "{} of {ran} cases failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
