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

/// The bar's style: with a message of up to 20 columns and up to 99,999 items,
/// a line fits 80 columns.
fn bar_style(unit: &str) -> ProgressStyle {
    let template = format!("{{msg}} [{{bar:20}}] {{human_pos}}/{{human_len}} {unit} ({{eta}} left)");
    ProgressStyle::with_template(&template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

/// A bar over `len` items of `unit` (`pages`, `people`), with `message` (up to
/// 20 columns) before it.
pub fn bar(len: u64, unit: &str, message: &str) -> ProgressBar {
    show(
        ProgressBar::new(len)
            .with_style(bar_style(unit))
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

/// A spinner for a wait (`sync trigger`, `sync upload`): the time waited, then
/// `message` (what is awaited, the next poll), cut to the terminal's width.
/// Update the message with [`ProgressBar::set_message`].
pub fn waiting(message: &str) -> ProgressBar {
    let style = ProgressStyle::with_template("{spinner} {elapsed:>4} {wide_msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    // Cleared however the wait ends, an error included.
    let pb = ProgressBar::new_spinner()
        .with_style(style)
        .with_message(message.to_string())
        .with_finish(indicatif::ProgressFinish::AndClear);
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

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use indicatif::{ProgressDrawTarget, TermLike};

    use super::*;

    /// A terminal of `width` columns that keeps the last line drawn.
    #[derive(Debug, Clone)]
    struct Screen(u16, Arc<Mutex<String>>);

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            self.0
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.write_str(&format!("{s}\n"))
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            self.1.lock().unwrap().push_str(s);
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn drawn(pb: &ProgressBar, width: u16) -> String {
        let screen = Screen(width, Arc::default());
        pb.disable_steady_tick();
        pb.set_draw_target(ProgressDrawTarget::term_like(Box::new(screen.clone())));
        pb.tick();
        // The widest line drawn, whatever the pieces it was written in.
        let text = screen.1.lock().unwrap().clone();
        text.lines()
            .max_by_key(|l| l.trim().len())
            .unwrap_or_default()
            .to_string()
    }

    #[test]
    fn the_report_bar_fits_80_columns() {
        let pb = ProgressBar::new(99_999)
            .with_style(bar_style("people"))
            .with_message("consumed licenses");
        pb.set_position(54_321);
        let line = drawn(&pb, 80);
        assert!(line.contains("54,321/99,999 people"), "{line:?}");
        assert!(unicode_width::UnicodeWidthStr::width(line.as_str()) <= 80, "{line:?}");
    }

    #[test]
    fn a_wait_fits_the_terminal() {
        let pb = waiting(&format!("waiting for a sync of {}: next poll in 12s", "h".repeat(200)));
        let line = drawn(&pb, 60);
        pb.finish_and_clear();
        assert!(line.contains("waiting for a sync of hhh"), "{line:?}");
        assert!(unicode_width::UnicodeWidthStr::width(line.as_str()) <= 60, "{line:?}");
    }
}
