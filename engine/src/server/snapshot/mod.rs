//! Snapshots: page state written out when the process stops, and read back when the page's
//! browser rejoins the next process (or another process). Kept in a directory by default, or
//! in Redis, which every process of a deploy can reach.

mod dir;
#[cfg(feature = "redis")]
mod redis;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub(crate) use dir::DirStore;
#[cfg(feature = "redis")]
pub(crate) use redis::RedisStore;

use crate::wire::ids::now_secs;

/// What a snapshot holds.
#[derive(Serialize, Deserialize)]
pub(crate) struct Stored {
    /// The route pattern of the page: a snapshot only restores the page it came from.
    pub page: String,
    /// Unix seconds after which the snapshot is worth nothing (the retention window for a
    /// restart, `snapshot_ttl` for a page whose socket stayed away).
    pub expires: u64,
    pub state: Value,
}

impl Stored {
    /// The state of a page at `page`, worth restoring for `ttl_secs`.
    pub(super) fn new(page: &str, state: Value, ttl_secs: u64) -> Stored {
        Stored {
            page: page.to_string(),
            expires: now_secs() + ttl_secs,
            state,
        }
    }

    pub(super) fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// The state in `bytes`, when it is a snapshot of `page` that has not expired.
    pub(super) fn open(bytes: &[u8], page: &str) -> Option<Value> {
        let stored: Stored = serde_json::from_slice(bytes).ok()?;
        (stored.page == page && stored.expires >= now_secs()).then_some(stored.state)
    }
}

/// Whether `id` is a page id as the engine makes them (hex): nothing else names a snapshot.
pub(super) fn is_page_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Where snapshots are kept.
pub(crate) enum Store {
    Dir(DirStore),
    #[cfg(feature = "redis")]
    Redis(Box<RedisStore>),
}

impl Store {
    /// Writes the state of page `id` at `page`, valid for `ttl_secs`.
    pub(crate) async fn save(
        &self,
        id: &str,
        page: &str,
        state: Value,
        ttl_secs: u64,
    ) -> std::io::Result<()> {
        let stored = Stored::new(page, state, ttl_secs);
        match self {
            Store::Dir(d) => d.save(id, &stored),
            #[cfg(feature = "redis")]
            Store::Redis(r) => r.save(id, &stored, ttl_secs).await,
        }
    }

    /// Takes the state of page `id` at `page`: once, fresh, and only for the page it came from.
    pub(crate) async fn take(&self, id: &str, page: &str) -> Option<Value> {
        match self {
            Store::Dir(d) => d.take(id, page),
            #[cfg(feature = "redis")]
            Store::Redis(r) => r.take(id, page).await,
        }
    }

    /// Removes the oldest snapshots past the `max` newest.
    pub(crate) async fn cap(&self, max: usize) {
        match self {
            Store::Dir(d) => d.cap(max),
            #[cfg(feature = "redis")]
            Store::Redis(r) => r.cap(max).await,
        }
    }

    /// Removes what expired (Redis expires its keys itself).
    pub(crate) fn purge(&self) {
        #[cfg_attr(not(feature = "redis"), allow(irrefutable_let_patterns))]
        if let Store::Dir(d) = self {
            d.purge();
        }
    }

    /// Where the snapshots go, for the log.
    pub(crate) fn describe(&self) -> String {
        match self {
            Store::Dir(d) => d.dir().display().to_string(),
            #[cfg(feature = "redis")]
            Store::Redis(r) => r.describe(),
        }
    }
}
