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
use rayon::prelude::*;

/// A text to lint and where it lives.
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
    run: |cx| check(cx.renderer, cx.langs),
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

/// Lints the pages of the tree in `langs` (English pages when it is among them,
/// and the translations of the others), and always the data files and the tree.
pub fn check(renderer: &Renderer, langs: &[Lang]) -> Result<Vec<Finding>, Error> {
    let corpus = renderer.corpus();
    let table = corpus.releases();
    let mut all_versions = vec![Version::Fpt, Version::Ghec, Version::Ghae];
    all_versions.extend(table.released().map(Version::Ghes));
    let features = corpus.features()?;
    let defined = Memo::default();
    let linter = || Linter {
        corpus,
        renderer,
        table,
        features,
        all_versions: &all_versions,
        langs,
        defined: &defined,
        out: Vec::new(),
    };
    let pages: Vec<Result<Vec<Finding>, Error>> = corpus
        .page_paths()?
        .par_iter()
        .map(|path| {
            let mut l = linter();
            l.lint_page(path)?;
            Ok(l.out)
        })
        .collect();
    let mut out = Vec::new();
    for p in pages {
        out.extend(p?);
    }
    let mut l = linter();
    l.lint_data()?;
    l.lint_tree()?;
    out.extend(l.out);
    Ok(out)
}

fn legacy_versions_string(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_end();
        l == "versions: '*'" || l == "versions: \"*\"" || l == "versions: *"
    })
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
        if legacy_versions_string(&page.text) {
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

    /// Markdown the reference renders differently from what the writer meant:
    /// an alert marker not in capitals (`> [!note]`) gets an empty title.
    fn lint_markdown(&mut self, src: &Source<'_>) {
        let parser = pulldown_cmark::Parser::new_ext(src.text, markdown_options());
        for (event, range) in parser.into_offset_iter() {
            let pulldown_cmark::Event::Start(pulldown_cmark::Tag::BlockQuote(Some(_))) = event else {
                continue;
            };
            let quote = &src.text[range.start..];
            if marker_is_uppercase(quote) {
                continue;
            }
            let at = quote.find("[!").unwrap_or(0);
            let key = quote[at + 2..].split(']').next().unwrap_or("");
            self.out.push(src.finding(
                "alert-marker-case",
                Severity::Warning,
                range.start + at,
                format!(
                    "`[!{key}]`: the reference engine titles only capitalised markers; write `[!{}]`",
                    key.to_uppercase()
                ),
            ));
        }
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

    /// Translatable frontmatter properties: Liquid that parses, then the tag rules.
    fn lint_frontmatter(&mut self, file: &Arc<str>, text: &str, split: &Split<'_>, versions: &[Version]) {
        let yaml_offset = split.yaml.as_ptr() as usize - text.as_ptr() as usize;
        for prop in Property::TRANSLATABLE {
            let key = format!("\n{}:", prop.key());
            let Some(at) = split.yaml.find(&key).map(|i| i + key.len()) else {
                continue;
            };
            let end = split.yaml[at..].find('\n').map_or(split.yaml.len(), |n| at + n);
            let raw = &split.yaml[at..end];
            if !raw.contains("{%") && !raw.contains("{{") {
                continue;
            }
            let value = Source {
                file: file.clone(),
                full: text,
                start: yaml_offset + at,
                text: raw,
                fixed_line: None,
                lines: Default::default(),
            };
            let line = value.at(0).0;
            if let Err(e) = self.renderer.parse(raw, Origin::new(file.clone(), line)) {
                self.out.push(value.finding(
                    "frontmatter-liquid-syntax",
                    Severity::Error,
                    0,
                    format!("`{}`: {}", prop.key(), e.message()),
                ));
                continue;
            }
            self.lint_tags(&value, versions);
        }
    }

    /// A Liquid text: it must parse; then every tag rule. `known` is the parse
    /// result when the caller already has it.
    fn lint_liquid(&mut self, src: &Source<'_>, versions: &[Version], lang: Lang, known: Option<Option<Error>>) {
        if !src.text.contains("{%") && !src.text.contains("{{") {
            return;
        }
        let line = src.at(0).0;
        let syntax = known.unwrap_or_else(|| self.renderer.parse(src.text, Origin::new(src.file.clone(), line)).err());
        if let Some(e) = syntax {
            let (rule, severity) = if lang.is_english() {
                ("liquid-syntax", Severity::Error)
            } else {
                ("translation-liquid-syntax", Severity::Warning)
            };
            let mut f = Finding::new(
                "lint",
                rule,
                severity,
                src.file.clone(),
                e.location().map_or(line, |l| l.line),
                if lang.is_english() {
                    e.message()
                } else {
                    format!("{} (the page falls back to English)", e.message())
                },
            );
            f.column = e.location().map(|l| l.column);
            if !lang.is_english() {
                f = f.lang(lang);
            }
            self.out.push(f);
            return;
        }
        self.lint_tags(src, versions);
    }

    /// Tag-level rules: data references, `if` with version names, `ifversion`
    /// grammar, deprecated releases, dead and always-true gates.
    fn lint_tags(&mut self, src: &Source<'_>, versions: &[Version]) {
        let spans = tags(src.text);
        let mut stack: Vec<Block> = Vec::new();
        // The versions the text at the current position renders in.
        let active = |stack: &[Block]| {
            stack
                .iter()
                .rev()
                .find(|b| b.ifversion)
                .map_or_else(|| versions.to_vec(), |b| b.branch.clone())
        };
        for t in &spans {
            let name = t.name(src.text);
            let args = t.args(src.text);
            let in_if = stack.last().is_some_and(|b| !b.ifversion);
            match name {
                "data" => self.lint_data_tag(src, t, &args),
                "indented_data_reference" => self.lint_indented(src, t, &args),
                "if" | "unless" => {
                    stack.push(Block {
                        ifversion: false,
                        parent: Vec::new(),
                        branch: Vec::new(),
                        remaining: Vec::new(),
                        seen_else: false,
                    });
                    self.lint_if(src, t, &args);
                }
                "elsif" if in_if => self.lint_if(src, t, &args),
                "ifversion" | "elsif" => {
                    if name == "ifversion" {
                        let parent = active(&stack);
                        stack.push(Block {
                            ifversion: true,
                            remaining: parent.clone(),
                            parent,
                            branch: Vec::new(),
                            seen_else: false,
                        });
                    }
                    if name == "elsif" && stack.last().is_some_and(|b| b.seen_else) {
                        self.out.push(src.finding(
                            "ifversion-branch-order",
                            Severity::Warning,
                            t.start,
                            format!("`elsif {args}` after `else`: the reference engine tries it before the `else`; move it up"),
                        ));
                    }
                    let cond = self.lint_condition(src, t, &args);
                    let Some(block) = stack.last_mut() else { continue };
                    let Some((cond, erred)) = cond else {
                        block.branch = Vec::new();
                        continue;
                    };
                    let hits: Vec<Version> = block
                        .remaining
                        .iter()
                        .copied()
                        .filter(|v| cond.eval(*v, &|n| self.features.is_enabled(n, *v)))
                        .collect();
                    // A condition already reported as wrong is not judged again.
                    if erred {
                        // Nothing more to say.
                    } else if !block.parent.is_empty() && hits.is_empty() {
                        self.out.push(src.finding(
                            "ifversion-never-true",
                            Severity::Error,
                            t.start,
                            format!(
                                "`{name} {args}` is never true for the versions this text renders in ({}); remove the branch",
                                crate::findings::summarize_versions(&block.parent)
                            ),
                        ));
                    } else if name == "ifversion" && hits.len() == block.parent.len() && !hits.is_empty() {
                        self.out.push(src.finding(
                            "ifversion-always-true",
                            Severity::Warning,
                            t.start,
                            format!("`ifversion {args}` is true for every version this text renders in; the condition can go"),
                        ));
                    }
                    block.remaining.retain(|v| !hits.contains(v));
                    block.branch = hits;
                }
                "else" => {
                    let Some(b) = stack.last_mut() else { continue };
                    if b.ifversion && b.seen_else {
                        self.out.push(src.finding(
                            "ifversion-branch-order",
                            Severity::Warning,
                            t.start,
                            "a second `else` in one `ifversion`: the reference engine adds it to the first; merge them".into(),
                        ));
                    }
                    b.seen_else = true;
                    // Not taken: an `elsif` after `else` still gets its pick
                    // (the reference engine tries it before the `else`).
                    b.branch = b.remaining.clone();
                }
                "endif" | "endunless" => {
                    stack.pop();
                }
                _ => {}
            }
        }
    }

    fn lint_data_tag(&mut self, src: &Source<'_>, t: &TagSpan, args: &str) {
        let words: Vec<&str> = args.split_whitespace().collect();
        if words.len() != 1 {
            self.out.push(src.finding(
                "data-tag-format",
                Severity::Error,
                t.start,
                format!("`data` takes exactly one path; found `{args}`"),
            ));
            return;
        }
        if words[0].contains('[') {
            return;
        }
        self.check_reference(src, t, words[0]);
    }

    fn check_reference(&mut self, src: &Source<'_>, t: &TagSpan, path: &str) {
        let r = match DataRef::parse(path) {
            Ok(r) => r,
            Err(m) => {
                return self
                    .out
                    .push(src.finding("data-reference-undefined", Severity::Error, t.start, m));
            }
        };
        let verdict = self
            .defined
            .get_or_insert_with(r.clone(), || match self.corpus.data(&r, Lang::ENGLISH) {
                Ok(l) if l.text.is_some() => Ok(()),
                Ok(_) => Err(format!(
                    "`{path}` is not defined (or empty) in English: {}",
                    crate::corpus::missing_help(&r)
                )),
                Err(e) => Err(e.message()),
            });
        if let Err(m) = verdict {
            self.out
                .push(src.finding("data-reference-undefined", Severity::Error, t.start, m));
        }
    }

    fn lint_indented(&mut self, src: &Source<'_>, t: &TagSpan, args: &str) {
        let words: Vec<&str> = args.split_whitespace().collect();
        let ok = words.len() == 2
            && words[1]
                .strip_prefix("spaces=")
                .is_some_and(|n| (1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()));
        if !ok {
            self.out.push(src.finding(
                "data-tag-format",
                Severity::Error,
                t.start,
                format!("`indented_data_reference` takes a path and `spaces=N`; found `{args}`"),
            ));
        }
        if let Some(p) = words.first() {
            self.check_reference(src, t, p);
        }
    }

    fn is_version_name(&self, word: &str) -> bool {
        Plan::is_short_name(word) || self.features.contains(word)
    }

    /// GHD019: `if` is not version-aware; version names need `ifversion`.
    fn lint_if(&mut self, src: &Source<'_>, t: &TagSpan, args: &str) {
        let names: Vec<&str> = args
            .split_whitespace()
            .filter(|w| self.is_version_name(w.trim_matches(['"', '\''])))
            .collect();
        if !names.is_empty() && !args.contains("currentVersion") {
            self.out.push(src.finding(
                "if-with-version-name",
                Severity::Error,
                t.start,
                format!(
                    "`{} {args}` uses the version name(s) {}: use `ifversion`",
                    t.name(src.text),
                    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
    }

    /// GHD020: the `ifversion` grammar and its names, operators and releases.
    /// Checks an `ifversion`/`elsif` condition; gives it back with whether an
    /// error was reported for it.
    fn lint_condition(&mut self, src: &Source<'_>, t: &TagSpan, args: &str) -> Option<(Condition, bool)> {
        let cond = match Condition::parse(args) {
            Ok(c) => c,
            Err(e) => {
                self.out
                    .push(src.finding("ifversion-syntax", Severity::Error, t.start, e.message));
                return None;
            }
        };
        let mut erred = false;
        for term in &cond.terms {
            let (severity, message) = match term {
                Term::Name(n) if !self.is_version_name(n) && !matches!(n.as_str(), "true" | "false") => (
                    Severity::Error,
                    format!("`{n}` is not a plan (fpt, ghec, ghes, ghae) or a feature in data/features/"),
                ),
                Term::Not(n) if self.features.contains(n) => (
                    Severity::Error,
                    format!("`not {n}` is always true: the reference engine only negates plan names"),
                ),
                Term::Not(n) if !Plan::is_short_name(n) => {
                    (Severity::Error, format!("`not {n}`: `{n}` is not a plan name"))
                }
                Term::NotCompare { name, op, release } => (
                    Severity::Error,
                    format!(
                        "`not {name} {} {release}` is always {}: the reference engine negates the name, not the comparison",
                        op.as_str(),
                        *op == Op::NotEq
                    ),
                ),
                Term::Compare { name, .. } if name != "ghes" => (
                    Severity::Error,
                    format!("`{term}`: only `ghes` has numbered releases to compare"),
                ),
                Term::Compare { op, release, .. } => {
                    if !op.is_reference_operator() {
                        self.out.push(src.finding(
                            "ifversion-operator",
                            Severity::Warning,
                            t.start,
                            format!(
                                "`{term}`: the reference engine rejects `{}` (use `>` or `<`)",
                                op.as_str()
                            ),
                        ));
                    }
                    match Release::parse_installed(release)
                        .ok()
                        .and_then(|r| self.table.get(r).map(|i| (r, i)))
                    {
                        None => (Severity::Error, format!("`{term}`: {release} is not a GHES release")),
                        Some((r, info)) if info.status(self.table.today()) == ReleaseStatus::Deprecated => {
                            self.out.push(src.finding(
                                "deprecated-release",
                                Severity::Warning,
                                t.start,
                                format!(
                                    "`{term}` refers to {r}, deprecated since {}; the gate may now be simplified",
                                    info.deprecation.map_or_else(String::new, |d| d.to_string())
                                ),
                            ));
                            continue;
                        }
                        _ => continue,
                    }
                }
                _ => continue,
            };
            erred |= severity == Severity::Error;
            self.out
                .push(src.finding("ifversion-syntax", severity, t.start, message));
        }
        Some((cond, erred))
    }

    /// The tree itself: files the walks skipped (symlinks, special files,
    /// unreadable folders, names that are not UTF-8), page paths that cannot be
    /// written as output, and feature files with errors, each at its file.
    fn lint_tree(&mut self) -> Result<(), Error> {
        for (_, e) in self.features.broken_features() {
            self.error_finding("broken-feature", e, "data/features");
        }
        for path in self.corpus.page_paths()? {
            if let Err(why) = crate::files::safe_relative(path) {
                let file = self.corpus.source().display(&format!("content/{path}"));
                self.out.push(Finding::new(
                    "lint",
                    "unsafe-path",
                    Severity::Error,
                    file,
                    0,
                    format!("the page's path {why}, so it cannot be rendered to a file; rename it"),
                ));
            }
        }
        for s in self.corpus.source().skipped() {
            self.out.push(Finding::new(
                "lint",
                "unreadable-file",
                Severity::Error,
                crate::escape::untrusted_line(&s.path).into(),
                0,
                format!("skipped: {}", s.reason),
            ));
        }
        Ok(())
    }

    /// A data file's text; one that cannot be read is a finding, and the
    /// others are still linted.
    fn read_data_file(&mut self, rel: &str, file: &Arc<str>) -> Option<Arc<str>> {
        match self.corpus.source().read(rel) {
            Ok(text) => text,
            Err(e) => {
                self.error_finding("unreadable-file", &e, file);
                None
            }
        }
    }

    /// Reusables and variables: they render in every version.
    fn lint_data(&mut self) -> Result<(), Error> {
        let versions = self.all_versions;
        let source = self.corpus.source();
        for rel in source.list("data/reusables", ".md")? {
            // The reference's data loader skips READMEs; they document, not render.
            if rel.ends_with("/README.md") {
                continue;
            }
            let file = source.display(&rel);
            let Some(text) = self.read_data_file(&rel, &file) else {
                continue;
            };
            let split = match split_frontmatter(&text, &file) {
                Ok(s) => s,
                Err(e) => {
                    self.error_finding("frontmatter", &e, &file);
                    continue;
                }
            };
            let src = Source {
                file: file.clone(),
                full: &text,
                start: split.body_offset,
                text: split.body,
                fixed_line: None,
                lines: Default::default(),
            };
            self.lint_liquid(&src, versions, Lang::ENGLISH, None);
            self.lint_markdown(&src);
        }
        for rel in source.list("data/variables", ".yml")? {
            let file = source.display(&rel);
            let Some(text) = self.read_data_file(&rel, &file) else {
                continue;
            };
            let map: BTreeMap<String, serde_saphyr::Spanned<String>> = match serde_saphyr::from_str(&text) {
                Ok(m) => m,
                Err(_) => continue,
            };
            for (_, value) in map {
                let src = Source {
                    file: file.clone(),
                    full: &text,
                    start: 0,
                    text: &value.value,
                    fixed_line: Some(value.referenced.line() as usize),
                    lines: Default::default(),
                };
                self.lint_liquid(&src, versions, Lang::ENGLISH, None);
            }
        }
        Ok(())
    }

    /// A reference engine quirk: variables of files read in English for every
    /// language (`product.yml`) stay English in a translation. Names are fine;
    /// prose (`product_location`: "your GitHub Enterprise Server instance") is
    /// English words inside translated sentences: warn, and name the translatable
    /// key when `location.yml` has one.
    fn lint_english_only_variables(&mut self, file: &Arc<str>, text: &str, lang: Lang) {
        static REF: std::sync::LazyLock<regex::Regex> =
            std::sync::LazyLock::new(|| regex::Regex::new(r"variables\.product\.([A-Za-z0-9_-]+)").expect("valid"));
        static TAG: std::sync::LazyLock<regex::Regex> =
            std::sync::LazyLock::new(|| regex::Regex::new(r"\{%.*?%\}").expect("valid"));
        let mut seen = std::collections::BTreeSet::new();
        for m in REF.captures_iter(text) {
            let key = &m[1];
            if !seen.insert(key.to_string()) {
                continue;
            }
            let Ok(r) = DataRef::parse(&format!("variables.product.{key}")) else {
                continue;
            };
            let Ok(found) = self.corpus.data(&r, Lang::ENGLISH) else {
                continue;
            };
            let Some(value) = found.text else { continue };
            // The text of each branch (`{% ifversion %}` splits them).
            let branches: Vec<&str> = TAG
                .split(&value.text)
                .map(str::trim)
                .filter(|b| !b.is_empty())
                .collect();
            // Prose has a word in lower case; names are capitalised.
            if !branches
                .iter()
                .flat_map(|b| b.split_whitespace())
                .any(|w| w.starts_with(|c: char| c.is_ascii_lowercase()))
            {
                continue;
            }
            let instead = DataRef::parse(&format!("variables.location.{key}"))
                .ok()
                .and_then(|l| self.corpus.data(&l, lang).ok())
                .and_then(|d| d.text)
                .map_or(String::new(), |_| {
                    format!("; use variables.location.{key}, which translations may override")
                });
            let at = m.get(0).map_or(0, |g| g.start());
            let loc = Location::at_offset(file.clone(), text, at, 1);
            let mut f = Finding::new(
                "lint",
                "english-only-variable",
                Severity::Warning,
                file.clone(),
                loc.line,
                format!(
                    "`variables.product.{key}` is read in English for every language (product.yml is never translated), \
                     so “{}” stays English here{instead}",
                    crate::escape::untrusted_line(&branches.join(" / "))
                ),
            )
            .lang(lang);
            f.column = Some(loc.column);
            self.out.push(f);
        }
    }

    /// Translations: Liquid that still fails after repair, drift from English,
    /// untranslated English paragraphs.
    fn lint_translations(&mut self, page: &crate::corpus::Page, versions: &[Version]) -> Result<(), Error> {
        for &lang in self.langs.iter().filter(|l| !l.is_english()) {
            let t = match self.corpus.translation(page, lang) {
                Ok(Some(t)) => t,
                Ok(None) => continue,
                Err(e) => {
                    let file = format!("{} ({lang})", page.path);
                    self.error_finding("unreadable-file", &e, &file);
                    continue;
                }
            };
            if let Err(e) = &t.frontmatter {
                let mut f = Finding::new(
                    "lint",
                    "translation-frontmatter",
                    Severity::Warning,
                    t.file.clone(),
                    e.location().map_or(1, |l| l.line),
                    format!("{} (the whole page falls back to English)", e.message()),
                )
                .lang(lang);
                f.column = e.location().map(|l| l.column);
                self.out.push(f);
                continue;
            }
            let repaired = crate::render::repair::repair(lang, t.body(), page.body());
            let body = Source {
                file: t.file.clone(),
                full: &t.text,
                start: t.body_offset,
                text: &repaired,
                fixed_line: None,
                lines: Default::default(),
            };
            // Offsets in the repaired text only approximate the file's; lines stay close.
            if let Err(e) = self.renderer.parse(&repaired, Origin::new(t.file.clone(), t.body_line)) {
                let mut f = Finding::new(
                    "lint",
                    "translation-liquid-syntax",
                    Severity::Warning,
                    t.file.clone(),
                    e.location().map_or(t.body_line, |l| l.line),
                    format!("{} (even after repair; the body falls back to English)", e.message()),
                )
                .lang(lang);
                f.column = e.location().map(|l| l.column);
                self.out.push(f);
            } else {
                // Problems the translation shares with English are reported once, on
                // English; what only the translation has is a warning (it falls back).
                let before = self.out.len();
                self.lint_tags(&body, versions);
                let mine: Vec<Finding> = self.out.drain(before..).collect();
                for mut f in mine {
                    if matches!(
                        f.rule,
                        "deprecated-release" | "ifversion-always-true" | "ifversion-operator"
                    ) {
                        continue;
                    }
                    f.lang = Some(lang);
                    f.severity = Severity::Warning;
                    self.out.push(f);
                }
            }
            if skeleton(t.body()) != skeleton(page.body()) {
                self.out.push(
                    Finding::new(
                        "lint",
                        "translation-drift",
                        Severity::Warning,
                        t.file.clone(),
                        t.body_line,
                        format!(
                            "the translation's version gates and data references differ from English ({})",
                            describe_drift(&repaired, page.body())
                        ),
                    )
                    .lang(lang),
                );
            }
            self.lint_english_only_variables(&t.file, &t.text, lang);
            for (offset, para) in english_paragraphs(t.body(), lang) {
                let loc = Location::at_offset(t.file.clone(), &t.text, t.body_offset + offset, 1);
                self.out.push(
                    Finding::new(
                        "lint",
                        "untranslated-english",
                        Severity::Warning,
                        t.file.clone(),
                        loc.line,
                        format!("this paragraph looks untranslated: “{para}”"),
                    )
                    .lang(lang),
                );
            }
        }
        Ok(())
    }
}

/// The Liquid structure that must match between a translation and English:
/// version gates (in order) and the data references (as a sorted list).
fn skeleton(text: &str) -> (Vec<String>, Vec<String>) {
    let mut gates = Vec::new();
    let mut data = Vec::new();
    for t in tags(text) {
        match t.name(text) {
            "ifversion" | "elsif" | "else" | "endif" => {
                gates.push(format!("{} {}", t.name(text), t.args(text)).trim_end().to_string())
            }
            name if crate::scan::takes_data_path(name) => data.push(t.args(text)),
            _ => {}
        }
    }
    data.sort();
    (gates, data)
}

fn describe_drift(translated: &str, english: &str) -> String {
    let (tg, td) = skeleton(translated);
    let (eg, ed) = skeleton(english);
    let mut parts = Vec::new();
    let only = |a: &[String], b: &[String]| a.iter().filter(|x| !b.contains(x)).cloned().collect::<Vec<_>>();
    let missing_gates = only(&eg, &tg);
    let extra_gates = only(&tg, &eg);
    if !missing_gates.is_empty() {
        parts.push(format!("missing `{}`", missing_gates.join("`, `")));
    }
    if !extra_gates.is_empty() {
        parts.push(format!("extra `{}`", extra_gates.join("`, `")));
    }
    let missing_data = only(&ed, &td);
    let extra_data = only(&td, &ed);
    if !missing_data.is_empty() {
        parts.push(format!("English uses `{}`", missing_data.join("`, `")));
    }
    if !extra_data.is_empty() {
        parts.push(format!("only the translation uses `{}`", extra_data.join("`, `")));
    }
    if parts.is_empty() {
        "the gates are in another order".into()
    } else {
        parts.join("; ")
    }
}

const ENGLISH_WORDS: [&str; 24] = [
    "the", "you", "your", "and", "of", "with", "for", "is", "are", "this", "that", "can", "will", "be", "when", "from",
    "more", "see", "which", "have", "has", "to", "after", "before",
];

/// Paragraphs of a translation that read as English: (offset, first words).
fn english_paragraphs(body: &str, lang: Lang) -> Vec<(usize, String)> {
    if lang.is_english() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut offset = 0;
    for para in body.split("\n\n") {
        let start = offset;
        offset += para.len() + 2;
        let trimmed = para.trim();
        if trimmed.starts_with('#') || trimmed.starts_with('|') || trimmed.starts_with("```") {
            continue;
        }
        // Prose only: no tags, no link targets, no code.
        let mut prose = String::new();
        let mut rest = trimmed;
        while let Some(i) = rest.find("{%") {
            prose.push_str(&rest[..i]);
            rest = rest[i..].find("%}").map_or("", |j| &rest[i + j + 2..]);
        }
        prose.push_str(rest);
        let words: Vec<String> = prose
            .split(|c: char| !c.is_alphabetic() && c != '\'')
            .filter(|w| !w.is_empty() && !w.starts_with('/'))
            .map(|w| w.to_lowercase())
            .collect();
        let non_ascii = prose.chars().filter(|c| c.is_alphabetic() && !c.is_ascii()).count();
        let english = words.iter().filter(|w| ENGLISH_WORDS.contains(&w.as_str())).count();
        if words.len() >= 8 && english * 5 >= words.len() && non_ascii * 10 < prose.len() {
            let first: String = trimmed.split_whitespace().take(8).collect::<Vec<_>>().join(" ");
            let lead = para.len() - para.trim_start().len();
            out.push((start + lead, format!("{first}…")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_paragraph_detection() {
        let ja = Lang::find("ja").unwrap();
        let body = "\n## 見出し\n\nIf you enable automatic user license sync for your enterprise, the data syncs weekly.\n\n{% data variables.product.prodname_ghe_server %}ユーザライセンス情報を手動でアップロードすることもできます。\n";
        let found = english_paragraphs(body, ja);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.starts_with("If you enable"));
        assert_eq!(&body[found[0].0..found[0].0 + 6], "If you");
        let fr = Lang::find("fr").unwrap();
        assert!(
            english_paragraphs(
                "Vous pouvez aussi charger manuellement les informations de licence utilisateur sur le serveur.",
                fr
            )
            .is_empty()
        );
    }

    #[test]
    fn skeletons() {
        let en = "{% ifversion ghes > 3.4 %}x{% endif %} {% data variables.a.b %}";
        assert_eq!(
            skeleton(en),
            skeleton("{%  ifversion ghes > 3.4 %}y{% endif %}{% data variables.a.b %}")
        );
        assert_ne!(skeleton(en), skeleton("{% data variables.a.b %}"));
        assert_eq!(
            describe_drift("{% data variables.a.b %}", en),
            "missing `ifversion ghes > 3.4`, `endif`"
        );
    }
}
