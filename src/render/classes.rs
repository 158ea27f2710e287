//! Version classes: a render remembers the `ifversion` decisions it took, and
//! another version that takes the same decisions gets the same text without
//! rendering again. Most of a page reads the same in most versions, so a
//! page's body is rendered once per class of versions, not once per version.
//!
//! Exact by construction: a template's output depends on the version only
//! through `ifversion` conditions (recorded with their outcome), unless it
//! reads variables (`{{ … }}`, `if`, `assign`, … over `currentVersion`,
//! features, plans) or runs a tag that asks for the version (the link tags,
//! plugins' tags): such a render is *opaque* and is not reused.

use std::cell::RefCell;

use crate::versions::{Condition, Version};

/// The version decisions of one render.
#[derive(Debug, Default)]
pub(crate) struct Trace {
    /// Each `ifversion`/`elsif` condition evaluated, with its outcome.
    decisions: Vec<(Condition, bool)>,
    /// Whether the output may depend on the version in another way.
    opaque: bool,
}

impl Trace {
    /// Whether `version` takes every decision of this trace the same way (so
    /// its render gives the same text). `feature` is the feature lookup of
    /// `version`.
    pub(crate) fn holds_for(&self, version: Version, feature: &dyn Fn(&str) -> Option<bool>) -> bool {
        !self.opaque
            && self
                .decisions
                .iter()
                .all(|(c, outcome)| c.eval(version, feature) == *outcome)
    }

    /// Whether the render may be reused for other versions at all.
    pub(crate) fn is_opaque(&self) -> bool {
        self.opaque
    }
}

thread_local! {
    /// The traces of the renders in progress on this thread, innermost last.
    static TRACES: RefCell<Vec<Trace>> = const { RefCell::new(Vec::new()) };
}

/// Runs `render` with its version decisions traced. A traced render inside
/// another one adds its decisions to the outer one too.
pub(crate) fn traced<R>(render: impl FnOnce() -> R) -> (R, Trace) {
    /// Pops the trace if `render` unwinds, so the stack stays balanced.
    struct Unwinding(bool);
    impl Drop for Unwinding {
        fn drop(&mut self) {
            if self.0 {
                TRACES.with(|t| t.borrow_mut().pop());
            }
        }
    }
    TRACES.with(|t| t.borrow_mut().push(Trace::default()));
    let mut unwinding = Unwinding(true);
    let out = render();
    unwinding.0 = false;
    let trace = TRACES.with(|t| {
        let mut stack = t.borrow_mut();
        let trace = stack.pop().unwrap_or_default();
        if let Some(outer) = stack.last_mut() {
            outer.decisions.extend(trace.decisions.iter().cloned());
            outer.opaque |= trace.opaque;
        }
        trace
    });
    (out, trace)
}

/// Adds the decisions of an earlier render (whose text is being reused) to
/// the render being traced.
pub(crate) fn replay(trace: &Trace) {
    TRACES.with(|t| {
        if let Some(outer) = t.borrow_mut().last_mut() {
            outer.decisions.extend(trace.decisions.iter().cloned());
            outer.opaque |= trace.opaque;
        }
    });
}

/// Records an `ifversion` decision in the renders being traced.
pub(crate) fn decided(condition: &Condition, outcome: bool) {
    TRACES.with(|t| {
        if let Some(trace) = t.borrow_mut().last_mut() {
            trace.decisions.push((condition.clone(), outcome));
        }
    });
}

/// Marks the renders being traced as depending on the version beyond their
/// `ifversion` decisions.
pub(crate) fn opaque() {
    TRACES.with(|t| {
        if let Some(trace) = t.borrow_mut().last_mut() {
            trace.opaque = true;
        }
    });
}

/// Whether Liquid `text` may read variables (whose values depend on the
/// version): an output `{{ … }}` or a standard tag that evaluates expressions.
pub(crate) fn reads_variables(text: &str) -> bool {
    const READERS: [&str; 11] = [
        "if",
        "unless",
        "case",
        "for",
        "tablerow",
        "assign",
        "capture",
        "cycle",
        "increment",
        "decrement",
        "ifchanged",
    ];
    text.contains("{{") || crate::scan::tags(text).iter().any(|t| READERS.contains(&t.name(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_traces_reach_the_outer_one() {
        let c = Condition::parse("ghes > 3.4").unwrap();
        let ((), outer) = traced(|| {
            decided(&c, true);
            let ((), inner) = traced(opaque);
            assert!(inner.is_opaque());
        });
        assert!(outer.is_opaque());
        assert_eq!(outer.decisions.len(), 1);
        // Outside a traced render nothing is recorded.
        decided(&c, false);
        let ((), empty) = traced(|| ());
        assert!(!empty.is_opaque() && empty.decisions.is_empty());
    }

    #[test]
    fn variables_are_seen() {
        assert!(reads_variables("a {{ currentVersion }} b"));
        assert!(reads_variables("{% if ghes %}x{% endif %}"));
        assert!(!reads_variables(
            "{% ifversion ghes %}x{% elsif fpt %}y{% else %}z{% endif %}{% data reusables.a.b %}"
        ));
    }
}
