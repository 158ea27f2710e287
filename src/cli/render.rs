//! `docgate render`.

use std::io::Write;

use clap::Args;

use super::Context;
use crate::error::Error;
use crate::languages::Lang;
use crate::render::output::{Format, format_page};
use crate::render::text::TextOptions;
use crate::versions::Version;

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The page: a content path without `.md` (admin/configuration/…/page), a
    /// permalink (/ko/enterprise-server@3.5/admin/…), or any old `redirect_from` path.
    #[arg(required_unless_present_any = ["list", "all"], conflicts_with = "all")]
    page: Option<String>,

    /// For one page: one version (default: the permalink's, else the latest GHES release
    /// the page has). With --all: any list (default: all).
    #[command(flatten)]
    release: super::ReleaseArgs,

    /// For one page: one language (default: the permalink's, else en). With --all: any
    /// list, each into OUT/<lang>/ when several.
    #[command(flatten)]
    lang: super::LangArgs,

    /// Output format: html; markdown (as docs.github.com serves it: AUTOTITLE resolved, links
    /// rewritten for the version and language); liquid (after Liquid only, links as written);
    /// text (wrapped for the terminal); json.
    #[arg(long, short = 'f', default_value = "text", value_parser = ["html", "markdown", "liquid", "text", "json"])]
    format: String,

    /// Wrap width for text output, 20 or more (default: the terminal's, else `COLUMNS`, else 80).
    #[arg(long, value_name = "COLUMNS", value_parser = parse_width)]
    width: Option<usize>,

    /// Text output: make links clickable (OSC 8) instead of printing their
    /// targets; `auto` does on terminals that support it.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = super::ColorChoice::Auto)]
    hyperlinks: super::ColorChoice,

    /// Text output: the site that `/en/…` links belong to, to print them as
    /// absolute URLs (hyperlinks use https://docs.github.com when not given).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,

    /// List the pages of the tree and the versions they exist in, instead of rendering.
    #[arg(long, conflicts_with_all = ["release", "lang", "all"])]
    list: bool,

    /// Render every page of the tree for the selected versions into --out.
    #[arg(long, requires = "out")]
    all: bool,

    /// Where to write instead of stdout. One page: this file. With --all: this
    /// folder (one version: OUT/<content path>.<ext>; several:
    /// OUT/<version>/<content path>.<ext>).
    #[arg(long, short = 'o', value_name = "PATH")]
    out: Option<std::path::PathBuf>,

    /// Keep raw HTML from the tree as written in html and json output. By default
    /// it is sanitised (no script, event handlers or javascript: links): use this
    /// only for trees you trust.
    #[arg(long)]
    trust_html: bool,

    /// With --all: how many threads render (default: one per core).
    #[arg(long, short = 'j', value_name = "N", requires = "all")]
    jobs: Option<usize>,

    #[command(flatten)]
    pub global: super::GlobalArgs,
}

pub fn run(ctx: &Context, args: RenderArgs) -> Result<i32, Error> {
    if let Some(base) = &args.base_url
        && (!(base.starts_with("https://") || base.starts_with("http://"))
            || base.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"'))
    {
        return Err(Error::usage(format!(
            "--base-url `{}` is not a URL",
            crate::escape::untrusted_line(base)
        ))
        .with_help("give the site's address, e.g. --base-url https://docs.github.com"));
    }
    let corpus = ctx.corpus()?;
    if args.list {
        return list(&corpus, args.format == "json");
    }
    let format: Format = args.format.parse().map_err(Error::usage)?;
    if args.all {
        let out = args.out.as_deref().expect("clap requires --out with --all");
        let langs = ctx.languages(&args.lang)?.unwrap_or_else(|| vec![Lang::ENGLISH]);
        let selection = ctx.selection(&args.release.release)?;
        return super::render_all::run(
            ctx.renderer()?,
            &selection,
            &langs,
            format,
            out,
            args.jobs,
            args.trust_html,
        );
    }
    if args.release.release.len() > 1 {
        return Err(Error::usage("several --release values need --all"));
    }
    let spec = args.page.as_deref().unwrap_or_default();
    let found = corpus.find_page(spec)?;
    let page = found.page.clone();
    let mut version_note = None;
    let version = match (args.release.release.first(), found.version) {
        // The flag says what the user wants now: it wins over the link's version, with a note.
        (Some(v), Some(from_link)) => {
            let v = corpus.releases().parse_version(v)?;
            if v != from_link {
                version_note = Some(format!(
                    "note: rendering {v} (--release), not {from_link} (the version in the link)"
                ));
            }
            v
        }
        (Some(v), None) => corpus.releases().parse_version(v)?,
        (None, Some(v)) => v,
        (None, None) => match &ctx.config()?.release {
            // The tree's default release, when the page has it.
            Some(default) => match corpus.releases().parse_version(&default.value) {
                Ok(v) if page.applies_to(v) => v,
                Ok(_) => default_version(&corpus, &page.versions),
                Err(e) => {
                    return Err(Error::at(
                        default.location.clone(),
                        format!("[defaults] release: {}", e.message()),
                    ));
                }
            },
            None => default_version(&corpus, &page.versions),
        },
    };
    let lang = match (args.lang.one("rendering one page")?, found.lang) {
        (Some(l), _) => l,
        (None, Some(l)) => l,
        (None, None) => Lang::ENGLISH,
    };
    let renderer = ctx.renderer()?;
    renderer.set_trust_html(args.trust_html);
    let rendered = renderer.render_page(&page, version, lang)?;
    let width = args.width.unwrap_or_else(terminal_width);
    let out = format_page(
        &renderer,
        &rendered,
        format,
        TextOptions {
            width,
            // A file gets plain text unless colour is asked for.
            color: format == Format::Text
                && if args.out.is_some() {
                    ctx.color == super::ColorChoice::Always
                } else {
                    ctx.color.enabled()
                },
            hyperlinks: format == Format::Text
                && if args.out.is_some() {
                    args.hyperlinks == super::ColorChoice::Always
                } else {
                    args.hyperlinks.hyperlinks_enabled()
                },
            base_url: args.base_url.clone(),
            // The page's language decides (format_page).
            keep_all: false,
            plain: false,
        },
    )?;
    // Notes quote the tree: written through `untrusted_line`, never raw.
    let mut stderr = crate::escape::LineWriter(std::io::stderr().lock());
    if let Some(from) = &found.redirected_from {
        let _ = writeln!(stderr, "note: {from} redirects to {}", rendered.permalink);
    }
    if let Some(n) = &version_note {
        let _ = writeln!(stderr, "{n}");
    }
    if let Some(n) = version
        .release()
        .and_then(|r| renderer.corpus().releases().deprecation_note(r))
    {
        let _ = writeln!(stderr, "note: {n}");
    }
    if rendered.translation == crate::render::TranslationStatus::Missing {
        let _ = writeln!(
            stderr,
            "note: this page has no {} translation; showing English",
            lang.name()
        );
    }
    for f in &rendered.fallbacks {
        let _ = writeln!(
            stderr,
            "warning: {} of {} fell back to English: {}",
            f.property.key(),
            lang.code(),
            f.error.one_line()
        );
    }
    for sup in &rendered.supplements {
        let _ = writeln!(
            stderr,
            "note: the {} translation has no `{}` block; its English text was added to section {}",
            lang.code(),
            sup.condition,
            sup.section
        );
    }
    for w in &rendered.warnings {
        let _ = writeln!(
            stderr,
            "warning: {}{}",
            w.location.as_deref().map(|l| format!("{l}: ")).unwrap_or_default(),
            w.message
        );
    }
    if let Some(file) = &args.out {
        // One page, one file: written whole or not at all.
        if file.is_dir() {
            return Err(Error::usage(format!(
                "--out {} is a folder: one page is written to a file (a folder takes --all)",
                crate::escape::untrusted_line(&file.display().to_string())
            )));
        }
        crate::files::write_atomically(file, out.as_bytes())?;
        let _ = writeln!(stderr, "wrote {}", file.display());
        return Ok(0);
    }
    // Text from the tree reaches a terminal: control characters are escaped
    // (the text format escapes the page before adding its own colours).
    let out = if format == Format::Text {
        out
    } else {
        crate::escape::untrusted(&out)
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        .or_else(|e| {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                Ok(())
            } else {
                Err(Error::io("stdout", e))
            }
        })?;
    Ok(0)
}

/// The latest supported GHES release when the page has it, else its first version.
fn default_version(corpus: &crate::corpus::Corpus, versions: &[Version]) -> Version {
    let latest = Version::Ghes(corpus.releases().latest());
    if versions.contains(&latest) {
        latest
    } else {
        versions[0]
    }
}

/// The width to wrap terminal text at: the terminal's (when stdout is one),
/// else `COLUMNS`, else 80; at least 20.
pub(crate) fn terminal_width() -> usize {
    let real = terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0));
    real.or_else(|| std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()))
        .filter(|w| *w >= 20)
        .unwrap_or(80)
}

/// `--width`: 20 columns or more.
pub(crate) fn parse_width(s: &str) -> Result<usize, String> {
    let w: usize = s.parse().map_err(|_| format!("`{s}` is not a number of columns"))?;
    if w < 20 {
        return Err(format!("{w} columns is too narrow to wrap text (use 20 or more)"));
    }
    Ok(w)
}

/// One line per page; a page that does not load is listed with its error, and
/// the exit code is 2 if any did not.
fn list(corpus: &crate::corpus::Corpus, json: bool) -> Result<i32, Error> {
    let mut out = String::new();
    let mut rows = Vec::new();
    let mut failed = 0;
    for path in corpus.page_paths()? {
        let name = path.trim_end_matches(".md");
        match corpus.page(path) {
            Ok(Some(page)) => {
                out.push_str(&format!("{name:<100} {}\n", crate::versions::summarize(&page.versions)));
                rows.push(serde_json::json!({
                    "path": name,
                    "title": page.frontmatter.title,
                    "versions": page.versions.iter().map(ToString::to_string).collect::<Vec<_>>(),
                }));
            }
            Ok(None) => {}
            Err(e) => {
                failed += 1;
                eprintln!("error: {}", e.one_line());
            }
        }
    }
    if json {
        super::print_json(serde_json::json!({ "pages": rows }))?;
    } else {
        print!("{out}");
    }
    if failed > 0 {
        eprintln!("{failed} page(s) could not be read");
        return Ok(2);
    }
    Ok(0)
}
