//! The data directory and the tree: reusables and variables, broken feature files, unsafe paths, unreadable files.

use super::*;

impl Linter<'_> {
    /// The tree itself: files the walks skipped (symlinks, special files,
    /// unreadable folders, names that are not UTF-8), page paths that cannot be
    /// written as output, and feature files with errors, each at its file.
    pub(super) fn lint_tree(&mut self) -> Result<(), Error> {
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
    pub(super) fn read_data_file(&mut self, rel: &str, file: &Arc<str>) -> Option<Arc<str>> {
        match self.corpus.source().read(rel) {
            Ok(text) => text,
            Err(e) => {
                self.error_finding("unreadable-file", &e, file);
                None
            }
        }
    }

    /// Reusables and variables: they render in every version.
    pub(super) fn lint_data(&mut self) -> Result<(), Error> {
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
}
