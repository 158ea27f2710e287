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
use crate::corpus::DataRef;

fn write(w: &mut dyn Write, s: &str) -> liquid_core::Result<()> {
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
struct Octicon {
    name: String,
    attrs: Vec<(String, String)>,
}

impl Octicon {
    fn svg(&self) -> String {
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
            ("class".into(), format!("octicon octicon-{}", self.name)),
            ("aria-hidden".into(), "true".into()),
        ];
        for (k, v) in &self.attrs {
            match k.as_str() {
                "width" | "height" => {}
                "class" => out[4].1 = format!("octicon octicon-{} {v}", self.name).trim().to_string(),
                "aria-label" => {
                    out.retain(|(k, _)| k != "aria-hidden");
                    out.push(("aria-label".into(), v.clone()));
                    out.push(("role".into(), "img".into()));
                }
                _ => match out.iter_mut().find(|(key, _)| key == k) {
                    Some(slot) => slot.1 = v.clone(),
                    None => out.push((k.clone(), v.clone())),
                },
            }
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
    fn render_to(&self, w: &mut dyn Write, _rt: &dyn Runtime) -> liquid_core::Result<()> {
        write(w, &self.svg())
    }
}

// ------------------------------------------------- extended Markdown blocks

/// The extended-Markdown blocks of GitHub Docs and their classes.
pub const EXTENDED_BLOCKS: [(&str, &str); 20] = [
    ("note", "border rounded-1 mb-4 p-3 color-border-info color-bg-info f5"),
    ("tip", "border rounded-1 mb-4 p-3 color-border-info color-bg-info f5"),
    (
        "warning",
        "border rounded-1 mb-4 p-3 color-border-danger color-bg-danger f5",
    ),
    (
        "danger",
        "border rounded-1 mb-4 p-3 color-border-danger color-bg-danger f5",
    ),
    ("mac", ""),
    ("windows", ""),
    ("linux", ""),
    ("all", ""),
    ("webui", ""),
    ("cli", ""),
    ("desktop", ""),
    ("curl", ""),
    ("codespaces", ""),
    ("vscode", ""),
    ("visualstudio", ""),
    ("jetbrains", ""),
    ("eclipse", ""),
    ("api", ""),
    ("mobile", ""),
    ("windowsterminal", ""),
];

/// `{% note %}…{% endnote %}` and friends: `<div class="extended-markdown NAME CLASSES">…</div>`.
#[derive(Clone, Debug)]
pub struct ExtendedBlock {
    name: &'static str,
    end: String,
    classes: &'static str,
}

impl ExtendedBlock {
    pub fn all() -> impl Iterator<Item = ExtendedBlock> {
        EXTENDED_BLOCKS.iter().map(|(name, classes)| ExtendedBlock {
            name,
            end: format!("end{name}"),
            classes,
        })
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
            open: format!("<div class=\"extended-markdown {} {}\">", self.name, self.classes),
            body,
        }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct Extended {
    open: String,
    body: Vec<Box<dyn Renderable>>,
}

impl Renderable for Extended {
    fn render_to(&self, w: &mut dyn Write, rt: &dyn Runtime) -> liquid_core::Result<()> {
        write(w, &self.open)?;
        for r in &self.body {
            r.render_to(w, rt)?;
        }
        write(w, "</div>")
    }
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
pub struct IncludeTag;

impl TagReflection for IncludeTag {
    fn tag(&self) -> &str {
        "include"
    }
    fn description(&self) -> &str {
        "Includes a template of the reference engine (not available in docs trees)."
    }
}

impl ParseTag for IncludeTag {
    fn parse(&self, mut args: TagTokenIter, _lang: &Language) -> liquid_core::Result<Box<dyn Renderable>> {
        let tok = args.expect_next("`include` needs a template name")?;
        let name = unquote(tok.as_str()).unwrap_or(tok.as_str()).to_string();
        let site = site_of(tok.as_str());
        for _ in args.by_ref() {}
        Ok(Box::new(Include { name, site }))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct Include {
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
                    "`{{% include {} %}}`: the template `{}` is not in this tree (includes name templates of the \
                     reference engine, such as REST operation tables, which docs trees do not ship)",
                    self.name, self.name
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
        let svg = o.svg();
        assert!(
            svg.starts_with(r#"<svg version="1.1" width="16" height="16" viewBox="0 0 16 16" class="octicon octicon-check" aria-label="The check icon" role="img"><path"#),
            "{svg}"
        );
        let o = Octicon {
            name: "clippy".into(),
            attrs: vec![],
        };
        assert!(
            o.svg()
                .contains(r#"class="octicon octicon-clippy" aria-hidden="true">"#)
        );
        let o = Octicon {
            name: "gear".into(),
            attrs: vec![("height".into(), "32".into())],
        };
        assert!(
            o.svg().contains(r#"width="32" height="32" viewBox="0 0 24 24""#),
            "{}",
            o.svg()
        );
    }
}
