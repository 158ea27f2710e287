//! The `ifversion` expression language against the reference engine's semantics:
//! equal-precedence `and`/`or` evaluated right to left, comparisons on another
//! plan false except `!=`, `not` binding to a bare name, numeric release order.

use docgate::corpus::Corpus;
use docgate::versions::{Condition, Release, Version};

fn corpus() -> Corpus {
    Corpus::bundled("2026-11-23".parse().unwrap()).unwrap()
}

fn v(s: &str) -> Version {
    match s {
        "fpt" => Version::Fpt,
        "ghec" => Version::Ghec,
        "ghae" => Version::Ghae,
        r => Version::Ghes(r.parse::<Release>().unwrap()),
    }
}

/// (expression, version, expected)
const TABLE: &[(&str, &str, bool)] = &[
    // Bare plan names.
    ("ghes", "3.5", true),
    ("ghes", "fpt", false),
    ("fpt", "fpt", true),
    ("fpt", "ghec", false),
    ("ghec", "ghec", true),
    ("ghae", "ghae", true),
    ("ghae", "3.5", false),
    // Comparisons: semver after coercion, partial bounds.
    ("ghes > 3.4", "3.5", true),
    ("ghes > 3.4", "3.4", false),
    ("ghes > 3.4", "3.10", true),
    ("ghes > 3.9", "3.10", true),
    ("ghes < 3.10", "3.9", true),
    ("ghes < 3.10", "3.10", false),
    ("ghes < 3.1", "3.0", true),
    ("ghes < 3.1", "3.1", false),
    ("ghes < 3.1", "2.22", true),
    ("ghes = 3.5", "3.5", true),
    ("ghes = 3.5", "3.6", false),
    // Another plan: false, except `!=`, which is true.
    ("ghes > 3.4", "fpt", false),
    ("ghes > 3.4", "ghec", false),
    ("ghes < 3.1", "fpt", false),
    ("ghes = 3.5", "ghec", false),
    ("ghes != 3.5", "fpt", true),
    ("ghes != 3.5", "ghec", true),
    // `!=` on the current plan compares release strings.
    ("ghes != 3.5", "3.5", false),
    ("ghes != 3.5", "3.6", true),
    ("ghes != 3.10", "3.1", true),
    // or / and.
    ("fpt or ghec", "fpt", true),
    ("fpt or ghec", "3.5", false),
    ("ghec or ghes > 3.4", "ghec", true),
    ("ghec or ghes > 3.4", "3.4", false),
    ("ghec or ghes > 3.4", "3.5", true),
    ("ghes > 3.4 and ghes < 3.10", "3.9", true),
    ("ghes > 3.4 and ghes < 3.10", "3.10", false),
    ("ghec and ghes > 3.4", "ghec", false),
    ("fpt or ghec or ghes", "3.0", true),
    // Equal precedence, right to left: `a and b or c` is `a and (b or c)`.
    ("ghes and fpt or ghec", "ghec", false),
    ("fpt or ghes and ghec", "fpt", true),
    ("ghec or fpt and ghes", "ghec", true),
    ("fpt and ghec or ghes", "3.5", false),
    // not.
    ("not fpt", "fpt", false),
    ("not fpt", "3.5", true),
    ("ghes and not ghec", "3.5", true),
    ("not ghes > 3.5", "3.6", false),
    ("not ghes > 3.5", "3.0", false),
    ("not ghes > 3.5", "fpt", false),
    ("not ghes != 3.5", "3.5", true),
    // Features from data/features/.
    ("license-sync-manual-trigger", "3.4", false),
    ("license-sync-manual-trigger", "3.5", true),
    ("license-sync-manual-trigger", "ghec", true),
    ("license-sync-manual-trigger", "fpt", false),
    ("ghe-license-utility", "3.12", false),
    ("ghe-license-utility", "3.13", true),
    ("not license-sync-manual-trigger", "3.5", true),
    ("fpt or ghecom-license-sync", "3.15", true),
    ("fpt or ghecom-license-sync", "3.14", false),
    // Unknown names are false at render time.
    ("no-such-feature", "3.5", false),
    ("no-such-feature or ghes", "3.5", true),
    // Our extension: >= and <=.
    ("ghes >= 3.5", "3.5", true),
    ("ghes >= 3.5", "3.4", false),
    ("ghes <= 3.4", "3.4", true),
];

#[test]
fn expression_table() {
    let corpus = corpus();
    let features = corpus.features().unwrap();
    assert!(TABLE.len() >= 40);
    let mut failures = Vec::new();
    for (expr, version, expected) in TABLE {
        let c = Condition::parse(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
        let version = v(version);
        let got = c.eval(version, &|n| features.is_enabled(n, version));
        if got != *expected {
            failures.push(format!("{expr} @ {version}: expected {expected}, got {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn invalid_expressions_are_rejected() {
    for bad in [
        "",
        "ghes >",
        "ghes == 3.4",
        "(fpt or ghec)",
        "fpt ghec",
        "ghes > three",
        "and fpt",
    ] {
        assert!(Condition::parse(bad).is_err(), "{bad:?} should not parse");
    }
}

#[test]
fn the_release_table_is_complete() {
    let corpus = corpus();
    let t = corpus.releases();
    let releases: Vec<String> = t.releases().iter().map(|r| r.release.to_string()).collect();
    for minor in 0..=22 {
        assert!(releases.contains(&format!("2.{minor}")), "2.{minor}");
    }
    for minor in 0..=24 {
        assert!(releases.contains(&format!("3.{minor}")), "3.{minor}");
    }
    // On 2026-11-23: 3.19–3.22 supported, 3.23 is a release candidate.
    let supported: Vec<String> = t.supported().map(|r| r.to_string()).collect();
    assert_eq!(supported, ["3.19", "3.20", "3.21", "3.22"]);
    assert_eq!(t.latest().to_string(), "3.22");
    assert_eq!(
        t.status("3.23".parse().unwrap()).unwrap().to_string(),
        "release candidate"
    );
    assert_eq!(t.status("3.4".parse().unwrap()).unwrap().to_string(), "deprecated");
    assert_eq!(t.status("3.24".parse().unwrap()).unwrap().to_string(), "planned");
}
