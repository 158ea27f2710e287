//! `docgate build`: the docs as a static site that works offline and from
//! `file://`. Every page × version × language becomes
//! `OUT/<lang>[/<version>]/<path>/index.html` (the reference's permalinks; fpt
//! has no version segment) in a page shell with version and language pickers.
//! Links between built pages are relative and end in `index.html`; a link to a
//! page the build does not include goes to docs.github.com. The site is built
//! in a temporary folder next to `OUT` and swapped in at the end, so a failed
//! build never leaves half a site.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::shell::{CSS, JS, SearchRecord, Site, search_index_file};
use crate::error::Error;
use crate::escape::html as escape;
use crate::languages::Lang;
use crate::redirects::Resolution;
use crate::render::Renderer;
use crate::versions::VersionSelection;

/// The file that marks a folder as a site docgate built: only such a folder
/// (or an empty one) is replaced by the next build. It holds the build's
/// [`Manifest`], which the next build reads to reuse unchanged pages.
const MARKER: &str = ".docgate-site";

/// Bumped when the shell or the manifest changes, so pages of an older
/// docgate are rendered again.
const SHELL_GENERATION: &str = "site-2";

/// How `docgate build` builds.
#[derive(Clone, Debug)]
pub struct SiteOptions {
    /// Where the site will be served from, for `sitemap.xml` (its URLs must be
    /// absolute): `https://docs.example.com/`.
    pub site_url: String,
    /// Reuse the pages of the previous build whose inputs did not change.
    pub incremental: bool,
}

impl Default for SiteOptions {
    fn default() -> Self {
        SiteOptions {
            site_url: "http://localhost:8000/".to_string(),
            incremental: true,
        }
    }
}

/// What a site build did.
#[derive(Clone, Debug)]
pub struct SiteReport {
    /// Pages written (page × version × language), reused ones included.
    pub pages: usize,
    /// Of those, pages reused from the previous build (their inputs had not changed).
    pub reused: usize,
    /// Redirect pages written (one per old path, from `redirect_from`).
    pub redirects: usize,
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

/// What a build leaves in [`MARKER`] for the next one.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    about: String,
    /// The hash of what every page depends on (data, every frontmatter, the
    /// site's pages, docgate itself).
    inputs: String,
    /// Each page file (relative to OUT) → the hash of its inputs and its search record.
    pages: BTreeMap<String, ManifestEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ManifestEntry {
    hash: String,
    search: SearchRecord,
}

impl Manifest {
    /// The previous build's manifest; an unreadable or older one means no reuse.
    fn read(out: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(out.join(MARKER)).ok()?;
        serde_json::from_str(&text).ok()
    }
}

/// Builds the site of `renderer`'s tree for `selection` and `langs` into `out`.
pub fn build_site(
    renderer: &Renderer,
    selection: &VersionSelection,
    langs: &[Lang],
    out: &Path,
    options: &SiteOptions,
) -> Result<SiteReport, Error> {
    let start = Instant::now();
    // Checked before any work: the build replaces OUT whole.
    refuse_foreign(out)?;
    let corpus = renderer.corpus();
    let mut errors = Vec::new();
    let (_, jobs) = super::page_jobs(corpus, selection, langs, &mut errors)?;
    let site = Site::new(renderer, &jobs, langs, false);
    let home = jobs
        .iter()
        .find(|(p, _, _)| &*p.path == "index.md")
        .or(jobs.first())
        .map(|(p, v, l)| format!("{}/index.html", p.permalink(*v, *l).trim_start_matches('/')));
    let inputs = inputs_hash(renderer, &site)?;
    let previous = options
        .incremental
        .then(|| Manifest::read(out))
        .flatten()
        .filter(|m| m.inputs == inputs)
        .map(|m| m.pages)
        .unwrap_or_default();
    // Build next to OUT, then swap: a failed build leaves OUT as it was.
    let staging = sibling(out, "building")?;
    let _ = std::fs::remove_dir_all(&staging);
    let dir = crate::files::OutputDir::open(&staging)?;
    let progress = crate::progress::bar(jobs.len() as u64, "pages", "building");
    let results: Vec<Result<(String, ManifestEntry, bool), String>> =
        super::per_page(renderer, &jobs, |(page, v, lang)| {
            progress.inc(1);
            let rel = format!("{}/index.html", page.permalink(*v, *lang).trim_start_matches('/'));
            let hash = page_hash(renderer, &inputs, page, *lang).map_err(|e| e.one_line())?;
            if let Some(prev) = previous.get(&rel)
                && prev.hash == hash
                && dir.reuse(&rel, &out.join(&rel)).map_err(|e| e.one_line())?
            {
                let search = prev.search.clone();
                return Ok((rel, ManifestEntry { hash, search }, true));
            }
            let built = site.page(page, *v, *lang).map_err(|e| e.one_line())?;
            dir.write(&rel, built.html.as_bytes())
                .map_err(|e| format!("{}: {}", page.file, e.one_line()))?;
            Ok((
                rel,
                ManifestEntry {
                    hash,
                    search: built.search,
                },
                false,
            ))
        });
    progress.finish_and_clear();
    let mut manifest = Manifest {
        about: "A site built by docgate: the next `docgate build` replaces this folder.".to_string(),
        inputs,
        pages: BTreeMap::new(),
    };
    let mut reused = 0;
    for r in results {
        match r {
            Ok((rel, entry, was_reused)) => {
                reused += usize::from(was_reused);
                manifest.pages.insert(rel, entry);
            }
            Err(e) => errors.push(e),
        }
    }
    write_search_indexes(&dir, &jobs, &manifest)?;
    dir.write("docgate.css", CSS.as_bytes())?;
    dir.write("docgate.js", JS.as_bytes())?;
    dir.write("404.html", not_found_page(home.as_deref()).as_bytes())?;
    dir.write("sitemap.xml", sitemap(&manifest, &options.site_url).as_bytes())?;
    let redirects = write_redirect_stubs(renderer, &site, &dir)?;
    let mut assets = 0;
    for rel in corpus.source().list("assets", "")? {
        if let Some(bytes) = corpus.source().read_bytes(&rel)? {
            dir.write(&rel, &bytes)?;
            assets += 1;
        }
    }
    let written = manifest.pages.len();
    dir.write(
        MARKER,
        serde_json::to_string(&manifest)
            .map_err(|e| Error::input(format!("cannot write the site manifest: {e}")))?
            .as_bytes(),
    )?;
    swap_in(&staging, out)?;
    Ok(SiteReport {
        pages: written,
        reused,
        redirects,
        assets,
        errors,
        home,
        elapsed: start.elapsed(),
    })
}

/// The hash of what every page of the site depends on besides its own files:
/// docgate's version, the data files (English and translated), every page's
/// frontmatter (titles in links, sidebars and children lists; redirects), the
/// tree's `docgate.toml`, the site's pages and the release statuses of today
/// (deprecation banners). Any change re-renders every page.
fn inputs_hash(renderer: &Renderer, site: &Site) -> Result<String, Error> {
    let corpus = renderer.corpus();
    let source = corpus.source();
    let mut h = blake3::Hasher::new();
    let mut field = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(env!("CARGO_PKG_VERSION").as_bytes());
    field(SHELL_GENERATION.as_bytes());
    // docgate itself: another build of it may render differently.
    if let Some(exe) = std::env::current_exe().ok().and_then(|p| std::fs::read(p).ok()) {
        field(blake3::hash(&exe).as_bytes());
    }
    for top in ["data", "translations", "content"] {
        for rel in source.list(top, "")? {
            field(rel.as_bytes());
            let Some(bytes) = source.read_bytes(&rel)? else {
                continue;
            };
            if rel.ends_with(".md") && (top == "content" || rel.contains("/content/")) {
                field(frontmatter_bytes(&bytes));
            } else {
                field(&bytes);
            }
        }
    }
    if let Some(config) = source.read_bytes("docgate.toml")? {
        field(&config);
    }
    let mut built: Vec<&String> = site.built().iter().collect();
    built.sort();
    for p in built {
        field(p.as_bytes());
    }
    for v in site.versions() {
        let note = v.release().and_then(|r| corpus.releases().deprecation_note(r));
        field(format!("{v} {note:?}").as_bytes());
    }
    Ok(h.finalize().to_hex().to_string())
}

/// The frontmatter block of a Markdown file (up to the closing `---`), or the
/// whole file when it has none.
fn frontmatter_bytes(bytes: &[u8]) -> &[u8] {
    if !bytes.starts_with(b"---") {
        return bytes;
    }
    match bytes[3..].windows(4).position(|w| w == b"\n---") {
        Some(i) => &bytes[..3 + i + 4],
        None => bytes,
    }
}

/// The hash of one page's own inputs: the site's inputs, the English file and
/// the translation (if any) for `lang`.
fn page_hash(renderer: &Renderer, inputs: &str, page: &crate::corpus::Page, lang: Lang) -> Result<String, Error> {
    let mut h = blake3::Hasher::new();
    h.update(inputs.as_bytes());
    h.update(page.path.as_bytes());
    h.update(&(page.text.len() as u64).to_le_bytes());
    h.update(page.text.as_bytes());
    if !lang.is_english()
        && let Some(t) = renderer.corpus().translation(page, lang)?
    {
        h.update(t.text.as_bytes());
    }
    Ok(h.finalize().to_hex().to_string())
}

/// One search index per version and language, as a script (`file://` pages
/// cannot fetch JSON): `window.DOCGATE_SEARCH = [...]`.
fn write_search_indexes(dir: &crate::files::OutputDir, jobs: &[super::Job], manifest: &Manifest) -> Result<(), Error> {
    let mut indexes: BTreeMap<String, Vec<&SearchRecord>> = BTreeMap::new();
    for (page, v, lang) in jobs {
        let rel = format!("{}/index.html", page.permalink(*v, *lang).trim_start_matches('/'));
        let file = indexes.entry(search_index_file(*v, *lang)).or_default();
        if let Some(entry) = manifest.pages.get(&rel) {
            file.push(&entry.search);
        }
    }
    for (file, records) in indexes {
        let json = serde_json::to_string(&records)
            .map_err(|e| Error::input(format!("cannot write the search index {file}: {e}")))?;
        dir.write(&file, format!("window.DOCGATE_SEARCH = {json};\n").as_bytes())?;
    }
    Ok(())
}

/// A page for every old path a page's `redirect_from` (or the redirect map)
/// sends to a page of the site, in every language of the site and without
/// a language (English), so old links and bookmarks still arrive. Paths that
/// are pages of the site are left alone. Returns how many were written.
fn write_redirect_stubs(renderer: &Renderer, site: &Site, dir: &crate::files::OutputDir) -> Result<usize, Error> {
    let map = renderer.redirect_map()?;
    let corpus = renderer.corpus();
    // The map's keys, and the `redirect_from` entries as written (their
    // `/enterprise/…` forms are what old bookmarks hold).
    let mut olds: Vec<String> = map.entries().map(|(k, _)| k.to_string()).collect();
    for path in corpus.page_paths()? {
        if let Ok(Some(p)) = corpus.page(path) {
            olds.extend(
                p.frontmatter
                    .redirect_from
                    .iter()
                    .filter(|e| e.starts_with('/'))
                    .cloned(),
            );
        }
    }
    olds.sort();
    olds.dedup();
    let mut stubs: HashMap<String, String> = HashMap::new();
    for old in &olds {
        let mut requests: Vec<(String, Lang)> = site
            .langs()
            .iter()
            .map(|l| (format!("/{}{old}", l.code()), *l))
            .collect();
        if site.langs().contains(&Lang::ENGLISH) {
            requests.push((old.clone(), Lang::ENGLISH));
        }
        for (request, lang) in requests {
            if site.built().contains(&request) || stubs.contains_key(&request) {
                continue;
            }
            if let Resolution::Redirect { permalink, .. } = map.resolve(&request, lang) {
                let target = permalink.split(['#', '?']).next().unwrap_or_default().to_string();
                if site.built().contains(&target) {
                    stubs.insert(request, permalink);
                }
            }
        }
    }
    let mut written = 0;
    for (request, target) in &stubs {
        let rel = format!("{}/index.html", request.trim_matches('/'));
        let html = redirect_page(request, target, site.built());
        // A path that cannot be a file name here is left out, not fatal.
        if dir.write(&rel, html.as_bytes()).is_ok() {
            written += 1;
        }
    }
    Ok(written)
}

/// A page that sends the browser on to `target` (relative, so it works from
/// `file://`), with a link for browsers that do not follow refreshes.
fn redirect_page(request: &str, target: &str, built: &std::collections::HashSet<String>) -> String {
    let t = escape(&super::shell::relative_url(target, request, built));
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting…</title>\n\
         <meta http-equiv=\"refresh\" content=\"0; url={t}\">\n</head>\n\
         <body>\n<p>This page has moved to <a href=\"{t}\">{t}</a>.</p>\n</body>\n</html>\n"
    )
}

/// `404.html` for static hosts: it may be served at any depth, so it links to
/// the home page from the host's root and carries its own styles.
fn not_found_page(home: Option<&str>) -> String {
    let home = home.map_or_else(String::new, |h| {
        format!("<p><a href=\"/{}\">Go to the home page</a></p>\n", escape(h))
    });
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Page not found - GitHub Docs</title>\n\
         <style>body{{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}}</style>\n</head>\n\
         <body>\n<h1>Page not found</h1>\n<p>This offline copy of the docs has no page here. \
         It may not exist in the version or language this site was built for.</p>\n{home}</body>\n</html>\n"
    )
}

/// `sitemap.xml`: every page of the site under `site_url`.
fn sitemap(manifest: &Manifest, site_url: &str) -> String {
    let base = site_url.trim_end_matches('/');
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for rel in manifest.pages.keys() {
        let path = rel.trim_end_matches("index.html");
        xml.push_str(&format!("<url><loc>{}/{}</loc></url>\n", escape(base), escape(path)));
    }
    xml.push_str("</urlset>\n");
    xml
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
