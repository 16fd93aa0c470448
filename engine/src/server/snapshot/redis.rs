//! Snapshots in Redis: one key per page (`leptos-live:snapshot:<id>`), expiring with the
//! snapshot (the retention window after a restart, `snapshot_ttl` for a page whose socket
//! stayed away), taken with `GETDEL` so that only one process restores a page, and indexed by
//! expiry in a sorted set for the cap.

use redis::aio::MultiplexedConnection;
use serde_json::Value;
use tokio::sync::Mutex;

use super::{Stored, is_page_id};
use crate::pubsub::redis::{RedisUrlError, client};
use crate::wire::ids::now_secs;

/// Snapshots kept in a Redis server that every process can reach.
pub(crate) struct RedisStore {
    client: redis::Client,
    addr: String,
    prefix: String,
    /// One connection (it multiplexes), made on first use and again after a failure.
    conn: Mutex<Option<MultiplexedConnection>>,
}

impl RedisStore {
    /// A store at `redis://…` (or `rediss://…`).
    pub(crate) fn new(url: &str) -> Result<RedisStore, RedisUrlError> {
        let (client, addr) = client(url, None)?;
        Ok(RedisStore {
            client,
            addr,
            prefix: "leptos-live:snapshot:".to_string(),
            conn: Mutex::new(None),
        })
    }

    pub(crate) fn describe(&self) -> String {
        format!("redis at {}", self.addr)
    }

    /// Runs `cmd`; on a broken connection, connects again and runs it once more.
    async fn run<T: redis::FromRedisValue>(&self, cmd: &redis::Cmd) -> redis::RedisResult<T> {
        let mut slot = self.conn.lock().await;
        let mut last = None;
        for _ in 0..2 {
            let mut conn = match slot.as_ref() {
                Some(c) => c.clone(),
                None => {
                    let c = self.client.get_multiplexed_async_connection().await?;
                    *slot = Some(c.clone());
                    c
                }
            };
            match cmd.query_async(&mut conn).await {
                Ok(v) => return Ok(v),
                Err(e) => {
                    tracing::debug!(error = %e, "Redis snapshot link broken; connecting again");
                    *slot = None;
                    last = Some(e);
                }
            }
        }
        Err(last.unwrap_or_else(|| {
            redis::RedisError::from(std::io::Error::other("no Redis connection"))
        }))
    }

    /// Writes the snapshot of page `id`, expiring after `ttl_secs`.
    pub(crate) async fn save(
        &self,
        id: &str,
        stored: &Stored,
        ttl_secs: u64,
    ) -> std::io::Result<()> {
        if !is_page_id(id) {
            return Ok(());
        }
        let mut cmd = redis::cmd("SET");
        cmd.arg(format!("{}{id}", self.prefix))
            .arg(stored.to_json())
            .arg("EX")
            .arg(ttl_secs.max(1));
        self.run::<()>(&cmd).await.map_err(std::io::Error::other)?;
        // The index of snapshots by when they go, for the cap.
        let mut index = redis::cmd("ZADD");
        index.arg(self.index()).arg(stored.expires).arg(id);
        self.run::<()>(&index).await.map_err(std::io::Error::other)
    }

    /// The sorted set of page ids by expiry.
    fn index(&self) -> String {
        format!("{}index", self.prefix)
    }

    /// Removes the snapshots that go first past the `max` that go last, and the index's
    /// entries whose keys expired.
    pub(crate) async fn cap(&self, max: usize) {
        let mut expired = redis::cmd("ZREMRANGEBYSCORE");
        expired.arg(self.index()).arg("-inf").arg(now_secs());
        let _ = self.run::<()>(&expired).await;
        let Ok(count) = self
            .run::<usize>(redis::cmd("ZCARD").arg(self.index()))
            .await
        else {
            return;
        };
        if count <= max {
            return;
        }
        let mut oldest = redis::cmd("ZPOPMIN");
        oldest.arg(self.index()).arg(count - max);
        let Ok(popped) = self.run::<Vec<(String, f64)>>(&oldest).await else {
            return;
        };
        let keys: Vec<String> = popped
            .iter()
            .filter(|(id, _)| is_page_id(id))
            .map(|(id, _)| format!("{}{id}", self.prefix))
            .collect();
        if !keys.is_empty() {
            let _ = self.run::<()>(redis::cmd("DEL").arg(keys)).await;
        }
    }

    pub(crate) async fn take(&self, id: &str, page: &str) -> Option<Value> {
        if !is_page_id(id) {
            return None;
        }
        let mut cmd = redis::cmd("GETDEL");
        cmd.arg(format!("{}{id}", self.prefix));
        let mut index = redis::cmd("ZREM");
        index.arg(self.index()).arg(id);
        let _ = self.run::<()>(&index).await;
        match self.run::<Option<Vec<u8>>>(&cmd).await {
            Ok(Some(bytes)) => Stored::open(&bytes, page),
            Ok(None) => None,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read a snapshot from Redis");
                None
            }
        }
    }
}
