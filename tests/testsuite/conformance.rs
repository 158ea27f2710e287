//! Conformance on real GitHub Docs content: the 2021 github/docs tree in
//! `../shared/corpus/github-docs-2021` rendered like the reference engine.
//!
//! docgate's Liquid stage (the `liquid` format) is compared with the
//! reference engine's own output (`reference/liquid/<version>/<path>.html`) for
//! fpt and ghes@3.1, after normalising trailing spaces, runs of blank lines and
//! the content of `<svg>` elements (the octicons release differs). Pages that
//! `{% include %}` templates of the reference engine are left out.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use docgate::corpus::{Corpus, Source};
use docgate::languages::Lang;
use docgate::render::Renderer;
use docgate::versions::{Version, VersionSelection};
use regex::Regex;

fn tree() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/github-docs-2021");
    if p.join("content").is_dir() {
        Some(p)
    } else {
        eprintln!("notice: {} is absent; conformance tests skipped", p.display());
        None
    }
}

/// The tree as of a day when 2.21–3.1 were the supported releases.
fn open(root: &Path) -> (Corpus, Renderer) {
    let corpus = Corpus::open(Source::disk(root).unwrap(), "2021-06-08".parse().unwrap()).unwrap();
    let renderer = Renderer::new(corpus.clone()).unwrap();
    (corpus, renderer)
}

static SVG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)(<svg[^>]*>).*?</svg>").unwrap());

fn normalize(text: &str) -> String {
    let text = SVG.replace_all(text, "$1</svg>");
    let mut out: Vec<&str> = Vec::new();
    for line in text.split('\n').map(str::trim_end) {
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last() == Some(&"") {
        out.pop();
    }
    out.join("\n")
}

fn uses_include(corpus: &Corpus, path: &str) -> bool {
    corpus.page(path).unwrap().unwrap().text.contains("{% include")
}

/// Returns (identical, compared, differing pages).
fn compare(root: &Path, version: Version) -> (usize, usize, Vec<String>) {
    let (corpus, renderer) = open(root);
    let reference = root.join("reference/liquid").join(version.to_string());
    let (mut same, mut compared, mut differ) = (0, 0, Vec::new());
    for path in corpus.page_paths().unwrap() {
        if uses_include(&corpus, path) {
            continue;
        }
        let name = path.trim_end_matches(".md");
        let name = name
            .strip_suffix("/index")
            .map(|n| format!("{n}/index"))
            .unwrap_or(name.to_string());
        let Ok(expected) = std::fs::read_to_string(reference.join(format!("{name}.html"))) else {
            continue;
        };
        compared += 1;
        let expected = expected.split_once('\n').map_or("", |(first, rest)| {
            assert!(first.starts_with("<!-- title:"), "{name}: {first}");
            rest
        });
        let page = corpus.page(path).unwrap().unwrap();
        match renderer.render_page(&page, version, Lang::ENGLISH) {
            Ok(r) if normalize(&r.body) == normalize(expected) => same += 1,
            Ok(_) => differ.push(name.to_string()),
            Err(e) => differ.push(format!("{name}: {}", e.one_line())),
        }
    }
    (same, compared, differ)
}

#[test]
fn matches_the_reference_engine_for_fpt_and_ghes_3_1() {
    let Some(root) = tree() else { return };
    for version in [Version::Fpt, Version::Ghes("3.1".parse().unwrap())] {
        let (same, compared, differ) = compare(&root, version);
        let pct = 100.0 * same as f64 / compared as f64;
        eprintln!("{version}: {same}/{compared} identical ({pct:.1}%); differing: {differ:?}");
        assert!(compared >= 90, "{version}: only {compared} pages compared");
        assert!(pct >= 97.0, "{version}: {pct:.1}% identical; differing: {differ:#?}");
    }
}

#[test]
fn every_page_without_includes_renders_in_every_version_of_the_tree() {
    let Some(root) = tree() else { return };
    let (corpus, renderer) = open(&root);
    let mut errors = Vec::new();
    let mut rendered = 0;
    let mut versions_seen = std::collections::BTreeSet::new();
    for path in corpus.page_paths().unwrap() {
        if uses_include(&corpus, path) {
            continue;
        }
        let page = corpus.page(path).unwrap().unwrap();
        // Deprecated releases too: an admin on 2.20 still reads its docs.
        for v in corpus.releases().select(&VersionSelection::Released, &page.versions) {
            versions_seen.insert(v.short_key());
            match renderer.render_page(&page, v, Lang::ENGLISH) {
                Ok(r) => {
                    assert!(r.warnings.is_empty(), "{path} {v}: {:?}", r.warnings);
                    rendered += 1;
                }
                Err(e) => errors.push(format!("{path} {v}: {}", e.one_line())),
            }
        }
    }
    assert!(errors.is_empty(), "{errors:#?}");
    for v in [
        "fpt",
        "ghae",
        "ghes@2.0",
        "ghes@2.20",
        "ghes@2.21",
        "ghes@2.22",
        "ghes@3.0",
        "ghes@3.1",
    ] {
        assert!(versions_seen.contains(v), "{v} not rendered: {versions_seen:?}");
    }
    assert!(
        !versions_seen.contains("ghes@3.2"),
        "3.2 was not released on 2021-06-08"
    );
    // `versions: '*'` predates GitHub Enterprise Cloud as a version.
    assert!(!versions_seen.contains("ghec"), "{versions_seen:?}");
    assert!(rendered > 500, "{rendered}");
}

#[test]
fn include_pages_fail_naming_the_template() {
    let Some(root) = tree() else { return };
    let (corpus, renderer) = open(&root);
    let page = corpus.find_page("rest/reference/markdown").unwrap().page;
    let err = renderer.render_page(&page, Version::Fpt, Lang::ENGLISH).unwrap_err();
    assert!(
        err.message()
            .contains("the template `rest_operations_at_current_path` is not in this tree"),
        "{err}"
    );
    assert!(
        err.location()
            .unwrap()
            .to_string()
            .ends_with("content/rest/reference/markdown.md:14:1"),
        "{err:?}"
    );
}
