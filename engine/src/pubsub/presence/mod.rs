//! Presence: who is in a topic, with metadata, across processes.
//!
//! Each process tracks its own entries and tells the others through the [`PubSub`]: joins and
//! leaves as they happen, a heartbeat with its change count, and its whole state when asked (a
//! process that missed a change asks). A process not heard from for three heartbeats is gone,
//! and its entries leave. Pages get [`PresenceDiff`]s, batched: at most one per topic every
//! few milliseconds, and less often the more pages listen (20 ms for a few, up to 2 s for ten thousand),
//! so a crowd joining costs the server a bounded share of its time.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use crate::pubsub::{Message, PubSub, Subscription};

/// One tracked presence: a key (such as a user name) with its metadata, under a unique id.
///
/// ```
/// use leptos_live::{pubsub::PubSub, Presence};
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let presence = Presence::<String>::new(&PubSub::local());
/// let _ada = presence.track("room:lobby", "ada", "away".to_string());
/// let entries = presence.list("room:lobby");
/// assert_eq!((entries[0].key.as_str(), entries[0].meta.as_str()), ("ada", "away"));
/// # });
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceEntry<M> {
    /// Unique per tracking: `<node>:<n>`. One key may have several (two tabs).
    pub id: String,
    /// What the entry stands for, such as a user name.
    pub key: String,
    /// Its metadata (typing, status, …).
    pub meta: M,
}

/// What changed in a topic since the last diff. A metadata update is a leave and a join with the
/// same id; apply leaves first.
///
/// ```
/// use leptos_live::presence::{PresenceDiff, PresenceEntry};
///
/// /// Who is here, by entry id, kept up to date from the diffs a page gets in `handle_info`.
/// fn apply(here: &mut Vec<PresenceEntry<bool>>, diff: PresenceDiff<bool>) {
///     here.retain(|e| !diff.leaves.iter().any(|l| l.id == e.id));
///     here.extend(diff.joins);
/// }
///
/// let ada = PresenceEntry { id: "n1:1".into(), key: "ada".into(), meta: false };
/// let typing = PresenceEntry { meta: true, ..ada.clone() };
/// let mut here = vec![ada.clone()];
/// apply(&mut here, PresenceDiff { topic: "room:lobby".into(), joins: vec![typing], leaves: vec![ada] });
/// assert!(here[0].meta);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceDiff<M> {
    /// The topic.
    pub topic: String,
    /// Entries that appeared or changed.
    pub joins: Vec<PresenceEntry<M>>,
    /// Entries that went away (or changed: their old version).
    pub leaves: Vec<PresenceEntry<M>>,
}

impl<M> PresenceDiff<M> {
    fn new(topic: &str) -> Self {
        PresenceDiff {
            topic: topic.to_string(),
            joins: Vec::new(),
            leaves: Vec::new(),
        }
    }

    fn join(&mut self, entry: PresenceEntry<M>) {
        self.joins.retain(|e| e.id != entry.id);
        self.joins.push(entry);
    }

    fn leave(&mut self, entry: PresenceEntry<M>) {
        self.joins.retain(|e| e.id != entry.id);
        self.leaves.push(entry);
    }
}

mod state;
#[cfg(test)]
mod tests;
mod tracked;

use state::{Join, PresenceState, Remote, State, Wire, entry_id};
pub(crate) use tracked::Switch;
pub use tracked::Tracked;

/// Who is in which topic. Cheap to clone; one per metadata type and [`PubSub`].
///
/// ```
/// use leptos_live::{pubsub::PubSub, Presence};
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let presence = Presence::<bool>::new(&PubSub::local());
/// let mut diffs = presence.subscribe("room:lobby");
/// let ada = presence.track("room:lobby", "ada", false);
/// let diff = diffs.recv().await.unwrap();
/// assert_eq!(diff.joins[0].key, "ada");
/// assert_eq!(presence.users("room:lobby", 10), vec![("ada".to_string(), vec![false])]);
/// ada.update(|typing| *typing = true);
/// drop(ada);
/// # tokio::time::sleep(std::time::Duration::from_millis(50)).await;
/// assert_eq!(presence.user_count("room:lobby"), 0);
/// # });
/// ```
pub struct Presence<M> {
    inner: Arc<PresenceState<M>>,
}

impl<M> Clone for Presence<M> {
    fn clone(&self) -> Self {
        Presence {
            inner: self.inner.clone(),
        }
    }
}

impl<M: Message> Presence<M> {
    /// Presence over `pubsub`, with a heartbeat every 5 s (a silent process is gone after 15 s).
    /// Must run inside a tokio runtime.
    ///
    /// ```
    /// use leptos_live::{Presence, PubSub};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let pubsub = PubSub::from_env();
    /// let presence = Presence::<bool>::new(&pubsub);   // give it to pages with LiveRouter::extension
    /// let router = leptos_live::LiveRouter::new().pubsub(pubsub).extension(presence);
    /// # });
    /// ```
    pub fn new(pubsub: &PubSub) -> Presence<M> {
        Self::with_heartbeat(pubsub, Duration::from_secs(5))
    }

    /// Presence with another heartbeat period.
    ///
    /// ```
    /// use std::time::Duration;
    /// use leptos_live::{Presence, PubSub};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// // A silent process's entries leave after three heartbeats: 3 s here.
    /// let presence = Presence::<bool>::with_heartbeat(&PubSub::local(), Duration::from_secs(1));
    /// # });
    /// ```
    pub fn with_heartbeat(pubsub: &PubSub, heartbeat: Duration) -> Presence<M> {
        let inner = Arc::new(PresenceState {
            pubsub: pubsub.clone(),
            wire_topic: format!("lv:presence:{}", std::any::type_name::<M>()),
            heartbeat,
            next_ref: AtomicU64::new(1),
            state: Mutex::new(State {
                topics: FxHashMap::default(),
                local: FxHashMap::default(),
                seq: 0,
                remote: FxHashMap::default(),
                pending: FxHashMap::default(),
                flush_scheduled: false,
            }),
        });
        let census = Arc::downgrade(&inner);
        pubsub.add_census(Box::new(move || {
            let inner = census.upgrade()?;
            let state = inner.state();
            Some(
                state
                    .topics
                    .iter()
                    .filter(|(_, keys)| !keys.is_empty())
                    .map(|(topic, keys)| (topic.to_string(), keys.len()))
                    .collect(),
            )
        }));
        let wire = pubsub.subscribe::<Wire<M>>(&inner.wire_topic);
        tokio::spawn(link(Arc::downgrade(&inner), wire));
        let presence = Presence { inner };
        presence.send(Wire::Ask {
            node: presence.node().to_string(),
            to: None,
        });
        presence
    }

    fn node(&self) -> &str {
        self.inner.pubsub.node()
    }

    fn send(&self, msg: Wire<M>) {
        if let Err(e) = self.inner.pubsub.broadcast(&self.inner.wire_topic, msg) {
            tracing::error!(error = %e, "presence update could not be sent to other nodes");
        }
    }

    /// The PubSub topic this presence's diffs for `topic` go out on, in this process.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let presence = leptos_live::Presence::<bool>::new(&leptos_live::PubSub::local());
    /// assert_eq!(presence.diff_topic("room:lobby"), "lv:presence-diff:room:lobby");
    /// # });
    /// ```
    pub fn diff_topic(&self, topic: &str) -> String {
        format!("lv:presence-diff:{topic}")
    }

    /// Diffs for `topic`, for any task (pages use [`crate::Ctx::subscribe_presence`]).
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let presence = leptos_live::Presence::<bool>::new(&leptos_live::PubSub::local());
    /// let mut diffs = presence.subscribe("room:lobby");    // from any task; pages use ctx.subscribe_presence
    /// let ada = presence.track("room:lobby", "ada", false);
    /// assert_eq!(diffs.recv().await.unwrap().joins[0].key, "ada");
    /// drop(ada);
    /// assert_eq!(diffs.recv().await.unwrap().leaves[0].key, "ada");
    /// # });
    /// ```
    pub fn subscribe(&self, topic: &str) -> Subscription<PresenceDiff<M>> {
        self.inner.pubsub.subscribe(&self.diff_topic(topic))
    }

    /// Tracks `key` in `topic` until the returned handle and all its clones are dropped.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let presence = leptos_live::Presence::<bool>::new(&leptos_live::PubSub::local());
    /// let ada = presence.track("room:lobby", "ada", false);   // pages use ctx.track
    /// let other_tab = presence.track("room:lobby", "ada", true);
    /// assert_eq!(presence.user_count("room:lobby"), 1);
    /// assert_eq!(presence.list("room:lobby").len(), 2);
    /// drop((ada, other_tab));
    /// # });
    /// ```
    pub fn track(&self, topic: &str, key: impl Into<String>, meta: M) -> Tracked<M> {
        let t = Tracked::new(self.clone(), topic, key.into(), meta);
        t.activate();
        t
    }

    fn new_ref(&self) -> u64 {
        self.inner.next_ref.fetch_add(1, Ordering::Relaxed)
    }

    /// Adds (or updates) one of this process's entries. The change goes out to the other
    /// processes while the state is locked, so that they get changes in sequence order.
    fn add_local(&self, topic: &Arc<str>, key: &str, meta: M, r: u64) {
        {
            let mut st = self.inner.state();
            st.local.insert(
                r,
                Join {
                    topic: topic.clone(),
                    key: key.to_string(),
                    meta: meta.clone(),
                },
            );
            st.add(topic, key, entry_id(self.node(), r), meta.clone());
            st.seq += 1;
            self.send(Wire::Join {
                node: self.node().to_string(),
                seq: st.seq,
                r,
                topic: topic.to_string(),
                key: key.to_string(),
                meta,
            });
        }
        self.schedule_flush();
    }

    fn remove_local(&self, r: u64) {
        {
            let mut st = self.inner.state();
            let Some(e) = st.local.remove(&r) else {
                return;
            };
            st.remove(&e.topic, &e.key, &entry_id(self.node(), r));
            st.seq += 1;
            self.send(Wire::Leave {
                node: self.node().to_string(),
                seq: st.seq,
                r,
            });
        }
        self.schedule_flush();
    }

    /// Every entry in `topic`, ordered by key.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let presence = leptos_live::Presence::<bool>::new(&leptos_live::PubSub::local());
    /// let _b = presence.track("room:lobby", "grace", false);
    /// let _a = presence.track("room:lobby", "ada", true);
    /// let keys: Vec<String> = presence.list("room:lobby").into_iter().map(|e| e.key).collect();
    /// assert_eq!(keys, ["ada", "grace"]);
    /// # });
    /// ```
    pub fn list(&self, topic: &str) -> Vec<PresenceEntry<M>> {
        let st = self.inner.state();
        st.topics.get(topic).map_or_else(Vec::new, |keys| {
            keys.iter()
                .flat_map(|(key, ids)| {
                    ids.iter().map(|(id, meta)| PresenceEntry {
                        id: id.clone(),
                        key: key.clone(),
                        meta: meta.clone(),
                    })
                })
                .collect()
        })
    }

    /// The first `limit` keys in `topic` (in key order), each with the metadata of its entries.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let presence = leptos_live::Presence::<bool>::new(&leptos_live::PubSub::local());
    /// let _a = presence.track("room:lobby", "ada", false);
    /// let _a2 = presence.track("room:lobby", "ada", true);     // a second tab
    /// let _g = presence.track("room:lobby", "grace", false);
    /// let first = presence.users("room:lobby", 1);
    /// assert_eq!(first.len(), 1);
    /// assert_eq!(first[0].0, "ada");
    /// assert_eq!(first[0].1.len(), 2);
    /// # });
    /// ```
    pub fn users(&self, topic: &str, limit: usize) -> Vec<(String, Vec<M>)> {
        let st = self.inner.state();
        st.topics.get(topic).map_or_else(Vec::new, |keys| {
            keys.iter()
                .take(limit)
                .map(|(k, ids)| (k.clone(), ids.values().cloned().collect()))
                .collect()
        })
    }

    /// How many distinct keys `topic` has.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let presence = leptos_live::Presence::<bool>::new(&leptos_live::PubSub::local());
    /// assert_eq!(presence.user_count("room:lobby"), 0);
    /// let _a = presence.track("room:lobby", "ada", false);
    /// assert_eq!(presence.user_count("room:lobby"), 1);
    /// # });
    /// ```
    pub fn user_count(&self, topic: &str) -> usize {
        self.inner.state().topics.get(topic).map_or(0, |k| k.len())
    }

    /// Sends the pending diffs after a pause that grows with the number of listening pages.
    fn schedule_flush(&self) {
        let listeners: usize = {
            let mut st = self.inner.state();
            if st.flush_scheduled || st.pending.is_empty() {
                return;
            }
            st.flush_scheduled = true;
            st.pending
                .keys()
                .map(|t| self.inner.pubsub.subscriber_count(&self.diff_topic(t)))
                .sum()
        };
        // A diff costs each listening page a render: about 0.2 ms per page on this kind of
        // machine, so a crowd gets diffs less often than a handful.
        let delay = Duration::from_micros(200 * listeners as u64)
            .clamp(Duration::from_millis(20), Duration::from_secs(2));
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                let weak = Arc::downgrade(&self.inner);
                rt.spawn(async move {
                    tokio::time::sleep(delay).await;
                    if let Some(inner) = weak.upgrade() {
                        Presence { inner }.flush();
                    }
                });
            }
            Err(_) => self.flush(),
        }
    }

    fn flush(&self) {
        let pending = {
            let mut st = self.inner.state();
            st.flush_scheduled = false;
            std::mem::take(&mut st.pending)
        };
        for (topic, diff) in pending {
            if !diff.joins.is_empty() || !diff.leaves.is_empty() {
                self.inner
                    .pubsub
                    .broadcast_local(&self.diff_topic(&topic), diff);
            }
        }
    }

    /// Handles a message from another process.
    fn receive(&self, msg: Wire<M>) {
        let me = self.node().to_string();
        let mut ask = None;
        let mut answer = false;
        {
            let mut st = self.inner.state();
            let now = Instant::now();
            let node_of = |st: &mut State<M>, node: &str| {
                st.remote
                    .entry(node.to_string())
                    .or_insert_with(|| Remote {
                        last_seen: now,
                        seq: 0,
                        entries: FxHashMap::default(),
                    })
                    .last_seen = now;
            };
            match msg {
                Wire::Join { node, .. } | Wire::Leave { node, .. } | Wire::Beat { node, .. }
                    if node == me => {}
                Wire::Join {
                    node,
                    seq,
                    r,
                    topic,
                    key,
                    meta,
                } => {
                    node_of(&mut st, &node);
                    let topic: Arc<str> = topic.into();
                    let id = entry_id(&node, r);
                    if let Some(old) = st.remote.get_mut(&node).and_then(|n| n.entries.remove(&r))
                        && (old.key != key || old.topic != topic)
                    {
                        st.remove(&old.topic, &old.key, &id);
                    }
                    st.add(&topic, &key, id, meta.clone());
                    if let Some(n) = st.remote.get_mut(&node) {
                        n.entries.insert(r, Join { topic, key, meta });
                        if seq > n.seq + 1 {
                            ask = Some(node.clone());
                        }
                        n.seq = n.seq.max(seq);
                    }
                }
                Wire::Leave { node, seq, r } => {
                    node_of(&mut st, &node);
                    if let Some(n) = st.remote.get_mut(&node) {
                        let old = n.entries.remove(&r);
                        if seq > n.seq + 1 {
                            ask = Some(node.clone());
                        }
                        n.seq = n.seq.max(seq);
                        if let Some(e) = old {
                            st.remove(&e.topic, &e.key, &entry_id(&node, r));
                        }
                    }
                }
                Wire::Beat { node, seq } => {
                    let known = st.remote.contains_key(&node);
                    node_of(&mut st, &node);
                    if !known || st.remote.get(&node).is_some_and(|n| seq > n.seq) {
                        ask = Some(node);
                    }
                }
                Wire::Ask { node, to } => {
                    answer = node != me && to.as_deref().is_none_or(|t| t == me);
                }
                // A state older than changes already applied would undo them.
                Wire::State { node, seq, .. }
                    if node == me || st.remote.get(&node).is_some_and(|n| seq < n.seq) => {}
                Wire::State { node, seq, entries } => {
                    node_of(&mut st, &node);
                    let old = st
                        .remote
                        .get_mut(&node)
                        .map(|n| std::mem::take(&mut n.entries))
                        .unwrap_or_default();
                    let mut new = FxHashMap::default();
                    for (r, topic, key, meta) in entries {
                        let topic: Arc<str> = topic.into();
                        let id = entry_id(&node, r);
                        let same = old
                            .get(&r)
                            .is_some_and(|o| o.topic == topic && o.key == key);
                        if !same && let Some(o) = old.get(&r) {
                            st.remove(&o.topic, &o.key, &id);
                        }
                        // An entry known as it is stays quiet.
                        let unchanged = same
                            && old.get(&r).is_some_and(|o| {
                                serde_json::to_string(&o.meta).ok()
                                    == serde_json::to_string(&meta).ok()
                            });
                        if !unchanged {
                            st.add(&topic, &key, id, meta.clone());
                        }
                        new.insert(r, Join { topic, key, meta });
                    }
                    for (r, o) in &old {
                        if !new.contains_key(r) {
                            st.remove(&o.topic, &o.key, &entry_id(&node, *r));
                        }
                    }
                    if let Some(n) = st.remote.get_mut(&node) {
                        n.entries = new;
                        n.seq = seq;
                    }
                }
            }
        }
        self.schedule_flush();
        if let Some(node) = ask {
            tracing::debug!(%node, "presence: missed a change; asking for the state");
            self.send(Wire::Ask {
                node: me.clone(),
                to: Some(node),
            });
        }
        if answer {
            let st = self.inner.state();
            let entries = st
                .local
                .iter()
                .map(|(r, e)| (*r, e.topic.to_string(), e.key.clone(), e.meta.clone()))
                .collect();
            self.send(Wire::State {
                node: me,
                seq: st.seq,
                entries,
            });
        }
    }

    /// Beats, and lets silent processes' entries go.
    fn tick(&self) {
        let seq = {
            let mut st = self.inner.state();
            let deadline = self.inner.heartbeat * 3;
            let gone: Vec<String> = st
                .remote
                .iter()
                .filter(|(_, n)| n.last_seen.elapsed() > deadline)
                .map(|(k, _)| k.clone())
                .collect();
            for node in gone {
                tracing::info!(%node, "presence: a node went silent; its entries leave");
                st.remove_node(&node);
            }
            st.seq
        };
        self.schedule_flush();
        self.send(Wire::Beat {
            node: self.node().to_string(),
            seq,
        });
    }
}

/// The task that hears other processes and beats, for as long as the presence exists.
async fn link<M: Message>(inner: Weak<PresenceState<M>>, mut wire: Subscription<Wire<M>>) {
    let period = match inner.upgrade() {
        Some(i) => i.heartbeat,
        None => return,
    };
    let mut beat = tokio::time::interval(period);
    beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            msg = wire.recv() => {
                let (Some(msg), Some(inner)) = (msg, inner.upgrade()) else { return };
                Presence { inner }.receive(msg);
            }
            _ = beat.tick() => {
                let Some(inner) = inner.upgrade() else { return };
                Presence { inner }.tick();
            }
        }
    }
}
