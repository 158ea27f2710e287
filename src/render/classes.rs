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

/// The classes of one template, as a decision tree: a render takes its
/// decisions in the template's order, so two renders take the same
/// conditions until their first different outcome. A version finds its class
/// by evaluating each condition on its path once, instead of every trace in
/// turn (pages with many classes checked in ~50 versions spent a twentieth of
/// the check on those evaluations).
#[derive(Debug, Default)]
pub(crate) enum ClassTree<T> {
    /// No class here yet.
    #[default]
    Empty,
    /// The class every version reaching here belongs to.
    Leaf(std::sync::Arc<T>),
    /// The next condition every render reaching here evaluated, and where each
    /// outcome leads.
    Branch {
        condition: Condition,
        yes: Box<ClassTree<T>>,
        no: Box<ClassTree<T>>,
    },
}

impl<T> ClassTree<T> {
    /// The class `version` belongs to, if one is known: a class whose trace
    /// [`Trace::holds_for`] `version` (the leaf's path is its trace's
    /// decisions, so every condition on the way was decided that way).
    pub(crate) fn find(&self, version: Version, feature: &dyn Fn(&str) -> Option<bool>) -> Option<&std::sync::Arc<T>> {
        let mut node = self;
        loop {
            match node {
                ClassTree::Empty => return None,
                ClassTree::Leaf(class) => return Some(class),
                ClassTree::Branch { condition, yes, no } => {
                    node = if condition.eval(version, feature) { yes } else { no };
                }
            }
        }
    }

    /// Adds `class`, rendered with `trace` (not opaque). A trace that does
    /// not fit the tree (a class with its decisions is there already, or its
    /// decisions do not follow the tree's order) is not added: the next
    /// version with those decisions renders again.
    pub(crate) fn insert(&mut self, trace: &Trace, class: std::sync::Arc<T>) {
        if trace.opaque {
            return;
        }
        let mut node = self;
        for (condition, outcome) in &trace.decisions {
            match node {
                ClassTree::Leaf(_) => return,
                ClassTree::Empty => {
                    *node = ClassTree::Branch {
                        condition: condition.clone(),
                        yes: Box::default(),
                        no: Box::default(),
                    };
                }
                ClassTree::Branch { condition: c, .. } if c != condition => return,
                ClassTree::Branch { .. } => {}
            }
            let ClassTree::Branch { yes, no, .. } = node else {
                return;
            };
            node = if *outcome { yes } else { no };
        }
        if let ClassTree::Empty = node {
            *node = ClassTree::Leaf(class);
        }
    }
}

/// A render kept as a class: it knows the decisions that made it.
pub(crate) trait Class {
    /// The version decisions its render took.
    fn trace(&self) -> &Trace;
}

/// The classes of many templates, by key: one [`ClassTree`] each, shared by
/// the render threads.
pub(crate) struct ClassMap<K, T>(std::sync::RwLock<crate::cache::FastMap<K, ClassTree<T>>>);

impl<K, T> Default for ClassMap<K, T> {
    fn default() -> Self {
        ClassMap(Default::default())
    }
}

impl<K: Eq + std::hash::Hash, T: Class> ClassMap<K, T> {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, crate::cache::FastMap<K, ClassTree<T>>> {
        self.0.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, crate::cache::FastMap<K, ClassTree<T>>> {
        self.0.write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The class of `key` that `version` belongs to, if one is known. As a
    /// fresh render would, it adds its decisions to a render traced around
    /// this one.
    pub(crate) fn find(
        &self,
        key: &K,
        version: Version,
        feature: &dyn Fn(&str) -> Option<bool>,
    ) -> Option<std::sync::Arc<T>> {
        let class = self
            .read()
            .get(key)
            .and_then(|tree| tree.find(version, feature).cloned())?;
        replay(class.trace());
        Some(class)
    }

    /// Keeps `class` for the versions that take its decisions (an opaque
    /// render is not kept).
    pub(crate) fn insert(&self, key: K, class: std::sync::Arc<T>) {
        if !class.trace().is_opaque() {
            self.write()
                .entry(key)
                .or_default()
                .insert(class.trace(), class.clone());
        }
    }

    /// Forgets the classes of `keys`.
    pub(crate) fn remove_all(&self, keys: impl IntoIterator<Item = K>) {
        let mut all = self.write();
        for key in keys {
            all.remove(&key);
        }
    }
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

    /// The tree finds what the first trace that holds finds, for every
    /// version, whatever order the classes came in.
    #[test]
    fn the_tree_finds_the_class_whose_trace_holds() {
        use crate::versions::Release;
        use std::sync::Arc;
        let cond = |s: &str| Condition::parse(s).unwrap();
        let (old, new, cloud) = (cond("ghes < 3.5"), cond("ghes > 3.9"), cond("fpt or ghec"));
        let feature = |_: &str| None;
        let versions: Vec<Version> = [Version::Fpt, Version::Ghec]
            .into_iter()
            .chain((0..14).map(|m| Version::Ghes(Release::new(3, m))))
            .collect();
        // Each version renders a template `{% ifversion ghes < 3.5 %}…{% elsif
        // ghes > 3.9 %}…{% endif %}{% ifversion fpt or ghec %}…{% endif %}`.
        let render = |v: Version| {
            let ((), trace) = traced(|| {
                let a = old.eval(v, &feature);
                decided(&old, a);
                if !a {
                    decided(&new, new.eval(v, &feature));
                }
                decided(&cloud, cloud.eval(v, &feature));
            });
            trace
        };
        for order in [versions.clone(), versions.iter().rev().copied().collect()] {
            let mut tree: ClassTree<Trace> = ClassTree::default();
            let mut list: Vec<Arc<Trace>> = Vec::new();
            for &v in &order {
                let found = tree.find(v, &feature).map(|c| c.decisions.clone());
                let listed = list
                    .iter()
                    .find(|t| t.holds_for(v, &feature))
                    .map(|c| c.decisions.clone());
                assert_eq!(found, listed, "{v}");
                if found.is_none() {
                    let trace = Arc::new(render(v));
                    tree.insert(&trace, trace.clone());
                    list.push(trace);
                }
            }
            assert_eq!(list.len(), 4, "fpt/ghec, < 3.5, 3.5–3.9, > 3.9");
            for &v in &versions {
                let class = tree.find(v, &feature).expect("every version has its class");
                assert!(class.holds_for(v, &feature), "{v}");
            }
        }
        // A trace that does not follow the tree's order is not added.
        let mut tree: ClassTree<u8> = ClassTree::default();
        let ((), a) = traced(|| decided(&old, true));
        let ((), b) = traced(|| decided(&new, false));
        tree.insert(&a, Arc::new(1));
        tree.insert(&b, Arc::new(2));
        assert_eq!(
            tree.find(Version::Ghes(Release::new(3, 4)), &feature).map(|c| **c),
            Some(1)
        );
        assert_eq!(tree.find(Version::Ghes(Release::new(3, 6)), &feature), None);
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
