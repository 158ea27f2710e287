//! GitHub alerts (`> [!NOTE]` …) as the reference engine renders them: a
//! `div.ghd-alert` with a title paragraph (an octicon and the title in the
//! page's language, from `ui.alerts` in data/ui.yml).

use pulldown_cmark::BlockQuoteKind;

use super::docs_tags::octicon_path_d;
use super::markdown::escape_html;
use crate::corpus::{Corpus, DataRef};
use crate::error::Error;
use crate::languages::Lang;

/// The five kinds in the order of [`AlertTitles`]: key, octicon, color.
const KINDS: [(BlockQuoteKind, &str, &str, &str); 5] = [
    (BlockQuoteKind::Note, "NOTE", "info", "accent"),
    (BlockQuoteKind::Important, "IMPORTANT", "report", "done"),
    (BlockQuoteKind::Warning, "WARNING", "alert", "attention"),
    (BlockQuoteKind::Tip, "TIP", "light-bulb", "success"),
    (BlockQuoteKind::Caution, "CAUTION", "stop", "danger"),
];

fn index(kind: BlockQuoteKind) -> usize {
    KINDS.iter().position(|k| k.0 == kind).unwrap_or(0)
}

/// The alert titles of one language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertTitles([String; 5]);

impl Default for AlertTitles {
    /// English, for trees without `ui.alerts`.
    fn default() -> Self {
        AlertTitles(["Note", "Important", "Warning", "Tip", "Caution"].map(String::from))
    }
}

impl AlertTitles {
    /// `ui.alerts.<KEY>` for `lang` (the translation's data/ui.yml, else
    /// English), else the built-in English title.
    pub fn load(corpus: &Corpus, lang: Lang) -> Result<Self, Error> {
        let mut titles = AlertTitles::default();
        for (slot, (_, key, _, _)) in titles.0.iter_mut().zip(KINDS) {
            let r = DataRef::parse(&format!("ui.alerts.{key}")).map_err(Error::input)?;
            if let Some(t) = corpus.data(&r, lang)?.text {
                *slot = t.text.trim().to_string();
            }
        }
        Ok(titles)
    }

    /// The title of `kind`.
    pub fn get(&self, kind: BlockQuoteKind) -> &str {
        &self.0[index(kind)]
    }
}

/// Whether the alert marker at the start of `quote` (`> [!NOTE]`) is written in
/// capitals. The reference looks the title up by the key as written, so
/// `[!note]` gets an empty title (and a console warning); lint warns too.
///
/// ```
/// use docgate::render::alerts::marker_is_uppercase;
/// assert!(marker_is_uppercase("> [!NOTE]\n> Hi"));
/// assert!(!marker_is_uppercase("> [!Note]\n> Hi"));
/// ```
pub fn marker_is_uppercase(quote: &str) -> bool {
    let Some(start) = quote.find("[!") else { return true };
    let key = &quote[start + 2..];
    let key = &key[..key.find(']').unwrap_or(0)];
    key.chars().all(|c| !c.is_lowercase())
}

/// Puts the text written after an alert marker on its own line
/// (`> [!TIP] Text` → `> [!TIP]` and `> Text`), which today's engine accepts
/// and the Markdown parser reads as a plain quote. Only the first line of a
/// quote can hold a marker.
///
/// ```
/// use docgate::render::alerts::split_marker_lines;
/// assert_eq!(split_marker_lines("> [!TIP] Text\n> more\n"), "> [!TIP]\n> Text\n> more\n");
/// assert_eq!(split_marker_lines("   > [!NOTE] In a list"), "   > [!NOTE]\n   > In a list");
/// assert_eq!(split_marker_lines("> quote\n> [!TIP] not a marker"), "> quote\n> [!TIP] not a marker");
/// assert_eq!(split_marker_lines("```\n> [!TIP] code\n```"), "```\n> [!TIP] code\n```");
/// ```
pub fn split_marker_lines(md: &str) -> std::borrow::Cow<'_, str> {
    if !md.contains("[!") {
        return std::borrow::Cow::Borrowed(md);
    }
    let mut out = String::with_capacity(md.len() + 16);
    let mut changed = false;
    let mut in_quote = false;
    let mut fence: Option<&str> = None;
    for line in md.split_inclusive('\n') {
        let indent_len = line.len() - line.trim_start_matches([' ', '\t']).len();
        let (indent, rest) = line.split_at(indent_len);
        let quoted = rest.starts_with('>');
        let content = rest.trim_start_matches(['>', ' ']);
        match fence {
            Some(f) if content.starts_with(f) => fence = None,
            Some(_) => {}
            None if content.starts_with("```") => fence = Some("```"),
            None if content.starts_with("~~~") => fence = Some("~~~"),
            None => {}
        }
        if quoted && !in_quote && fence.is_none() {
            let after = rest[1..].trim_start_matches(' ');
            let marker = KINDS.iter().map(|(_, key, _, _)| *key).find(|key| {
                after.starts_with("[!")
                    && after.get(2..2 + key.len()).is_some_and(|k| k.eq_ignore_ascii_case(key))
                    && after.get(2 + key.len()..).is_some_and(|r| r.starts_with("] "))
            });
            if let Some(key) = marker {
                let (head, text) = after.split_at(key.len() + 3);
                if !text.trim().is_empty() {
                    out.push_str(&format!("{indent}> {head}\n{indent}> {}", text.trim_start()));
                    changed = true;
                    in_quote = true;
                    continue;
                }
            }
        }
        in_quote = quoted;
        out.push_str(line);
    }
    if changed {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(md)
    }
}

/// The opening HTML of an alert, up to and including its title paragraph
/// (empty where the marker was not written in capitals, as in the reference).
///
/// ```
/// use docgate::render::alerts::{AlertTitles, open_html};
/// use pulldown_cmark::BlockQuoteKind;
/// let html = open_html(BlockQuoteKind::Tip, &AlertTitles::default(), true);
/// assert!(html.starts_with("<div class=\"ghd-alert ghd-alert-success\" data-container=\"alert\">"));
/// assert!(html.ends_with("</svg>Tip</p>\n"));
/// assert!(open_html(BlockQuoteKind::Tip, &AlertTitles::default(), false).ends_with("</svg></p>\n"));
/// ```
pub fn open_html(kind: BlockQuoteKind, titles: &AlertTitles, uppercase_marker: bool) -> String {
    let (_, _, icon, color) = KINDS[index(kind)];
    let svg = octicon_path_d(icon).map_or_else(String::new, |d| {
        format!(
            "<svg version=\"1.1\" width=\"16\" height=\"16\" viewBox=\"0 0 16 16\" class=\"octicon mr-2\" aria-hidden=\"true\"><path d=\"{d}\"></path></svg>"
        )
    });
    format!(
        "<div class=\"ghd-alert ghd-alert-{color}\" data-container=\"alert\">\n<p class=\"ghd-alert-title\">{svg}{}</p>\n",
        if uppercase_marker {
            escape_html(titles.get(kind))
        } else {
            String::new()
        }
    )
}
