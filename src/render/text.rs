//! Terminal text: a rendered page as wrapped plain text, with ANSI styles when
//! writing to a terminal. One pulldown-cmark parse, like the HTML output.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};

use super::alerts::AlertTitles;
use unicode_width::UnicodeWidthStr;

use super::markdown::markdown_options;

/// How to lay text out.
#[derive(Clone, Copy, Debug)]
pub struct TextOptions {
    /// Wrap width in columns.
    pub width: usize,
    /// Use ANSI styles.
    pub color: bool,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            width: 80,
            color: false,
        }
    }
}

const BOLD: &str = "\x1b[1m";
const ITALIC: &str = "\x1b[3m";
const CYAN: &str = "\x1b[36m";
const DIM: &str = "\x1b[2m";
const UNDERLINE: &str = "\x1b[4m";
const RESET: &str = "\x1b[0m";

struct ListState {
    next: Option<u64>,
}

struct Writer<'a> {
    opts: TextOptions,
    rewrite_link: Option<&'a dyn Fn(&str) -> String>,
    alerts: &'a AlertTitles,
    out: String,
    /// Inline text of the block being built.
    line: String,
    /// Per container: the prefix for the first line and for the following lines.
    containers: Vec<(String, String)>,
    lists: Vec<ListState>,
    /// Style stack, re-applied after nested resets.
    styles: Vec<&'static str>,
    links: Vec<String>,
    in_image: bool,
    heading: Option<HeadingLevel>,
    code_block: bool,
    table: Option<Vec<Vec<String>>>,
    /// A blank line is owed before the next block.
    gap: bool,
}

impl Writer<'_> {
    fn style(&mut self, s: &'static str) {
        if self.opts.color {
            self.styles.push(s);
            self.line.push_str(s);
        }
    }

    fn unstyle(&mut self) {
        if self.opts.color {
            self.styles.pop();
            self.line.push_str(RESET);
            for s in &self.styles {
                self.line.push_str(s);
            }
        }
    }

    fn prefixes(&mut self) -> (String, String) {
        let mut first = String::new();
        let mut rest = String::new();
        for (f, r) in self.containers.iter_mut() {
            first.push_str(f);
            rest.push_str(r);
            // A list marker shows once; later blocks of the item align under it.
            *f = r.clone();
        }
        (first, rest)
    }

    fn blank_line(&mut self) {
        if self.gap && !self.out.is_empty() {
            let (_, rest) = self.prefixes_peek();
            self.out.push_str(rest.trim_end());
            self.out.push('\n');
        }
        self.gap = false;
    }

    fn prefixes_peek(&self) -> (String, String) {
        let first: String = self.containers.iter().map(|c| c.0.as_str()).collect();
        let rest: String = self.containers.iter().map(|c| c.1.as_str()).collect();
        (first, rest)
    }

    /// Writes the pending inline text as a wrapped block.
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.line);
        if text.trim().is_empty() {
            return;
        }
        self.blank_line();
        let (first, rest) = self.prefixes();
        let width = self.opts.width.max(first.width() + 20);
        let wrap = textwrap::Options::new(width)
            .initial_indent(&first)
            .subsequent_indent(&rest)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(false);
        for l in textwrap::wrap(text.trim(), wrap) {
            self.out.push_str(l.trim_end());
            self.out.push('\n');
        }
        self.gap = true;
    }

    fn raw_lines(&mut self, text: &str) {
        self.blank_line();
        let (first, rest) = self.prefixes();
        for (i, l) in text.trim_end_matches('\n').split('\n').enumerate() {
            self.out.push_str(if i == 0 { &first } else { &rest });
            self.out.push_str("    ");
            if self.opts.color {
                self.out.push_str(DIM);
            }
            self.out.push_str(l);
            if self.opts.color {
                self.out.push_str(RESET);
            }
            self.out.push('\n');
        }
        self.gap = true;
    }
}

/// Renders Markdown as terminal text.
///
/// ```
/// use docgate::render::text::{to_text, TextOptions};
/// let t = to_text("## Steps\n\n1. One\n1. **Two**\n", TextOptions::default());
/// assert!(t.contains("1. One\n2. Two"));
/// ```
pub fn to_text(md: &str, opts: TextOptions) -> String {
    to_text_localized(md, opts, None, &AlertTitles::default())
}

/// Like [`to_text`], with internal links rewritten by `rewrite_link` (so the
/// terminal shows the permalink for the current version and language) and
/// alert titles in the page's language.
pub fn to_text_localized(
    md: &str,
    opts: TextOptions,
    rewrite_link: Option<&dyn Fn(&str) -> String>,
    alerts: &AlertTitles,
) -> String {
    let mut w = Writer {
        opts,
        rewrite_link,
        alerts,
        out: String::new(),
        line: String::new(),
        containers: Vec::new(),
        lists: Vec::new(),
        styles: Vec::new(),
        links: Vec::new(),
        in_image: false,
        heading: None,
        code_block: false,
        table: None,
        gap: false,
    };
    let mut code = String::new();
    let md = &*super::alerts::split_marker_lines(md);
    for (event, range) in Parser::new_ext(md, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                start_alert(&mut w, kind, super::alerts::marker_is_uppercase(&md[range.start..]));
            }
            Event::Start(tag) => start(&mut w, tag),
            Event::End(TagEnd::CodeBlock) => {
                w.code_block = false;
                w.raw_lines(&std::mem::take(&mut code));
            }
            Event::End(tag) => end(&mut w, tag),
            Event::Text(t) if w.code_block => code.push_str(&t),
            Event::Text(t) | Event::Code(t) if w.in_image => w.line.push_str(&t),
            Event::Text(t) => push_inline(&mut w, &t),
            Event::Code(t) => {
                if let Some(cell) = table_cell(&mut w) {
                    cell.push_str(&t);
                } else if w.opts.color {
                    w.line.push_str(CYAN);
                    w.line.push_str(&t);
                    w.line.push_str(RESET);
                    for s in w.styles.clone() {
                        w.line.push_str(s);
                    }
                } else {
                    w.line.push('`');
                    w.line.push_str(&t);
                    w.line.push('`');
                }
            }
            Event::SoftBreak => push_inline(&mut w, " "),
            Event::HardBreak => {
                w.flush();
                w.gap = false;
            }
            Event::Rule => {
                w.flush();
                w.blank_line();
                w.out.push_str(&"─".repeat(w.opts.width.min(40)));
                w.out.push('\n');
                w.gap = true;
            }
            Event::TaskListMarker(done) => push_inline(&mut w, if done { "[x] " } else { "[ ] " }),
            Event::FootnoteReference(r) => push_inline(&mut w, &format!("[{r}]")),
            Event::Html(_) | Event::InlineHtml(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {}
        }
    }
    w.flush();
    w.out
}

fn table_cell<'w>(w: &'w mut Writer<'_>) -> Option<&'w mut String> {
    w.table.as_mut().and_then(|t| t.last_mut()).and_then(|r| r.last_mut())
}

fn push_inline(w: &mut Writer, t: &str) {
    if let Some(cell) = table_cell(w) {
        cell.push_str(t);
    } else {
        w.line.push_str(t);
    }
}

/// An alert: a quote with its title in the page's language (none where the
/// marker is not in capitals, as the reference renders it).
fn start_alert(w: &mut Writer, kind: pulldown_cmark::BlockQuoteKind, titled: bool) {
    start(w, Tag::BlockQuote(Some(kind)));
    if titled {
        w.style(BOLD);
        let label = w.alerts.get(kind).to_string();
        w.line.push_str(&label);
        w.unstyle();
        w.flush();
        w.gap = false;
    }
}

fn start(w: &mut Writer, tag: Tag) {
    match tag {
        Tag::Paragraph => {}
        Tag::Heading { level, .. } => {
            w.flush();
            w.heading = Some(level);
            w.gap = true;
            w.style(BOLD);
            if !w.opts.color && level > HeadingLevel::H2 {
                w.line.push_str(&"#".repeat(level as usize));
                w.line.push(' ');
            }
            if level == HeadingLevel::H1 || level == HeadingLevel::H2 {
                w.style(UNDERLINE);
            }
        }
        Tag::BlockQuote(_) => {
            w.flush();
            w.blank_line();
            w.containers.push(("│ ".into(), "│ ".into()));
        }
        Tag::CodeBlock(kind) => {
            w.flush();
            w.code_block = true;
            if let CodeBlockKind::Fenced(_) = kind {}
        }
        Tag::List(start) => {
            w.flush();
            if w.lists.is_empty() {
                w.blank_line();
            }
            w.gap = false;
            w.lists.push(ListState { next: start });
        }
        Tag::Item => {
            w.flush();
            let marker = match w.lists.last_mut() {
                Some(ListState { next: Some(n) }) => {
                    let m = format!("{n}. ");
                    *n += 1;
                    m
                }
                _ => "• ".to_string(),
            };
            let pad = " ".repeat(marker.width());
            w.containers.push((marker, pad));
            w.gap = false;
        }
        Tag::Emphasis => w.style(ITALIC),
        Tag::Strong => w.style(BOLD),
        Tag::Strikethrough => {}
        Tag::Link { dest_url, .. } => {
            let url = match w.rewrite_link {
                Some(rw) if dest_url.starts_with('/') && !dest_url.starts_with("//") => rw(&dest_url),
                _ => dest_url.to_string(),
            };
            w.links.push(url);
            w.style(UNDERLINE);
        }
        Tag::Image { .. } => {
            w.in_image = true;
            w.line.push_str("[image: ");
        }
        Tag::Table(_) => {
            w.flush();
            w.table = Some(Vec::new());
        }
        Tag::TableHead | Tag::TableRow => {
            if let Some(t) = w.table.as_mut() {
                t.push(Vec::new());
            }
        }
        Tag::TableCell => {
            if let Some(r) = w.table.as_mut().and_then(|t| t.last_mut()) {
                r.push(String::new());
            }
        }
        Tag::FootnoteDefinition(name) => {
            w.flush();
            w.line.push_str(&format!("[{name}]: "));
        }
        _ => {}
    }
}

fn end(w: &mut Writer, tag: TagEnd) {
    match tag {
        TagEnd::Paragraph => w.flush(),
        TagEnd::Heading(_) => {
            w.unstyle();
            if w.opts.color && matches!(w.heading, Some(HeadingLevel::H1 | HeadingLevel::H2)) {
                w.unstyle();
            }
            let level = w.heading.take();
            if !w.opts.color && matches!(level, Some(HeadingLevel::H1 | HeadingLevel::H2)) {
                let plain = w.line.trim().to_string();
                let under = if level == Some(HeadingLevel::H1) { "═" } else { "─" };
                w.flush();
                w.out.push_str(&under.repeat(plain.width().min(w.opts.width)));
                w.out.push('\n');
            } else {
                w.flush();
            }
        }
        TagEnd::BlockQuote(_) => {
            w.flush();
            w.containers.pop();
            w.gap = true;
        }
        TagEnd::List(_) => {
            w.flush();
            w.lists.pop();
            w.gap = true;
        }
        TagEnd::Item => {
            w.flush();
            w.containers.pop();
            w.gap = false;
        }
        TagEnd::Emphasis | TagEnd::Strong => w.unstyle(),
        TagEnd::Link => {
            w.unstyle();
            if let Some(url) = w.links.pop() {
                let url = if w.opts.color {
                    format!(" {DIM}<{url}>{RESET}")
                } else {
                    format!(" <{url}>")
                };
                push_inline(w, &url);
                for s in w.styles.clone() {
                    w.line.push_str(s);
                }
            }
        }
        TagEnd::Image => {
            w.in_image = false;
            w.line.push(']');
        }
        TagEnd::Table => {
            if let Some(rows) = w.table.take() {
                write_table(w, &rows);
            }
        }
        TagEnd::FootnoteDefinition => w.flush(),
        _ => {}
    }
}

fn write_table(w: &mut Writer, rows: &[Vec<String>]) {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.trim().width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    w.blank_line();
    let (first, rest) = w.prefixes();
    for (i, r) in rows.iter().enumerate() {
        w.out.push_str(if i == 0 { &first } else { &rest });
        let cells: Vec<String> = (0..cols)
            .map(|c| {
                let s = r.get(c).map_or("", |s| s.trim());
                format!("{s}{}", " ".repeat(widths[c] - s.width()))
            })
            .collect();
        w.out.push_str(cells.join("  ").trim_end());
        w.out.push('\n');
        if i == 0 {
            w.out.push_str(&rest);
            let rule: Vec<String> = widths.iter().map(|n| "─".repeat(*n)).collect();
            w.out.push_str(&rule.join("  "));
            w.out.push('\n');
        }
    }
    w.gap = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_renumbered_and_wrapped() {
        let md = "Intro text.\n\n1. First step that is long enough to wrap around the narrow width we set\n1. Second\n   - nested\n";
        let t = to_text(
            md,
            TextOptions {
                width: 30,
                color: false,
            },
        );
        assert!(t.starts_with("Intro text.\n\n1. First step that is long"), "{t}");
        assert!(
            t.contains("\n   enough"),
            "continuation lines align under the text: {t}"
        );
        assert!(t.contains("2. Second\n   • nested"), "{t}");
    }

    #[test]
    fn headings_links_alerts_images() {
        let md = "## About\n\nSee [docs](/en/x).\n\n> [!NOTE]\n> Careful.\n\n![Alt text](/a.png)\n";
        let t = to_text(md, TextOptions::default());
        assert!(t.contains("About\n─────"), "{t}");
        assert!(t.contains("See docs </en/x>."), "{t}");
        assert!(t.contains("│ Note\n│ Careful."), "{t}");
        assert!(t.contains("[image: Alt text]"), "{t}");
        assert!(!t.contains('\x1b'));
        let c = to_text("**bold**", TextOptions { width: 80, color: true });
        assert!(c.contains("\x1b[1mbold\x1b[0m"), "{c:?}");
    }
}
