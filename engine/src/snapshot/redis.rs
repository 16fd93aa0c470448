//! Snapshots in Redis: one key per page (`leptos-live:snapshot:<id>`), expiring with the
//! retention window, taken with `GETDEL` so that only one process restores a page.

use serde_json::Value;
use tokio::io::AsyncWriteExt as _;
use tokio::sync::Mutex;

use super::{Stored, is_page_id};
use crate::pubsub::redis::{Conn, RedisUrlError, Target};
use crate::pubsub::resp::{self, Reply};
use crate::token::now_secs;

/// Snapshots kept in a Redis server that every process can reach.
pub(crate) struct RedisStore {
    target: Target,
    prefix: String,
    /// One connection, made on first use and again after a failure.
    conn: Mutex<Option<Conn>>,
}

impl RedisStore {
    /// A store at `redis://…`.
    pub(crate) fn new(url: &str) -> Result<RedisStore, RedisUrlError> {
        Ok(RedisStore {
            target: Target::parse(url)?,
            prefix: "leptos-live:snapshot:".to_string(),
            conn: Mutex::new(None),
        })
    }

    pub(crate) fn describe(&self) -> String {
        format!("redis at {}", self.target.addr)
    }

    /// Runs one command; on a broken connection, connects again and runs it once more.
    async fn run(&self, parts: &[&[u8]]) -> std::io::Result<Reply> {
        let mut cmd = Vec::new();
        resp::command(&mut cmd, parts);
        let mut conn = self.conn.lock().await;
        for attempt in 0..2 {
            if conn.is_none() {
                *conn = Some(self.target.connect().await?);
            }
            let Some((r, w)) = conn.as_mut() else {
                continue;
            };
            let reply = async {
                w.write_all(&cmd).await?;
                resp::read(r).await
            }
            .await;
            match reply {
                Ok(reply) => return Ok(reply),
                Err(e) if attempt == 0 => {
                    tracing::debug!(error = %e, "Redis snapshot link broken; connecting again");
                    *conn = None;
                }
                Err(e) => {
                    *conn = None;
                    return Err(e);
                }
            }
        }
        Err(std::io::Error::other("no Redis connection"))
    }

    pub(crate) async fn save(
        &self,
        id: &str,
        page: &str,
        state: Value,
        ttl_secs: u64,
    ) -> std::io::Result<()> {
        if !is_page_id(id) {
            return Ok(());
        }
        let stored = Stored {
            page: page.to_string(),
            expires: now_secs() + ttl_secs,
            state,
        };
        let key = format!("{}{id}", self.prefix);
        let ttl = ttl_secs.max(1).to_string();
        match self
            .run(&[
                b"SET",
                key.as_bytes(),
                &stored.to_json(),
                b"EX",
                ttl.as_bytes(),
            ])
            .await?
        {
            Reply::Error(e) => Err(std::io::Error::other(format!("SET refused: {e}"))),
            _ => Ok(()),
        }
    }

    pub(crate) async fn take(&self, id: &str, page: &str) -> Option<Value> {
        if !is_page_id(id) {
            return None;
        }
        let key = format!("{}{id}", self.prefix);
        match self.run(&[b"GETDEL", key.as_bytes()]).await {
            Ok(Reply::Bulk(Some(bytes))) => Stored::open(&bytes, page),
            Ok(Reply::Bulk(None)) => None,
            Ok(other) => {
                tracing::warn!(reply = ?other, "unexpected Redis reply to GETDEL");
                None
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot read a snapshot from Redis");
                None
            }
        }
    }
}
