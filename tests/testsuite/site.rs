//! `docgate build`: the static site on disk. Every link resolves to a file
//! (so the site works from `file://`), redirects and the search index are
//! there, code is highlighted, and a rebuild reuses what did not change.

use std::collections::BTreeSet;
use std::path::Path;

use predicates::prelude::*;
use predicates::str::contains;

use crate::common::{self, ARTICLE, docgate};

/// Every `href`/`src` of every HTML file under `out` that is not a web URL or
/// a fragment: relative, and a file of the site. Returns how many were checked.
fn crawl(out: &Path) -> usize {
    let link = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    let refresh = regex::Regex::new(r#"http-equiv="refresh" content="0; url=([^"]*)""#).unwrap();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy();
        if name != "index.html" {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        assert!(html.starts_with("<!doctype html>"), "{}", entry.path().display());
        let targets = link
            .captures_iter(&html)
            .chain(refresh.captures_iter(&html))
            .map(|c| c[1].to_string());
        for target in targets {
            if target.starts_with("https://") || target.starts_with('#') {
                continue;
            }
            assert!(
                !target.starts_with('/'),
                "absolute link {target} in {}",
                entry.path().display()
            );
            let path = target.split(['#', '?']).next().unwrap();
            let file = entry.path().parent().unwrap().join(path);
            assert!(file.is_file(), "{target} in {} leads nowhere", entry.path().display());
            checked += 1;
        }
    }
    checked
}

/// The bundled site in two versions and two languages: refused over a
/// foreign folder, replaced whole on rebuild, every link resolves, the
/// pickers, sidebar, banner and trigger paragraph by version.
#[test]
fn build_writes_a_site_whose_links_all_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    // A folder docgate did not build is refused, and left as it was.
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    docgate()
        .args(["build", "-r", "3.5", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(contains("holds files docgate did not build"));
    assert_eq!(std::fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
    std::fs::remove_file(out.join("notes.txt")).unwrap();
    let build = || {
        docgate()
            .args(["build", "-r", "3.4,3.5", "--lang", "en,ko", "--out"])
            .arg(&out)
            .assert()
            .success()
            .stderr(contains("built 44 pages").and(contains("index.html in a browser")));
    };
    build();
    // A rebuild replaces the earlier site whole.
    std::fs::write(out.join("stale.txt"), "from an earlier build").unwrap();
    build();
    assert!(!out.join("stale.txt").exists());
    assert!(crawl(&out) > 100);
    let article =
        |v: &str| std::fs::read_to_string(out.join(format!("ko/enterprise-server@{v}/{ARTICLE}/index.html"))).unwrap();
    assert!(article("3.5").contains("#triggering-a-license-sync-job"));
    assert!(!article("3.4").contains("#triggering-a-license-sync-job"));
    assert!(article("3.4").contains("class=\"banner\"") && article("3.4").contains("deprecated"));
    let a = article("3.5");
    assert!(
        a.contains(">GHES 3.4</a>") && a.contains(">한국어</a>") && a.contains(">English</a>"),
        "{a}"
    );
    // The sidebar: the product's pages from `children:`, this one marked.
    let sidebar = &a[a.find("<nav class=\"sidebar\"").expect("a sidebar")..];
    let sidebar = &sidebar[..sidebar.find("</nav>").unwrap()];
    assert!(sidebar.contains(">Managing GitHub Connect</a>"), "{sidebar}");
    assert!(
        sidebar.contains("enabling-automatic-user-license-sync-for-your-enterprise/index.html\" aria-current=\"page\""),
        "{sidebar}"
    );
    // An index page lists its children with their intros.
    let index = std::fs::read_to_string(out.join("en/enterprise-server@3.5/admin/index.html")).unwrap();
    assert!(index.contains(">Configuring your enterprise</a>"), "{index}");
}

/// Redirect pages for old paths, 404.html, sitemap.xml and the search index.
#[test]
fn build_writes_redirects_404_sitemap_and_search_index() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    docgate()
        .args([
            "build",
            "--lang",
            "en,ko",
            "--site-url",
            "https://docs.example.com/ghes/",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success()
        .stderr(contains("redirects"));
    // The legacy path of the seed article (its `redirect_from`), with and
    // without a language, sends the browser on to the article in the latest release.
    let legacy = "enterprise/admin/installation/enabling-automatic-user-license-sync-between-github-enterprise-server-and-github-enterprise-cloud";
    for stub in [format!("{legacy}/index.html"), format!("ko/{legacy}/index.html")] {
        let html = std::fs::read_to_string(out.join(&stub)).unwrap_or_else(|e| panic!("{stub}: {e}"));
        assert!(html.contains("http-equiv=\"refresh\""), "{html}");
        assert!(
            html.contains(&format!("enterprise-server@3.22/{ARTICLE}/index.html")),
            "{html}"
        );
    }
    assert!(crawl(&out) > 100);
    let not_found = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert!(not_found.contains("Page not found"));
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.starts_with("<?xml"));
    assert!(
        sitemap.contains(&format!(
            "<loc>https://docs.example.com/ghes/ko/enterprise-server@3.5/{ARTICLE}/</loc>"
        )),
        "{sitemap}"
    );
    let locs = sitemap.matches("<loc>").count();
    // The search index of 3.5 in Korean holds the article, titled in Korean.
    let index = std::fs::read_to_string(out.join("search/ko-ghes-3.5.js")).unwrap();
    let json = index
        .strip_prefix("window.DOCGATE_SEARCH = ")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("a script assigning the index");
    let records: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
    let record = records
        .iter()
        .find(|r| r["u"].as_str().unwrap().contains(ARTICLE))
        .expect("the article is in the index");
    assert!(record["t"].as_str().unwrap().contains("라이선스"), "{record}");
    assert!(record["x"].as_str().unwrap().len() > 200, "{record}");
    assert!(out.join(record["u"].as_str().unwrap()).is_file());
    // Every page of the site is in the sitemap once.
    let pages = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .filter(|e| {
            !std::fs::read_to_string(e.path())
                .unwrap()
                .contains("http-equiv=\"refresh\"")
        })
        .count();
    assert_eq!(locs, pages);
}

/// A rebuild renders only the pages whose inputs changed: nothing when
/// nothing changed, one page's versions when its file changed, everything
/// when data changed or with --force.
#[test]
fn build_is_incremental() {
    let tree = common::bundled_copy();
    let root = tree.path();
    let out = root.join("site");
    let build = |extra: &[&str]| -> (usize, usize) {
        let run = docgate()
            .arg("--root")
            .arg(root)
            .args(["build", "-r", "3.4,3.5", "--out"])
            .arg(&out)
            .args(extra)
            .assert()
            .success();
        let err = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
        let caps = regex::Regex::new(r"built (\d+) pages \((\d+) unchanged")
            .unwrap()
            .captures(&err)
            .unwrap_or_else(|| panic!("{err}"));
        (caps[1].parse().unwrap(), caps[2].parse().unwrap())
    };
    let (pages, reused) = build(&[]);
    assert_eq!(reused, 0);
    assert_eq!(build(&[]), (pages, pages));
    // The search indexes of a rebuild are those of a full build. One that was
    // changed since is not trusted: its pages are rendered again, and it is
    // written as it was.
    let indexes = || -> std::collections::BTreeMap<String, String> {
        std::fs::read_dir(out.join("search"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).unwrap()))
            .collect()
    };
    let before = indexes();
    assert_eq!(before.len(), 2, "{:?}", before.keys());
    let (tampered, original) = before.iter().next().unwrap();
    let records = original.matches("\"u\":").count();
    assert!(records > 0 && records < pages, "{original}");
    std::fs::write(tampered, "window.DOCGATE_SEARCH = [];\n").unwrap();
    assert_eq!(build(&[]), (pages, pages - records));
    assert_eq!(indexes(), before);
    // One page's body changed: its two versions are rendered again, with the change.
    let file = root.join(format!("content/{ARTICLE}.md"));
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\nA sentence added by the test.\n")).unwrap();
    assert_eq!(build(&[]), (pages, pages - 2));
    let html = std::fs::read_to_string(out.join(format!("en/enterprise-server@3.5/{ARTICLE}/index.html"))).unwrap();
    assert!(html.contains("A sentence added by the test."));
    // Data is used by every page: all are rendered again.
    let vars = root.join("data/variables/product.yml");
    let text = std::fs::read_to_string(&vars).unwrap();
    std::fs::write(&vars, format!("{text}\nadded_by_test: x\n")).unwrap();
    assert_eq!(build(&[]), (pages, 0));
    assert_eq!(build(&["--force"]), (pages, 0));
    assert_eq!(build(&[]), (pages, pages));
    // A page file of the previous site that was tampered with is not trusted
    // blindly: a symlink in its place is rendered again, never followed.
    let target = out.join(format!("en/enterprise-server@3.4/{ARTICLE}/index.html"));
    std::fs::remove_file(&target).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", &target).unwrap();
    assert_eq!(build(&[]), (pages, pages - 1));
    assert!(!std::fs::symlink_metadata(&target).unwrap().file_type().is_symlink());
}

/// Code blocks are highlighted by language; `text` stays plain.
#[test]
fn code_blocks_are_highlighted() {
    let (dir, _, _) = common::tree(&[(
        "content/index.md",
        "---\ntitle: Home\nversions:\n  fpt: '*'\n---\n\n```shell\n$ curl -s https://HOSTNAME/api/v3/meta # the API\n```\n\n```yaml\nname: x\n```\n\n```text\nplain <b>\n```\n",
    )]);
    let out = dir.path().join("site");
    docgate()
        .arg("--root")
        .arg(dir.path())
        .args(["build", "--out"])
        .arg(&out)
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("en/index.html")).unwrap();
    assert!(html.contains("<span class=\"hl-comment"), "{html}");
    assert!(html.contains("hl-yaml"), "{html}");
    assert!(
        html.contains("<code class=\"language-text\">plain &lt;b&gt;\n</code>"),
        "{html}"
    );
    let css = std::fs::read_to_string(out.join("docgate.css")).unwrap();
    assert!(css.contains(".hl-comment"));
    let names: BTreeSet<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for f in [
        "404.html",
        "sitemap.xml",
        "docgate.js",
        "docgate.css",
        "search",
        ".docgate-site",
    ] {
        assert!(names.contains(f), "{f} missing: {names:?}");
    }
}

/// A running `docgate serve`, stopped when dropped.
#[cfg(all(feature = "serve", feature = "sync"))]
pub struct Served {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

#[cfg(all(feature = "serve", feature = "sync"))]
impl Served {
    /// `docgate --root ROOT serve --port 0 ARGS`, once it listens.
    pub fn start(root: &Path, args: &[&str]) -> Served {
        use std::io::BufRead;
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("docgate"))
            .env("NO_COLOR", "1")
            .args(["--today", "2026-11-23", "--root"])
            .arg(root)
            .args(["serve", "--port", "0"])
            .args(args)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        let url = first.strip_prefix("serving ").unwrap_or_else(|| panic!("{first}"));
        let base = url[..url.find("/en").unwrap_or(url.len())].to_string();
        // Keep reading stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Served { child, base }
    }
}

#[cfg(all(feature = "serve", feature = "sync"))]
impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `docgate serve`: pages from memory at `…/index.html`, old paths
/// redirected, nothing outside the tree, only loopback host names; a change
/// sends a reload event, and a broken page shows its located error.
#[cfg(all(feature = "serve", feature = "sync"))]
#[test]
fn serve_renders_from_memory_and_reloads_on_change() {
    use std::io::Read;
    let tree = common::bundled_copy();
    let served = Served::start(tree.path(), &["-r", "3.4,3.5", "--lang", "en,ko"]);
    docgate::sync::http::install_tls_provider();
    let client = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap();
    let get = |path: &str| client.get(format!("{}{path}", served.base)).send().unwrap();
    let article = format!("/ko/enterprise-server@3.5/{ARTICLE}/index.html");
    let r = get(&article);
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/html; charset=utf-8");
    let html = r.text().unwrap();
    assert!(html.contains("#triggering-a-license-sync-job") && html.contains("data-live-reload"));
    assert!(
        !get(&format!("/ko/enterprise-server@3.4/{ARTICLE}/index.html"))
            .text()
            .unwrap()
            .contains("#triggering-a-license-sync-job")
    );
    // Without index.html, and from an old path: redirected to the page.
    let r = get(&format!("/ko/enterprise-server@3.5/{ARTICLE}"));
    assert_eq!(r.status(), 302);
    assert_eq!(r.headers()["location"], article.as_str());
    let r = get(
        "/enterprise/3.4/admin/installation/enabling-automatic-user-license-sync-between-github-enterprise-server-and-github-enterprise-cloud",
    );
    assert_eq!(r.status(), 302);
    assert_eq!(
        r.headers()["location"],
        format!("/en/enterprise-server@3.4/{ARTICLE}/index.html").as_str()
    );
    assert_eq!(get("/docgate.css").status(), 200);
    assert!(get("/search/ko-ghes-3.5.js").text().unwrap().contains("라이선스"));
    assert_eq!(get("/no/such/page").status(), 404);
    assert_eq!(get("/assets/../content/index.md").status(), 404);
    assert_eq!(get("/assets/%2e%2e/content/index.md").status(), 404);
    let r = client
        .get(format!("{}/", served.base))
        .header("host", "attacker.example")
        .send()
        .unwrap();
    assert_eq!(r.status(), 421);
    // A change: the event stream says reload, and the page shows the change.
    let mut events = client.get(format!("{}/__docgate/events", served.base)).send().unwrap();
    let file = tree.path().join(format!("content/{ARTICLE}.md"));
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\nA sentence added while serving.\n")).unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 256];
    while !seen.contains("event: reload") {
        let n = events.read(&mut buf).unwrap();
        assert!(n > 0, "the stream ended: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    let english = format!("/en/enterprise-server@3.5/{ARTICLE}/index.html");
    assert!(
        get(&english)
            .text()
            .unwrap()
            .contains("A sentence added while serving.")
    );
    // A broken page: its located error instead of the old text.
    std::fs::write(&file, format!("{text}\n{{% ifversion ghes > 3.4 %}}never closed\n")).unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let r = get(&english);
        if r.status() == 500 {
            let html = r.text().unwrap();
            assert!(html.contains(&format!("{ARTICLE}.md:")), "{html}");
            assert!(html.contains("is never closed"), "{html}");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the broken page still renders");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}
