//! Markdown → HTML with pulldown-cmark: GitHub Docs heading ids (github-slugger,
//! English ids by position for translations), internal link rewriting, and the
//! headings and links of the page for JSON output and checks.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use super::alerts::{self, AlertTitles};
use super::slug::{Slugger, slugify};

/// A heading of the rendered page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// The heading level (1 for `#`, 2 for `##`, …).
    pub level: u8,
    /// The heading's id, as GitHub Docs gives it.
    pub id: String,
    /// The heading's text.
    pub text: String,
}

/// A link of the rendered page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Link {
    /// As written (after Liquid).
    pub href: String,
    /// After rewriting to the current version and language (internal links).
    pub resolved: String,
    /// The link's text.
    pub text: String,
}

/// The HTML of a page body and what was found in it.
#[derive(Clone, Debug, Default)]
pub struct HtmlOutput {
    /// The HTML.
    pub html: String,
    /// The headings, in document order.
    pub headings: Vec<Heading>,
    /// The links, in document order.
    pub links: Vec<Link>,
}

/// How to turn Markdown into HTML.
#[derive(Default)]
pub struct HtmlOptions<'a> {
    /// The English page's headings: translated h2–h4 take their ids by position.
    pub english_headings: Option<&'a [Heading]>,
    /// Rewrites an internal link (`/…`) for the current version and language.
    pub rewrite_link: Option<&'a dyn Fn(&str) -> String>,
    /// Alert titles in the page's language (default: English).
    pub alert_titles: Option<&'a AlertTitles>,
}

/// The Markdown dialect: CommonMark plus GitHub's tables, strikethrough, task
/// lists, footnotes and `> [!NOTE]` alerts.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_GFM
}

fn level_num(l: HeadingLevel) -> u8 {
    l as u8
}

/// Heading ids of `md` as github-slugger gives them, in document order.
pub fn headings(md: &str) -> Vec<Heading> {
    translated_headings(md, None)
}

/// The headings of a translation's Markdown, with ids as [`to_html`] gives them
/// (the English page's ids by position, then its own), without making the HTML.
pub fn translated_headings(md: &str, english_headings: Option<&[Heading]>) -> Vec<Heading> {
    to_html_inner(
        md,
        &HtmlOptions {
            english_headings,
            ..Default::default()
        },
        false,
    )
    .headings
}

/// Renders Markdown to HTML.
pub fn to_html(md: &str, opts: &HtmlOptions<'_>) -> HtmlOutput {
    to_html_inner(md, opts, true).into()
}

/// A heading and the byte range of its section (up to the next heading of the
/// same or a higher level).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The section's heading.
    pub heading: Heading,
    /// The byte range of the heading and its section.
    pub range: std::ops::Range<usize>,
    /// The heading and its text up to the next heading of any level.
    pub own: std::ops::Range<usize>,
}

/// The sections of `md`, with heading ids as [`to_html`] gives them.
pub fn sections(md: &str, english_headings: Option<&[Heading]>) -> Vec<Section> {
    let out = to_html_inner(
        md,
        &HtmlOptions {
            english_headings,
            ..Default::default()
        },
        false,
    );
    let starts = out.heading_offsets;
    out.headings
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            let end = (i + 1..starts.len())
                .find(|&j| out_level(&starts, j) <= h.level)
                .map_or(md.len(), |j| starts[j].0);
            let own_end = starts.get(i + 1).map_or(md.len(), |s| s.0);
            Section {
                range: starts[i].0..end,
                own: starts[i].0..own_end,
                heading: h,
            }
        })
        .collect()
}

fn out_level(starts: &[(usize, u8)], j: usize) -> u8 {
    starts[j].1
}

struct Inner {
    html: String,
    headings: Vec<Heading>,
    links: Vec<Link>,
    /// (byte offset, level) of each heading.
    heading_offsets: Vec<(usize, u8)>,
}

impl From<Inner> for HtmlOutput {
    fn from(i: Inner) -> Self {
        HtmlOutput {
            html: i.html,
            headings: i.headings,
            links: i.links,
        }
    }
}

fn to_html_inner(md: &str, opts: &HtmlOptions<'_>, want_html: bool) -> Inner {
    let md = &*alerts::split_marker_lines(md);
    let (mut events, offsets): (Vec<Event>, Vec<usize>) = Parser::new_ext(md, markdown_options())
        .into_offset_iter()
        .map(|(e, r)| (e, r.start))
        .unzip();
    let mut heading_offsets = Vec::new();
    let mut slugger = Slugger::new();
    let mut headings = Vec::new();
    let mut links = Vec::new();
    let mut english_pos = 0;

    // Pass 1: heading text and ids, link text.
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Start(Tag::Heading { level, .. }) => {
                let level = level_num(*level);
                let (text, end) = plain_text(&events, i + 1, |e| matches!(e, Event::End(TagEnd::Heading(_))));
                let translated_id = if (2..=4).contains(&level) {
                    let id = opts
                        .english_headings
                        .and_then(|eh| eh.iter().filter(|h| (2..=4).contains(&h.level)).nth(english_pos))
                        .map(|h| h.id.clone());
                    english_pos += 1;
                    id
                } else {
                    None
                };
                let id = match translated_id {
                    Some(id) => slugger.unique(id),
                    None => slugger.unique(slugify(&text)),
                };
                if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                    *slot = Some(CowStr::from(id.clone()));
                }
                headings.push(Heading { level, id, text });
                heading_offsets.push((offsets[i], level));
                i = end;
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let href = dest_url.to_string();
                let resolved = match opts.rewrite_link {
                    Some(rw) if href.starts_with('/') && !href.starts_with("//") => rw(&href),
                    _ => href.clone(),
                };
                let (text, _) = plain_text(&events, i + 1, |e| matches!(e, Event::End(TagEnd::Link)));
                if resolved != href
                    && let Event::Start(Tag::Link { dest_url, .. }) = &mut events[i]
                {
                    *dest_url = CowStr::from(resolved.clone());
                }
                links.push(Link { href, resolved, text });
                i += 1;
            }
            _ => i += 1,
        }
    }
    if !want_html {
        return Inner {
            html: String::new(),
            headings,
            links,
            heading_offsets,
        };
    }
    // Pass 2: wrap heading content in a self-link and turn alerts into the
    // reference's `div.ghd-alert`, as GitHub Docs does.
    let english_titles = AlertTitles::default();
    let alert_titles = opts.alert_titles.unwrap_or(&english_titles);
    let mut out = Vec::with_capacity(events.len() + headings.len() * 2);
    for (e, offset) in events.into_iter().zip(offsets) {
        match e {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let upper = alerts::marker_is_uppercase(&md[offset..]);
                out.push(Event::Html(alerts::open_html(kind, alert_titles, upper).into()));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => out.push(Event::Html("</div>\n".into())),
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let anchor = id
                    .as_deref()
                    .map(|id| format!("<a class=\"heading-link\" href=\"#{}\">", escape_html(id)));
                out.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
                if let Some(a) = anchor {
                    out.push(Event::InlineHtml(a.into()));
                }
            }
            Event::End(TagEnd::Heading(level)) => {
                out.push(Event::InlineHtml("</a>".into()));
                out.push(Event::End(TagEnd::Heading(level)));
            }
            other => out.push(other),
        }
    }
    let mut html = String::with_capacity(md.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    let html = row_headers(html);
    Inner {
        html,
        headings,
        links,
        heading_offsets,
    }
}

/// The openers of a `{% rowheaders %}` block in today's and the 2021 engine.
const ROWHEADERS_OPENERS: [&str; 2] = [
    "<div class=\"ghd-tool rowheaders\">",
    "<div class=\"extended-markdown rowheaders \">",
];

/// Inside `{% rowheaders %}` blocks, the first cell of each body row of a table
/// becomes a row header (`<th scope="row">`), as the reference's table fixes do.
///
/// ```
/// # use docgate::render::markdown::row_headers;
/// let html = "<div class=\"ghd-tool rowheaders\"><table><thead><tr><th>A</th><th>B</th></tr></thead><tbody>\n<tr><td>x</td><td>y</td></tr>\n</tbody></table>\n</div>";
/// assert!(row_headers(html.into()).contains("<tr><th scope=\"row\">x</th><td>y</td></tr>"));
/// ```
pub fn row_headers(html: String) -> String {
    // One SIMD scan for what every opener contains; most pages have none.
    if memchr::memmem::find(html.as_bytes(), b"rowheaders").is_none() {
        return html;
    }
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html.as_str();
    while let Some((at, opener)) = ROWHEADERS_OPENERS
        .iter()
        .filter_map(|o| memchr::memmem::find(rest.as_bytes(), o.as_bytes()).map(|at| (at, *o)))
        .min_by_key(|(at, _)| *at)
    {
        let body_start = at + opener.len();
        out.push_str(&rest[..body_start]);
        // The matching `</div>`: nested divs counted. Each search starts where
        // the last one of its kind ended (linear in the page, however many divs).
        let find =
            |from: usize, what: &str| memchr::memmem::find(&rest.as_bytes()[from..], what.as_bytes()).map(|i| from + i);
        let mut depth = 1;
        let mut next_open = find(body_start, "<div");
        let mut next_close = find(body_start, "</div>");
        let close = loop {
            match (next_open, next_close) {
                (Some(o), Some(c)) if o < c => {
                    depth += 1;
                    next_open = find(o + 4, "<div");
                }
                (_, Some(c)) => {
                    depth -= 1;
                    if depth == 0 {
                        break c;
                    }
                    next_close = find(c + 6, "</div>");
                }
                (_, None) => break rest.len(),
            }
        };
        out.push_str(&body_row_headers(&rest[body_start..close]));
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

/// The first `<td>` of every row inside `<tbody>` as `<th scope="row">`.
fn body_row_headers(region: &str) -> String {
    let mut out = String::with_capacity(region.len() + 64);
    let mut in_body = false;
    let mut rest = region;
    // Where the current body's `</tbody>` is in `region`, found once when the
    // body opens (rows do not rescan the table for it).
    let mut body_end: Option<usize> = None;
    loop {
        let marker = if in_body { "</tbody>" } else { "<tbody>" };
        let next_row = if in_body { rest.find("<tr>") } else { None };
        let at = region.len() - rest.len();
        let next_marker = if in_body {
            body_end.map(|e| e - at)
        } else {
            rest.find(marker)
        };
        match (next_row, next_marker) {
            (Some(r), m) if m.is_none_or(|m| r < m) => {
                let row_start = r + "<tr>".len();
                out.push_str(&rest[..row_start]);
                rest = &rest[row_start..];
                let trimmed = rest.trim_start();
                out.push_str(&rest[..rest.len() - trimmed.len()]);
                rest = trimmed;
                if let (true, Some(end)) = (rest.starts_with("<td"), rest.find("</td>")) {
                    out.push_str("<th scope=\"row\"");
                    out.push_str(&rest["<td".len()..end]);
                    out.push_str("</th>");
                    rest = &rest[end + "</td>".len()..];
                }
            }
            (_, Some(m)) => {
                out.push_str(&rest[..m + marker.len()]);
                rest = &rest[m + marker.len()..];
                in_body = !in_body;
                if in_body {
                    body_end = rest.find("</tbody>").map(|e| region.len() - rest.len() + e);
                }
            }
            (_, None) => break,
        }
    }
    out.push_str(rest);
    out
}

/// The text content from `start` up to the event `is_end` matches (exclusive):
/// text and code spans, no raw HTML, no image alt text. Returns the text and the
/// index just past the end event.
fn plain_text(events: &[Event], start: usize, is_end: impl Fn(&Event) -> bool) -> (String, usize) {
    let mut text = String::new();
    let mut in_image = 0;
    let mut i = start;
    while i < events.len() && !is_end(&events[i]) {
        match &events[i] {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image -= 1,
            Event::Text(t) | Event::Code(t) if in_image == 0 => text.push_str(t),
            Event::SoftBreak | Event::HardBreak if in_image == 0 => text.push(' '),
            _ => {}
        }
        i += 1;
    }
    (text, i + 1)
}

pub use crate::escape::html as escape_html;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_and_links() {
        let md = "## About *this*\n\nSee [the page](/admin/x#y \"t\").\n\n## About this\n\n### `code` heading\n";
        let rw = |h: &str| format!("/en/enterprise-server@3.5{h}");
        let out = to_html(
            md,
            &HtmlOptions {
                rewrite_link: Some(&rw),
                ..Default::default()
            },
        );
        let ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["about-this", "about-this-1", "code-heading"]);
        assert!(
            out.html.contains(
                r##"<h2 id="about-this"><a class="heading-link" href="#about-this">About <em>this</em></a></h2>"##
            ),
            "{}",
            out.html
        );
        assert_eq!(out.links[0].resolved, "/en/enterprise-server@3.5/admin/x#y");
        assert_eq!(out.links[0].text, "the page");
        assert!(out.html.contains("href=\"/en/enterprise-server@3.5/admin/x#y\""));
    }

    #[test]
    fn translations_take_english_ids_by_position() {
        let english = headings("# T\n\n## About sync\n\n## Enabling sync\n");
        let out = to_html(
            "## 동기화 정보\n\n## 동기화 사용\n\n## 추가\n",
            &HtmlOptions {
                english_headings: Some(&english),
                ..Default::default()
            },
        );
        let ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["about-sync", "enabling-sync", "추가"]);
    }

    #[test]
    fn sections_span_to_the_next_heading_of_their_level() {
        let md = "intro\n\n## A\n\na\n\n### A1\n\na1\n\n## B\n\nb\n";
        let s = sections(md, None);
        let by_id = |id: &str| {
            s.iter()
                .find(|x| x.heading.id == id)
                .map(|x| &md[x.range.clone()])
                .unwrap()
        };
        assert_eq!(by_id("a"), "## A\n\na\n\n### A1\n\na1\n\n");
        assert_eq!(by_id("a1"), "### A1\n\na1\n\n");
        let a = s.iter().find(|x| x.heading.id == "a").unwrap();
        assert_eq!(&md[a.own.clone()], "## A\n\na\n\n");
        assert_eq!(by_id("b"), "## B\n\nb\n");
    }

    #[test]
    fn alerts_and_tables() {
        let out = to_html(
            "> [!NOTE]\n> Hi\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            &HtmlOptions::default(),
        );
        assert!(
            out.html.starts_with("<div class=\"ghd-alert ghd-alert-accent\" data-container=\"alert\">\n<p class=\"ghd-alert-title\"><svg version=\"1.1\" width=\"16\" height=\"16\" viewBox=\"0 0 16 16\" class=\"octicon mr-2\" aria-hidden=\"true\"><path d=\"M0 8a8"),
            "{}",
            out.html
        );
        assert!(out.html.contains("</svg>Note</p>\n<p>Hi</p>\n</div>\n"), "{}", out.html);
        assert!(!out.html.contains("[!NOTE]") && !out.html.contains("blockquote"));
        assert!(out.html.contains("<table>"));
        // The reference titles only capitalised markers.
        let lower = to_html("> [!note]\n> Hi\n", &HtmlOptions::default()).html;
        assert!(
            lower.contains("ghd-alert-accent") && lower.contains("</svg></p>"),
            "{lower}"
        );
        // Nested: an alert inside a list item, a plain quote inside an alert.
        let nested = to_html(
            "1. Step

   > [!WARNING]
   > Careful
   >
   > > quoted
",
            &HtmlOptions::default(),
        )
        .html;
        assert!(nested.contains("ghd-alert-attention"), "{nested}");
        assert!(
            nested.contains("<blockquote>\n<p>quoted</p>\n</blockquote>\n</div>\n</li>"),
            "{nested}"
        );
    }
}
