//! A tracked entry: in the presence while its handle lives and its page's socket is attached.

use std::sync::{Arc, Mutex, MutexGuard, Weak};

use super::Presence;
use crate::pubsub::Message;

/// One tracked entry. Cheap to clone; the entry leaves when the last clone is dropped. A page
/// keeps it in its state for as long as the entry should stay: dropping it (or the page ending)
/// takes the entry out, and while the page's socket is away the entry is suspended.
///
/// ```
/// use leptos_live::{Presence, PubSub};
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let presence = Presence::<bool>::new(&PubSub::local());   // pages track with ctx.track
/// let ada = presence.track("room:lobby", "ada", false);
/// let same = ada.clone();
/// drop(ada);
/// assert_eq!(presence.user_count("room:lobby"), 1);        // a clone keeps it
/// drop(same);
/// # tokio::time::sleep(std::time::Duration::from_millis(20)).await;
/// assert_eq!(presence.user_count("room:lobby"), 0);
/// # });
/// ```
pub struct Tracked<M: Message> {
    pub(super) inner: Arc<TrackedInner<M>>,
}

impl<M: Message> Clone for Tracked<M> {
    fn clone(&self) -> Self {
        Tracked {
            inner: self.inner.clone(),
        }
    }
}

pub(super) struct TrackedInner<M: Message> {
    pub(super) presence: Presence<M>,
    pub(super) topic: Arc<str>,
    pub(super) key: String,
    /// The metadata, and the entry's ref while it is in the presence.
    pub(super) state: Mutex<(M, Option<u64>)>,
}

impl<M: Message> Tracked<M> {
    pub(crate) fn new(presence: Presence<M>, topic: &str, key: String, meta: M) -> Tracked<M> {
        Tracked {
            inner: Arc::new(TrackedInner {
                presence,
                topic: topic.into(),
                key,
                state: Mutex::new((meta, None)),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, (M, Option<u64>)> {
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Changes the metadata; every listener gets the change.
    ///
    /// ```
    /// use leptos_live::{Presence, PubSub};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let presence = Presence::<bool>::new(&PubSub::local());   // pages track with ctx.track
    /// let ada = presence.track("room:lobby", "ada", false);
    /// ada.update(|typing| *typing = true);
    /// assert_eq!(presence.users("room:lobby", 10)[0].1, [true]);
    /// # });
    /// ```
    pub fn update(&self, f: impl FnOnce(&mut M)) {
        // The lock is held through the change, so that a concurrent suspend or update cannot
        // interleave with it (the order is always this lock, then the presence's).
        let mut st = self.lock();
        f(&mut st.0);
        if let Some(r) = st.1 {
            let meta = st.0.clone();
            self.inner
                .presence
                .add_local(&self.inner.topic, &self.inner.key, meta, r);
        }
    }

    /// The current metadata.
    ///
    /// ```
    /// use leptos_live::{Presence, PubSub};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let presence = Presence::<bool>::new(&PubSub::local());   // pages track with ctx.track
    /// let ada = presence.track("room:lobby", "ada", false);
    /// assert!(!ada.meta());
    /// # });
    /// ```
    pub fn meta(&self) -> M {
        self.lock().0.clone()
    }

    /// The key tracked.
    ///
    /// ```
    /// use leptos_live::{Presence, PubSub};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let presence = Presence::<bool>::new(&PubSub::local());   // pages track with ctx.track
    /// let ada = presence.track("room:lobby", "ada", false);
    /// assert_eq!(ada.key(), "ada");
    /// # });
    /// ```
    pub fn key(&self) -> &str {
        &self.inner.key
    }

    pub(crate) fn activate(&self) {
        let mut st = self.lock();
        if st.1.is_none() {
            let meta = st.0.clone();
            let r = self.inner.presence.new_ref();
            st.1 = Some(r);
            self.inner
                .presence
                .add_local(&self.inner.topic, &self.inner.key, meta, r);
        }
    }

    pub(crate) fn suspend(&self) {
        let mut st = self.lock();
        if let Some(r) = st.1.take() {
            self.inner.presence.remove_local(r);
        }
    }
}

impl<M: Message> Drop for TrackedInner<M> {
    fn drop(&mut self) {
        let r = self
            .state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .1
            .take();
        if let Some(r) = r {
            self.presence.remove_local(r);
        }
    }
}

/// A tracked entry as the page's context holds it: switched with the socket, without keeping
/// the entry alive (the page's own handle does that).
pub(crate) trait Switch: Send + Sync {
    /// Activates or suspends the entry; false when the page has dropped it.
    fn set_active(&self, active: bool) -> bool;

    /// Whether the page still holds the entry.
    fn alive(&self) -> bool;
}

/// A [`Tracked`] that does not keep its entry.
pub(crate) struct WeakTracked<M: Message>(Weak<TrackedInner<M>>);

impl<M: Message> Tracked<M> {
    pub(crate) fn downgrade(&self) -> WeakTracked<M> {
        WeakTracked(Arc::downgrade(&self.inner))
    }
}

impl<M: Message> Switch for WeakTracked<M> {
    fn set_active(&self, active: bool) -> bool {
        let Some(inner) = self.0.upgrade() else {
            return false;
        };
        let tracked = Tracked { inner };
        if active {
            tracked.activate()
        } else {
            tracked.suspend()
        }
        true
    }

    fn alive(&self) -> bool {
        self.0.strong_count() > 0
    }
}
