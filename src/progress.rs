//! Progress on stderr for the long runs (`render --all`, `check`, `sync
//! report`). indicatif draws only when stderr is a terminal: pipes, CI logs
//! and tests see nothing. Log lines written meanwhile go through [`LogWriter`],
//! which lifts the bar while they print.

use std::io::Write;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle, WeakProgressBar};

/// The bar on screen, if any.
static ACTIVE: Mutex<Option<WeakProgressBar>> = Mutex::new(None);

fn show(pb: ProgressBar) -> ProgressBar {
    if let Ok(mut active) = ACTIVE.lock() {
        *active = Some(pb.downgrade());
    }
    pb
}

/// A bar over `len` items of `unit` (`pages`, `people`), with `message` before it.
pub fn bar(len: u64, unit: &str, message: &str) -> ProgressBar {
    let template = format!("{{msg}} [{{bar:30}}] {{human_pos}}/{{human_len}} {unit} ({{eta}} left)");
    let style = ProgressStyle::with_template(&template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    show(
        ProgressBar::new(len)
            .with_style(style)
            .with_message(message.to_string()),
    )
}

/// Advances `pb` by `n`, growing its length when the estimate was short.
pub fn advance(pb: &ProgressBar, n: u64) {
    pb.inc(n);
    if pb.length().is_some_and(|len| pb.position() > len) {
        pb.set_length(pb.position());
    }
}

/// A spinner for work whose size is not known, with `message` beside it.
pub fn spinner(message: &str) -> ProgressBar {
    let pb = ProgressBar::new_spinner().with_message(message.to_string());
    pb.enable_steady_tick(Duration::from_millis(120));
    show(pb)
}

/// Where log lines go (`tracing_subscriber::fmt().with_writer(LogWriter)`):
/// stderr, with the progress bar lifted while a line prints.
pub struct LogWriter;

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogWriter {
    type Writer = LogLine;

    fn make_writer(&'a self) -> LogLine {
        LogLine(Vec::new())
    }
}

/// One log record, written to stderr when dropped.
pub struct LogLine(Vec<u8>);

impl Write for LogLine {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for LogLine {
    fn drop(&mut self) {
        let bytes = std::mem::take(&mut self.0);
        let emit = || {
            let _ = std::io::stderr().write_all(&bytes);
        };
        let active = ACTIVE
            .lock()
            .ok()
            .and_then(|a| a.as_ref().and_then(WeakProgressBar::upgrade));
        match active {
            Some(pb) if !pb.is_finished() => pb.suspend(emit),
            _ => emit(),
        }
    }
}
