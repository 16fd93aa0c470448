//! A deploy keeps state: the counter runs as a real process, a browser clicks +1 five times,
//! the process is stopped with SIGTERM (it writes its pages out) and started again; the same
//! tab reconnects by itself and shows 5, and the next click gives 6.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use leptos_live_tests::browser::Browser;
use leptos_live_tests::{http_get, within};
use tokio::process::{Child, Command};

const SECRET: &str = "the counter restart test's secret, 32+ bytes";

/// Starts the counter; without `secret` it keeps a development secret beside the snapshots,
/// as in the edit loop.
async fn start(addr: SocketAddr, snapshots: &Path, secret: Option<&str>) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_demo-counter"));
    cmd.env("LEPTOS_SITE_ADDR", addr.to_string())
        .env("LEPTOS_LIVE_SNAPSHOTS", snapshots)
        .env("RUST_LOG", "warn")
        .env_remove("LEPTOS_LIVE_SECRET")
        .stdout(Stdio::null())
        .kill_on_drop(true);
    if let Some(secret) = secret {
        cmd.env("LEPTOS_LIVE_SECRET", secret);
    }
    let child = cmd.spawn().expect("start demo-counter");
    within(60, "the counter to answer", async {
        loop {
            if tokio::net::TcpStream::connect(addr).await.is_ok()
                && http_get(addr, "/").await.0 == 200
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    child
}

/// Stops the process as a deploy does, and waits for it to exit.
async fn stop(mut child: Child) {
    let pid = child.id().expect("a running process").to_string();
    let sent = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .await
        .expect("run kill");
    assert!(sent.success(), "SIGTERM sent");
    let status = within(30, "the counter to stop", child.wait())
        .await
        .expect("wait for the counter");
    assert!(status.success(), "a graceful stop: {status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_count_survives_a_restart() {
    // A deploy with a secret, then the edit loop without one.
    for secret in [Some(SECRET), None] {
        restart(secret).await;
    }
}

async fn restart(secret: Option<&str>) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let snapshots =
        std::env::temp_dir().join(format!("counter-snapshots-{}-{port}", std::process::id()));
    let server = start(addr, &snapshots, secret).await;
    let mut browser = Browser::launch().await;
    let mut page = browser.open(&format!("http://{addr}/")).await;
    page.wait_connected().await;
    for n in 1..=5 {
        page.click("button[lv-click=inc]").await;
        page.wait_for(&format!(
            "document.getElementById('count').textContent === '{n}'"
        ))
        .await;
    }
    page.eval("window.before = window.liveSocket.ws").await;
    stop(server).await;
    // The tab's page, and the one the readiness check's GET mounted.
    let files = std::fs::read_dir(&snapshots).map_or(0, |d| d.count());
    assert!(files >= 1, "the pages were written out");

    let server = start(addr, &snapshots, secret).await;
    // The tab rejoins the new process by itself: the page comes back with its count.
    page.wait_for("window.liveSocket.ws !== window.before && window.liveSocket.isConnected()")
        .await;
    page.wait_for("document.getElementById('count').textContent === '5'")
        .await;
    page.click("button[lv-click=inc]").await;
    page.wait_for("document.getElementById('count').textContent === '6'")
        .await;
    drop(browser);
    stop(server).await;
    let _ = std::fs::remove_dir_all(&snapshots);
}
