//! `docgate check [redirects] [links] [lint]`.

use clap::{Args, ValueEnum};

use super::Context;
use crate::error::Error;
use crate::findings::{self, Finding, OutputFormat, Severity};
use crate::redirects::{self, RedirectMap};
use crate::render::Renderer;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
enum CheckName {
    /// redirect_from: duplicates, shadowing, chains, cycles, malformed and external targets, translation drift.
    Redirects,
    /// Internal links and anchors of every page × version × language.
    Links,
    /// Liquid syntax, data references, version conditions, translations.
    Lint,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Deny {
    /// Warnings fail the check too (exit 1).
    Warnings,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
    /// GitHub Actions annotations (`::error file=…,line=…::…`).
    Github,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Which checks to run (default: all).
    #[arg(value_enum)]
    checks: Vec<CheckName>,

    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Make warnings fail the run.
    #[arg(long, value_enum)]
    deny: Option<Deny>,

    /// Versions whose pages the links check renders: `all` (default), `supported`, or a list.
    #[arg(long, short = 'v', value_name = "VERSION")]
    version: Vec<String>,
}

pub fn run(ctx: &Context, args: CheckArgs) -> Result<i32, Error> {
    let corpus = ctx.corpus()?;
    let mut checks = args.checks.clone();
    if checks.is_empty() {
        checks = vec![CheckName::Redirects, CheckName::Links, CheckName::Lint];
    }
    checks.sort();
    checks.dedup();
    let selection = corpus.releases().parse_selection(&args.version)?;
    let renderer = Renderer::new(corpus.clone())?;
    let map = RedirectMap::build(&corpus)?;
    let mut all: Vec<Finding> = Vec::new();
    for check in &checks {
        match check {
            CheckName::Redirects => {
                all.extend(map.findings().iter().cloned());
                all.extend(redirects::translation_drift(&corpus)?);
            }
            CheckName::Links => all.extend(crate::links::check(&renderer, &map, &selection)?),
            CheckName::Lint => all.extend(crate::lint::check(&renderer)?),
        }
    }
    let all = findings::merge(all);
    let format = match args.format {
        Format::Text => OutputFormat::Text,
        Format::Json => OutputFormat::Json,
        Format::Github => OutputFormat::Github,
    };
    print!("{}", findings::format(&all, format));
    let errors = all.iter().filter(|f| f.severity == Severity::Error).count();
    let warnings = all.len() - errors;
    let names: Vec<String> = checks.iter().map(|c| format!("{c:?}").to_lowercase()).collect();
    eprintln!("{errors} error(s), {warnings} warning(s) ({})", names.join(", "));
    let failed = errors > 0 || (args.deny == Some(Deny::Warnings) && warnings > 0);
    Ok(if failed { 1 } else { 0 })
}
