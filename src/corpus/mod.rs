//! Loading a docs tree: English pages under `content/`, their translations under
//! `translations/<locale>/content/`, the data directory, features and the
//! release table.

mod data;
pub mod engine;
mod frontmatter;
mod source;

use std::sync::{Arc, OnceLock};

use jiff::civil::Date;
use serde::Deserialize;

pub use data::{DataCache, DataRef, DataText, location as data_location, missing_help};
pub use engine::Engine;
pub use frontmatter::{Frontmatter, Property, Split, TranslatedFrontmatter, split as split_frontmatter};
pub use source::{Source, decode_utf8};

use crate::cache::Memo;
use crate::error::{Error, Location};
use crate::languages::Lang;
use crate::versions::{FeatureSet, ReleaseTable, Version, VersionsSpec};

/// The bundled release table, used when a tree has no `data/ghes-releases.yml`.
const RELEASES_FILE: &str = "data/ghes-releases.yml";

/// An English page.
#[derive(Debug)]
pub struct Page {
    /// Path under `content/`, e.g. `admin/index.md`.
    pub path: Arc<str>,
    /// The file as shown in messages.
    pub file: Arc<str>,
    /// The whole file.
    pub text: Arc<str>,
    /// The parsed frontmatter.
    pub frontmatter: Frontmatter,
    /// Byte offset of the body in [`Page::text`].
    pub body_offset: usize,
    /// The line the body starts on (1-based).
    pub body_line: usize,
    /// Every version the page exists in, in reference order.
    pub versions: Vec<Version>,
}

impl Page {
    /// The Markdown after the frontmatter.
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// The path part of the permalink: `/admin/x` for `admin/x.md`, `/admin` for
    /// `admin/index.md`, `` for the root `index.md`.
    pub fn url_path(&self) -> String {
        url_path_of(&self.path)
    }

    /// `/<lang>[/<version>]/<path>` (fpt has no version segment).
    pub fn permalink(&self, version: Version, lang: Lang) -> String {
        crate::permalink::permalink(&self.url_path(), version, lang)
    }

    /// Whether the page exists in `version`.
    pub fn applies_to(&self, version: Version) -> bool {
        self.versions.contains(&version)
    }
}

fn url_path_of(content_path: &str) -> String {
    let p = content_path.trim_end_matches(".md");
    let p = p.strip_suffix("/index").unwrap_or(p);
    if p == "index" { String::new() } else { format!("/{p}") }
}

/// A translated page: its own text, and the translatable keys of its frontmatter
/// (or the error that makes the whole page fall back to English).
#[derive(Debug)]
pub struct Translation {
    /// The language of the translation.
    pub lang: Lang,
    /// The file as shown in messages.
    pub file: Arc<str>,
    /// The whole file.
    pub text: Arc<str>,
    /// The translatable keys, or the YAML error that makes the page fall back to English.
    pub frontmatter: Result<TranslatedFrontmatter, Error>,
    /// Byte offset of the body in [`Translation::text`].
    pub body_offset: usize,
    /// The line the body starts on (1-based).
    pub body_line: usize,
    /// Only the frontmatter is kept ([`Corpus::release_translation_bodies`]):
    /// `text` ends where the body starts.
    head_only: bool,
}

impl Translation {
    /// The translated Markdown after the frontmatter.
    pub fn body(&self) -> &str {
        debug_assert!(!self.head_only, "the body of {} was released", self.file);
        &self.text[self.body_offset..]
    }

    /// This translation without its body (for [`Corpus::translation_head`]).
    fn head(&self) -> Translation {
        Translation {
            lang: self.lang,
            file: self.file.clone(),
            text: self.text[..self.body_offset].into(),
            frontmatter: self.frontmatter.clone(),
            body_offset: self.body_offset,
            body_line: self.body_line,
            head_only: true,
        }
    }
}

/// What a page argument resolved to.
#[derive(Debug, Clone)]
pub struct PageMatch {
    /// The page found.
    pub page: Arc<Page>,
    /// The version named in a permalink (`/en/enterprise-server@3.5/…`).
    pub version: Option<Version>,
    /// The language named in a permalink (`/ko/…`).
    pub lang: Option<Lang>,
    /// Set when the argument was an old path found in `redirect_from`.
    pub redirected_from: Option<String>,
}

/// A loaded docs tree. Cheap to clone; safe to share across threads.
#[derive(Clone, Debug)]
pub struct Corpus {
    inner: Arc<Inner>,
}

/// Translations read so far, by language and page path (`None`: no translation).
type TranslationCache = Memo<(Lang, Arc<str>), Result<Option<Arc<Translation>>, Error>>;

#[derive(Debug)]
struct Inner {
    source: Source,
    releases: ReleaseTable,
    features: OnceLock<Result<FeatureSet, Error>>,
    data: DataCache,
    pages: Memo<String, Result<Option<Arc<Page>>, Error>>,
    translations: TranslationCache,
    page_paths: OnceLock<Result<Vec<String>, Error>>,
    engine: OnceLock<Engine>,
}

#[derive(Deserialize)]
struct FeatureFile {
    versions: VersionsSpec,
}

impl Corpus {
    /// The content compiled into the binary.
    pub fn bundled(today: Date) -> Result<Corpus, Error> {
        Corpus::open(Source::Embedded, today)
    }

    /// Opens a tree. Its `data/ghes-releases.yml` overrides the bundled release table.
    pub fn open(source: Source, today: Date) -> Result<Corpus, Error> {
        let (text, file) = match source.read(RELEASES_FILE)? {
            Some(t) => (t, source.display(RELEASES_FILE)),
            None => (
                Source::Embedded
                    .read(RELEASES_FILE)?
                    .ok_or_else(|| Error::input("the bundled release table is missing"))?,
                Arc::from(format!("(bundled) {RELEASES_FILE}")),
            ),
        };
        let releases = ReleaseTable::from_yaml(&text, &file, today).map_err(|e| e.with_source_text(text.clone()))?;
        Ok(Corpus {
            inner: Arc::new(Inner {
                source,
                releases,
                features: OnceLock::new(),
                data: DataCache::default(),
                pages: Memo::default(),
                translations: Memo::default(),
                page_paths: OnceLock::new(),
                engine: OnceLock::new(),
            }),
        })
    }

    /// Where the tree is read from: the bundled content or a folder.
    pub fn source(&self) -> &Source {
        &self.inner.source
    }

    /// The GHES release table: the tree's `data/ghes-releases.yml`, else the bundled one.
    pub fn releases(&self) -> &ReleaseTable {
        &self.inner.releases
    }

    /// Reads a file by the name it has in messages ([`Source::display`]).
    pub fn read_display_path(&self, file: &str) -> Option<Arc<str>> {
        match &self.inner.source {
            Source::Embedded => self.inner.source.read(file).ok().flatten(),
            Source::Disk(_) => self
                .inner
                .source
                .relative_of_display(file)
                .and_then(|rel| self.inner.source.read(rel).ok().flatten()),
        }
    }

    /// Every feature in `data/features/`.
    pub fn features(&self) -> Result<&FeatureSet, Error> {
        self.inner
            .features
            .get_or_init(|| self.load_features())
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Loads every feature file. A broken one (YAML, ranges) does not stop the
    /// others: it is kept as broken with its located error, which `check`
    /// reports at the file and any use of the feature repeats.
    fn load_features(&self) -> Result<FeatureSet, Error> {
        let mut set = FeatureSet::new();
        for rel in self.inner.source.list("data/features", ".yml")? {
            let name = rel
                .trim_start_matches("data/features/")
                .trim_end_matches(".yml")
                .replace('/', "-");
            match self.load_feature(&rel) {
                Ok(Some(spec)) => set.insert(name, spec),
                Ok(None) => {}
                Err(e) => set.insert_broken(name, e),
            }
        }
        Ok(set)
    }

    fn load_feature(&self, rel: &str) -> Result<Option<VersionsSpec>, Error> {
        let Some(text) = self.inner.source.read(rel)? else {
            return Ok(None);
        };
        let file = self.inner.source.display(rel);
        let ff: FeatureFile = crate::yaml::from_str(&text, &file, 1)?;
        let at = |needle: &str| {
            let off = text.find(needle).unwrap_or(0);
            Location::at_offset(file.clone(), &text, off, 1)
        };
        if !ff.versions.feature.to_vec().is_empty() {
            return Err(Error::at(
                at("feature"),
                "a feature's `versions` cannot name other features",
            ));
        }
        // Ranges are checked now, at the file, not later at a page that uses the feature.
        if let Err(e) = ff.versions.plan_versions(self.releases()) {
            let needle = format!("'{}'", e.range);
            let loc = if text.contains(&needle) {
                at(&needle)
            } else {
                at(&e.range)
            };
            return Err(Error::at(loc, e.to_string()));
        }
        Ok(Some(ff.versions))
    }

    /// The engine generation the tree is written for ([`engine`]): decided once,
    /// from the English pages and reusables, the first time a tag that depends
    /// on it renders.
    pub fn engine(&self) -> Engine {
        *self.inner.engine.get_or_init(|| {
            let uses = |text: &str| engine::uses_current_engine(text);
            // Pages through the page cache (renders read them anyway); a page whose
            // frontmatter does not load is read as it is.
            let pages = self.page_paths().map(<[String]>::to_vec).unwrap_or_default();
            let in_pages = pages.iter().any(|p| match self.page(p) {
                Ok(Some(page)) => uses(&page.text),
                _ => self
                    .inner
                    .source
                    .read(&format!("content/{p}"))
                    .ok()
                    .flatten()
                    .is_some_and(|t| uses(&t)),
            });
            let in_reusables = || {
                self.inner
                    .source
                    .list("data/reusables", ".md")
                    .unwrap_or_default()
                    .into_iter()
                    .any(|rel| self.inner.source.read(&rel).ok().flatten().is_some_and(|t| uses(&t)))
            };
            if in_pages || in_reusables() {
                Engine::Current
            } else {
                Engine::Legacy2021
            }
        })
    }

    /// The paths (under `content/`) of every English page, sorted.
    pub fn page_paths(&self) -> Result<&[String], Error> {
        self.inner
            .page_paths
            .get_or_init(|| {
                Ok(self
                    .inner
                    .source
                    .list("content", ".md")?
                    .into_iter()
                    .map(|p| p.trim_start_matches("content/").to_string())
                    .filter(|p| !p.ends_with("README.md"))
                    .collect())
            })
            .as_ref()
            .map(Vec::as_slice)
            .map_err(Clone::clone)
    }

    /// The versions of `page` docgate renders by default: all of them but GHES
    /// releases that have not shipped yet (planned).
    pub fn released_versions(&self, page: &Page) -> Vec<Version> {
        self.releases()
            .select(&crate::versions::VersionSelection::Released, &page.versions)
    }

    /// Loads the English page at `path` (under `content/`), or `Ok(None)`.
    pub fn page(&self, path: &str) -> Result<Option<Arc<Page>>, Error> {
        self.inner
            .pages
            .get_or_insert_with(path.to_string(), || self.read_page(path))
    }

    /// Whether the English page at `path` has been asked for (read, or found
    /// missing): what a render had to open, for tests of lazy loading.
    pub fn has_read(&self, path: &str) -> bool {
        self.inner.pages.contains(&path.to_string())
    }

    fn read_page(&self, path: &str) -> Result<Option<Arc<Page>>, Error> {
        let rel = format!("content/{path}");
        let Some(text) = self.inner.source.read(&rel)? else {
            return Ok(None);
        };
        let file = self.inner.source.display(&rel);
        let with_text = |e: Error| e.with_source_text(text.clone());
        let split = frontmatter::split(&text, &file).map_err(with_text)?;
        let fm = Frontmatter::parse(&split, &file).map_err(with_text)?;
        let versions = self
            .features()?
            .applicable_versions(&fm.versions, self.releases())
            .map_err(|e| {
                let off = text.find("versions:").unwrap_or(0);
                Error::at(Location::at_offset(file.clone(), &text, off, 1), e.to_string())
                    .with_source_text(text.clone())
            })?;
        let page = Arc::new(Page {
            path: path.into(),
            file,
            body_offset: split.body_offset,
            body_line: split.body_line,
            frontmatter: fm,
            versions,
            text: text.clone(),
        });
        Ok(Some(page))
    }

    /// The translation of `page` into `lang`, if the tree has one (read once;
    /// read again if a build released its body).
    pub fn translation(&self, page: &Page, lang: Lang) -> Result<Option<Arc<Translation>>, Error> {
        match self.translation_read(page, lang, false)? {
            Some(t) if t.head_only => {
                let full = self.read_translation(page, lang, Some(&t))?.map(Arc::new);
                let key = (lang, page.path.clone());
                self.inner.translations.replace(&key, |_| Some(Ok(full.clone())));
                Ok(full)
            }
            t => Ok(t),
        }
    }

    /// The translation of `page` into `lang` for its frontmatter (titles,
    /// intros, whether there is one): its body may be left out. A title asked
    /// for by a link keeps only the head of a page rendered later.
    pub fn translation_head(&self, page: &Page, lang: Lang) -> Result<Option<Arc<Translation>>, Error> {
        self.translation_read(page, lang, true)
    }

    fn translation_read(&self, page: &Page, lang: Lang, head: bool) -> Result<Option<Arc<Translation>>, Error> {
        self.inner
            .translations
            .get_or_insert_with((lang, page.path.clone()), || {
                let t = self.read_translation(page, lang, None)?;
                Ok(t.map(|t| Arc::new(if head { t.head() } else { t })))
            })
    }

    /// Keeps only the frontmatter of `page`'s translations read so far: a
    /// build calls it after the page's last render (other pages still show
    /// its translated title).
    pub fn release_translation_bodies(&self, page: &Page) {
        for lang in Lang::all().filter(|l| !l.is_english()) {
            self.inner
                .translations
                .replace(&(lang, page.path.clone()), |t| match t {
                    Ok(Some(t)) if !t.head_only => Some(Ok(Some(Arc::new(t.head())))),
                    _ => None,
                });
        }
    }

    /// Reads the translation of `page` into `lang`; `head`, the head kept
    /// from an earlier read, spares parsing the frontmatter again when the
    /// file still starts with it.
    fn read_translation(
        &self,
        page: &Page,
        lang: Lang,
        head: Option<&Translation>,
    ) -> Result<Option<Translation>, Error> {
        let Some(root) = lang.translation_root() else {
            return Ok(None);
        };
        let rel = format!("{root}/content/{}", page.path);
        let Some(text) = self.inner.source.read(&rel)? else {
            return Ok(None);
        };
        let file = self.inner.source.display(&rel);
        let (frontmatter, body_offset, body_line) = match frontmatter::split(&text, &file) {
            Ok(split) => {
                let known = head
                    .filter(|h| h.body_offset == split.body_offset && text.get(..split.body_offset) == Some(&*h.text));
                let frontmatter = match known {
                    Some(h) => h.frontmatter.clone(),
                    None => TranslatedFrontmatter::parse(&split, &file),
                };
                (frontmatter, split.body_offset, split.body_line)
            }
            Err(e) => (Err(e), 0, 1),
        };
        Ok(Some(Translation {
            lang,
            file,
            text,
            frontmatter,
            body_offset,
            body_line,
            head_only: false,
        }))
    }

    /// Looks a data reference up for `lang`: the translation's file first (except
    /// for product names), then English. Returns the English text too when the
    /// translated one is used, for translation repair.
    pub fn data(&self, r: &DataRef, lang: Lang) -> Result<DataLookup, Error> {
        let source = &self.inner.source;
        let english = self.inner.data.lookup(source, r.file(), r)?;
        if let Some(root) = lang.translation_root()
            && r.is_translatable()
        {
            let rel = format!("{root}/{}", r.file());
            // A broken translated file falls back to English, as in the reference.
            if let Ok(Some(t)) = self.inner.data.lookup(source, &rel, r) {
                return Ok(DataLookup { text: Some(t), english });
            }
        }
        Ok(DataLookup {
            text: english,
            english: None,
        })
    }

    /// A YAML file of the data directory as a JSON value (`Null` when absent).
    pub fn yaml_data(&self, rel: &str) -> Result<Arc<serde_json::Value>, Error> {
        self.inner.data.yaml_file(&self.inner.source, rel)
    }

    /// Resolves a page argument: a content path (`admin/x`, `content/admin/x.md`),
    /// a permalink (`/ko/enterprise-server@3.5/admin/x`), or any `redirect_from`
    /// path of an English page (`/enterprise/admin/installation/x`).
    pub fn find_page(&self, spec: &str) -> Result<PageMatch, Error> {
        let spec = spec.trim();
        // A URL of the site: its path is a permalink.
        let spec = ["https://", "http://"]
            .iter()
            .find_map(|scheme| spec.strip_prefix(scheme))
            .map_or(spec, |rest| rest.find('/').map_or("/", |i| &rest[i..]));
        let spec = spec.split(['#', '?']).next().unwrap_or(spec);
        let mut segments: Vec<&str> = spec.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
        if segments.first() == Some(&"content") {
            segments.remove(0);
        }
        if segments.iter().any(|s| *s == "." || *s == ".." || s.contains('\\')) {
            return Err(Error::usage(format!(
                "`{}` is not a page: a page is named by a path inside the tree, without `.`, `..` or `\\`",
                crate::escape::untrusted_line(spec)
            )));
        }
        let mut lang = None;
        let mut version = None;
        if spec.starts_with('/')
            && let Some(l) = segments.first().and_then(|s| Lang::find(s))
            && segments[0].len() <= 5
        {
            lang = Some(l);
            segments.remove(0);
        }
        if let Some(first) = segments.first()
            && first.contains('@')
        {
            version = Some(self.releases().parse_version(first)?);
            segments.remove(0);
        } else if segments.len() > 1
            && segments[0] == "enterprise"
            && crate::versions::Release::parse_installed(segments[1]).is_ok()
        {
            // Legacy /enterprise/<release>/… paths.
            version = Some(self.releases().parse_version(segments[1])?);
            segments.drain(..2);
        }
        let path = segments.join("/");
        let path = path.trim_end_matches(".md");
        for candidate in [format!("{path}.md"), format!("{path}/index.md"), "index.md".to_string()] {
            if (candidate == "index.md") != path.is_empty() {
                continue;
            }
            if let Some(page) = self.page(&candidate)? {
                return Ok(PageMatch {
                    page,
                    version,
                    lang,
                    redirected_from: None,
                });
            }
        }
        // An old path: compare normalised forms with every English redirect_from.
        let wanted = crate::permalink::normalize(&format!("/{path}"));
        for p in self.page_paths()? {
            let Some(page) = self.page(p)? else { continue };
            if page
                .frontmatter
                .redirect_from
                .iter()
                .any(|r| crate::permalink::normalize(r) == wanted)
            {
                return Ok(PageMatch {
                    page,
                    version,
                    lang,
                    redirected_from: Some(format!("/{path}")),
                });
            }
        }
        // A bare file name (`enabling-automatic-user-license-sync-for-your-enterprise`)
        // names the one page that has it.
        if !path.contains('/') && !path.is_empty() {
            let mut same: Vec<&String> = self
                .page_paths()?
                .iter()
                .filter(|p| {
                    let stem = p.trim_end_matches(".md").trim_end_matches("/index");
                    stem.rsplit('/').next() == Some(path)
                })
                .collect();
            if same.len() == 1
                && let Some(page) = self.page(same.remove(0))?
            {
                return Ok(PageMatch {
                    page,
                    version,
                    lang,
                    redirected_from: None,
                });
            }
        }
        let nearest = self.nearest_pages(path, 3)?;
        let help = if nearest.is_empty() {
            "give a content path (admin/configuration/…/page), a permalink (/en/enterprise-server@3.5/…), \
             a docs.github.com URL or an old redirect_from path; `docgate render --list` lists the pages"
                .to_string()
        } else {
            format!(
                "did you mean {}?",
                nearest.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
            )
        };
        Err(Error::usage(format!("no page matches `{}`", crate::escape::untrusted_line(spec))).with_help(help))
    }

    /// The pages whose path or title is nearest to `wanted` (Jaro-Winkler
    /// similarity of the whole path, of its last segment, and of the title),
    /// best first, as content paths without `.md`.
    pub fn nearest_pages(&self, wanted: &str, n: usize) -> Result<Vec<String>, Error> {
        let wanted = wanted.trim_matches('/').to_lowercase();
        let wanted_last = wanted.rsplit('/').next().unwrap_or(&wanted).to_string();
        let mut scored: Vec<(f64, String)> = Vec::new();
        for p in self.page_paths()? {
            let stem = p.trim_end_matches(".md").trim_end_matches("/index").to_string();
            let last = stem.rsplit('/').next().unwrap_or(&stem);
            let title = self
                .page(p)
                .ok()
                .flatten()
                .map(|pg| pg.frontmatter.title.to_lowercase())
                .unwrap_or_default();
            let score = strsim::jaro_winkler(&wanted, &stem)
                .max(strsim::jaro_winkler(&wanted_last, last))
                .max(strsim::jaro_winkler(&wanted_last.replace('-', " "), &title));
            if score >= 0.8 {
                scored.push((score, stem));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(scored.into_iter().take(n).map(|(_, p)| p).collect())
    }
}

/// The result of a data lookup for one language.
#[derive(Debug, Clone)]
pub struct DataLookup {
    /// The text to render (translated when there is one), or `None` if undefined.
    pub text: Option<DataText>,
    /// The English text, when `text` is a translation.
    pub english: Option<DataText>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths() {
        assert_eq!(url_path_of("admin/x.md"), "/admin/x");
        assert_eq!(url_path_of("admin/index.md"), "/admin");
        assert_eq!(url_path_of("index.md"), "");
    }
}
