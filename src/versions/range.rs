//! Frontmatter `versions:` and the node-semver ranges GHES values use.

use std::fmt;

use serde::Deserialize;

use super::{Plan, Release, ReleaseTable, Version};

/// A node-semver range over GHES releases, as written in frontmatter and feature
/// files: `'*'`, `'>=3.5'`, `'>3.4 <3.9'`, `'<3.1 || >3.5'`, `'3.5'` (= 3.5.x).
///
/// ```
/// use docgate::versions::{Release, ReleaseRange};
/// let r = ReleaseRange::parse(">3.4 <3.10").unwrap();
/// assert!(r.matches(Release::new(3, 9)));
/// assert!(!r.matches(Release::new(3, 4)));
/// assert!(!r.matches(Release::new(3, 10)));
/// ```
#[derive(Clone, Debug)]
pub struct ReleaseRange {
    source: String,
    alternatives: Vec<semver::VersionReq>,
}

/// A range that is not valid node-semver.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid version range `{range}`: {reason}")]
pub struct RangeError {
    /// The range as written.
    pub range: String,
    /// What is wrong with it.
    pub reason: String,
}

impl ReleaseRange {
    /// Parses a node-semver range (`'*'`, `'>=3.5'`, `'<3.1 || >3.5'`, …).
    pub fn parse(source: &str) -> Result<Self, RangeError> {
        let err = |reason: String| RangeError {
            range: source.to_string(),
            reason,
        };
        let mut alternatives = Vec::new();
        let several = source.contains("||");
        for alt in source.split("||") {
            // node-semver reads an empty alternative as "every release": a typo
            // (`>=3.5 || || <2`) must not widen a gate to everything.
            if several && alt.trim().is_empty() {
                return Err(err("an empty alternative between `||`".into()));
            }
            let req = node_to_cargo(alt.trim()).map_err(&err)?;
            let parsed = semver::VersionReq::parse(&req).map_err(|e| err(e.to_string()))?;
            alternatives.push(parsed);
        }
        Ok(ReleaseRange {
            source: source.to_string(),
            alternatives,
        })
    }

    /// Whether `release` is in the range.
    pub fn matches(&self, release: Release) -> bool {
        let v = release.to_semver();
        self.alternatives.iter().any(|r| r.matches(&v))
    }

    /// The range as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }
}

impl fmt::Display for ReleaseRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// Rewrites one node-semver comparator set (space-separated) into the `semver`
/// crate's comma-separated syntax. A bare version is an X-range in node
/// (`3.5` = `3.5.x`), which is `=3.5` here; `A - B` is `>=A, <=B`.
fn node_to_cargo(set: &str) -> Result<String, String> {
    if set.is_empty() || set == "*" || set.eq_ignore_ascii_case("x") {
        return Ok("*".to_string());
    }
    let tokens: Vec<&str> = set.split_whitespace().collect();
    if let [a, "-", b] = tokens.as_slice() {
        return Ok(format!(">={}, <={}", strip_v(a), strip_v(b)));
    }
    let mut out = Vec::new();
    let mut pending_op: Option<&str> = None;
    for tok in tokens {
        let op_len = tok
            .find(|c: char| !matches!(c, '<' | '>' | '=' | '~' | '^'))
            .unwrap_or(tok.len());
        let (op, ver) = tok.split_at(op_len);
        if ver.is_empty() {
            if pending_op.is_some() {
                return Err(format!("two operators in a row before `{tok}`"));
            }
            pending_op = Some(op);
            continue;
        }
        let op = match (pending_op.take(), op) {
            (Some(p), "") => p,
            (Some(_), _) => return Err(format!("two operators in a row before `{tok}`")),
            (None, op) => op,
        };
        let op = if op.is_empty() { "=" } else { op };
        if !matches!(op, "=" | "<" | ">" | "<=" | ">=" | "~" | "^") {
            return Err(format!("unknown operator `{op}`"));
        }
        let ver = strip_v(ver).replace(['x', 'X'], "*");
        if ver == "*" {
            out.push("*".to_string());
        } else {
            out.push(format!("{op}{ver}"));
        }
    }
    if let Some(op) = pending_op {
        return Err(format!("operator `{op}` without a version"));
    }
    Ok(out.join(", "))
}

fn strip_v(s: &str) -> &str {
    s.strip_prefix('v').unwrap_or(s)
}

/// A frontmatter `versions:` object (also the body of a feature file).
///
/// fpt, ghec and ghae apply for any value (the reference never reads it); ghes is a
/// [`ReleaseRange`]; `feature` adds the versions of named features.
#[derive(Clone, Debug, Default, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct VersionsSpec {
    /// `fpt` (`free-pro-team`): any value includes GitHub.com.
    #[serde(default, alias = "free-pro-team", skip_serializing_if = "Option::is_none")]
    pub fpt: Option<String>,
    /// `ghec` (`enterprise-cloud`): any value includes GHEC.
    #[serde(default, alias = "enterprise-cloud", skip_serializing_if = "Option::is_none")]
    pub ghec: Option<String>,
    /// `ghes` (`enterprise-server`): the GHES releases included, as a [`ReleaseRange`].
    #[serde(default, alias = "enterprise-server", skip_serializing_if = "Option::is_none")]
    pub ghes: Option<String>,
    /// `ghae` (`github-ae`): any value includes GitHub AE.
    #[serde(default, alias = "github-ae", skip_serializing_if = "Option::is_none")]
    pub ghae: Option<String>,
    /// `feature`: the features whose versions are added.
    #[serde(default, skip_serializing)]
    pub feature: OneOrMany,
}

impl VersionsSpec {
    /// The plans and ranges, as written: `fpt '*', ghes '>3.4'`.
    pub fn describe(&self) -> String {
        [
            ("fpt", &self.fpt),
            ("ghec", &self.ghec),
            ("ghes", &self.ghes),
            ("ghae", &self.ghae),
        ]
        .into_iter()
        .filter_map(|(plan, value)| value.as_ref().map(|v| format!("{plan} '{v}'")))
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// A string or a list of strings.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum OneOrMany {
    /// Absent.
    #[default]
    None,
    /// A single string.
    One(String),
    /// A list of strings.
    Many(Vec<String>),
}

impl OneOrMany {
    /// The strings, as a list (empty when absent).
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

impl VersionsSpec {
    /// What older trees meant by `versions: '*'`: every version of the time,
    /// so Free/Pro/Team, every GHES release and GitHub AE. GitHub Enterprise
    /// Cloud became a version of its own after that form was gone.
    pub fn legacy_everything() -> Self {
        VersionsSpec {
            fpt: Some("*".into()),
            ghec: None,
            ghes: Some("*".into()),
            ghae: Some("*".into()),
            feature: OneOrMany::None,
        }
    }

    /// Deserializes frontmatter `versions:`: a mapping, or the legacy plain
    /// string `'*'` (every plan) that trees from before 2022 use. Lint reports
    /// the legacy form.
    pub fn deserialize_frontmatter<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = VersionsSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of plans to version ranges, e.g. `ghes: '*'`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<VersionsSpec, E> {
                if v.trim() == "*" {
                    Ok(VersionsSpec::legacy_everything())
                } else {
                    Err(E::custom(format!(
                        "`versions: '{v}'`: versions must be a mapping of plans to ranges, e.g. `ghes: '*'`"
                    )))
                }
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<VersionsSpec, A::Error> {
                VersionsSpec::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_any(V)
    }

    /// The value given for `plan`, if any.
    pub fn value(&self, plan: Plan) -> Option<&str> {
        match plan {
            Plan::FreeProTeam => self.fpt.as_deref(),
            Plan::EnterpriseCloud => self.ghec.as_deref(),
            Plan::EnterpriseServer => self.ghes.as_deref(),
            Plan::GithubAe => self.ghae.as_deref(),
        }
    }

    /// True when the spec names no plan and no feature.
    pub fn is_empty(&self) -> bool {
        Plan::ALL.iter().all(|p| self.value(*p).is_none()) && self.feature.to_vec().is_empty()
    }

    /// The GHES range, parsed.
    pub fn ghes_range(&self) -> Result<Option<ReleaseRange>, RangeError> {
        self.ghes.as_deref().map(ReleaseRange::parse).transpose()
    }

    /// `Object.assign(self, other)`: the keys other sets overwrite ours.
    pub fn assign(&mut self, other: &VersionsSpec) {
        for (mine, theirs) in [
            (&mut self.fpt, &other.fpt),
            (&mut self.ghec, &other.ghec),
            (&mut self.ghes, &other.ghes),
            (&mut self.ghae, &other.ghae),
        ] {
            if theirs.is_some() {
                mine.clone_from(theirs);
            }
        }
    }

    /// Whether this spec's own plan keys (not `feature`) include `version`.
    pub fn plan_applies(&self, version: Version) -> Result<bool, RangeError> {
        Ok(match version {
            Version::Ghes(r) => self.ghes_range()?.is_some_and(|range| range.matches(r)),
            v => self.value(v.plan()).is_some(),
        })
    }

    /// Every version of `table` the plan keys select, in reference order.
    pub fn plan_versions(&self, table: &ReleaseTable) -> Result<Vec<Version>, RangeError> {
        let mut out = Vec::new();
        if self.fpt.is_some() {
            out.push(Version::Fpt);
        }
        if self.ghec.is_some() {
            out.push(Version::Ghec);
        }
        if let Some(range) = self.ghes_range()? {
            out.extend(
                table
                    .releases()
                    .iter()
                    .rev()
                    .filter(|r| range.matches(r.release))
                    .map(|r| Version::Ghes(r.release)),
            );
        }
        if self.ghae.is_some() {
            out.push(Version::Ghae);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(range: &str, rel: &str) -> bool {
        ReleaseRange::parse(range).unwrap().matches(rel.parse().unwrap())
    }

    #[test]
    fn node_semver_semantics() {
        assert!(m("*", "2.0"));
        assert!(m(">=3.5", "3.5"));
        assert!(!m(">=3.5", "3.4"));
        assert!(m(">3.4", "3.5"));
        assert!(!m(">3.4", "3.4"));
        assert!(m("<3.10", "3.9"));
        assert!(!m("<3.10", "3.10"));
        assert!(m(">3.9", "3.10"), "3.10 > 3.9 numerically");
        assert!(m("3.5", "3.5") && !m("3.5", "3.6"), "bare version is an X-range");
        assert!(m("=3.5", "3.5"));
        assert!(m(">3.4 <3.9", "3.8") && !m(">3.4 <3.9", "3.9"));
        assert!(m("<3.1 || >3.5", "3.0") && m("<3.1 || >3.5", "3.6") && !m("<3.1 || >3.5", "3.3"));
        assert!(m(">= 3.5", "3.6"));
        assert!(m("3.2 - 3.4", "3.4") && !m("3.2 - 3.4", "3.5"));
        assert!(m("~3.4", "3.4") && !m("~3.4", "3.5"));
        assert!(m("3.x", "3.17"));
    }

    #[test]
    fn bad_ranges() {
        for bad in [">=", "=> 3.5", "abc", ">= >= 3.5", "!3.5"] {
            assert!(ReleaseRange::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn assign_overwrites_keys() {
        let mut a = VersionsSpec {
            ghes: Some(">=3.5".into()),
            fpt: Some("*".into()),
            ..Default::default()
        };
        a.assign(&VersionsSpec {
            ghes: Some(">=3.9".into()),
            ..Default::default()
        });
        assert_eq!(a.ghes.as_deref(), Some(">=3.9"));
        assert_eq!(a.fpt.as_deref(), Some("*"));
    }
}
