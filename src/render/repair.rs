//! Repair of Liquid that translation broke.
//!
//! Machine and human translators translate things they should not: keywords
//! (`{% 데이터 variables… %}`), operators (`ou`, `또는`), decimal points (`3,4`),
//! quotes, spacing and line breaks. The reference engine fixes these with a long
//! ordered list of string rewrites; docgate keeps the same order as a rule table:
//!
//! 1. universal pre-fixes (all languages);
//! 2. the language's lexicon: translated tag names, operators and data-path words,
//!    plus a few language-specific rewrites;
//! 3. generic post-fixes, some of which read the English text by position;
//! 4. last, removal of orphan closers.
//!
//! Every rule has an id and a description ([`rules`]) and a test. The repair
//! only touches Liquid tags and the line structure around them, never prose.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::languages::Lang;
use crate::scan::{TagSpan, tags};

/// Translated words for one language. Keys are matched exactly, longest first.
pub struct Lexicon {
    /// The language code (`es`, `ja`, …).
    pub lang: &'static str,
    /// Translated tag names (or name + path prefix) → English, at the start of a tag.
    pub tag_names: &'static [(&'static str, &'static str)],
    /// Translated operators in `if`/`ifversion`/`elsif` conditions, whole words.
    pub operators: &'static [(&'static str, &'static str)],
    /// Translated words inside `data` paths.
    pub path_words: &'static [(&'static str, &'static str)],
    /// Other rewrites for this language, as (pattern, replacement).
    pub rewrites: &'static [(&'static str, &'static str, &'static str)],
}

/// Spanish.
pub static ES: Lexicon = Lexicon {
    lang: "es",
    tag_names: &[
        ("de datos", "data"),
        ("datos", "data"),
        ("siVersion", "ifversion"),
        ("si", "if"),
        ("otra", "else"),
        ("sin procesar", "raw"),
        ("sin formato", "raw"),
        ("comentario", "comment"),
        ("cuando", "when"),
        ("icono", "octicon"),
        ("capturar", "capture"),
        ("nota", "note"),
        ("encabezados de fila", "rowheaders"),
        ("de escritorio", "desktop"),
    ],
    operators: &[("o", "or"), ("y/o", "or"), ("y", "and"), ("no", "not")],
    path_words: &[
        ("reutilizables.", "reusables."),
        ("variablesdatos.producto.", "variables.product."),
        ("producto.", "product."),
    ],
    rewrites: &[
        ("es-colon-after-open", r"\{%:\s*", "{% "),
        ("es-for-en", r"\{%(-?)\s*para\s+(\S+)\s+en\s+", "{%$1 for $2 in "),
    ],
};

/// Japanese.
pub static JA: Lexicon = Lexicon {
    lang: "ja",
    tag_names: &[
        ("データ", "data"),
        ("メモ", "note"),
        ("ノート", "note"),
        ("それ以外の場合", "else"),
        ("それ以外", "else"),
        ("終わり", "endif"),
        ("終了", "endif"),
    ],
    operators: &[("または", "or"), ("かつ", "and"), ("および", "and")],
    path_words: &[
        ("変数.", "variables."),
        ("再利用可能.", "reusables."),
        ("再利用.", "reusables."),
    ],
    rewrites: &[
        ("ja-version-variable", r"\{\{\s*バージョン\s*\}\}", "{{ version }}"),
        (
            "ja-else-ifversion",
            r"\{%(-?)\s*それ以外の場合\s+ifversion\s+",
            "{%$1 elsif ",
        ),
    ],
};

/// Portuguese (Brazil).
pub static PT: Lexicon = Lexicon {
    lang: "pt",
    tag_names: &[
        ("variáveis de dados.", "data variables."),
        ("dadosvariables.", "data variables."),
        ("dados", "data"),
        ("datas", "data"),
        ("senão se", "elsif"),
        ("senão", "else"),
        ("caso contrário", "else"),
        ("mais", "else"),
        ("se", "if"),
        ("atribuir", "assign"),
        ("bruto", "raw"),
        ("janelas", "windows"),
        ("observação", "note"),
        ("nota de fim", "endnote"),
        ("referência_dados_indentados", "indented_data_reference"),
    ],
    operators: &[("ou", "or"), ("e", "and")],
    path_words: &[
        ("reutilizáveis.", "reusables."),
        ("reusáveis.", "reusables."),
        ("variáveis.", "variables."),
        ("repositórios", "repositories"),
    ],
    rewrites: &[
        ("pt-en-dash-trim", r"\{%–", "{%-"),
        (
            "pt-plan-before-ifversion",
            r"\{%(-?)\s*(fpt|ghec|ghes|ghae)\s+ifversion\b",
            "{%$1 ifversion $2",
        ),
        ("pt-for-em", r"\{%(-?)\s*para\s+(\S+)\s+em\s+", "{%$1 for $2 in "),
    ],
};

/// Simplified Chinese.
pub static ZH: Lexicon = Lexicon {
    lang: "zh",
    tag_names: &[
        ("数据变量.", "data variables."),
        ("数据可重用s.", "data reusables."),
        ("数据可重用.", "data reusables."),
        ("数据", "data"),
        ("否则如果", "elsif"),
        ("否则", "else"),
        ("其他", "else"),
        ("如果", "if"),
        ("结束if", "endif"),
        ("结束for", "endfor"),
        ("结束", "endif"),
        ("结尾", "endif"),
        ("原始", "raw"),
        ("捕获", "capture"),
        ("行标题", "rowheaders"),
    ],
    operators: &[("或", "or"), ("和", "and")],
    path_words: &[
        ("变量.", "variables."),
        ("可重用s.", "reusables."),
        ("可重用.", "reusables."),
        ("可复用.", "reusables."),
        ("Variables.", "variables."),
        ("Reusables.", "reusables."),
    ],
    rewrites: &[],
};

/// Russian.
pub static RU: Lexicon = Lexicon {
    lang: "ru",
    tag_names: &[
        ("переменных данных.", "data variables."),
        ("данных", "data"),
        ("данные", "data"),
        ("Эльсиф", "elsif"),
        ("иначе", "else"),
        ("еще", "else"),
        ("остальных", "else"),
        ("конец", "endif"),
    ],
    operators: &[("или", "or"), ("и", "and"), ("не", "not")],
    path_words: &[("переменные.", "variables."), ("повторно используемых.", "reusables.")],
    rewrites: &[
        (
            "ru-autotitle",
            r"\[(?:«AUTOTITLE»|АВТОЗАГОЛОВОК|«АВТОЗАГОЛОВОК»)\]",
            "[AUTOTITLE]",
        ),
        (
            "ru-and-not",
            r"(\{%-?\s*(?:if|ifversion|elsif)\s[^%]*?),\s*а\s+не\s+",
            "$1 and not ",
        ),
    ],
};

/// French.
pub static FR: Lexicon = Lexicon {
    lang: "fr",
    tag_names: &[
        ("données", "data"),
        ("sinon", "else"),
        ("autre", "else"),
        ("brut", "raw"),
        ("redessiner", "endraw"),
        ("remarque", "note"),
        ("avertissement", "warning"),
        ("conseil", "tip"),
        ("note de fin", "endnote"),
        ("fincas", "endcase"),
        ("assigner", "assign"),
        ("quand", "when"),
    ],
    operators: &[("ou", "or"), ("et", "and")],
    path_words: &[
        ("données_réutilisables.", "reusables."),
        ("composants réutilisables.", "reusables."),
        ("réutilisables.", "reusables."),
    ],
    rewrites: &[
        ("fr-for-dans", r"\{%(-?)\s*pour\s+(\S+)\s+dans\s+", "{%$1 for $2 in "),
        ("fr-stray-tags", r"\{%-?\s*(?:référentiel|paramètres)\s*-?%\}", ""),
    ],
};

/// Korean.
pub static KO: Lexicon = Lexicon {
    lang: "ko",
    tag_names: &[
        ("데이터.variables.", "data variables."),
        ("데이터", "data"),
        ("datda", "data"),
        ("그렇지 않으면", "else"),
        ("기타", "else"),
        ("만약", "if"),
        ("만일", "if"),
        ("참고", "note"),
        ("원시", "raw"),
        ("들여쓰기_데이터_참조", "indented_data_reference"),
        ("옥티콘", "octicon"),
        ("행 머리글", "rowheaders"),
        ("엔드맥", "endmac"),
        ("윈도우즈", "windows"),
        ("윈도우", "windows"),
        ("주석 끝", "endnote"),
        ("캡처", "capture"),
    ],
    operators: &[("또는", "or"), ("그리고", "and")],
    path_words: &[
        ("변숫값.", "variables."),
        ("변수.", "variables."),
        ("재사용 가능 항목.", "reusables."),
        ("재사용 가능.", "reusables."),
        ("재사용.", "reusables."),
        ("Variables.", "variables."),
        ("Variable.", "variables."),
    ],
    rewrites: &[
        ("ko-autotitle", r#"\[AUTOTITLE"?을 참조하세요\]"#, "[AUTOTITLE]"),
        ("ko-for-in", r"\{%(-?)\s*위해\s+(\S+)\s+안에\s+", "{%$1 for $2 in "),
    ],
};

/// German.
pub static DE: Lexicon = Lexicon {
    lang: "de",
    tag_names: &[
        ("Datenvariablen.", "data variables."),
        ("data-variables.", "data variables."),
        ("Daten", "data"),
        ("datan", "data"),
        ("sonst ifversion", "elsif"),
        ("ansonsten", "else"),
        ("andernfalls", "else"),
        ("sonst", "else"),
        ("andere", "else"),
        ("Hinweis", "note"),
        ("Warnung", "warning"),
        ("Tipp", "tip"),
        ("Aufforderung", "prompt"),
        ("Zeilenkopfzeilen", "rowheaders"),
        ("Rohdaten", "raw"),
        ("unformatierte", "raw"),
        ("Endnotiz", "endnote"),
        ("ifec", "ifversion"),
        ("eingerucktes_datenverweis", "indented_data_reference"),
        ("für", "for"),
    ],
    operators: &[("oder", "or"), ("und", "and")],
    path_words: &[
        ("Variablen.", "variables."),
        ("wiederverwendbaren.", "reusables."),
        ("wiederverwendbare.", "reusables."),
        ("wiederverwendbar.", "reusables."),
    ],
    rewrites: &[],
};

/// Every language's lexicon.
pub static LEXICONS: [&Lexicon; 8] = [&ES, &JA, &PT, &ZH, &RU, &FR, &KO, &DE];

/// A rule of the table, for documentation and lint.
#[derive(Clone, Copy, Debug)]
pub struct RuleInfo {
    /// The rule's name (`delimiter-spaces`, …).
    pub id: &'static str,
    /// `None`: every language.
    pub lang: Option<&'static str>,
    /// What the rule repairs, in one line.
    pub description: &'static str,
}

/// The rules applied to every language, in order (the lexicons come between the
/// pre-fixes and the post-fixes).
pub const GENERIC_RULES: [RuleInfo; 12] = [
    RuleInfo {
        id: "delimiter-spaces",
        lang: None,
        description: "`{ %` and `% }` lose their inner spaces",
    },
    RuleInfo {
        id: "missing-data-keyword",
        lang: None,
        description: "`{% variables.x %}` / `{% reusables.x %}` get their `data` back",
    },
    RuleInfo {
        id: "data-dot",
        lang: None,
        description: "`{% data.variables.x %}` becomes `{% data variables.x %}`",
    },
    RuleInfo {
        id: "smart-quotes-in-tags",
        lang: None,
        description: "typographic quotes inside tags become ASCII quotes",
    },
    RuleInfo {
        id: "tag-name-case",
        lang: None,
        description: "`Data`, `Endif`, `Elsif`… and typos (`dada`, `okticon`, `endifen`) become the tag names",
    },
    RuleInfo {
        id: "decimal-comma",
        lang: None,
        description: "`ghes > 3,4` becomes `ghes > 3.4` in conditions",
    },
    RuleInfo {
        id: "condition-whitespace",
        lang: None,
        description: "runs of spaces inside if/ifversion/elsif become one space",
    },
    RuleInfo {
        id: "data-args",
        lang: None,
        description: "words before a data path, `.variables` and `variable.` are cleaned up",
    },
    RuleInfo {
        id: "data-paths-by-position",
        lang: None,
        description: "data paths that are not valid paths take the English path at the same position",
    },
    RuleInfo {
        id: "line-breaks-after-tags",
        lang: None,
        description: "a tag glued to the next one gets the line break it has in English",
    },
    RuleInfo {
        id: "split-glued-step-tags",
        lang: None,
        description: "a line of several step reusables is split into one line per step",
    },
    RuleInfo {
        id: "orphan-closers",
        lang: None,
        description: "closers without openers are removed from the end; stray else/elsif without any if go",
    },
];

/// All rules, in the order they run for `lang` (or for every language).
pub fn rules() -> Vec<RuleInfo> {
    let mut v: Vec<RuleInfo> = GENERIC_RULES[..3].to_vec();
    for lex in LEXICONS {
        for (id, _, _) in lex.rewrites {
            v.push(RuleInfo {
                id,
                lang: Some(lex.lang),
                description: "language-specific rewrite",
            });
        }
        v.push(RuleInfo {
            id: "lexicon",
            lang: Some(lex.lang),
            description: "translated tag names, operators and data-path words",
        });
    }
    v.extend_from_slice(&GENERIC_RULES[3..]);
    v
}

fn lexicon(lang: Lang) -> Option<&'static Lexicon> {
    LEXICONS.iter().copied().find(|l| l.lang == lang.code())
}

static RE_DELIM_OPEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\{[ \t]+%").unwrap());
static RE_DELIM_CLOSE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"%[ \t]+\}").unwrap());
static RE_MISSING_DATA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{%(-?)[ \t]*(variables|reusables)\.").unwrap());
static RE_MISSING_DATA_PRODUCT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\{%(-?)[ \t]*product\.").unwrap());
static RE_DATA_DOT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{%(-?)[ \t]*data\.(variables|reusables)\.").unwrap());
static RE_DECIMAL_COMMA: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d),(\d)").unwrap());
/// Each language's rewrites, compiled.
type CompiledRewrites = Vec<(&'static str, Vec<(Regex, &'static str)>)>;

static LANG_REWRITES: LazyLock<CompiledRewrites> = LazyLock::new(|| {
    LEXICONS
        .iter()
        .map(|l| {
            (
                l.lang,
                l.rewrites
                    .iter()
                    .map(|(id, p, r)| (Regex::new(p).unwrap_or_else(|e| panic!("rule {id}: {e}")), *r))
                    .collect(),
            )
        })
        .collect()
});

/// Repairs a translated text (a body, a frontmatter value, a data value).
/// `english` is the English text of the same thing; rules that need it read it
/// by position.
///
/// ```
/// use docgate::languages::Lang;
/// use docgate::render::repair::repair;
/// let ko = Lang::find("ko").unwrap();
/// let fixed = repair(ko, "{% 데이터 variables.product.prodname_ghe_server %}에서", "");
/// assert_eq!(fixed, "{% data variables.product.prodname_ghe_server %}에서");
/// ```
pub fn repair(lang: Lang, text: &str, english: &str) -> String {
    if lang.is_english() {
        return text.to_string();
    }
    let mut s: Cow<str> = Cow::Borrowed(text);
    // 1. Universal pre-fixes.
    if s.contains('{') {
        replace(&mut s, &RE_DELIM_OPEN, "{%");
        replace(&mut s, &RE_DELIM_CLOSE, "%}");
        replace(&mut s, &RE_DATA_DOT, "{%$1 data $2.");
        replace(&mut s, &RE_MISSING_DATA, "{%$1 data $2.");
        replace(&mut s, &RE_MISSING_DATA_PRODUCT, "{%$1 data variables.product.");
    }
    // 2. The language's own rewrites and lexicon.
    if let Some((_, rewrites)) = LANG_REWRITES.iter().find(|(l, _)| *l == lang.code()) {
        for (re, rep) in rewrites {
            replace(&mut s, re, rep);
        }
    }
    let lex = lexicon(lang);
    // 3. Tag-level fixes (lexicon + generic), then the line structure.
    if s.contains("{%") {
        s = Cow::Owned(map_tags(&s, |inner| fix_tag(inner, lex)));
        s = Cow::Owned(data_paths_by_position(&s, english));
        s = Cow::Owned(line_breaks_after_tags(&s, english));
        s = Cow::Owned(split_glued_step_tags(&s, english));
        s = Cow::Owned(orphan_closers(&s));
    }
    s.into_owned()
}

fn replace(s: &mut Cow<str>, re: &Regex, rep: &str) {
    if let Cow::Owned(new) = re.replace_all(s, rep) {
        *s = Cow::Owned(new);
    }
}

/// Rewrites the inner text of every tag; `f` returns `None` to keep a tag as is.
fn map_tags(text: &str, mut f: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for t in tags(text) {
        let inner = t.inner(text);
        if let Some(new) = f(inner).filter(|n| n != inner) {
            out.push_str(&text[last..t.inner.0]);
            out.push_str(&new);
            last = t.inner.1;
        }
    }
    out.push_str(&text[last..]);
    out
}

const KNOWN_TAGS: [&str; 24] = [
    "data",
    "ifversion",
    "if",
    "elsif",
    "else",
    "endif",
    "unless",
    "endunless",
    "for",
    "endfor",
    "raw",
    "endraw",
    "comment",
    "endcomment",
    "capture",
    "endcapture",
    "case",
    "when",
    "endcase",
    "assign",
    "octicon",
    "indented_data_reference",
    "note",
    "endnote",
];

const TYPOS: [(&str, &str); 6] = [
    ("dada", "data"),
    ("datda", "data"),
    ("okticon", "octicon"),
    ("endifen", "endif"),
    ("ifversion-", "ifversion "),
    ("Ifversion-", "ifversion "),
];

fn is_condition(name: &str) -> bool {
    matches!(name, "if" | "ifversion" | "elsif" | "unless")
}

/// All tag-level fixes for one tag's inner text.
fn fix_tag(inner: &str, lex: Option<&Lexicon>) -> Option<String> {
    let mut t = inner.to_string();
    // Smart quotes → ASCII.
    if t.contains(['«', '»', '“', '”', '„', '‘', '’', '‚']) {
        t = t
            .replace("«\u{a0}", "\"")
            .replace("\u{a0}»", "\"")
            .replace("« ", "\"")
            .replace(" »", "\"")
            .replace(['«', '»', '“', '”', '„'], "\"")
            .replace(['‘', '’', '‚'], "'");
    }
    // Lexicon: the tag name (longest key first).
    if let Some(lex) = lex {
        let mut names: Vec<&(&str, &str)> = lex.tag_names.iter().collect();
        names.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        for (k, v) in names {
            let Some(rest) = t.strip_prefix(k) else { continue };
            let boundary = k.ends_with('.') || rest.is_empty() || rest.starts_with(char::is_whitespace);
            // A translated (non-ASCII) keyword glued to an ASCII path: `데이터variables.x`.
            let glued = !k.is_ascii() && rest.starts_with(|c: char| c.is_ascii_alphabetic());
            if boundary || glued {
                let sep = if boundary { "" } else { " " };
                t = format!("{v}{sep}{rest}");
                break;
            }
        }
    }
    // Typos and capitalisation of the tag name.
    for (typo, fix) in TYPOS {
        if let Some(rest) = t.strip_prefix(typo)
            && (typo.ends_with('-') || rest.is_empty() || rest.starts_with(char::is_whitespace))
        {
            t = format!("{fix}{rest}");
        }
    }
    // `data` with a translated particle glued on: `data를 variables.x`.
    if let Some(rest) = t.strip_prefix("data")
        && rest.starts_with(|c: char| !c.is_ascii() && c.is_alphabetic())
    {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        t = format!("data{}", &rest[end..]);
    }
    let name_len = t.find(char::is_whitespace).unwrap_or(t.len());
    let lower = t[..name_len].to_lowercase();
    if lower != t[..name_len] && KNOWN_TAGS.contains(&lower.as_str()) {
        t = format!("{lower}{}", &t[name_len..]);
    }
    let name = t[..name_len].to_string();
    if is_condition(&name) {
        let mut words: Vec<String> = t.split_whitespace().map(str::to_string).collect();
        if let Some(lex) = lex {
            for w in words.iter_mut().skip(1) {
                if let Some((_, en)) = lex.operators.iter().find(|(k, _)| k == w) {
                    *w = en.to_string();
                }
            }
        }
        t = words.join(" ");
        if RE_DECIMAL_COMMA.is_match(&t) {
            t = RE_DECIMAL_COMMA.replace_all(&t, "$1.$2").into_owned();
        }
    }
    if crate::scan::takes_data_path(&name) {
        if let Some(lex) = lex {
            for (k, v) in lex.path_words {
                if t.contains(k) {
                    t = t.replace(k, v);
                }
            }
        }
        t = fix_data_args(&t);
    }
    (t != inner).then_some(t)
}

/// `data` takes one path: words translators put before it go; `.variables` and
/// `variable.` are fixed.
fn fix_data_args(t: &str) -> String {
    let mut words = t.split_whitespace();
    let name = words.next().unwrap_or("data");
    let rest: Vec<&str> = words.collect();
    if name != "data" || rest.is_empty() {
        return t.to_string();
    }
    let fix = |w: &str| -> String {
        let w = w.trim_start_matches('.');
        match w.strip_prefix("variable.") {
            Some(r) => format!("variables.{r}"),
            None => w.to_string(),
        }
    };
    let is_path = |w: &str| {
        let w = fix(w);
        (w.starts_with("variables.") || w.starts_with("reusables.") || w.starts_with("ui.")) && w.is_ascii()
    };
    match rest.iter().position(|w| is_path(w)) {
        Some(i) if rest.len() > 1 || fix(rest[0]) != rest[0] => format!("data {}", fix(rest[i])),
        _ => t.to_string(),
    }
}

/// The `data` paths of a text, in order.
fn data_paths(text: &str) -> Vec<(usize, usize)> {
    tags(text)
        .into_iter()
        .filter_map(|t| {
            let inner = t.inner(text);
            let rest = inner.strip_prefix("data")?;
            if !rest.starts_with(char::is_whitespace) {
                return None;
            }
            let lead = rest.len() - rest.trim_start().len();
            let start = t.inner.0 + 4 + lead;
            Some((start, t.inner.1))
        })
        .collect()
}

fn valid_data_path(p: &str) -> bool {
    crate::corpus::DataRef::parse(p).is_ok()
}

/// When the translation has as many `data` tags as English, a path that is not a
/// valid path (a translated word, a non-ASCII character) takes the English path
/// at the same position. Valid paths stay: translators may reorder them.
fn data_paths_by_position(text: &str, english: &str) -> String {
    let mine = data_paths(text);
    if mine.iter().all(|(a, b)| valid_data_path(&text[*a..*b])) {
        return text.to_string();
    }
    let theirs = data_paths(english);
    if mine.len() != theirs.len() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for ((a, b), (ea, eb)) in mine.iter().zip(&theirs) {
        if !valid_data_path(&text[*a..*b]) {
            out.push_str(&text[last..*a]);
            out.push_str(&english[*ea..*eb]);
            last = *b;
        }
    }
    out.push_str(&text[last..]);
    out
}

fn normalize_tag(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Tags of the English text that end their line.
fn tags_ending_lines(english: &str) -> HashSet<String> {
    tags(english)
        .into_iter()
        .filter(|t| english[t.end..].starts_with('\n'))
        .map(|t| normalize_tag(&english[t.start..t.end]))
        .collect()
}

/// A tag followed (on the same line) by another tag gets back the line break it
/// has in English. Never inside headings.
fn line_breaks_after_tags(text: &str, english: &str) -> String {
    // English's tags are looked at only when a tag is followed by another on its line.
    let mut ends: Option<HashSet<String>> = None;
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for t in tags(text) {
        let after = &text[t.end..];
        let ws = after.len() - after.trim_start_matches([' ', '\t']).len();
        if ws > 0 && after[ws..].starts_with("{%") {
            let line_start = text[..t.start].rfind('\n').map_or(0, |i| i + 1);
            if text[line_start..].starts_with('#') {
                continue;
            }
            let ends = ends.get_or_insert_with(|| tags_ending_lines(english));
            if ends.contains(&normalize_tag(&text[t.start..t.end])) {
                out.push_str(&text[last..t.end]);
                out.push('\n');
                last = t.end + ws;
            }
        }
    }
    out.push_str(&text[last..]);
    out
}

static RE_REUSABLE_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{%-?\s*data\s+(reusables\.[A-Za-z0-9_.\-]+)\s*-?%\}").unwrap());

/// A line made only of tags with two or more step reusables (`{% data
/// reusables.… %}{% ifversion … %}{% data … %}{% endif %}…`), where English puts
/// such reusables on lines of their own, is split into one line per unit (a
/// `data` tag, or a whole `ifversion … endif` group).
fn split_glued_step_tags(text: &str, english: &str) -> String {
    let english_alone: HashSet<&str> = english
        .lines()
        .filter_map(|l| {
            // The whole line one tag: it starts with `{%` and ends with `%}`
            // (a cheap test first; most lines are prose).
            let l = l.trim();
            (l.starts_with("{%") && l.ends_with("%}"))
                .then(|| RE_REUSABLE_TAG.captures(l))
                .flatten()
                .filter(|c| c[0].len() == l.len())
        })
        .map(|c| c.get(1).map_or("", |m| m.as_str()))
        .collect();
    if english_alone.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim();
        // Only a line of tags (it starts with one) with two step reusables.
        if !trimmed.starts_with("{%") || trimmed.matches("reusables.").nth(1).is_none() {
            out.push_str(line);
            continue;
        }
        let spans = tags(trimmed);
        let only_tags = !spans.is_empty()
            && trimmed.starts_with("{%")
            && spans
                .windows(2)
                .all(|w| trimmed[w[0].end..w[1].start].trim().is_empty())
            && spans.last().is_some_and(|t| t.end == trimmed.len());
        let reusables: Vec<&str> = RE_REUSABLE_TAG
            .captures_iter(trimmed)
            .filter_map(|c| c.get(1).map(|m| m.as_str()))
            .collect();
        if !only_tags || reusables.len() < 2 || !reusables.iter().any(|r| english_alone.contains(r)) {
            out.push_str(line);
            continue;
        }
        let indent = &line[..line.len() - line.trim_start().len()];
        let mut depth = 0usize;
        let mut unit_start = spans[0].start;
        let mut units = Vec::new();
        for t in &spans {
            let name = t.name(trimmed);
            match name {
                "ifversion" | "if" | "unless" => depth += 1,
                "endif" | "endunless" => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth == 0 {
                units.push(trimmed[unit_start..t.end].trim());
                unit_start = t.end;
            }
        }
        if unit_start < trimmed.len() {
            units.push(trimmed[unit_start..].trim());
        }
        let joined: Vec<String> = units.iter().map(|u| format!("{indent}{u}")).collect();
        out.push_str(&joined.join("\n"));
    }
    out
}

/// Closers with more occurrences than their openers lose the extra ones, counted
/// from the end; `else`/`elsif` with no `if`/`ifversion` at all are removed.
fn orphan_closers(text: &str) -> String {
    const PAIRS: [(&[&str], &str); 7] = [
        (&["if", "ifversion"], "endif"),
        (&["unless"], "endunless"),
        (&["for"], "endfor"),
        (&["raw"], "endraw"),
        (&["case"], "endcase"),
        (&["comment"], "endcomment"),
        (&["capture"], "endcapture"),
    ];
    let spans = tags(text);
    let name_of = |t: &TagSpan| t.name(text).to_string();
    let names: Vec<String> = spans.iter().map(name_of).collect();
    let mut remove: HashSet<usize> = HashSet::new();
    for (openers, closer) in PAIRS {
        let opened = names.iter().filter(|n| openers.contains(&n.as_str())).count();
        let closed = names.iter().filter(|n| *n == closer).count();
        if closed > opened {
            let extra = closed - opened;
            remove.extend(
                names
                    .iter()
                    .enumerate()
                    .rev()
                    .filter(|(_, n)| *n == closer)
                    .take(extra)
                    .map(|(i, _)| i),
            );
        }
    }
    if !names.iter().any(|n| n == "if" || n == "ifversion") {
        remove.extend(
            names
                .iter()
                .enumerate()
                .filter(|(_, n)| *n == "else" || *n == "elsif")
                .map(|(i, _)| i),
        );
    }
    if remove.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (i, t) in spans.iter().enumerate() {
        if remove.contains(&i) {
            out.push_str(&text[last..t.start]);
            last = t.end;
        }
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests;
