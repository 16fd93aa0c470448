//! Title updates, lv-mounted and lv-remove, lv-connected/lv-disconnected, lv-viewport-bottom,
//! form recovery after a remount, and lv-trigger-action, in Chromium.

use std::time::Duration;

use leptos::prelude::*;
use leptos_live::{
    Ctx, JS, LiveConfig, LiveError, LiveRouter, LiveView, Params, RawEvent, Session,
};
use leptos_live_tests::browser::Browser;
use leptos_live_tests::{TestServer, within};

struct Extras {
    items: usize,
    more: usize,
    extra: bool,
    text: String,
    go: bool,
}

impl LiveView for Extras {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Extras {
            items: 40,
            more: 0,
            extra: false,
            text: String::new(),
            go: false,
        })
    }

    async fn handle_event(&mut self, raw: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        let (event, payload) = (raw.name.as_str(), raw.payload);
        match event {
            "title" => ctx.page_title("Renamed"),
            "add" => self.extra = true,
            "drop" => self.extra = false,
            "more" => self.more += 1,
            "edit" => self.text = payload.get_str("t").unwrap_or("").to_string(),
            "go" => self.go = true,
            other => return Err(LiveError::UnknownEvent(other.into())),
        }
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let mounted = JS::new().add_class_self("was-mounted").to_string();
        let removed = JS::new()
            .dispatch("#sink", "gone", serde_json::json!({}))
            .to_string();
        let off = JS::new().add_class("#status", "offline").to_string();
        let on = JS::new().remove_class("#status", "offline").to_string();
        let (extra, more, go, text) = (self.extra, self.more, self.go, self.text.clone());
        view! {
            <button id="title" lv-click="title">"title"</button>
            <button id="add" lv-click="add">"add"</button>
            <button id="drop" lv-click="drop">"drop"</button>
            <div id="sink"></div>
            {extra.then(|| view! { <p id="extra" lv-mounted=mounted.clone() lv-remove=removed.clone()>"extra"</p> })}
            <p id="status" lv-disconnected=off lv-connected=on>"status"</p>
            <form id="f" lv-change="edit"><input name="t"/></form>
            <p id="echo">{text}</p>
            <p id="more">{more}</p>
            <ul id="list" lv-viewport-bottom="more">
                {(0..self.items).map(|i| view! { <li style="height:40px">{i}</li> }).collect_view()}
            </ul>
            {go.then(|| view! { <form id="tf" action="/posted" method="get" lv-trigger-action=""><input name="x" value="1"/></form> })}
            <button id="go" lv-click="go">"go"</button>
        }
    }
}

#[tokio::test]
async fn client_extras_work_in_chromium() {
    within(90, "client extras", async {
        let mut config = LiveConfig::default().with_secret(b"extras-test-secret-extras-test-secret".to_vec());
        config.retention_window = Duration::from_millis(200);
        let app = LiveRouter::with_config(config)
            .page::<Extras>("/")
            .into_router()
            .route("/posted", axum::routing::get(|| async { "posted over HTTP" }));
        let server = TestServer::start(app).await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_connected().await;

        // Title from the server.
        page.click("#title").await;
        page.wait_for("document.title === 'Renamed'").await;

        // lv-mounted runs when the element arrives, lv-remove before it leaves.
        page.eval("document.getElementById('sink').addEventListener('gone', () => document.body.dataset.gone = '1')").await;
        page.click("#add").await;
        page.wait_for("document.getElementById('extra') && document.getElementById('extra').classList.contains('was-mounted')").await;
        page.click("#drop").await;
        page.wait_for("!document.getElementById('extra')").await;
        assert_eq!(page.eval("document.body.dataset.gone").await, "1");

        // lv-disconnected / lv-connected.
        page.eval("window.liveSocket.ws.close()").await;
        page.wait_for("document.getElementById('status').classList.contains('offline')").await;
        page.wait_connected().await;
        page.wait_for("!document.getElementById('status').classList.contains('offline')").await;

        // lv-viewport-bottom: the last item scrolled into view.
        page.eval("document.querySelector('#list li:last-child').scrollIntoView()").await;
        page.wait_for("document.getElementById('more').textContent === '1'").await;

        // Form recovery: the page is gone when the socket comes back, so it mounts again and the
        // form replays what was typed.
        page.click("input[name=t]").await;
        page.type_text("abc").await;
        page.wait_for("document.getElementById('echo').textContent === 'abc'").await;
        page.eval("window.liveSocket.disconnect()").await;
        tokio::time::sleep(Duration::from_millis(600)).await;
        page.eval("window.liveSocket.connect()").await;
        page.wait_connected().await;
        page.wait_for("document.getElementById('echo').textContent === 'abc'").await;
        assert_eq!(page.eval("document.querySelector('input[name=t]').value").await, "abc");

        // lv-trigger-action: the form goes over plain HTTP once a patch sets it.
        page.click("#go").await;
        page.wait_for("location.pathname === '/posted'").await;
    })
    .await;
}
