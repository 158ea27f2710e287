//! External plugins (docs/plugins.md) end to end: each hook with both example
//! plugins (Rust and Python), the opt-in for a tree's plugins, and every way a
//! plugin can fail, each a clear error that names it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

const PAGE: &str = "---\ntitle: Plugins\nversions:\n  fpt: '*'\n---\n\nUse {% abbr GHES %} and {% shout hello there %}.\n\n:ghes: rocks.\n\n!! loud line\n\nTODO: finish. FIXME\n";

fn abbr() -> PathBuf {
    // Built by `cargo test` with the other examples.
    let exe = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/debug/examples/docgate-abbr");
    assert!(exe.is_file(), "build the example first: cargo build --examples");
    exe
}

fn shout() -> String {
    format!("python3 {}/examples/plugins/shout.py", env!("CARGO_MANIFEST_DIR"))
}

/// A tree with one page and `docgate.toml`, plus extra files.
fn tree(config: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write("content/a.md", PAGE);
    write("docgate.toml", config);
    for (rel, text) in files {
        write(rel, text);
        if rel.ends_with(".sh") {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir.path().join(rel), std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    dir
}

fn both() -> tempfile::TempDir {
    tree(
        &format!(
            "[plugins.abbr]\ncommand = \"{}\"\n\n[plugins.shout]\ncommand = \"{}\"\ntimeout = \"20s\"\n",
            abbr().display(),
            shout()
        ),
        &[],
    )
}

fn docgate(root: &Path) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin!("docgate"));
    c.env("NO_COLOR", "1")
        .env_remove("DOCGATE_ALLOW_PLUGINS")
        .args(["--today", "2026-11-23", "--root"])
        .arg(root);
    c
}

#[test]
fn tag_and_preprocess_hooks_of_both_plugins() {
    let dir = both();
    let out = docgate(dir.path())
        .args(["--allow-plugins", "render", "a", "-r", "fpt", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let md = String::from_utf8(out.stdout).unwrap();
    // tag: Rust and Python
    assert!(
        md.contains("Use GitHub Enterprise Server (GHES) and HELLO THERE!."),
        "{md}"
    );
    // preprocess: Rust (`:ghes:`) then Python (`!! `)
    assert!(md.contains("GitHub Enterprise Server rocks."), "{md}");
    assert!(md.contains("**LOUD LINE**"), "{md}");
}

#[test]
fn check_hook_of_both_plugins() {
    let dir = both();
    let out = docgate(dir.path())
        .args(["--allow-plugins", "check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["checks"],
        serde_json::json!(["redirects", "links", "lint", "abbr", "shout"])
    );
    let found: Vec<(String, String, u64, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(found.contains(&("abbr".into(), "todo".into(), 13, 1)), "{found:?}");
    assert!(found.contains(&("shout".into(), "fixme".into(), 13, 15)), "{found:?}");
    // One check by name.
    docgate(dir.path())
        .args(["--allow-plugins", "check", "shout"])
        .assert()
        .code(1)
        .stdout(contains("error[fixme]").and(contains("todo").not()));
    docgate(dir.path())
        .args(["--allow-plugins", "check", "shuot"])
        .assert()
        .code(2)
        .stderr(contains("there is no check `shuot`").and(contains("shout")));
}

#[test]
fn command_hook_of_both_plugins_and_path_programs() {
    let dir = both();
    docgate(dir.path())
        .args(["--allow-plugins", "abbr"])
        .assert()
        .success()
        .stdout(contains("GHES\tGitHub Enterprise Server"));
    docgate(dir.path())
        .args(["--allow-plugins", "shout", "hi", "there"])
        .assert()
        .success()
        .stdout("HI THERE\n");
    // `docgate-NAME` on PATH, as cargo finds `cargo-NAME`.
    let bin = tempfile::tempdir().unwrap();
    std::fs::copy(abbr(), bin.path().join("docgate-abbrev")).unwrap();
    let path = format!("{}:{}", bin.path().display(), std::env::var("PATH").unwrap());
    docgate(dir.path())
        .env("PATH", path)
        .arg("abbrev")
        .assert()
        .success()
        .stdout(contains("PAT\tpersonal access token"));
    // Neither: the nearest command.
    docgate(dir.path())
        .arg("rendr")
        .assert()
        .code(2)
        .stderr(contains("did you mean `docgate render`?"));
}

#[test]
fn a_trees_plugins_run_only_when_allowed() {
    let dir = both();
    docgate(dir.path())
        .args(["render", "a", "-r", "fpt"])
        .assert()
        .code(2)
        .stderr(contains(
            "declares plugins (abbr, shout); they run only with --allow-plugins",
        ));
    docgate(dir.path())
        .args(["render", "a", "-r", "fpt"])
        .env("DOCGATE_ALLOW_PLUGINS", "1")
        .assert()
        .success();
    docgate(dir.path())
        .arg("shout")
        .assert()
        .code(2)
        .stderr(contains("runs only with --allow-plugins"));
}

/// A tree whose plugin is the shell script `script` (`$1` is the hook).
fn failing(script: &str, timeout: &str) -> tempfile::TempDir {
    tree(
        &format!("[plugins.bad]\ncommand = \"sh plugin.sh\"\ntimeout = \"{timeout}\"\n"),
        &[("plugin.sh", script)],
    )
}

#[test]
fn a_plugin_that_hangs_crashes_or_talks_nonsense_is_a_clear_error() {
    let cases = [
        ("sleep 30", "1s", "no answer within 1s; stopped it"),
        ("kill -9 $$", "5s", "killed by a signal"),
        ("echo broken >&2; exit 3", "5s", "it exited with 3: broken"),
        ("echo not json", "5s", "the reply is not JSON"),
        ("echo '[1, 2]'", "5s", "the reply is JSON but not an object: a list"),
        (
            "echo '{\"protocol\": 2}'",
            "5s",
            "it speaks protocol 2, docgate speaks 1",
        ),
        (
            "echo '{\"protocol\": 1, \"hooks\": [\"tag\"], \"tags\": [\"data\"]}'",
            "5s",
            "declares the tag `data`, which docgate already has",
        ),
    ];
    for (script, timeout, message) in cases {
        let dir = failing(&format!("#!/bin/sh\n{script}\n"), timeout);
        let out = docgate(dir.path())
            .args(["--allow-plugins", "render", "a", "-r", "fpt"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{script}: {stderr}");
        assert!(
            stderr.contains("plugin `bad`") || stderr.contains("`bad`"),
            "{script}: {stderr}"
        );
        assert!(stderr.contains(message), "{script}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn a_tag_error_is_located_and_a_plugin_never_sees_a_token() {
    let script = r#"#!/bin/sh
case "$1" in
  supports) echo '{"protocol": 1, "hooks": ["tag"], "tags": ["env", "fail"]}' ;;
  tag) if grep -q '"tag":"fail"' ; then echo '{"error": "no such thing"}'; else printf '{"text": "[%s|%s]"}' "$GITHUB_TOKEN" "$DOCGATE_GHES_TOKEN"; fi ;;
esac
"#;
    let dir = tree(
        "[plugins.probe]\ncommand = \"sh probe.sh\"\n",
        &[
            ("probe.sh", script),
            (
                "content/b.md",
                "---\ntitle: B\nversions:\n  fpt: '*'\n---\n\nToken: {% env x %}\n",
            ),
            (
                "content/c.md",
                "---\ntitle: C\nversions:\n  fpt: '*'\n---\n\nLine one.\n\nSee {% fail now %}.\n",
            ),
        ],
    );
    docgate(dir.path())
        .env("GITHUB_TOKEN", "ghp_supersecret")
        .env("DOCGATE_GHES_TOKEN", "also-secret")
        .args(["--allow-plugins", "render", "b", "-r", "fpt", "--format", "markdown"])
        .assert()
        .success()
        .stdout(contains("Token: [|]"));
    docgate(dir.path())
        .args(["--allow-plugins", "render", "c", "-r", "fpt"])
        .assert()
        .code(2)
        .stderr(contains("c.md:9:").and(contains("{% fail %} (plugin `probe`): no such thing")));
}

#[test]
fn config_errors_are_located() {
    for (config, at, message) in [
        (
            "[plugins.x]\ncomand = \"y\"\n",
            "docgate.toml:2:1",
            "unknown field `comand`",
        ),
        (
            "[plugins.x]\ncommand = \"\"\n",
            "docgate.toml:2:11",
            "`command` is empty",
        ),
        (
            "[plugins.x]\ncommand = \"y\"\ntimeout = \"forever\"\n",
            "docgate.toml:3:11",
            "is not a duration",
        ),
        ("[plugins.X]\ncommand = \"y\"\n", "docgate.toml:1:", "plugin name `X`"),
        ("[plugins.x\n", "docgate.toml:1:", ""),
    ] {
        let dir = tree(config, &[]);
        let out = docgate(dir.path())
            .args(["--allow-plugins", "render", "a", "-r", "fpt"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{config}: {stderr}");
        assert!(stderr.contains(at) && stderr.contains(message), "{config}: {stderr}");
    }
}
