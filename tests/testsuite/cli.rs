//! The command line end to end: outputs, exit codes, located errors for bad input.

use crate::common;
use std::path::Path;

use predicates::prelude::*;
use predicates::str::contains;

use common::{ARTICLE, docgate};

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn page(root: &Path, name: &str, body: &str) {
    write(
        root,
        &format!("content/{name}.md"),
        format!("---\ntitle: {name}\nversions:\n  fpt: '*'\n  ghes: '*'\n---\n\n{body}").as_bytes(),
    );
}

/// A tree with one page per kind of bad input.
fn bad_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(
        r,
        "content/malformed.md",
        b"---\ntitle: Bad\nversions:\n  ghes: [oops\n---\nbody\n",
    );
    page(r, "unclosed", "Line one\n{% ifversion fpt %}\nnever closed\n");
    page(r, "unknown-data", "Hello {% data variables.product.nope %} there\n");
    page(r, "self-include", "1. Step\n   {% data reusables.x.loop %}\n");
    write(r, "data/reusables/x/loop.md", b"Again {% data reusables.x.loop %}\n");
    page(r, "dots", "Bad {% data ../../x %}\n");
    page(r, "quoted", "Quoted {% data \"variables.product.name\" %}\n");
    page(r, "bad-expression", "{% ifversion ghes >= %}x{% endif %}\n");
    write(
        r,
        "content/utf8.md",
        b"---\ntitle: U\nversions:\n  fpt: '*'\n---\n\nBad \xff byte\n",
    );
    write(r, "data/variables/product.yml", b"name: Product\n");
    page(
        r,
        "good",
        "Hello {% data variables.product.name %}{% ifversion ghes > 3.4 %}, new{% endif %}.\n",
    );
    dir
}

#[test]
fn bad_input_gives_a_located_error_and_exit_2() {
    let dir = bad_tree();
    let root = dir.path();
    let cases = [
        ("malformed", "content/malformed.md:4:9", "invalid YAML"),
        ("unclosed", "content/unclosed.md:9:1", "is never closed"),
        (
            "unknown-data",
            "content/unknown-data.md:8:7",
            "unknown data reference `variables.product.nope`",
        ),
        ("self-include", "data/reusables/x/loop.md:1:7", "includes itself"),
        ("dots", "content/dots.md:8:13", "invalid data reference `../../x`"),
        (
            "bad-expression",
            "content/bad-expression.md:8:19",
            "`>=` needs a release",
        ),
        ("utf8", "content/utf8.md:7:5", "invalid UTF-8"),
        ("quoted", "content/quoted.md:8:16", "write the data path without quotes"),
    ];
    for (name, location, message) in cases {
        let out = docgate()
            .arg("--root")
            .arg(root)
            .args(["render", name])
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(stderr.contains(location), "{name}: expected {location} in\n{stderr}");
        assert!(stderr.contains(message), "{name}: expected `{message}` in\n{stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
}

#[test]
fn usage_errors_exit_2_with_help() {
    docgate()
        .args(["render", ARTICLE, "--version", "3.99"])
        .assert()
        .code(2)
        .stderr(contains("unknown GHES release `3.99`").and(contains("docgate versions")));
    docgate()
        .args(["render", ARTICLE, "--version", "nope"])
        .assert()
        .code(2)
        .stderr(contains("unknown version `nope`"));
    docgate()
        .args(["render", ARTICLE, "--lang", "xx"])
        .assert()
        .code(2)
        .stderr(contains("unknown language `xx`"));
    docgate()
        .args(["render", "no/such/page"])
        .assert()
        .code(2)
        .stderr(contains("no page matches"));
    docgate()
        .args(["render", ARTICLE, "--version", "fpt"])
        .assert()
        .code(2)
        .stderr(contains("is not available in free-pro-team@latest"));
    docgate().args(["--today", "2026-13-01", "versions"]).assert().code(2);
    docgate()
        .args(["--root", "/nonexistent/tree", "versions"])
        .assert()
        .code(2)
        .stderr(contains("no content/ folder"));
    docgate().args(["render", ARTICLE, "--format", "pdf"]).assert().code(2);
}

#[test]
fn trigger_sentence_by_version_for_every_language() {
    for lang in ["en", "ko", "zh", "ja", "pt", "fr"] {
        for (version, expected) in [("3.4", false), ("3.5", true)] {
            let out = docgate()
                .args([
                    "render",
                    ARTICLE,
                    "--version",
                    version,
                    "--lang",
                    lang,
                    "--format",
                    "text",
                ])
                .assert()
                .success();
            let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
            assert_eq!(
                stdout.contains("triggering-a-license-sync-job"),
                expected,
                "{lang} {version}\n{stdout}"
            );
            assert!(!stdout.contains("{%"), "{lang} {version}");
            assert!(!stdout.contains("{% 데이터"), "{lang} {version}");
        }
    }
}

#[test]
fn page_arguments_permalinks_and_redirects() {
    // A permalink sets the version and the language.
    docgate()
        .args([
            "render",
            &format!("/ko/enterprise-server@3.4/{ARTICLE}"),
            "--format",
            "json",
        ])
        .assert()
        .success()
        .stdout(contains("\"version\": \"enterprise-server@3.4\"").and(contains("\"language\": \"ko\"")));
    // An old redirect_from path finds the article, and says so.
    docgate()
        .args([
            "render",
            "/enterprise/admin/installation/enabling-automatic-user-license-sync-between-github-enterprise-server-and-github-enterprise-cloud",
            "--version",
            "3.5",
            "--format",
            "markdown",
        ])
        .assert()
        .success()
        .stdout(contains("## About automatic license synchronization"))
        .stderr(contains("redirects to /en/enterprise-server@3.5/"));
    // An explicit --release wins over the link's version, with a note; the old
    // spellings (--version, -v) still work.
    for flag in ["--release", "-r", "--docs-version", "--version", "-v"] {
        docgate()
            .args([
                "render",
                &format!("/en/enterprise-server@3.4/{ARTICLE}"),
                flag,
                "3.5",
                "--format",
                "json",
            ])
            .assert()
            .success()
            .stdout(contains("\"version\": \"enterprise-server@3.5\""))
            .stderr(contains(
                "note: rendering enterprise-server@3.5 (--release), not enterprise-server@3.4",
            ));
    }
    // `-v` is not advertised.
    docgate()
        .args(["render", "--help"])
        .assert()
        .success()
        .stdout(contains("-r, --release <VERSIONS>").and(contains("-v,").not()));
    // Installed versions and long names.
    for v in ["3.5.2", "ghes@3.5", "enterprise-server@3.5"] {
        docgate()
            .args(["render", ARTICLE, "--version", v, "--format", "json"])
            .assert()
            .success()
            .stdout(contains("\"version\": \"enterprise-server@3.5\""));
    }
}

#[test]
fn formats() {
    docgate()
        .args(["render", ARTICLE, "-v", "3.5", "-l", "fr", "--format", "html"])
        .assert()
        .success()
        .stdout(
            contains("<article lang=\"fr\" data-version=\"enterprise-server@3.5\"")
                .and(contains("<h2 id=\"about-automatic-license-synchronization\">"))
                .and(contains("/fr/enterprise-server@3.5/billing/")),
        );
    let out = docgate()
        .args(["render", ARTICLE, "-v", "3.5", "--format", "json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["title"], "Enabling automatic user license sync for your enterprise");
    assert_eq!(v["headings"][0]["id"], "about-automatic-license-synchronization");
    assert!(v["links"].as_array().unwrap().iter().any(|l| {
        l["resolved"]
            .as_str()
            .unwrap()
            .ends_with("#triggering-a-license-sync-job")
    }));
    assert_eq!(v["fallbacks"].as_array().unwrap().len(), 0);
    docgate()
        .args(["render", ARTICLE, "-v", "3.5", "--format", "text", "--width", "40"])
        .assert()
        .success()
        .stdout(predicate::function(|s: &str| {
            s.lines().all(|l| l.chars().count() <= 40 || !l.contains(' '))
        }));
}

#[test]
fn a_tree_on_disk_renders_with_root() {
    let dir = bad_tree();
    docgate()
        .arg("--root")
        .arg(dir.path())
        .args(["render", "good", "--version", "3.5", "--format", "markdown"])
        .assert()
        .success()
        .stdout("\nHello Product, new.\n");
    docgate()
        .arg("--root")
        .arg(dir.path())
        .args(["render", "good", "--version", "fpt", "--format", "markdown"])
        .assert()
        .success()
        .stdout("\nHello Product.\n");
}

#[test]
fn versions_table_and_eval() {
    docgate().arg("versions").assert().success().stdout(
        contains("latest: 3.22")
            .and(contains("3.23     release candidate"))
            .and(contains(
                "3.4      deprecated         2022-02-15  2022-03-15  2023-03-23",
            ))
            .and(contains("2.0      deprecated")),
    );
    docgate()
        .args(["versions", "eval", "ghec or ghes > 3.4", "--version", "3.5"])
        .assert()
        .success()
        .stdout("true\n");
    docgate()
        .args(["versions", "eval", "ghec or ghes > 3.4", "-v", "3.4"])
        .assert()
        .success()
        .stdout("false\n");
    docgate()
        .args(["versions", "eval", "license-sync-manual-trigger", "-v", "3.4", "-q"])
        .assert()
        .code(1)
        .stdout("");
    docgate()
        .args([
            "versions",
            "eval",
            "license-sync-manual-trigger",
            "-v",
            "3.4.7",
            "-v",
            "3.10",
        ])
        .assert()
        .success()
        .stdout("enterprise-server@3.4    false\nenterprise-server@3.10   true\n");
    docgate()
        .args(["versions", "eval", "ghes == 3.4", "-v", "3.4"])
        .assert()
        .code(2)
        .stderr(contains("unsupported operator `==`").and(contains("<expression>:1:6")));
    docgate()
        .args(["versions", "eval", "mystery", "-v", "3.4"])
        .assert()
        .success()
        .stdout("false\n")
        .stderr(contains("unknown name `mystery`"));
    let all = docgate().args(["versions", "eval", "ghes < 3.1"]).assert().success();
    let s = String::from_utf8_lossy(&all.get_output().stdout).to_string();
    let rows: Vec<Vec<&str>> = s.lines().map(|l| l.split_whitespace().collect()).collect();
    assert!(rows.contains(&vec!["enterprise-server@3.0", "true"]), "{s}");
    assert!(rows.contains(&vec!["enterprise-server@3.1", "false"]), "{s}");
    assert!(rows.contains(&vec!["free-pro-team@latest", "false"]), "{s}");
    assert!(!s.contains("3.24"), "planned releases are not listed by default");
}

#[test]
fn list_pages() {
    docgate().args(["render", "--list"]).assert().success().stdout(
        contains(ARTICLE)
            .and(contains("ghes 2.0–3.24"))
            .and(contains("ghec, ghes 2.0–3.24")),
    );
}

/// Pages written to files keep the tree's characters: a right-to-left mark in
/// Arabic-script text is text, not a terminal escape (it used to be written as
/// the six characters `\u{200f}`); printed to a terminal, the page is escaped.
#[test]
fn files_keep_the_text_terminals_get_it_escaped() {
    let (dir, _, _) = common::tree(&[(
        "content/page.md",
        "---\ntitle: Page\nversions:\n  fpt: '*'\n---\n\nمرحبا\u{200f} GitHub \u{1b}[2J done\n",
    )]);
    let out = tempfile::tempdir().unwrap();
    for format in ["html", "markdown"] {
        docgate()
            .arg("--root")
            .arg(dir.path())
            .args(["render", "--all", "--version", "fpt", "--format", format, "--out"])
            .arg(out.path().join(format))
            .assert()
            .success();
        let ext = if format == "html" { "html" } else { "md" };
        let text = std::fs::read_to_string(out.path().join(format).join(format!("page.{ext}"))).unwrap();
        assert!(text.contains("مرحبا\u{200f} GitHub"), "{format}: {text:?}");
        assert!(!text.contains("\\u{200f}"), "{format}: {text:?}");
    }
    docgate()
        .arg("--root")
        .arg(dir.path())
        .args(["render", "page", "--version", "fpt", "--format", "markdown"])
        .assert()
        .success()
        .stdout(contains("مرحبا\\u{200f} GitHub \\u{1b}[2J done").and(contains("\u{1b}").not()));
}

#[test]
fn render_all_writes_every_page() {
    let out = tempfile::tempdir().unwrap();
    // One version: OUT/<content path>.md
    docgate()
        .args(["render", "--all", "--version", "3.4", "--format", "markdown", "--out"])
        .arg(out.path().join("one"))
        .assert()
        .success()
        .stderr(contains("rendered 11 page versions (11 pages × 1 versions)"));
    let article = std::fs::read_to_string(out.path().join("one").join(format!("{ARTICLE}.md"))).unwrap();
    assert!(
        article.contains("## Enabling license synchronization") && !article.contains("triggering-a-license-sync-job")
    );
    assert!(out.path().join("one/billing/index.md").is_file());
    // Several versions: OUT/<version>/<content path>.<ext>
    docgate()
        .args([
            "render",
            "--all",
            "--version",
            "ghec,3.5",
            "--format",
            "html",
            "-j",
            "1",
            "--out",
        ])
        .arg(out.path().join("two"))
        .assert()
        .success();
    let html = std::fs::read_to_string(
        out.path()
            .join("two/enterprise-server@3.5")
            .join(format!("{ARTICLE}.html")),
    )
    .unwrap();
    assert!(html.contains("triggering-a-license-sync-job"));
    assert!(
        out.path()
            .join("two/enterprise-cloud@latest/billing/index.html")
            .is_file()
    );
    assert!(
        !out.path()
            .join("two/enterprise-cloud@latest")
            .join(format!("{ARTICLE}.html"))
            .exists(),
        "ghes-only page"
    );
    // A tree with a bad page: the others are written, the error is listed, exit 2.
    let dir = bad_tree();
    docgate()
        .arg("--root")
        .arg(dir.path())
        .args(["render", "--all", "--version", "fpt", "--format", "markdown", "--out"])
        .arg(out.path().join("bad"))
        .assert()
        .code(2)
        .stderr(contains("content/unclosed.md:9:1").and(contains("errors")));
    assert!(out.path().join("bad/good.md").is_file());
    // --all needs --out.
    docgate().args(["render", "--all"]).assert().code(2);
}

/// Every command that prints, piped into a reader that stops after one byte:
/// no panic, and exit 0 or a quiet end by SIGPIPE, as grep does.
#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    let commands: &[&[&str]] = &[
        &["versions"],
        &["versions", "--json"],
        &["render", "--list"],
        &["render", ARTICLE, "--version", "3.5"],
        &["render", ARTICLE, "--version", "3.5", "--format", "html"],
        &["check"],
        &["redirects", "resolve", "/enterprise/admin/installation"],
        &["redirects", "export", "--format", "nginx"],
        &["redirects", "export", "--format", "json"],
        &["sync", "capabilities", "--ghes-version", "3.5"],
        &["sync", "capabilities", "--ghes-version", "3.5", "--long"],
        &["sync", "capabilities", "--ghes-version", "3.5", "--format", "json"],
        &["versions", "features"],
        &["check", "--format", "json"],
        &["completions", "bash"],
        &["man"],
    ];
    for args in commands {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("docgate"))
            .env_remove("DOCGATE_ROOT")
            .args(["--today", "2026-11-23"])
            .args(*args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut one = [0u8; 1];
        let _ = stdout.read(&mut one);
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        let quiet = out.status.code().is_some_and(|c| c == 0 || c == 1) || out.status.signal() == Some(libc::SIGPIPE);
        assert!(quiet, "{args:?} ended with {:?}: {stderr}", out.status);
    }
}

#[test]
fn completions_complete_commands_in_bash() {
    let out = docgate().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("docgate.bash");
    std::fs::write(&script, &out.stdout).unwrap();
    let run = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {}; COMP_WORDS=(docgate ren); COMP_CWORD=1; COMP_LINE='docgate ren'; COMP_POINT=11; _docgate docgate ren docgate; echo \"${{COMPREPLY[@]}}\"",
            script.display()
        ))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&run.stdout).trim(),
        "render",
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = docgate().args(["completions", shell]).output().unwrap();
        assert!(
            out.status.success() && String::from_utf8_lossy(&out.stdout).contains("render"),
            "{shell}"
        );
    }
    docgate()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(contains("possible values"));
}

#[test]
fn man_pages_for_every_command() {
    docgate()
        .arg("man")
        .assert()
        .success()
        .stdout(contains(".TH docgate 1").and(contains("render")));
    let dir = tempfile::tempdir().unwrap();
    docgate().args(["man", "--out"]).arg(dir.path()).assert().success();
    for page in [
        "docgate.1",
        "docgate-render.1",
        "docgate-sync-capabilities.1",
        "docgate-man.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(page)).unwrap();
        assert!(text.contains(".TH"), "{page}");
    }
    let file = dir.path().join("docgate.1");
    docgate()
        .args(["man", "--out"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(contains("a file; man pages go into a folder"));
}

#[test]
fn text_wraps_to_the_terminal_width_and_refuses_a_zero_width() {
    docgate()
        .args(["render", ARTICLE, "--version", "3.5", "--width", "0"])
        .assert()
        .code(2)
        .stderr(contains("too narrow"));
    // Under a pseudo-terminal of 60 and 120 columns (`script` gives the command a pty).
    for cols in [60, 120] {
        let bin = assert_cmd::cargo::cargo_bin!("docgate");
        let cmd = format!(
            "stty cols {cols} rows 50; NO_COLOR=1 {} --today 2026-11-23 render {ARTICLE} --version 3.5 --hyperlinks never 2>/dev/null",
            bin.display()
        );
        let Ok(out) = std::process::Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .env_remove("DOCGATE_ROOT")
            .output()
        else {
            eprintln!("notice: `script` is not installed; pty width test skipped");
            return;
        };
        let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
        let widest = text
            .lines()
            .filter(|l| !l.contains('<'))
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0);
        assert!(
            widest <= cols && widest > cols - 15,
            "{cols} columns: widest line {widest}\n{text}"
        );
    }
}

#[test]
fn a_page_without_a_translation_says_so_once() {
    for (lang, name) in [("de", "German"), ("es", "Spanish"), ("ru", "Russian")] {
        let out = docgate()
            .args(["render", ARTICLE, "--release", "3.5", "--lang", lang])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert_eq!(
            stderr
                .matches(&format!("note: this page has no {name} translation; showing English"))
                .count(),
            1,
            "{stderr}"
        );
    }
    let ko = docgate()
        .args(["render", ARTICLE, "--release", "3.5", "--lang", "ko"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&ko.stderr).contains("no Korean translation"));
}

#[test]
fn near_misses_get_suggestions() {
    docgate()
        .args(["render", "billing/managing-your-licence-for-github-enterprise"])
        .assert()
        .code(2)
        .stderr(
            contains("did you mean `billing/managing-your-license-for-github-enterprise`")
                .and(contains("docgate::").not()),
        );
    // A bare file name and a docs.github.com URL name pages too.
    docgate()
        .args([
            "render",
            "enabling-automatic-user-license-sync-for-your-enterprise",
            "--version",
            "3.5",
            "--format",
            "json",
        ])
        .assert()
        .success()
        .stdout(contains(format!("\"path\": \"{ARTICLE}.md\"")));
    docgate()
        .args([
            "render",
            &format!("https://docs.github.com/ko/enterprise-server@3.5/{ARTICLE}#about"),
            "--format",
            "json",
        ])
        .assert()
        .success()
        .stdout(contains("\"language\": \"ko\"").and(contains("\"version\": \"enterprise-server@3.5\"")));
    docgate()
        .args(["versions", "eval", "ghes>3.4"])
        .assert()
        .code(2)
        .stderr(contains("write spaces around the operator: `ghes > 3.4`"));
    docgate()
        .args(["versions", "eval", "gehs > 3.4", "--version", "3.5"])
        .assert()
        .success()
        .stderr(contains("unknown name `gehs`").and(contains("did you mean `ghes`?")));
    docgate()
        .args(["versions", "eval", "license-sync-manual-triger", "--version", "3.5"])
        .assert()
        .success()
        .stderr(contains("did you mean `license-sync-manual-trigger`?"));
}

#[test]
fn versions_features_lists_the_names_ifversion_accepts() {
    docgate()
        .args(["versions", "features"])
        .assert()
        .success()
        .stdout(contains("license-sync-manual-trigger").and(contains("ghec '*', ghes '>3.4'")));
    let out = docgate().args(["versions", "features", "--json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    let trigger = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "license-sync-manual-trigger")
        .unwrap();
    assert_eq!(trigger["versions"]["ghes"], ">3.4");
}

/// `--format json` (or `--json`) on the data commands: each document parses,
/// has `schema_version` 1 and the documented keys.
#[test]
fn json_output_has_a_schema_version_and_the_documented_keys() {
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["versions", "--format", "json"],
            &["today", "latest", "oldest_supported", "releases"],
        ),
        (&["versions", "--json"], &["releases"]),
        (&["versions", "features", "--format", "json"], &["features"]),
        (
            &["versions", "eval", "ghes > 3.4", "--release", "3.5", "--format", "json"],
            &["expression", "results", "unknown_names"],
        ),
        (&["render", "--list", "--format", "json"], &["pages"]),
        (
            &["render", ARTICLE, "--release", "3.5", "--format", "json"],
            &[
                "path",
                "permalink",
                "version",
                "language",
                "title",
                "breadcrumbs",
                "miniToc",
                "children",
                "html",
                "markdown",
                "liquid",
            ],
        ),
        (
            &[
                "redirects",
                "resolve",
                "/enterprise/3.4/admin/configuration/configuring-github-connect/enabling-automatic-user-license-sync-for-your-enterprise",
                "--format",
                "json",
            ],
            &["request", "resolution", "permalink", "status", "hops"],
        ),
        (&["redirects", "export", "--format", "json"], &["redirects"]),
        (
            &["check", "redirects", "--format", "json"],
            &["checks", "errors", "warnings", "findings"],
        ),
        (&["check", "redirects", "--json"], &["findings"]),
    ];
    for (args, keys) in cases {
        let out = docgate().args(*args).output().unwrap();
        common::json_document(&format!("{args:?}"), &out, keys);
    }
    let out = docgate()
        .args(["redirects", "resolve", "/nowhere", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["resolution"], "not-found");
}

/// A folder given where one file goes: one clear message, exit 2, nothing written.
#[test]
fn a_folder_for_a_single_output_is_refused_once() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["redirects", "export", "--format", "nginx", "-o"][..],
        &["render", ARTICLE, "-r", "3.5", "-o"],
    ] {
        let out = docgate().args(args).arg(dir.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.matches("is a folder").count(), 1, "{args:?}: {stderr}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "{args:?}");
    }
}

#[test]
fn render_out_writes_one_page_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("page.md");
    docgate()
        .args(["render", ARTICLE, "--release", "3.5", "--format", "markdown", "-o"])
        .arg(&file)
        .assert()
        .success()
        .stdout("")
        .stderr(contains("wrote"));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("## "), "{text}");
    // A folder is not a file: one clear error, nothing written.
    docgate()
        .args(["render", ARTICLE, "--release", "3.5", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("is a folder: one page is written to a file"));
}

#[test]
fn a_deprecated_release_says_so_and_where_to_upgrade() {
    let note = "GitHub Enterprise Server 3.4 is deprecated (since 2023-03-23): it gets no more fixes; upgrade to a supported release, 3.19 to 3.22";
    docgate()
        .args(["render", ARTICLE, "--release", "3.4"])
        .assert()
        .success()
        .stderr(contains(note));
    docgate()
        .args(["render", ARTICLE, "--release", "3.20"])
        .assert()
        .success()
        .stderr(contains("deprecated").not());
    // Wrapped to the width in the listing.
    docgate()
        .args(["sync", "capabilities", "--ghes-version", "3.4"])
        .env("COLUMNS", "200")
        .assert()
        .success()
        .stdout(contains(note));
    let out = docgate()
        .args(["sync", "capabilities", "--ghes-version", "3.4", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["deprecated"], note);
}

/// Every command (recursively) of the real command line, with its path.
fn commands() -> Vec<(Vec<String>, clap::Command)> {
    fn walk(path: Vec<String>, cmd: &clap::Command, out: &mut Vec<(Vec<String>, clap::Command)>) {
        out.push((path.clone(), cmd.clone()));
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut p = path.clone();
            p.push(sub.get_name().to_string());
            walk(p, sub, out);
        }
    }
    let mut cmd = docgate::cli::command();
    cmd.build();
    let mut out = Vec::new();
    walk(Vec::new(), &cmd, &mut out);
    out
}

/// Every argument every command lists has help text.
#[test]
fn every_option_has_help_text() {
    let mut missing = Vec::new();
    for (path, cmd) in commands() {
        for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            let id = arg.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            if arg.get_help().is_none_or(|h| h.to_string().trim().is_empty()) {
                missing.push(format!("docgate {}: `{id}`", path.join(" ")));
            }
        }
    }
    assert!(missing.is_empty(), "no help text: {missing:#?}");
}

/// Global options are listed apart, and only by the commands that read a tree;
/// a sync command lists only the connection options it uses, but accepts them all.
#[test]
fn global_options_are_listed_apart_and_only_where_used() {
    let help = |args: &[&str]| {
        let out = docgate().args(args).arg("--help").output().unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    for args in [
        &["render"][..],
        &["check"],
        &["versions", "eval"],
        &["sync", "capabilities"],
    ] {
        let h = help(args);
        let global = h.find("Global options:").unwrap_or_else(|| panic!("{args:?}: {h}"));
        assert!(h[global..].contains("--root <DIR>"), "{args:?}");
        assert!(
            !h[..global].contains("--root"),
            "{args:?}: --root among the command's options"
        );
    }
    for args in [&["completions"][..], &["man"], &["emulate"], &[]] {
        let h = help(args);
        assert!(
            !h.contains("--root <DIR>") && !h.contains("--max-file-size <SIZE>"),
            "{args:?}: {h}"
        );
    }
    let history = help(&["sync", "history"]);
    assert!(
        history.contains("--state") && !history.contains("--ghes-url"),
        "{history}"
    );
    let status = help(&["sync", "status"]);
    assert!(
        status.contains("--enterprise") && !status.contains("--ghes-token-file"),
        "{status}"
    );
    // One `$S` for every sync command, before or after the command's name.
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &[
            "sync",
            "history",
            "--ghes-url",
            "https://ghes.example.com",
            "--enterprise",
            "acme",
        ][..],
        &["sync", "--ghes-url", "https://ghes.example.com", "history"],
        &["--color", "never", "sync", "history"],
    ] {
        docgate()
            .args(args)
            .arg("--state")
            .arg(dir.path().join("h.db"))
            .assert()
            .success();
    }
    // Options before the command still work for the tree ones.
    docgate()
        .args(["--color", "never", "versions", "eval", "ghes > 3.4", "-r", "3.5"])
        .assert()
        .success()
        .stdout("true\n");
}

/// The README's command lines name real commands and options, and every command
/// appears in the README.
#[test]
fn the_readme_command_table_matches_help() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let all = commands();
    // Lines of code blocks and inline code spans that start with `docgate `.
    let spans = readme.split('`').skip(1).step_by(2);
    let lines: Vec<&str> = readme
        .lines()
        .map(str::trim)
        .chain(spans)
        .filter(|l| l.starts_with("docgate "))
        .collect();
    let mut mentioned = std::collections::BTreeSet::new();
    for line in &lines {
        let words: Vec<&str> = line.split_whitespace().skip(1).collect();
        // The longest command path the line starts with.
        let (path, cmd) = all
            .iter()
            .filter(|(p, _)| p.len() <= words.len() && p.iter().zip(&words).all(|(a, b)| a == b))
            .max_by_key(|(p, _)| p.len())
            .unwrap();
        mentioned.insert(path.join(" "));
        // Options of the line itself: not its comment, not a quoted inner command.
        let code: String = line.split('#').next().unwrap().split('"').step_by(2).collect();
        for flag in code
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .filter(|w| w.starts_with("--") && w.len() > 2)
        {
            let name = &flag[2..];
            let known = cmd
                .get_arguments()
                .any(|a| a.get_long() == Some(name) || a.get_all_aliases().is_some_and(|al| al.contains(&name)))
                || (name == "help");
            assert!(known, "README `{line}`: docgate {} has no {flag}", path.join(" "));
        }
    }
    let unmentioned: Vec<String> = all
        .iter()
        .filter(|(path, cmd)| !path.is_empty() && !cmd.is_hide_set())
        .map(|(path, _)| path.join(" "))
        .filter(|p| !mentioned.iter().any(|m| m == p || m.starts_with(&format!("{p} "))))
        .collect();
    assert!(
        unmentioned.is_empty(),
        "README shows no command line for {unmentioned:?}"
    );
}

/// Korean wraps only at spaces (keep-all): every word of a narrow rendering is a
/// whole word of the unwrapped one. Chinese still breaks between characters.
#[test]
fn korean_wraps_only_at_spaces() {
    let render = |lang: &str, width: &str| {
        let out = docgate()
            .args(["render", ARTICLE, "-r", "3.5", "--lang", lang, "--width", width])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let words =
        |text: &str| -> std::collections::BTreeSet<String> { text.split_whitespace().map(str::to_string).collect() };
    let is_cjk = |w: &str| {
        w.chars()
            .any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c))
    };
    let whole = words(&render("ko", "1000"));
    let narrow = render("ko", "24");
    let broken: Vec<String> = words(&narrow)
        .into_iter()
        .filter(|w| is_cjk(w) && !whole.contains(w))
        .collect();
    assert!(broken.is_empty(), "Korean words broken: {broken:?}\n{narrow}");
    assert!(narrow.lines().count() > render("ko", "1000").lines().count());
    let zh_whole = words(&render("zh", "1000"));
    let zh_narrow = render("zh", "24");
    assert!(
        words(&zh_narrow).iter().any(|w| is_cjk(w) && !zh_whole.contains(w)),
        "Chinese should break between characters:\n{zh_narrow}"
    );
}

/// Colour in findings and tables only when asked (`--color always`) or on a
/// terminal; never in a pipe by default.
#[test]
fn colour_in_findings_and_tables_only_when_allowed() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check-tree");
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("h.db");
    let cases: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["versions".into()],
        vec![
            "--root".into(),
            fixture.into_os_string(),
            "check".into(),
            "redirects".into(),
        ],
        vec![
            "sync".into(),
            "capabilities".into(),
            "--ghes-version".into(),
            "3.4".into(),
        ],
        vec![
            "sync".into(),
            "history".into(),
            "--state".into(),
            state.clone().into_os_string(),
        ],
    ];
    let styles = regex::Regex::new("\x1b\\[[0-9;]*m").unwrap();
    for args in &cases {
        let plain = docgate().args(args).output().unwrap();
        let coloured = docgate().args(args).args(["--color", "always"]).output().unwrap();
        let plain = String::from_utf8_lossy(&plain.stdout);
        let coloured = String::from_utf8_lossy(&coloured.stdout);
        assert!(!plain.contains('\x1b'), "{args:?}: {plain}");
        assert!(coloured.contains("\x1b["), "{args:?}: {coloured}");
        // The same text once the styles are taken out.
        let stripped = styles.replace_all(&coloured, "");
        assert_eq!(stripped, plain, "{args:?}");
    }
}

/// One syntax for versions and languages on every command: lists (`a,b` or
/// repeated), `all`, `supported`.
#[test]
fn versions_and_languages_take_the_same_lists_everywhere() {
    docgate()
        .args(["versions", "eval", "ghes > 3.4", "-r", "3.4,ghec", "-r", "3.5"])
        .assert()
        .success()
        .stdout("enterprise-server@3.4    false\nenterprise-cloud@latest  false\nenterprise-server@3.5    true\n");
    let supported = docgate()
        .args(["versions", "eval", "ghes", "--release", "supported"])
        .output()
        .unwrap();
    let text = String::from_utf8(supported.stdout).unwrap();
    assert!(
        text.contains("enterprise-server@3.22   true") && !text.contains("@3.4 "),
        "{text}"
    );
    // render --all: several languages, each in its folder.
    let out = tempfile::tempdir().unwrap();
    docgate()
        .args([
            "render", "--all", "-r", "3.5", "--lang", "ko,ja", "--format", "markdown", "--out",
        ])
        .arg(out.path())
        .assert()
        .success()
        .stderr(contains("× 2 languages"));
    for lang in ["ko", "ja"] {
        let page = out.path().join(lang).join(format!("{ARTICLE}.md"));
        assert!(page.is_file(), "{}", page.display());
    }
    // One page takes one language.
    docgate()
        .args(["render", ARTICLE, "--lang", "ko,ja"])
        .assert()
        .code(2)
        .stderr(contains("takes one --lang"));
    // check --lang: the pages of those languages (the fixture's drift is French).
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check-tree");
    let rules = |lang: &str| {
        let out = docgate()
            .arg("--root")
            .arg(&fixture)
            .args(["check", "--lang", lang, "--format", "json"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["rule"].as_str().unwrap().to_string(), f["language"].clone()))
            .collect::<Vec<_>>()
    };
    let fr = rules("fr");
    assert!(fr.iter().any(|(r, _)| r == "translation-drift"), "{fr:?}");
    let ko = rules("ko");
    assert!(!ko.iter().any(|(r, _)| r == "translation-drift"), "{ko:?}");
    assert!(ko.iter().all(|(_, l)| l.is_null() || l == "ko"), "{ko:?}");
    let stubs = tempfile::tempdir().unwrap();
    docgate()
        .args(["redirects", "export", "--format", "html", "--lang", "ko,ja", "--out"])
        .arg(stubs.path())
        .assert()
        .success();
    assert!(stubs.path().join("ko").is_dir() && stubs.path().join("ja").is_dir());
    assert!(!stubs.path().join("fr").exists());
}

/// The README's main command, in Korean: no English words inside the Korean
/// text (translated variables and reusables), product and UI names aside.
#[test]
fn the_readme_korean_example_reads_as_korean() {
    let out = docgate()
        .args([
            "render",
            "/ko/enterprise-server@3.5/admin/configuration/configuring-github-connect/enabling-automatic-user-license-sync-for-your-enterprise",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("your GitHub Enterprise Server instance"), "{text}");
    let targets = regex::Regex::new(r"<[^>]*>").unwrap();
    let english = regex::Regex::new(r"(?i)\b(the|your|and|you|with|for|to|of|is|can)\b").unwrap();
    // The seed's own `permissions:` is English as shipped (seeds are used as they are).
    let seed_english = "Enterprise owners can enable automatic user license synchronization.";
    for line in text.lines().filter(|l| l.trim() != seed_english) {
        // Link targets (`</ko/…>`) are paths, not prose.
        let prose = targets.replace_all(line, "");
        assert!(!english.is_match(&prose), "English in: {line}");
    }
}

/// `docgate config`: each global option's value and where it came from.
#[test]
fn config_says_where_each_value_came_from() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(
        dir.path().join("docgate.toml"),
        "# plugins\n[plugins.shout]\ncommand = \"python3 shout.py\"\ntimeout = \"5s\"\n",
    )
    .unwrap();
    let out = docgate()
        .env("DOCGATE_ROOT", dir.path())
        .args(["config", "--color", "never", "--format", "json"])
        .output()
        .unwrap();
    let v = common::json_document("config", &out, &["options", "config_file", "plugins"]);
    assert_eq!(v["options"]["root"]["from"], "$DOCGATE_ROOT");
    assert_eq!(v["options"]["today"]["from"], "--today");
    assert_eq!(v["options"]["today"]["value"], "2026-11-23");
    assert_eq!(v["options"]["color"]["from"], "--color");
    assert_eq!(v["options"]["max-file-size"]["from"], "default");
    assert_eq!(
        v["plugins"]["shout"]["command"],
        serde_json::json!(["python3", "shout.py"])
    );
    assert_eq!(v["plugins"]["shout"]["timeout_seconds"], 5.0);
    assert!(
        v["plugins"]["shout"]["from"]
            .as_str()
            .unwrap()
            .ends_with("docgate.toml:2:1"),
        "{v}"
    );
    docgate()
        .arg("config")
        .assert()
        .success()
        .stdout(contains("root             (the bundled tree)").and(contains("docgate.toml     (none)")));
}
