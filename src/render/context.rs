//! The Liquid context of a render: what content can read with `{{ … }}` and
//! `{% if … %}`, as the reference engine provides it, and liquidjs's leniency
//! (a name the context does not have is `nil`, not an error).

use std::fmt;

use liquid_core::model::{DisplayCow, KStringCow, ObjectView, State, Value, ValueView};
use liquid_core::{Object, object};
use ref_cast::RefCast;

use crate::corpus::Corpus;
use crate::languages::Lang;
use crate::versions::{Plan, ReleaseStatus, Version};

/// Globals that answer an undefined value for names they do not have.
#[derive(Debug)]
pub struct Globals<'a>(pub &'a Object);

/// An undefined value: renders empty, is falsy, iterates as empty, and any
/// index into it is undefined too (so `{{ a.b.c }}` on a missing `a` is empty).
#[derive(Debug)]
pub struct Undefined;

static UNDEFINED: Undefined = Undefined;

impl ValueView for Undefined {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        DisplayCow::Borrowed(&"")
    }
    fn source(&self) -> DisplayCow<'_> {
        DisplayCow::Borrowed(&"nil")
    }
    fn type_name(&self) -> &'static str {
        "nil"
    }
    fn query_state(&self, state: State) -> bool {
        !matches!(state, State::Truthy)
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        KStringCow::from_static("")
    }
    fn to_value(&self) -> Value {
        Value::Nil
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        Some(self)
    }
    fn is_nil(&self) -> bool {
        true
    }
}

impl ObjectView for Undefined {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        0
    }
    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        Box::new(std::iter::empty())
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        Box::new(std::iter::empty())
    }
    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        Box::new(std::iter::empty())
    }
    fn contains_key(&self, _index: &str) -> bool {
        true
    }
    fn get<'s>(&'s self, _index: &str) -> Option<&'s dyn ValueView> {
        Some(&UNDEFINED)
    }
}

impl ValueView for Globals<'_> {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        self.0.render()
    }
    fn source(&self) -> DisplayCow<'_> {
        self.0.source()
    }
    fn type_name(&self) -> &'static str {
        "object"
    }
    fn query_state(&self, state: State) -> bool {
        self.0.query_state(state)
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        self.0.to_kstr()
    }
    fn to_value(&self) -> Value {
        self.0.to_value()
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        Some(self)
    }
}

impl ObjectView for Globals<'_> {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        ObjectView::size(self.0)
    }
    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        ObjectView::keys(self.0)
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        ObjectView::values(self.0)
    }
    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        ObjectView::iter(self.0)
    }
    fn contains_key(&self, _index: &str) -> bool {
        true
    }
    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        Some(match self.0.get(index) {
            Some(v) => Lenient::ref_cast(v),
            None => &UNDEFINED,
        })
    }
}

/// A value of the globals seen as liquidjs sees it: a key an object does not
/// have, or an index past an array's end, is undefined (renders empty, is
/// falsy) instead of an error (`{{ allVersions[currentVersion].newKey }}`).
#[derive(Debug, RefCast)]
#[repr(transparent)]
pub struct Lenient(Value);

impl ValueView for Lenient {
    fn as_debug(&self) -> &dyn fmt::Debug {
        self
    }
    fn render(&self) -> DisplayCow<'_> {
        self.0.render()
    }
    fn source(&self) -> DisplayCow<'_> {
        self.0.source()
    }
    fn type_name(&self) -> &'static str {
        self.0.type_name()
    }
    fn query_state(&self, state: State) -> bool {
        self.0.query_state(state)
    }
    fn to_kstr(&self) -> KStringCow<'_> {
        self.0.to_kstr()
    }
    fn to_value(&self) -> Value {
        self.0.clone()
    }
    fn as_scalar(&self) -> Option<liquid_core::model::ScalarCow<'_>> {
        self.0.as_scalar()
    }
    fn as_array(&self) -> Option<&dyn liquid_core::model::ArrayView> {
        self.0.as_array().map(|_| self as &dyn liquid_core::model::ArrayView)
    }
    fn as_object(&self) -> Option<&dyn ObjectView> {
        self.0.as_object().map(|_| self as &dyn ObjectView)
    }
    fn as_state(&self) -> Option<State> {
        self.0.as_state()
    }
    fn is_nil(&self) -> bool {
        self.0.is_nil()
    }
}

impl ObjectView for Lenient {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        self.0.as_object().map_or(0, |o| o.size())
    }
    fn keys<'k>(&'k self) -> Box<dyn Iterator<Item = KStringCow<'k>> + 'k> {
        match &self.0 {
            Value::Object(o) => Box::new(o.keys().map(|k| KStringCow::from(k.as_str()))),
            _ => Box::new(std::iter::empty()),
        }
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        match &self.0 {
            Value::Object(o) => Box::new(o.values().map(|v| Lenient::ref_cast(v) as &dyn ValueView)),
            _ => Box::new(std::iter::empty()),
        }
    }
    fn iter<'k>(&'k self) -> Box<dyn Iterator<Item = (KStringCow<'k>, &'k dyn ValueView)> + 'k> {
        match &self.0 {
            Value::Object(o) => Box::new(
                o.iter()
                    .map(|(k, v)| (KStringCow::from(k.as_str()), Lenient::ref_cast(v) as &dyn ValueView)),
            ),
            _ => Box::new(std::iter::empty()),
        }
    }
    fn contains_key(&self, index: &str) -> bool {
        index != "size" || self.0.as_object().is_some_and(|o| o.contains_key(index))
    }
    fn get<'s>(&'s self, index: &str) -> Option<&'s dyn ValueView> {
        match &self.0 {
            Value::Object(o) => match o.get(index) {
                Some(v) => Some(Lenient::ref_cast(v)),
                // `size` of an object is computed by the runtime when it has no such key.
                None if index == "size" => None,
                None => Some(&UNDEFINED),
            },
            _ => None,
        }
    }
}

impl liquid_core::model::ArrayView for Lenient {
    fn as_value(&self) -> &dyn ValueView {
        self
    }
    fn size(&self) -> i64 {
        self.0.as_array().map_or(0, |a| a.size())
    }
    fn values<'k>(&'k self) -> Box<dyn Iterator<Item = &'k dyn ValueView> + 'k> {
        match &self.0 {
            Value::Array(a) => Box::new(a.iter().map(|v| Lenient::ref_cast(v) as &dyn ValueView)),
            _ => Box::new(std::iter::empty()),
        }
    }
    fn contains_key(&self, index: i64) -> bool {
        self.0.as_array().is_some_and(|a| a.contains_key(index))
    }
    fn get(&self, index: i64) -> Option<&dyn ValueView> {
        let Value::Array(a) = &self.0 else { return None };
        let len = a.len() as i64;
        let i = if index < 0 { index + len } else { index };
        match usize::try_from(i).ok().and_then(|i| <[Value]>::get(a, i)) {
            Some(v) => Some(Lenient::ref_cast(v)),
            None => Some(&UNDEFINED),
        }
    }
}

/// The REST API's calendar versions (`data/tables/rest-api-versions.yml`),
/// newest first.
fn rest_api_versions(corpus: &Corpus) -> Vec<String> {
    let Ok(doc) = corpus.yaml_data("data/tables/rest-api-versions.yml") else {
        return Vec::new();
    };
    let mut v: Vec<String> = doc
        .get("versions")
        .and_then(serde_json::Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    v.sort_unstable_by(|a, b| b.cmp(a));
    v
}

/// The REST API versions of `v`: all of them where the `api-date-versioning`
/// feature is on, none elsewhere. (The reference reads them per version from
/// its OpenAPI config, which docs trees do not contain.)
fn api_versions(v: Version, corpus: &Corpus) -> Vec<String> {
    let on = corpus
        .features()
        .ok()
        .and_then(|f| f.is_enabled("api-date-versioning", v))
        .unwrap_or(false);
    if on { rest_api_versions(corpus) } else { Vec::new() }
}

/// `2026-03-10` → `Tue, 10 Mar 2026`, as the reference shows a version's date.
fn long_date(date: &str) -> Option<String> {
    let d: jiff::civil::Date = date.parse().ok()?;
    Some(d.strftime("%a, %d %b %Y").to_string())
}

fn version_object(v: Version, corpus: &Corpus) -> Object {
    let latest = corpus.releases().latest();
    let apis = api_versions(v, corpus);
    let latest_release = match v {
        Version::Ghes(_) => latest.to_string(),
        _ => "latest".to_string(),
    };
    object!({
        "version": v.to_string(),
        "versionTitle": v.title(),
        "currentRelease": v.current_release(),
        "latestVersion": match v { Version::Ghes(_) => Version::Ghes(latest).to_string(), other => other.to_string() },
        "latestRelease": latest_release,
        "plan": v.plan().name(),
        "planTitle": v.plan().title(),
        "shortName": v.short_name(),
        "hasNumberedReleases": v.release().is_some(),
        "nonEnterpriseDefault": v == Version::Fpt,
        "apiVersions": strings(apis.clone()),
        "latestApiVersion": apis.first().cloned().unwrap_or_default(),
    })
}

fn strings(items: impl IntoIterator<Item = String>) -> Value {
    Value::Array(items.into_iter().map(Value::scalar).collect())
}

/// The globals for one version and language: `currentVersion`,
/// `currentLanguage`, `currentRelease`, `currentVersionShortName`, one boolean
/// per plan short name and per feature, `allVersions`,
/// `enterpriseServerReleases` and `enterpriseServerVersions`.
pub fn globals(corpus: &Corpus, version: Version, lang: Lang) -> Object {
    let table = corpus.releases();
    let mut o = Object::new();
    o.insert("currentVersion".into(), Value::scalar(version.to_string()));
    o.insert("currentLanguage".into(), Value::scalar(lang.code()));
    o.insert("currentRelease".into(), Value::scalar(version.current_release()));
    o.insert("currentVersionShortName".into(), Value::scalar(version.short_name()));
    o.insert(
        "currentVersionObj".into(),
        Value::Object(version_object(version, corpus)),
    );
    for plan in Plan::ALL {
        o.insert(plan.short_name().into(), Value::scalar(version.plan() == plan));
    }
    if let Ok(features) = corpus.features() {
        for name in features.names() {
            let on = features.is_enabled(name, version).unwrap_or(false);
            o.insert(name.to_string().into(), Value::scalar(on));
        }
    }
    // Every version a page can be rendered for, by key.
    let mut all = Object::new();
    let released = table.released().map(Version::Ghes);
    for v in [Version::Fpt, Version::Ghec]
        .into_iter()
        .chain(released)
        .chain([Version::Ghae, version])
    {
        all.insert(v.to_string().into(), Value::Object(version_object(v, corpus)));
    }
    o.insert("allVersions".into(), Value::Object(all));
    let newest_first = |status: ReleaseStatus| {
        let mut v: Vec<String> = table
            .releases()
            .iter()
            .filter(|r| r.status(table.today()) == status)
            .map(|r| r.release.to_string())
            .collect();
        v.reverse();
        v
    };
    let supported = newest_first(ReleaseStatus::Supported);
    let deprecated = newest_first(ReleaseStatus::Deprecated);
    let latest = table.latest().to_string();
    let oldest = table
        .oldest_supported()
        .map(|r| r.to_string())
        .unwrap_or_else(|| latest.clone());
    let mut releases = Object::new();
    releases.insert("latest".into(), Value::scalar(latest.clone()));
    releases.insert("latestStable".into(), Value::scalar(latest));
    releases.insert("oldestSupported".into(), Value::scalar(oldest));
    releases.insert("supported".into(), strings(supported.clone()));
    releases.insert("deprecated".into(), strings(deprecated.clone()));
    releases.insert("all".into(), strings(supported.iter().chain(&deprecated).cloned()));
    o.insert("enterpriseServerReleases".into(), Value::Object(releases));
    o.insert(
        "enterpriseServerVersions".into(),
        strings(supported.iter().map(|r| format!("enterprise-server@{r}"))),
    );
    if let Some(site) = site_data(corpus) {
        o.insert("site".into(), site);
    }
    if let Some(tables) = tables(corpus) {
        o.insert("tables".into(), tables);
    }
    // The REST API versions of this version: the default (oldest) and newest.
    let apis = api_versions(version, corpus);
    if let (Some(newest), Some(oldest)) = (apis.first(), apis.last()) {
        o.insert("defaultRestApiVersion".into(), Value::scalar(oldest.clone()));
        o.insert("initialRestVersioningReleaseDate".into(), Value::scalar(newest.clone()));
        if let Some(long) = long_date(newest) {
            o.insert("initialRestVersioningReleaseDateLong".into(), Value::scalar(long));
        }
    }
    o
}

/// The YAML files of a data folder as one object, by file stem (`None` when
/// the tree has none).
fn yaml_folder(corpus: &Corpus, dir: &str) -> Option<Object> {
    let files = corpus.source().list(dir, ".yml").ok()?;
    if files.is_empty() {
        return None;
    }
    let mut out = Object::new();
    for rel in files {
        let name = rel
            .trim_start_matches(dir)
            .trim_start_matches('/')
            .trim_end_matches(".yml")
            .replace('/', ".");
        if let Ok(doc) = corpus.yaml_data(&rel)
            && let Ok(v) = liquid_core::to_value(&*doc)
        {
            out.insert(name.into(), v);
        }
    }
    Some(out)
}

/// `tables.<name>`: the YAML files of `data/tables/`.
fn tables(corpus: &Corpus) -> Option<Value> {
    yaml_folder(corpus, "data/tables").map(Value::Object)
}

/// `site.data.glossaries.<name>`: the glossaries, which old content loops over.
/// (Other `site.data` paths are the deprecated form of `{% data %}`.)
fn site_data(corpus: &Corpus) -> Option<Value> {
    let glossaries = yaml_folder(corpus, "data/glossaries")?;
    Some(Value::Object(object!({ "data": { "glossaries": glossaries } })))
}
