//! Liquid in bodies and reusables: syntax, `data` and `indented_data_reference` tags, `if` on version names, and the `ifversion` blocks (gates never or always true, branch order, deprecated releases).

use super::*;

impl Linter<'_> {
    /// A Liquid text: it must parse; then every tag rule. `known` is the parse
    /// result when the caller already has it.
    pub(super) fn lint_liquid(
        &mut self,
        src: &Source<'_>,
        versions: &[Version],
        lang: Lang,
        known: Option<Option<Error>>,
    ) {
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
    pub(super) fn lint_tags(&mut self, src: &Source<'_>, versions: &[Version]) {
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

    pub(super) fn lint_data_tag(&mut self, src: &Source<'_>, t: &TagSpan, args: &str) {
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

    pub(super) fn check_reference(&mut self, src: &Source<'_>, t: &TagSpan, path: &str) {
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

    pub(super) fn lint_indented(&mut self, src: &Source<'_>, t: &TagSpan, args: &str) {
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

    pub(super) fn is_version_name(&self, word: &str) -> bool {
        Plan::is_short_name(word) || self.features.contains(word)
    }

    /// GHD019: `if` is not version-aware; version names need `ifversion`.
    pub(super) fn lint_if(&mut self, src: &Source<'_>, t: &TagSpan, args: &str) {
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
}
