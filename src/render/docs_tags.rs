//! The other GitHub Docs tags: `octicon`, `indented_data_reference`, the
//! extended-Markdown blocks (`note`, `tip`, `warning`, `danger`, and the
//! platform and tool blocks such as `mac` or `cli`), and `include`, which names
//! a template of the reference engine that docs trees do not contain.

use std::collections::HashMap;
use std::io::Write;
use std::sync::LazyLock;

use liquid_core::Language;
use liquid_core::parser::{BlockReflection, ParseBlock, ParseTag, TagBlock, TagReflection, TagTokenIter};
use liquid_core::runtime::{Renderable, Runtime};
use serde::Deserialize;

use super::liquid::{Layout, TagSite, fail, site_error, site_of, unquote};
use crate::corpus::{DataRef, Engine};

pub(super) fn write(w: &mut dyn Write, s: &str) -> liquid_core::Result<()> {
    w.write_all(s.as_bytes())
        .map_err(|e| liquid_core::Error::with_msg(e.to_string()))
}

// ---------------------------------------------------------------- octicon

#[derive(Deserialize)]
struct IconSize {
    width: u32,
    path: String,
}

/// @primer/octicons 19.42 (MIT, see src/render/octicons.LICENSE): name → height → path.
static OCTICONS: LazyLock<HashMap<String, HashMap<String, IconSize>>> =
    LazyLock::new(|| serde_json::from_str(include_str!("octicons.json")).expect("octicons.json is valid"));

/// The `d` of an icon's 16px path, for SVGs built outside the `octicon` tag
/// (alert titles).
pub(crate) fn octicon_path_d(name: &str) -> Option<&'static str> {
    let path = &icon(name)?.get("16")?.path;
    let start = path.find(" d=\"")? + 4;
    let len = path[start..].find('"')?;
    Some(&path[start..start + len])
}

/// Icons renamed since older content was written.
const RENAMED: [(&str, &str); 3] = [("trashcan", "trash"), ("clippy", "paste"), ("duplicate", "copy")];

fn icon(name: &str) -> Option<&'static HashMap<String, IconSize>> {
    OCTICONS.get(name).or_else(|| {
        RENAMED
            .iter()
            .find(|(old, _)| *old == name)
            .and_then(|(_, new)| OCTICONS.get(*new))
    })
}

/// The attributes an `octicon` tag may set (those of primer's `toSVG`).
const OCTICON_ATTRIBUTES: &[&str] = &[
    "aria-label",
    "label",
    "aria-hidden",
    "class",
    "width",
    "height",
    "fill",
    "id",
    "title",
];

/// `{% octicon "name" aria-label="…" %}`: an SVG, as @primer/octicons' `toSVG`.
#[derive(Clone, Debug)]
pub struct OcticonTag;

impl TagReflection for OcticonTag {
    fn tag(&self) -> &str {
        "octicon"
    }
    fn description(&self) -> &str {
        "Inserts a GitHub octicon as inline SVG."
    }
}

impl ParseTag for OcticonTag {
    fn parse(&self, mut args: TagTokenIter, _lang: &Language) -> liquid_core::Result<Box<dyn Renderable>> {
        let name_tok = args.expect_next("`octicon` needs an icon name, e.g. {% octicon \"check\" %}")?;
        let Some(name) = unquote(name_tok.as_str()).map(str::to_string) else {
            return Err(name_tok.raise_custom_error("the icon name must be quoted, e.g. \"check\""));
        };
        if icon(&name).is_none() {
            return Err(name_tok.raise_custom_error(&format!("unknown octicon `{name}`")));
        }
        let mut attrs: Vec<(String, String)> = Vec::new();
        while let Some(key_tok) = args.next() {
            let key = key_tok.as_str().to_string();
            // The attribute is written into the SVG: only the ones primer's toSVG takes.
            if !OCTICON_ATTRIBUTES.contains(&key.as_str()) {
                return Err(key_tok.raise_custom_error(&format!(
                    "`{}` is not an octicon attribute (use {})",
                    crate::escape::untrusted_line(&key),
                    OCTICON_ATTRIBUTES.join(", ")
                )));
            }
            let eq = args.expect_next(&format!("`{key}` needs `=\"value\"`"))?;
            if eq.as_str() != "=" {
                return Err(eq.raise_custom_error("expected `=`"));
            }
            let value = args.expect_next(&format!("`{key}=` needs a value"))?;
            let v = unquote(value.as_str()).unwrap_or(value.as_str()).to_string();
            let valid = match key.as_str() {
                "width" | "height" => v.parse::<f64>().is_ok_and(|n| n.is_finite() && n > 0.0 && n <= 4096.0),
                "class" => v
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_')),
                _ => !v.chars().any(char::is_control),
            };
            if !valid {
                return Err(value.raise_custom_error(&format!("`{key}` has an invalid value for an octicon")));
            }
            attrs.push((key, v));
        }
        Ok(Box::new(Octicon { name, attrs }))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
pub(super) struct Octicon {
    pub(super) name: String,
    pub(super) attrs: Vec<(String, String)>,
}

impl Octicon {
    /// The SVG as the tree's engine writes it: `current` for today's (renamed
    /// icons under their new name, a default label).
    pub(super) fn svg(&self, current: bool) -> String {
        // Today's engine writes a renamed icon under its new name.
        let renamed = RENAMED.iter().find(|(old, _)| *old == self.name).map(|(_, new)| *new);
        let name = match renamed {
            Some(new) if current => new,
            _ => self.name.as_str(),
        };
        let sizes = icon(&self.name).expect("checked at parse time");
        let get = |k: &str| self.attrs.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        let wanted: u32 = get("height")
            .or(get("width"))
            .and_then(|v| v.parse().ok())
            .unwrap_or(16);
        // The natural height closest to the one asked for, the smallest on ties.
        let mut heights: Vec<u32> = sizes.keys().filter_map(|h| h.parse().ok()).collect();
        heights.sort_unstable();
        let natural = heights
            .iter()
            .copied()
            .min_by_key(|h| (h.abs_diff(wanted), *h))
            .unwrap_or(16);
        let size = &sizes[&natural.to_string()];
        let (mut width, mut height) = (size.width.to_string(), natural.to_string());
        match (get("width"), get("height")) {
            (Some(w), Some(h)) => (width, height) = (w.to_string(), h.to_string()),
            (Some(w), None) => {
                let w: f64 = w.parse().unwrap_or(f64::from(size.width));
                height = format_num(w * f64::from(natural) / f64::from(size.width));
                width = format_num(w);
            }
            (None, Some(h)) => {
                let h: f64 = h.parse().unwrap_or(f64::from(natural));
                width = format_num(h * f64::from(size.width) / f64::from(natural));
                height = format_num(h);
            }
            (None, None) => {}
        }
        let mut out: Vec<(String, String)> = vec![
            ("version".into(), "1.1".into()),
            ("width".into(), width),
            ("height".into(), height),
            ("viewBox".into(), format!("0 0 {} {natural}", size.width)),
            ("class".into(), format!("octicon octicon-{name}")),
        ];
        // As primer's toSVG: a label makes the icon an image, else it is hidden;
        // today's engine labels every icon ("<name> icon" by default).
        let label = get("aria-label").or(get("label")).map(str::to_string).or_else(|| {
            current.then(|| {
                let words: Vec<&str> = name
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .collect();
                format!("{} icon", words.join(" ").to_lowercase())
            })
        });
        for (k, v) in &self.attrs {
            match k.as_str() {
                "width" | "height" | "aria-label" | "label" | "aria-hidden" => {}
                "class" => out[4].1 = format!("octicon octicon-{name} {v}").trim().to_string(),
                _ => match out.iter_mut().find(|(key, _)| key == k) {
                    Some(slot) => slot.1 = v.clone(),
                    None => out.push((k.clone(), v.clone())),
                },
            }
        }
        match label {
            Some(l) => {
                out.push(("aria-label".into(), l));
                out.push(("role".into(), "img".into()));
            }
            None => out.push(("aria-hidden".into(), "true".into())),
        }
        let attrs: Vec<String> = out
            .iter()
            .map(|(k, v)| format!("{k}=\"{}\"", v.replace('&', "&amp;").replace('"', "&quot;")))
            .collect();
        format!("<svg {}>{}</svg>", attrs.join(" "), size.path)
    }
}

fn format_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

impl Renderable for Octicon {
    fn render_to(&self, w: &mut dyn Write, rt: &dyn Runtime) -> liquid_core::Result<()> {
        let engine = super::liquid::ctx(rt)?.renderer.corpus().engine();
        write(w, &self.svg(engine == Engine::Current))
    }
}

// ------------------------------------------------- extended Markdown blocks

/// `{% note %}`, `{% tip %}`, `{% warning %}`, `{% danger %}`: the 2021
/// engine's classes, and the alert colour today's engine gives them.
const SPOTLIGHTS: [(&str, &str, &str); 4] = [
    (
        "note",
        "border rounded-1 mb-4 p-3 color-border-info color-bg-info f5",
        "accent",
    ),
    (
        "tip",
        "border rounded-1 mb-4 p-3 color-border-info color-bg-info f5",
        "success",
    ),
    (
        "warning",
        "border rounded-1 mb-4 p-3 color-border-danger color-bg-danger f5",
        "attention",
    ),
    (
        "danger",
        "border rounded-1 mb-4 p-3 color-border-danger color-bg-danger f5",
        "danger",
    ),
];

/// The tool and platform blocks: today's tools and platforms, `rowheaders`,
/// and `all` of the 2021 engine.
pub const TOOL_BLOCKS: [&str; 27] = [
    "mac",
    "windows",
    "linux",
    "all",
    "agents",
    "api",
    "azure_data_studio",
    "bash",
    "cli",
    "codespaces",
    "curl",
    "desktop",
    "eclipse",
    "importer_cli",
    "javascript",
    "jetbrains",
    "jetbrains_beta",
    "mobile",
    "powershell",
    "skillsets",
    "vimneovim",
    "visualstudio",
    "vscode",
    "webui",
    "windowsterminal",
    "xcode",
    "rowheaders",
];

#[derive(Clone, Copy, Debug)]
enum BlockKind {
    /// A note-like block: 2021 classes, today's alert colour.
    Spotlight { classes: &'static str, color: &'static str },
    /// A tool or platform block (and `rowheaders`).
    Tool,
}

/// The extended-Markdown blocks, rendered as the tree's engine does
/// ([`crate::corpus::Engine`]):
///
/// | block | 2021 engine | today's engine |
/// |---|---|---|
/// | `note` … | `<div class="extended-markdown note CLASSES">…</div>` | `<div class="ghd-alert ghd-alert-accent ghd-spotlight-accent">…</div>` |
/// | `mac`, `webui`, `rowheaders` … | `<div class="extended-markdown mac ">…</div>` | `<div class="ghd-tool mac">…</div>` and a newline |
#[derive(Clone, Debug)]
pub struct ExtendedBlock {
    name: &'static str,
    end: String,
    kind: BlockKind,
}

impl ExtendedBlock {
    pub fn all() -> impl Iterator<Item = ExtendedBlock> {
        let spotlights = SPOTLIGHTS.iter().map(|(name, classes, color)| ExtendedBlock {
            name,
            end: format!("end{name}"),
            kind: BlockKind::Spotlight { classes, color },
        });
        let tools = TOOL_BLOCKS.iter().map(|name| ExtendedBlock {
            name,
            end: format!("end{name}"),
            kind: BlockKind::Tool,
        });
        spotlights.chain(tools)
    }
}

impl BlockReflection for ExtendedBlock {
    fn start_tag(&self) -> &str {
        self.name
    }
    fn end_tag(&self) -> &str {
        &self.end
    }
    fn description(&self) -> &str {
        "An extended-Markdown block of GitHub Docs."
    }
}

impl ParseBlock for ExtendedBlock {
    fn parse(
        &self,
        mut args: TagTokenIter,
        mut block: TagBlock,
        lang: &Language,
    ) -> liquid_core::Result<Box<dyn Renderable>> {
        args.expect_nothing()?;
        let body = block.parse_all(lang)?;
        Ok(Box::new(Extended {
            name: self.name,
            kind: self.kind,
            body,
        }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct Extended {
    name: &'static str,
    kind: BlockKind,
    body: Vec<Box<dyn Renderable>>,
}

impl Renderable for Extended {
    fn render_to(&self, w: &mut dyn Write, rt: &dyn Runtime) -> liquid_core::Result<()> {
        let engine = super::liquid::ctx(rt)?.renderer.corpus().engine();
        let (open, close) = match (engine, self.kind) {
            (Engine::Legacy2021, BlockKind::Spotlight { classes, .. }) => (
                format!("<div class=\"extended-markdown {} {classes}\">", self.name),
                "</div>",
            ),
            (Engine::Legacy2021, BlockKind::Tool) => {
                (format!("<div class=\"extended-markdown {} \">", self.name), "</div>")
            }
            (Engine::Current, BlockKind::Spotlight { color, .. }) => (
                format!("<div class=\"ghd-alert ghd-alert-{color} ghd-spotlight-{color}\">"),
                "</div>",
            ),
            (Engine::Current, BlockKind::Tool) => (format!("<div class=\"ghd-tool {}\">", self.name), "</div>\n"),
        };
        write(w, &open)?;
        for r in &self.body {
            r.render_to(w, rt)?;
        }
        write(w, close)
    }
}

// ---------------------------------------------------------------- link tags

/// The link tags of the 2020–2021 engine: a link to another page, with its
/// title (and intro), rendered for the current version and language. The path
/// is relative to the folder of the page the tag is written in
/// (`{% link_with_intro /quickstart %}` in `actions/index.md` is
/// `actions/quickstart`), else from `content/`.
pub const LINK_TAGS: [&str; 5] = [
    "link",
    "link_with_intro",
    "link_in_list",
    "homepage_link_with_intro",
    "link_as_article_card",
];

#[derive(Clone, Debug)]
pub struct LinkTag {
    name: &'static str,
}

impl LinkTag {
    pub fn all() -> impl Iterator<Item = LinkTag> {
        LINK_TAGS.iter().map(|name| LinkTag { name })
    }
}

impl TagReflection for LinkTag {
    fn tag(&self) -> &str {
        self.name
    }
    fn description(&self) -> &str {
        "A link to another page with its title (the 2020–2021 engine's link tags)."
    }
}

impl ParseTag for LinkTag {
    fn parse(&self, mut args: TagTokenIter, _lang: &Language) -> liquid_core::Result<Box<dyn Renderable>> {
        let tok = args.expect_next(&format!(
            "`{0}` needs a page path, e.g. {{% {0} /quickstart %}}",
            self.name
        ))?;
        let site = site_of(tok.as_str());
        let path = match super::legacy::data_path(tok.as_str()) {
            Ok(p) => p.to_string(),
            Err(m) => return Err(tok.raise_custom_error(&m)),
        };
        if let Some(extra) = args.next() {
            return Err(extra.raise_custom_error(&format!("`{}` takes one page path", self.name)));
        }
        Ok(Box::new(PageLink {
            name: self.name,
            path,
            site,
        }))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct PageLink {
    name: &'static str,
    path: String,
    site: Option<TagSite>,
}

impl Renderable for PageLink {
    fn render_to(&self, w: &mut dyn Write, rt: &dyn Runtime) -> liquid_core::Result<()> {
        let ctx = super::liquid::ctx(rt)?;
        let corpus = ctx.renderer.corpus();
        // The content folder of the file the tag is written in.
        let folder = self.site.as_ref().and_then(|s| {
            let rel = corpus.source().relative_of_display(&s.location.file)?;
            let content = rel.split_once("content/").map(|(_, c)| c)?;
            Some(content.rsplit_once('/').map_or("", |(dir, _)| dir).to_string())
        });
        let rel = self.path.trim_matches('/');
        let mut candidates = Vec::new();
        if let Some(dir) = folder.as_deref().filter(|d| !d.is_empty()) {
            candidates.push(format!("{dir}/{rel}.md"));
            candidates.push(format!("{dir}/{rel}/index.md"));
        }
        candidates.push(format!("{rel}.md"));
        candidates.push(format!("{rel}/index.md"));
        let mut found = None;
        for c in candidates {
            if let Some(p) = corpus.page(&c).map_err(|e| fail(rt, e))? {
                found = Some(p);
                break;
            }
        }
        let Some(page) = found else {
            super::liquid::warn(
                rt,
                super::Warning {
                    message: format!(
                        "`{{% {} {} %}}`: no page of this tree has that path; the link is left out",
                        self.name,
                        crate::escape::untrusted_line(&self.path)
                    ),
                    location: self.site.as_ref().map(|s| s.location.to_string()),
                },
            );
            return Ok(());
        };
        // As the reference: a page missing in this version renders nothing.
        // (Its title and link differ by version: not reused across versions.)
        super::classes::opaque();
        if !page.applies_to(ctx.version) {
            return Ok(());
        }
        let title = ctx
            .renderer
            .page_title(&page, ctx.version, ctx.lang)
            .map_err(|e| fail(rt, e))?;
        let href = page.permalink(ctx.version, ctx.lang);
        let (href, title) = (
            super::markdown::escape_html(&href),
            super::markdown::escape_html(&title),
        );
        let html = match self.name {
            "link" => format!("<a class=\"link-title\" href=\"{href}\">{title}</a>"),
            "link_in_list" => format!("<li><a class=\"link-title\" href=\"{href}\">{title}</a></li>"),
            _ => {
                let intro = ctx
                    .renderer
                    .page_property(&page, ctx.version, ctx.lang, crate::corpus::Property::Intro)
                    .map_err(|e| fail(rt, e))?
                    .map(|i| {
                        format!(
                            "<p class=\"link-with-intro-intro\">{}</p>",
                            super::markdown::escape_html(&i)
                        )
                    })
                    .unwrap_or_default();
                format!(
                    "<div class=\"link-with-intro\"><a href=\"{href}\"><h2 class=\"link-with-intro-title\">{title}</h2></a>{intro}</div>"
                )
            }
        };
        write(w, &html)
    }
}

/// JavaScript's `encodeURIComponent`: everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )`
/// percent-encoded as UTF-8.
///
/// ```
/// # use docgate::render::encode_uri_component;
/// assert_eq!(encode_uri_component("Explain `x` & ünïcode!"), "Explain%20%60x%60%20%26%20%C3%BCn%C3%AFcode!");
/// ```
pub fn encode_uri_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ---------------------------------------------------------------- filters

use liquid_core::{Display_filter, Filter, FilterReflection, ParseFilter, Value, ValueView};

/// `{{ currentVersion | version_num }}`: `enterprise-server@3.5` → `3.5`.
#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "version_num",
    description = "The release of a version key.",
    parsed(VersionNumFilter)
)]
pub struct VersionNum;

#[derive(Debug, Default, Display_filter)]
#[name = "version_num"]
struct VersionNumFilter;

impl Filter for VersionNumFilter {
    fn evaluate(&self, input: &dyn ValueView, _rt: &dyn Runtime) -> liquid_core::Result<Value> {
        let s = input.to_kstr();
        Ok(Value::scalar(
            s.split_once('@').map_or(s.as_str(), |(_, r)| r).to_string(),
        ))
    }
}

/// `{{ object | obj_size }}`: the number of keys of an object.
#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "obj_size",
    description = "The number of keys of an object.",
    parsed(ObjSizeFilter)
)]
pub struct ObjSize;

#[derive(Debug, Default, Display_filter)]
#[name = "obj_size"]
struct ObjSizeFilter;

impl Filter for ObjSizeFilter {
    fn evaluate(&self, input: &dyn ValueView, _rt: &dyn Runtime) -> liquid_core::Result<Value> {
        Ok(Value::scalar(input.as_object().map_or(0, |o| o.size())))
    }
}

/// `{{ text | slugify }}`: github-slugger's slug.
#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "slugify",
    description = "The GitHub heading slug of a text.",
    parsed(SlugifyFilter)
)]
pub struct Slugify;

#[derive(Debug, Default, Display_filter)]
#[name = "slugify"]
struct SlugifyFilter;

impl Filter for SlugifyFilter {
    fn evaluate(&self, input: &dyn ValueView, _rt: &dyn Runtime) -> liquid_core::Result<Value> {
        Ok(Value::scalar(super::slug::slugify(&input.to_kstr())))
    }
}

// ---------------------------------------------------------------- include

/// `{% include name %}`: the reference engine's own templates (REST operation
/// tables, GraphQL schema pages) are not part of docs trees. Parsing succeeds
/// (the tag often sits in a loop over data the tree does not have, which
/// renders nothing); rendering it is an error naming the template.
#[derive(Clone, Debug)]
pub struct IncludeTag {
    tag: &'static str,
}

impl IncludeTag {
    /// `include`, and `render` (its newer spelling, in 2020-era landing pages).
    pub fn all() -> impl Iterator<Item = IncludeTag> {
        ["include", "render"].into_iter().map(|tag| IncludeTag { tag })
    }
}

impl TagReflection for IncludeTag {
    fn tag(&self) -> &str {
        self.tag
    }
    fn description(&self) -> &str {
        "Includes a template of the reference engine (not available in docs trees)."
    }
}

impl ParseTag for IncludeTag {
    fn parse(&self, mut args: TagTokenIter, _lang: &Language) -> liquid_core::Result<Box<dyn Renderable>> {
        let tok = args.expect_next(&format!("`{}` needs a template name", self.tag))?;
        let name = unquote(tok.as_str()).unwrap_or(tok.as_str()).to_string();
        let site = site_of(tok.as_str());
        for _ in args.by_ref() {}
        Ok(Box::new(Include {
            tag: self.tag,
            name,
            site,
        }))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct Include {
    tag: &'static str,
    name: String,
    site: Option<TagSite>,
}

impl Renderable for Include {
    fn render_to(&self, _w: &mut dyn Write, rt: &dyn Runtime) -> liquid_core::Result<()> {
        Err(fail(
            rt,
            site_error(
                self.site.as_ref(),
                format!(
                    "`{{% {} {} %}}`: the template `{}` is not in this tree (includes name templates of the \
                     reference engine, such as REST operation tables, which docs trees do not ship)",
                    self.tag, self.name, self.name
                ),
            ),
        ))
    }
}

// ------------------------------------------------- indented_data_reference

/// `{% indented_data_reference reusables.x.y spaces=3 %}`: a data value with
/// every line indented (default 2 spaces), rendered in place.
#[derive(Clone, Debug)]
pub struct IndentedDataReferenceTag;

impl TagReflection for IndentedDataReferenceTag {
    fn tag(&self) -> &str {
        "indented_data_reference"
    }
    fn description(&self) -> &str {
        "Inserts a data value with every line indented by `spaces=N` (default 2)."
    }
}

impl ParseTag for IndentedDataReferenceTag {
    fn parse(&self, mut args: TagTokenIter, _lang: &Language) -> liquid_core::Result<Box<dyn Renderable>> {
        let tok = args.expect_next("`indented_data_reference` needs a data path and `spaces=N`")?;
        let site = site_of(tok.as_str());
        let reference = super::legacy::data_path(tok.as_str())
            .and_then(DataRef::parse)
            .map_err(|m| tok.raise_custom_error(&m))?;
        let rest: Vec<String> = args.by_ref().map(|t| t.as_str().to_string()).collect();
        let spaces = match rest.concat().as_str() {
            "" => 2,
            joined => joined
                .strip_prefix("spaces=")
                .and_then(|n| n.parse::<usize>().ok())
                .filter(|n| *n <= 99)
                .ok_or_else(|| args.raise_error("expected `spaces=N` with N a number of spaces"))?,
        };
        Ok(Box::new(IndentedData {
            reference,
            layout: Layout::AllLines(spaces),
            site,
        }))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct IndentedData {
    reference: DataRef,
    layout: Layout,
    site: Option<TagSite>,
}

impl Renderable for IndentedData {
    fn render_to(&self, w: &mut dyn Write, rt: &dyn Runtime) -> liquid_core::Result<()> {
        super::tags::insert_data(w, rt, &self.reference, &self.layout, self.site.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octicon_svg_like_primer() {
        let o = Octicon {
            name: "check".into(),
            attrs: vec![("aria-label".into(), "The check icon".into())],
        };
        let svg = o.svg(true);
        assert!(
            svg.starts_with(r#"<svg version="1.1" width="16" height="16" viewBox="0 0 16 16" class="octicon octicon-check" aria-label="The check icon" role="img"><path"#),
            "{svg}"
        );
        let o = Octicon {
            name: "clippy".into(),
            attrs: vec![],
        };
        assert!(
            o.svg(false)
                .contains(r#"class="octicon octicon-clippy" aria-hidden="true">"#)
        );
        // Today's engine: renamed icons take their new name, and a default label.
        assert!(
            o.svg(true)
                .contains(r#"class="octicon octicon-paste" aria-label="paste icon" role="img">"#),
            "{}",
            o.svg(true)
        );
        let o = Octicon {
            name: "git-branch".into(),
            attrs: vec![("aria-hidden".into(), "true".into())],
        };
        assert!(o.svg(true).contains(r#"aria-label="git branch icon" role="img">"#));
        assert!(
            o.svg(false)
                .contains(r#"class="octicon octicon-git-branch" aria-hidden="true">"#)
        );
        let o = Octicon {
            name: "gear".into(),
            attrs: vec![("height".into(), "32".into())],
        };
        assert!(
            o.svg(false).contains(r#"width="32" height="32" viewBox="0 0 24 24""#),
            "{}",
            o.svg(false)
        );
    }
}
