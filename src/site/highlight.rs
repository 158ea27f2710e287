//! Syntax highlighting of the site's code blocks with syntect's bundled
//! Sublime grammars. The output is `<span class="hl-…">` by scope, coloured
//! by `site.css`, so the pages carry no inline styles and no theme file.

use std::sync::LazyLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The class prefix of highlighted spans (`hl-string`, `hl-comment`, …).
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Code longer than this is left plain: grammars are regex machines, and a
/// hostile tree should not make a build slow.
const MAX_CODE: usize = 256 * 1024;

/// The grammar for a fence's language, as GitHub Docs names them: `shell` and
/// `curl` are shell sessions, `jsonc` is JSON; `text` (and unknown names) are plain.
fn syntax_for(lang: &str) -> Option<&'static SyntaxReference> {
    let token = match lang.to_ascii_lowercase().as_str() {
        "text" | "plaintext" | "txt" | "" => return None,
        "shell" | "sh" | "curl" | "console" | "bash" | "zsh" => "bash".to_string(),
        "jsonc" | "json" => "json".to_string(),
        "yml" | "yaml" => "yaml".to_string(),
        "js" | "javascript" | "node" => "js".to_string(),
        other => other.to_string(),
    };
    SYNTAXES.find_syntax_by_token(&token)
}

/// How many highlighted blocks each build thread remembers: a page's blocks
/// come back in each of its versions and languages (code is rarely
/// translated), and a build renders them one after the other on one thread.
const REMEMBERED: usize = 256;

thread_local! {
    /// Highlighted blocks by (language, code), forgotten all at once when full.
    static RECENT: std::cell::RefCell<std::collections::HashMap<(String, String), Option<String>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// `code` (plain text) highlighted as `lang`, as HTML; `None` when the
/// language has no grammar or the code is too long.
pub fn highlight(code: &str, lang: &str) -> Option<String> {
    if code.len() > MAX_CODE {
        return None;
    }
    let key = (lang.to_string(), code.to_string());
    if let Some(hit) = RECENT.with_borrow(|m| m.get(&key).cloned()) {
        return hit;
    }
    let html = highlight_uncached(code, lang);
    RECENT.with_borrow_mut(|m| {
        if m.len() >= REMEMBERED {
            m.clear();
        }
        m.insert(key, html.clone());
    });
    html
}

fn highlight_uncached(code: &str, lang: &str) -> Option<String> {
    let syntax = syntax_for(lang)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, STYLE);
    for line in LinesWithEndings::from(code) {
        generator.parse_html_for_line_which_includes_newline(line).ok()?;
    }
    Some(generator.finalize())
}

/// Every `<pre><code class="language-X">…</code></pre>` of `html` (the
/// rendered, sanitised body) highlighted in place; other blocks unchanged.
pub fn highlight_blocks(html: &str) -> String {
    const OPEN: &str = "<pre><code class=\"language-";
    let mut out = String::with_capacity(html.len() + html.len() / 4);
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        let after = &rest[at + OPEN.len()..];
        let (Some(q), Some(end)) = (after.find('"'), after.find("</code></pre>")) else {
            break;
        };
        let lang = &after[..q];
        let Some(gt) = after[q..].find('>').map(|i| q + i + 1).filter(|gt| *gt <= end) else {
            break;
        };
        let code = unescape(&after[gt..end]);
        out.push_str(&rest[..at + OPEN.len()]);
        out.push_str(&after[..gt]);
        match highlight(&code, lang) {
            Some(h) => out.push_str(&h),
            None => out.push_str(&after[gt..end]),
        }
        out.push_str("</code></pre>");
        rest = &after[end + "</code></pre>".len()..];
    }
    out.push_str(rest);
    out
}

/// The text of escaped HTML (what the Markdown renderer and the sanitiser write
/// inside `<code>`).
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_yaml_json_are_highlighted_and_text_is_not() {
        let html = "<pre><code class=\"language-shell\">$ curl -H &quot;Authorization: x&quot; https://h/api # list\n</code></pre>\n\
                    <pre><code class=\"language-yaml\">on: push\n</code></pre>\
                    <pre><code class=\"language-json\">{&quot;a&quot;: 1}\n</code></pre>\
                    <pre><code class=\"language-text\">a &lt;b&gt;\n</code></pre><pre><code>x</code></pre>";
        let out = highlight_blocks(html);
        assert!(out.contains("<span class=\"hl-comment"), "{out}");
        assert!(out.contains("hl-string"), "{out}");
        assert!(
            out.contains("hl-entity hl-name hl-tag hl-yaml") || out.contains("hl-yaml"),
            "{out}"
        );
        assert!(
            out.contains("<pre><code class=\"language-text\">a &lt;b&gt;\n</code></pre>"),
            "{out}"
        );
        assert!(out.ends_with("<pre><code>x</code></pre>"), "{out}");
        // The text is still escaped: no raw `<` from the code.
        assert!(!out.contains("\"Authorization"), "{out}");
    }

    #[test]
    fn markup_in_code_stays_text() {
        let out = highlight_blocks(
            "<pre><code class=\"language-bash\">echo &lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>",
        );
        assert!(!out.contains("<script") && !out.contains("</script"), "{out}");
        assert!(out.contains("&lt;</span>script"), "{out}");
    }
}
