//! Rendering: Liquid (with the `data` and `ifversion` tags) per version ×
//! language, per-property English fallback for translations, then Markdown →
//! HTML, terminal text or JSON.
//!
//! ```no_run
//! use docgate::corpus::Corpus;
//! use docgate::languages::Lang;
//! use docgate::render::Renderer;
//! let corpus = Corpus::bundled(jiff::Zoned::now().date()).unwrap();
//! let renderer = Renderer::new(corpus.clone()).unwrap();
//! let page = corpus.find_page("billing/managing-your-license-for-github-enterprise").unwrap().page;
//! let v = corpus.releases().parse_version("3.5").unwrap();
//! let out = renderer.render_page(&page, v, Lang::ENGLISH).unwrap();
//! println!("{}", out.title);
//! ```

pub mod alerts;
mod classes;
pub mod context;
pub(crate) mod docs_tags;
pub mod landing;
pub mod legacy;
pub mod limits;
pub mod links;
pub mod liquid;

/// The stack of a thread that renders: Liquid blocks nest up to
/// [`liquid::MAX_NESTING`] levels in each of up to 32 nested data references, far
/// deeper than the 2 MiB a thread gets by default allows in a debug build.
/// Only what is used is ever committed.
pub const WORKER_STACK: usize = 64 << 20;

pub mod markdown;
pub mod output;
pub mod plugin;
pub mod prompt;
pub mod repair;
pub mod sanitize;
pub(crate) mod site_links;
pub mod slug;
pub mod supplement;
pub(crate) mod tags;
pub mod text;

use std::sync::{Arc, PoisonError};

use liquid_core::model::Object;
use liquid_core::runtime::Runtime;
use serde::Serialize;

pub use docs_tags::encode_uri_component;
pub use liquid::{Layout, Origin, Template, Warning};
pub use markdown::{Heading, HtmlOutput, Link};

use self::supplement::Supplement;
use crate::cache::Memo;
use crate::corpus::{Corpus, DataRef, DataText, Page, Property, Translation};
use crate::error::{Error, Location};
use crate::languages::Lang;
pub use crate::permalink::{is_site_path, rewrite_link};
use crate::versions::Version;
use alerts::AlertTitles;
use liquid::LiquidEngine;

/// The version and language of the render in progress, for tags.
pub(crate) struct RenderCtx {
    pub renderer: Renderer,
    pub version: Version,
    pub lang: Lang,
}

impl RenderCtx {
    pub fn feature(&self, name: &str) -> Option<bool> {
        self.renderer.feature(name, self.version)
    }

    /// The error of feature `name` when its file is broken.
    pub fn broken_feature(&self, name: &str) -> Option<Error> {
        self.renderer.inner.corpus.features().ok()?.broken(name).cloned()
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
enum TemplateKey {
    Page(Lang, Arc<str>, Property),
}

/// A body rendered for one class of versions.
struct RenderedClass {
    /// The version decisions its render took.
    trace: classes::Trace,
    /// The text.
    text: String,
    /// The render's warnings.
    warnings: Vec<Warning>,
    /// Its headings, when asked for (English bodies).
    headings: std::sync::OnceLock<Arc<Vec<Heading>>>,
}
impl classes::Class for RenderedClass {
    fn trace(&self) -> &classes::Trace {
        &self.trace
    }
}

/// A data reference resolved for one language and call site, ready to render.
#[derive(Default)]
struct DataEntry {
    /// What to render: the translation when it parses, else English; `None` when
    /// the reference is undefined.
    primary: Option<Arc<Prepared>>,
    /// English, when `primary` is a translation (used if it fails to render).
    english: Option<Result<Arc<Prepared>, Error>>,
    /// Why the translation is not used, reported by every render that uses it.
    warning: Option<Warning>,
    /// `primary` rendered so far, each with the version decisions it took
    /// (a value that reads no variables reads the same in every version that
    /// takes them the same way; see [`classes`]).
    classes: std::sync::RwLock<Vec<Arc<DataClass>>>,
}

/// A data value rendered once for a class of versions.
#[derive(Debug)]
struct DataClass {
    trace: classes::Trace,
    text: String,
    /// The warnings its render gave (each use reports them again).
    warnings: Vec<Warning>,
    /// How many data references were open when it was rendered: it is reused
    /// no deeper, so the nesting limit fails where it would have.
    depth: usize,
}

/// Language, reference, indentation and blockquote prefix of a `data` call site.
type DataKey = (Lang, DataRef, Layout);

/// A parsed template and the English blocks added to its text before parsing.
struct Prepared {
    template: Template,
    supplements: Vec<Supplement>,
    /// A translated body's text after repair, before the supplements (the
    /// lint reads it).
    repaired: Option<Arc<str>>,
}

/// What a page property's template is parsed from (see [`Prepared`]).
struct ToParse {
    text: String,
    supplements: Vec<Supplement>,
    repaired: Option<Arc<str>>,
}

/// Renders pages of one corpus. Cheap to clone; share it across threads.
#[derive(Clone)]
pub struct Renderer {
    inner: Arc<Inner>,
}

/// Rendered frontmatter properties by page path, version, language and
/// property: those that cannot be shared by versions (errors, renders that
/// read variables). (The error is boxed: the table stays small.)
type PropertyCache = Memo<(Arc<str>, Version, Lang, Property), Result<Option<String>, Box<Error>>>;

/// A frontmatter property of another page rendered once for the versions that
/// take the same version decisions (see [`classes`]).
struct PropertyClass {
    /// The version decisions its render took.
    trace: classes::Trace,
    /// The value.
    value: Option<String>,
}

impl classes::Class for PropertyClass {
    fn trace(&self) -> &classes::Trace {
        &self.trace
    }
}

/// The classes of each page's properties, by page path, language and property.
type PropertyClasses = classes::ClassMap<(Arc<str>, Lang, Property), PropertyClass>;

/// The breadcrumbs of a folder's index pages by folder, version and language.
type CrumbCache = Memo<(String, Version, Lang), Result<Arc<Vec<landing::Crumb>>, Error>>;

/// English headings by page path and version.
type HeadingCache = Memo<(Arc<str>, Version), Result<Arc<Vec<Heading>>, Error>>;

struct Inner {
    corpus: Corpus,
    liquid: LiquidEngine,
    /// Steps between Liquid and Markdown (plugins' `preprocess`).
    preprocessors: Vec<Box<dyn plugin::Preprocess>>,
    templates: Memo<TemplateKey, Result<Arc<Prepared>, Error>>,
    data_entries: Memo<DataKey, Result<Arc<DataEntry>, Error>>,
    globals: Memo<(Version, Lang), Arc<Object>>,
    english_headings: HeadingCache,
    alert_titles: Memo<Lang, Result<Arc<AlertTitles>, Error>>,
    /// Frontmatter properties of other pages (AUTOTITLE links, children lists,
    /// breadcrumbs) that are kept per version: errors, and renders that read
    /// variables (the rest are in `property_classes`).
    properties: PropertyCache,
    /// Frontmatter properties of other pages shared by versions (most titles
    /// read the same in every version: one entry instead of one per version).
    property_classes: PropertyClasses,
    /// The redirect map, built the first time a link is resolved.
    redirects: std::sync::OnceLock<Result<Arc<crate::redirects::RedirectMap>, Error>>,
    /// Page bodies rendered so far, by template and render language: each with
    /// the version decisions it took (another version taking the same ones
    /// reads the same), its text and its warnings.
    classes: classes::ClassMap<(TemplateKey, Lang), RenderedClass>,
    /// Live pages found without the redirect map, by path without language.
    live_pages: Memo<String, Option<(Arc<str>, Version)>>,
    /// The breadcrumbs of a folder's index pages, by folder, version and
    /// language (every page of the folder starts with them).
    ancestor_crumbs: CrumbCache,
    /// The site links of the bodies rendered so far, by page and language (one
    /// entry per distinct text: the versions of a class share it).
    link_sites: std::sync::RwLock<crate::cache::FastMap<(Arc<str>, Lang), LinkSitesOfPage>>,
    /// Whether raw HTML in the tree is kept as written (`--trust-html`).
    trust_html: std::sync::atomic::AtomicBool,
}

/// The link sites of a page's distinct texts in one language.
type LinkSitesOfPage = Vec<Arc<site_links::LinkSites>>;

/// Why a property of a translated page was rendered from English.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum FallbackKind {
    /// The translated frontmatter could not be read.
    Frontmatter,
    /// The translated Liquid did not parse.
    ParseError,
    /// The translated Liquid failed to render.
    RenderError,
    /// The translated title rendered empty.
    EmptyTitle,
    /// An AUTOTITLE link of the translation cannot be resolved.
    Autotitle,
}

/// A property rendered from English instead of the translation.
#[derive(Clone, Debug)]
pub struct Fallback {
    /// The property that fell back.
    pub property: Property,
    /// Why it fell back.
    pub kind: FallbackKind,
    /// The error the translation gave.
    pub error: Error,
}

impl Fallback {
    /// The reference engine's marker: `<!-- TRANSLATION_FALLBACK prop=… -->`.
    pub fn marker(&self) -> String {
        let loc = self.error.location();
        let msg: String = self
            .error
            .message()
            .replace('"', "'")
            .replace("--", "- -")
            .chars()
            .take(200)
            .collect();
        format!(
            "<!-- TRANSLATION_FALLBACK prop={} type={:?} file={} line={} col={} msg=\"{}\" -->",
            self.property.key(),
            self.kind,
            loc.map_or("-".to_string(), |l| l.file.to_string()),
            loc.map_or(0, |l| l.line),
            loc.map_or(0, |l| l.column),
            msg
        )
    }
}

/// Whether a translated page was shown translated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TranslationStatus {
    /// The page was rendered in English on purpose.
    English,
    /// The translation was used (some properties may have fallen back).
    Translated,
    /// There is no translation of this page; English is shown.
    Missing,
}

/// A page after Liquid, for one version and language.
#[derive(Clone, Debug)]
pub struct RenderedPage {
    /// The English page.
    pub page: Arc<Page>,
    /// The version rendered.
    pub version: Version,
    /// The language rendered.
    pub lang: Lang,
    /// The page's permalink for this version and language.
    pub permalink: String,
    /// The title after Liquid.
    pub title: String,
    /// The short title after Liquid, when the page has one.
    pub short_title: Option<String>,
    /// The intro after Liquid, when the page has one.
    pub intro: Option<String>,
    /// The permissions statement after Liquid, when the page has one.
    pub permissions: Option<String>,
    /// The product callout after Liquid, when the page has one.
    pub product: Option<String>,
    /// The Markdown body after Liquid (the reference's Liquid stage).
    pub body: String,
    /// The body as the live site serves it as Markdown: AUTOTITLE links take
    /// their target's title, internal links are rewritten for the version and
    /// language, through redirects to the target's permalink (see
    /// [`RenderedPage::markdown`]; only the render writes it).
    markdown: String,
    /// An index page's children that exist in this version (`children:`).
    pub children: Vec<landing::ChildLink>,
    /// The index pages above this page, then this page.
    pub breadcrumbs: Vec<landing::Crumb>,
    /// Whether the translation was used.
    pub translation: TranslationStatus,
    /// The properties rendered from English instead of the translation.
    pub fallbacks: Vec<Fallback>,
    /// English blocks added to an outdated translation's body.
    pub supplements: Vec<Supplement>,
    /// Problems that did not stop rendering.
    pub warnings: Vec<Warning>,
    /// What this render put at the links of its body (its HTML is then the
    /// class's, with those filled in).
    link_values: Option<site_links::LinkValues>,
}

impl RenderedPage {
    /// The link and image destinations of [`RenderedPage::body`] (as the
    /// Markdown parser reads them, reference links resolved), in order, each
    /// with whether it is an image: `None` when they were not collected. A
    /// body without link syntax has none (its autolinks are external).
    pub fn body_links(&self) -> Option<impl Iterator<Item = (&str, bool)>> {
        let values = self.link_values.as_ref().filter(|v| v.is_of(&self.body))?;
        Some(values.links().iter().map(|(h, image)| (h.as_str(), *image)))
    }

    /// The body as the live site serves it as Markdown: AUTOTITLE links take
    /// their target's title, internal links are rewritten for the version and
    /// language, through redirects to the target's permalink; then an index
    /// page's children list.
    pub fn markdown(&self) -> &str {
        &self.markdown
    }

    /// Where the internal link with destination `href` (one of
    /// [`RenderedPage::body_links`], when that is `Some`: the links of the
    /// body as rendered) leads, as the render resolved it: `None` when it did
    /// not (an image, an asset, or links not collected).
    pub fn link_target(&self, href: &str) -> Option<&links::LinkTarget> {
        self.link_values.as_ref()?.target(href)
    }

    /// A page render with nothing rendered yet.
    fn empty(page: Arc<Page>, version: Version, lang: Lang, translation: TranslationStatus) -> Self {
        RenderedPage {
            page,
            version,
            lang,
            permalink: String::new(),
            title: String::new(),
            short_title: None,
            intro: None,
            permissions: None,
            product: None,
            body: String::new(),
            markdown: String::new(),
            children: Vec::new(),
            breadcrumbs: Vec::new(),
            translation,
            fallbacks: Vec::new(),
            supplements: Vec::new(),
            warnings: Vec::new(),
            link_values: None,
        }
    }
}

impl Renderer {
    /// A renderer with the built-in Liquid language ([`plugin::register_builtin`]:
    /// what the built-in `core` and `github-docs` plugins register). Fails when
    /// the tree's features do not load.
    pub fn new(corpus: Corpus) -> Result<Self, Error> {
        Self::with_liquid(corpus, &plugin::register_builtin)
    }

    /// A renderer whose Liquid language is the standard one plus what
    /// `register` adds (see `crate::plugins::renderer`).
    pub fn with_liquid(corpus: Corpus, register: &dyn Fn(&mut plugin::LiquidRegistry)) -> Result<Self, Error> {
        corpus.features()?;
        let mut registry = plugin::LiquidRegistry::default();
        register(&mut registry);
        let preprocessors = std::mem::take(&mut registry.preprocessors);
        Ok(Renderer {
            inner: Arc::new(Inner {
                liquid: LiquidEngine::new(registry),
                preprocessors,
                corpus,
                templates: Memo::default(),
                data_entries: Memo::default(),
                globals: Memo::default(),
                english_headings: Memo::default(),
                alert_titles: Memo::default(),
                properties: Memo::default(),
                property_classes: Default::default(),
                redirects: std::sync::OnceLock::new(),
                live_pages: Memo::default(),
                ancestor_crumbs: Memo::default(),
                classes: Default::default(),
                link_sites: Default::default(),
                trust_html: std::sync::atomic::AtomicBool::new(false),
            }),
        })
    }

    /// The docs tree it renders.
    pub fn corpus(&self) -> &Corpus {
        &self.inner.corpus
    }

    /// The breadcrumbs of the index pages of `folder` and the folders above it
    /// in `version` and `lang` (computed once per folder).
    pub(crate) fn ancestor_crumbs(
        &self,
        folder: &str,
        version: Version,
        lang: Lang,
    ) -> Result<Arc<Vec<landing::Crumb>>, Error> {
        self.inner
            .ancestor_crumbs
            .get_or_insert_with((folder.to_string(), version, lang), || {
                landing::ancestor_crumbs(self, folder, version, lang).map(Arc::new)
            })
    }

    /// The Liquid globals for a version and language: `currentVersion`,
    /// `currentLanguage`, `currentRelease`, `currentVersionShortName`, a boolean
    /// per plan short name and one per feature.
    pub fn globals(&self, version: Version, lang: Lang) -> Arc<Object> {
        self.inner.globals.get_or_insert_with((version, lang), || {
            Arc::new(context::globals(&self.inner.corpus, version, lang))
        })
    }

    /// Forgets the parsed bodies of `page` in every language and the text of
    /// its translations' bodies: a build calls it after the page's last render
    /// so that memory follows the pages being rendered, not the size of the
    /// tree. Anything asked for again is read and parsed again; titles and
    /// headings (what other pages use) stay.
    pub fn release_page(&self, page: &Page) {
        // The version classes of every property of the page's own render
        // (other pages' links take titles from `page_property`, which keeps
        // its own classes).
        self.inner.classes.remove_all(Lang::all().flat_map(|lang| {
            Property::TRANSLATABLE
                .into_iter()
                .chain([Property::Body])
                .flat_map(move |prop| {
                    Lang::all().map(move |render_lang| (TemplateKey::Page(lang, page.path.clone(), prop), render_lang))
                })
        }));
        // The body's template.
        for lang in Lang::all() {
            self.inner
                .templates
                .remove(&TemplateKey::Page(lang, page.path.clone(), Property::Body));
        }
        let mut sites = self.inner.link_sites.write().unwrap_or_else(PoisonError::into_inner);
        for lang in Lang::all() {
            sites.remove(&(page.path.clone(), lang));
        }
        drop(sites);
        self.inner.corpus.release_translation_bodies(page);
    }

    /// The site links of `body`, `page`'s text in `lang` (found once per distinct text).
    fn link_sites(&self, page: &Page, lang: Lang, body: &str) -> Arc<site_links::LinkSites> {
        /// Texts remembered per page and language (until the page is released):
        /// enough for every version of a page checked in all ~50 versions; a
        /// page whose every version reads differently (its text depends on
        /// variables) stops being remembered.
        const KEEP: usize = 64;
        let key = (page.path.clone(), lang);
        let known = self
            .inner
            .link_sites
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
            .and_then(|found| found.iter().find(|s| s.is_of(body)).cloned());
        if let Some(found) = known {
            return found;
        }
        let found = Arc::new(site_links::LinkSites::scan(body));
        let mut all = self.inner.link_sites.write().unwrap_or_else(PoisonError::into_inner);
        let texts = all.entry(key).or_default();
        if texts.len() < KEEP {
            texts.push(found.clone());
        }
        found
    }

    fn cached(&self, key: TemplateKey, make: impl FnOnce() -> Result<Prepared, Error>) -> Result<Arc<Prepared>, Error> {
        self.inner.templates.get_or_insert_with(key, || make().map(Arc::new))
    }

    /// The Liquid syntax error of an English page property, if any (the parsed
    /// template is cached for later renders).
    pub fn syntax_error(&self, page: &Page, prop: Property) -> Option<Error> {
        let text = match prop {
            Property::Body => page.body(),
            p => page.frontmatter.property(p)?,
        };
        self.english_template(page, prop, text).err()
    }

    /// The cached parse of an English page property.
    fn english_template(&self, page: &Page, prop: Property, text: &str) -> Result<Arc<Prepared>, Error> {
        self.page_template(
            page,
            Lang::ENGLISH,
            prop,
            &page.file,
            &page.text,
            (page.body_line, page.body_offset),
            || ToParse {
                text: text.to_string(),
                supplements: Vec::new(),
                repaired: None,
            },
        )
    }

    /// Parses a template that is not cached (`docgate versions eval`, tests).
    pub fn parse(&self, text: &str, origin: Origin) -> Result<Template, Error> {
        self.inner.liquid.parse(text.into(), origin)
    }

    /// Whether feature `name` is on in `version` (`None`: no such feature, or
    /// the features cannot be read).
    fn feature(&self, name: &str, version: Version) -> Option<bool> {
        self.inner
            .corpus
            .features()
            .ok()
            .and_then(|f| f.is_enabled(name, version))
    }

    /// Renders any template for `version` and `lang`.
    pub fn render_template(
        &self,
        template: &Template,
        version: Version,
        lang: Lang,
    ) -> Result<(String, Vec<Warning>), Error> {
        let ctx = Arc::new(RenderCtx {
            renderer: self.clone(),
            version,
            lang,
        });
        self.inner.liquid.render(template, &self.globals(version, lang), ctx)
    }

    /// Renders the template of a page property (`key`) for `version` in
    /// `lang`: through its version classes for the body, and for a title or
    /// intro with Liquid in the page's `own` render; else as it is.
    fn render_property_template(
        &self,
        key: TemplateKey,
        template: &Template,
        own: bool,
        version: Version,
        lang: Lang,
    ) -> Result<(String, Vec<Warning>), Error> {
        let TemplateKey::Page(_, _, prop) = &key;
        if *prop == Property::Body || (own && template.has_liquid()) {
            self.render_body(key, template, version, lang)
        } else {
            self.render_template(template, version, lang)
        }
    }

    /// Renders the template of a page property (`key`) for `version` in
    /// `lang`, or takes the text of an earlier render whose version decisions
    /// `version` takes too (see [`classes`]).
    fn render_body(
        &self,
        key: TemplateKey,
        template: &Template,
        version: Version,
        lang: Lang,
    ) -> Result<(String, Vec<Warning>), Error> {
        self.body_class(key, template, version, lang)
            .map(|class| (class.text.clone(), class.warnings.clone()))
    }

    /// [`Renderer::render_body`] as the class it belongs to (a render that
    /// cannot be reused is a class of its own, not remembered).
    fn body_class(
        &self,
        key: TemplateKey,
        template: &Template,
        version: Version,
        lang: Lang,
    ) -> Result<Arc<RenderedClass>, Error> {
        let feature = |name: &str| self.feature(name, version);
        let key = (key, lang);
        // A class found adds its decisions to a render traced around it (none
        // today: pages render at the top).
        if let Some(class) = self.inner.classes.find(&key, version, &feature) {
            return Ok(class);
        }
        let (result, trace) = classes::traced(|| self.render_template(template, version, lang));
        let (text, warnings) = result?;
        let class = Arc::new(RenderedClass {
            trace,
            text,
            warnings,
            headings: Default::default(),
        });
        self.inner.classes.insert(key, class.clone());
        Ok(class)
    }

    /// The registered [`plugin::Preprocess`] steps, in order, on a page's Markdown.
    fn preprocess(&self, page: &Page, version: Version, lang: Lang, mut markdown: String) -> Result<String, Error> {
        for step in &self.inner.preprocessors {
            let info = plugin::PageInfo {
                path: &page.path,
                version,
                lang,
            };
            markdown = step.run(info, markdown)?;
        }
        Ok(markdown)
    }

    /// Renders `page` for `version` in `lang`: every property through Liquid (from English where the translation fails), then its links. An error when the page is not in `version`.
    pub fn render_page(&self, page: &Arc<Page>, version: Version, lang: Lang) -> Result<RenderedPage, Error> {
        if !page.applies_to(version) {
            return Err(not_available(page, version));
        }
        // A translation that cannot be read (too large, a symlink out of the tree,
        // not UTF-8) is shown as English, with a warning, as a broken one is.
        let mut unreadable = None;
        let translation = if lang.is_english() {
            None
        } else {
            self.inner.corpus.translation(page, lang).unwrap_or_else(|e| {
                unreadable = Some(Warning {
                    message: format!(
                        "the translation cannot be read, so the page is in English: {}",
                        e.message()
                    ),
                    location: e.location().map(ToString::to_string),
                });
                None
            })
        };
        let status = match (&translation, lang.is_english()) {
            (_, true) => TranslationStatus::English,
            (Some(_), false) => TranslationStatus::Translated,
            (None, false) => TranslationStatus::Missing,
        };
        let mut out = RenderedPage::empty(page.clone(), version, lang, status);
        out.permalink = page.permalink(version, lang);
        out.warnings.extend(unreadable);
        for prop in [
            Property::Intro,
            Property::Title,
            Property::ShortTitle,
            Property::Body,
            Property::Product,
            Property::Permissions,
        ] {
            let text = self.render_property(page, translation.as_deref(), prop, version, lang, &mut out, true)?;
            match prop {
                Property::Title => out.title = text.unwrap_or_default(),
                Property::ShortTitle => out.short_title = text,
                Property::Intro => out.intro = text,
                Property::Permissions => out.permissions = text,
                Property::Product => out.product = text,
                Property::Body => out.body = text.unwrap_or_default(),
            }
        }
        out.body = self.preprocess(page, version, lang, std::mem::take(&mut out.body))?;
        let site = match site_links::resolve(self, page, &out.body, version, lang) {
            Ok(site) => site,
            // A translation whose AUTOTITLE links do not resolve: the body from English.
            Err(error) if status == TranslationStatus::Translated => {
                let prepared = self.english_template(page, Property::Body, page.body())?;
                let (english, warnings) = self.render_template(&prepared.template, version, Lang::ENGLISH)?;
                out.warnings.extend(warnings);
                out.fallbacks.push(Fallback {
                    property: Property::Body,
                    kind: FallbackKind::Autotitle,
                    error,
                });
                out.supplements.clear();
                out.body = self.preprocess(page, version, lang, english)?;
                site_links::resolve(self, page, &out.body, version, lang)?
            }
            Err(e) => return Err(e),
        };
        out.markdown = site.markdown;
        out.link_values = Some(site.values);
        if !page.frontmatter.children.is_empty() {
            out.children = landing::children(self, page, version, lang, &mut out.warnings)?;
            out.markdown.push_str(&landing::children_markdown(&out.children));
        }
        out.breadcrumbs = landing::breadcrumbs(self, page, version, lang)?;
        if !site.outside.is_empty() {
            let shown: Vec<String> = site.outside.iter().take(3).map(|h| format!("`{h}`")).collect();
            out.warnings.push(Warning {
                message: format!(
                    "{} AUTOTITLE link{} lead{} to no page of this tree, so {} shown as {}: {}{}",
                    site.outside.len(),
                    if site.outside.len() == 1 { "" } else { "s" },
                    if site.outside.len() == 1 { "s" } else { "" },
                    if site.outside.len() == 1 {
                        "its path is"
                    } else {
                        "their paths are"
                    },
                    if site.outside.len() == 1 {
                        "its text"
                    } else {
                        "their text"
                    },
                    shown.join(", "),
                    if site.outside.len() > 3 { ", …" } else { "" }
                ),
                location: Some(page.file.to_string()),
            });
        }
        Ok(out)
    }

    /// The redirect map of the tree (built once, on first use).
    pub fn redirect_map(&self) -> Result<Arc<crate::redirects::RedirectMap>, Error> {
        self.inner
            .redirects
            .get_or_init(|| crate::redirects::RedirectMap::build(&self.inner.corpus).map(Arc::new))
            .clone()
    }

    /// The title of `page` for `version` in `lang` (the translation's, else
    /// English), as AUTOTITLE links and children lists show it.
    pub fn page_title(&self, page: &Arc<Page>, version: Version, lang: Lang) -> Result<String, Error> {
        Ok(self
            .page_property(page, version, lang, Property::Title)?
            .unwrap_or_default())
    }

    /// A frontmatter property of `page` rendered for `version` in `lang`, with
    /// the per-property English fallback of a page render (cached: once per
    /// class of versions, or per version when it cannot be shared).
    pub fn page_property(
        &self,
        page: &Arc<Page>,
        version: Version,
        lang: Lang,
        prop: Property,
    ) -> Result<Option<String>, Error> {
        if !page.applies_to(version) {
            return Err(not_available(page, version));
        }
        let class_key = (page.path.clone(), lang, prop);
        let feature = |name: &str| self.feature(name, version);
        if let Some(class) = self.inner.property_classes.find(&class_key, version, &feature) {
            return Ok(class.value.clone());
        }
        let key = (page.path.clone(), version, lang, prop);
        if let Some(known) = self.inner.properties.get(&key) {
            return known.map_err(|e| *e);
        }
        let (result, trace) = classes::traced(|| {
            let translation = if lang.is_english() {
                None
            } else {
                self.inner.corpus.translation_head(page, lang).ok().flatten()
            };
            let mut scratch = RenderedPage::empty(page.clone(), version, lang, TranslationStatus::English);
            self.render_property(page, translation.as_deref(), prop, version, lang, &mut scratch, false)
        });
        match result {
            Ok(value) if !trace.is_opaque() => {
                let class = PropertyClass {
                    trace,
                    value: value.clone(),
                };
                self.inner.property_classes.insert(class_key, Arc::new(class));
                Ok(value)
            }
            result => self
                .inner
                .properties
                .get_or_insert_with(key, || result.map_err(Box::new))
                .map_err(|e| *e),
        }
    }

    /// A property of `page` rendered for `version` in `lang`, from the
    /// translation where it renders, else from English. `own`: the page's own
    /// render, whose version classes of titles and intros are kept until the
    /// page is released (another page asking for a title does not keep them).
    #[allow(clippy::too_many_arguments)]
    fn render_property(
        &self,
        page: &Page,
        translation: Option<&Translation>,
        prop: Property,
        version: Version,
        lang: Lang,
        out: &mut RenderedPage,
        own: bool,
    ) -> Result<Option<String>, Error> {
        let english = match prop {
            Property::Body => Some(page.body()),
            p => page.frontmatter.property(p),
        };
        let Some(english) = english else { return Ok(None) };
        let title = prop == Property::Title;
        if let Some(t) = translation {
            let translated = match &t.frontmatter {
                Err(e) => Err((FallbackKind::Frontmatter, e.clone())),
                Ok(fm) => {
                    let invalid = fm.invalid.iter().find(|(p, _)| *p == prop);
                    match (invalid, prop) {
                        (Some((_, msg)), _) => Err((
                            FallbackKind::Frontmatter,
                            Error::at(
                                property_location(t.file.clone(), &t.text, prop, t.body_line),
                                msg.clone(),
                            ),
                        )),
                        (None, Property::Body) => Ok(Some(t.body())),
                        (None, p) => Ok(fm.get(p)),
                    }
                }
            };
            let attempt = match translated {
                Ok(None) => None,
                Ok(Some(text)) => Some(self.render_translated(page, t, prop, text, english, version, lang, out, own)),
                Err(f) => Some(Err(f)),
            };
            match attempt {
                None => {}
                Some(Ok((s, _))) if title && s.trim().is_empty() => out.fallbacks.push(Fallback {
                    property: prop,
                    kind: FallbackKind::EmptyTitle,
                    error: Error::at(
                        property_location(t.file.clone(), &t.text, prop, t.body_line),
                        "the translated title renders empty",
                    ),
                }),
                Some(Ok((s, warnings))) => {
                    out.warnings.extend(warnings);
                    return Ok(Some(clean_property(prop, s)));
                }
                Some(Err((kind, error))) => out.fallbacks.push(Fallback {
                    property: prop,
                    kind,
                    error,
                }),
            }
        }
        let prepared = self.english_template(page, prop, english)?;
        let render_lang = if translation.is_some() { Lang::ENGLISH } else { lang };
        let key = TemplateKey::Page(Lang::ENGLISH, page.path.clone(), prop);
        let (s, warnings) = self.render_property_template(key, &prepared.template, own, version, render_lang)?;
        out.warnings.extend(warnings);
        if title && s.trim().is_empty() {
            return Err(Error::at(
                property_location(page.file.clone(), &page.text, prop, page.body_line),
                "the title renders empty",
            ));
        }
        Ok(Some(clean_property(prop, s)))
    }

    #[allow(clippy::too_many_arguments)]
    fn render_translated(
        &self,
        page: &Page,
        t: &Translation,
        prop: Property,
        text: &str,
        english: &str,
        version: Version,
        lang: Lang,
        out: &mut RenderedPage,
        own: bool,
    ) -> Result<(String, Vec<Warning>), (FallbackKind, Error)> {
        let prepared = self
            .translated_template(page, t, prop, text, english)
            .map_err(|e| (FallbackKind::ParseError, e))?;
        let key = TemplateKey::Page(lang, page.path.clone(), prop);
        let rendered = self
            .render_property_template(key, &prepared.template, own, version, lang)
            .map_err(|e| (FallbackKind::RenderError, e))?;
        out.supplements.extend(prepared.supplements.iter().cloned());
        Ok(rendered)
    }

    /// The parsed template of a translated page property (`text`; `english`,
    /// the English one): repaired, and a body supplemented with what it lacks.
    fn translated_template(
        &self,
        page: &Page,
        t: &Translation,
        prop: Property,
        text: &str,
        english: &str,
    ) -> Result<Arc<Prepared>, Error> {
        let lang = t.lang;
        self.page_template(page, lang, prop, &t.file, &t.text, (t.body_line, t.body_offset), || {
            let repaired = repair::repair(lang, text, english);
            match prop {
                Property::Body => {
                    let (text, supplements) = supplement::supplement(&repaired, english);
                    ToParse {
                        text,
                        supplements,
                        repaired: Some(repaired.into()),
                    }
                }
                _ => ToParse {
                    text: repaired,
                    supplements: Vec::new(),
                    repaired: None,
                },
            }
        })
    }

    /// The body of `page`'s translation `t` after repair, and its own Liquid
    /// syntax error if any (its renders then fall back to English). When its
    /// renders' parse (cached until the page is released) succeeds, both are
    /// theirs; else the repaired text alone is parsed, so that the error is
    /// the translation's, at its own line, not one in or moved by the English
    /// blocks a supplement adds.
    pub fn translated_body(&self, page: &Page, t: &Translation) -> (Arc<str>, Option<Error>) {
        let result = self.translated_template(page, t, Property::Body, t.body(), page.body());
        if let Ok(Some(repaired)) = result.as_ref().map(|p| p.repaired.clone()) {
            return (repaired, None);
        }
        let repaired = repair::repair(t.lang, t.body(), page.body());
        let error = self.parse(&repaired, Origin::new(t.file.clone(), t.body_line)).err();
        (repaired.into(), error)
    }

    /// The parsed template of a page property; `text` (the text to parse and what
    /// was added to it) is only computed when the template is not cached yet.
    #[allow(clippy::too_many_arguments)]
    fn page_template(
        &self,
        page: &Page,
        lang: Lang,
        prop: Property,
        file: &Arc<str>,
        file_text: &Arc<str>,
        (body_line, body_offset): (usize, usize),
        text: impl FnOnce() -> ToParse,
    ) -> Result<Arc<Prepared>, Error> {
        let key = TemplateKey::Page(lang, page.path.clone(), prop);
        self.cached(key, || {
            let loc = property_location(file.clone(), file_text, prop, body_line);
            // A translated title's template outlives the page's render (other
            // pages' links show it): it keeps the frontmatter for its error
            // snippets, not the whole file.
            let file_text = if prop == Property::Body || lang.is_english() {
                file_text.clone()
            } else {
                Arc::from(file_text.get(..body_offset).unwrap_or(file_text))
            };
            let origin = Origin {
                file: file.clone(),
                first_line: loc.line,
                first_column: loc.column,
                file_text: Some(file_text),
            };
            let ToParse {
                text,
                supplements,
                repaired,
            } = text();
            Ok(Prepared {
                template: self.inner.liquid.parse(text.into(), origin)?,
                supplements,
                repaired,
            })
        })
    }

    /// Renders a data reference inside a render (called by the `data` tag).
    /// `Ok(None)` when the reference is undefined.
    pub(crate) fn render_data(
        &self,
        r: &DataRef,
        layout: &Layout,
        ctx: &RenderCtx,
        rt: &dyn Runtime,
        site: Option<&liquid::TagSite>,
    ) -> liquid_core::Result<Option<String>> {
        let entry = self.data_entry(r, ctx.lang, layout).map_err(|e| {
            // A file that cannot be read has no line of its own: point at the tag that asked for it.
            let e = match (e.location(), site) {
                (None, Some(_)) => {
                    let help = match &e {
                        Error::Input { help, .. } => help.clone(),
                        _ => None,
                    };
                    let located = liquid::site_error(site, format!("`{r}`: {}", e.message()));
                    match help {
                        Some(h) => located.with_help(h),
                        None => located,
                    }
                }
                _ => e,
            };
            liquid::fail(rt, e)
        })?;
        if let Some(w) = &entry.warning {
            liquid::warn(rt, w.clone());
        }
        let Some(primary) = &entry.primary else { return Ok(None) };
        // A value that reads no variables: rendered once per class of versions.
        let shared = !primary.template.reads_variables();
        let depth = rt.registers().get_mut::<liquid::RenderState>().stack.len();
        if shared {
            let feature = |name: &str| ctx.feature(name);
            let known = entry
                .classes
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .iter()
                .find(|c| depth <= c.depth && c.trace.holds_for(ctx.version, &feature))
                .cloned();
            if let Some(class) = known {
                classes::replay(&class.trace);
                for w in &class.warnings {
                    liquid::warn(rt, w.clone());
                }
                return Ok(Some(class.text.clone()));
            }
        }
        let warned = rt.registers().get_mut::<liquid::RenderState>().warnings.len();
        let (rendered, trace) = classes::traced(|| self.inner.liquid.render_nested(&primary.template, rt));
        match (rendered, &entry.english) {
            (Ok(s), _) => {
                if shared && !trace.is_opaque() {
                    let warnings = rt.registers().get_mut::<liquid::RenderState>().warnings[warned..].to_vec();
                    let class = Arc::new(DataClass {
                        trace,
                        text: s.clone(),
                        warnings,
                        depth,
                    });
                    let mut known = entry.classes.write().unwrap_or_else(PoisonError::into_inner);
                    // A value with very many classes is not worth remembering.
                    if known.len() < 16 {
                        known.push(class);
                    }
                }
                Ok(Some(s))
            }
            // A translated value that fails to render: English instead, with a warning.
            (Err(_), Some(Ok(english))) => {
                let e = rt.registers().get_mut::<liquid::RenderState>().error.take();
                liquid::warn(
                    rt,
                    Warning {
                        message: format!(
                            "translated `{r}` fell back to English: {}",
                            e.as_ref().map_or_else(|| "render error".to_string(), Error::message)
                        ),
                        location: e.as_ref().and_then(|e| e.location()).map(ToString::to_string),
                    },
                );
                self.inner.liquid.render_nested(&english.template, rt).map(Some)
            }
            (Err(e), _) => Err(e),
        }
    }

    /// A data reference resolved and parsed for one language and call-site
    /// layout, cached.
    fn data_entry(&self, r: &DataRef, lang: Lang, layout: &Layout) -> Result<Arc<DataEntry>, Error> {
        let key = (lang, r.clone(), layout.clone());
        self.inner
            .data_entries
            .get_or_insert_with(key, || self.make_data_entry(r, lang, layout).map(Arc::new))
    }

    fn make_data_entry(&self, r: &DataRef, lang: Lang, layout: &Layout) -> Result<DataEntry, Error> {
        let lookup = self.inner.corpus.data(r, lang)?;
        let parse = |text: &DataText, english: Option<&DataText>| -> Result<Arc<Prepared>, Error> {
            let trimmed = text.text.trim_start();
            let skipped_lines = text.text[..text.text.len() - trimmed.len()].matches('\n').count();
            let repaired = match english {
                Some(en) => repair::repair(lang, trimmed, en.text.trim()),
                None => trimmed.to_string(),
            };
            let body = layout.apply(&repaired);
            let origin = Origin::new(text.file.clone(), text.line + skipped_lines);
            Ok(Arc::new(Prepared {
                template: self.inner.liquid.parse(body.into(), origin)?,
                supplements: Vec::new(),
                repaired: None,
            }))
        };
        let Some(text) = lookup.text else {
            return Ok(DataEntry::default());
        };
        let Some(english) = lookup.english else {
            return Ok(DataEntry {
                primary: Some(parse(&text, None)?),
                ..Default::default()
            });
        };
        // A translated value: repaired against English; if it does not parse, English.
        let english_parsed = parse(&english, None);
        match parse(&text, Some(&english)) {
            Ok(t) => Ok(DataEntry {
                primary: Some(t),
                english: Some(english_parsed),
                warning: None,
                classes: Default::default(),
            }),
            Err(e) => Ok(DataEntry {
                primary: Some(english_parsed?),
                english: None,
                warning: Some(Warning {
                    message: format!("translated `{r}` fell back to English: {}", e.message()),
                    location: e.location().map(ToString::to_string),
                }),
                classes: Default::default(),
            }),
        }
    }

    /// The English headings of `page` in `version` (translations reuse their ids).
    pub fn english_headings(&self, page: &Arc<Page>, version: Version) -> Result<Arc<Vec<Heading>>, Error> {
        self.inner
            .english_headings
            .get_or_insert_with((page.path.clone(), version), || {
                let prepared = self.english_template(page, Property::Body, page.body())?;
                let key = TemplateKey::Page(Lang::ENGLISH, page.path.clone(), Property::Body);
                let class = self.body_class(key, &prepared.template, version, Lang::ENGLISH)?;
                Ok(class
                    .headings
                    .get_or_init(|| Arc::new(markdown::headings(&class.text)))
                    .clone())
            })
    }

    /// The alert titles (`> [!NOTE]` …) in `lang`.
    pub fn alert_titles(&self, lang: Lang) -> Result<Arc<AlertTitles>, Error> {
        self.inner
            .alert_titles
            .get_or_insert_with(lang, || AlertTitles::load(&self.inner.corpus, lang).map(Arc::new))
    }

    /// Converts a rendered page's body to HTML: heading ids (English ids by
    /// position for translations), internal links for its version and language,
    /// alerts titled in its language.
    pub fn body_html(&self, rendered: &RenderedPage) -> Result<HtmlOutput, Error> {
        let english = if rendered.lang.is_english() {
            None
        } else {
            Some(self.english_headings(&rendered.page, rendered.version)?)
        };
        let latest = self.inner.corpus.releases().latest();
        let rewrite = |href: &str| rewrite_link(href, rendered.version, rendered.lang, latest);
        let alerts = self.alert_titles(rendered.lang)?;
        let convert = |markdown: &str, rewrite: &dyn Fn(&str) -> String| {
            let mut out = markdown::to_html(
                markdown,
                &markdown::HtmlOptions {
                    english_headings: english.as_deref().map(Vec::as_slice),
                    rewrite_link: Some(rewrite),
                    alert_titles: Some(&alerts),
                },
            );
            out.html = self.clean_html(out.html);
            out
        };
        // The versions of a class convert their text once (links filled in per version).
        if let Some(values) = &rendered.link_values
            && let Some(out) = values.html(&rendered.markdown, english.as_ref(), &rewrite, &convert)
        {
            return Ok(out);
        }
        Ok(convert(&rendered.markdown, &rewrite))
    }

    /// The headings of a rendered page's body, with ids as [`Renderer::body_html`]
    /// gives them (a translation's: the English ids by position), without the HTML.
    pub fn body_headings(&self, rendered: &RenderedPage) -> Result<Arc<Vec<Heading>>, Error> {
        let english = if rendered.lang.is_english() {
            None
        } else {
            Some(self.english_headings(&rendered.page, rendered.version)?)
        };
        // The versions of a class share them (unless a heading shows an AUTOTITLE title).
        if let Some(values) = &rendered.link_values
            && let Some(found) = values.headings(&rendered.markdown, english.as_ref())
        {
            return Ok(found);
        }
        Ok(Arc::new(markdown::translated_headings(
            &rendered.markdown,
            english.as_deref().map(Vec::as_slice),
        )))
    }

    /// Keeps raw HTML from the tree as written (`--trust-html`) instead of
    /// sanitising it; for trees you control.
    pub fn set_trust_html(&self, trusted: bool) {
        self.inner
            .trust_html
            .store(trusted, std::sync::atomic::Ordering::Relaxed);
    }

    /// `html` sanitised ([`sanitize::sanitize`]) unless the tree's HTML is trusted.
    pub fn clean_html(&self, html: String) -> String {
        if self.inner.trust_html.load(std::sync::atomic::Ordering::Relaxed) {
            html
        } else {
            sanitize::sanitize(&html)
        }
    }
}

/// Trims frontmatter properties (the body keeps its whitespace).
fn clean_property(prop: Property, s: String) -> String {
    if prop == Property::Body {
        s
    } else {
        s.trim().to_string()
    }
}

/// Where a property starts in its file: the line of its frontmatter key, or the
/// body's first line.
pub(crate) fn property_location(file: Arc<str>, text: &str, prop: Property, body_line: usize) -> Location {
    if prop == Property::Body {
        return Location::new(file, body_line, 1);
    }
    let key = format!("\n{}:", prop.key());
    let Some(at) = text.find(&key) else {
        return Location::new(file, 1, 1);
    };
    // The value starts after `key:`, its spaces and an opening quote.
    let after = at + key.len();
    let rest = &text[after..];
    let mut off = after + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
    if text[off..].starts_with(['\'', '"']) {
        off += 1;
    }
    Location::at_offset(file, text, off, 1)
}

fn not_available(page: &Page, version: Version) -> Error {
    Error::usage(format!("{} is not available in {}", page.path, version))
        .with_help(format!("it exists in: {}", crate::versions::summarize(&page.versions)))
}

/// Links resolve against the tree lazily: a link to a live page reads that page's
/// file, not the whole tree; only other links build the redirect map.
impl links::LinkIndex for Renderer {
    fn live_page(&self, path: &str) -> Option<(Arc<str>, Version)> {
        match self.inner.redirects.get() {
            Some(Ok(map)) => map.page_entry(path).map(|(p, v)| (p.clone(), v)),
            Some(Err(_)) => None,
            None => self.inner.live_pages.get_or_insert_with(path.to_string(), || {
                crate::redirects::live_page(&self.inner.corpus, path)
            }),
        }
    }

    fn with_map<R>(&self, f: impl FnOnce(&crate::redirects::RedirectMap) -> R) -> Option<R> {
        self.redirect_map().ok().map(|map| f(&map))
    }
}

/// One render: a page in a version and a language.
pub type Job = (Arc<Page>, Version, Lang);

/// `work` on every job (and its place in `jobs`), in parallel, results in the order of `jobs`. The jobs
/// of one page (consecutive, as `page_jobs` makes them) run on one thread, one
/// after the other, and the page's parsed body is released after its last one,
/// so memory follows the pages in flight, not the size of the tree.
pub fn per_page<T: Send>(renderer: &Renderer, jobs: &[Job], work: impl Fn(usize, &Job) -> T + Sync) -> Vec<T> {
    let mut groups: Vec<(usize, &[Job])> = Vec::new();
    let mut start = 0;
    for group in jobs.chunk_by(|a, b| Arc::ptr_eq(&a.0, &b.0)) {
        groups.push((start, group));
        start += group.len();
    }
    use rayon::prelude::*;
    groups
        .par_iter()
        .flat_map_iter(|&(start, group)| {
            let done: Vec<T> = group.iter().enumerate().map(|(i, job)| work(start + i, job)).collect();
            if let Some((page, _, _)) = group.first() {
                renderer.release_page(page);
            }
            done
        })
        .collect()
}
