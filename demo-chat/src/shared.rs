//! Lists that many pages hold alike, kept once: every page in a room shows the same people
//! online, and most users see the same rooms. A page's list is an `Arc` that equal lists share,
//! so a thousand pages in a room hold one list of names rather than a thousand.

use std::collections::HashMap;
use std::hash::{BuildHasher as _, BuildHasherDefault, DefaultHasher, Hash};
use std::sync::{Arc, Mutex, Weak};

/// Lists of `T` in use, by their hash: where an equal list is found to share.
pub(crate) struct Lists<T> {
    live: Mutex<Live<T>>,
}

struct Live<T> {
    by_hash: HashMap<u64, Weak<[T]>, BuildHasherDefault<DefaultHasher>>,
}

impl<T: Hash + Eq> Lists<T> {
    /// No list yet (a `static` can hold it).
    pub(crate) const fn new() -> Lists<T> {
        Lists {
            live: Mutex::new(Live {
                by_hash: HashMap::with_hasher(BuildHasherDefault::new()),
            }),
        }
    }

    /// `list`, as the list equal to it that pages already hold when there is one, else as a
    /// new one that the next equal list will share.
    pub(crate) fn share(&self, list: Vec<T>) -> Arc<[T]> {
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        let hash = live.by_hash.hasher().hash_one(&list);
        if let Some(held) = live.by_hash.get(&hash).and_then(Weak::upgrade)
            && *held == *list
        {
            return held;
        }
        // A weak reference keeps its list's block: those of lists no page holds any more go
        // whenever a list is added (a room's list changes, then its pages take the new one).
        live.by_hash.retain(|_, w| w.strong_count() > 0);
        let list: Arc<[T]> = list.into();
        live.by_hash.insert(hash, Arc::downgrade(&list));
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_lists_are_one_and_unheld_ones_go() {
        let lists = Lists::new();
        let a = lists.share(vec![("ada".to_string(), false)]);
        let b = lists.share(vec![("ada".to_string(), false)]);
        assert!(Arc::ptr_eq(&a, &b));
        let c = lists.share(vec![("ada".to_string(), true)]);
        assert!(!Arc::ptr_eq(&a, &c));
        drop((a, b));
        for i in 0..100 {
            drop(lists.share(vec![(format!("u{i}"), false)]));
        }
        let live = lists.live.lock().unwrap_or_else(|e| e.into_inner());
        // The list still held, and the last one added.
        assert_eq!(live.by_hash.len(), 2);
        drop(c);
    }
}
