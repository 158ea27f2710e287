//! Output formats for a rendered page: HTML, Markdown, terminal text, JSON.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::landing::{ChildLink, Crumb, TocEntry, mini_toc};
use super::markdown::{self, Heading, Link, escape_html};
use super::text::{TextOptions, to_text_localized};
use super::{Fallback, RenderedPage, Renderer, TranslationStatus, Warning, rewrite_link};
use crate::error::Error;
use crate::escape::{redact, untrusted};

/// What `docgate render` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The page as an HTML `<article>` (with `TRANSLATION_FALLBACK` markers).
    Html,
    /// The body as the live site serves it as Markdown: Liquid rendered,
    /// AUTOTITLE resolved, internal links rewritten for the version and language.
    Markdown,
    /// The body after Liquid only, links as written (the reference engine's
    /// Liquid stage, which the 2021 conformance test compares).
    Liquid,
    /// Wrapped terminal text.
    Text,
    /// Everything as one JSON object.
    Json,
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "html" => Format::Html,
            "markdown" | "md" => Format::Markdown,
            "liquid" => Format::Liquid,
            "text" | "txt" => Format::Text,
            "json" => Format::Json,
            other => {
                return Err(format!(
                    "unknown format `{other}` (use html, markdown, liquid, text or json)"
                ));
            }
        })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Html => "html",
            Format::Markdown => "markdown",
            Format::Liquid => "liquid",
            Format::Text => "text",
            Format::Json => "json",
        })
    }
}

/// Inline Markdown (an intro, a permissions line) as HTML without the `<p>`.
fn inline_html(md: &str, page: &RenderedPage, renderer: &Renderer) -> String {
    let latest = renderer.corpus().releases().latest();
    let rw = |h: &str| rewrite_link(h, page.version, page.lang, latest);
    let html = markdown::to_html(
        md,
        &markdown::HtmlOptions {
            rewrite_link: Some(&rw),
            ..Default::default()
        },
    )
    .html;
    let html = renderer.clean_html(html);
    let t = html.trim();
    t.strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .unwrap_or(t)
        .to_string()
}

/// Formats a rendered page.
pub fn format_page(
    renderer: &Renderer,
    page: &RenderedPage,
    format: Format,
    text: TextOptions,
) -> Result<String, Error> {
    match format {
        // Files keep the tree's characters (a right-to-left mark is text in a
        // page); whoever prints a page to a terminal escapes it (`render`).
        // Secrets are redacted everywhere.
        Format::Markdown => Ok(redact(page.markdown()).into_owned()),
        Format::Liquid => Ok(redact(&page.body).into_owned()),
        Format::Html => {
            let body = renderer.body_html(page)?;
            let mut s = String::new();
            for f in &page.fallbacks {
                s.push_str(&f.marker());
                s.push('\n');
            }
            for sup in &page.supplements {
                s.push_str(&format!(
                    "<!-- TRANSLATION_SUPPLEMENT prop=body lang=en cond=\"{}\" section={} -->\n",
                    sup.condition.replace("--", "- -"),
                    sup.section
                ));
            }
            s.push_str(&format!(
                "<article lang=\"{}\" data-version=\"{}\" data-permalink=\"{}\">\n",
                page.lang.code(),
                page.version,
                page.permalink,
            ));
            if page.breadcrumbs.len() > 1 {
                s.push_str("<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\"><ol>");
                for c in &page.breadcrumbs {
                    s.push_str(&format!(
                        "<li><a href=\"{}\">{}</a></li>",
                        escape_html(&c.href),
                        escape_html(&c.title)
                    ));
                }
                s.push_str("</ol></nav>\n");
            }
            s.push_str(&format!("<h1>{}</h1>\n", escape_html(&page.title)));
            if let Some(intro) = &page.intro {
                s.push_str(&format!(
                    "<div class=\"lead\">{}</div>\n",
                    inline_html(intro, page, renderer)
                ));
            }
            if let Some(p) = &page.permissions {
                s.push_str(&format!(
                    "<div class=\"permissions\">{}</div>\n",
                    inline_html(p, page, renderer)
                ));
            }
            let toc = mini_toc(&body.headings);
            if page.children.is_empty() && !toc.is_empty() {
                s.push_str("<nav class=\"minitoc\" aria-label=\"In this article\"><ul>");
                for e in &toc {
                    s.push_str(&format!(
                        "<li><a href=\"#{}\">{}</a></li>",
                        escape_html(&e.id),
                        escape_html(&e.text)
                    ));
                }
                s.push_str("</ul></nav>\n");
            }
            s.push_str(&body.html);
            s.push_str("</article>\n");
            Ok(redact(&s).into_owned())
        }
        Format::Text => {
            let mut md = format!("# {}\n\n", page.title);
            if let Some(intro) = &page.intro {
                md.push_str(intro);
                md.push_str("\n\n");
            }
            if let Some(p) = &page.permissions {
                md.push_str(&format!("*{p}*\n\n"));
            }
            md.push_str(page.markdown());
            let md = untrusted(&md);
            let latest = renderer.corpus().releases().latest();
            let rw = |h: &str| rewrite_link(h, page.version, page.lang, latest);
            Ok(to_text_localized(
                &md,
                TextOptions {
                    keep_all: page.lang.keeps_words_whole(),
                    ..text
                },
                Some(&rw),
                &*renderer.alert_titles(page.lang)?,
            ))
        }
        Format::Json => {
            let body = renderer.body_html(page)?;
            let json = PageJson {
                schema_version: 1,
                path: &page.page.path,
                permalink: &page.permalink,
                version: page.version.to_string(),
                language: page.lang.code(),
                translation: page.translation,
                title: &page.title,
                short_title: page.short_title.as_deref(),
                intro: page.intro.as_deref(),
                permissions: page.permissions.as_deref(),
                product: page.product.as_deref(),
                headings: &body.headings,
                mini_toc: mini_toc(&body.headings),
                breadcrumbs: &page.breadcrumbs,
                children: &page.children,
                links: &body.links,
                markdown: page.markdown(),
                liquid: &page.body,
                html: &body.html,
                fallbacks: page.fallbacks.iter().map(FallbackJson::from).collect(),
                supplements: &page.supplements,
                warnings: &page.warnings,
            };
            let mut s = serde_json::to_string_pretty(&json).map_err(|e| Error::input(e.to_string()))?;
            s.push('\n');
            Ok(s)
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PageJson<'a> {
    #[serde(rename = "schema_version")]
    schema_version: u32,
    path: &'a str,
    permalink: &'a str,
    version: String,
    language: &'a str,
    translation: TranslationStatus,
    title: &'a str,
    short_title: Option<&'a str>,
    intro: Option<&'a str>,
    permissions: Option<&'a str>,
    product: Option<&'a str>,
    headings: &'a [Heading],
    mini_toc: Vec<TocEntry>,
    breadcrumbs: &'a [Crumb],
    children: &'a [ChildLink],
    links: &'a [Link],
    markdown: &'a str,
    liquid: &'a str,
    html: &'a str,
    fallbacks: Vec<FallbackJson>,
    supplements: &'a [crate::render::supplement::Supplement],
    warnings: &'a [Warning],
}

#[derive(Serialize)]
struct FallbackJson {
    property: &'static str,
    #[serde(rename = "type")]
    kind: super::FallbackKind,
    message: String,
    location: Option<String>,
}

impl From<&Fallback> for FallbackJson {
    fn from(f: &Fallback) -> Self {
        FallbackJson {
            property: f.property.key(),
            kind: f.kind,
            message: f.error.message(),
            location: f.error.location().map(ToString::to_string),
        }
    }
}
