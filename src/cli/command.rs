//! `docgate NAME …` for a command docgate does not have: an external plugin's
//! `command` hook (docgate.toml), else `docgate-NAME` on `PATH`, as cargo runs
//! `cargo-NAME`. The program gets the terminal, the arguments after NAME
//! (after the word `command`), and an environment without tokens.

use std::ffi::OsString;
use std::path::PathBuf;

use super::Context;
use crate::error::Error;

pub fn run(ctx: &Context, args: &[OsString]) -> Result<i32, Error> {
    let name = args
        .first()
        .map(|a| a.to_string_lossy().to_string())
        .unwrap_or_default();
    let rest = &args[1.min(args.len())..];
    let corpus = ctx.corpus()?;
    let config = ctx.config()?;
    let (argv, cwd): (Vec<OsString>, PathBuf) = match config.plugins.get(&name) {
        Some(plugin) => {
            if !ctx.allow_plugins {
                return Err(Error::usage(format!(
                    "`{name}` is a plugin of the tree's docgate.toml: it runs only with --allow-plugins"
                )));
            }
            let root = match corpus.source() {
                crate::corpus::Source::Disk(d) => d.root().to_path_buf(),
                crate::corpus::Source::Embedded => PathBuf::from("."),
            };
            (plugin.argv.iter().map(OsString::from).collect(), root)
        }
        None => match on_path(&format!("docgate-{name}")) {
            Some(program) => (vec![program.into_os_string()], PathBuf::from(".")),
            None => return Err(unknown(&name)),
        },
    };
    let mut cmd = std::process::Command::new(&argv[0]);
    cmd.args(&argv[1..]).arg("command").args(rest).current_dir(&cwd);
    crate::external::clean_env(&mut cmd);
    if let Some(root) = &ctx.root {
        cmd.env("DOCGATE_ROOT", root);
    }
    let status = cmd.status().map_err(|e| {
        Error::usage(format!(
            "cannot start `{}` for `docgate {name}`: {e}",
            argv[0].to_string_lossy()
        ))
    })?;
    // A plugin killed by a signal ends docgate as a failure, like a crash.
    Ok(status.code().unwrap_or(2))
}

/// The executable `program` in a folder of `PATH`.
fn on_path(program: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file() && p.metadata().is_ok_and(|m| m.permissions().mode() & 0o111 != 0))
}

/// Neither a command nor a plugin: clap's own message, with the nearest command.
fn unknown(name: &str) -> Error {
    let cmd = super::command();
    let known: Vec<String> = cmd
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_string())
        .collect();
    let mut err = Error::usage(format!(
        "`{}` is not a docgate command, a plugin of docgate.toml, or a `docgate-{0}` on PATH",
        crate::escape::untrusted_line(name)
    ));
    err = match super::nearest(name, known.iter().map(String::as_str)) {
        Some(n) => err.with_help(format!("did you mean `docgate {n}`?")),
        None => err.with_help(format!("the commands are: {}", known.join(", "))),
    };
    err
}
