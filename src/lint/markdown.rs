//! Markdown the reference renders differently from what the writer meant.

use super::*;

impl Linter<'_> {
    /// Markdown the reference renders differently from what the writer meant:
    /// an alert marker not in capitals (`> [!note]`) gets an empty title.
    pub(super) fn lint_markdown(&mut self, src: &Source<'_>) {
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
}
