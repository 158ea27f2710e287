//! `docgate build`: the docs as a static site that works offline and from
//! `file://`. Every page × version × language becomes
//! `OUT/<lang>[/<version>]/<path>/index.html` (the reference's permalinks; fpt
//! has no version segment) in a page shell with version and language pickers.
//! Links between built pages are relative and end in `index.html`; a link to a
//! page the build does not include goes to docs.github.com. The site is built
//! in a temporary folder next to `OUT` and swapped in at the end, so a failed
//! build never leaves half a site.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::corpus::Page;
use crate::error::Error;
use crate::escape::html as escape;
use crate::languages::Lang;
use crate::render::Renderer;
use crate::render::output::{Format, format_page};
use crate::render::text::{DEFAULT_BASE_URL, TextOptions};
use crate::versions::{Version, VersionSelection};

/// The file that marks a folder as a site docgate built: only such a folder
/// (or an empty one) is replaced by the next build.
const MARKER: &str = ".docgate-site";

/// The site's stylesheet, written as `OUT/docgate.css`.
const CSS: &str = include_str!("site.css");

/// What a site build did.
#[derive(Clone, Debug)]
pub struct SiteReport {
    /// Pages written (page × version × language).
    pub pages: usize,
    /// Files copied from `assets/`.
    pub assets: usize,
    /// One line per page that failed (the others are still written).
    pub errors: Vec<String>,
    /// The site's first page to open: the home page of the first language and
    /// version built (`en/enterprise-server@3.14/index.html`), relative to OUT.
    pub home: Option<String>,
    /// How long the build took.
    pub elapsed: Duration,
}

/// Builds the site of `renderer`'s tree for `selection` and `langs` into `out`.
pub fn build_site(
    renderer: &Renderer,
    selection: &VersionSelection,
    langs: &[Lang],
    out: &Path,
) -> Result<SiteReport, Error> {
    let start = Instant::now();
    // Checked before any work: the build replaces OUT whole.
    refuse_foreign(out)?;
    let corpus = renderer.corpus();
    let mut errors = Vec::new();
    let (_, jobs) = super::page_jobs(corpus, selection, langs, &mut errors)?;
    let built: HashSet<String> = jobs.iter().map(|(p, v, l)| p.permalink(*v, *l)).collect();
    let home = jobs
        .iter()
        .find(|(p, _, _)| p.path == "index.md")
        .or(jobs.first())
        .map(|(p, v, l)| format!("{}/index.html", p.permalink(*v, *l).trim_start_matches('/')));
    // Build next to OUT, then swap: a failed build leaves OUT as it was.
    let staging = sibling(out, "building")?;
    let _ = std::fs::remove_dir_all(&staging);
    let dir = crate::files::OutputDir::open(&staging)?;
    let progress = crate::progress::bar(jobs.len() as u64, "pages", "building");
    let results: Vec<Result<(), String>> = jobs
        .par_iter()
        .map(|(page, v, lang)| {
            progress.inc(1);
            let rendered = renderer.render_page(page, *v, *lang).map_err(|e| e.one_line())?;
            let article =
                format_page(renderer, &rendered, Format::Html, TextOptions::default()).map_err(|e| e.one_line())?;
            let html = shell(
                page,
                *v,
                *lang,
                &rendered.title,
                &article,
                langs,
                &built,
                corpus.releases(),
            );
            let permalink = page.permalink(*v, *lang);
            let html = relative_links(&html, &permalink, &built);
            dir.write(
                &format!("{}/index.html", permalink.trim_start_matches('/')),
                html.as_bytes(),
            )
            .map(|_| ())
            .map_err(|e| format!("{}: {}", page.file, e.one_line()))
        })
        .collect();
    progress.finish_and_clear();
    dir.write("docgate.css", CSS.as_bytes())?;
    dir.write(
        MARKER,
        b"A site built by docgate: the next `docgate build` replaces this folder.\n",
    )?;
    let mut assets = 0;
    for rel in corpus.source().list("assets", "")? {
        if let Some(bytes) = corpus.source().read_bytes(&rel)? {
            dir.write(&rel, &bytes)?;
            assets += 1;
        }
    }
    let written = results.iter().filter(|r| r.is_ok()).count();
    errors.extend(results.into_iter().filter_map(Result::err));
    swap_in(&staging, out)?;
    Ok(SiteReport {
        pages: written,
        assets,
        errors,
        home,
        elapsed: start.elapsed(),
    })
}

/// `OUT` with a suffix, in the same folder (a rename stays on one file system).
fn sibling(out: &Path, what: &str) -> Result<PathBuf, Error> {
    let name = out
        .file_name()
        .ok_or_else(|| Error::usage(format!("--out {} names no folder", out.display())))?;
    Ok(out.with_file_name(format!(".{}.{what}-{}", name.to_string_lossy(), std::process::id())))
}

/// A build replaces `out` whole, so `out` must be new, an empty folder, or a
/// site docgate built (it has [`MARKER`]); anything else is refused untouched.
fn refuse_foreign(out: &Path) -> Result<(), Error> {
    let shown = crate::escape::untrusted_line(&out.display().to_string());
    let meta = match std::fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(out.display(), e)),
    };
    if !meta.is_dir() {
        return Err(Error::usage(format!("--out {shown} is not a folder"))
            .with_help("a site is a folder: choose a new or empty one"));
    }
    let empty = std::fs::read_dir(out)
        .map_err(|e| Error::io(out.display(), e))?
        .next()
        .is_none();
    if !empty && !out.join(MARKER).is_file() {
        return Err(Error::usage(format!(
            "--out {shown} holds files docgate did not build, and a build replaces the whole folder"
        ))
        .with_help("choose a new or empty folder (or remove this one yourself)"));
    }
    Ok(())
}

/// Replaces `out` with the finished `staging` folder.
fn swap_in(staging: &Path, out: &Path) -> Result<(), Error> {
    let old = sibling(out, "old")?;
    if out.exists() {
        std::fs::rename(out, &old).map_err(|e| Error::io(out.display(), e))?;
    }
    std::fs::rename(staging, out).map_err(|e| Error::io(out.display(), e))?;
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// The page shell around the rendered `<article>`.
#[allow(clippy::too_many_arguments)]
fn shell(
    page: &Page,
    version: Version,
    lang: Lang,
    title: &str,
    article: &str,
    langs: &[Lang],
    built: &HashSet<String>,
    table: &crate::versions::ReleaseTable,
) -> String {
    // The versions of this page in this language, and its languages in this version.
    let mut versions: BTreeMap<Version, String> = BTreeMap::new();
    for v in &page.versions {
        let p = page.permalink(*v, lang);
        if built.contains(&p) {
            versions.insert(*v, p);
        }
    }
    let version_picker: String = versions
        .iter()
        .map(|(v, p)| {
            let name = match v.release() {
                Some(r) => format!("GHES {r}"),
                None => v.plan().title().to_string(),
            };
            let current = if *v == version { " aria-current=\"page\"" } else { "" };
            format!("<li><a href=\"{}\"{current}>{}</a></li>", escape(p), escape(&name))
        })
        .collect();
    let lang_picker: String = langs
        .iter()
        .filter_map(|l| {
            let p = page.permalink(version, *l);
            built.contains(&p).then(|| {
                let current = if *l == lang { " aria-current=\"page\"" } else { "" };
                format!(
                    "<li><a href=\"{}\"{current}>{}</a></li>",
                    escape(&p),
                    escape(l.native_name())
                )
            })
        })
        .collect();
    let banner = match version.release().and_then(|r| table.deprecation_note(r)) {
        Some(note) => format!("<p class=\"banner\">{}</p>", escape(&note)),
        None => String::new(),
    };
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} - GitHub Docs</title>\n<link rel=\"stylesheet\" href=\"/docgate.css\">\n</head>\n<body>\n\
         <header><nav class=\"pickers\"><details><summary>Version</summary><ul>{version_picker}</ul></details>\
         <details><summary>Language</summary><ul>{lang_picker}</ul></details></nav></header>\n\
         {banner}<main>\n{article}</main>\n</body>\n</html>\n",
        lang = lang.code(),
        title = escape(title),
    )
}

static LINK: LazyLock<regex::Regex> = LazyLock::new(|| regex::Regex::new(r#"(href|src)="(/[^"]*)""#).expect("valid"));

/// Rewrites `href="/…"` and `src="/…"` of a page at `permalink`: a built page
/// becomes a relative `…/index.html`, a file of the site (assets, the
/// stylesheet) a relative path, anything else a docs.github.com URL.
fn relative_links(html: &str, permalink: &str, built: &HashSet<String>) -> String {
    let depth = permalink.trim_matches('/').split('/').count();
    let up = "../".repeat(depth);
    LINK.replace_all(html, |c: &regex::Captures<'_>| {
        let (attr, target) = (&c[1], &c[2]);
        let split = target.find(['#', '?']).unwrap_or(target.len());
        let (path, rest) = target.split_at(split);
        let path = path.trim_end_matches('/');
        let new = if path.starts_with("/assets/") || path == "/docgate.css" {
            format!("{up}{}{rest}", path.trim_start_matches('/'))
        } else if built.contains(path) {
            format!("{up}{}/index.html{rest}", path.trim_start_matches('/'))
        } else if path.is_empty() && rest.starts_with('#') {
            rest.to_string()
        } else {
            format!("{DEFAULT_BASE_URL}{target}")
        };
        format!("{attr}=\"{new}\"")
    })
    .into_owned()
}
