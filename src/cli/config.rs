//! `docgate config`: the effective configuration and where each value came
//! from — the global options (command line, environment, default) and the
//! tree's `docgate.toml` with its plugins.

use std::collections::BTreeMap;

use clap::Args;

use super::Context;
use crate::error::Error;

#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(flatten)]
    output: super::FormatArgs,

    #[command(flatten)]
    pub global: super::GlobalArgs,
}

pub fn run(ctx: &Context, sources: &BTreeMap<String, String>, args: &ConfigArgs) -> Result<i32, Error> {
    let from = |id: &str, default: &str| sources.get(id).cloned().unwrap_or_else(|| default.to_string());
    let root = ctx
        .root
        .as_ref()
        .map_or("(the bundled tree)".to_string(), |r| r.display().to_string());
    let options: Vec<(&str, String, String)> = vec![
        ("root", root, from("root", "default")),
        ("today", ctx.today.to_string(), from("today", "the system clock")),
        (
            "color",
            format!("{:?}", ctx.color).to_lowercase(),
            from("color", "default"),
        ),
        (
            "follow-symlinks",
            ctx.tree.follow_symlinks.to_string(),
            from("follow_symlinks", "default"),
        ),
        (
            "max-file-size",
            crate::files::human_size(ctx.tree.max_file_size),
            from("max_file_size", "default"),
        ),
        (
            "allow-plugins",
            ctx.allow_plugins.to_string(),
            from("allow_plugins", "default"),
        ),
    ];
    let config = ctx.config()?;
    if args.output.json() {
        let opts: serde_json::Map<String, serde_json::Value> = options
            .iter()
            .map(|(k, v, s)| ((*k).to_string(), serde_json::json!({ "value": v, "from": s })))
            .collect();
        let plugins: serde_json::Map<String, serde_json::Value> = config
            .plugins
            .iter()
            .map(|(name, p)| {
                (
                    name.clone(),
                    serde_json::json!({
                        "command": p.argv,
                        "timeout_seconds": p.timeout.as_secs_f64(),
                        "from": p.location.to_string(),
                    }),
                )
            })
            .collect();
        let severities: serde_json::Map<String, serde_json::Value> = config
            .severities
            .iter()
            .map(|(rule, s)| {
                (
                    rule.clone(),
                    serde_json::json!({ "value": format!("{:?}", s.value).to_lowercase(), "from": s.location.to_string() }),
                )
            })
            .collect();
        super::print_json(serde_json::json!({
            "options": opts,
            "config_file": config.file.as_deref(),
            "defaults": {
                "release": config.release.as_ref().map(|r| serde_json::json!({ "value": r.value, "from": r.location.to_string() })),
                "languages": config.languages.as_ref().map(|l| serde_json::json!({ "value": l.value, "from": l.location.to_string() })),
            },
            "severities": severities,
            "plugins": plugins,
        }))?;
        return Ok(0);
    }
    let shown = |s: &str| crate::escape::untrusted_line(s);
    for (k, v, s) in &options {
        println!("{k:<16} {:<40} {s}", shown(v));
    }
    match &config.file {
        None => println!("{:<16} {:<40} the tree has none", "docgate.toml", "(none)"),
        Some(f) => println!("{:<16} {}", "docgate.toml", shown(f)),
    }
    if let Some(r) = &config.release {
        println!(
            "{:<16} {:<40} {}",
            "default release",
            shown(&r.value),
            shown(&r.location.to_string())
        );
    }
    if let Some(l) = &config.languages {
        println!(
            "{:<16} {:<40} {}",
            "default langs",
            shown(&l.value.join(",")),
            shown(&l.location.to_string())
        );
    }
    for (rule, s) in &config.severities {
        println!(
            "{:<16} {:<40} {}",
            "severity",
            shown(&format!("{rule} = {}", format!("{:?}", s.value).to_lowercase())),
            shown(&s.location.to_string())
        );
    }
    for (name, p) in &config.plugins {
        println!(
            "{:<16} {:<40} {}{}",
            format!("plugin {name}"),
            shown(&format!("{} (timeout {:?})", p.argv.join(" "), p.timeout)),
            shown(&p.location.to_string()),
            if ctx.allow_plugins {
                ""
            } else {
                " (runs only with --allow-plugins)"
            }
        );
    }
    Ok(0)
}
