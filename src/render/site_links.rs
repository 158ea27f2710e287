//! Links as the live site writes them (the reference's `rewriteLocalLinks`):
//! `[AUTOTITLE](/path)` takes the target page's title, rendered for the same
//! version and language, and every internal href is rewritten for the version
//! and language, through the redirect map to the page's permalink.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use std::sync::Arc;

use super::links::{LinkTarget, resolve_link};
use super::markdown::{Heading, HtmlOutput, Link, markdown_options};
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
    /// What this version put at the body's link sites.
    pub values: LinkValues,
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
    /// Every link and image destination of the body, in order, and whether it
    /// is an image (what the links check looks at); none for a body without
    /// link syntax.
    links: Vec<(String, bool)>,
    /// The HTML of the body with a slot at each link site, by the English
    /// headings it was made with (`None`: this text cannot be shared, see
    /// [`LinkValues::html`]).
    html: ByEnglish<HtmlOutput>,
    /// The body's headings (ids as the HTML has them), by the English headings
    /// they were made with (`None`: a heading shows an AUTOTITLE title, which
    /// differs by version).
    headings: ByEnglish<Vec<Heading>>,
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
                links: Vec::new(),
                html: Default::default(),
                headings: Default::default(),
            };
        }
        let parser = Parser::new_ext(body, markdown_options());
        // Reference definitions: their destinations are rewritten where they are written.
        let defs: Vec<(String, Range<usize>)> = parser
            .reference_definitions()
            .iter()
            .map(|(_, d)| (d.dest.to_string(), d.span.clone()))
            .collect();
        // One pass over the events, nothing kept but the links: a link's text
        // is gathered until its end (a link holds no link; an image in it
        // counts among the links, its alt text among the link's text).
        /// A link being read: its href, whether inline, its range, its text.
        struct Open {
            href: String,
            inline: bool,
            range: Range<usize>,
            text: String,
            text_range: Option<Range<usize>>,
        }
        let mut links = Vec::new();
        let mut open: Option<Open> = None;
        let close = |open: Option<Open>, sites: &mut Vec<LinkSite>| {
            let Some(Open {
                href,
                inline,
                range,
                text,
                text_range,
            }) = open
            else {
                return;
            };
            if is_site_path(&href) {
                let autotitle = if is_autotitle(&text) { text_range.clone() } else { None };
                let dest = if inline {
                    dest_range(body, &range, text_range.as_ref(), &href)
                } else {
                    None
                };
                sites.push(LinkSite { href, autotitle, dest });
            }
        };
        for (event, range) in parser.into_offset_iter() {
            match event {
                Event::Start(Tag::Link {
                    link_type, dest_url, ..
                }) => {
                    let href = dest_url.to_string();
                    links.push((href.clone(), false));
                    if open.is_none() {
                        open = Some(Open {
                            href,
                            inline: matches!(link_type, LinkType::Inline),
                            range,
                            text: String::new(),
                            text_range: None,
                        });
                    }
                }
                Event::Start(Tag::Image { dest_url, .. }) => links.push((dest_url.to_string(), true)),
                Event::Text(t) => {
                    if let Some(o) = &mut open {
                        o.text.push_str(&t);
                        o.text_range = Some(o.text_range.as_ref().map_or(range.clone(), |tr| tr.start..range.end));
                    }
                }
                Event::End(TagEnd::Link) => close(open.take(), &mut sites),
                _ => {}
            }
        }
        close(open.take(), &mut sites);
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
            links,
            html: Default::default(),
            headings: Default::default(),
        }
    }

    /// Whether these are the links of `body`.
    pub(crate) fn is_of(&self, body: &str) -> bool {
        self.body == body
    }

    /// The body with a slot for each AUTOTITLE title and link destination
    /// (`None` when the body has what slots are made of).
    fn slotted(&self) -> Option<String> {
        if self.body.contains(SLOT) {
            return None;
        }
        let mut edits = Vec::with_capacity(self.sites.len() * 2);
        for (i, site) in self.sites.iter().enumerate() {
            if let Some(tr) = &site.autotitle {
                edits.push((tr.clone(), format!("{SLOT}t{i}z")));
            }
            if let Some(dest) = &site.dest {
                edits.push((dest.clone(), format!("/{SLOT}d{i}z")));
            }
        }
        Some(splice(&self.body, edits))
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
    let mut titles: Vec<Option<String>> = Vec::with_capacity(found.sites.len());
    let mut hrefs: Vec<String> = Vec::with_capacity(found.sites.len());
    let mut targets: Vec<LinkTarget> = Vec::with_capacity(found.sites.len());
    let mut edits: Vec<(Range<usize>, String)> = Vec::with_capacity(found.sites.len() + 4);
    let mut outside = Vec::new();
    let mut outside_seen = HashSet::new();
    // Each distinct href is resolved once (a page may link to one target many times).
    let mut cache: crate::cache::FastMap<&str, Resolved> = Default::default();
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
            titles.push(Some(title));
        } else {
            titles.push(None);
        }
        if let Some(dest) = &site.dest {
            edits.push((dest.clone(), resolved.href.clone()));
        }
        hrefs.push(resolved.href.clone());
        targets.push(resolved.target.clone());
    }
    let markdown = splice(body, edits);
    let values = LinkValues {
        markdown_len: markdown.len(),
        sites: found,
        titles,
        hrefs,
        targets,
    };
    Ok(SiteLinks {
        markdown,
        outside,
        values,
    })
}

/// `body` with each edit's range replaced (in order of their starts; an edit
/// overlapping the one before is left out).
fn splice(body: &str, mut edits: Vec<(Range<usize>, String)>) -> String {
    edits.sort_by_key(|(r, _)| r.start);
    let mut out = String::with_capacity(body.len() + edits.len() * 24);
    let mut pos = 0;
    for (r, with) in edits {
        if r.start < pos {
            continue;
        }
        out.push_str(&body[pos..r.start]);
        out.push_str(&with);
        pos = r.end;
    }
    out.push_str(&body[pos..]);
    out
}

/// What one render put at the link sites of its body ([`LinkSites`]): the
/// titles of its AUTOTITLE links and the hrefs of its links. The versions of a
/// class differ only there, so their HTML is made once, with a slot at each
/// site, and filled per version ([`LinkValues::html`]).
#[derive(Clone, Debug)]
pub(crate) struct LinkValues {
    sites: Arc<LinkSites>,
    /// Per site: the title shown, for an AUTOTITLE link.
    titles: Vec<Option<String>>,
    /// Per site: the href written.
    hrefs: Vec<String>,
    /// Per site: where its link leads.
    targets: Vec<LinkTarget>,
    /// The length of the Markdown these made: the page's Markdown is that, or
    /// more (a landing page's children list). Only the render writes it
    /// ([`super::RenderedPage::markdown`] is private), so its length tells.
    markdown_len: usize,
}

/// What a class made, by the English headings it was made with (`None`:
/// the class cannot share it).
type ByEnglish<T> = std::sync::Mutex<Vec<(Option<Arc<Vec<Heading>>>, Option<Arc<T>>)>>;

/// The value `cache` has for `english`, made by `make` on first use.
fn by_english<T>(
    cache: &ByEnglish<T>,
    english: Option<&Arc<Vec<Heading>>>,
    make: impl FnOnce() -> Option<T>,
) -> Option<Arc<T>> {
    let lock = || cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, made)) = lock().iter().find(|(e, _)| same_english(e.as_ref(), english)) {
        return made.clone();
    }
    let made = make().map(Arc::new);
    lock().push((english.cloned(), made.clone()));
    made
}

/// Whether two renders use the same English headings.
fn same_english(a: Option<&Arc<Vec<Heading>>>, b: Option<&Arc<Vec<Heading>>>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        _ => false,
    }
}

/// Converts Markdown to sanitised HTML with a given link rewriting.
pub(crate) type Convert<'a> = dyn Fn(&str, &dyn Fn(&str) -> String) -> HtmlOutput + 'a;

/// What the slots are made of: letters and digits only, so Markdown, slugs
/// and the sanitiser leave them as they are. A body that has it is not shared.
const SLOT: &str = "dgslot7q";

impl LinkValues {
    /// The link and image destinations of the body these are for (see [`LinkSites`]).
    pub(crate) fn links(&self) -> &[(String, bool)] {
        &self.sites.links
    }

    /// Whether these are the links of `body`.
    pub(crate) fn is_of(&self, body: &str) -> bool {
        self.sites.is_of(body)
    }

    /// Where the site link with destination `href` (as the parser read it) leads.
    pub(crate) fn target(&self, href: &str) -> Option<&LinkTarget> {
        let at = self.sites.sites.iter().position(|s| s.href == href)?;
        self.targets.get(at)
    }

    /// Whether `markdown` (the render's, which only the render writes) is
    /// what these made, and not more.
    fn made(&self, markdown: &str) -> bool {
        markdown.len() == self.markdown_len
    }

    /// The HTML of `markdown` (this render's), from the class's HTML with its
    /// slots filled: `None` when that would not be byte for byte what
    /// [`super::markdown::to_html`] and the sanitiser give (the caller then
    /// converts it itself). `rewrite` is the render's link rewriting; `make`
    /// converts Markdown with a given rewriting (and sanitises it).
    pub(crate) fn html(
        &self,
        markdown: &str,
        english: Option<&Arc<Vec<Heading>>>,
        rewrite: &dyn Fn(&str) -> String,
        make: &Convert<'_>,
    ) -> Option<HtmlOutput> {
        if !self.made(markdown) {
            return None;
        }
        // Values the conversion would change (escapes, entities, Markdown) are not put in slots.
        let written: Vec<String> = self.hrefs.iter().map(|h| rewrite(h)).collect();
        if !written.iter().chain(&self.hrefs).all(|h| plain_href(h))
            || !self.titles.iter().flatten().all(|t| plain_title(t))
        {
            return None;
        }
        let class = self.class_html(english, make)?;
        let title = |i: usize| self.titles.get(i)?.as_deref();
        let mut out = HtmlOutput {
            html: fill(&class.html, title, |i| written.get(i).map(String::as_str))?,
            headings: class.headings.clone(),
            links: Vec::with_capacity(class.links.len()),
        };
        for link in &class.links {
            out.links.push(Link {
                href: fill(&link.href, title, |i| self.hrefs.get(i).map(String::as_str))?,
                resolved: fill(&link.resolved, title, |i| written.get(i).map(String::as_str))?,
                text: fill(&link.text, title, |i| written.get(i).map(String::as_str))?,
            });
        }
        Some(out)
    }

    /// The class's HTML with slots, made on first use (`None`: not shareable).
    fn class_html(&self, english: Option<&Arc<Vec<Heading>>>, make: &Convert<'_>) -> Option<Arc<HtmlOutput>> {
        by_english(&self.sites.html, english, || self.make_class_html(make))
    }

    /// The headings of `markdown` (this render's) with ids as its HTML has
    /// them, from the class's (`None`: the caller computes them itself).
    pub(crate) fn headings(&self, markdown: &str, english: Option<&Arc<Vec<Heading>>>) -> Option<Arc<Vec<Heading>>> {
        if !self.made(markdown) {
            return None;
        }
        by_english(&self.sites.headings, english, || {
            let slotted = self.sites.slotted()?;
            let headings = super::markdown::translated_headings(&slotted, english.map(|e| e.as_slice()));
            (!slot_in(&headings)).then_some(headings)
        })
    }

    fn make_class_html(&self, make: &Convert<'_>) -> Option<HtmlOutput> {
        let slotted = self.sites.slotted()?;
        // A site link without a slot would be rewritten for the version that made it.
        let per_version = std::cell::Cell::new(false);
        let slot = format!("/{SLOT}");
        let keep = |href: &str| {
            if !href.starts_with(&slot) && is_site_path(href) {
                per_version.set(true);
            }
            href.to_string()
        };
        let out = make(&slotted, &keep);
        // A title in a heading makes its id: not a slot.
        if per_version.get() || slot_in(&out.headings) {
            return None;
        }
        Some(out)
    }
}

/// Whether a heading shows a title slot (a title makes the heading's id, so
/// its class cannot share it).
fn slot_in(headings: &[Heading]) -> bool {
    headings.iter().any(|h| h.id.contains(SLOT) || h.text.contains(SLOT))
}

/// An href that Markdown, the HTML writer and the sanitiser leave as it is.
fn plain_href(h: &str) -> bool {
    h.starts_with('/')
        && !h.starts_with("//")
        && h.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"!#$%*+,-./:;=?@_~".contains(&c))
}

/// A title that Markdown link text, the HTML writer and the sanitiser leave as it is.
fn plain_title(t: &str) -> bool {
    !t.is_empty()
        && !t.contains(SLOT)
        && t.chars().all(|c| {
            if c.is_ascii() {
                c.is_ascii_alphanumeric() || b" ,.:;()/-?+=@#%$!".contains(&(c as u8))
            } else {
                !c.is_whitespace() && !c.is_control() && c != '\u{a0}'
            }
        })
        && !t.contains("  ")
}

/// `text` with every slot filled: a title slot by `title(i)`, an href slot
/// (with its leading `/`) by `href(i)`. `None` when a slot has no value.
fn fill<'v>(
    text: &str,
    title: impl Fn(usize) -> Option<&'v str>,
    href: impl Fn(usize) -> Option<&'v str>,
) -> Option<String> {
    let finder = memchr::memmem::Finder::new(SLOT);
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 256);
    let mut pos = 0;
    while let Some(k) = finder.find(&b[pos..]) {
        let at = pos + k;
        let kind = *b.get(at + SLOT.len())?;
        let digits_start = at + SLOT.len() + 1;
        let digits_end = digits_start + b[digits_start..].iter().take_while(|c| c.is_ascii_digit()).count();
        if b.get(digits_end) != Some(&b'z') {
            return None;
        }
        let i: usize = text[digits_start..digits_end].parse().ok()?;
        let (start, value) = match kind {
            b't' => (at, title(i)?),
            b'd' if at > pos && b[at - 1] == b'/' => (at - 1, href(i)?),
            _ => return None,
        };
        out.push_str(&text[pos..start]);
        out.push_str(value);
        pos = digits_end + 1;
    }
    out.push_str(&text[pos..]);
    Some(out)
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
