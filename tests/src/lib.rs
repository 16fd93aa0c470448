//! Test support for leptos-live's cross-crate tests: a server on a free loopback port that stops
//! by itself, a raw HTTP GET, a WebSocket protocol client, and a small Chrome DevTools Protocol
//! client that drives headless Chromium.

pub mod axe;
pub mod balancer;
pub mod browser;
pub mod counter_page;
pub mod floor;
pub mod heap;
pub mod pages;
pub mod poll;
pub mod proxy;
pub mod redis;
pub mod uploads;

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// The resident memory of process `pid` in KiB (`VmRSS`), 0 when it cannot be read.
pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// The CPU time process `pid` has used so far, user and system (`/proc/<pid>/stat`, counted in
/// hundredths of a second); zero when it cannot be read.
///
/// ```
/// let spent = leptos_live_tests::cpu_time(std::process::id());
/// assert!(spent < std::time::Duration::from_secs(24 * 3600));
/// ```
pub fn cpu_time(pid: u32) -> std::time::Duration {
    let ticks = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            // Fields after the command name, which is in parentheses and may hold spaces.
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0);
    // The kernel counts in USER_HZ, 100 per second on Linux.
    std::time::Duration::from_millis(ticks * 10)
}

/// The environment variable `name` parsed as a `T`, or `default` when it is unset or does not
/// parse: the benchmarks' settings.
///
/// ```
/// let clicks: usize = leptos_live_tests::env_or("LEPTOS_LIVE_TESTS_UNSET_SETTING", 500);
/// assert_eq!(clicks, 500);
/// ```
pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The value at fraction `p` (0.0 to 1.0) of `sorted`, by nearest rank: the benchmarks' p50 and
/// p99. `None` when there is no value.
///
/// ```
/// use leptos_live_tests::percentile;
/// assert_eq!(percentile(&[1, 2, 3, 4, 5], 0.5), Some(3));
/// assert_eq!(percentile(&[1, 2, 3, 4, 5], 0.99), Some(5));
/// assert_eq!(percentile::<u8>(&[], 0.5), None);
/// ```
pub fn percentile<T: Copy>(sorted: &[T], p: f64) -> Option<T> {
    sorted
        .get(((sorted.len().max(1) - 1) as f64 * p).round() as usize)
        .copied()
}

/// The running executable started again with `--serve`: a benchmark's server in a process of
/// its own, which prints its address as its first line. Returns the process (killed when
/// dropped), its id and that address.
pub async fn serve_in_child() -> (tokio::process::Child, u32, SocketAddr) {
    spawn_server(&[SERVE_FLAG]).await
}

/// The running executable started again with `args`, its standard input and output piped: a
/// server in a process of its own that prints its address as its first line (and may wait on
/// its input, as a profiled one does). Returns the process (killed when dropped), its id and
/// that address.
pub async fn spawn_server(args: &[&str]) -> (tokio::process::Child, u32, SocketAddr) {
    use tokio::io::AsyncBufReadExt as _;
    let exe = std::env::current_exe().expect("own path");
    let mut child = tokio::process::Command::new(exe)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start the server process");
    let pid = child.id().expect("child pid");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let addr: SocketAddr = lines
        .next_line()
        .await
        .expect("read address")
        .expect("address line")
        .parse()
        .expect("an address");
    (child, pid, addr)
}

/// The argument that tells a benchmark it was started to serve.
const SERVE_FLAG: &str = "--serve";

/// Whether this executable was started by [`serve_in_child`], to serve.
pub fn is_server_child() -> bool {
    std::env::args().any(|a| a == SERVE_FLAG)
}

/// The child side of [`serve_in_child`]: serves `app` on a free loopback port with
/// `leptos_live::serve`, after printing its address as the first line.
pub async fn serve_for_parent(app: axum::Router) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    println!("{}", listener.local_addr().expect("address"));
    leptos_live::serve(listener, app).await.expect("serve");
}

/// A session holding the request's `sid` cookie, when it has one: the session builder of the
/// tests whose sign-in is a cookie.
pub fn sid_session(headers: &axum::http::HeaderMap) -> leptos_live::Session {
    let mut s = leptos_live::Session::default();
    if let Some(sid) = leptos_live::params::cookie(headers, "sid") {
        s.insert("sid", sid);
    }
    s
}

/// Fails a test with a message after `secs` seconds, so that no test hangs.
pub async fn within<T>(secs: u64, what: &str, fut: impl std::future::Future<Output = T>) -> T {
    match tokio::time::timeout(Duration::from_secs(secs), fut).await {
        Ok(v) => v,
        Err(_) => panic!("timed out after {secs} s: {what}"),
    }
}

/// An app served on 127.0.0.1 at a free port; stops when dropped.
pub struct TestServer {
    /// Where it listens.
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Serves `app` on a free loopback port, as users deploy it: with `leptos_live::serve`
    /// (`TCP_NODELAY` on every connection).
    pub async fn start(app: axum::Router) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            let _ = leptos_live::serve(listener, app).await;
        });
        TestServer { addr, task }
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// GETs `path` and returns the status and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        http_get(self.addr, path).await
    }

    /// GETs a live page and returns its token.
    pub async fn page_token(&self, path: &str) -> String {
        let (status, body) = self.get(path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        token_of(&body).unwrap_or_else(|| panic!("no lv-token in {body}"))
    }

    /// Opens a socket to the engine.
    pub async fn socket(&self) -> WsClient {
        WsClient::connect(self.addr).await
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A minimal HTTP/1.1 GET over a fresh connection.
pub async fn http_get(addr: SocketAddr, path: &str) -> (u16, String) {
    http_get_with(addr, path, "").await
}

/// A minimal HTTP/1.1 GET that sends `cookie` (`name=value; …`) when it is not empty.
pub async fn http_get_with(addr: SocketAddr, path: &str, cookie: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let cookie = if cookie.is_empty() {
        String::new()
    } else {
        format!("Cookie: {cookie}\r\n")
    };
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{cookie}Connection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.expect("write request");
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.expect("read response");
    response(&buf)
}

/// An HTTP/1.1 response's status and body, as read whole from a connection that closed.
pub fn response(bytes: &[u8]) -> (u16, String) {
    let text = String::from_utf8_lossy(bytes);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// Opens `n` connected counter pages at `/`, `parallel` at a time; each keeps reading its
/// pushes until its task is dropped. Returns once all have joined.
pub async fn connect_pages(
    addr: SocketAddr,
    n: usize,
    parallel: usize,
) -> Vec<tokio::task::JoinHandle<()>> {
    let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(parallel));
    let (tx, mut rx) = tokio::sync::mpsc::channel(n.max(1));
    let mut held = Vec::with_capacity(n);
    for _ in 0..n {
        let permit = sem.clone().acquire_owned().await.expect("semaphore");
        let tx = tx.clone();
        held.push(tokio::spawn(async move {
            let (ws, _) = WsClient::open_page(addr, "/").await;
            drop(permit);
            let _ = tx.send(()).await;
            // Stay connected, reading the clock's pushes.
            ws.drain().await;
        }));
    }
    for _ in 0..n {
        rx.recv().await;
    }
    held
}

/// The page's token in a rendered document: the `lv-token` of its live root (`#lv-root`), or,
/// for a bare fragment, the first one.
pub fn token_of(html: &str) -> Option<String> {
    let root = html.find("id=\"lv-root\"").unwrap_or(0);
    token_after(&html[root..])
}

/// The token of the layout's sticky part `name` (`#lv-sticky-NAME`) in a rendered document.
pub fn sticky_token_of(html: &str, name: &str) -> Option<String> {
    let root = html.find(&format!("id=\"lv-sticky-{name}\""))?;
    token_after(&html[root..])
}

fn token_after(html: &str) -> Option<String> {
    let start = html.find("lv-token=\"")? + "lv-token=\"".len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

/// A WebSocket client speaking the engine's protocol.
pub struct WsClient {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl WsClient {
    /// Connects to `ws://addr/live/socket`.
    pub async fn connect(addr: SocketAddr) -> WsClient {
        let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/live/socket"))
            .await
            .expect("websocket connect");
        WsClient { ws }
    }

    /// Sends a text frame.
    pub async fn send(&mut self, text: &str) {
        self.ws.send(Message::text(text)).await.expect("send frame");
    }

    /// Sends `text` as one message in fragments, cut at the byte offsets `cuts` (ascending),
    /// with a ping between each two fragments, as RFC 6455 lets a client.
    pub async fn send_fragmented(&mut self, text: &str, cuts: &[usize]) {
        use tokio_tungstenite::tungstenite::protocol::frame::Frame;
        use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
        let bytes = text.as_bytes();
        let mut ends = cuts.to_vec();
        ends.push(bytes.len());
        let mut from = 0;
        for (i, &to) in ends.iter().enumerate() {
            let last = i + 1 == ends.len();
            let code = if i == 0 { Data::Text } else { Data::Continue };
            let frame = Frame::message(bytes[from..to].to_vec(), OpCode::Data(code), last);
            self.ws
                .feed(Message::Frame(frame))
                .await
                .expect("send fragment");
            if !last {
                self.ws
                    .feed(Message::Ping(b"between".to_vec().into()))
                    .await
                    .expect("send ping");
            }
            from = to;
        }
        self.ws.flush().await.expect("flush fragments");
    }

    /// Sends raw bytes on the socket's connection, outside any frame of the client's own (a
    /// frame a client must not send, say), and waits for the connection to end: the close
    /// frames the server sent first (their codes, `None` for one without).
    pub async fn send_raw_until_closed(mut self, bytes: &[u8]) -> Vec<Option<u16>> {
        use tokio::io::AsyncWriteExt as _;
        match self.ws.get_mut() {
            MaybeTlsStream::Plain(tcp) => tcp.write_all(bytes).await.expect("raw write"),
            _ => panic!("a test socket is plain TCP"),
        }
        self.closes_until_end().await
    }

    /// Sends a binary frame.
    pub async fn send_binary(&mut self, data: Vec<u8>) {
        self.ws
            .send(Message::binary(data))
            .await
            .expect("send binary frame");
    }

    /// The next text frame, or `None` when the server closed the socket.
    pub async fn recv(&mut self) -> Option<String> {
        within(10, "waiting for a frame", async {
            loop {
                match self.ws.next().await {
                    Some(Ok(Message::Text(t))) => return Some(t.to_string()),
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
                    Some(Ok(_)) => continue,
                }
            }
        })
        .await
    }

    /// The next frame whose reference number is `r`, skipping unasked pushes (reference 0).
    pub async fn reply(&mut self, r: u64) -> String {
        loop {
            let f = self
                .recv()
                .await
                .unwrap_or_else(|| panic!("socket closed before reply {r}"));
            let v: Value = serde_json::from_str(&f).expect("frames are JSON");
            if v[0].as_u64() == Some(r) {
                return f;
            }
        }
    }

    /// Joins with `token` at `version` and returns the join reply.
    pub async fn join(&mut self, token: &str, version: u64) -> String {
        self.send(&format!(r#"[1,"j","{token}",{version}]"#)).await;
        self.reply(1).await
    }

    /// Whether the server closes the socket within a few seconds (frames before that are skipped).
    pub async fn closes(&mut self) -> bool {
        loop {
            match tokio::time::timeout(Duration::from_secs(5), self.ws.next()).await {
                Err(_) => return false,
                Ok(None | Some(Err(_)) | Some(Ok(Message::Close(_)))) => return true,
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    /// Reads and drops frames until the server closes the socket (no time limit).
    pub async fn drain(mut self) {
        while let Some(Ok(_)) = self.ws.next().await {}
    }

    /// GETs the live page at `path` on `addr`, opens a socket and joins it; returns the socket
    /// and the join reply.
    pub async fn open_page(addr: SocketAddr, path: &str) -> (WsClient, String) {
        let (status, body) = http_get(addr, path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        let token = token_of(&body).unwrap_or_else(|| panic!("no lv-token in {body}"));
        let mut ws = WsClient::connect(addr).await;
        let reply = ws.join(&token, 0).await;
        (ws, reply)
    }

    /// Closes the socket from the client side.
    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }

    /// Sends a ping with `payload`; the payload of the first pong that comes back (text frames
    /// before it are skipped), or `None` when the socket ends first.
    pub async fn ping(&mut self, payload: &[u8]) -> Option<Vec<u8>> {
        self.ws
            .send(Message::Ping(payload.to_vec().into()))
            .await
            .expect("send ping");
        within(10, "waiting for a pong", async {
            loop {
                match self.ws.next().await {
                    Some(Ok(Message::Pong(p))) => return Some(p.to_vec()),
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
                    Some(Ok(_)) => continue,
                }
            }
        })
        .await
    }

    /// Starts the closing handshake with `code`; the close frames the server sends back before
    /// the connection ends (their codes, `None` for a close frame without one).
    pub async fn close_handshake(mut self, code: u16) -> Vec<Option<u16>> {
        use tokio_tungstenite::tungstenite::protocol::CloseFrame;
        let frame = CloseFrame {
            code: code.into(),
            reason: "done".into(),
        };
        self.ws
            .send(Message::Close(Some(frame)))
            .await
            .expect("send close");
        self.closes_until_end().await
    }

    /// Reads until the connection ends: the close frames the server sent (their codes, `None`
    /// for one without).
    async fn closes_until_end(mut self) -> Vec<Option<u16>> {
        within(10, "waiting for the socket to end", async {
            let mut closes = Vec::new();
            loop {
                match self.ws.next().await {
                    Some(Ok(Message::Close(c))) => closes.push(c.map(|c| u16::from(c.code))),
                    Some(Ok(_)) => continue,
                    None | Some(Err(_)) => return closes,
                }
            }
        })
        .await
    }
}

/// Parses a frame.
pub fn json(frame: &str) -> Value {
    serde_json::from_str(frame).expect("frames are JSON")
}
