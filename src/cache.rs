//! Memo tables: values computed once and shared by every render thread.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{PoisonError, RwLock};

/// A hash map for the lookups every render makes: foldhash, seeded per
/// process (the keys come from the tree, which may be hostile), instead of
/// SipHash, which was a tenth of a links check's time.
pub type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// A map filled on demand. Reads take a shared lock; a miss computes the value
/// without holding any lock (two threads may both compute it; the first one
/// stored wins, so every caller sees the same value).
#[derive(Debug)]
pub struct Memo<K, V> {
    map: RwLock<FastMap<K, V>>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo {
            map: RwLock::new(FastMap::default()),
        }
    }
}

impl<K: Eq + Hash, V: Clone> Memo<K, V> {
    /// The value for `key`, computed by `make` the first time it is asked for.
    pub fn get_or_insert_with(&self, key: K, make: impl FnOnce() -> V) -> V {
        if let Some(v) = self.map.read().unwrap_or_else(PoisonError::into_inner).get(&key) {
            return v.clone();
        }
        let v = make();
        self.map
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(key)
            .or_insert(v)
            .clone()
    }

    /// The value for `key`, if it has one.
    pub fn get(&self, key: &K) -> Option<V> {
        self.map
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .cloned()
    }

    /// Whether `key` has a value.
    pub fn contains(&self, key: &K) -> bool {
        self.map
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .contains_key(key)
    }

    /// Replaces the value for `key`, if there is one, by what `f` makes of it.
    pub fn replace(&self, key: &K, f: impl FnOnce(&V) -> Option<V>) {
        let mut map = self.map.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(v) = map.get_mut(key)
            && let Some(new) = f(v)
        {
            *v = new;
        }
    }

    /// Forgets the value for `key` (it is computed again if asked for).
    pub fn remove(&self, key: &K) {
        self.map.write().unwrap_or_else(PoisonError::into_inner).remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_once() {
        let m: Memo<u32, String> = Memo::default();
        let mut calls = 0;
        assert_eq!(
            m.get_or_insert_with(1, || {
                calls += 1;
                "a".into()
            }),
            "a"
        );
        assert_eq!(
            m.get_or_insert_with(1, || {
                calls += 1;
                "b".into()
            }),
            "a"
        );
        assert_eq!(calls, 1);
        m.replace(&1, |v| Some(format!("{v}!")));
        assert_eq!(m.get_or_insert_with(1, || "b".into()), "a!");
        m.remove(&1);
        assert_eq!(m.get_or_insert_with(1, || "c".into()), "c");
    }
}
