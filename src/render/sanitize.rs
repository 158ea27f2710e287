//! HTML from an untrusted tree: the rendered body keeps only what GitHub Docs
//! content and docgate's own markup use (an allow-list, applied with
//! `ammonia`), so a page or a translation cannot run script in a reader's
//! browser: no `<script>`, no event handlers, no `javascript:` links.
//! `--trust-html` skips it for trees you control.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Elements beyond ammonia's defaults: octicons (SVG), task-list checkboxes.
const EXTRA_TAGS: &[&str] = &["svg", "path", "input", "picture", "source", "figure", "figcaption"];

/// Attributes any element may carry.
const GENERIC_ATTRIBUTES: &[&str] = &[
    "class",
    "id",
    "role",
    "title",
    "lang",
    "dir",
    "aria-label",
    "aria-hidden",
    "aria-describedby",
    "aria-labelledby",
];

/// Attributes per element.
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "name", "hreflang"]),
    ("img", &["src", "alt", "width", "height", "align", "loading"]),
    ("source", &["srcset", "media", "type"]),
    ("svg", &["version", "width", "height", "viewBox", "fill", "xmlns"]),
    ("path", &["d", "fill-rule", "clip-rule", "fill"]),
    ("input", &["type", "checked", "disabled"]),
    ("td", &["align", "colspan", "rowspan"]),
    ("th", &["align", "colspan", "rowspan", "scope"]),
    ("ol", &["start", "type", "reversed"]),
    ("details", &["open"]),
];

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(EXTRA_TAGS.iter().copied())
        .add_generic_attributes(GENERIC_ATTRIBUTES.iter().copied())
        .add_generic_attribute_prefixes(["data-"])
        .tag_attributes(
            TAG_ATTRIBUTES
                .iter()
                .map(|(t, a)| (*t, a.iter().copied().collect::<HashSet<_>>()))
                .collect::<HashMap<_, _>>(),
        )
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        // The links are the page's own; do not add rel attributes the reference does not have.
        .link_rel(None)
        // Comments are invisible on the page and a place to hide markup: dropped.
        .strip_comments(true)
        // Only checkboxes (task lists) among inputs.
        .attribute_filter(|element, attribute, value| {
            if element == "input" && attribute == "type" && value != "checkbox" {
                return None;
            }
            Some(value.into())
        });
    b
});

/// `html` with everything outside the allow-list removed.
///
/// ```
/// use docgate::render::sanitize::sanitize;
/// assert_eq!(sanitize("<p onclick=\"x()\">Hi<script>alert(1)</script></p>"), "<p>Hi</p>");
/// assert_eq!(sanitize("<kbd>Ctrl</kbd>"), "<kbd>Ctrl</kbd>");
/// ```
pub fn sanitize(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_docs_markup() {
        let octicon = r#"<svg version="1.1" width="16" height="16" viewBox="0 0 16 16" class="octicon octicon-check" aria-hidden="true"><path d="M1 2Z"></path></svg>"#;
        assert_eq!(sanitize(octicon), octicon);
        let alert =
            r#"<div class="ghd-alert ghd-alert-note" data-container="alert"><p class="ghd-alert-title">Note</p></div>"#;
        assert_eq!(sanitize(alert), alert);
        let heading = r##"<h2 id="about"><a href="#about">About</a></h2>"##;
        assert_eq!(sanitize(heading), heading);
        let task = r#"<li><input disabled="" type="checkbox" checked=""> done</li>"#;
        assert!(sanitize(task).contains(r#"type="checkbox""#));
    }

    #[test]
    fn removes_script() {
        let out = sanitize(
            r#"<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">x</a><svg onload="alert(3)"></svg><input type="text">"#,
        );
        for bad in ["onerror", "javascript:", "onload", "alert", "type=\"text\""] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
    }
}
