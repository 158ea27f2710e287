//! Redirects: the map built from English `redirect_from` (the reference
//! engine's rules), request-path resolution with the legacy rules, the checks
//! on both, and exports for static hosts.
//!
//! Keys and targets never carry a language: every language uses the same map
//! once its `/<lang>` prefix is stripped.

mod export;

use std::collections::BTreeMap;
use std::sync::Arc;

pub use export::{ExportFormat, export};

use crate::corpus::{Corpus, Page};
use crate::error::{Error, line_of};
use crate::findings::{Finding, Rule, Severity};
use crate::languages::Lang;
pub use crate::permalink::{normalize, with_lang, without_lang};
use crate::versions::{Plan, Release, Version};

/// Where a redirect comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A `redirect_from` entry of a page.
    Frontmatter,
    /// The versionless path of a page that has no fpt version.
    Versionless,
    /// A line of the tree's `redirect-exceptions.txt`.
    Exception,
}

/// One entry of the map.
#[derive(Clone, Debug)]
pub struct Redirect {
    /// The target path, without language (`/enterprise-server@3.22/admin/x`).
    pub target: String,
    /// Where it comes from.
    pub origin: Origin,
    /// The file that declares it (the page, or `redirect-exceptions.txt`), as shown in messages.
    pub file: Arc<str>,
    /// Its line in that file (1-based).
    pub line: usize,
}

/// The redirect map of a tree, plus what building it found wrong.
#[derive(Debug)]
pub struct RedirectMap {
    map: BTreeMap<String, Redirect>,
    /// Every live permalink, without language → the page (content path) and version.
    pages: crate::cache::FastMap<String, (Arc<str>, Version)>,
    latest: Release,
    findings: Vec<Finding>,
}

/// What a request path resolves to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// The path is a page: no redirect.
    Page {
        /// The page's permalink, with language and fragment.
        permalink: String,
    },
    /// A redirect to a page, with the HTTP status the reference would send and
    /// the paths it went through.
    Redirect {
        /// The permalink of the page it ends at, with language and fragment.
        permalink: String,
        /// 301, or 302 where the reference sends a temporary redirect (no language, or `latest`).
        status: u16,
        /// The paths it went through before the page, in order.
        hops: Vec<String>,
    },
    /// The path leads to no page.
    NotFound,
}

/// The path of `page` in `version`, without language: `/enterprise-server@3.5/admin/x`,
/// `/admin/x` for fpt, `/` for the fpt home page.
pub fn href_without_language(page: &Page, version: Version) -> String {
    href_of(&page.url_path(), version)
}

/// [`href_without_language`] of the page at `url_path` (`/a/b`, empty for the home page).
fn href_of(url_path: &str, version: Version) -> String {
    use std::fmt::Write;
    let mut p = String::with_capacity(url_path.len() + 24);
    if version != Version::Fpt {
        let _ = write!(p, "/{version}");
    }
    p.push_str(url_path);
    if p.is_empty() { "/".to_string() } else { p }
}

/// The live page at `path` (a path without language, `/enterprise-server@3.5/x/y`)
/// and its version, found by reading only the files that could hold it (`x/y.md`,
/// `x/y/index.md`): the same answer as [`RedirectMap::page_at`] when there is one.
/// `None` when there is none or the files cannot tell (two pages with that path,
/// an unreadable file): ask the map then.
pub fn live_page(corpus: &Corpus, path: &str) -> Option<(Arc<str>, Version)> {
    let rest = path.strip_prefix('/')?;
    let (first, after) = rest.split_once('/').unwrap_or((rest, ""));
    // The path with and without a version segment (fpt has none).
    let urls = [Some(rest), first.contains('@').then_some(after)];
    let mut found = None;
    for url in urls.into_iter().flatten() {
        let candidates = if url.is_empty() {
            vec!["index.md".to_string()]
        } else {
            vec![format!("{url}.md"), format!("{url}/index.md")]
        };
        // `Corpus::page_paths` leaves these out.
        for content_path in candidates.into_iter().filter(|c| !c.ends_with("README.md")) {
            let page = match corpus.page(&content_path) {
                Ok(Some(page)) => page,
                Ok(None) => continue,
                Err(_) => return None,
            };
            if let Some(v) = corpus
                .released_versions(&page)
                .into_iter()
                .find(|&v| href_without_language(&page, v) == path)
            {
                if found.is_some() {
                    return None;
                }
                found = Some((page.path.clone(), v));
            }
        }
    }
    found
}

const EXCEPTION_FILES: [&str; 2] = [
    "redirect-exceptions.txt",
    "src/redirects/lib/static/redirect-exceptions.txt",
];

/// Punctuation a docs path may hold besides `/`, letters and digits: nothing
/// that a web server config, a shell or an HTML attribute gives a meaning to.
const PATH_PUNCTUATION: &str = "-._~%@+,!*()";

/// Why `path` cannot be used as a path on the site or written into an export
/// (an nginx rule, a folder of redirect stubs), if it cannot: it must be
/// `/`-rooted, without empty, `.` or `..` segments, and hold only letters,
/// digits and [`PATH_PUNCTUATION`].
///
/// ```
/// use docgate::redirects::unsafe_path;
/// assert_eq!(unsafe_path("/admin/enterprise-server@3.5/x_y"), None);
/// assert!(unsafe_path("/c /x last; return 302 /evil").is_some());
/// assert!(unsafe_path("/../../tmp/x").is_some());
/// ```
pub fn unsafe_path(path: &str) -> Option<String> {
    let shown = crate::escape::untrusted_line(path);
    if !path.starts_with('/') {
        return Some(format!("`{shown}` must start with `/`"));
    }
    if path.len() > 1
        && path[1..]
            .trim_end_matches('/')
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
    {
        return Some(format!("`{shown}` has an empty, `.` or `..` segment"));
    }
    if let Some(c) = path
        .chars()
        .find(|&c| !(c == '/' || c.is_alphanumeric() || PATH_PUNCTUATION.contains(c)))
    {
        let what = if c.is_whitespace() {
            "whitespace".to_string()
        } else if c.is_control() {
            "a control character".to_string()
        } else {
            format!("`{c}`")
        };
        return Some(format!(
            "`{shown}` contains {what}; paths hold letters, digits, `/` and `{PATH_PUNCTUATION}`"
        ));
    }
    None
}

/// What is wrong with a redirect path, if anything.
pub fn malformed(path: &str) -> Option<(&'static str, String)> {
    if path.starts_with("//") || path.contains("://") {
        return Some((
            "external-redirect",
            format!("`{path}` is not a docs path: redirects must be paths on this site, not other hosts"),
        ));
    }
    let shown = crate::escape::untrusted_line(path);
    if !path.starts_with('/') {
        return Some(("malformed-redirect", format!("`{shown}` must start with `/`")));
    }
    if path.len() > 1 && path.ends_with('/') {
        return Some(("malformed-redirect", format!("`{shown}` ends with `/`")));
    }
    if path.contains(char::is_whitespace) {
        return Some(("malformed-redirect", format!("`{shown}` contains whitespace")));
    }
    if path.contains('?') || path.contains('#') {
        return Some(("malformed-redirect", format!("`{shown}` has a query or fragment")));
    }
    if path.chars().any(|c| c.is_ascii_uppercase()) {
        return Some((
            "malformed-redirect",
            format!("`{shown}` has uppercase letters (paths are lowercase)"),
        ));
    }
    unsafe_path(path).map(|why| ("malformed-redirect", why))
}

impl RedirectMap {
    /// Builds the map from every English page of `corpus` (all released
    /// versions) and the tree's `redirect-exceptions.txt`, if any.
    pub fn build(corpus: &Corpus) -> Result<RedirectMap, Error> {
        use rayon::prelude::*;
        let mut pages_list: Vec<Arc<Page>> = Vec::new();
        let mut findings = Vec::new();
        // Read (and frontmatter parsed) on every core; kept in the tree's order.
        // Asked for by a render on a worker thread (the map is built lazily),
        // the pages are read on that thread: a parallel read could run another
        // render there while it waits, and that render would ask for the map
        // being built on the same thread (a deadlock).
        let paths = corpus.page_paths()?;
        let read_one = |path: &String| (path.clone(), corpus.page(path));
        let read: Vec<_> = if rayon::current_thread_index().is_some() {
            paths.iter().map(read_one).collect()
        } else {
            paths.par_iter().map(read_one).collect()
        };
        for (path, result) in read {
            match result {
                Ok(Some(p)) => pages_list.push(p),
                Ok(None) => {}
                Err(e) => {
                    let loc = e.location().cloned();
                    findings.push(Finding::new(
                        "redirects",
                        "unreadable-page",
                        Severity::Error,
                        loc.as_ref().map_or_else(|| path.as_str().into(), |l| l.file.clone()),
                        loc.as_ref().map_or(0, |l| l.line),
                        e.message(),
                    ));
                }
            }
        }
        let mut pages = crate::cache::FastMap::default();
        for page in &pages_list {
            let url_path = page.url_path();
            for v in corpus.released_versions(page) {
                pages.insert(href_of(&url_path, v), (page.path.clone(), v));
            }
        }
        let mut map: BTreeMap<String, Redirect> = BTreeMap::new();
        // Versioned keys → the file that defined them, for duplicates.
        let mut owners: crate::cache::FastMap<String, (Arc<str>, usize)> = Default::default();
        for page in &pages_list {
            let versions = corpus.released_versions(page);
            // The reference's "first permalink": its versions are the supported ones,
            // so a release candidate never comes first.
            let table = corpus.releases();
            let Some(&first) = versions
                .iter()
                .find(|v| {
                    v.release()
                        .is_none_or(|r| table.status(r) != Some(crate::versions::ReleaseStatus::ReleaseCandidate))
                })
                .or(versions.first())
            else {
                continue;
            };
            let url_path = page.url_path();
            let first_href = href_of(&url_path, first);
            if first != Version::Fpt && !url_path.is_empty() {
                map.insert(
                    url_path.clone(),
                    Redirect {
                        target: first_href.clone(),
                        origin: Origin::Versionless,
                        file: page.file.clone(),
                        line: 1,
                    },
                );
            }
            for entry in &page.frontmatter.redirect_from {
                let line = line_of(&page.text, entry);
                if let Some((rule, message)) = malformed(entry) {
                    findings.push(Finding::new(
                        "redirects",
                        rule,
                        Severity::Error,
                        page.file.clone(),
                        line,
                        message,
                    ));
                    if !entry.starts_with('/') || rule == "external-redirect" {
                        continue;
                    }
                }
                let old = normalize(entry);
                let make = |target: String| Redirect {
                    target,
                    origin: Origin::Frontmatter,
                    file: page.file.clone(),
                    line,
                };
                map.insert(old.clone(), make(first_href.clone()));
                for &v in &versions {
                    let key = format!("/{v}{old}");
                    if let Some((other, other_line)) = owners.get(&key)
                        && **other != *page.file
                    {
                        findings.push(
                            Finding::new(
                                "redirects",
                                "duplicate-redirect",
                                Severity::Error,
                                page.file.clone(),
                                line,
                                format!("`{entry}` is also a redirect_from of {other}:{other_line}"),
                            )
                            .version(v),
                        );
                    } else {
                        owners.insert(key.clone(), (page.file.clone(), line));
                    }
                    map.insert(key, make(href_of(&url_path, v)));
                }
            }
        }
        let latest = corpus.releases().latest();
        // Exceptions override.
        for rel in EXCEPTION_FILES {
            if let Some(text) = corpus.source().read(rel)? {
                let file = corpus.source().display(rel);
                parse_exceptions(&text, &file, &mut map, &mut findings);
            }
        }
        // A live page wins over a redirect with its path.
        let shadowed: Vec<String> = map.keys().filter(|k| pages.contains_key(*k)).cloned().collect();
        for key in shadowed {
            if let Some(r) = map.remove(&key)
                && r.origin != Origin::Versionless
            {
                findings.push(Finding::new(
                    "redirects",
                    "shadowed-redirect",
                    Severity::Warning,
                    r.file.clone(),
                    r.line,
                    format!(
                        "`{key}` is a live page, so this redirect to `{}` never applies",
                        r.target
                    ),
                ));
            }
        }
        // `@latest` in targets is made concrete.
        for r in map.values_mut() {
            if r.target.contains("/enterprise-server@latest") {
                r.target = r
                    .target
                    .replace("/enterprise-server@latest", &format!("/{}", Version::Ghes(latest)));
            }
        }
        let mut built = RedirectMap {
            map,
            pages,
            latest,
            findings,
        };
        built.check_targets();
        Ok(built)
    }

    /// Chains, cycles and missing targets among redirects whose targets are not
    /// pages (only exceptions can have such targets).
    fn check_targets(&mut self) {
        let mut found = Vec::new();
        for (key, r) in &self.map {
            if self.pages.contains_key(&r.target) {
                continue;
            }
            let mut seen = vec![key.clone()];
            let mut cur = r.target.clone();
            let outcome = loop {
                if self.pages.contains_key(&cur) {
                    break Some(cur.clone());
                }
                if seen.contains(&cur) {
                    break None;
                }
                seen.push(cur.clone());
                match self.map.get(&cur) {
                    Some(next) => cur = next.target.clone(),
                    None => break Some(String::new()),
                }
            };
            // A cycle is reported once, at its smallest member; a redirect
            // that only leads into a cycle is reported on its own.
            if outcome.is_none() && cur == *key && seen.iter().any(|k| k < key) {
                continue;
            }
            let (rule, message) = match outcome {
                None => (
                    "redirect-cycle",
                    format!("redirect cycle: {} → {}", seen.join(" → "), cur),
                ),
                Some(end) if end.is_empty() => (
                    "redirect-target-missing",
                    format!(
                        "`{key}` redirects to `{}`, which is neither a page nor a redirect",
                        r.target
                    ),
                ),
                Some(end) => (
                    "redirect-chain",
                    format!("redirect chain: {} → {end}; point `{key}` at `{end}`", seen.join(" → ")),
                ),
            };
            found.push(Finding::new(
                "redirects",
                rule,
                Severity::Error,
                r.file.clone(),
                r.line,
                message,
            ));
        }
        self.findings.extend(found);
    }

    /// Problems found while building the map.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Every key and its target, sorted by key.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Redirect)> {
        self.map.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// How many redirects the map has.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the map has no redirect.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Whether `path` (without language) is a live page.
    pub fn is_page(&self, path: &str) -> bool {
        self.pages.contains_key(path)
    }

    /// The page (content path) and version at a live path without language.
    pub fn page_at(&self, path: &str) -> Option<(&str, Version)> {
        self.pages.get(path).map(|(p, v)| (&**p, *v))
    }

    /// [`RedirectMap::page_at`] with the page's path shared.
    pub fn page_entry(&self, path: &str) -> Option<(&Arc<str>, Version)> {
        self.pages.get(path).map(|(p, v)| (p, *v))
    }

    /// The map's target for an exact key.
    pub fn get(&self, key: &str) -> Option<&Redirect> {
        self.map.get(key)
    }

    /// Resolves a request path (`/ko/enterprise/3.4/admin/…`) to a page the way
    /// the reference site does; `default_lang` applies when the path has no
    /// language prefix.
    pub fn resolve(&self, request: &str, default_lang: Lang) -> Resolution {
        let (path_part, fragment) = match request.find(['#', '?']) {
            Some(i) => (&request[..i], &request[i..]),
            None => (request, ""),
        };
        let mut segments: Vec<&str> = path_part.split('/').filter(|s| !s.is_empty()).collect();
        let lang = segments
            .first()
            .and_then(|s| (s.len() == 2).then(|| Lang::find(s)).flatten());
        if lang.is_some() {
            segments.remove(0);
        }
        let has_lang = lang.is_some();
        let lang = lang.unwrap_or(default_lang);
        let start = format!("/{}", segments.join("/"));
        let latest_requested =
            request.contains("@latest") || start == "/enterprise-server" || start.starts_with("/enterprise-server/");
        let mut hops = Vec::new();
        let mut cur = start.clone();
        for _ in 0..16 {
            if self.pages.contains_key(&cur) {
                let permalink = with_lang(lang, &cur, fragment);
                if hops.is_empty() && has_lang {
                    return Resolution::Page { permalink };
                }
                let status = if has_lang && !latest_requested { 301 } else { 302 };
                return Resolution::Redirect {
                    permalink,
                    status,
                    hops,
                };
            }
            let next = self
                .map
                .get(&cur)
                .map(|r| r.target.clone())
                .or_else(|| self.correct(&cur));
            match next {
                Some(n) if !hops.contains(&n) && n != cur => {
                    hops.push(cur);
                    cur = n;
                }
                _ => return Resolution::NotFound,
            }
        }
        Resolution::NotFound
    }

    /// The reference's basic corrections of old paths.
    fn correct(&self, path: &str) -> Option<String> {
        let latest = format!("/{}", Version::Ghes(self.latest));
        if let Some(rest) = path.strip_prefix("/free-pro-team@latest") {
            return Some(if rest.is_empty() { "/".into() } else { rest.to_string() });
        }
        if let Some(rest) = path.strip_prefix("/github-ae@latest") {
            let ghec = format!("/enterprise-cloud@latest{rest}");
            return Some(if self.pages.contains_key(&ghec) {
                ghec
            } else if rest.is_empty() {
                "/".into()
            } else {
                rest.into()
            });
        }
        for prefix in ["/enterprise-server@latest", "/enterprise-server"] {
            if let Some(rest) = path.strip_prefix(prefix)
                && (rest.is_empty() || rest.starts_with('/'))
            {
                return Some(format!("{latest}{rest}"));
            }
        }
        if path == "/enterprise" {
            return Some(latest);
        }
        if let Some(rest) = path.strip_prefix("/enterprise/") {
            let (first, tail) = rest.split_once('/').map_or((rest, ""), |(a, b)| (a, b));
            if let Ok(release) = Release::parse_installed(first) {
                let tail = if tail.is_empty() {
                    String::new()
                } else {
                    format!("/{tail}")
                };
                return Some(format!("/{}{}", Version::Ghes(release), normalize(&tail)));
            }
            let rest = format!("/{rest}").replacen("/user/", "/", 1);
            return Some(format!("{latest}{}", normalize(&rest)));
        }
        if path.starts_with("/admin/") || path == "/admin" {
            return Some(format!("{latest}{}", normalize(path)));
        }
        // `/<plan>@<release>/old` where `old` is a redirect_from: map it per version.
        let mut segs = path.splitn(3, '/').skip(1);
        if let (Some(first), Some(rest)) = (segs.next(), segs.next())
            && Plan::split_key(first).is_some()
        {
            let normalized = normalize(&format!("/{rest}"));
            let candidate = format!("/{first}{normalized}");
            if candidate != path {
                return Some(candidate);
            }
        }
        if let Some(rest) = path.strip_prefix("/desktop/guides/") {
            return Some(format!("/desktop/{rest}"));
        }
        None
    }
}

/// `redirect-exceptions.txt`: a line that does not start with `-` is a target,
/// the `- /old` lines after it redirect to it; `#` starts a comment.
fn parse_exceptions(text: &str, file: &Arc<str>, map: &mut BTreeMap<String, Redirect>, findings: &mut Vec<Finding>) {
    let mut target: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let (is_source, path) = match line.strip_prefix('-') {
            Some(p) => (true, p.trim()),
            None => (false, line),
        };
        if let Some((rule, message)) = malformed(path) {
            findings.push(Finding::new(
                "redirects",
                rule,
                Severity::Error,
                file.clone(),
                i + 1,
                message,
            ));
            if !is_source {
                target = None;
            }
            continue;
        }
        if !is_source {
            target = Some(path.to_string());
            continue;
        }
        match &target {
            Some(t) => {
                map.insert(
                    path.to_string(),
                    Redirect {
                        target: t.clone(),
                        origin: Origin::Exception,
                        file: file.clone(),
                        line: i + 1,
                    },
                );
            }
            None => findings.push(Finding::new(
                "redirects",
                "malformed-redirect",
                Severity::Error,
                file.clone(),
                i + 1,
                format!("`- {path}` has no target line above it"),
            )),
        }
    }
}

/// The rules of the `redirects` check.
pub const RULES: &[Rule] = &[
    Rule::error(
        "malformed-redirect",
        "a `redirect_from` path has no leading `/`, a trailing `/`, spaces, a query or capitals",
    ),
    Rule::error("external-redirect", "a `redirect_from` entry is a URL or `//host`"),
    Rule::error("duplicate-redirect", "two pages claim the same old path in a version"),
    Rule::warning("shadowed-redirect", "an old path is also a live page, which wins"),
    Rule::error("redirect-chain", "a redirect leads to another redirect"),
    Rule::error("redirect-cycle", "redirects lead back to where they started"),
    Rule::error("redirect-target-missing", "a redirect leads to no page"),
    Rule::error("unreadable-page", "a page cannot be read, so its redirects are unknown"),
    Rule::warning(
        "translation-redirect-drift",
        "a translation's `redirect_from` differs from English (only English counts)",
    ),
];

/// The translations of the page at `path` whose `redirect_from` differs from
/// English (it is ignored: only English contributes redirects).
pub fn translation_drift(corpus: &Corpus, path: &str, langs: &[Lang]) -> Result<Vec<Finding>, Error> {
    let mut out = Vec::new();
    let Ok(Some(page)) = corpus.page(path) else {
        return Ok(out);
    };
    for &lang in langs.iter().filter(|l| !l.is_english()) {
        let Some(t) = corpus.translation(&page, lang)? else {
            continue;
        };
        let Ok(fm) = &t.frontmatter else { continue };
        let Some(theirs) = &fm.redirect_from else { continue };
        if *theirs != page.frontmatter.redirect_from {
            out.push(
                Finding::new(
                    "redirects",
                    "translation-redirect-drift",
                    Severity::Warning,
                    t.file.clone(),
                    line_of(&t.text, "redirect_from:"),
                    "the translation's redirect_from differs from English (only English redirects are used)".into(),
                )
                .lang(lang),
            );
        }
    }
    Ok(out)
}
