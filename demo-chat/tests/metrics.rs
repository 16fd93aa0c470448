//! The chat's `GET /metrics`: two people join a room in Chromium, one posts, the other sends an
//! event the room does not know; the engine's figures in Prometheus text say so.

mod common;

use common::{ChatProcess, ONLINE, enter, post, remove_db, shows, temp_db};
use leptos_live_tests::browser::Browser;
use leptos_live_tests::http_get;

const ROOM: &str = "demo_chat::room::RoomPage";

/// The value of the sample `name` with exactly `labels` (`key="value"` pairs, in the
/// exporter's order), when there is one.
fn sample(text: &str, name: &str, labels: &str) -> Option<f64> {
    let key = if labels.is_empty() {
        name.to_string()
    } else {
        format!("{name}{{{labels}}}")
    };
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| l.strip_prefix(&key)?.strip_prefix(' ')?.trim().parse().ok())
}

/// The sum of the samples of `name` whose labels start with `labels`: a series over its other
/// labels.
fn total(text: &str, name: &str, labels: &str) -> f64 {
    let key = format!("{name}{{{labels}");
    text.lines()
        .filter_map(|l| l.strip_prefix(&key))
        .filter_map(|rest| rest.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// `/metrics` once `ready` holds for it (the server counts a closed socket when it sees the close).
async fn settled(chat: &ChatProcess, ready: impl Fn(&str) -> bool) -> String {
    leptos_live_tests::within(10, "the figures to settle", async {
        loop {
            let (_, text) = http_get(chat.addr, "/metrics").await;
            if ready(&text) {
                return text;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_count_what_people_did() {
    let db = temp_db("metrics");
    let chat = ChatProcess::start(&db, None, None).await;
    let mut browser = Browser::launch().await;
    let ada = enter(&mut browser, &chat.url("/rooms/lobby"), "ada").await;
    let bob = enter(&mut browser, &chat.url("/rooms/lobby"), "bob").await;
    browser
        .page(&ada)
        .wait_for(&format!("{ONLINE} === 'ada,bob'"))
        .await;
    post(&mut browser, &ada, "one").await;
    browser.page(&bob).wait_for(&shows("one")).await;
    post(&mut browser, &ada, "two").await;
    browser.page(&bob).wait_for(&shows("two")).await;
    // Bob's page sends an event the room does not know.
    let mut page = browser.page(&bob);
    page.eval("window.errors = []; const e = window.liveSocket.onError.bind(window.liveSocket); window.liveSocket.onError = (r, code, m) => { window.errors.push(code); e(r, code, m); }; document.getElementById('lv-root').insertAdjacentHTML('beforeend', '<button id=\"nope\" lv-click=\"no_such_event\">?</button>')")
        .await;
    page.click("#nope").await;
    page.wait_for("window.errors.includes('unknown_event')")
        .await;

    let (status, text) = http_get(chat.addr, "/metrics").await;
    assert_eq!(status, 200);
    let view = format!("view=\"{ROOM}\"");
    let pages = format!("{view},route=\"/rooms/{{name}}\"");
    // Two people, each one room page and the sidebar's list of rooms beside it, both over the
    // page's socket (the list on its channel 1): mounted by their GET, adopted by the join.
    assert_eq!(
        sample(&text, "leptos_live_sockets", ""),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            "leptos_live_pages",
            "view=\"demo_chat::sidebar::RoomList\",route=\"@rooms\""
        ),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "leptos_live_pages", &pages),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "leptos_live_pages_mounted_total", &view),
        Some(2.0),
        "{text}"
    );
    // One refused event.
    assert_eq!(
        sample(&text, "leptos_live_errors_total", "code=\"unknown_event\""),
        Some(1.0),
        "{text}"
    );
    // Two posts, the typing that went with them and the refused one, by event and outcome;
    // every event is timed.
    assert_eq!(
        sample(
            &text,
            "leptos_live_events_total",
            &format!("{view},event=\"post\",outcome=\"ok\"")
        ),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            "leptos_live_events_total",
            &format!("{view},event=\"no_such_event\",outcome=\"unknown_event\"")
        ),
        Some(1.0),
        "{text}"
    );
    let events = total(&text, "leptos_live_events_total", &view);
    assert!(events >= 3.0, "{text}");
    assert_eq!(
        total(&text, "leptos_live_event_seconds_count", &view),
        events,
        "{text}"
    );
    assert!(sample(&text, "leptos_live_render_seconds_count", &view).unwrap_or_default() >= 2.0);
    // Frames both ways: at least an event's up, and a reply and two messages down to each.
    let received = sample(&text, "leptos_live_frames_received_total", "").unwrap_or_default();
    assert!(received >= events, "{text}");
    let sent = sample(&text, "leptos_live_frames_sent_total", "").unwrap_or_default();
    assert!(sent >= events + 4.0, "{text}");
    assert!(sample(&text, "leptos_live_bytes_sent_total", "").unwrap_or_default() > sent);
    // The room pages listen to their room's topics.
    assert!(sample(&text, "leptos_live_pubsub_subscribers", "").unwrap_or_default() >= 2.0);

    // Bob's socket drops and the shim comes back to the same page: resumed, not mounted again.
    let mut page = browser.page(&bob);
    page.eval("window.oldSocket = window.liveSocket.ws; window.liveSocket.ws.close()")
        .await;
    page.wait_for("window.liveSocket.ws !== window.oldSocket && window.liveSocket.isConnected()")
        .await;
    let text = settled(&chat, |t| {
        sample(t, "leptos_live_pages_resumed_total", &view) == Some(1.0)
            && sample(t, "leptos_live_sockets", "") == Some(2.0)
    })
    .await;
    assert_eq!(
        sample(&text, "leptos_live_absent_pages", ""),
        Some(0.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "leptos_live_pages_mounted_total", &view),
        Some(2.0),
        "{text}"
    );

    // Bob leaves: his page and his list of rooms are held for his return, without a socket.
    browser.close_tab(bob).await;
    let text = settled(&chat, |t| sample(t, "leptos_live_sockets", "") == Some(1.0)).await;
    assert_eq!(
        sample(&text, "leptos_live_absent_pages", ""),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "leptos_live_pages", &pages),
        Some(2.0),
        "{text}"
    );

    drop(ada);
    drop(browser);
    chat.kill().await;
    remove_db(&db);
}
