//! `docgate serve`: a live preview of the site ([`crate::site::serve`]).

use clap::Args;

use super::Context;
use crate::error::Error;
use crate::site::serve::{ServeOptions, serve};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port on 127.0.0.1 (0 picks a free one).
    #[arg(long, short = 'p', value_name = "N", default_value_t = 4000)]
    port: u16,

    /// Open the home page in the default browser once the server listens.
    #[arg(long)]
    open: bool,

    /// The versions to serve (default: all released ones; `supported`; or e.g. `3.14`).
    #[command(flatten)]
    release: super::ReleaseArgs,

    /// The languages to serve (default: en).
    #[command(flatten)]
    lang: super::LangArgs,

    #[command(flatten)]
    pub global: super::GlobalArgs,
}

pub fn run(ctx: &Context, args: &ServeArgs) -> Result<i32, Error> {
    let selection = ctx.selection(&args.release.release)?;
    let langs = ctx
        .languages(&args.lang)?
        .unwrap_or_else(|| vec![crate::languages::Lang::ENGLISH]);
    let plugins = ctx.plugins()?;
    let watch = match &ctx.root {
        Some(root) => ["content", "data", "translations", "assets"]
            .iter()
            .map(|d| root.join(d))
            .filter(|d| d.is_dir())
            .collect(),
        None => Vec::new(),
    };
    // Every change opens the tree afresh (the plugins stay as started).
    let load = || {
        let corpus = match &ctx.root {
            None => ctx.corpus()?,
            Some(root) => crate::corpus::Corpus::open(crate::corpus::Source::disk_with(root, ctx.tree)?, ctx.today)?,
        };
        crate::plugins::renderer(corpus, plugins)
    };
    let watching = !watch.is_empty();
    let options = ServeOptions {
        port: args.port,
        selection,
        langs,
        watch,
    };
    serve(load, options, |addr, home| {
        let url = format!("http://{addr}{home}");
        eprintln!("serving {url}");
        if watching {
            eprintln!("watching content/, data/, translations/ and assets/: pages reload on change; Ctrl-C stops");
        } else {
            eprintln!("the bundled docs (nothing to watch: give --root to preview a tree you edit); Ctrl-C stops");
        }
        if args.open {
            open_browser(&url);
        }
    })?;
    Ok(0)
}

/// Opens `url` with the desktop's opener; a note when there is none.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    let spawned = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        eprintln!("note: cannot open a browser ({opener}: {e}); open {url} yourself");
    }
}
