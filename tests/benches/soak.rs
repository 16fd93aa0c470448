//! Soak benchmark: prints figures, asserts nothing.
//!
//! The counter demo as a server process holds `PAGES` live pages (default 10,000), each a real
//! WebSocket that joins after a GET, clicks +1 every `PAGES / RATE` seconds (the whole set
//! sends `RATE` events per second, default 1,000) and reads every frame, while each page's clock
//! pushes once a second. Every minute for `MINUTES` (default 10) it prints the server's RSS and
//! open file descriptors; then it closes every page and counts the descriptors left once the
//! pages' retention window has passed.
//!
//! Warm-up: every page first sends `WARMUP` clicks at once (default 40). A tokio channel
//! allocates its second block of 32 slots at its 33rd message and reuses its blocks from then
//! on: each page's control queue takes that step once, which at this rate would otherwise land
//! at minute 6 (a step of megabytes over 10,000 pages) and look like growth. The figures start
//! once every page is past it.
//!
//! Run with `cargo bench -p leptos-live-tests --bench soak`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use leptos_live::{LiveConfig, LiveRouter};
use leptos_live_tests::{
    env_or, http_get, is_server_child, rss_kib, serve_for_parent, serve_in_child, token_of,
};
use tokio_tungstenite::tungstenite::Message;

/// The server runs on mimalloc, as the chat does: with the system allocator, RSS kept rising
/// by a few percent over ten minutes, and this tells the allocator from state that grows.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

type Sink = futures_util::stream::SplitSink<
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    Message,
>;
type Source = futures_util::stream::SplitStream<
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
>;

/// One page: a GET, a socket and a join.
async fn open(addr: SocketAddr) -> Option<(Sink, Source)> {
    let (_, body) = http_get(addr, "/").await;
    let token = token_of(&body)?;
    let (ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/live/socket"))
        .await
        .ok()?;
    let (mut tx, rx) = ws.split();
    tx.send(Message::text(format!(r#"[1,"j","{token}",0]"#)))
        .await
        .ok()?;
    Some((tx, rx))
}

/// `warmup` clicks at once, then a click every `every`, every frame read, until `stop`.
async fn run(
    (mut tx, mut rx): (Sink, Source),
    every: Duration,
    (warmup, warm): (u64, Arc<AtomicU64>),
    events: Arc<AtomicU64>,
    stop: Arc<tokio::sync::Notify>,
) {
    let mut r = 1u64;
    for _ in 0..warmup {
        r += 1;
        if tx
            .send(Message::text(format!(r#"[{r},"e","inc"]"#)))
            .await
            .is_err()
        {
            return;
        }
    }
    warm.fetch_add(1, Ordering::Relaxed);
    // Spread the clicks over the interval.
    let start = tokio::time::Instant::now() + every.mul_f64(rand_unit());
    let mut clicks = tokio::time::interval_at(start, every);
    loop {
        tokio::select! {
            _ = stop.notified() => break,
            _ = clicks.tick() => {
                r += 1;
                if tx.send(Message::text(format!(r#"[{r},"e","inc"]"#))).await.is_err() {
                    break;
                }
                events.fetch_add(1, Ordering::Relaxed);
            }
            msg = rx.next() => if !matches!(msg, Some(Ok(_))) { break },
        }
    }
    let _ = tx.close().await;
}

fn rand_unit() -> f64 {
    let mut b = [0u8; 4];
    let _ = getrandom_bytes(&mut b);
    f64::from(u32::from_le_bytes(b)) / f64::from(u32::MAX)
}

fn getrandom_bytes(buf: &mut [u8]) -> std::io::Result<()> {
    use std::io::Read as _;
    std::fs::File::open("/dev/urandom")?.read_exact(buf)
}

async fn serve() {
    let config = LiveConfig::default()
        .with_secret(b"soak-secret-soak-secret-soak-secret!".to_vec())
        .with_max_pending_pages(100_000)
        .with_retention_window(Duration::from_secs(2))
        .with_max_events_per_sec(1_000);
    let app = demo_counter::app(LiveRouter::with_config(config));
    serve_for_parent(app).await;
}

async fn soak() {
    let pages: usize = env_or("PAGES", 10_000);
    let rate: u64 = env_or("RATE", 1_000).max(1);
    let minutes: u64 = env_or("MINUTES", 10);
    let every = Duration::from_secs_f64(pages as f64 / rate as f64);
    let warmup: u64 = env_or("WARMUP", 40);
    let warm = Arc::new(AtomicU64::new(0));
    let (mut child, pid, addr) = serve_in_child().await;
    let idle_fds = fds(pid);
    let events = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(tokio::sync::Notify::new());
    let t = Instant::now();
    let mut held = Vec::with_capacity(pages);
    let gate = Arc::new(tokio::sync::Semaphore::new(200));
    for _ in 0..pages {
        let permit = gate.clone().acquire_owned().await.expect("semaphore");
        let (events, stop, warm) = (events.clone(), stop.clone(), warm.clone());
        held.push(tokio::spawn(async move {
            // The permit is held for the GET and the join only.
            let socket = open(addr).await;
            drop(permit);
            if let Some(socket) = socket {
                run(socket, every, (warmup, warm), events, stop).await;
            }
        }));
    }
    println!(
        "{pages} pages opened in {:.1} s; {rate} events/s in all ({:.1} s between a page's clicks); server idle: {idle_fds} fds",
        t.elapsed().as_secs_f64(),
        every.as_secs_f64()
    );
    // Every page has sent its warm-up clicks; the server has a few seconds to answer them.
    while warm.load(Ordering::Relaxed) < pages as u64 {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(10)).await;
    println!(
        "warm-up: {warmup} clicks from each page, done {:.1} s after the start",
        t.elapsed().as_secs_f64()
    );
    println!("| minute | RSS | open fds | events sent |");
    println!("| --- | --- | --- | --- |");
    let mut samples = Vec::new();
    for minute in 0..=minutes {
        if minute > 0 {
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
        let (rss, open) = (rss_kib(pid), fds(pid));
        samples.push((rss, open));
        println!(
            "| {minute} | {:.1} MiB | {open} | {} |",
            rss as f64 / 1024.0,
            events.load(Ordering::Relaxed)
        );
    }
    let after_warmup = &samples[samples.len().min(2) - 1..];
    let spread = |f: fn(&(u64, usize)) -> f64| {
        let values: Vec<f64> = after_warmup.iter().map(f).collect();
        let (lo, hi) = values
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
        (hi - lo) / lo.max(1.0) * 100.0
    };
    println!(
        "after the first minute: RSS within {:.1}%, open fds within {:.1}%",
        spread(|s| s.0 as f64),
        spread(|s| s.1 as f64)
    );
    stop.notify_waiters();
    for h in held {
        h.abort();
    }
    // Past the retention window every page has ended.
    tokio::time::sleep(Duration::from_secs(6)).await;
    println!(
        "after closing every page: {} fds (idle: {idle_fds}), RSS {:.1} MiB",
        fds(pid),
        rss_kib(pid) as f64 / 1024.0
    );
    let _ = child.kill().await;
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    if is_server_child() {
        runtime.block_on(serve());
        return;
    }
    runtime.block_on(soak());
}
