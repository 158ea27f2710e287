//! `docgate.toml` at the root of a docs tree: what the tree asks of docgate.
//! Today that is its external plugins (see `docs/plugins.md`):
//!
//! ```toml
//! [plugins.shout]
//! command = "python3 plugins/shout.py"
//! timeout = "10s"
//! ```
//!
//! Unknown keys and bad values are errors located at file:line:col.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use crate::corpus::Source;
use crate::error::{Error, Location};

/// The file, relative to the tree's root.
pub const FILE: &str = "docgate.toml";

/// The longest a plugin call may be given.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(600);

/// The default time a plugin call may take.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A tree's configuration (empty when it has no `docgate.toml`).
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file it came from, for messages (`None`: no file).
    pub file: Option<Arc<str>>,
    /// The external plugins, by name.
    pub plugins: BTreeMap<String, PluginConfig>,
}

/// One `[plugins.<name>]` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PluginConfig {
    /// The program and its leading arguments (`command`, split like a shell
    /// would, without a shell).
    pub argv: Vec<String>,
    /// How long one call may take.
    pub timeout: Duration,
    /// Where the table is, for messages.
    pub location: Location,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    plugins: BTreeMap<String, toml::Spanned<RawPlugin>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlugin {
    command: toml::Spanned<String>,
    #[serde(default)]
    timeout: Option<toml::Spanned<String>>,
}

impl Config {
    /// Reads `docgate.toml` of the tree (none: the empty configuration).
    pub fn load(source: &Source) -> Result<Config, Error> {
        match source.read(FILE)? {
            None => Ok(Config::default()),
            Some(text) => Config::parse(&text, source.display(FILE)),
        }
    }

    /// Parses the text of `docgate.toml` (`file` names it in errors).
    ///
    /// ```
    /// let c = docgate::config::Config::parse("[plugins.shout]\ncommand = \"python3 shout.py\"\n", "docgate.toml".into()).unwrap();
    /// assert_eq!(c.plugins["shout"].argv, ["python3", "shout.py"]);
    /// let e = docgate::config::Config::parse("[plugins.shout]\ncomand = \"x\"\n", "docgate.toml".into()).unwrap_err();
    /// assert_eq!(e.location().map(|l| l.line), Some(2));
    /// ```
    pub fn parse(text: &str, file: Arc<str>) -> Result<Config, Error> {
        let at = |offset: usize| Location::at_offset(file.clone(), text, offset, 1);
        let located = |offset: usize, message: String| Error::at(at(offset), message).with_source_text(text.into());
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            located(offset, format!("{FILE}: {}", e.message().trim()))
        })?;
        let mut plugins = BTreeMap::new();
        for (name, table) in raw.plugins {
            let start = table.span().start;
            let table = table.into_inner();
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                return Err(located(
                    start,
                    format!("plugin name `{name}`: use lower-case letters, digits and `-`"),
                ));
            }
            let command = table.command;
            let argv = shlex::split(command.get_ref())
                .filter(|a| !a.is_empty())
                .ok_or_else(|| {
                    located(
                        command.span().start,
                        "`command` is empty or its quotes do not close".into(),
                    )
                })?;
            let timeout = match table.timeout {
                None => DEFAULT_TIMEOUT,
                Some(t) => parse_timeout(t.get_ref()).map_err(|why| located(t.span().start, why))?,
            };
            plugins.insert(
                name,
                PluginConfig {
                    argv,
                    timeout,
                    location: at(start),
                },
            );
        }
        Ok(Config {
            file: Some(file),
            plugins,
        })
    }
}

/// `10s`, `2m`, `500ms`: more than nothing, at most [`MAX_TIMEOUT`].
fn parse_timeout(s: &str) -> Result<Duration, String> {
    let d: jiff::SignedDuration = s
        .parse()
        .map_err(|e| format!("`timeout = \"{s}\"` is not a duration (e.g. \"10s\", \"2m\"): {e}"))?;
    let d = Duration::try_from(d).map_err(|_| format!("`timeout = \"{s}\"` is negative"))?;
    if d.is_zero() || d > MAX_TIMEOUT {
        return Err(format!("`timeout = \"{s}\"` must be more than 0 and at most 10m"));
    }
    Ok(d)
}
