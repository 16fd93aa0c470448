//! Where a connected chat user's bytes go: the chat served by a child process whose allocator
//! is dhat's, `USERS` users (default 1,000) in one room connected as a browser tab is (a GET of
//! `/rooms/lobby` with their own nickname cookie, a socket that joins the page's root and, on
//! its channel 1, the sidebar's list of rooms, the layout's sticky part), left idle past
//! the adoption window; then the heap the child holds, by the function that allocated it (the
//! first of the engine, the chat, tokio, axum, hyper or tungstenite on the stack), per user,
//! less the same server with no user. The same again for users who join the room page alone,
//! so that the sticky part's share shows. Prints figures, asserts nothing.
//!
//! `cargo bench -p demo-chat --bench heap`. `USERS=n` sets the users; `MESSAGES=n` posts n
//! messages to the room before they come (default 0, as in the load bench); `DEPTH=n` names
//! each place by n functions (the place and its callers, default 1); `IDLE=s` the seconds
//! they idle after the last frame (default 12: past the 10 s adoption window, after which the
//! sticky part mounted by a page-only user's GET is dropped). The RSS figure is the load
//! bench's; this one counts the bytes the program asked for (no allocator overhead) and the
//! allocations.

#[path = "../load/wire.rs"]
#[allow(
    dead_code,
    reason = "the load bench's client; the floor's frames are not used here"
)]
mod wire;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use demo_chat::{App, Attachments, COOKIE_NAME, Cookies, Db};
use futures_util::StreamExt as _;
use leptos_live::{Presence, PubSub};
use leptos_live_tests::heap::{self, Held};
use leptos_live_tests::{env_or, http_get_with, spawn_server, sticky_token_of, token_of};
use tokio::io::AsyncWriteExt as _;
use wire::Frame;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// The argument that tells this executable it was started to serve, then the profile's file
/// and the database's.
const SERVE_FLAG: &str = "--serve-profiled";

/// The secret of tokens and cookies, so that the users can sign their nicknames.
const SECRET: &str = "heap-bench-secret-heap-bench-secret-0123456789";

/// The child: serves the chat, as its binary does (the metrics recorder and its upkeep included), until a line
/// arrives on its standard input; then writes the profile (the heap as it is then, with every
/// user still connected) and exits.
fn serve_profiled(file: &str, db_path: &str) {
    let profiler = dhat::Profiler::builder().file_name(file).build();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let prometheus = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder();
        // As the binary does: its histogram samples are folded in every few seconds.
        let metrics = prometheus.handle();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(5));
            loop {
                every.tick().await;
                metrics.run_upkeep();
            }
        });
        leptos_live::dashboard::Recorder::new()
            .forward_to(prometheus)
            .install()
            .expect("the metrics recorder");
        let db = Db::connect(&format!("sqlite://{db_path}"))
            .await
            .expect("the database");
        let pubsub = PubSub::local();
        let app = App {
            db,
            presence: Presence::with_heartbeat(&pubsub, Duration::from_secs(5)),
            cookies: Cookies::new(format!("cookie:{SECRET}").as_bytes()),
            attachments: Attachments::new(format!("{db_path}.attachments")),
            admin: None,
        };
        let router = app.router(pubsub, SECRET);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        println!("{}", listener.local_addr().expect("address"));
        tokio::spawn(async move { leptos_live::serve(listener, router).await });
        let _ =
            tokio::task::spawn_blocking(|| std::io::stdin().read_line(&mut String::new())).await;
        drop(profiler);
        std::process::exit(0);
    });
}

/// When the users last received a frame other than a heartbeat's answer, in milliseconds
/// since `start`, and how many of their sockets are open.
struct Quiet {
    start: Instant,
    last: AtomicU64,
    open: AtomicUsize,
}

impl Quiet {
    fn saw(&self) {
        self.last
            .fetch_max(self.start.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    fn quiet_for(&self) -> Duration {
        Duration::from_millis(
            (self.start.elapsed().as_millis() as u64)
                .saturating_sub(self.last.load(Ordering::Relaxed)),
        )
    }
}

/// Joins `token` on `channel` of the socket (`""` for the page's, `"1"` for the first sticky
/// part's); returns once the join is answered.
async fn join(ws: &mut wire::Client, channel: &str, token: &str) -> Result<(), String> {
    ws.send(&format!(
        "{channel}{}",
        serde_json::json!([1, "j", token, 0])
    ))
    .await
    .map_err(|e| e.to_string())?;
    let answer = format!("{channel}[1,");
    loop {
        match ws.next().await {
            Ok(Frame::Text(t)) if t.starts_with(&answer) => return Ok(()),
            Ok(Frame::Text(_) | Frame::Other) => {}
            Ok(Frame::Closed) => return Err("closed before the join's answer".into()),
            Err(e) => return Err(format!("join failed: {e}")),
        }
    }
}

/// Reads frames until the socket closes, and beats every 20 s as the shim does: a socket that
/// sends nothing for a minute is closed, and joining a crowd under dhat takes minutes.
async fn read(mut ws: wire::Client, quiet: Arc<Quiet>, sticky: bool) {
    quiet.open.fetch_add(1, Ordering::Relaxed);
    beat_and_read(&mut ws, &quiet, sticky).await;
    quiet.open.fetch_sub(1, Ordering::Relaxed);
}

async fn beat_and_read(ws: &mut wire::Client, quiet: &Quiet, sticky: bool) {
    let mut beat = tokio::time::interval(Duration::from_secs(20));
    beat.tick().await;
    let mut r = 1u64;
    loop {
        tokio::select! {
            frame = ws.next() => match frame {
                Ok(Frame::Text(t)) if t.ends_with(",\"h\"]") => {}
                Ok(Frame::Text(_) | Frame::Other) => quiet.saw(),
                Ok(Frame::Closed) | Err(_) => return,
            },
            _ = beat.tick() => {
                r += 1;
                if ws.send(&format!("[{r},\"h\"]")).await.is_err()
                    || (sticky && ws.send(&format!("1[{r},\"h\"]")).await.is_err())
                {
                    return;
                }
            }
        }
    }
}

/// One user, as a tab: the GET with their cookie, the page's socket and, with `sticky`, the
/// room list joined on its channel 1. Its reader is spawned; returns once both joined.
async fn user(
    addr: SocketAddr,
    nick: String,
    sticky: bool,
    quiet: Arc<Quiet>,
    readers: Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
) -> Result<(), String> {
    let cookies = Cookies::new(format!("cookie:{SECRET}").as_bytes());
    let cookie = format!("{COOKIE_NAME}={}", cookies.sign(&nick));
    let (status, html) = http_get_with(addr, "/rooms/lobby", &cookie).await;
    if status != 200 {
        return Err(format!("GET answered {status}"));
    }
    let page = token_of(&html).ok_or("no page token")?;
    let mut ws = wire::Client::connect(addr, "/live/socket")
        .await
        .map_err(|e| e.to_string())?;
    join(&mut ws, "", &page).await?;
    if sticky {
        let part = sticky_token_of(&html, "rooms").ok_or("no sticky part's token")?;
        join(&mut ws, "1", &part).await?;
    }
    let reader = tokio::spawn(read(ws, quiet.clone(), sticky));
    readers.lock().expect("readers").push(reader);
    Ok(())
}

/// A server with `users` users connected (joining the sticky part too when `sticky`), idle,
/// then its profile by place, and how many users joined.
async fn measure(
    users: usize,
    sticky: bool,
    messages: usize,
    depth: usize,
    idle: Duration,
) -> (Held, usize) {
    let dir = std::env::temp_dir();
    let tag = format!("{}-{users}-{sticky}", std::process::id());
    let file = dir.join(format!("chat-heap-{tag}.json"));
    let db = dir.join(format!("chat-heap-{tag}.db"));
    let (file_s, db_s) = (file.to_string_lossy(), db.to_string_lossy());
    let (mut child, _, addr) = spawn_server(&[SERVE_FLAG, &file_s, &db_s]).await;
    // A room with history, when asked for, posted through the database before anyone comes.
    if messages > 0 {
        let db = Db::connect(&format!("sqlite://{db_s}"))
            .await
            .expect("the database");
        for k in 0..messages {
            db.post("lobby", "someone", &format!("message {k}: hello there"))
                .await
                .expect("post");
        }
    }
    // One warm-up page, on the empty server too: what the first page sets up once.
    let cookies = Cookies::new(format!("cookie:{SECRET}").as_bytes());
    let _ = http_get_with(
        addr,
        "/rooms/lobby",
        &format!("{COOKIE_NAME}={}", cookies.sign("warm")),
    )
    .await;
    let quiet = Arc::new(Quiet {
        start: Instant::now(),
        last: AtomicU64::new(0),
        open: AtomicUsize::new(0),
    });
    let readers = Arc::new(std::sync::Mutex::new(Vec::new()));
    let t = Instant::now();
    let joined: Vec<Result<(), String>> = futures_util::stream::iter(0..users)
        .map(|i| {
            user(
                addr,
                format!("user{i:05}"),
                sticky,
                quiet.clone(),
                readers.clone(),
            )
        })
        .buffer_unordered(16)
        .collect()
        .await;
    let failed: Vec<&String> = joined.iter().filter_map(|r| r.as_ref().err()).collect();
    if let Some(e) = failed.first() {
        eprintln!("  {} users did not join; the first: {e}", failed.len());
    }
    let joined = users - failed.len();
    eprintln!(
        "  {joined} users joined{} in {:.1} s",
        if sticky {
            " the page and the sticky part"
        } else {
            " the page alone"
        },
        t.elapsed().as_secs_f64()
    );
    // Idle: past the adoption window (the warm-up's page and the page-only users' sticky
    // parts are dropped), and until the presence updates of the crowd have settled.
    let quiet_since = Instant::now();
    while quiet_since.elapsed() < idle || quiet.quiet_for() < Duration::from_secs(3) {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let sockets = joined;
    let open = quiet.open.load(Ordering::Relaxed);
    if open < sockets {
        eprintln!(
            "  {} of the {sockets} sockets closed before the profile",
            sockets - open
        );
    }
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"done\n").await.expect("tell the child");
    let _ = child.wait().await;
    for r in readers.lock().expect("readers").drain(..) {
        r.abort();
    }
    // The profile stays, for dhat's viewer.
    let held = heap::by_place(&heap::read_profile(&file_s), depth);
    demo_chat::remove_database(std::path::Path::new(&*db_s));
    (held, joined)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == SERVE_FLAG) {
        let arg = |k: usize| args.get(i + k).map_or("", String::as_str);
        serve_profiled(arg(1), arg(2));
        return;
    }
    let users: usize = env_or("USERS", 1_000);
    let messages: usize = env_or("MESSAGES", 0);
    let depth: usize = env_or("DEPTH", 1);
    let idle = Duration::from_secs(env_or("IDLE", 12));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let ((none, _), (alone, alone_users), (tab, tab_users)) = runtime.block_on(async {
        // The same server with no user: what the process holds anyway.
        let none = measure(0, false, messages, depth, idle).await;
        let alone = measure(users, false, messages, depth, idle).await;
        let tab = measure(users, true, messages, depth, idle).await;
        (none, alone, tab)
    });
    // Per user who joined (a GET can time out on a server this slow).
    let (tb, tn) = heap::total_per_unit(&none, &tab, tab_users);
    let (ab, an) = heap::total_per_unit(&none, &alone, alone_users);
    println!(
        "heap per connected chat user ({users} users in one room, {messages} messages before):"
    );
    println!(
        "  as a tab (the room page and the sticky room list; {tab_users} joined): {tb:.0} B ({:.1} KiB) in {tn:.1} allocations",
        tb / 1024.0
    );
    println!(
        "  the room page alone ({alone_users} joined): {ab:.0} B ({:.1} KiB) in {an:.1} allocations; the sticky part: {:.0} B in {:.1}",
        ab / 1024.0,
        tb - ab,
        tn - an
    );
    // The Prometheus recorder's summaries are sketches whose size follows the spread of the
    // values recorded, whatever the number of users: the figures without them.
    let metrics = |base: &Held, with: &Held, n: usize| {
        heap::per_unit(base, with, n)
            .into_iter()
            .find(|(p, _, _)| p == heap::METRICS_PLACE)
            .map_or(0.0, |(_, b, _)| b)
    };
    let (tm, am) = (
        metrics(&none, &tab, tab_users),
        metrics(&none, &alone, alone_users),
    );
    println!(
        "  without the metrics recorder's samples and summaries: as a tab {:.0} B ({:.1} KiB), the room page alone {:.0} B ({:.1} KiB)",
        tb - tm,
        (tb - tm) / 1024.0,
        ab - am,
        (ab - am) / 1024.0
    );
    let page_only: std::collections::HashMap<String, (f64, f64)> =
        heap::per_unit(&none, &alone, alone_users)
            .into_iter()
            .map(|(p, b, n)| (p, (b, n)))
            .collect();
    println!(
        "| tab: bytes/user | allocations/user | page alone: bytes/user | allocations/user | allocated in |"
    );
    println!("| --- | --- | --- | --- | --- |");
    let mut shown = std::collections::HashSet::new();
    for (place, b, n) in heap::per_unit(&none, &tab, tab_users) {
        let (pb, pn) = page_only.get(&place).copied().unwrap_or_default();
        if b >= 8.0 || pb >= 8.0 {
            println!("| {b:.0} | {n:.2} | {pb:.0} | {pn:.2} | {place} |");
        }
        shown.insert(place);
    }
    for (place, (pb, pn)) in &page_only {
        if !shown.contains(place) && *pb >= 8.0 {
            println!("| 0 | 0 | {pb:.0} | {pn:.2} | {place} |");
        }
    }
}
