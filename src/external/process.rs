//! Running a plugin's program once: its stdin written, its stdout and stderr
//! read (each up to a limit), a deadline, and an environment without tokens.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use wait_timeout::ChildExt;

/// The most a plugin may write on stdout (a reply) or stderr.
pub const MAX_OUTPUT: u64 = 64 << 20;

/// What a finished call printed.
pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// Whether an environment variable may hold a secret: its name says token,
/// secret, password or key (`GITHUB_TOKEN`, `GH_TOKEN`, `DOCGATE_…_TOKEN`, …).
pub fn is_secret_name(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "API_KEY", "PRIVATE_KEY"]
        .iter()
        .any(|w| n.contains(w))
}

/// The environment a plugin gets: ours, without the variables that may hold secrets.
pub fn clean_env(cmd: &mut Command) {
    for (name, _) in std::env::vars_os() {
        if is_secret_name(&name.to_string_lossy()) {
            cmd.env_remove(&name);
        }
    }
}

/// Runs `argv` plus `extra` in `cwd` with `input` on stdin; fails with a
/// sentence on a spawn error, a timeout, a signal, a non-zero exit or too much output.
pub fn run(argv: &[String], extra: &[&str], cwd: &Path, input: &[u8], timeout: Duration) -> Result<Output, String> {
    let (program, args) = argv.split_first().ok_or("the command is empty")?;
    let mut cmd = Command::new(program);
    cmd.args(args)
        .args(extra)
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    clean_env(&mut cmd);
    let mut child = cmd.spawn().map_err(|e| format!("cannot start `{program}`: {e}"))?;
    // Writing and reading happen at once, so a plugin that answers before it
    // has read everything cannot deadlock us.
    let mut stdin = child.stdin.take().expect("piped");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        // A plugin may exit without reading: a broken pipe is not our error, and
        // must not end docgate (which keeps SIGPIPE's default for its own stdout).
        block_sigpipe();
        let _ = stdin.write_all(&input);
    });
    let read = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(r) = r {
                let _ = r.take(MAX_OUTPUT + 1).read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = read(child.stdout.take().map(|s| Box::new(s) as Box<dyn Read + Send>));
    let err = read(child.stderr.take().map(|s| Box::new(s) as Box<dyn Read + Send>));
    let status = match child.wait_timeout(timeout) {
        Ok(Some(status)) => status,
        Ok(None) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("no answer within {:?}; stopped it", timeout));
        }
        Err(e) => return Err(format!("lost track of it: {e}")),
    };
    let _ = writer.join();
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    if stdout.len() as u64 > MAX_OUTPUT || stderr.len() as u64 > MAX_OUTPUT {
        return Err("it wrote more than 64 MiB".into());
    }
    if !status.success() {
        let said = String::from_utf8_lossy(&stderr);
        let last = said.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
        let how = match status.code() {
            Some(c) => format!("it exited with {c}"),
            None => "it was killed by a signal (crashed?)".to_string(),
        };
        return Err(if last.is_empty() {
            how
        } else {
            format!("{how}: {}", crate::escape::untrusted_line(last))
        });
    }
    Ok(Output { stdout, stderr })
}

/// Blocks SIGPIPE on this thread: a write to a closed pipe returns `EPIPE`
/// instead of ending the process. (A signal left pending dies with the thread.)
fn block_sigpipe() {
    // SAFETY: a signal set built with the libc calls meant for it, applied to
    // the calling thread only.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGPIPE);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}
