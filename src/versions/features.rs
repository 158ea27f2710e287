//! Features (`data/features/<name>.yml`): named version sets used by `ifversion`
//! and by frontmatter `versions: feature:`.

use std::collections::BTreeMap;

use super::{RangeError, ReleaseTable, Version, VersionsSpec};

/// Every feature of a tree, by name.
#[derive(Clone, Debug, Default)]
pub struct FeatureSet {
    features: BTreeMap<String, VersionsSpec>,
    /// Each feature's versions with its GHES range parsed once (`None`: no
    /// GHES key, or one that does not parse, which lint reports), hashed: every
    /// `{% ifversion feature %}` of every render looks here.
    lookup: crate::cache::FastMap<String, (VersionsSpec, Option<super::ReleaseRange>)>,
    /// Features whose file has an error, with the located message
    /// (`data/features/x.yml:3:9: invalid version range …`).
    broken: BTreeMap<String, crate::error::Error>,
}

/// Why a `versions:` object could not be evaluated.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VersionsError {
    /// A version range that does not parse.
    #[error(transparent)]
    Range(#[from] RangeError),
    /// A feature the tree has no file for.
    #[error("unknown feature `{0}` (no data/features/{0}.yml)")]
    UnknownFeature(String),
    /// A feature whose file has an error: its name and the message.
    #[error("feature `{0}` cannot be used: {1}")]
    BrokenFeature(String, String),
    /// A `versions:` object with no plan and no feature.
    #[error("`versions` lists no plan and no feature")]
    Empty,
    /// A `versions:` object that selects no version of the release table.
    #[error("`versions` selects no version this release table knows")]
    NoVersion,
}

impl FeatureSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds feature `name` with the versions it is on in.
    pub fn insert(&mut self, name: impl Into<String>, versions: VersionsSpec) {
        let name = name.into();
        self.lookup
            .insert(name.clone(), (versions.clone(), versions.ghes_range().ok().flatten()));
        self.features.insert(name, versions);
    }

    /// Records that feature `name` exists but its file has an error (`message`
    /// says where): it is on in no version, and using it is an error.
    pub fn insert_broken(&mut self, name: impl Into<String>, error: crate::error::Error) {
        self.broken.insert(name.into(), error);
    }

    /// The error of a feature whose file is broken.
    pub fn broken(&self, name: &str) -> Option<&crate::error::Error> {
        if self.broken.is_empty() {
            return None;
        }
        self.broken.get(name)
    }

    /// Every broken feature and its located error.
    pub fn broken_features(&self) -> impl Iterator<Item = (&str, &crate::error::Error)> {
        self.broken.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The versions of feature `name` (`None` when unknown or broken).
    pub fn get(&self, name: &str) -> Option<&VersionsSpec> {
        self.features.get(name)
    }

    /// Whether feature `name` exists and its file is valid.
    pub fn contains(&self, name: &str) -> bool {
        self.features.contains_key(name)
    }

    /// The names of the valid features, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.features.keys().map(String::as_str)
    }

    /// How many valid features there are.
    pub fn len(&self) -> usize {
        self.features.len()
    }

    /// Whether there is no valid feature.
    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// Whether feature `name` includes `version`; `None` for an unknown feature.
    /// A feature whose range does not parse is reported as disabled here; lint
    /// reports the range.
    pub fn is_enabled(&self, name: &str, version: Version) -> Option<bool> {
        let (spec, ghes) = self.lookup.get(name)?;
        Some(match version {
            Version::Ghes(r) => ghes.as_ref().is_some_and(|range| range.matches(r)),
            v => spec.plan_applies(v).unwrap_or(false),
        })
    }

    /// The feature part of a page's `versions:`: the named features' objects merged
    /// with `Object.assign` (a later feature overwrites earlier keys), as one spec.
    fn merged(&self, names: &[String]) -> Result<Option<VersionsSpec>, VersionsError> {
        if names.is_empty() {
            return Ok(None);
        }
        let mut merged = VersionsSpec::default();
        for name in names {
            if let Some(e) = self.broken.get(name) {
                return Err(VersionsError::BrokenFeature(name.clone(), e.one_line()));
            }
            let spec = self
                .features
                .get(name)
                .ok_or_else(|| VersionsError::UnknownFeature(name.clone()))?;
            merged.assign(spec);
        }
        Ok(Some(merged))
    }

    /// Whether a page with frontmatter `spec` exists in `version`.
    pub fn applies_to(&self, spec: &VersionsSpec, version: Version) -> Result<bool, VersionsError> {
        if spec.plan_applies(version)? {
            return Ok(true);
        }
        Ok(match self.merged(&spec.feature.to_vec())? {
            Some(f) => f.plan_applies(version)?,
            None => false,
        })
    }

    /// Every version of `table` a page with frontmatter `spec` exists in, in
    /// reference order (fpt, ghec, ghes newest → oldest, ghae). Deprecated and
    /// planned releases are included; callers filter by status when they iterate.
    pub fn applicable_versions(
        &self,
        spec: &VersionsSpec,
        table: &ReleaseTable,
    ) -> Result<Vec<Version>, VersionsError> {
        if spec.is_empty() {
            return Err(VersionsError::Empty);
        }
        let mut versions = spec.plan_versions(table)?;
        if let Some(f) = self.merged(&spec.feature.to_vec())? {
            versions.extend(f.plan_versions(table)?);
        }
        versions.sort();
        versions.dedup();
        if versions.is_empty() {
            return Err(VersionsError::NoVersion);
        }
        Ok(versions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::versions::Release;

    fn table() -> ReleaseTable {
        let mut yaml = String::from("releases:\n");
        for minor in 0..=12 {
            yaml.push_str(&format!(
                "  - release: '3.{minor}'\n    release_candidate: '2021-01-01'\n    general_availability: '2021-02-01'\n"
            ));
        }
        ReleaseTable::from_yaml(&yaml, &"t".into(), "2022-01-01".parse().unwrap()).unwrap()
    }

    #[test]
    fn features_union_with_page_keys() {
        let mut f = FeatureSet::new();
        f.insert(
            "a",
            VersionsSpec {
                ghes: Some(">=3.10".into()),
                ..Default::default()
            },
        );
        f.insert(
            "b",
            VersionsSpec {
                ghec: Some("*".into()),
                ghes: Some(">=3.11".into()),
                ..Default::default()
            },
        );
        let spec = VersionsSpec {
            fpt: Some("*".into()),
            feature: crate::versions::OneOrMany::Many(vec!["a".into(), "b".into()]),
            ..Default::default()
        };
        let got: Vec<String> = f
            .applicable_versions(&spec, &table())
            .unwrap()
            .iter()
            .map(|v| v.short_key())
            .collect();
        // b's ghes key overwrote a's.
        assert_eq!(got, ["fpt", "ghec", "ghes@3.12", "ghes@3.11"]);
        assert!(f.applies_to(&spec, Version::Ghes(Release::new(3, 12))).unwrap());
        assert!(!f.applies_to(&spec, Version::Ghes(Release::new(3, 10))).unwrap());
        assert_eq!(f.is_enabled("a", Version::Ghes(Release::new(3, 10))), Some(true));
        assert_eq!(f.is_enabled("a", Version::Fpt), Some(false));
        assert_eq!(f.is_enabled("zzz", Version::Fpt), None);
    }

    #[test]
    fn errors() {
        let f = FeatureSet::new();
        let t = table();
        assert_eq!(
            f.applicable_versions(&VersionsSpec::default(), &t),
            Err(VersionsError::Empty)
        );
        let spec = VersionsSpec {
            feature: crate::versions::OneOrMany::One("nope".into()),
            ..Default::default()
        };
        assert_eq!(
            f.applicable_versions(&spec, &t),
            Err(VersionsError::UnknownFeature("nope".into()))
        );
        let spec = VersionsSpec {
            ghes: Some(">9.0".into()),
            ..Default::default()
        };
        assert_eq!(f.applicable_versions(&spec, &t), Err(VersionsError::NoVersion));
    }
}
