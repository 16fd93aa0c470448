//! A load balancer without sticky sessions, for tests: each HTTP request goes to the next of its
//! upstreams in turn, over a connection of its own (`Connection: close`, so the browser opens a
//! new one for its next request), and WebSocket upgrades are refused with a 403, as a proxy that
//! does not pass them refuses them. A page behind it can only use the long-poll fallback, with
//! its requests spread over every process.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// The longest request head it reads.
const MAX_HEAD: usize = 64 * 1024;

/// A round-robin balancer on a free loopback port; stops taking connections when dropped.
///
/// ```no_run
/// # async fn f(one: std::net::SocketAddr, two: std::net::SocketAddr) {
/// use leptos_live_tests::balancer::Balancer;
/// let balancer = Balancer::start(vec![one, two]).await;
/// let page = balancer.url("/"); // served by one, its next request by two, and so on
/// # }
/// ```
pub struct Balancer {
    /// Where it listens.
    pub addr: SocketAddr,
    counts: Arc<Counts>,
    task: tokio::task::JoinHandle<()>,
}

/// Requests sent to each upstream: all of them, and those to the long-poll endpoint.
#[derive(Default)]
struct Counts {
    next: AtomicUsize,
    polls: Vec<AtomicUsize>,
}

impl Balancer {
    /// Starts balancing over `upstreams`.
    pub async fn start(upstreams: Vec<SocketAddr>) -> Balancer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let counts = Arc::new(Counts {
            next: AtomicUsize::new(0),
            polls: upstreams.iter().map(|_| AtomicUsize::new(0)).collect(),
        });
        let shared = counts.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(forward(client, upstreams.clone(), shared.clone()));
            }
        });
        Balancer { addr, counts, task }
    }

    /// `http://127.0.0.1:PORT` + `path`, through the balancer.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// How many long-poll requests (`/live/poll`) upstream `i` got.
    pub fn polls(&self, i: usize) -> usize {
        self.counts.polls[i].load(Ordering::Relaxed)
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One request: its head read, rewritten to close the connection after its response, and
/// passed to the next upstream with its body; the response passed back.
async fn forward(mut client: TcpStream, upstreams: Vec<SocketAddr>, counts: Arc<Counts>) {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match client.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.len() > MAX_HEAD {
            return;
        }
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    if head.to_ascii_lowercase().contains("\r\nupgrade: websocket") {
        let _ = client.write_all(crate::proxy::REFUSED_UPGRADE).await;
        return;
    }
    let i = counts.next.fetch_add(1, Ordering::Relaxed) % upstreams.len();
    if head
        .lines()
        .next()
        .is_some_and(|l| l.contains("/live/poll"))
    {
        counts.polls[i].fetch_add(1, Ordering::Relaxed);
    }
    let mut rewritten: String = head
        .trim_end()
        .split("\r\n")
        .filter(|l| {
            let l = l.to_ascii_lowercase();
            !l.starts_with("connection:") && !l.starts_with("keep-alive:")
        })
        .map(|l| format!("{l}\r\n"))
        .collect();
    rewritten.push_str("Connection: close\r\n\r\n");
    let Ok(mut server) = TcpStream::connect(upstreams[i]).await else {
        return;
    };
    let _ = (client.set_nodelay(true), server.set_nodelay(true));
    if server.write_all(rewritten.as_bytes()).await.is_err()
        || server.write_all(&buf[end..]).await.is_err()
    {
        return;
    }
    let (mut from_client, mut to_client) = client.into_split();
    let (mut from_server, mut to_server) = server.into_split();
    // The rest of the body goes up while the response comes down; the server closes after it.
    let up = tokio::spawn(async move {
        let _ = tokio::io::copy(&mut from_client, &mut to_server).await;
    });
    let _ = tokio::io::copy(&mut from_server, &mut to_client).await;
    let _ = to_client.shutdown().await;
    up.abort();
}
