//! The Liquid language's extension points: a [`LiquidRegistry`] that tags,
//! blocks and filters are added to, and the two built-in sets — the `core`
//! tags ([`register_core`]) and the rest of GitHub Docs' ([`register_github_docs`]).
//! Plugins (see `crate::plugins`) register through the same registry.

use liquid_core::parser::{ParseBlock, ParseFilter, ParseTag};

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
    registry.block(PromptBlock);
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
