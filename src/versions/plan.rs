//! Plans (`fpt`, `ghec`, `ghes`, `ghae`) and versions (`enterprise-server@3.5`).

use std::cmp::Ordering;
use std::fmt;

use super::Release;

/// A GitHub product plan, as in the reference engine's `allVersions`, in its order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Plan {
    /// `free-pro-team` (fpt): GitHub.com; stripped from URLs.
    FreeProTeam,
    /// `enterprise-cloud` (ghec).
    EnterpriseCloud,
    /// `enterprise-server` (ghes): the only plan with numbered releases.
    EnterpriseServer,
    /// `github-ae` (ghae): retired, still found in older trees.
    GithubAe,
}

impl Plan {
    /// Every plan, in reference order.
    pub const ALL: [Plan; 4] = [
        Plan::FreeProTeam,
        Plan::EnterpriseCloud,
        Plan::EnterpriseServer,
        Plan::GithubAe,
    ];

    /// The short name used in `ifversion` and frontmatter (`fpt`, `ghec`, `ghes`, `ghae`).
    pub const fn short_name(self) -> &'static str {
        match self {
            Plan::FreeProTeam => "fpt",
            Plan::EnterpriseCloud => "ghec",
            Plan::EnterpriseServer => "ghes",
            Plan::GithubAe => "ghae",
        }
    }

    /// The long plan name used in version keys (`enterprise-server`).
    pub const fn name(self) -> &'static str {
        match self {
            Plan::FreeProTeam => "free-pro-team",
            Plan::EnterpriseCloud => "enterprise-cloud",
            Plan::EnterpriseServer => "enterprise-server",
            Plan::GithubAe => "github-ae",
        }
    }

    /// The human title of the plan.
    pub const fn title(self) -> &'static str {
        match self {
            Plan::FreeProTeam => "Free, Pro, & Team",
            Plan::EnterpriseCloud => "Enterprise Cloud",
            Plan::EnterpriseServer => "Enterprise Server",
            Plan::GithubAe => "GitHub AE",
        }
    }

    /// Looks a plan up by its short or long name (`ghes` or `enterprise-server`).
    pub fn from_key(key: &str) -> Option<Plan> {
        Plan::ALL.into_iter().find(|p| p.short_name() == key || p.name() == key)
    }

    /// Splits a version key `plan@release` (`enterprise-server@3.5`,
    /// `free-pro-team@latest`, `ghes@3.5`) into its plan and the text after `@`;
    /// a bare plan name has an empty release. `None` when it names no plan.
    ///
    /// ```
    /// use docgate::versions::Plan;
    /// assert_eq!(Plan::split_key("enterprise-server@3.5"), Some((Plan::EnterpriseServer, "3.5")));
    /// assert_eq!(Plan::split_key("fpt"), Some((Plan::FreeProTeam, "")));
    /// assert_eq!(Plan::split_key("user@example.com"), None);
    /// ```
    pub fn split_key(key: &str) -> Option<(Plan, &str)> {
        let (plan, release) = key.split_once('@').unwrap_or((key, ""));
        Plan::from_key(plan).map(|p| (p, release))
    }

    /// True when a version-expression name is this plan's short name.
    pub fn is_short_name(name: &str) -> bool {
        Plan::ALL.iter().any(|p| p.short_name() == name)
    }
}

/// One renderable version: a plan, plus a release for GHES.
///
/// ```
/// use docgate::versions::{Release, Version};
/// let v = Version::Ghes(Release::new(3, 5));
/// assert_eq!(v.to_string(), "enterprise-server@3.5");
/// assert_eq!(v.short_name(), "ghes");
/// assert_eq!(Version::Fpt.path_segment(), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Version {
    /// GitHub.com (Free, Pro, & Team).
    Fpt,
    /// GHEC (GitHub Enterprise Cloud).
    Ghec,
    /// GHES (GitHub Enterprise Server), at one release.
    Ghes(Release),
    /// GitHub AE (retired, still found in older trees).
    Ghae,
}

impl Version {
    /// The version's plan.
    pub const fn plan(self) -> Plan {
        match self {
            Version::Fpt => Plan::FreeProTeam,
            Version::Ghec => Plan::EnterpriseCloud,
            Version::Ghes(_) => Plan::EnterpriseServer,
            Version::Ghae => Plan::GithubAe,
        }
    }

    /// The plan's short name (`fpt`, `ghec`, `ghes`, `ghae`).
    pub const fn short_name(self) -> &'static str {
        self.plan().short_name()
    }

    /// The GHES release, if this is a GHES version.
    pub const fn release(self) -> Option<Release> {
        match self {
            Version::Ghes(r) => Some(r),
            _ => None,
        }
    }

    /// The release part of the version key: `3.5`, or `latest` for unnumbered plans.
    pub fn current_release(self) -> String {
        match self {
            Version::Ghes(r) => r.to_string(),
            _ => "latest".to_string(),
        }
    }

    /// The URL segment of this version; fpt has none.
    pub fn path_segment(self) -> Option<String> {
        match self {
            Version::Fpt => None,
            v => {
                let mut s = String::with_capacity(24);
                v.push_key(&mut s);
                Some(s)
            }
        }
    }

    /// Appends the version key (`enterprise-server@3.5`, `free-pro-team@latest`)
    /// to `out`: what `Display` writes.
    pub fn push_key(self, out: &mut String) {
        // Writing to a String cannot fail.
        let _ = self.write_key(out);
    }

    /// Writes the version key piece by piece, without the formatting
    /// machinery (site paths are built by the million).
    fn write_key(self, out: &mut impl fmt::Write) -> fmt::Result {
        out.write_str(self.plan().name())?;
        out.write_char('@')?;
        match self {
            Version::Ghes(r) => r.write_to(out),
            _ => out.write_str("latest"),
        }
    }

    /// "Enterprise Server 3.5", "Free, Pro, & Team".
    pub fn title(self) -> String {
        match self {
            Version::Ghes(r) => format!("{} {r}", self.plan().title()),
            v => v.plan().title().to_string(),
        }
    }

    /// The compact spelling used on the command line: `fpt`, `ghec`, `ghes@3.5`.
    pub fn short_key(self) -> String {
        match self {
            Version::Ghes(r) => format!("ghes@{r}"),
            v => v.short_name().to_string(),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_key(f)
    }
}

/// Reference order: fpt, ghec, ghes newest → oldest, ghae.
impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.plan()
            .cmp(&other.plan())
            .then_with(|| other.release().cmp(&self.release()))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_order_matches_the_reference() {
        let mut v = [
            Version::Ghes(Release::new(3, 9)),
            Version::Ghae,
            Version::Ghes(Release::new(3, 10)),
            Version::Ghec,
            Version::Fpt,
        ];
        v.sort();
        let keys: Vec<String> = v.iter().map(|v| v.to_string()).collect();
        assert_eq!(
            keys,
            [
                "free-pro-team@latest",
                "enterprise-cloud@latest",
                "enterprise-server@3.10",
                "enterprise-server@3.9",
                "github-ae@latest"
            ]
        );
    }

    #[test]
    fn plan_keys() {
        assert_eq!(Plan::from_key("ghes"), Some(Plan::EnterpriseServer));
        assert_eq!(Plan::from_key("enterprise-cloud"), Some(Plan::EnterpriseCloud));
        assert_eq!(Plan::from_key("feature"), None);
        assert_eq!(Version::Ghec.title(), "Enterprise Cloud");
        assert_eq!(Version::Ghes(Release::new(3, 5)).short_key(), "ghes@3.5");
    }
}
