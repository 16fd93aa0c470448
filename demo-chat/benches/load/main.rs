//! The chat's load test: N simulated users (real WebSocket clients, each a GET with its own
//! nickname cookie, then the joins of the room's page and of the sidebar's list of rooms over
//! one socket, as a browser tab makes them) in one room, one of them posting. Prints, asserts
//! nothing:
//!
//! - fan-out latency: from sending a post to every one of the N users having received it,
//!   p50 and p99 over the posts;
//! - memory per connected user: the server's RSS (a child process) after all joined, minus its
//!   RSS before, over N; and again after the room's history grew by hundreds of messages, to
//!   show that streamed messages are not kept per page.
//!
//! - the floor: the same N users, each sent a frame of the same size by a bare server process
//!   that only writes bytes (no pages, no rendering, no PubSub), timed the same way, with the
//!   same client task per user (its queue to send from and its heartbeat timer included). On one
//!   small machine with the users on it too, the kernel's loopback cost per socket is the
//!   larger part of a fan-out; the ratio of the chat to the floor is what the engine adds.
//!   Both servers run at once and take turns, post by post (after an untimed post to the chat
//!   that tells the frame's length), so that a slower minute of the machine falls on both;
//!   when this process may not open a socket for every user of both, the floor runs after the
//!   chat, and says so.
//!
//! `cargo bench -p demo-chat --bench load` runs N = 1,000 and N = 10,000; `USERS=500,2000`
//! chooses others, `POSTS=n` the number of timed posts (default 50), `FLOOR=0` skips the floor.

mod wire;

use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use leptos_live_tests::{cpu_time, env_or, percentile, rss_kib};
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use wire::Frame;

const SECRET: &str = "load-test-secret-load-test-secret-0123456789";

/// What every client records: for post k, how many received it and the latest arrival.
struct Board {
    start: Instant,
    /// Clients whose socket is still open.
    alive: AtomicUsize,
    received: Vec<AtomicUsize>,
    last: Vec<AtomicU64>,
    last_frame: AtomicU64,
    /// The length of the last frame that carried a post.
    post_frame_len: AtomicUsize,
}

impl Board {
    fn now(&self) -> u64 {
        self.start.elapsed().as_nanos() as u64
    }

    fn new(posts: usize) -> Board {
        Board {
            start: Instant::now(),
            alive: AtomicUsize::new(0),
            received: (0..posts).map(|_| AtomicUsize::new(0)).collect(),
            last: (0..posts).map(|_| AtomicU64::new(0)).collect(),
            last_frame: AtomicU64::new(0),
            post_frame_len: AtomicUsize::new(0),
        }
    }

    fn see(&self, frame: &str) {
        if frame.ends_with(",\"h\"]") {
            return; // a heartbeat's answer
        }
        self.last_frame.fetch_max(self.now(), Ordering::Relaxed);
        let mut rest = frame;
        while let Some(i) = rest.find("load-") {
            rest = &rest[i + 5..];
            let digits = &rest[..rest.bytes().take_while(u8::is_ascii_digit).count()];
            if rest[digits.len()..].starts_with('.')
                && let Ok(k) = digits.parse::<usize>()
                && k < self.received.len()
            {
                self.post_frame_len.store(frame.len(), Ordering::Relaxed);
                self.received[k].fetch_add(1, Ordering::Relaxed);
                self.last[k].fetch_max(self.now(), Ordering::Relaxed);
            }
        }
    }
}

async fn get_with_cookie(addr: SocketAddr, path: &str, cookie: &str) -> std::io::Result<String> {
    let mut s = TcpStream::connect(addr).await?;
    s.write_all(
        format!(
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    )
    .await?;
    let mut body = String::new();
    s.read_to_string(&mut body).await?;
    Ok(body)
}

/// Reads frames into the board until the socket closes; false then.
async fn read_into(ws: &mut wire::Client, board: &Board) -> bool {
    match ws.next().await {
        Ok(Frame::Text(t)) => {
            board.see(t);
            true
        }
        Ok(Frame::Other) => true,
        Ok(Frame::Closed) | Err(_) => false,
    }
}

/// One user: GET, join, then read frames (and beat) until told to stop. Returns a sender for
/// frames to send, once joined.
async fn user(
    addr: SocketAddr,
    nick: String,
    cookies: demo_chat::Cookies,
    board: Arc<Board>,
) -> Result<mpsc::UnboundedSender<String>, String> {
    let cookie = format!("{}={}", demo_chat::COOKIE_NAME, cookies.sign(&nick));
    let html = get_with_cookie(addr, "/rooms/lobby", &cookie)
        .await
        .map_err(|e| e.to_string())?;
    let token = leptos_live_tests::token_of(&html).ok_or("no token")?;
    let rooms = leptos_live_tests::sticky_token_of(&html, "rooms").ok_or("no room list")?;
    let mut ws = wire::Client::connect(addr, "/live/socket")
        .await
        .map_err(|e| e.to_string())?;
    // The room's page, then the sidebar's list of rooms on channel 1 of the same socket, as the
    // shim joins them.
    for (join, answer) in [
        (serde_json::json!([1, "j", token, 0]).to_string(), "[1,"),
        (
            format!("1{}", serde_json::json!([1, "j", rooms, 0])),
            "1[1,",
        ),
    ] {
        ws.send(&join).await.map_err(|e| e.to_string())?;
        loop {
            match ws.next().await {
                Ok(Frame::Text(t)) if t.starts_with(answer) => break,
                Ok(Frame::Text(_) | Frame::Other) => {}
                Ok(Frame::Closed) => return Err("closed before the join's answer".into()),
                Err(e) => return Err(format!("join failed: {e}")),
            }
        }
    }
    board.alive.fetch_add(1, Ordering::Relaxed);
    let (out, outq) = mpsc::unbounded_channel::<String>();
    tokio::spawn(client(ws, board, outq));
    Ok(out)
}

/// A joined user's task: reads frames into the board, sends what comes on `outq` (its `[R,`
/// numbered), and beats every 20 s, until the socket closes or `outq` does. The floor's users
/// run it too, so that the two are timed with the same clients.
async fn client(
    mut ws: wire::Client,
    board: Arc<Board>,
    mut outq: mpsc::UnboundedReceiver<String>,
) {
    let mut beat = tokio::time::interval(Duration::from_secs(20));
    let mut r = 1u64;
    loop {
        let sent = tokio::select! {
            open = read_into(&mut ws, &board) => {
                if !open {
                    board.alive.fetch_sub(1, Ordering::Relaxed);
                    return;
                }
                continue;
            }
            f = outq.recv() => {
                let Some(f) = f else { return };
                r += 1;
                f.replacen("[R,", &format!("[{r},"), 1)
            }
            _ = beat.tick() => {
                // The list's heartbeat, then the page's.
                r += 1;
                if ws.send(&format!("1[{r},\"h\"]")).await.is_err() {
                    return;
                }
                format!("[{r},\"h\"]")
            }
        };
        if ws.send(&sent).await.is_err() {
            return;
        }
    }
}

/// Runs `post(k)` and waits until every live user has seen post k; the time from the post to
/// the last arrival, or `None` after 20 s.
async fn wait_all(board: &Board, k: usize, post: impl FnOnce(usize)) -> Option<Duration> {
    let t0 = board.now();
    post(k);
    let deadline = Instant::now() + Duration::from_secs(20);
    while board.received[k].load(Ordering::Relaxed) < board.alive.load(Ordering::Relaxed) {
        if Instant::now() > deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_micros(500)).await;
    }
    Some(Duration::from_nanos(
        board.last[k].load(Ordering::Relaxed).saturating_sub(t0),
    ))
}

/// How many files this process may have open (`/proc/self/limits`); unlimited if unknown.
fn open_files_limit() -> usize {
    std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|l| {
            let line = l.lines().find(|l| l.starts_with("Max open files"))?;
            line.split_whitespace().nth(3)?.parse().ok()
        })
        .unwrap_or(usize::MAX)
}

/// The p-th fraction of sorted latencies.
fn pct(lat: &[Duration], p: f64) -> Duration {
    percentile(lat, p).unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn us_per(d: Duration, users: usize) -> f64 {
    d.as_secs_f64() * 1e6 / users.max(1) as f64
}

/// A chat server in a child process with its users joined and settled, ready for timed posts.
struct Chat {
    server: tokio::process::Child,
    pid: u32,
    db: std::path::PathBuf,
    board: Arc<Board>,
    senders: Vec<mpsc::UnboundedSender<String>>,
    users: usize,
    join_time: Duration,
    /// The server's RSS before the users joined, and once they had.
    before: u64,
    after_join: u64,
    /// The length of a frame that carries a post, for the floor.
    frame_len: usize,
}

/// Post 0 is the warm-up that tells the frame's length; the timed posts follow it.
const WARM_UP: usize = 0;

impl Chat {
    /// Starts the chat server, joins `users` to its lobby and waits for presence to settle;
    /// then posts once, untimed, to learn the length of a post's frame.
    async fn start(users: usize, posts: usize, history: usize) -> Chat {
        let db = std::env::temp_dir().join(format!("chat-load-{}-{users}.db", std::process::id()));
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let server = tokio::process::Command::new(env!("CARGO_BIN_EXE_demo-chat"))
            .env("CHAT_DB", &db)
            .env("LEPTOS_SITE_ADDR", addr.to_string())
            .env("LEPTOS_LIVE_SECRET", SECRET)
            .env(
                "RUST_LOG",
                std::env::var("SERVER_LOG").unwrap_or_else(|_| "error".into()),
            )
            .env_remove("REDIS_URL")
            .env_remove("DATABASE_URL")
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start demo-chat");
        let pid = server.id().expect("pid");
        while TcpStream::connect(addr).await.is_err() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let cookies = demo_chat::Cookies::new(format!("cookie:{SECRET}").as_bytes());
        let board = Arc::new(Board::new(1 + posts + history));
        // Warm up one page, then take the baseline.
        let _ = get_with_cookie(
            addr,
            "/rooms/lobby",
            &format!("{}={}", demo_chat::COOKIE_NAME, cookies.sign("warm")),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let before = rss_kib(pid);

        let t = Instant::now();
        let joined: Vec<_> = futures_util::stream::iter(0..users)
            .map(|i| user(addr, format!("user{i:05}"), cookies.clone(), board.clone()))
            .buffer_unordered(32)
            .collect()
            .await;
        let senders: Vec<_> = joined.into_iter().filter_map(Result::ok).collect();
        let join_time = t.elapsed();
        let show = std::env::var("SHOW").is_ok();
        if show {
            eprintln!(
                "  joined {} in {:.1} s; waiting for presence to settle",
                senders.len(),
                join_time.as_secs_f64()
            );
        }
        // Let the presence updates of the crowd settle: they are batched up to 2 s apart, and
        // a page whose render did not change sends nothing, so the server's CPU is watched too.
        let mut cpu = cpu_time(pid);
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            let now = cpu_time(pid);
            let busy = now.saturating_sub(cpu);
            cpu = now;
            if board.now() - board.last_frame.load(Ordering::Relaxed) > 4_000_000_000
                && busy < Duration::from_millis(50)
            {
                break;
            }
        }
        let after_join = rss_kib(pid);
        if show {
            eprintln!("  settled after {:.1} s", t.elapsed().as_secs_f64());
        }
        let mut chat = Chat {
            server,
            pid,
            db,
            board,
            senders,
            users,
            join_time,
            before,
            after_join,
            frame_len: 0,
        };
        let warmed = wait_all(&chat.board, WARM_UP, |k| chat.post(k)).await;
        chat.frame_len = chat.board.post_frame_len.load(Ordering::Relaxed);
        assert!(warmed.is_some(), "the warm-up post reached every user");
        tokio::time::sleep(Duration::from_millis(100)).await;
        chat
    }

    /// The first user posts message `k`.
    fn post(&self, k: usize) {
        let _ = self.senders[0].send(format!(
            "[R,\"e\",\"post\",{{\"body\":\"load-{k}. hello\"}}]"
        ));
    }

    /// Prints the timed posts' figures, then posts `history` more and prints the memory; stops
    /// the server.
    async fn report(mut self, timed: &Timed, history: usize) {
        let connected = self.senders.len();
        let posts = timed.lat.len() + timed.lost;
        let after_posts = rss_kib(self.pid);
        let mut lost = timed.lost;
        let first = 1 + posts;
        for k in first..first + history {
            if wait_all(&self.board, k, |k| self.post(k)).await.is_none() {
                lost += 1;
            }
            // Under the socket's event limit (100 a second): past it the server drops the post,
            // as it should, and nobody receives it.
            tokio::time::sleep(Duration::from_millis(12)).await;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        let after_history = rss_kib(self.pid);
        let per_user = |rss: u64| rss.saturating_sub(self.before) as f64 / connected.max(1) as f64;
        let alive = self.board.alive.load(Ordering::Relaxed);
        println!(
            "users {}: {connected} connected in {:.1} s; {alive} still connected at the end",
            self.users,
            self.join_time.as_secs_f64()
        );
        println!(
            "  fan-out latency, post -> all {alive} received ({} posts): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms{}",
            timed.lat.len(),
            ms(timed.p50()),
            ms(timed.p99()),
            ms(timed.lat.last().copied().unwrap_or_default()),
            if lost > 0 {
                format!(" ({lost} posts not seen by everyone within 20 s)")
            } else {
                String::new()
            }
        );
        let server_cpu = timed.server_cpu / posts.max(1) as u32;
        println!(
            "  CPU per post: server {:.1} ms ({:.1} µs per user), simulated users {:.1} µs per user",
            ms(server_cpu),
            us_per(server_cpu, connected),
            us_per(timed.users_cpu / posts.max(1) as u32, connected),
        );
        println!(
            "  server RSS: {} KiB idle, {} KiB joined ({:.1} KiB per user), {after_posts} KiB after {posts} posts ({:.1}), {after_history} KiB after {} more ({:.1})",
            self.before,
            self.after_join,
            per_user(self.after_join),
            per_user(after_posts),
            history,
            per_user(after_history),
        );
        self.senders.clear();
        let _ = self.server.kill().await;
        demo_chat::remove_database(&self.db);
    }
}

/// One row's timed posts: latencies (sorted once all are in), posts not seen by everyone, and
/// the CPU time the server and the simulated users spent on them.
#[derive(Default)]
struct Timed {
    lat: Vec<Duration>,
    lost: usize,
    server_cpu: Duration,
    users_cpu: Duration,
}

impl Timed {
    /// Times one post: `post(k)`, every user of `board` receiving it, and 100 ms for the
    /// server and the users to finish with it, charging the CPU spent meanwhile by the server
    /// `pid` and by this process (the users) to this row.
    async fn post(&mut self, board: &Board, pid: u32, k: usize, post: impl FnOnce(usize)) {
        let (server, users) = (cpu_time(pid), cpu_time(std::process::id()));
        match wait_all(board, k, post).await {
            Some(d) => self.lat.push(d),
            None => self.lost += 1,
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        self.server_cpu += cpu_time(pid).saturating_sub(server);
        self.users_cpu += cpu_time(std::process::id()).saturating_sub(users);
    }

    fn p50(&self) -> Duration {
        pct(&self.lat, 0.5)
    }

    fn p99(&self) -> Duration {
        pct(&self.lat, 0.99)
    }
}

/// The floor server, run as a child process of the bench: accepts `FLOOR_USERS` WebSocket
/// clients, then for each line `k len` on its standard input writes one text frame of `len`
/// bytes carrying post k to every client, from two tasks (one a core), and nothing else.
fn floor_server(users: usize) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        println!("{}", listener.local_addr().expect("address"));
        let mut halves: [Vec<TcpStream>; 2] = [Vec::new(), Vec::new()];
        for i in 0..users {
            let (mut s, _) = listener.accept().await.expect("accept");
            s.set_nodelay(true).expect("nodelay");
            let mut head = Vec::new();
            let mut b = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = s.read(&mut b).await.expect("upgrade request");
                assert!(n > 0, "closed during the upgrade");
                head.extend_from_slice(&b[..n]);
            }
            s.write_all(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                .await
                .expect("upgrade answer");
            halves[i % 2].push(s);
        }
        let halves = halves.map(|h| Arc::new(tokio::sync::Mutex::new(h)));
        // Standard input is read on a thread of its own: tokio's needs a feature for one bench.
        let (tx, mut lines) = mpsc::unbounded_channel();
        std::thread::spawn(move || {
            for line in std::io::stdin().lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        while let Some(line) = lines.recv().await {
            let mut words = line.split_whitespace().filter_map(|w| w.parse::<usize>().ok());
            let (Some(k), Some(len)) = (words.next(), words.next()) else { break };
            let mut text = format!("load-{k}. ");
            text.extend(std::iter::repeat_n('x', len.saturating_sub(text.len())));
            let frame = Arc::new(wire::server_text_frame(&text));
            let tasks = halves.clone().map(|half| {
                let frame = frame.clone();
                tokio::spawn(async move {
                    for s in half.lock().await.iter_mut() {
                        let _ = s.write_all(&frame).await;
                    }
                })
            });
            for t in tasks {
                let _ = t.await;
            }
        }
    });
}

/// The floor server in a child process, with `users` clients connected to it.
struct Floor {
    server: tokio::process::Child,
    pid: u32,
    board: Arc<Board>,
    /// Lines for the server's standard input, written by a task so that the clock starts as
    /// they leave.
    posts: mpsc::UnboundedSender<String>,
    writer: tokio::task::JoinHandle<()>,
    /// Each user's queue of frames to send: open, and empty, for the run.
    queues: Vec<mpsc::UnboundedSender<String>>,
}

impl Floor {
    /// Starts the floor server and connects `users` clients to it, for `posts` timed posts.
    async fn start(users: usize, posts: usize) -> Floor {
        let mut server = tokio::process::Command::new(std::env::current_exe().expect("this bench"))
            .env("FLOOR_USERS", users.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start the floor server");
        let pid = server.id().expect("pid");
        let mut out = tokio::io::BufReader::new(server.stdout.take().expect("stdout")).lines();
        let addr: SocketAddr = out
            .next_line()
            .await
            .ok()
            .flatten()
            .and_then(|l| l.parse().ok())
            .expect("the floor server's address");
        let mut stdin = server.stdin.take().expect("stdin");
        let (posts_tx, mut posts_rx) = mpsc::unbounded_channel::<String>();
        let writer = tokio::spawn(async move {
            while let Some(line) = posts_rx.recv().await {
                if stdin.write_all(line.as_bytes()).await.is_err() {
                    break;
                }
            }
        });
        // The same slots as the chat's board: post k is the chat's post k's twin.
        let board = Arc::new(Board::new(1 + posts));
        let clients: Vec<_> = futures_util::stream::iter(0..users)
            .map(|_| wire::Client::connect(addr, "/"))
            .buffer_unordered(32)
            .collect()
            .await;
        let mut queues = Vec::with_capacity(users);
        for c in clients {
            // The server waits for all of them before it takes a post.
            let ws = c.expect("a floor client connects");
            board.alive.fetch_add(1, Ordering::Relaxed);
            let (out, outq) = mpsc::unbounded_channel::<String>();
            queues.push(out);
            tokio::spawn(client(ws, board.clone(), outq));
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        Floor {
            server,
            pid,
            board,
            posts: posts_tx,
            writer,
            queues,
        }
    }

    /// The server writes post `k`, a frame of `len` bytes, to every client.
    fn post(&self, k: usize, len: usize) {
        let _ = self.posts.send(format!("{k} {len}\n"));
    }

    /// Prints the floor's figures and the chat's ratio to them; stops the server.
    async fn report(self, timed: &Timed, chat: &Timed, frame_len: usize, together: bool) {
        let alive = self.board.alive.load(Ordering::Relaxed);
        let posts = (timed.lat.len() + timed.lost).max(1) as u32;
        println!(
            "  floor, a bare server writing a {frame_len}-byte frame to all {alive}: p50 {:.1} ms, p99 {:.1} ms; CPU per post: server {:.1} µs per user, simulated users {:.1} µs per user",
            ms(timed.p50()),
            ms(timed.p99()),
            us_per(timed.server_cpu / posts, alive),
            us_per(timed.users_cpu / posts, alive),
        );
        println!(
            "  chat / floor, {}: p50 {:.2}×, p99 {:.2}×",
            match together {
                true => "taking turns post by post",
                false => "the floor after the chat (too many sockets for both at once)",
            },
            chat.p50().as_secs_f64() / timed.p50().as_secs_f64().max(1e-9),
            chat.p99().as_secs_f64() / timed.p99().as_secs_f64().max(1e-9),
        );
        drop(self.posts);
        drop(self.queues);
        let _ = self.writer.await;
        let mut server = self.server;
        let _ = server.wait().await;
    }
}

fn main() {
    if let Some(users) = std::env::var("FLOOR_USERS")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        return floor_server(users);
    }
    let users: Vec<usize> = std::env::var("USERS")
        .unwrap_or_else(|_| "1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let posts = env_or("POSTS", 50);
    let history = env_or("HISTORY", 500);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let with_floor = std::env::var("FLOOR").map_or(true, |f| f != "0");
    for n in users {
        rt.block_on(async {
            let chat = Chat::start(n, posts, history).await;
            // Both sets of users at once need a socket each in this process: past its limit on
            // open files, the floor comes after the chat instead.
            let together = with_floor && 2 * n + 256 <= open_files_limit();
            let mut floor = match together {
                true => Some(Floor::start(n, posts).await),
                false => None,
            };
            // Taking turns, post by post, so that the machine's slower and faster moments fall
            // on both alike.
            let (mut chat_timed, mut floor_timed) = (Timed::default(), Timed::default());
            for k in WARM_UP + 1..=posts {
                chat_timed
                    .post(&chat.board, chat.pid, k, |k| chat.post(k))
                    .await;
                if let Some(f) = &floor {
                    floor_timed
                        .post(&f.board, f.pid, k, |k| f.post(k, chat.frame_len))
                        .await;
                }
            }
            let frame_len = chat.frame_len;
            chat_timed.lat.sort();
            chat.report(&chat_timed, history).await;
            if with_floor && !together {
                let f = Floor::start(n, posts).await;
                for k in WARM_UP + 1..=posts {
                    floor_timed
                        .post(&f.board, f.pid, k, |k| f.post(k, frame_len))
                        .await;
                }
                floor = Some(f);
            }
            floor_timed.lat.sort();
            if let Some(f) = floor {
                f.report(&floor_timed, &chat_timed, frame_len, together)
                    .await;
            }
        });
    }
}
