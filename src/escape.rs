//! Text from outside docgate (a server, an untrusted tree) on its way to a
//! terminal, a log, a database row or a message: control characters escaped
//! and every registered secret redacted.
//!
//! A server that answers with `ESC ] 0 ; … BEL` in a hostname could retitle the
//! user's terminal, hide text or forge a prompt; one that echoes the
//! `Authorization` header would otherwise put the token on stderr and in the job
//! history. Every such string goes through [`untrusted`] (multi-line text) or
//! [`untrusted_line`] (one field on one line) before it is printed or stored.
//!
//! ```
//! use docgate::escape::{register_secret, untrusted, untrusted_line};
//! assert_eq!(untrusted("a\u{1b}[31mred"), "a\\u{1b}[31mred");
//! assert_eq!(untrusted_line("two\nlines"), "two\\nlines");
//! register_secret("ghp_exampleexample");
//! assert_eq!(untrusted("Bearer ghp_exampleexample"), "Bearer ***");
//! ```

use std::borrow::Cow;
use std::fmt::Write;
use std::sync::RwLock;

/// The secrets of this process (tokens): redacted wherever they appear.
static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// The shortest value treated as a secret: shorter ones would redact ordinary words.
const MIN_SECRET: usize = 6;

/// Remembers `secret` so that [`redact`] hides it from now on.
pub fn register_secret(secret: &str) {
    let secret = secret.trim();
    if secret.chars().count() < MIN_SECRET {
        return;
    }
    if let Ok(mut all) = SECRETS.write()
        && !all.iter().any(|s| s == secret)
    {
        all.push(secret.to_string());
        // Longest first, so a secret that contains another is hidden whole.
        all.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }
}

/// `text` with every registered secret replaced by `***`.
pub fn redact(text: &str) -> Cow<'_, str> {
    let Ok(all) = SECRETS.read() else {
        return Cow::Borrowed(text);
    };
    let mut out = Cow::Borrowed(text);
    for s in all.iter() {
        if out.contains(s.as_str()) {
            out = Cow::Owned(out.replace(s.as_str(), "***"));
        }
    }
    out
}

/// Whether `c` must not reach a terminal raw in multi-line text: C0 controls
/// (but newline and tab), DEL, C1 controls, and the bidirectional overrides
/// that reorder what is shown.
pub fn is_terminal_control(c: char) -> bool {
    is_dangerous(c, true)
}

fn is_dangerous(c: char, keep_newlines: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_newlines,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}' => true,
        _ => false,
    }
}

/// Whether `text` holds a character [`is_dangerous`] names, looked for in
/// its UTF-8 bytes (a page is scanned whole on every write: this is the
/// common, clean case).
fn any_dangerous(text: &str, keep_newlines: bool) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().any(|(i, &c)| match c {
        b'\n' | b'\t' => !keep_newlines,
        0..=0x1f | 0x7f => true,
        // U+0080–U+009F.
        0xC2 => matches!(b.get(i + 1), Some(0x80..=0x9f)),
        // U+061C.
        0xD8 => b.get(i + 1) == Some(&0x9c),
        // U+200E, U+200F, U+202A–U+202E, U+2066–U+2069.
        0xE2 => matches!(
            (b.get(i + 1), b.get(i + 2)),
            (Some(0x80), Some(0x8e | 0x8f | 0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        ),
        _ => false,
    })
}

fn escape(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    debug_assert_eq!(
        any_dangerous(text, keep_newlines),
        text.chars().any(|c| is_dangerous(c, keep_newlines))
    );
    if !any_dangerous(text, keep_newlines) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' if !keep_newlines => out.push_str("\\n"),
            '\t' if !keep_newlines => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_dangerous(c, keep_newlines) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Multi-line text from outside, safe to print or store: secrets redacted,
/// control characters other than newline and tab written as `\u{1b}`.
pub fn untrusted(text: &str) -> String {
    escape(&redact(text), true).into_owned()
}

/// One field from outside (a hostname, a login, a status) on one line: like
/// [`untrusted`], and newlines and tabs escaped too.
pub fn untrusted_line(text: &str) -> String {
    escape(&redact(text), false).into_owned()
}

/// A writer for notes that quote outside text: each line written is passed
/// through [`untrusted`] first (whole lines: use it with `writeln!`).
pub struct LineWriter<W: std::io::Write>(pub W);

impl<W: std::io::Write> std::io::Write for LineWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(untrusted(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Escapes text for HTML content and double-quoted attribute values.
///
/// ```
/// assert_eq!(docgate::escape::html(r#"<a href="x">&"#), "&lt;a href=&quot;x&quot;&gt;&amp;");
/// ```
pub fn html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The byte scan finds exactly the characters the char-by-char test names.
        #[test]
        fn byte_scan_agrees(text in "(\\PC|[\\u{0}-\\u{1f}\\u{7f}-\\u{9f}\\u{200e}\\u{200f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}\\u{61c}\\u{2000}-\\u{2100}\\u{600}-\\u{640}])*", keep in proptest::bool::ANY) {
            proptest::prop_assert_eq!(
                any_dangerous(&text, keep),
                text.chars().any(|c| is_dangerous(c, keep))
            );
        }
    }

    #[test]
    fn escapes_terminal_controls() {
        let osc = "\u{1b}]0;pwned\u{7}host\u{9b}2J\u{202e}txt";
        let s = untrusted_line(osc);
        assert!(!s.chars().any(|c| c.is_control()), "{s:?}");
        assert_eq!(s, "\\u{1b}]0;pwned\\u{7}host\\u{9b}2J\\u{202e}txt");
        assert_eq!(untrusted("keep\nthis\ttab"), "keep\nthis\ttab");
        assert_eq!(untrusted("cr\r"), "cr\\r");
        assert_eq!(untrusted("plain ünïcode 데이터"), "plain ünïcode 데이터");
    }

    #[test]
    fn redacts_secrets_longest_first() {
        register_secret("tok_shortsecret");
        register_secret("tok_shortsecret_and_more");
        register_secret("abc");
        assert_eq!(redact("x tok_shortsecret_and_more y tok_shortsecret"), "x *** y ***");
        assert_eq!(redact("abc"), "abc", "too short to be a token");
    }
}
