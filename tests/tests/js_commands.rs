//! JS commands in Chromium: run without a round trip, push events, and stay through patches.

use leptos::prelude::*;
use leptos_live::js::Transition;
use leptos_live::{Ctx, JS, LiveConfig, LiveError, LiveRouter, LiveView, Params, Payload, Session};
use leptos_live_tests::browser::Browser;
use leptos_live_tests::{TestServer, within};
use serde_json::json;

struct Menu {
    saves: i64,
    last: String,
}

impl LiveView for Menu {
    type Message = ();

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Menu {
            saves: 0,
            last: String::new(),
        })
    }

    async fn handle_event(
        &mut self,
        event: &str,
        payload: Payload,
        _: &mut Ctx<Self>,
    ) -> Result<(), LiveError> {
        match event {
            "save" => {
                self.saves += 1;
                self.last = payload.get_str("k").unwrap_or("").to_string();
            }
            other => return Err(LiveError::UnknownEvent(other.into())),
        }
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let n = self.saves;
        let toggle = JS::new()
            .toggle("#menu")
            .toggle_class("#open", "active")
            .to_string();
        let save = JS::new()
            .push_with("save", json!({ "k": "v" }), Some("#save"))
            .set_attribute("#save", "aria-busy", "true")
            .to_string();
        let dispatch = JS::new()
            .dispatch("#box", "my-event", json!({ "x": 1 }))
            .to_string();
        let fade = Transition::new("t-run", "t-start", "t-end").time(300);
        let panel = JS::new()
            .toggle_with("#panel", Some("flex"), Some(&fade))
            .to_string();
        view! {
            <button id="open" class=format!("btn n{n}") lv-click=toggle>"Menu"</button>
            <ul id="menu" style="display:none" class=format!("menu m{n}")><li>"item"</li></ul>
            <button id="save" lv-click=save>"Save"</button>
            <button id="ev" lv-click=dispatch>"Dispatch"</button>
            <div id="box"></div>
            <button id="pt" lv-click=panel>"Panel"</button>
            <div id="panel" style="display:none">"panel"</div>
            <p id="n">{n}</p>
            <p id="last">{self.last.clone()}</p>
        }
    }
}

#[tokio::test]
async fn js_commands_run_in_the_browser_and_stick() {
    within(60, "JS commands", async {
        let config = LiveConfig::default().with_secret(b"js-commands-test-secret-js-commands".to_vec());
        let server = TestServer::start(LiveRouter::with_config(config).page::<Menu>("/").into_router()).await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_for("document.getElementById('lv-root').classList.contains('lv-connected')").await;

        // toggle and toggle_class, with no server round trip.
        page.click("#open").await;
        assert_eq!(page.eval("getComputedStyle(document.getElementById('menu')).display").await, "block");
        assert_eq!(page.eval("document.getElementById('open').classList.contains('active')").await, true);
        assert_eq!(page.eval("document.getElementById('n').textContent").await, "0");

        // push with a value, set_attribute; the server patches the classes of both elements.
        page.click("#save").await;
        page.wait_for("document.getElementById('n').textContent === '1'").await;
        assert_eq!(page.eval("document.getElementById('last').textContent").await, "v");
        assert_eq!(page.eval("document.getElementById('save').getAttribute('aria-busy')").await, "true");
        // Sticky: the server's class change kept the JS-added class and the shown menu.
        assert_eq!(page.eval("document.getElementById('open').className").await, "btn n1 active");
        assert_eq!(page.eval("document.getElementById('menu').className").await, "menu m1");
        assert_eq!(page.eval("getComputedStyle(document.getElementById('menu')).display").await, "block");

        // dispatch: a bubbling DOM event with the detail.
        page.eval("document.getElementById('box').addEventListener('my-event', (e) => document.body.dataset.got = JSON.stringify(e.detail))").await;
        page.click("#ev").await;
        assert_eq!(page.eval("document.body.dataset.got").await, r#"{"x":1}"#);

        // A transition: its classes while it runs, then the display it was given.
        page.click("#pt").await;
        assert_eq!(page.eval("document.getElementById('panel').classList.contains('t-run')").await, true);
        assert_eq!(page.eval("getComputedStyle(document.getElementById('panel')).display").await, "flex");
        page.wait_for("!document.getElementById('panel').classList.contains('t-run')").await;

        // push's loading target carries the loading class while the event is in flight.
        page.eval("window.liveSocket.enableLatencySim(300)").await;
        page.click("#save").await;
        assert_eq!(page.eval("document.getElementById('save').classList.contains('lv-click-loading')").await, true);
        page.wait_for("document.getElementById('n').textContent === '2'").await;
        page.wait_for("!document.getElementById('save').classList.contains('lv-click-loading')").await;
        page.eval("window.liveSocket.enableLatencySim(0)").await;

        // toggle again hides.
        page.click("#open").await;
        assert_eq!(page.eval("getComputedStyle(document.getElementById('menu')).display").await, "none");
        assert_eq!(page.eval("document.getElementById('open').classList.contains('active')").await, false);
    })
    .await;
}
