//! The Liquid engine: the standard library plus plugin tags, parse once per file,
//! render per version × language with per-render state in the runtime registers.

use std::cell::RefCell;
use std::sync::Arc;

use liquid_core::Language;
use liquid_core::Object;
use liquid_core::parser::ParseBlock;
use liquid_core::runtime::{Renderable, Runtime, RuntimeBuilder};

use super::RenderCtx;
use super::limits::{BoundedFilter, BoundedLoop, BudgetWriter, CaptureBlock, MAX_OUTPUT_BYTES};
use super::plugin::LiquidRegistry;
use crate::error::{Error, LineIndex, Location};

/// Where a template's text comes from: the file and the line its first character
/// is on.
#[derive(Clone, Debug)]
pub struct Origin {
    /// The file, as shown in messages.
    pub file: Arc<str>,
    /// The line the text's first character is on (1-based).
    pub first_line: usize,
    /// The column of the text's first character on `first_line` (1-based).
    pub first_column: usize,
    /// The whole file, for error snippets (when `text` is part of it).
    pub file_text: Option<Arc<str>>,
}

impl Origin {
    /// The location of byte `offset` of a text that starts at this origin.
    pub fn location(&self, text: &str, offset: usize) -> Location {
        self.location_in(&LineIndex::new(text), text, offset)
    }

    /// [`Origin::location`] with the text's line index, built once per text.
    pub fn location_in(&self, index: &LineIndex, text: &str, offset: usize) -> Location {
        let (line, mut column) = index.line_col(text, offset);
        if line == 1 {
            column += self.first_column.saturating_sub(1);
        }
        Location::new(self.file.clone(), self.first_line + line - 1, column)
    }

    /// The origin of a text that starts at the beginning of line `first_line` of `file`.
    pub fn new(file: Arc<str>, first_line: usize) -> Self {
        Origin {
            file,
            first_line,
            first_column: 1,
            file_text: None,
        }
    }
}

/// A parsed template. Text without `{%`/`{{` skips Liquid entirely.
#[derive(Debug)]
pub struct Template {
    text: Arc<str>,
    origin: Origin,
    compiled: Option<liquid_core::runtime::Template>,
    /// The runs of plain text the parser saw as placeholders ([`compress`]),
    /// as byte ranges of `text`; output is expanded with them.
    spans: Arc<[std::ops::Range<usize>]>,
    /// Whether it may read variables (see [`super::classes`]).
    reads_variables: bool,
}

impl Template {
    /// Whether rendering it may read variables, whose values depend on the
    /// version: then its output is not reused across versions.
    pub fn reads_variables(&self) -> bool {
        self.reads_variables
    }

    /// Whether it holds any Liquid (else it renders as its text, at once).
    pub fn has_liquid(&self) -> bool {
        self.compiled.is_some()
    }

    /// Where the template's text comes from.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// The template's text.
    pub fn source(&self) -> &str {
        &self.text
    }
}

/// A problem that did not stop rendering (a reference rendered empty, a data
/// file that fell back to English).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// What went wrong, in one line.
    pub message: String,
    /// Where, when known (`file:line:col`, or the file).
    pub location: Option<String>,
}

/// Per-render state, kept in the runtime's registers.
#[derive(Default)]
pub(crate) struct RenderState {
    pub ctx: Option<Arc<RenderCtx>>,
    /// The data references being rendered, outermost first (cycle detection).
    pub stack: Vec<String>,
    /// The innermost located error, when a tag failed.
    pub error: Option<Error>,
    pub warnings: Vec<Warning>,
    /// What the render has used of its limits.
    pub budget: std::rc::Rc<super::limits::Budget>,
}

/// The context of the render in progress.
pub(crate) fn ctx(rt: &dyn Runtime) -> liquid_core::Result<Arc<RenderCtx>> {
    rt.registers()
        .get_mut::<RenderState>()
        .ctx
        .clone()
        .ok_or_else(|| liquid_core::Error::with_msg("docgate tag rendered outside a docgate render"))
}

/// Records a located error (the innermost wins) and returns a Liquid error to
/// unwind the render.
pub(crate) fn fail(rt: &dyn Runtime, error: Error) -> liquid_core::Error {
    let msg = error.one_line();
    let mut st = rt.registers().get_mut::<RenderState>();
    if st.error.is_none() {
        st.error = Some(error);
    }
    liquid_core::Error::with_msg(msg)
}

pub(crate) fn warn(rt: &dyn Runtime, warning: Warning) {
    let mut st = rt.registers().get_mut::<RenderState>();
    if !st.warnings.contains(&warning) {
        st.warnings.push(warning);
    }
}

/// Where a tag sits in its source: its location and the line prefix that the
/// reference engine carries into multi-line output.
#[derive(Clone, Debug)]
pub struct TagSite {
    /// Where the tag starts.
    pub location: Location,
    /// Spaces between the start of the line and the tag, when only spaces (and
    /// the tag is not on the first line of its text): later lines of a
    /// multi-line value get them too.
    pub indent: usize,
    /// The line's blockquote prefix (`> `, `  >`), carried to later lines.
    pub blockquote: Option<String>,
}

/// An error at a tag's site (or without a location when the site is unknown).
pub(crate) fn site_error(site: Option<&TagSite>, message: impl Into<String>) -> Error {
    match site {
        Some(s) => Error::at(s.location.clone(), message),
        None => Error::input(message),
    }
}

struct ParseSite {
    text: Arc<str>,
    origin: Origin,
    /// When `text` is a [`compress`]ed template: the text as written, and
    /// where `text` is shorter (see [`Shifts`]).
    written: Option<(Arc<str>, Arc<Shifts>)>,
    /// Built on the first tag that asks for a location (over the text as written).
    lines: std::cell::OnceCell<LineIndex>,
}

/// How offsets of a compressed text map to the text as written: after each
/// placeholder (its end in the compressed text), how many bytes the written
/// text has more so far.
type Shifts = [(usize, usize)];

/// The offset in the text as written of `offset` of the compressed text.
fn written_offset(shifts: &Shifts, offset: usize) -> usize {
    let before = shifts.partition_point(|&(end, _)| end <= offset);
    offset + before.checked_sub(1).map_or(0, |i| shifts[i].1)
}

thread_local! {
    static PARSING: RefCell<Vec<ParseSite>> = const { RefCell::new(Vec::new()) };
}

/// The text inside a quoted tag argument (`"x"` or `'x'`), if it is quoted.
pub(crate) fn unquote(token: &str) -> Option<&str> {
    ['"', '\'']
        .into_iter()
        .find_map(|q| token.strip_prefix(q)?.strip_suffix(q))
}

/// The site of a tag whose token text is `token` (a slice of the text being
/// parsed on this thread). Tags call this from `parse`.
pub(crate) fn site_of(token: &str) -> Option<TagSite> {
    PARSING.with(|p| {
        let p = p.borrow();
        let site = p.last()?;
        let base = site.text.as_ptr() as usize;
        let ptr = token.as_ptr() as usize;
        if ptr < base || ptr > base + site.text.len() {
            return None;
        }
        let offset = ptr - base;
        let text = &*site.text;
        let tag_start = text[..offset].rfind("{%").unwrap_or(offset);
        let line_start = text[..tag_start].rfind('\n').map_or(0, |i| i + 1);
        let prefix = &text[line_start..tag_start];
        // The reference looks left over spaces for a newline: none on the first line.
        let indent = if line_start > 0 && !prefix.is_empty() && prefix.bytes().all(|b| b == b' ') {
            prefix.len()
        } else {
            0
        };
        let line = &text[line_start..];
        let blockquote = blockquote_prefix(line).map(str::to_string);
        // A tag's line is never inside a placeholder: its indentation and
        // quoting read the same; its location is in the text as written.
        let (written, at) = match &site.written {
            Some((written, shifts)) => (&**written, written_offset(shifts, tag_start)),
            None => (text, tag_start),
        };
        Some(TagSite {
            location: site
                .origin
                .location_in(site.lines.get_or_init(|| LineIndex::new(written)), written, at),
            indent,
            blockquote,
        })
    })
}

/// `^[ \t]*>[ \t]?` at the start of `line`.
fn blockquote_prefix(line: &str) -> Option<&str> {
    let ws = line.len() - line.trim_start_matches([' ', '\t']).len();
    let rest = &line[ws..];
    let after = rest.strip_prefix('>')?;
    let extra = usize::from(after.starts_with([' ', '\t']));
    Some(&line[..ws + 1 + extra])
}

/// How a data value is laid out at its call site before it is rendered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Layout {
    /// `{% data %}`: trimmed; later lines get the tag's indentation (then the
    /// whole is trimmed again) and its line's blockquote prefix.
    #[default]
    Inline,
    /// A `{% data %}` tag after N spaces: later lines get the N spaces, then the whole is trimmed.
    Indented(usize),
    /// A `{% data %}` tag on a blockquote line: later lines not already quoted get this prefix.
    Quoted(String),
    /// `{% indented_data_reference … spaces=N %}`: every line gets N spaces.
    AllLines(usize),
}

impl Layout {
    /// The layout of a `data` tag at `site`.
    pub fn of(site: Option<&TagSite>) -> Layout {
        match site {
            Some(TagSite {
                blockquote: Some(q), ..
            }) => Layout::Quoted(q.clone()),
            Some(TagSite { indent, .. }) if *indent > 0 => Layout::Indented(*indent),
            _ => Layout::Inline,
        }
    }

    /// The reference engine's preparation of a data value before it is rendered.
    pub fn apply(&self, text: &str) -> String {
        match self {
            Layout::Inline => text.trim().to_string(),
            Layout::Indented(n) => {
                let pad = " ".repeat(*n);
                text.trim()
                    .split('\n')
                    .map(|l| format!("{pad}{l}"))
                    .collect::<Vec<_>>()
                    .join("\n")
                    .trim()
                    .to_string()
            }
            Layout::Quoted(start) => {
                let t = text.trim();
                if !t.contains('\n') {
                    return t.to_string();
                }
                t.split('\n')
                    .enumerate()
                    .map(|(i, l)| {
                        if i == 0 || blockquote_prefix(l).is_some() {
                            l.to_string()
                        } else {
                            format!("{start}{}", l.trim())
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            Layout::AllLines(n) => {
                let pad = " ".repeat(*n);
                text.split('\n')
                    .map(|l| format!("{pad}{l}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        }
    }
}

struct SiteGuard;

impl Drop for SiteGuard {
    fn drop(&mut self) {
        PARSING.with(|p| {
            p.borrow_mut().pop();
        });
    }
}

/// The deepest blocks (`if`, `ifversion`, `for`, …) may nest in one text. Real
/// pages nest a handful; the limit keeps the recursive parser and renderer far
/// from the end of any thread's stack.
pub const MAX_NESTING: usize = 100;

/// The Liquid language: standard tags and filters plus every plugin's.
pub struct LiquidEngine {
    language: Language,
    /// Whether plain text may be parsed as placeholders ([`compress`]): only
    /// with docgate's own block tags, which write their bodies' output as it
    /// is (a plugin's block could read or change it).
    compress: bool,
    /// The names of the block tags (`if`, `ifversion`, …), for the nesting check.
    blocks: std::collections::HashSet<String>,
}

/// Plain-text runs shorter than this are parsed as they are.
const MIN_SPAN: usize = 48;
/// What opens and closes a placeholder: NUL, which no file of a tree may
/// hold (it is refused when the file is read).
const MARK: char = '\0';

/// `text` with the inside of each long run of plain text (between tags, from
/// its first non-blank character to the end of its last whole line, blanks at
/// either end left out) replaced by a placeholder `NUL index NUL`, those
/// runs, and where offsets shift. A tag's line before it is kept, so its
/// indentation and quoting read the same, and whitespace control (`{%-`,
/// `-%}` trim blanks, which stay outside) works as on the text itself; tag
/// locations are mapped back to the text as written. `None`
/// when nothing is worth replacing, or the text holds NUL or `capture` (whose
/// text a filter could see).
fn compress(text: &str) -> Option<Compressed> {
    if text.contains(MARK) || text.contains("capture") {
        return None;
    }
    let mut out = String::with_capacity(text.len() / 2);
    let mut spans = Vec::new();
    let mut shifts = Vec::new();
    let mut extra = 0;
    let mut copied = 0;
    let mut run_start = 0;
    loop {
        let next = text[run_start..]
            .find('{')
            .map(|i| run_start + i)
            .and_then(|i| {
                // The next `{%` or `{{`.
                let mut i = i;
                loop {
                    match text.as_bytes().get(i + 1) {
                        Some(b'%' | b'{') => return Some(i),
                        _ => i += 1 + text[i + 1..].find('{')?,
                    }
                }
            })
            .unwrap_or(text.len());
        let run = &text[run_start..next];
        if let Some(last_newline) = run.rfind('\n') {
            let first = run.len() - run.trim_start().len();
            let end = run[..last_newline].trim_end().len();
            if first < end && end - first >= MIN_SPAN {
                let (a, b) = (run_start + first, run_start + end);
                out.push_str(&text[copied..a]);
                let start = out.len();
                out.push(MARK);
                out.push_str(&spans.len().to_string());
                out.push(MARK);
                extra += (b - a) - (out.len() - start);
                shifts.push((out.len(), extra));
                spans.push(a..b);
                copied = b;
            }
        }
        if next == text.len() {
            break;
        }
        let close = if text[next..].starts_with("{%") { "%}" } else { "}}" };
        match text[next + 2..].find(close) {
            Some(k) => run_start = next + 2 + k + 2,
            None => break,
        }
    }
    if spans.is_empty() {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(Compressed {
        text: out,
        spans,
        shifts,
    })
}

/// A template text with long plain-text runs as placeholders ([`compress`]).
struct Compressed {
    /// The text the parser reads.
    text: String,
    /// The runs, by placeholder index (byte ranges of the text as written).
    spans: Vec<std::ops::Range<usize>>,
    /// Where offsets of `text` are in the text as written.
    shifts: Vec<(usize, usize)>,
}

/// `out` with `template`'s placeholders replaced by its text; an error when
/// that makes the output larger than [`MAX_OUTPUT_BYTES`].
fn expand(out: String, template: &Template) -> Result<String, String> {
    if template.spans.is_empty() || !out.contains(MARK) {
        return Ok(out);
    }
    let mut full = String::with_capacity(out.len() * 2);
    let mut rest = out.as_str();
    while let Some(i) = rest.find(MARK) {
        full.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let span = after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|n| template.spans.get(n));
        match (span, after.find(MARK)) {
            (Some(span), Some(close)) => {
                full.push_str(&template.text[span.clone()]);
                rest = &after[close + 1..];
            }
            // Not one of ours (a NUL from a data value): kept as it is.
            _ => {
                full.push(MARK);
                rest = after;
            }
        }
        if full.len() > MAX_OUTPUT_BYTES {
            return Err(format!(
                "the rendered page is larger than {} MiB",
                MAX_OUTPUT_BYTES >> 20
            ));
        }
    }
    full.push_str(rest);
    Ok(full)
}

/// Where `text` nests blocks deeper than [`MAX_NESTING`]: the offset of the
/// opening tag that goes one too deep. Text inside `raw` and `comment` is not
/// counted, as Liquid does not parse it.
fn too_deep(text: &str, blocks: &std::collections::HashSet<String>) -> Option<usize> {
    let mut depth = 0usize;
    let mut verbatim: Option<&str> = None;
    for t in crate::scan::tags(text) {
        let name = t.name(text);
        if let Some(v) = verbatim {
            if name.strip_prefix("end") == Some(v) {
                verbatim = None;
            }
            continue;
        }
        if name == "raw" || name == "comment" {
            verbatim = Some(name);
        } else if blocks.contains(name) {
            depth += 1;
            if depth > MAX_NESTING {
                return Some(t.start);
            }
        } else if name.strip_prefix("end").is_some_and(|b| blocks.contains(b)) {
            depth = depth.saturating_sub(1);
        }
    }
    None
}

impl std::fmt::Debug for LiquidEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LiquidEngine")
    }
}

impl LiquidEngine {
    /// The Liquid language: the standard tags and filters plus those in `registry`.
    pub fn new(registry: LiquidRegistry) -> Self {
        use liquid_lib::stdlib;
        let mut lang = Language::default();
        macro_rules! tags { ($($t:expr),*) => { $( { let t = $t; lang.tags.register(liquid_core::parser::TagReflection::tag(&t).to_string(), Box::new(t)); } )* } }
        macro_rules! blocks { ($($b:expr),*) => { $( { let b = $b; lang.blocks.register(liquid_core::parser::BlockReflection::start_tag(&b).to_string(), Box::new(b)); } )* } }
        // Every filter's result is checked against the render's limits.
        macro_rules! filters { ($($f:expr),*) => { $( { let f = $f; lang.filters.register(liquid_core::parser::FilterReflection::name(&f).to_string(), Box::new(BoundedFilter(Box::new(f)))); } )* } }
        tags!(
            stdlib::AssignTag,
            stdlib::BreakTag,
            stdlib::ContinueTag,
            stdlib::CycleTag,
            stdlib::IncrementTag,
            stdlib::DecrementTag
        );
        blocks!(
            stdlib::RawBlock,
            stdlib::IfBlock,
            stdlib::UnlessBlock,
            stdlib::IfChangedBlock,
            stdlib::CommentBlock,
            CaptureBlock,
            stdlib::CaseBlock
        );
        filters!(
            stdlib::Abs,
            stdlib::Append,
            stdlib::AtLeast,
            stdlib::AtMost,
            stdlib::Capitalize,
            stdlib::Ceil,
            stdlib::Compact,
            stdlib::Concat,
            stdlib::Date,
            stdlib::Default,
            stdlib::DividedBy,
            stdlib::Downcase,
            stdlib::Escape,
            stdlib::EscapeOnce,
            stdlib::First,
            stdlib::Floor,
            stdlib::Join,
            stdlib::Last,
            stdlib::Lstrip,
            stdlib::Map,
            stdlib::Minus,
            stdlib::Modulo,
            stdlib::NewlineToBr,
            stdlib::Plus,
            stdlib::Prepend,
            stdlib::Remove,
            stdlib::RemoveFirst,
            stdlib::Replace,
            stdlib::ReplaceFirst,
            stdlib::Reverse,
            stdlib::Round,
            stdlib::Rstrip,
            stdlib::Size,
            stdlib::Slice,
            stdlib::Sort,
            stdlib::SortNatural,
            stdlib::Split,
            stdlib::Strip,
            stdlib::StripHtml,
            stdlib::StripNewlines,
            stdlib::Times,
            stdlib::Truncate,
            stdlib::TruncateWords,
            stdlib::Uniq,
            stdlib::Upcase,
            stdlib::UrlDecode,
            stdlib::UrlEncode,
            stdlib::Where
        );
        // Loops are sized before they run (see `limits`).
        for b in [
            BoundedLoop(Box::new(stdlib::ForBlock)),
            BoundedLoop(Box::new(stdlib::TableRowBlock)),
        ] {
            lang.blocks
                .register(ParseBlock::reflection(&b).start_tag().to_string(), Box::new(b));
        }

        let mut builtin = LiquidRegistry::default();
        super::plugin::register_builtin(&mut builtin);
        let names = |r: &LiquidRegistry| {
            let mut n: Vec<String> = r
                .blocks
                .iter()
                .map(|b| b.reflection().start_tag().to_string())
                .collect();
            n.sort();
            n
        };
        let compress = names(&registry) == names(&builtin);
        for t in registry.tags {
            let name = t.reflection().tag().to_string();
            lang.tags.register(name, t);
        }
        for b in registry.blocks {
            let name = b.reflection().start_tag().to_string();
            lang.blocks.register(name, b);
        }
        for f in registry.filters {
            let name = f.reflection().name().to_string();
            lang.filters.register(name, Box::new(BoundedFilter(f)));
        }
        let blocks = lang.blocks.plugin_names().map(str::to_string).collect();
        LiquidEngine {
            language: lang,
            compress,
            blocks,
        }
    }

    /// Parses `text`. Errors are located in `origin`.
    pub fn parse(&self, text: Arc<str>, origin: Origin) -> Result<Template, Error> {
        if !text.contains("{%") && !text.contains("{{") {
            return Ok(Template {
                text,
                origin,
                compiled: None,
                spans: Arc::new([]),
                reads_variables: false,
            });
        }
        let text: Arc<str> = match super::legacy::rewrite(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(rewritten) => rewritten.into(),
        };
        let text: Arc<str> = match super::legacy::quote_data_paths(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(quoted) => quoted.into(),
        };
        if let Some(at) = too_deep(&text, &self.blocks) {
            return Err(Error::at(
                origin.location(&text, at),
                format!("blocks nest deeper than {MAX_NESTING} levels here"),
            )
            .with_help("close some `if`/`ifversion`/`for` blocks first; real pages nest only a few levels"));
        }
        // The parser walks plain text a character at a time: long runs of it are
        // parsed as short placeholders and put back in the output. A template
        // that fails that way is parsed again as written, for the exact error.
        let reads_variables = super::classes::reads_variables(&text);
        if self.compress
            && let Some(short) = compress(&text)
            && let Some(Ok(elements)) =
                self.parse_text(short.text.into(), &origin, Some((text.clone(), short.shifts.into())))
        {
            return Ok(Template {
                text,
                origin,
                compiled: Some(liquid_core::runtime::Template::new(elements)),
                spans: short.spans.into(),
                reads_variables,
            });
        }
        let parsed = self.parse_text(text.clone(), &origin, None);
        match parsed {
            Some(Ok(elements)) => Ok(Template {
                text,
                origin,
                compiled: Some(liquid_core::runtime::Template::new(elements)),
                spans: Arc::new([]),
                reads_variables,
            }),
            Some(Err(e)) => Err(parse_error(&e, &text, &origin)),
            None => {
                let at = first_broken_tag(&text).unwrap_or(0);
                Err(Error::at(
                    origin.location(&text, at),
                    "Liquid syntax error: a tag here cannot be parsed (an unclosed `{%` inside another tag?)",
                ))
            }
        }
    }

    /// liquid-core's parse of `text`, with tag sites located in it; `None`
    /// when the parser panicked.
    fn parse_text(
        &self,
        text: Arc<str>,
        origin: &Origin,
        written: Option<(Arc<str>, Arc<Shifts>)>,
    ) -> Option<liquid_core::Result<Vec<Box<dyn liquid_core::runtime::Renderable>>>> {
        PARSING.with(|p| {
            p.borrow_mut().push(ParseSite {
                text: text.clone(),
                origin: origin.clone(),
                written,
                lines: std::cell::OnceCell::new(),
            })
        });
        let guard = SiteGuard;
        // liquid-core 0.26 panics on some invalid tags after multi-byte text
        // (its error path re-slices the line by characters as bytes): that is
        // a parse error of the text, not a crash of docgate.
        let parsed = quietly(|| liquid_core::parser::parse(&text, &self.language));
        drop(guard);
        parsed
    }

    /// Renders a top-level template with `globals` for the version and language in
    /// `ctx`. Returns the output and the warnings.
    pub(crate) fn render(
        &self,
        template: &Template,
        globals: &Object,
        ctx: Arc<RenderCtx>,
    ) -> Result<(String, Vec<Warning>), Error> {
        if template.reads_variables {
            super::classes::opaque();
        }
        let Some(compiled) = &template.compiled else {
            return Ok((template.text.to_string(), Vec::new()));
        };
        let globals = super::context::Globals(globals);
        let rt = RuntimeBuilder::new().set_globals(&globals).build();
        rt.registers().get_mut::<RenderState>().ctx = Some(ctx);
        let mut out = Vec::with_capacity(template.text.len() + 256);
        let budget = super::limits::budget(&rt);
        let mut w = BudgetWriter::new(&mut out, budget.clone(), MAX_OUTPUT_BYTES, "the rendered page");
        let result = quietly(|| compiled.render_to(&mut w, &rt)).unwrap_or_else(|| Err(crashed()));
        let state = std::mem::take(&mut *rt.registers().get_mut::<RenderState>());
        match result {
            Ok(()) => {
                let s = String::from_utf8(out).map_err(|_| Error::input("Liquid produced invalid UTF-8"))?;
                let s = expand(s, template).map_err(|limit| {
                    Error::at(template.origin.location(&template.text, 0), limit).with_help(
                        "docgate limits what one page may compute (see SECURITY.md); real pages stay far below",
                    )
                })?;
                // The reference's post-processing: three newlines become two (one pass).
                let s = if s.contains("\n\n\n") {
                    s.replace("\n\n\n", "\n\n")
                } else {
                    s
                };
                Ok((s, state.warnings))
            }
            Err(e) => Err(state
                .error
                .unwrap_or_else(|| render_error(&e, template, budget.exceeded()))),
        }
    }

    /// Renders a nested template (a reusable or variable) inside the current render.
    pub(crate) fn render_nested(&self, template: &Template, rt: &dyn Runtime) -> liquid_core::Result<String> {
        if template.reads_variables {
            super::classes::opaque();
        }
        let Some(compiled) = &template.compiled else {
            return Ok(template.text.to_string());
        };
        let mut out = Vec::with_capacity(template.text.len() + 64);
        let budget = super::limits::budget(rt);
        let mut w = BudgetWriter::new(&mut out, budget.clone(), MAX_OUTPUT_BYTES, "a data value");
        let result = quietly(|| compiled.render_to(&mut w, rt)).unwrap_or_else(|| Err(crashed()));
        if let Err(e) = result {
            let located = render_error(&e, template, budget.exceeded());
            return Err(fail(rt, located));
        }
        let out = String::from_utf8(out).map_err(|_| liquid_core::Error::with_msg("invalid UTF-8"))?;
        expand(out, template).map_err(|limit| {
            let located = Error::at(template.origin.location(&template.text, 0), limit);
            fail(rt, located)
        })
    }
}

thread_local! {
    /// Set while a third-party call runs under [`quietly`].
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f`, turning a panic inside it into `None` without the panic message
/// on stderr (the panic hook stays quiet on this thread meanwhile).
fn quietly<T>(f: impl FnOnce() -> T) -> Option<T> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.ok()
}

/// The error for a panic inside the Liquid library while rendering.
fn crashed() -> liquid_core::Error {
    liquid_core::Error::with_msg("a tag or filter failed on this input (a bug in the Liquid library)")
}

/// The first `{%` that another `{%` follows before its `%}`, else the first tag.
fn first_broken_tag(text: &str) -> Option<usize> {
    let mut search = 0;
    while let Some(i) = text[search..].find("{%") {
        let start = search + i;
        let rest = &text[start + 2..];
        match (rest.find("{%"), rest.find("%}")) {
            (Some(open), Some(close)) if open < close => return Some(start),
            (Some(_), None) | (None, None) => return Some(start),
            _ => search = start + 2,
        }
    }
    text.find("{%")
}

/// Maps a Liquid parse error (pest's `--> L:C` report) to a located error.
fn parse_error(e: &liquid_core::Error, text: &str, origin: &Origin) -> Error {
    let full = e.to_string();
    let (line, col) = pest_position(&full).unwrap_or((1, 1));
    let message = pest_message(&full);
    let offset = crate::error::offset_of(text, line, col);
    let (message, offset) = describe_parse_error(&message, text, offset);
    let location = origin.location(text, offset);
    let mut err = Error::at(location, message);
    if let Some(t) = &origin.file_text {
        err = err.with_source_text(t.clone());
    }
    err
}

fn pest_position(s: &str) -> Option<(usize, usize)> {
    let i = s.find("--> ")?;
    let rest = &s[i + 4..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':'))
        .unwrap_or(rest.len());
    let (l, c) = rest[..end].split_once(':')?;
    Some((l.parse().ok()?, c.parse().ok()?))
}

fn pest_message(s: &str) -> String {
    let msg = s
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("= "))
        .unwrap_or_else(|| s.lines().next().unwrap_or(s));
    let requested = s
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("requested="))
        .map(|r| format!(" `{r}`"))
        .unwrap_or_default();
    format!("{}{requested}", msg.trim_end_matches('.'))
}

/// The `{% … %}` tag around byte `offset`, if any: (start, text).
fn enclosing_tag(text: &str, offset: usize) -> Option<(usize, &str)> {
    let offset = crate::error::floor_char_boundary(text, offset.min(text.len()));
    let start = text[..crate::error::floor_char_boundary(text, (offset + 2).min(text.len()))].rfind("{%")?;
    let end = text[start..].find("%}").map_or(text.len(), |e| start + e + 2);
    (end >= offset).then(|| (start, &text[start..end]))
}

/// The first block opener in `text` that is never closed by `end_tag`.
fn unclosed_opener(text: &str, end_tag: &str) -> Option<usize> {
    let mut stack: Vec<usize> = Vec::new();
    for t in crate::scan::tags(text) {
        let name = t.name(text);
        let opens = match end_tag {
            "endif" => matches!(name, "if" | "ifversion"),
            other => other.strip_prefix("end") == Some(name),
        };
        if opens {
            stack.push(t.start);
        } else if name == end_tag {
            stack.pop();
        }
    }
    stack.first().copied()
}

/// Turns pest's grammar-speak into something a docs writer can act on; returns
/// the message and, when a better place is known, its offset.
fn describe_parse_error(message: &str, text: &str, offset: usize) -> (String, usize) {
    if let Some(rest) = message.strip_prefix("Unclosed block. {% ") {
        let end_tag = rest.split_whitespace().next().unwrap_or("endif");
        if let Some(open) = unclosed_opener(text, end_tag) {
            let tag = enclosing_tag(text, open).map_or("", |(_, t)| t);
            return (
                format!("`{tag}` is never closed: add `{{% {end_tag} %}}` where its content ends"),
                open,
            );
        }
        return (
            format!("a Liquid block is never closed: `{{% {end_tag} %}}` expected"),
            offset,
        );
    }
    let Some((start, tag)) = enclosing_tag(text, offset) else {
        return (format!("Liquid syntax error: {message}"), offset);
    };
    let body = tag
        .trim_start_matches("{%")
        .trim_start_matches('-')
        .trim_end_matches("%}")
        .trim_end_matches('-')
        .trim();
    let name = body.split_whitespace().next().unwrap_or("");
    let args = body[name.len()..].trim();
    // The `data` tag's own messages say what is wrong; a grammar error
    // (`expected …`) gets the general explanation.
    if name == "data" && !message.starts_with("expected ") {
        return (message.to_string(), offset);
    }
    if name == "data" {
        return (
            format!(
                "invalid data reference `{args}`: a data path is a dotted name such as \
                 `variables.product.prodname_ghe_server` or `reusables.enterprise-accounts.access-enterprise`"
            ),
            offset,
        );
    }
    if !name.is_empty() && !name.is_ascii() {
        return (
            format!("`{name}` in `{tag}` is not a Liquid tag name (a translated keyword?)"),
            start,
        );
    }
    (format!("Liquid syntax error in `{tag}`: {message}"), offset)
}

/// Locates a Liquid render error (which carries no position) at its template.
/// A Liquid render error, located at the innermost tag of its trace when that
/// tag is found in the source (else at the template's start); `limit` is the
/// message of a resource limit that stopped the render.
fn render_error(e: &liquid_core::Error, template: &Template, limit: Option<String>) -> Error {
    let msg = e.to_string();
    // Liquid prints the tag in its own spacing (`append : s`): compare without whitespace.
    let squeeze = |t: &str| {
        t.chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
    };
    let offset = msg
        .lines()
        .filter_map(|l| l.trim().strip_prefix("from: "))
        .find_map(|trace| {
            let wanted = squeeze(trace);
            crate::scan::tags(&template.text)
                .into_iter()
                .find(|t| squeeze(&template.text[t.start..t.end]) == wanted)
                .map(|t| t.start)
        });
    let location = match offset {
        Some(at) => template.origin.location(&template.text, at),
        None => Location::new(template.origin.file.clone(), template.origin.first_line, 1),
    };
    if let Some(limit) = limit {
        return Error::at(location, limit)
            .with_help("docgate limits what one page may compute (see SECURITY.md); real pages stay far below");
    }
    let first = msg.lines().next().unwrap_or(&msg).trim();
    let mut detail = msg
        .lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.is_empty() && *l != "with:" && !l.starts_with("from:"))
        .collect::<Vec<_>>()
        .join(", ");
    if !detail.is_empty() {
        detail = format!(" ({detail})");
    }
    Error::at(
        location,
        format!("Liquid render error: {}{detail}", first.trim_start_matches("liquid: ")),
    )
}
