//! Plugins: the only way work enters the pipeline.
//!
//! A plugin contributes Liquid tags, blocks and filters (and, in later issues,
//! lint rules, checks and sync capabilities). The built-in `core` plugin — the
//! `data` tag and the `ifversion` block — registers through this trait exactly as
//! an outside plugin would.

use liquid_core::parser::{ParseBlock, ParseFilter, ParseTag};

/// Something that extends docgate.
pub trait Plugin: Send + Sync {
    /// A short, unique name (`core`).
    fn name(&self) -> &'static str;

    /// Adds the plugin's Liquid tags, blocks and filters.
    fn register_liquid(&self, registry: &mut LiquidRegistry) {
        let _ = registry;
    }
}

/// What plugins add to the Liquid language.
#[derive(Default)]
pub struct LiquidRegistry {
    pub(crate) tags: Vec<Box<dyn ParseTag>>,
    pub(crate) blocks: Vec<Box<dyn ParseBlock>>,
    pub(crate) filters: Vec<Box<dyn ParseFilter>>,
}

impl LiquidRegistry {
    pub fn tag(&mut self, tag: impl ParseTag + 'static) {
        self.tags.push(Box::new(tag));
    }

    pub fn block(&mut self, block: impl ParseBlock + 'static) {
        self.blocks.push(Box::new(block));
    }

    pub fn filter(&mut self, filter: impl ParseFilter + 'static) {
        self.filters.push(Box::new(filter));
    }
}

/// The `core` plugin: `{% data %}` and `{% ifversion %}`.
pub struct CorePlugin;

impl Plugin for CorePlugin {
    fn name(&self) -> &'static str {
        "core"
    }

    fn register_liquid(&self, registry: &mut LiquidRegistry) {
        registry.tag(crate::render::tags::DataTag);
        registry.block(crate::render::tags::IfVersionBlock);
    }
}

/// The `github-docs` plugin: the other tags of GitHub Docs content — `octicon`,
/// `indented_data_reference`, the extended-Markdown blocks (`note`, `tip`,
/// `warning`, `danger`, platform and tool blocks), `include`, and the filters
/// `version_num`, `obj_size` and `slugify`.
pub struct GithubDocsPlugin;

impl Plugin for GithubDocsPlugin {
    fn name(&self) -> &'static str {
        "github-docs"
    }

    fn register_liquid(&self, registry: &mut LiquidRegistry) {
        use crate::render::docs_tags::*;
        registry.tag(OcticonTag);
        registry.tag(IndentedDataReferenceTag);
        registry.tag(IncludeTag);
        registry.filter(VersionNum);
        registry.filter(ObjSize);
        registry.filter(Slugify);
        for block in ExtendedBlock::all() {
            registry.block(block);
        }
    }
}

/// The plugins every renderer starts with.
pub fn builtin() -> Vec<Box<dyn Plugin>> {
    vec![Box::new(CorePlugin), Box::new(GithubDocsPlugin)]
}
