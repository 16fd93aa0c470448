//! An idle page's kept HTML, compressed against a page of the same route.
//!
//! An idle page keeps the HTML its client has, to diff the next render against. Pages of one
//! route render mostly the same markup: the same forms, the same long class lists, and often the
//! same data (every page of a chat room lists the same people online). So the HTML is compressed
//! (LZ4) with, as its dictionary, the HTML of a page of the same route: the first one packed, or
//! a later one when a page no longer resembles it. The dictionary is shared by the pages packed
//! against it and goes with the last of them. A page in use keeps its HTML plain; the next change
//! unpacks it once (microseconds for a few kilobytes).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use lz4_flex::block::{compress_with_dict, decompress_with_dict};

/// Below this many bytes the HTML stays plain: packing would save less than it costs.
pub(crate) const PACK_FROM: usize = 512;

/// A page that packs to more than this share of its size against its route's dictionary (1 in
/// `POOR`) becomes the dictionary for the pages packed after it.
const POOR: usize = 8;

/// A page's HTML, compressed against a dictionary it holds a share of.
pub(crate) struct Packed {
    bytes: Box<[u8]>,
    len: usize,
    dict: Arc<[u8]>,
}

impl Packed {
    /// `html` packed against its route's dictionary (`family`: the route), or `None` when it is
    /// too small to be worth it.
    pub(crate) fn pack(html: &str, family: &Arc<str>) -> Option<Packed> {
        if html.len() < PACK_FROM {
            return None;
        }
        let dict = dictionaries().current(family);
        if let Some(dict) = dict {
            let bytes = compress_with_dict(html.as_bytes(), &dict);
            if bytes.len() * POOR <= html.len() {
                return Some(Packed::new(bytes, html.len(), dict));
            }
        }
        // No dictionary yet, or one this page no longer resembles: the page becomes it.
        let dict: Arc<[u8]> = Arc::from(html.as_bytes());
        dictionaries().set(family, &dict);
        let bytes = compress_with_dict(html.as_bytes(), &dict);
        Some(Packed::new(bytes, html.len(), dict))
    }

    fn new(bytes: Vec<u8>, len: usize, dict: Arc<[u8]>) -> Packed {
        Packed {
            bytes: bytes.into_boxed_slice(),
            len,
            dict,
        }
    }

    /// The HTML again; `None` if it does not unpack (it always does: it was packed here).
    pub(crate) fn unpack(&self) -> Option<String> {
        let bytes = decompress_with_dict(&self.bytes, self.len, &self.dict)
            .inspect_err(|e| tracing::error!("a page's kept HTML does not unpack: {e}"))
            .ok()?;
        String::from_utf8(bytes)
            .inspect_err(|e| tracing::error!("a page's kept HTML unpacks to bad UTF-8: {e}"))
            .ok()
    }
}

/// The dictionary of each route, held by the pages packed against it.
#[derive(Default)]
struct Dictionaries {
    by_route: Mutex<HashMap<Arc<str>, Weak<[u8]>>>,
}

impl Dictionaries {
    fn current(&self, family: &str) -> Option<Arc<[u8]>> {
        self.lock().get(family).and_then(Weak::upgrade)
    }

    fn set(&self, family: &Arc<str>, dict: &Arc<[u8]>) {
        let mut map = self.lock();
        // Routes whose pages all went leave dead entries: dropped whenever the map doubles.
        if map.len() >= 64 && map.len().is_power_of_two() {
            map.retain(|_, d| d.strong_count() > 0);
        }
        map.insert(family.clone(), Arc::downgrade(dict));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Arc<str>, Weak<[u8]>>> {
        self.by_route.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn dictionaries() -> &'static Dictionaries {
    static DICTIONARIES: std::sync::OnceLock<Dictionaries> = std::sync::OnceLock::new();
    DICTIONARIES.get_or_init(Dictionaries::default)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(who: &str, n: usize) -> String {
        let rows: String = (0..n)
            .map(|i| {
                format!(
                    r#"<li class="flex items-center gap-2 px-3 py-1 text-slate-700">user {i}</li>"#
                )
            })
            .collect();
        format!(r#"<main class="min-w-0 flex-1"><h1>hello {who}</h1><ul>{rows}</ul></main>"#)
    }

    #[test]
    fn pages_of_a_route_pack_small_against_one_dictionary_and_unpack_exactly() {
        let family: Arc<str> = Arc::from("/test/pack/{room}");
        let (ada, bob) = (page("ada", 60), page("bob", 60));
        let a = Packed::pack(&ada, &family).expect("large enough");
        let b = Packed::pack(&bob, &family).expect("large enough");
        assert!(
            Arc::ptr_eq(&a.dict, &b.dict),
            "one dictionary for the route"
        );
        assert!(
            b.bytes.len() * 50 < bob.len(),
            "{} of {}",
            b.bytes.len(),
            bob.len()
        );
        assert_eq!(a.unpack().as_deref(), Some(ada.as_str()));
        assert_eq!(b.unpack().as_deref(), Some(bob.as_str()));
        assert_eq!(b.len, bob.len());
    }

    #[test]
    fn a_page_unlike_the_dictionary_becomes_it_and_both_still_unpack() {
        let family: Arc<str> = Arc::from("/test/pack/unlike");
        let first = page("ada", 60);
        let other: String = (0..400)
            .map(|i| format!("<p>{}</p>", i * 7919 % 1000))
            .collect();
        let a = Packed::pack(&first, &family).expect("large enough");
        let b = Packed::pack(&other, &family).expect("large enough");
        assert!(!Arc::ptr_eq(&a.dict, &b.dict));
        assert_eq!(a.unpack().as_deref(), Some(first.as_str()));
        assert_eq!(b.unpack().as_deref(), Some(other.as_str()));
        // The first page's dictionary lives while it does.
        drop(b);
        assert_eq!(a.unpack().as_deref(), Some(first.as_str()));
    }

    #[test]
    fn small_pages_stay_plain() {
        assert!(Packed::pack("<p>1</p>", &Arc::from("/test/pack/small")).is_none());
    }
}
