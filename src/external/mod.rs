//! External plugins: programs that add Liquid tags, a preprocessing step and
//! checks through a JSON protocol on stdin and stdout, the way mdBook's
//! preprocessors work. The protocol is documented in `docs/plugins.md`; this
//! module runs a plugin ([`External::call`]) and adapts its hooks to docgate's
//! own extension points (a Liquid tag, a [`Preprocess`] step, a [`Check`]).
//!
//! A plugin runs with a limit on its time and on what it prints, without the
//! tokens of the environment; every way it can fail is an error that names it.

mod process;

pub use process::{clean_env, is_secret_name};

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use liquid_core::parser::{ParseTag, TagReflection, TagTokenIter};
use liquid_core::{Language, Renderable, Runtime};
use serde_json::{Map, Value, json};

use crate::check::{Check, CheckContext};
use crate::config::PluginConfig;
use crate::error::{Error, Location};
use crate::findings::{Finding, Severity};
use crate::render::plugin::{LiquidRegistry, PageInfo, Preprocess, TagContext, tag_location};

/// The protocol version docgate speaks.
pub const PROTOCOL: u64 = 1;

/// A started external plugin: its command and what its handshake declared.
#[derive(Clone, Debug)]
pub struct External {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    name: String,
    argv: Vec<String>,
    cwd: PathBuf,
    timeout: Duration,
    hooks: Vec<String>,
    tags: Vec<String>,
}

/// The hooks a plugin may declare.
pub const HOOKS: [&str; 3] = ["preprocess", "tag", "check"];

impl External {
    /// Starts plugin `name`: runs its `supports` handshake in `cwd` (the tree's root).
    pub fn start(name: &str, config: &PluginConfig, cwd: &Path) -> Result<External, Error> {
        let mut plugin = External {
            inner: Arc::new(Inner {
                name: name.to_string(),
                argv: config.argv.clone(),
                cwd: cwd.to_path_buf(),
                timeout: config.timeout,
                hooks: Vec::new(),
                tags: Vec::new(),
            }),
        };
        let reply = plugin.call("supports", Map::new())?;
        let bad = |why: String| plugin.error("supports", why);
        if reply.get("protocol").and_then(Value::as_u64) != Some(PROTOCOL) {
            return Err(bad(format!(
                "it speaks protocol {}, docgate speaks {PROTOCOL}",
                reply.get("protocol").map_or("(none)".into(), Value::to_string)
            )));
        }
        let strings = |key: &str| -> Result<Vec<String>, Error> {
            match reply.get(key) {
                None => Ok(Vec::new()),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|i| {
                        i.as_str()
                            .map(str::to_string)
                            .ok_or_else(|| bad(format!("`{key}` must list strings")))
                    })
                    .collect(),
                Some(_) => Err(bad(format!("`{key}` must be a list"))),
            }
        };
        let hooks = strings("hooks")?;
        if let Some(h) = hooks.iter().find(|h| !HOOKS.contains(&h.as_str())) {
            return Err(bad(format!(
                "unknown hook `{}` (docgate has {})",
                crate::escape::untrusted_line(h),
                HOOKS.join(", ")
            )));
        }
        let tags = strings("tags")?;
        if let Some(t) = tags
            .iter()
            .find(|t| t.is_empty() || !t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        {
            return Err(bad(format!("`{}` is not a tag name", crate::escape::untrusted_line(t))));
        }
        if !tags.is_empty() && !hooks.iter().any(|h| h == "tag") {
            return Err(bad("it names tags but not the `tag` hook".into()));
        }
        let inner = Arc::get_mut(&mut plugin.inner).expect("not shared yet");
        inner.hooks = hooks;
        inner.tags = tags;
        Ok(plugin)
    }

    /// The plugin's name (its `[plugins.<name>]`).
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// Whether its handshake declared `hook`.
    pub fn has(&self, hook: &str) -> bool {
        self.inner.hooks.iter().any(|h| h == hook)
    }

    /// The Liquid tags it renders.
    pub fn tags(&self) -> &[String] {
        &self.inner.tags
    }

    fn error(&self, hook: &str, why: impl std::fmt::Display) -> Error {
        Error::input(format!("plugin `{}` ({hook}): {why}", self.inner.name)).with_help(format!(
            "the plugin runs as `{} {hook}` in {}, with the request on stdin (see docs/plugins.md)",
            self.inner.argv.join(" "),
            self.inner.cwd.display()
        ))
    }

    /// One call: `COMMAND hook` with `request` (plus `protocol`, `docgate`,
    /// `hook`) on stdin; the reply must be a JSON object.
    pub fn call(&self, hook: &str, mut request: Map<String, Value>) -> Result<Map<String, Value>, Error> {
        request.insert("protocol".into(), PROTOCOL.into());
        request.insert("docgate".into(), env!("CARGO_PKG_VERSION").into());
        request.insert("hook".into(), hook.into());
        let input = serde_json::to_vec(&Value::Object(request)).map_err(|e| self.error(hook, e))?;
        let out = process::run(&self.inner.argv, &[hook], &self.inner.cwd, &input, self.inner.timeout)
            .map_err(|why| self.error(hook, why))?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        if !stderr.trim().is_empty() {
            for line in stderr.lines().take(20) {
                eprintln!("[{}] {}", self.inner.name, crate::escape::untrusted_line(line));
            }
        }
        match serde_json::from_slice::<Value>(&out.stdout) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(other) => Err(self.error(
                hook,
                format!("the reply is JSON but not an object: {}", kind_of(&other)),
            )),
            Err(e) => {
                let shown: String = String::from_utf8_lossy(&out.stdout).chars().take(80).collect();
                Err(self.error(
                    hook,
                    format!(
                        "the reply is not JSON ({e}); it began with “{}”",
                        crate::escape::untrusted_line(&shown)
                    ),
                ))
            }
        }
    }

    /// The string `key` of a reply, or an error naming the plugin.
    fn text(&self, hook: &str, reply: &Map<String, Value>, key: &str) -> Result<String, Error> {
        match reply.get(key) {
            Some(Value::String(s)) => Ok(s.clone()),
            _ => Err(self.error(hook, format!("the reply has no string `{key}`"))),
        }
    }

    /// Adds the plugin's tags and preprocessing step to a Liquid language.
    pub fn register_liquid(&self, registry: &mut LiquidRegistry) {
        for t in self.tags() {
            registry.tag(ExternalTag {
                plugin: self.clone(),
                name: t.clone(),
            });
        }
        if self.has("preprocess") {
            registry.preprocess(self.clone());
        }
    }

    /// The plugin's check, when it declared one.
    pub fn check(&self) -> Option<Box<dyn Check>> {
        self.has("check").then(|| Box::new(self.clone()) as Box<dyn Check>)
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn page_json(page: PageInfo<'_>) -> Value {
    json!({
        "path": page.path,
        "version": page.version.to_string(),
        "language": page.lang.code(),
    })
}

impl Preprocess for External {
    fn name(&self) -> &str {
        &self.inner.name
    }

    fn run(&self, page: PageInfo<'_>, markdown: String) -> Result<String, Error> {
        let mut request = Map::new();
        request.insert("page".into(), page_json(page));
        request.insert("markdown".into(), markdown.into());
        let reply = self.call("preprocess", request)?;
        self.text("preprocess", &reply, "markdown")
    }
}

impl Check for External {
    fn name(&self) -> &'static str {
        crate::findings::intern(&self.inner.name)
    }

    fn description(&self) -> &'static str {
        "an external plugin's check"
    }

    fn run(&self, cx: &CheckContext<'_>) -> Result<Vec<Finding>, Error> {
        let corpus = cx.corpus;
        let root = match corpus.source() {
            crate::corpus::Source::Disk(d) => Value::String(d.root().display().to_string()),
            crate::corpus::Source::Embedded => Value::Null,
        };
        let mut pages = Vec::new();
        for path in corpus.page_paths()? {
            pages
                .push(json!({ "path": path, "file": corpus.source().display(&format!("content/{path}")).to_string() }));
        }
        let mut versions: Vec<crate::versions::Version> =
            vec![crate::versions::Version::Fpt, crate::versions::Version::Ghec];
        versions.extend(
            corpus
                .releases()
                .releases()
                .iter()
                .map(|r| crate::versions::Version::Ghes(r.release)),
        );
        let versions: Vec<String> = corpus
            .releases()
            .select(cx.versions, &versions)
            .iter()
            .map(ToString::to_string)
            .collect();
        let mut request = Map::new();
        request.insert("root".into(), root);
        request.insert("versions".into(), json!(versions));
        request.insert(
            "languages".into(),
            json!(cx.langs.iter().map(|l| l.code()).collect::<Vec<_>>()),
        );
        request.insert("pages".into(), Value::Array(pages));
        let reply = self.call("check", request)?;
        let Some(Value::Array(items)) = reply.get("findings") else {
            return Err(self.error("check", "the reply has no list `findings`"));
        };
        let check = Check::name(self);
        items
            .iter()
            .map(|f| {
                let field = |k: &str| f.get(k).and_then(Value::as_str);
                let (Some(rule), Some(severity), Some(file), Some(message)) =
                    (field("rule"), field("severity"), field("file"), field("message"))
                else {
                    return Err(self.error(
                        "check",
                        "each finding needs `rule`, `severity`, `file` and `message` strings",
                    ));
                };
                let severity = match severity {
                    "error" => Severity::Error,
                    "warning" => Severity::Warning,
                    other => {
                        return Err(self.error(
                            "check",
                            format!(
                                "severity `{}` is neither `error` nor `warning`",
                                crate::escape::untrusted_line(other)
                            ),
                        ));
                    }
                };
                let line = f.get("line").and_then(Value::as_u64).unwrap_or(0) as usize;
                let mut finding = Finding::new(
                    check,
                    crate::findings::intern(rule),
                    severity,
                    file.into(),
                    line,
                    message.to_string(),
                );
                finding.column = f.get("column").and_then(Value::as_u64).map(|c| c as usize);
                Ok(finding)
            })
            .collect()
    }
}

/// `{% name args %}` of a plugin's tag.
#[derive(Clone)]
struct ExternalTag {
    plugin: External,
    name: String,
}

impl TagReflection for ExternalTag {
    fn tag(&self) -> &str {
        &self.name
    }

    fn description(&self) -> &str {
        "a tag rendered by an external plugin"
    }
}

impl ParseTag for ExternalTag {
    fn parse(&self, args: TagTokenIter, _lang: &Language) -> liquid_core::Result<Box<dyn Renderable>> {
        let mut location = None;
        let mut tokens = Vec::new();
        for t in args {
            if location.is_none() {
                location = tag_location(t.as_str());
            }
            tokens.push(t.as_str().to_string());
        }
        Ok(Box::new(ExternalCall {
            plugin: self.plugin.clone(),
            tag: self.name.clone(),
            location,
            args: tokens.join(" "),
        }))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct ExternalCall {
    plugin: External,
    tag: String,
    args: String,
    location: Option<Location>,
}

impl Renderable for ExternalCall {
    fn render_to(&self, writer: &mut dyn std::io::Write, rt: &dyn Runtime) -> liquid_core::Result<()> {
        let cx = TagContext::new(rt)?;
        let mut request = Map::new();
        request.insert("tag".into(), self.tag.clone().into());
        request.insert("args".into(), self.args.clone().into());
        request.insert(
            "page".into(),
            json!({ "version": cx.version().to_string(), "language": cx.language().code() }),
        );
        request.insert(
            "location".into(),
            self.location.as_ref().map_or(
                Value::Null,
                |l| json!({ "file": l.file.to_string(), "line": l.line, "column": l.column }),
            ),
        );
        let reply = self.plugin.call("tag", request).map_err(|e| cx.fail(e))?;
        if let Some(Value::String(why)) = reply.get("error") {
            return Err(cx.error_at(
                self.location.clone(),
                format!(
                    "{{% {} %}} (plugin `{}`): {}",
                    self.tag,
                    self.plugin.name(),
                    crate::escape::untrusted_line(why)
                ),
            ));
        }
        let text = self.plugin.text("tag", &reply, "text").map_err(|e| cx.fail(e))?;
        writer
            .write_all(text.as_bytes())
            .map_err(|e| liquid_core::Error::with_msg(e.to_string()))
    }
}
