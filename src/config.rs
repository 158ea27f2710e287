//! `docgate.toml` at the root of a docs tree: what the tree asks of docgate —
//! its default release and languages, the severity of check rules, and its
//! external plugins (see `docs/plugins.md`):
//!
//! ```toml
//! [defaults]
//! release = "3.14"              # when a command is given no --release
//! languages = ["en", "ko"]      # for check and render --all without --lang
//!
//! [check.severity]
//! untranslated-english = "error"   # or "warning", or "off"
//!
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
    /// `[defaults] release`: the docs version when a command is given none.
    pub release: Option<Setting<String>>,
    /// `[defaults] languages`: the languages of `check` and `render --all`.
    pub languages: Option<Setting<Vec<String>>>,
    /// `[check.severity]`: rule id → its severity here.
    pub severities: BTreeMap<String, Setting<SeverityOverride>>,
}

/// A value of the file, with where it is written (for messages and `docgate config`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// Where it is written.
    pub location: Location,
}

/// What `[check.severity]` makes of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeverityOverride {
    /// Its findings are errors (exit 1).
    Error,
    /// Its findings are warnings.
    Warning,
    /// Its findings are dropped.
    Off,
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
    #[serde(default)]
    defaults: Option<RawDefaults>,
    #[serde(default)]
    check: Option<RawCheck>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    #[serde(default)]
    release: Option<toml::Spanned<String>>,
    #[serde(default)]
    languages: Option<toml::Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    #[serde(default)]
    severity: BTreeMap<String, toml::Spanned<String>>,
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
        let defaults = raw.defaults;
        let release = defaults.as_ref().and_then(|d| d.release.clone()).map(|r| Setting {
            location: at(r.span().start),
            value: r.into_inner(),
        });
        let languages = defaults.and_then(|d| d.languages).map(|l| Setting {
            location: at(l.span().start),
            value: l.into_inner(),
        });
        let mut severities = BTreeMap::new();
        for (rule, level) in raw.check.map(|c| c.severity).unwrap_or_default() {
            let value = match level.get_ref().as_str() {
                "error" => SeverityOverride::Error,
                "warning" => SeverityOverride::Warning,
                "off" => SeverityOverride::Off,
                other => {
                    return Err(located(
                        level.span().start,
                        format!("severity `{other}` for `{rule}`: use \"error\", \"warning\" or \"off\""),
                    ));
                }
            };
            severities.insert(
                rule,
                Setting {
                    value,
                    location: at(level.span().start),
                },
            );
        }
        Ok(Config {
            file: Some(file),
            plugins,
            release,
            languages,
            severities,
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
