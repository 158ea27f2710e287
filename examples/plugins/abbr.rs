//! An example docgate plugin in Rust (`docs/plugins.md`): `{% abbr GHES %}`
//! spells out an abbreviation, `:ghes:` in Markdown becomes the product's name,
//! a check warns about `TODO` left in pages, and `docgate abbr` lists the
//! abbreviations. Built by cargo as `target/debug/examples/docgate-abbr`:
//!
//! ```toml
//! [plugins.abbr]
//! command = "/path/to/docgate-abbr"
//! ```

use std::io::Read;

use serde_json::{Value, json};

const ABBREVIATIONS: &[(&str, &str)] = &[
    ("GHES", "GitHub Enterprise Server"),
    ("GHEC", "GitHub Enterprise Cloud"),
    ("PAT", "personal access token"),
];

fn main() {
    let hook = std::env::args().nth(1).unwrap_or_default();
    if hook == "command" {
        for (short, long) in ABBREVIATIONS {
            println!("{short}\t{long}");
        }
        return;
    }
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).expect("stdin");
    let request: Value = serde_json::from_str(&input).expect("a JSON request");
    let reply = match hook.as_str() {
        "supports" => json!({"protocol": 1, "hooks": ["preprocess", "tag", "check"], "tags": ["abbr"]}),
        "tag" => {
            let args = request["args"].as_str().unwrap_or("").trim();
            match ABBREVIATIONS.iter().find(|(s, _)| *s == args) {
                Some((short, long)) => json!({"text": format!("{long} ({short})")}),
                None => json!({"error": format!("unknown abbreviation `{args}`")}),
            }
        }
        "preprocess" => {
            let md = request["markdown"].as_str().unwrap_or("");
            json!({"markdown": md.replace(":ghes:", "GitHub Enterprise Server")})
        }
        "check" => {
            let mut findings = Vec::new();
            for page in request["pages"].as_array().into_iter().flatten() {
                let file = page["file"].as_str().unwrap_or("");
                let Ok(text) = std::fs::read_to_string(file) else {
                    continue;
                };
                for (i, line) in text.lines().enumerate() {
                    if let Some(col) = line.find("TODO") {
                        findings.push(json!({
                            "rule": "todo", "severity": "warning", "file": file,
                            "line": i + 1, "column": col + 1, "message": "a TODO is left in the page",
                        }));
                    }
                }
            }
            json!({"findings": findings})
        }
        other => {
            eprintln!("docgate-abbr: unknown hook `{other}`");
            std::process::exit(2);
        }
    };
    println!("{reply}");
}
