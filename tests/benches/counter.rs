//! The counter benchmark: prints figures, asserts nothing.
//!
//! Every figure is taken on [`MinimalCounter`], a counter page fixed in the test support crate (a
//! number, a button and a clock that pushes every second), so that a change to the demo's page
//! does not move the series.
//!
//! - server time per counter event (handler + render + parse + diff + encode, as the page task
//!   runs it, without the test client's copy of the page), median and p99;
//! - bytes per frame, up and down, for a click;
//! - memory per idle connected page: a server in a child process, 5,000 real WebSocket
//!   connections (each a GET then a join), RSS delta / pages.
//!
//! Run with `cargo bench -p leptos-live-tests --bench counter`; `PAGES=n` changes the page count.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use leptos_live::testing::LiveTest;
use leptos_live::{Params, Session};
use leptos_live_tests::counter_page::MinimalCounter;
use leptos_live_tests::{
    WsClient, connect_pages, env_or, is_server_child, percentile, rss_kib, serve_for_parent,
    serve_in_child,
};

fn median_of(n: usize, mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..n)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64()
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[n / 2]
}

async fn event_timing() {
    let mut page = LiveTest::<MinimalCounter>::mount(Params::default(), Session::default())
        .await
        .expect("mount the counter");
    let mut times = Vec::with_capacity(20_000);
    let mut bytes = 0;
    for i in 0..25_000u64 {
        // The page task's work: handler, render, region reparse, diff, frame.
        let t = Instant::now();
        let frames = page.event_frames("inc", serde_json::json!({})).await;
        let dt = t.elapsed();
        bytes = frames.last().map_or(0, String::len);
        if i >= 5_000 {
            times.push(dt);
        }
    }
    times.sort();
    let html = page.html();
    let parse = median_of(5_000, || {
        std::hint::black_box(leptos_live::html::parse_fragment(std::hint::black_box(
            &html,
        )));
    });
    let render = median_of(5_000, || {
        std::hint::black_box(leptos_live::render_to_string(page.view()).ok());
    });
    let a = leptos_live::html::parse_fragment(&html);
    let b = leptos_live::html::parse_fragment(&html.replacen(">25000<", ">25001<", 1));
    let diff = median_of(5_000, || {
        let _ = std::hint::black_box(leptos_live::diff::diff(&a, &b));
    });
    println!(
        "  parts, median: render {:.2} µs, parse {:.2} µs ({} bytes, {:.0} MB/s), diff {:.2} µs",
        render * 1e6,
        parse * 1e6,
        html.len(),
        html.len() as f64 / parse / 1e6,
        diff * 1e6
    );
    println!(
        "counter event on the minimal page, server time (handler + render + parse + diff + encode): median {:.2} µs, p99 {:.2} µs ({} events)",
        percentile(&times, 0.5).expect("timed runs").as_secs_f64() * 1e6,
        percentile(&times, 0.99).expect("timed runs").as_secs_f64() * 1e6,
        times.len()
    );
    println!("last reply frame: {bytes} bytes");
}

async fn frame_sizes(addr: SocketAddr) {
    let (mut ws, _) = WsClient::open_page(addr, "/").await;
    let click = r#"[2,"e","inc"]"#;
    ws.send(click).await;
    let reply = ws.reply(2).await;
    println!(
        "click frame up: {} bytes ({click}); reply down: {} bytes ({reply})",
        click.len(),
        reply.len()
    );
    println!("  (Phoenix LiveView sends about 75 bytes up and 95 down for the same click)");
}

async fn memory_per_page(pages: usize) {
    let (mut child, pid, addr) = serve_in_child().await;
    frame_sizes(addr).await;
    let _warm = connect_pages(addr, 100, 50).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = rss_kib(pid);
    let t = Instant::now();
    let _held = connect_pages(addr, pages, 100).await;
    let took = t.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rss_kib(pid);
    let per_page = (after.saturating_sub(before)) as f64 * 1024.0 / pages as f64;
    println!(
        "memory per idle connected page: {:.1} KiB ({} pages, RSS {} KiB -> {} KiB; connected in {:.1} s)",
        per_page / 1024.0,
        pages,
        before,
        after,
        took.as_secs_f64()
    );
    let _ = child.kill().await;
}

async fn serve() {
    serve_for_parent(leptos_live_tests::counter_page::app()).await;
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    if is_server_child() {
        runtime.block_on(serve());
        return;
    }
    let pages = env_or("PAGES", 5_000);
    runtime.block_on(async {
        event_timing().await;
        if std::env::var_os("NO_MEMORY").is_none() {
            memory_per_page(pages).await;
        }
    });
}
