//! Where a tree's files come from: the content compiled into the binary, or a
//! directory on disk (`--root`).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use include_dir::{Dir, include_dir};

use crate::error::{Error, Location};
use crate::files::{Skipped, Tree, TreeOptions};

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
    /// A directory on disk, read only inside its root (see [`Tree`]).
    Disk(Arc<DiskTree>),
}

/// A tree on disk and what its walks had to skip.
#[derive(Debug)]
pub struct DiskTree {
    tree: Tree,
    skipped: Mutex<Vec<Skipped>>,
}

impl DiskTree {
    /// The tree's root folder, as the user gave it.
    pub fn root(&self) -> &std::path::Path {
        self.tree.root()
    }
}

impl Source {
    /// Opens a tree on disk with the default [`TreeOptions`]; it must have a `content/` folder.
    pub fn disk(root: impl Into<PathBuf>) -> Result<Source, Error> {
        Source::disk_with(root, TreeOptions::default())
    }

    /// Opens a tree on disk, read with `options`.
    pub fn disk_with(root: impl Into<PathBuf>, options: TreeOptions) -> Result<Source, Error> {
        let root = root.into();
        if !root.join("content").is_dir() {
            return Err(Error::usage(format!(
                "{} is not a docs tree: it has no content/ folder",
                root.display()
            ))
            .with_help("--root takes a folder laid out like github/docs: content/, data/, translations/"));
        }
        Ok(Source::Disk(Arc::new(DiskTree {
            tree: Tree::new(root, options)?,
            skipped: Mutex::new(Vec::new()),
        })))
    }

    /// What the walks of the tree skipped so far (symlinks, unreadable folders,
    /// special files, names that are not UTF-8), each once.
    pub fn skipped(&self) -> Vec<Skipped> {
        match self {
            Source::Embedded => Vec::new(),
            Source::Disk(d) => d.skipped.lock().map(|s| s.clone()).unwrap_or_default(),
        }
    }

    /// The tree-relative path of a name given by [`Source::display`].
    pub fn relative_of_display<'a>(&self, shown: &'a str) -> Option<&'a str> {
        match self {
            Source::Embedded => Some(shown),
            Source::Disk(d) => d.tree.relative_of_display(shown),
        }
    }

    /// The name of `rel` in messages: the path as given for a disk tree,
    /// `rel` itself for the bundled tree.
    pub fn display(&self, rel: &str) -> Arc<str> {
        match self {
            Source::Embedded => rel.into(),
            Source::Disk(d) => d.tree.display(rel).into(),
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
        match self.read_bytes(rel)? {
            Some(bytes) => decode_utf8(bytes, self.display(rel)).map(Some),
            None => Ok(None),
        }
    }

    /// Reads a file as bytes (an image of `assets/`); `Ok(None)` when it does not exist.
    pub fn read_bytes(&self, rel: &str) -> Result<Option<Vec<u8>>, Error> {
        Ok(match self {
            Source::Embedded => Self::embedded(rel)
                .and_then(|(d, rest)| d.get_file(rest))
                .map(|f| f.contents().to_vec()),
            Source::Disk(d) => d.tree.read(rel)?,
        })
    }

    /// Whether `rel` is a file.
    pub fn exists(&self, rel: &str) -> bool {
        match self {
            Source::Embedded => Self::embedded(rel).is_some_and(|(d, rest)| d.get_file(rest).is_some()),
            Source::Disk(d) => d.tree.is_file(rel),
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
            Source::Disk(d) => {
                let (files, skipped) = d.tree.list(dir, suffix);
                out = files;
                if !skipped.is_empty()
                    && let Ok(mut all) = d.skipped.lock()
                {
                    for s in skipped {
                        if !all.iter().any(|a| a.path == s.path) {
                            all.push(s);
                        }
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
            Source::Disk(d) => d.tree.subdirs(dir),
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

/// Decodes UTF-8 (dropping a BOM; CRLF and lone CR line ends read as LF, as
/// CommonMark reads them). Invalid bytes and NUL bytes are errors at their position.
pub fn decode_utf8(mut bytes: Vec<u8>, file: Arc<str>) -> Result<Arc<str>, Error> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    let s = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let loc = Location::at_offset(file, &normalize_newlines(prefix), usize::MAX, 1);
            return Err(Error::at(
                loc,
                format!("invalid UTF-8 (byte 0x{:02X} at offset {valid})", bytes[valid]),
            )
            .with_help("docgate reads content and data files as UTF-8; re-save the file as UTF-8"));
        }
    };
    if let Some(i) = s.find('\0') {
        let loc = Location::at_offset(file, &normalize_newlines(&s[..i]), usize::MAX, 1);
        return Err(Error::at(loc, format!("a NUL byte (at offset {i})"))
            .with_help("content and data files are text; a NUL byte means the file is binary or damaged"));
    }
    Ok(match normalize_newlines(&s) {
        std::borrow::Cow::Borrowed(_) => s.into(),
        std::borrow::Cow::Owned(o) => o.into(),
    })
}

/// `text` with CRLF and lone CR line ends written as LF.
fn normalize_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
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
        let e = decode_utf8(b"a\rb\rc\xFF".to_vec(), "cr.md".into()).unwrap_err();
        assert_eq!(e.location().unwrap().to_string(), "cr.md:3:2");
    }

    #[test]
    fn nul_bytes_and_line_ends() {
        let e = decode_utf8(b"one\ntw\0o".to_vec(), "n.md".into()).unwrap_err();
        assert_eq!(e.location().unwrap().to_string(), "n.md:2:3");
        assert_eq!(&*decode_utf8(b"a\rb\r\nc".to_vec(), "y".into()).unwrap(), "a\nb\nc");
    }
}
