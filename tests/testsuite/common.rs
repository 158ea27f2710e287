//! Helpers shared by integration tests (each test crate uses some of them).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use docgate::corpus::{Corpus, Source};
use docgate::render::Renderer;

/// The day tests compute release statuses for.
pub fn today() -> jiff::civil::Date {
    "2026-11-23".parse().unwrap()
}

/// A tree of the given files in a temporary folder, opened.
pub fn tree(files: &[(&str, &str)]) -> (tempfile::TempDir, Corpus, Renderer) {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let corpus = Corpus::open(Source::disk(dir.path()).unwrap(), today()).unwrap();
    let renderer = Renderer::new(corpus.clone()).unwrap();
    (dir, corpus, renderer)
}

/// The bundled tree, copied to a folder we may edit.
/// The seed article's path under `content/` (without `.md`).
pub const ARTICLE: &str =
    "admin/configuration/configuring-github-connect/enabling-automatic-user-license-sync-for-your-enterprise";

/// The docgate binary with a fixed day, no colours and no `DOCGATE_ROOT`.
pub fn docgate() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("docgate"));
    c.env_remove("DOCGATE_ROOT")
        .env("NO_COLOR", "1")
        .arg("--today")
        .arg("2026-11-23");
    c
}

/// A copy of the bundled tree (content, data, translations, assets) on disk.
pub fn bundled_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for top in ["content", "data", "translations", "assets"] {
        for entry in walkdir(root.join(top)) {
            let rel = entry.strip_prefix(root).unwrap();
            let dest = dir.path().join(rel);
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(&entry, dest).unwrap();
        }
    }
    dir
}

fn walkdir(dir: PathBuf) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walkdir(p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A command's `--format json` output: it succeeded, parses, has
/// `schema_version` 1 and each of `keys`. `what` names the command in failures.
pub fn json_document(what: &str, out: &std::process::Output, keys: &[&str]) -> serde_json::Value {
    assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(v["schema_version"], 1, "{what}");
    for k in keys {
        assert!(v.get(k).is_some(), "{what}: no `{k}` in {v}");
    }
    v
}
