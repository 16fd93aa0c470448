//! A page whose socket stays away past the retention window is written to the snapshot store
//! (its view keeps state), and the tab that comes back later resumes it: the count is back,
//! and the page was restored, not mounted afresh. The store, a directory or Redis, keeps no more
//! than its cap, and Redis expires what it keeps after the snapshot's lifetime (a day).

use std::time::Duration;

use leptos_live::{LiveConfig, LiveRouter};
use leptos_live_tests::TestServer;

const RETENTION: Duration = Duration::from_millis(300);

fn snapshots(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("late-return-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The `.json` files in `dir`.
fn kept(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| {
        d.flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .count()
    })
}

async fn counter(dir: &std::path::Path, max: usize) -> TestServer {
    let config = LiveConfig::default()
        .with_secret(b"late-return-secret-late-return-sec".to_vec())
        .with_retention_window(RETENTION)
        .with_snapshot_dir(Some(dir.to_path_buf()))
        .with_max_snapshots(max);
    TestServer::start(demo_counter::app(LiveRouter::with_config(config))).await
}

/// Waits until `dir` holds `n` snapshots.
async fn until_kept(dir: &std::path::Path, n: usize) {
    leptos_live_tests::within(10, "the snapshots to be written", async {
        while kept(dir) != n {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
}

#[tokio::test]
async fn a_tab_back_after_the_retention_window_resumes_its_state() {
    let dir = snapshots("resume");
    let server = counter(&dir, 100).await;
    let token = server.page_token("/").await;
    let mut ws = server.socket().await;
    ws.join(&token, 0).await;
    for r in 2..=4 {
        ws.send(&format!(r#"[{r},"e","inc"]"#)).await;
        ws.reply(r).await;
    }
    ws.close().await;
    // Gone three times the retention window: the page left memory for the store.
    tokio::time::sleep(RETENTION * 3).await;
    until_kept(&dir, 1).await;

    let mut ws = server.socket().await;
    let reply: serde_json::Value = serde_json::from_str(&ws.join(&token, 4).await).expect("json");
    assert_eq!(reply[1], "html", "{reply}");
    let html = reply[2].as_str().unwrap_or_default();
    assert!(
        html.contains(r#"id="count""#) && html.contains(">3</p>"),
        "the count is back: {html}"
    );
    // The page runs on from there; its snapshot was taken once.
    ws.send(r#"[2,"e","inc"]"#).await;
    assert!(ws.reply(2).await.contains(r#""4""#));
    assert_eq!(kept(&dir), 0, "a snapshot restores once");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_store_keeps_at_most_its_cap() {
    let dir = snapshots("cap");
    let server = counter(&dir, 2).await;
    for _ in 0..4 {
        let token = server.page_token("/").await;
        let mut ws = server.socket().await;
        ws.join(&token, 0).await;
        ws.close().await;
    }
    tokio::time::sleep(RETENTION * 3).await;
    until_kept(&dir, 2).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(kept(&dir), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

/// One command to the Redis at `port`, in its inline form; the raw reply.
async fn redis(port: u16, command: &str) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect to redis");
    s.write_all(format!("{command}\r\nQUIT\r\n").as_bytes())
        .await
        .expect("write");
    let mut out = String::new();
    let _ = s.read_to_string(&mut out).await;
    out
}

/// The snapshot keys in the Redis at `port` (its index aside).
async fn redis_snapshots(port: u16) -> Vec<String> {
    redis(port, "KEYS *")
        .await
        .lines()
        .filter(|l| !l.starts_with(['*', '$', '+']) && !l.ends_with("index"))
        .map(str::to_string)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_keeps_at_most_its_cap_for_a_day_and_resumes() {
    let server_redis = leptos_live_tests::redis::RedisServer::start().await;
    let port = server_redis.port;
    let config = LiveConfig::default()
        .with_secret(b"late-return-secret-late-return-sec".to_vec())
        .with_retention_window(RETENTION)
        .with_snapshot_redis(server_redis.url())
        .with_max_snapshots(2);
    let server = TestServer::start(demo_counter::app(LiveRouter::with_config(config))).await;
    let mut tokens = Vec::new();
    for n in 1..=4u64 {
        let token = server.page_token("/").await;
        let mut ws = server.socket().await;
        ws.join(&token, 0).await;
        for r in 0..n {
            ws.send(&format!(r#"[{},"e","inc"]"#, r + 2)).await;
            ws.reply(r + 2).await;
        }
        ws.close().await;
        tokens.push(token);
        // One after the other, so that their expiries are in order.
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    tokio::time::sleep(RETENTION * 3).await;
    let keys = leptos_live_tests::within(10, "two snapshots in Redis", async {
        loop {
            let keys = redis_snapshots(port).await;
            if keys.len() == 2 {
                return keys;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    for key in &keys {
        let ttl: u64 = redis(port, &format!("TTL {key}"))
            .await
            .trim()
            .trim_start_matches(':')
            .split('\r')
            .next()
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        assert!((86_000..=86_400).contains(&ttl), "{key} expires in {ttl} s");
    }
    // The last page written is kept and resumes at its count; the first is gone.
    let mut ws = server.socket().await;
    let reply: serde_json::Value =
        serde_json::from_str(&ws.join(&tokens[3], 5).await).expect("json");
    let html = reply[2].as_str().unwrap_or_default();
    assert!(html.contains(">4</p>"), "the count is back: {html}");
    let mut ws = server.socket().await;
    let reply: serde_json::Value =
        serde_json::from_str(&ws.join(&tokens[0], 2).await).expect("json");
    let html = reply[2].as_str().unwrap_or_default();
    assert!(
        html.contains(">0</p>"),
        "past the cap: mounted afresh: {html}"
    );
    assert_eq!(
        redis_snapshots(port).await.len(),
        1,
        "a snapshot restores once"
    );
}

#[tokio::test]
async fn a_page_never_joined_is_not_kept() {
    let dir = snapshots("unjoined");
    let config = LiveConfig::default()
        .with_secret(b"late-return-secret-late-return-sec".to_vec())
        .with_adoption_window(RETENTION)
        .with_snapshot_dir(Some(dir.clone()));
    let server = TestServer::start(demo_counter::app(LiveRouter::with_config(config))).await;
    let _token = server.page_token("/").await;
    tokio::time::sleep(RETENTION * 3).await;
    assert_eq!(kept(&dir), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

/// In Chromium: the counter at 3 goes into the back-forward cache (the tab moves on to another
/// document), stays there past the retention window, and comes back with `history.back()`:
/// the same document, resumed from the store, at 3, and live.
#[tokio::test]
async fn a_page_back_from_the_back_forward_cache_resumes() {
    use leptos_live_tests::browser::Browser;
    let dir = snapshots("bfcache");
    let server = counter(&dir, 100).await;
    leptos_live_tests::within(60, "a round trip through the back-forward cache", async {
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_connected().await;
        for n in 1..=3 {
            page.click("button[lv-click=inc]").await;
            page.wait_for(&format!(
                "document.getElementById('count').textContent === '{n}'"
            ))
            .await;
        }
        page.eval("window.mark = 1; window.shown = []; addEventListener('pageshow', (e) => window.shown.push(e.persisted))")
            .await;
        page.eval("location.href = '/components'").await;
        page.wait_for("location.pathname === '/components' && document.readyState === 'complete'")
            .await;
        tokio::time::sleep(RETENTION * 3).await;
        until_kept(&dir, 1).await;
        page.eval("history.back()").await;
        page.wait_for("location.pathname === '/' && window.mark === 1 && window.shown.includes(true)")
            .await;
        page.wait_connected().await;
        page.wait_for("document.getElementById('count').textContent === '3'")
            .await;
        page.click("button[lv-click=inc]").await;
        page.wait_for("document.getElementById('count').textContent === '4'")
            .await;
    })
    .await;
    let _ = std::fs::remove_dir_all(&dir);
}
