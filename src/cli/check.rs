//! `docgate check [redirects] [links] [lint]`: the checks the plugins register.

use clap::{Args, ValueEnum};

use super::Context;
use crate::error::Error;
use crate::findings::{self, Finding, OutputFormat, Severity};
use crate::plugins::{self, CheckContext};

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
    /// Which checks to run (default: all): redirects, links, lint, and those of the tree's
    /// plugins (with --allow-plugins).
    #[arg(value_name = "CHECK")]
    checks: Vec<String>,

    /// Output format: text for people, json for programs, github for Actions annotations.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The same as --format json.
    #[arg(long, conflicts_with = "format")]
    json: bool,

    /// List every rule of the checks (id, severity, description) instead of checking.
    #[arg(long)]
    list_rules: bool,

    /// Make warnings fail the run.
    #[arg(long, value_enum)]
    deny: Option<Deny>,

    /// Versions whose pages the links check renders (default: all).
    #[command(flatten)]
    release: super::ReleaseArgs,

    /// Languages whose pages and translations are checked (default: all).
    #[command(flatten)]
    lang: super::LangArgs,

    #[command(flatten)]
    pub global: super::GlobalArgs,
}

pub fn run(ctx: &Context, args: CheckArgs) -> Result<i32, Error> {
    let corpus = ctx.corpus()?;
    let registered = plugins::checks_of(ctx.plugins()?);
    // A typo in [check.severity] is found before the checks run.
    check_severities(&registered, ctx.config()?)?;
    if let Some(unknown) = args
        .checks
        .iter()
        .find(|n| !registered.iter().any(|c| c.name() == n.as_str()))
    {
        let names: Vec<&str> = registered.iter().map(|c| c.name()).collect();
        return Err(Error::usage(format!(
            "there is no check `{}`",
            crate::escape::untrusted_line(unknown)
        ))
        .with_help(format!("the checks are: {}", names.join(", "))));
    }
    let checks: Vec<_> = registered
        .into_iter()
        .filter(|c| args.checks.is_empty() || args.checks.iter().any(|n| n == c.name()))
        .collect();
    let format = if args.json { Format::Json } else { args.format };
    if args.list_rules {
        return list_rules(&checks, format == Format::Json, ctx.color.enabled());
    }
    let selection = ctx.selection(&args.release.release)?;
    let langs = ctx
        .languages(&args.lang)?
        .unwrap_or_else(|| crate::languages::Lang::all().collect());
    let renderer = ctx.renderer()?;
    // The renderer's map: the links check renders pages that resolve links with it too.
    let redirects = renderer.redirect_map()?;
    let cx = CheckContext {
        corpus: &corpus,
        renderer: &renderer,
        redirects: &redirects,
        versions: &selection,
        langs: &langs,
    };
    let names: Vec<&str> = checks.iter().map(|c| c.name()).collect();
    let progress = crate::progress::spinner(&format!("check {}", names.join(", ")));
    let selected: Vec<&dyn crate::check::Check> = checks.iter().map(|c| c.as_ref()).collect();
    let found = crate::check::run(&selected, &cx);
    progress.finish_and_clear();
    let all = with_severities(findings::merge(found?.concat()), ctx.config()?);
    let errors = all.iter().filter(|f| f.severity == Severity::Error).count();
    let warnings = all.len() - errors;
    match format {
        Format::Json => crate::output::print_json(serde_json::json!({
            "checks": names,
            "errors": errors,
            "warnings": warnings,
            "findings": findings::to_json(&all),
        }))?,
        Format::Text => print!(
            "{}",
            findings::format(
                &all,
                OutputFormat::Text {
                    color: ctx.color.enabled()
                }
            )
        ),
        Format::Github => print!("{}", findings::format(&all, OutputFormat::Github)),
    }
    eprintln!("{errors} error(s), {warnings} warning(s) ({})", names.join(", "));
    let failed = errors > 0 || (args.deny == Some(Deny::Warnings) && warnings > 0);
    Ok(if failed { 1 } else { 0 })
}

/// `--list-rules`: each check's rules, as a table or JSON (`rules`: `check`,
/// `id`, `severity`, `description`).
fn list_rules(checks: &[Box<dyn crate::check::Check>], json: bool, color: bool) -> Result<i32, Error> {
    use crate::output::{paint, paint_cell, style};
    let rows: Vec<(&str, &crate::check::Rule)> = checks
        .iter()
        .flat_map(|c| c.rules().iter().map(move |r| (c.name(), r)))
        .collect();
    if json {
        let rules: Vec<serde_json::Value> = rows
            .iter()
            .map(|(check, r)| serde_json::json!({ "check": check, "id": r.id, "severity": r.severity, "description": r.description }))
            .collect();
        crate::output::print_json(serde_json::json!({ "rules": rules }))?;
        return Ok(0);
    }
    let id_width = rows.iter().map(|(_, r)| r.id.len()).max().unwrap_or(4).max(4);
    println!(
        "{}",
        paint(
            &format!("{:<10} {:<id_width$} {:<8} DESCRIPTION", "CHECK", "RULE", "SEVERITY"),
            style::header(),
            color
        )
    );
    for (check, r) in &rows {
        let sev = match r.severity {
            Severity::Error => style::error(),
            Severity::Warning => style::warning(),
        };
        println!(
            "{:<10} {:<id_width$} {} {}",
            check,
            r.id,
            paint_cell(&r.severity.to_string(), 8, sev, color),
            r.description
        );
    }
    for c in checks.iter().filter(|c| c.rules().is_empty()) {
        println!("{:<10} (its rules are its own: a plugin's check)", c.name());
    }
    Ok(0)
}

/// Every rule `[check.severity]` names is a rule of the registered `checks`;
/// else a located error with the nearest rule.
fn check_severities(checks: &[Box<dyn crate::check::Check>], config: &crate::config::Config) -> Result<(), Error> {
    let known: Vec<&str> = checks.iter().flat_map(|c| c.rules().iter().map(|r| r.id)).collect();
    // A plugin's check declares no rules: its ids cannot be told from typos.
    if checks.iter().any(|c| c.rules().is_empty()) {
        return Ok(());
    }
    for (rule, setting) in &config.severities {
        if !known.contains(&rule.as_str()) {
            let err = Error::at(
                setting.location.clone(),
                format!("[check.severity] names `{rule}`, which no check reports"),
            );
            return Err(match super::nearest(rule, known.iter().copied()) {
                Some(n) => err.with_help(format!("did you mean `{n}`? (`docgate check --list-rules` lists them)")),
                None => err.with_help("`docgate check --list-rules` lists the rules"),
            });
        }
    }
    Ok(())
}

/// The tree's `[check.severity]` applied: a rule made an error or a warning,
/// or its findings dropped.
fn with_severities(found: Vec<Finding>, config: &crate::config::Config) -> Vec<Finding> {
    use crate::config::SeverityOverride;
    found
        .into_iter()
        .filter_map(|mut f| match config.severities.get(f.rule).map(|s| s.value) {
            Some(SeverityOverride::Off) => None,
            Some(SeverityOverride::Error) => {
                f.severity = Severity::Error;
                Some(f)
            }
            Some(SeverityOverride::Warning) => {
                f.severity = Severity::Warning;
                Some(f)
            }
            None => Some(f),
        })
        .collect()
}
