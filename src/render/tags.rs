//! The `core` plugin's Liquid tags: `{% data path %}` and
//! `{% ifversion cond %}…{% elsif cond %}…{% else %}…{% endif %}`.

use std::io::Write;

use liquid_core::parser::{BlockElement, BlockReflection, ParseBlock, ParseTag, TagBlock, TagReflection, TagTokenIter};
use liquid_core::runtime::{Renderable, Runtime};
use liquid_core::{Language, ValueView};

use super::liquid::{Layout, TagSite, Warning, ctx, fail, site_error, site_of, warn};
use crate::corpus::DataRef;
use crate::versions::Condition;

/// How deep reusables may include each other before we call it runaway.
const MAX_DATA_DEPTH: usize = 32;

/// `{% data variables.x.y %}` / `{% data reusables.x.y %}` / `{% data ui.x %}`.
#[derive(Clone, Debug)]
pub struct DataTag;

impl TagReflection for DataTag {
    fn tag(&self) -> &str {
        "data"
    }
    fn description(&self) -> &str {
        "Inserts a variable, reusable or UI string from the data directory, rendered for the current version and language."
    }
}

impl ParseTag for DataTag {
    fn parse(&self, mut args: TagTokenIter, _lang: &Language) -> liquid_core::Result<Box<dyn Renderable>> {
        let tok = args.expect_next("`data` needs a path, e.g. {% data variables.product.prodname_ghe_server %}")?;
        let site = site_of(tok.as_str());
        let (path, bare) = match super::legacy::data_path(tok.as_str()) {
            Ok(p) => (p.to_string(), p == tok.as_str()),
            Err(m) => return Err(tok.raise_custom_error(&m)),
        };
        let reference = if path.contains('[') && bare {
            // An indexed path (`glossaries.external[forloop.index0].term`) is a
            // Liquid variable, resolved when rendering.
            DataPath::Dynamic(tok.expect_variable().into_result()?)
        } else {
            match DataRef::parse(&path) {
                Ok(r) => DataPath::Static(r),
                Err(msg) => return Err(tok.raise_custom_error(&msg)),
            }
        };
        if let Some(extra) = args.next() {
            return Err(extra.raise_custom_error("`data` takes exactly one path"));
        }
        Ok(Box::new(Data {
            layout: Layout::of(site.as_ref()),
            reference,
            site,
        }))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
enum DataPath {
    Static(DataRef),
    Dynamic(liquid_core::runtime::Variable),
}

#[derive(Debug)]
struct Data {
    reference: DataPath,
    layout: Layout,
    site: Option<TagSite>,
}

impl Renderable for Data {
    fn render_to(&self, w: &mut dyn Write, rt: &dyn Runtime) -> liquid_core::Result<()> {
        let dynamic;
        let reference = match &self.reference {
            DataPath::Static(r) => r,
            DataPath::Dynamic(var) => {
                let path = var.evaluate(rt)?;
                let joined = path
                    .iter()
                    .map(|s| s.to_kstr().to_string())
                    .collect::<Vec<_>>()
                    .join(".");
                dynamic = DataRef::parse(&joined).map_err(|m| fail(rt, site_error(self.site.as_ref(), m)))?;
                &dynamic
            }
        };
        insert_data(w, rt, reference, &self.layout, self.site.as_ref())
    }
}

/// Renders a data reference at a call site and writes it: cycle and depth
/// checks, the value for the render's language, and what an undefined
/// reference means (an error in English, empty with a warning in a translation).
pub(crate) fn insert_data(
    w: &mut dyn Write,
    rt: &dyn Runtime,
    reference: &DataRef,
    layout: &Layout,
    site: Option<&TagSite>,
) -> liquid_core::Result<()> {
    let ctx = ctx(rt)?;
    let located = |message: String| site_error(site, message);
    let key = reference.to_string();
    {
        let mut st = rt.registers().get_mut::<super::liquid::RenderState>();
        if st.stack.contains(&key) {
            let chain = st
                .stack
                .iter()
                .chain(std::iter::once(&key))
                .cloned()
                .collect::<Vec<_>>();
            drop(st);
            return Err(fail(
                rt,
                located(format!("`{key}` includes itself: {}", chain.join(" → "))),
            ));
        }
        if st.stack.len() >= MAX_DATA_DEPTH {
            drop(st);
            return Err(fail(
                rt,
                located(format!(
                    "data references nest deeper than {MAX_DATA_DEPTH} levels at `{key}`"
                )),
            ));
        }
        st.stack.push(key.clone());
    }
    let result = ctx.renderer.render_data(reference, layout, &ctx, rt, site);
    rt.registers().get_mut::<super::liquid::RenderState>().stack.pop();
    match result {
        Ok(Some(text)) => w
            .write_all(text.as_bytes())
            .map_err(|e| liquid_core::Error::with_msg(e.to_string())),
        Ok(None) if ctx.lang.is_english() => Err(fail(
            rt,
            located(format!("unknown data reference `{key}`")).with_help(crate::corpus::missing_help(reference)),
        )),
        Ok(None) => {
            warn(
                rt,
                Warning {
                    message: format!("unknown data reference `{key}` rendered empty"),
                    location: site.map(|s| s.location.to_string()),
                },
            );
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// `{% ifversion … %}` with `elsif`, `else` and `endif`, evaluated by
/// [`crate::versions::Condition`].
#[derive(Clone, Debug)]
pub struct IfVersionBlock;

impl BlockReflection for IfVersionBlock {
    fn start_tag(&self) -> &str {
        "ifversion"
    }
    fn end_tag(&self) -> &str {
        "endif"
    }
    fn description(&self) -> &str {
        "Renders the first branch whose version condition holds for the current version."
    }
}

fn parse_condition(args: &mut TagTokenIter) -> liquid_core::Result<Condition> {
    let tokens: Vec<_> = args.by_ref().collect();
    if tokens.is_empty() {
        return Err(args.raise_error("`ifversion`/`elsif` needs a condition, e.g. `ghes > 3.4`"));
    }
    let words: Vec<String> = tokens.iter().map(|t| t.as_str().to_string()).collect();
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    Condition::parse_tokens(&refs).map_err(|e| {
        let msg = e.message.clone();
        match tokens.into_iter().nth(e.token) {
            Some(t) => t.raise_custom_error(&msg),
            None => args.raise_error(&msg),
        }
    })
}

impl ParseBlock for IfVersionBlock {
    /// Branches as liquidjs builds them (the reference engine's `ifversion` is a
    /// copy of its `if`): an `elsif` after `else` is one more branch, tried
    /// before the `else`; a second `else` adds to the first. Lint warns on both.
    fn parse(
        &self,
        mut args: TagTokenIter,
        mut block: TagBlock,
        lang: &Language,
    ) -> liquid_core::Result<Box<dyn Renderable>> {
        let first = parse_condition(&mut args)?;
        let mut branches: Vec<Branch> = vec![(first, Vec::new())];
        let mut otherwise: Option<Vec<Box<dyn Renderable>>> = None;
        let mut in_else = false;
        while let Some(element) = block.next()? {
            match element {
                BlockElement::Tag(mut tag) if tag.name() == "else" => {
                    tag.tokens().expect_nothing()?;
                    otherwise.get_or_insert_with(Vec::new);
                    in_else = true;
                }
                BlockElement::Tag(mut tag) if tag.name() == "elsif" => {
                    let cond = parse_condition(tag.tokens())?;
                    branches.push((cond, Vec::new()));
                    in_else = false;
                }
                other => {
                    let r = other.parse(&mut block, lang)?;
                    match (in_else, otherwise.as_mut()) {
                        (true, Some(body)) => body.push(r),
                        _ => branches.last_mut().expect("one branch at least").1.push(r),
                    }
                }
            }
        }
        block.assert_empty();
        Ok(Box::new(IfVersion { branches, otherwise }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

/// A condition and the body it guards.
type Branch = (Condition, Vec<Box<dyn Renderable>>);

#[derive(Debug)]
struct IfVersion {
    branches: Vec<Branch>,
    otherwise: Option<Vec<Box<dyn Renderable>>>,
}

impl Renderable for IfVersion {
    fn render_to(&self, w: &mut dyn Write, rt: &dyn Runtime) -> liquid_core::Result<()> {
        let ctx = ctx(rt)?;
        // A feature whose file is broken would silently read as off: stop at its file instead.
        for (cond, _) in &self.branches {
            if let Some(e) = cond.names().find_map(|n| ctx.broken_feature(n)) {
                return Err(fail(rt, e));
            }
        }
        let features = |name: &str| ctx.feature(name);
        let body = self
            .branches
            .iter()
            .find(|(cond, _)| {
                let outcome = cond.eval(ctx.version, &features);
                super::classes::decided(cond, outcome);
                outcome
            })
            .map(|(_, body)| body)
            .or(self.otherwise.as_ref());
        for r in body.into_iter().flatten() {
            r.render_to(w, rt)?;
        }
        Ok(())
    }
}
