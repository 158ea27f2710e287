//! Today's github/docs engine: the tags, alerts, AUTOTITLE links, children
//! lists and Markdown output of current content, in English and a translation.

use crate::common;
use common::{today, tree};
use docgate::corpus::{Corpus, Engine, Source};
use docgate::languages::Lang;
use docgate::render::Renderer;
use docgate::versions::{Release, Version};

fn ghes(r: &str) -> Version {
    Version::Ghes(r.parse::<Release>().unwrap())
}

const FM: &str = "---\ntitle: Tools\nversions:\n  fpt: '*'\n  ghes: '*'\n---\n";

fn tags_page() -> String {
    format!(
        "{FM}{}",
        concat!(
            "> [!NOTE]\n> Today's alert form makes this a current tree.\n\n",
            "{% webui %}\n\nIn the browser.\n\n{% endwebui %}\n\n",
            "{% xcode %}In Xcode.{% endxcode %}\n\n",
            "{% rowheaders %}\n\n| Role | Can read |\n| --- | --- |\n| Admin | Yes |\n| Member | No |\n\n{% endrowheaders %}\n\n",
            "{% note %}\n\nA spotlight.\n\n{% endnote %}\n\n",
            "Run {% prompt %}Explain this file{% endprompt %} now.\n\n",
            "Click {% octicon \"kebab-horizontal\" %} or {% octicon \"trashcan\" aria-label=\"Delete\" %}.\n",
        )
    )
}

#[test]
fn a_tree_with_alerts_renders_tools_rowheaders_spotlights_prompts_and_octicons_like_todays_engine() {
    let page = tags_page();
    let (_dir, corpus, renderer) = tree(&[
        ("content/tools.md", &page),
        (
            "translations/ko-kr/content/tools.md",
            &page
                .replace("title: Tools", "title: 도구")
                .replace("In the browser.", "브라우저에서."),
        ),
    ]);
    assert_eq!(corpus.engine(), Engine::Current);
    let page = corpus.find_page("tools").unwrap().page;
    for lang in [Lang::ENGLISH, Lang::find("ko").unwrap()] {
        let r = renderer.render_page(&page, Version::Fpt, lang).unwrap();
        let md = &r.body;
        let browser = if lang.is_english() {
            "In the browser."
        } else {
            "브라우저에서."
        };
        assert!(
            md.contains(&format!("<div class=\"ghd-tool webui\">\n\n{browser}\n\n</div>\n")),
            "{md}"
        );
        assert!(md.contains("<div class=\"ghd-tool xcode\">In Xcode.</div>\n"), "{md}");
        assert!(
            md.contains("<div class=\"ghd-alert ghd-alert-accent ghd-spotlight-accent\">\n\nA spotlight.\n\n</div>"),
            "{md}"
        );
        assert!(
            md.contains(
                "<code>Explain this file</code><a href=\"https://github.com/copilot?prompt=Explain%20this%20file\""
            ),
            "{md}"
        );
        assert!(
            md.contains("class=\"octicon octicon-copilot\" aria-hidden=\"true\">"),
            "the prompt's icon is decorative: {md}"
        );
        assert!(
            md.contains(
                "class=\"octicon octicon-kebab-horizontal\" aria-label=\"kebab horizontal icon\" role=\"img\">"
            ),
            "{md}"
        );
        assert!(
            md.contains("class=\"octicon octicon-trash\" aria-label=\"Delete\" role=\"img\">"),
            "renamed icon: {md}"
        );
        let html = renderer.body_html(&r).unwrap().html;
        assert!(
            html.contains("<tr><th scope=\"row\">Admin</th><td>Yes</td></tr>"),
            "{html}"
        );
        assert!(
            html.contains("<tr><th scope=\"row\">Member</th><td>No</td></tr>"),
            "{html}"
        );
        assert!(
            html.contains("<th>Role</th>"),
            "header cells stay column headers: {html}"
        );
    }
}

#[test]
fn a_tree_without_current_features_keeps_the_2021_rendering() {
    let (_dir, corpus, renderer) = tree(&[(
        "content/old.md",
        &format!("{FM}{{% mac %}}Mac{{% endmac %}}\n{{% note %}}N{{% endnote %}}\n{{% octicon \"check\" %}}\n"),
    )]);
    assert_eq!(corpus.engine(), Engine::Legacy2021);
    let page = corpus.find_page("old").unwrap().page;
    let md = renderer.render_page(&page, Version::Fpt, Lang::ENGLISH).unwrap().body;
    assert!(md.contains("<div class=\"extended-markdown mac \">Mac</div>"), "{md}");
    assert!(
        md.contains(
            "<div class=\"extended-markdown note border rounded-1 mb-4 p-3 color-border-info color-bg-info f5\">N</div>"
        ),
        "{md}"
    );
    assert!(
        md.contains("class=\"octicon octicon-check\" aria-hidden=\"true\">"),
        "{md}"
    );
}

#[test]
fn rest_api_versions_come_from_the_tables_and_the_feature() {
    let (_dir, corpus, renderer) = tree(&[
        (
            "content/api.md",
            concat!(
                "---\ntitle: API\nversions:\n  fpt: '*'\n  ghes: '*'\n---\n",
                "> [!NOTE]\n> x\n\n",
                "Default {{ defaultRestApiVersion }}, newest {{ allVersions[currentVersion].latestApiVersion }} ({{ initialRestVersioningReleaseDateLong }}).\n",
                "{%- for v in allVersions[currentVersion].apiVersions %}\n",
                "| {{ v }} | {{ tables.rest-api-versions.versions[v].end_of_support | default: \"Not yet scheduled\" }} |\n",
                "{%- endfor %}\n",
            ),
        ),
        (
            "data/features/api-date-versioning.yml",
            "versions:\n  fpt: '*'\n  ghes: '>=3.8'\n",
        ),
        (
            "data/tables/rest-api-versions.yml",
            "versions:\n  '2022-11-28':\n    end_of_support: 'March 10, 2028'\n  '2026-03-10':\n    end_of_support: ~\n",
        ),
    ]);
    let page = corpus.find_page("api").unwrap().page;
    let md = renderer.render_page(&page, Version::Fpt, Lang::ENGLISH).unwrap().body;
    assert!(md.contains("Default 2022-11-28, newest 2026-03-10 (Tue, 10 Mar 2026).\n| 2026-03-10 | Not yet scheduled |\n| 2022-11-28 | March 10, 2028 |"), "{md}");
    // Before the feature, no calendar versions: the loop is empty.
    let old = renderer.render_page(&page, ghes("3.5"), Lang::ENGLISH).unwrap().body;
    assert!(old.contains("Default , newest  ().\n"), "{old}");
}

#[test]
fn whitespace_control_trims_runs_of_any_length_and_keeps_the_others() {
    let (_dir, _corpus, r) = tree(&[("content/x.md", FM)]);
    let long = " \n".repeat(50_000);
    let cases = [
        (
            "a  \n\n  {%- if true %}b{% endif -%}  \r\n\n  c".to_string(),
            "abc".to_string(),
        ),
        ("x \t{{- 'y' -}}\r\n z".to_string(), "x \tyz".to_string()),
        ("a   {% if true %}b{% endif %}   c".to_string(), "a   b   c".to_string()),
        (
            format!("{long}{{%- if true %}}k{{% endif -%}}{long}end"),
            "kend".to_string(),
        ),
        (format!("{{% raw %}}{long}{{% endraw %}}"), long.clone()),
        (format!("k{long}{{{{ 'v' }}}}"), format!("k{long}v")),
    ];
    for (text, want) in cases {
        let t = r.parse(&text, docgate::render::Origin::new("x.md".into(), 1)).unwrap();
        let (out, _) = r.render_template(&t, Version::Fpt, Lang::ENGLISH).unwrap();
        assert_eq!(out, want, "{:?}", &text[..text.len().min(60)]);
    }
}

/// A current tree with AUTOTITLE links: to a page (also through an old path,
/// with an anchor, and from a reusable), to a page only on GHES, and to a path
/// outside the tree.
fn autotitle_tree() -> (tempfile::TempDir, Corpus, Renderer) {
    tree(&[
        (
            "content/get-started/start.md",
            concat!(
                "---\ntitle: Start\nversions:\n  fpt: '*'\n  ghes: '*'\n---\n",
                "> [!NOTE]\n> Read [AUTOTITLE](/get-started/target#setup) first.\n\n",
                "- Old path: [AUTOTITLE](/old/target-path).\n",
                "- Written text stays: [the target](/get-started/target).\n",
                "- Outside: [AUTOTITLE](/nowhere/else).\n",
                "{% data reusables.x.see %}\n",
                "{% ifversion ghes %}- Server only: [AUTOTITLE](/get-started/server-only).{% endif %}\n",
            ),
        ),
        (
            "content/get-started/target.md",
            "---\ntitle: '{% data variables.product.name %} target [beta]'\nversions:\n  fpt: '*'\n  ghes: '*'\nredirect_from:\n  - /old/target-path\n---\n## Setup\n",
        ),
        (
            "content/get-started/server-only.md",
            "---\ntitle: Server only\nversions:\n  ghes: '*'\n---\nText\n",
        ),
        ("data/variables/product.yml", "name: Octo\n"),
        (
            "data/reusables/x/see.md",
            "- From a reusable: [AUTOTITLE](/get-started/target).",
        ),
        (
            "translations/ko-kr/content/get-started/start.md",
            "---\ntitle: 시작\nversions:\n  fpt: '*'\n---\n먼저 [AUTOTITLE](/get-started/target) 읽기.\n",
        ),
        (
            "translations/ko-kr/content/get-started/target.md",
            "---\ntitle: '{% data variables.product.name %} 대상'\nversions:\n  fpt: '*'\n---\n## 설정\n",
        ),
    ])
}

#[test]
fn autotitle_links_take_the_target_title_in_every_format() {
    let (_dir, corpus, renderer) = autotitle_tree();
    let page = corpus.find_page("get-started/start").unwrap().page;
    let r = renderer.render_page(&page, Version::Fpt, Lang::ENGLISH).unwrap();
    let md = r.markdown();
    assert!(
        md.contains("> Read [Octo target \\[beta\\]](/en/get-started/target#setup) first."),
        "{md}"
    );
    assert!(
        md.contains("- Old path: [Octo target \\[beta\\]](/en/get-started/target)."),
        "through the redirect: {md}"
    );
    assert!(
        md.contains("- Written text stays: [the target](/en/get-started/target)."),
        "{md}"
    );
    assert!(md.contains("- Outside: [/nowhere/else](/en/nowhere/else)."), "{md}");
    assert!(
        md.contains("- From a reusable: [Octo target \\[beta\\]](/en/get-started/target)."),
        "{md}"
    );
    assert!(!md.contains("AUTOTITLE"));
    assert!(
        r.body.contains("[AUTOTITLE](/get-started/target#setup)"),
        "the Liquid stage keeps links as written"
    );
    let outside = r.warnings.iter().find(|w| w.message.contains("AUTOTITLE")).unwrap();
    assert!(
        outside
            .message
            .contains("1 AUTOTITLE link leads to no page of this tree"),
        "{outside:?}"
    );
    assert!(outside.message.contains("`/nowhere/else`"));
    let html = renderer.body_html(&r).unwrap().html;
    assert!(
        html.contains("<a href=\"/en/get-started/target#setup\">Octo target [beta]</a>"),
        "{html}"
    );
    let text = docgate::render::output::format_page(
        &renderer,
        &r,
        docgate::render::output::Format::Text,
        docgate::render::text::TextOptions::default(),
    )
    .unwrap();
    assert!(
        text.contains("Octo target [beta]") && !text.contains("AUTOTITLE"),
        "{text}"
    );
    let json = docgate::render::output::format_page(
        &renderer,
        &r,
        docgate::render::output::Format::Json,
        docgate::render::text::TextOptions::default(),
    )
    .unwrap();
    assert!(json.contains("\"text\": \"Octo target [beta]\""), "{json}");

    // On GHES the links carry the version.
    let v = renderer
        .render_page(&page, ghes("3.5"), Lang::ENGLISH)
        .unwrap()
        .markdown()
        .to_string();
    assert!(
        v.contains("[Octo target \\[beta\\]](/en/enterprise-server@3.5/get-started/target#setup)"),
        "{v}"
    );
    assert!(
        v.contains("- Server only: [Server only](/en/enterprise-server@3.5/get-started/server-only)."),
        "{v}"
    );
}

#[test]
fn a_translated_page_shows_the_translated_title_of_the_target() {
    let (_dir, corpus, renderer) = autotitle_tree();
    let page = corpus.find_page("get-started/start").unwrap().page;
    let ko = Lang::find("ko").unwrap();
    let r = renderer.render_page(&page, Version::Fpt, ko).unwrap();
    assert!(
        r.markdown().contains("먼저 [Octo 대상](/ko/get-started/target) 읽기."),
        "{}",
        r.markdown()
    );
}

#[test]
fn an_autotitle_link_to_a_page_missing_in_that_version_is_a_located_error() {
    let (dir, _corpus, _renderer) = autotitle_tree();
    let start = dir.path().join("content/get-started/start.md");
    let mut text = std::fs::read_to_string(&start).unwrap();
    // As in the reference, a link to a page only on GHES resolves from fpt
    // through the versionless redirect (to the latest release); a link to a
    // page only on fpt has nothing to reach on GHES.
    text.push_str("- Versionless: [AUTOTITLE](/get-started/server-only).\n- Dotcom only: [AUTOTITLE](/get-started/dotcom-only).\n");
    std::fs::write(&start, text).unwrap();
    std::fs::write(
        dir.path().join("content/get-started/dotcom-only.md"),
        "---\ntitle: Dotcom only\nversions:\n  fpt: '*'\n---\nText\n",
    )
    .unwrap();
    let corpus = Corpus::open(Source::disk(dir.path()).unwrap(), today()).unwrap();
    let renderer = Renderer::new(corpus.clone()).unwrap();
    let page = corpus.find_page("get-started/start").unwrap().page;
    let fpt = renderer
        .render_page(&page, Version::Fpt, Lang::ENGLISH)
        .unwrap()
        .markdown()
        .to_string();
    assert!(
        fpt.contains("- Versionless: [Server only](/en/enterprise-server@3.22/get-started/server-only)."),
        "{fpt}"
    );
    assert!(
        fpt.contains("- Dotcom only: [Dotcom only](/en/get-started/dotcom-only)."),
        "{fpt}"
    );
    let e = renderer.render_page(&page, ghes("3.5"), Lang::ENGLISH).unwrap_err();
    let loc = e.location().unwrap();
    assert!(loc.file.ends_with("content/get-started/start.md"), "{loc}");
    assert_eq!((loc.line, loc.column), (16, 28), "{e}");
    assert!(
        e.message().contains("cannot be resolved in enterprise-server@3.5"),
        "{}",
        e.message()
    );
    assert!(
        e.message()
            .contains("get-started/dotcom-only.md does not exist in that version"),
        "{}",
        e.message()
    );
}

fn landing_tree() -> (tempfile::TempDir, Corpus, Renderer) {
    tree(&[
        (
            "content/product/index.md",
            "---\ntitle: Product docs\nshortTitle: Product\nversions:\n  fpt: '*'\n  ghes: '*'\nchildren:\n  - /guides\n---\n",
        ),
        (
            "content/product/guides/index.md",
            concat!(
                "---\ntitle: Guides for {% data variables.product.name %}\nshortTitle: Guides\n",
                "intro: 'Learn the product.'\nversions:\n  fpt: '*'\n  ghes: '*'\n",
                "children:\n  - /first-steps\n  - /server-admin\n  - /not-written-yet\n---\n",
            ),
        ),
        (
            "content/product/guides/first-steps.md",
            concat!(
                "---\ntitle: First steps\nintro: 'Start with **{% data variables.product.name %}**.'\n",
                "versions:\n  fpt: '*'\n  ghes: '*'\n---\n> [!TIP]\n> x\n\n## Install\n\nText\n\n### Detail\n\n## Use it\n",
            ),
        ),
        (
            "content/product/guides/server-admin.md",
            "---\ntitle: Server administration\nintro: For admins.\nversions:\n  ghes: '*'\n---\nText\n",
        ),
        ("data/variables/product.yml", "name: Octo\n"),
        (
            "translations/ko-kr/content/product/guides/first-steps.md",
            "---\ntitle: 첫 단계\nintro: '{% data variables.product.name %}로 시작하기.'\nversions:\n  fpt: '*'\n---\n## 설치\n\n## 사용\n",
        ),
        (
            "translations/ko-kr/content/product/guides/index.md",
            "---\ntitle: 가이드\nshortTitle: 가이드\nversions:\n  fpt: '*'\n---\n",
        ),
    ])
}

#[test]
fn index_pages_list_their_children_that_exist_in_the_version() {
    let (_dir, corpus, renderer) = landing_tree();
    let page = corpus.find_page("product/guides").unwrap().page;
    let fpt = renderer.render_page(&page, Version::Fpt, Lang::ENGLISH).unwrap();
    let titles: Vec<&str> = fpt.children.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["First steps"], "the GHES-only child is left out of fpt");
    assert_eq!(fpt.children[0].href, "/en/product/guides/first-steps");
    assert_eq!(fpt.children[0].intro.as_deref(), Some("Start with **Octo**."));
    assert!(
        fpt.markdown()
            .contains("## Links\n\n* [First steps](/en/product/guides/first-steps)\n\n  Start with **Octo**.\n"),
        "{}",
        fpt.markdown()
    );
    assert!(
        fpt.warnings
            .iter()
            .any(|w| w.message.contains("`/not-written-yet` is not in this tree"))
    );
    let server = renderer.render_page(&page, ghes("3.5"), Lang::ENGLISH).unwrap();
    let hrefs: Vec<&str> = server.children.iter().map(|c| c.href.as_str()).collect();
    assert_eq!(
        hrefs,
        [
            "/en/enterprise-server@3.5/product/guides/first-steps",
            "/en/enterprise-server@3.5/product/guides/server-admin"
        ]
    );
    let html = renderer.body_html(&server).unwrap().html;
    assert!(
        html.contains("<a href=\"/en/enterprise-server@3.5/product/guides/server-admin\">Server administration</a>"),
        "{html}"
    );
    // In Korean: translated titles and intros, English where there is no translation.
    let ko = renderer
        .render_page(&page, Version::Fpt, Lang::find("ko").unwrap())
        .unwrap();
    assert_eq!(ko.children[0].title, "첫 단계");
    assert_eq!(ko.children[0].href, "/ko/product/guides/first-steps");
    assert_eq!(ko.children[0].intro.as_deref(), Some("Octo로 시작하기."));
}

#[test]
fn breadcrumbs_and_the_mini_toc_come_from_the_tree_and_the_headings() {
    use docgate::render::output::{Format, format_page};
    use docgate::render::text::TextOptions;
    let (_dir, corpus, renderer) = landing_tree();
    let page = corpus.find_page("product/guides/first-steps").unwrap().page;
    let r = renderer.render_page(&page, Version::Fpt, Lang::ENGLISH).unwrap();
    let crumbs: Vec<(&str, &str)> = r
        .breadcrumbs
        .iter()
        .map(|c| (c.title.as_str(), c.href.as_str()))
        .collect();
    assert_eq!(
        crumbs,
        [
            ("Product", "/en/product"),
            ("Guides", "/en/product/guides"),
            ("First steps", "/en/product/guides/first-steps")
        ]
    );
    let html = format_page(&renderer, &r, Format::Html, TextOptions::default()).unwrap();
    assert!(
        html.contains(
            "<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\"><ol><li><a href=\"/en/product\">Product</a></li>"
        ),
        "{html}"
    );
    assert!(html.contains("<nav class=\"minitoc\" aria-label=\"In this article\"><ul><li><a href=\"#install\">Install</a></li><li><a href=\"#use-it\">Use it</a></li></ul></nav>"), "{html}");
    let json: serde_json::Value =
        serde_json::from_str(&format_page(&renderer, &r, Format::Json, TextOptions::default()).unwrap()).unwrap();
    assert_eq!(json["miniToc"][1]["id"], "use-it");
    assert_eq!(json["breadcrumbs"][1]["title"], "Guides");
    // Korean: translated crumbs where translated, the English heading ids.
    let ko = renderer
        .render_page(&page, Version::Fpt, Lang::find("ko").unwrap())
        .unwrap();
    let crumbs: Vec<&str> = ko.breadcrumbs.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(crumbs, ["Product", "가이드", "첫 단계"]);
    let json: serde_json::Value =
        serde_json::from_str(&format_page(&renderer, &ko, Format::Json, TextOptions::default()).unwrap()).unwrap();
    assert_eq!(json["miniToc"][0], serde_json::json!({"id": "install", "text": "설치"}));
}

#[test]
fn alerts_in_every_form_today_s_engine_accepts() {
    let (_dir, corpus, renderer) = tree(&[
        (
            "content/alerts.md",
            concat!(
                "---\ntitle: Alerts\nversions:\n  fpt: '*'\n---\n",
                "> [!NOTE]\n> On its own line.\n\n",
                "> [!TIP] Text on the marker line.\n\n",
                "> [!IMPORTANT]\n> {% data variables.product.name %} from Liquid.\n\n",
                "> [!WARNING]\n> {% data reusables.x.warn %}\n\n",
                "1. A step.\n\n   > [!CAUTION]\n   > Inside a list item.\n",
            ),
        ),
        ("data/variables/product.yml", "name: Octo\n"),
        ("data/reusables/x/warn.md", "First line.\nSecond line."),
        (
            "data/ui.yml",
            "alerts:\n  NOTE: Note\n  TIP: Tip\n  IMPORTANT: Important\n  WARNING: Warning\n  CAUTION: Caution\n",
        ),
        (
            "translations/ko-kr/data/ui.yml",
            "alerts:\n  NOTE: 참고\n  TIP: 팁\n  IMPORTANT: 중요\n  WARNING: 경고\n  CAUTION: 주의\n",
        ),
    ]);
    let page = corpus.find_page("alerts").unwrap().page;
    for (lang, titles) in [
        (Lang::ENGLISH, ["Note", "Tip", "Important", "Warning", "Caution"]),
        (Lang::find("ko").unwrap(), ["참고", "팁", "중요", "경고", "주의"]),
    ] {
        let r = renderer.render_page(&page, Version::Fpt, lang).unwrap();
        let html = renderer.body_html(&r).unwrap().html;
        for (color, title) in ["accent", "success", "done", "attention", "danger"].iter().zip(titles) {
            assert!(
                html.contains(&format!("<div class=\"ghd-alert ghd-alert-{color}\"")),
                "{color}: {html}"
            );
            assert!(html.contains(&format!("</svg>{title}</p>")), "{title}: {html}");
        }
        assert!(html.contains("<p>Text on the marker line.</p>"), "{html}");
        assert!(html.contains("Octo from Liquid."), "{html}");
        assert!(
            html.contains("First line.\nSecond line."),
            "a multi-line reusable stays in the alert: {html}"
        );
        assert!(
            html.contains("<li>\n<p>A step.</p>\n<div class=\"ghd-alert ghd-alert-danger\""),
            "{html}"
        );
        assert!(!html.contains("[!"), "no marker is left: {html}");
    }
}

#[test]
fn the_2021_link_tags_link_to_pages_relative_to_their_folder() {
    let (dir, _, _) = landing_tree();
    std::fs::write(
        dir.path().join("content/product/links.md"),
        concat!(
            "---\ntitle: Links\nversions:\n  fpt: '*'\n  ghes: '*'\n---\n",
            "{% link_with_intro /guides/first-steps %}\n",
            "<ul>{% link_in_list /guides/server-admin %}</ul>\n",
            "{% link /product/guides %} {% link /nowhere %}\n",
        ),
    )
    .unwrap();
    let corpus = Corpus::open(Source::disk(dir.path()).unwrap(), today()).unwrap();
    let renderer = Renderer::new(corpus.clone()).unwrap();
    let page = corpus.find_page("product/links").unwrap().page;
    let r = renderer.render_page(&page, ghes("3.5"), Lang::ENGLISH).unwrap();
    assert!(
        r.body.contains("<div class=\"link-with-intro\"><a href=\"/en/enterprise-server@3.5/product/guides/first-steps\"><h2 class=\"link-with-intro-title\">First steps</h2></a><p class=\"link-with-intro-intro\">Start with **Octo**.</p></div>"),
        "{}",
        r.body
    );
    assert!(r.body.contains("<ul><li><a class=\"link-title\" href=\"/en/enterprise-server@3.5/product/guides/server-admin\">Server administration</a></li></ul>"), "{}", r.body);
    assert!(
        r.body.contains(
            "<a class=\"link-title\" href=\"/en/enterprise-server@3.5/product/guides\">Guides for Octo</a> \n"
        ),
        "{}",
        r.body
    );
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("`{% link /nowhere %}`: no page of this tree"))
    );
    // fpt has no server-admin page: the tag renders nothing there, as in the reference.
    let fpt = renderer
        .render_page(&page, Version::Fpt, Lang::find("ko").unwrap())
        .unwrap();
    assert!(fpt.body.contains("<ul></ul>"), "{}", fpt.body);
    assert!(
        fpt.body
            .contains("/ko/product/guides/first-steps\"><h2 class=\"link-with-intro-title\">첫 단계</h2>"),
        "{}",
        fpt.body
    );
}

#[test]
fn check_links_says_what_an_autotitle_outside_the_tree_shows() {
    let (dir, _, _) = autotitle_tree();
    let out = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("docgate"))
        .args(["--today", "2026-11-23", "--root"])
        .arg(dir.path())
        .args(["check", "links", "--version", "fpt"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("content/get-started/start.md:12:24: error[broken-link]: [AUTOTITLE](/nowhere/else) reaches no page of this tree: the page shows the path instead of a title"),
        "{stdout}"
    );
}

#[test]
fn a_missing_key_of_a_context_object_renders_empty_as_in_liquidjs() {
    let (_dir, corpus, renderer) = tree(&[(
        "content/x.md",
        concat!(
            "---\ntitle: X\nversions:\n  fpt: '*'\n---\n",
            "[{{ allVersions[currentVersion].noSuchKey }}]",
            "[{{ allVersions[currentVersion].noSuchKey.deeper }}]",
            "[{% if allVersions[currentVersion].noSuchKey %}yes{% else %}no{% endif %}]",
            "[{{ enterpriseServerReleases.supported[99] }}]",
            "[{{ allVersions[currentVersion].versionTitle }}]",
            "[{{ enterpriseServerReleases.supported.size }}]",
            "[{% for v in allVersions[currentVersion].apiVersions %}{{ v }}{% endfor %}]\n",
        ),
    )]);
    let page = corpus.find_page("x").unwrap().page;
    let body = renderer.render_page(&page, Version::Fpt, Lang::ENGLISH).unwrap().body;
    let supported = renderer
        .parse(
            "{{ enterpriseServerReleases.supported.size }}",
            docgate::render::Origin::new("s".into(), 1),
        )
        .unwrap();
    let (n, _) = renderer
        .render_template(&supported, Version::Fpt, Lang::ENGLISH)
        .unwrap();
    assert!(n.parse::<u32>().unwrap() > 0);
    assert_eq!(body, format!("[][][no][][Free, Pro, & Team][{n}][]\n"));
}
