//! docgate: version-aware, localized rendering and checking of GitHub-Docs-style
//! content, and a GHES ↔ GHEC license-sync runner that uses the same version logic.
//!
//! Layout (see DESIGN.md): [`versions`] evaluates every version question,
//! [`corpus`] loads content and data, [`languages`] knows the languages and
//! repairs translations, [`render`] turns a page into HTML, Markdown, text or JSON.

#[cfg(feature = "emulator")]
pub mod emulator;
pub mod error;
pub mod escape;
pub mod external;
pub mod files;
pub mod findings;
pub mod versions;
mod yaml;

pub use error::{Error, Location, Result};
mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod languages;
pub mod links;
pub mod lint;
pub mod output;
pub mod permalink;
pub mod plugins;
pub mod progress;
pub mod redirects;
pub mod render;
pub mod scan;
pub mod site;
pub mod sync;
