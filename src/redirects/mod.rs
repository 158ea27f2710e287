//! Redirects: `redirect_from` normalisation (the reference engine's rules) and
//! lookup of a page by any of its old paths.

/// Normalises a `redirect_from` entry or an old request path the way the
/// reference does: the first `/admin/guides/` becomes `/admin/`, the first
/// `/enterprise/` becomes `/`, and a trailing slash is dropped.
///
/// ```
/// use docgate::redirects::normalize;
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
