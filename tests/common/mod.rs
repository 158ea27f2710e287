//! Helpers shared by integration tests.

use std::path::{Path, PathBuf};

/// The bundled tree, copied to a folder we may edit.
pub fn bundled_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for top in ["content", "data", "translations", "assets"] {
        for entry in walkdir(root.join(top)) {
            let rel = entry.strip_prefix(root).unwrap();
            let dest = dir.path().join(rel);
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(&entry, dest).unwrap();
        }
    }
    dir
}

fn walkdir(dir: PathBuf) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walkdir(p));
        } else {
            out.push(p);
        }
    }
    out
}
