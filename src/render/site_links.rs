//! Links as the live site writes them (the reference's `rewriteLocalLinks`):
//! `[AUTOTITLE](/path)` takes the target page's title, rendered for the same
//! version and language, and every internal href is rewritten for the version
//! and language, through the redirect map to the page's permalink.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use super::links::{LinkTarget, resolve_link};
use super::markdown::markdown_options;
use super::{Renderer, is_site_path, rewrite_link};
use crate::corpus::Page;
use crate::error::{Error, Location};
use crate::languages::Lang;
use crate::versions::Version;

/// The Markdown of a page body with its links resolved.
pub(crate) struct SiteLinks {
    pub markdown: String,
    /// AUTOTITLE links to paths no page of the tree has (shown as their path).
    pub outside: Vec<String>,
}

/// Whether link text asks for the target's title (`AUTOTITLE`, spaces allowed).
pub fn is_autotitle(text: &str) -> bool {
    text.trim() == "AUTOTITLE"
}

/// Escapes text for Markdown link text.
fn escape_link_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '[' | ']' | '\\' | '*' | '_' | '`' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Where the internal links of a body are, and what they name: a function of
/// the body's text alone, so the versions that render a page to the same text
/// (see [`super::classes`]) parse it once and each only resolves the links.
#[derive(Debug)]
pub(crate) struct LinkSites {
    /// The text this was found in.
    body: String,
    /// The site links, in the body's order (inline and reference links, then
    /// reference definitions).
    sites: Vec<LinkSite>,
}

#[derive(Debug)]
struct LinkSite {
    /// The destination as the Markdown parser read it.
    href: String,
    /// The link text's range, when it asks for the target's title.
    autotitle: Option<Range<usize>>,
    /// The range of the destination as written, when it can be rewritten there.
    dest: Option<Range<usize>>,
}

impl LinkSites {
    /// The site links of `body`.
    pub(crate) fn scan(body: &str) -> LinkSites {
        let mut sites = Vec::new();
        if !body.contains("](") && !body.contains("]:") && !body.contains("][") {
            return LinkSites {
                body: body.to_string(),
                sites,
            };
        }
        let parser = Parser::new_ext(body, markdown_options());
        // Reference definitions: their destinations are rewritten where they are written.
        let defs: Vec<(String, Range<usize>)> = parser
            .reference_definitions()
            .iter()
            .map(|(_, d)| (d.dest.to_string(), d.span.clone()))
            .collect();
        let events: Vec<(Event, Range<usize>)> = parser.into_offset_iter().collect();
        let mut i = 0;
        while i < events.len() {
            let (
                Event::Start(Tag::Link {
                    link_type, dest_url, ..
                }),
                range,
            ) = &events[i]
            else {
                i += 1;
                continue;
            };
            let href = dest_url.to_string();
            let mut j = i + 1;
            let mut text = String::new();
            let mut text_range: Option<Range<usize>> = None;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Link)) {
                if let Event::Text(t) = &events[j].0 {
                    text.push_str(t);
                    let r = &events[j].1;
                    text_range = Some(text_range.map_or(r.clone(), |tr| tr.start..r.end));
                }
                j += 1;
            }
            if is_site_path(&href) {
                let autotitle = if is_autotitle(&text) { text_range.clone() } else { None };
                let dest = if matches!(link_type, LinkType::Inline) {
                    dest_range(body, range, text_range.as_ref(), &href)
                } else {
                    None
                };
                sites.push(LinkSite { href, autotitle, dest });
            }
            i = j + 1;
        }
        for (dest, span) in defs {
            if is_site_path(&dest)
                && let Some(at) = body[span.clone()].find(&dest)
            {
                let range = span.start + at..span.start + at + dest.len();
                sites.push(LinkSite {
                    href: dest,
                    autotitle: None,
                    dest: Some(range),
                });
            }
        }
        LinkSites {
            body: body.to_string(),
            sites,
        }
    }

    /// Whether these are the links of `body`.
    pub(crate) fn is_of(&self, body: &str) -> bool {
        self.body == body
    }
}

/// Resolves the links of `body` (`page`'s Markdown after Liquid) for `version`
/// and `lang`. An AUTOTITLE link to a page of the tree that does not exist in
/// this version is an error, located at the link.
pub(crate) fn resolve(
    renderer: &Renderer,
    page: &Page,
    body: &str,
    version: Version,
    lang: Lang,
) -> Result<SiteLinks, Error> {
    let found = renderer.link_sites(page, lang, body);
    if found.sites.is_empty() {
        return Ok(SiteLinks {
            markdown: body.to_string(),
            outside: Vec::new(),
        });
    }
    let mut edits: Vec<(Range<usize>, String)> = Vec::with_capacity(found.sites.len() + 4);
    let mut outside = Vec::new();
    let mut outside_seen = HashSet::new();
    // Each distinct href is resolved once (a page may link to one target many times).
    let mut cache: HashMap<&str, Resolved> = HashMap::new();
    for site in &found.sites {
        let href = site.href.as_str();
        let resolved = cache
            .entry(href)
            .or_insert_with(|| resolve_href(renderer, href, version, lang));
        if let Some(tr) = &site.autotitle {
            let title = match &resolved.target {
                LinkTarget::Page {
                    page: p, version: tv, ..
                } => {
                    let target = renderer
                        .corpus()
                        .page(p)?
                        .ok_or_else(|| Error::input(format!("{p} disappeared")))?;
                    renderer.page_title(&target, *tv, lang)?
                }
                LinkTarget::OtherVersion { page: p } => {
                    return Err(Error::at(
                        link_location(renderer, page, lang, href),
                        format!(
                            "[AUTOTITLE]({}) cannot be resolved in {version}: {p} does not exist in that version",
                            crate::escape::untrusted_line(href)
                        ),
                    )
                    .with_help("gate the link with {% ifversion %}, or link to a page that exists in this version"));
                }
                LinkTarget::Outside => {
                    if outside_seen.insert(href) {
                        outside.push(href.to_string());
                    }
                    path_of(href).to_string()
                }
            };
            edits.push((tr.clone(), escape_link_text(&title)));
        }
        if let Some(dest) = &site.dest {
            edits.push((dest.clone(), resolved.href.clone()));
        }
    }
    edits.sort_by_key(|(r, _)| r.start);
    let mut markdown = String::with_capacity(body.len() + edits.len() * 24);
    let mut pos = 0;
    for (r, with) in edits {
        if r.start < pos {
            continue;
        }
        markdown.push_str(&body[pos..r.start]);
        markdown.push_str(&with);
        pos = r.end;
    }
    markdown.push_str(&body[pos..]);
    Ok(SiteLinks { markdown, outside })
}

#[derive(Clone)]
struct Resolved {
    target: LinkTarget,
    /// The href as the site writes it (`/en/enterprise-server@3.5/x#y`).
    href: String,
}

fn path_of(href: &str) -> &str {
    href.split(['#', '?']).next().unwrap_or(href)
}

fn resolve_href(renderer: &Renderer, href: &str, version: Version, lang: Lang) -> Resolved {
    let latest = renderer.corpus().releases().latest();
    let path = path_of(href);
    let rest = &href[path.len()..];
    let target = resolve_link(renderer, path, version, lang, latest);
    let href = match &target {
        LinkTarget::Page { href: h, .. } => crate::permalink::with_lang(lang, h, rest),
        _ => rewrite_link(href, version, lang, latest),
    };
    Resolved { target, href }
}

/// The byte range of an inline link's destination in `body`.
fn dest_range(body: &str, link: &Range<usize>, text: Option<&Range<usize>>, dest: &str) -> Option<Range<usize>> {
    let from = text.map_or(link.start, |t| t.end);
    let src = &body[from..link.end];
    let open = src.find("](")? + 2;
    let after = &src[open..];
    let skip = after.len() - after.trim_start().len();
    let start = from + open + skip + usize::from(after.trim_start().starts_with('<'));
    body[start..].starts_with(dest).then(|| start..start + dest.len())
}

/// Where `href` is written for `page` in `lang` (the page, else its reusables).
fn link_location(renderer: &Renderer, page: &Page, lang: Lang, href: &str) -> Location {
    let corpus = renderer.corpus();
    let (file, text, body_offset) = match corpus.translation(page, lang) {
        Ok(Some(t)) if !lang.is_english() => (t.file.clone(), t.text.clone(), t.body_offset),
        _ => (page.file.clone(), page.text.clone(), page.body_offset),
    };
    let (file, line, column) = super::links::locate(corpus, lang, &file, &text, body_offset, href);
    Location::new(file, line.max(1), column.unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_are_found_in_the_source() {
        let body = "See [AUTOTITLE]( </a/b#c> ) and [x](/d \"t\").";
        let link = 4..body.find(')').unwrap() + 1;
        let text = 5..14;
        let r = dest_range(body, &link, Some(&text), "/a/b#c").unwrap();
        assert_eq!(&body[r], "/a/b#c");
        assert_eq!(escape_link_text("a [b] *c*"), "a \\[b\\] \\*c\\*");
    }
}
