//! Where a link leads and where it is written: resolution of internal links
//! (for AUTOTITLE, link rewriting and the links check) and their source
//! location in a page or the reusables it includes.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use crate::corpus::{Corpus, DataRef};
use crate::languages::Lang;
use crate::redirects::{RedirectMap, Resolution};
use crate::render::rewrite_link;
use crate::scan::tags;
use crate::versions::Version;

/// Where `href` is written: in the page's text, else in the reusables it
/// includes (followed recursively, in `lang` where translated), as file, line
/// and column. Line 0 when no source has it (Liquid built the link).
pub fn locate(
    corpus: &Corpus,
    lang: Lang,
    file: &Arc<str>,
    text: &str,
    body_offset: usize,
    href: &str,
) -> (Arc<str>, usize, Option<usize>) {
    let (line, column) = line_in(text, body_offset, href);
    if line > 0 {
        return (file.clone(), line, column);
    }
    let mut queue: VecDeque<DataRef> = reusables_in(&text[body_offset..]).into();
    let mut seen = HashSet::new();
    while let Some(r) = queue.pop_front() {
        if !seen.insert(r.to_string()) {
            continue;
        }
        let Ok(Some(t)) = corpus.data(&r, lang).map(|l| l.text) else {
            continue;
        };
        let (line, column) = line_in(&t.text, 0, href);
        if line > 0 {
            return (t.file.clone(), t.line + line - 1, column);
        }
        queue.extend(reusables_in(&t.text));
    }
    (file.clone(), 0, None)
}

/// The reusables `text` includes with `data` or `indented_data_reference`.
fn reusables_in(text: &str) -> Vec<DataRef> {
    tags(text)
        .iter()
        .filter(|t| crate::scan::takes_data_path(t.name(text)))
        .filter_map(|t| {
            let args = t.args(text);
            DataRef::parse(args.split_whitespace().next()?).ok()
        })
        .filter(|r| matches!(r, DataRef::Reusable { .. }))
        .collect()
}

/// The line and column of `text` where `href` is written (line 0 when it is
/// not there).
fn line_in(text: &str, body_offset: usize, href: &str) -> (usize, Option<usize>) {
    let body = &text[body_offset..];
    let at = body
        .find(&format!("]({href}"))
        .map(|i| i + 2)
        .or_else(|| body.find(href));
    match at {
        Some(i) => {
            let at = crate::error::Location::at_offset("".into(), text, body_offset + i, 1);
            (at.line, Some(at.column))
        }
        None => (0, None),
    }
}

/// Where an internal link (a path without fragment or query) leads in one
/// version and language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// A page of that version.
    Page {
        /// Its path without language (`/enterprise-server@3.5/admin/x`).
        href: String,
        /// Its content path (`admin/x.md`).
        page: Arc<str>,
        /// The version the page is in.
        version: Version,
        /// Reached through a redirect (an old path).
        redirected: bool,
    },
    /// A page of the tree, but not in that version.
    OtherVersion {
        /// Its content path.
        page: Arc<str>,
    },
    /// No page of the tree has that path or an old path like it.
    Outside,
}

/// What link resolution asks of the tree: whether a path is a live page, and
/// the whole redirect map for everything else.
pub trait LinkIndex {
    /// The page (content path) and version at a live path without language,
    /// when that can be told without the whole map (`None`: ask the map).
    fn live_page(&self, path: &str) -> Option<(Arc<str>, Version)>;
    /// Runs `f` on the whole redirect map (`None` when it cannot be built).
    fn with_map<R>(&self, f: impl FnOnce(&RedirectMap) -> R) -> Option<R>;
}

impl LinkIndex for RedirectMap {
    fn live_page(&self, path: &str) -> Option<(Arc<str>, Version)> {
        self.page_entry(path).map(|(p, v)| (p.clone(), v))
    }

    fn with_map<R>(&self, f: impl FnOnce(&RedirectMap) -> R) -> Option<R> {
        Some(f(self))
    }
}

/// Resolves an internal link the way the reference does at render time: the
/// link is rewritten for the version and language, then looked up as a page,
/// else through the redirect map.
pub fn resolve_link(
    index: &impl LinkIndex,
    path: &str,
    v: Version,
    lang: Lang,
    latest: crate::versions::Release,
) -> LinkTarget {
    use crate::permalink::without_lang;
    let direct = crate::permalink::rewrite_path(path, v, latest);
    if let Some((page, version)) = index.live_page(&direct) {
        return LinkTarget::Page {
            page,
            version,
            href: direct,
            redirected: false,
        };
    }
    index
        .with_map(|map| {
            let (href, redirected) = if map.is_page(&direct) {
                (direct, false)
            } else {
                match map.resolve(&rewrite_link(path, v, lang, latest), lang) {
                    Resolution::Page { permalink: p } | Resolution::Redirect { permalink: p, .. } => {
                        (without_lang(&p), true)
                    }
                    Resolution::NotFound => {
                        // In another version? The versionless path (or an old path) resolves.
                        let versionless = rewrite_link(path, Version::Fpt, lang, latest);
                        return match map.resolve(&without_lang(&versionless), lang) {
                            Resolution::Page { permalink: p } | Resolution::Redirect { permalink: p, .. } => map
                                .page_entry(&without_lang(&p))
                                .map_or(LinkTarget::Outside, |(page, _)| LinkTarget::OtherVersion {
                                    page: page.clone(),
                                }),
                            Resolution::NotFound => LinkTarget::Outside,
                        };
                    }
                }
            };
            match map.page_entry(&href) {
                Some((page, version)) => LinkTarget::Page {
                    page: page.clone(),
                    version,
                    href,
                    redirected,
                },
                None => LinkTarget::Outside,
            }
        })
        .unwrap_or(LinkTarget::Outside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_links() {
        let text = "---\ntitle: t\n---\nline\n[a](/x#y)\n";
        let body = text.find("line").unwrap();
        assert_eq!(line_in(text, body, "/x#y"), (5, Some(5)));
        assert_eq!(line_in(text, body, "/nope"), (0, None));
    }
}
