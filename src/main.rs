//! The `docgate` binary: parse the command line, call the library, map errors to
//! exit codes (0 ok, 1 findings, 2 usage/input error, 3 network/sync failure).

use std::io::IsTerminal;

/// mimalloc for the binary (see Cargo.toml); the library leaves the choice to its user.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // A closed pipe (`docgate … | head`) ends the process quietly, as it does grep,
    // instead of a panic on the next print.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // Logs: warnings (HTTP retries) by default; `DOCGATE_LOG=debug` shows every request.
    let filter = tracing_subscriber::EnvFilter::try_from_env("DOCGATE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(docgate::progress::LogWriter)
        .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .without_time()
        .with_target(false)
        .init();
    let cli = docgate::cli::parse();
    let code = match docgate::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            let tty = std::io::stderr().is_terminal();
            let _ = miette::set_hook(Box::new(move |_| {
                Box::new(
                    miette::MietteHandlerOpts::new()
                        .terminal_links(false)
                        // Logs and pipes get one line per message, greppable as file:line:col.
                        .wrap_lines(tty)
                        .unicode(tty)
                        .color(tty && std::env::var_os("NO_COLOR").is_none())
                        .build(),
                )
            }));
            let code = err.exit_code();
            // Messages carry server text already escaped; the token is redacted once more, wherever it hides.
            let report = format!("{:?}", miette::Report::new(err));
            eprintln!("{}", docgate::escape::redact(&report));
            code
        }
    };
    std::process::exit(code);
}
