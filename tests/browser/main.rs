//! The site in a real browser: headless Chromium driven through chromedriver
//! (W3C WebDriver, with fantoccini). It builds the bundled site, serves it on
//! loopback with a plain static server, and checks what a reader does: the
//! seed article by version and language, the pickers, an old URL, search,
//! the site from `file://`, and a live reload under `docgate serve`. Each
//! step leaves a screenshot in `target/tmp/browser-screenshots/`.
//!
//! Needs `chromium` and `chromedriver` (Debian: `apt-get install chromium
//! chromium-driver`); `.ci/run` installs them and sets
//! `DOCGATE_REQUIRE_BROWSER=1`, so there a missing browser fails the test.
//! Elsewhere the test says it was skipped.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

const ARTICLE: &str =
    "admin/configuration/configuring-github-connect/enabling-automatic-user-license-sync-for-your-enterprise";
/// The link of the manual-trigger paragraph (GHES > 3.4 only).
const TRIGGER: &str = "#triggering-a-license-sync-job";

/// A child process killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for_port(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not start listening on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The first of `names` found on PATH or in /usr/bin.
fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in names {
        for dir in std::env::split_paths(&path).chain([PathBuf::from("/usr/bin")]) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

fn docgate() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_docgate"));
    c.env_remove("DOCGATE_ROOT")
        .env("NO_COLOR", "1")
        .args(["--today", "2026-11-23"]);
    c
}

/// A copy of the bundled tree on disk, for `docgate serve --root`.
fn bundled_copy(dest: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for top in ["content", "data", "translations", "assets"] {
        copy_dir(&root.join(top), &dest.join(top));
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

struct Browser {
    client: Client,
    shots: PathBuf,
    step: usize,
    _driver: Running,
}

impl Browser {
    async fn start(chromium: &Path, chromedriver: &Path, profile: &Path) -> Browser {
        let port = free_port();
        let driver = Running(
            Command::new(chromedriver)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("chromedriver starts"),
        );
        wait_for_port(port, "chromedriver");
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                    "--hide-scrollbars", "--allow-file-access-from-files",
                    format!("--user-data-dir={}", profile.display()),
                    "--window-size=1280,1000"
                ]
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session");
        let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots).unwrap();
        Browser {
            client,
            shots,
            step: 0,
            _driver: driver,
        }
    }

    /// Saves a screenshot of the viewport as `NN-name.png`.
    async fn shot(&mut self, name: &str) {
        self.step += 1;
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(self.shots.join(format!("{:02}-{name}.png", self.step)), png).unwrap();
    }

    async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    }

    async fn url(&self) -> String {
        self.client.current_url().await.unwrap().to_string()
    }

    async fn html(&self) -> String {
        self.client.source().await.unwrap()
    }

    /// Waits until `cond(url, html)` holds (the page may be loading or reloading).
    async fn until(&self, what: &str, cond: impl Fn(&str, &str) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let (url, html) = (self.url().await, self.html().await);
            if cond(&url, &html) {
                return;
            }
            assert!(Instant::now() < deadline, "{what}: still at {url}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn click(&self, css: &str) {
        let el = self
            .client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        el.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Whether an element matching `css` is displayed.
    async fn visible(&self, css: &str) -> bool {
        match self.client.find(Locator::Css(css)).await {
            Ok(el) => el.is_displayed().await.unwrap_or(false),
            Err(_) => false,
        }
    }

    async fn search(&mut self, query: &str, name: &str) {
        let box_ = self
            .client
            .wait()
            .for_element(Locator::Css("#search-box"))
            .await
            .unwrap();
        box_.click().await.unwrap();
        box_.send_keys(query).await.unwrap();
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("#search-results li a"))
            .await
            .expect("search results");
        self.shot(name).await;
        self.click("#search-results li a").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_in_a_real_browser() {
    let (Some(chromium), Some(chromedriver)) = (
        find(&["chromium", "chromium-browser", "google-chrome"]),
        find(&["chromedriver"]),
    ) else {
        assert!(
            std::env::var_os("DOCGATE_REQUIRE_BROWSER").is_none(),
            "DOCGATE_REQUIRE_BROWSER is set but chromium or chromedriver is missing \
             (apt-get install chromium chromium-driver)"
        );
        eprintln!("skipped: chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let site = work.path().join("site");
    // The bundled site: the seed article's releases around the trigger (3.4, 3.5) and
    // the latest (where old URLs lead), in three languages.
    let built = docgate()
        .args(["build", "-r", "3.4,3.5,latest", "--lang", "en,ko,fr", "--out"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));

    // A plain static server on loopback: what an admin would put the site behind.
    let port = free_port();
    let _static_server = Running(
        Command::new("python3")
            .args(["-m", "http.server", "--bind", "127.0.0.1", "--directory"])
            .arg(&site)
            .arg(port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 serves the site"),
    );
    wait_for_port(port, "the static server");
    let base = format!("http://127.0.0.1:{port}");

    let mut b = Browser::start(&chromium, &chromedriver, &work.path().join("profile")).await;

    // 1. The seed article in Korean and French: the manual trigger only after 3.4.
    for lang in ["ko", "fr"] {
        for (release, trigger) in [("3.4", false), ("3.5", true)] {
            b.goto(&format!(
                "{base}/{lang}/enterprise-server@{release}/{ARTICLE}/index.html"
            ))
            .await;
            let html = b.html().await;
            assert_eq!(html.contains(TRIGGER), trigger, "{lang} {release}");
            assert!(b.visible("#version-picker").await && b.visible("#language-picker").await);
            assert!(b.visible("nav.sidebar").await, "{lang} {release}: sidebar");
            if release == "3.4" {
                assert!(b.visible(".banner").await, "3.4 is deprecated: a banner");
            }
            b.shot(&format!("article-{lang}-{release}-1280")).await;
        }
    }
    // Code is highlighted: the curl and JSON examples get coloured spans.
    b.goto(&format!(
        "{base}/en/enterprise-server@3.5/billing/managing-your-license-for-github-enterprise/viewing-license-usage-for-github-enterprise/index.html"
    ))
    .await;
    let colours = b
        .client
        .execute(
            "const s = document.querySelector('pre code.language-json .hl-string');\
             const c = document.querySelector('pre code.language-shell .hl-string');\
             return [s && getComputedStyle(s).color, c && getComputedStyle(c).color, getComputedStyle(document.body).color];",
            vec![],
        )
        .await
        .unwrap();
    let colours: Vec<Option<String>> = serde_json::from_value(colours).unwrap();
    assert!(
        colours[0].is_some() && colours[1].is_some(),
        "no highlighted strings: {colours:?}"
    );
    assert_ne!(colours[0], colours[2], "highlighted text has its own colour");
    b.client
        .execute(
            "document.querySelector('pre code.language-shell').scrollIntoView(); return 1;",
            vec![],
        )
        .await
        .unwrap();
    b.shot("code-highlighted").await;

    // 2. The pickers: from ko 3.5 to ko 3.4 (the trigger disappears), then to French.
    b.goto(&format!("{base}/ko/enterprise-server@3.5/{ARTICLE}/index.html"))
        .await;
    b.click("#version-picker summary").await;
    b.shot("version-picker-open").await;
    b.click("#version-picker a[href*='enterprise-server@3.4']").await;
    b.until("the version picker leads to 3.4", |url, _| {
        url.contains(&format!("/ko/enterprise-server@3.4/{ARTICLE}/"))
    })
    .await;
    assert!(!b.html().await.contains(TRIGGER));
    b.click("#language-picker summary").await;
    b.shot("language-picker-open").await;
    b.click("#language-picker a[hreflang='fr']").await;
    b.until("the language picker leads to French", |url, _| {
        url.contains(&format!("/fr/enterprise-server@3.4/{ARTICLE}/"))
    })
    .await;
    b.shot("after-pickers-fr-3.4").await;

    // 3. An old URL (the article's `redirect_from`) arrives at the article.
    b.goto(&format!(
        "{base}/enterprise/admin/installation/enabling-automatic-user-license-sync-between-github-enterprise-server-and-github-enterprise-cloud/"
    ))
    .await;
    b.until("the old URL redirects to the article", |url, _| {
        url.contains(&format!("/{ARTICLE}/index.html"))
    })
    .await;
    assert!(b.html().await.contains("<h1>"));
    b.shot("legacy-url-arrived").await;

    // 4. Search "license sync" and open a result.
    b.goto(&format!("{base}/en/enterprise-server@3.5/admin/index.html"))
        .await;
    b.search("license sync", "search-results").await;
    b.until("a search result opens", |url, html| {
        !url.ends_with("/admin/index.html") && html.to_lowercase().contains("license")
    })
    .await;
    b.shot("search-result-opened").await;

    // 5. From file://: styles load, a sidebar link leads to another page, search works.
    let file_url = format!(
        "file://{}/ko/enterprise-server@3.5/{ARTICLE}/index.html",
        site.canonicalize().unwrap().display()
    );
    b.goto(&file_url).await;
    let styled = b
        .client
        .execute(
            "return getComputedStyle(document.querySelector('header.top')).display;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(styled, serde_json::json!("flex"), "the stylesheet loads from file://");
    assert!(b.html().await.contains(TRIGGER));
    b.shot("file-url-ko-3.5").await;
    b.click("nav.sidebar a[href*='managing-github-connect']").await;
    b.until("a sidebar link works from file://", |url, _| {
        url.starts_with("file://") && url.contains("managing-github-connect/index.html")
    })
    .await;
    b.search("license sync", "file-url-search").await;
    b.until("a search result opens from file://", |url, _| {
        url.starts_with("file://") && url.ends_with("index.html") && !url.contains("managing-github-connect")
    })
    .await;

    // 6. A phone-sized window: the page still reads (no sideways scrolling).
    b.client.set_window_size(390, 844).await.unwrap();
    b.goto(&format!("{base}/ko/enterprise-server@3.5/{ARTICLE}/index.html"))
        .await;
    let overflow = b
        .client
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert!(overflow.as_i64().unwrap_or(99) <= 0, "wider than a phone: {overflow}");
    assert!(b.visible("#version-picker").await && b.visible("#search-box").await);
    b.shot("article-ko-3.5-390").await;
    b.client.set_window_size(1280, 1000).await.unwrap();

    // 7. docgate serve: an edit shows up in the open page by itself.
    let tree = work.path().join("tree");
    bundled_copy(&tree);
    let mut serve = docgate()
        .arg("--root")
        .arg(&tree)
        .args(["serve", "--port", "0", "-r", "3.5"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(serve.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    std::thread::spawn(move || for _ in lines {});
    let _serve = Running(serve);
    let url = first.strip_prefix("serving ").unwrap_or_else(|| panic!("{first}"));
    let live_base = &url[..url.find("/en").unwrap()];
    b.goto(&format!("{live_base}/en/enterprise-server@3.5/{ARTICLE}/index.html"))
        .await;
    b.client
        .execute("window.docgateMarker = 'before the edit'; return 1;", vec![])
        .await
        .unwrap();
    b.shot("serve-before-edit").await;
    let file = tree.join(format!("content/{ARTICLE}.md"));
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        format!("{text}\nThis sentence was added while the page was open.\n"),
    )
    .unwrap();
    b.until("the page reloads with the edit", |_, html| {
        html.contains("This sentence was added while the page was open.")
    })
    .await;
    let marker = b
        .client
        .execute("return window.docgateMarker === undefined;", vec![])
        .await
        .unwrap();
    assert_eq!(marker, serde_json::json!(true), "the page was reloaded, not patched");
    b.shot("serve-after-edit").await;
    // A broken edit: the located error replaces the page.
    std::fs::write(&file, format!("{text}\n{{% ifversion ghes > 3.4 %}}never closed\n")).unwrap();
    b.until("the page shows the located error", |_, html| {
        html.contains("render-error") && html.contains(&format!("{ARTICLE}.md:"))
    })
    .await;
    b.shot("serve-located-error").await;

    b.client.close().await.unwrap();
    eprintln!("screenshots: {}", b.shots.display());
}
