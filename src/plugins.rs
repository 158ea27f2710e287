//! Plugins: the only way work enters the pipeline, and the composition root
//! that assembles the built-in ones.
//!
//! A plugin contributes Liquid tags, blocks and filters (through
//! [`LiquidRegistry`]), checks for `docgate check` ([`Check`]), and
//! license-sync capabilities. The built-in plugins — `core` (the `data` tag and
//! the `ifversion` block), `github-docs`, `redirects`, `links`, `lint` and
//! `license-sync` — register through this trait exactly as an outside plugin
//! would. The trait's parts live with their subjects (`render::plugin`,
//! `check`, `sync::capabilities`); this module only lists and assembles them,
//! so nothing below it depends on it.

pub use crate::check::{Check, CheckContext, CheckFn, CheckWork, PagePass};
use crate::corpus::Corpus;
use crate::error::Error;
use crate::findings::Finding;
use crate::render::Renderer;
pub use crate::render::plugin::LiquidRegistry;
use crate::sync::capabilities::Capability;

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

/// The `core` plugin: `{% data %}` and `{% ifversion %}`.
pub struct CorePlugin;

impl Plugin for CorePlugin {
    fn name(&self) -> &'static str {
        "core"
    }

    fn register_liquid(&self, registry: &mut LiquidRegistry) {
        crate::render::plugin::register_core(registry);
    }
}

/// The `github-docs` plugin: the other tags and filters of GitHub Docs content.
pub struct GithubDocsPlugin;

impl Plugin for GithubDocsPlugin {
    fn name(&self) -> &'static str {
        "github-docs"
    }

    fn register_liquid(&self, registry: &mut LiquidRegistry) {
        crate::render::plugin::register_github_docs(registry);
    }
}

/// The `redirects` plugin: the map's findings and translations whose
/// `redirect_from` drifted from English.
pub struct RedirectsPlugin;

impl Plugin for RedirectsPlugin {
    fn name(&self) -> &'static str {
        "redirects"
    }

    fn checks(&self) -> Vec<Box<dyn Check>> {
        vec![Box::new(CheckFn {
            name: "redirects",
            description: "redirect_from: duplicates, shadowing, chains, cycles, malformed and external targets, translation drift",
            run: CheckWork::Pages(|cx| Ok(Box::new(RedirectsPass(cx)))),
            rules: crate::redirects::RULES,
        })]
    }
}

/// The `redirects` check page by page: each page's translations drifting
/// from English, then the map's findings.
struct RedirectsPass<'a>(&'a CheckContext<'a>);

impl PagePass for RedirectsPass<'_> {
    fn page(&self, path: &str) -> Result<Vec<Finding>, Error> {
        crate::redirects::translation_drift(self.0.corpus, path, self.0.langs)
    }

    fn finish(&self) -> Result<Vec<Finding>, Error> {
        Ok(self.0.redirects.findings().to_vec())
    }
}

/// The `links` plugin: the `links` check.
pub struct LinksPlugin;

impl Plugin for LinksPlugin {
    fn name(&self) -> &'static str {
        "links"
    }

    fn checks(&self) -> Vec<Box<dyn Check>> {
        vec![Box::new(crate::links::CHECK)]
    }
}

/// The `lint` plugin: the `lint` check.
pub struct LintPlugin;

impl Plugin for LintPlugin {
    fn name(&self) -> &'static str {
        "lint"
    }

    fn checks(&self) -> Vec<Box<dyn Check>> {
        vec![Box::new(crate::lint::CHECK)]
    }
}

/// The `license-sync` plugin: the runner's capabilities.
pub struct LicenseSyncPlugin;

impl Plugin for LicenseSyncPlugin {
    fn name(&self) -> &'static str {
        "license-sync"
    }

    fn capabilities(&self) -> &'static [Capability] {
        &crate::sync::capabilities::CAPABILITIES
    }
}

/// An external plugin (`docgate.toml`) is a plugin like the others.
impl Plugin for crate::external::External {
    fn name(&self) -> &'static str {
        crate::findings::intern(crate::external::External::name(self))
    }

    fn register_liquid(&self, registry: &mut LiquidRegistry) {
        crate::external::External::register_liquid(self, registry);
    }

    fn checks(&self) -> Vec<Box<dyn Check>> {
        self.check().into_iter().collect()
    }
}

/// Liquid's own tags, which no plugin may take over.
const STANDARD_TAGS: &[&str] = &[
    "assign",
    "break",
    "capture",
    "case",
    "comment",
    "continue",
    "cycle",
    "decrement",
    "echo",
    "for",
    "if",
    "ifchanged",
    "include",
    "increment",
    "liquid",
    "raw",
    "render",
    "tablerow",
    "unless",
];

/// The tree's external plugins (`docgate.toml`), started (their handshakes
/// run). A tree may be untrusted, so they start only when `allowed`
/// (`--allow-plugins`); otherwise docgate says once which it skipped.
pub fn external(corpus: &Corpus, config: &crate::config::Config, allowed: bool) -> Result<Vec<Box<dyn Plugin>>, Error> {
    if config.plugins.is_empty() {
        return Ok(Vec::new());
    }
    let names: Vec<&str> = config.plugins.keys().map(String::as_str).collect();
    if !allowed {
        eprintln!(
            "note: {} declares plugins ({}); they run only with --allow-plugins",
            crate::escape::untrusted_line(config.file.as_deref().unwrap_or(crate::config::FILE)),
            names.join(", ")
        );
        return Ok(Vec::new());
    }
    let cwd = match corpus.source() {
        crate::corpus::Source::Disk(d) => d.root().to_path_buf(),
        crate::corpus::Source::Embedded => std::env::current_dir().map_err(|e| Error::io(".", e))?,
    };
    let mut taken: Vec<String> = STANDARD_TAGS.iter().map(|t| t.to_string()).collect();
    let mut builtin = LiquidRegistry::default();
    crate::render::plugin::register_builtin(&mut builtin);
    taken.extend(builtin.tag_names());
    let mut out: Vec<Box<dyn Plugin>> = Vec::new();
    for (name, plugin_config) in &config.plugins {
        let plugin = crate::external::External::start(name, plugin_config, &cwd)?;
        for t in plugin.tags() {
            if taken.contains(t) {
                return Err(Error::at(
                    plugin_config.location.clone(),
                    format!("plugin `{name}` declares the tag `{t}`, which docgate already has"),
                ));
            }
            taken.push(t.clone());
        }
        out.push(Box::new(plugin));
    }
    Ok(out)
}

/// The built-in plugins and the tree's external ones (see [`external`]).
pub fn all(
    corpus: &Corpus,
    config: &crate::config::Config,
    allow_external: bool,
) -> Result<Vec<Box<dyn Plugin>>, Error> {
    let mut plugins = builtin();
    plugins.extend(external(corpus, config, allow_external)?);
    Ok(plugins)
}

/// The checks `plugins` register, in order.
pub fn checks_of(plugins: &[Box<dyn Plugin>]) -> Vec<Box<dyn Check>> {
    plugins.iter().flat_map(|p| p.checks()).collect()
}

/// The built-in plugins, in the order their checks run and their
/// capabilities are listed.
pub fn builtin() -> Vec<Box<dyn Plugin>> {
    vec![
        Box::new(CorePlugin),
        Box::new(GithubDocsPlugin),
        Box::new(RedirectsPlugin),
        Box::new(LinksPlugin),
        Box::new(LintPlugin),
        Box::new(LicenseSyncPlugin),
    ]
}

/// A renderer whose Liquid language is what `plugins` register (the built-in
/// plugins give [`Renderer::new`]'s).
pub fn renderer(corpus: Corpus, plugins: &[Box<dyn Plugin>]) -> Result<Renderer, Error> {
    Renderer::with_liquid(corpus, &|registry| {
        for p in plugins {
            p.register_liquid(registry);
        }
    })
}

/// Every check the built-in plugins register, in order.
pub fn checks() -> Vec<Box<dyn Check>> {
    checks_of(&builtin())
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
        let caps: Vec<&str> = capabilities().map(|c| c.name()).collect();
        let mut unique = caps.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), caps.len(), "{caps:?}");
        assert!(caps.contains(&"trigger") && caps.contains(&"export"));
    }
}
