//! The shim's long-poll fallback in Chromium: with the WebSocket refused as a proxy refuses it (a
//! 403 on the upgrade, or a socket that opens and dies at once), the counter works over HTTP:
//! clicks, the step form, the clock's pushes, navigation to the gallery and back. The choice is
//! kept for the tab; another tab, once the refusal has ended, uses the WebSocket. A socket that is
//! slow to open is waited for, not replaced.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos_live::{LiveConfig, LiveRouter};
use leptos_live_tests::browser::{Browser, Page};
use leptos_live_tests::proxy::{Mode, Proxy};
use leptos_live_tests::{TestServer, within};

const COUNT: &str = "document.getElementById('count').textContent";
const INC: &str = "button[lv-click=inc]";
const ON_POLL: &str = "!(window.liveSocket.ws instanceof WebSocket)";
const ON_SOCKET: &str = "window.liveSocket.ws instanceof WebSocket";

fn counter_app() -> axum::Router {
    let config = LiveConfig::default().with_secret(b"fallback-secret-fallback-secret!".to_vec());
    demo_counter::app(LiveRouter::with_config(config))
}

fn is_upgrade(req: &Request) -> bool {
    req.headers()
        .get(axum::http::header::UPGRADE)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"websocket"))
}

/// The counter behind a layer that answers 403 to WebSocket upgrades while `refuse` holds, and
/// counts the upgrades it refused.
async fn refusing(refuse: Arc<AtomicBool>, refused: Arc<AtomicU64>) -> TestServer {
    let layer = axum::middleware::from_fn(move |req: Request, next: Next| {
        let (refuse, refused) = (refuse.clone(), refused.clone());
        async move {
            if refuse.load(Ordering::SeqCst) && is_upgrade(&req) {
                refused.fetch_add(1, Ordering::SeqCst);
                return StatusCode::FORBIDDEN.into_response();
            }
            next.run(req).await
        }
    });
    TestServer::start(counter_app().layer(layer)).await
}

async fn count_is(page: &mut Page<'_>, n: i64) {
    page.wait_for(&format!("{COUNT} === '{n}'")).await;
}

/// Clicks, the step form, the clock and a navigation to the gallery and back, on whatever
/// transport the page uses.
async fn the_counter_works(page: &mut Page<'_>) {
    for n in 1..=3 {
        page.click(INC).await;
        count_is(page, n).await;
    }
    // The step form: typing sends `set_step`, and the button reads the new step.
    page.click("#step").await;
    page.eval("document.getElementById('step').select()").await;
    page.type_text("5").await;
    page.wait_for("document.querySelector('button[lv-click=inc]').textContent === '+5'")
        .await;
    page.click(INC).await;
    count_is(page, 8).await;
    // The clock pushes, unasked.
    let clock = page
        .eval("document.getElementById('clock').textContent")
        .await;
    page.wait_for(&format!(
        "document.getElementById('clock').textContent !== {clock}"
    ))
    .await;
    // To the gallery and back, live.
    page.click("a[href='/components']").await;
    page.wait_for("location.pathname === '/components' && !document.getElementById('count')")
        .await;
    page.wait_connected().await;
    page.eval("history.back()").await;
    page.wait_for("location.pathname === '/' && !!document.getElementById('count')")
        .await;
    page.wait_connected().await;
    let before: i64 = page.eval(&format!("+{COUNT}")).await.as_i64().unwrap_or(0);
    page.click(INC).await;
    page.wait_for(&format!("+{COUNT} !== {before}")).await;
}

#[tokio::test]
async fn a_403_on_the_upgrade_falls_back_to_long_polling_and_a_later_tab_uses_the_socket() {
    within(90, "the fallback after 403s", async {
        let refuse = Arc::new(AtomicBool::new(true));
        let refused = Arc::new(AtomicU64::new(0));
        let server = refusing(refuse.clone(), refused.clone()).await;
        let mut browser = Browser::launch().await;
        let tab = browser.open_tab(&server.url("/"), false).await;
        {
            let mut page = browser.page(&tab);
            page.wait_connected().await;
            assert_eq!(page.eval(ON_POLL).await, true, "the page polls");
            assert!(refused.load(Ordering::SeqCst) >= 3, "three refusals first");
            the_counter_works(&mut page).await;
            assert_eq!(
                page.eval("sessionStorage.getItem('lv-poll') > Date.now()")
                    .await,
                true,
                "the choice is remembered for the tab"
            );
            // A reload in the same tab goes straight to polling: no more refused sockets.
            let before = refused.load(Ordering::SeqCst);
            page.goto(&server.url("/")).await;
            page.wait_connected().await;
            assert_eq!(page.eval(ON_POLL).await, true);
            assert_eq!(refused.load(Ordering::SeqCst), before, "no socket tried");
        }
        // The refusal ends: the next session (a new tab) uses the WebSocket.
        refuse.store(false, Ordering::SeqCst);
        let other = browser.open_tab(&server.url("/"), false).await;
        let mut page = browser.page(&other);
        page.wait_connected().await;
        assert_eq!(
            page.eval(ON_SOCKET).await,
            true,
            "the new tab uses the socket"
        );
        page.click(INC).await;
        count_is(&mut page, 1).await;
    })
    .await;
}

#[tokio::test]
async fn a_socket_that_dies_at_once_falls_back_to_long_polling() {
    within(90, "the fallback after instant deaths", async {
        let server = TestServer::start(counter_app()).await;
        let proxy = Proxy::start(server.addr).await;
        proxy.set(Mode::KillSockets);
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&proxy.url("/")).await;
        page.wait_connected().await;
        assert_eq!(page.eval(ON_POLL).await, true, "the page polls");
        the_counter_works(&mut page).await;
    })
    .await;
}

#[tokio::test]
async fn a_socket_slow_to_open_is_waited_for() {
    within(60, "no fallback for a slow socket", async {
        // Every upgrade waits 4 s before it is answered: a slow network, not a refusal.
        let layer = axum::middleware::from_fn(|req: Request, next: Next| async move {
            if is_upgrade(&req) {
                tokio::time::sleep(Duration::from_secs(4)).await;
            }
            let res: Response = next.run(req).await;
            res
        });
        let server = TestServer::start(counter_app().layer(layer)).await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_connected().await;
        assert_eq!(page.eval(ON_SOCKET).await, true, "the slow socket is used");
        assert_eq!(
            page.eval("sessionStorage.getItem('lv-poll')").await,
            serde_json::Value::Null
        );
    })
    .await;
}
