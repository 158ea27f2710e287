//! The integration tests, by subject, in one binary (as mdBook and cargo do):
//! one link instead of one per file. `cargo test --test testsuite SUBJECT::`
//! runs one subject.

mod common;

mod architecture;
mod bad_input;
mod checks;
mod cli;
mod conformance;
mod conformance_2026;
mod current_engine;
mod fuzz;
#[cfg(feature = "emulator")]
mod hostile_server;
mod plugins;
mod properties;
mod render;
mod sanitize;
mod site;
mod snapshots;
#[cfg(feature = "emulator")]
mod sync;
mod versions;
