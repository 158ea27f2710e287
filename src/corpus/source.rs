//! Where a tree's files come from: the content compiled into the binary, or a
//! directory on disk (`--root`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{Dir, include_dir};

use crate::error::{Error, Location};

static CONTENT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content");
static DATA: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/data");
static TRANSLATIONS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/translations");
static ASSETS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/assets");

/// A tree in the github/docs layout: `content/`, `data/`, `translations/<locale>/`,
/// `assets/`.
/// Paths are `/`-separated and relative to the tree root.
#[derive(Clone, Debug)]
pub enum Source {
    /// The bundled content, compiled into the binary.
    Embedded,
    /// A directory on disk.
    Disk(PathBuf),
}

impl Source {
    /// Opens a tree on disk; it must have a `content/` folder.
    pub fn disk(root: impl Into<PathBuf>) -> Result<Source, Error> {
        let root = root.into();
        if !root.join("content").is_dir() {
            return Err(Error::usage(format!(
                "{} is not a docs tree: it has no content/ folder",
                root.display()
            ))
            .with_help("--root takes a folder laid out like github/docs: content/, data/, translations/"));
        }
        Ok(Source::Disk(root))
    }

    /// The name of `rel` in messages: the path as given for a disk tree,
    /// `rel` itself for the bundled tree.
    pub fn display(&self, rel: &str) -> Arc<str> {
        match self {
            Source::Embedded => rel.into(),
            Source::Disk(root) => root.join(rel).display().to_string().into(),
        }
    }

    fn embedded(rel: &str) -> Option<(&'static Dir<'static>, &str)> {
        let (top, rest) = rel.split_once('/').unwrap_or((rel, ""));
        let dir = match top {
            "content" => &CONTENT,
            "data" => &DATA,
            "translations" => &TRANSLATIONS,
            "assets" => &ASSETS,
            _ => return None,
        };
        Some((dir, rest))
    }

    /// Reads a UTF-8 file; `Ok(None)` when it does not exist. Invalid UTF-8 is an
    /// error located at the first bad byte.
    pub fn read(&self, rel: &str) -> Result<Option<Arc<str>>, Error> {
        let bytes: Vec<u8> = match self {
            Source::Embedded => match Self::embedded(rel).and_then(|(d, rest)| d.get_file(rest)) {
                Some(f) => f.contents().to_vec(),
                None => return Ok(None),
            },
            Source::Disk(root) => match std::fs::read(root.join(rel)) {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                Err(e) if e.kind() == std::io::ErrorKind::IsADirectory => return Ok(None),
                Err(e) => return Err(Error::io(self.display(rel), e)),
            },
        };
        decode_utf8(bytes, self.display(rel)).map(Some)
    }

    /// Whether `rel` is a file.
    pub fn exists(&self, rel: &str) -> bool {
        match self {
            Source::Embedded => Self::embedded(rel).is_some_and(|(d, rest)| d.get_file(rest).is_some()),
            Source::Disk(root) => root.join(rel).is_file(),
        }
    }

    /// Every file under folder `dir` whose name ends with `suffix`, recursively,
    /// as sorted tree-relative paths.
    pub fn list(&self, dir: &str, suffix: &str) -> Result<Vec<String>, Error> {
        let mut out = Vec::new();
        match self {
            Source::Embedded => {
                let Some((top, rest)) = Self::embedded(dir) else {
                    return Ok(out);
                };
                let start = if rest.is_empty() { Some(top) } else { top.get_dir(rest) };
                let prefix = dir.split('/').next().unwrap_or(dir);
                if let Some(start) = start {
                    collect_embedded(start, prefix, suffix, &mut out);
                }
            }
            Source::Disk(root) => {
                let base = root.join(dir);
                if !base.is_dir() {
                    return Ok(out);
                }
                for entry in walkdir::WalkDir::new(&base).follow_links(true) {
                    let entry = entry.map_err(|e| {
                        let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| base.clone());
                        Error::io(path.display(), std::io::Error::other(e.to_string()))
                    })?;
                    if !entry.file_type().is_file() {
                        continue;
                    }
                    let Ok(rel) = entry.path().strip_prefix(root) else {
                        continue;
                    };
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    if rel.ends_with(suffix) {
                        out.push(rel);
                    }
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// Immediate subfolder names of `dir`, sorted.
    pub fn subdirs(&self, dir: &str) -> Vec<String> {
        let mut out: Vec<String> = match self {
            Source::Embedded => Self::embedded(dir)
                .and_then(|(top, rest)| if rest.is_empty() { Some(top) } else { top.get_dir(rest) })
                .map(|d| {
                    d.dirs()
                        .filter_map(|s| s.path().file_name().map(|n| n.to_string_lossy().into_owned()))
                        .collect()
                })
                .unwrap_or_default(),
            Source::Disk(root) => std::fs::read_dir(root.join(dir))
                .map(|rd| {
                    rd.filter_map(|e| e.ok())
                        .filter(|e| e.path().is_dir())
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default(),
        };
        out.sort();
        out
    }
}

fn collect_embedded(dir: &'static Dir<'static>, prefix: &str, suffix: &str, out: &mut Vec<String>) {
    for f in dir.files() {
        let p = format!("{prefix}/{}", f.path().to_string_lossy().replace('\\', "/"));
        if p.ends_with(suffix) {
            out.push(p);
        }
    }
    for d in dir.dirs() {
        collect_embedded(d, prefix, suffix, out);
    }
}

/// Decodes UTF-8 (dropping a BOM, CRLF line ends read as LF); invalid bytes are an error at their position.
pub fn decode_utf8(mut bytes: Vec<u8>, file: Arc<str>) -> Result<Arc<str>, Error> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(s) if s.contains("\r\n") => Ok(s.replace("\r\n", "\n").into()),
        Ok(s) => Ok(s.into()),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let loc = Location::at_offset(file, prefix, valid, 1);
            Err(Error::at(
                loc,
                format!("invalid UTF-8 (byte 0x{:02X} at offset {valid})", bytes[valid]),
            )
            .with_help("docgate reads content and data files as UTF-8; re-save the file as UTF-8"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located() {
        let e = decode_utf8(b"ok\nab\xFFc".to_vec(), "x.md".into()).unwrap_err();
        assert_eq!(e.location().unwrap().to_string(), "x.md:2:3");
        assert!(e.message().contains("0xFF"));
        assert_eq!(&*decode_utf8(b"\xEF\xBB\xBFhi".to_vec(), "y".into()).unwrap(), "hi");
    }
}
