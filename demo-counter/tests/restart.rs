//! A deploy keeps state: the counter runs as a real process, a browser clicks +1 five times,
//! the process is stopped with SIGTERM (it writes its pages out) and started again; the same
//! tab reconnects by itself and shows 5, and the next click gives 6. With Redis keeping the
//! snapshots, a page of a process that stops resumes on another process.

use std::net::SocketAddr;
use std::process::Stdio;
use std::time::Duration;

use leptos_live_tests::browser::Browser;
use leptos_live_tests::redis::RedisServer;
use leptos_live_tests::{WsClient, http_get, json, token_of, within};
use tokio::process::{Child, Command};

const SECRET: &str = "the counter restart test's secret, 32+ bytes";

/// Starts the counter; without `secret` it keeps a development secret beside the snapshots,
/// as in the edit loop.
async fn start(
    addr: SocketAddr,
    snapshots: impl AsRef<std::ffi::OsStr>,
    secret: Option<&str>,
) -> Child {
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

fn free_addr() -> SocketAddr {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    ([127, 0, 0, 1], port).into()
}

/// The count an `"html"` frame or a patch shows, read from its text.
fn shows(frame: &str, n: u32) -> bool {
    frame.contains(&format!(">{n}</p>")) || frame.contains(&format!(r#""{n}"]"#))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_resumes_on_another_process_through_redis() {
    let redis = RedisServer::start().await;
    let (a, b) = (free_addr(), free_addr());
    let server_a = start(a, redis.url(), Some(SECRET)).await;
    let server_b = start(b, redis.url(), Some(SECRET)).await;

    let (status, body) = http_get(a, "/").await;
    assert_eq!(status, 200);
    let token = token_of(&body).expect("a token");
    let mut ws = WsClient::connect(a).await;
    ws.join(&token, 0).await;
    for n in 1..=5u64 {
        ws.send(&format!(r#"[{},"e","inc"]"#, n + 1)).await;
        let reply = ws.reply(n + 1).await;
        assert!(shows(&reply, n as u32), "{reply}");
    }
    stop(server_a).await;
    assert!(ws.closes().await, "the stopped process closed the socket");

    // The browser's next connection reaches the other process (a load balancer's doing): the
    // page comes back with its count, from Redis, and goes on.
    let mut ws = WsClient::connect(b).await;
    ws.send(&format!(r#"[1,"j","{token}",6]"#)).await;
    let joined = ws.reply(1).await;
    assert_eq!(json(&joined)[1], "html", "{joined}");
    assert!(shows(&joined, 5), "the count resumed: {joined}");
    ws.send(r#"[2,"e","inc"]"#).await;
    let reply = ws.reply(2).await;
    assert!(shows(&reply, 6), "{reply}");

    // Taken once: a second join elsewhere mounts afresh (the page runs on B now).
    stop(server_b).await;
    drop(redis);
}
