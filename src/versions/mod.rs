//! Versions: the **one** place that compares versions.
//!
//! Plans and versions ([`Plan`], [`Version`]), GHES releases ([`Release`]) and
//! their table with dates ([`ReleaseTable`]), frontmatter ranges
//! ([`VersionsSpec`], [`ReleaseRange`]), features ([`FeatureSet`]) and the
//! `ifversion` expression language ([`Condition`]). Docs rendering, lint, link
//! checks and the sync runner's capabilities all ask this module.

mod expr;
mod features;
mod plan;
mod range;
mod release;
mod table;

pub use expr::{Condition, ExprError, Join, Op, Term};
pub use features::{FeatureSet, VersionsError};
pub use plan::{Plan, Version};
pub use range::{OneOrMany, RangeError, ReleaseRange, VersionsSpec};
pub use release::{Release, ReleaseParseError};
pub use table::{ReleaseInfo, ReleaseStatus, ReleaseTable, VersionSelection};

/// `fpt, ghec, ghes 3.0–3.4, 3.9` style list of versions.
///
/// ```
/// use docgate::versions::{Release, Version, summarize};
/// let v = |m| Version::Ghes(Release::new(3, m));
/// assert_eq!(summarize(&[Version::Ghec, v(4), v(0), v(1), v(2), v(9)]), "ghec, ghes 3.0–3.2, 3.4, 3.9");
/// assert_eq!(summarize(&[Version::Ghes(Release::new(2, 22)), v(0), v(1)]), "ghes 2.22–3.1");
/// ```
pub fn summarize(versions: &[Version]) -> String {
    let mut plans: Vec<String> = versions
        .iter()
        .filter(|v| v.release().is_none())
        .map(|v| v.short_name().to_string())
        .collect();
    plans.dedup();
    let mut releases: Vec<_> = versions.iter().filter_map(|v| v.release()).collect();
    releases.sort();
    releases.dedup();
    // Runs of consecutive releases in the list.
    let mut runs: Vec<String> = Vec::new();
    let mut i = 0;
    while i < releases.len() {
        let mut j = i;
        // The next release: the next minor, or the next major's .0 (2.22 → 3.0).
        while j + 1 < releases.len()
            && ((releases[j + 1].major == releases[j].major && releases[j + 1].minor == releases[j].minor + 1)
                || (releases[j + 1].major == releases[j].major + 1 && releases[j + 1].minor == 0))
        {
            j += 1;
        }
        runs.push(if i == j {
            releases[i].to_string()
        } else {
            format!("{}–{}", releases[i], releases[j])
        });
        i = j + 1;
    }
    if !runs.is_empty() {
        plans.push(format!("ghes {}", runs.join(", ")));
    }
    plans.join(", ")
}
