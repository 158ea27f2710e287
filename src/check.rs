//! Checks: what `docgate check` runs. A check looks at the tree through a
//! [`CheckContext`] and returns findings; plugins register checks (see
//! [`crate::plugins::Plugin::checks`]).

use crate::corpus::Corpus;
use crate::error::Error;
use crate::findings::Finding;
pub use crate::findings::Rule;
use crate::redirects::RedirectMap;
use crate::render::Renderer;
use crate::versions::VersionSelection;

/// What a check looks at: the tree, its renderer, the redirect map built from
/// it, and the versions whose pages to render.
pub struct CheckContext<'a> {
    /// The docs tree.
    pub corpus: &'a Corpus,
    /// Its renderer.
    pub renderer: &'a Renderer,
    /// The redirect map built from the tree.
    pub redirects: &'a RedirectMap,
    /// The versions whose pages to render.
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

    /// The rules its findings name (`docgate check --list-rules`).
    fn rules(&self) -> &'static [Rule] {
        &[]
    }
}

/// A check that is one function, as the built-in ones are.
pub struct CheckFn {
    /// The name on the command line.
    pub name: &'static str,
    /// One line for `--help`.
    pub description: &'static str,
    /// The check itself: every finding in the tree, or an `Err` when it could not run.
    pub run: fn(&CheckContext<'_>) -> Result<Vec<Finding>, Error>,
    /// The rules its findings name.
    pub rules: &'static [Rule],
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

    fn rules(&self) -> &'static [Rule] {
        self.rules
    }
}
