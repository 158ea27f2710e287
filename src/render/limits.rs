//! Resource limits of one Liquid render, so an untrusted page cannot take the
//! machine: `{% for i in (1..100000000) %}` would build a hundred million
//! values, and `{% assign s = s | append: s %}` in a loop doubles a string
//! until memory runs out.
//!
//! - every loop (`for`, `tablerow`) may go over at most [`MAX_LOOP_ITEMS`]
//!   items, and all loops of one render over [`MAX_ITERATIONS`] in all;
//! - a filter may make a string of at most [`MAX_VALUE_BYTES`] and an array of
//!   at most [`MAX_ARRAY_ITEMS`]; a `capture` at most [`MAX_VALUE_BYTES`];
//! - one render writes at most [`MAX_OUTPUT_BYTES`], and produces (writes,
//!   captures and filter results together) at most [`MAX_PRODUCED_BYTES`],
//!   which bounds its time too.
//!
//! Each limit stops the render with a located error. Real pages stay orders of
//! magnitude below every one of them.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::io::Write;
use std::rc::Rc;

use liquid_core::model::{Value, ValueView};
use liquid_core::parser::{
    BlockReflection, Filter, FilterArguments, FilterReflection, ParameterReflection, ParseBlock, ParseFilter, TagBlock,
    TagTokenIter, TryMatchToken,
};
use liquid_core::runtime::{Renderable, Runtime};
use liquid_core::{Expression, Language, Template};

use super::liquid::{RenderState, TagSite, fail, site_error, site_of};

/// The most items one loop goes over.
pub const MAX_LOOP_ITEMS: i64 = 100_000;
/// The most loop iterations of one render, all loops together.
pub const MAX_ITERATIONS: u64 = 1_000_000;
/// The longest string a filter or a `capture` makes.
pub const MAX_VALUE_BYTES: usize = 16 << 20;
/// The longest array a filter makes.
pub const MAX_ARRAY_ITEMS: i64 = 1_000_000;
/// The most output of one render.
pub const MAX_OUTPUT_BYTES: usize = 64 << 20;
/// The most bytes one render produces: output, captures and filter results.
pub const MAX_PRODUCED_BYTES: u64 = 256 << 20;

/// What one render has used so far. Shared by the render's writers and tags.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    produced: Cell<u64>,
    iterations: Cell<u64>,
    /// The limit that stopped the render, if one did.
    exceeded: RefCell<Option<String>>,
}

impl Budget {
    fn stop(&self, message: String) -> String {
        self.exceeded.borrow_mut().get_or_insert(message).clone()
    }

    fn produce(&self, n: usize) -> Result<(), String> {
        let total = self.produced.get().saturating_add(n as u64);
        self.produced.set(total);
        if total > MAX_PRODUCED_BYTES {
            return Err(self.stop(format!(
                "the page produces more than {} while rendering (loops that build text?)",
                crate::files::human_size(MAX_PRODUCED_BYTES)
            )));
        }
        Ok(())
    }

    fn iterate(&self, n: u64) -> Result<(), String> {
        let total = self.iterations.get().saturating_add(n);
        self.iterations.set(total);
        if total > MAX_ITERATIONS {
            return Err(self.stop(format!("the page's loops run more than {MAX_ITERATIONS} times in all")));
        }
        Ok(())
    }

    /// The message of the limit that stopped the render.
    pub(crate) fn exceeded(&self) -> Option<String> {
        self.exceeded.borrow().clone()
    }
}

/// The budget of the render in progress.
pub(crate) fn budget(rt: &dyn Runtime) -> Rc<Budget> {
    rt.registers().get_mut::<RenderState>().budget.clone()
}

/// A writer that counts against the render's budget and holds at most `max` bytes.
pub(crate) struct BudgetWriter<'a> {
    out: &'a mut Vec<u8>,
    budget: Rc<Budget>,
    max: usize,
    what: &'static str,
}

impl<'a> BudgetWriter<'a> {
    pub(crate) fn new(out: &'a mut Vec<u8>, budget: Rc<Budget>, max: usize, what: &'static str) -> Self {
        BudgetWriter { out, budget, max, what }
    }
}

impl Write for BudgetWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.out.len().saturating_add(buf.len()) > self.max {
            let msg = self.budget.stop(format!(
                "{} is larger than {}",
                self.what,
                crate::files::human_size(self.max as u64)
            ));
            return Err(std::io::Error::other(msg));
        }
        self.budget.produce(buf.len()).map_err(std::io::Error::other)?;
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Wraps a filter so its results count against the budget and stay under the
/// value limits. Every filter is registered through it.
#[derive(Clone)]
pub(crate) struct BoundedFilter(pub Box<dyn ParseFilter>);

impl ParseFilter for BoundedFilter {
    fn parse(&self, arguments: FilterArguments) -> liquid_core::Result<Box<dyn Filter>> {
        Ok(Box::new(Bounded(self.0.parse(arguments)?)))
    }

    fn reflection(&self) -> &dyn FilterReflection {
        self.0.reflection()
    }
}

struct Bounded(Box<dyn Filter>);

impl fmt::Debug for Bounded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for Bounded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Filter for Bounded {
    fn evaluate(&self, input: &dyn ValueView, rt: &dyn Runtime) -> liquid_core::Result<Value> {
        let value = self.0.evaluate(input, rt)?;
        let budget = budget(rt);
        let check = || -> Result<(), String> {
            if let Some(s) = value.as_scalar() {
                let len = s.to_kstr().len();
                if len > MAX_VALUE_BYTES {
                    return Err(budget.stop(format!(
                        "`{self}` makes a string larger than {}",
                        crate::files::human_size(MAX_VALUE_BYTES as u64)
                    )));
                }
                budget.produce(len)?;
            } else if let Some(a) = value.as_array()
                && a.size() > MAX_ARRAY_ITEMS
            {
                return Err(budget.stop(format!("`{self}` makes an array of more than {MAX_ARRAY_ITEMS} items")));
            }
            Ok(())
        };
        check().map_err(liquid_core::Error::with_msg)?;
        Ok(value)
    }
}

impl FilterReflection for Bounded {
    fn name(&self) -> &str {
        ""
    }
    fn description(&self) -> &str {
        ""
    }
    fn positional_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
    fn keyword_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
}

/// What a loop goes over: `(a..b)` or a value.
#[derive(Debug)]
enum Collection {
    Range(Expression, Expression),
    Value(Expression),
}

/// Wraps the standard `for`/`tablerow` blocks: before the loop runs, its
/// collection is sized against [`MAX_LOOP_ITEMS`] and the render's iterations.
#[derive(Clone)]
pub(crate) struct BoundedLoop(pub Box<dyn ParseBlock>);

impl ParseBlock for BoundedLoop {
    fn parse(
        &self,
        arguments: TagTokenIter<'_>,
        block: TagBlock<'_, '_>,
        options: &Language,
    ) -> liquid_core::Result<Box<dyn Renderable>> {
        let mut site = None;
        let words: Vec<String> = arguments
            .map(|t| {
                if site.is_none() {
                    site = site_of(t.as_str());
                }
                t.as_str().to_string()
            })
            .collect();
        // The standard block parses the same tokens again, from the same text.
        let text = format!("{{% {} {} %}}", self.0.reflection().start_tag(), words.join(" "));
        let tag = liquid_core::parser::Tag::new(&text)?;
        let collection = words.get(2).and_then(|c| collection_of(c));
        let inner = self.0.parse(tag.into_tokens(), block, options)?;
        Ok(Box::new(Loop {
            inner,
            collection,
            site,
        }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self.0.reflection()
    }
}

fn collection_of(token: &str) -> Option<Collection> {
    let text = format!("{{% x {token} %}}");
    let mut tag = liquid_core::parser::Tag::new(&text).ok()?;
    let t = tag.tokens().next()?;
    match t.expect_range() {
        TryMatchToken::Matches((a, b)) => Some(Collection::Range(a, b)),
        TryMatchToken::Fails(t) => match t.expect_value() {
            TryMatchToken::Matches(v) => Some(Collection::Value(v)),
            TryMatchToken::Fails(_) => None,
        },
    }
}

#[derive(Debug)]
struct Loop {
    inner: Box<dyn Renderable>,
    collection: Option<Collection>,
    site: Option<TagSite>,
}

impl Loop {
    /// How many items the loop goes over (0 when the standard block will object).
    fn items(&self, rt: &dyn Runtime) -> i64 {
        let int = |e: &Expression| {
            e.evaluate(rt)
                .ok()
                .and_then(|v| v.as_scalar().and_then(|s| s.to_integer()))
        };
        match &self.collection {
            Some(Collection::Range(a, b)) => match (int(a), int(b)) {
                (Some(a), Some(b)) => b.saturating_sub(a).saturating_add(1).max(0),
                _ => 0,
            },
            Some(Collection::Value(v)) => match v.evaluate(rt) {
                Ok(v) => v
                    .as_array()
                    .map(|a| a.size())
                    .or_else(|| v.as_object().map(|o| o.size()))
                    .unwrap_or(1),
                Err(_) => 0,
            },
            None => 0,
        }
    }
}

impl Renderable for Loop {
    fn render_to(&self, w: &mut dyn Write, rt: &dyn Runtime) -> liquid_core::Result<()> {
        let n = self.items(rt);
        let over = if n > MAX_LOOP_ITEMS {
            Some(format!("this loop goes over {n} items; the limit is {MAX_LOOP_ITEMS}"))
        } else {
            budget(rt).iterate(n as u64).err()
        };
        if let Some(message) = over {
            return Err(fail(rt, site_error(self.site.as_ref(), message)));
        }
        self.inner.render_to(w, rt)
    }
}

/// `{% capture name %}…{% endcapture %}`, as the standard block, with the
/// captured text counted and limited to [`MAX_VALUE_BYTES`].
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CaptureBlock;

impl BlockReflection for CaptureBlock {
    fn start_tag(&self) -> &str {
        "capture"
    }

    fn end_tag(&self) -> &str {
        "endcapture"
    }

    fn description(&self) -> &str {
        "captures the rendered text of the block into a variable"
    }
}

impl ParseBlock for CaptureBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut block: TagBlock<'_, '_>,
        options: &Language,
    ) -> liquid_core::Result<Box<dyn Renderable>> {
        let id = arguments
            .expect_next("Identifier expected")?
            .expect_identifier()
            .into_result()?
            .to_owned();
        arguments.expect_nothing()?;
        let template = Template::new(block.parse_all(options)?);
        block.assert_empty();
        Ok(Box::new(Capture {
            id: id.into(),
            template,
        }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct Capture {
    id: liquid_core::model::KString,
    template: Template,
}

impl Renderable for Capture {
    fn render_to(&self, _w: &mut dyn Write, rt: &dyn Runtime) -> liquid_core::Result<()> {
        let mut captured = Vec::new();
        let mut w = BudgetWriter::new(&mut captured, budget(rt), MAX_VALUE_BYTES, "a captured value");
        self.template.render_to(&mut w, rt)?;
        let text = String::from_utf8(captured).map_err(|_| liquid_core::Error::with_msg("capture: invalid UTF-8"))?;
        rt.set_global(self.id.clone(), Value::scalar(text));
        Ok(())
    }
}
