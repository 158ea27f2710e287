//! The HTTP client of the sync runner: reqwest (blocking, rustls), timeouts,
//! and retries with exponential backoff and jitter that honour `Retry-After`
//! and `x-ratelimit-reset`. Tokens travel only in the `Authorization` header:
//! never in URLs, messages or the job history.

use std::collections::HashSet;
use std::fmt;
use std::io::Read;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::blocking::Client;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::escape::untrusted_line;

/// A token. Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Reads a token from `file` (first line, trimmed), else from the variable `env`.
    pub fn load(file: Option<&std::path::Path>, env: &[&str]) -> Result<Option<Secret>, Error> {
        if let Some(path) = file {
            let bytes = crate::files::read_file(path, 64 << 10)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| Error::usage(format!("{}: the token file is not UTF-8 text", path.display())))?;
            let token = text.lines().next().unwrap_or("").trim().to_string();
            if token.is_empty() {
                return Err(Error::usage(format!("{}: the token file is empty", path.display())));
            }
            return Ok(Some(Secret::new(token)));
        }
        Ok(env
            .iter()
            .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
            .map(|v| Secret::new(v.trim())))
    }

    /// A token; from now on its value is redacted from everything docgate prints or stores.
    pub fn new(token: impl Into<String>) -> Self {
        let token = token.into();
        crate::escape::register_secret(&token);
        Secret(token)
    }

    fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A base URL: `https://…`, or `http://` on loopback only.
///
/// ```
/// use docgate::sync::http::base_url;
/// assert_eq!(base_url("https://ghes.example.com/").unwrap(), "https://ghes.example.com");
/// assert!(base_url("http://127.0.0.1:8080").is_ok());
/// assert!(base_url("http://ghes.example.com").is_err());
/// ```
pub fn base_url(input: &str) -> Result<String, Error> {
    check_url(input)?;
    Ok(input.trim_end_matches('/').to_string())
}

/// The base URL of a GHES instance as users write it: `ghes.example.com` (https
/// is assumed), `https://ghes.example.com/` or the API root
/// `https://ghes.example.com/api/v3`. Any other path is explained, not guessed.
///
/// ```
/// use docgate::sync::http::ghes_base_url;
/// for given in ["ghes.example.com", "https://ghes.example.com/", "https://ghes.example.com/api/v3/"] {
///     assert_eq!(ghes_base_url(given).unwrap(), "https://ghes.example.com");
/// }
/// assert!(ghes_base_url("https://ghes.example.com/setup").is_err());
/// ```
pub fn ghes_base_url(input: &str) -> Result<String, Error> {
    let with_scheme = if input.contains("://") {
        input.to_string()
    } else {
        format!("https://{input}")
    };
    let url = check_url(&with_scheme)?;
    let path = url.path().trim_end_matches('/');
    if !(path.is_empty() || path.eq_ignore_ascii_case("/api/v3")) || url.query().is_some() {
        let origin = url.origin().ascii_serialization();
        return Err(Error::usage(format!(
            "--ghes-url `{}` has a path: docgate wants the instance's base URL",
            untrusted_line(input)
        ))
        .with_help(format!("use --ghes-url {origin} (the API is found under /api/v3)")));
    }
    Ok(url.origin().ascii_serialization())
}

/// Whether `url`'s host is this machine (`localhost`, `127.0.0.0/8`, `::1`).
pub fn is_loopback(url: &Url) -> bool {
    let host = url.host_str().unwrap_or("");
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Parses a URL a token may be sent to: https, or plain http on loopback only,
/// and no credentials in it. Every request goes through this rule.
pub fn check_url(input: &str) -> Result<Url, Error> {
    let shown = untrusted_line(input);
    let url = Url::parse(input).map_err(|e| Error::usage(format!("`{shown}` is not a URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(
                Error::usage(format!("`{shown}`: use https (plain http is only allowed on loopback)"))
                    .with_help("tokens must not travel unencrypted; use the instance's https URL"),
            );
        }
        other => return Err(Error::usage(format!("`{shown}`: unsupported scheme `{other}`"))),
    }
    if url.host().is_none() {
        return Err(Error::usage(format!("`{shown}` has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::usage(
            "put credentials in GITHUB_TOKEN or --token-file, not in the URL",
        ));
    }
    Ok(url)
}

/// Whether `a` and `b` have the same origin: scheme, host and port.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme() && a.host() == b.host() && a.port_or_known_default() == b.port_or_known_default()
}

/// Follows `rel="next"` pagination the safe way: only to the origin of the
/// first page (so the token goes nowhere else), never to a URL already
/// fetched (a loop), and at most `max_pages` pages.
#[derive(Debug)]
pub struct Pagination {
    origin: Url,
    seen: HashSet<String>,
    max_pages: u64,
}

impl Pagination {
    /// Starts at `first`, which must pass [`check_url`].
    pub fn new(first: &str, max_pages: u64) -> Result<(Pagination, Url), Error> {
        let url = check_url(first)?;
        let mut seen = HashSet::new();
        seen.insert(url.as_str().to_string());
        Ok((
            Pagination {
                origin: url.clone(),
                seen,
                max_pages: max_pages.max(1),
            },
            url,
        ))
    }

    /// Lowers the page limit to `pages` (from the first page's total).
    pub fn expect_pages(&mut self, pages: u64) {
        self.max_pages = self.max_pages.min(pages.max(1));
    }

    /// The page after `current`, given its `Link` target (absolute or relative).
    pub fn next(&mut self, current: &Url, link: &str) -> Result<Url, Error> {
        let shown = untrusted_line(link);
        let next = current.join(link).map_err(|e| {
            Error::network(format!(
                "GET {current}: the next-page link `{shown}` is not a URL ({e})"
            ))
        })?;
        if !same_origin(&next, &self.origin) {
            return Err(Error::network(format!(
                "GET {current}: the next-page link points to another origin ({}); docgate does not send the token there",
                untrusted_line(&origin_of(&next))
            ))
            .with_help(format!(
                "pagination must stay on {}; a server that links elsewhere is misconfigured or hostile",
                origin_of(&self.origin)
            )));
        }
        check_url(next.as_str()).map_err(|e| Error::network(e.message()))?;
        if !self.seen.insert(next.as_str().to_string()) {
            return Err(Error::network(format!(
                "GET {current}: the next-page link repeats a page already fetched ({next}); stopping instead of looping"
            )));
        }
        if self.seen.len() as u64 > self.max_pages {
            return Err(Error::network(format!(
                "GET {current}: the server keeps linking to more pages than the {} expected; stopping",
                self.max_pages
            )));
        }
        Ok(next)
    }
}

fn origin_of(url: &Url) -> String {
    match url.port() {
        Some(p) => format!("{}://{}:{p}", url.scheme(), url.host_str().unwrap_or("")),
        None => format!("{}://{}", url.scheme(), url.host_str().unwrap_or("")),
    }
}

/// The most bytes docgate reads of a response, per kind of answer.
pub mod limits {
    /// `/meta`, the license, and other small answers.
    pub const SMALL: u64 = 1 << 20;
    /// `license-sync-status` (one entry per instance).
    pub const STATUS: u64 = 8 << 20;
    /// One page of `consumed-licenses` (100 people).
    pub const PAGE: u64 = 32 << 20;
    /// The body of an error response (only its message is shown).
    pub const ERROR_BODY: u64 = 64 << 10;
}

/// A reader that fails once more than `left` bytes come through.
struct Limited<R> {
    inner: R,
    left: u64,
    over: bool,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let max = (buf.len() as u64).min(self.left.saturating_add(1)) as usize;
        let n = self.inner.read(&mut buf[..max])?;
        if n as u64 > self.left {
            self.over = true;
            return Err(std::io::Error::other("the response is over docgate's size limit"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// How hard to try.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub attempts: u32,
    /// The backoff before the first retry, doubled for each further one (then jittered).
    pub base_delay: Duration,
    /// The cap on the backoff between two attempts.
    pub max_delay: Duration,
    /// The longest a rate limit may make us wait before giving up.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_wait: Duration::from_secs(120),
        }
    }
}

/// A successful response's body, headers and how many attempts it took.
#[derive(Debug)]
pub struct Fetched<T> {
    /// The decoded body.
    pub value: T,
    /// The response's headers.
    pub headers: HeaderMap,
    /// How many attempts it took, the first included.
    pub attempts: u32,
}

impl<T> Fetched<T> {
    /// The `rel="next"` URL of the `Link` header.
    pub fn next_link(&self) -> Option<String> {
        next_link(&self.headers)
    }
}

/// The `rel="next"` target of a `Link` header.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    let link = headers.get("link")?.to_str().ok()?;
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        params
            .split(';')
            .any(|p| p.trim() == "rel=\"next\"")
            .then(|| url.trim().trim_start_matches('<').trim_end_matches('>').to_string())
    })
}

/// The blocking client with retries.
pub struct HttpClient {
    client: Client,
    /// When and how often failed requests are retried.
    pub retry: RetryPolicy,
    /// The REST API version sent as `X-GitHub-Api-Version`.
    pub api_version: String,
}

/// Installs the TLS provider (ring) for every reqwest client of the process;
/// call it before building a client of your own.
pub fn install_tls_provider() {
    // Idempotent: a second install fails harmlessly.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl HttpClient {
    /// A client whose requests time out after `timeout`, retried as `retry` says.
    pub fn new(timeout: Duration, retry: RetryPolicy) -> Result<Self, Error> {
        install_tls_provider();
        // Redirects only within the origin of the request: the token never follows one elsewhere.
        let redirects = reqwest::redirect::Policy::custom(|attempt| {
            let first = attempt.previous().first().cloned();
            if attempt.previous().len() > 5 {
                attempt.error("more than 5 redirects")
            } else if first.is_some_and(|f| same_origin(&f, attempt.url())) && check_url(attempt.url().as_str()).is_ok()
            {
                attempt.follow()
            } else {
                attempt.stop()
            }
        });
        let mut headers = HeaderMap::new();
        headers.insert("accept", HeaderValue::from_static("application/vnd.github+json"));
        let client = Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("docgate/", env!("CARGO_PKG_VERSION")))
            .default_headers(headers)
            .redirect(redirects)
            .build()
            .map_err(|e| Error::network(format!("cannot set up HTTPS: {e}")))?;
        Ok(HttpClient {
            client,
            retry,
            api_version: "2022-11-28".into(),
        })
    }

    /// GETs `url` and decodes JSON, retrying what is worth retrying. The URL must
    /// pass [`check_url`]; at most `max_bytes` of the body are read.
    pub fn get_json<T: DeserializeOwned>(
        &self,
        url: &str,
        token: Option<&Secret>,
        max_bytes: u64,
    ) -> Result<Fetched<T>, Error> {
        let parsed = check_url(url)?;
        let url = parsed.as_str();
        let mut attempt = 0;
        let mut waited = Duration::ZERO;
        loop {
            attempt += 1;
            let mut req = self
                .client
                .get(parsed.clone())
                .header("x-github-api-version", &self.api_version);
            if let Some(t) = token {
                req = req.bearer_auth(t.expose());
            }
            tracing::debug!("GET {url} (attempt {attempt})");
            let outcome = req.send();
            let (retry_after, failure) = match outcome {
                Err(e) => {
                    let what = if e.is_timeout() {
                        "timed out".to_string()
                    } else if e.is_connect() {
                        "could not connect".to_string()
                    } else {
                        format!("connection failed ({})", root_cause(&e))
                    };
                    (None, Error::network(format!("GET {url}: {what}")))
                }
                Ok(resp) => {
                    let status = resp.status();
                    let headers = resp.headers().clone();
                    if status.is_success() {
                        let mut body = Limited {
                            inner: resp,
                            left: max_bytes,
                            over: false,
                        };
                        let parsed =
                            serde_json::from_reader::<_, T>(std::io::BufReader::with_capacity(64 << 10, &mut body));
                        match parsed {
                            Ok(value) => {
                                return Ok(Fetched {
                                    value,
                                    headers,
                                    attempts: attempt,
                                });
                            }
                            Err(_) if body.over => {
                                return Err(Error::network(format!(
                                    "GET {url}: the response is larger than {}; docgate stopped reading",
                                    crate::files::human_size(max_bytes)
                                ))
                                .with_help(
                                    "a server that sends this much for this request is misbehaving or hostile",
                                ));
                            }
                            Err(e) if e.is_io() => (
                                None,
                                Error::network(format!(
                                    "GET {url}: the response was cut off ({})",
                                    untrusted_line(&root_cause(&e))
                                )),
                            ),
                            Err(e) => {
                                return Err(Error::network(format!(
                                    "GET {url}: the response is not the expected JSON ({})",
                                    untrusted_line(&e.to_string())
                                ))
                                .with_help(
                                    "the server answered 200 with a body docgate cannot read; retry later or report it",
                                ));
                            }
                        }
                    } else {
                        let mut raw = Vec::new();
                        let _ = resp.take(limits::ERROR_BODY).read_to_end(&mut raw);
                        let body = String::from_utf8_lossy(&raw);
                        let message = serde_json::from_str::<serde_json::Value>(&body)
                            .ok()
                            .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_string))
                            .unwrap_or_else(|| body.chars().take(200).collect());
                        let message: String = untrusted_line(&message).chars().take(500).collect();
                        let limited = is_rate_limited(status, &headers);
                        let err = describe_status(url, status, &message, &headers);
                        if limited || status.is_server_error() {
                            (rate_limit_wait(&headers), err)
                        } else {
                            return Err(err);
                        }
                    }
                }
            };
            if attempt >= self.retry.attempts {
                return Err(match failure {
                    Error::Network { message, help } => Error::Network {
                        message: format!(
                            "{message} (after {attempt} attempt{})",
                            if attempt == 1 { "" } else { "s" }
                        ),
                        help,
                    },
                    other => other,
                });
            }
            let backoff = self.backoff(attempt);
            let delay = retry_after.map_or(backoff, |d| d.max(Duration::from_millis(50)));
            if waited.saturating_add(delay) > self.retry.max_wait {
                return Err(failure.with_help(format!(
                    "the server asks to wait {} more, beyond --max-wait; try again later",
                    human_wait(delay)
                )));
            }
            waited += delay;
            tracing::warn!(
                "{}; retrying in {:.1}s (attempt {}/{})",
                failure.message(),
                delay.as_secs_f64(),
                attempt + 1,
                self.retry.attempts
            );
            std::thread::sleep(delay);
        }
    }

    /// Exponential backoff with full jitter, capped.
    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.retry.base_delay.saturating_mul(1 << (attempt - 1).min(16));
        let cap = exp.min(self.retry.max_delay);
        cap.mul_f64(0.5 + fastrand::f64() * 0.5)
    }
}

/// A wait for a message: seconds, or "a very long time" for absurd server values.
fn human_wait(d: Duration) -> String {
    if d.as_secs() > 10 * 365 * 86400 {
        "longer than ten years".to_string()
    } else {
        format!("{}s", d.as_secs())
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

fn is_rate_limited(status: StatusCode, headers: &HeaderMap) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS
        || (status == StatusCode::FORBIDDEN
            && (headers.contains_key("retry-after")
                || headers.get("x-ratelimit-remaining").and_then(|v| v.to_str().ok()) == Some("0")))
}

/// How long the server asks us to wait: `Retry-After` (seconds or a date), else
/// until `x-ratelimit-reset` when the limit is used up. Absurd values give long
/// waits (up to `Duration::MAX`), never a panic.
pub fn rate_limit_wait(headers: &HeaderMap) -> Option<Duration> {
    let now = SystemTime::now();
    if let Some(v) = headers.get("retry-after").and_then(|v| v.to_str().ok()) {
        if let Ok(secs) = v.trim().parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        if let Ok(ts) = jiff::fmt::rfc2822::parse(v) {
            return Some(until(now, ts.timestamp().as_second().max(0) as u64));
        }
    }
    if headers.get("x-ratelimit-remaining").and_then(|v| v.to_str().ok()) == Some("0")
        && let Some(reset) = headers
            .get("x-ratelimit-reset")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
    {
        return Some(until(now, reset).saturating_add(Duration::from_millis(250)));
    }
    None
}

/// How long from `now` to the Unix time `secs`; `Duration::MAX` when it is beyond
/// what the clock can represent (a hostile `x-ratelimit-reset`).
fn until(now: SystemTime, secs: u64) -> Duration {
    match UNIX_EPOCH.checked_add(Duration::from_secs(secs)) {
        Some(target) => target.duration_since(now).unwrap_or_default(),
        None => Duration::MAX,
    }
}

fn describe_status(url: &str, status: StatusCode, message: &str, headers: &HeaderMap) -> Error {
    let base = format!(
        "GET {url}: {} {}",
        status.as_u16(),
        if message.is_empty() {
            status.canonical_reason().unwrap_or("")
        } else {
            message
        }
    );
    let err = Error::network(base);
    match status.as_u16() {
        401 => err.with_help("the token was rejected: set GITHUB_TOKEN or use --token-file with a valid token"),
        403 if is_rate_limited(status, headers) => {
            err.with_help("rate limited; docgate waits and retries up to --max-wait")
        }
        404 => err.with_help(
            "GitHub answers 404 to hide what the token may not see: check the enterprise slug and that the token's \
             user is an enterprise owner (classic PAT with read:enterprise; site admin on GHES)",
        ),
        400 => err.with_help("the server rejected the request (an unsupported X-GitHub-Api-Version?)"),
        _ => err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_headers() {
        let mut h = HeaderMap::new();
        h.insert(
            "link",
            HeaderValue::from_static(r#"<https://x/e?page=3>; rel="next", <https://x/e?page=9>; rel="last""#),
        );
        assert_eq!(next_link(&h).as_deref(), Some("https://x/e?page=3"));
        assert_eq!(next_link(&HeaderMap::new()), None);
    }

    #[test]
    fn secrets_do_not_print() {
        let s = Secret::new("ghp_abc");
        assert_eq!(format!("{s} {s:?}"), "*** Secret(***)");
    }

    #[test]
    fn waits() {
        let mut h = HeaderMap::new();
        h.insert("retry-after", HeaderValue::from_static("3"));
        assert_eq!(rate_limit_wait(&h), Some(Duration::from_secs(3)));
        let mut h = HeaderMap::new();
        let reset = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + 2;
        h.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        h.insert("x-ratelimit-reset", HeaderValue::from_str(&reset.to_string()).unwrap());
        let w = rate_limit_wait(&h).unwrap();
        assert!(
            w > Duration::from_millis(500) && w <= Duration::from_millis(2300),
            "{w:?}"
        );
        assert!(is_rate_limited(StatusCode::FORBIDDEN, &h));
        assert!(!is_rate_limited(StatusCode::FORBIDDEN, &HeaderMap::new()));
    }
}
