//! One test per rule: every lexicon entry, every language rewrite, every generic rule.

use super::*;

fn lang(code: &str) -> Lang {
    Lang::find(code).unwrap()
}

fn fix(code: &str, text: &str) -> String {
    repair(lang(code), text, "")
}

fn args_for(english_name: &str) -> &'static str {
    match english_name {
        "data" => " variables.product.prodname_ghe_server",
        "if" | "ifversion" | "elsif" => " ghes",
        "for" => " x in items",
        "assign" => " x = 1",
        "octicon" => " \"plug\"",
        "indented_data_reference" => " reusables.a.b spaces=3",
        "when" => " 'a'",
        _ => "",
    }
}

#[test]
fn every_lexicon_tag_name() {
    for lex in LEXICONS {
        for (k, v) in lex.tag_names {
            let (input, expected) = if k.ends_with('.') {
                (format!("{{% {k}product.x %}}"), format!("{{% {v}product.x %}}"))
            } else {
                let name = v.split_whitespace().next().unwrap();
                let args = args_for(name);
                // Branch and end tags need their opener, or orphan removal drops them.
                let (pre, post) = match name {
                    "else" | "elsif" => ("{% ifversion ghes %}a", "b{% endif %}"),
                    "endif" => ("{% ifversion ghes %}a", ""),
                    "endraw" => ("{% raw %}a", ""),
                    "endcase" => ("{% case x %}", ""),
                    "endfor" => ("{% for x in y %}", ""),
                    _ => ("", ""),
                };
                (
                    format!("{pre}{{% {k}{args} %}}{post}"),
                    format!("{pre}{{% {v}{args} %}}{post}"),
                )
            };
            assert_eq!(fix(lex.lang, &input), expected, "{} tag name `{k}`", lex.lang);
        }
    }
}

#[test]
fn every_lexicon_operator() {
    for lex in LEXICONS {
        for (k, v) in lex.operators {
            let input = format!("{{% ifversion fpt {k} ghec %}}x{{% endif %}}");
            let expected = format!("{{% ifversion fpt {v} ghec %}}x{{% endif %}}");
            assert_eq!(fix(lex.lang, &input), expected, "{} operator `{k}`", lex.lang);
            // Not touched outside conditions.
            let prose = format!("texte {k} texte");
            assert_eq!(fix(lex.lang, &prose), prose);
        }
    }
}

#[test]
fn every_lexicon_path_word() {
    for lex in LEXICONS {
        for (k, v) in lex.path_words {
            let (input, expected) = match *v {
                "variables." | "reusables." => (format!("{{% data {k}a.b %}}"), format!("{{% data {v}a.b %}}")),
                "variables.product." => (format!("{{% data {k}x %}}"), format!("{{% data {v}x %}}")),
                "product." => (
                    format!("{{% data variables.{k}x %}}"),
                    format!("{{% data variables.{v}x %}}"),
                ),
                _ => (
                    format!("{{% data reusables.{k}.x %}}"),
                    format!("{{% data reusables.{v}.x %}}"),
                ),
            };
            assert_eq!(fix(lex.lang, &input), expected, "{} path word `{k}`", lex.lang);
        }
    }
}

#[test]
fn language_rewrites() {
    let cases = [
        ("es", "{%: data variables.a.b %}", "{% data variables.a.b %}"),
        ("es", "{% para x en items %}", "{% for x in items %}"),
        ("ja", "{{ バージョン }}", "{{ version }}"),
        (
            "ja",
            "{% ifversion fpt %}a{% それ以外の場合 ifversion ghes %}b{% endif %}",
            "{% ifversion fpt %}a{% elsif ghes %}b{% endif %}",
        ),
        ("pt", "{%– data variables.a.b %}", "{%- data variables.a.b %}"),
        (
            "pt",
            "{% ghes ifversion %}x{% endif %}",
            "{% ifversion ghes %}x{% endif %}",
        ),
        ("pt", "{% para x em items %}", "{% for x in items %}"),
        ("ru", "[АВТОЗАГОЛОВОК](/a)", "[AUTOTITLE](/a)"),
        ("ru", "[«AUTOTITLE»](/a)", "[AUTOTITLE](/a)"),
        (
            "ru",
            "{% ifversion fpt, а не ghec %}x{% endif %}",
            "{% ifversion fpt and not ghec %}x{% endif %}",
        ),
        ("fr", "{% pour x dans items %}", "{% for x in items %}"),
        ("fr", "a{% référentiel %}b", "ab"),
        ("ko", "[AUTOTITLE\"을 참조하세요](/a)", "[AUTOTITLE](/a)"),
        ("ko", "{% 위해 x 안에 items %}", "{% for x in items %}"),
    ];
    for (code, input, expected) in cases {
        assert_eq!(fix(code, input), expected, "{code}: {input}");
    }
    // Every rewrite id above is covered.
    let covered = [
        "es-colon-after-open",
        "es-for-en",
        "ja-version-variable",
        "ja-else-ifversion",
        "pt-en-dash-trim",
        "pt-plan-before-ifversion",
        "pt-for-em",
        "ru-autotitle",
        "ru-and-not",
        "fr-for-dans",
        "fr-stray-tags",
        "ko-autotitle",
        "ko-for-in",
    ];
    for lex in LEXICONS {
        for (id, _, _) in lex.rewrites {
            assert!(covered.contains(id), "rewrite {id} has no test case");
        }
    }
}

#[test]
fn delimiter_spaces() {
    assert_eq!(fix("fr", "{ % data variables.a.b % }"), "{% data variables.a.b %}");
}

#[test]
fn missing_data_keyword_and_data_dot() {
    assert_eq!(fix("de", "{% variables.product.x %}"), "{% data variables.product.x %}");
    assert_eq!(fix("de", "{%- reusables.a.b %}"), "{%- data reusables.a.b %}");
    assert_eq!(fix("de", "{% product.x %}"), "{% data variables.product.x %}");
    assert_eq!(
        fix("de", "{% data.variables.product.x %}"),
        "{% data variables.product.x %}"
    );
}

#[test]
fn smart_quotes_in_tags() {
    assert_eq!(
        fix("fr", "{% octicon « plug » aria-label=“x” %}"),
        "{% octicon \"plug\" aria-label=\"x\" %}"
    );
    assert_eq!(fix("fr", "« pas dans un tag »"), "« pas dans un tag »");
}

#[test]
fn tag_name_case_and_typos() {
    assert_eq!(fix("de", "{% Data variables.a.b %}"), "{% data variables.a.b %}");
    assert_eq!(
        fix("de", "{% Ifversion ghes %}x{% Else %}y{% Endif %}"),
        "{% ifversion ghes %}x{% else %}y{% endif %}"
    );
    assert_eq!(fix("de", "{% dada variables.a.b %}"), "{% data variables.a.b %}");
    assert_eq!(fix("de", "{% okticon \"x\" %}"), "{% octicon \"x\" %}");
    assert_eq!(
        fix("de", "{% ifversion ghes %}x{% endifen %}"),
        "{% ifversion ghes %}x{% endif %}"
    );
    assert_eq!(
        fix("de", "{% ifversion-some-feature %}x{% endif %}"),
        "{% ifversion some-feature %}x{% endif %}"
    );
}

#[test]
fn decimal_comma_and_condition_whitespace() {
    assert_eq!(
        fix("fr", "{% ifversion ghes > 3,4 %}x{% endif %}"),
        "{% ifversion ghes > 3.4 %}x{% endif %}"
    );
    assert_eq!(fix("fr", "3,4"), "3,4", "prose keeps its commas");
    assert_eq!(
        fix("fr", "{% ifversion  ghes   > 3.4 %}x{% endif %}"),
        "{% ifversion ghes > 3.4 %}x{% endif %}"
    );
}

#[test]
fn data_args() {
    assert_eq!(
        fix("ko", "{% data를 variables.product.x %}"),
        "{% data variables.product.x %}"
    );
    assert_eq!(
        fix("ko", "{% data 의 variables.product.x %}"),
        "{% data variables.product.x %}"
    );
    assert_eq!(
        fix("de", "{% data .variables.product.x %}"),
        "{% data variables.product.x %}"
    );
    assert_eq!(
        fix("de", "{% data variable.product.x %}"),
        "{% data variables.product.x %}"
    );
}

#[test]
fn data_paths_by_position_only_fixes_invalid_paths() {
    let en = "A {% data variables.product.a %} B {% data variables.product.b %}";
    // Reordered valid paths stay.
    let t = "B {% data variables.product.b %} A {% data variables.product.a %}";
    assert_eq!(repair(lang("ko"), t, en), t);
    // An invalid one takes the English path at its position.
    let t = "A {% data variables.제품.a %} B {% data variables.product.b %}";
    assert_eq!(
        repair(lang("ko"), t, en),
        "A {% data variables.product.a %} B {% data variables.product.b %}"
    );
    // Different counts: nothing to pair with.
    let t = "A {% data variables.제품.a %}";
    assert_eq!(repair(lang("ko"), t, en), t);
}

#[test]
fn line_breaks_after_tags() {
    let en = "Intro\n\n{% data reusables.a.one %}\n{% data reusables.a.two %}\n1. Step\n";
    let t = "소개\n\n{% data reusables.a.one %} {% data reusables.a.two %}\n1. 단계\n";
    assert_eq!(
        repair(lang("ko"), t, en),
        "소개\n\n{% data reusables.a.one %}\n{% data reusables.a.two %}\n1. 단계\n"
    );
    // Not inside headings.
    let t = "## {% data variables.a.b %} {% data variables.a.c %}\n";
    let en = "## {% data variables.a.b %}\n{% data variables.a.c %}\n";
    assert_eq!(repair(lang("ko"), t, en), t);
}

#[test]
fn split_glued_step_tags() {
    let en = "{% data reusables.e.access %}\n{% data reusables.e.connect %}\n1. Step\n";
    let t = "{% data reusables.e.access %}{% ifversion ghes < 3.1 %}{% data reusables.e.settings %}{% endif %}{% data reusables.e.connect %}\n1. Passo\n";
    assert_eq!(
        repair(lang("pt"), t, en),
        "{% data reusables.e.access %}\n{% ifversion ghes < 3.1 %}{% data reusables.e.settings %}{% endif %}\n{% data reusables.e.connect %}\n1. Passo\n"
    );
    // Without English step lines, nothing moves.
    assert_eq!(repair(lang("pt"), t, "Text"), t);
}

#[test]
fn orphan_closers() {
    assert_eq!(
        fix("fr", "a{% ifversion ghes %}b{% endif %}c{% endif %}"),
        "a{% ifversion ghes %}b{% endif %}c"
    );
    assert_eq!(fix("fr", "a{% else %}b{% endif %}"), "ab");
    assert_eq!(
        fix("fr", "{% raw %}x{% endraw %}{% endraw %}"),
        "{% raw %}x{% endraw %}"
    );
}

#[test]
fn english_and_clean_text_are_untouched() {
    let t = "{% ifversion ghes > 3.4 %}x{% endif %} {% data variables.a.b %}";
    assert_eq!(repair(Lang::ENGLISH, "{% 데이터 x %}", ""), "{% 데이터 x %}");
    for l in Lang::all() {
        assert_eq!(repair(l, t, t), t, "{l}");
    }
}

#[test]
fn the_rule_table_lists_every_rule_once() {
    let ids: Vec<&str> = rules().iter().map(|r| r.id).filter(|id| *id != "lexicon").collect();
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len());
    assert_eq!(
        rules().iter().filter(|r| r.id == "lexicon").count(),
        8,
        "one lexicon per language but English"
    );
}
