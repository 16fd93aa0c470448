//! What a presence knows: entries by topic and key, this process's own and other processes',
//! and the messages processes exchange about them.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use super::{PresenceDiff, PresenceEntry};
use crate::pubsub::{Message, PubSub};

/// Between processes, on the PubSub topic [`Presence::wire_topic`].
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(bound = "M: Message")]
pub(super) enum Wire<M> {
    Join {
        node: String,
        seq: u64,
        r: u64,
        topic: String,
        key: String,
        meta: M,
    },
    Leave {
        node: String,
        seq: u64,
        r: u64,
    },
    Beat {
        node: String,
        seq: u64,
    },
    Ask {
        node: String,
        to: Option<String>,
    },
    State {
        node: String,
        seq: u64,
        entries: Vec<(u64, String, String, M)>,
    },
}

pub(super) struct Join<M> {
    pub(super) topic: Arc<str>,
    pub(super) key: String,
    pub(super) meta: M,
}

pub(super) struct Remote<M> {
    pub(super) last_seen: Instant,
    pub(super) seq: u64,
    pub(super) entries: FxHashMap<u64, Join<M>>,
}

pub(super) struct State<M> {
    /// Everything known, local and remote: topic → key → id → meta.
    pub(super) topics: FxHashMap<Arc<str>, BTreeMap<String, BTreeMap<String, M>>>,
    pub(super) local: FxHashMap<u64, Join<M>>,
    /// This process's change count.
    pub(super) seq: u64,
    pub(super) remote: FxHashMap<String, Remote<M>>,
    pub(super) pending: FxHashMap<Arc<str>, PresenceDiff<M>>,
    pub(super) flush_scheduled: bool,
}

impl<M: Message> State<M> {
    pub(super) fn add(&mut self, topic: &Arc<str>, key: &str, id: String, meta: M) {
        let old = self
            .topics
            .entry(topic.clone())
            .or_default()
            .entry(key.to_string())
            .or_default()
            .insert(id.clone(), meta.clone());
        let diff = self
            .pending
            .entry(topic.clone())
            .or_insert_with(|| PresenceDiff::new(topic));
        if let Some(old) = old {
            diff.leave(PresenceEntry {
                id: id.clone(),
                key: key.to_string(),
                meta: old,
            });
        }
        diff.join(PresenceEntry {
            id,
            key: key.to_string(),
            meta,
        });
    }

    pub(super) fn remove(&mut self, topic: &Arc<str>, key: &str, id: &str) {
        let Some(keys) = self.topics.get_mut(topic) else {
            return;
        };
        let Some(ids) = keys.get_mut(key) else {
            return;
        };
        let Some(meta) = ids.remove(id) else {
            return;
        };
        if ids.is_empty() {
            keys.remove(key);
            if keys.is_empty() {
                self.topics.remove(topic);
            }
        }
        self.pending
            .entry(topic.clone())
            .or_insert_with(|| PresenceDiff::new(topic))
            .leave(PresenceEntry {
                id: id.to_string(),
                key: key.to_string(),
                meta,
            });
    }

    pub(super) fn remove_node(&mut self, node: &str) {
        if let Some(remote) = self.remote.remove(node) {
            for (r, e) in remote.entries {
                self.remove(&e.topic, &e.key, &entry_id(node, r));
            }
        }
    }
}

pub(super) fn entry_id(node: &str, r: u64) -> String {
    format!("{node}:{r}")
}

pub(super) struct PresenceState<M> {
    pub(super) pubsub: PubSub,
    pub(super) wire_topic: String,
    pub(super) heartbeat: Duration,
    pub(super) next_ref: AtomicU64,
    pub(super) state: Mutex<State<M>>,
}

impl<M> PresenceState<M> {
    pub(super) fn state(&self) -> MutexGuard<'_, State<M>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}
