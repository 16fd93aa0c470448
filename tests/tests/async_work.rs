//! Work off the page's task: `assign_async` from loading to ok or failed, events flowing while
//! it runs, a panic that fails the work and not the page, restarts and cancellation, and no
//! work left running once the page ends. Over the socket, in-process, and in Chromium.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use leptos::prelude::*;
use leptos_live::testing::LiveTest;
use leptos_live::{AsyncResult, Ctx, LiveConfig, LiveError, LiveRouter, LiveView, Params, Session};
use leptos_live_tests::browser::Browser;
use leptos_live_tests::{TestServer, WsClient, json, within};

/// Polls of the work that never ends, for the cancellation test.
static SPINS: AtomicUsize = AtomicUsize::new(0);

#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum Event {
    Click { n: i64 },
    Fail,
    Panic,
    Restart,
    Cancel,
}

struct Loader {
    data: AsyncResult<String>,
    clicks: Vec<i64>,
}

async fn slow<T>(ms: u64, value: T) -> T {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    value
}

fn data(page: &mut Loader) -> &mut AsyncResult<String> {
    &mut page.data
}

impl LiveView for Loader {
    type Message = ();
    type Event = Event;

    async fn mount(p: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        let ms = p.get("ms").and_then(|m| m.parse().ok()).unwrap_or(300);
        ctx.assign_async(
            "data",
            slow(ms, Ok::<_, String>("loaded".to_string())),
            data,
        );
        if p.get("spin").is_some() {
            ctx.start_async(
                "spin",
                async {
                    loop {
                        SPINS.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                },
                |_: &mut Loader, _: Result<(), _>, _| Ok(()),
            );
        }
        Ok(Loader {
            data: AsyncResult::Loading,
            clicks: Vec::new(),
        })
    }

    async fn handle_event(&mut self, event: Event, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        match event {
            Event::Click { n } => self.clicks.push(n),
            Event::Fail => ctx.assign_async("data", slow(300, Err::<String, _>("no data")), data),
            Event::Panic => ctx.assign_async(
                "data",
                async {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    if SPINS.load(Ordering::SeqCst) < usize::MAX {
                        panic!("boom");
                    }
                    Ok::<String, String>(String::new())
                },
                data,
            ),
            Event::Restart => {
                ctx.assign_async("data", slow(200, Ok::<_, String>("first".into())), data);
                ctx.assign_async("data", slow(50, Ok::<_, String>("second".into())), data);
            }
            Event::Cancel => ctx.cancel_async("data"),
        }
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let data = match &self.data {
            AsyncResult::Loading => "loading".to_string(),
            AsyncResult::Ok(v) => format!("ok: {v}"),
            AsyncResult::Failed(e) => format!("failed: {e}"),
        };
        let clicks = self
            .clicks
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        view! {
            <p id="data">{data}</p>
            <p id="clicks">{clicks}</p>
            <button id="click" lv-click="click" lv-value-n="1">"click"</button>
            <button id="fail" lv-click="fail">"fail"</button>
            <button id="panic" lv-click="panic">"panic"</button>
        }
    }
}

fn app(config: LiveConfig) -> axum::Router {
    LiveRouter::with_config(config)
        .page::<Loader>("/")
        .into_router()
}

#[tokio::test]
async fn events_flow_in_order_while_a_slow_load_runs() {
    let server = TestServer::start(app(LiveConfig::default())).await;
    let (mut ws, _) = WsClient::open_page(server.addr, "/?ms=400").await;
    for n in 1..=20 {
        ws.send(&format!(r#"[{},"e","click",{{"n":"{n}"}}]"#, n + 1))
            .await;
    }
    let mut replies = Vec::new();
    let mut loaded_after = None;
    while loaded_after.is_none() {
        let frame = ws.recv().await.expect("a frame");
        let v = json(&frame);
        match v[0].as_u64() {
            Some(0) if frame.contains("ok: loaded") => loaded_after = Some(replies.len()),
            Some(r) if r > 1 => replies.push((r, frame)),
            _ => {}
        }
    }
    let order: Vec<u64> = replies.iter().map(|(r, _)| *r).collect();
    assert_eq!(
        order,
        (2..=21).collect::<Vec<_>>(),
        "every click answered, in order"
    );
    assert_eq!(
        loaded_after,
        Some(20),
        "all twenty before the load finished"
    );
    let last = &replies[19].1;
    assert!(
        last.contains("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20"),
        "{last}"
    );
}

#[tokio::test]
async fn a_panic_fails_the_work_and_a_restart_or_cancel_replaces_it() {
    let mut page =
        LiveTest::<Loader>::mount(Params::from_pairs([("ms", "20")]), Session::default())
            .await
            .expect("mount");
    assert!(page.view().data.is_loading());
    page.next_async().await.expect("work").expect("applied");
    assert_eq!(page.view().data, AsyncResult::Ok("loaded".into()));

    page.event("panic", serde_json::json!({}))
        .await
        .expect("panic event");
    assert!(
        page.view().data.is_loading(),
        "loading from the next render on"
    );
    page.next_async().await.expect("work").expect("applied");
    assert_eq!(
        page.view().data,
        AsyncResult::Failed("the work panicked: boom".into())
    );
    // The page lives on.
    page.event("click", serde_json::json!({ "n": "7" }))
        .await
        .expect("click");
    assert_eq!(page.view().clicks, [7]);

    // The same key twice: only the second counts, though the first would finish later.
    page.event("restart", serde_json::json!({}))
        .await
        .expect("restart");
    page.next_async().await.expect("work").expect("applied");
    assert_eq!(page.view().data, AsyncResult::Ok("second".into()));
    let late = tokio::time::timeout(Duration::from_millis(400), page.next_async()).await;
    assert!(late.is_err(), "the replaced work never arrives");

    // Cancelled: nothing arrives.
    page.event("fail", serde_json::json!({}))
        .await
        .expect("fail");
    page.event("cancel", serde_json::json!({}))
        .await
        .expect("cancel");
    let late = tokio::time::timeout(Duration::from_millis(500), page.next_async()).await;
    assert!(late.is_err(), "cancelled work never arrives");
}

#[tokio::test]
async fn work_stops_when_the_page_ends() {
    let config = LiveConfig::default().with_retention_window(Duration::from_millis(50));
    let server = TestServer::start(app(config)).await;
    let (ws, _) = WsClient::open_page(server.addr, "/?spin=1").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let running = SPINS.load(Ordering::SeqCst);
    assert!(
        running > 3,
        "the work runs while the page does ({running} polls)"
    );
    ws.close().await;
    // Past the retention window the page ends, and its work with it.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let after_end = SPINS.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        SPINS.load(Ordering::SeqCst),
        after_end,
        "no polls after the page ended"
    );
}

#[tokio::test]
async fn loading_then_ok_or_failed_shows_in_chromium() {
    let server = TestServer::start(app(LiveConfig::default())).await;
    within(60, "async in chromium", async {
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/?ms=600")).await;
        page.wait_for("document.getElementById('data').textContent === 'loading'")
            .await;
        page.wait_connected().await;
        page.wait_for("document.getElementById('data').textContent === 'ok: loaded'")
            .await;
        page.click("#fail").await;
        page.wait_for("document.getElementById('data').textContent === 'loading'")
            .await;
        page.wait_for("document.getElementById('data').textContent === 'failed: no data'")
            .await;
        page.click("#panic").await;
        page.wait_for(
            "document.getElementById('data').textContent.startsWith('failed: the work panicked')",
        )
        .await;
        page.click("#click").await;
        page.wait_for("document.getElementById('clicks').textContent === '1'")
            .await;
    })
    .await;
}
