//! The Redis backend: every process publishes to, and subscribes to, one Redis channel.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

use super::backend::{Inbound, PubSubBackend, RemoteMessage};
use super::resp::{self, Reply};

/// Messages waiting for the Redis link; past this, new ones are dropped (and counted).
const QUEUE: usize = 65_536;

/// How often the subscribe link pings Redis.
const KEEPALIVE: Duration = Duration::from_secs(10);

/// Aborts a task when dropped.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Why a Redis URL was refused.
#[derive(Debug, thiserror::Error)]
#[error("bad Redis URL {url:?}: {reason}")]
pub struct RedisUrlError {
    url: String,
    reason: &'static str,
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
    target: Target,
    channel: String,
    tx: mpsc::Sender<RemoteMessage>,
    rx: Mutex<Option<mpsc::Receiver<RemoteMessage>>>,
    /// Messages dropped because the link was behind or down.
    dropped: AtomicU64,
}

impl Redis {
    /// A backend for `redis://[:password@]host[:port][/db]`, on the channel `leptos-live`.
    pub fn new(url: &str) -> Result<Redis, RedisUrlError> {
        let target = Target::parse(url)?;
        let (tx, rx) = mpsc::channel(QUEUE);
        Ok(Redis {
            target,
            channel: "leptos-live".to_string(),
            tx,
            rx: Mutex::new(Some(rx)),
            dropped: AtomicU64::new(0),
        })
    }

    /// Uses another channel name, to keep several apps on one Redis apart.
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
        let link = Link {
            target: self.target.clone(),
            addr: self.target.addr.clone(),
            channel: self.channel.clone(),
        };
        tokio::spawn(link.clone().publisher(rx));
        tokio::spawn(link.subscriber(inbound));
    }
}

#[derive(Clone)]
struct Link {
    target: Target,
    addr: String,
    channel: String,
}

/// A connection to Redis: its reading and writing halves.
pub(crate) type Conn = (
    BufReader<tokio::net::tcp::OwnedReadHalf>,
    tokio::net::tcp::OwnedWriteHalf,
);

/// Where a Redis server is, and how to log in: what a `redis://` URL says.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub(crate) addr: String,
    user: Option<String>,
    password: Option<String>,
}

impl Target {
    /// Reads `redis://[user[:password]@]host[:port][/db]`.
    pub(crate) fn parse(url: &str) -> Result<Target, RedisUrlError> {
        let err = |reason| RedisUrlError {
            url: url.to_string(),
            reason,
        };
        let rest = url
            .strip_prefix("redis://")
            .ok_or_else(|| err("it must start with redis://"))?;
        // redis://[user[:password]@]host[:port][/db][?options]; the credentials may hold '/'
        // or ':', and are percent-decoded.
        let (auth, hostpart) = match rest.rsplit_once('@') {
            Some((auth, host)) => (Some(auth), host),
            None => (None, rest),
        };
        let host = hostpart.split(['/', '?']).next().unwrap_or_default();
        let (user, password) = match auth {
            None => (None, None),
            Some(auth) => {
                let (user, pw) = auth.split_once(':').unwrap_or(("", auth));
                let user = percent_decode(user).ok_or_else(|| err("bad percent-encoding"))?;
                let pw = percent_decode(pw).ok_or_else(|| err("bad percent-encoding"))?;
                (
                    Some(user).filter(|u| !u.is_empty()),
                    Some(pw).filter(|p| !p.is_empty()),
                )
            }
        };
        if host.is_empty() {
            return Err(err("no host"));
        }
        let addr = if host
            .rsplit_once(':')
            .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
        {
            host.to_string()
        } else {
            format!("{host}:6379")
        };
        Ok(Target {
            addr,
            user,
            password,
        })
    }

    /// Connects, and logs in when the URL had a password.
    pub(crate) async fn connect(&self) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(&self.addr).await?;
        stream.set_nodelay(true)?;
        let (r, mut w) = stream.into_split();
        let mut r = BufReader::new(r);
        if let Some(pw) = &self.password {
            let mut cmd = Vec::new();
            match &self.user {
                Some(user) => resp::command(&mut cmd, &[b"AUTH", user.as_bytes(), pw.as_bytes()]),
                None => resp::command(&mut cmd, &[b"AUTH", pw.as_bytes()]),
            }
            w.write_all(&cmd).await?;
            if let Reply::Error(e) = resp::read(&mut r).await? {
                return Err(std::io::Error::other(format!("AUTH refused: {e}")));
            }
        }
        Ok((r, w))
    }
}

impl Link {
    async fn connect(&self) -> std::io::Result<Conn> {
        self.target.connect().await
    }

    /// Sends queued messages, pipelined; reconnects after a failure.
    async fn publisher(self, mut rx: mpsc::Receiver<RemoteMessage>) {
        let mut backoff = Backoff::default();
        let mut batch: Vec<RemoteMessage> = Vec::new();
        loop {
            if rx.is_closed() && rx.is_empty() {
                return; // the PubSub is gone
            }
            let (mut r, mut w) = match self.connect().await {
                Ok(c) => c,
                Err(e) => {
                    backoff.fail("publish", &self.addr, &e).await;
                    continue;
                }
            };
            backoff.up("publish", &self.addr);
            let result: std::io::Result<()> = async {
                loop {
                    if batch.is_empty() {
                        match rx.recv().await {
                            Some(m) => batch.push(m),
                            None => return Ok(()),
                        }
                        while batch.len() < 256 {
                            match rx.try_recv() {
                                Ok(m) => batch.push(m),
                                Err(_) => break,
                            }
                        }
                    }
                    let mut out = Vec::new();
                    for m in &batch {
                        let json = serde_json::to_string(m).map_err(std::io::Error::other)?;
                        resp::command(
                            &mut out,
                            &[b"PUBLISH", self.channel.as_bytes(), json.as_bytes()],
                        );
                    }
                    w.write_all(&out).await?;
                    for _ in 0..batch.len() {
                        if let Reply::Error(e) = resp::read(&mut r).await? {
                            tracing::warn!(error = %e, "Redis refused a PUBLISH");
                        }
                    }
                    batch.clear();
                }
            }
            .await;
            match result {
                Ok(()) => return,
                Err(e) => {
                    // The batch in flight is dropped: it may have been published already.
                    batch.clear();
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
            let (mut r, mut w) = match self.connect().await {
                Ok(c) => c,
                Err(e) => {
                    backoff.fail("subscribe", &self.addr, &e).await;
                    continue;
                }
            };
            let result: std::io::Result<bool> = async {
                let mut cmd = Vec::new();
                resp::command(&mut cmd, &[b"SUBSCRIBE", self.channel.as_bytes()]);
                w.write_all(&cmd).await?;
                // A PING every few seconds: a link that stays silent longer than three of them
                // is dead (a half-open connection never errors by itself).
                let pinger = tokio::spawn(async move {
                    let mut ping = Vec::new();
                    resp::command(&mut ping, &[b"PING"]);
                    loop {
                        tokio::time::sleep(KEEPALIVE).await;
                        if w.write_all(&ping).await.is_err() {
                            return;
                        }
                    }
                });
                let _stop = AbortOnDrop(pinger);
                loop {
                    let reply = tokio::time::timeout(KEEPALIVE * 3, resp::read(&mut r))
                        .await
                        .map_err(|_| {
                            std::io::Error::new(std::io::ErrorKind::TimedOut, "no answer to PING")
                        })??;
                    let items = match reply {
                        Reply::Array(Some(items)) => items,
                        Reply::Error(e) => {
                            return Err(std::io::Error::other(format!("Redis refused: {e}")));
                        }
                        _ => continue,
                    };
                    match items.as_slice() {
                        [Reply::Bulk(Some(kind)), _, Reply::Bulk(Some(payload))]
                            if kind == b"message" =>
                        {
                            match serde_json::from_slice::<RemoteMessage>(payload) {
                                Ok(msg) => {
                                    if !inbound.deliver(msg) {
                                        return Ok(false);
                                    }
                                }
                                Err(e) => tracing::warn!(error = %e, "undecodable message on the Redis channel"),
                            }
                        }
                        [Reply::Bulk(Some(kind)), ..] if kind == b"subscribe" => {
                            backoff.up("subscribe", &self.addr);
                        }
                        _ => {}
                    }
                }
            }
            .await;
            match result {
                Ok(_) => return,
                Err(e) => {
                    tracing::error!(addr = %self.addr, error = %e, "lost the Redis subscribe link; retrying")
                }
            }
        }
    }
}

/// Decodes `%XX` escapes; `None` for a malformed one or a result that is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Waits between reconnection attempts: 100 ms doubling to 5 s; logs the first failure of a
/// run loudly and the rest quietly.
#[derive(Default)]
struct Backoff {
    failures: u32,
}

impl Backoff {
    async fn fail(&mut self, link: &str, addr: &str, e: &std::io::Error) {
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
    fn parses_urls() {
        let r = Redis::new("redis://127.0.0.1:7000").unwrap();
        assert_eq!(
            (r.target.addr.as_str(), r.target.password.as_deref()),
            ("127.0.0.1:7000", None)
        );
        let r = Redis::new("redis://:pw@cache/2").unwrap();
        assert_eq!(
            (r.target.addr.as_str(), r.target.password.as_deref()),
            ("cache:6379", Some("pw"))
        );
        let r = Redis::new("redis://user:secret@h:1").unwrap();
        assert_eq!(
            (r.target.user.as_deref(), r.target.password.as_deref()),
            (Some("user"), Some("secret"))
        );
        let r = Redis::new("redis://app:a:b/c%40d@h:2/0?timeout=1").unwrap();
        assert_eq!(
            (r.target.addr.as_str(), r.target.password.as_deref()),
            ("h:2", Some("a:b/c@d"))
        );
        assert!(Redis::new("redis://:%zz@h").is_err());
        assert!(Redis::new("http://x").is_err());
        assert!(Redis::new("redis://").is_err());
    }
}
