//! Content lint: Liquid that does not parse, `data` references that do not
//! resolve, version conditions the reference engine would misread or that can
//! never (or always) apply to a page's versions, and translations that drifted
//! from English. Rule ids follow the reference linter (GHD014…GHD022) in spirit.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::cache::Memo;
use crate::check::Rule;
use crate::corpus::{Corpus, DataRef, Property, Split, split_frontmatter};
use crate::error::{Error, LineIndex, Location, line_of};
use crate::findings::{Finding, Severity};
use crate::languages::Lang;
use crate::render::alerts::marker_is_uppercase;
use crate::render::markdown::markdown_options;
use crate::render::{Origin, Renderer};
use crate::scan::{TagSpan, tags};
use crate::versions::{Condition, FeatureSet, Op, Plan, Release, ReleaseStatus, ReleaseTable, Term, Version};

/// A text to lint and where it lives.
mod data;
mod frontmatter;
mod ifversion;
mod liquid;
mod markdown;
mod translations;

struct Source<'a> {
    file: Arc<str>,
    /// The whole file.
    full: &'a str,
    /// Where the linted part starts in `full` (the body, or 0).
    start: usize,
    /// The linted part.
    text: &'a str,
    /// Set for texts that are not a slice of the file (YAML values): every
    /// finding goes to this line.
    fixed_line: Option<usize>,
    /// The lines of `full`, indexed on the first finding.
    lines: std::cell::OnceCell<LineIndex>,
}

impl Source<'_> {
    fn at(&self, offset: usize) -> (usize, Option<usize>) {
        if let Some(line) = self.fixed_line {
            return (line, None);
        }
        let index = self.lines.get_or_init(|| LineIndex::new(self.full));
        let (line, column) = index.line_col(self.full, self.start + offset);
        (line, Some(column))
    }

    fn finding(&self, rule: &'static str, severity: Severity, offset: usize, message: String) -> Finding {
        let (line, col) = self.at(offset);
        let f = Finding::new("lint", rule, severity, self.file.clone(), line, message);
        match col {
            Some(c) => f.column(c),
            None => f,
        }
    }
}

/// An open `if`/`ifversion` block while linting.
struct Block {
    ifversion: bool,
    /// Versions the enclosing text renders in.
    parent: Vec<Version>,
    /// Versions the current branch applies to.
    branch: Vec<Version>,
    /// Versions no branch has taken yet.
    remaining: Vec<Version>,
    /// Whether an `else` was seen (liquidjs still reads branches after it).
    seen_else: bool,
}

struct Linter<'a> {
    corpus: &'a Corpus,
    renderer: &'a Renderer,
    table: &'a ReleaseTable,
    features: &'a FeatureSet,
    /// Every version a data file may render in.
    all_versions: &'a [Version],
    /// The languages whose pages are linted.
    langs: &'a [Lang],
    /// Whether a data reference is defined in English (or why it is not).
    defined: &'a Memo<DataRef, Result<(), String>>,
    out: Vec<Finding>,
}

/// The `lint` check (registered by the `lint` plugin).
pub const CHECK: crate::check::CheckFn = crate::check::CheckFn {
    name: "lint",
    description: "Liquid syntax, data references, version conditions, translations",
    run: crate::check::CheckWork::Pages(|cx| Ok(Box::new(LintPass::new(cx.renderer, cx.langs)?))),
    rules: RULES,
};

/// The rules of the `lint` check.
pub const RULES: &[Rule] = &[
    Rule::error("frontmatter", "the frontmatter is not valid YAML or breaks the schema"),
    Rule::error(
        "frontmatter-liquid-syntax",
        "Liquid in a frontmatter property does not parse",
    ),
    Rule::error("liquid-syntax", "Liquid in the body does not parse"),
    Rule::error("data-tag-format", "`data` takes exactly one dotted path"),
    Rule::error(
        "data-reference-undefined",
        "a `data` path names no variable, reusable or data file",
    ),
    Rule::error("if-with-version-name", "`if` tests a version name: use `ifversion`"),
    Rule::error(
        "ifversion-syntax",
        "an `ifversion` expression does not parse, or names an unknown plan, feature or release",
    ),
    Rule::warning(
        "ifversion-operator",
        "an operator the reference does not have (`>=`, `<=`)",
    ),
    Rule::error("ifversion-never-true", "a gate is false for every version of the page"),
    Rule::warning("ifversion-always-true", "a gate is true for every version of the page"),
    Rule::warning(
        "ifversion-branch-order",
        "an `elsif` can never be reached after the branches before it",
    ),
    Rule::warning("deprecated-release", "a gate names a release that is deprecated"),
    Rule::warning("legacy-versions-string", "`versions: '*'` is the pre-2022 form"),
    Rule::warning(
        "alert-marker-case",
        "an alert marker not in capitals (`> [!note]`) gets no title",
    ),
    Rule::error("broken-feature", "a file of data/features/ cannot be used"),
    Rule::error("unsafe-path", "a path of the tree cannot be written safely"),
    Rule::error("unreadable-file", "a file of the tree cannot be read"),
    Rule::warning(
        "translation-frontmatter",
        "a translation's frontmatter is broken: the page falls back to English",
    ),
    Rule::warning(
        "translation-liquid-syntax",
        "a translation's Liquid does not parse even after repair: the body falls back to English",
    ),
    Rule::warning(
        "translation-drift",
        "a translation's gates and data references differ from English",
    ),
    Rule::warning("untranslated-english", "a translation's paragraph is still English"),
    Rule::warning(
        "english-only-variable",
        "a translation names `variables.product` prose, which stays English",
    ),
];

/// The lint page by page: the pages in `langs` (English pages when it is
/// among them, and the translations of the others), and after them always
/// the data files and the tree.
struct LintPass<'a> {
    renderer: &'a Renderer,
    langs: &'a [Lang],
    all_versions: Vec<Version>,
    features: &'a FeatureSet,
    defined: Memo<DataRef, Result<(), String>>,
}

impl<'a> LintPass<'a> {
    fn new(renderer: &'a Renderer, langs: &'a [Lang]) -> Result<Self, Error> {
        let corpus = renderer.corpus();
        let mut all_versions = vec![Version::Fpt, Version::Ghec, Version::Ghae];
        all_versions.extend(corpus.releases().released().map(Version::Ghes));
        Ok(LintPass {
            renderer,
            langs,
            all_versions,
            features: corpus.features()?,
            defined: Memo::default(),
        })
    }

    fn linter(&self) -> Linter<'_> {
        let corpus = self.renderer.corpus();
        Linter {
            corpus,
            renderer: self.renderer,
            table: corpus.releases(),
            features: self.features,
            all_versions: &self.all_versions,
            langs: self.langs,
            defined: &self.defined,
            out: Vec::new(),
        }
    }
}

impl crate::check::PagePass for LintPass<'_> {
    fn page(&self, path: &str) -> Result<Vec<Finding>, Error> {
        let mut l = self.linter();
        l.lint_page(path)?;
        Ok(l.out)
    }

    fn finish(&self) -> Result<Vec<Finding>, Error> {
        let mut l = self.linter();
        l.lint_data()?;
        l.lint_tree()?;
        Ok(l.out)
    }
}

impl Linter<'_> {
    fn lint_page(&mut self, path: &str) -> Result<(), Error> {
        let page = match self.corpus.page(path) {
            Ok(Some(p)) => p,
            Ok(None) => return Ok(()),
            Err(e) => {
                self.error_finding("frontmatter", &e, path);
                return Ok(());
            }
        };
        let versions = self.corpus.released_versions(&page);
        if !self.langs.contains(&Lang::ENGLISH) {
            return self.lint_translations(&page, &versions);
        }
        if frontmatter::legacy_versions_string(&page.text) {
            self.out.push(Finding::new(
                "lint",
                "legacy-versions-string",
                Severity::Warning,
                page.file.clone(),
                line_of(&page.text, "versions:"),
                "`versions: '*'` is the pre-2022 form; list the plans (`fpt: '*'`, `ghes: '*'`, …)".into(),
            ));
        }
        let split = split_frontmatter(&page.text, &page.file)?;
        self.lint_frontmatter(&page.file, &page.text, &split, &versions);
        let body = Source {
            file: page.file.clone(),
            full: &page.text,
            start: page.body_offset,
            text: page.body(),
            fixed_line: None,
            lines: Default::default(),
        };
        // The renderer's cached parse: links and render reuse it.
        let syntax = self.renderer.syntax_error(&page, Property::Body);
        self.lint_liquid(&body, &versions, Lang::ENGLISH, Some(syntax));
        self.lint_markdown(&body);
        self.lint_translations(&page, &versions)
    }

    fn error_finding(&mut self, rule: &'static str, e: &Error, fallback_file: &str) {
        let loc = e.location();
        let mut f = Finding::new(
            "lint",
            rule,
            Severity::Error,
            loc.map_or_else(|| fallback_file.into(), |l| l.file.clone()),
            loc.map_or(0, |l| l.line),
            e.message(),
        );
        f.column = loc.map(|l| l.column);
        self.out.push(f);
    }
}
