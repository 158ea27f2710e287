//! Rendering the bundled content: the seed article in six languages across
//! releases, per-property English fallback, heading ids.

use crate::common;
use common::{today, tree};
use std::sync::Arc;

use docgate::corpus::{Corpus, Page};
use docgate::languages::Lang;
use docgate::render::output::{Format, format_page};
use docgate::render::text::TextOptions;
use docgate::render::{FallbackKind, Renderer, TranslationStatus};
use docgate::versions::{Release, Version};

const ARTICLE: &str =
    "admin/configuration/configuring-github-connect/enabling-automatic-user-license-sync-for-your-enterprise";
const SEED_LANGS: [&str; 5] = ["ko", "zh", "ja", "pt", "fr"];
const TRIGGER_LINK: &str = "#triggering-a-license-sync-job";

fn setup() -> (Renderer, Arc<Page>) {
    let corpus = Corpus::bundled(today()).unwrap();
    let page = corpus.find_page(ARTICLE).unwrap().page;
    (Renderer::new(corpus).unwrap(), page)
}

fn ghes(r: &str) -> Version {
    Version::Ghes(r.parse::<Release>().unwrap())
}

fn text(renderer: &Renderer, page: &Arc<Page>, v: Version, lang: &str) -> String {
    let r = renderer.render_page(page, v, Lang::find(lang).unwrap()).unwrap();
    format_page(renderer, &r, Format::Text, TextOptions::default()).unwrap()
}

#[test]
fn manual_trigger_appears_from_3_5_in_every_language() {
    let (renderer, page) = setup();
    for lang in ["en"].iter().chain(SEED_LANGS.iter()) {
        for (release, expected) in [("3.4", false), ("3.5", true), ("3.0", false), ("3.10", true)] {
            let out = text(&renderer, &page, ghes(release), lang);
            assert_eq!(
                out.contains(TRIGGER_LINK),
                expected,
                "{lang} {release}: the manual-trigger sentence (link to {TRIGGER_LINK})\n{out}"
            );
        }
    }
    // The English sentence itself (wrapping aside).
    let flat = |v: &str| {
        text(&renderer, &page, ghes(v), "en")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(!flat("3.4").contains("start a license sync job yourself"));
    assert!(flat("3.5").contains("start a license sync job yourself"));
}

#[test]
fn seeds_render_without_fallbacks_for_every_release_3_0_to_3_23() {
    let (renderer, page) = setup();
    let mut problems = Vec::new();
    for minor in 0..=23 {
        let v = ghes(&format!("3.{minor}"));
        for lang in SEED_LANGS {
            let r = renderer.render_page(&page, v, Lang::find(lang).unwrap()).unwrap();
            assert_eq!(r.translation, TranslationStatus::Translated);
            if !r.fallbacks.is_empty() || !r.warnings.is_empty() {
                problems.push(format!("{lang} {v}: {:?} {:?}", r.fallbacks, r.warnings));
            }
            for format in [Format::Markdown, Format::Text, Format::Html] {
                let out = format_page(&renderer, &r, format, TextOptions::default()).unwrap();
                for bad in ["{% 데이터", "데이터 variables", "{%", "%}", "{{"] {
                    if out.contains(bad) {
                        problems.push(format!("{lang} {v} {format}: contains `{bad}`"));
                    }
                }
                if !out.contains("GitHub Enterprise Server") || !out.contains("GitHub Connect") {
                    problems.push(format!("{lang} {v} {format}: product names missing"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_outdated_portuguese_translation_gets_the_missing_gate_in_english() {
    let (renderer, page) = setup();
    for lang in SEED_LANGS {
        let r = renderer
            .render_page(&page, ghes("3.5"), Lang::find(lang).unwrap())
            .unwrap();
        let expected: &[&str] = if lang == "pt" { &["ghes > 3.4"] } else { &[] };
        let got: Vec<&str> = r.supplements.iter().map(|s| s.condition.as_str()).collect();
        assert_eq!(got, expected, "{lang}");
    }
    let r = renderer
        .render_page(&page, ghes("3.5"), Lang::find("pt").unwrap())
        .unwrap();
    let html = format_page(&renderer, &r, Format::Html, TextOptions::default()).unwrap();
    assert!(
        html.starts_with("<!-- TRANSLATION_SUPPLEMENT prop=body lang=en cond=\"ghes > 3.4\" section=1 -->"),
        "{html}"
    );
    // Added at the end of the first section, before the second heading.
    let trigger = r.body.find(TRIGGER_LINK).unwrap();
    let second = r.body.find("## Habilitar").unwrap();
    assert!(trigger < second);
}

#[test]
fn korean_data_keyword_is_repaired() {
    let (renderer, page) = setup();
    let r = renderer
        .render_page(&page, ghes("3.5"), Lang::find("ko").unwrap())
        .unwrap();
    // The seed's `{% 데이터 variables.location.product_location %}에서`, with the
    // translated variable.
    assert!(r.body.contains("GitHub Enterprise Server 인스턴스에서"), "{}", r.body);
    assert!(
        r.intro
            .as_deref()
            .unwrap()
            .contains("GitHub Enterprise Server 인스턴스에서")
    );
    assert!(!r.body.contains("your GitHub Enterprise Server instance"), "{}", r.body);
    // `{% 데이터 … %} {% data … %}` on one line became two steps.
    assert!(
        r.body
            .contains("**Enterprise settings**를 클릭합니다.\n1. 엔터프라이즈 계정 사이드바에서"),
        "{}",
        r.body
    );
}

#[test]
fn portuguese_settings_step_only_in_3_0() {
    let (renderer, page) = setup();
    let step = "clique em Settings.";
    for minor in 0..=23 {
        let out = text(&renderer, &page, ghes(&format!("3.{minor}")), "pt");
        assert_eq!(out.contains(step), minor == 0, "3.{minor}:\n{out}");
    }
    // And it is a step of its own, between the two others.
    let out = text(&renderer, &page, ghes("3.0"), "pt");
    assert!(
        out.contains("Enterprise settings.\n2. Na barra lateral da conta corporativa, clique em Settings.\n3. Em"),
        "{out}"
    );
}

/// `variables.location.product_location` (ko) takes the translated variable;
/// `variables.product.product_location` (zh, ja, pt, fr) stays English, as the
/// reference engine reads `product.yml` in English for every language.
#[test]
fn product_location_resolves_under_both_keys() {
    let (renderer, page) = setup();
    for (lang, expected) in [
        ("zh", "your GitHub Enterprise Server instance"),
        ("ja", "your GitHub Enterprise Server instance"),
        ("pt", "your GitHub Enterprise Server instance"),
        ("fr", "your GitHub Enterprise Server instance"),
        ("ko", "GitHub Enterprise Server 인스턴스"),
    ] {
        let r = renderer
            .render_page(&page, ghes("3.12"), Lang::find(lang).unwrap())
            .unwrap();
        let intro = r.intro.unwrap();
        assert!(intro.contains(expected), "{lang}: {intro}");
    }
}

#[test]
fn translated_headings_take_english_ids_by_position() {
    let (renderer, page) = setup();
    for lang in SEED_LANGS {
        let r = renderer
            .render_page(&page, ghes("3.5"), Lang::find(lang).unwrap())
            .unwrap();
        let html = renderer.body_html(&r).unwrap();
        let ids: Vec<&str> = html.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "about-automatic-license-synchronization",
                "enabling-license-synchronization"
            ],
            "{lang}"
        );
    }
}

#[test]
fn html_rewrites_links_for_version_and_language() {
    let (renderer, page) = setup();
    let r = renderer
        .render_page(&page, ghes("3.5"), Lang::find("fr").unwrap())
        .unwrap();
    let html = format_page(&renderer, &r, Format::Html, TextOptions::default()).unwrap();
    assert!(html.contains("href=\"/fr/enterprise-server@3.5/billing/managing-your-license-for-github-enterprise/syncing-license-usage-between-github-enterprise-server-and-github-enterprise-cloud#triggering-a-license-sync-job\""), "{html}");
    assert!(html.contains("<h2 id=\"about-automatic-license-synchronization\">"));
    assert!(!html.contains("TRANSLATION_FALLBACK"));
}

#[test]
fn the_trigger_section_exists_where_ghec_or_ghes_above_3_4() {
    let corpus = Corpus::bundled(today()).unwrap();
    let page = corpus
        .find_page("billing/managing-your-license-for-github-enterprise/syncing-license-usage-between-github-enterprise-server-and-github-enterprise-cloud")
        .unwrap()
        .page;
    let renderer = Renderer::new(corpus).unwrap();
    for (v, expected) in [
        (Version::Ghec, true),
        (ghes("3.4"), false),
        (ghes("3.5"), true),
        (ghes("2.22"), false),
    ] {
        let r = renderer.render_page(&page, v, Lang::ENGLISH).unwrap();
        let ids: Vec<String> = renderer
            .body_html(&r)
            .unwrap()
            .headings
            .into_iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(
            ids.contains(&"triggering-a-license-sync-job".to_string()),
            expected,
            "{v}: {ids:?}"
        );
    }
    // The export command follows the release.
    let r = renderer.render_page(&page, ghes("3.12"), Lang::ENGLISH).unwrap();
    assert!(r.body.contains("`ghe-license-usage`"));
    let r = renderer.render_page(&page, ghes("3.13"), Lang::ENGLISH).unwrap();
    assert!(r.body.contains("`ghe-license usage`"));
}

/// A tree on disk made of `(path, text)` files, opened with a renderer.

#[test]
fn a_broken_translation_falls_back_per_property_with_the_marker() {
    // A translation that breaks in its body only.
    let (_dir, corpus, renderer) = tree(&[
        (
            "content/page.md",
            "---\ntitle: Hello {% data variables.product.name %}\nversions:\n  ghes: '*'\n---\n\n## About\n\nEnglish {% ifversion ghes > 3.4 %}new{% endif %} body.\n",
        ),
        ("data/variables/product.yml", "name: 'Product'\n"),
        (
            "translations/fr-fr/content/page.md",
            "---\ntitle: Bonjour {% data variables.product.name %}\nversions: nonsense\n---\n\n## À propos\n\nCorps {% si-jamais ghes %} cassé.\n",
        ),
    ]);
    let page = corpus.find_page("page").unwrap().page;
    let r = renderer
        .render_page(&page, ghes("3.5"), Lang::find("fr").unwrap())
        .unwrap();
    // The title stays translated; the body falls back to English.
    assert_eq!(r.title, "Bonjour Product");
    assert!(r.body.contains("English new body."), "{}", r.body);
    assert_eq!(r.fallbacks.len(), 1);
    assert_eq!(r.fallbacks[0].kind, FallbackKind::ParseError);
    let loc = r.fallbacks[0].error.location().unwrap();
    assert!(loc.file.ends_with("translations/fr-fr/content/page.md"));
    // Points at the unknown tag name.
    assert_eq!((loc.line, loc.column), (8, 10));
    let html = format_page(&renderer, &r, Format::Html, TextOptions::default()).unwrap();
    assert!(
        html.starts_with("<!-- TRANSLATION_FALLBACK prop=body type=ParseError file="),
        "{html}"
    );
    assert!(html.contains("line=8 col=10"), "{html}");
    // English ids are used for the translated heading, the English one here.
    assert!(html.contains("id=\"about\""));
    // `versions` comes from English even though the translation's is nonsense.
    assert_eq!(r.version, ghes("3.5"));
}

#[test]
fn every_page_renders_in_every_released_version_and_language() {
    let corpus = Corpus::bundled(today()).unwrap();
    let renderer = Renderer::new(corpus.clone()).unwrap();
    let released: Vec<Release> = corpus.releases().released().collect();
    let mut n = 0;
    for path in corpus.page_paths().unwrap() {
        let page = corpus.page(path).unwrap().unwrap();
        for v in &page.versions {
            if v.release().is_some_and(|r| !released.contains(&r)) {
                continue;
            }
            for lang in Lang::all() {
                let r = renderer
                    .render_page(&page, *v, lang)
                    .unwrap_or_else(|e| panic!("{path} {v} {lang}: {e}"));
                assert!(r.fallbacks.is_empty(), "{path} {v} {lang}: {:?}", r.fallbacks);
                assert!(r.warnings.is_empty(), "{path} {v} {lang}: {:?}", r.warnings);
                assert!(!r.title.is_empty());
                format_page(&renderer, &r, Format::Json, TextOptions::default()).unwrap();
                n += 1;
            }
        }
    }
    assert!(n > 1000, "rendered {n}");
}

#[test]
fn data_layout_whitespace_control_and_nesting() {
    let (_dir, corpus, renderer) = tree(&[
        (
            "content/layout.md",
            "---\ntitle: Layout\nversions:\n  fpt: '*'\n  ghes: '*'\n---\n\n1. Step one\n   {% data reusables.x.multi %}\n\n> {% data reusables.x.multi %}\n\nA{%- ifversion fpt -%}\n  B\n{%- else -%}\n  C\n{%- endif -%}\n  D\n\n{% data reusables.x.nested %}\n",
        ),
        (
            "data/reusables/x/multi.md",
            "First line\n\nSecond {% data variables.v.word %}\n",
        ),
        (
            "data/reusables/x/nested.md",
            "{% ifversion ghes > 3.4 %}new {% data reusables.x.leaf %}{% else %}old{% endif %}\n",
        ),
        ("data/reusables/x/leaf.md", "leaf\n"),
        (
            "data/variables/v.yml",
            "word: '{% ifversion ghes %}server{% else %}cloud{% endif %}'\n",
        ),
        // A translated reusable that breaks falls back to English for that reusable only.
        (
            "translations/de-de/content/layout.md",
            "---\ntitle: Layout DE\n---\n\n1. Schritt\n   {% data reusables.x.multi %}\n",
        ),
        (
            "translations/de-de/data/reusables/x/multi.md",
            "Erste {% ifversion fpt %}kaputt\n",
        ),
    ]);
    let page = corpus.find_page("layout").unwrap().page;
    let fpt = renderer.render_page(&page, Version::Fpt, Lang::ENGLISH).unwrap();
    assert_eq!(
        fpt.body,
        "\n1. Step one\n   First line\n   \n   Second cloud\n\n> First line\n> \n> Second cloud\n\nABD\n\nold\n"
    );
    let v = renderer.render_page(&page, ghes("3.5"), Lang::ENGLISH).unwrap();
    assert!(
        v.body.contains("Second server") && v.body.contains("ACD") && v.body.ends_with("new leaf\n"),
        "{}",
        v.body
    );
    // The list item keeps both paragraphs; the blockquote keeps both lines.
    let html = renderer.body_html(&v).unwrap().html;
    assert!(
        html.contains("<li>\n<p>Step one\nFirst line</p>\n<p>Second server</p>\n</li>"),
        "{html}"
    );
    assert!(
        html.contains("<blockquote>\n<p>First line</p>\n<p>Second server</p>\n</blockquote>"),
        "{html}"
    );

    let de = renderer
        .render_page(&page, ghes("3.5"), Lang::find("de").unwrap())
        .unwrap();
    assert!(de.fallbacks.is_empty(), "{:?}", de.fallbacks);
    assert_eq!(de.title, "Layout DE");
    assert!(de.body.contains("1. Schritt\n   First line"), "{}", de.body);
    assert_eq!(de.warnings.len(), 1, "{:?}", de.warnings);
    assert!(
        de.warnings[0]
            .message
            .contains("translated `reusables.x.multi` fell back to English")
    );
}

#[test]
fn the_github_docs_tags_filters_and_context() {
    let (_dir, corpus, renderer) = tree(&[
        (
            "content/tags.md",
            concat!(
                "---\ntitle: Tags\nversions:\n  fpt: '*'\n  ghes: '*'\n  ghae: '*'\n---\n",
                "{% note %}\n\nA note.\n\n{% endnote %}\n",
                "{% mac %}Mac only{% endmac %}\n",
                "{% octicon \"check\" aria-label=\"The check icon\" %}\n",
                "{% indented_data_reference reusables.x.two spaces=3 %}\n",
                "{{ currentVersion | version_num }} {{ allVersions[currentVersion].versionTitle }} {{ enterpriseServerReleases.latest }}\n",
                "{% if currentVersion == \"free-pro-team@latest\" %}dotcom{% endif %}",
                "{% if currentVersion ver_gt \"enterprise-server@3.4\" %}new ghes{% endif %}",
                "{% if enterpriseServerVersions contains currentVersion %} supported{% endif %}\n",
                "[{{ missing.deeply.nested }}]{% for x in nothing %}never{% endfor %}\n",
                "{{ \"About This!\" | slugify }}\n",
            ),
        ),
        ("data/reusables/x/two.md", "line one\nline two\n"),
    ]);
    let page = corpus.find_page("tags").unwrap().page;
    let fpt = renderer.render_page(&page, Version::Fpt, Lang::ENGLISH).unwrap().body;
    assert!(
        fpt.contains("<div class=\"extended-markdown note border rounded-1 mb-4 p-3 color-border-info color-bg-info f5\">\n\nA note.\n\n</div>"),
        "{fpt}"
    );
    assert!(fpt.contains("<div class=\"extended-markdown mac \">Mac only</div>"));
    assert!(fpt.contains("<svg version=\"1.1\" width=\"16\" height=\"16\" viewBox=\"0 0 16 16\" class=\"octicon octicon-check\" aria-label=\"The check icon\" role=\"img\"><path"));
    assert!(fpt.contains("   line one\n   line two"), "{fpt}");
    assert!(fpt.contains("latest Free, Pro, & Team 3.22\n"), "{fpt}");
    assert!(fpt.contains("dotcom\n"), "{fpt}");
    assert!(fpt.contains("[]\n"), "undefined values render empty: {fpt}");
    assert!(fpt.contains("about-this\n"));
    let old = renderer.render_page(&page, ghes("3.4"), Lang::ENGLISH).unwrap().body;
    // `enterpriseServerVersions contains currentVersion` means "on GHES": the old
    // engine never rendered deprecated releases, docgate does.
    assert!(
        old.contains("3.4 Enterprise Server 3.4 3.22\n") && !old.contains("new ghes") && old.contains(" supported"),
        "{old}"
    );
    let new = renderer.render_page(&page, ghes("3.20"), Lang::ENGLISH).unwrap().body;
    assert!(new.contains("new ghes supported\n"), "{new}");
    let ae = renderer.render_page(&page, Version::Ghae, Lang::ENGLISH).unwrap().body;
    assert!(ae.contains("latest GitHub AE 3.22\n"), "{ae}");
}

#[test]
fn unknown_tags_and_icons_are_located_errors() {
    let (_dir, corpus, renderer) = tree(&[
        (
            "content/a.md",
            "---\ntitle: A\nversions:\n  fpt: '*'\n---\n\nText {% frobnicate %}\n",
        ),
        (
            "content/b.md",
            "---\ntitle: B\nversions:\n  fpt: '*'\n---\n\n{% octicon \"no-such-icon\" %}\n",
        ),
    ]);
    for (name, at, msg) in [
        ("a", ":7:9", "Unknown tag `frobnicate`"),
        ("b", ":7:12", "unknown octicon `no-such-icon`"),
    ] {
        let page = corpus.find_page(name).unwrap().page;
        let e = renderer.render_page(&page, Version::Fpt, Lang::ENGLISH).unwrap_err();
        assert!(
            e.location()
                .unwrap()
                .to_string()
                .ends_with(&format!("content/{name}.md{at}")),
            "{e:?}"
        );
        assert!(e.message().contains(msg), "{}", e.message());
    }
}

#[test]
fn ifversion_branches_after_else_and_data_paths_liquid_cannot_read() {
    let (_dir, corpus, renderer) = tree(&[
        (
            "content/quirks.md",
            concat!(
                "---\ntitle: Quirks\nversions:\n  fpt: '*'\n  ghes: '*'\n---\n",
                // liquidjs: an `elsif` after `else` is tried before the `else`.
                "A{% ifversion ghes < 3.0 %}1{% else %}E{% elsif ghes > 3.4 %}2{% endif %}\n",
                // A second `else` adds to the first.
                "B{% ifversion fpt %}F{% else %}x{% else %}y{% endif %}\n",
                "{% data reusables.two_fa.2fa_note %} {% data reusables.notes.version-3.4 %}\n",
            ),
        ),
        ("data/reusables/two_fa/2fa_note.md", "two-factor"),
        ("data/reusables/notes/version-3.4.md", "three-four"),
    ]);
    let page = corpus.find_page("quirks").unwrap().page;
    let body = |v| renderer.render_page(&page, v, Lang::ENGLISH).unwrap().body;
    let fpt = body(Version::Fpt);
    assert!(fpt.contains("AE\nBF\ntwo-factor three-four\n"), "{fpt}");
    let new = body(ghes("3.5"));
    assert!(new.contains("A2\nBxy\n"), "{new}");
    let old = body(ghes("3.4"));
    assert!(old.contains("AE\nBxy\n"), "{old}");
}

/// Every variable the bundled pages, reusables and translations use renders
/// to a non-empty text without Liquid left in it, in every released version
/// and language: no empty product names anywhere.
#[test]
fn every_variable_in_use_renders_non_empty_everywhere() {
    let corpus = Corpus::bundled(today()).unwrap();
    let renderer = Renderer::new(corpus.clone()).unwrap();
    let source = corpus.source();
    let re = regex::Regex::new(r"\{%-?\s*data\s+(variables\.[A-Za-z0-9_.-]+)").unwrap();
    let mut used = std::collections::BTreeSet::new();
    for dir in ["content", "data/reusables", "translations"] {
        for rel in source.list(dir, ".md").unwrap() {
            let text = source.read(&rel).unwrap().unwrap();
            used.extend(re.captures_iter(&text).map(|c| c[1].to_string()));
        }
    }
    assert!(used.len() >= 5, "{used:?}");
    assert!(used.contains("variables.product.product_location"), "{used:?}");
    let versions: Vec<Version> = [Version::Fpt, Version::Ghec]
        .into_iter()
        .chain(corpus.releases().released().map(Version::Ghes))
        .collect();
    for var in &used {
        let t = renderer
            .parse(
                &format!("{{% data {var} %}}"),
                docgate::render::Origin::new("(test)".into(), 1),
            )
            .unwrap();
        for v in &versions {
            for lang in Lang::all() {
                let (text, warnings) = renderer.render_template(&t, *v, lang).unwrap();
                assert!(warnings.is_empty(), "{var} {v} {lang}: {warnings:?}");
                let text = text.trim();
                assert!(!text.is_empty() && !text.contains("{%"), "{var} {v} {lang}: `{text}`");
            }
        }
    }
}

/// Alerts are titled in the page's language (data/ui.yml `alerts`, translated
/// in translations/<locale>/data/ui.yml), in HTML and in terminal text.
#[test]
fn alert_titles_follow_the_language() {
    let (renderer, page) = setup();
    for (lang, title) in [
        ("en", "Note"),
        ("ko", "참고"),
        ("fr", "Remarque"),
        ("es", "Nota"),
        ("de", "Hinweis"),
    ] {
        let r = renderer
            .render_page(&page, ghes("3.16"), Lang::find(lang).unwrap())
            .unwrap();
        let html = format_page(&renderer, &r, Format::Html, TextOptions::default()).unwrap();
        assert!(
            html.contains(&format!("</svg>{title}</p>")) && html.contains("class=\"ghd-alert ghd-alert-accent\""),
            "{lang}: {html}"
        );
        let text = format_page(&renderer, &r, Format::Text, TextOptions::default()).unwrap();
        assert!(text.contains(&format!("│ {title}\n")), "{lang}: {text}");
    }
}

/// Long runs of plain text are parsed as placeholders and put back: the
/// output is what the same template with short text (parsed as it is) gives,
/// whitespace control trims as on the text itself, raw blocks and loops repeat
/// it, and errors keep their line and column.
#[test]
fn long_plain_text_renders_as_written() {
    let render = |para: &str| {
        let body = format!(
            "\n{para}\n{para}   \n\n{{%- ifversion ghes %}}\n{para}\n\n{para}\n{{%- endif -%}}\n\n   {para}\n{{% raw %}}\n{para}\n{{{{ not liquid }}}}\n{para}\n{{% endraw %}}\n{{% for i in (1..2) %}}\n{para}\n{para}  \n  {{%- endfor %}}\nEnd.\n"
        );
        let (_dir, corpus, renderer) = common::tree(&[(
            "content/page.md",
            &format!("---\ntitle: T\nversions:\n  ghes: '*'\n---\n{body}"),
        )]);
        let page = corpus.find_page("page").unwrap().page;
        renderer.render_page(&page, ghes("3.10"), Lang::ENGLISH).unwrap().body
    };
    let para =
        "A paragraph long enough to be parsed as a placeholder, with   spaces,\ttabs and <b>markup</b> & entities.";
    let long = render(&format!("{para}\n{para}"));
    assert_eq!(long, render("Q").replace('Q', &format!("{para}\n{para}")));
    assert!(long.contains(&format!("{para}\n{para}")), "{long}");

    let (_dir, corpus, renderer) = common::tree(&[(
        "content/bad.md",
        &format!(
            "---\ntitle: T\nversions:\n  ghes: '*'\n---\n\n{para}\n{para}\n\n{para} {{% data variables.none.here %}}\n"
        ),
    )]);
    let page = corpus.find_page("bad").unwrap().page;
    let err = renderer.render_page(&page, ghes("3.10"), Lang::ENGLISH).unwrap_err();
    let location = err.location().unwrap();
    assert_eq!((location.line, location.column), (10, para.chars().count() + 2));
}

/// A build releases a page's parsed bodies and translated body text after its
/// last render: other pages still get its translated title, and rendering it
/// again (serve, a second build) reads the translation again, byte for byte.
#[test]
fn a_released_page_renders_as_before() {
    let (_dir, corpus, renderer) = tree(&[
        (
            "content/a.md",
            "---\ntitle: Alpha {% ifversion fpt %}cloud{% endif %}\nversions:\n  fpt: '*'\n  ghes: '*'\n---\n\n## Start\n\nSee [AUTOTITLE](/b).\n",
        ),
        (
            "content/b.md",
            "---\ntitle: Beta\nversions:\n  fpt: '*'\n  ghes: '*'\n---\n\nBody of b.\n",
        ),
        (
            "translations/ko-kr/content/a.md",
            "---\ntitle: 알파 {% ifversion fpt %}클라우드{% endif %}\n---\n\n## 시작\n\n[AUTOTITLE](/b) 참조.\n",
        ),
        (
            "translations/ko-kr/content/b.md",
            "---\ntitle: 베타\n---\n\n{% 데이터 variables.missing %}b의 본문.\n",
        ),
    ]);
    let ko = Lang::find("ko").unwrap();
    let a = corpus.page("a.md").unwrap().unwrap();
    let b = corpus.page("b.md").unwrap().unwrap();
    let html = |p: &Arc<Page>| {
        let r = renderer.render_page(p, Version::Fpt, ko).unwrap();
        format_page(&renderer, &r, Format::Html, TextOptions::default()).unwrap()
    };
    let (a_before, b_before) = (html(&a), html(&b));
    assert!(a_before.contains(">베타</a>"), "{a_before}");
    renderer.release_page(&a);
    renderer.release_page(&b);
    let head = corpus.translation_head(&b, ko).unwrap().unwrap();
    assert!(
        !head.text.contains("본문"),
        "only the frontmatter is kept: {:?}",
        head.text
    );
    assert_eq!(renderer.page_title(&b, Version::Fpt, ko).unwrap(), "베타");
    assert_eq!(html(&b), b_before);
    assert_eq!(html(&a), a_before);
    assert!(corpus.translation(&b, ko).unwrap().unwrap().body().contains("본문"));
}

/// A page's links to live pages are resolved by reading those pages only (the
/// redirect map, which reads every page, is built only for other links), and
/// the lazy answer is the map's: the same HTML either way, also for an old path,
/// a page in other versions only, and two files with one path.
#[test]
fn links_read_only_the_pages_they_need_and_resolve_as_the_map_does() {
    let versions = "versions:\n  fpt: '*'\n  ghes: '*'\n";
    let page = |title: &str, extra: &str, body: &str| format!("---\ntitle: {title}\n{versions}{extra}---\n\n{body}\n");
    let files = [
        (
            "content/a.md",
            page(
                "Alpha",
                "",
                "See [AUTOTITLE](/b), [AUTOTITLE](/enterprise-server@latest/b#x) and [the root](/).",
            ),
        ),
        ("content/b.md", page("Beta", "", "## X\n\nBody of b.")),
        (
            "content/c.md",
            page(
                "Gamma",
                "",
                "Old: [AUTOTITLE](/old-d). Twice: [AUTOTITLE](/e). Cloud: [cloud only](/f).",
            ),
        ),
        (
            "content/d.md",
            page("Delta", "redirect_from:\n  - /old-d\n", "Body of d."),
        ),
        ("content/e.md", page("Epsilon file", "", "e.md")),
        ("content/e/index.md", page("Epsilon folder", "", "e/index.md")),
        (
            "content/f.md",
            "---\ntitle: Zeta\nversions:\n  fpt: '*'\n---\n\nCloud only.\n".to_string(),
        ),
        ("content/index.md", page("Home", "", "Home.")),
        (
            "content/unrelated.md",
            page("Unrelated", "redirect_from:\n  - /u\n", "Never linked."),
        ),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let (_dir, corpus, renderer) = tree(&files);
    let (_dir2, _corpus2, with_map) = tree(&files);
    with_map.redirect_map().unwrap();
    let en = Lang::find("en").unwrap();
    let html = |renderer: &Renderer, path: &str, v: Version| {
        let p = renderer.corpus().page(path).unwrap().unwrap();
        let r = renderer.render_page(&p, v, en).unwrap();
        format_page(renderer, &r, Format::Html, TextOptions::default()).unwrap()
    };
    let latest = Version::Ghes(corpus.releases().latest());
    let a = html(&renderer, "a.md", latest);
    assert!(a.contains(">Beta</a>") && a.contains("/b#x"), "{a}");
    assert!(corpus.has_read("b.md") && corpus.has_read("index.md"));
    assert!(
        !corpus.has_read("unrelated.md") && !corpus.has_read("d.md"),
        "a page whose links are live pages reads only those"
    );
    assert_eq!(a, html(&with_map, "a.md", latest));
    for v in [Version::Fpt, latest] {
        let c = html(&renderer, "c.md", v);
        assert!(c.contains(">Delta</a>"), "an old path still resolves: {c}");
        assert_eq!(c, html(&with_map, "c.md", v), "{v}");
    }
}

/// The links check takes a translation's heading ids from its Markdown alone;
/// they are the ids of its HTML, for every bundled page, release and language.
#[test]
fn heading_ids_without_html_are_those_of_the_html() {
    let corpus = Corpus::bundled(today()).unwrap();
    let renderer = Renderer::new(corpus.clone()).unwrap();
    let mut compared = 0;
    for path in corpus.page_paths().unwrap() {
        let page = corpus.page(path).unwrap().unwrap();
        for v in corpus.released_versions(&page) {
            for lang in Lang::all().filter(|l| !l.is_english()) {
                let Ok(r) = renderer.render_page(&page, v, lang) else {
                    continue;
                };
                let html = renderer.body_html(&r).unwrap().headings;
                let english = renderer.english_headings(&page, v).unwrap();
                let alone = docgate::render::markdown::translated_headings(r.markdown(), Some(&english));
                assert_eq!(
                    alone.iter().map(|h| &h.id).collect::<Vec<_>>(),
                    html.iter().map(|h| &h.id).collect::<Vec<_>>(),
                    "{path} {v} {lang:?}"
                );
                compared += usize::from(!html.is_empty());
            }
        }
    }
    assert!(compared > 100, "{compared}");
}

/// A body is rendered once per class of versions (those taking the same
/// `ifversion` decisions, in the page and the reusables it includes) and
/// reused for the others: every version still reads exactly as when rendered
/// on its own, including bodies that read the version some other way
/// (variables, `if` over plans, link tags), in English and in a translation.
#[test]
fn versions_of_one_class_share_a_render_and_each_reads_as_its_own() {
    let versions = "versions:\n  fpt: '*'\n  ghec: '*'\n  ghes: '*'\n";
    let files = [
        ("data/features/late.yml".to_string(), "versions:\n  ghec: '*'\n  ghes: '>=3.20'\n".to_string()),
        (
            "data/reusables/x/nested.md".to_string(),
            "{% ifversion ghes < 3.19 %}Old server.{% elsif late %}Late feature.{% else %}Neither.{% endif %}".to_string(),
        ),
        (
            "data/reusables/x/outer.md".to_string(),
            "Outer {% data reusables.x.nested %} {% ifversion fpt or ghec %}cloud{% endif %}".to_string(),
        ),
        (
            "content/plain.md".to_string(),
            format!("---\ntitle: Plain {{% ifversion ghes %}}server{{% else %}}cloud{{% endif %}}\nintro: '{{% data reusables.x.nested %}}'\n{versions}---\n\n{{% data reusables.x.outer %}}\n\n{{% ifversion ghes > 3.17 and ghes < 3.21 %}}Middle.{{% endif %}}\n"),
        ),
        (
            "content/vars.md".to_string(),
            format!("---\ntitle: Vars {{{{ currentVersion }}}}\n{versions}---\n\nThis is {{{{ currentVersion }}}}. {{% if ghes %}}A server.{{% endif %}} {{% data reusables.x.outer %}}\n"),
        ),
        (
            "content/linked.md".to_string(),
            format!("---\ntitle: Linked\n{versions}---\n\n{{% link /only-server %}} {{% data reusables.x.nested %}}\n\nSee [AUTOTITLE](/plain){{% ifversion ghes %}} and [AUTOTITLE](/only-server){{% endif %}}.\n"),
        ),
        (
            "content/only-server.md".to_string(),
            "---\ntitle: Server {% ifversion ghes > 3.19 %}new{% else %}old{% endif %}\nversions:\n  ghes: '*'\n---\n\nServer only.\n".to_string(),
        ),
        (
            "translations/ko-kr/content/plain.md".to_string(),
            "---\ntitle: 평범 {% ifversion ghes > 3.19 %}새{% endif %}\n---\n\n{% data reusables.x.outer %}\n\n{% ifversion ghes > 3.17 and ghes < 3.21 %}중간.{% endif %}\n".to_string(),
        ),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let (_dir, corpus, shared) = tree(&files);
    let text = |renderer: &Renderer, path: &str, v: Version, lang: Lang| {
        let page = renderer.corpus().page(path).unwrap().unwrap();
        let r = renderer.render_page(&page, v, lang).unwrap();
        format_page(renderer, &r, Format::Text, TextOptions::default()).unwrap()
    };
    let ko = Lang::find("ko").unwrap();
    let mut distinct = std::collections::HashSet::new();
    for path in ["plain.md", "vars.md", "linked.md"] {
        for v in both_orders(&corpus, path) {
            for lang in [Lang::ENGLISH, ko] {
                let (_d, _c, alone) = tree(&files);
                let own = text(&alone, path, v, lang);
                assert_eq!(text(&shared, path, v, lang), own, "{path} {v} {lang:?}");
                distinct.insert(own);
            }
        }
    }
    assert!(distinct.len() > 12, "the bodies differ by version: {}", distinct.len());
}

/// The versions of the page at `path`, newest first, then oldest first: each
/// order meets version classes another way.
fn both_orders(corpus: &Corpus, path: &str) -> Vec<Version> {
    let page = corpus.page(path).unwrap().unwrap();
    let mut versions = corpus.released_versions(&page);
    let reversed: Vec<Version> = versions.iter().rev().copied().collect();
    versions.extend(reversed);
    versions
}

/// The versions of a class convert their text to HTML once, with each link's
/// href and AUTOTITLE title filled in per version: every version's HTML and
/// JSON (links, headings) are those of a renderer that saw only that version.
#[test]
fn versions_of_one_class_share_their_html_and_each_has_its_own_links() {
    let versions = "versions:\n  fpt: '*'\n  ghec: '*'\n  ghes: '*'\n";
    let body = "Read [AUTOTITLE](/target) and [the guide](/target#setup), [AUTOTITLE][ref], [assets](/assets/a.png).\n\n\
| Topic | Link |\n| --- | --- |\n| One | [AUTOTITLE](/target#setup) |\n\n\
> [!NOTE]\n> See [AUTOTITLE](/other).\n\n## Setup\n\n[ref]: /other\n";
    let files = [
        (
            "content/target.md".to_string(),
            format!(
                "---\ntitle: Target {{% ifversion ghes %}}on the server{{% else %}}in the cloud{{% endif %}}\n{versions}---\n\n## Setup\n\nText.\n"
            ),
        ),
        (
            "content/other.md".to_string(),
            format!("---\ntitle: Other page\n{versions}---\n\nOther.\n"),
        ),
        (
            "content/quoted.md".to_string(),
            format!("---\ntitle: \"Tom's <page> & more\"\n{versions}---\n\nQuoted.\n"),
        ),
        (
            "content/links.md".to_string(),
            format!("---\ntitle: Links\n{versions}---\n\n{body}"),
        ),
        (
            "content/heading.md".to_string(),
            format!(
                "---\ntitle: Heading\n{versions}---\n\n## About [AUTOTITLE](/target)\n\nSee [AUTOTITLE](/other).\n"
            ),
        ),
        (
            "content/odd.md".to_string(),
            format!(
                "---\ntitle: Odd\n{versions}---\n\nSee [AUTOTITLE](/quoted) and [x](/target?a=1&b=2#setup) and [y](</other>).\n"
            ),
        ),
        (
            "translations/ko-kr/content/links.md".to_string(),
            format!("---\ntitle: 링크\n---\n\n{body}"),
        ),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let (_dir, corpus, shared) = tree(&files);
    let out = |renderer: &Renderer, path: &str, v: Version, lang: Lang, format: Format| {
        let page = renderer.corpus().page(path).unwrap().unwrap();
        let r = renderer.render_page(&page, v, lang).unwrap();
        format_page(renderer, &r, format, TextOptions::default()).unwrap()
    };
    let ko = Lang::find("ko").unwrap();
    let mut distinct = std::collections::HashSet::new();
    for path in ["links.md", "heading.md", "odd.md"] {
        for v in both_orders(&corpus, path) {
            for lang in [Lang::ENGLISH, ko] {
                for format in [Format::Html, Format::Json] {
                    let (_d, _c, alone) = tree(&files);
                    let own = out(&alone, path, v, lang, format);
                    assert_eq!(
                        out(&shared, path, v, lang, format),
                        own,
                        "{path} {v} {lang:?} {format:?}"
                    );
                    distinct.insert(own);
                }
                // The body's HTML is what converting this render's Markdown gives.
                let page = shared.corpus().page(path).unwrap().unwrap();
                let r = shared.render_page(&page, v, lang).unwrap();
                let english = (!lang.is_english()).then(|| shared.english_headings(&page, v).unwrap());
                let alerts = shared.alert_titles(lang).unwrap();
                let latest = corpus.releases().latest();
                let rewrite = |h: &str| docgate::permalink::rewrite_link(h, v, lang, latest);
                let direct = docgate::render::markdown::to_html(
                    r.markdown(),
                    &docgate::render::markdown::HtmlOptions {
                        english_headings: english.as_deref().map(Vec::as_slice),
                        rewrite_link: Some(&rewrite),
                        alert_titles: Some(&alerts),
                    },
                );
                let body = shared.body_html(&r).unwrap();
                assert_eq!(
                    body.html,
                    docgate::render::sanitize::sanitize(&direct.html),
                    "{path} {v} {lang:?}"
                );
                assert_eq!(body.headings, direct.headings, "{path} {v} {lang:?}");
                assert_eq!(
                    *shared.body_headings(&r).unwrap(),
                    direct.headings,
                    "{path} {v} {lang:?}"
                );
                assert_eq!(
                    format!("{:?}", body.links),
                    format!("{:?}", direct.links),
                    "{path} {v} {lang:?}"
                );
            }
        }
    }
    let html = out(
        &shared,
        "links.md",
        Version::Ghes(Release::new(3, 20)),
        Lang::ENGLISH,
        Format::Html,
    );
    assert!(
        html.contains("<a href=\"/en/enterprise-server@3.20/target\">Target on the server</a>"),
        "{html}"
    );
    assert!(
        html.contains("href=\"/en/enterprise-server@3.20/target#setup\""),
        "{html}"
    );
    let html = out(&shared, "links.md", Version::Fpt, ko, Format::Html);
    assert!(
        html.contains("<a href=\"/ko/target\">Target in the cloud</a>"),
        "{html}"
    );
    assert!(html.contains("<a href=\"/ko/other\">Other page</a>"), "{html}");
    assert!(
        distinct.len() > 12,
        "each version has its own links: {}",
        distinct.len()
    );
}
