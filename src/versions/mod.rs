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
