//! Files: what docgate reads (a docs tree, a token or upload file) and what it
//! writes (rendered pages, redirect stubs, reports), under DESIGN.md's safety rules.
//!
//! - Reads take only regular files (no FIFO that blocks, no `/dev/zero` that
//!   never ends), each under a size limit; a docs tree is read only inside its
//!   root ([`Tree`]): symlinks are refused unless `--follow-symlinks`, and then
//!   only when their real path stays inside the root.
//! - Writes build every path from validated components ([`output_path`]) that
//!   stay under the output folder ([`OutputDir`]), and go through a temporary
//!   sibling and a rename ([`write_atomically`]), so a reader never sees half a
//!   file; the temporary files of a killed run are removed by the next one.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::Error;

/// The default size limit of one file of a docs tree: far above any real page
/// (github/docs' largest are a few hundred KiB), far below what hurts.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 32 << 20;

/// Whether an error means "no such file": not found, or a path through a file
/// (`page.md/index.md`).
fn missing(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
    )
}

/// Opens `path` for reading only if it is a regular file, without blocking on a
/// FIFO (checked before opening, and again on the open file).
fn open_regular(path: &Path, shown: &str) -> Result<Option<(File, u64)>, Error> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if missing(&e) => return Ok(None),
        Err(e) => return Err(Error::io(shown, e)),
    };
    if meta.is_dir() {
        return Ok(None);
    }
    if !meta.is_file() {
        return Err(not_regular(shown));
    }
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A FIFO swapped in after the check must not block the open.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| Error::io(shown, e))?;
    let meta = file.metadata().map_err(|e| Error::io(shown, e))?;
    if !meta.is_file() {
        return Err(not_regular(shown));
    }
    Ok(Some((file, meta.len())))
}

fn not_regular(shown: &str) -> Error {
    Error::input(format!("{shown}: not a regular file (a FIFO, socket or device)"))
        .with_help("docgate reads only regular files; remove it or point docgate at the real file")
}

fn too_large(shown: &str, limit: u64) -> Error {
    Error::input(format!(
        "{shown}: larger than the limit of {} per file",
        human_size(limit)
    ))
    .with_help("raise the limit with --max-file-size (e.g. --max-file-size 64MiB) if the file is genuine")
}

/// `n` bytes for a message: `32 MiB`, `640 KiB`, `12 bytes`.
pub fn human_size(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// Parses a size: `1048576`, `512KiB`, `32MiB`, `1GiB` (also `k`, `M`, `G`, `KB`, `MB`).
pub fn parse_size(s: &str) -> Result<u64, Error> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| Error::usage(format!("`{s}` is not a size (use 1048576, 512KiB or 32MiB)")))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        other => {
            return Err(Error::usage(format!(
                "`{s}`: unknown size unit `{other}` (use KiB, MiB or GiB)"
            )));
        }
    };
    let bytes = n
        .checked_mul(1 << shift)
        .ok_or_else(|| Error::usage(format!("`{s}` is too large a size")))?;
    if bytes == 0 {
        return Err(Error::usage(format!("`{s}`: the size must be at least one byte")));
    }
    Ok(bytes)
}

/// Reads at most `limit` bytes of `path`, stopping with `too large` past it.
fn read_to_limit(mut file: File, len: u64, limit: u64, shown: &str) -> Result<Vec<u8>, Error> {
    if len > limit {
        return Err(too_large(shown, limit));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    // The size may have changed since stat (a growing file): read one byte past the limit to see.
    (&mut file)
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(shown, e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(shown, limit));
    }
    Ok(bytes)
}

/// Reads a file a user named (a token file, an upload): a regular file of at
/// most `limit` bytes. A missing file is an error.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, Error> {
    let shown = path.display().to_string();
    match open_regular(path, &shown)? {
        Some((file, len)) => read_to_limit(file, len, limit, &shown),
        None if path.is_dir() => Err(Error::usage(format!("{shown} is a folder, not a file"))),
        None => Err(Error::io(
            &shown,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        )),
    }
}

/// Whether `rel` is made of plain names only: no way up or out (a backslash is
/// an ordinary character here; output paths are checked separately, by
/// `safe_relative`).
fn is_plain(rel: &str) -> bool {
    !rel.split('/')
        .any(|p| p.is_empty() || p == "." || p == ".." || p.contains('\0'))
}

/// `rel` opened under `dir` with `flags`, only where no symlink is on its way
/// and it stays under `dir` (openat2 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS).
#[cfg(target_os = "linux")]
fn beneath(dir: &File, rel: &str, flags: rustix::fs::OFlags) -> rustix::io::Result<std::os::fd::OwnedFd> {
    use rustix::fs::{Mode, OFlags, ResolveFlags};
    let resolve = ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS;
    rustix::fs::openat2(dir, rel, flags | OFlags::CLOEXEC, Mode::empty(), resolve)
}

/// A docs tree on disk, read only inside its root.
#[derive(Clone, Debug)]
pub struct Tree {
    /// The root as the user gave it (for messages).
    root: PathBuf,
    /// The root's real path.
    real_root: PathBuf,
    /// Whether symlinks that stay inside the root are followed.
    follow_symlinks: bool,
    max_file_size: u64,
    /// The root, open: files under it are opened in one confined syscall
    /// where the kernel can ([`Tree::open_beneath`]).
    #[cfg(target_os = "linux")]
    root_dir: Option<std::sync::Arc<File>>,
}

/// How a tree may be read.
#[derive(Clone, Copy, Debug)]
pub struct TreeOptions {
    /// Follow symlinks whose real path stays inside the root (`--follow-symlinks`).
    pub follow_symlinks: bool,
    /// The largest file read (`--max-file-size`).
    pub max_file_size: u64,
}

impl Default for TreeOptions {
    fn default() -> Self {
        TreeOptions {
            follow_symlinks: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// A file or folder of a tree that was skipped, and why.
#[derive(Clone, Debug)]
pub struct Skipped {
    /// The path as shown in messages.
    pub path: String,
    /// Why it was skipped.
    pub reason: String,
}

impl Tree {
    /// The root as the user gave it.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Opens the tree at `root`.
    pub fn new(root: impl Into<PathBuf>, options: TreeOptions) -> Result<Tree, Error> {
        let root = root.into();
        let real_root = root.canonicalize().map_err(|e| Error::io(root.display(), e))?;
        Ok(Tree {
            #[cfg(target_os = "linux")]
            root_dir: File::open(&real_root).ok().map(std::sync::Arc::new),
            root,
            real_root,
            follow_symlinks: options.follow_symlinks,
            max_file_size: options.max_file_size,
        })
    }

    /// The name of `rel` in messages.
    pub fn display(&self, rel: &str) -> String {
        self.root.join(rel).display().to_string()
    }

    /// The tree-relative path of a name given by [`Tree::display`].
    pub fn relative_of_display<'a>(&self, shown: &'a str) -> Option<&'a str> {
        let root = self.root.display().to_string();
        shown.strip_prefix(&root).map(|r| r.trim_start_matches('/'))
    }

    /// Where `rel` really is, if it may be read: its components are plain names,
    /// and its real path is the path itself (no symlink on the way), or, with
    /// `follow_symlinks`, any path inside the root.
    fn resolve(&self, rel: &str) -> Result<Option<PathBuf>, Error> {
        let shown = self.display(rel);
        if !is_plain(rel) {
            return Err(Error::input(format!("{shown}: not a plain path inside the tree")));
        }
        let path = self.root.join(rel);
        let real = match path.canonicalize() {
            Ok(r) => r,
            Err(e) if missing(&e) => {
                // A dangling symlink is a problem, a missing file is not.
                return match std::fs::symlink_metadata(&path) {
                    Ok(m) if m.file_type().is_symlink() => {
                        Err(Error::input(format!("{shown}: a symlink whose target does not exist")))
                    }
                    _ => Ok(None),
                };
            }
            Err(e) => return Err(Error::io(shown, e)),
        };
        if real == self.real_root.join(rel) {
            return Ok(Some(real));
        }
        if !real.starts_with(&self.real_root) {
            return Err(Error::input(format!(
                "{shown}: a symlink that leads out of the tree (to {})",
                real.display()
            ))
            .with_help("docgate reads only files inside the tree's root; copy the file into the tree"));
        }
        if !self.follow_symlinks {
            return Err(Error::input(format!("{shown}: a symlink (not followed)"))
                .with_help("pass --follow-symlinks to follow symlinks that stay inside the tree"));
        }
        Ok(Some(real))
    }

    /// Reads `rel`; `Ok(None)` when it does not exist (or is a folder).
    pub fn read(&self, rel: &str) -> Result<Option<Vec<u8>>, Error> {
        let opened = match self.open_beneath(rel) {
            Some(opened) => opened?,
            None => {
                let Some(real) = self.resolve(rel)? else {
                    return Ok(None);
                };
                open_regular(&real, &self.display(rel))?
            }
        };
        // The name for messages only for a file there is (most misses are
        // translations a page does not have).
        let Some((file, len)) = opened else { return Ok(None) };
        read_to_limit(file, len, self.max_file_size, &self.display(rel)).map(Some)
    }

    /// `rel` looked up by the kernel only if no symlink is on its way and it
    /// stays under the root (Linux openat2 with RESOLVE_BENEATH |
    /// RESOLVE_NO_SYMLINKS: a syscall instead of a realpath's one per
    /// component), and opened for reading only if it is a regular file, as
    /// [`open_regular`] does (an `O_PATH` look first: a device is never
    /// opened). `Some(Ok(None))`: it does not exist, or is a folder. `None`:
    /// anything else (a symlink, an older kernel, a path that is not plain),
    /// for [`Tree::resolve`] to tell what it is.
    #[cfg(target_os = "linux")]
    fn open_beneath(&self, rel: &str) -> Option<Result<Option<(File, u64)>, Error>> {
        use rustix::fs::OFlags;
        let dir = self.root_dir.as_ref()?;
        match self.kind_beneath(rel)? {
            Some(rustix::fs::FileType::RegularFile) => {}
            None | Some(rustix::fs::FileType::Directory) => return Some(Ok(None)),
            Some(_) => return Some(Err(not_regular(&self.display(rel)))),
        }
        // A FIFO swapped in since the look must not block the open; the open
        // file is looked at again.
        let file = File::from(beneath(dir, rel, OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY).ok()?);
        let shown = || self.display(rel);
        Some(match file.metadata() {
            Ok(meta) if meta.is_file() => Ok(Some((file, meta.len()))),
            Ok(_) => Err(not_regular(&shown())),
            Err(e) => Err(Error::io(shown(), e)),
        })
    }

    #[cfg(not(target_os = "linux"))]
    fn open_beneath(&self, _rel: &str) -> Option<Result<Option<(File, u64)>, Error>> {
        None
    }

    /// What `rel` is, looked up by the kernel (an `O_PATH` openat2) only if no
    /// symlink is on its way and it stays under the root: `Some(None)`, it does
    /// not exist; `None`, anything else, for [`Tree::resolve`] to tell.
    #[cfg(target_os = "linux")]
    fn kind_beneath(&self, rel: &str) -> Option<Option<rustix::fs::FileType>> {
        let dir = self.root_dir.as_ref()?;
        if !is_plain(rel) {
            return None;
        }
        match beneath(dir, rel, rustix::fs::OFlags::PATH) {
            Ok(fd) => Some(Some(rustix::fs::FileType::from_raw_mode(
                rustix::fs::fstat(&fd).ok()?.st_mode,
            ))),
            // Every component that exists was looked at and none is a symlink
            // (a symlink, dangling or not, is ELOOP).
            Err(rustix::io::Errno::NOENT) => Some(None),
            Err(_) => None,
        }
    }

    /// Whether `rel` is a regular file that may be read.
    pub fn is_file(&self, rel: &str) -> bool {
        #[cfg(target_os = "linux")]
        if let Some(kind) = self.kind_beneath(rel) {
            return kind == Some(rustix::fs::FileType::RegularFile);
        }
        matches!(self.resolve(rel), Ok(Some(real)) if real.is_file())
    }

    /// Every regular file under folder `dir` whose name ends with `suffix`, as
    /// sorted `/`-separated tree-relative paths, and what was skipped on the way
    /// (unreadable folders, symlinks, loops, names that are not UTF-8).
    pub fn list(&self, dir: &str, suffix: &str) -> (Vec<String>, Vec<Skipped>) {
        let mut out = Vec::new();
        let mut skipped = Vec::new();
        let base = self.root.join(dir);
        if !matches!(self.resolve(dir), Ok(Some(real)) if real.is_dir()) {
            if std::fs::symlink_metadata(&base).is_ok() && !base.is_dir() {
                skipped.push(Skipped {
                    path: base.display().to_string(),
                    reason: "not a folder inside the tree".into(),
                });
            }
            return (out, skipped);
        }
        // Following links: never into one whose real path leaves the tree (a link
        // to `/etc` or `/proc` is reported, not walked).
        let outside = std::cell::RefCell::new(Vec::new());
        let walk = walkdir::WalkDir::new(&base)
            .follow_links(self.follow_symlinks)
            .into_iter()
            .filter_entry(|e| {
                if !e.path_is_symlink() {
                    return true;
                }
                let inside = e.path().canonicalize().is_ok_and(|r| r.starts_with(&self.real_root));
                if !inside && e.path().exists() {
                    outside.borrow_mut().push(Skipped {
                        path: e.path().display().to_string(),
                        reason: "a symlink that leads out of the tree".into(),
                    });
                    return false;
                }
                true
            });
        for entry in walk {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e
                        .path()
                        .map_or_else(|| base.display().to_string(), |p| p.display().to_string());
                    let reason = if e.loop_ancestor().is_some() {
                        "a symlink loop".to_string()
                    } else {
                        e.io_error().map_or_else(|| e.to_string(), |io| io.to_string())
                    };
                    skipped.push(Skipped { path, reason });
                    continue;
                }
            };
            let Ok(rel_path) = entry.path().strip_prefix(&self.root) else {
                continue;
            };
            let rel = match relative_string(rel_path) {
                Some(r) => r,
                None => {
                    skipped.push(Skipped {
                        path: entry.path().display().to_string(),
                        reason: "the name is not UTF-8".into(),
                    });
                    continue;
                }
            };
            let ft = entry.file_type();
            if ft.is_symlink() {
                // Only seen when not following: say why it is left out.
                if rel.ends_with(suffix) || entry.path().is_dir() {
                    skipped.push(Skipped {
                        path: entry.path().display().to_string(),
                        reason: "a symlink (not followed; --follow-symlinks follows links that stay inside the tree)"
                            .into(),
                    });
                }
                continue;
            }
            if !rel.ends_with(suffix) || ft.is_dir() {
                continue;
            }
            if !ft.is_file() {
                skipped.push(Skipped {
                    path: entry.path().display().to_string(),
                    reason: "not a regular file (a FIFO, socket or device)".into(),
                });
                continue;
            }
            out.push(rel);
        }
        skipped.extend(outside.into_inner());
        out.sort();
        (out, skipped)
    }

    /// Immediate subfolder names of `dir` that may be read, sorted.
    pub fn subdirs(&self, dir: &str) -> Vec<String> {
        let mut out: Vec<String> = std::fs::read_dir(self.root.join(dir))
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .filter_map(|e| e.file_name().to_str().map(str::to_string))
                    .filter(|name| matches!(self.resolve(&format!("{dir}/{name}")), Ok(Some(r)) if r.is_dir()))
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }
}

/// `rel` as a `/`-separated string, if every component is UTF-8.
fn relative_string(rel: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    parts.map(|p| p.join("/"))
}

/// Checks a `/`-separated relative path for use under a folder: every component
/// a plain name (not empty, `.` or `..`; no `\`, `:` or control characters),
/// so joining it to a folder cannot leave that folder on any platform.
///
/// ```
/// use docgate::files::safe_relative;
/// assert!(safe_relative("admin/index.html").is_ok());
/// assert!(safe_relative("../x.md").is_err());
/// assert!(safe_relative("..\\x.md").is_err());
/// assert!(safe_relative("/etc/passwd").is_err());
/// ```
pub fn safe_relative(rel: &str) -> Result<PathBuf, String> {
    if rel.is_empty() {
        return Err("an empty path".into());
    }
    let mut path = PathBuf::new();
    for part in rel.split('/') {
        let why = match part {
            "" => Some("an empty segment (`//` or a leading or trailing `/`)"),
            "." | ".." => Some("a `.` or `..` segment"),
            p if p.contains('\\') => Some("a backslash"),
            p if p.contains(':') => Some("a colon"),
            p if p.chars().any(char::is_control) => Some("a control character"),
            _ => None,
        };
        if let Some(why) = why {
            return Err(format!("`{}` has {why}", crate::escape::untrusted_line(rel)));
        }
        path.push(part);
    }
    debug_assert!(path.components().all(|c| matches!(c, Component::Normal(_))));
    Ok(path)
}

/// `out/<rel>` for a `rel` that passes [`safe_relative`].
pub fn output_path(out: &Path, rel: &str) -> Result<PathBuf, Error> {
    let safe = safe_relative(rel).map_err(|why| {
        Error::input(format!("refusing to write outside {}: {why}", out.display()))
            .with_help("`docgate check` reports the file or redirect this path comes from")
    })?;
    Ok(out.join(safe))
}

/// An output folder (`--out`) that many files are written into, from many
/// threads: every path is checked with [`output_path`], every folder created is
/// checked once to be really under the output folder (no symlink leads away),
/// and each file is written whole through a temporary sibling and a rename.
/// Temporary files that killed runs left are removed when it is opened.
#[derive(Debug)]
pub struct OutputDir {
    out: PathBuf,
    real_out: PathBuf,
    /// Folders already created and checked.
    checked: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl OutputDir {
    /// Creates (if needed) and opens `out`.
    pub fn open(out: &Path) -> Result<OutputDir, Error> {
        std::fs::create_dir_all(out).map_err(|e| Error::io(out.display(), e))?;
        remove_stale_temp_files(out);
        let real_out = out.canonicalize().map_err(|e| Error::io(out.display(), e))?;
        Ok(OutputDir {
            out: out.to_path_buf(),
            real_out,
            checked: Default::default(),
        })
    }

    /// Writes `bytes` to `out/<rel>`; returns the path written.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<PathBuf, Error> {
        let dest = output_path(&self.out, rel)?;
        if let Some(parent) = dest.parent() {
            self.ensure_folder(parent, &dest)?;
        }
        // Output can be made again: no fsync per file (a whole site would wait on the disk).
        // A new file is written in place: one open (O_EXCL, so never through a
        // symlink), one write, one close. One that exists is replaced through a
        // temporary sibling and a rename, so a reader never sees it half written.
        match OpenOptions::new().write(true).create_new(true).open(&dest) {
            Ok(mut f) => {
                return match f.write_all(bytes) {
                    Ok(()) => Ok(dest),
                    Err(e) => {
                        drop(f);
                        let _ = std::fs::remove_file(&dest);
                        Err(Error::io(dest.display(), e))
                    }
                };
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(Error::io(dest.display(), e)),
        }
        let (tmp, mut f) = new_temp_file(&dest)?;
        let guard = TempGuard(Some(tmp.clone()));
        f.write_all(bytes).map_err(|e| Error::io(tmp.display(), e))?;
        drop(f);
        guard.persist(&dest)?;
        Ok(dest)
    }

    /// Puts the file `previous` (from an earlier output, on the same file
    /// system) at `out/<rel>` without copying it: a hard link, or a copy where
    /// links are not possible. Returns false, writing nothing, when `previous`
    /// is not a regular file (missing, a symlink, a folder).
    pub fn reuse(&self, rel: &str, previous: &Path) -> Result<bool, Error> {
        match std::fs::symlink_metadata(previous) {
            Ok(m) if m.file_type().is_file() => {}
            _ => return Ok(false),
        }
        let dest = output_path(&self.out, rel)?;
        if let Some(parent) = dest.parent() {
            self.ensure_folder(parent, &dest)?;
        }
        if std::fs::hard_link(previous, &dest).is_err() {
            let bytes = std::fs::read(previous).map_err(|e| Error::io(previous.display(), e))?;
            self.write(rel, &bytes)?;
        }
        Ok(true)
    }

    fn ensure_folder(&self, folder: &Path, dest: &Path) -> Result<(), Error> {
        if self.checked.lock().is_ok_and(|c| c.contains(folder)) {
            return Ok(());
        }
        std::fs::create_dir_all(folder).map_err(|e| Error::io(folder.display(), e))?;
        let real = folder.canonicalize().map_err(|e| Error::io(folder.display(), e))?;
        if !real.starts_with(&self.real_out) {
            return Err(Error::input(format!(
                "refusing to write {}: its folder leads out of {} (a symlink?)",
                dest.display(),
                self.out.display()
            )));
        }
        if let Ok(mut c) = self.checked.lock() {
            c.insert(folder.to_path_buf());
        }
        Ok(())
    }
}

/// What marks docgate's temporary files: `<name>.docgate-tmp-<pid>-<n>`.
const TEMP_MARK: &str = ".docgate-tmp-";

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A new temporary file next to `dest` (same folder, so the rename is atomic),
/// created exclusively (never through an existing file or link). Temporary files
/// that killed runs left beside it are removed first.
pub fn temp_file_for(dest: &Path) -> Result<(PathBuf, File), Error> {
    refuse_folder(dest)?;
    let dir = dest.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), e))?;
    }
    if let Some(name) = dest.file_name() {
        remove_stale_siblings(dir.unwrap_or(Path::new(".")), &name.to_string_lossy());
    }
    new_temp_file(dest)
}

/// The temporary sibling of `dest`, created exclusively.
fn new_temp_file(dest: &Path) -> Result<(PathBuf, File), Error> {
    let name = dest
        .file_name()
        .ok_or_else(|| Error::usage(format!("{} is not a file name", dest.display())))?
        .to_string_lossy()
        .into_owned();
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dest.with_file_name(format!("{name}{TEMP_MARK}{}-{n}", std::process::id()));
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(|e| Error::io(tmp.display(), e))?;
    Ok((tmp, file))
}

/// Writes `bytes` to `dest` through a temporary sibling, an fsync and a rename
/// (a report or an export: one file that must be whole and durable).
pub fn write_atomically(dest: &Path, bytes: &[u8]) -> Result<(), Error> {
    let (tmp, mut f) = temp_file_for(dest)?;
    let guard = TempGuard(Some(tmp.clone()));
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .map_err(|e| Error::io(tmp.display(), e))?;
    guard.persist(dest)
}

/// An existing folder where one file is to be written: a usage error, before
/// anything is written.
pub fn refuse_folder(dest: &Path) -> Result<(), Error> {
    if dest.is_dir() {
        return Err(Error::usage(format!(
            "{} is a folder: this output is one file",
            crate::escape::untrusted_line(&dest.display().to_string())
        ))
        .with_help("give a file path, e.g. DIR/name.ext"));
    }
    Ok(())
}

/// Removes a temporary file when dropped, unless persisted.
#[derive(Debug)]
pub struct TempGuard(pub Option<PathBuf>);

impl TempGuard {
    /// Renames the temporary file to `dest`.
    pub fn persist(mut self, dest: &Path) -> Result<(), Error> {
        if let Some(tmp) = self.0.take()
            && let Err(e) = std::fs::rename(&tmp, dest)
        {
            let _ = std::fs::remove_file(&tmp);
            return Err(Error::io(dest.display(), e));
        }
        Ok(())
    }
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// The pid in a temporary file's name, if it is one of docgate's.
fn temp_owner(name: &str) -> Option<(&str, u32)> {
    let (base, rest) = name.rsplit_once(TEMP_MARK)?;
    let pid = rest.split('-').next()?.parse().ok()?;
    Some((base, pid))
}

/// Removes the temporary files of dead docgate processes beside `name` in `dir`.
fn remove_stale_siblings(dir: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(n) = file_name.to_str() else { continue };
        if let Some((base, pid)) = temp_owner(n)
            && base == name
            && !process_alive(pid)
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Removes every temporary file of a dead docgate process under `dir` (a
/// render output folder), returning how many.
pub fn remove_stale_temp_files(dir: &Path) -> usize {
    if !dir.is_dir() {
        return 0;
    }
    let mut removed = 0;
    for e in walkdir::WalkDir::new(dir).follow_links(false).into_iter().flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        if let Some((_, pid)) = e.file_name().to_str().and_then(temp_owner)
            && !process_alive(pid)
            && std::fs::remove_file(e.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// Whether process `pid` is alive and is a docgate (Linux `/proc`; elsewhere, unknown is dead).
pub fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|c| String::from_utf8_lossy(&c).contains("docgate"))
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kernel-confined lookup (openat2) gives what the realpath one does,
    /// for every kind of entry a hostile tree may hold.
    #[test]
    #[cfg(target_os = "linux")]
    fn confined_reads_agree_with_realpath_reads() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.md"), "A").unwrap();
        std::fs::create_dir(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/b.md"), "B").unwrap();
        std::os::unix::fs::symlink(root.join("a.md"), root.join("link.md")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", root.join("out.md")).unwrap();
        std::os::unix::fs::symlink(root.join("gone.md"), root.join("dangling.md")).unwrap();
        std::os::unix::fs::symlink(root.join("sub"), root.join("linked-dir")).unwrap();
        let fifo = std::process::Command::new("mkfifo").arg(root.join("pipe.md")).status();
        let cases = [
            "a.md",
            "sub/b.md",
            "sub",
            "missing.md",
            "sub/missing.md",
            "a.md/inside.md",
            "link.md",
            "out.md",
            "dangling.md",
            "linked-dir/b.md",
            "pipe.md",
            "../a.md",
            "sub/../a.md",
        ];
        for follow in [false, true] {
            let options = TreeOptions {
                follow_symlinks: follow,
                max_file_size: 1 << 20,
            };
            let fast = Tree::new(root, options).unwrap();
            assert!(fast.root_dir.is_some());
            let slow = Tree {
                root_dir: None,
                ..fast.clone()
            };
            for rel in cases {
                if rel == "pipe.md" && !matches!(fifo, Ok(s) if s.success()) {
                    continue;
                }
                let shape = |r: Result<Option<Vec<u8>>, Error>| match r {
                    Ok(v) => format!("{v:?}"),
                    Err(e) => format!("error: {}", e.message()),
                };
                assert_eq!(
                    shape(fast.read(rel)),
                    shape(slow.read(rel)),
                    "read {rel} (follow {follow})"
                );
                assert_eq!(fast.is_file(rel), slow.is_file(rel), "is_file {rel} (follow {follow})");
            }
            assert_eq!(fast.read("a.md").unwrap(), Some(b"A".to_vec()));
        }
    }

    #[test]
    fn relative_paths() {
        for bad in [
            "",
            "/a",
            "a/",
            "a//b",
            "a/../b",
            "..",
            ".",
            "a\\..\\b",
            "c:/x",
            "a/\u{1b}b",
        ] {
            assert!(safe_relative(bad).is_err(), "{bad:?}");
        }
        assert_eq!(safe_relative("a/b c/d.html").unwrap(), PathBuf::from("a/b c/d.html"));
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("32MiB").unwrap(), 32 << 20);
        assert_eq!(parse_size("512k").unwrap(), 512 << 10);
        assert_eq!(parse_size("100").unwrap(), 100);
        assert!(parse_size("0").is_err());
        assert!(parse_size("99999999999GiB").is_err());
        assert!(parse_size("3 parsecs").is_err());
        assert_eq!(human_size(32 << 20), "32 MiB");
    }

    #[test]
    fn temp_names() {
        assert_eq!(temp_owner("a.csv.docgate-tmp-123-4"), Some(("a.csv", 123)));
        assert_eq!(temp_owner("a.csv"), None);
    }

    #[test]
    fn stale_temp_files_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let dead = dir.path().join("x.html.docgate-tmp-999999999-0");
        std::fs::write(&dead, "half").unwrap();
        let mine = dir.path().join(format!("x.html.docgate-tmp-{}-77", std::process::id()));
        std::fs::write(&mine, "in progress").unwrap();
        write_atomically(&dir.path().join("x.html"), b"whole").unwrap();
        assert!(!dead.exists());
        assert!(mine.exists());
        assert_eq!(std::fs::read_to_string(dir.path().join("x.html")).unwrap(), "whole");
    }
}
