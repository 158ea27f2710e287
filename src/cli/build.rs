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

    /// Where the site will be served from: the absolute URLs of sitemap.xml start with it.
    #[arg(long, value_name = "URL", default_value = "http://localhost:8000/")]
    site_url: String,

    /// Render every page again, even those whose inputs did not change since the last build.
    #[arg(long)]
    force: bool,

    #[command(flatten)]
    pub global: super::GlobalArgs,
}

pub fn run(ctx: &Context, args: &BuildArgs) -> Result<i32, Error> {
    let selection = ctx.selection(&args.release.release)?;
    let langs = ctx
        .languages(&args.lang)?
        .unwrap_or_else(|| vec![crate::languages::Lang::ENGLISH]);
    let renderer = ctx.renderer()?;
    if !(args.site_url.starts_with("https://") || args.site_url.starts_with("http://")) {
        return Err(Error::usage(format!(
            "--site-url {}: not an http(s) URL",
            crate::escape::untrusted_line(&args.site_url)
        ))
        .with_help("the sitemap's URLs are absolute: give where the site is served, e.g. https://docs.example.com/"));
    }
    let options = crate::site::SiteOptions {
        site_url: args.site_url.clone(),
        incremental: !args.force,
    };
    let r = crate::site::build_site(&renderer, &selection, &langs, &args.out, &options)?;
    let (tail, code) = super::report_errors(&r.errors);
    let secs = r.elapsed.as_secs_f64();
    eprintln!(
        "built {} pages ({} unchanged, reused), {} redirects and {} assets into {} in {secs:.2}s ({:.0} pages/s){}",
        r.pages,
        r.reused,
        r.redirects,
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
