//! Languages: the table of supported languages and where their translations
//! live. The repair of Liquid that translators broke is rendering work
//! (`render::repair`).

use std::fmt;

use crate::error::Error;

struct LanguageInfo {
    code: &'static str,
    name: &'static str,
    native: &'static str,
    locale: &'static str,
    legacy: &'static [&'static str],
}

const LANGUAGES: [LanguageInfo; 9] = [
    LanguageInfo {
        code: "en",
        name: "English",
        native: "English",
        locale: "en",
        legacy: &[],
    },
    LanguageInfo {
        code: "es",
        name: "Spanish",
        native: "Español",
        locale: "es-es",
        legacy: &[],
    },
    LanguageInfo {
        code: "ja",
        name: "Japanese",
        native: "日本語",
        locale: "ja-jp",
        legacy: &["jp"],
    },
    LanguageInfo {
        code: "pt",
        name: "Portuguese",
        native: "Português do Brasil",
        locale: "pt-br",
        legacy: &["br"],
    },
    LanguageInfo {
        code: "zh",
        name: "Simplified Chinese",
        native: "简体中文",
        locale: "zh-cn",
        legacy: &["cn"],
    },
    LanguageInfo {
        code: "ru",
        name: "Russian",
        native: "Русский",
        locale: "ru-ru",
        legacy: &[],
    },
    LanguageInfo {
        code: "fr",
        name: "French",
        native: "Français",
        locale: "fr-fr",
        legacy: &[],
    },
    LanguageInfo {
        code: "ko",
        name: "Korean",
        native: "한국어",
        locale: "ko-kr",
        legacy: &["kr"],
    },
    LanguageInfo {
        code: "de",
        name: "German",
        native: "Deutsch",
        locale: "de-de",
        legacy: &[],
    },
];

/// One of the nine documentation languages.
///
/// ```
/// use docgate::languages::Lang;
/// let ko = Lang::parse("ko-KR").unwrap();
/// assert_eq!(ko.code(), "ko");
/// assert_eq!(ko.locale(), "ko-kr");
/// assert!(Lang::parse("xx").is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(u8);

impl Lang {
    /// English, the source language (`en`).
    pub const ENGLISH: Lang = Lang(0);

    /// Every language, English first.
    pub fn all() -> impl Iterator<Item = Lang> {
        (0..LANGUAGES.len() as u8).map(Lang)
    }

    fn info(self) -> &'static LanguageInfo {
        &LANGUAGES[self.0 as usize]
    }

    /// The URL code: `en`, `ko`, `zh`, …
    pub fn code(self) -> &'static str {
        self.info().code
    }

    /// The English name of the language.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The language's own name.
    pub fn native_name(self) -> &'static str {
        self.info().native
    }

    /// The folder under `translations/`: `ko-kr`, `zh-cn`, …
    pub fn locale(self) -> &'static str {
        self.info().locale
    }

    /// Whether this is English.
    pub fn is_english(self) -> bool {
        self == Lang::ENGLISH
    }

    /// Whether lines break only at spaces, never inside a word: Korean writes
    /// spaces between words (CSS `word-break: keep-all`). Chinese and Japanese
    /// have no spaces and break between characters (UAX #14).
    pub fn keeps_words_whole(self) -> bool {
        self.code() == "ko"
    }

    /// Looks up a code (`ko`), a locale in any case (`ko-KR`, `ko-kr`) or a legacy
    /// URL prefix (`kr`).
    pub fn find(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        Lang::all().find(|l| l.code() == s || l.locale() == s || l.info().legacy.contains(&s.as_str()))
    }

    /// Like [`Lang::find`], with a usage error listing the languages.
    pub fn parse(s: &str) -> Result<Lang, Error> {
        Lang::find(s).ok_or_else(|| {
            Error::usage(format!("unknown language `{s}`")).with_help(format!(
                "use one of: {}",
                Lang::all().map(|l| l.code()).collect::<Vec<_>>().join(", ")
            ))
        })
    }

    /// The `translations/<locale>` folder of a translated language.
    pub fn translation_root(self) -> Option<String> {
        (!self.is_english()).then(|| format!("translations/{}", self.locale()))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Lang({})", self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(Lang::all().count(), 9);
        assert_eq!(Lang::find("zh-CN").unwrap().code(), "zh");
        assert_eq!(Lang::find("jp").unwrap().code(), "ja");
        assert_eq!(Lang::find("pt_BR").unwrap().code(), "pt");
        assert_eq!(Lang::find("en").unwrap().translation_root(), None);
        assert_eq!(
            Lang::find("fr").unwrap().translation_root().as_deref(),
            Some("translations/fr-fr")
        );
        let e = Lang::parse("klingon").unwrap_err();
        assert!(e.to_string().contains("unknown language"));
    }
}
