//! The static build: every page × selected version × language rendered into
//! a folder, in parallel, with what failed reported and the rest written.
//! (`docgate render --all`; the command line prints the [`BuildReport`].)

mod highlight;
mod pages;
#[cfg(feature = "serve")]
pub mod serve;
mod shell;

pub use highlight::highlight_blocks;
pub use pages::{SiteOptions, SiteReport, build_site};
pub use shell::{PageOut, SearchRecord, Site, plain_text, relative_url};

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::corpus::Page;
use crate::error::Error;
use crate::languages::Lang;
use crate::render::Renderer;
use crate::render::output::{Format, format_page};
use crate::render::text::TextOptions;
use crate::versions::{Version, VersionSelection};

/// The file extension of a format's pages.
pub fn extension(format: Format) -> &'static str {
    match format {
        Format::Html => "html",
        Format::Markdown | Format::Liquid => "md",
        Format::Text => "txt",
        Format::Json => "json",
    }
}

/// What a build did.
#[derive(Clone, Debug)]
pub struct BuildReport {
    /// Page versions written.
    pub written: usize,
    /// Pages of the tree.
    pub pages: usize,
    /// Versions rendered.
    pub versions: usize,
    /// Languages rendered.
    pub languages: usize,
    /// One line per page that failed, or file the tree's walk skipped.
    pub errors: Vec<String>,
    /// How long the build took.
    pub elapsed: Duration,
}

pub use crate::render::{Job, per_page};

/// The pages of the tree (a page that cannot be read goes to `errors`) and
/// every page × selected version × language of them.
pub fn page_jobs(
    corpus: &crate::corpus::Corpus,
    selection: &VersionSelection,
    langs: &[Lang],
    errors: &mut Vec<String>,
) -> Result<(Vec<Arc<Page>>, Vec<Job>), Error> {
    let mut pages: Vec<Arc<Page>> = Vec::new();
    for path in corpus.page_paths()? {
        match corpus.page(path) {
            Ok(Some(p)) => pages.push(p),
            Ok(None) => {}
            Err(e) => errors.push(e.one_line()),
        }
    }
    let jobs = pages
        .iter()
        .flat_map(|p| {
            corpus
                .releases()
                .select(selection, &p.versions)
                .into_iter()
                .flat_map(move |v| langs.iter().map(move |l| (p.clone(), v, *l)))
        })
        .collect();
    Ok((pages, jobs))
}

/// Renders every page of `renderer`'s tree for `selection` and `langs` into
/// `out`: `OUT/<content path>.<ext>`, under `OUT/<version>/` when several
/// versions and `OUT/<lang>/` when several languages. `jobs` threads (default:
/// one per core). A page that fails is reported and the others still written.
pub fn build(
    renderer: Renderer,
    selection: &VersionSelection,
    langs: &[Lang],
    format: Format,
    out: &Path,
    jobs: Option<usize>,
) -> Result<BuildReport, Error> {
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(crate::render::WORKER_STACK);
    if let Some(n) = jobs {
        pool = pool.num_threads(n.max(1));
    }
    let pool = pool
        .build()
        .map_err(|e| Error::usage(format!("cannot start {jobs:?} render threads: {e}")))?;
    pool.install(|| build_here(renderer, selection, langs, format, out))
}

fn build_here(
    renderer: Renderer,
    selection: &VersionSelection,
    langs: &[Lang],
    format: Format,
    out: &Path,
) -> Result<BuildReport, Error> {
    let start = Instant::now();
    let mut errors: Vec<String> = Vec::new();
    let out_dir = crate::files::OutputDir::open(out)?;
    let corpus = renderer.corpus().clone();
    let (pages, jobs) = page_jobs(&corpus, selection, langs, &mut errors)?;
    let versions: std::collections::BTreeSet<Version> = jobs.iter().map(|(_, v, _)| *v).collect();
    let nested = versions.len() > 1;
    let by_lang = langs.len() > 1;
    let progress = crate::progress::bar(jobs.len() as u64, "pages", "rendering");
    let results: Vec<Result<(), String>> = per_page(&renderer, &jobs, |_, (page, v, lang)| {
        progress.inc(1);
        let rendered = renderer.render_page(page, *v, *lang).map_err(|e| e.one_line())?;
        let text = format_page(&renderer, &rendered, format, TextOptions::default()).map_err(|e| e.one_line())?;
        let rel = format!("{}.{}", page.path.trim_end_matches(".md"), extension(format));
        let rel = if nested { format!("{v}/{rel}") } else { rel };
        let rel = if by_lang { format!("{}/{rel}", lang.code()) } else { rel };
        out_dir
            .write(&rel, text.as_bytes())
            .map(|_| ())
            .map_err(|e| format!("{}: {}", page.file, e.one_line()))
    });
    progress.finish_and_clear();
    let written = results.iter().filter(|r| r.is_ok()).count();
    errors.extend(results.into_iter().filter_map(Result::err));
    // What the walks skipped (symlinks, special files, unreadable folders) is not
    // silently lost; read now, after every walk (pages, features, data) has run.
    for s in renderer.corpus().source().skipped() {
        errors.push(format!(
            "{}: skipped: {}",
            crate::escape::untrusted_line(&s.path),
            s.reason
        ));
    }
    Ok(BuildReport {
        written,
        pages: pages.len(),
        versions: versions.len(),
        languages: langs.len(),
        errors,
        elapsed: start.elapsed(),
    })
}
