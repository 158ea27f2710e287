//! `docgate check` on a generated tree of 5,000 pages (examples/gen_tree.rs):
//! redirects, links (every page × version) and lint, as the CLI runs them.
//!
//! `cargo bench --bench check`

use std::path::Path;
use std::sync::LazyLock;

use docgate::corpus::{Corpus, Source};
use docgate::redirects::RedirectMap;
use docgate::render::Renderer;
use docgate::versions::VersionSelection;

#[path = "../examples/gen_tree.rs"]
mod gen_tree;

const PAGES: usize = 5000;

static TREE: LazyLock<tempfile::TempDir> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("temp dir");
    gen_tree::generate(dir.path(), PAGES).expect("generate the tree");
    dir
});

fn main() {
    LazyLock::force(&TREE);
    divan::main();
}

fn open(root: &Path) -> (Corpus, Renderer) {
    let corpus = Corpus::open(Source::disk(root).unwrap(), "2026-11-23".parse().unwrap()).unwrap();
    let renderer = Renderer::new(corpus.clone()).unwrap();
    (corpus, renderer)
}

/// All three checks, cold (a new corpus each time), as `docgate check` does.
#[divan::bench(sample_count = 3)]
fn check_all_5000_pages() {
    let (corpus, renderer) = open(TREE.path());
    let map = RedirectMap::build(&corpus).unwrap();
    let all_langs: Vec<docgate::languages::Lang> = docgate::languages::Lang::all().collect();
    let cx = docgate::check::CheckContext {
        corpus: &corpus,
        renderer: &renderer,
        redirects: &map,
        versions: &VersionSelection::Released,
        langs: &all_langs,
    };
    // Links and lint share one pass over the pages, as in the CLI.
    let checks: [&dyn docgate::check::Check; 2] = [&docgate::links::CHECK, &docgate::lint::CHECK];
    let found = docgate::check::run(&checks, &cx).unwrap();
    let n = map.findings().len() + found.iter().map(Vec::len).sum::<usize>();
    assert_eq!(n, 0, "the generated tree is clean");
}

#[divan::bench(sample_count = 3)]
fn redirect_map_5000_pages() {
    let (corpus, _) = open(TREE.path());
    divan::black_box(RedirectMap::build(&corpus).unwrap());
}
