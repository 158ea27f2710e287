//! Progress on stderr for the long runs (`render --all`, `check`, `sync
//! report`). indicatif draws only when stderr is a terminal: pipes, CI logs
//! and tests see nothing.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// A bar over `len` items of `unit` (`pages`, `people`), with `message` before it.
pub fn bar(len: u64, unit: &str, message: &str) -> ProgressBar {
    let template = format!("{{msg}} [{{bar:30}}] {{human_pos}}/{{human_len}} {unit} ({{eta}} left)");
    let style = ProgressStyle::with_template(&template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    ProgressBar::new(len)
        .with_style(style)
        .with_message(message.to_string())
}

/// A spinner for work whose size is not known, with `message` beside it.
pub fn spinner(message: &str) -> ProgressBar {
    let pb = ProgressBar::new_spinner().with_message(message.to_string());
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}
