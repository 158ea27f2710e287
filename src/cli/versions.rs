//! `docgate versions` and `docgate versions eval`.

use clap::{Args, Subcommand};
use serde::Serialize;

use super::Context;
use crate::error::{Error, Location};
use crate::versions::{Condition, Version};

#[derive(Debug, Args)]
pub struct VersionsArgs {
    #[command(subcommand)]
    command: Option<VersionsCommand>,

    #[command(flatten)]
    output: super::FormatArgs,

    #[command(flatten)]
    pub global: super::GlobalArgs,
}

#[derive(Debug, Subcommand)]
enum VersionsCommand {
    /// List the features of data/features/ (names `ifversion` accepts) and their versions.
    Features {
        #[command(flatten)]
        output: super::FormatArgs,
    },
    /// Evaluate an `ifversion` expression, e.g. "ghec or ghes > 3.4".
    Eval {
        /// The expression, as written after `ifversion`.
        expression: String,
        /// The versions to evaluate for (default: all: fpt, ghec and every released GHES).
        #[command(flatten)]
        release: super::ReleaseArgs,
        /// Print nothing; exit 0 when true and 1 when false (like `grep -q`).
        #[arg(long, short)]
        quiet: bool,
        #[command(flatten)]
        output: super::FormatArgs,
    },
}

#[derive(Serialize)]
struct ReleaseRow {
    release: String,
    status: String,
    release_candidate: Option<String>,
    general_availability: Option<String>,
    deprecation: Option<String>,
}

pub fn run(ctx: &Context, args: VersionsArgs) -> Result<i32, Error> {
    let corpus = ctx.corpus()?;
    let table = corpus.releases();
    match args.command {
        Some(VersionsCommand::Features { output }) => features(&corpus, output.json()),
        None => {
            let rows: Vec<ReleaseRow> = table
                .releases()
                .iter()
                .rev()
                .map(|r| ReleaseRow {
                    release: r.release.to_string(),
                    status: r.status(table.today()).to_string(),
                    release_candidate: r.release_candidate.map(|d| d.to_string()),
                    general_availability: r.general_availability.map(|d| d.to_string()),
                    deprecation: r.deprecation.map(|d| d.to_string()),
                })
                .collect();
            if args.output.json() {
                super::print_json(serde_json::json!({
                    "today": table.today().to_string(),
                    "latest": table.latest().to_string(),
                    "oldest_supported": table.oldest_supported().map(|r| r.to_string()),
                    "releases": rows,
                }))?;
                return Ok(0);
            }
            let mut out = format!(
                "GitHub Enterprise Server releases on {} (latest: {}; oldest supported: {})\n\n",
                table.today(),
                table.latest(),
                table.oldest_supported().map_or("none".into(), |r| r.to_string())
            );
            use crate::output::{paint, paint_cell, style};
            let color = ctx.color.enabled();
            out.push_str(&paint(
                &format!(
                    "{:<8} {:<18} {:<11} {:<11} {}",
                    "RELEASE", "STATUS", "RC", "GA", "DEPRECATION"
                ),
                style::header(),
                color,
            ));
            out.push('\n');
            let dash = |d: &Option<String>| d.clone().unwrap_or_else(|| "-".into());
            for r in &rows {
                let status_style = match r.status.as_str() {
                    "supported" => style::good(),
                    "deprecated" => style::dim(),
                    _ => style::warning(),
                };
                out.push_str(&format!(
                    "{:<8} {} {:<11} {:<11} {}\n",
                    r.release,
                    paint_cell(&r.status, 18, status_style, color),
                    dash(&r.release_candidate),
                    dash(&r.general_availability),
                    dash(&r.deprecation)
                ));
            }
            out.push_str("\nAlso: fpt (free-pro-team@latest), ghec (enterprise-cloud@latest), ghae (github-ae@latest, retired).\n");
            print!("{out}");
            Ok(0)
        }
        Some(VersionsCommand::Eval {
            expression,
            release,
            quiet,
            output,
        }) => {
            let condition = Condition::parse(&expression).map_err(|e| {
                let col = expression
                    .split_whitespace()
                    .nth(e.token)
                    .and_then(|t| expression.find(t))
                    .unwrap_or(0);
                Error::at(
                    Location::at_offset("<expression>".into(), &expression, col, 1),
                    format!("invalid ifversion expression: {}", e.message),
                )
                .with_source_text(expression.clone().into())
            })?;
            // Every version a docs tree has, newest GHES first, as the site orders them.
            let mut every = vec![Version::Fpt, Version::Ghec];
            every.extend(table.releases().iter().rev().map(|r| Version::Ghes(r.release)));
            // A list is evaluated in the order given, `all`/`supported` in the site's order.
            let versions = match table.parse_selection(&release.release)? {
                crate::versions::VersionSelection::Only(list) => list,
                selection => table.select(&selection, &every),
            };
            let features = corpus.features()?;
            let mut all_true = true;
            let mut out = String::new();
            let mut results = Vec::new();
            for v in &versions {
                let value = condition.eval(*v, &|name| features.is_enabled(name, *v));
                all_true &= value;
                results.push(serde_json::json!({ "version": v.to_string(), "value": value }));
                if versions.len() == 1 {
                    out.push_str(&format!("{value}\n"));
                } else {
                    out.push_str(&format!("{:<24} {value}\n", v.to_string()));
                }
            }
            let unknown: Vec<&str> = condition
                .names()
                .filter(|n| {
                    !crate::versions::Plan::is_short_name(n) && !features.contains(n) && !matches!(*n, "true" | "false")
                })
                .collect();
            for name in &unknown {
                let known = crate::versions::Plan::ALL
                    .iter()
                    .map(|p| p.short_name())
                    .chain(features.names());
                let hint = super::nearest(name, known)
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                eprintln!(
                    "warning: unknown name `{name}` evaluates to false (not a plan, not in data/features/){hint}"
                );
            }
            if quiet {
                return Ok(if all_true { 0 } else { 1 });
            }
            if output.json() {
                super::print_json(serde_json::json!({
                    "expression": expression,
                    "results": results,
                    "unknown_names": unknown,
                }))?;
            } else {
                print!("{out}");
            }
            Ok(0)
        }
    }
}

#[derive(Serialize)]
struct FeatureRow<'a> {
    name: &'a str,
    versions: Option<&'a crate::versions::VersionsSpec>,
    /// Why the feature file cannot be used, when it is broken.
    error: Option<String>,
}

/// `docgate versions features`.
fn features(corpus: &crate::corpus::Corpus, json: bool) -> Result<i32, Error> {
    let set = corpus.features()?;
    let mut names: Vec<&str> = set.names().chain(set.broken_features().map(|(n, _)| n)).collect();
    names.sort_unstable();
    let rows: Vec<FeatureRow> = names
        .iter()
        .map(|n| FeatureRow {
            name: n,
            versions: set.get(n),
            error: set.broken(n).map(|e| e.one_line()),
        })
        .collect();
    if json {
        super::print_json(serde_json::json!({ "features": rows }))?;
        return Ok(0);
    }
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in &rows {
        let what = match (&r.error, r.versions) {
            (Some(e), _) => format!("broken: {e}"),
            (None, Some(v)) => v.describe(),
            (None, None) => String::new(),
        };
        out.push_str(&format!(
            "{:<width$}  {}\n",
            r.name,
            crate::escape::untrusted_line(&what)
        ));
    }
    print!("{out}");
    Ok(0)
}
