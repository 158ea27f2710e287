//! Terminal text: a rendered page as wrapped plain text, with ANSI styles when
//! writing to a terminal. One pulldown-cmark parse, like the HTML output.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};

use super::alerts::AlertTitles;
use unicode_width::UnicodeWidthStr;

use super::markdown::markdown_options;

/// How to lay text out.
#[derive(Clone, Debug)]
pub struct TextOptions {
    /// Wrap width in columns.
    pub width: usize,
    /// Use ANSI styles.
    pub color: bool,
    /// Make links OSC 8 hyperlinks (terminals that support them) instead of
    /// printing their target after the text.
    pub hyperlinks: bool,
    /// Where site paths (`/en/…`) point in hyperlinks and printed targets:
    /// hyperlinks use `https://docs.github.com` when none is given.
    pub base_url: Option<String>,
    /// Break lines only at spaces (Korean, [`Lang::keeps_words_whole`]); else
    /// also between CJK characters where UAX #14 allows.
    ///
    /// [`Lang::keeps_words_whole`]: crate::languages::Lang::keeps_words_whole
    pub keep_all: bool,
    /// Plain text for data (JSON): no wrapping and headings as their text alone
    /// (no `#` marks, no underline).
    pub plain: bool,
}

/// The site that `/en/…` paths belong to.
pub const DEFAULT_BASE_URL: &str = "https://docs.github.com";

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            width: 80,
            color: false,
            hyperlinks: false,
            base_url: None,
            keep_all: false,
            plain: false,
        }
    }
}

impl TextOptions {
    /// [`TextOptions::plain`]: no wrapping, no decoration, no styles.
    pub fn plain() -> Self {
        TextOptions {
            width: PLAIN_WIDTH,
            plain: true,
            ..Default::default()
        }
    }
}

/// The "width" of plain text: wider than any paragraph.
const PLAIN_WIDTH: usize = 1 << 20;

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
    /// The targets of the links in the table being read, listed under it.
    table_links: Vec<String>,
    /// Inside an inline `<svg>` (an octicon): its markup is not text.
    in_svg: bool,
    /// An icon without a label was left out: the space before or after it goes too.
    dropped_icon: bool,
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
        for l in textwrap::wrap(text.trim(), paragraph(width, &first, &rest, self.opts.keep_all)) {
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
        table_links: Vec::new(),
        in_svg: false,
        dropped_icon: false,
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
            Event::InlineHtml(h) | Event::Html(h) => inline_html(&mut w, &h),
            Event::InlineMath(_) | Event::DisplayMath(_) => {}
        }
    }
    w.flush();
    w.out
}

fn table_cell<'w>(w: &'w mut Writer<'_>) -> Option<&'w mut String> {
    w.table.as_mut().and_then(|t| t.last_mut()).and_then(|r| r.last_mut())
}

fn push_inline(w: &mut Writer, t: &str) {
    if w.in_svg {
        return;
    }
    let t = if std::mem::take(&mut w.dropped_icon) {
        let cell = w.table.as_ref().and_then(|t| t.last()).and_then(|r| r.last());
        let before = cell.unwrap_or(&w.line);
        if before.ends_with(' ') || before.is_empty() {
            t.trim_start_matches(' ')
        } else {
            t
        }
    } else {
        t
    };
    if let Some(cell) = table_cell(w) {
        cell.push_str(t);
    } else {
        w.line.push_str(t);
    }
}

/// The value of attribute `name` in an HTML tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[at..].split('"').next()
}

/// Inline HTML as terminal text: an octicon becomes its label (or nothing),
/// `<br>` a line break; other tags are not text.
fn inline_html(w: &mut Writer, h: &str) {
    let tag = h.trim();
    if w.in_svg {
        if tag.contains("</svg>") {
            w.in_svg = false;
        }
        return;
    }
    if tag.starts_with("<svg") {
        match attribute(tag, "aria-label").filter(|l| !l.trim().is_empty()) {
            Some(label) => {
                let label = label.replace("&quot;", "\"").replace("&amp;", "&");
                push_inline(w, &label);
            }
            None => {
                // No double space where the icon was.
                if let Some(cell) = table_cell(w) {
                    if cell.ends_with(' ') {
                        cell.pop();
                    }
                } else if w.line.ends_with(' ') {
                    w.line.pop();
                }
                w.dropped_icon = true;
            }
        }
        w.in_svg = !tag.contains("</svg>");
        return;
    }
    let lower = tag.to_ascii_lowercase();
    if lower.starts_with("<br") && lower.ends_with('>') {
        if let Some(cell) = table_cell(w) {
            cell.push('\n');
        } else {
            w.line.push('\n');
        }
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
            if !w.opts.color && !w.opts.plain && level > HeadingLevel::H2 {
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
            let url = absolute(&w.opts, url);
            if w.opts.hyperlinks && w.table.is_none() {
                // OSC 8: the text is the link; the target is not printed.
                w.line.push_str(&format!("\x1b]8;;{url}\x1b\\"));
            }
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
            if !w.opts.color && !w.opts.plain && matches!(level, Some(HeadingLevel::H1 | HeadingLevel::H2)) {
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
            if w.table.is_some() {
                // In a table the target would be cut by the column: a numbered
                // reference, and the target whole under the table.
                if let Some(url) = w.links.pop() {
                    w.table_links.push(url);
                    let n = w.table_links.len();
                    push_inline(w, &format!(" [{n}]"));
                }
            } else if w.opts.hyperlinks {
                w.links.pop();
                w.line.push_str("\x1b]8;;\x1b\\");
            } else if let Some(url) = w.links.pop() {
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
            let links = std::mem::take(&mut w.table_links);
            if !links.is_empty() {
                let (_, rest) = w.prefixes_peek();
                for (i, url) in links.iter().enumerate() {
                    w.out.push_str(&format!("{rest}[{}] <{url}>\n", i + 1));
                }
            }
        }
        TagEnd::FootnoteDefinition => w.flush(),
        _ => {}
    }
}

/// A site path (`/en/…`) made absolute: with `--base-url`, or for hyperlinks
/// with docs.github.com. Other targets as they are.
fn absolute(opts: &TextOptions, url: String) -> String {
    if !url.starts_with('/') || url.starts_with("//") {
        return url;
    }
    match (&opts.base_url, opts.hyperlinks) {
        (Some(base), _) => format!("{}{url}", base.trim_end_matches('/')),
        (None, true) => format!("{DEFAULT_BASE_URL}{url}"),
        (None, false) => url,
    }
}

/// How a paragraph wraps: words whole (no hyphenation, no broken words), at
/// the breaks [`words`] (or, with `keep_all`, [`words_keep_all`]) allows,
/// under the given indents.
fn paragraph<'a>(width: usize, first: &'a str, rest: &'a str, keep_all: bool) -> textwrap::Options<'a> {
    textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        .word_separator(separator(keep_all))
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(false)
}

fn separator(keep_all: bool) -> textwrap::WordSeparator {
    textwrap::WordSeparator::Custom(if keep_all { words_keep_all } else { words })
}

/// Where Korean lines may break: at spaces only (`word-break: keep-all`).
fn words_keep_all(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    Box::new(textwrap::WordSeparator::AsciiSpace.find_words(line))
}

/// Where lines may break: at spaces, and inside words where Unicode allows
/// (CJK text has no spaces), but never inside a link target or URL, which
/// must stay whole to be usable.
fn words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    Box::new(textwrap::WordSeparator::AsciiSpace.find_words(line).flat_map(|w| {
        if w.word.contains("://") || w.word.contains("</") {
            return vec![w];
        }
        let mut parts: Vec<textwrap::core::Word<'_>> = textwrap::WordSeparator::UnicodeBreakProperties
            .find_words(w.word)
            .collect();
        if let Some(last) = parts.last_mut() {
            last.whitespace = w.whitespace;
        }
        parts
    }))
}

/// The display width of terminal text (escape sequences take no room).
fn display_width(s: &str) -> usize {
    textwrap::core::display_width(s)
}

/// A table in the width available: natural column widths when they fit; else
/// columns narrowed (wider ones first) with their cells wrapped; else, when
/// even that does not fit, one record per row (`Header: value`).
fn write_table(w: &mut Writer, rows: &[Vec<String>]) {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    if cols == 0 {
        return;
    }
    let cell = |r: &Vec<String>, c: usize| r.get(c).map_or(String::new(), |s| s.trim().to_string());
    // Each cell's lines (`<br>` breaks), and each column's natural width.
    let natural: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .flat_map(|r| {
                    cell(r, c)
                        .split('\n')
                        .map(|l| display_width(l.trim()))
                        .collect::<Vec<_>>()
                })
                .max()
                .unwrap_or(0)
        })
        .collect();
    w.blank_line();
    let (first, rest) = w.prefixes();
    let room = w.opts.width.saturating_sub(display_width(&rest));
    let gaps = 2 * (cols - 1);
    const MIN_COLUMN: usize = 10;
    let mut widths = natural.clone();
    if widths.iter().sum::<usize>() + gaps > room {
        // Narrow the widest columns until the table fits.
        let budget = room.saturating_sub(gaps);
        if cols * MIN_COLUMN > budget {
            write_records(w, rows, &first, &rest);
            return;
        }
        while widths.iter().sum::<usize>() > budget {
            let (i, widest) = widths
                .iter()
                .copied()
                .enumerate()
                .max_by_key(|(_, n)| *n)
                .unwrap_or((0, 0));
            if widest <= MIN_COLUMN {
                break;
            }
            widths[i] = widest - 1;
        }
    }
    for (i, r) in rows.iter().enumerate() {
        let wrapped: Vec<Vec<String>> = (0..cols)
            .map(|c| {
                let opts = textwrap::Options::new(widths[c].max(1))
                    .word_separator(separator(w.opts.keep_all))
                    .word_splitter(textwrap::WordSplitter::NoHyphenation)
                    .break_words(true);
                cell(r, c)
                    .split('\n')
                    .flat_map(|l| {
                        textwrap::wrap(l.trim(), &opts)
                            .into_iter()
                            .map(|x| x.to_string())
                            .collect::<Vec<_>>()
                    })
                    .collect()
            })
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        for k in 0..height {
            w.out.push_str(if i == 0 && k == 0 { &first } else { &rest });
            let line: Vec<String> = (0..cols)
                .map(|c| {
                    let s = wrapped[c].get(k).map_or("", String::as_str);
                    format!("{s}{}", " ".repeat(widths[c].saturating_sub(display_width(s))))
                })
                .collect();
            w.out.push_str(line.join("  ").trim_end());
            w.out.push('\n');
        }
        if i == 0 {
            w.out.push_str(&rest);
            let rule: Vec<String> = widths.iter().map(|n| "─".repeat(*n)).collect();
            w.out.push_str(&rule.join("  "));
            w.out.push('\n');
        }
    }
    w.gap = true;
}

/// A table too wide for the terminal, one record per row: each cell under its
/// column's header.
fn write_records(w: &mut Writer, rows: &[Vec<String>], first: &str, rest: &str) {
    let Some((header, body)) = rows.split_first() else {
        return;
    };
    let width = w.opts.width.max(display_width(rest) + 20);
    for (i, r) in body.iter().enumerate() {
        if i > 0 {
            w.out.push_str(rest.trim_end());
            w.out.push('\n');
        }
        for (c, value) in r.iter().enumerate() {
            let name = header.get(c).map_or("", |h| h.trim());
            let text = format!("{name}: {}", value.trim().replace('\n', " / "));
            let indent = if i == 0 && c == 0 { first } else { rest };
            let sub = format!("{rest}  ");
            for l in textwrap::wrap(&text, paragraph(width, indent, &sub, w.opts.keep_all)) {
                w.out.push_str(l.trim_end());
                w.out.push('\n');
            }
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
                ..Default::default()
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
        let c = to_text(
            "**bold**",
            TextOptions {
                width: 80,
                color: true,
                ..Default::default()
            },
        );
        assert!(c.contains("\x1b[1mbold\x1b[0m"), "{c:?}");
    }

    #[test]
    fn tables_fit_the_width_wrapping_cells_or_as_records() {
        let md = "| Setting | What it does |\n| --- | --- |\n| `sync` | Sends license usage to GitHub Enterprise Cloud every week, and more words to wrap |\n| a<br>b | one |\n";
        let natural = to_text(
            md,
            TextOptions {
                width: 200,
                ..Default::default()
            },
        );
        assert!(natural.contains("sync     Sends license usage"), "{natural}");
        assert!(
            natural.contains("\na        one\nb\n"),
            "a <br> breaks the cell: {natural}"
        );
        let narrow = to_text(
            md,
            TextOptions {
                width: 40,
                ..Default::default()
            },
        );
        assert!(narrow.lines().all(|l| l.width() <= 40), "{narrow}");
        assert!(narrow.contains("Sends license"), "{narrow}");
        let records = to_text(
            "| Alpha | Bravo | Charlie | Delta | Echo |\n|---|---|---|---|---|\n| one value | two values | three | four | five |\n",
            TextOptions {
                width: 30,
                ..Default::default()
            },
        );
        assert!(
            records.contains("Alpha: one value\nBravo: two values\nCharlie: three"),
            "{records}"
        );
    }

    #[test]
    fn octicons_become_their_label_and_links_stay_whole() {
        let md = "Click <svg class=\"octicon octicon-play\" aria-label=\"play icon\" role=\"img\"><path d=\"M0\"></path></svg> **Actions**, then <svg class=\"octicon\" aria-hidden=\"true\"><path></path></svg> **Code**.";
        let t = to_text(md, TextOptions::default());
        assert!(t.contains("Click play icon Actions, then Code."), "{t}");
        let long = "See [the page](/en/enterprise-server@3.5/admin/configuration/configuring-github-connect/enabling-automatic-user-license-sync-for-your-enterprise).";
        let t = to_text(
            long,
            TextOptions {
                width: 40,
                ..Default::default()
            },
        );
        assert!(t.contains("</en/enterprise-server@3.5/admin/configuration/configuring-github-connect/enabling-automatic-user-license-sync-for-your-enterprise>"), "{t}");
        let t = to_text(
            long,
            TextOptions {
                width: 40,
                base_url: Some("https://docs.example.com".into()),
                ..Default::default()
            },
        );
        assert!(
            t.contains("<https://docs.example.com/en/enterprise-server@3.5/admin/"),
            "{t}"
        );
        let t = to_text(
            long,
            TextOptions {
                width: 40,
                hyperlinks: true,
                ..Default::default()
            },
        );
        assert!(t.contains("\x1b]8;;https://docs.github.com/en/enterprise-server@3.5/admin/configuration/configuring-github-connect/enabling-automatic-user-license-sync-for-your-enterprise\x1b\\the page\x1b]8;;\x1b\\."), "{t:?}");
        assert!(!t.contains(" <"), "no printed target with hyperlinks: {t:?}");
    }
}
