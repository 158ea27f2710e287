//! Translations: Liquid that still fails after repair, drift of gates and data references from English, paragraphs left in English, English-only variables.

use super::*;

impl Linter<'_> {
    /// A reference engine quirk: variables of files read in English for every
    /// language (`product.yml`) stay English in a translation. Names are fine;
    /// prose (`product_location`: "your GitHub Enterprise Server instance") is
    /// English words inside translated sentences: warn, and name the translatable
    /// key when `location.yml` has one.
    pub(super) fn lint_english_only_variables(&mut self, file: &Arc<str>, text: &str, lang: Lang) {
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
    pub(super) fn lint_translations(&mut self, page: &crate::corpus::Page, versions: &[Version]) -> Result<(), Error> {
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
            // The renders' repair and parse (offsets in the repaired text only
            // approximate the file's; lines stay close).
            let (repaired, syntax) = self.renderer.translated_body(page, &t);
            let body = Source {
                file: t.file.clone(),
                full: &t.text,
                start: t.body_offset,
                text: &repaired,
                fixed_line: None,
                lines: Default::default(),
            };
            if let Some(e) = syntax {
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
            // Compared after repair: a tag name the repair table mends (`{% données
            // variables.x %}`) is no drift, it renders as English does.
            if skeleton(&repaired) != skeleton(page.body()) {
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
pub(super) fn skeleton(text: &str) -> (Vec<String>, Vec<String>) {
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

pub(super) fn describe_drift(translated: &str, english: &str) -> String {
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

pub(super) const ENGLISH_WORDS: [&str; 24] = [
    "the", "you", "your", "and", "of", "with", "for", "is", "are", "this", "that", "can", "will", "be", "when", "from",
    "more", "see", "which", "have", "has", "to", "after", "before",
];

/// Whether `word`, in lower case, is one of [`ENGLISH_WORDS`] (an ASCII word
/// is compared without making its lower case: every word of every translation
/// is asked).
fn is_english_word(word: &str) -> bool {
    if word.is_ascii() {
        ENGLISH_WORDS.iter().any(|e| e.eq_ignore_ascii_case(word))
    } else {
        ENGLISH_WORDS.contains(&word.to_lowercase().as_str())
    }
}

/// Paragraphs of a translation that read as English: (offset, first words).
pub(super) fn english_paragraphs(body: &str, lang: Lang) -> Vec<(usize, String)> {
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
        let (mut words, mut english) = (0, 0);
        for w in prose
            .split(|c: char| !c.is_alphabetic() && c != '\'')
            .filter(|w| !w.is_empty() && !w.starts_with('/'))
        {
            words += 1;
            english += usize::from(is_english_word(w));
        }
        let non_ascii = prose.chars().filter(|c| c.is_alphabetic() && !c.is_ascii()).count();
        if words >= 8 && english * 5 >= words && non_ascii * 10 < prose.len() {
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
    fn english_words_in_any_case() {
        for w in ["the", "The", "THE", "Your", "bEfOrE"] {
            assert!(is_english_word(w), "{w}");
        }
        for w in ["thee", "th", "", "die", "thé", "ТНЕ"] {
            assert!(!is_english_word(w), "{w}");
        }
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
