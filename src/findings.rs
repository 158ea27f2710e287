//! Findings of `docgate check`: what is wrong, where, in which versions and
//! language, and how bad; and their text, JSON and GitHub Actions forms.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::languages::Lang;
use crate::versions::Version;

/// How bad a finding is. Warnings fail a check only with `--deny warnings`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A problem that fails the check.
    Error,
    /// A problem that fails the check only with `--deny warnings`.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem found by a check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// `redirects`, `links` or `lint`.
    pub check: &'static str,
    /// A stable id for the kind of problem (`duplicate-redirect`, `broken-anchor`, `GHD020`…).
    pub rule: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// The file, as shown in messages.
    pub file: Arc<str>,
    /// 1-based; 0 when the problem has no line (it comes from a reusable).
    pub line: usize,
    /// 1-based, when known.
    pub column: Option<usize>,
    /// The versions it occurs in (empty: not version-specific).
    pub versions: Vec<Version>,
    /// The language it occurs in (`None`: English, or not language-specific).
    pub lang: Option<Lang>,
    /// What is wrong, in one line.
    pub message: String,
}

impl Finding {
    /// A finding with no column, versions or language (add them with the builders below).
    pub fn new(
        check: &'static str,
        rule: &'static str,
        severity: Severity,
        file: Arc<str>,
        line: usize,
        message: String,
    ) -> Self {
        Finding {
            check,
            rule,
            severity,
            file,
            line,
            column: None,
            versions: Vec::new(),
            lang: None,
            message,
        }
    }

    /// Sets the column (1-based).
    pub fn column(mut self, column: usize) -> Self {
        self.column = Some(column);
        self
    }

    /// Adds a version the finding occurs in.
    pub fn version(mut self, v: Version) -> Self {
        self.versions.push(v);
        self
    }

    /// Sets the language the finding occurs in.
    pub fn lang(mut self, lang: Lang) -> Self {
        self.lang = Some(lang);
        self
    }

    fn location(&self) -> String {
        match (self.line, self.column) {
            (0, _) => self.file.to_string(),
            (l, Some(c)) => format!("{}:{l}:{c}", self.file),
            (l, None) => format!("{}:{l}", self.file),
        }
    }
}

pub use crate::versions::summarize as summarize_versions;

/// What makes two findings the same but for their versions.
type MergeKey = (
    Arc<str>,
    usize,
    Option<usize>,
    &'static str,
    String,
    Option<Lang>,
    &'static str,
);

/// Merges findings that differ only in version, sorted by file and line.
pub fn merge(findings: Vec<Finding>) -> Vec<Finding> {
    let mut map: BTreeMap<MergeKey, Finding> = BTreeMap::new();
    for f in findings {
        let key = (
            f.file.clone(),
            f.line,
            f.column,
            f.rule,
            f.message.clone(),
            f.lang,
            f.check,
        );
        match map.get_mut(&key) {
            Some(existing) => {
                for v in f.versions {
                    if !existing.versions.contains(&v) {
                        existing.versions.push(v);
                    }
                }
            }
            None => {
                map.insert(key, f);
            }
        }
    }
    let mut out: Vec<Finding> = map.into_values().collect();
    for f in &mut out {
        f.versions.sort();
    }
    out
}

/// A rule a check reports: its id (a finding's `rule`), its usual severity
/// (a translation's findings may be warnings where English ones are errors)
/// and what it means.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Rule {
    /// The rule's id (a finding's `rule`).
    pub id: &'static str,
    /// Its usual severity.
    pub severity: Severity,
    /// What it means, in one line.
    pub description: &'static str,
}

impl Rule {
    /// An error rule.
    pub const fn error(id: &'static str, description: &'static str) -> Rule {
        Rule {
            id,
            severity: Severity::Error,
            description,
        }
    }

    /// A warning rule.
    pub const fn warning(id: &'static str, description: &'static str) -> Rule {
        Rule {
            id,
            severity: Severity::Warning,
            description,
        }
    }
}

/// A name known only at run time (an external plugin's check or rule) as the
/// `&'static str` findings carry: each distinct name is stored once for the
/// life of the process.
pub fn intern(name: &str) -> &'static str {
    static NAMES: std::sync::Mutex<std::collections::BTreeSet<&'static str>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.get(name) {
        return n;
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.insert(leaked);
    leaked
}

/// How findings are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// One line per finding; `color` styles the severity and the location.
    Text {
        /// Whether to style with ANSI colors.
        color: bool,
    },
    /// GitHub Actions workflow commands: `::error file=…,line=…::message`.
    Github,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    check: &'a str,
    rule: &'a str,
    severity: Severity,
    file: &'a str,
    line: usize,
    column: Option<usize>,
    versions: Vec<String>,
    language: Option<&'a str>,
    message: &'a str,
}

fn escape_github(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_github_property(s: &str) -> String {
    escape_github(s).replace(':', "%3A").replace(',', "%2C")
}

/// The findings as a JSON array (the `findings` of `check --format json`).
pub fn to_json(findings: &[Finding]) -> serde_json::Value {
    let items: Vec<FindingJson> = findings
        .iter()
        .map(|f| FindingJson {
            check: f.check,
            rule: f.rule,
            severity: f.severity,
            file: &f.file,
            line: f.line,
            column: f.column,
            versions: f.versions.iter().map(ToString::to_string).collect(),
            language: f.lang.map(|l| l.code()),
            message: &f.message,
        })
        .collect();
    serde_json::to_value(items).unwrap_or_default()
}

/// Formats findings for people or for GitHub Actions.
pub fn format(findings: &[Finding], format: OutputFormat) -> String {
    use crate::output::{paint, style};
    let mut out = String::new();
    match format {
        OutputFormat::Text { color } => {
            for f in findings {
                let mut context = Vec::new();
                if !f.versions.is_empty() {
                    context.push(summarize_versions(&f.versions));
                }
                if let Some(l) = f.lang {
                    context.push(format!("lang {l}"));
                }
                let context = if context.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", context.join("; "))
                };
                // File names and messages quote the tree: one line each, no terminal controls.
                let severity = match f.severity {
                    Severity::Error => style::error(),
                    Severity::Warning => style::warning(),
                };
                out.push_str(&format!(
                    "{}: {}: {}{}\n",
                    paint(
                        &crate::escape::untrusted_line(&f.location().to_string()),
                        style::location(),
                        color
                    ),
                    paint(&format!("{}[{}]", f.severity, f.rule), severity, color),
                    crate::escape::untrusted_line(&f.message),
                    paint(&context, style::dim(), color)
                ));
            }
        }
        OutputFormat::Github => {
            for f in findings {
                let mut props = vec![format!("file={}", escape_github_property(&f.file))];
                if f.line > 0 {
                    props.push(format!("line={}", f.line));
                }
                if let Some(c) = f.column {
                    props.push(format!("col={c}"));
                }
                props.push(format!(
                    "title={}",
                    escape_github_property(&format!("{} {}", f.check, f.rule))
                ));
                let mut msg = f.message.clone();
                if !f.versions.is_empty() {
                    msg.push_str(&format!(" [{}]", summarize_versions(&f.versions)));
                }
                out.push_str(&format!(
                    "::{} {}::{}\n",
                    f.severity,
                    props.join(","),
                    escape_github(&msg)
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versions::Release;

    #[test]
    fn version_summaries() {
        let v = |m| Version::Ghes(Release::new(3, m));
        assert_eq!(
            summarize_versions(&[Version::Ghec, v(4), v(0), v(1), v(2), v(9)]),
            "ghec, ghes 3.0–3.2, 3.4, 3.9"
        );
    }

    #[test]
    fn formats() {
        let f = Finding::new(
            "links",
            "broken-anchor",
            Severity::Error,
            "content/a.md".into(),
            12,
            "no #x".into(),
        )
        .column(3)
        .version(Version::Ghes(Release::new(3, 4)));
        assert_eq!(
            format(std::slice::from_ref(&f), OutputFormat::Text { color: false }),
            "content/a.md:12:3: error[broken-anchor]: no #x [ghes 3.4]\n"
        );
        let colored = format(std::slice::from_ref(&f), OutputFormat::Text { color: true });
        assert!(
            colored.contains("\x1b[") && colored.contains("error[broken-anchor]"),
            "{colored:?}"
        );
        assert_eq!(
            to_json(std::slice::from_ref(&f))[0]["versions"][0],
            "enterprise-server@3.4"
        );
        assert_eq!(
            format(&[f], OutputFormat::Github),
            "::error file=content/a.md,line=12,col=3,title=links broken-anchor::no #x [ghes 3.4]\n"
        );
    }
}
