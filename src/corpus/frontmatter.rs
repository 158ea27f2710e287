//! YAML frontmatter: splitting it from the body and reading its keys.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

use crate::error::{Error, Location};
use crate::versions::VersionsSpec;

/// A file split into its frontmatter and body.
#[derive(Clone, Copy, Debug)]
pub struct Split<'a> {
    /// The YAML between the `---` lines ("" when the file has none).
    pub yaml: &'a str,
    /// The line the YAML starts on (1-based).
    pub yaml_line: usize,
    /// The Markdown after the frontmatter (the whole file when it has none).
    pub body: &'a str,
    /// The line the body starts on (1-based).
    pub body_line: usize,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Splits `text` at its `---` frontmatter fences. A file without a leading `---`
/// has an empty frontmatter; an opening fence without a closing one is an error.
pub fn split<'a>(text: &'a str, file: &Arc<str>) -> Result<Split<'a>, Error> {
    let Some(after_open) = text
        .strip_prefix("---\n")
        .or_else(|| (text.trim_end() == "---").then_some(""))
    else {
        return Ok(Split {
            yaml: "",
            yaml_line: 1,
            body: text,
            body_line: 1,
            body_offset: 0,
        });
    };
    let open_len = text.len() - after_open.len();
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &after_open[..offset];
            let body_offset = open_len + offset + line.len();
            return Ok(Split {
                yaml,
                yaml_line: 2,
                body: &text[body_offset..],
                body_line: 2 + yaml.matches('\n').count() + 1,
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(Error::at(
        Location::new(file.clone(), 1, 1),
        "frontmatter is not closed: the opening `---` has no closing `---` line",
    ))
}

/// The frontmatter of an English page (the keys docgate uses; others are kept
/// out of the way and checked by lint).
#[derive(Clone, Debug, Deserialize)]
pub struct Frontmatter {
    /// The page's title.
    pub title: String,
    /// A shorter title for navigation (`shortTitle`).
    #[serde(default, rename = "shortTitle")]
    pub short_title: Option<String>,
    /// The lead paragraph under the title.
    #[serde(default)]
    pub intro: Option<String>,
    /// Who may do what the page describes.
    #[serde(default)]
    pub permissions: Option<String>,
    /// The product callout shown under the intro.
    #[serde(default)]
    pub product: Option<String>,
    /// The versions the page exists in (`fpt`, `ghec`, `ghes`).
    #[serde(deserialize_with = "VersionsSpec::deserialize_frontmatter")]
    pub versions: VersionsSpec,
    /// Old paths that redirect to this page.
    #[serde(default)]
    pub redirect_from: Vec<String>,
    /// The article type (`type`: `overview`, `how_to`, …).
    #[serde(default, rename = "type")]
    pub page_type: Option<String>,
    /// The page's topics.
    #[serde(default)]
    pub topics: Vec<String>,
    /// A landing page's child pages, as paths relative to it.
    #[serde(default)]
    pub children: Vec<String>,
    /// The content type (`contentType`).
    #[serde(default, rename = "contentType")]
    pub content_type: Option<String>,
}

impl Frontmatter {
    /// Parses an English page's frontmatter.
    pub fn parse(split: &Split<'_>, file: &Arc<str>) -> Result<Frontmatter, Error> {
        if split.yaml.trim().is_empty() {
            return Err(Error::at(
                Location::new(file.clone(), 1, 1),
                "the page has no frontmatter (it needs at least `title` and `versions`)",
            ));
        }
        let fm: Frontmatter = crate::yaml::from_str(split.yaml, file, split.yaml_line)?;
        Ok(fm)
    }

    /// The value of a translatable property.
    pub fn property(&self, prop: Property) -> Option<&str> {
        match prop {
            Property::Title => Some(&self.title),
            Property::ShortTitle => self.short_title.as_deref(),
            Property::Intro => self.intro.as_deref(),
            Property::Permissions => self.permissions.as_deref(),
            Property::Product => self.product.as_deref(),
            Property::Body => None,
        }
    }
}

/// The parts of a page that are rendered (and fall back to English) one by one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Property {
    /// The page's title.
    Title,
    /// The shorter title (`shortTitle`).
    ShortTitle,
    /// The lead paragraph.
    Intro,
    /// Who may do what the page describes.
    Permissions,
    /// The product callout.
    Product,
    /// The Markdown body.
    Body,
}

impl Property {
    /// The frontmatter properties translators may translate.
    pub const TRANSLATABLE: [Property; 5] = [
        Property::Title,
        Property::ShortTitle,
        Property::Intro,
        Property::Permissions,
        Property::Product,
    ];

    /// The name used in frontmatter and in fallback markers.
    pub fn key(self) -> &'static str {
        match self {
            Property::Title => "title",
            Property::ShortTitle => "shortTitle",
            Property::Intro => "intro",
            Property::Permissions => "permissions",
            Property::Product => "product",
            Property::Body => "body",
        }
    }
}

/// The translatable keys of a translated page. Everything else (`versions`,
/// `redirect_from`, …) always comes from English.
#[derive(Clone, Debug, Default)]
pub struct TranslatedFrontmatter {
    values: BTreeMap<Property, String>,
    /// The translation's own `redirect_from` (ignored for redirects; lint compares it).
    pub redirect_from: Option<Vec<String>>,
    /// Keys present but not strings: they fall back to English one by one.
    pub invalid: Vec<(Property, String)>,
}

impl TranslatedFrontmatter {
    /// Parses a translation's frontmatter; a YAML error is returned (the caller
    /// falls back to English for the whole page).
    pub fn parse(split: &Split<'_>, file: &Arc<str>) -> Result<Self, Error> {
        if split.yaml.trim().is_empty() {
            return Ok(Self::default());
        }
        let raw: BTreeMap<String, serde_json::Value> = crate::yaml::from_str(split.yaml, file, split.yaml_line)?;
        let mut out = Self {
            redirect_from: raw
                .get("redirect_from")
                .and_then(|v| v.as_array())
                .map(|items| items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect()),
            ..Self::default()
        };
        for prop in Property::TRANSLATABLE {
            match raw.get(prop.key()) {
                None => {}
                Some(serde_json::Value::String(s)) => {
                    out.values.insert(prop, s.clone());
                }
                Some(other) => out
                    .invalid
                    .push((prop, format!("`{}` is not a string: {other}", prop.key()))),
            }
        }
        Ok(out)
    }

    /// The translation of `prop`, when the translation has one as a string.
    pub fn get(&self, prop: Property) -> Option<&str> {
        self.values.get(&prop).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f() -> Arc<str> {
        "p.md".into()
    }

    #[test]
    fn split_finds_body_line() {
        let t = "---\ntitle: x\nversions:\n  fpt: '*'\n---\n\nHello\n";
        let s = split(t, &f()).unwrap();
        assert_eq!(s.yaml, "title: x\nversions:\n  fpt: '*'\n");
        assert_eq!(s.body, "\nHello\n");
        assert_eq!(s.body_line, 6);
        assert_eq!(&t[s.body_offset..], s.body);
        assert!(split("---\ntitle: x\n", &f()).is_err());
        assert_eq!(split("no fm", &f()).unwrap().body, "no fm");
    }

    #[test]
    fn versions_are_typed_strings() {
        let t = "---\ntitle: x\nversions:\n  ghes: 3.10\n  fpt: '*'\n---\n";
        let s = split(t, &f()).unwrap();
        let fm = Frontmatter::parse(&s, &f()).unwrap();
        assert_eq!(fm.versions.ghes.as_deref(), Some("3.10"));
    }

    #[test]
    fn versions_as_a_string_is_an_error_but_legacy_star() {
        let t = "---\ntitle: x\nversions: 'fpt'\n---\n";
        let e = Frontmatter::parse(&split(t, &f()).unwrap(), &f()).unwrap_err();
        assert!(e.message().contains("must be a mapping"), "{}", e.message());
        assert_eq!(e.location().unwrap().line, 3);
        let t = "---\ntitle: x\nversions: '*'\n---\n";
        let fm = Frontmatter::parse(&split(t, &f()).unwrap(), &f()).unwrap();
        assert_eq!(fm.versions, VersionsSpec::legacy_everything());
    }

    #[test]
    fn translated_keys_fall_back_one_by_one() {
        let t = "---\ntitle: [a]\nintro: hi\nversions: whatever\n---\n";
        let tf = TranslatedFrontmatter::parse(&split(t, &f()).unwrap(), &f()).unwrap();
        assert_eq!(tf.get(Property::Intro), Some("hi"));
        assert_eq!(tf.get(Property::Title), None);
        assert_eq!(tf.invalid.len(), 1);
    }
}
