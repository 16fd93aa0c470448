//! Browser tests: the counter demo in headless Chromium, driven with real input events.

use std::time::Duration;

use leptos_live::{LiveConfig, LiveRouter};
use leptos_live_tests::browser::Browser;
use leptos_live_tests::{TestServer, within};

async fn counter() -> TestServer {
    let config = LiveConfig::default().with_secret(b"browser-test-secret-browser-test".to_vec());
    TestServer::start(demo_counter::app(LiveRouter::with_config(config))).await
}

#[tokio::test]
async fn clicking_plus_three_times_shows_three() {
    within(60, "counter clicks", async {
        let server = counter().await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_connected().await;
        for expected in 1..=3 {
            page.click("button[lv-click=inc]").await;
            page.wait_for(&format!(
                "document.getElementById('count').textContent === '{expected}'"
            ))
            .await;
        }
        assert_eq!(
            page.eval("document.getElementById('count').textContent")
                .await,
            "3"
        );
        page.click("button[lv-click=reset]").await;
        page.wait_for("document.getElementById('count').textContent === '0'")
            .await;
    })
    .await;
}

#[tokio::test]
async fn typing_survives_clock_pushes() {
    within(60, "typing while the clock ticks", async {
        let server = counter().await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_connected().await;
        page.click("#step").await;
        page.eval("document.getElementById('step').select()").await;
        let clock_before = page
            .eval("document.getElementById('clock').textContent")
            .await;
        // Type slowly across at least two clock ticks.
        for c in ["1", "2", "5"] {
            page.type_text(c).await;
            tokio::time::sleep(Duration::from_millis(800)).await;
        }
        let clock_after = page
            .eval("document.getElementById('clock').textContent")
            .await;
        assert_ne!(clock_before, clock_after, "the clock pushed while typing");
        assert_eq!(
            page.eval("document.activeElement && document.activeElement.id")
                .await,
            "step"
        );
        assert_eq!(
            page.eval("document.getElementById('step').value").await,
            "125"
        );
        // The server took the step: the +button now reads "+125".
        page.wait_for("document.querySelector('button[lv-click=inc]').textContent === '+125'")
            .await;
        page.click("button[lv-click=inc]").await;
        page.wait_for("document.getElementById('count').textContent === '125'")
            .await;
    })
    .await;
}

#[tokio::test]
async fn a_dropped_socket_reconnects_and_resumes_the_same_state() {
    within(60, "reconnect and resume", async {
        let server = counter().await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_connected().await;
        page.click("button[lv-click=inc]").await;
        page.click("button[lv-click=inc]").await;
        page.wait_for("document.getElementById('count').textContent === '2'")
            .await;
        // Drop the connection under the shim, as a network failure would.
        page.eval("window.liveSocket.ws.close()").await;
        page.wait_for("document.getElementById('lv-root').classList.contains('lv-loading')")
            .await;
        page.wait_connected().await;
        assert_eq!(
            page.eval("document.getElementById('count').textContent")
                .await,
            "2"
        );
        page.click("button[lv-click=inc]").await;
        page.wait_for("document.getElementById('count').textContent === '3'")
            .await;
    })
    .await;
}

#[tokio::test]
async fn a_dom_edited_behind_the_engines_back_heals_itself() {
    within(60, "resync after a foreign DOM edit", async {
        let server = counter().await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_connected().await;
        // A script removes the count's text node: the next patch cannot apply.
        page.eval("document.getElementById('count').firstChild.remove()")
            .await;
        page.click("button[lv-click=inc]").await;
        // The shim asks for a resync; the page ends equal to the server's render, click included.
        page.wait_for("document.getElementById('count').textContent === '1'")
            .await;
        page.click("button[lv-click=inc]").await;
        page.wait_for("document.getElementById('count').textContent === '2'")
            .await;
    })
    .await;
}
