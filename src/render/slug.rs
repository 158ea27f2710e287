//! Heading ids with github-slugger's rules (what rehype-slug uses on GitHub Docs).

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// Characters github-slugger removes: other numbers, every punctuation but `-` and
/// connector punctuation, symbols, controls, private use, format, unassigned and
/// separators except the plain space — minus alphabetic characters.
static REMOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[[\p{No}\p{Pe}\p{Pf}\p{Pi}\p{Ps}\p{Po}\p{Pd}\p{S}\p{Cc}\p{Co}\p{Cf}\p{Cn}\p{Z}]--[\p{Alphabetic} \-]]")
        .expect("slug regex")
});

/// The slug of `text`: lower-cased, disallowed characters removed, each space a
/// `-`. No trimming, so a trailing space gives a trailing `-` (as on GitHub Docs).
///
/// ```
/// use docgate::render::slug::slugify;
/// assert_eq!(slugify("Triggering a license sync job"), "triggering-a-license-sync-job");
/// assert_eq!(slugify("About GitHub Connect!"), "about-github-connect");
/// assert_eq!(slugify("라이선스 동기화 사용"), "라이선스-동기화-사용");
/// ```
pub fn slugify(text: &str) -> String {
    REMOVE.replace_all(&text.to_lowercase(), "").replace(' ', "-")
}

/// Hands out unique slugs within one document: repeats get `-1`, `-2`, …
#[derive(Debug, Default)]
pub struct Slugger {
    occurrences: HashMap<String, usize>,
}

impl Slugger {
    /// A slugger that has handed out no slug yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A unique slug for `text`.
    pub fn slug(&mut self, text: &str) -> String {
        self.unique(slugify(text))
    }

    /// Makes an already-computed slug unique, and remembers it.
    pub fn unique(&mut self, original: String) -> String {
        let mut result = original.clone();
        while self.occurrences.contains_key(&result) {
            let n = self.occurrences.entry(original.clone()).or_insert(0);
            *n += 1;
            result = format!("{original}-{n}");
        }
        self.occurrences.insert(result.clone(), 0);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_slugger_cases() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("foo_bar-baz"), "foo_bar-baz");
        assert_eq!(slugify("a  b"), "a--b", "runs of hyphens are kept");
        assert_eq!(slugify("Trailing "), "trailing-");
        assert_eq!(slugify("Übergröße"), "übergröße");
        assert_eq!(slugify("数据 变量"), "数据-变量");
        assert_eq!(
            slugify("À propos de la synchronisation"),
            "à-propos-de-la-synchronisation"
        );
        assert_eq!(slugify("emoji 🎉 here"), "emoji--here");
        assert_eq!(slugify("x²"), "x", "other numbers are removed");
        assert_eq!(slugify("«quoted»"), "quoted");
        assert_eq!(slugify("3.10 release"), "310-release");
    }

    #[test]
    fn duplicates_get_suffixes() {
        let mut s = Slugger::new();
        assert_eq!(s.slug("Foo"), "foo");
        assert_eq!(s.slug("Foo"), "foo-1");
        assert_eq!(s.slug("foo-1"), "foo-1-1");
        assert_eq!(s.slug("Foo"), "foo-2");
    }
}
