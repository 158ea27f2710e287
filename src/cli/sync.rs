//! `docgate sync …`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};

use super::Context;
use crate::error::Error;
use crate::languages::Lang;
use crate::render::Renderer;
use crate::sync::http::{RetryPolicy, Secret, base_url, check_url, ghes_base_url, is_loopback};
use crate::sync::report::ReportFormat;
use crate::sync::runner::{
    Guide, LicenseReport, ReportSummary, Runner, Settings, StatusReport, WaitOutcome, parse_duration_in,
};
use crate::sync::store::{JobState, Store};

/// The connection options describe one installation, so one `$S` (or the
/// `DOCGATE_*` variables) serves every sync command: each command accepts them
/// all, and its `--help` lists those it uses ([`hide_unused`]).
#[derive(Debug, Args)]
#[command(next_help_heading = "Connection options")]
pub struct SyncArgs {
    /// GHES base URL: https://ghes.example.com (https is assumed without a scheme; a
    /// trailing /api/v3 is accepted).
    #[arg(long, global = true, env = "DOCGATE_GHES_URL", value_name = "URL")]
    ghes_url: Option<String>,
    /// The installed GHES version, when --ghes-url cannot tell it (3.5 or 3.5.2).
    #[arg(long, global = true, value_name = "VERSION")]
    ghes_version: Option<String>,
    /// The instance's hostname as GitHub Enterprise Cloud lists it (default: the --ghes-url host).
    #[arg(long, global = true, env = "DOCGATE_GHES_HOST", value_name = "HOST")]
    ghes_host: Option<String>,
    /// The enterprise slug on GHES, for settings links (default: --enterprise).
    #[arg(long, global = true, value_name = "SLUG")]
    ghes_enterprise: Option<String>,
    /// GitHub Enterprise Cloud API base.
    #[arg(
        long,
        global = true,
        env = "DOCGATE_GHEC_URL",
        default_value = "https://api.github.com",
        value_name = "URL"
    )]
    ghec_url: String,
    /// GitHub Enterprise Cloud web base, for settings links.
    #[arg(long, global = true, default_value = "https://github.com", value_name = "URL")]
    ghec_web_url: String,
    /// The enterprise slug on GitHub Enterprise Cloud.
    #[arg(long, global = true, env = "DOCGATE_ENTERPRISE", value_name = "SLUG")]
    enterprise: Option<String>,
    /// A file holding the GHEC token (else GITHUB_TOKEN). Tokens are never taken from the command line.
    #[arg(long, global = true, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// A file holding the GHES token (else GHES_TOKEN, else GITHUB_TOKEN).
    #[arg(long, global = true, value_name = "FILE")]
    ghes_token_file: Option<PathBuf>,
    /// The job-history database (default: the user's state folder, docgate/history.db).
    #[arg(long, global = true, env = "DOCGATE_STATE", value_name = "PATH")]
    state: Option<PathBuf>,
    /// The language of the docs the runner shows.
    #[arg(long, short = 'l', global = true, default_value = "en")]
    lang: String,
    /// HTTP timeout per request, body included (1s to 1h).
    #[arg(
        long,
        global = true,
        default_value = "30s",
        value_name = "DURATION",
        overrides_with = "http_timeout"
    )]
    http_timeout: String,
    /// Attempts per request (retries on 5xx, 429, rate limits and broken connections; 1 to 100).
    #[arg(
        long,
        global = true,
        default_value_t = 5,
        value_name = "N",
        overrides_with = "attempts",
        value_parser = clap::value_parser!(u32).range(1..=100)
    )]
    attempts: u32,
    /// The longest a rate limit may make docgate wait in all (up to 24h).
    #[arg(long, global = true, default_value = "2m", value_name = "DURATION")]
    max_wait: String,
    #[command(subcommand)]
    command: SyncCommand,

    #[command(flatten)]
    pub global: super::GlobalArgs,
}

#[derive(Debug, Subcommand)]
enum SyncCommand {
    /// What the installed release supports, why, and what its docs say.
    Capabilities {
        /// Show each capability's requirement and what the docs say, with their links.
        #[arg(long)]
        long: bool,
        #[command(flatten)]
        output: super::FormatArgs,
    },
    /// Export license usage over ssh with the release's command; written atomically.
    Export {
        /// Where to write (default: license-usage-HOST-DATE.json).
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// The ssh program (and leading arguments), e.g. "ssh -i key".
        #[arg(long, default_value = "ssh", value_name = "PROGRAM")]
        ssh: String,
    },
    /// Sync now (GHES ≥ 3.5): the docs' steps and link, then wait for the sync to show up.
    Trigger(WaitArgs),
    /// Upload an exported file to GHEC: the docs' steps and link, then wait for it to show up.
    Upload {
        /// The file `docgate sync export` wrote.
        #[arg(long, short)]
        file: PathBuf,
        #[command(flatten)]
        wait: WaitArgs,
    },
    /// Each instance's last sync; with --max-age, exit 1 when one is older (for cron/systemd).
    Status {
        /// E.g. 7d: a sync older than this, failed, or missing, is stale (exit 1; up to 3650d).
        #[arg(long, value_name = "DURATION")]
        max_age: Option<String>,
        #[command(flatten)]
        output: super::FormatArgs,
    },
    /// Consumed licenses (every page) to CSV/JSON, and who is likely counted twice.
    Report {
        /// Write every consumed license here (CSV or JSON, atomically).
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// Format of --out (default: from its extension, else csv).
        #[arg(long, short, value_parser = ["csv", "json"])]
        format: Option<String>,
        /// Write the full analysis (suspects, unmatchable accounts) as JSON here.
        #[arg(long, value_name = "FILE")]
        analysis: Option<PathBuf>,
        /// How many suspects and unmatchable accounts to print.
        #[arg(long, default_value_t = 10)]
        show: usize,
    },
    /// The instance's license: seats, used, available, expiry.
    License {
        #[command(flatten)]
        output: super::FormatArgs,
    },
    /// The job history: every export, trigger, upload, status and report.
    History {
        /// How many jobs to show, newest first.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[command(flatten)]
        output: super::FormatArgs,
    },
}

#[derive(Debug, Args)]
struct WaitArgs {
    /// How often to ask GHEC for the sync status (at least 1s; 100ms against a loopback emulator).
    #[arg(long, default_value = "15s", value_name = "DURATION")]
    interval: String,
    /// How long to wait for the new sync (up to 7d).
    #[arg(long, default_value = "15m", value_name = "DURATION")]
    wait: String,
}

const GHES: &[&str] = &["ghes_url", "ghes_version", "ghes_token_file"];
const GHEC: &[&str] = &["ghec_url", "enterprise", "token_file"];
const HTTP: &[&str] = &["http_timeout", "attempts", "max_wait"];
const JOB: &[&str] = &["state", "lang"];

/// The connection options each sync command uses (clap ids, in groups).
const USES: &[(&str, &[&[&str]])] = &[
    ("capabilities", &[GHES, HTTP, &["lang"]]),
    ("export", &[GHES, HTTP, JOB, &["ghes_host"]]),
    ("trigger", &[GHES, GHEC, HTTP, JOB, &["ghes_host", "ghes_enterprise"]]),
    ("upload", &[GHES, GHEC, HTTP, JOB, &["ghes_host", "ghec_web_url"]]),
    // The instance to look for defaults to the --ghes-url host.
    ("status", &[GHEC, HTTP, &["state", "ghes_host", "ghes_url"]]),
    ("report", &[GHEC, HTTP, &["state"]]),
    ("license", &[GHES, HTTP, &["state"]]),
    ("history", &[&["state"]]),
];

/// Hides from each sync command's help the connection options it never uses.
/// Before clap propagates `sync`'s global options, each command gets a hidden
/// copy of those it does not use: still accepted (one `$S` for all), not listed.
pub(super) fn hide_unused(sync: clap::Command) -> clap::Command {
    let connection: Vec<clap::Arg> = sync
        .get_arguments()
        .filter(|a| a.is_global_set() && !super::GLOBAL_IDS.contains(&a.get_id().as_str()))
        .cloned()
        .collect();
    USES.iter().fold(sync, |sync, (name, groups)| {
        sync.mut_subcommand(*name, |cmd| {
            connection
                .iter()
                .filter(|a| !groups.iter().any(|g| g.contains(&a.get_id().as_str())))
                .fold(cmd, |cmd, a| cmd.arg(a.clone().hide(true)))
        })
    })
}

const SECOND: Duration = Duration::from_secs(1);
const HOUR: Duration = Duration::from_secs(3600);
const DAY: Duration = Duration::from_secs(86400);

fn settings(args: &SyncArgs, wait: Option<&WaitArgs>, ssh: &str, color: bool) -> Result<Settings, Error> {
    let ghes_url = args.ghes_url.as_deref().map(ghes_base_url).transpose()?;
    // Polling faster than once a second is for an emulator on this machine only.
    let min_interval = if is_loopback(&check_url(&args.ghec_url)?) {
        Duration::from_millis(100)
    } else {
        SECOND
    };
    Ok(Settings {
        ghes_url,
        ghes_version: args.ghes_version.clone(),
        ghes_host: args.ghes_host.clone(),
        ghes_enterprise: args.ghes_enterprise.clone(),
        ghec_url: base_url(&args.ghec_url)?,
        ghec_web_url: base_url(&args.ghec_web_url)?,
        enterprise: args.enterprise.clone(),
        ghec_token: Secret::load(args.token_file.as_deref(), &["GITHUB_TOKEN"])?,
        ghes_token: Secret::load(args.ghes_token_file.as_deref(), &["GHES_TOKEN", "GITHUB_TOKEN"])?,
        lang: Lang::parse(&args.lang)?,
        http_timeout: parse_duration_in(&args.http_timeout, "--http-timeout", SECOND, HOUR)?,
        retry: RetryPolicy {
            attempts: args.attempts.max(1),
            max_wait: parse_duration_in(&args.max_wait, "--max-wait", Duration::ZERO, DAY)?,
            ..RetryPolicy::default()
        },
        poll_interval: wait
            .map(|w| parse_duration_in(&w.interval, "--interval", min_interval, HOUR))
            .transpose()?
            .unwrap_or(Duration::from_secs(15)),
        poll_timeout: wait
            .map(|w| parse_duration_in(&w.wait, "--wait", SECOND, 7 * DAY))
            .transpose()?
            .unwrap_or(Duration::from_secs(900)),
        ssh: ssh.split_whitespace().map(str::to_string).collect(),
        width: super::render::terminal_width().saturating_sub(2),
        color,
    })
}

pub fn run(ctx: &Context, args: SyncArgs) -> Result<i32, Error> {
    let state = match &args.state {
        Some(p) => p.clone(),
        None => Store::default_path()?,
    };
    if let SyncCommand::History { limit, output } = &args.command {
        return history(&Store::open(&state)?, *limit, output.json(), ctx.color.enabled());
    }
    let (wait, ssh) = match &args.command {
        SyncCommand::Trigger(w) | SyncCommand::Upload { wait: w, .. } => (Some(w), "ssh"),
        SyncCommand::Export { ssh, .. } => (None, ssh.as_str()),
        _ => (None, "ssh"),
    };
    let renderer = Renderer::new(ctx.corpus()?)?;
    let runner = Runner::new(settings(&args, wait, ssh, ctx.color.enabled())?, renderer, &state)?;
    match &args.command {
        SyncCommand::Capabilities { long, output } => {
            let layout = match (output.json(), *long) {
                (true, _) => Layout::Json,
                (false, true) => Layout::Long,
                (false, false) => Layout::Table,
            };
            capabilities(&runner, layout, super::render::terminal_width(), ctx.color.enabled())
        }
        SyncCommand::Export { out, .. } => {
            println!("{}", runner.export(out.clone())?.display());
            Ok(0)
        }
        SyncCommand::Trigger(_) => finish_wait(&runner.trigger(&show_guide)?),
        SyncCommand::Upload { file, .. } => finish_wait(&runner.upload(file, &show_guide)?),
        SyncCommand::Status { max_age, output } => {
            let max_age = max_age
                .as_deref()
                .map(|m| parse_duration_in(m, "--max-age", SECOND, 3650 * DAY))
                .transpose()?;
            let report = runner.status(max_age)?;
            print_status(&report, output.json(), ctx.color.enabled())?;
            // Exit 1 when a sync is stale (for cron and systemd); --max-age decides what is.
            Ok(if report.stale.is_empty() { 0 } else { 1 })
        }
        SyncCommand::Report {
            out,
            format,
            analysis,
            show,
        } => {
            let by_ext = out
                .as_ref()
                .and_then(|p| p.extension())
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            let format = match format.as_deref() {
                Some("json") => ReportFormat::Json,
                Some(_) => ReportFormat::Csv,
                None if by_ext => ReportFormat::Json,
                None => ReportFormat::Csv,
            };
            let summary = runner.report(out.as_deref(), format, analysis.as_deref())?;
            print_report(&summary, *show);
            Ok(0)
        }
        SyncCommand::License { output } => {
            print_license(&runner.license()?, output.json())?;
            Ok(0)
        }
        SyncCommand::History { .. } => unreachable!("handled above"),
    }
}

/// How `sync capabilities` prints.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// One line per capability (default).
    Table,
    /// Each capability with its requirement, the docs' text and link (`--long`).
    Long,
    Json,
}

/// Where descriptions start in the `--long` listing and the summaries in the
/// table: after the name (14), the state (9) and a space after each.
const INDENT: usize = 14 + 1 + 9 + 1;

fn capabilities(runner: &Runner, layout: Layout, width: usize, color: bool) -> Result<i32, Error> {
    use crate::output::{paint, paint_cell, style};
    use crate::render::text::TextOptions;
    // JSON gets plain text (no wrapping, no decoration); the listing fits the terminal.
    let opts = match layout {
        Layout::Json => TextOptions::plain(),
        _ => TextOptions {
            width: width.saturating_sub(INDENT).max(40),
            ..TextOptions::default()
        },
    };
    let (release, installed, caps) = runner.capabilities(&opts)?;
    let corpus = runner.renderer().corpus();
    let deprecated = corpus.releases().deprecation_note(release);
    if layout == Layout::Json {
        super::print_json(serde_json::json!({
            "installed": installed,
            "release": release.to_string(),
            "deprecated": deprecated,
            "capabilities": caps,
        }))?;
        return Ok(0);
    }
    println!(
        "{}",
        paint(
            &format!("GitHub Enterprise Server {installed} (release {release})"),
            style::header(),
            color
        )
    );
    if let Some(n) = &deprecated {
        let opts = textwrap::Options::new(width.max(40)).subsequent_indent("      ");
        for line in textwrap::wrap(&format!("note: {n}"), opts) {
            println!("{}", paint(&line, style::warning(), color));
        }
    }
    println!();
    let state = |on: bool| {
        let (text, st) = if on {
            ("enabled", style::good())
        } else {
            ("disabled", style::warning())
        };
        paint_cell(text, 9, st, color)
    };
    if layout == Layout::Table {
        println!(
            "{} {} {}",
            paint_cell("CAPABILITY", 14, style::header(), color),
            paint_cell("STATE", 9, style::header(), color),
            paint("WHAT", style::header(), color)
        );
        let what_width = width.saturating_sub(INDENT).max(30);
        for c in &caps {
            let mut what = c.summary.to_string();
            if !c.enabled {
                what.push_str(&format!("; needs {}", c.requires));
            }
            let lines = textwrap::wrap(&what, what_width);
            for (i, line) in lines.iter().enumerate() {
                if i == 0 {
                    println!(
                        "{} {} {line}",
                        paint_cell(c.name, 14, style::header(), color),
                        state(c.enabled)
                    );
                } else {
                    println!("{:INDENT$}{line}", "");
                }
            }
        }
        println!(
            "
{}",
            paint(
                "`docgate sync capabilities --long` shows what the docs say for each, with links.",
                style::dim(),
                color
            )
        );
        return Ok(0);
    }
    for c in &caps {
        println!(
            "{} {} {}",
            paint_cell(c.name, 14, style::header(), color),
            state(c.enabled),
            c.summary
        );
        println!(
            "{:INDENT$}requires {} — {}",
            "",
            c.requires,
            if c.enabled { "met" } else { "not met" }
        );
        for line in c.description.lines() {
            println!("{:INDENT$}{line}", "");
        }
        if let Some(alt) = &c.alternative {
            println!("{:INDENT$}instead:", "");
            for line in alt.lines() {
                println!("{:INDENT$}{line}", "");
            }
        }
        println!(
            "{:INDENT$}docs: {}\n",
            "",
            paint(
                c.alternative_docs.as_deref().unwrap_or(&c.docs),
                style::location(),
                color
            )
        );
    }
    Ok(0)
}

/// What to do in the web UI, before the wait: notes on stderr, steps and link on stdout.
fn show_guide(g: &Guide) {
    use std::io::Write;
    for n in &g.notes {
        eprintln!("note: {n}");
    }
    if let Some(h) = &g.heading {
        println!("{h}\n");
    }
    if let Some(steps) = &g.steps {
        println!("{steps}\n");
    }
    println!("Direct link: {}\n", g.url);
    let _ = std::io::stdout().flush();
}

/// The end of a wait: one line, and exit 0 for a successful sync, 1 otherwise.
fn finish_wait(outcome: &WaitOutcome) -> Result<i32, Error> {
    match outcome {
        WaitOutcome::Synced { host, at } => {
            println!("synced: {host} at {at}");
            Ok(0)
        }
        WaitOutcome::Failed {
            host,
            at,
            status,
            error,
        } => {
            println!("the sync of {host} at {at} failed: {status} {error}");
            Ok(1)
        }
        WaitOutcome::TimedOut { host, after_seconds } => {
            println!("no new sync of {host} after {after_seconds}s");
            Ok(1)
        }
    }
}

/// `sync report`: the totals, then the first `show` suspects and unmatchable
/// accounts with their fixes; timings on stderr.
fn print_report(r: &ReportSummary, show: usize) {
    use crate::escape::untrusted_line;
    let analysis = &r.analysis;
    let a = &analysis.totals;
    println!(
        "{} people: {} consumed of {} purchased licenses; {} on both, {} only on GHES, {} only on GHEC",
        a.users, a.consumed, a.purchased, a.both, a.ghes_only, a.ghec_only
    );
    println!(
        "{} likely counted twice; {} accounts cannot be matched (verified domains: {})",
        analysis.suspects.len(),
        analysis.unmatchable.len(),
        if analysis.verified_domains.is_empty() {
            "none".to_string()
        } else {
            untrusted_line(&analysis.verified_domains.join(", "))
        }
    );
    for s in analysis.suspects.iter().take(show) {
        println!(
            "  {} ~ {}: {}\n    fix: {}",
            untrusted_line(&s.ghes),
            untrusted_line(&s.ghec),
            untrusted_line(&s.detail),
            untrusted_line(&s.fix)
        );
    }
    for u in analysis.unmatchable.iter().take(show) {
        println!(
            "  {}: {}\n    fix: {}",
            untrusted_line(&u.who),
            untrusted_line(&u.detail),
            untrusted_line(&u.fix)
        );
    }
    if analysis.suspects.len() + analysis.unmatchable.len() > 2 * show {
        println!("  … (all of them with --analysis FILE)");
    }
    eprintln!(
        "fetched {} pages in {:.2}s; analysed in {:.3}s",
        r.pages, r.fetch_seconds, r.analysis_seconds
    );
}

/// `sync status`: a table (stale instances on stderr) or JSON.
fn print_status(report: &StatusReport, json: bool, color: bool) -> Result<(), Error> {
    use crate::output::{paint, paint_cell, style};
    if json {
        return super::print_json(serde_json::to_value(report).map_err(|e| Error::input(e.to_string()))?);
    }
    println!(
        "{}",
        paint(
            &format!(
                "{:<32} {:<26} {:<14} {:<10} ERROR",
                "INSTANCE", "LAST SYNC", "STATUS", "AGE"
            ),
            style::header(),
            color
        )
    );
    for r in &report.instances {
        let status_style = if r.stale {
            style::error()
        } else if r.status.eq_ignore_ascii_case("success") {
            style::good()
        } else {
            style::warning()
        };
        println!(
            "{:<32} {:<26} {} {:<10} {}",
            r.hostname,
            r.last_sync.as_deref().unwrap_or("never"),
            paint_cell(&r.status, 14, status_style, color),
            r.age_seconds
                .map_or("-".into(), |s| crate::sync::runner::human(Duration::from_secs(s))),
            r.error
        );
    }
    for s in &report.stale {
        eprintln!("stale: {s}");
    }
    Ok(())
}

/// `sync license`: one line, or JSON.
fn print_license(l: &LicenseReport, json: bool) -> Result<(), Error> {
    if json {
        return super::print_json(serde_json::to_value(l).map_err(|e| Error::input(e.to_string()))?);
    }
    let shown = |v: &serde_json::Value| v.as_str().map_or_else(|| v.to_string(), str::to_string);
    println!(
        "seats {}  used {}  available {}  kind {}  expires {} ({} days)",
        shown(&l.seats),
        l.seats_used,
        shown(&l.seats_available),
        l.kind,
        l.expire_at,
        l.days_until_expiration
    );
    Ok(())
}

fn history(store: &Store, limit: usize, json: bool, color: bool) -> Result<i32, Error> {
    use crate::output::{paint, paint_cell, style};
    let jobs = store.jobs(limit)?;
    let snapshots = store.snapshots()?;
    if json {
        super::print_json(serde_json::json!({ "jobs": jobs, "snapshots": snapshots }))?;
        return Ok(0);
    }
    println!(
        "{}",
        paint(
            &format!(
                "{:<5} {:<8} {:<12} {:<25} {:<8} {:<6} DETAIL",
                "ID", "KIND", "STATE", "STARTED", "GHES", "EVENTS"
            ),
            style::header(),
            color
        )
    );
    for j in &jobs {
        // Rows written by older versions may hold raw server text.
        let detail = crate::escape::untrusted_line(j.error.as_deref().or(j.detail.as_deref()).unwrap_or(""));
        let state_style = match j.state {
            JobState::Succeeded => style::good(),
            JobState::Running => style::dim(),
            JobState::Failed | JobState::Interrupted => style::error(),
            JobState::Refused | JobState::Timeout | JobState::Stale => style::warning(),
        };
        println!(
            "{:<5} {:<8} {} {:<25} {:<8} {:<6} {}",
            j.id,
            j.kind,
            paint_cell(j.state.as_str(), 12, state_style, color),
            j.started_at,
            crate::escape::untrusted_line(j.ghes_version.as_deref().unwrap_or("-")),
            j.events,
            detail.chars().take(100).collect::<String>()
        );
    }
    if !snapshots.is_empty() {
        println!("\nConsumed licenses over time:");
        println!(
            "{:<25} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
            "AT", "CONSUMED", "PURCHASED", "BOTH", "GHES ONLY", "GHEC ONLY", "SUSPECTS"
        );
        for s in &snapshots {
            println!(
                "{:<25} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
                s.at,
                s.totals.consumed,
                s.totals.purchased,
                s.totals.both,
                s.totals.ghes_only,
                s.totals.ghec_only,
                s.suspects
            );
        }
    }
    println!("\n{}", store.path().display());
    Ok(0)
}
