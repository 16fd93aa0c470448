//! The registry of running pages by id: how a socket finds the state its HTTP render mounted, or
//! the page it was attached to before its connection dropped.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::mpsc;

use crate::page::task::Control;

type Pages = HashMap<Arc<str>, (u64, mpsc::Sender<Control>)>;

#[derive(Default)]
pub(crate) struct Registry {
    pages: Mutex<Pages>,
    pending: AtomicUsize,
    generations: AtomicU64,
    /// Pages mounted per client address and per session.
    quotas: Mutex<HashMap<Arc<str>, usize>>,
}

/// A page's place in the per-address and per-session counts, given back when dropped.
pub(crate) struct Quota {
    registry: Arc<Registry>,
    keys: Vec<Arc<str>>,
}

impl Drop for Quota {
    fn drop(&mut self) {
        let mut counts = self
            .registry
            .quotas
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        for key in &self.keys {
            if let Some(n) = counts.get_mut(key) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    counts.remove(key);
                }
            }
        }
    }
}

impl Registry {
    fn lock(&self) -> MutexGuard<'_, Pages> {
        // A panic while holding this lock cannot leave the map inconsistent: recover it.
        self.pages.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A number no other page started through this registry has.
    pub fn next_generation(&self) -> u64 {
        self.generations.fetch_add(1, Ordering::Relaxed)
    }

    /// Reserves a place for a page waiting for adoption; false when `max` are waiting already.
    pub fn reserve_pending(&self, max: usize) -> bool {
        self.pending
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .is_ok()
    }

    /// Counts one more page under each key, unless one of them is at its limit (then nothing
    /// is counted and the key at its limit is returned).
    pub fn claim(self: &Arc<Self>, keys: Vec<(Arc<str>, usize)>) -> Result<Quota, Arc<str>> {
        let mut counts = self.quotas.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((full, _)) = keys
            .iter()
            .find(|(k, limit)| counts.get(k).copied().unwrap_or(0) >= *limit)
        {
            return Err(full.clone());
        }
        for (k, _) in &keys {
            *counts.entry(k.clone()).or_insert(0) += 1;
        }
        Ok(Quota {
            registry: self.clone(),
            keys: keys.into_iter().map(|(k, _)| k).collect(),
        })
    }

    /// Gives back a reserved place.
    pub fn release_pending(&self) {
        self.pending.fetch_sub(1, Ordering::AcqRel);
    }

    /// Registers a page; when a running page already has this id, leaves it in place and
    /// returns it (two sockets mounted the same page at once: the first one wins).
    pub fn insert(
        &self,
        id: Arc<str>,
        generation: u64,
        tx: mpsc::Sender<Control>,
    ) -> Option<mpsc::Sender<Control>> {
        match self.lock().entry(id) {
            Entry::Occupied(e) if !e.get().1.is_closed() => Some(e.get().1.clone()),
            Entry::Occupied(mut e) => {
                e.insert((generation, tx));
                None
            }
            Entry::Vacant(e) => {
                e.insert((generation, tx));
                None
            }
        }
    }

    /// Every running page, by id.
    pub fn all(&self) -> Vec<(Arc<str>, mpsc::Sender<Control>)> {
        self.lock()
            .iter()
            .map(|(id, (_, tx))| (id.clone(), tx.clone()))
            .collect()
    }

    pub fn get(&self, id: &str) -> Option<mpsc::Sender<Control>> {
        self.lock().get(id).map(|(_, tx)| tx.clone())
    }

    /// Removes a page's entry, unless a later page took the id since.
    fn remove(&self, id: &str, generation: u64) {
        let mut pages = self.lock();
        if pages.get(id).is_some_and(|(g, _)| *g == generation) {
            pages.remove(id);
        }
    }

    /// How many pages wait for adoption.
    #[cfg(test)]
    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::Acquire)
    }
}

/// A page's place in the registry, given back when the page ends, however it ends.
pub(crate) struct Registration {
    registry: Arc<Registry>,
    id: Arc<str>,
    generation: u64,
    pending: bool,
}

impl Registration {
    /// `pending`: the page holds a reserved place while it waits for adoption.
    pub fn new(registry: Arc<Registry>, id: Arc<str>, generation: u64, pending: bool) -> Self {
        Registration {
            registry,
            id,
            generation,
            pending,
        }
    }

    /// Whether a socket has attached to the page at least once.
    pub fn adopted(&self) -> bool {
        !self.pending
    }

    /// A socket attached: the page no longer waits for adoption.
    pub fn adopt(&mut self) {
        if std::mem::take(&mut self.pending) {
            self.registry.release_pending();
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.registry.remove(&self.id, self.generation);
        if self.pending {
            self.registry.release_pending();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotas_cap_pages_per_key_and_are_given_back() {
        let r = Arc::new(Registry::default());
        let key = |k: &str, n| (Arc::<str>::from(k), n);
        let a = r.claim(vec![key("ip:1", 2), key("s:x", 5)]).expect("first");
        let b = r.claim(vec![key("ip:1", 2)]).expect("second");
        assert_eq!(
            r.claim(vec![key("s:x", 5), key("ip:1", 2)])
                .err()
                .as_deref(),
            Some("ip:1")
        );
        // A refusal counts nothing: s:x is still at one.
        drop(b);
        let c = r
            .claim(vec![key("ip:1", 2), key("s:x", 2)])
            .expect("room again");
        assert!(r.claim(vec![key("s:x", 2)]).is_err());
        drop((a, c));
        assert!(r.quotas.lock().unwrap().is_empty());
    }

    #[test]
    fn pending_places_are_capped_and_given_back() {
        let r = Arc::new(Registry::default());
        assert!(r.reserve_pending(2));
        assert!(r.reserve_pending(2));
        assert!(!r.reserve_pending(2));
        let mut a = Registration::new(r.clone(), "a".into(), 0, true);
        let b = Registration::new(r.clone(), "b".into(), 1, true);
        a.adopt();
        assert_eq!(r.pending(), 1);
        drop(b);
        assert_eq!(r.pending(), 0);
        drop(a);
        assert_eq!(r.pending(), 0);
    }

    #[test]
    fn a_later_page_under_the_same_id_keeps_its_entry() {
        let r = Arc::new(Registry::default());
        let (tx1, _rx1) = mpsc::channel(1);
        let (tx2, _rx2) = mpsc::channel(1);
        assert!(r.insert("p".into(), 1, tx1).is_none());
        // The first page is still running: the second mount yields to it.
        assert!(r.insert("p".into(), 2, tx2.clone()).is_some());
        drop(_rx1);
        // Once the first has ended, the id is free again.
        assert!(r.insert("p".into(), 2, tx2).is_none());
        // The first page's late removal leaves the second one in place.
        drop(Registration::new(r.clone(), "p".into(), 1, false));
        assert!(r.get("p").is_some());
    }
}
