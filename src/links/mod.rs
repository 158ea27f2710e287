//! Link checking: every internal link of every page, in every version and
//! language it renders in, after Liquid, must reach a page (directly, or
//! through a redirect: "should be updated") and an anchor that exists in that
//! version of the target. Same-page anchors and assets too.

use std::collections::HashSet;
use std::sync::Arc;

use pulldown_cmark::{Event, Parser, Tag};

use crate::check::Rule;
use crate::corpus::{Corpus, Page};
use crate::error::Error;
use crate::findings::{Finding, Severity};
use crate::languages::Lang;
use crate::redirects::RedirectMap;
use crate::render::links::{LinkTarget, locate, resolve_link};
use crate::render::markdown::markdown_options;
use crate::render::{Renderer, TranslationStatus};
use crate::versions::{Version, VersionSelection};

/// A link found in a rendered page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundLink {
    /// The target as written.
    pub href: String,
    /// An image (`![…](…)`) rather than a link.
    pub image: bool,
}

/// Links and images of a Markdown text, in order (reference definitions resolved).
pub fn extract(markdown: &str) -> Vec<FoundLink> {
    Parser::new_ext(markdown, markdown_options())
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. }) => Some(FoundLink {
                href: dest_url.to_string(),
                image: false,
            }),
            Event::Start(Tag::Image { dest_url, .. }) => Some(FoundLink {
                href: dest_url.to_string(),
                image: true,
            }),
            _ => None,
        })
        .collect()
}

fn is_external(href: &str) -> bool {
    href.starts_with("//") || href.contains("://") || href.starts_with("mailto:") || href.starts_with("tel:")
}

/// The `links` check (registered by the `links` plugin).
pub const CHECK: crate::check::CheckFn = crate::check::CheckFn {
    name: "links",
    description: "internal links and anchors of every page × version × language",
    run: crate::check::CheckWork::Pages(|cx| {
        Ok(Box::new(LinksPass {
            renderer: cx.renderer,
            map: cx.redirects,
            selection: cx.versions,
            langs: cx.langs,
        }))
    }),
    rules: RULES,
};

/// The rules of the `links` check.
pub const RULES: &[Rule] = &[
    Rule::error("broken-link", "an internal link reaches no page in that version"),
    Rule::error(
        "broken-anchor",
        "a link's #anchor is no heading of the target in that version",
    ),
    Rule::warning(
        "redirected-link",
        "a link reaches its page through a redirect: link the page itself",
    ),
    Rule::error(
        "missing-asset",
        "a link or image to /assets/… names no file of the tree",
    ),
    Rule::error(
        "render-error",
        "the page does not render in that version and language, so its links are unknown",
    ),
];

/// The links check page by page: every selected version, in each of the
/// selected languages (English, and those the page has a translation in).
struct LinksPass<'a> {
    renderer: &'a Renderer,
    map: &'a RedirectMap,
    selection: &'a VersionSelection,
    langs: &'a [Lang],
}

impl crate::check::PagePass for LinksPass<'_> {
    /// The findings of the page at `path` (none when it cannot be read: the
    /// lint reports that) in each selected version and language.
    fn page(&self, path: &str) -> Result<Vec<Finding>, Error> {
        let corpus = self.renderer.corpus();
        let Ok(Some(page)) = corpus.page(path) else {
            return Ok(Vec::new());
        };
        let page_langs: Vec<Lang> = self
            .langs
            .iter()
            .copied()
            .filter(|l| l.is_english() || corpus.translation_head(&page, *l).ok().flatten().is_some())
            .collect();
        let mut out = Vec::new();
        for v in corpus.releases().select(self.selection, &page.versions) {
            for &lang in &page_langs {
                out.extend(check_page(self.renderer, corpus, self.map, &page, v, lang));
            }
        }
        Ok(out)
    }
}

fn check_page(
    renderer: &Renderer,
    corpus: &Corpus,
    map: &RedirectMap,
    page: &Arc<Page>,
    v: Version,
    lang: Lang,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let rendered = match renderer.render_page(page, v, lang) {
        Ok(r) => r,
        Err(e) => {
            let loc = e.location();
            let f = Finding::new(
                "links",
                "render-error",
                Severity::Error,
                loc.map_or_else(|| page.file.clone(), |l| l.file.clone()),
                loc.map_or(0, |l| l.line),
                format!(
                    "the page does not render, so its links cannot be checked: {}",
                    e.message()
                ),
            )
            .version(v);
            out.push(if lang.is_english() { f } else { f.lang(lang) });
            return out;
        }
    };
    // Where the text was written: the translation (when used) or the English page.
    let (file, text, body_offset) = match (&rendered.translation, corpus.translation(page, lang)) {
        (TranslationStatus::Translated, Ok(Some(t))) => (t.file.clone(), t.text.clone(), t.body_offset),
        _ => (page.file.clone(), page.text.clone(), page.body_offset),
    };
    let finding = |rule: &'static str, severity: Severity, href: &str, message: String| {
        let (file, line, column) = locate(corpus, lang, &file, &text, body_offset, href);
        let mut f = Finding::new("links", rule, severity, file, line, message).version(v);
        f.column = column;
        if lang.is_english() { f } else { f.lang(lang) }
    };
    // English ids come from the cached English headings; a translation's are
    // its own (English ids by position, then its own; shared by a class).
    // Looked up on the first same-page anchor (most versions have none).
    let own_ids: std::cell::OnceCell<HashSet<String>> = std::cell::OnceCell::new();
    let own_ids = || {
        own_ids.get_or_init(|| {
            if lang.is_english() {
                renderer.english_headings(page, v)
            } else {
                renderer.body_headings(&rendered)
            }
            .map(|h| h.iter().map(|h| h.id.clone()).collect())
            .unwrap_or_default()
        })
    };
    let latest = corpus.releases().latest();
    // The render found them already (else the body is parsed for them).
    let extracted;
    let (links, from_render): (Vec<(&str, bool)>, bool) = match rendered.body_links() {
        Some(found) => (found.collect(), true),
        None => {
            extracted = extract(&rendered.body);
            (extracted.iter().map(|l| (l.href.as_str(), l.image)).collect(), false)
        }
    };
    for (href, image) in links {
        if href.is_empty() || is_external(href) {
            continue;
        }
        if let Some(frag) = href.strip_prefix('#') {
            if !own_ids().contains(frag) {
                out.push(finding(
                    "broken-anchor",
                    Severity::Error,
                    href,
                    format!("`{href}`: this page has no heading `{frag}`"),
                ));
            }
            continue;
        }
        if !href.starts_with('/') {
            continue;
        }
        let (path, frag) = match href.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (href, None),
        };
        let path = path.split('?').next().unwrap_or(path);
        if path.starts_with("/assets/") || image {
            let rel = path.trim_start_matches('/');
            if !corpus.source().exists(rel) {
                out.push(finding(
                    "missing-asset",
                    Severity::Error,
                    href,
                    format!("`{path}` is not in the tree"),
                ));
            }
            continue;
        }
        // The render resolved it already (else it is resolved here).
        let resolved;
        let found = match rendered.link_target(href).filter(|_| from_render) {
            Some(t) => t,
            None => {
                resolved = resolve_link(map, path, v, lang, latest);
                &resolved
            }
        };
        let (target_path, target_version) = match found {
            LinkTarget::Page {
                page,
                version,
                redirected,
                ..
            } => {
                if *redirected {
                    out.push(finding(
                        "redirected-link",
                        Severity::Warning,
                        href,
                        format!("`{path}` is an old path of {page}: link to the page itself"),
                    ));
                }
                (page, *version)
            }
            LinkTarget::OtherVersion { .. } | LinkTarget::Outside => {
                // An AUTOTITLE link there has no title: say what the page shows instead.
                // (One to a page missing in this version does not render: a render error.)
                let message = if rendered.body.contains(&format!("[AUTOTITLE]({href}")) {
                    format!(
                        "[AUTOTITLE]({path}) reaches no page of this tree: the page shows the path instead of a title"
                    )
                } else {
                    format!("`{path}` does not reach a page")
                };
                out.push(finding("broken-link", Severity::Error, href, message));
                continue;
            }
        };
        let Some(frag) = frag.filter(|f| !f.is_empty()) else {
            continue;
        };
        let Ok(Some(target_page)) = corpus.page(target_path) else {
            continue;
        };
        match renderer.english_headings(&target_page, target_version) {
            Ok(h) if h.iter().any(|h| h.id == frag) => {}
            Ok(_) => out.push(finding(
                "broken-anchor",
                Severity::Error,
                href,
                format!("`{href}`: {} has no heading `{frag}`", target_page.path),
            )),
            Err(e) => out.push(finding(
                "broken-anchor",
                Severity::Error,
                href,
                format!("`{href}`: the target does not render: {}", e.one_line()),
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extraction() {
        let md = "See [a](/x#y) and ![img](/assets/i.png).\n\n[ref]: /z\n\n[r][ref] <https://e.com>";
        let links = extract(md);
        let hrefs: Vec<&str> = links.iter().map(|l| l.href.as_str()).collect();
        assert_eq!(hrefs, ["/x#y", "/assets/i.png", "/z", "https://e.com"]);
        assert!(links[1].image);
    }
}
