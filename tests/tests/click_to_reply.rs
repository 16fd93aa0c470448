//! Click-to-reply as the shim measures it: Chromium clicks the counter, the shim reports its
//! times with a heartbeat after 16 replies, and the engine records them
//! (`leptos_live_click_to_reply_seconds`, by route), which the dashboard shows.

use leptos_live::dashboard::{Dashboard, Recorder};
use leptos_live::testing::LiveTest;
use leptos_live::{LiveConfig, LiveRouter, Params, Session};
use leptos_live_tests::browser::Browser;
use leptos_live_tests::{TestServer, within};

#[tokio::test]
async fn the_shims_click_times_reach_the_dashboard() {
    Recorder::new()
        .install()
        .expect("the only recorder of this test binary");
    within(60, "clicks reported", async {
        let config = LiveConfig::default().with_secret(b"click-to-reply-secret-click-to-re".to_vec());
        let server = TestServer::start(demo_counter::app(LiveRouter::with_config(config))).await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_connected().await;
        page.eval("window.sent = []; const s = window.liveSocket.ws.send.bind(window.liveSocket.ws); window.liveSocket.ws.send = (t) => { window.sent.push(t); s(t); }")
            .await;
        // What a click and its reply write to the page's root element: nothing (a class
        // attribute written back unchanged still costs the browser a look at the styles).
        page.eval("window.rootWrites = 0; new MutationObserver((m) => (window.rootWrites += m.length)).observe(document.getElementById('lv-root'), { attributes: true })")
            .await;
        for expected in 1..=16 {
            page.click("button[lv-click=inc]").await;
            page.wait_for(&format!(
                "document.getElementById('count').textContent === '{expected}'"
            ))
            .await;
        }
        assert_eq!(page.eval("window.rootWrites").await, 0, "the root's attributes were written");
        // The 16th reply sends the report: a heartbeat with 16 times in milliseconds.
        page.wait_for("window.sent.some(t => /^\\[\\d+,\"h\",\\[/.test(t))")
            .await;
        let report = page
            .eval("JSON.parse(window.sent.find(t => /^\\[\\d+,\"h\",\\[/.test(t)))[2]")
            .await;
        let times = report.as_array().expect("an array of times");
        assert_eq!(times.len(), 16, "{report}");
        assert!(times.iter().all(|t| t.as_f64().is_some_and(|t| (0.0..5_000.0).contains(&t))), "{report}");

        // The server recorded them by route; the dashboard shows them.
        let mut dash = LiveTest::<Dashboard>::mount(Params::default(), Session::default())
            .await
            .expect("mount the dashboard");
        let mut shown = None;
        for _ in 0..50 {
            shown = dash.text(r#"#clicks tr[data-route="/"] [data-total]"#);
            if shown.as_deref() == Some("16") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            dash = LiveTest::<Dashboard>::mount(Params::default(), Session::default())
                .await
                .expect("mount the dashboard");
        }
        assert_eq!(shown.as_deref(), Some("16"), "{}", dash.html());
        let cells = dash.texts(r#"#clicks tr[data-route="/"] td"#);
        assert!(cells[2].ends_with(" ms") && cells[3].ends_with(" ms"), "{cells:?}");
    })
    .await;
}
