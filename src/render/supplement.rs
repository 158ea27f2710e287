//! Outdated translations: version-gated English content a translation lacks.
//!
//! A translation made from an older revision can miss a whole `ifversion` block
//! that English has (the Portuguese seed has no `ghes > 3.4` manual-trigger
//! sentence). Rendering it as is would hide, in that language only, what the
//! version supports. docgate adds each missing top-level block, in English, at
//! the end of the same section (counted by `##` headings) and reports it, so
//! the reader sees the content and the translators see the gap.

use std::collections::HashSet;

use serde::Serialize;

use crate::scan::tags;

/// An English block added to a translation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Supplement {
    /// The `ifversion` condition of the block, as written in English.
    pub condition: String,
    /// The `##` section it was added to (0 = before the first heading).
    pub section: usize,
}

/// Each tag's span, name and normalised arguments.
fn scan_tags(text: &str) -> Vec<(usize, usize, String, String)> {
    tags(text)
        .into_iter()
        .map(|t| (t.start, t.end, t.name(text).to_string(), t.args(text)))
        .collect()
}

/// Every `ifversion`/`elsif` condition of a text, normalised.
fn conditions(text: &str) -> HashSet<String> {
    scan_tags(text)
        .into_iter()
        .filter(|(_, _, n, _)| n == "ifversion" || n == "elsif")
        .map(|(_, _, _, a)| a)
        .collect()
}

/// Top-level `ifversion … endif` blocks: (start, end, condition).
fn top_level_blocks(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut open: Option<(usize, String)> = None;
    for (start, end, name, args) in scan_tags(text) {
        match name.as_str() {
            "ifversion" | "if" | "unless" => {
                if depth == 0 && name == "ifversion" {
                    open = Some((start, args));
                }
                depth += 1;
            }
            "endif" | "endunless" => {
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some((s, cond)) = open.take()
                {
                    out.push((s, end, cond));
                }
            }
            _ => {}
        }
    }
    out
}

fn section_of(text: &str, offset: usize) -> usize {
    text[..offset].lines().filter(|l| l.starts_with("## ")).count()
}

/// Byte offset where section `n` of `text` ends: where its heading number `n + 1`
/// (1-based) starts, or the end of the text.
fn section_end(text: &str, n: usize) -> usize {
    let mut seen = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("## ") {
            if seen == n {
                return pos;
            }
            seen += 1;
        }
        pos += line.len();
    }
    text.len()
}

/// Adds to `translated` the top-level `ifversion` blocks of `english` whose
/// condition the translation never uses. Returns the new text and what was added.
pub fn supplement(translated: &str, english: &str) -> (String, Vec<Supplement>) {
    if !english.contains("ifversion") {
        return (translated.to_string(), Vec::new());
    }
    let present = conditions(translated);
    let missing: Vec<(usize, String, String)> = top_level_blocks(english)
        .into_iter()
        .filter(|(_, _, cond)| !present.contains(cond))
        .map(|(s, e, cond)| (section_of(english, s), english[s..e].trim().to_string(), cond))
        .collect();
    if missing.is_empty() {
        return (translated.to_string(), Vec::new());
    }
    let mut text = translated.to_string();
    let mut added = Vec::new();
    // Insert from the last section backwards so earlier offsets stay valid.
    let mut by_section = missing;
    by_section.sort_by_key(|(section, _, _)| std::cmp::Reverse(*section));
    for (section, block, cond) in by_section {
        let at = section_end(&text, section);
        let before = text[..at].trim_end_matches('\n').len();
        let insert = format!("\n\n{block}\n\n");
        text.replace_range(before..at, &insert);
        added.push(Supplement {
            condition: cond,
            section,
        });
    }
    added.reverse();
    (text, added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_gated_blocks_are_added_to_their_section() {
        let en = "## A\n\nOne.{% ifversion ghes > 3.4 %} New.{% endif %}\n\nTwo.\n\n## B\n\nThree.\n";
        let tr = "## A'\n\nUn.\n\nDeux.\n\n## B'\n\nTrois.\n";
        let (out, added) = supplement(tr, en);
        assert_eq!(
            out,
            "## A'\n\nUn.\n\nDeux.\n\n{% ifversion ghes > 3.4 %} New.{% endif %}\n\n## B'\n\nTrois.\n"
        );
        assert_eq!(
            added,
            [Supplement {
                condition: "ghes > 3.4".into(),
                section: 1
            }]
        );
    }

    #[test]
    fn present_conditions_and_nested_blocks_are_left_alone() {
        let en = "## A\n\n{% ifversion ghes > 3.4 %}x{% ifversion ghec %}y{% endif %}{% endif %}\n";
        let tr = "## A\n\n{% ifversion  ghes > 3.4 %}x{% endif %}\n";
        assert_eq!(supplement(tr, en).1, []);
        let (out, added) = supplement("## A\n", en);
        assert_eq!(added.len(), 1, "one top-level block, with its nested one inside");
        assert!(out.ends_with("{% endif %}{% endif %}\n\n"));
    }

    #[test]
    fn blocks_of_missing_sections_go_to_the_end() {
        let (out, _) = supplement("Only text\n", "## A\n\n## B\n\n{% ifversion fpt %}x{% endif %}\n");
        assert_eq!(out, "Only text\n\n{% ifversion fpt %}x{% endif %}\n\n");
    }
}
