//! The command line: clap definitions, one file per command group.

mod check;
mod redirects;
mod render;
mod render_all;
mod shell;
mod sync;
mod versions;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use crate::corpus::{Corpus, Source};
use crate::error::Error;

/// Version-aware, localized rendering of GitHub-Docs-style content.
#[derive(Debug, Parser)]
#[command(name = "docgate", version, about, max_term_width = 100)]
pub struct Cli {
    /// Use another docs tree (github/docs layout: content/, data/, translations/)
    /// instead of the bundled content.
    #[arg(long, global = true, value_name = "DIR", env = "DOCGATE_ROOT")]
    pub root: Option<PathBuf>,

    /// Compute release statuses (supported, deprecated, latest) for this day
    /// instead of today, for reproducible output.
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,

    /// When to use colors in terminal text.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Follow symlinks in a --root tree when their real path stays inside the tree
    /// (by default symlinks are reported and not read; links out of the tree never are).
    #[arg(long, global = true)]
    pub follow_symlinks: bool,

    /// The largest file read from a --root tree (e.g. 32MiB, 512KiB); larger ones are reported, not read.
    #[arg(long, global = true, value_name = "SIZE", default_value = "32MiB", value_parser = parse_file_size)]
    pub max_file_size: u64,

    #[command(subcommand)]
    pub command: Command,
}

/// How a command prints data: for people, or as JSON (each shape documented in
/// the README, with a `schema_version`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum DataFormat {
    #[default]
    Text,
    Json,
}

/// `--format text|json`, with `--json` as its alias.
#[derive(Debug, clap::Args)]
pub struct FormatArgs {
    /// Output format: text for people, json for programs.
    #[arg(long, value_enum, default_value_t = DataFormat::Text)]
    format: DataFormat,
    /// The same as --format json.
    #[arg(long)]
    json: bool,
}

impl FormatArgs {
    pub fn json(&self) -> bool {
        self.json || self.format == DataFormat::Json
    }
}

/// The version of the JSON shapes commands print (`schema_version`).
pub const SCHEMA_VERSION: u32 = 1;

/// Prints a JSON document with its `schema_version`.
pub(crate) fn print_json(body: serde_json::Value) -> Result<(), Error> {
    let mut doc = serde_json::Map::new();
    doc.insert("schema_version".into(), SCHEMA_VERSION.into());
    match body {
        serde_json::Value::Object(m) => doc.extend(m),
        other => {
            doc.insert("data".into(), other);
        }
    }
    let s = serde_json::to_string_pretty(&serde_json::Value::Object(doc)).map_err(|e| Error::input(e.to_string()))?;
    println!("{s}");
    Ok(())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether stdout gets ANSI styles (`auto`: a terminal, and `NO_COLOR` unset).
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    /// Whether stdout gets OSC 8 hyperlinks (`auto`: a terminal that supports them).
    pub fn hyperlinks_enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && supports_hyperlinks::on(supports_hyperlinks::Stream::Stdout)
            }
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render a page for one version and language.
    Render(render::RenderArgs),
    /// List GHES releases with their status and dates, or evaluate a version expression.
    Versions(versions::VersionsArgs),
    /// Check redirects, links and content; exit 0 clean, 1 findings, 2 cannot run.
    Check(check::CheckArgs),
    /// Resolve old paths through the redirect map, or export it.
    Redirects(redirects::RedirectsArgs),
    /// License sync between GHES and GHEC: capabilities, export, trigger, upload, status, report, history.
    Sync(Box<sync::SyncArgs>),
    /// Run a local GHES + GHEC emulator (or, as `emulate shell`, the GHES admin shell over ssh).
    Emulate(sync::EmulateArgs),
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    Completions(shell::CompletionsArgs),
    /// Print the docgate(1) man page, or write every command's page into a folder.
    Man(shell::ManArgs),
}

fn parse_file_size(s: &str) -> Result<u64, String> {
    crate::files::parse_size(s).map_err(|e| e.message())
}

/// What every command needs: the tree and the day.
pub struct Context {
    pub root: Option<PathBuf>,
    pub tree: crate::files::TreeOptions,
    pub today: Date,
    pub color: ColorChoice,
    corpus: std::sync::OnceLock<Corpus>,
}

impl Context {
    /// The tree (bundled, or `--root`), opened once.
    pub fn corpus(&self) -> Result<Corpus, Error> {
        if let Some(c) = self.corpus.get() {
            return Ok(c.clone());
        }
        let source = match &self.root {
            Some(r) => Source::disk_with(r, self.tree)?,
            None => Source::Embedded,
        };
        let c = Corpus::open(source, self.today)?;
        Ok(self.corpus.get_or_init(|| c).clone())
    }

    /// Gives a located error the text of its file, so the report shows the line.
    fn annotate(&self, err: Error) -> Error {
        match (&err, self.corpus.get()) {
            (
                Error::Input {
                    location: Some(loc),
                    source_text: None,
                    ..
                },
                Some(c),
            ) => match c.read_display_path(&loc.file) {
                Some(text) => err.with_source_text(text),
                None => err,
            },
            _ => err,
        }
    }
}

fn parse_today(s: Option<&str>) -> Result<Date, Error> {
    match s {
        None => Ok(jiff::Zoned::now().date()),
        Some(s) => s.parse::<Date>().map_err(|e| {
            Error::usage(format!("--today `{s}` is not a date: {e}")).with_help("write the date as YYYY-MM-DD")
        }),
    }
}

/// Runs a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> Result<i32, Error> {
    // The checks render on rayon's global pool: give its threads a renderer's stack.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(crate::render::WORKER_STACK)
        .build_global();
    let ctx = Context {
        root: cli.root,
        tree: crate::files::TreeOptions {
            follow_symlinks: cli.follow_symlinks,
            max_file_size: cli.max_file_size,
        },
        today: parse_today(cli.today.as_deref())?,
        color: cli.color,
        corpus: std::sync::OnceLock::new(),
    };
    let result = match cli.command {
        Command::Render(args) => render::run(&ctx, args),
        Command::Versions(args) => versions::run(&ctx, args),
        Command::Redirects(args) => redirects::run(&ctx, args),
        Command::Check(args) => check::run(&ctx, args),
        Command::Sync(args) => sync::run(&ctx, *args),
        Command::Emulate(args) => sync::emulate(args),
        Command::Completions(args) => shell::completions(&args),
        Command::Man(args) => shell::man(&args),
    };
    result.map_err(|e| ctx.annotate(e))
}
