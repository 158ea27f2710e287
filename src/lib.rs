#![warn(missing_docs)]
//! docgate: version-aware, localized rendering and checking of GitHub-Docs-style
//! content, and a GHES ↔ GHEC license-sync runner that uses the same version logic.
//!
//! The modules are layers; each uses only those below it (checked by
//! `tests/testsuite/architecture.rs`):
//!
//! 1. primitives: [`escape`], [`error`], [`scan`], [`files`], [`output`], [`progress`];
//! 2. the vocabulary: [`versions`] (every version question), [`languages`],
//!    [`permalink`] (site paths), [`findings`];
//! 3. [`corpus`] (the docs tree), [`config`] (its `docgate.toml`), [`redirects`];
//! 4. [`render`] (Liquid, translation repair, Markdown, the output formats);
//! 5. [`check`], [`external`] (external plugins), [`links`], [`lint`], [`sync`],
//!    `emulator`, [`site`] (the static build);
//! 6. [`plugins`]: the `Plugin` trait and the built-in plugins;
//! 7. [`cli`].
//!
//! Rendering a page of the bundled tree:
//!
//! ```
//! use docgate::{Corpus, Lang, Renderer, Version};
//! let corpus = Corpus::bundled("2026-11-23".parse().unwrap()).unwrap();
//! let renderer = Renderer::new(corpus.clone()).unwrap();
//! let page = corpus
//!     .page("admin/configuration/configuring-github-connect/enabling-automatic-user-license-sync-for-your-enterprise.md")
//!     .unwrap()
//!     .unwrap();
//! let version: Version = corpus.releases().parse_version("3.5").unwrap();
//! let rendered = renderer.render_page(&page, version, Lang::find("ko").unwrap()).unwrap();
//! assert!(rendered.title.contains("라이선스"));
//! ```

mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod corpus;
#[cfg(feature = "emulator")]
pub mod emulator;
pub mod error;
pub mod escape;
pub mod external;
pub mod files;
pub mod findings;
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
pub mod versions;
mod yaml;

// What an embedder reaches for first.
pub use check::{Check, CheckContext};
pub use corpus::{Corpus, Page, Source};
pub use error::{Error, Location, Result};
pub use findings::{Finding, Rule, Severity};
pub use languages::Lang;
pub use plugins::Plugin;
pub use redirects::RedirectMap;
pub use render::plugin::{LiquidRegistry, Preprocess, TagContext};
pub use render::{RenderedPage, Renderer};
pub use versions::{Condition, Release, Version};
