//! Errors and their user-facing diagnostics.
//!
//! Every error a user can cause carries what went wrong, where (`file:line:col`
//! when there is a file), and what to do next. `main` prints them with miette and
//! maps them to exit codes: 2 for bad input or usage, 3 for network/sync failures.

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, SourceCode};

/// A position in a source file: 1-based line, 1-based column counted in characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file, as shown in messages.
    pub file: Arc<str>,
    /// The line (1-based).
    pub line: usize,
    /// The column in characters (1-based).
    pub column: usize,
}

impl Location {
    /// The location `line`:`column` of `file`.
    pub fn new(file: impl Into<Arc<str>>, line: usize, column: usize) -> Self {
        Location {
            file: file.into(),
            line,
            column,
        }
    }

    /// The location of byte `offset` in `text`, where `text` starts at line
    /// `first_line` of `file`.
    pub fn at_offset(file: Arc<str>, text: &str, offset: usize, first_line: usize) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Location {
            file,
            line: first_line + line,
            column: text[line_start..offset].chars().count() + 1,
        }
    }
}

/// Offsets to lines and columns in O(log n): the starts of a text's lines,
/// found once. Tags are located in order, so the column count continues from
/// the last answer on the same line; a text with a tag on every line, or many
/// tags on one long line, costs linear time in all, not quadratic.
///
/// ```
/// use docgate::error::LineIndex;
/// let text = "a\n데이터 {% x %}\n";
/// let index = LineIndex::new(text);
/// assert_eq!(index.line_col(text, text.find("{%").unwrap()), (2, 5));
/// ```
#[derive(Debug, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// The last answer: (line index, byte offset, column).
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl LineIndex {
    /// The index of `text`'s lines.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(line_starts_after_newlines(text));
        LineIndex {
            starts,
            last: std::cell::Cell::new((0, 0, 1)),
        }
    }

    /// The 1-based line and 1-based character column of byte `offset` of `text`
    /// (the text the index was built from).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let (last_line, last_off, last_col) = self.last.get();
        let col = if last_line == line && last_off <= offset {
            last_col + text[last_off..offset].chars().count()
        } else {
            text[self.starts[line]..offset].chars().count() + 1
        };
        self.last.set((line, offset, col));
        (line + 1, col)
    }
}

fn line_starts_after_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i + 1)
}

/// The largest char boundary of `s` at or before `i`.
pub(crate) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Everything docgate reports to a user as a failure. Displayed, a message has
/// its control characters escaped and tokens redacted: it may quote a tree or a
/// server ([`crate::escape`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad content or data: malformed frontmatter, Liquid errors, unknown references.
    #[error("{}", crate::escape::untrusted(message))]
    Input {
        /// What went wrong.
        message: String,
        /// Where, when there is a file.
        location: Option<Location>,
        /// What the user can do next.
        help: Option<String>,
        /// The whole text of `location.file`, for the snippet under the message.
        source_text: Option<Arc<str>>,
    },
    /// A bad command-line argument: unknown version, page or language.
    #[error("{}", crate::escape::untrusted(message))]
    Usage {
        /// What is wrong with the argument.
        message: String,
        /// What the user can do next.
        help: Option<String>,
    },
    /// A network or remote-service failure (HTTP errors, timeouts, bad responses).
    #[error("{}", crate::escape::untrusted(message))]
    Network {
        /// What failed.
        message: String,
        /// What the user can do next.
        help: Option<String>,
    },
    /// A file that could not be read or written. The OS error is part of the
    /// message, not a separate cause, so the report says it once.
    #[error("{}: {cause}", crate::escape::untrusted_line(path))]
    Io {
        /// What was read or written: usually a file's path.
        path: String,
        /// The OS error.
        cause: std::io::Error,
    },
}

impl Clone for Error {
    fn clone(&self) -> Self {
        match self {
            Error::Input {
                message,
                location,
                help,
                source_text,
            } => Error::Input {
                message: message.clone(),
                location: location.clone(),
                help: help.clone(),
                source_text: source_text.clone(),
            },
            Error::Usage { message, help } => Error::Usage {
                message: message.clone(),
                help: help.clone(),
            },
            Error::Network { message, help } => Error::Network {
                message: message.clone(),
                help: help.clone(),
            },
            Error::Io { path, cause } => Error::Io {
                path: path.clone(),
                cause: std::io::Error::new(cause.kind(), cause.to_string()),
            },
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An input error without a location.
    pub fn input(message: impl Into<String>) -> Self {
        Error::Input {
            message: message.into(),
            location: None,
            help: None,
            source_text: None,
        }
    }

    /// An input error at `location`.
    pub fn at(location: Location, message: impl Into<String>) -> Self {
        Error::Input {
            message: message.into(),
            location: Some(location),
            help: None,
            source_text: None,
        }
    }

    /// A network or remote-service error.
    pub fn network(message: impl Into<String>) -> Self {
        Error::Network {
            message: message.into(),
            help: None,
        }
    }

    /// A usage error: a bad command-line argument.
    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            help: None,
        }
    }

    /// An error reading or writing `path` (usually a file).
    pub fn io(path: impl fmt::Display, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_string(),
            cause: source,
        }
    }

    /// Adds a hint that says what the user can do next.
    pub fn with_help(mut self, text: impl Into<String>) -> Self {
        match &mut self {
            Error::Input { help, .. } | Error::Usage { help, .. } | Error::Network { help, .. } => {
                *help = Some(text.into())
            }
            Error::Io { .. } => {}
        }
        self
    }

    /// Attaches the text of the located file so the report can show the line.
    /// Terminal controls in it are shown as `�`, one character for one, so
    /// columns stay right.
    pub fn with_source_text(mut self, text: Arc<str>) -> Self {
        if let Error::Input { source_text, .. } = &mut self {
            let clean = !text.chars().any(crate::escape::is_terminal_control);
            *source_text = Some(if clean { text } else { replace_controls(&text).into() });
        }
        self
    }

    /// The error's location, if it has one.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Input { location, .. } => location.as_ref(),
            _ => None,
        }
    }

    /// The message without location or help.
    pub fn message(&self) -> String {
        match self {
            Error::Input { message, .. } | Error::Usage { message, .. } | Error::Network { message, .. } => {
                message.clone()
            }
            other => other.to_string(),
        }
    }

    /// `file:line:col: message` on one line, for logs, JSON and fallback
    /// markers: control characters (newlines too) escaped, tokens redacted.
    pub fn one_line(&self) -> String {
        let line = match self.location() {
            Some(loc) => format!("{loc}: {}", self.message()),
            None => self.message(),
        };
        crate::escape::untrusted_line(&line)
    }

    /// The process exit code for this error (DESIGN.md "Conventions").
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Network { .. } => 3,
            _ => 2,
        }
    }
}

/// The longest line shown in an error's snippet: a longer one (minified HTML,
/// a generated file) is named by `file:line:col` only, which also keeps
/// miette's column arithmetic within its limits.
const MAX_SNIPPET_LINE: usize = 400;

impl Error {
    /// The text and location to show a snippet of, when there is a short enough line.
    fn snippet(&self) -> Option<(&Arc<str>, &Location)> {
        let Error::Input {
            source_text: Some(text),
            location: Some(loc),
            ..
        } = self
        else {
            return None;
        };
        let start = offset_of(text, loc.line, 1);
        let line = text[start..].split('\n').next().unwrap_or("");
        (loc.column <= MAX_SNIPPET_LINE && line.chars().nth(MAX_SNIPPET_LINE).is_none()).then_some((text, loc))
    }
}

impl Diagnostic for Error {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        match self {
            Error::Input { help, location, .. } => {
                // Without a snippet, miette would not print the location: say it here.
                let loc = match (location, self.snippet()) {
                    (Some(l), None) => Some(format!("at {l}")),
                    _ => None,
                };
                let text = [loc, help.clone()].into_iter().flatten().collect::<Vec<_>>().join("\n");
                let text = crate::escape::untrusted(&text);
                (!text.is_empty()).then(|| Box::new(text) as Box<dyn fmt::Display>)
            }
            Error::Usage { help, .. } | Error::Network { help, .. } => help
                .as_ref()
                .map(|h| Box::new(crate::escape::untrusted(h)) as Box<dyn fmt::Display>),
            Error::Io { .. } => None,
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.snippet().map(|_| self as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (text, loc) = self.snippet()?;
        let offset = offset_of(text, loc.line, loc.column);
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some("here".into()),
            offset,
            0,
        ))))
    }
}

/// Serves the located file's text to miette, named after the file so the report
/// header reads `file:line:col`.
impl SourceCode for Error {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> std::result::Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let Error::Input {
            source_text: Some(text),
            location: Some(loc),
            ..
        } = self
        else {
            return Err(miette::MietteError::OutOfBounds);
        };
        let inner = text
            .as_ref()
            .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            loc.file.to_string(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// `text` with each terminal control character (but newline and tab) as U+FFFD.
fn replace_controls(text: &str) -> String {
    text.chars()
        .map(|c| {
            if crate::escape::is_terminal_control(c) {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// The 1-based line of the first `needle` in `text` (0 when absent).
pub fn line_of(text: &str, needle: &str) -> usize {
    text.find(needle)
        .map_or(0, |i| Location::at_offset("".into(), text, i, 1).line)
}

/// Byte offset of a 1-based (line, character column) in `text`.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let rest = &text[start..];
    let end = rest.find('\n').unwrap_or(rest.len());
    start
        + rest[..end]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(end, |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_from_offset_counts_characters() {
        let text = "a\n데이터 {% x %}\n";
        let off = text.find("{%").unwrap();
        let loc = Location::at_offset("f.md".into(), text, off, 5);
        assert_eq!(loc.to_string(), "f.md:6:5");
        assert_eq!(offset_of(text, 2, 5), off);
    }

    #[test]
    fn one_line_has_the_location() {
        let e = Error::at(Location::new("a.md", 3, 7), "boom");
        assert_eq!(e.one_line(), "a.md:3:7: boom");
        assert_eq!(e.exit_code(), 2);
    }
}
