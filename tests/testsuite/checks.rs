//! `docgate check` and `docgate redirects`: every finding kind on a fixture tree
//! (tests/fixtures/check-tree) at its exact file and line, a clean bundled
//! corpus, the resolver on the seeds' old paths and the legacy rules, exports.

use crate::common;
use common::bundled_copy;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use docgate::corpus::Corpus;
use docgate::languages::Lang;
use docgate::redirects::{RedirectMap, Resolution};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

const ARTICLE: &str =
    "admin/configuration/configuring-github-connect/enabling-automatic-user-license-sync-for-your-enterprise";

fn docgate() -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin!("docgate"));
    c.env_remove("DOCGATE_ROOT").arg("--today").arg("2026-11-23");
    c
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check-tree")
}

/// (rule, file under the tree, line) of every finding, from `--format json`.
fn findings(root: &Path, checks: &[&str]) -> (i32, Vec<(String, String, u64, String)>) {
    let out = docgate()
        .arg("--root")
        .arg(root)
        .arg("check")
        .args(checks)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let prefix = format!("{}/", root.display());
    assert_eq!(v["schema_version"], 1);
    let list = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap().trim_start_matches(&prefix).to_string(),
                f["line"].as_u64().unwrap(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (out.status.code().unwrap(), list)
}

#[test]
fn every_finding_kind_fires_at_its_place() {
    let (code, found) = findings(&fixture(), &[]);
    assert_eq!(code, 1);
    let expected = [
        // redirects
        ("duplicate-redirect", "content/b.md", 7, "error"),
        ("shadowed-redirect", "content/c.md", 6, "warning"),
        ("malformed-redirect", "content/a.md", 8, "error"),
        ("malformed-redirect", "content/a.md", 9, "error"),
        ("malformed-redirect", "content/a.md", 10, "error"),
        ("malformed-redirect", "content/a.md", 11, "error"),
        ("malformed-redirect", "content/a.md", 12, "error"),
        ("external-redirect", "content/a.md", 13, "error"),
        ("redirect-chain", "redirect-exceptions.txt", 3, "error"),
        ("redirect-cycle", "redirect-exceptions.txt", 7, "error"),
        ("redirect-target-missing", "redirect-exceptions.txt", 11, "error"),
        (
            "translation-redirect-drift",
            "translations/fr-fr/content/a.md",
            3,
            "warning",
        ),
        // links
        ("broken-link", "content/links.md", 10, "error"),
        ("redirected-link", "content/links.md", 11, "warning"),
        ("broken-anchor", "content/links.md", 12, "error"),
        ("broken-anchor", "content/links.md", 13, "error"),
        ("broken-anchor", "content/links.md", 14, "error"),
        ("missing-asset", "content/links.md", 15, "error"),
        // A link written in a reusable is reported where it is written.
        ("broken-link", "data/reusables/x/badlink.md", 3, "error"),
        ("render-error", "content/syntax.md", 7, "error"),
        // lint
        ("liquid-syntax", "content/syntax.md", 7, "error"),
        ("frontmatter-liquid-syntax", "content/lint.md", 3, "error"),
        ("data-reference-undefined", "content/lint.md", 9, "error"),
        ("data-tag-format", "content/lint.md", 10, "error"),
        ("if-with-version-name", "content/lint.md", 11, "error"),
        ("ifversion-syntax", "content/lint.md", 12, "error"),
        ("ifversion-syntax", "content/lint.md", 13, "error"),
        ("ifversion-syntax", "content/lint.md", 14, "error"),
        ("ifversion-syntax", "content/lint.md", 15, "error"),
        ("ifversion-syntax", "content/lint.md", 16, "error"),
        ("ifversion-operator", "content/lint.md", 17, "warning"),
        ("deprecated-release", "content/a.md", 18, "warning"),
        ("ifversion-never-true", "content/gates.md", 7, "error"),
        ("ifversion-always-true", "content/gates.md", 8, "warning"),
        ("ifversion-always-true", "content/gates.md", 9, "warning"),
        ("ifversion-branch-order", "content/gates.md", 10, "warning"),
        ("ifversion-branch-order", "content/gates.md", 11, "warning"),
        // Gates naming releases deprecated on 2026-11-23 (3.4, 3.11, 3.12, 3.5).
        ("deprecated-release", "content/gates.md", 7, "warning"),
        ("deprecated-release", "content/gates.md", 8, "warning"),
        ("deprecated-release", "content/gates.md", 10, "warning"),
        ("deprecated-release", "content/gates.md", 11, "warning"),
        ("deprecated-release", "content/lint.md", 17, "warning"),
        ("alert-marker-case", "content/lint.md", 19, "warning"),
        // The broken intro also fails when the links check renders the page.
        ("render-error", "content/lint.md", 3, "error"),
        ("legacy-versions-string", "content/legacy.md", 3, "warning"),
        (
            "translation-liquid-syntax",
            "translations/fr-fr/content/syntax.md",
            5,
            "warning",
        ),
        ("translation-drift", "translations/fr-fr/content/a.md", 6, "warning"),
        // The translation lacks the English gated block of its first section
        // (its renders add it back): its own error stays at its own line.
        (
            "translation-liquid-syntax",
            "translations/fr-fr/content/partial.md",
            11,
            "warning",
        ),
        (
            "translation-drift",
            "translations/fr-fr/content/partial.md",
            4,
            "warning",
        ),
        ("untranslated-english", "translations/fr-fr/content/a.md", 9, "warning"),
        (
            "translation-frontmatter",
            "translations/fr-fr/content/b.md",
            3,
            "warning",
        ),
    ];
    let mut missing = Vec::new();
    for (rule, file, line, severity) in expected {
        let hit = found
            .iter()
            .any(|(r, f, l, s)| r == rule && f == file && *l == line && s == severity);
        if !hit {
            missing.push(format!("{severity} {rule} at {file}:{line}"));
        }
    }
    assert!(missing.is_empty(), "missing findings: {missing:#?}\nfound: {found:#?}");
    // Named negatives first (each would also be an unexpected finding below).
    // READMEs under data/ document; they are not linted (nor rendered).
    let readme: Vec<_> = found.iter().filter(|(_, f, _, _)| f.ends_with("README.md")).collect();
    assert!(readme.is_empty(), "{readme:?}");
    // The elsif after else takes ghes 3.12 only: it is not "never true".
    let never: Vec<_> = found
        .iter()
        .filter(|(r, f, l, _)| r == "ifversion-never-true" && f == "content/gates.md" && *l > 9)
        .collect();
    assert!(never.is_empty(), "{never:?}");
    // Negative: nothing else fires (the correct link line, the valid gates and
    // data references of the fixture pages stay quiet).
    let extra: Vec<_> = found
        .iter()
        .filter(|(r, f, l, s)| {
            !expected
                .iter()
                .any(|(er, ef, el, es)| r == er && f == ef && l == el && s == es)
        })
        .collect();
    assert!(extra.is_empty(), "unexpected findings: {extra:#?}");
    // Negative: the clean page and its translation have nothing.
    let clean: Vec<_> = found.iter().filter(|(_, f, _, _)| f.ends_with("clean.md")).collect();
    assert!(clean.is_empty(), "{clean:?}");
}

#[test]
fn the_version_specific_anchor_fails_only_where_the_heading_is_missing() {
    let out = docgate()
        .arg("--root")
        .arg(fixture())
        .args(["check", "links", "--version", "3.4,3.5"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.contains("#only-new")).unwrap();
    assert!(
        line.contains("content/links.md:14:22: error[broken-anchor]") && line.ends_with("[ghes 3.4]"),
        "{line}"
    );
}

#[test]
fn output_formats() {
    docgate()
        .arg("--root")
        .arg(fixture())
        .args(["check", "redirects", "--format", "github"])
        .assert()
        .code(1)
        .stdout(contains("::error file=").and(contains("content/b.md,line=7,title=redirects duplicate-redirect::")));
}

#[test]
fn the_bundled_corpus_is_clean() {
    docgate().arg("check").assert().code(0).stderr(contains("0 error(s)"));
    // It has warnings (deprecated releases, translation drift), which --deny turns into failures.
    docgate().args(["check", "--deny", "warnings"]).assert().code(1);
}

#[test]
fn removing_the_trigger_gate_breaks_the_link_for_3_4_only() {
    let tree = bundled_copy();
    let file = tree.path().join(format!("content/{ARTICLE}.md"));
    let original = std::fs::read_to_string(&file).unwrap();
    let gated = "{% ifversion ghes > 3.4 %} You can also start a license sync job";
    assert!(original.contains(gated));
    let ungated = original
        .replace(gated, " You can also start a license sync job")
        .replace(
            "#triggering-a-license-sync-job).\"{% endif %}",
            "#triggering-a-license-sync-job).\"",
        );
    std::fs::write(&file, &ungated).unwrap();
    let line = ungated
        .lines()
        .position(|l| l.contains("#triggering-a-license-sync-job"))
        .unwrap()
        + 1;
    let out = docgate()
        .arg("--root")
        .arg(tree.path())
        .args(["check", "links"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let expected = format!("content/{ARTICLE}.md:{line}:");
    let finding = text
        .lines()
        .find(|l| l.contains(&expected))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        finding.contains("error[broken-anchor]") && finding.contains("triggering-a-license-sync-job"),
        "{finding}"
    );
    // Only releases without the section: 2.x and 3.0–3.4, never 3.5+.
    assert!(finding.contains("[ghes 2.0–3.4]"), "{finding}");
    // Putting the gate back passes.
    std::fs::write(&file, &original).unwrap();
    docgate()
        .arg("--root")
        .arg(tree.path())
        .args(["check", "links"])
        .assert()
        .code(0);
}

fn map() -> RedirectMap {
    let corpus = Corpus::bundled("2026-11-23".parse().unwrap()).unwrap();
    RedirectMap::build(&corpus).unwrap()
}

#[test]
fn the_seed_redirect_paths_resolve_to_the_article_in_every_supported_release() {
    let map = map();
    let corpus = Corpus::bundled("2026-11-23".parse().unwrap()).unwrap();
    let seeds = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds"));
    let mut olds: Vec<String> = Vec::new();
    if let Ok(seeds) = seeds {
        for s in seeds {
            let text = std::fs::read_to_string(s.unwrap().path()).unwrap();
            olds.extend(
                text.lines()
                    .filter_map(|l| l.trim().strip_prefix("- /"))
                    .map(|p| format!("/{p}")),
            );
        }
    }
    if olds.is_empty() {
        olds = corpus
            .find_page(ARTICLE)
            .unwrap()
            .page
            .frontmatter
            .redirect_from
            .clone();
    }
    olds.sort();
    olds.dedup();
    assert_eq!(olds.len(), 5);
    for old in &olds {
        // Versionless: the latest supported release, 302 without a language.
        match map.resolve(old, Lang::ENGLISH) {
            Resolution::Redirect { permalink, status, .. } => {
                assert_eq!(permalink, format!("/en/enterprise-server@3.22/{ARTICLE}"), "{old}");
                assert_eq!(status, 302, "{old}");
            }
            other => panic!("{old}: {other:?}"),
        }
        for release in ["3.19", "3.20", "3.21", "3.22"] {
            for lang in ["en", "ko", "pt"] {
                let normalized = docgate::redirects::normalize(old);
                let req = format!("/{lang}/enterprise-server@{release}{normalized}");
                match map.resolve(&req, Lang::ENGLISH) {
                    Resolution::Redirect { permalink, status, .. } => {
                        assert_eq!(
                            permalink,
                            format!("/{lang}/enterprise-server@{release}/{ARTICLE}"),
                            "{req}"
                        );
                        assert_eq!(status, 301, "{req}");
                    }
                    other => panic!("{req}: {other:?}"),
                }
            }
        }
    }
}

#[test]
fn legacy_path_rules() {
    let map = map();
    let r = |p: &str| match map.resolve(p, Lang::ENGLISH) {
        Resolution::Redirect { permalink, status, .. } => format!("{permalink} {status}"),
        Resolution::Page { permalink } => format!("{permalink} page"),
        Resolution::NotFound => "not found".into(),
    };
    // /enterprise/<release>/… keeps the release.
    assert_eq!(
        r(
            "/ko/enterprise/3.4/admin/configuration/enabling-automatic-user-license-sync-between-github-enterprise-server-and-github-enterprise-cloud"
        ),
        format!("/ko/enterprise-server@3.4/{ARTICLE} 301")
    );
    // @latest and bare enterprise-server become the latest supported release (302).
    assert_eq!(
        r("/en/enterprise-server@latest/billing"),
        "/en/enterprise-server@3.22/billing 302"
    );
    assert_eq!(r("/enterprise-server/admin"), "/en/enterprise-server@3.22/admin 302");
    // /enterprise alone is the latest release's home page.
    assert_eq!(r("/enterprise"), "/en/enterprise-server@3.22 302");
    // /enterprise/… without a release, and /admin/…, go to the latest release.
    assert_eq!(
        r("/enterprise/admin/configuration"),
        "/en/enterprise-server@3.22/admin/configuration 302"
    );
    assert_eq!(
        r("/fr/admin/configuration"),
        "/fr/enterprise-server@3.22/admin/configuration 301"
    );
    // /admin/guides/ is the old name of /admin/.
    assert_eq!(
        r("/enterprise/admin/guides/configuration"),
        "/en/enterprise-server@3.22/admin/configuration 302"
    );
    // The fpt prefix is dropped; a ghes/ghec page without fpt gets its first version.
    assert_eq!(
        r("/free-pro-team@latest/billing"),
        "/en/enterprise-cloud@latest/billing 302"
    );
    // A live page is a page, with its language.
    assert_eq!(
        r("/en/enterprise-server@3.5/billing"),
        "/en/enterprise-server@3.5/billing page"
    );
    assert_eq!(r("/en/no/such/page"), "not found");
    // Fragments are kept.
    assert_eq!(
        r("/en/enterprise-server@latest/billing#x"),
        "/en/enterprise-server@3.22/billing#x 302"
    );
}

#[test]
fn resolve_and_export_commands() {
    docgate()
        .args(["redirects", "resolve", "/enterprise/admin/configuration/enabling-automatic-user-license-sync-between-github-enterprise-server-and-github-enterprise-cloud"])
        .assert()
        .success()
        .stdout(format!("/en/enterprise-server@3.22/{ARTICLE}\t302\n"));
    docgate()
        .args(["redirects", "resolve", "/en/nothing/here"])
        .assert()
        .code(1)
        .stderr(contains("not found"));
    docgate().args(["redirects", "resolve", "no-slash"]).assert().code(2);
    let json = docgate()
        .args(["redirects", "export", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(
        v["redirects"]["/enterprise-server@3.4/admin/configuration/enabling-automatic-user-license-sync-between-github-enterprise-server-and-github-enterprise-cloud"],
        format!("/enterprise-server@3.4/{ARTICLE}")
    );
    docgate()
        .args(["redirects", "export", "--format", "nginx"])
        .assert()
        .success()
        .stdout(contains(
            "rewrite ^(/(?:en|es|ja|pt|zh|ru|fr|ko|de))?/admin/installation/enabling",
        ));
    let out = tempfile::tempdir().unwrap();
    docgate()
        .args(["redirects", "export", "--format", "html", "--lang", "all", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let stub = std::fs::read_to_string(out.path().join("ko/admin/installation/enabling-automatic-user-license-sync-between-github-enterprise-server-and-github-enterprise-cloud/index.html")).unwrap();
    assert!(
        stub.contains(&format!("url=/ko/enterprise-server@3.22/{ARTICLE}")),
        "{stub}"
    );
    assert!(out.path().join("admin/installation/enabling-automatic-user-license-sync-between-github-enterprise-server-and-github-enterprise-cloud/index.html").is_file());
    docgate()
        .args(["redirects", "export", "--format", "html"])
        .assert()
        .code(2);
}

#[test]
fn findings_carry_versions_and_language_and_a_tree_that_cannot_be_read_exits_2() {
    let out = docgate()
        .arg("--root")
        .arg(fixture())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let all = doc["findings"].as_array().unwrap().clone();
    assert_eq!(
        doc["errors"].as_u64().unwrap() + doc["warnings"].as_u64().unwrap(),
        all.len() as u64
    );
    let find = |rule: &str, file: &str| {
        all.iter()
            .find(|f| f["rule"] == rule && f["file"].as_str().unwrap().ends_with(file))
            .unwrap_or_else(|| panic!("no {rule} in {file}"))
    };
    let drift = find("translation-drift", "translations/fr-fr/content/a.md");
    assert_eq!(drift["language"], "fr");
    let english = find("broken-link", "content/links.md");
    assert!(english["language"].is_null(), "{english}");
    // The anchor exists from 3.5 on: the finding names exactly the versions without it.
    let only_new = all
        .iter()
        .find(|f| f["message"].as_str().unwrap().contains("#only-new"))
        .unwrap();
    let versions: Vec<&str> = only_new["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(versions.contains(&"enterprise-server@3.4") && versions.contains(&"free-pro-team@latest"));
    assert!(!versions.contains(&"enterprise-server@3.5"), "{versions:?}");

    let missing = tempfile::tempdir().unwrap();
    docgate()
        .arg("--root")
        .arg(missing.path().join("nowhere"))
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not a docs tree"));
    docgate()
        .arg("--root")
        .arg(fixture())
        .args(["check", "spelling"])
        .assert()
        .code(2);
}

/// The reference reads `product.yml` in English for every language: a
/// translation that names `variables.product.product_location` gets English
/// words; lint says so, with the translatable key to use instead.
#[test]
fn english_only_variables_in_translations_are_flagged() {
    let out = docgate().args(["check", "lint", "--format", "json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let langs: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "english-only-variable")
        .map(|f| {
            let m = f["message"].as_str().unwrap();
            assert!(
                m.contains("“your GitHub Enterprise Server instance / your enterprise / GitHub.com”")
                    && m.contains("use variables.location.product_location"),
                "{m}"
            );
            f["language"].as_str().unwrap()
        })
        .collect();
    // Korean uses variables.location.product_location.
    assert_eq!(langs, ["fr", "ja", "pt", "zh"], "{v}");
}

/// `--list-rules` lists each check's rules; every finding the fixture (which
/// fires every kind) produces names a listed rule of its check, with that
/// severity (a translation's may be milder).
#[test]
fn every_finding_names_a_listed_rule() {
    let out = docgate()
        .args(["check", "--list-rules", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<(String, String, String)> = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert!(!r["description"].as_str().unwrap().is_empty());
            (
                r["check"].as_str().unwrap().to_string(),
                r["id"].as_str().unwrap().to_string(),
                r["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let ids: std::collections::BTreeSet<(&String, &String)> = rules.iter().map(|(c, r, _)| (c, r)).collect();
    assert_eq!(ids.len(), rules.len(), "a rule listed twice");
    let out = docgate()
        .arg("--root")
        .arg(fixture())
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(findings.len() > 10);
    for f in findings {
        let (check, rule, severity) = (
            f["check"].as_str().unwrap(),
            f["rule"].as_str().unwrap(),
            f["severity"].as_str().unwrap(),
        );
        let listed = rules
            .iter()
            .find(|(c, r, _)| c == check && r == rule)
            .unwrap_or_else(|| panic!("{check}/{rule} is not listed by --list-rules"));
        assert!(
            listed.2 == severity || (!f["language"].is_null() && severity == "warning"),
            "{check}/{rule}: listed as {}, found as {severity}",
            listed.2
        );
    }
    docgate()
        .args(["check", "--list-rules"])
        .assert()
        .success()
        .stdout(predicates::str::contains("links      broken-anchor"));
}

/// `docgate.toml`: `[check.severity]` makes a rule an error, a warning or
/// nothing; `[defaults]` gives the release and languages a command was not
/// given; a mistake in either is located in the file.
#[test]
fn docgate_toml_severities_and_defaults() {
    let dir = common::bundled_copy();
    let toml = dir.path().join("docgate.toml");
    let lint = |config: &str| {
        std::fs::write(&toml, config).unwrap();
        let out = docgate()
            .arg("--root")
            .arg(dir.path())
            .args(["check", "lint", "--format", "json"])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        (
            out.status.code().unwrap(),
            v,
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let rule_severities = |v: &serde_json::Value, rule: &str| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| f["severity"].as_str().unwrap().to_string())
            .collect()
    };
    let (code, v, _) = lint("[check.severity]\nuntranslated-english = \"error\"\n");
    assert_eq!(code, 1);
    let sev = rule_severities(&v, "untranslated-english");
    assert!(!sev.is_empty() && sev.iter().all(|s| s == "error"), "{sev:?}");
    let (code, v, _) = lint("[check.severity]\nuntranslated-english = \"off\"\nenglish-only-variable = \"off\"\n");
    assert_eq!(code, 0);
    assert!(rule_severities(&v, "untranslated-english").is_empty());
    let (code, _, stderr) = lint("[check.severity]\nuntranslated-englsh = \"error\"\n");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("docgate.toml:2:") && stderr.contains("did you mean `untranslated-english`?"),
        "{stderr}"
    );
    let (code, _, stderr) = lint("[check.severity]\nbroken-link = \"loud\"\n");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("docgate.toml:2:15") && stderr.contains("use \"error\""),
        "{stderr}"
    );
    // [defaults] languages: only Korean pages are linted.
    let (_, v, _) = lint("[defaults]\nlanguages = [\"ko\"]\n");
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["language"].is_null() || f["language"] == "ko"),
        "{v}"
    );
    // [defaults] release: the version of a page given without one.
    std::fs::write(&toml, "[defaults]\nrelease = \"3.4\"\n").unwrap();
    docgate()
        .arg("--root")
        .arg(dir.path())
        .args(["render", ARTICLE, "--format", "json"])
        .assert()
        .success()
        .stdout(predicates::str::contains("\"version\": \"enterprise-server@3.4\""));
    std::fs::write(&toml, "[defaults]\nrelease = \"9.9\"\n").unwrap();
    docgate()
        .arg("--root")
        .arg(dir.path())
        .args(["check", "redirects"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("docgate.toml:2:11").and(predicates::str::contains("[defaults] release")));
}

/// A translated tag name the repair table mends (`{% données variables.… %}`)
/// renders like English: it is no drift (it was reported as "the gates are in
/// another order", since the skeleton was taken before repair).
#[test]
fn repaired_tag_names_are_not_drift() {
    let (dir, _, _) = common::tree(&[
        ("data/variables/product.yml", "prodname: Produit\n"),
        (
            "content/a.md",
            "---\ntitle: A\nversions:\n  fpt: '*'\n---\n\nUse {% data variables.product.prodname %} here.\n",
        ),
        (
            "translations/fr-fr/content/a.md",
            "---\ntitle: A\nversions:\n  fpt: '*'\n---\n\nUtilisez {% données variables.product.prodname %} ici, dans la page.\n",
        ),
    ]);
    let out = docgate()
        .arg("--root")
        .arg(dir.path())
        .args(["check", "--lang", "fr", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.contains(&"translation-drift"), "{rules:?}");
}
