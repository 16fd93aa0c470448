//! The Redis backend: every process publishes to, and subscribes to, one Redis channel. It
//! speaks to Redis through the `redis` crate: `redis://` URLs, and `rediss://` (TLS, as managed
//! Redis services require) with the `redis-tls` feature.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::StreamExt as _;
use tokio::sync::mpsc;

use super::backend::{Inbound, PubSubBackend, RemoteMessage};

/// Messages waiting for the Redis link; past this, new ones are dropped (and counted).
const QUEUE: usize = 65_536;

/// How often the subscribe link pings Redis.
const KEEPALIVE: Duration = Duration::from_secs(10);

/// Messages published in one round trip, at most.
const BATCH: usize = 256;

/// Why a Redis URL was refused.
///
/// ```
/// let err = leptos_live::pubsub::Redis::new("http://127.0.0.1:6379").err().unwrap();
/// assert!(err.to_string().starts_with("bad Redis URL"));
/// ```
#[derive(Debug, thiserror::Error)]
#[error("bad Redis URL {url:?}: {reason}")]
pub struct RedisUrlError {
    url: String,
    reason: String,
}

/// A client for the Redis server at `url`, and its address for the log.
pub(crate) fn client(
    url: &str,
    #[allow(unused_variables)] root_cert: Option<Vec<u8>>,
) -> Result<(redis::Client, String), RedisUrlError> {
    let err = |reason: String| RedisUrlError {
        url: url.to_string(),
        reason,
    };
    if !(url.starts_with("redis://") || url.starts_with("rediss://")) {
        return Err(err("it must start with redis:// or rediss://".into()));
    }
    #[cfg(feature = "redis-tls")]
    let client = match root_cert {
        Some(pem) => redis::Client::build_with_tls(
            url,
            redis::TlsCertificates {
                client_tls: None,
                root_cert: Some(pem),
            },
        ),
        None => redis::Client::open(url),
    };
    #[cfg(not(feature = "redis-tls"))]
    let client = redis::Client::open(url);
    let client = client.map_err(|e| err(e.to_string()))?;
    let addr = client.get_connection_info().addr().to_string();
    Ok((client, addr))
}

/// Relays PubSub messages between processes through a Redis server (PUBLISH/SUBSCRIBE on one
/// channel). A lost connection is logged and retried with backoff; meanwhile each process's
/// own subscribers keep getting its own messages.
///
/// ```no_run
/// use leptos_live::pubsub::{PubSub, Redis};
/// # async fn f() -> Result<(), Box<dyn std::error::Error>> {
/// let pubsub = PubSub::new(Redis::new("redis://127.0.0.1:6379")?);
/// # Ok(()) }
/// ```
pub struct Redis {
    client: redis::Client,
    addr: String,
    channel: String,
    tx: mpsc::Sender<RemoteMessage>,
    rx: Mutex<Option<mpsc::Receiver<RemoteMessage>>>,
    /// Messages dropped because the link was behind or down.
    dropped: AtomicU64,
}

impl Redis {
    /// A backend for `redis://[[user]:password@]host[:port][/db]` (or `rediss://…` with the
    /// `redis-tls` feature, checked against the system's trusted roots), on the channel
    /// `leptos-live`.
    ///
    /// ```
    /// use leptos_live::pubsub::{PubSub, Redis};
    /// let redis = Redis::new("redis://127.0.0.1:6379")?;   // nothing is connected yet
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async move {
    /// let pubsub = PubSub::new(redis);                       // connects, and reconnects when the link drops
    /// # });
    /// # Ok::<(), leptos_live::pubsub::RedisUrlError>(())
    /// ```
    pub fn new(url: &str) -> Result<Redis, RedisUrlError> {
        Self::build(url, None)
    }

    /// A backend for `rediss://…` whose server's certificate is signed by the root certificate
    /// `pem` (PEM) rather than one the system trusts.
    ///
    /// ```
    /// # fn f() -> Result<(), Box<dyn std::error::Error>> {
    /// // With the `redis-tls` feature: a server whose certificate your own root signed.
    /// let pem = std::fs::read("/etc/app/redis-ca.pem")?;
    /// let redis = leptos_live::pubsub::Redis::with_root_cert("rediss://redis.internal:6380", pem)?;
    /// # let _ = redis;
    /// # Ok(())
    /// # }
    /// ```
    #[cfg(feature = "redis-tls")]
    pub fn with_root_cert(url: &str, pem: Vec<u8>) -> Result<Redis, RedisUrlError> {
        Self::build(url, Some(pem))
    }

    fn build(url: &str, root_cert: Option<Vec<u8>>) -> Result<Redis, RedisUrlError> {
        let (client, addr) = client(url, root_cert)?;
        let (tx, rx) = mpsc::channel(QUEUE);
        Ok(Redis {
            client,
            addr,
            channel: "leptos-live".to_string(),
            tx,
            rx: Mutex::new(Some(rx)),
            dropped: AtomicU64::new(0),
        })
    }

    /// Uses another channel name, to keep several apps on one Redis apart.
    ///
    /// ```
    /// // Two apps on one Redis, kept apart.
    /// let redis = leptos_live::pubsub::Redis::new("redis://127.0.0.1:6379")?.with_channel("shop");
    /// # let _ = redis;
    /// # Ok::<(), leptos_live::pubsub::RedisUrlError>(())
    /// ```
    pub fn with_channel(mut self, channel: impl Into<String>) -> Redis {
        self.channel = channel.into();
        self
    }
}

impl PubSubBackend for Redis {
    fn name(&self) -> &'static str {
        "redis"
    }

    fn publish(&self, msg: RemoteMessage) {
        if self.tx.try_send(msg).is_err() {
            let n = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            if n.is_power_of_two() {
                tracing::warn!(
                    dropped = n,
                    "Redis link is behind or down; messages to other nodes dropped"
                );
            }
        }
    }

    fn start(&self, inbound: Inbound) {
        let Some(rx) = self.rx.lock().unwrap_or_else(|e| e.into_inner()).take() else {
            return;
        };
        let link = RedisLink {
            client: self.client.clone(),
            addr: self.addr.clone(),
            channel: self.channel.clone(),
        };
        tokio::spawn(link.clone().publisher(rx));
        tokio::spawn(link.subscriber(inbound));
    }
}

#[derive(Clone)]
struct RedisLink {
    client: redis::Client,
    addr: String,
    channel: String,
}

impl RedisLink {
    /// Sends queued messages, pipelined; reconnects after a failure.
    async fn publisher(self, mut rx: mpsc::Receiver<RemoteMessage>) {
        let mut backoff = Backoff::default();
        let mut batch: Vec<RemoteMessage> = Vec::new();
        loop {
            if rx.is_closed() && rx.is_empty() {
                return; // the PubSub is gone
            }
            let mut conn = match self.client.get_multiplexed_async_connection().await {
                Ok(c) => c,
                Err(e) => {
                    backoff.fail("publish", &self.addr, &e).await;
                    continue;
                }
            };
            backoff.up("publish", &self.addr);
            let result: redis::RedisResult<()> = async {
                loop {
                    if batch.is_empty() {
                        match rx.recv().await {
                            Some(m) => batch.push(m),
                            None => return Ok(()),
                        }
                        while batch.len() < BATCH {
                            match rx.try_recv() {
                                Ok(m) => batch.push(m),
                                Err(_) => break,
                            }
                        }
                    }
                    let mut pipe = redis::pipe();
                    for m in &batch {
                        match serde_json::to_string(m) {
                            Ok(json) => {
                                pipe.cmd("PUBLISH").arg(&self.channel).arg(json).ignore();
                            }
                            Err(e) => tracing::error!(error = %e, "a message that does not encode; dropped"),
                        }
                    }
                    pipe.query_async::<()>(&mut conn).await?;
                    batch.clear();
                }
            }
            .await;
            match result {
                Ok(()) => return,
                Err(e) => {
                    // The batch in flight is dropped: it may have been published already.
                    batch.clear();
                    link_up("publish", false);
                    tracing::error!(addr = %self.addr, error = %e, "lost the Redis publish link; retrying");
                }
            }
        }
    }

    /// Receives the other nodes' messages; resubscribes after a failure.
    async fn subscriber(self, inbound: Inbound) {
        let mut backoff = Backoff::default();
        loop {
            if !inbound.is_alive() {
                return; // the PubSub is gone
            }
            let pubsub = match self.client.get_async_pubsub().await {
                Ok(p) => p,
                Err(e) => {
                    backoff.fail("subscribe", &self.addr, &e).await;
                    continue;
                }
            };
            let (mut sink, mut stream) = pubsub.split();
            let result: Result<(), String> = async {
                sink.subscribe(&self.channel)
                    .await
                    .map_err(|e| e.to_string())?;
                backoff.up("subscribe", &self.addr);
                // A PING every few seconds: a link that does not answer is dead (a half-open
                // connection never errors by itself).
                let mut beat = tokio::time::interval(KEEPALIVE);
                beat.tick().await;
                loop {
                    tokio::select! {
                        msg = stream.next() => {
                            let Some(msg) = msg else {
                                return Err("the link closed".to_string());
                            };
                            match serde_json::from_slice::<RemoteMessage>(msg.get_payload_bytes()) {
                                Ok(m) => {
                                    if !inbound.deliver(m) {
                                        return Ok(());
                                    }
                                }
                                Err(e) => tracing::warn!(error = %e, "undecodable message on the Redis channel"),
                            }
                        }
                        _ = beat.tick() => {
                            match tokio::time::timeout(KEEPALIVE * 3, sink.ping::<redis::Value>()).await {
                                Ok(Ok(_)) => {}
                                Ok(Err(e)) => return Err(e.to_string()),
                                Err(_) => return Err("no answer to PING".to_string()),
                            }
                        }
                    }
                }
            }
            .await;
            match result {
                Ok(()) => return,
                Err(e) => {
                    link_up("subscribe", false);
                    tracing::error!(addr = %self.addr, error = %e, "lost the Redis subscribe link; retrying")
                }
            }
        }
    }
}

/// The state of a Redis link (`publish` or `subscribe`) in the `leptos_live_redis_link_up` gauge:
/// 1 while it is up, 0 while it is down.
fn link_up(link: &str, up: bool) {
    metrics::gauge!("leptos_live_redis_link_up", "link" => link.to_string()).set(if up {
        1.0
    } else {
        0.0
    });
}

/// Waits between reconnection attempts: 100 ms doubling to 5 s; logs the first failure of a
/// run loudly and the rest quietly.
#[derive(Default)]
struct Backoff {
    failures: u32,
}

impl Backoff {
    async fn fail(&mut self, link: &str, addr: &str, e: &(dyn std::fmt::Display + Sync)) {
        link_up(link, false);
        if self.failures == 0 {
            tracing::error!(%addr, error = %e, "cannot reach Redis for {link}; retrying, pages keep working in this process");
        } else {
            tracing::debug!(%addr, error = %e, attempt = self.failures + 1, "Redis still unreachable for {link}");
        }
        let delay = Duration::from_millis(100) * 2u32.pow(self.failures.min(6));
        self.failures += 1;
        tokio::time::sleep(delay.min(Duration::from_secs(5))).await;
    }

    fn up(&mut self, link: &str, addr: &str) {
        link_up(link, true);
        if self.failures > 0 {
            tracing::info!(%addr, "Redis {link} link is up again");
        }
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_urls() {
        let r = Redis::new("redis://127.0.0.1:7000").unwrap();
        assert_eq!(r.addr, "127.0.0.1:7000");
        assert!(Redis::new("redis://:pw@cache/2").is_ok());
        assert!(Redis::new("redis://user:secret@h:1").is_ok());
        assert!(Redis::new("http://x").is_err());
        assert!(Redis::new("redis://h:notaport").is_err());
    }
}
