//! Which generation of the reference engine a tree is written for.
//!
//! A few tags render differently in the 2021 engine and in today's (the tool
//! and platform blocks, `{% note %}` and friends, octicons without a label).
//! docgate does not guess per page and has no switch for it: the tree says
//! which engine it is written for by what it uses. A tree is written for
//! today's engine when any English page or reusable uses something only
//! today's engine has — a GitHub alert (`> [!NOTE]`, `[!TIP]`, `[!IMPORTANT]`,
//! `[!WARNING]`, `[!CAUTION]`), `{% rowheaders %}`, `{% prompt %}`, or a tool
//! block the 2021 engine did not know (`{% xcode %}`, `{% vimneovim %}`, …).
//! Otherwise it is a 2021 tree (such as `github-docs-2021`, whose pages use
//! `{% note %}` blocks and no alerts).

use serde::Serialize;

use crate::scan;

/// The generation of the reference engine a tree is rendered like.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Engine {
    /// The github/docs engine of 2021: `div.extended-markdown` blocks, octicons
    /// without a label hidden from screen readers.
    Legacy2021,
    /// Today's github/docs engine: `div.ghd-tool` blocks, `{% note %}` as a
    /// spotlight alert, octicons labelled `"<name> icon"` by default.
    Current,
}

/// The alert markers of GitHub's Markdown.
const ALERT_MARKERS: [&str; 5] = ["[!NOTE]", "[!TIP]", "[!IMPORTANT]", "[!WARNING]", "[!CAUTION]"];

/// Tags only today's engine registers.
pub const CURRENT_ONLY_TAGS: [&str; 12] = [
    "rowheaders",
    "prompt",
    "agents",
    "azure_data_studio",
    "bash",
    "importer_cli",
    "javascript",
    "jetbrains_beta",
    "powershell",
    "skillsets",
    "vimneovim",
    "xcode",
];

/// Whether `text` uses something only today's engine has.
///
/// ```
/// use docgate::corpus::engine::uses_current_engine;
/// assert!(uses_current_engine("> [!NOTE]\n> Text"));
/// assert!(uses_current_engine("{% xcode %}x{% endxcode %}"));
/// assert!(!uses_current_engine("{% note %}x{% endnote %} {% mac %}y{% endmac %}"));
/// ```
pub fn uses_current_engine(text: &str) -> bool {
    let alert = text.contains("[!")
        && text.lines().any(|l| {
            let l = l.trim_start();
            l.starts_with('>') && ALERT_MARKERS.iter().any(|m| l[1..].trim_start().starts_with(m))
        });
    alert
        || (text.contains("{%")
            && scan::tags(text)
                .iter()
                .any(|t| CURRENT_ONLY_TAGS.contains(&t.name(text))))
}
