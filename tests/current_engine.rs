//! Today's github/docs engine: the tags, alerts, AUTOTITLE links, children
//! lists and Markdown output of current content, in English and a translation.

use docgate::corpus::{Corpus, Engine, Source};
use docgate::languages::Lang;
use docgate::render::Renderer;
use docgate::versions::{Release, Version};

fn today() -> jiff::civil::Date {
    "2026-11-23".parse().unwrap()
}

fn ghes(r: &str) -> Version {
    Version::Ghes(r.parse::<Release>().unwrap())
}

fn tree(files: &[(&str, &str)]) -> (tempfile::TempDir, Corpus, Renderer) {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let corpus = Corpus::open(Source::disk(dir.path()).unwrap(), today()).unwrap();
    let renderer = Renderer::new(corpus.clone()).unwrap();
    (dir, corpus, renderer)
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
    let md = &r.markdown;
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
        .markdown;
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
        r.markdown.contains("먼저 [Octo 대상](/ko/get-started/target) 읽기."),
        "{}",
        r.markdown
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
        .markdown;
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
