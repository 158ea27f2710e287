//! A local GHES + GHEC emulator for the sync runner and its tests: a real HTTP
//! server (axum) on loopback with the real endpoints, JSON shapes, auth rules,
//! pagination, rate-limit and API-version headers, injectable faults, and the
//! web-UI-only actions ("Sync now", "Add server usage") under `/_emulator/`.

pub mod faults;
pub mod shell;
pub mod users;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::json;

pub use faults::{Fault, FaultKind, Route};

use crate::error::Error;
use crate::sync::model::{ConsumedLicenses, LastSync, LicenseInfo, Meta, Seats, ServerInstance, SyncStatus};
use crate::versions::Release;

/// What to emulate.
#[derive(Clone, Debug)]
pub struct Config {
    /// The installed GHES version (`3.5.2`).
    pub ghes_version: String,
    /// People in the consumed-licenses report.
    pub users: usize,
    /// The enterprise slug on GHEC.
    pub enterprise: String,
    /// A token of an enterprise owner / site admin.
    pub admin_token: String,
    /// A token of a user who is neither (gets 404s).
    pub user_token: String,
    /// The GHES instance's hostname in license-sync-status.
    pub hostname: String,
    /// Whether `/meta` carries `installed_version` (off: clients must read the
    /// `X-GitHub-Enterprise-Version` header, as behind a proxy that filters the body).
    pub meta_version: bool,
    /// The faults to inject.
    pub faults: Vec<Fault>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            ghes_version: "3.22.0".into(),
            users: 200,
            enterprise: "acme".into(),
            admin_token: "emulator-admin-token".into(),
            user_token: "emulator-user-token".into(),
            hostname: "ghes.example.com".into(),
            meta_version: true,
            faults: Vec::new(),
        }
    }
}

struct Shared {
    config: Config,
    release: Release,
    faults: Mutex<Vec<Fault>>,
    instances: Mutex<Vec<ServerInstance>>,
    requests: AtomicU64,
    rate_used: AtomicU64,
}

fn iso(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs() as i64;
    jiff::Timestamp::from_second(secs)
        .map(|ts| ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

fn github_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        axum::Json(json!({
            "message": message,
            "documentation_url": "https://docs.github.com/rest",
            "status": status.as_u16().to_string(),
        })),
    )
        .into_response()
}

/// A refused request: its status and GitHub-style message.
struct Rejection(StatusCode, String);

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        github_error(self.0, &self.1)
    }
}

#[derive(PartialEq, Eq)]
enum Caller {
    Admin,
    User,
}

fn caller(shared: &Shared, headers: &HeaderMap) -> Result<Caller, Rejection> {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("token ")));
    match token {
        Some(t) if t == shared.config.admin_token => Ok(Caller::Admin),
        Some(t) if t == shared.config.user_token => Ok(Caller::User),
        _ => Err(Rejection(StatusCode::UNAUTHORIZED, "Bad credentials".into())),
    }
}

fn admin_only(shared: &Shared, headers: &HeaderMap) -> Result<(), Rejection> {
    match caller(shared, headers)? {
        Caller::Admin => Ok(()),
        Caller::User => Err(Rejection(StatusCode::NOT_FOUND, "Not Found".into())),
    }
}

/// `X-GitHub-Api-Version`: GHEC knows 2022-11-28 and 2026-03-10; GHES reads it
/// from 3.9 (2026-03-10 from 3.21) and ignores it before.
fn api_version(shared: &Shared, headers: &HeaderMap, ghes: bool) -> Result<(), Rejection> {
    let Some(v) = headers.get("x-github-api-version").and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    let supported: Vec<&str> = if !ghes {
        vec!["2022-11-28", "2026-03-10"]
    } else if shared.release < Release::new(3, 9) {
        return Ok(());
    } else if shared.release >= Release::new(3, 21) {
        vec!["2022-11-28", "2026-03-10"]
    } else {
        vec!["2022-11-28"]
    };
    if supported.contains(&v) {
        Ok(())
    } else {
        Err(Rejection(
            StatusCode::BAD_REQUEST,
            format!(
                "Unsupported 'X-GitHub-Api-Version' header. The supported versions are {}.",
                supported.join(", ")
            ),
        ))
    }
}

async fn meta(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Err(r) = api_version(&s, &headers, true) {
        return r.into_response();
    }
    axum::Json(Meta {
        verifiable_password_authentication: true,
        installed_version: s.config.meta_version.then(|| s.config.ghes_version.clone()),
    })
    .into_response()
}

async fn license(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Err(r) = admin_only(&s, &headers).and_then(|_| api_version(&s, &headers, true)) {
        return r.into_response();
    }
    let used = users::ghes_users(s.config.users) as i64;
    let seats = used + 100;
    axum::Json(LicenseInfo {
        seats: Seats::Count(seats),
        seats_used: used,
        seats_available: Seats::Count(seats - used),
        kind: "standard".into(),
        days_until_expiration: 365,
        expire_at: "2027/11/23 12:00:00 +0000".into(),
    })
    .into_response()
}

#[derive(Deserialize)]
struct PageQuery {
    per_page: Option<usize>,
    page: Option<usize>,
}

fn ghec_checks(s: &Shared, enterprise: &str, headers: &HeaderMap) -> Result<(), Rejection> {
    admin_only(s, headers)?;
    api_version(s, headers, false)?;
    if enterprise != s.config.enterprise {
        return Err(Rejection(StatusCode::NOT_FOUND, "Not Found".into()));
    }
    Ok(())
}

async fn consumed(
    State(s): State<Arc<Shared>>,
    Path(enterprise): Path<String>,
    Query(q): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = ghec_checks(&s, &enterprise, &headers) {
        return r.into_response();
    }
    let per_page = q.per_page.unwrap_or(30).clamp(1, 100);
    let page = q.page.unwrap_or(1).max(1);
    let n = s.config.users;
    let last = n.div_ceil(per_page).max(1);
    let start = (page - 1).saturating_mul(per_page).min(n);
    let end = (start + per_page).min(n);
    let body = ConsumedLicenses {
        total_seats_consumed: n as i64,
        total_seats_purchased: (n as i64 * 9 / 10).max(1),
        users: (start..end).map(|i| users::user(i, &s.config.hostname)).collect(),
    };
    let host = headers.get("host").and_then(|v| v.to_str().ok()).unwrap_or("127.0.0.1");
    let link = |p: usize, rel: &str| {
        format!(
            "<http://{host}/enterprises/{enterprise}/consumed-licenses?per_page={per_page}&page={p}>; rel=\"{rel}\""
        )
    };
    let mut links = Vec::new();
    if page < last {
        links.push(link(page + 1, "next"));
        links.push(link(last, "last"));
    }
    if page > 1 {
        links.push(link(1, "first"));
        links.push(link(page - 1, "prev"));
    }
    let mut resp = axum::Json(body).into_response();
    if !links.is_empty()
        && let Ok(v) = HeaderValue::from_str(&links.join(", "))
    {
        resp.headers_mut().insert("link", v);
    }
    resp
}

async fn sync_status(State(s): State<Arc<Shared>>, Path(enterprise): Path<String>, headers: HeaderMap) -> Response {
    if let Err(r) = ghec_checks(&s, &enterprise, &headers) {
        return r.into_response();
    }
    let instances = s.instances.lock().expect("instances").clone();
    axum::Json(SyncStatus {
        server_instances: instances,
    })
    .into_response()
}

fn set_sync(s: &Shared, status: &str, error: &str) {
    let mut instances = s.instances.lock().expect("instances");
    if let Some(i) = instances.iter_mut().find(|i| i.hostname == s.config.hostname) {
        i.last_sync = Some(LastSync {
            date: Some(iso(SystemTime::now())),
            status: Some(status.into()),
            error: Some(error.into()),
        });
    }
}

/// "Sync now" on GHES (≥ 3.5): a new successful sync.
async fn click_sync_now(State(s): State<Arc<Shared>>) -> Response {
    if s.release < Release::new(3, 5) {
        return github_error(
            StatusCode::NOT_FOUND,
            &format!(
                "GHES {} has no Sync now button (manual sync arrived in 3.5)",
                s.config.ghes_version
            ),
        );
    }
    set_sync(&s, "success", "");
    (StatusCode::ACCEPTED, axum::Json(json!({"clicked": "Sync now"}))).into_response()
}

/// "Add server usage" on GHEC: an uploaded export shows as a sync.
async fn click_upload(State(s): State<Arc<Shared>>) -> Response {
    set_sync(&s, "success", "");
    (StatusCode::ACCEPTED, axum::Json(json!({"clicked": "Add server usage"}))).into_response()
}

/// A sync that fails (GitHub Connect cannot reach github.com, say).
async fn click_fail(State(s): State<Arc<Shared>>) -> Response {
    set_sync(&s, "failed", "could not reach api.github.com");
    (StatusCode::ACCEPTED, axum::Json(json!({"failed": true}))).into_response()
}

async fn state(State(s): State<Arc<Shared>>) -> Response {
    let faults: Vec<String> = s
        .faults
        .lock()
        .expect("faults")
        .iter()
        .map(ToString::to_string)
        .collect();
    axum::Json(json!({
        "ghes_version": s.config.ghes_version,
        "requests": s.requests.load(Ordering::Relaxed),
        "faults": faults,
        "instances": *s.instances.lock().expect("instances"),
    }))
    .into_response()
}

/// Replaces the faults: one spec per line of the body.
async fn set_faults(State(s): State<Arc<Shared>>, body: String) -> Response {
    let parsed: Result<Vec<Fault>, Error> = body
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| Fault::parse(l.trim()))
        .collect();
    match parsed {
        Ok(f) => {
            *s.faults.lock().expect("faults") = f;
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => github_error(StatusCode::BAD_REQUEST, &e.message()),
    }
}

fn route_of(path: &str) -> Option<Route> {
    if path == "/api/v3/meta" {
        Some(Route::Meta)
    } else if path == "/api/v3/enterprise/settings/license" {
        Some(Route::License)
    } else if path.ends_with("/license-sync-status") {
        Some(Route::Status)
    } else if path.ends_with("/consumed-licenses") {
        Some(Route::Report)
    } else {
        None
    }
}

/// Faults, then the headers real servers add: `X-GitHub-Enterprise-Version` on
/// every GHES response, `x-ratelimit-*` on GHEC's.
async fn around(State(s): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    s.requests.fetch_add(1, Ordering::Relaxed);
    let path = req.uri().path().to_string();
    let route = route_of(&path);
    let fault = route.and_then(|r| {
        s.faults
            .lock()
            .expect("faults")
            .iter_mut()
            .find_map(|f| f.take(r).then(|| f.kind.clone()))
    });
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let mut resp = match fault {
        Some(FaultKind::Status(code)) => github_error(
            StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
            "Server Error",
        ),
        Some(FaultKind::TooManyRequests) => {
            let mut r = github_error(
                StatusCode::TOO_MANY_REQUESTS,
                "You have exceeded a secondary rate limit.",
            );
            r.headers_mut().insert("retry-after", HeaderValue::from_static("1"));
            r
        }
        Some(FaultKind::RateLimited) => {
            let mut r = github_error(StatusCode::FORBIDDEN, "API rate limit exceeded.");
            r.headers_mut()
                .insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
            if let Ok(v) = HeaderValue::from_str(&(now + 1).to_string()) {
                r.headers_mut().insert("x-ratelimit-reset", v);
            }
            r
        }
        Some(FaultKind::Malformed) => {
            (StatusCode::OK, [("content-type", "application/json")], "{not json").into_response()
        }
        Some(FaultKind::Slow(ms)) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(req).await
        }
        Some(FaultKind::Truncated) => {
            let r = next.run(req).await;
            let (parts, body) = r.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
            let cut = bytes.slice(..bytes.len() / 2);
            let mut r = Response::from_parts(parts, Body::from(cut.clone()));
            if let Ok(v) = HeaderValue::from_str(&cut.len().to_string()) {
                r.headers_mut().insert("content-length", v);
            }
            r
        }
        Some(FaultKind::Reset) => {
            let broken = futures_util::stream::once(async {
                Err::<axum::body::Bytes, std::io::Error>(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "reset",
                ))
            });
            let mut r = Response::new(Body::from_stream(broken));
            *r.status_mut() = StatusCode::OK;
            r
        }
        None => next.run(req).await,
    };
    let h = resp.headers_mut();
    if path.starts_with("/api/v3/") {
        if let Ok(v) = HeaderValue::from_str(&s.config.ghes_version) {
            h.insert("x-github-enterprise-version", v);
        }
    } else if path.starts_with("/enterprises/") {
        let used = s.rate_used.fetch_add(1, Ordering::Relaxed) + 1;
        let remaining = 5000u64.saturating_sub(used % 5000);
        // A rate-limit fault has set its own remaining/reset: keep them.
        for (k, v) in [
            ("x-ratelimit-limit", "5000".to_string()),
            ("x-ratelimit-used", (used % 5000).to_string()),
            ("x-ratelimit-resource", "core".to_string()),
            ("x-ratelimit-reset", (now + 3600).to_string()),
            ("x-ratelimit-remaining", remaining.to_string()),
        ] {
            if !h.contains_key(k)
                && let Ok(v) = HeaderValue::from_str(&v)
            {
                h.insert(k, v);
            }
        }
        h.insert("x-github-request-id", HeaderValue::from_static("EMUL:0000:0000"));
    }
    resp
}

fn app(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/api/v3/meta", get(meta))
        .route("/api/v3/enterprise/settings/license", get(license))
        .route("/enterprises/{enterprise}/consumed-licenses", get(consumed))
        .route("/enterprises/{enterprise}/license-sync-status", get(sync_status))
        .route("/_emulator/sync-now", post(click_sync_now))
        .route("/_emulator/upload", post(click_upload))
        .route("/_emulator/fail-sync", post(click_fail))
        .route("/_emulator/state", get(state))
        .route("/_emulator/faults", post(set_faults))
        .layer(middleware::from_fn_with_state(shared.clone(), around))
        .with_state(shared)
}

fn shared(config: Config) -> Result<Arc<Shared>, Error> {
    let release = Release::parse_installed(&config.ghes_version).map_err(|e| Error::usage(e.to_string()))?;
    let days = |d: u64| iso(SystemTime::now() - Duration::from_secs(d * 86400));
    let instances = vec![
        ServerInstance {
            server_id: "b6a4b0c2-3c7e-4f61-9d52-1f1e2a9d0e01".into(),
            hostname: config.hostname.clone(),
            last_sync: Some(LastSync {
                date: Some(days(2)),
                status: Some("success".into()),
                error: Some(String::new()),
            }),
        },
        ServerInstance {
            server_id: "0c9d1e2f-7a6b-4c5d-8e9f-a0b1c2d3e4f5".into(),
            hostname: "ghes-old.example.com".into(),
            last_sync: Some(LastSync {
                date: Some(days(9)),
                status: Some("success".into()),
                error: Some(String::new()),
            }),
        },
    ];
    Ok(Arc::new(Shared {
        faults: Mutex::new(config.faults.clone()),
        release,
        config,
        instances: Mutex::new(instances),
        requests: AtomicU64::new(0),
        rate_used: AtomicU64::new(0),
    }))
}

/// A running emulator on a background thread.
pub struct Emulator {
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Emulator {
    /// Starts on `127.0.0.1:port` (0: any free port).
    pub fn start(config: Config, port: u16) -> Result<Emulator, Error> {
        let shared = shared(config)?;
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))
            .map_err(|e| Error::usage(format!("cannot listen on 127.0.0.1:{port}: {e}")))?;
        listener.set_nonblocking(true).map_err(|e| Error::io("listener", e))?;
        let addr = listener.local_addr().map_err(|e| Error::io("listener", e))?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("docgate-emulator".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("tokio runtime");
                rt.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                    let _ = axum::serve(listener, app(shared))
                        .with_graceful_shutdown(async {
                            let _ = rx.await;
                        })
                        .await;
                });
            })
            .map_err(|e| Error::io("emulator thread", e))?;
        Ok(Emulator {
            addr,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`: the GHEC API root, and the GHES base URL (API under `/api/v3`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Blocks until the process is interrupted.
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
