//! Plugins: the only way work enters the pipeline.
//!
//! A plugin contributes Liquid tags, blocks and filters, checks for
//! `docgate check`, and license-sync capabilities. The built-in plugins —
//! `core` (the `data` tag and the `ifversion` block), `github-docs`,
//! `redirects`, `links`, `lint` and `license-sync` — register through this
//! trait exactly as an outside plugin would.

use liquid_core::parser::{ParseBlock, ParseFilter, ParseTag};

use crate::corpus::Corpus;
use crate::error::Error;
use crate::findings::Finding;
use crate::redirects::RedirectMap;
use crate::render::Renderer;
use crate::sync::capabilities::Capability;
use crate::versions::VersionSelection;

/// Something that extends docgate.
pub trait Plugin: Send + Sync {
    /// A short, unique name (`core`).
    fn name(&self) -> &'static str;

    /// Adds the plugin's Liquid tags, blocks and filters.
    fn register_liquid(&self, registry: &mut LiquidRegistry) {
        let _ = registry;
    }

    /// The checks the plugin adds to `docgate check`.
    fn checks(&self) -> Vec<Box<dyn Check>> {
        Vec::new()
    }

    /// The license-sync capabilities the plugin declares.
    fn capabilities(&self) -> &'static [Capability] {
        &[]
    }
}

/// What a check looks at: the tree, its renderer, the redirect map built from
/// it, and the versions whose pages to render.
pub struct CheckContext<'a> {
    pub corpus: &'a Corpus,
    pub renderer: &'a Renderer,
    pub redirects: &'a RedirectMap,
    pub versions: &'a VersionSelection,
    /// The languages to check (English pages are checked when it is among them).
    pub langs: &'a [crate::languages::Lang],
}

/// One check of `docgate check` (`redirects`, `links`, `lint`, …).
pub trait Check: Send + Sync {
    /// The name on the command line.
    fn name(&self) -> &'static str;

    /// One line for `--help`.
    fn description(&self) -> &'static str;

    /// Every finding in the tree. An `Err` means the check could not run.
    fn run(&self, cx: &CheckContext<'_>) -> Result<Vec<Finding>, Error>;
}

/// A check that is one function, as the built-in ones are.
pub struct CheckFn {
    pub name: &'static str,
    pub description: &'static str,
    pub run: fn(&CheckContext<'_>) -> Result<Vec<Finding>, Error>,
}

impl Check for CheckFn {
    fn name(&self) -> &'static str {
        self.name
    }

    fn description(&self) -> &'static str {
        self.description
    }

    fn run(&self, cx: &CheckContext<'_>) -> Result<Vec<Finding>, Error> {
        (self.run)(cx)
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
/// `warning`, `danger`, platform and tool blocks, `rowheaders`), `prompt`,
/// the 2021 link tags (`link`, `link_with_intro`, …), `include`, and the filters
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
}

/// The built-in plugins, in the order their checks run and their
/// capabilities are listed.
pub fn builtin() -> Vec<Box<dyn Plugin>> {
    vec![
        Box::new(CorePlugin),
        Box::new(GithubDocsPlugin),
        Box::new(crate::redirects::RedirectsPlugin),
        Box::new(crate::links::LinksPlugin),
        Box::new(crate::lint::LintPlugin),
        Box::new(crate::sync::LicenseSyncPlugin),
    ]
}

/// Every check the built-in plugins register, in order.
pub fn checks() -> Vec<Box<dyn Check>> {
    builtin().iter().flat_map(|p| p.checks()).collect()
}

/// Every capability the built-in plugins declare, in order.
pub fn capabilities() -> impl Iterator<Item = &'static Capability> {
    builtin().into_iter().flat_map(|p| p.capabilities().iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_plugins_register_every_check_and_capability_once() {
        let names: Vec<&str> = builtin().iter().map(|p| p.name()).collect();
        assert_eq!(
            names,
            ["core", "github-docs", "redirects", "links", "lint", "license-sync"]
        );
        let checks: Vec<&str> = checks().iter().map(|c| c.name()).collect();
        assert_eq!(checks, ["redirects", "links", "lint"]);
        let caps: Vec<&str> = capabilities().map(|c| c.name).collect();
        let mut unique = caps.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), caps.len(), "{caps:?}");
        assert!(caps.contains(&"trigger") && caps.contains(&"export"));
    }
}
