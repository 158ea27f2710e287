//! Exports of the redirect map: JSON, nginx rewrite rules, and meta-refresh
//! HTML stubs for a static host.

use std::path::Path;

use super::{RedirectMap, unsafe_path};
use crate::error::Error;
use crate::languages::Lang;

/// What `docgate redirects export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// `{ "old": "new", … }` (no language prefixes).
    Json,
    /// nginx `rewrite` rules, with an optional language prefix kept.
    Nginx,
    /// `DIR/<old>/index.html` files that refresh to `/<lang><new>`.
    Html,
}

fn escape_regex(s: &str) -> String {
    regex::escape(s)
}

/// Refuses a map with a key or target that is not a safe path (see
/// [`unsafe_path`]): in an nginx rule it could add directives, as a folder of
/// stubs it could write outside `--out`. `docgate check redirects` reports them
/// too; the export does not rely on it having run.
fn refuse_unsafe(map: &RedirectMap) -> Result<(), Error> {
    // One line per entry that causes it (a redirect_from gives a key per version).
    let mut seen = std::collections::HashSet::new();
    let bad: Vec<String> = map
        .entries()
        .filter_map(|(k, r)| {
            let why = unsafe_path(k).or_else(|| unsafe_path(&r.target))?;
            seen.insert((r.file.clone(), r.line))
                .then(|| format!("  {}:{}: {why}", r.file, r.line))
        })
        .collect();
    if bad.is_empty() {
        return Ok(());
    }
    let shown: Vec<&str> = bad.iter().take(20).map(String::as_str).collect();
    Err(Error::input(format!(
        "refusing to export: {} redirect(s) are not safe paths\n{}{}",
        bad.len(),
        shown.join("\n"),
        if bad.len() > shown.len() { "\n  …" } else { "" }
    ))
    .with_help("fix or remove these redirect_from entries (`docgate check redirects` lists them), then export again"))
}

/// Writes the map. JSON and nginx go to the returned string; HTML writes one
/// stub per key and language under `out` and returns a summary. nginx and HTML
/// refuse a map with paths that are not safe ([`unsafe_path`]).
pub fn export(map: &RedirectMap, format: ExportFormat, out: Option<&Path>, langs: &[Lang]) -> Result<String, Error> {
    if format != ExportFormat::Json {
        refuse_unsafe(map)?;
    }
    match format {
        ExportFormat::Json => {
            let obj: serde_json::Map<String, serde_json::Value> = map
                .entries()
                .map(|(k, r)| (k.to_string(), serde_json::Value::String(r.target.clone())))
                .collect();
            crate::output::json_document(serde_json::json!({ "redirects": obj }))
        }
        ExportFormat::Nginx => {
            let codes: Vec<&str> = Lang::all().map(|l| l.code()).collect();
            let mut s = format!(
                "# docgate redirect map: {} redirects. Include inside a `server` block.\n",
                map.len()
            );
            for (k, r) in map.entries() {
                s.push_str(&format!(
                    "rewrite ^(/(?:{}))?{}$ $1{} permanent;\n",
                    codes.join("|"),
                    escape_regex(k),
                    r.target
                ));
            }
            Ok(s)
        }
        ExportFormat::Html => {
            let out = out.ok_or_else(|| Error::usage("--format html writes files: give --out DIR"))?;
            let out_dir = crate::files::OutputDir::open(out)?;
            let mut n = 0;
            for (k, r) in map.entries() {
                for (i, lang) in langs.iter().enumerate() {
                    let target = format!("/{}{}", lang.code(), r.target);
                    let key = k.trim_matches('/');
                    let mut dirs = vec![format!("{}/{key}", lang.code())];
                    if i == 0 && !key.is_empty() {
                        // The default language also answers the path without a prefix.
                        dirs.push(key.to_string());
                    }
                    for dir in dirs {
                        let t = crate::escape::html(&target);
                        let html = format!(
                            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Redirecting…</title>\
                             <link rel=\"canonical\" href=\"{t}\"><meta http-equiv=\"refresh\" content=\"0; url={t}\">\
                             </head><body><a href=\"{t}\">{t}</a></body></html>\n"
                        );
                        out_dir.write(&format!("{}/index.html", dir.trim_end_matches('/')), html.as_bytes())?;
                        n += 1;
                    }
                }
            }
            Ok(format!("wrote {n} redirect pages into {}\n", out.display()))
        }
    }
}
