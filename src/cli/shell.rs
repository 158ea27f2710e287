//! Shell integration: `docgate completions <shell>` and `docgate man`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use crate::error::Error;

/// `docgate completions <SHELL>`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// `docgate man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write one page per command (docgate.1, docgate-render.1, …) into this
    /// folder instead of printing docgate(1).
    #[arg(long, short = 'o', value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Prints the completion script (`source <(docgate completions bash)`).
pub fn completions(args: &CompletionsArgs) -> Result<i32, Error> {
    let mut cmd = super::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "docgate", &mut out);
    write_stdout(&out)
}

/// Prints docgate(1), or writes every command's page into `--out`.
pub fn man(args: &ManArgs) -> Result<i32, Error> {
    let cmd = super::command();
    match &args.out {
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut out)
                .map_err(|e| Error::io("man page", e))?;
            write_stdout(&out)
        }
        Some(dir) => {
            if dir.is_file() {
                return Err(Error::usage(format!(
                    "--out {}: a file; man pages go into a folder",
                    crate::escape::untrusted_line(&dir.display().to_string())
                )));
            }
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display(), e))?;
            clap_mangen::generate_to(cmd, dir).map_err(|e| Error::io(dir.display(), e))?;
            let mut names: Vec<String> = std::fs::read_dir(dir)
                .map_err(|e| Error::io(dir.display(), e))?
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.ends_with(".1"))
                .collect();
            names.sort();
            eprintln!("wrote {} man pages into {}", names.len(), dir.display());
            Ok(0)
        }
    }
}

fn write_stdout(bytes: &[u8]) -> Result<i32, Error> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        Ok(()) => Ok(0),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(Error::io("stdout", e)),
    }
}
