//! Property tests: the `ifversion` evaluator against an independent emulation of
//! the reference engine's text-rewriting algorithm, and no panics anywhere on
//! arbitrary input (parser, renderer, repair, slugger).

use std::sync::LazyLock;

use docgate::corpus::Corpus;
use docgate::languages::Lang;
use docgate::render::repair::repair;
use docgate::render::{Origin, Renderer};
use docgate::versions::{Condition, FeatureSet, Release, Version};
use proptest::prelude::*;

static CORPUS: LazyLock<Corpus> = LazyLock::new(|| Corpus::bundled("2026-11-23".parse().unwrap()).unwrap());
static RENDERER: LazyLock<Renderer> = LazyLock::new(|| Renderer::new(CORPUS.clone()).unwrap());

fn features() -> &'static FeatureSet {
    CORPUS.features().unwrap()
}

/// The reference engine, step by step on the text: `handleNots`, then
/// `handleOperators`, then liquidjs's `and`/`or` (equal precedence, right to left).
fn reference_eval(cond: &str, v: Version) -> bool {
    let short = v.short_name();
    let mut c = cond.to_string();
    // handleNots: `not X` → (X !== shortName), first occurrence, repeatedly.
    loop {
        let tokens: Vec<&str> = c.split(' ').collect();
        let Some(i) = tokens.iter().position(|t| *t == "not") else {
            break;
        };
        let x = tokens[i + 1];
        let value = (x != short).to_string();
        let mut t: Vec<String> = tokens.iter().map(|s| s.to_string()).collect();
        t.splice(i..i + 2, [value]);
        c = t.join(" ");
    }
    // handleOperators: the first `name op release` → true/false, repeatedly.
    loop {
        let tokens: Vec<&str> = c.split(' ').collect();
        let Some(i) = tokens.iter().position(|t| ["=", "<", ">", "!="].contains(t)) else {
            break;
        };
        let (name, op, release) = (tokens[i - 1], tokens[i], tokens[i + 1]);
        let value = if name == short {
            match v.release() {
                Some(current) => {
                    if op == "!=" {
                        current.to_string() != release
                    } else {
                        semver::VersionReq::parse(&format!("{op}{release}"))
                            .unwrap()
                            .matches(&current.to_semver())
                    }
                }
                None => op == "!=",
            }
        } else {
            op == "!="
        };
        let mut t: Vec<String> = tokens.iter().map(|s| s.to_string()).collect();
        t.splice(i - 1..i + 2, [value.to_string()]);
        c = t.join(" ");
    }
    // liquidjs: operands and/or, right to left.
    let tokens: Vec<&str> = c.split(' ').collect();
    let operand = |t: &str| match t {
        "true" => true,
        "false" => false,
        "fpt" | "ghec" | "ghes" | "ghae" => t == short,
        f => features().is_enabled(f, v).unwrap_or(false),
    };
    let mut value = operand(tokens[tokens.len() - 1]);
    let mut i = tokens.len() as isize - 2;
    while i >= 1 {
        let left = operand(tokens[(i - 1) as usize]);
        value = match tokens[i as usize] {
            "and" => left && value,
            _ => left || value,
        };
        i -= 2;
    }
    value
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("fpt"),
        Just("ghec"),
        Just("ghes"),
        Just("ghae"),
        Just("license-sync-manual-trigger"),
        Just("ghecom-license-sync"),
        Just("no-such-feature"),
    ]
    .prop_map(str::to_string)
}

fn release() -> impl Strategy<Value = String> {
    prop_oneof![(3u16..=12).prop_map(|m| format!("3.{m}")), Just("2.22".to_string())]
}

fn term() -> impl Strategy<Value = String> {
    let op = prop_oneof![Just("="), Just("!="), Just("<"), Just(">")];
    prop_oneof![
        name(),
        name().prop_map(|n| format!("not {n}")),
        (op.clone(), release()).prop_map(|(o, r)| format!("ghes {o} {r}")),
        (name(), op.clone(), release()).prop_map(|(n, o, r)| format!("{n} {o} {r}")),
        (op, release()).prop_map(|(o, r)| format!("not ghes {o} {r}")),
    ]
}

fn expression() -> impl Strategy<Value = String> {
    (
        term(),
        prop::collection::vec((prop_oneof![Just("and"), Just("or")], term()), 0..4),
    )
        .prop_map(|(first, rest)| {
            let mut s = first;
            for (j, t) in rest {
                s = format!("{s} {j} {t}");
            }
            s
        })
}

fn version() -> impl Strategy<Value = Version> {
    prop_oneof![
        Just(Version::Fpt),
        Just(Version::Ghec),
        Just(Version::Ghae),
        (0u16..=14).prop_map(|m| Version::Ghes(Release::new(3, m))),
        Just(Version::Ghes(Release::new(2, 22))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn evaluator_matches_the_reference_algorithm(expr in expression(), v in version()) {
        let c = Condition::parse(&expr).unwrap();
        let ours = c.eval(v, &|n| features().is_enabled(n, v));
        prop_assert_eq!(ours, reference_eval(&expr, v), "{} @ {}", expr, v);
        // Display round-trips.
        prop_assert_eq!(Condition::parse(&c.to_string()).unwrap(), c);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn the_expression_parser_never_panics(s in "\\PC{0,40}") {
        if let Ok(c) = Condition::parse(&s) {
            let _ = c.eval(Version::Fpt, &|_| None);
        }
    }

    #[test]
    fn rendering_arbitrary_liquid_never_panics(
        parts in prop::collection::vec(prop_oneof![
            Just("{%"), Just("%}"), Just("{{"), Just("}}"), Just("{%-"), Just("-%}"), Just(" "), Just("\n"),
            Just("ifversion"), Just("elsif"), Just("else"), Just("endif"), Just("data"), Just("ghes"), Just(">"),
            Just("3.4"), Just("or"), Just("not"), Just("reusables.enterprise-accounts.access-enterprise"),
            Just("variables.product.prodname_ghe_server"), Just("데이터"), Just("raw"), Just("endraw"), Just("> "),
            Just("  "), Just("x"), Just("é"), Just("..")
        ], 0..30),
        v in version(),
    ) {
        let text: String = parts.concat();
        if let Ok(t) = RENDERER.parse(&text, Origin::new("fuzz.md".into(), 1)) {
            let _ = RENDERER.render_template(&t, v, Lang::ENGLISH);
        }
    }

    #[test]
    fn repair_never_panics_and_leaves_english_alone(s in "\\PC{0,80}", lang in 0usize..9) {
        let l = Lang::all().nth(lang).unwrap();
        let out = repair(l, &s, &s);
        if l.is_english() {
            prop_assert_eq!(out, s);
        }
    }

    #[test]
    fn slugs_are_lowercase_without_spaces(s in "\\PC{0,40}") {
        let slug = docgate::render::slug::slugify(&s);
        prop_assert!(!slug.contains(' '));
        prop_assert!(!slug.chars().any(|c| c.is_ascii_uppercase()));
    }
}
