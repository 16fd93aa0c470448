//! The server's part of a click, without a browser: prints figures, asserts nothing.
//!
//! A client in this process sends the counter's click to a server in a process of its own and
//! waits for the answer, one click every `EVERY_MS` ms (15 by default: the server is idle in
//! between, as it is between a person's clicks). Three servers, each in its own process, take
//! turns, a block of clicks each:
//!
//! - the engine: the counter demo, served by `leptos_live::serve`; the click is its `inc`
//!   event, answered with the patch;
//! - the floor: a bare WebSocket echo ([`leptos_live_tests::floor::echo`]);
//! - the floor + render: the echo, rendering the counter's page first.
//!
//! For each: the time from the send to the answer (p50, p99), and the server's CPU time per
//! click (its process's, from `/proc`, over the clicks of its blocks; the clock each server
//! pushes every second is in it too: the engine renders its page for it). The browser's part is
//! in the `latency` bench; this one tells the server's share of it apart, with less noise.
//!
//! Run with `cargo bench -p leptos-live-tests --bench server_click`; `CLICKS=n` (default 2,000
//! per server), `ROUNDS=n` (the turns, default 5), `EVERY_MS=n`.

use std::time::{Duration, Instant};

use axum::extract::WebSocketUpgrade;
use axum::response::IntoResponse;
use axum::routing::get;
use leptos_live::LiveRouter;
use leptos_live_tests::{
    WsClient, cpu_time, env_or, floor, percentile, serve_for_parent, spawn_server,
};

/// The argument that starts this bench as one of the servers: `--serve-row <row>`.
const ROW_FLAG: &str = "--serve-row";

/// The servers, in the order they take turns.
const ROWS: [(&str, &str); 3] = [
    ("engine", "leptos_live::serve, the counter demo"),
    ("floor", "floor: a bare echo socket"),
    (
        "render",
        "floor + render: the echo, rendering the counter's page",
    ),
];

/// The app a server row serves.
fn app(row: &str) -> axum::Router {
    match row {
        "engine" => demo_counter::app(LiveRouter::new()),
        _ => {
            let render = row == "render";
            axum::Router::new().route(
                "/live/socket",
                get(move |up: WebSocketUpgrade| async move {
                    up.on_upgrade(move |socket| floor::echo(socket, render))
                        .into_response()
                }),
            )
        }
    }
}

/// One server and the client's socket to it.
struct Row {
    name: &'static str,
    _server: tokio::process::Child,
    pid: u32,
    ws: WsClient,
    /// The next reference number.
    r: u64,
    times: Vec<Duration>,
    /// The server's CPU time over its blocks, and the clicks sent in them (the untimed ones
    /// too).
    cpu: Duration,
    sent: usize,
}

impl Row {
    async fn start(flag: &'static str, name: &'static str) -> Row {
        let (server, pid, addr) = spawn_server(&[ROW_FLAG, flag]).await;
        let (ws, r) = match flag {
            "engine" => (WsClient::open_page(addr, "/").await.0, 2),
            _ => (WsClient::connect(addr).await, 1),
        };
        // Wait until the server is idle: the engine compresses its scripts on a thread of its
        // own once it starts (about half a second of CPU), which no click should be charged.
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut cpu = cpu_time(pid);
        while Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let now = cpu_time(pid);
            if now == cpu {
                break;
            }
            cpu = now;
        }
        Row {
            name,
            _server: server,
            pid,
            ws,
            r,
            times: Vec::new(),
            cpu: Duration::ZERO,
            sent: 0,
        }
    }

    /// `n` clicks, `every` apart; the first of each block is not timed (the block before was
    /// another server's).
    async fn block(&mut self, n: usize, every: Duration) {
        let cpu = cpu_time(self.pid);
        for i in 0..=n {
            tokio::time::sleep(every).await;
            let r = self.r;
            self.r += 1;
            let answer = format!("[{r},");
            let t = Instant::now();
            self.ws.send(&format!(r#"[{r},"e","inc",{{}}]"#)).await;
            loop {
                let frame = self.ws.recv().await.expect("the server answers");
                if frame.starts_with(&answer) {
                    break;
                }
            }
            if i > 0 {
                self.times.push(t.elapsed());
            }
        }
        self.cpu += cpu_time(self.pid).saturating_sub(cpu);
        self.sent += n + 1;
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == ROW_FLAG) {
        let row = args.get(i + 1).cloned().unwrap_or_default();
        let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
        return runtime.block_on(serve_for_parent(app(&row)));
    }
    let clicks = env_or("CLICKS", 2000);
    let rounds = env_or("ROUNDS", 5).clamp(1, clicks.max(1));
    let every = Duration::from_millis(env_or("EVERY_MS", 15));
    // The client needs one thread: the servers get the cores.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let rows = runtime.block_on(async {
        let mut rows = Vec::new();
        for (flag, name) in ROWS {
            rows.push(Row::start(flag, name).await);
        }
        for round in 0..rounds {
            let per = clicks / rounds + usize::from(round < clicks % rounds);
            for row in &mut rows {
                row.block(per, every).await;
            }
        }
        rows
    });
    println!(
        "\nthe server's part of a click: {clicks} clicks per server, one every {} ms, in {rounds} turns; a client in this process, each server in its own\n",
        every.as_millis()
    );
    println!("| server | p50 | p99 | server CPU per click |\n| --- | --- | --- | --- |");
    let mut figures = Vec::new();
    for row in &rows {
        let mut t = row.times.clone();
        t.sort();
        let us = |d: Option<Duration>| d.unwrap_or_default().as_secs_f64() * 1e6;
        let (p50, p99) = (us(percentile(&t, 0.5)), us(percentile(&t, 0.99)));
        let cpu = row.cpu.as_secs_f64() * 1e6 / row.sent.max(1) as f64;
        println!("| {} | {p50:.0} µs | {p99:.0} µs | {cpu:.0} µs |", row.name);
        figures.push((p50, p99, cpu));
    }
    let [engine, floor, render] = [figures[0], figures[1], figures[2]];
    println!(
        "\nengine / floor: p50 {:.2}×, p99 {:.2}×, CPU {:.2}×; engine / floor + render: p50 {:.2}×, p99 {:.2}×, CPU {:.2}×",
        engine.0 / floor.0,
        engine.1 / floor.1,
        engine.2 / floor.2,
        engine.0 / render.0,
        engine.1 / render.1,
        engine.2 / render.2,
    );
}
