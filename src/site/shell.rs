//! The page shell of the site, shared by `docgate build` and `docgate serve`:
//! the rendered article inside a header with the version and language pickers
//! and the search box, the product's sidebar, a banner on deprecated
//! releases and a note on untranslated pages. Links to built pages are made
//! relative and end in `index.html`, so the site works from `file://`.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

use serde::{Deserialize, Serialize};

use super::Job;
use crate::corpus::Page;
use crate::error::Error;
use crate::escape::html as escape;
use crate::languages::Lang;
use crate::render::landing::{NavNode, sidebar};
use crate::render::output::{Format, format_page};
use crate::render::text::{DEFAULT_BASE_URL, TextOptions};
use crate::render::{Renderer, TranslationStatus};
use crate::versions::Version;

/// The site's stylesheet, written as `OUT/docgate.css`.
pub const CSS: &str = include_str!("site.css");

/// The site's script (search box, live reload under `serve`), written as `OUT/docgate.js`.
pub const JS: &str = include_str!("site.js");

/// How much of a page's text goes into the search index.
const SEARCH_TEXT: usize = 4000;

/// A page as the search index holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRecord {
    /// The title.
    pub t: String,
    /// The page's file, relative to the site's root (`en/…/index.html`).
    pub u: String,
    /// The intro, as text.
    pub i: String,
    /// The start of the page's text.
    pub x: String,
}

/// A page of the site.
pub struct PageOut {
    /// The whole HTML document.
    pub html: String,
    /// Its entry in the search index of its version and language.
    pub search: SearchRecord,
}

/// A product's sidebar tree (`None`: the product has none in that version).
type Sidebar = Arc<Option<NavNode>>;

/// What every page's shell needs to know about the site.
pub struct Site {
    renderer: Renderer,
    langs: Vec<Lang>,
    /// The permalinks of every page the site has.
    built: HashSet<String>,
    /// The versions the site has, in reference order.
    versions: Vec<Version>,
    /// Whether pages listen for `docgate serve`'s reload events.
    live_reload: bool,
    /// The sidebar's tree by (product, version, language).
    sidebars: Mutex<HashMap<(String, Version, Lang), Sidebar>>,
}

impl Site {
    /// The site of `jobs` (its pages × versions × languages) in `langs`.
    pub fn new(renderer: &Renderer, jobs: &[Job], langs: &[Lang], live_reload: bool) -> Site {
        let built = jobs.iter().map(|(p, v, l)| p.permalink(*v, *l)).collect();
        let versions: BTreeSet<Version> = jobs.iter().map(|(_, v, _)| *v).collect();
        Site {
            renderer: renderer.clone(),
            langs: langs.to_vec(),
            built,
            versions: versions.into_iter().collect(),
            live_reload,
            sidebars: Mutex::new(HashMap::new()),
        }
    }

    /// The renderer of the site's tree.
    pub fn renderer(&self) -> &Renderer {
        &self.renderer
    }

    /// The permalinks of the site's pages.
    pub fn built(&self) -> &HashSet<String> {
        &self.built
    }

    /// The languages of the site.
    pub fn langs(&self) -> &[Lang] {
        &self.langs
    }

    /// The versions of the site, in reference order.
    pub fn versions(&self) -> &[Version] {
        &self.versions
    }

    /// `page` in `version` and `lang` as a whole HTML document.
    pub fn page(&self, page: &Arc<Page>, version: Version, lang: Lang) -> Result<PageOut, Error> {
        let renderer = &self.renderer;
        let rendered = renderer.render_page(page, version, lang)?;
        let article = format_page(renderer, &rendered, Format::Html, TextOptions::default())?;
        let article = super::highlight::highlight_blocks(&article);
        let permalink = rendered.permalink.clone();
        let search = SearchRecord {
            t: rendered.title.clone(),
            u: format!("{}/index.html", permalink.trim_start_matches('/')),
            i: rendered.intro.as_deref().map(plain_text).unwrap_or_default(),
            x: truncate(&text_start(&article, SEARCH_TEXT), SEARCH_TEXT),
        };
        let mut html = String::with_capacity(article.len() + 8 * 1024);
        self.head(&mut html, &permalink, version, lang, &rendered.title);
        self.header(&mut html, page, version, lang);
        if let Some(note) = version
            .release()
            .and_then(|r| renderer.corpus().releases().deprecation_note(r))
        {
            html.push_str(&format!("<p class=\"banner\" role=\"note\">{}</p>\n", escape(&note)));
        }
        if rendered.translation == TranslationStatus::Missing {
            html.push_str(&format!(
                "<p class=\"untranslated\" role=\"note\" lang=\"en\">This page has not been translated into {} ({}) yet: it is shown in English.</p>\n",
                escape(lang.name()),
                escape(lang.native_name())
            ));
        }
        html.push_str("<div class=\"layout\">\n");
        html.push_str(&self.sidebar_html(page, version, lang, &permalink)?);
        html.push_str("<main id=\"main\">\n");
        html.push_str(&article);
        html.push_str("</main>\n</div>\n");
        html.push_str(FOOTER);
        Ok(PageOut {
            html: relative_links(&html, &permalink, &self.built),
            search,
        })
    }

    /// A page that failed to render, for `docgate serve`: the located error in
    /// place of the page, so the writer sees what to fix; it reloads too.
    pub fn error_page(&self, permalink: &str, version: Version, lang: Lang, error: &str) -> String {
        let mut html = String::new();
        self.head(&mut html, permalink, version, lang, "Render error");
        html.push_str(
            "<main id=\"main\" class=\"error\">\n<h1>This page does not render</h1>\n<pre class=\"render-error\">",
        );
        html.push_str(&escape(error));
        html.push_str("</pre>\n<p>Fix the file and save it: this page reloads by itself.</p>\n</main>\n");
        html.push_str(FOOTER);
        relative_links(&html, permalink, &self.built)
    }

    fn head(&self, html: &mut String, permalink: &str, version: Version, lang: Lang, title: &str) {
        let depth = permalink.trim_matches('/').split('/').count();
        html.push_str(&format!(
            "<!doctype html>\n<html lang=\"{lang}\" data-root=\"{root}\" data-search=\"{index}\"{live}>\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title} - GitHub Docs</title>\n<link rel=\"stylesheet\" href=\"/docgate.css\">\n\
             <script src=\"/docgate.js\" defer></script>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n",
            lang = lang.code(),
            root = "../".repeat(depth),
            index = escape(&search_index_file(version, lang)),
            live = if self.live_reload { " data-live-reload=\"/__docgate/events\"" } else { "" },
            title = escape(title),
        ));
    }

    fn header(&self, html: &mut String, page: &Page, version: Version, lang: Lang) {
        let home = crate::permalink::permalink("", version, lang);
        let home_link = if self.built.contains(&home) {
            format!("<a class=\"home\" href=\"{}\">GitHub Docs</a>", escape(&home))
        } else {
            "<span class=\"home\">GitHub Docs</span>".to_string()
        };
        html.push_str(&format!(
            "<header class=\"top\">{home_link}<nav class=\"pickers\" aria-label=\"Version and language\">{}{}</nav>\
             <div class=\"search\" role=\"search\"><input id=\"search-box\" type=\"search\" autocomplete=\"off\" \
             placeholder=\"Search {} docs\" aria-label=\"Search the docs of this version\"><ol id=\"search-results\" hidden></ol></div></header>\n",
            self.version_picker(page, version, lang),
            self.language_picker(page, version, lang),
            escape(&version_name(version)),
        ));
    }

    /// Every version of the site: the page where it exists, else the nearest
    /// page above it that does (or that version's home), marked as such.
    fn version_picker(&self, page: &Page, version: Version, lang: Lang) -> String {
        let mut items = String::new();
        for v in &self.versions {
            let own = page.permalink(*v, lang);
            let current = if *v == version { " aria-current=\"page\"" } else { "" };
            if self.built.contains(&own) {
                items.push_str(&format!(
                    "<li><a href=\"{}\"{current}>{}</a></li>",
                    escape(&own),
                    escape(&version_name(*v))
                ));
            } else if let Some(near) = self.nearest(page, *v, lang) {
                items.push_str(&format!(
                    "<li><a class=\"elsewhere\" href=\"{}\" title=\"This page is not in {name}: this goes to the nearest page that is\">{name} <small>(not in this version)</small></a></li>",
                    escape(&near),
                    name = escape(&version_name(*v))
                ));
            }
        }
        format!(
            "<details class=\"picker\" id=\"version-picker\"><summary>{}</summary><ul>{items}</ul></details>",
            escape(&version_name(version))
        )
    }

    /// The nearest page above `page` (by path) that the site has in `version`.
    fn nearest(&self, page: &Page, version: Version, lang: Lang) -> Option<String> {
        let mut path = page.url_path();
        loop {
            let candidate = crate::permalink::permalink(&path, version, lang);
            if self.built.contains(&candidate) {
                return Some(candidate);
            }
            if path.is_empty() {
                return None;
            }
            path.truncate(path.rfind('/').unwrap_or(0));
        }
    }

    fn language_picker(&self, page: &Page, version: Version, lang: Lang) -> String {
        let corpus = self.renderer.corpus();
        let mut items = String::new();
        for l in &self.langs {
            let p = page.permalink(version, *l);
            if !self.built.contains(&p) {
                continue;
            }
            let current = if *l == lang { " aria-current=\"page\"" } else { "" };
            let translated = l.is_english() || corpus.translation_head(page, *l).ok().flatten().is_some();
            let note = if translated {
                String::new()
            } else {
                " <small class=\"untranslated-mark\">(in English)</small>".to_string()
            };
            items.push_str(&format!(
                "<li><a href=\"{}\" hreflang=\"{code}\" lang=\"{code}\"{current}>{}</a>{note}</li>",
                escape(&p),
                escape(l.native_name()),
                code = l.code(),
            ));
        }
        format!(
            "<details class=\"picker\" id=\"language-picker\"><summary>{}</summary><ul>{items}</ul></details>",
            escape(lang.native_name())
        )
    }

    /// The product's sidebar with the current page marked: the product's
    /// top-level pages, and the children of each page on the way down to this
    /// one (the rest folded away, so a page's size does not grow with its
    /// product's). The product's tree is built once per product, version and
    /// language.
    fn sidebar_html(&self, page: &Page, version: Version, lang: Lang, permalink: &str) -> Result<String, Error> {
        let Some((product, _)) = page.path.split_once('/') else {
            return Ok(String::new());
        };
        let key = (product.to_string(), version, lang);
        let cached = self.sidebars.lock().ok().and_then(|m| m.get(&key).cloned());
        let tree = match cached {
            Some(t) => t,
            None => {
                let t = Arc::new(sidebar(&self.renderer, page, version, lang)?);
                if let Ok(mut m) = self.sidebars.lock() {
                    m.insert(key, t.clone());
                }
                t
            }
        };
        let Some(root) = tree.as_ref() else {
            return Ok(String::new());
        };
        let mut trail = Vec::new();
        trail_to(root, permalink, &mut trail);
        let mut s = String::with_capacity(4096);
        s.push_str(
            "<nav class=\"sidebar\" aria-label=\"Pages of this product\"><details open><summary>Pages</summary>",
        );
        self.nav_list(root, &mut s, true, permalink, &trail);
        s.push_str("</details></nav>\n");
        Ok(s)
    }

    /// `node` and, when it is on the `trail` to the current page (the root
    /// always is), its children.
    fn nav_list(&self, node: &NavNode, out: &mut String, top: bool, current: &str, trail: &[*const NavNode]) {
        out.push_str(if top { "<ul class=\"nav-root\"><li>" } else { "<li>" });
        if self.built.contains(&node.href) {
            let mark = if node.href == current {
                " aria-current=\"page\""
            } else {
                ""
            };
            out.push_str(&format!(
                "<a href=\"{}\"{mark}>{}</a>",
                escape(&node.href),
                escape(&node.title)
            ));
        } else {
            out.push_str(&format!("<span>{}</span>", escape(&node.title)));
        }
        let open = top || trail.contains(&std::ptr::from_ref(node));
        if open && !node.children.is_empty() {
            out.push_str("<ul>");
            for c in &node.children {
                self.nav_list(c, out, false, current, trail);
            }
            out.push_str("</ul>");
        }
        out.push_str(if top { "</li></ul>" } else { "</li>" });
    }
}

/// Fills `trail` with the nodes from `node` down to the one at `href`; false
/// (and `trail` as it was) when there is none.
fn trail_to(node: &NavNode, href: &str, trail: &mut Vec<*const NavNode>) -> bool {
    trail.push(std::ptr::from_ref(node));
    if node.href == href || node.children.iter().any(|c| trail_to(c, href, trail)) {
        return true;
    }
    trail.pop();
    false
}

const FOOTER: &str =
    "<footer class=\"bottom\"><p>An offline copy of GitHub Docs, built by docgate.</p></footer>\n</body>\n</html>\n";

/// The name of a version in the pickers: `GHES 3.14`, `Free, Pro, & Team`.
pub fn version_name(v: Version) -> String {
    match v.release() {
        Some(r) => format!("GHES {r}"),
        None => v.plan().title().to_string(),
    }
}

/// The search index of a version and language, relative to the site's root.
pub fn search_index_file(version: Version, lang: Lang) -> String {
    format!("search/{}-{}.js", lang.code(), version.short_key().replace('@', "-"))
}

static TAG: LazyLock<regex::Regex> = LazyLock::new(|| regex::Regex::new(r"<[^>]*>").expect("valid"));

/// The text of HTML (or of Markdown with inline HTML): tags removed, the
/// common entities decoded, white space collapsed.
pub fn plain_text(html: &str) -> String {
    let text = TAG.replace_all(html, " ");
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At least the first `max` bytes of `plain_text(html)` (all of it when it is
/// shorter), from as little of `html` as gives them. A prefix of `html` cut
/// just before a `<` splits no tag and no entity, and a tag is a word break:
/// its text is a prefix of the whole page's text.
fn text_start(html: &str, max: usize) -> String {
    let mut len = (max * 4).max(1024);
    while len < html.len() {
        if let Some(cut) = html[len..].find('<').map(|i| len + i) {
            let text = plain_text(&html[..cut]);
            if text.len() >= max {
                return text;
            }
        } else {
            break;
        }
        len *= 2;
    }
    plain_text(html)
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

static LINK: LazyLock<regex::Regex> = LazyLock::new(|| regex::Regex::new(r#"(href|src)="(/[^"]*)""#).expect("valid"));

/// Rewrites `href="/…"` and `src="/…"` of a page at `permalink` with [`relative_url`].
pub fn relative_links(html: &str, permalink: &str, built: &HashSet<String>) -> String {
    LINK.replace_all(html, |c: &regex::Captures<'_>| {
        format!("{}=\"{}\"", &c[1], relative_url(&c[2], permalink, built))
    })
    .into_owned()
}

/// The URL of the site path `target` (`/en/…`, possibly with a fragment) from
/// the page at `from`: a built page becomes a relative `…/index.html`, a file
/// of the site (assets, the stylesheet and script) a relative path, anything
/// else a docs.github.com URL.
pub fn relative_url(target: &str, from: &str, built: &HashSet<String>) -> String {
    let up = "../".repeat(from.trim_matches('/').split('/').count());
    let split = target.find(['#', '?']).unwrap_or(target.len());
    let (path, rest) = target.split_at(split);
    let path = path.trim_end_matches('/');
    if path.starts_with("/assets/") || path == "/docgate.css" || path == "/docgate.js" {
        format!("{up}{}{rest}", path.trim_start_matches('/'))
    } else if built.contains(path) {
        format!("{up}{}/index.html{rest}", path.trim_start_matches('/'))
    } else if path.is_empty() && rest.starts_with('#') {
        rest.to_string()
    } else {
        format!("{DEFAULT_BASE_URL}{target}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_strips_tags_and_decodes() {
        assert_eq!(plain_text("<p>a &amp; <b>b</b></p>\n<p>c</p>"), "a & b c");
    }

    #[test]
    fn the_start_of_the_text_is_the_start_of_the_whole_text() {
        let html: String = (0..2000)
            .map(|i| format!("<p>word{i} &amp; <b>x</b>\n{}</p>\n", "라".repeat(i % 5)))
            .collect();
        for max in [0, 10, 100, 4000, 1_000_000] {
            let whole = truncate(&plain_text(&html), max);
            assert_eq!(truncate(&text_start(&html, max), max), whole, "{max}");
        }
    }

    #[test]
    fn truncate_keeps_whole_characters() {
        assert_eq!(truncate("라이선스", 4), "라");
    }
}
