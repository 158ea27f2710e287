//! YAML with serde-saphyr (pure Rust, located errors, budgets against YAML bombs).
//! `serde_yaml` is archived (RUSTSEC-2024-0320) and not used.

use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::error::{Error, Location};

/// Deserializes `text`, which starts at line `first_line` of `file`; errors carry
/// `file:line:col`.
pub fn from_str<T: DeserializeOwned>(text: &str, file: &Arc<str>, first_line: usize) -> Result<T, Error> {
    serde_saphyr::from_str::<T>(text).map_err(|e| {
        let location = e.location().map(|l| {
            Location::new(
                file.clone(),
                first_line + (l.line() as usize).saturating_sub(1),
                l.column() as usize,
            )
        });
        let message = format!("invalid YAML: {}", first_line_of(&e.to_string()));
        Error::Input {
            message,
            location,
            help: None,
            source_text: None,
        }
    })
}

/// serde-saphyr's message is `error: line L column C: msg` plus a snippet; keep `msg`.
fn first_line_of(msg: &str) -> String {
    let first = msg.lines().next().unwrap_or(msg);
    let first = first.strip_prefix("error: ").unwrap_or(first);
    match first.split_once(": ") {
        Some((prefix, rest)) if prefix.starts_with("line ") => rest.to_string(),
        _ => first.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn errors_are_located_relative_to_the_file() {
        let file: Arc<str> = "content/a.md".into();
        let err = from_str::<BTreeMap<String, String>>("a: b\nc: [x\n", &file, 2).unwrap_err();
        let loc = err.location().unwrap();
        assert_eq!((loc.line, loc.column), (3, 4));
        assert!(err.message().starts_with("invalid YAML: "), "{}", err.message());
    }
}
