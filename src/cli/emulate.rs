//! `docgate emulate`: a local GHES + GHEC for trying `docgate sync`.

use clap::{Args, Subcommand};

use crate::emulator::{self, Emulator, Fault};
use crate::error::Error;

#[derive(Debug, Args)]
pub struct EmulateArgs {
    /// The port on 127.0.0.1 (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The GHES version to emulate (the same option as `sync --ghes-version`).
    #[arg(long, default_value = "3.22.0", value_name = "VERSION")]
    ghes_version: String,
    /// People in the consumed-licenses report.
    #[arg(long, default_value_t = 200, value_name = "N")]
    users: usize,
    /// The enterprise slug on GHEC (the same option as `sync --enterprise`).
    #[arg(long, default_value = "acme", value_name = "SLUG")]
    enterprise: String,
    /// The instance's hostname as the emulated GHEC lists it in license-sync-status
    /// (the same option as `sync --ghes-host`).
    #[arg(
        long = "ghes-host",
        alias = "hostname",
        default_value = "ghes.example.com",
        value_name = "HOST"
    )]
    hostname: String,
    /// Leave `installed_version` out of `/api/v3/meta` (the version header stays).
    #[arg(long)]
    no_meta_version: bool,
    /// Faults to inject: KIND[@ROUTE][*COUNT] (500|502|503, 429, 403-ratelimit, slow=MS, reset, malformed, truncated).
    #[arg(long, value_name = "FAULT")]
    fault: Vec<String>,
    #[command(subcommand)]
    command: Option<EmulateCommand>,
}

#[derive(Debug, Subcommand)]
enum EmulateCommand {
    /// Act as `ssh` to the GHES administrative shell: `--ssh "docgate emulate shell --ghes-version 3.12"`.
    Shell {
        /// The GHES version whose ghe-license commands the shell answers.
        #[arg(long, default_value = "3.22.0", value_name = "VERSION")]
        ghes_version: String,
        /// People in the exported license usage.
        #[arg(long, default_value_t = 200, value_name = "N")]
        users: usize,
        /// What ssh would get: -p 122 admin@HOST COMMAND…
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
}

pub fn emulate(args: EmulateArgs) -> Result<i32, Error> {
    if let Some(EmulateCommand::Shell {
        ghes_version,
        users,
        args,
    }) = &args.command
    {
        let a = emulator::shell::answer(ghes_version, *users, args);
        print!("{}", a.stdout);
        eprint!("{}", a.stderr);
        return Ok(a.status);
    }
    let faults = args
        .fault
        .iter()
        .map(|f| Fault::parse(f))
        .collect::<Result<Vec<_>, _>>()?;
    let config = emulator::Config {
        ghes_version: args.ghes_version.clone(),
        users: args.users,
        enterprise: args.enterprise.clone(),
        hostname: args.hostname.clone(),
        meta_version: !args.no_meta_version,
        faults,
        ..emulator::Config::default()
    };
    let admin = config.admin_token.clone();
    let user = config.user_token.clone();
    let emu = Emulator::start(config, args.port)?;
    println!("{}", emu.url());
    eprintln!(
        "emulating GHES {} ({}) and GHEC enterprise `{}` with {} people on {}\n\
         admin token: {admin}   non-admin token: {user}\n\
         web-UI actions: POST {url}/_emulator/sync-now | /_emulator/upload | /_emulator/fail-sync; GET {url}/_emulator/state\n\
         stop with Ctrl-C",
        args.ghes_version,
        args.hostname,
        args.enterprise,
        args.users,
        emu.url(),
        url = emu.url(),
    );
    // Ready to paste: the README's sync examples then run against this emulator.
    eprintln!(
        "\n# to point `docgate sync …` at this emulator, paste:\n\
         export DOCGATE_GHES_URL={url} DOCGATE_GHEC_URL={url} DOCGATE_ENTERPRISE={} DOCGATE_GHES_HOST={}\n\
         export GITHUB_TOKEN={admin} GHES_TOKEN={admin}\n\
         S=\"\"",
        crate::escape::untrusted_line(&args.enterprise),
        crate::escape::untrusted_line(&args.hostname),
        url = emu.url(),
    );
    emu.wait();
    Ok(0)
}
