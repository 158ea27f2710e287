//! The sync runner's commands: what they ask GHES and GHEC, what they print,
//! and what they record in the job history.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use serde::Serialize;

use super::capabilities::{self, CapabilityId, CapabilityStatus, DocRef, SYNC_PAGE};
use super::http::{HttpClient, Pagination, RetryPolicy, Secret, limits};
use super::model::{ConsumedLicenses, LicenseInfo, Meta, ServerInstance, SyncStatus};
use super::report::{Person, ReportFormat, UserWriter, analyze};
use super::store::{JobState, Snapshot, Store};
use crate::error::Error;
use crate::escape::{untrusted, untrusted_line};
use crate::files::{TempGuard, temp_file_for, write_atomically};
use crate::languages::Lang;
use crate::render::Renderer;
use crate::render::text::TextOptions;
use crate::versions::{Release, Version};

/// Everything the runner needs to reach GHES and GHEC.
#[derive(Debug)]
pub struct Settings {
    /// GHES base URL (`https://ghes.example.com`); the API is under `/api/v3`.
    pub ghes_url: Option<String>,
    /// The installed version when not detected (`3.5` or `3.5.2`).
    pub ghes_version: Option<String>,
    /// The instance's hostname as GHEC lists it in license-sync-status.
    pub ghes_host: Option<String>,
    /// The enterprise slug on GHES (for the settings URL).
    pub ghes_enterprise: Option<String>,
    /// GHEC API base (`https://api.github.com`).
    pub ghec_url: String,
    /// GHEC web base (`https://github.com`).
    pub ghec_web_url: String,
    /// The enterprise slug on GHEC.
    pub enterprise: Option<String>,
    /// The token for the GHES API.
    pub ghes_token: Option<Secret>,
    /// The token for the GHEC API (a classic PAT with `read:enterprise`).
    pub ghec_token: Option<Secret>,
    /// The language the docs' text is printed in.
    pub lang: Lang,
    /// How long one HTTP request may take.
    pub http_timeout: Duration,
    /// When and how often failed requests are retried.
    pub retry: RetryPolicy,
    /// How often a wait for a sync asks GHEC again.
    pub poll_interval: Duration,
    /// How long a wait for a sync lasts before it gives up.
    pub poll_timeout: Duration,
    /// The ssh program and its leading arguments.
    pub ssh: Vec<String>,
    /// The terminal's width, for the docs' text.
    pub width: usize,
    /// Whether tables on stdout get colours.
    pub color: bool,
}

/// The runner.
pub struct Runner {
    /// What the runner was started with.
    pub settings: Settings,
    renderer: Renderer,
    client: HttpClient,
    store: Store,
}

/// What to do in the web UI before docgate waits (`trigger`, `upload`): the
/// docs' steps for the installed release, in the runner's language, and the
/// direct link. The command line shows it; then the runner waits.
#[derive(Clone, Debug, Serialize)]
pub struct Guide {
    /// A line before the steps (`Upload FILE to your enterprise …`).
    pub heading: Option<String>,
    /// The docs' steps as text, when the docs of the release have them.
    pub steps: Option<String>,
    /// The page of the web UI where the action is.
    pub url: String,
    /// Things the user should know first (a file naming another instance).
    pub notes: Vec<String>,
}

/// How a wait for a sync ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum WaitOutcome {
    /// A new sync of the instance succeeded.
    Synced {
        /// The instance.
        host: String,
        /// When the sync ran.
        at: String,
    },
    /// A new sync ran and failed.
    Failed {
        /// The instance.
        host: String,
        /// When the sync ran.
        at: String,
        /// The status GitHub Enterprise Cloud gives it.
        status: String,
        /// Its error text.
        error: String,
    },
    /// No new sync within the wait.
    TimedOut {
        /// The instance.
        host: String,
        /// How long docgate waited, in seconds.
        after_seconds: u64,
    },
}

/// What `report` found: the analysis (totals, likely double counts,
/// unmatchable accounts) and how long fetching and analysing took.
#[derive(Clone, Debug)]
pub struct ReportSummary {
    /// The analysis of every consumed license.
    pub analysis: crate::sync::report::Analysis,
    /// Pages of `consumed-licenses` fetched.
    pub pages: u64,
    /// Seconds spent fetching.
    pub fetch_seconds: f64,
    /// Seconds spent analysing.
    pub analysis_seconds: f64,
}

/// One instance in [`StatusReport`]; server text made safe to print.
#[derive(Clone, Debug, Serialize)]
pub struct InstanceStatus {
    /// The instance's host name.
    pub hostname: String,
    /// The instance's server ID.
    pub server_id: String,
    /// When the last sync ran (RFC 3339), if ever.
    pub last_sync: Option<String>,
    /// How the last sync ended (`never synced` when it did not run).
    pub status: String,
    /// Why the last sync failed (`""` when it did not).
    pub error: String,
    /// Seconds since the last sync, if ever.
    pub age_seconds: Option<u64>,
    /// Older than `--max-age`, failed, or missing.
    pub stale: bool,
}

/// What `status` found: each instance's last sync, and what is stale (one
/// sentence each; an instance GHEC does not list included).
#[derive(Clone, Debug, Serialize)]
pub struct StatusReport {
    /// The enterprise slug on GHEC.
    pub enterprise: Option<String>,
    /// The instances GHEC lists (only the configured GHES host's, when there is one).
    pub instances: Vec<InstanceStatus>,
    /// What is stale, one sentence per instance.
    pub stale: Vec<String>,
}

/// The instance's license (`license`); server text made safe to print; seat
/// counts stay numbers (or the server's text, `unlimited`).
#[derive(Clone, Debug, Serialize)]
pub struct LicenseReport {
    /// The installed version as given or detected (`3.5.2`).
    pub installed: String,
    /// Its release (`3.5`).
    pub release: String,
    /// The seats the license grants: a number, or the server's text.
    pub seats: serde_json::Value,
    /// The seats in use.
    pub seats_used: i64,
    /// The seats still free: a number, or the server's text.
    pub seats_available: serde_json::Value,
    /// The kind of license, such as `standard`.
    pub kind: String,
    /// When the license expires, as GHES writes it.
    pub expire_at: String,
    /// Days left before the license expires.
    pub days_until_expiration: i64,
}

/// A job's end: its state, exit code and a one-line detail.
struct Outcome {
    state: JobState,
    code: i32,
    detail: String,
}

fn ok(detail: impl Into<String>) -> Outcome {
    Outcome {
        state: JobState::Succeeded,
        code: 0,
        detail: detail.into(),
    }
}

fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default()
}

fn parse_time(s: &str) -> Option<Timestamp> {
    s.parse::<Timestamp>().ok()
}

/// People per page of `consumed-licenses` (the API's maximum).
const PER_PAGE: u64 = 100;

/// The most pages `report` fetches, whatever the server says: 10 million people.
const MAX_PAGES: u64 = 100_000;

/// The largest usage file `upload` reads.
const UPLOAD_LIMIT: u64 = 256 << 20;

/// The pages `consumed` people fill, with room for people added while paging.
fn expected_pages(consumed: i64) -> u64 {
    let full = (consumed.max(0) as u64).div_ceil(PER_PAGE);
    full + full / 10 + 10
}

/// Parses `7d`, `12h`, `30m`, `45s`, `200ms` or a number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, Error> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(s.len()));
    let not_a_duration = || Error::usage(format!("`{s}` is not a duration (use 7d, 12h, 30m or 45s)"));
    let n: f64 = num.parse().map_err(|_| not_a_duration())?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "" | "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        "d" => n * 86400.0,
        "w" => n * 7.0 * 86400.0,
        _ => {
            return Err(Error::usage(format!(
                "`{s}`: unknown unit `{unit}` (use ms, s, m, h, d or w)"
            )));
        }
    };
    // Beyond what a Duration holds (or not finite): far past any sensible limit.
    Duration::try_from_secs_f64(secs).map_err(|_| {
        Error::usage(format!("`{s}` is too long a duration"))
            .with_help("durations are checked against each option's limits")
    })
}

/// Parses a duration for `option` and checks it lies in `min..=max`.
pub fn parse_duration_in(s: &str, option: &str, min: Duration, max: Duration) -> Result<Duration, Error> {
    let d = parse_duration(s).map_err(|e| Error::usage(format!("{option}: {}", e.message())))?;
    if d < min || d > max {
        return Err(Error::usage(format!(
            "{option} {s}: must be between {} and {}",
            human(min),
            human(max)
        )));
    }
    Ok(d)
}

impl Runner {
    /// The docs renderer the runner describes its capabilities with.
    pub fn renderer(&self) -> &Renderer {
        &self.renderer
    }

    /// Sets up the HTTP client from `settings` and opens the job history at `state`.
    pub fn new(settings: Settings, renderer: Renderer, state: &Path) -> Result<Runner, Error> {
        let client = HttpClient::new(settings.http_timeout, settings.retry.clone())?;
        let store = Store::open(state)?;
        Ok(Runner {
            settings,
            renderer,
            client,
            store,
        })
    }

    /// The job history.
    pub fn store(&self) -> &Store {
        &self.store
    }

    fn ghes_url(&self) -> Result<&str, Error> {
        self.settings
            .ghes_url
            .as_deref()
            .ok_or_else(|| Error::usage("this needs the GHES URL: --ghes-url https://ghes.example.com"))
    }

    fn ghes_host(&self) -> Result<String, Error> {
        match (&self.settings.ghes_host, &self.settings.ghes_url) {
            (Some(h), _) => Ok(h.clone()),
            (None, Some(u)) => Ok(host_of(u)),
            (None, None) => Err(Error::usage("this needs the GHES hostname: --ghes-host or --ghes-url")),
        }
    }

    fn enterprise(&self) -> Result<&str, Error> {
        self.settings
            .enterprise
            .as_deref()
            .ok_or_else(|| Error::usage("this needs the enterprise on GitHub Enterprise Cloud: --enterprise SLUG"))
    }

    fn ghec_token(&self) -> Result<&Secret, Error> {
        self.settings.ghec_token.as_ref().ok_or_else(|| {
            Error::usage("no token for GitHub Enterprise Cloud")
                .with_help("set GITHUB_TOKEN or pass --token-file FILE (a classic PAT with read:enterprise)")
        })
    }

    /// The installed GHES release: `--ghes-version`, else `/api/v3/meta`'s
    /// `installed_version`, else the `X-GitHub-Enterprise-Version` header.
    pub fn installed(&self) -> Result<(Release, String), Error> {
        let table = self.renderer.corpus().releases();
        let known = |installed: &str| -> Result<(Release, String), Error> {
            let r = Release::parse_installed(installed).map_err(|e| Error::usage(e.to_string()))?;
            if table.get(r).is_none() {
                return Err(
                    Error::usage(format!("GHES {installed}: release {r} is not in the release table"))
                        .with_help("update docgate, or give a tree with a newer data/ghes-releases.yml (--root)"),
                );
            }
            Ok((r, installed.to_string()))
        };
        if let Some(v) = &self.settings.ghes_version {
            return known(v);
        }
        let base = self
            .ghes_url()
            .map_err(|_| Error::usage("give --ghes-url to detect the installed version, or --ghes-version"))?;
        let url = format!("{base}/api/v3/meta");
        let fetched = self
            .client
            .get_json::<Meta>(&url, self.settings.ghes_token.as_ref(), limits::SMALL)?;
        let header = fetched
            .headers
            .get("x-github-enterprise-version")
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                crate::versions::Plan::split_key(v)
                    .map_or(v, |(_, release)| release)
                    .to_string()
            });
        match fetched.value.installed_version.or(header) {
            Some(v) => known(&v),
            None => Err(Error::network(format!(
                "{url}: no installed_version and no X-GitHub-Enterprise-Version header: is this GitHub Enterprise Server?"
            ))),
        }
    }

    /// Every capability for the installed release, descriptions laid out by `opts`.
    pub fn capabilities(&self, opts: &TextOptions) -> Result<(Release, String, Vec<CapabilityStatus>), Error> {
        let (release, installed) = self.installed()?;
        let caps = capabilities::evaluate(&self.renderer, release, self.settings.lang, opts)?;
        Ok((release, installed, caps))
    }

    /// How the docs' text is laid out on stdout.
    fn text_options(&self) -> TextOptions {
        TextOptions {
            width: self.settings.width,
            ..TextOptions::default()
        }
    }

    /// Runs `f` as a recorded job (one transaction to start, one per event, one
    /// to end): `f` returns its typed result with the outcome to record; an
    /// error is recorded as refused (usage) or failed.
    fn job<T>(
        &self,
        kind: &str,
        target: Option<&str>,
        f: impl FnOnce(i64) -> Result<(T, Outcome), Error>,
    ) -> Result<T, Error> {
        let id = self.store.start(kind, target)?;
        match f(id) {
            Ok((value, o)) => {
                self.store.finish(id, o.state, o.code, None, Some(&o.detail))?;
                Ok(value)
            }
            Err(e) => {
                let state = if matches!(e, Error::Usage { .. }) {
                    JobState::Refused
                } else {
                    JobState::Failed
                };
                self.store.finish(id, state, e.exit_code(), Some(&e.one_line()), None)?;
                Err(e)
            }
        }
    }

    /// The installed release (see [`Runner::installed`]), recorded on job `id`.
    fn detect(&self, id: i64) -> Result<(Release, String), Error> {
        let (release, installed) = self.installed()?;
        self.store.set_version(id, &installed)?;
        Ok((release, installed))
    }

    /// Refuses a capability the installed release lacks: exit 2 with the reason,
    /// the docs' alternative and the docs link (the job ends `refused`).
    fn require(&self, id: CapabilityId, release: Release, installed: &str) -> Result<(), Error> {
        let cap = id.capability();
        let name = id.name();
        if capabilities::enabled(&self.renderer, cap, release)? {
            return Ok(());
        }
        let lang = self.settings.lang;
        let status = capabilities::evaluate(&self.renderer, release, lang, &self.text_options())?
            .into_iter()
            .find(|c| c.name == name)
            .expect("evaluated");
        let mut help = format!(
            "`{name}` requires {}; GitHub Enterprise Server {installed} is release {release}.",
            status.requires
        );
        if name == "trigger" {
            help.push_str(
                "\nOn this release license usage syncs weekly through GitHub Connect. To sync sooner, export the \
                 usage and upload it: `docgate sync export`, then `docgate sync upload --file FILE`.",
            );
        }
        if let Some(alt) = &status.alternative {
            help.push_str(&format!("\n\nWhat the docs say for {release}:\n{alt}"));
        }
        if let Some(link) = status.alternative_docs.or(Some(status.docs)) {
            help.push_str(&format!(
                "\n\nDocs: {link} (docgate render {})",
                link.split('#').next().unwrap_or(&link)
            ));
        }
        Err(Error::usage(format!(
            "`docgate sync {name}` is not available on GitHub Enterprise Server {installed}"
        ))
        .with_help(help))
    }

    /// `export`: the release's license-usage command over ssh, written atomically.
    pub fn export(&self, out: Option<PathBuf>) -> Result<PathBuf, Error> {
        self.job("export", self.ghes_host().ok().as_deref(), |id| {
            let (release, installed) = self.detect(id)?;
            self.require(CapabilityId::Export, release, &installed)?;
            let host = self.ghes_host()?;
            let utility = capabilities::enabled(&self.renderer, CapabilityId::GheLicense.capability(), release)?;
            let command: &[&str] = if utility {
                &["ghe-license", "usage"]
            } else {
                &["ghe-license-usage"]
            };
            let out = out.unwrap_or_else(|| {
                PathBuf::from(format!(
                    "license-usage-{host}-{}.json",
                    Timestamp::now().strftime("%Y%m%d-%H%M%S")
                ))
            });
            let (program, pre) = self
                .settings
                .ssh
                .split_first()
                .ok_or_else(|| Error::usage("--ssh is empty"))?;
            let mut cmd = std::process::Command::new(program);
            cmd.args(pre)
                .args(["-p", "122", &format!("admin@{host}")])
                .args(command);
            self.store
                .event(id, "command", &format!("ssh -p 122 admin@{host} {}", command.join(" ")))?;
            eprintln!("running `{}` on {host} (GHES {installed})", command.join(" "));
            let output = cmd.output().map_err(|e| {
                Error::usage(format!("cannot run `{program}`: {e}")).with_help("install OpenSSH or pass --ssh PROGRAM")
            })?;
            if !output.status.success() {
                let stderr = untrusted(String::from_utf8_lossy(&output.stderr).trim());
                let mut err = Error::network(format!(
                    "`{}` failed on {host} ({}): {stderr}",
                    command.join(" "),
                    output.status
                ));
                if stderr.contains("command not found") {
                    err = err.with_help(format!(
                        "GHES {installed} should have `{}`: is --ghes-version right?",
                        command.join(" ")
                    ));
                }
                return Err(err);
            }
            let parsed: serde_json::Value = serde_json::from_slice(&output.stdout)
                .map_err(|e| Error::network(format!("`{}` on {host} did not print JSON: {e}", command.join(" "))))?;
            if !parsed.is_object() {
                return Err(Error::network(format!(
                    "`{}` on {host} printed JSON that is not an object",
                    command.join(" ")
                )));
            }
            write_atomically(&out, &output.stdout)?;
            self.store.event(
                id,
                "wrote",
                &format!("{} ({} bytes)", out.display(), output.stdout.len()),
            )?;
            let outcome = ok(format!(
                "wrote {} ({} bytes) with `{}`",
                out.display(),
                output.stdout.len(),
                command.join(" ")
            ));
            Ok((out, outcome))
        })
    }

    fn sync_status(&self) -> Result<(SyncStatus, u32), Error> {
        let e = self.enterprise()?;
        let url = format!("{}/enterprises/{e}/license-sync-status", self.settings.ghec_url);
        let f = self
            .client
            .get_json::<SyncStatus>(&url, Some(self.ghec_token()?), limits::STATUS)?;
        Ok((f.value, f.attempts))
    }

    fn instance<'a>(status: &'a SyncStatus, host: &str) -> Option<&'a ServerInstance> {
        status
            .server_instances
            .iter()
            .find(|i| i.hostname.eq_ignore_ascii_case(host))
    }

    /// When `host` last synced, as GitHub Enterprise Cloud reports it now.
    fn last_sync_of(&self, host: &str) -> Result<Option<Timestamp>, Error> {
        let (status, _) = self.sync_status()?;
        Ok(Self::instance(&status, host)
            .and_then(|i| i.last_sync.as_ref())
            .and_then(|l| l.date.as_deref())
            .and_then(parse_time))
    }

    /// Polls license-sync-status until `host` shows a sync newer than `since`.
    fn wait_for_sync(
        &self,
        id: i64,
        host: &str,
        since: Option<Timestamp>,
        started: Timestamp,
    ) -> Result<(WaitOutcome, Outcome), Error> {
        let begin = Instant::now();
        // Sync dates have whole seconds: a sync in the second we started counts.
        let started = Timestamp::from_second(started.as_second()).unwrap_or(started);
        let threshold = since.map_or(started, |s| s.max(started));
        eprintln!(
            "waiting for a sync of {host} newer than {} (every {}s, up to {}s; Ctrl-C stops waiting)",
            threshold.strftime("%Y-%m-%d %H:%M:%S UTC"),
            self.settings.poll_interval.as_secs_f64(),
            self.settings.poll_timeout.as_secs()
        );
        let progress = crate::progress::waiting(&format!("waiting for a sync of {host}"));
        let mut seen = "no poll yet".to_string();
        let mut hinted = false;
        loop {
            // Sleep in slices, so the spinner counts down to the next poll.
            let next = Instant::now() + self.settings.poll_interval;
            while let Some(left) = next.checked_duration_since(Instant::now()) {
                progress.set_message(format!(
                    "waiting for a sync of {host}: {seen}; next poll in {}s",
                    left.as_secs_f64().ceil()
                ));
                std::thread::sleep(left.min(Duration::from_millis(250)));
            }
            progress.set_message(format!("waiting for a sync of {host}: polling…"));
            let (status, attempts) = self.sync_status()?;
            if !hinted && Self::instance(&status, host).is_none() {
                // Said once: a wrong --ghes-host would otherwise wait in silence until the timeout.
                hinted = true;
                progress.suspend(|| {
                    eprintln!(
                        "note: GitHub Enterprise Cloud does not list {host} yet ({}); if the instance is known \
                         under another name, stop and pass it as --ghes-host",
                        listed_hosts(&status)
                    )
                });
            }
            let last = Self::instance(&status, host).and_then(|i| i.last_sync.clone());
            let date = last.as_ref().and_then(|l| l.date.as_deref()).and_then(parse_time);
            let state = untrusted_line(&last.as_ref().and_then(|l| l.status.clone()).unwrap_or_default());
            self.store.event(
                id,
                "poll",
                &format!(
                    "last sync {} status {} ({attempts} attempt(s))",
                    date.map_or("never".to_string(), |d| d.to_string()),
                    if state.is_empty() { "-" } else { &state }
                ),
            )?;
            seen = match date {
                Some(d) => format!("last sync {d} ({})", if state.is_empty() { "-" } else { &state }),
                None => "never synced".to_string(),
            };
            if let Some(d) = date.filter(|d| *d >= threshold && since.is_none_or(|s| *d > s)) {
                progress.finish_and_clear();
                let host = untrusted_line(host);
                if state.eq_ignore_ascii_case("success") {
                    let outcome = ok(format!("sync at {d}"));
                    return Ok((
                        WaitOutcome::Synced {
                            host,
                            at: d.to_string(),
                        },
                        outcome,
                    ));
                }
                let error = untrusted_line(&last.and_then(|l| l.error).unwrap_or_default());
                let outcome = Outcome {
                    state: JobState::Failed,
                    code: 1,
                    detail: format!("sync at {d} ended with `{state}`: {error}"),
                };
                return Ok((
                    WaitOutcome::Failed {
                        host,
                        at: d.to_string(),
                        status: state,
                        error,
                    },
                    outcome,
                ));
            }
            if begin.elapsed() >= self.settings.poll_timeout {
                progress.finish_and_clear();
                let after_seconds = self.settings.poll_timeout.as_secs();
                let outcome = Outcome {
                    state: JobState::Timeout,
                    code: 1,
                    detail: format!("no new sync within {after_seconds}s"),
                };
                return Ok((
                    WaitOutcome::TimedOut {
                        host: untrusted_line(host),
                        after_seconds,
                    },
                    outcome,
                ));
            }
        }
    }

    /// The docs' steps of `doc` for `release` and the direct link.
    fn guide(&self, doc: DocRef, release: Release, url: String) -> Result<Guide, Error> {
        let steps = capabilities::docs_text(&self.renderer, doc, release, self.settings.lang, &self.text_options())?;
        Ok(Guide {
            heading: None,
            steps,
            url,
            notes: Vec::new(),
        })
    }

    /// `trigger`: the docs' steps for Sync now and the direct URL (given to
    /// `show`), then a poll until the sync shows up.
    pub fn trigger(&self, show: &dyn Fn(&Guide)) -> Result<WaitOutcome, Error> {
        self.job("trigger", self.ghes_host().ok().as_deref(), |id| {
            let (release, installed) = self.detect(id)?;
            self.require(CapabilityId::Trigger, release, &installed)?;
            let host = self.ghes_host()?;
            self.enterprise()?;
            self.ghec_token()?;
            let started = Timestamp::now();
            let since = self.last_sync_of(&host)?;
            self.store
                .event(id, "baseline", &since.map_or("never synced".into(), |d| d.to_string()))?;
            let base = self
                .settings
                .ghes_url
                .clone()
                .unwrap_or_else(|| format!("https://{host}"));
            let slug = self
                .settings
                .ghes_enterprise
                .clone()
                .or_else(|| self.settings.enterprise.clone())
                .unwrap_or_else(|| "github".into());
            let doc = CapabilityId::Trigger.capability().doc;
            show(&self.guide(doc, release, format!("{base}/enterprises/{slug}/settings/license"))?);
            self.wait_for_sync(id, &host, since, started)
        })
    }

    /// `upload`: checks the file, gives the docs' steps and the URL to `show`, then polls.
    pub fn upload(&self, file: &Path, show: &dyn Fn(&Guide)) -> Result<WaitOutcome, Error> {
        self.job("upload", self.ghes_host().ok().as_deref(), |id| {
            // The file first: a wrong file is found before any request or wait.
            let bytes = crate::files::read_file(file, UPLOAD_LIMIT)?;
            let export = crate::sync::model::UsageExport::parse(file, &bytes)?;
            let (release, installed) = self.detect(id)?;
            self.require(CapabilityId::Upload, release, &installed)?;
            let host = self.ghes_host()?;
            let mut notes = Vec::new();
            if let Some(named) = export.host_name.as_deref().filter(|n| !n.eq_ignore_ascii_case(&host)) {
                notes.push(format!(
                    "{file} names the instance `{named}`, docgate waits for `{host}`; if GitHub Enterprise \
                     Cloud lists it as `{named}`, pass --ghes-host {named}",
                    file = untrusted_line(&file.display().to_string()),
                    named = untrusted_line(named),
                    host = untrusted_line(&host)
                ));
            }
            let e = self.enterprise()?.to_string();
            self.ghec_token()?;
            let started = Timestamp::now();
            let since = self.last_sync_of(&host)?;
            self.store
                .event(id, "file", &format!("{} ({} bytes)", file.display(), bytes.len()))?;
            let doc = CapabilityId::Upload.capability().doc;
            let url = format!("{}/enterprises/{e}/settings/license", self.settings.ghec_web_url);
            let mut guide = self.guide(doc, release, url)?;
            guide.heading = Some(format!(
                "Upload {} to your enterprise on GitHub Enterprise Cloud:",
                untrusted_line(&file.display().to_string())
            ));
            guide.notes = notes;
            show(&guide);
            self.wait_for_sync(id, &host, since, started)
        })
    }

    /// `status`: every instance's last sync; with `max_age`, which are stale.
    pub fn status(&self, max_age: Option<Duration>) -> Result<StatusReport, Error> {
        let host = self.ghes_host().ok();
        self.job("status", self.settings.enterprise.as_deref(), |id| {
            self.enterprise()?;
            let (status, attempts) = self.sync_status()?;
            let now = Timestamp::now();
            let mut stale = Vec::new();
            let mut rows = Vec::new();
            for inst in &status.server_instances {
                if host.as_deref().is_some_and(|h| !inst.hostname.eq_ignore_ascii_case(h)) {
                    continue;
                }
                let last = inst.last_sync.clone().unwrap_or_default();
                let date = last.date.as_deref().and_then(parse_time);
                let age = date.map(|d| Duration::from_secs(now.duration_since(d).as_secs().max(0) as u64));
                let state = last.status.clone().unwrap_or_else(|| "never synced".into());
                let problem = match (date, max_age) {
                    (None, Some(_)) => Some("never synced".to_string()),
                    (Some(_), Some(_)) if !state.eq_ignore_ascii_case("success") => Some(format!("last sync {state}")),
                    (Some(_), Some(max)) if age.is_some_and(|a| a > max) => {
                        Some(format!("last sync {} ago", human(age.unwrap_or_default())))
                    }
                    _ => None,
                };
                let hostname = untrusted_line(&inst.hostname);
                if let Some(p) = &problem {
                    stale.push(format!("{hostname}: {}", untrusted_line(p)));
                }
                rows.push(InstanceStatus {
                    hostname,
                    server_id: untrusted_line(&inst.server_id),
                    last_sync: date.map(|d| d.to_string()),
                    status: untrusted_line(&state),
                    error: untrusted_line(&last.error.unwrap_or_default()),
                    age_seconds: age.map(|a| a.as_secs()),
                    stale: problem.is_some(),
                });
            }
            if let Some(h) = &host
                && rows.is_empty()
            {
                stale.push(format!(
                    "{}: not listed in license-sync-status (never synced, or another --ghes-host?); {}",
                    untrusted_line(h),
                    listed_hosts(&status)
                ));
            }
            self.store.event(
                id,
                "status",
                &format!("{} instance(s), {attempts} attempt(s)", rows.len()),
            )?;
            let outcome = if stale.is_empty() {
                ok(format!("{} instance(s) in sync", rows.len()))
            } else {
                Outcome {
                    state: JobState::Stale,
                    code: 1,
                    detail: stale.join("; "),
                }
            };
            let report = StatusReport {
                enterprise: self.settings.enterprise.clone(),
                instances: rows,
                stale,
            };
            Ok((report, outcome))
        })
    }

    /// `license`: the instance's own license information.
    pub fn license(&self) -> Result<LicenseReport, Error> {
        let host = self.settings.ghes_url.as_deref().map(host_of);
        self.job("license", host.as_deref(), |id| {
            let base = self.ghes_url()?.to_string();
            let (release, installed) = self.detect(id)?;
            self.require(CapabilityId::License, release, &installed)?;
            let url = format!("{base}/api/v3/enterprise/settings/license");
            let f = self
                .client
                .get_json::<LicenseInfo>(&url, self.settings.ghes_token.as_ref(), limits::SMALL)?;
            let l = f.value;
            self.store
                .event(id, "license", &format!("seats {} used {}", l.seats, l.seats_used))?;
            let detail = format!(
                "{} of {} seats used",
                l.seats_used,
                untrusted_line(&l.seats.to_string())
            );
            let report = LicenseReport {
                installed,
                release: release.to_string(),
                seats: seats_json(&l.seats),
                seats_used: l.seats_used,
                seats_available: seats_json(&l.seats_available),
                kind: untrusted_line(&l.kind),
                expire_at: untrusted_line(&l.expire_at),
                days_until_expiration: l.days_until_expiration,
            };
            Ok((report, ok(detail)))
        })
    }

    /// `report`: every page of consumed-licenses to CSV/JSON, and the analysis.
    pub fn report(
        &self,
        out: Option<&Path>,
        format: ReportFormat,
        analysis_out: Option<&Path>,
    ) -> Result<ReportSummary, Error> {
        self.job("report", self.settings.enterprise.as_deref(), |id| {
            let e = self.enterprise()?.to_string();
            let token = self.ghec_token()?.clone();
            // Users stream to a temporary file next to the destination, renamed at
            // the end; the guard removes it if the job fails half-way.
            let mut writer = match out {
                Some(p) => {
                    let (tmp, file) = temp_file_for(p)?;
                    Some((
                        p,
                        TempGuard(Some(tmp)),
                        UserWriter::new(format, std::io::BufWriter::new(file))?,
                    ))
                }
                None => None,
            };
            let first = format!(
                "{}/enterprises/{e}/consumed-licenses?per_page={PER_PAGE}&page=1",
                self.settings.ghec_url
            );
            let (mut pagination, mut url) = Pagination::new(&first, MAX_PAGES)?;
            let mut people: Vec<Person> = Vec::new();
            let (mut consumed, mut purchased, mut pages) = (0, 0, 0u64);
            let fetch_start = Instant::now();
            let mut progress = None;
            loop {
                let f = self
                    .client
                    .get_json::<ConsumedLicenses>(url.as_str(), Some(&token), limits::PAGE)?;
                if pages == 0 {
                    consumed = f.value.total_seats_consumed;
                    purchased = f.value.total_seats_purchased;
                    // Every page but the last is full: a server that links past that is looping.
                    pagination.expect_pages(expected_pages(consumed));
                }
                pages += 1;
                let bar = progress
                    .get_or_insert_with(|| crate::progress::bar(consumed.max(0) as u64, "people", "consumed licenses"));
                crate::progress::advance(bar, f.value.users.len() as u64);
                for u in &f.value.users {
                    if let Some((_, _, w)) = writer.as_mut() {
                        w.write(u)?;
                    }
                    people.push(Person::from(u));
                }
                if pages % 100 == 1 {
                    self.store
                        .event(id, "page", &format!("page {pages}: {} people so far", people.len()))?;
                }
                match f.next_link() {
                    Some(next) => url = pagination.next(&url, &next)?,
                    None => break,
                }
            }
            if let Some(p) = progress {
                p.finish_and_clear();
            }
            let fetch_secs = fetch_start.elapsed().as_secs_f64();
            if let Some((dest, guard, w)) = writer {
                let mut inner = w.finish()?;
                inner.flush().map_err(|err| Error::io(dest.display(), err))?;
                drop(inner);
                guard.persist(dest)?;
            }
            let t = Instant::now();
            let analysis = analyze(&people, consumed, purchased);
            let analysis_secs = t.elapsed().as_secs_f64();
            let a = &analysis.totals;
            if let Some(p) = analysis_out {
                let json = serde_json::to_vec_pretty(&analysis).map_err(|err| Error::input(err.to_string()))?;
                write_atomically(p, &json)?;
            }
            self.store.snapshot(
                id,
                &Snapshot {
                    at: String::new(),
                    totals: a.clone(),
                    suspects: analysis.suspects.len() as i64,
                },
            )?;
            let outcome = ok(format!(
                "{} people, {} consumed, {} suspects; {pages} pages in {fetch_secs:.2}s, analysis {analysis_secs:.3}s",
                a.users,
                consumed,
                analysis.suspects.len()
            ));
            Ok((
                ReportSummary {
                    analysis,
                    pages,
                    fetch_seconds: fetch_secs,
                    analysis_seconds: analysis_secs,
                },
                outcome,
            ))
        })
    }

    /// Whether the docs of the installed release mention the manual trigger (for the parity check).
    pub fn docs_mention_trigger(&self, release: Release) -> Result<bool, Error> {
        let page = capabilities::article(&self.renderer, SYNC_PAGE)?;
        let v = Version::Ghes(release);
        if !page.applies_to(v) {
            return Ok(false);
        }
        let headings = self.renderer.english_headings(&page, v)?;
        Ok(headings.iter().any(|h| h.id == capabilities::TRIGGER_SECTION))
    }
}

/// A duration for people: `3d 4h`, `12m`, `40s`.
pub fn human(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0 if d.subsec_millis() > 0 => format!("{}ms", d.subsec_millis()),
        0..=119 => format!("{s}s"),
        120..=7199 => format!("{}m", s / 60),
        7200..=172_799 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86400),
    }
}

/// The instances GitHub Enterprise Cloud lists, for a `--ghes-host` it does not
/// know: "it lists `a`, `b`" or "it lists no instance".
fn listed_hosts(status: &SyncStatus) -> String {
    let known: Vec<String> = status
        .server_instances
        .iter()
        .map(|i| format!("`{}`", untrusted_line(&i.hostname)))
        .collect();
    if known.is_empty() {
        "it lists no instance".to_string()
    } else {
        format!("it lists {}", known.join(", "))
    }
}

/// A seat count as JSON: a number, or the server's text made safe to print.
fn seats_json(seats: &crate::sync::model::Seats) -> serde_json::Value {
    match seats {
        crate::sync::model::Seats::Count(n) => (*n).into(),
        crate::sync::model::Seats::Text(t) => untrusted_line(t).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("7d").unwrap(), Duration::from_secs(7 * 86400));
        assert_eq!(parse_duration("90").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("1.5h").unwrap(), Duration::from_secs(5400));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("3y").is_err());
        assert!(parse_duration("99999999999999999999999d").is_err());
        assert!(parse_duration(&"9".repeat(400)).is_err());
        assert!(parse_duration_in("0", "--interval", Duration::from_secs(1), Duration::from_secs(60)).is_err());
        assert!(parse_duration_in("2m", "--interval", Duration::from_secs(1), Duration::from_secs(60)).is_err());
        assert_eq!(
            parse_duration_in("30s", "--interval", Duration::from_secs(1), Duration::from_secs(60)).unwrap(),
            Duration::from_secs(30)
        );
        assert_eq!(human(Duration::from_secs(3 * 86400)), "3d");
    }
}
