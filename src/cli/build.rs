//! `docgate build`: the docs as a static site ([`crate::site::build_site`]).

use std::path::PathBuf;

use clap::Args;

use super::Context;
use crate::error::Error;

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site's folder (replaced only once the new site is complete).
    #[arg(long, short = 'o', value_name = "DIR", default_value = "site")]
    out: PathBuf,

    /// The versions to build (default: all released ones; `supported`; or e.g. `3.14`).
    #[command(flatten)]
    release: super::ReleaseArgs,

    /// The languages to build (default: en).
    #[command(flatten)]
    lang: super::LangArgs,

    #[command(flatten)]
    pub global: super::GlobalArgs,
}

pub fn run(ctx: &Context, args: &BuildArgs) -> Result<i32, Error> {
    let selection = ctx.selection(&args.release.release)?;
    let langs = ctx
        .languages(&args.lang)?
        .unwrap_or_else(|| vec![crate::languages::Lang::ENGLISH]);
    let renderer = ctx.renderer()?;
    let r = crate::site::build_site(&renderer, &selection, &langs, &args.out)?;
    let (tail, code) = super::report_errors(&r.errors);
    let secs = r.elapsed.as_secs_f64();
    eprintln!(
        "built {} pages and {} assets into {} in {secs:.2}s ({:.0} pages/s){}",
        r.pages,
        r.assets,
        args.out.display(),
        r.pages as f64 / secs.max(1e-9),
        tail
    );
    if let Some(home) = &r.home {
        eprintln!(
            "open {} in a browser, or serve {} with any static server",
            args.out.join(home).display(),
            args.out.display()
        );
    }
    Ok(code)
}
