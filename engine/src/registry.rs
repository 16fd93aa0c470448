//! The registry of running pages by id: how a socket finds the state its HTTP render mounted, or
//! the page it was attached to before its connection dropped.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::mpsc;

use crate::page::Control;

#[derive(Default)]
pub(crate) struct Registry {
    pages: Mutex<HashMap<Arc<str>, mpsc::Sender<Control>>>,
    pending: AtomicUsize,
}

impl Registry {
    fn lock(&self) -> MutexGuard<'_, HashMap<Arc<str>, mpsc::Sender<Control>>> {
        // A panic while holding this lock cannot leave the map inconsistent: recover it.
        self.pages.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reserves a place for a page waiting for adoption; false when `max` are waiting already.
    pub fn reserve_pending(&self, max: usize) -> bool {
        self.pending
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < max).then_some(n + 1)
            })
            .is_ok()
    }

    /// Gives back a reserved place that was not used.
    pub fn release_pending(&self) {
        self.pending.fetch_sub(1, Ordering::AcqRel);
    }

    pub fn insert(&self, id: Arc<str>, tx: mpsc::Sender<Control>) {
        self.lock().insert(id, tx);
    }

    pub fn get(&self, id: &str) -> Option<mpsc::Sender<Control>> {
        self.lock().get(id).cloned()
    }

    /// A pending page was adopted by its socket.
    pub fn adopted(&self) {
        self.release_pending();
    }

    /// A page ended; `pending` when it was never adopted.
    pub fn remove(&self, id: &str, pending: bool) {
        self.lock().remove(id);
        if pending {
            self.release_pending();
        }
    }

    /// How many pages wait for adoption.
    #[cfg(test)]
    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_places_are_capped() {
        let r = Registry::default();
        assert!(r.reserve_pending(2));
        assert!(r.reserve_pending(2));
        assert!(!r.reserve_pending(2));
        r.adopted();
        assert!(r.reserve_pending(2));
        assert_eq!(r.pending(), 2);
    }
}
