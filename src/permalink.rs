//! Site paths: permalinks (`/<lang>[/<version>]/<path>`), the language prefix,
//! the rewriting of internal links for a version and language, and the
//! normalisation of old (`redirect_from`) paths. Built on the `versions` and
//! `languages` types; every other module formats and reads site paths through
//! this one.

use crate::languages::Lang;
use crate::versions::{Plan, Version};

/// `/<lang>[/<version>]<url_path>` (fpt has no version segment); `url_path` is
/// a page's path part (`/admin/x`, or empty for the home page).
///
/// ```
/// use docgate::languages::Lang;
/// use docgate::versions::{Release, Version};
/// let v = Version::Ghes(Release::new(3, 5));
/// assert_eq!(docgate::permalink::permalink("/admin/x", v, Lang::ENGLISH), "/en/enterprise-server@3.5/admin/x");
/// assert_eq!(docgate::permalink::permalink("", Version::Fpt, Lang::ENGLISH), "/en");
/// ```
pub fn permalink(url_path: &str, version: Version, lang: Lang) -> String {
    let mut s = String::with_capacity(url_path.len() + 28);
    s.push('/');
    s.push_str(lang.code());
    push_version(&mut s, version);
    s.push_str(url_path);
    s
}

/// Appends `/` and the version's URL segment (nothing for fpt, which has none).
fn push_version(out: &mut String, version: Version) {
    if version != Version::Fpt {
        out.push('/');
        version.push_key(out);
    }
}

/// Normalises a `redirect_from` entry or an old request path the way the
/// reference does: the first `/admin/guides/` becomes `/admin/`, the first
/// `/enterprise/` becomes `/`, and a trailing slash is dropped.
///
/// ```
/// use docgate::permalink::normalize;
/// assert_eq!(normalize("/enterprise/admin/installation/x"), "/admin/installation/x");
/// assert_eq!(normalize("/admin/guides/installation/x/"), "/admin/installation/x");
/// ```
pub fn normalize(path: &str) -> String {
    let mut p = path.replacen("/admin/guides/", "/admin/", 1);
    p = p.replacen("/enterprise/", "/", 1);
    while p.len() > 1 && p.ends_with('/') {
        p.pop();
    }
    p
}

/// A permalink without its language: `/ko/enterprise-server@3.5/x` →
/// `/enterprise-server@3.5/x`, `/en` → `/` (the inverse of [`with_lang`]).
pub fn without_lang(permalink: &str) -> String {
    match permalink.splitn(3, '/').nth(2) {
        Some(p) => {
            let mut s = String::with_capacity(p.len() + 1);
            s.push('/');
            s.push_str(p);
            s
        }
        None => "/".to_string(),
    }
}

/// A path without language (`/enterprise-server@3.5/x`, `/` for the home
/// page) with the language added, then `fragment` (`#…`, `?…` or empty).
pub fn with_lang(lang: Lang, path: &str, fragment: &str) -> String {
    let mut out = String::with_capacity(3 + path.len() + fragment.len());
    out.push('/');
    out.push_str(lang.code());
    if path != "/" {
        out.push_str(path);
    }
    out.push_str(fragment);
    out
}

/// Whether `href` is a path of the docs site that links are rewritten for:
/// `/`-rooted, not protocol-relative, not an asset (`/assets/`, `/public/`).
pub fn is_site_path(href: &str) -> bool {
    href.starts_with('/') && !href.starts_with("//") && !href.starts_with("/assets/") && !href.starts_with("/public/")
}

/// Rewrites an internal link the way the reference does before resolving it:
/// language added, version segment set to the current version (kept when the
/// link names one), `@latest` made concrete, fpt left out of URLs.
///
/// ```
/// use docgate::languages::Lang;
/// use docgate::permalink::rewrite_link;
/// use docgate::versions::{Release, Version};
/// let v = Version::Ghes(Release::new(3, 5));
/// let ko = Lang::find("ko").unwrap();
/// let latest = Release::new(3, 22);
/// assert_eq!(rewrite_link("/billing/x#y", v, ko, latest), "/ko/enterprise-server@3.5/billing/x#y");
/// assert_eq!(rewrite_link("/enterprise-cloud@latest/billing/x", v, ko, latest), "/ko/enterprise-cloud@latest/billing/x");
/// assert_eq!(rewrite_link("/assets/images/a.png", v, ko, latest), "/assets/images/a.png");
/// ```
pub fn rewrite_link(href: &str, version: Version, lang: Lang, latest: crate::versions::Release) -> String {
    if !is_site_path(href) {
        return href.to_string();
    }
    // Written straight into the result: links are rewritten by the million.
    let mut out = String::with_capacity(href.len() + 28);
    out.push('/');
    out.push_str(lang.code());
    push_rewritten(&mut out, href, version, latest);
    out
}

/// [`rewrite_link`] without the language, as the redirect map keys pages:
/// `/enterprise-server@3.5/x`, `/` for the home page (what
/// [`without_lang`] makes of the rewritten link, without making it first).
///
/// ```
/// use docgate::languages::Lang;
/// use docgate::permalink::{rewrite_link, rewrite_path, without_lang};
/// use docgate::versions::{Release, Version};
/// let latest = Release::new(3, 22);
/// for v in [Version::Fpt, Version::Ghec, Version::Ghes(Release::new(3, 5))] {
///     for path in ["/billing/x", "/", "/ko", "/admin/x", "/desktop/y", "/enterprise-server@latest/a", "/assets/i.png", "/free-pro-team@latest"] {
///         assert_eq!(rewrite_path(path, v, latest), without_lang(&rewrite_link(path, v, Lang::ENGLISH, latest)));
///     }
/// }
/// ```
pub fn rewrite_path(path: &str, version: Version, latest: crate::versions::Release) -> String {
    if !is_site_path(path) || path.contains(['#', '?']) {
        return without_lang(&rewrite_link(path, version, Lang::ENGLISH, latest));
    }
    let mut out = String::with_capacity(path.len() + 24);
    push_rewritten(&mut out, path, version, latest);
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// Writes what [`rewrite_link`] puts after the language: the version segment,
/// the path's segments, then its fragment or query.
fn push_rewritten(out: &mut String, href: &str, version: Version, latest: crate::versions::Release) {
    let split = href.find(['#', '?']).unwrap_or(href.len());
    let (path, rest) = href.split_at(split);
    let mut segs = path.split('/').filter(|s| !s.is_empty()).peekable();
    if segs.peek().is_some_and(|s| s.len() == 2 && Lang::find(s).is_some()) {
        segs.next();
    }
    // The version segment: the one the link names (`@latest` made concrete,
    // fpt's left out), else the render's; none for desktop docs and fpt.
    let first = segs.peek().copied();
    let named = first.filter(|s| Plan::split_key(s).is_some());
    if named.is_some() {
        segs.next();
    }
    match named {
        Some("enterprise-server@latest") => push_version(out, Version::Ghes(latest)),
        Some("free-pro-team@latest" | "free-pro-team" | "fpt") => {}
        Some(named) => {
            out.push('/');
            out.push_str(named);
        }
        None if first == Some("desktop") => {}
        None if version == Version::Fpt && first == Some("admin") => push_version(out, Version::Ghec),
        None => push_version(out, version),
    }
    for s in segs {
        out.push('/');
        out.push_str(s);
    }
    out.push_str(rest);
}
