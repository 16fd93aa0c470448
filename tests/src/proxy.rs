//! A TCP proxy between a browser (or any client) and a test server, which a test cuts, restores,
//! or lets through one way only: the network failures a page lives through, on demand.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// What the proxy lets through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Everything, both ways.
    Open,
    /// What the client sends reaches the server; what the server sends is dropped.
    DropReplies,
    /// What the client sends is dropped; what the server sends reaches the client.
    DropRequests,
    /// Every connection is closed now, and new ones are closed as they come.
    Cut,
    /// A WebSocket upgrade is let through, and its connection closed as soon as the server has
    /// answered it (the socket opens and dies at once, as some proxies do); other requests pass.
    KillSockets,
    /// A WebSocket upgrade is answered `403 Forbidden` by the proxy itself, as a corporate proxy
    /// answers it; other requests pass.
    RefuseSockets,
}

/// The answer a proxy that does not pass WebSockets gives an upgrade.
pub const REFUSED_UPGRADE: &[u8] =
    b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// A proxy on a free loopback port in front of `upstream`; stops taking connections when
/// dropped.
///
/// ```no_run
/// # async fn f(server: std::net::SocketAddr) {
/// use leptos_live_tests::proxy::{Mode, Proxy};
/// let proxy = Proxy::start(server).await;
/// proxy.set(Mode::Cut); // the page's socket drops, and cannot connect again
/// proxy.set(Mode::Open); // until now
/// # }
/// ```
pub struct Proxy {
    /// Where it listens.
    pub addr: SocketAddr,
    mode: watch::Sender<Mode>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// Starts forwarding to `upstream`, open.
    pub async fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let (mode, watching) = watch::channel(Mode::Open);
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if *watching.borrow() == Mode::Cut {
                    continue;
                }
                tokio::spawn(forward(client, upstream, watching.clone()));
            }
        });
        Proxy { addr, mode, task }
    }

    /// `http://127.0.0.1:PORT` + `path`, through the proxy.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Lets through what `mode` says, from now on.
    pub fn set(&self, mode: Mode) {
        self.mode.send_replace(mode);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
        self.mode.send_replace(Mode::Cut);
    }
}

/// One connection, both ways, until either side closes or the proxy is cut.
async fn forward(client: TcpStream, upstream: SocketAddr, mode: watch::Receiver<Mode>) {
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        return;
    };
    let refusing = *mode.borrow();
    if matches!(refusing, Mode::KillSockets | Mode::RefuseSockets) {
        let mut head = vec![0u8; 16 * 1024];
        let n = client.peek(&mut head).await.unwrap_or(0);
        let text = String::from_utf8_lossy(&head[..n]).to_ascii_lowercase();
        if text.contains("upgrade: websocket") && refusing == Mode::RefuseSockets {
            let mut client = client;
            let _ = client.read(&mut head).await;
            let _ = client.write_all(REFUSED_UPGRADE).await;
            return;
        }
        if text.contains("upgrade: websocket") {
            let mut client = client;
            let n = client.read(&mut head).await.unwrap_or(0);
            let _ = server.write_all(&head[..n]).await;
            let n = server.read(&mut head).await.unwrap_or(0);
            let _ = client.write_all(&head[..n]).await;
            return;
        }
    }
    let _ = (client.set_nodelay(true), server.set_nodelay(true));
    let (from_client, to_client) = client.into_split();
    let (from_server, to_server) = server.into_split();
    let mut cut = mode.clone();
    tokio::select! {
        () = pump(from_client, to_server, mode.clone(), Mode::DropRequests) => {}
        () = pump(from_server, to_client, mode, Mode::DropReplies) => {}
        _ = cut.wait_for(|m| *m == Mode::Cut) => {}
    }
}

/// Copies `from` to `to`, dropping what comes while the mode is `dropping`.
async fn pump(
    mut from: OwnedReadHalf,
    mut to: OwnedWriteHalf,
    mode: watch::Receiver<Mode>,
    dropping: Mode,
) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if *mode.borrow() == dropping {
            continue;
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}
