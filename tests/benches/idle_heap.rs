//! Where an idle connected page's bytes go: the counter page served by a child process whose
//! allocator is dhat's, `PAGES` pages (default 2,000) connected to it over real WebSockets and
//! left idle (the clock still pushes every second), then the heap the child holds, by the engine
//! function that allocated it. Prints figures, asserts nothing.
//!
//! Run with `cargo bench -p leptos-live-tests --bench idle_heap`. The RSS figure is the counter
//! bench's; this one counts the bytes the program asked for (allocator overhead not included)
//! and the allocations, per page.

use std::time::Duration;

use leptos_live_tests::{connect_pages, env_or, heap, spawn_server};
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

async fn measure(pages: usize, file: &str) -> Value {
    let (mut child, _, addr) = spawn_server(&[SERVE_FLAG, file]).await;
    let held = connect_pages(addr, pages, 100).await;
    // Idle: every page has had its first clock pushes.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"done\n").await.expect("tell the child");
    let _ = child.wait().await;
    drop(held);
    heap::read_profile(file)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == SERVE_FLAG) {
        serve_profiled(args.get(i + 1).map_or("dhat-heap.json", String::as_str));
        return;
    }
    let pages: usize = env_or("PAGES", 2_000);
    let dir = std::env::temp_dir();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    // The same server with no page connected: what the process holds anyway.
    let (none, all) = runtime.block_on(async {
        let none = measure(0, &dir.join("idle-heap-0.json").to_string_lossy()).await;
        let all = measure(pages, &dir.join("idle-heap-n.json").to_string_lossy()).await;
        (none, all)
    });
    // The heap split by the first engine (or tokio, axum, hyper, tungstenite) function on the
    // stack below the allocator.
    let (base, with) = (heap::by_place(&none, 1), heap::by_place(&all, 1));
    let (b0, b1) = (heap::total(&base).0, heap::total(&with).0);
    let (bytes, blocks) = heap::total_per_unit(&base, &with, pages);
    println!(
        "idle heap per connected page: {bytes:.0} B in {blocks:.1} allocations ({pages} pages; heap {b0} B -> {b1} B)"
    );
    println!("| bytes/page | allocations/page | allocated in |");
    println!("| --- | --- | --- |");
    for (place, bp, np) in heap::per_unit(&base, &with, pages) {
        if bp >= 8.0 {
            println!("| {bp:.0} | {np:.2} | {place} |");
        }
    }
}
