//! What the site builds around a page body from the tree itself: the children
//! list of an index page (`children:` in its frontmatter), the breadcrumbs
//! (the index pages above a page) and the mini table of contents (its h2s).

use std::sync::Arc;

use serde::Serialize;

use super::markdown::Heading;
use super::{Renderer, Warning};
use crate::corpus::{Page, Property};
use crate::error::Error;
use crate::languages::Lang;
use crate::versions::Version;

/// A child of an index page, as its children list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChildLink {
    /// The child's content path (`pull-requests/concepts/giving-reviews.md`).
    pub path: String,
    /// Its permalink for the version and language.
    pub href: String,
    /// Its title in the version and language.
    pub title: String,
    /// Its intro, rendered (Markdown).
    pub intro: Option<String>,
}

/// One step of the breadcrumbs: an index page above the page, or the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Crumb {
    /// The permalink of the step's page.
    pub href: String,
    /// The short title, else the title.
    pub title: String,
}

/// An entry of the mini table of contents (the page's h2 headings).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// The heading's id (the anchor).
    pub id: String,
    /// The heading's text.
    pub text: String,
}

/// The folder of a page (`a/b` for `a/b/index.md` and `a/b/c.md`): where an
/// index page's children are.
fn folder(page: &Page) -> &str {
    page.path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The page a `children:` entry names, relative to the index page's folder.
fn child_page(renderer: &Renderer, page: &Page, entry: &str) -> Result<Option<Arc<Page>>, Error> {
    let dir = folder(page);
    let rel = entry.trim_matches('/');
    let base = if dir.is_empty() {
        rel.to_string()
    } else {
        format!("{dir}/{rel}")
    };
    for candidate in [format!("{base}.md"), format!("{base}/index.md")] {
        if let Some(p) = renderer.corpus().page(&candidate)? {
            return Ok(Some(p));
        }
    }
    Ok(None)
}

/// The children of `page` that exist in `version`, with their titles and
/// intros in `lang`. A child the tree does not have is left out with a warning.
pub(crate) fn children(
    renderer: &Renderer,
    page: &Page,
    version: Version,
    lang: Lang,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<ChildLink>, Error> {
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for entry in &page.frontmatter.children {
        let Some(child) = child_page(renderer, page, entry)? else {
            missing.push(format!("`{}`", crate::escape::untrusted_line(entry)));
            continue;
        };
        if !child.applies_to(version) {
            continue;
        }
        out.push(ChildLink {
            path: child.path.to_string(),
            href: child.permalink(version, lang),
            title: renderer.page_title(&child, version, lang)?,
            intro: renderer.page_property(&child, version, lang, Property::Intro)?,
        });
    }
    if !missing.is_empty() {
        warnings.push(Warning {
            message: format!(
                "children: {} {} not in this tree, so the children list leaves {} out",
                missing.join(", "),
                if missing.len() == 1 { "is" } else { "are" },
                if missing.len() == 1 { "it" } else { "them" },
            ),
            location: Some(page.file.to_string()),
        });
    }
    Ok(out)
}

/// The children list as the site's Markdown writes it.
pub(crate) fn children_markdown(children: &[ChildLink]) -> String {
    if children.is_empty() {
        return String::new();
    }
    let mut md = String::from("\n## Links\n\n");
    for c in children {
        md.push_str(&format!("* [{}]({})\n\n", c.title.replace(['[', ']'], ""), c.href));
        if let Some(intro) = c.intro.as_deref().filter(|i| !i.trim().is_empty()) {
            md.push_str(&format!("  {}\n\n", intro.trim().replace('\n', "\n  ")));
        }
    }
    md
}

/// The index pages above `page` that exist in `version`, then the page.
pub(crate) fn breadcrumbs(
    renderer: &Renderer,
    page: &Arc<Page>,
    version: Version,
    lang: Lang,
) -> Result<Vec<Crumb>, Error> {
    // The index pages above the page (not the page itself, when it is one).
    let dir = folder(page);
    let above = match page.path.strip_suffix("/index.md") {
        Some(own) if own == dir => dir.rsplit_once('/').map_or("", |(up, _)| up),
        _ => dir,
    };
    let mut crumbs = Vec::clone(&*renderer.ancestor_crumbs(above, version, lang)?);
    crumbs.push(crumb(renderer, page, version, lang)?);
    Ok(crumbs)
}

/// The breadcrumb of `page`: its permalink and its name in navigation.
fn crumb(renderer: &Renderer, page: &Arc<Page>, version: Version, lang: Lang) -> Result<Crumb, Error> {
    Ok(Crumb {
        href: page.permalink(version, lang),
        title: nav_title(renderer, page, version, lang)?,
    })
}

/// The breadcrumbs of the index pages of `folder` and of each folder above
/// it (those that exist in `version`), outermost first.
pub(crate) fn ancestor_crumbs(
    renderer: &Renderer,
    folder: &str,
    version: Version,
    lang: Lang,
) -> Result<Vec<Crumb>, Error> {
    let corpus = renderer.corpus();
    let segments: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    let mut chain: Vec<Arc<Page>> = Vec::new();
    for i in 1..=segments.len() {
        let index = format!("{}/index.md", segments[..i].join("/"));
        if let Some(p) = corpus.page(&index)?
            && p.applies_to(version)
        {
            chain.push(p);
        }
    }
    chain.iter().map(|p| crumb(renderer, p, version, lang)).collect()
}

/// A page's name in navigation (breadcrumbs, sidebar): the short title, else the title.
fn nav_title(renderer: &Renderer, page: &Arc<Page>, version: Version, lang: Lang) -> Result<String, Error> {
    match renderer.page_property(page, version, lang, Property::ShortTitle)? {
        Some(t) if !t.trim().is_empty() => Ok(t),
        _ => renderer.page_title(page, version, lang),
    }
}

/// The mini table of contents: the h2 headings.
pub fn mini_toc(headings: &[Heading]) -> Vec<TocEntry> {
    headings
        .iter()
        .filter(|h| h.level == 2)
        .map(|h| TocEntry {
            id: h.id.clone(),
            text: h.text.clone(),
        })
        .collect()
}

/// A page of the sidebar: its link and title, and the pages its `children:`
/// list (those that exist in the version).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NavNode {
    /// The content path.
    pub path: String,
    /// The permalink for the version and language.
    pub href: String,
    /// The short title, else the title.
    pub title: String,
    /// Its children, in `children:` order.
    pub children: Vec<NavNode>,
}

/// How deep the sidebar follows `children:` (GitHub Docs nests product,
/// category, map topic, article: four levels).
const SIDEBAR_DEPTH: usize = 4;

/// The sidebar of the product `page` belongs to: the product's index page
/// (`admin/index.md` for `admin/…`) and its `children:`, recursively, as they
/// exist in `version`, titled in `lang`. `None` for a page outside any product
/// (the home page) or a product without an index page in this version.
pub fn sidebar(renderer: &Renderer, page: &Page, version: Version, lang: Lang) -> Result<Option<NavNode>, Error> {
    let Some((product, _)) = page.path.split_once('/') else {
        return Ok(None);
    };
    let Some(index) = renderer.corpus().page(&format!("{product}/index.md"))? else {
        return Ok(None);
    };
    if !index.applies_to(version) {
        return Ok(None);
    }
    let mut seen = std::collections::HashSet::new();
    nav_node(renderer, &index, version, lang, SIDEBAR_DEPTH, &mut seen).map(Some)
}

fn nav_node(
    renderer: &Renderer,
    page: &Arc<Page>,
    version: Version,
    lang: Lang,
    depth: usize,
    seen: &mut std::collections::HashSet<Arc<str>>,
) -> Result<NavNode, Error> {
    seen.insert(page.path.clone());
    let title = nav_title(renderer, page, version, lang)?;
    let mut children = Vec::new();
    if depth > 1 {
        for entry in &page.frontmatter.children {
            // A child that is missing is the children list's warning, not the sidebar's;
            // a cycle (`children:` naming an ancestor) is cut.
            if let Some(child) = child_page(renderer, page, entry)?
                && child.applies_to(version)
                && !seen.contains(&child.path)
            {
                children.push(nav_node(renderer, &child, version, lang, depth - 1, seen)?);
            }
        }
    }
    Ok(NavNode {
        path: page.path.to_string(),
        href: page.permalink(version, lang),
        title,
        children,
    })
}
