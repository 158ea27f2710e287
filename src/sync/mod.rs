//! The license-sync runner for GHES ↔ GHEC: capabilities matching the installed
//! release (decided by the docs' own version logic), the GitHub API client,
//! the consumed-licenses report, and the job history.

pub mod capabilities;
#[cfg(feature = "sync")]
pub mod http;
pub mod model;
#[cfg(feature = "sync")]
pub mod report;
#[cfg(feature = "sync")]
pub mod runner;
#[cfg(feature = "sync")]
pub mod store;
