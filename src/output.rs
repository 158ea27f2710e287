//! What commands print for programs and terminals, shared by every command:
//! JSON documents with their `schema_version`, and colour styles.

use owo_colors::{OwoColorize, Style};

use crate::error::Error;

/// The version of the JSON shapes commands print (`schema_version`; see docs/json.md).
pub const SCHEMA_VERSION: u32 = 1;

/// A JSON document: `schema_version` first, then the body's keys (a body that is
/// not an object goes under `data`).
pub fn json_document(body: serde_json::Value) -> Result<String, Error> {
    let mut doc = serde_json::Map::new();
    doc.insert("schema_version".into(), SCHEMA_VERSION.into());
    match body {
        serde_json::Value::Object(m) => doc.extend(m),
        other => {
            doc.insert("data".into(), other);
        }
    }
    let mut s =
        serde_json::to_string_pretty(&serde_json::Value::Object(doc)).map_err(|e| Error::input(e.to_string()))?;
    s.push('\n');
    Ok(s)
}

/// Prints [`json_document`] on stdout.
pub fn print_json(body: serde_json::Value) -> Result<(), Error> {
    print!("{}", json_document(body)?);
    Ok(())
}

/// The styles of terminal tables and findings.
pub mod style {
    use owo_colors::Style;

    /// Errors: red and bold.
    pub fn error() -> Style {
        Style::new().red().bold()
    }
    /// Warnings: yellow and bold.
    pub fn warning() -> Style {
        Style::new().yellow().bold()
    }
    /// What is fine (a capability that is on): green.
    pub fn good() -> Style {
        Style::new().green()
    }
    /// Context and secondary text: dimmed.
    pub fn dim() -> Style {
        Style::new().dimmed()
    }
    /// Table headers and names: bold.
    pub fn header() -> Style {
        Style::new().bold()
    }
    /// Files and locations: cyan.
    pub fn location() -> Style {
        Style::new().cyan()
    }
}

/// `text` in `style` when `color` is on, else as it is.
pub fn paint(text: &str, style: Style, color: bool) -> String {
    if color {
        text.style(style).to_string()
    } else {
        text.to_string()
    }
}

/// [`paint`] for a table cell: padded to `width` columns first, so ANSI codes do not
/// count towards the width.
pub fn paint_cell(text: &str, width: usize, style: Style, color: bool) -> String {
    let pad = width.saturating_sub(unicode_width::UnicodeWidthStr::width(text));
    format!("{}{}", paint(text, style, color), " ".repeat(pad))
}
