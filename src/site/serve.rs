//! `docgate serve`: the site on 127.0.0.1, rendered on request from memory.
//! The tree's `content/`, `data/`, `translations/` and `assets/` are watched;
//! a change loads the tree again and every open page reloads itself (a
//! server-sent event). A page that no longer renders shows its located error
//! instead of its old text.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use notify::{EventKind, RecursiveMode, Watcher};
use rayon::prelude::*;

use super::Job;
use super::shell::{CSS, JS, SearchRecord, Site};
use crate::error::Error;
use crate::escape::html as escape;
use crate::languages::Lang;
use crate::redirects::Resolution;
use crate::render::Renderer;
use crate::versions::VersionSelection;

/// The path of the live-reload event stream.
pub const EVENTS: &str = "/__docgate/events";

/// What `docgate serve` serves.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The port on 127.0.0.1 (0: any free port).
    pub port: u16,
    /// The versions served.
    pub selection: VersionSelection,
    /// The languages served.
    pub langs: Vec<Lang>,
    /// The folders watched for changes (none for the bundled tree).
    pub watch: Vec<PathBuf>,
}

/// One load of the tree: the site and its pages by permalink.
struct Generation {
    number: u64,
    site: Site,
    pages: HashMap<String, Job>,
    /// Pages that could not be read (their located errors).
    errors: Vec<String>,
    /// The first page to open.
    home: Option<String>,
    /// Search indexes made so far, by file.
    search: Mutex<HashMap<String, Arc<String>>>,
}

impl Generation {
    fn new(renderer: &Renderer, options: &ServeOptions, number: u64) -> Result<Generation, Error> {
        let mut errors = Vec::new();
        let (_, jobs) = super::page_jobs(renderer.corpus(), &options.selection, &options.langs, &mut errors)?;
        let site = Site::new(renderer, &jobs, &options.langs, true);
        let home = jobs
            .iter()
            .find(|(p, _, _)| &*p.path == "index.md")
            .or(jobs.first())
            .map(|(p, v, l)| p.permalink(*v, *l));
        let pages = jobs.into_iter().map(|j| (j.0.permalink(j.1, j.2), j)).collect();
        Ok(Generation {
            number,
            site,
            pages,
            errors,
            home,
            search: Mutex::new(HashMap::new()),
        })
    }

    /// The search index script `file` (`search/en-ghes-3.5.js`), made once.
    fn search_index(&self, file: &str) -> Option<Arc<String>> {
        if let Some(s) = self.search.lock().ok()?.get(file) {
            return Some(s.clone());
        }
        let jobs: Vec<&Job> = self
            .pages
            .values()
            .filter(|(_, v, l)| super::shell::search_index_file(*v, *l) == file)
            .collect();
        if jobs.is_empty() {
            return None;
        }
        let mut records: Vec<SearchRecord> = jobs
            .par_iter()
            .filter_map(|(p, v, l)| self.site.page(p, *v, *l).ok().map(|o| o.search))
            .collect();
        records.sort_by(|a, b| a.u.cmp(&b.u));
        let json = serde_json::to_string(&records).ok()?;
        let script = Arc::new(format!("window.DOCGATE_SEARCH = {json};\n"));
        self.search.lock().ok()?.insert(file.to_string(), script.clone());
        Some(script)
    }
}

struct Shared {
    current: RwLock<Arc<Generation>>,
    events: tokio::sync::broadcast::Sender<u64>,
    port: u16,
}

impl Shared {
    fn generation(&self) -> Arc<Generation> {
        match self.current.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

/// Serves the tree that `load` opens (called again after every change) until
/// Ctrl-C. `ready` gets the address and the home page's URL path once the
/// server listens.
pub fn serve(
    load: impl Fn() -> Result<Renderer, Error> + Sync,
    options: ServeOptions,
    ready: impl FnOnce(SocketAddr, &str),
) -> Result<(), Error> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", options.port)).map_err(|e| {
        Error::usage(format!("cannot listen on 127.0.0.1:{}: {e}", options.port))
            .with_help("choose another --port (0 picks a free one)")
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| Error::io("the listening socket", e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io("the listening socket", e))?;
    let first = Generation::new(&load()?, &options, 1)?;
    let home = first
        .home
        .as_deref()
        .map_or_else(|| "/".to_string(), |h| format!("{h}/index.html"));
    let (events, _) = tokio::sync::broadcast::channel(16);
    let shared = Arc::new(Shared {
        current: RwLock::new(Arc::new(first)),
        events,
        port: addr.port(),
    });
    let stop = AtomicBool::new(false);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("the server's runtime", e))?;
    std::thread::scope(|scope| {
        let watcher = scope.spawn(|| watch(&load, &options, &shared, &stop));
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let served = runtime.block_on(async {
            let listener =
                tokio::net::TcpListener::from_std(listener).map_err(|e| Error::io("the listening socket", e))?;
            ready(addr, &home);
            tokio::select! {
                r = axum::serve(listener, app) => r.map_err(|e| Error::io("the server", e)),
                _ = tokio::signal::ctrl_c() => Ok(()),
            }
        });
        stop.store(true, Ordering::Relaxed);
        let watched = watcher.join().unwrap_or(Ok(()));
        served.and(watched)
    })?;
    runtime.shutdown_timeout(Duration::from_millis(200));
    Ok(())
}

/// Watches the tree's folders; after a change (and 150 ms of quiet) loads
/// the tree again and tells every open page to reload.
fn watch(
    load: &(impl Fn() -> Result<Renderer, Error> + Sync),
    options: &ServeOptions,
    shared: &Shared,
    stop: &AtomicBool,
) -> Result<(), Error> {
    if options.watch.is_empty() {
        return Ok(());
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher =
        notify::recommended_watcher(tx).map_err(|e| Error::input(format!("cannot watch the tree for changes: {e}")))?;
    for dir in &options.watch {
        if dir.is_dir() {
            watcher
                .watch(dir, RecursiveMode::Recursive)
                .map_err(|e| Error::input(format!("cannot watch {}: {e}", dir.display())))?;
        }
    }
    let changed = |event: &notify::Result<notify::Event>| matches!(event, Ok(e) if matches!(e.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any));
    let mut number = 1;
    while !stop.load(Ordering::Relaxed) {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(event) if changed(&event) => {}
            Ok(_) | Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        }
        // An editor's save is several events: wait for quiet.
        while rx.recv_timeout(Duration::from_millis(150)).is_ok() {}
        number += 1;
        let next = load().and_then(|r| Generation::new(&r, options, number));
        match next {
            Ok(g) => {
                eprintln!("changed: reloaded the tree ({} pages)", g.pages.len());
                if let Ok(mut current) = shared.current.write() {
                    *current = Arc::new(g);
                }
            }
            // The tree as a whole does not load (e.g. a broken docgate.toml or
            // data file): every page shows the error until it is fixed.
            Err(e) => {
                let message = e.one_line();
                eprintln!("changed: {message}");
                let previous = shared.generation();
                let broken = Generation {
                    number,
                    site: Site::new(previous.site.renderer(), &[], &options.langs, true),
                    pages: HashMap::new(),
                    errors: vec![message],
                    home: previous.home.clone(),
                    search: Mutex::new(HashMap::new()),
                };
                if let Ok(mut current) = shared.current.write() {
                    *current = Arc::new(broken);
                }
            }
        }
        let _ = shared.events.send(number);
    }
    Ok(())
}

fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn reply(status: StatusCode, kind: &'static str, body: impl Into<axum::body::Body>) -> Response {
    let mut r = Response::new(body.into());
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    r
}

fn redirect(to: &str) -> Response {
    let mut r = reply(StatusCode::FOUND, "text/plain; charset=utf-8", format!("see {to}\n"));
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// Only requests for this server by its loopback name: a web page elsewhere
/// cannot read the docs through DNS rebinding.
fn host_allowed(headers: &HeaderMap, port: u16) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return true;
    };
    [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "127.0.0.1".into(),
        "localhost".into(),
    ]
    .iter()
    .any(|h| h == host)
}

async fn handle(State(shared): State<Arc<Shared>>, headers: HeaderMap, uri: Uri) -> Response {
    if !host_allowed(&headers, shared.port) {
        return reply(
            StatusCode::MISDIRECTED_REQUEST,
            "text/plain; charset=utf-8",
            "not this server\n",
        );
    }
    let raw = uri.path();
    let path = percent_decode(raw);
    // No way up and out of the tree's folders.
    if path.split('/').any(|s| s == ".." || s == ".") || path.contains(['\\', '\0']) {
        return reply(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", "not found\n");
    }
    if path == EVENTS {
        return events(shared.events.subscribe()).into_response();
    }
    let generation = shared.generation();
    match path.as_str() {
        "/docgate.css" => return reply(StatusCode::OK, "text/css; charset=utf-8", CSS),
        "/docgate.js" => return reply(StatusCode::OK, "text/javascript; charset=utf-8", JS),
        "/" | "" => {
            return match &generation.home {
                Some(h) => redirect(&format!("{h}/index.html")),
                None => not_found(&generation, "/"),
            };
        }
        _ => {}
    }
    if let Some(file) = path.strip_prefix('/').filter(|p| p.starts_with("search/")) {
        let g = generation.clone();
        let file = file.to_string();
        let index = tokio::task::spawn_blocking(move || g.search_index(&file))
            .await
            .ok()
            .flatten();
        return match index {
            Some(s) => reply(StatusCode::OK, "text/javascript; charset=utf-8", s.as_str().to_owned()),
            None => not_found(&generation, &path),
        };
    }
    if let Some(rel) = path.strip_prefix('/').filter(|p| p.starts_with("assets/")) {
        let source = generation.site.renderer().corpus().source();
        return match source.read_bytes(rel) {
            Ok(Some(bytes)) => reply(StatusCode::OK, content_type(rel), bytes),
            _ => not_found(&generation, &path),
        };
    }
    // A page is served at `<permalink>/index.html`, where its relative links work.
    let permalink = path.strip_suffix("/index.html").unwrap_or(&path).trim_end_matches('/');
    if let Some(job) = generation.pages.get(permalink).cloned() {
        if !path.ends_with("/index.html") {
            return redirect(&format!("{permalink}/index.html"));
        }
        let g = generation.clone();
        let permalink = permalink.to_string();
        let page = tokio::task::spawn_blocking(move || {
            let (page, v, l) = job;
            match g.site.page(&page, v, l) {
                Ok(out) => (StatusCode::OK, out.html),
                Err(e) => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    g.site.error_page(&permalink, v, l, &e.one_line()),
                ),
            }
        })
        .await;
        return match page {
            Ok((status, html)) => reply(status, "text/html; charset=utf-8", html),
            Err(e) => reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/plain; charset=utf-8",
                format!("render failed: {e}\n"),
            ),
        };
    }
    // An old path: where the docs site would send it.
    if let Ok(map) = generation.site.renderer().redirect_map() {
        let resolved = map.resolve(permalink, Lang::ENGLISH);
        if let Resolution::Redirect { permalink: to, .. } | Resolution::Page { permalink: to } = resolved {
            let (target, fragment) = to.split_at(to.find('#').unwrap_or(to.len()));
            if generation.pages.contains_key(target) && target != permalink {
                return redirect(&format!("{target}/index.html{fragment}"));
            }
        }
    }
    not_found(&generation, &path)
}

/// The 404 page; it lists the files that do not load, since the page asked
/// for may be one of them. It reloads on change like every page.
fn not_found(generation: &Generation, path: &str) -> Response {
    let mut html = format!(
        "<!doctype html>\n<html lang=\"en\" data-live-reload=\"{EVENTS}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Not found - docgate serve</title>\n\
         <link rel=\"stylesheet\" href=\"/docgate.css\">\n<script src=\"/docgate.js\" defer></script>\n</head>\n<body>\n<main id=\"main\" class=\"error\">\n\
         <h1>No page at {}</h1>\n",
        escape(&crate::escape::untrusted_line(path))
    );
    if !generation.errors.is_empty() {
        html.push_str("<p>These files do not load, and the page may be one of them:</p>\n<pre class=\"render-error\">");
        for e in &generation.errors {
            html.push_str(&escape(e));
            html.push('\n');
        }
        html.push_str("</pre>\n");
    }
    if let Some(home) = &generation.home {
        html.push_str(&format!(
            "<p><a href=\"{}/index.html\">Go to the home page</a></p>\n",
            escape(home)
        ));
    }
    html.push_str(&format!(
        "<p><small>generation {}</small></p>\n</main>\n</body>\n</html>\n",
        generation.number
    ));
    reply(StatusCode::NOT_FOUND, "text/html; charset=utf-8", html)
}

/// The live-reload stream: a `reload` event after every change.
fn events(
    rx: tokio::sync::broadcast::Receiver<u64>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(n) => return Some((Ok(Event::default().event("reload").data(n.to_string())), rx)),
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// `%XX` decoded (permalinks may hold UTF-8); invalid UTF-8 replaced.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("/ko/%EB%8D%B0"), "/ko/데");
        assert_eq!(percent_decode("/a%2"), "/a%2");
        assert_eq!(percent_decode("/a%zz"), "/a%zz");
    }
}
