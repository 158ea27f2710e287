//! Rendering throughput and latency on the bundled corpus.
//!
//! `cargo bench --bench render` reports:
//! - `all_renders_*`: every page × released version × language, Liquid only and
//!   Liquid + HTML, warm (templates parsed once), one thread and all threads;
//!   divan shows the throughput as items (renders) per second;
//! - `cold_in_process`: open the corpus, parse and render one page, no caches;
//! - `cold_cli`: the installed binary rendering the Korean seed for 3.5.

use std::sync::Arc;

use divan::Bencher;
use divan::counter::ItemsCount;
use docgate::corpus::{Corpus, Page};
use docgate::languages::Lang;
use docgate::render::Renderer;
use docgate::versions::Version;
use rayon::prelude::*;

const ARTICLE: &str =
    "admin/configuration/configuring-github-connect/enabling-automatic-user-license-sync-for-your-enterprise";

fn main() {
    divan::main();
}

fn today() -> jiff::civil::Date {
    "2026-11-23".parse().unwrap()
}

/// Every (page, version, language) the bundled corpus renders by default.
fn jobs(corpus: &Corpus) -> Vec<(Arc<Page>, Version, Lang)> {
    let mut out = Vec::new();
    for path in corpus.page_paths().unwrap() {
        let page = corpus.page(path).unwrap().unwrap();
        for v in corpus.released_versions(&page) {
            for lang in Lang::all() {
                out.push((page.clone(), v, lang));
            }
        }
    }
    out
}

fn warm() -> (Renderer, Vec<(Arc<Page>, Version, Lang)>) {
    let corpus = Corpus::bundled(today()).unwrap();
    let renderer = Renderer::new(corpus.clone()).unwrap();
    let jobs = jobs(&corpus);
    for (p, v, l) in &jobs {
        let r = renderer.render_page(p, *v, *l).unwrap();
        renderer.body_html(&r).unwrap();
    }
    (renderer, jobs)
}

#[divan::bench(sample_count = 10)]
fn all_renders_liquid_one_thread(b: Bencher) {
    let (renderer, jobs) = warm();
    b.counter(ItemsCount::new(jobs.len())).bench(|| {
        for (p, v, l) in &jobs {
            divan::black_box(renderer.render_page(p, *v, *l).unwrap());
        }
    });
}

#[divan::bench(sample_count = 10)]
fn all_renders_html_one_thread(b: Bencher) {
    let (renderer, jobs) = warm();
    b.counter(ItemsCount::new(jobs.len())).bench(|| {
        for (p, v, l) in &jobs {
            let r = renderer.render_page(p, *v, *l).unwrap();
            divan::black_box(renderer.body_html(&r).unwrap());
        }
    });
}

#[divan::bench(sample_count = 10)]
fn all_renders_html_all_threads(b: Bencher) {
    let (renderer, jobs) = warm();
    b.counter(ItemsCount::new(jobs.len())).bench(|| {
        jobs.par_iter().for_each(|(p, v, l)| {
            let r = renderer.render_page(p, *v, *l).unwrap();
            divan::black_box(renderer.body_html(&r).unwrap());
        });
    });
}

#[divan::bench(sample_count = 20)]
fn cold_in_process() {
    let corpus = Corpus::bundled(today()).unwrap();
    let renderer = Renderer::new(corpus.clone()).unwrap();
    let page = corpus.find_page(ARTICLE).unwrap().page;
    let v = corpus.releases().parse_version("3.5").unwrap();
    let r = renderer.render_page(&page, v, Lang::find("ko").unwrap()).unwrap();
    divan::black_box(renderer.body_html(&r).unwrap());
}

#[divan::bench(sample_count = 20)]
fn cold_cli() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_docgate"))
        .args([
            "render",
            &format!("/ko/enterprise-server@3.5/{ARTICLE}"),
            "--format",
            "html",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
}
