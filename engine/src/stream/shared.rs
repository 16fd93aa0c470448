//! Item renders shared between pages: a template that depends on nothing but its arguments
//! renders a given item once, however many pages show it.

use std::any::{Any, TypeId};
use std::collections::VecDeque;
use std::hash::{Hash, Hasher as _};
use std::sync::{Arc, LazyLock, Mutex};

use rustc_hash::{FxHashMap, FxHasher};

/// Renders kept per template: enough for the items of a burst of broadcasts.
const KEEP: usize = 64;

/// The latest renders of one template, newest last.
pub(crate) struct Recent<T> {
    entries: Mutex<VecDeque<Cached<T>>>,
}

struct Cached<T> {
    hash: u64,
    id: String,
    item: T,
    html: Arc<str>,
}

impl<T: Clone + Hash + Eq> Recent<T> {
    fn new() -> Recent<T> {
        Recent {
            entries: Mutex::new(VecDeque::with_capacity(KEEP)),
        }
    }

    /// The HTML of `item` under `id`: the kept render when the same item was rendered lately
    /// (compared whole, not by hash), else `render()`'s, kept for the next page.
    pub(crate) fn get_or_render(
        &self,
        id: &str,
        item: &T,
        render: impl FnOnce() -> String,
    ) -> String {
        let mut h = FxHasher::default();
        id.hash(&mut h);
        item.hash(&mut h);
        let hash = h.finish();
        let lock = || self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let found = lock()
            .iter()
            .rev()
            .find(|e| e.hash == hash && e.id == id && e.item == *item)
            .map(|e| e.html.clone());
        if let Some(html) = found {
            return html.to_string();
        }
        // Rendered outside the lock: pages of other threads look up meanwhile.
        let html = render();
        let mut entries = lock();
        if entries.len() == KEEP {
            entries.pop_front();
        }
        entries.push_back(Cached {
            hash,
            id: id.to_string(),
            item: item.clone(),
            html: html.as_str().into(),
        });
        html
    }
}

/// The renders of template type `F` for items `T`, one set per process.
pub(crate) fn recent<F: 'static, T: Clone + Hash + Eq + Send + 'static>() -> Arc<Recent<T>> {
    type All = FxHashMap<TypeId, Arc<dyn Any + Send + Sync>>;
    static ALL: LazyLock<Mutex<All>> = LazyLock::new(Mutex::default);
    let shared = ALL
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry(TypeId::of::<(F, T)>())
        .or_insert_with(|| Arc::new(Recent::<T>::new()))
        .clone();
    // Keyed by its own type, so the cast holds; a fresh set would only cost sharing.
    shared
        .downcast::<Recent<T>>()
        .unwrap_or_else(|_| Arc::new(Recent::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_an_item_once_and_again_when_it_changed() {
        struct TemplateA;
        let recent = recent::<TemplateA, (u32, String)>();
        let renders = std::cell::Cell::new(0);
        let render = |item: &(u32, String)| {
            recent.get_or_render(&format!("m{}", item.0), item, || {
                renders.set(renders.get() + 1);
                format!("<li>{}</li>", item.1)
            })
        };
        let a = (1, "a".to_string());
        assert_eq!(render(&a), "<li>a</li>");
        assert_eq!(render(&a.clone()), "<li>a</li>");
        assert_eq!(renders.get(), 1);
        // Updated in place: same id, other content.
        assert_eq!(render(&(1, "b".to_string())), "<li>b</li>");
        assert_eq!(renders.get(), 2);
        // The set is the same for the same types, another for another template.
        assert!(Arc::ptr_eq(
            &recent,
            &super::recent::<TemplateA, (u32, String)>()
        ));
        assert!(!Arc::ptr_eq(&recent, &super::recent::<u8, (u32, String)>()));
    }

    #[test]
    fn keeps_only_the_latest() {
        struct TemplateB;
        let recent = recent::<TemplateB, u32>();
        let renders = std::cell::Cell::new(0);
        let render = |n: u32| {
            recent.get_or_render("x", &n, || {
                renders.set(renders.get() + 1);
                n.to_string()
            })
        };
        for n in 0..KEEP as u32 + 1 {
            render(n);
        }
        render(KEEP as u32);
        assert_eq!(renders.get(), KEEP + 1);
        render(0);
        assert_eq!(renders.get(), KEEP + 2);
    }
}
