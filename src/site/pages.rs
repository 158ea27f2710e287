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
const SHELL_GENERATION: &str = "site-3";

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
    /// Each page file (relative to OUT) → the hash of its inputs.
    pages: BTreeMap<String, String>,
    /// Each search index file (relative to OUT) → what it was made of.
    search: BTreeMap<String, IndexEntry>,
    /// How many redirect pages the build wrote.
    redirects: usize,
    /// The hash of the files copied from `assets/`, and how many there were.
    assets: (String, usize),
    /// How many files and folders the site has (this file included).
    entries: usize,
}

/// A search index as built: the hash of its page files' names in order, and
/// of the file itself (a reused page's record is read back from it).
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct IndexEntry {
    pages: String,
    file: String,
}

impl Manifest {
    /// The previous build's manifest; an unreadable or older one means no
    /// reuse. A search index that is gone or changed since is left out: its
    /// pages are not reused (their records could not be read back).
    fn read(out: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(out.join(MARKER)).ok()?;
        let mut m: Manifest = serde_json::from_str(&text).ok()?;
        let intact: std::collections::HashSet<String> = m
            .search
            .iter()
            .filter(|(file, entry)| {
                std::fs::read(out.join(file)).is_ok_and(|bytes| blake3::hash(&bytes).to_hex().as_str() == entry.file)
            })
            .map(|(file, _)| file.clone())
            .collect();
        m.search.retain(|file, _| intact.contains(file));
        Some(m)
    }
}

/// The search records of the pages as they are built, kept on disk rather than
/// in memory (a site of 6,000 pages × 9 languages × 6 versions holds over a
/// gigabyte of them): one spill file per search index, a line per page with
/// its place in the build's order and its record (or, for a page reused from
/// the previous build, its file, whose record is read back from the previous index).
struct SearchSpill {
    dir: PathBuf,
    files: std::sync::Mutex<HashMap<String, std::io::BufWriter<std::fs::File>>>,
}

impl SearchSpill {
    fn new(dir: PathBuf) -> Result<SearchSpill, Error> {
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display(), e))?;
        Ok(SearchSpill {
            dir,
            files: Default::default(),
        })
    }

    /// Adds the record of the page at `order` in the build to `index`: `Ok` to
    /// take it from the previous build's index (the page was reused), else the record.
    fn add(&self, index: &str, order: usize, record: Result<&SearchRecord, &str>) -> Result<(), Error> {
        use std::io::Write;
        let line = match record {
            Ok(r) => format!(
                "{order}\tJ{}\n",
                serde_json::to_string(r).map_err(|e| Error::input(format!("a search record: {e}")))?
            ),
            Err(rel) => format!("{order}\tR{rel}\n"),
        };
        let mut files = self.files.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let file = match files.entry(index.to_string()) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                let path = self.dir.join(files_name(index));
                let f = std::fs::File::create(&path).map_err(|e| Error::io(path.display(), e))?;
                v.insert(std::io::BufWriter::new(f))
            }
        };
        file.write_all(line.as_bytes())
            .map_err(|e| Error::io(self.dir.display(), e))
    }

    /// Writes every search index into `dir` (one at a time: memory holds one
    /// index), reusing the previous build's file when the index is made of the
    /// same pages, all reused. Returns what the manifest keeps of each index.
    fn finish(
        &self,
        dir: &crate::files::OutputDir,
        out: &Path,
        previous: &BTreeMap<String, IndexEntry>,
    ) -> Result<BTreeMap<String, IndexEntry>, Error> {
        use std::io::Write;
        let mut files = std::mem::take(&mut *self.files.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        for f in files.values_mut() {
            f.flush().map_err(|e| Error::io(self.dir.display(), e))?;
        }
        let mut names: Vec<String> = files.into_keys().collect();
        names.sort();
        let mut made = BTreeMap::new();
        for index in names {
            let spill = self.dir.join(files_name(&index));
            let text = std::fs::read_to_string(&spill).map_err(|e| Error::io(spill.display(), e))?;
            let mut lines: Vec<(usize, &str)> = text
                .lines()
                .filter_map(|l| {
                    let (order, rest) = l.split_once('\t')?;
                    Some((order.parse().ok()?, rest))
                })
                .collect();
            lines.sort_unstable_by_key(|(order, _)| *order);
            let mut pages = blake3::Hasher::new();
            for (_, rest) in &lines {
                let rel = match rest.strip_prefix('R') {
                    Some(rel) => rel.to_string(),
                    None => serde_json::from_str::<SearchRecord>(&rest[1..])
                        .map(|r| r.u)
                        .unwrap_or_default(),
                };
                pages.update(rel.as_bytes());
                pages.update(b"\n");
            }
            let pages = pages.finalize().to_hex().to_string();
            let all_reused = lines.iter().all(|(_, rest)| rest.starts_with('R'));
            if let Some(prev) = previous.get(&index)
                && all_reused
                && prev.pages == pages
                && dir.reuse(&index, &out.join(&index))?
            {
                made.insert(index, prev.clone());
                continue;
            }
            let mut old: HashMap<String, SearchRecord> = HashMap::new();
            if lines.iter().any(|(_, rest)| rest.starts_with('R')) {
                old = read_index(&out.join(&index))?
                    .into_iter()
                    .map(|r| (r.u.clone(), r))
                    .collect();
            }
            let mut js = String::from("window.DOCGATE_SEARCH = [");
            for (i, (_, rest)) in lines.iter().enumerate() {
                if i > 0 {
                    js.push(',');
                }
                match rest.strip_prefix('R') {
                    Some(rel) => {
                        let record = old.get(rel).ok_or_else(|| {
                            Error::input(format!(
                                "{}: the previous build's search index has no record of {rel} (was the site changed during the build?)",
                                out.join(&index).display()
                            ))
                            .with_help("build again, or with --force")
                        })?;
                        js.push_str(
                            &serde_json::to_string(record)
                                .map_err(|e| Error::input(format!("a search record: {e}")))?,
                        );
                    }
                    None => js.push_str(&rest[1..]),
                }
            }
            js.push_str("];\n");
            dir.write(&index, js.as_bytes())?;
            made.insert(
                index,
                IndexEntry {
                    pages,
                    file: blake3::hash(js.as_bytes()).to_hex().to_string(),
                },
            );
        }
        Ok(made)
    }
}

/// The spill files go with the build, finished or failed.
impl Drop for SearchSpill {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A spill file's name for a search index (`search/en-fpt.js` → `en-fpt.js`).
fn files_name(index: &str) -> String {
    index.replace('/', "_")
}

/// The records of a search index file docgate wrote.
fn read_index(path: &Path) -> Result<Vec<SearchRecord>, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path.display(), e))?;
    let json = text
        .strip_prefix("window.DOCGATE_SEARCH = ")
        .and_then(|t| t.trim_end().strip_suffix(';'))
        .ok_or_else(|| Error::input(format!("{}: not a search index docgate wrote", path.display())))?;
    serde_json::from_str(json).map_err(|e| Error::input(format!("{}: {e}", path.display())))
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
        .unwrap_or_default();
    let assets = assets_hash(corpus)?;
    if is_fresh(renderer, &jobs, &previous, &inputs, &assets, out) {
        return Ok(SiteReport {
            pages: jobs.len(),
            reused: jobs.len(),
            redirects: previous.redirects,
            assets: assets.1,
            errors,
            home,
            elapsed: start.elapsed(),
        });
    }
    // Build next to OUT, then swap: a failed build leaves OUT as it was.
    let staging = sibling(out, "building")?;
    let _ = std::fs::remove_dir_all(&staging);
    let dir = crate::files::OutputDir::open(&staging)?;
    let spill = SearchSpill::new(sibling(out, "search")?)?;
    let progress = crate::progress::bar(jobs.len() as u64, "pages", "building");
    let results: Vec<Result<(String, String, bool), String>> =
        super::per_page(renderer, &jobs, |order, (page, v, lang)| {
            progress.inc(1);
            let rel = format!("{}/index.html", page.permalink(*v, *lang).trim_start_matches('/'));
            let index = search_index_file(*v, *lang);
            let hash = page_hash(renderer, &inputs, page, *lang).map_err(|e| e.one_line())?;
            if previous.pages.get(&rel) == Some(&hash)
                && previous.search.contains_key(&index)
                && dir.reuse(&rel, &out.join(&rel)).map_err(|e| e.one_line())?
            {
                spill.add(&index, order, Err(&rel)).map_err(|e| e.one_line())?;
                return Ok((rel, hash, true));
            }
            let built = site.page(page, *v, *lang).map_err(|e| e.one_line())?;
            dir.write(&rel, built.html.as_bytes())
                .map_err(|e| format!("{}: {}", page.file, e.one_line()))?;
            spill.add(&index, order, Ok(&built.search)).map_err(|e| e.one_line())?;
            Ok((rel, hash, false))
        });
    progress.finish_and_clear();
    let mut manifest = Manifest {
        about: "A site built by docgate: the next `docgate build` replaces this folder.".to_string(),
        inputs,
        pages: BTreeMap::new(),
        search: BTreeMap::new(),
        redirects: 0,
        assets: Default::default(),
        entries: 0,
    };
    let mut reused = 0;
    for r in results {
        match r {
            Ok((rel, hash, was_reused)) => {
                reused += usize::from(was_reused);
                manifest.pages.insert(rel, hash);
            }
            Err(e) => errors.push(e),
        }
    }
    manifest.search = spill.finish(&dir, out, &previous.search)?;
    manifest.assets = assets;
    dir.write("docgate.css", CSS.as_bytes())?;
    dir.write("docgate.js", JS.as_bytes())?;
    dir.write("404.html", not_found_page(home.as_deref()).as_bytes())?;
    dir.write("sitemap.xml", sitemap(&manifest, &options.site_url).as_bytes())?;
    let redirects = write_redirect_stubs(renderer, &site, &dir)?;
    manifest.redirects = redirects;
    for rel in corpus.source().list("assets", "")? {
        if let Some(bytes) = corpus.source().read_bytes(&rel)? {
            dir.write(&rel, &bytes)?;
        }
    }
    let written = manifest.pages.len();
    // The marker itself is the one entry not there yet.
    manifest.entries = count_entries(&staging).map_or(0, |n| n + 1);
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
        assets: manifest.assets.1,
        errors,
        home,
        elapsed: start.elapsed(),
    })
}

/// How many files and folders are under `dir`; `None` if one cannot be read
/// or is neither (docgate writes no symlinks).
fn count_entries(dir: &Path) -> Option<usize> {
    let mut n = 0;
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let ft = entry.ok()?.file_type();
        if !ft.is_file() && !ft.is_dir() {
            return None;
        }
        n += 1;
    }
    Some(n)
}

/// The hash of the tree's `assets/` files (names and bytes) and how many there are.
fn assets_hash(corpus: &crate::corpus::Corpus) -> Result<(String, usize), Error> {
    let mut h = blake3::Hasher::new();
    let mut n = 0;
    for rel in corpus.source().list("assets", "")? {
        if let Some(bytes) = corpus.source().read_bytes(&rel)? {
            h.update(&(rel.len() as u64).to_le_bytes());
            h.update(rel.as_bytes());
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(&bytes);
            n += 1;
        }
    }
    Ok((h.finalize().to_hex().to_string(), n))
}

/// Whether the site in `out` is already what this build would write: the same
/// pages with the same inputs (every page file still a file, every search
/// index as written), the same assets, the site's own files in place and no
/// other file or folder (one left there is removed by a build). Then
/// the build leaves it as it is instead of writing it all again.
fn is_fresh(
    renderer: &Renderer,
    jobs: &[super::Job],
    previous: &Manifest,
    inputs: &str,
    assets: &(String, usize),
    out: &Path,
) -> bool {
    let is_file = |rel: &str| std::fs::symlink_metadata(out.join(rel)).is_ok_and(|m| m.file_type().is_file());
    if previous.pages.len() != jobs.len()
        || previous.assets != *assets
        || count_entries(out) != Some(previous.entries)
        || !["docgate.css", "docgate.js", "404.html", "sitemap.xml"]
            .iter()
            .all(|f| is_file(f))
    {
        return false;
    }
    super::per_page(renderer, jobs, |_, (page, v, lang)| {
        let rel = format!("{}/index.html", page.permalink(*v, *lang).trim_start_matches('/'));
        previous.search.contains_key(&search_index_file(*v, *lang))
            && page_hash(renderer, inputs, page, *lang).is_ok_and(|h| previous.pages.get(&rel) == Some(&h))
            && is_file(&rel)
    })
    .into_iter()
    .all(|fresh| fresh)
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
