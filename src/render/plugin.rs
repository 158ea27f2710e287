//! The Liquid language's extension points: a [`LiquidRegistry`] that tags,
//! blocks and filters are added to, and the two built-in sets — the `core`
//! tags ([`register_core`]) and the rest of GitHub Docs' ([`register_github_docs`]).
//! Plugins (see `crate::plugins`) register through the same registry.

use std::sync::Arc;

use liquid_core::Runtime;
use liquid_core::parser::{ParseBlock, ParseFilter, ParseTag};

use crate::error::{Error, Location};
use crate::languages::Lang;
use crate::versions::Version;

/// What plugins add to the Liquid language.
#[derive(Default)]
pub struct LiquidRegistry {
    pub(crate) tags: Vec<Box<dyn ParseTag>>,
    pub(crate) blocks: Vec<Box<dyn ParseBlock>>,
    pub(crate) filters: Vec<Box<dyn ParseFilter>>,
    pub(crate) preprocessors: Vec<Box<dyn Preprocess>>,
}

impl LiquidRegistry {
    /// Adds a tag.
    pub fn tag(&mut self, tag: impl ParseTag + 'static) {
        self.tags.push(Box::new(tag));
    }

    /// Adds a block (a tag with an `end` tag).
    pub fn block(&mut self, block: impl ParseBlock + 'static) {
        self.blocks.push(Box::new(block));
    }

    /// Adds a filter; its results are checked against the render's limits.
    pub fn filter(&mut self, filter: impl ParseFilter + 'static) {
        self.filters.push(Box::new(filter));
    }

    /// The names of the tags and blocks registered so far.
    pub fn tag_names(&self) -> Vec<String> {
        self.tags
            .iter()
            .map(|t| t.reflection().tag().to_string())
            .chain(self.blocks.iter().map(|b| b.reflection().start_tag().to_string()))
            .collect()
    }

    /// Adds a step that rewrites each page's Markdown after Liquid, before HTML.
    pub fn preprocess(&mut self, step: impl Preprocess + 'static) {
        self.preprocessors.push(Box::new(step));
    }
}

/// The `core` tags: `{% data %}` and `{% ifversion %}`.
pub fn register_core(registry: &mut LiquidRegistry) {
    registry.tag(crate::render::tags::DataTag);
    registry.block(crate::render::tags::IfVersionBlock);
}

/// The other tags of GitHub Docs content: `octicon`, `indented_data_reference`,
/// the extended-Markdown blocks (`note`, `tip`, `warning`, `danger`, platform
/// and tool blocks, `rowheaders`), `prompt`, the 2021 link tags (`link`,
/// `link_with_intro`, …), `include`, and the filters `version_num`, `obj_size`
/// and `slugify`.
pub fn register_github_docs(registry: &mut LiquidRegistry) {
    use crate::render::docs_tags::*;
    registry.tag(OcticonTag);
    registry.tag(IndentedDataReferenceTag);
    for tag in IncludeTag::all() {
        registry.tag(tag);
    }
    registry.block(super::prompt::PromptBlock);
    for tag in LinkTag::all() {
        registry.tag(tag);
    }
    registry.filter(VersionNum);
    registry.filter(ObjSize);
    registry.filter(Slugify);
    for block in ExtendedBlock::all() {
        registry.block(block);
    }
}

/// Both built-in sets, as [`crate::render::Renderer::new`] uses them.
pub fn register_builtin(registry: &mut LiquidRegistry) {
    register_core(registry);
    register_github_docs(registry);
}

/// The page a [`Preprocess`] step works on.
#[derive(Clone, Copy, Debug)]
pub struct PageInfo<'a> {
    /// The content path (`admin/x.md`).
    pub path: &'a str,
    /// The version rendered.
    pub version: Version,
    /// The language rendered.
    pub lang: Lang,
}

/// A step between Liquid and Markdown: it gets a page's Markdown (the body
/// after Liquid) and returns the Markdown to render. Steps run in the order
/// they were registered.
pub trait Preprocess: Send + Sync {
    /// Who the step belongs to, for messages.
    fn name(&self) -> &str;

    /// The new Markdown of `page`. An error fails the page's render.
    fn run(&self, page: PageInfo<'_>, markdown: String) -> Result<String, Error>;
}

/// Where a tag is written: call it from `ParseTag::parse` with the text of
/// any of the tag's argument tokens. `None` outside a docgate parse.
pub fn tag_location(token: &str) -> Option<Location> {
    super::liquid::site_of(token).map(|s| s.location)
}

/// What a tag sees while it renders: the version and language of the render,
/// the tree's features, and ways to warn or to fail with a located error.
///
/// ```ignore
/// fn render_to(&self, out: &mut dyn std::io::Write, rt: &dyn Runtime) -> liquid_core::Result<()> {
///     let cx = TagContext::new(rt)?;
///     if cx.feature("my-feature") { write!(out, "on {}", cx.version()).ok(); }
///     Ok(())
/// }
/// ```
pub struct TagContext<'a> {
    rt: &'a dyn Runtime,
    ctx: Arc<super::RenderCtx>,
}

impl<'a> TagContext<'a> {
    /// The context of the render `rt` belongs to (an error outside a docgate render).
    pub fn new(rt: &'a dyn Runtime) -> liquid_core::Result<Self> {
        Ok(TagContext {
            rt,
            ctx: super::liquid::ctx(rt)?,
        })
    }

    /// The version being rendered.
    pub fn version(&self) -> Version {
        // What the tag writes may differ by version: not reused across versions.
        super::classes::opaque();
        self.ctx.version
    }

    /// The language being rendered.
    pub fn language(&self) -> Lang {
        self.ctx.lang
    }

    /// Whether feature `name` (`data/features/<name>.yml`) is on for this version.
    pub fn feature(&self, name: &str) -> bool {
        // What the tag writes may differ by version through the feature (no
        // `ifversion` decision records it): not reused across versions.
        super::classes::opaque();
        self.ctx.feature(name).unwrap_or(false)
    }

    /// Reports a warning with the render (once per message and place).
    pub fn warn(&self, message: impl Into<String>, location: Option<&Location>) {
        super::liquid::warn(
            self.rt,
            super::liquid::Warning {
                message: message.into(),
                location: location.map(ToString::to_string),
            },
        );
    }

    /// Fails the render with `error` (located where the error says), as docgate's
    /// own tags do: return the result from `render_to`.
    pub fn fail(&self, error: Error) -> liquid_core::Error {
        super::liquid::fail(self.rt, error)
    }

    /// Fails the render with `message` at `location` (the tag's, from [`tag_location`]).
    pub fn error_at(&self, location: Option<Location>, message: impl Into<String>) -> liquid_core::Error {
        let error = match location {
            Some(l) => Error::at(l, message),
            None => Error::input(message),
        };
        self.fail(error)
    }
}
