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

    /// Its work page by page, when it has any: `docgate check` then runs it in
    /// one pass over the pages with the other checks' (see [`run`]), so that
    /// each page is read, parsed and rendered once for all of them.
    fn page_pass<'a>(&self, _cx: &'a CheckContext<'a>) -> Result<Option<Box<dyn PagePass + 'a>>, Error> {
        Ok(None)
    }
}

/// A check's work on each page, run in the pass over the pages that the
/// checks share: the renderer keeps a page's reads and parses until every
/// check of the pass has seen the page, then forgets them.
pub trait PagePass: Send + Sync {
    /// The findings of one page (`path`, as under `content/`). An `Err` means
    /// the check could not run.
    fn page(&self, path: &str) -> Result<Vec<Finding>, Error>;

    /// The findings not of one page, after every page.
    fn finish(&self) -> Result<Vec<Finding>, Error> {
        Ok(Vec::new())
    }
}

/// Runs `checks`: those with a page pass together, in one parallel pass over
/// the pages (each page released after all of them saw it), then the others.
/// The findings of each check, in the order of `checks`; or an error (one
/// that stops a check stops the run: the first in the order of the pages,
/// then of the checks).
pub fn run(checks: &[&dyn Check], cx: &CheckContext<'_>) -> Result<Vec<Vec<Finding>>, Error> {
    use rayon::prelude::*;
    let mut passes: Vec<(usize, Box<dyn PagePass + '_>)> = Vec::new();
    for (i, check) in checks.iter().enumerate() {
        if let Some(pass) = check.page_pass(cx)? {
            passes.push((i, pass));
        }
    }
    let mut found: Vec<Vec<Finding>> = vec![Vec::new(); checks.len()];
    if !passes.is_empty() {
        let pages: Vec<Result<Vec<Vec<Finding>>, Error>> = cx
            .corpus
            .page_paths()?
            .par_iter()
            .map(|path| {
                let done = passes.iter().map(|(_, p)| p.page(path)).collect();
                if let Ok(Some(page)) = cx.corpus.page(path) {
                    cx.renderer.release_page(&page);
                }
                done
            })
            .collect();
        for page in pages {
            for ((i, _), f) in passes.iter().zip(page?) {
                found[*i].extend(f);
            }
        }
        for (i, pass) in &passes {
            found[*i].extend(pass.finish()?);
        }
    }
    for (i, check) in checks.iter().enumerate() {
        if !passes.iter().any(|(p, _)| *p == i) {
            found[i] = check.run(cx)?;
        }
    }
    Ok(found)
}

/// A page pass of a check, made for a run.
pub type PassFn = for<'a> fn(&'a CheckContext<'a>) -> Result<Box<dyn PagePass + 'a>, Error>;

/// How a [`CheckFn`] does its work.
#[derive(Clone, Copy)]
pub enum CheckWork {
    /// One function: every finding in the tree, or an `Err` when it could not run.
    Tree(fn(&CheckContext<'_>) -> Result<Vec<Finding>, Error>),
    /// Page by page, in the pass the checks share.
    Pages(PassFn),
}

/// A check that is one function, as the built-in ones are.
pub struct CheckFn {
    /// The name on the command line.
    pub name: &'static str,
    /// One line for `--help`.
    pub description: &'static str,
    /// The check itself.
    pub run: CheckWork,
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
        match self.run {
            CheckWork::Tree(run) => run(cx),
            CheckWork::Pages(_) => Ok(run(&[self], cx)?.pop().unwrap_or_default()),
        }
    }

    fn rules(&self) -> &'static [Rule] {
        self.rules
    }

    fn page_pass<'a>(&self, cx: &'a CheckContext<'a>) -> Result<Option<Box<dyn PagePass + 'a>>, Error> {
        match self.run {
            CheckWork::Tree(_) => Ok(None),
            CheckWork::Pages(pass) => pass(cx).map(Some),
        }
    }
}
