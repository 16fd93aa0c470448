//! Upload benchmark: prints figures, asserts nothing.
//!
//! The upload page (`tests/src/uploads.rs`) runs in a server process of its own. A client sends
//! files of 10 MB and 100 MB over loopback exactly as the browser script does (64 KiB chunks,
//! each sent when the last is acknowledged), `RUNS` times each (default 3), and reports the
//! median throughput, the server's resident memory before and at its peak (`VmHWM`, sampled),
//! and the round trip of events sent on the same socket while the upload runs, next to the same
//! events on an idle page.
//!
//! The floor, measured in the same run: a bare axum WebSocket handler in the same server process
//! that does only the unavoidable work (read each chunk, append it to a file, acknowledge it)
//! with the same client.
//!
//! Run with `cargo bench -p leptos-live-tests --bench uploads`.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::extract::ws::{Message as AxMessage, WebSocket, WebSocketUpgrade};
use axum::routing::any;
use futures_util::{SinkExt as _, StreamExt as _};
use leptos_live::LiveConfig;
use leptos_live_tests::uploads::{app, chunk_frame, fresh_dir};
use leptos_live_tests::{
    env_or, http_get, is_server_child, percentile, serve_for_parent, serve_in_child, token_of,
};
use tokio::io::AsyncWriteExt as _;
use tokio_tungstenite::tungstenite::Message;

const CHUNK: usize = 64 * 1024;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// `VmRSS` and `VmHWM` of `pid`, in KiB.
fn memory(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// The floor: read a chunk, append it, acknowledge it.
async fn floor_socket(mut ws: WebSocket) {
    let dir = std::env::temp_dir();
    let path = dir.join(format!("lv-floor-{}.part", std::process::id()));
    let Ok(mut file) = tokio::fs::File::create(&path).await else {
        return;
    };
    let mut total = 0u64;
    while let Some(Ok(msg)) = ws.next().await {
        if let AxMessage::Binary(data) = msg {
            let body = data.get(13..).unwrap_or_default();
            if file.write_all(body).await.is_err() || file.flush().await.is_err() {
                break;
            }
            total += body.len() as u64;
            if ws
                .send(AxMessage::Text(format!("[0,\"uk\",1,{total}]").into()))
                .await
                .is_err()
            {
                break;
            }
        }
    }
    let _ = tokio::fs::remove_file(&path).await;
}

async fn serve() {
    let temp = fresh_dir("bench-uploads");
    let saved = fresh_dir("bench-saved");
    let saved_dir = saved.to_path_buf();
    let router =
        app(LiveConfig::default(), &temp, &saved_dir).route(
            "/floor",
            any(|ws: WebSocketUpgrade| async move {
                ws.max_message_size(2 << 20).on_upgrade(floor_socket)
            }),
        );
    // What the page saves is not kept: the benchmark writes hundreds of megabytes.
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(200)).await;
            for f in leptos_live_tests::uploads::files_in(&saved) {
                let _ = std::fs::remove_file(saved.join(f));
            }
        }
    });
    serve_for_parent(router).await;
}

/// Sends `size` bytes as entry `id`, chunk by chunk; every `probe_every` chunks an event goes
/// on the same socket and its round trip is recorded. Returns the seconds taken.
async fn send_file(
    ws: &mut Ws,
    id: u32,
    size: u64,
    probes: &mut Vec<f64>,
    next_ref: &mut u64,
) -> f64 {
    let block: Vec<u8> = (0..CHUNK).map(|i| (i % 251) as u8).collect();
    let start = Instant::now();
    let mut at = 0u64;
    let mut n = 0u64;
    while at < size {
        let len = CHUNK.min((size - at) as usize);
        ws.send(Message::binary(chunk_frame(id, at, &block[..len])))
            .await
            .expect("send a chunk");
        at += len as u64;
        // The acknowledgement (patches with progress come in between).
        loop {
            let Some(Ok(Message::Text(t))) = ws.next().await else {
                panic!("socket closed during the upload");
            };
            if t.starts_with("[0,\"uk\"") || t.starts_with("[0,\"uf\"") {
                assert!(t.starts_with("[0,\"uk\""), "entry failed: {t}");
                break;
            }
        }
        n += 1;
        if id != 0 && n.is_multiple_of(40) {
            probes.push(event_round_trip(ws, next_ref).await);
        }
    }
    start.elapsed().as_secs_f64()
}

/// One event (a cancel of no entry: the page renders and answers) and its reply, in ms.
async fn event_round_trip(ws: &mut Ws, next_ref: &mut u64) -> f64 {
    *next_ref += 1;
    let r = *next_ref;
    event_reply(ws, &format!(r#"[{r},"e","cancel",{{"id":"0"}}]"#), r).await
}

/// Sends `frame` and waits for the reply to `r`; the round trip in ms.
async fn event_reply(ws: &mut Ws, frame: &str, r: u64) -> f64 {
    let t = Instant::now();
    ws.send(Message::text(frame.to_string()))
        .await
        .expect("send an event");
    let prefix = format!("[{r},");
    loop {
        let Some(Ok(Message::Text(f))) = ws.next().await else {
            panic!("socket closed");
        };
        if f.starts_with(&prefix) {
            return t.elapsed().as_secs_f64() * 1e3;
        }
    }
}

async fn open_page(addr: SocketAddr) -> Ws {
    let (_, body) = http_get(addr, "/").await;
    let token = token_of(&body).expect("a token");
    let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/live/socket"))
        .await
        .expect("connect");
    ws.send(Message::text(format!(r#"[1,"j","{token}",0]"#)))
        .await
        .expect("join");
    loop {
        if let Some(Ok(Message::Text(t))) = ws.next().await
            && t.starts_with("[1,")
        {
            return ws;
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn pct(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    percentile(&v, p).unwrap_or(0.0)
}

async fn bench() {
    let runs: u64 = env_or("RUNS", 3);
    let (mut child, pid, addr) = serve_in_child().await;
    let mut ws = open_page(addr).await;
    let mut next_ref = 1u64;
    // Events on an idle page, for the baseline.
    let mut idle_probes = Vec::new();
    for _ in 0..60 {
        idle_probes.push(event_round_trip(&mut ws, &mut next_ref).await);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (idle_rss, _) = memory(pid);
    println!(
        "server idle: RSS {:.1} MiB; event round trip on an idle page: p50 {:.2} ms, p99 {:.2} ms",
        idle_rss as f64 / 1024.0,
        pct(idle_probes.clone(), 0.5),
        pct(idle_probes, 0.99)
    );
    for mb in [10u64, 100] {
        let size = mb * 1_000_000;
        let mut engine = Vec::new();
        let mut floor = Vec::new();
        let mut probes = Vec::new();
        let mut peak = 0u64;
        for _ in 0..runs {
            // The engine.
            next_ref += 1;
            let r = next_ref;
            ws.send(Message::text(format!(
                r#"[{r},"u","files",[["bench.bin",{size},"application/octet-stream"]]]"#
            )))
            .await
            .expect("announce");
            let id = loop {
                let Some(Ok(Message::Text(t))) = ws.next().await else {
                    panic!("closed")
                };
                if t.starts_with(&format!("[{r},")) {
                    let v: serde_json::Value = serde_json::from_str(&t).expect("json");
                    break v[2]["reply"][0].as_u64().expect("an entry id") as u32;
                }
            };
            let secs = send_file(&mut ws, id, size, &mut probes, &mut next_ref).await;
            // The kernel's own high-water mark of the server's resident memory.
            peak = peak.max(memory(pid).1);
            engine.push(mb as f64 / secs);
            // Consumed (moved into the app's directory), then removed, as an app would.
            next_ref += 1;
            let r = next_ref;
            let _ = event_reply(&mut ws, &format!(r#"[{r},"e","save"]"#), r).await;

            // The floor.
            let (mut fws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/floor"))
                .await
                .expect("floor connect");
            let secs = send_file(&mut fws, 0, size, &mut Vec::new(), &mut 0).await;
            let _ = fws.close(None).await;
            floor.push(mb as f64 / secs);
        }
        let (e, f) = (median(engine), median(floor));
        println!(
            "{mb} MB: {e:.0} MB/s (floor {f:.0} MB/s, {:.2}× the floor's time); server peak RSS {:.1} MiB, {:+.1} MiB over idle",
            f / e,
            peak as f64 / 1024.0,
            (peak as f64 - idle_rss as f64) / 1024.0
        );
        println!(
            "    events during the upload: p50 {:.2} ms, p99 {:.2} ms over {} events",
            pct(probes.clone(), 0.5),
            pct(probes.clone(), 0.99),
            probes.len()
        );
    }
    let _ = child.kill().await;
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    if is_server_child() {
        runtime.block_on(serve());
        return;
    }
    runtime.block_on(bench());
}
