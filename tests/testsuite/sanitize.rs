//! The sanitiser's fast path (HTML already inside the allow-list is
//! re-serialised without a parse) against ammonia, on every page of the
//! bundled corpus, both real-world corpora and a generated tree: it must write
//! exactly what ammonia writes, and take most real pages.

use std::path::Path;

use docgate::corpus::{Corpus, Source};
use docgate::languages::Lang;
use docgate::render::Renderer;
use docgate::render::sanitize::{fast_path, slow_path};

#[path = "../../examples/gen_tree.rs"]
#[allow(dead_code)]
mod gen_tree;

/// Renders every page of `corpus` in its released versions (at most
/// `max_versions` each) and languages, with the tree's HTML trusted so the
/// unsanitised body reaches the comparison. Returns (pages, fast-path hits).
fn compare(corpus: Corpus, langs: &[Lang], max_versions: usize) -> (usize, usize) {
    let renderer = Renderer::new(corpus.clone()).unwrap();
    renderer.set_trust_html(true);
    let (mut pages, mut hits) = (0, 0);
    for path in corpus.page_paths().unwrap() {
        let Ok(Some(page)) = corpus.page(path) else { continue };
        for v in corpus.released_versions(&page).into_iter().take(max_versions) {
            for &lang in langs {
                let Ok(rendered) = renderer.render_page(&page, v, lang) else {
                    continue;
                };
                let html = renderer.body_html(&rendered).unwrap().html;
                pages += 1;
                if let Some(fast) = fast_path(&html) {
                    hits += 1;
                    assert_eq!(
                        fast,
                        slow_path(&html),
                        "{path} {v} {lang}: the fast path differs from ammonia"
                    );
                }
            }
        }
    }
    eprintln!("{pages} pages, {hits} through the fast path");
    (pages, hits)
}

fn shared(name: &str) -> Option<std::path::PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(name);
    p.is_dir().then_some(p)
}

#[test]
fn bundled_corpus() {
    let corpus = Corpus::bundled(crate::common::today()).unwrap();
    let (pages, hits) = compare(corpus, &Lang::all().collect::<Vec<_>>(), 3);
    assert!(pages > 100, "{pages}");
    assert!(hits * 10 >= pages * 9, "the fast path took {hits} of {pages} pages");
}

#[test]
fn real_world_corpora() {
    if let Some(dir) = shared("github-docs-2026") {
        let corpus = Corpus::open(Source::disk(&dir).unwrap(), "2026-11-23".parse().unwrap()).unwrap();
        let (pages, hits) = compare(corpus, &[Lang::ENGLISH], 2);
        assert!(hits * 10 >= pages * 8, "the fast path took {hits} of {pages} pages");
    }
    if let Some(dir) = shared("github-docs-2021") {
        let corpus = Corpus::open(Source::disk(&dir).unwrap(), "2021-06-08".parse().unwrap()).unwrap();
        compare(corpus, &[Lang::ENGLISH], 2);
    }
}

#[test]
fn generated_tree() {
    let dir = tempfile::tempdir().unwrap();
    let mut params = gen_tree::Params::new(60);
    params.translations = vec!["ko-kr", "de-de"];
    gen_tree::generate_with(dir.path(), &params).unwrap();
    let corpus = Corpus::open(Source::disk(dir.path()).unwrap(), crate::common::today()).unwrap();
    let langs = [Lang::ENGLISH, Lang::find("ko").unwrap(), Lang::find("de").unwrap()];
    let (pages, hits) = compare(corpus, &langs, 6);
    assert!(hits * 10 >= pages * 9, "the fast path took {hits} of {pages} pages");
}
