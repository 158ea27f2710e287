//! The data directory: variables (`data/variables/**.yml`), reusables
//! (`data/reusables/**.md`), UI strings (`data/ui.yml`) and their translations.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::Deserialize;

use super::Source;
use super::frontmatter;
use crate::cache::Memo;
use crate::error::{Error, Location};

/// A parsed `{% data … %}` path.
///
/// ```
/// use docgate::corpus::DataRef;
/// let r = DataRef::parse("variables.product.prodname_ghe_server").unwrap();
/// assert_eq!(r.file(), "data/variables/product.yml");
/// let r = DataRef::parse("reusables.enterprise-accounts.access-enterprise").unwrap();
/// assert_eq!(r.file(), "data/reusables/enterprise-accounts/access-enterprise.md");
/// assert!(DataRef::parse("../../x").is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DataRef {
    /// `variables.<dirs…>.<file>.<key>`: key `key` of `data/variables/<dirs>/<file>.yml`.
    Variable {
        /// The English YAML file (`data/variables/<dirs>/<file>.yml`).
        file: String,
        /// The key in it.
        key: String,
    },
    /// `reusables.<dirs…>.<name>`: `data/reusables/<dirs>/<name>.md`.
    Reusable {
        /// The English Markdown file (`data/reusables/<dirs>/<name>.md`).
        file: String,
    },
    /// A nested key (or array index) of a YAML data file: `ui.<keys…>` in
    /// `data/ui.yml`, `glossaries.<name>.<keys…>` in `data/glossaries/<name>.yml`.
    Yaml {
        /// The English YAML file (`data/ui.yml` or `data/glossaries/<name>.yml`).
        file: String,
        /// The keys (or array indexes) from the top of the file down to the value.
        keys: Vec<String>,
    },
}

impl DataRef {
    /// Parses a dotted data path, or says what is wrong with it.
    pub fn parse(path: &str) -> Result<DataRef, String> {
        // The reference's "smart split": `version-3.4` stays one segment (a
        // segment ending in a digit joins a next one starting with a digit).
        let mut joined: Vec<String> = Vec::new();
        for part in path.split('.') {
            match joined.last_mut() {
                Some(prev)
                    if prev.contains('-')
                        && prev.ends_with(|c: char| c.is_ascii_digit())
                        && part.starts_with(|c: char| c.is_ascii_digit()) =>
                {
                    prev.push('.');
                    prev.push_str(part);
                }
                _ => joined.push(part.to_string()),
            }
        }
        let segments: Vec<&str> = joined.iter().map(String::as_str).collect();
        let valid = |s: &&str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        };
        if let Some(bad) = segments.iter().find(|s| !valid(s)) {
            return Err(if bad.is_empty() {
                format!("`{path}` is not a data path: it has an empty segment")
            } else {
                format!("`{path}` is not a data path: `{bad}` may only use letters, digits, `_` and `-`")
            });
        }
        match segments[0] {
            "variables" if segments.len() >= 3 => {
                let key = segments[segments.len() - 1].to_string();
                let file = format!("data/variables/{}.yml", segments[1..segments.len() - 1].join("/"));
                Ok(DataRef::Variable { file, key })
            }
            "reusables" if segments.len() >= 2 => Ok(DataRef::Reusable {
                file: format!("data/reusables/{}.md", segments[1..].join("/")),
            }),
            "ui" if segments.len() >= 2 => Ok(DataRef::Yaml {
                file: "data/ui.yml".into(),
                keys: segments[1..].iter().map(|s| s.to_string()).collect(),
            }),
            "glossaries" if segments.len() >= 3 => Ok(DataRef::Yaml {
                file: format!("data/glossaries/{}.yml", segments[1]),
                keys: segments[2..].iter().map(|s| s.to_string()).collect(),
            }),
            "variables" | "reusables" | "ui" | "glossaries" => {
                Err(format!("`{path}` is incomplete: it names a folder, not a value"))
            }
            other => Err(format!(
                "`{path}` is not a data path: unknown category `{other}` (expected variables, reusables, ui or glossaries)"
            )),
        }
    }

    /// The English data file the reference lives in.
    pub fn file(&self) -> &str {
        match self {
            DataRef::Variable { file, .. } | DataRef::Reusable { file } | DataRef::Yaml { file, .. } => file,
        }
    }

    /// Whether translations may override this reference. Product names are never
    /// translated (the reference engine always reads `product.yml` in English).
    pub fn is_translatable(&self) -> bool {
        !matches!(self.file(), "data/variables/product.yml" | "data/variables/copilot.yml")
    }
}

impl fmt::Display for DataRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataRef::Variable { file, key } => {
                let stem = file
                    .trim_start_matches("data/")
                    .trim_end_matches(".yml")
                    .replace('/', ".");
                write!(f, "{stem}.{key}")
            }
            DataRef::Reusable { file } => {
                write!(
                    f,
                    "{}",
                    file.trim_start_matches("data/")
                        .trim_end_matches(".md")
                        .replace('/', ".")
                )
            }
            DataRef::Yaml { file, keys } => {
                let stem = file
                    .trim_start_matches("data/")
                    .trim_end_matches(".yml")
                    .replace('/', ".");
                write!(f, "{stem}.{}", keys.join("."))
            }
        }
    }
}

/// The text of a data value and where it came from.
#[derive(Clone, Debug)]
pub struct DataText {
    /// The value's text.
    pub text: Arc<str>,
    /// The file, as shown in messages.
    pub file: Arc<str>,
    /// The line the text starts on in `file`.
    pub line: usize,
}

/// A YAML scalar read as its source text (`3.10` stays `3.10`).
#[derive(Clone, Debug)]
struct Scalar(Option<String>);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar(None))
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar(None))
            }
        }
        d.deserialize_str(V)
    }
}

/// A variables file: key → (value, line).
type Variables = Arc<BTreeMap<String, (String, usize)>>;
type VarFile = Result<Variables, Error>;

/// Reads data files, caching parsed YAML. Shared by every render thread.
#[derive(Debug, Default)]
pub struct DataCache {
    variables: Memo<String, VarFile>,
    yaml: Memo<String, Result<Arc<serde_json::Value>, Error>>,
}

impl DataCache {
    /// Looks `r` up in the file at `rel` (English `data/…` or a translation's
    /// `translations/<locale>/data/…`). `Ok(None)` when the file or key is missing
    /// or the value is empty (the reference treats falsy values as undefined).
    pub fn lookup(&self, source: &Source, rel: &str, r: &DataRef) -> Result<Option<DataText>, Error> {
        match r {
            DataRef::Variable { key, .. } => {
                let file = self.variable_file(source, rel)?;
                Ok(file.get(key).filter(|(v, _)| !v.is_empty()).map(|(v, line)| DataText {
                    text: v.as_str().into(),
                    file: source.display(rel),
                    line: *line,
                }))
            }
            DataRef::Reusable { .. } => {
                let Some(text) = source.read(rel)? else { return Ok(None) };
                let file = source.display(rel);
                let split = frontmatter::split(&text, &file)?;
                let body = split.body.trim_end();
                if body.trim().is_empty() {
                    return Ok(None);
                }
                Ok(Some(DataText {
                    text: body.into(),
                    file,
                    line: split.body_line,
                }))
            }
            DataRef::Yaml { keys, .. } => {
                let doc = self.yaml_file(source, rel)?;
                let mut v: &serde_json::Value = &doc;
                for k in keys {
                    let next = match v {
                        serde_json::Value::Array(items) => k.parse::<usize>().ok().and_then(|i| items.get(i)),
                        other => other.get(k),
                    };
                    match next {
                        Some(next) => v = next,
                        None => return Ok(None),
                    }
                }
                Ok(match v {
                    serde_json::Value::String(s) if !s.is_empty() => Some(DataText {
                        text: s.as_str().into(),
                        file: source.display(rel),
                        line: 1,
                    }),
                    serde_json::Value::Number(n) => Some(DataText {
                        text: n.to_string().into(),
                        file: source.display(rel),
                        line: 1,
                    }),
                    _ => None,
                })
            }
        }
    }

    fn variable_file(&self, source: &Source, rel: &str) -> Result<Variables, Error> {
        self.variables
            .get_or_insert_with(rel.to_string(), || Self::parse_variables(source, rel))
    }

    fn parse_variables(source: &Source, rel: &str) -> VarFile {
        let Some(text) = source.read(rel)? else {
            return Ok(Arc::default());
        };
        if text.trim().is_empty() {
            return Ok(Arc::default());
        }
        let file = source.display(rel);
        let raw: BTreeMap<String, serde_saphyr::Spanned<Scalar>> =
            crate::yaml::from_str(&text, &file, 1).map_err(|e| e.with_source_text(text.clone()))?;
        Ok(Arc::new(
            raw.into_iter()
                .map(|(k, v)| {
                    let line = v.referenced.line() as usize;
                    (k, (v.value.0.unwrap_or_default(), line))
                })
                .collect(),
        ))
    }

    /// A YAML data file as a JSON value (`Null` when the file does not exist).
    pub fn yaml_file(&self, source: &Source, rel: &str) -> Result<Arc<serde_json::Value>, Error> {
        self.yaml
            .get_or_insert_with(rel.to_string(), || match source.read(rel)? {
                Some(text) => crate::yaml::from_str(&text, &source.display(rel), 1).map(Arc::new),
                None => Ok(Arc::new(serde_json::Value::Null)),
            })
    }
}

/// Where a missing reference would have been defined, for messages.
pub fn missing_help(r: &DataRef) -> String {
    match r {
        DataRef::Variable { file, key } => format!("define `{key}` in {file}"),
        DataRef::Reusable { file } => format!("create {file}"),
        DataRef::Yaml { file, keys } => format!("define `{}` in {file}", keys.join(".")),
    }
}

/// The location of a data value, for errors inside it.
pub fn location(text: &DataText) -> Location {
    Location::new(text.file.clone(), text.line, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(
            DataRef::parse("variables.a.b.c").unwrap(),
            DataRef::Variable {
                file: "data/variables/a/b.yml".into(),
                key: "c".into()
            }
        );
        assert_eq!(DataRef::parse("ui.header.notices").unwrap().file(), "data/ui.yml");
        assert_eq!(
            DataRef::parse("reusables.release-notes.version-3.4").unwrap().file(),
            "data/reusables/release-notes/version-3.4.md"
        );
        assert_eq!(
            DataRef::parse("reusables.two_fa.2fa_not_supported").unwrap().file(),
            "data/reusables/two_fa/2fa_not_supported.md"
        );
        let g = DataRef::parse("glossaries.external.3.term").unwrap();
        assert_eq!(g.file(), "data/glossaries/external.yml");
        assert_eq!(g.to_string(), "glossaries.external.3.term");
        assert!(DataRef::parse("variables.product").unwrap_err().contains("incomplete"));
        assert!(DataRef::parse("foo.bar").unwrap_err().contains("unknown category"));
        assert!(DataRef::parse("reusables..x").unwrap_err().contains("empty segment"));
        assert!(!DataRef::parse("variables.product.x").unwrap().is_translatable());
        assert!(DataRef::parse("variables.location.x").unwrap().is_translatable());
        assert_eq!(
            DataRef::parse("reusables.a.b-c").unwrap().to_string(),
            "reusables.a.b-c"
        );
        assert_eq!(
            DataRef::parse("variables.product.x").unwrap().to_string(),
            "variables.product.x"
        );
    }
}
