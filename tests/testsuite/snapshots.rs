//! Whole rendered pages, as `docgate render` prints them, kept as snapshots
//! (tests/testsuite/snapshots/): any change to the output shows up as a diff to review.
//! After an intended change: `INSTA_UPDATE=always cargo test --test testsuite snapshots::`,
//! then read the diff of tests/testsuite/snapshots/ before committing.

use assert_cmd::Command;

const ARTICLE: &str =
    "admin/configuration/configuring-github-connect/enabling-automatic-user-license-sync-for-your-enterprise";
const SYNC_PAGE: &str = "billing/managing-your-license-for-github-enterprise/syncing-license-usage-between-github-enterprise-server-and-github-enterprise-cloud";

fn render(page: &str, version: &str, lang: &str, format: &str) -> String {
    let out = Command::new(assert_cmd::cargo::cargo_bin!("docgate"))
        .env_remove("DOCGATE_ROOT")
        .args([
            "--today",
            "2026-11-23",
            "render",
            page,
            "--version",
            version,
            "--lang",
            lang,
        ])
        .args(["--format", format, "--color", "never", "--width", "80"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn seed_article_in_english_before_and_after_the_manual_trigger() {
    insta::assert_snapshot!("article_en_3_4_text", render(ARTICLE, "3.4", "en", "text"));
    insta::assert_snapshot!("article_en_3_5_html", render(ARTICLE, "3.5", "en", "html"));
}

#[test]
fn seed_article_translated() {
    insta::assert_snapshot!("article_ko_3_5_text", render(ARTICLE, "3.5", "ko", "text"));
    insta::assert_snapshot!("article_pt_3_0_markdown", render(ARTICLE, "3.0", "pt", "markdown"));
    insta::assert_snapshot!("article_fr_3_16_html", render(ARTICLE, "3.16", "fr", "html"));
}

#[test]
fn sync_page_for_ghec_and_an_old_release() {
    insta::assert_snapshot!("sync_ghec_text", render(SYNC_PAGE, "ghec", "en", "text"));
    insta::assert_snapshot!("sync_3_4_markdown", render(SYNC_PAGE, "3.4", "en", "markdown"));
}
