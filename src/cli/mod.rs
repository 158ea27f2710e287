//! The command line: clap definitions, one file per command group.

mod build;
mod check;
mod command;
mod config;
#[cfg(feature = "emulator")]
mod emulate;
mod redirects;
mod render;
mod render_all;
#[cfg(feature = "serve")]
mod serve;
mod shell;
#[cfg(feature = "sync")]
mod sync;
mod versions;

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use crate::corpus::{Corpus, Source};
use crate::error::Error;

/// Version-aware, localized rendering of GitHub-Docs-style content.
#[derive(Debug, Parser)]
#[command(
    name = "docgate",
    version,
    about,
    max_term_width = 100,
    after_help = "Global options (--root, --today, --color, --follow-symlinks, --max-file-size) are listed by \
                  each command that takes them, e.g. `docgate render --help`; they may also come before the command."
)]
pub struct Cli {
    /// Accepted before the command too (`docgate --root DIR check`), but listed
    /// only by the commands that use them (see [`command`]).
    #[command(flatten)]
    pub global: GlobalArgs,

    /// The command to run.
    #[command(subcommand)]
    pub command: Command,

    /// Where each global option's value came from (`--root`, `$DOCGATE_ROOT`),
    /// for `docgate config`; filled by [`parse`].
    #[arg(skip)]
    pub sources: std::collections::BTreeMap<String, String>,
}

/// The options of every command that reads a docs tree, listed apart as
/// "Global options" in its `--help`. Commands that read no tree (completions,
/// man, emulate) do not offer them.
#[derive(Clone, Debug, Default, clap::Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Use another docs tree (github/docs layout: content/, data/, translations/)
    /// instead of the bundled content.
    #[arg(long, global = true, value_name = "DIR", env = "DOCGATE_ROOT")]
    pub root: Option<PathBuf>,

    /// Compute release statuses (supported, deprecated, latest) for this day
    /// instead of today, for reproducible output.
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,

    /// When to use colours in terminal text, tables and findings [default: auto: on a
    /// terminal without NO_COLOR].
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    pub color: Option<ColorChoice>,

    /// Follow symlinks in a --root tree when their real path stays inside the tree
    /// (by default symlinks are reported and not read; links out of the tree never are).
    #[arg(long, global = true)]
    pub follow_symlinks: bool,

    /// The largest file read from a --root tree (e.g. 32MiB, 512KiB); larger ones are
    /// reported, not read [default: 32MiB].
    #[arg(long, global = true, value_name = "SIZE", value_parser = parse_file_size)]
    pub max_file_size: Option<u64>,

    /// Run the external plugins the tree's docgate.toml declares (they are programs the
    /// tree chooses: allow them only for trees you trust).
    #[arg(
        long,
        global = true,
        env = "DOCGATE_ALLOW_PLUGINS",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub allow_plugins: bool,
}

impl GlobalArgs {
    /// The options given before the command, overridden by those given after it.
    fn merge(&self, after: Option<&GlobalArgs>) -> GlobalArgs {
        let Some(after) = after else { return self.clone() };
        GlobalArgs {
            root: after.root.clone().or_else(|| self.root.clone()),
            today: after.today.clone().or_else(|| self.today.clone()),
            color: after.color.or(self.color),
            follow_symlinks: after.follow_symlinks || self.follow_symlinks,
            max_file_size: after.max_file_size.or(self.max_file_size),
            allow_plugins: after.allow_plugins || self.allow_plugins,
        }
    }
}

/// The ids of [`GlobalArgs`], as clap knows them.
const GLOBAL_IDS: [&str; 6] = [
    "root",
    "today",
    "color",
    "follow_symlinks",
    "max_file_size",
    "allow_plugins",
];

/// The command line's definition: [`Cli`], with the global options before the
/// command accepted but hidden (each command that uses them lists them).
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    GLOBAL_IDS
        .iter()
        .fold(Cli::command(), |cmd, id| {
            cmd.mut_arg(*id, |a| a.global(false).hide(true))
        })
        .mut_subcommand("sync", hide_unused_sync)
}

#[cfg(feature = "sync")]
fn hide_unused_sync(cmd: clap::Command) -> clap::Command {
    sync::hide_unused(cmd)
}

#[cfg(not(feature = "sync"))]
fn hide_unused_sync(cmd: clap::Command) -> clap::Command {
    cmd
}

/// Parses the process's arguments with [`command`]; exits with clap's message on a usage error.
pub fn parse() -> Cli {
    use clap::FromArgMatches;
    let mut cmd = command();
    let matches = cmd.get_matches_mut();
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.format(&mut cmd).exit());
    cli.sources = sources(&cmd, &matches);
    cli
}

/// Where each global option was given: on the command line (before or after
/// the command's name, the later winning) or in the environment (named as
/// `cmd` declares it).
fn sources(cmd: &clap::Command, matches: &clap::ArgMatches) -> std::collections::BTreeMap<String, String> {
    let flag = |id: &str| cmd.get_arguments().find(|a| a.get_id() == id);
    let mut out = std::collections::BTreeMap::new();
    let mut level = Some(matches);
    while let Some(m) = level {
        for id in GLOBAL_IDS {
            // Ask only where the option exists (clap asserts on an unknown id).
            if !m.try_contains_id(id).unwrap_or(false) {
                continue;
            }
            let arg = flag(id);
            let source = match m.value_source(id) {
                Some(clap::parser::ValueSource::CommandLine) => {
                    format!("--{}", arg.and_then(|a| a.get_long()).unwrap_or(id))
                }
                Some(clap::parser::ValueSource::EnvVariable) => match arg.and_then(|a| a.get_env()) {
                    Some(var) => format!("${}", var.to_string_lossy()),
                    None => "the environment".to_string(),
                },
                _ => continue,
            };
            out.insert(id.to_string(), source);
        }
        level = m.subcommand().map(|(_, sub)| sub);
    }
    out
}

/// `--release`/`-r`: which docs versions, with the same syntax on every command.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct ReleaseArgs {
    /// Docs versions: fpt, ghec, ghae, latest, 3.14 (also 3.14.2, ghes@3.14,
    /// enterprise-server@3.14); several as 3.14,ghec or repeated; `all` (every released
    /// version) or `supported`.
    #[arg(
        long = "release",
        short = 'r',
        visible_alias = "docs-version",
        alias = "version",
        short_alias = 'v',
        value_name = "VERSIONS",
        value_delimiter = ','
    )]
    pub release: Vec<String>,
}

/// `--lang`/`-l`: which languages, with the same syntax on every command.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct LangArgs {
    /// Languages: en, es, ja, pt, zh, ru, fr, ko, de (or a locale such as ko-kr); several
    /// as ko,ja or repeated; `all`.
    #[arg(long, short = 'l', value_name = "LANGS", value_delimiter = ',')]
    pub lang: Vec<String>,
}

impl LangArgs {
    /// The languages asked for; `None` when none was given.
    pub fn langs(&self) -> Result<Option<Vec<crate::languages::Lang>>, Error> {
        use crate::languages::Lang;
        let words: Vec<&str> = self.lang.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
        match words.as_slice() {
            [] => Ok(None),
            ["all"] => Ok(Some(Lang::all().collect())),
            list => {
                let mut langs = Vec::new();
                for w in list {
                    let l = Lang::parse(w)?;
                    if !langs.contains(&l) {
                        langs.push(l);
                    }
                }
                Ok(Some(langs))
            }
        }
    }

    /// The one language a command takes (`what` says for what), if given.
    pub fn one(&self, what: &str) -> Result<Option<crate::languages::Lang>, Error> {
        match self.langs()? {
            Some(l) if l.len() > 1 => Err(Error::usage(format!("{what} takes one --lang, not {}", l.len()))),
            Some(l) => Ok(l.first().copied()),
            None => Ok(None),
        }
    }
}

/// How a command prints data: for people, or as JSON (each shape documented in
/// the README, with a `schema_version`).
// The variants' clap help text is their documentation: `///` on them would change `--help`.
#[allow(missing_docs)]
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
    /// Whether the output is JSON (`--format json` or `--json`).
    pub fn json(&self) -> bool {
        self.json || self.format == DataFormat::Json
    }
}

pub(crate) use crate::output::print_json;

/// `--color`: when output gets colors.
// The variants' clap help text is their documentation: `///` on them would change `--help`.
#[allow(missing_docs)]
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

/// The commands of `docgate`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render a page for one version and language.
    Render(render::RenderArgs),
    /// List GHES releases with their status and dates, or evaluate a version expression.
    Versions(versions::VersionsArgs),
    /// Build the docs as a static site (works offline and from file://).
    Build(build::BuildArgs),
    /// Preview the site on 127.0.0.1, rendered on request; pages reload when the tree changes.
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    /// Check redirects, links and content; exit 0 clean, 1 findings, 2 cannot run.
    Check(check::CheckArgs),
    /// Resolve old paths through the redirect map, or export it.
    Redirects(redirects::RedirectsArgs),
    /// License sync between GHES and GHEC: capabilities, export, trigger, upload, status, report, history.
    #[cfg(feature = "sync")]
    Sync(Box<sync::SyncArgs>),
    /// Run a local GHES + GHEC emulator (or, as `emulate shell`, the GHES admin shell over ssh).
    #[cfg(feature = "emulator")]
    Emulate(emulate::EmulateArgs),
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    Completions(shell::CompletionsArgs),
    /// Print the docgate(1) man page, or write every command's page into a folder.
    Man(shell::ManArgs),
    /// Print the effective configuration (global options, docgate.toml and its plugins)
    /// and where each value came from.
    Config(config::ConfigArgs),
    /// `docgate NAME …` for a NAME docgate does not have: the plugin NAME of docgate.toml,
    /// or `docgate-NAME` on PATH (as cargo runs `cargo-NAME`).
    #[command(external_subcommand)]
    External(Vec<OsString>),
}

/// For a run that went on past failures (`render --all`, `build`): prints
/// each error, and returns the summary's tail (`; 3 errors`) and the exit code
/// (2 when any failed).
pub(crate) fn report_errors(errors: &[String]) -> (String, i32) {
    for e in errors {
        eprintln!("error: {e}");
    }
    if errors.is_empty() {
        (String::new(), 0)
    } else {
        (format!("; {} errors", errors.len()), 2)
    }
}

/// The known name nearest to `name`, if one is near enough to be a typo.
pub(crate) fn nearest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (strsim::jaro_winkler(name, k), k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

fn parse_file_size(s: &str) -> Result<u64, String> {
    crate::files::parse_size(s).map_err(|e| e.message())
}

/// What every command needs: the tree and the day.
pub struct Context {
    /// `--root`: the docs tree to read (`None`: the bundled content).
    pub root: Option<PathBuf>,
    /// How the tree is walked (`--follow-symlinks`, `--max-file-size`).
    pub tree: crate::files::TreeOptions,
    /// The day release statuses are computed for (`--today`).
    pub today: Date,
    /// `--color`: when output gets colors.
    pub color: ColorChoice,
    /// `--allow-plugins`: the tree's external plugins may run.
    pub allow_plugins: bool,
    corpus: std::sync::OnceLock<Corpus>,
    config: std::sync::OnceLock<crate::config::Config>,
    plugins: std::sync::OnceLock<Vec<Box<dyn crate::plugins::Plugin>>>,
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

    /// The built-in plugins and the tree's external ones (started once).
    pub fn plugins(&self) -> Result<&[Box<dyn crate::plugins::Plugin>], Error> {
        if let Some(p) = self.plugins.get() {
            return Ok(p);
        }
        let p = crate::plugins::all(&self.corpus()?, self.config()?, self.allow_plugins)?;
        Ok(self.plugins.get_or_init(|| p))
    }

    /// The tree's `docgate.toml` (read once; empty when there is none).
    pub fn config(&self) -> Result<&crate::config::Config, Error> {
        if let Some(c) = self.config.get() {
            return Ok(c);
        }
        let c = crate::config::Config::load(self.corpus()?.source())?;
        Ok(self.config.get_or_init(|| c))
    }

    /// The versions a command was given, else the tree's `[defaults] release`
    /// (an error in it is located in docgate.toml).
    pub fn selection(&self, given: &[String]) -> Result<crate::versions::VersionSelection, Error> {
        let corpus = self.corpus()?;
        match (given.is_empty(), &self.config()?.release) {
            (true, Some(default)) => corpus
                .releases()
                .parse_selection(std::slice::from_ref(&default.value))
                .map_err(|e| Error::at(default.location.clone(), format!("[defaults] release: {}", e.message()))),
            _ => corpus.releases().parse_selection(given),
        }
    }

    /// The languages a command was given, else the tree's `[defaults] languages`.
    pub fn languages(&self, given: &LangArgs) -> Result<Option<Vec<crate::languages::Lang>>, Error> {
        match (given.langs()?, &self.config()?.languages) {
            (Some(l), _) => Ok(Some(l)),
            (None, Some(default)) => LangArgs {
                lang: default.value.clone(),
            }
            .langs()
            .map_err(|e| {
                Error::at(
                    default.location.clone(),
                    format!("[defaults] languages: {}", e.message()),
                )
            }),
            (None, None) => Ok(None),
        }
    }

    /// A renderer of the tree with every plugin's Liquid tags and steps.
    pub fn renderer(&self) -> Result<crate::render::Renderer, Error> {
        crate::plugins::renderer(self.corpus()?, self.plugins()?)
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
    let after = match &cli.command {
        Command::Render(a) => Some(&a.global),
        Command::Versions(a) => Some(&a.global),
        Command::Check(a) => Some(&a.global),
        Command::Redirects(a) => Some(&a.global),
        Command::Config(a) => Some(&a.global),
        Command::Build(a) => Some(&a.global),
        #[cfg(feature = "serve")]
        Command::Serve(a) => Some(&a.global),
        #[cfg(feature = "sync")]
        Command::Sync(a) => Some(&a.global),
        #[cfg(feature = "emulator")]
        Command::Emulate(_) => None,
        Command::Completions(_) | Command::Man(_) | Command::External(_) => None,
    };
    let global = cli.global.merge(after);
    // The checks render on rayon's global pool: give its threads a renderer's stack.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(crate::render::WORKER_STACK)
        .build_global();
    let ctx = Context {
        root: global.root,
        tree: crate::files::TreeOptions {
            follow_symlinks: global.follow_symlinks,
            max_file_size: global.max_file_size.unwrap_or(crate::files::DEFAULT_MAX_FILE_SIZE),
        },
        today: parse_today(global.today.as_deref())?,
        color: global.color.unwrap_or(ColorChoice::Auto),
        allow_plugins: global.allow_plugins,
        corpus: std::sync::OnceLock::new(),
        config: std::sync::OnceLock::new(),
        plugins: std::sync::OnceLock::new(),
    };
    let result = match cli.command {
        Command::Render(args) => render::run(&ctx, args),
        Command::Versions(args) => versions::run(&ctx, args),
        Command::Redirects(args) => redirects::run(&ctx, args),
        Command::Check(args) => check::run(&ctx, args),
        Command::Build(args) => build::run(&ctx, &args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(&ctx, &args),
        Command::Config(args) => config::run(&ctx, &cli.sources, &args),
        #[cfg(feature = "sync")]
        Command::Sync(args) => sync::run(&ctx, *args),
        #[cfg(feature = "emulator")]
        Command::Emulate(args) => emulate::emulate(args),
        Command::Completions(args) => shell::completions(&args),
        Command::Man(args) => shell::man(&args),
        Command::External(args) => command::run(&ctx, &args),
    };
    result.map_err(|e| ctx.annotate(e))
}
