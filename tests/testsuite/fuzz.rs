//! Fuzz targets on the stable toolchain: proptest generators that mix the
//! grammar of each input (Liquid tags, `ifversion` expressions, frontmatter,
//! Markdown, redirect paths, API JSON and headers) with arbitrary text, and
//! assert what must hold for every input: no panic, errors located, limits
//! kept, output safe. `cargo test` runs each target briefly; a long run sets
//! `PROPTEST_CASES` (see `fuzz/README.md`). Minimized failures are kept in
//! `tests/testsuite/fuzz.proptest-regressions` and replayed first on every run.

use std::sync::LazyLock;

use docgate::corpus::{Corpus, Frontmatter, TranslatedFrontmatter, split_frontmatter};
use docgate::escape::{untrusted, untrusted_line};
use docgate::languages::Lang;
use docgate::redirects::{RedirectMap, Resolution, unsafe_path};
use docgate::render::markdown::{HtmlOptions, to_html};
use docgate::render::repair::repair;
use docgate::render::sanitize::sanitize;
use docgate::render::text::{TextOptions, to_text};
use docgate::render::{Origin, Renderer};
use docgate::sync::http::{Pagination, next_link, rate_limit_wait};
use docgate::sync::model::{ConsumedLicenses, LicenseInfo, Meta, SyncStatus};
use docgate::versions::{Condition, Release, Version};
use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

static CORPUS: LazyLock<Corpus> = LazyLock::new(|| Corpus::bundled("2026-11-23".parse().unwrap()).unwrap());
static RENDERER: LazyLock<Renderer> = LazyLock::new(|| Renderer::new(CORPUS.clone()).unwrap());
static REDIRECTS: LazyLock<RedirectMap> = LazyLock::new(|| RedirectMap::build(&CORPUS).unwrap());

/// Cases per target: `PROPTEST_CASES`, else a short run for `cargo test`.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(200);
    ProptestConfig {
        cases,
        max_shrink_iters: 2000,
        ..ProptestConfig::default()
    }
}

fn version() -> impl Strategy<Value = Version> {
    prop_oneof![
        Just(Version::Fpt),
        Just(Version::Ghec),
        Just(Version::Ghae),
        (0u16..=24).prop_map(|m| Version::Ghes(Release::new(3, m))),
        (0u16..=22).prop_map(|m| Version::Ghes(Release::new(2, m))),
    ]
}

fn lang() -> impl Strategy<Value = Lang> {
    (0usize..9).prop_map(|i| Lang::all().nth(i).unwrap())
}

/// An `ifversion` expression: the grammar's words in any order, and noise.
fn expression() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("ghes"),
            Just("fpt"),
            Just("ghec"),
            Just("ghae"),
            Just("not"),
            Just("and"),
            Just("or"),
            Just(">"),
            Just("<"),
            Just("="),
            Just("!="),
            Just(">="),
            Just("3.4"),
            Just("3.10"),
            Just("2.22"),
            Just("99999999999999999999.1"),
            Just("license-sync-manual-trigger"),
            Just("unknown-feature"),
            Just("("),
            Just("||"),
            Just("\"x\""),
        ],
        0..9,
    )
    .prop_map(|w| w.join(" "))
}

/// A page body: Liquid tags of every kind docgate knows, Markdown, and noise.
fn liquid_body() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        "[a-zA-Z <>\n#*_`\\[\\]()!|:-]{0,12}",
        expression().prop_map(|e| format!("{{% ifversion {e} %}}")),
        expression().prop_map(|e| format!("{{% elsif {e} %}}")),
        Just("{% else %}".to_string()),
        Just("{% endif %}".to_string()),
        Just("{% data variables.product.prodname_ghe_server %}".to_string()),
        Just("{% data reusables.enterprise-accounts.access-enterprise %}".to_string()),
        "[a-z.{}%\"' -]{0,20}".prop_map(|p| format!("{{% data {p} %}}")),
        Just("{% if ghes %}".to_string()),
        (0i64..5, -3i64..200_000).prop_map(|(a, b)| format!("{{% for i in ({a}..{b}) %}}{{{{ i }}}}")),
        Just("{% endfor %}".to_string()),
        Just("{% capture c %}".to_string()),
        Just("{% endcapture %}".to_string()),
        Just("{% assign s = s | append: s %}".to_string()),
        Just("{{ s | size }}".to_string()),
        (
            prop_oneof![
                Just("slice"),
                Just("truncate"),
                Just("truncatewords"),
                Just("date"),
                Just("round"),
                Just("divided_by"),
                Just("modulo"),
                Just("times"),
                Just("plus"),
                Just("at_least"),
                Just("replace"),
                Just("split"),
                Just("join"),
                Just("sort"),
                Just("where"),
                Just("map"),
                Just("first"),
                Just("last"),
                Just("size"),
                Just("abs"),
                Just("ceil"),
                Just("url_decode"),
                Just("version_num"),
                Just("obj_size"),
                Just("slugify"),
                Just("escape"),
                Just("strip_html"),
            ],
            prop_oneof![
                Just("0".to_string()),
                Just("-1".to_string()),
                Just("99999999999999999999".to_string()),
                Just("-9223372036854775808".to_string()),
                Just("1.5e308".to_string()),
                Just("\"%Q%%\"".to_string()),
                "\"\\PC{0,4}\"",
                Just("nil".to_string()),
                Just("0, -5".to_string()),
            ],
            prop_oneof![
                Just("\"héllo wörld\""),
                Just("3"),
                Just("s"),
                Just("nil"),
                Just("\"2021-01-01\""),
                Just("(1..3)")
            ],
        )
            .prop_map(|(f, a, x)| format!("{{{{ {x} | {f}: {a} }}}}")),
        Just("{% raw %}".to_string()),
        Just("{% endraw %}".to_string()),
        Just("{% octicon \"check\" aria-label=\"ok\" %}".to_string()),
        "[a-z=\" ]{0,12}".prop_map(|a| format!("{{% octicon \"alert\" {a} %}}")),
        Just("{% indented_data_reference reusables.enterprise-accounts.access-enterprise spaces=3 %}".to_string()),
        Just("> [!NOTE]\n> ".to_string()),
        Just("{%".to_string()),
        Just("%}".to_string()),
        Just("{{".to_string()),
        Just("{%-".to_string()),
        Just("\n\n".to_string()),
        "\\PC{0,6}",
    ];
    prop::collection::vec(fragment, 0..40).prop_map(|f| f.concat())
}

/// Markdown: blocks, inlines and raw HTML, hostile and not.
fn markdown() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        "[a-zA-Z ]{0,10}",
        Just("\n\n".to_string()),
        Just("# ".to_string()),
        Just("## Heading\n".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        Just("> [!WARNING]\n> ".to_string()),
        Just("> ".to_string()),
        Just("```\ncode\n```\n".to_string()),
        Just("| a | b |\n|---|---|\n| c | d |\n".to_string()),
        Just("[x](/admin/x#y)".to_string()),
        Just("[x](javascript:alert(1))".to_string()),
        Just("![i](/assets/i.png)".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("<a href=\"javascript:alert(1)\">".to_string()),
        Just("<svg onload=alert(1)>".to_string()),
        Just("<details><summary>s</summary>".to_string()),
        Just("</details>".to_string()),
        Just("<kbd>".to_string()),
        Just("[^1]\n\n[^1]: note\n".to_string()),
        Just("- [ ] task\n".to_string()),
        "\\PC{0,8}",
    ];
    prop::collection::vec(fragment, 0..30).prop_map(|f| f.concat())
}

/// Frontmatter: the keys docgate reads, YAML syntax, and noise.
fn frontmatter_text() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("---\n"),
        Just("title: "),
        Just("intro: "),
        Just("versions:\n"),
        Just("  ghes: '"),
        Just("  fpt: '*'\n"),
        Just(">=3.5"),
        Just(" || "),
        Just("'\n"),
        Just("  feature: license-sync-manual-trigger\n"),
        Just("redirect_from:\n  - /a/b\n"),
        Just("children:\n  - /x\n"),
        Just("&a [x, x]\n"),
        Just("*a\n"),
        Just("["),
        Just("{"),
        Just(": "),
        Just("\n"),
        Just("{% data variables.product.prodname_ghe_server %}"),
        Just("ü"),
        Just("\t"),
    ];
    prop::collection::vec(fragment, 0..30).prop_map(|f| f.concat())
}

fn header_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{0,25}",
        "[ -~]{0,40}",
        Just("Wed, 21 Oct 2037 07:28:00 GMT".to_string()),
        Just("Fri, 31 Dec 9999 23:59:59 GMT".to_string()),
        Just(u64::MAX.to_string()),
        Just("-1".to_string()),
        "<[ -~]{0,30}>; rel=\"(next|last)\"(, <[ -~]{0,20}>; rel=\"next\")?",
    ]
}

proptest! {
    #![proptest_config(config())]

    /// Liquid parse + render with docgate's tags: no panic; every error is located; limits hold.
    #[test]
    fn fuzz_liquid_render(body in liquid_body(), v in version(), l in lang()) {
        match RENDERER.parse(&body, Origin::new("fuzz.md".into(), 1)) {
            Ok(t) => match RENDERER.render_template(&t, v, l) {
                Ok((out, _)) => prop_assert!(out.len() <= docgate::render::limits::MAX_OUTPUT_BYTES),
                Err(e) => prop_assert!(e.location().is_some(), "unlocated render error: {}", e.one_line()),
            },
            Err(e) => prop_assert!(e.location().is_some(), "unlocated parse error: {}", e.one_line()),
        }
    }

    /// `ifversion` expressions: parsing and evaluation never panic.
    #[test]
    fn fuzz_ifversion(expr in prop_oneof![expression(), "\\PC{0,30}"], v in version()) {
        if let Ok(c) = Condition::parse(&expr) {
            let _ = c.eval(v, &|n| CORPUS.features().unwrap().is_enabled(n, v));
            prop_assert_eq!(Condition::parse(&c.to_string()).ok(), Some(c));
        }
    }

    /// Frontmatter: split and parse, English and translated; errors are located.
    #[test]
    fn fuzz_frontmatter(text in prop_oneof![frontmatter_text(), "\\PC{0,60}"]) {
        let file = "fuzz.md".into();
        if let Ok(split) = split_frontmatter(&text, &file) {
            if let Err(e) = Frontmatter::parse(&split, &file) {
                prop_assert!(e.location().is_some(), "{}", e.one_line());
            }
            let _ = TranslatedFrontmatter::parse(&split, &file);
        }
    }

    /// Translation repair: never panics, leaves English alone.
    #[test]
    fn fuzz_translation_repair(text in prop_oneof![liquid_body(), "\\PC{0,80}"], english in liquid_body(), l in lang()) {
        let broken = text
            .replace("{% data", "{% 데이터")
            .replace("{% ifversion", "{% 如果版本");
        let out = repair(l, &broken, &english);
        if l.is_english() {
            prop_assert_eq!(out, broken);
        }
    }

    /// Redirect resolution on the bundled map: never panics; a redirect goes to a path of the site.
    #[test]
    fn fuzz_redirect_resolution(path in prop_oneof![
        "(/[a-z0-9@.\\-]{0,12}){0,6}",
        "/(en|ko|ja)?(/enterprise(-server@(3\\.[0-9]{1,2}|latest))?)?(/admin(/guides)?)?(/[a-z-]{0,10}){0,3}",
        "\\PC{0,30}",
    ], l in lang()) {
        match REDIRECTS.resolve(&path, l) {
            Resolution::Redirect { permalink, .. } | Resolution::Page { permalink } => {
                prop_assert!(permalink.starts_with('/'), "{}", permalink);
            }
            Resolution::NotFound => {}
        }
    }

    /// Markdown → HTML → sanitised HTML, and → terminal text: no panic, no script left.
    #[test]
    fn fuzz_markdown(md in markdown()) {
        let html = sanitize(&to_html(&md, &HtmlOptions::default()).html);
        // Text may mention these words (escaped as `&lt;…`); tags may not carry them.
        for tag in html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("")) {
            let t = tag.to_ascii_lowercase();
            prop_assert!(!t.starts_with("script"), "<{}> in {}", tag, html);
            prop_assert!(!t.contains("javascript:"), "<{}> in {}", tag, html);
            let handler = t.split_whitespace().any(|a| a.starts_with("on") && a.contains('='));
            prop_assert!(!handler, "<{}> in {}", tag, html);
        }
        let _ = to_text(&md, TextOptions::default());
    }

    /// The sync client's JSON: any bytes decode or fail, never panic.
    #[test]
    fn fuzz_sync_json(bytes in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        "\\{\"(total_seats_consumed|users|server_instances|installed_version|seats)\":(\\[|\\{|\"[ -~]{0,8}\"|-?[0-9]{1,25}|null|true)[ -~]{0,30}".prop_map(String::into_bytes),
    ]) {
        let _ = serde_json::from_slice::<ConsumedLicenses>(&bytes);
        let _ = serde_json::from_slice::<SyncStatus>(&bytes);
        let _ = serde_json::from_slice::<Meta>(&bytes);
        let _ = serde_json::from_slice::<LicenseInfo>(&bytes);
    }

    /// Headers: Link, Retry-After and rate-limit values never panic; pagination stays on its origin.
    #[test]
    fn fuzz_sync_headers(name in prop_oneof![Just("link"), Just("retry-after"), Just("x-ratelimit-reset")],
                         value in header_value(), remaining in prop_oneof![Just("0"), Just("5")]) {
        let mut h = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(HeaderName::from_static(name), v);
        }
        h.insert("x-ratelimit-remaining", HeaderValue::from_static(remaining));
        let _ = rate_limit_wait(&h);
        if let Some(next) = next_link(&h) {
            let (mut pages, first) = Pagination::new("http://127.0.0.1:8080/enterprises/e/consumed-licenses?page=1", 10).unwrap();
            if let Ok(url) = pages.next(&first, &next) {
                prop_assert_eq!(url.host_str(), Some("127.0.0.1"));
                prop_assert_eq!(url.port(), Some(8080));
                prop_assert_eq!(url.scheme(), "http");
            }
        }
    }

    /// Escaping: what is printed has no terminal controls; what is written under a folder stays there.
    #[test]
    fn fuzz_escapes_and_paths(s in "\\PC{0,40}|[\\x00-\\x1f\\x7f-\\u{9f}/.a\\\\]{0,20}") {
        prop_assert!(!untrusted_line(&s).chars().any(char::is_control));
        prop_assert!(!untrusted(&s).chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
        if let Ok(p) = docgate::files::safe_relative(&s) {
            prop_assert!(p.components().all(|c| matches!(c, std::path::Component::Normal(_))));
        }
        if unsafe_path(&s).is_none() {
            let risky = |c: char| c.is_whitespace() || ";${}'\"\\".contains(c);
            prop_assert!(!s.contains(risky), "{:?}", s);
            prop_assert!(!s.split('/').any(|seg| seg == ".."));
        }
    }
}
