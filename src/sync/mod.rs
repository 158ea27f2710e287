//! The license-sync runner for GHES ↔ GHEC: capabilities matching the installed
//! release (decided by the docs' own version logic), the GitHub API client,
//! the consumed-licenses report, and the job history.

pub mod capabilities;
pub mod http;
pub mod model;
pub mod report;
pub mod runner;
pub mod store;
