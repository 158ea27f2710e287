//! Pre-2021 version conditions: `{% if currentVersion ver_gt "enterprise-server@2.22" %}`,
//! `{% if currentVersion == "free-pro-team@latest" %}`,
//! `{% if enterpriseServerVersions contains currentVersion %}`.
//!
//! The old engine registered `ver_gt` and `ver_lt` as Liquid operators. Instead
//! of a second comparison engine, an `if` block whose every branch is such a
//! version condition is rewritten into the equivalent `ifversion` block, so one
//! evaluator ([`crate::versions::Condition`]) answers it. Other `if` blocks are
//! left to Liquid (`currentVersion == "…"` works there as a plain comparison).

use std::borrow::Cow;

use crate::scan::{TagSpan, tags};

/// Marks a path [`quote_data_paths`] quoted, so the tags can tell it from a
/// path the writer quoted.
const QUOTED_BY_DOCGATE: char = '\u{1f}';

/// Quotes `data` paths Liquid's grammar cannot read as a variable (a segment
/// that starts with a digit, as in `reusables.two_fa.2fa_not_supported`), and
/// the page paths of the 2021 link tags (`{% link_with_intro /quickstart %}`),
/// with a mark inside the quotes that [`data_path`] recognises.
///
/// ```
/// use docgate::render::legacy::quote_data_paths;
/// assert_eq!(quote_data_paths("{% data reusables.two_fa.2fa_x %}"), "{% data \"\u{1f}reusables.two_fa.2fa_x\" %}");
/// assert_eq!(quote_data_paths("{% data variables.a.b %}"), "{% data variables.a.b %}");
/// let raw = "{% raw %}{% data reusables.two_fa.2fa_x %}{% endraw %}";
/// assert_eq!(quote_data_paths(raw), raw);
/// assert_eq!(quote_data_paths("{% link_in_list /a/b %}"), "{% link_in_list \"\u{1f}/a/b\" %}");
/// ```
pub fn quote_data_paths(text: &str) -> Cow<'_, str> {
    if !text.contains("data") && !text.contains("link") {
        return Cow::Borrowed(text);
    }
    let needs = |path: &str| {
        path.split('.')
            .skip(1)
            .any(|seg| seg.starts_with(|c: char| c.is_ascii_digit()))
    };
    let mut out = String::new();
    let mut last = 0;
    let mut in_raw = false;
    for t in tags(text) {
        let name = t.name(text);
        match name {
            "raw" => in_raw = true,
            "endraw" => in_raw = false,
            _ => {}
        }
        let link = super::docs_tags::LINK_TAGS.contains(&name);
        if in_raw || (!crate::scan::takes_data_path(name) && !link) {
            continue;
        }
        let inner = t.inner(text);
        let rest = inner[name.len()..].trim_start();
        let path_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let path = &rest[..path_end];
        let quote = if link { path.starts_with('/') } else { needs(path) };
        if path.starts_with(['"', '\'']) || !quote {
            continue;
        }
        let start = t.inner.0 + (inner.len() - rest.len());
        out.push_str(&text[last..start]);
        out.push('"');
        out.push(QUOTED_BY_DOCGATE);
        out.push_str(path);
        out.push('"');
        last = start + path.len();
    }
    if last == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// The data path a `data`/`indented_data_reference` tag was given: a bare path,
/// or one [`quote_data_paths`] quoted. A path the writer quoted is an error:
/// the reference engine looks it up quotes and all, and finds nothing.
pub(crate) fn data_path(token: &str) -> Result<&str, String> {
    match super::liquid::unquote(token) {
        None => Ok(token),
        Some(inner) => inner.strip_prefix(QUOTED_BY_DOCGATE).ok_or_else(|| {
            format!(
                "{token}: write the data path without quotes (the reference engine finds nothing for a quoted path)"
            )
        }),
    }
}

/// Whether `text` may contain legacy version conditions worth rewriting.
pub fn has_legacy_conditions(text: &str) -> bool {
    text.contains("ver_gt") || text.contains("ver_lt") || text.contains("enterpriseServerVersions contains")
}

fn unquote(s: &str) -> Option<&str> {
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
}

/// `plan@release` → the `ifversion` term for `currentVersion OP that`.
fn term(op: &str, version: &str) -> Option<String> {
    let (plan, release) = crate::versions::Plan::split_key(version)?;
    let short = plan.short_name();
    let numbered = short == "ghes" && release != "latest";
    Some(match (op, numbered) {
        ("==", false) => short.to_string(),
        ("!=", false) => format!("not {short}"),
        ("==", true) => format!("ghes = {release}"),
        ("!=", true) => format!("ghes != {release}"),
        ("ver_gt", true) => format!("ghes > {release}"),
        ("ver_lt", true) => format!("ghes < {release}"),
        _ => return None,
    })
}

/// Converts an `if` condition made only of version comparisons.
fn convert(args: &str) -> Option<String> {
    let words: Vec<&str> = args.split_whitespace().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        match words[i..] {
            // "On a supported GHES release": the old engine rendered nothing else, so
            // `ghes` (docgate also renders deprecated releases, which need their help).
            ["enterpriseServerVersions", "contains", "currentVersion", ..] => {
                out.push("ghes".to_string());
                i += 3;
            }
            ["currentVersion", op, v, ..] if matches!(op, "==" | "!=" | "ver_gt" | "ver_lt") => {
                out.push(term(op, unquote(v)?)?);
                i += 3;
            }
            [join, ..] if !out.is_empty() && matches!(join, "and" | "or") && i + 1 < words.len() => {
                out.push(join.to_string());
                i += 1;
            }
            _ => return None,
        }
    }
    (!out.is_empty()).then(|| out.join(" "))
}

/// Rewrites every `if` block whose branches are all version conditions (and at
/// least one uses `ver_gt`, `ver_lt` or `enterpriseServerVersions`) into an
/// `ifversion` block.
///
/// ```
/// use docgate::render::legacy::rewrite;
/// let t = r#"{% if currentVersion ver_gt "enterprise-server@2.22" %}new{% else %}old{% endif %}"#;
/// assert_eq!(rewrite(t), "{% ifversion ghes > 2.22 %}new{% else %}old{% endif %}");
/// ```
pub fn rewrite(text: &str) -> Cow<'_, str> {
    if !has_legacy_conditions(text) {
        return Cow::Borrowed(text);
    }
    let spans = tags(text);
    // Each `if` block: its opener and branch tags (indices into `spans`).
    let mut blocks: Vec<Vec<usize>> = Vec::new();
    let mut stack: Vec<(usize, bool)> = Vec::new(); // (block index, is `if`)
    for (i, t) in spans.iter().enumerate() {
        match t.name(text) {
            "if" => {
                blocks.push(vec![i]);
                stack.push((blocks.len() - 1, true));
            }
            "ifversion" | "unless" => stack.push((usize::MAX, false)),
            "elsif" | "else" => {
                if let Some((b, true)) = stack.last() {
                    blocks[*b].push(i);
                }
            }
            "endif" | "endunless" => {
                stack.pop();
            }
            _ => {}
        }
    }
    let mut edits: Vec<(TagSpan, String)> = Vec::new();
    for block in blocks {
        let legacy = block.iter().any(|&i| has_legacy_conditions(spans[i].inner(text)));
        if !legacy {
            continue;
        }
        let mut converted = Vec::new();
        for &i in &block {
            let t = spans[i];
            let new = match t.name(text) {
                "else" => Some(t.inner(text).to_string()),
                name => convert(&t.args(text)).map(|c| match name {
                    "if" => format!("ifversion {c}"),
                    _ => format!("elsif {c}"),
                }),
            };
            match new {
                Some(n) => converted.push((t, n)),
                None => break,
            }
        }
        if converted.len() == block.len() {
            edits.extend(converted);
        }
    }
    if edits.is_empty() {
        return Cow::Borrowed(text);
    }
    edits.sort_by_key(|(t, _)| t.start);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (t, inner) in edits {
        out.push_str(&text[last..t.inner.0]);
        out.push_str(&inner);
        last = t.inner.1;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_blocks_become_ifversion() {
        let t = r#"{% if currentVersion == "free-pro-team@latest" %}a{% elsif currentVersion ver_lt "enterprise-server@3.0" or enterpriseServerVersions contains currentVersion %}b{% endif %}"#;
        assert_eq!(
            rewrite(t),
            "{% ifversion fpt %}a{% elsif ghes < 3.0 or ghes %}b{% endif %}"
        );
        let t = r#"{% if currentVersion != 'github-ae@latest' and currentVersion ver_gt 'enterprise-server@2.21' %}x{% endif %}"#;
        assert_eq!(rewrite(t), "{% ifversion not ghae and ghes > 2.21 %}x{% endif %}");
    }

    #[test]
    fn other_ifs_are_left_alone() {
        let plain = r#"{% if currentVersion == "free-pro-team@latest" %}a{% endif %}"#;
        assert_eq!(rewrite(plain), plain, "no legacy operator: plain Liquid handles it");
        let mixed = r#"{% if page.x %}{% if currentVersion ver_gt "enterprise-server@2.22" %}n{% endif %}{% elsif foo %}b{% endif %}"#;
        assert_eq!(
            rewrite(mixed),
            r#"{% if page.x %}{% ifversion ghes > 2.22 %}n{% endif %}{% elsif foo %}b{% endif %}"#
        );
        let unconvertible = r#"{% if currentVersion ver_gt "enterprise-server@2.22" and page.x %}n{% endif %}"#;
        assert_eq!(rewrite(unconvertible), unconvertible);
    }
}
