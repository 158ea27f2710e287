//! What the sync runner can do for an installed GHES release. Each capability
//! is declared with a version expression (often a feature of
//! `data/features/`), evaluated by the same [`crate::versions::Condition`] the
//! docs' `ifversion` uses, and described by the docs themselves, rendered for
//! that release and language.

use std::sync::Arc;

use serde::Serialize;

use crate::corpus::Page;
use crate::error::Error;
use crate::languages::Lang;
use crate::render::markdown::sections;
use crate::render::text::{DEFAULT_BASE_URL, TextOptions, to_text_localized};
use crate::render::{Origin, Renderer, rewrite_link};
use crate::versions::{Condition, Release, Version};

/// The billing article about syncing license usage.
pub const SYNC_PAGE: &str = "billing/managing-your-license-for-github-enterprise/syncing-license-usage-between-github-enterprise-server-and-github-enterprise-cloud.md";
/// The admin article about automatic license sync (the seed article).
pub const SEED_PAGE: &str =
    "admin/configuration/configuring-github-connect/enabling-automatic-user-license-sync-for-your-enterprise.md";
/// The section of [`SYNC_PAGE`] on the manual trigger (only where it exists).
pub const TRIGGER_SECTION: &str = "triggering-a-license-sync-job";
const VIEWING_PAGE: &str =
    "billing/managing-your-license-for-github-enterprise/viewing-license-usage-for-github-enterprise.md";

/// Where a capability's description lives in the docs.
#[derive(Clone, Copy, Debug)]
pub enum DocRef {
    /// The section under heading `id` of `page`.
    Section {
        /// The page, by its path under `content/`.
        page: &'static str,
        /// The heading's id (its slug).
        id: &'static str,
    },
    /// A reusable, rendered on its own.
    Reusable(&'static str),
}

/// A capability of the runner.
#[derive(Clone, Copy, Debug)]
pub struct Capability {
    /// Which capability this is.
    pub id: CapabilityId,
    /// An `ifversion` expression; a bare name is a feature.
    pub requires: &'static str,
    /// What it does, in one line.
    pub summary: &'static str,
    /// Where the docs describe it.
    pub doc: DocRef,
    /// Where the docs say what to do instead, when the capability is off.
    pub alternative: Option<DocRef>,
    /// The runner command that uses it, if any.
    pub command: Option<&'static str>,
}

/// The license-sync capabilities, by name; [`CAPABILITIES`] lists them in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CapabilityId {
    /// Turning on automatic user license sync in GitHub Connect.
    Enable,
    /// The last license sync of each instance, as GHEC sees it (`status`).
    Status,
    /// Exporting license usage from the administrative shell (`export`).
    Export,
    /// Starting a license sync job now (`trigger`).
    Trigger,
    /// Uploading an exported usage file to GHEC (`upload`).
    Upload,
    /// The consumed-licenses report (`report`).
    Report,
    /// The instance's own license (`license`).
    License,
    /// GitHub Advanced Security usage in sync and export.
    GhasUsage,
    /// The `ghe-license` utility.
    GheLicense,
    /// Syncing to an enterprise on GHE.com (data residency).
    GhecomTarget,
}

impl CapabilityId {
    /// The name `docgate sync capabilities` shows (`trigger`, `ghas-usage`, …).
    pub const fn name(self) -> &'static str {
        match self {
            CapabilityId::Enable => "enable",
            CapabilityId::Status => "status",
            CapabilityId::Export => "export",
            CapabilityId::Trigger => "trigger",
            CapabilityId::Upload => "upload",
            CapabilityId::Report => "report",
            CapabilityId::License => "license",
            CapabilityId::GhasUsage => "ghas-usage",
            CapabilityId::GheLicense => "ghe-license",
            CapabilityId::GhecomTarget => "ghecom-target",
        }
    }

    /// Its capability.
    pub fn capability(self) -> &'static Capability {
        &CAPABILITIES[self as usize]
    }
}

impl Capability {
    /// Its name (see [`CapabilityId::name`]).
    pub fn name(&self) -> &'static str {
        self.id.name()
    }
}

/// The license-sync plugin's capabilities, in the order `docgate sync
/// capabilities` lists them.
pub const CAPABILITIES: [Capability; 10] = [
    Capability {
        id: CapabilityId::Enable,
        requires: "ghes",
        summary: "turn on automatic user license sync in GitHub Connect (web UI: the docs' steps)",
        doc: DocRef::Section {
            page: SEED_PAGE,
            id: "enabling-license-synchronization",
        },
        alternative: None,
        command: None,
    },
    Capability {
        id: CapabilityId::Status,
        requires: "ghes",
        summary: "last license sync of each instance, as GitHub Enterprise Cloud sees it",
        doc: DocRef::Section {
            page: SYNC_PAGE,
            id: "automatically-syncing-license-usage",
        },
        alternative: None,
        command: Some("status"),
    },
    Capability {
        id: CapabilityId::Export,
        requires: "ghes",
        summary: "export license usage from the administrative shell (ssh -p 122)",
        doc: DocRef::Section {
            page: SYNC_PAGE,
            id: "exporting-license-usage-from-github-enterprise-server",
        },
        alternative: None,
        command: Some("export"),
    },
    Capability {
        id: CapabilityId::Trigger,
        requires: "license-sync-manual-trigger",
        summary: "start a license sync job now (Sync now), then wait for it",
        doc: DocRef::Section {
            page: SYNC_PAGE,
            id: TRIGGER_SECTION,
        },
        alternative: Some(DocRef::Section {
            page: SYNC_PAGE,
            id: "manually-uploading-github-enterprise-server-license-usage",
        }),
        command: Some("trigger"),
    },
    Capability {
        id: CapabilityId::Upload,
        requires: "ghes",
        summary: "upload an exported usage file to GitHub Enterprise Cloud, then wait for it",
        doc: DocRef::Section {
            page: SYNC_PAGE,
            id: "uploading-license-usage-to-github-enterprise-cloud",
        },
        alternative: None,
        command: Some("upload"),
    },
    Capability {
        id: CapabilityId::Report,
        requires: "ghes",
        summary: "consumed licenses across environments, with likely double-counted people",
        doc: DocRef::Reusable("reusables.enterprise-licensing.view-consumed-licenses"),
        alternative: None,
        command: Some("report"),
    },
    Capability {
        id: CapabilityId::License,
        requires: "ghes",
        summary: "the instance's license: seats, used, available, expiry",
        doc: DocRef::Section {
            page: VIEWING_PAGE,
            id: "about-license-usage",
        },
        alternative: None,
        command: Some("license"),
    },
    Capability {
        id: CapabilityId::GhasUsage,
        requires: "ghas-in-license-sync",
        summary: "GitHub Advanced Security usage is part of sync and export",
        doc: DocRef::Reusable("reusables.enterprise-licensing.ghas-in-license-sync"),
        alternative: None,
        command: None,
    },
    Capability {
        id: CapabilityId::GheLicense,
        requires: "ghe-license-utility",
        summary: "the `ghe-license` utility (`ghe-license usage` replaces `ghe-license-usage`)",
        doc: DocRef::Reusable("reusables.enterprise-licensing.license-usage-command"),
        alternative: None,
        command: None,
    },
    Capability {
        id: CapabilityId::GhecomTarget,
        requires: "ghecom-license-sync",
        summary: "sync to an enterprise on GHE.com (data residency)",
        doc: DocRef::Reusable("reusables.enterprise-licensing.ghecom-license-sync"),
        alternative: None,
        command: None,
    },
];

/// A capability, evaluated for an installed release.
#[derive(Clone, Debug, Serialize)]
pub struct CapabilityStatus {
    /// The capability's name (see [`CapabilityId::name`]).
    pub name: &'static str,
    /// Whether it is on for the release.
    pub enabled: bool,
    /// The expression and what it means (`license-sync-manual-trigger = ghec '*', ghes '>3.4'`).
    pub requires: String,
    /// The GHES release it was evaluated for.
    pub release: String,
    /// What it does, in one line.
    pub summary: &'static str,
    /// The docs for this release and language, as text.
    pub description: String,
    /// Where to read more (a permalink docgate can render).
    pub docs: String,
    /// What the docs give as the alternative, when the capability is off.
    pub alternative: Option<String>,
    /// Where to read more about the alternative, when there is one.
    pub alternative_docs: Option<String>,
}

/// A capability by name, among those the plugins declare.
pub fn find(name: &str) -> Option<&'static Capability> {
    CAPABILITIES.iter().find(|c| c.name() == name)
}

/// Whether `cap` is on for GHES `release`.
pub fn enabled(renderer: &Renderer, cap: &Capability, release: Release) -> Result<bool, Error> {
    let cond = Condition::parse(cap.requires).map_err(|e| Error::input(format!("capability {}: {e}", cap.name())))?;
    let features = renderer.corpus().features()?;
    let v = Version::Ghes(release);
    Ok(cond.eval(v, &|n| features.is_enabled(n, v)))
}

fn describe_requirement(renderer: &Renderer, cap: &Capability) -> String {
    let Ok(features) = renderer.corpus().features() else {
        return cap.requires.into();
    };
    match features.get(cap.requires) {
        Some(spec) => format!("feature {} ({})", cap.requires, spec.describe()),
        None => format!("`{}`", cap.requires),
    }
}

/// The article a capability's docs name: the page at `path`, else the page
/// that moved there from it (its `redirect_from`), as trees reorganise
/// (`admin/configuration/…` became `admin/configuring-settings/…`).
pub fn article(renderer: &Renderer, path: &str) -> Result<Arc<Page>, Error> {
    let corpus = renderer.corpus();
    if let Some(p) = corpus.page(path)? {
        return Ok(p);
    }
    let old = format!("/{}", path.trim_end_matches(".md").trim_end_matches("/index"));
    let map = renderer.redirect_map()?;
    let moved = match map.resolve(&old, Lang::ENGLISH) {
        crate::redirects::Resolution::Page { permalink } | crate::redirects::Resolution::Redirect { permalink, .. } => {
            let p = crate::permalink::without_lang(&permalink);
            map.page_at(&p).map(|(page, _)| page.to_string())
        }
        crate::redirects::Resolution::NotFound => None,
    };
    match moved {
        Some(p) => corpus
            .page(&p)?
            .ok_or_else(|| Error::input(format!("the docs have no page {p}"))),
        None => Err(Error::input(format!(
            "this docs tree has no article {path}, nor a page that redirects from {old}"
        ))),
    }
}

/// The docs.github.com URL of a doc reference for a release and language: the
/// section of its article, or for a reusable the section of the first page
/// that includes it in that release (never a repository file path).
pub fn docs_link(renderer: &Renderer, doc: DocRef, release: Release, lang: Lang) -> String {
    let v = Version::Ghes(release);
    let site = |permalink: String| format!("{DEFAULT_BASE_URL}{permalink}");
    match doc {
        DocRef::Section { page: p, id } => match article(renderer, p) {
            Ok(pg) => site(format!("{}#{id}", pg.permalink(v, lang))),
            Err(_) => site(crate::permalink::permalink(
                &format!("/{}", p.trim_end_matches(".md")),
                v,
                lang,
            )),
        },
        DocRef::Reusable(r) => match reusable_home(renderer, r, v, lang) {
            Some(link) => site(link),
            // Included nowhere in this release: the license-sync article is where it belongs.
            None => docs_link(
                renderer,
                DocRef::Section {
                    page: SYNC_PAGE,
                    id: "",
                },
                release,
                lang,
            )
            .trim_end_matches('#')
            .to_string(),
        },
    }
}

/// The permalink (with the section's anchor) of the first page that includes
/// reusable `r` in version `v`.
fn reusable_home(renderer: &Renderer, r: &str, v: Version, lang: Lang) -> Option<String> {
    let corpus = renderer.corpus();
    let needle = r.trim_start_matches("reusables.");
    for path in corpus.page_paths().ok()? {
        let Ok(Some(page)) = corpus.page(path) else { continue };
        if !page.applies_to(v) || !page.body().contains(needle) {
            continue;
        }
        let permalink = page.permalink(v, lang);
        // The section whose text holds the reusable's first line.
        let anchor = (|| {
            let t = renderer
                .parse(&format!("{{% data {r} %}}"), Origin::new("(capability)".into(), 1))
                .ok()?;
            let (md, _) = renderer.render_template(&t, v, Lang::ENGLISH).ok()?;
            let first = md.lines().map(str::trim).find(|l| !l.is_empty())?.to_string();
            let body = renderer.render_page(&page, v, Lang::ENGLISH).ok()?.body;
            sections(&body, None)
                .into_iter()
                .find(|s| body[s.own.clone()].contains(&first))
                .map(|s| s.heading.id)
        })();
        return Some(match anchor {
            Some(id) => format!("{permalink}#{id}"),
            None => permalink,
        });
    }
    None
}

/// The docs text of a reference for a release and language, or `None` when the
/// section does not exist in that release. Links are absolute docs.github.com
/// URLs for that version and language; `opts` lays the text out (give
/// [`TextOptions::plain`] for data).
pub fn docs_text(
    renderer: &Renderer,
    doc: DocRef,
    release: Release,
    lang: Lang,
    opts: &TextOptions,
) -> Result<Option<String>, Error> {
    let v = Version::Ghes(release);
    let opts = TextOptions {
        keep_all: lang.keeps_words_whole(),
        base_url: Some(DEFAULT_BASE_URL.to_string()),
        ..opts.clone()
    };
    let latest = renderer.corpus().releases().latest();
    let rw = |h: &str| rewrite_link(h, v, lang, latest);
    let alerts = renderer.alert_titles(lang)?;
    let text = |md: &str| to_text_localized(md, opts.clone(), Some(&rw), &alerts);
    match doc {
        DocRef::Reusable(r) => {
            let t = renderer.parse(&format!("{{% data {r} %}}"), Origin::new("(capability)".into(), 1))?;
            let (md, _) = renderer.render_template(&t, v, lang)?;
            Ok(Some(text(&md).trim_end().to_string()))
        }
        DocRef::Section { page: p, id } => {
            let pg = match article(renderer, p) {
                Ok(pg) => pg,
                // A tree without the article still lists the capability, saying so.
                Err(e) => return Ok(Some(format!("{}.", e.message()))),
            };
            if !pg.applies_to(v) {
                return Ok(None);
            }
            let rendered = renderer.render_page(&pg, v, lang)?;
            let english = if lang.is_english() {
                None
            } else {
                Some(renderer.english_headings(&pg, v)?)
            };
            let found = sections(&rendered.body, english.as_deref().map(Vec::as_slice))
                .into_iter()
                .find(|s| s.heading.id == id);
            Ok(found.map(|s| text(&rendered.body[s.own]).trim_end().to_string()))
        }
    }
}

/// Every capability for `release`, with its docs in `lang`.
pub fn evaluate(
    renderer: &Renderer,
    release: Release,
    lang: Lang,
    opts: &TextOptions,
) -> Result<Vec<CapabilityStatus>, Error> {
    CAPABILITIES
        .iter()
        .map(|cap| {
            let on = enabled(renderer, cap, release)?;
            let description = docs_text(renderer, cap.doc, release, lang, opts)?
                .unwrap_or_else(|| format!("The docs for GitHub Enterprise Server {release} have no such section."));
            let (alternative, alternative_docs) = match (on, cap.alternative) {
                (false, Some(alt)) => (
                    docs_text(renderer, alt, release, lang, opts)?,
                    Some(docs_link(renderer, alt, release, lang)),
                ),
                _ => (None, None),
            };
            Ok(CapabilityStatus {
                name: cap.name(),
                enabled: on,
                requires: describe_requirement(renderer, cap),
                release: release.to_string(),
                summary: cap.summary,
                description,
                docs: docs_link(renderer, cap.doc, release, lang),
                alternative,
                alternative_docs,
            })
        })
        .collect()
}

#[cfg(test)]
mod id_tests {
    use super::*;

    #[test]
    fn each_id_is_its_capability() {
        for c in &CAPABILITIES {
            assert_eq!(
                c.id.capability().id,
                c.id,
                "CAPABILITIES must follow the order of CapabilityId"
            );
        }
        assert_eq!(CapabilityId::GhecomTarget.capability().name(), "ghecom-target");
    }
}
