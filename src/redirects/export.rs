//! Exports of the redirect map: JSON, nginx rewrite rules, and meta-refresh
//! HTML stubs for a static host.

use std::path::Path;

use super::RedirectMap;
use crate::error::Error;
use crate::languages::Lang;
use crate::render::markdown::escape_html;

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

/// Writes the map. JSON and nginx go to the returned string; HTML writes one
/// stub per key and language under `out` and returns a summary.
pub fn export(map: &RedirectMap, format: ExportFormat, out: Option<&Path>, langs: &[Lang]) -> Result<String, Error> {
    match format {
        ExportFormat::Json => {
            let obj: serde_json::Map<String, serde_json::Value> = map
                .entries()
                .map(|(k, r)| (k.to_string(), serde_json::Value::String(r.target.clone())))
                .collect();
            let mut s = serde_json::to_string_pretty(&obj).map_err(|e| Error::input(e.to_string()))?;
            s.push('\n');
            Ok(s)
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
            let mut n = 0;
            for (k, r) in map.entries() {
                for (i, lang) in langs.iter().enumerate() {
                    let target = format!("/{}{}", lang.code(), r.target);
                    let mut dirs = vec![out.join(format!("{}{k}", lang.code()).trim_start_matches('/'))];
                    if i == 0 {
                        // The default language also answers the path without a prefix.
                        dirs.push(out.join(k.trim_start_matches('/')));
                    }
                    for dir in dirs {
                        std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display(), e))?;
                        let t = escape_html(&target);
                        let html = format!(
                            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Redirecting…</title>\
                             <link rel=\"canonical\" href=\"{t}\"><meta http-equiv=\"refresh\" content=\"0; url={t}\">\
                             </head><body><a href=\"{t}\">{t}</a></body></html>\n"
                        );
                        let file = dir.join("index.html");
                        std::fs::write(&file, html).map_err(|e| Error::io(file.display(), e))?;
                        n += 1;
                    }
                }
            }
            Ok(format!("wrote {n} redirect pages into {}\n", out.display()))
        }
    }
}
