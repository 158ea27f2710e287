//! The module graph has a direction: each top-level module of `src/` uses only
//! modules below it in [`LAYERS`], so there are no cycles. Read from the
//! sources (`crate::x` paths outside comments and tests), as a reviewer would.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Bottom to top. A module may use the ones before it.
const LAYERS: &[&str] = &[
    "escape",
    "error",
    "yaml",
    "scan",
    "cache",
    "files",
    "output",
    "progress", // primitives
    "versions",
    "languages",
    "permalink",
    "findings",  // the domain's vocabulary
    "corpus",    // the docs tree
    "config",    // its docgate.toml
    "redirects", // the redirect map built from it
    "render",    // Liquid, Markdown and the output formats
    "check",     // what `docgate check` runs
    "external",  // external plugins: their process and protocol
    "links",
    "lint",
    "sync",
    "emulator", // the checks and the license-sync runner
    "site",     // the static build
    "plugins",  // the composition root: the built-in plugins
    "cli",      // the command line
];

/// The top-level modules of `src/`, and every `crate::<module>` each names (with
/// a file as evidence).
fn uses() -> (BTreeSet<String>, BTreeMap<String, BTreeMap<String, String>>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let path = regex::Regex::new(r"crate::([a-z_]+)").unwrap();
    let group = regex::Regex::new(r"crate::\{([^}]*)\}").unwrap();
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut modules = BTreeSet::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let file = entry.path();
        if file.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = file.strip_prefix(&src).unwrap();
        let module = rel.components().next().unwrap().as_os_str().to_string_lossy();
        let module = module.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        modules.insert(module.clone());
        let text = std::fs::read_to_string(file).unwrap();
        // Unit tests may reach anywhere; comments may point anywhere.
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap()
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let mut named: Vec<String> = path.captures_iter(&code).map(|c| c[1].to_string()).collect();
        for g in group.captures_iter(&code) {
            named.extend(g[1].split(',').filter_map(|p| {
                let first = p.trim().split("::").next()?.trim();
                (!first.is_empty()).then(|| first.to_string())
            }));
        }
        for n in named.into_iter().filter(|n| *n != module) {
            out.entry(module.clone())
                .or_default()
                .entry(n)
                .or_insert_with(|| rel.display().to_string());
        }
    }
    (modules, out)
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let (modules, uses) = uses();
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m);
    let mut wrong = Vec::new();
    for (module, used) in &uses {
        let Some(mine) = rank(module) else { continue };
        for (other, file) in used {
            match rank(other) {
                Some(theirs) if theirs < mine => {}
                Some(_) => wrong.push(format!("{module} → {other} goes up ({file})")),
                None if modules.contains(other) => wrong.push(format!("`{other}` is not in LAYERS")),
                None => {} // not a module of ours (a re-export or macro path)
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the module graph must point down:\n{}",
        wrong.join("\n")
    );
    // Every module has its layer, and the layers name real modules only.
    for m in &modules {
        assert!(rank(m).is_some(), "`{m}` is not in LAYERS: place it");
    }
    for l in LAYERS {
        assert!(modules.contains(*l), "LAYERS names `{l}`, which src/ does not have");
    }
}
