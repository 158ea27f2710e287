//! The render pipeline's stages one at a time, on real GitHub Docs material
//! (`../shared/corpus/`), so a change to one stage shows in its own number.
//!
//! `cargo bench --bench stages` reports, as items per second:
//! - `liquid_parse`: the bodies of the 2021 tree's and the 2026 extract's pages;
//! - `ifversion`: every `ifversion`/`elsif` condition of the 2021 tree, parsed
//!   and evaluated for fpt, ghec and four GHES releases;
//! - `markdown_to_html`, `sanitize` and `slugify`: the 3,197 pages of the live
//!   site's Markdown (the HTML stage, the sanitiser on its output, heading ids);
//! - `repair`: the bundled translations mended against English.
//!
//! The whole pipeline at scale is `bench/run` (generated trees, the peer).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use docgate::corpus::Corpus;
use docgate::languages::Lang;
use docgate::render::liquid::Origin;
use docgate::render::markdown::{self, HtmlOptions};
use docgate::render::{Renderer, repair, sanitize, slug};
use docgate::versions::{Condition, Release, Version};

fn main() {
    divan::main();
}

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// Every `.md` file under `dir`, read (sorted, so runs compare).
fn markdown_files(dir: &Path) -> Vec<String> {
    markdown_files_paths(dir)
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// A page's body: the text after its frontmatter.
fn body(page: &str) -> &str {
    page.strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---\n").map(|i| &rest[i + 5..]))
        .unwrap_or(page)
}

fn source_pages() -> Vec<String> {
    let mut pages = markdown_files(&shared().join("github-docs-2021/content"));
    pages.extend(markdown_files(&shared().join("github-docs-2026/content")));
    pages.into_iter().map(|p| body(&p).to_string()).collect()
}

fn live_markdown() -> Vec<String> {
    markdown_files(&shared().join("docs-markdown-2026"))
}

fn renderer() -> Renderer {
    Renderer::new(Corpus::bundled("2026-11-23".parse().unwrap()).unwrap()).unwrap()
}

#[divan::bench(sample_count = 10)]
fn liquid_parse(b: Bencher) {
    let renderer = renderer();
    let pages = source_pages();
    let bytes: usize = pages.iter().map(String::len).sum();
    let origin = Origin {
        file: Arc::from("bench.md"),
        first_line: 1,
        first_column: 1,
        file_text: None,
    };
    b.counter(BytesCount::new(bytes)).bench(|| {
        for p in &pages {
            // Pages that use the reference's own templates fail; the time counts either way.
            let _ = divan::black_box(renderer.parse(p, origin.clone()));
        }
    });
}

#[divan::bench(sample_count = 10)]
fn ifversion(b: Bencher) {
    let re = regex::Regex::new(r"\{%-?\s*(?:ifversion|elsif)\s+(.*?)\s*-?%\}").unwrap();
    let conditions: Vec<String> = source_pages()
        .iter()
        .flat_map(|p| re.captures_iter(p).map(|c| c[1].to_string()).collect::<Vec<_>>())
        .collect();
    let versions = [
        Version::Fpt,
        Version::Ghec,
        Version::Ghes(Release::new(3, 4)),
        Version::Ghes(Release::new(3, 5)),
        Version::Ghes(Release::new(3, 14)),
        Version::Ghes(Release::new(3, 19)),
    ];
    b.counter(ItemsCount::new(conditions.len() * versions.len())).bench(|| {
        for c in &conditions {
            if let Ok(cond) = Condition::parse(c) {
                for v in versions {
                    divan::black_box(cond.eval(v, &|_| Some(false)));
                }
            }
        }
    });
}

#[divan::bench(sample_count = 10)]
fn markdown_to_html(b: Bencher) {
    let pages = live_markdown();
    b.counter(ItemsCount::new(pages.len())).bench(|| {
        for p in &pages {
            divan::black_box(markdown::to_html(p, &HtmlOptions::default()));
        }
    });
}

#[divan::bench(sample_count = 10)]
fn sanitize(b: Bencher) {
    let html: Vec<String> = live_markdown()
        .iter()
        .map(|p| markdown::to_html(p, &HtmlOptions::default()).html)
        .collect();
    b.counter(ItemsCount::new(html.len())).bench(|| {
        for h in &html {
            divan::black_box(sanitize::sanitize(h));
        }
    });
}

#[divan::bench(sample_count = 10)]
fn slugify(b: Bencher) {
    let headings: Vec<String> = live_markdown()
        .iter()
        .flat_map(|p| {
            p.lines()
                .filter_map(|l| l.strip_prefix("## ").or_else(|| l.strip_prefix("### ")))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    b.counter(ItemsCount::new(headings.len())).bench(|| {
        for h in &headings {
            divan::black_box(slug::slugify(h));
        }
    });
}

#[divan::bench(sample_count = 10)]
fn repair(b: Bencher) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pairs: Vec<(Lang, String, String)> = Vec::new();
    for english_path in markdown_files_paths(&root.join("content")) {
        let rel = english_path.strip_prefix(root.join("content")).unwrap();
        let english = std::fs::read_to_string(&english_path).unwrap();
        for lang in Lang::all().filter(|l| !l.is_english()) {
            let Some(dir) = lang.translation_root() else { continue };
            if let Ok(t) = std::fs::read_to_string(root.join(dir).join("content").join(rel)) {
                pairs.push((lang, body(&t).to_string(), body(&english).to_string()));
            }
        }
    }
    b.counter(ItemsCount::new(pairs.len())).bench(|| {
        for (lang, text, english) in &pairs {
            divan::black_box(repair::repair(*lang, text, english));
        }
    });
}

/// The paths of the `.md` files under `dir`, sorted.
fn markdown_files_paths(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}
