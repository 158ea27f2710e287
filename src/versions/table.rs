//! The GHES release table (`data/ghes-releases.yml`): release, RC, GA and
//! deprecation dates, and the statuses derived from them for a given day.

use std::fmt;
use std::sync::Arc;

use jiff::civil::Date;
use serde::Deserialize;

use super::{Plan, Release, Version};
use crate::error::{Error, Location};

/// One GHES release and its dates. Dates are `None` when not announced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseInfo {
    /// The release number.
    pub release: Release,
    /// The release candidate's date.
    pub release_candidate: Option<Date>,
    /// The general availability (GA) date.
    pub general_availability: Option<Date>,
    /// The deprecation date: no more fixes after it.
    pub deprecation: Option<Date>,
}

/// Where a release stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReleaseStatus {
    /// Announced, not yet a release candidate.
    Planned,
    /// Release candidate: RC ≤ today < GA.
    ReleaseCandidate,
    /// GA ≤ today < deprecation.
    Supported,
    /// Deprecation date reached; still rendered, because old instances need their help.
    Deprecated,
}

impl fmt::Display for ReleaseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReleaseStatus::Planned => "planned",
            ReleaseStatus::ReleaseCandidate => "release candidate",
            ReleaseStatus::Supported => "supported",
            ReleaseStatus::Deprecated => "deprecated",
        })
    }
}

impl ReleaseInfo {
    /// The status of this release on `today`.
    pub fn status(&self, today: Date) -> ReleaseStatus {
        let reached = |d: Option<Date>| d.is_some_and(|d| d <= today);
        if reached(self.deprecation) {
            ReleaseStatus::Deprecated
        } else if reached(self.general_availability) {
            ReleaseStatus::Supported
        } else if reached(self.release_candidate) {
            ReleaseStatus::ReleaseCandidate
        } else {
            ReleaseStatus::Planned
        }
    }
}

/// Which versions a bulk operation covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionSelection {
    /// Every version except GHES releases that have not shipped (planned).
    Released,
    /// fpt, ghec, ghae and the GHES releases supported today.
    Supported,
    /// Exactly these.
    Only(Vec<Version>),
}

/// The release table plus the day its statuses are computed for.
#[derive(Clone, Debug)]
pub struct ReleaseTable {
    /// Oldest first.
    releases: Vec<ReleaseInfo>,
    today: Date,
    /// [`ReleaseTable::latest`], found once (every link resolution asks).
    latest: Release,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    releases: Vec<RawRelease>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelease {
    release: String,
    release_candidate: Option<String>,
    general_availability: Option<String>,
    deprecation: Option<String>,
}

impl ReleaseTable {
    /// Parses the YAML release table. `file` names it in errors.
    pub fn from_yaml(text: &str, file: &Arc<str>, today: Date) -> Result<Self, Error> {
        let raw: RawTable = crate::yaml::from_str(text, file, 1)?;
        let at = |needle: &str| {
            let off = text.find(needle).unwrap_or(0);
            Location::at_offset(file.clone(), text, off, 1)
        };
        let mut releases = Vec::with_capacity(raw.releases.len());
        for r in raw.releases {
            let release: Release = r
                .release
                .parse()
                .map_err(|e: super::ReleaseParseError| Error::at(at(&format!("'{}'", r.release)), e.to_string()))?;
            let date = |d: &Option<String>| -> Result<Option<Date>, Error> {
                d.as_deref()
                    .map(|s| {
                        s.parse::<Date>().map_err(|e| {
                            Error::at(
                                at(s),
                                format!("release {release}: `{s}` is not a date (YYYY-MM-DD): {e}"),
                            )
                        })
                    })
                    .transpose()
            };
            let info = ReleaseInfo {
                release,
                release_candidate: date(&r.release_candidate)?,
                general_availability: date(&r.general_availability)?,
                deprecation: date(&r.deprecation)?,
            };
            if let (Some(ga), Some(dep)) = (info.general_availability, info.deprecation)
                && dep <= ga
            {
                return Err(Error::at(
                    at(&format!("'{release}'")),
                    format!("release {release}: deprecation {dep} is not after general availability {ga}"),
                ));
            }
            releases.push(info);
        }
        releases.sort_by_key(|r| r.release);
        if let Some(w) = releases.windows(2).find(|w| w[0].release == w[1].release) {
            return Err(Error::at(
                at(&format!("'{}'", w[1].release)),
                format!("release {} is listed twice", w[1].release),
            ));
        }
        if releases.is_empty() {
            return Err(Error::at(
                Location::new(file.clone(), 1, 1),
                "the release table lists no releases",
            ));
        }
        let mut table = ReleaseTable {
            latest: releases[releases.len() - 1].release,
            releases,
            today,
        };
        table.latest = table.find_latest();
        Ok(table)
    }

    /// The day statuses are computed for.
    pub fn today(&self) -> Date {
        self.today
    }

    /// Every release, oldest first.
    pub fn releases(&self) -> &[ReleaseInfo] {
        &self.releases
    }

    /// The dates of `release`, if the table has it.
    pub fn get(&self, release: Release) -> Option<&ReleaseInfo> {
        self.releases
            .binary_search_by_key(&release, |r| r.release)
            .ok()
            .map(|i| &self.releases[i])
    }

    /// Where `release` stands on the table's day ([`ReleaseTable::today`]); `None` when the table does not have it.
    pub fn status(&self, release: Release) -> Option<ReleaseStatus> {
        self.get(release).map(|r| r.status(self.today))
    }

    /// Supported releases, oldest first.
    pub fn supported(&self) -> impl Iterator<Item = Release> + '_ {
        self.with_status(ReleaseStatus::Supported)
    }

    fn with_status(&self, status: ReleaseStatus) -> impl Iterator<Item = Release> + '_ {
        self.releases
            .iter()
            .filter(move |r| r.status(self.today) == status)
            .map(|r| r.release)
    }

    /// Releases that have shipped at least as a release candidate (supported,
    /// deprecated, RC), oldest first: the set docgate renders by default.
    pub fn released(&self) -> impl Iterator<Item = Release> + '_ {
        self.releases
            .iter()
            .filter(|r| r.status(self.today) != ReleaseStatus::Planned)
            .map(|r| r.release)
    }

    /// The newest supported release (the reference's `latestStable`), else the newest
    /// release that reached GA.
    pub fn latest(&self) -> Release {
        self.latest
    }

    fn find_latest(&self) -> Release {
        self.supported()
            .last()
            .or_else(|| {
                self.releases
                    .iter()
                    .rev()
                    .find(|r| r.general_availability.is_some_and(|d| d <= self.today))
                    .map(|r| r.release)
            })
            .unwrap_or(self.releases[self.releases.len() - 1].release)
    }

    /// For a deprecated release: what to say (since when, and the supported
    /// releases to upgrade to). `None` for any other release.
    ///
    /// ```
    /// use docgate::versions::Release;
    /// let corpus = docgate::corpus::Corpus::bundled("2026-11-23".parse().unwrap()).unwrap();
    /// let table = corpus.releases();
    /// let note = table.deprecation_note(Release::new(3, 4)).unwrap();
    /// assert!(note.starts_with("GitHub Enterprise Server 3.4 is deprecated (since 2023-03-23)"), "{note}");
    /// assert!(table.deprecation_note(Release::new(3, 22)).is_none());
    /// ```
    pub fn deprecation_note(&self, release: Release) -> Option<String> {
        let info = self.get(release)?;
        if info.status(self.today) != ReleaseStatus::Deprecated {
            return None;
        }
        let since = info.deprecation.map(|d| format!(" (since {d})")).unwrap_or_default();
        let upgrade = match self.oldest_supported() {
            Some(oldest) if oldest != self.latest() => {
                format!("upgrade to a supported release, {oldest} to {}", self.latest())
            }
            _ => format!("upgrade to {}", self.latest()),
        };
        Some(format!(
            "GitHub Enterprise Server {release} is deprecated{since}: it gets no more fixes; {upgrade}"
        ))
    }

    /// The oldest supported release.
    pub fn oldest_supported(&self) -> Option<Release> {
        self.supported().next()
    }

    /// The most recently deprecated release (the reference's `deprecated[0]`).
    pub fn newest_deprecated(&self) -> Option<Release> {
        self.with_status(ReleaseStatus::Deprecated).last()
    }

    /// Parses a version as users type it: `fpt`, `ghec`, `ghae`, `ghes@3.5`,
    /// `enterprise-server@3.5`, `3.5`, `3.5.2` (patch ignored), `latest`.
    pub fn parse_version(&self, input: &str) -> Result<Version, Error> {
        let s = input.trim();
        let (plan_part, release_part) = match s.split_once('@') {
            Some((p, r)) => (Some(p), Some(r)),
            None if s.starts_with(|c: char| c.is_ascii_digit()) => (None, Some(s)),
            None => (Some(s), None),
        };
        let plan = match plan_part {
            None => Plan::EnterpriseServer,
            Some("latest") if release_part.is_none() => Plan::EnterpriseServer,
            Some(p) => Plan::from_key(p).ok_or_else(|| self.unknown_version(input))?,
        };
        match plan {
            Plan::EnterpriseServer => {
                let release = match release_part {
                    None | Some("latest") => self.latest(),
                    Some(r) => {
                        let release = Release::parse_installed(r).map_err(|_| self.unknown_version(input))?;
                        if self.get(release).is_none() {
                            return Err(self.unknown_release(input, release));
                        }
                        release
                    }
                };
                Ok(Version::Ghes(release))
            }
            other => {
                if !matches!(release_part, None | Some("latest")) {
                    return Err(self.unknown_version(input));
                }
                Ok(match other {
                    Plan::FreeProTeam => Version::Fpt,
                    Plan::EnterpriseCloud => Version::Ghec,
                    _ => Version::Ghae,
                })
            }
        }
    }

    /// Parses a comma-separated selection of versions: `all` (every version but
    /// planned GHES releases), `supported` (fpt, ghec, ghae and the supported GHES
    /// releases), or a list of versions.
    pub fn parse_selection(&self, inputs: &[String]) -> Result<VersionSelection, Error> {
        let words: Vec<&str> = inputs
            .iter()
            .flat_map(|s| s.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        match words.as_slice() {
            [] | ["all"] => Ok(VersionSelection::Released),
            ["supported"] => Ok(VersionSelection::Supported),
            list => Ok(VersionSelection::Only(
                list.iter().map(|w| self.parse_version(w)).collect::<Result<_, _>>()?,
            )),
        }
    }

    /// The versions of `available` (a page's versions) that `selection` keeps.
    pub fn select(&self, selection: &VersionSelection, available: &[Version]) -> Vec<Version> {
        available
            .iter()
            .copied()
            .filter(|v| match (selection, v.release()) {
                (VersionSelection::Only(list), _) => list.contains(v),
                (_, None) => true,
                (VersionSelection::Released, Some(r)) => self.status(r) != Some(ReleaseStatus::Planned),
                (VersionSelection::Supported, Some(r)) => self.status(r) == Some(ReleaseStatus::Supported),
            })
            .collect()
    }

    fn unknown_version(&self, input: &str) -> Error {
        Error::usage(format!("unknown version `{input}`")).with_help(
            "use fpt, ghec, ghae, latest, a GHES release such as 3.5 or 3.5.2, \
             ghes@3.5 or enterprise-server@3.5; `docgate versions` lists the releases",
        )
    }

    fn unknown_release(&self, input: &str, release: Release) -> Error {
        let first = self.releases[0].release;
        let last = self.releases[self.releases.len() - 1].release;
        Error::usage(format!(
            "unknown GHES release `{input}`: {release} is not in the release table"
        ))
        .with_help(format!(
            "known releases run from {first} to {last}; `docgate versions` lists them"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(today: &str) -> ReleaseTable {
        let rows = [
            ("3.4", Some(("2022-02-15", "2022-03-15", "2023-03-23"))),
            ("3.10", Some(("2023-08-08", "2023-08-29", "2024-09-25"))),
            ("3.9", Some(("2023-06-08", "2023-06-29", "2024-07-26"))),
            ("3.11", Some(("2023-11-14", "2023-12-05", "2024-12-19"))),
            ("3.12", None),
        ];
        let mut yaml = String::from("releases:\n");
        for (r, dates) in rows {
            yaml.push_str(&format!("  - release: '{r}'\n"));
            if let Some((rc, ga, dep)) = dates {
                yaml.push_str(&format!(
                    "    release_candidate: '{rc}'\n    general_availability: '{ga}'\n    deprecation: '{dep}'\n"
                ));
            }
        }
        ReleaseTable::from_yaml(&yaml, &"t.yml".into(), today.parse().unwrap()).unwrap()
    }

    #[test]
    fn statuses_follow_the_dates() {
        let t = table("2023-11-20");
        let st = |r: &str| t.status(r.parse().unwrap()).unwrap();
        assert_eq!(st("3.4"), ReleaseStatus::Deprecated);
        assert_eq!(st("3.9"), ReleaseStatus::Supported);
        assert_eq!(st("3.10"), ReleaseStatus::Supported);
        assert_eq!(st("3.11"), ReleaseStatus::ReleaseCandidate);
        assert_eq!(st("3.12"), ReleaseStatus::Planned);
        assert_eq!(t.latest(), Release::new(3, 10));
        assert_eq!(t.oldest_supported(), Some(Release::new(3, 9)));
        assert_eq!(t.newest_deprecated(), Some(Release::new(3, 4)));
        assert_eq!(t.released().count(), 4);
    }

    #[test]
    fn version_spellings() {
        let t = table("2023-11-20");
        let p = |s: &str| t.parse_version(s).map(|v| v.to_string());
        assert_eq!(p("fpt").unwrap(), "free-pro-team@latest");
        assert_eq!(p("free-pro-team@latest").unwrap(), "free-pro-team@latest");
        assert_eq!(p("ghec").unwrap(), "enterprise-cloud@latest");
        assert_eq!(p("ghes@3.9").unwrap(), "enterprise-server@3.9");
        assert_eq!(p("enterprise-server@3.4").unwrap(), "enterprise-server@3.4");
        assert_eq!(p("3.10").unwrap(), "enterprise-server@3.10");
        assert_eq!(p("3.10.7").unwrap(), "enterprise-server@3.10");
        assert_eq!(p("latest").unwrap(), "enterprise-server@3.10");
        assert_eq!(p("ghes@latest").unwrap(), "enterprise-server@3.10");
        assert_eq!(p("ghae").unwrap(), "github-ae@latest");
        for bad in ["3.3", "ghes@3.99", "nope", "fpt@3.5", "3", "ghes@x"] {
            let e = t.parse_version(bad).unwrap_err();
            assert!(matches!(e, Error::Usage { .. }), "{bad}: {e:?}");
        }
        assert!(
            t.parse_version("3.3")
                .unwrap_err()
                .to_string()
                .contains("not in the release table")
        );
    }

    #[test]
    fn selections() {
        let t = table("2023-11-20");
        let page = [
            Version::Fpt,
            Version::Ghes(Release::new(3, 12)),
            Version::Ghes(Release::new(3, 11)),
            Version::Ghes(Release::new(3, 10)),
            Version::Ghes(Release::new(3, 4)),
        ];
        let keys = |sel: &str| {
            let sel = t.parse_selection(&[sel.to_string()]).unwrap();
            t.select(&sel, &page).iter().map(|v| v.short_key()).collect::<Vec<_>>()
        };
        assert_eq!(keys("all"), ["fpt", "ghes@3.11", "ghes@3.10", "ghes@3.4"]);
        assert_eq!(keys("supported"), ["fpt", "ghes@3.10"]);
        assert_eq!(keys("fpt,3.4"), ["fpt", "ghes@3.4"]);
        assert!(t.parse_selection(&["3.3".into()]).is_err());
    }

    #[test]
    fn bad_tables_are_located_errors() {
        let f: Arc<str> = "r.yml".into();
        let d = "2020-01-01".parse().unwrap();
        let e = ReleaseTable::from_yaml("releases:\n  - release: '3.x'\n", &f, d).unwrap_err();
        assert_eq!(e.location().unwrap().line, 2);
        let e = ReleaseTable::from_yaml(
            "releases:\n  - release: '3.1'\n    general_availability: '2021-13-01'\n",
            &f,
            d,
        )
        .unwrap_err();
        assert_eq!(e.location().unwrap().line, 3, "{e:?}");
        let e = ReleaseTable::from_yaml("releases:\n  - release: '3.1'\n  - release: '3.1'\n", &f, d).unwrap_err();
        assert!(e.message().contains("twice"));
        assert!(ReleaseTable::from_yaml("releases: []\n", &f, d).is_err());
    }
}
