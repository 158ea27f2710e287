//! `docgate redirects resolve|export`.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::Context;
use crate::error::Error;
use crate::languages::Lang;
use crate::redirects::{ExportFormat, RedirectMap, Resolution, export};

#[derive(Debug, Args)]
pub struct RedirectsArgs {
    #[command(subcommand)]
    command: RedirectsCommand,

    #[command(flatten)]
    pub global: super::GlobalArgs,
}

#[derive(Debug, Subcommand)]
enum RedirectsCommand {
    /// Resolve a request path to its final page, as the docs site would.
    /// Exit 0 with the permalink and status; exit 1 when nothing matches.
    Resolve {
        /// A path such as /enterprise/admin/… or /ko/enterprise-server@3.4/admin/…
        path: String,
        /// The language for a path without a language prefix (default: en).
        #[command(flatten)]
        lang: super::LangArgs,
        #[command(flatten)]
        output: super::FormatArgs,
    },
    /// Write the redirect map for a web server or a static host.
    Export {
        /// json: the map with its `schema_version`; nginx: rewrite rules for a `server`
        /// block; html: one meta-refresh `index.html` per old path (needs --out DIR).
        #[arg(long, short = 'f', value_parser = ["json", "nginx", "html"], default_value = "json")]
        format: String,
        /// Where to write instead of stdout: a file for json and nginx, a folder for html.
        #[arg(long, short = 'o', value_name = "PATH")]
        out: Option<PathBuf>,
        /// For html: the languages of the stubs (default: en).
        #[command(flatten)]
        lang: super::LangArgs,
    },
}

pub fn run(ctx: &Context, args: RedirectsArgs) -> Result<i32, Error> {
    let corpus = ctx.corpus()?;
    let map = RedirectMap::build(&corpus)?;
    match args.command {
        RedirectsCommand::Resolve { path, lang, output } => {
            let lang = lang.one("a path")?.unwrap_or(Lang::ENGLISH);
            if !path.starts_with('/') {
                return Err(Error::usage(format!("`{path}` is not a path: it must start with `/`")));
            }
            let resolution = map.resolve(&path, lang);
            if output.json() {
                let (kind, permalink, status, hops) = match &resolution {
                    Resolution::Page { permalink } => ("page", Some(permalink), Some(200), Vec::new()),
                    Resolution::Redirect {
                        permalink,
                        status,
                        hops,
                    } => ("redirect", Some(permalink), Some(*status), hops.clone()),
                    Resolution::NotFound => ("not-found", None, None, Vec::new()),
                };
                super::print_json(serde_json::json!({
                    "request": path,
                    "resolution": kind,
                    "permalink": permalink,
                    "status": status,
                    "hops": hops,
                }))?;
                return Ok(if resolution == Resolution::NotFound { 1 } else { 0 });
            }
            match resolution {
                Resolution::Page { permalink } => {
                    println!("{permalink}\t200 (a page, no redirect)");
                    Ok(0)
                }
                Resolution::Redirect {
                    permalink,
                    status,
                    hops,
                } => {
                    println!("{permalink}\t{status}");
                    if hops.len() > 1 {
                        eprintln!("via {}", hops.join(" → "));
                    }
                    Ok(0)
                }
                Resolution::NotFound => {
                    eprintln!("{path}: not found (no page and no redirect matches)");
                    Ok(1)
                }
            }
        }
        RedirectsCommand::Export { format, out, lang } => {
            let langs = lang.langs()?.unwrap_or_else(|| vec![Lang::ENGLISH]);
            let format = match format.as_str() {
                "nginx" => ExportFormat::Nginx,
                "html" => ExportFormat::Html,
                _ => ExportFormat::Json,
            };
            let text = export(&map, format, out.as_deref(), &langs)?;
            match (format, &out) {
                (ExportFormat::Html, _) => eprint!("{text}"),
                (_, Some(path)) => crate::files::write_atomically(path, text.as_bytes())?,
                (_, None) => print!("{text}"),
            }
            Ok(0)
        }
    }
}
