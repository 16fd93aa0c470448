//! Where an idle connected page's bytes go: the counter page served by a child process whose
//! allocator is dhat's, `PAGES` pages (default 2,000) connected to it over real WebSockets and
//! left idle (the clock still pushes every second), then the heap the child holds, by the engine
//! function that allocated it. Prints figures, asserts nothing.
//!
//! Run with `cargo bench -p leptos-live-tests --bench idle_heap`. The RSS figure is the counter
//! bench's; this one counts the bytes the program asked for (allocator overhead not included)
//! and the allocations, per page.

use std::collections::HashMap;
use std::time::Duration;

use leptos_live_tests::{connect_pages, spawn_server};
use serde_json::Value;
use tokio::io::AsyncWriteExt as _;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// The argument that tells this executable it was started to serve, and where to write the
/// profile.
const SERVE_FLAG: &str = "--serve-profiled";

/// The child: serves the counter page until a line arrives on its standard input, then writes
/// the profile (the heap as it is then, with every page still connected) and exits.
fn serve_profiled(file: &str) {
    let profiler = dhat::Profiler::builder().file_name(file).build();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    runtime.block_on(async {
        let app = leptos_live_tests::counter_page::app();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        println!("{}", listener.local_addr().expect("address"));
        tokio::spawn(async move { leptos_live::serve(listener, app).await });
        let _ =
            tokio::task::spawn_blocking(|| std::io::stdin().read_line(&mut String::new())).await;
        drop(profiler);
        std::process::exit(0);
    });
}

/// The heap the child held at the end, from dhat's profile: bytes and blocks per place, the
/// place being the first engine (or tokio, axum, hyper, tungstenite) function on the stack
/// below the allocator.
fn by_place(profile: &Value) -> Vec<(String, u64, u64)> {
    let frames: Vec<&str> = profile["ftbl"]
        .as_array()
        .map(|f| f.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut places: HashMap<String, (u64, u64)> = HashMap::new();
    for pp in profile["pps"].as_array().into_iter().flatten() {
        let (bytes, blocks) = (
            pp["eb"].as_u64().unwrap_or(0),
            pp["ebk"].as_u64().unwrap_or(0),
        );
        if bytes == 0 {
            continue;
        }
        let stack: Vec<&str> = pp["fs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| frames.get(i.as_u64()? as usize).copied())
            .collect();
        let place = stack
            .iter()
            .find(|f| {
                [
                    "leptos_live::",
                    "tokio::",
                    "axum::",
                    "hyper::",
                    "tungstenite::",
                    "leptos",
                ]
                .iter()
                .any(|c| f.contains(c))
                    && !f.contains("alloc::")
            })
            .or(stack.get(1))
            .map(|f| {
                // "0x…: function (file:line:col)": the function and where.
                let f = f.split_once(": ").map_or(*f, |(_, r)| r);
                f.chars().take(150).collect::<String>()
            })
            .unwrap_or_else(|| "?".into());
        let e = places.entry(place).or_default();
        e.0 += bytes;
        e.1 += blocks;
    }
    let mut v: Vec<_> = places.into_iter().map(|(k, (b, n))| (k, b, n)).collect();
    v.sort_by_key(|p| std::cmp::Reverse(p.1));
    v
}

async fn measure(pages: usize, file: &str) -> Value {
    let (mut child, _, addr) = spawn_server(&[SERVE_FLAG, file]).await;
    let held = connect_pages(addr, pages, 100).await;
    // Idle: every page has had its first clock pushes.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"done\n").await.expect("tell the child");
    let _ = child.wait().await;
    drop(held);
    let text = std::fs::read_to_string(file).expect("the profile");
    serde_json::from_str(&text).expect("dhat's profile is JSON")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == SERVE_FLAG) {
        serve_profiled(args.get(i + 1).map_or("dhat-heap.json", String::as_str));
        return;
    }
    let pages: usize = std::env::var("PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let dir = std::env::temp_dir();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    // The same server with no page connected: what the process holds anyway.
    let (none, all) = runtime.block_on(async {
        let none = measure(0, &dir.join("idle-heap-0.json").to_string_lossy()).await;
        let all = measure(pages, &dir.join("idle-heap-n.json").to_string_lossy()).await;
        (none, all)
    });
    let (base, with) = (by_place(&none), by_place(&all));
    let total = |v: &[(String, u64, u64)]| {
        v.iter()
            .fold((0u64, 0u64), |(b, n), (_, x, y)| (b + x, n + y))
    };
    let ((b0, n0), (b1, n1)) = (total(&base), total(&with));
    let per = |x: u64, y: u64| (x.saturating_sub(y)) as f64 / pages as f64;
    println!(
        "idle heap per connected page: {:.0} B in {:.1} allocations ({pages} pages; heap {b0} B -> {b1} B)",
        per(b1, b0),
        per(n1, n0)
    );
    let before: HashMap<&str, (u64, u64)> = base
        .iter()
        .map(|(k, b, n)| (k.as_str(), (*b, *n)))
        .collect();
    println!("| bytes/page | allocations/page | allocated in |");
    println!("| --- | --- | --- |");
    for (place, b, n) in &with {
        let (b0, n0) = before.get(place.as_str()).copied().unwrap_or((0, 0));
        let (bp, np) = (per(*b, b0), per(*n, n0));
        if bp >= 8.0 {
            println!("| {bp:.0} | {np:.2} | {place} |");
        }
    }
}
