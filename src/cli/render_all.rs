//! `docgate render --all`: every page × selected version into a folder, in
//! parallel, with a summary of speed and errors.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use crate::corpus::Page;
use crate::error::Error;
use crate::languages::Lang;
use crate::render::Renderer;
use crate::render::output::{Format, format_page};
use crate::render::text::TextOptions;
use crate::versions::{Version, VersionSelection};

fn extension(format: Format) -> &'static str {
    match format {
        Format::Html => "html",
        Format::Markdown | Format::Liquid => "md",
        Format::Text => "txt",
        Format::Json => "json",
    }
}

pub fn run(
    renderer: Renderer,
    selection: &VersionSelection,
    langs: &[Lang],
    format: Format,
    out: &Path,
    jobs: Option<usize>,
    trust_html: bool,
) -> Result<i32, Error> {
    let mut pool = rayon::ThreadPoolBuilder::new().stack_size(crate::render::WORKER_STACK);
    if let Some(n) = jobs {
        pool = pool.num_threads(n.max(1));
    }
    let pool = pool
        .build()
        .map_err(|e| Error::usage(format!("cannot start {jobs:?} render threads: {e}")))?;
    pool.install(|| render_into(renderer, selection, langs, format, out, trust_html))
}

fn render_into(
    renderer: Renderer,
    selection: &VersionSelection,
    langs: &[Lang],
    format: Format,
    out: &Path,
    trust_html: bool,
) -> Result<i32, Error> {
    let start = Instant::now();
    let mut errors: Vec<String> = Vec::new();
    let out_dir = crate::files::OutputDir::open(out)?;
    let corpus = renderer.corpus().clone();
    let mut pages: Vec<Arc<Page>> = Vec::new();
    for path in corpus.page_paths()? {
        match corpus.page(path) {
            Ok(Some(p)) => pages.push(p),
            Ok(None) => {}
            Err(e) => errors.push(e.one_line()),
        }
    }
    let jobs: Vec<(Arc<Page>, Version, Lang)> = pages
        .iter()
        .flat_map(|p| {
            corpus
                .releases()
                .select(selection, &p.versions)
                .into_iter()
                .flat_map(move |v| langs.iter().map(move |l| (p.clone(), v, *l)))
        })
        .collect();
    let versions: std::collections::BTreeSet<Version> = jobs.iter().map(|(_, v, _)| *v).collect();
    let nested = versions.len() > 1;
    let by_lang = langs.len() > 1;
    renderer.set_trust_html(trust_html);
    let progress = crate::progress::bar(jobs.len() as u64, "pages", "rendering");
    let results: Vec<Result<(), String>> = jobs
        .par_iter()
        .map(|(page, v, lang)| {
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
        })
        .collect();
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
    let secs = start.elapsed().as_secs_f64();
    for e in &errors {
        eprintln!("error: {e}");
    }
    eprintln!(
        "rendered {written} page versions ({} pages × {} versions{}) into {} in {secs:.2}s ({:.0} pages/s){}",
        pages.len(),
        versions.len(),
        if by_lang {
            format!(" × {} languages", langs.len())
        } else {
            String::new()
        },
        out.display(),
        written as f64 / secs.max(1e-9),
        if errors.is_empty() {
            String::new()
        } else {
            format!("; {} errors", errors.len())
        }
    );
    Ok(if errors.is_empty() { 0 } else { 2 })
}
