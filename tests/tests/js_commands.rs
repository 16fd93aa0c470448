//! JS commands in Chromium: run without a round trip, push events, and stay through patches.

use leptos::prelude::*;
use leptos_live::js::Transition;
use leptos_live::{
    Ctx, JS, LiveConfig, LiveError, LiveRouter, LiveView, Params, RawEvent, Session,
};
use leptos_live_tests::browser::Browser;
use leptos_live_tests::{TestServer, within};
use serde_json::json;

struct Menu {
    saves: i64,
    last: String,
}

impl LiveView for Menu {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Menu {
            saves: 0,
            last: String::new(),
        })
    }

    async fn handle_event(&mut self, raw: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        let (event, payload) = (raw.name.as_str(), raw.payload);
        match event {
            "save" => {
                self.saves += 1;
                // The JS push's value merged with the element's lv-value-* attributes.
                let src = payload.get_str("src").unwrap_or("");
                self.last = format!("{}/{src}", payload.get_str("k").unwrap_or(""));
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
            <button id="save" lv-click=save lv-value-src="menu">"Save"</button>
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
        page.wait_connected().await;

        // toggle and toggle_class, with no server round trip.
        page.click("#open").await;
        assert_eq!(page.eval("getComputedStyle(document.getElementById('menu')).display").await, "block");
        assert_eq!(page.eval("document.getElementById('open').classList.contains('active')").await, true);
        assert_eq!(page.eval("document.getElementById('n').textContent").await, "0");

        // push with a value, set_attribute; the server patches the classes of both elements.
        page.click("#save").await;
        page.wait_for("document.getElementById('n').textContent === '1'").await;
        assert_eq!(page.eval("document.getElementById('last').textContent").await, "v/menu");
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

        // An event in flight for liveSocket.slowAfter ms is slow too; both classes leave with
        // the reply, and the element that had no class attribute has none again.
        page.eval("window.liveSocket.slowAfter = 150").await;
        let at_click = page
            .eval("(() => { const b = document.getElementById('save'); b.click(); return [...b.classList]; })()")
            .await;
        assert_eq!(at_click, json!(["lv-click-loading"]));
        page.wait_for("document.getElementById('save').classList.contains('lv-click-slow')").await;
        page.wait_for("document.getElementById('n').textContent === '3'").await;
        page.wait_for("!document.getElementById('save').hasAttribute('class')").await;
        page.eval("window.liveSocket.slowAfter = 100").await;
        page.eval("window.liveSocket.enableLatencySim(0)").await;

        // toggle again hides.
        page.click("#open").await;
        assert_eq!(page.eval("getComputedStyle(document.getElementById('menu')).display").await, "none");
        assert_eq!(page.eval("document.getElementById('open').classList.contains('active')").await, false);
    })
    .await;
}

/// The remaining commands: show and hide, attribute toggles and removal, ignore_attributes,
/// focus, focus_first, the focus stack, exec.
struct More {
    n: i64,
}

impl LiveView for More {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(More { n: 0 })
    }

    async fn handle_event(&mut self, raw: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        let (_, _) = (raw.name.as_str(), raw.payload);
        self.n += 1;
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let n = self.n;
        let hide = JS::new()
            .hide("#card")
            .remove_attribute("#card", "title")
            .to_string();
        let show = JS::new()
            .show("#card")
            .toggle_attribute("#card", "aria-pressed", "true", Some("false"))
            .to_string();
        let keep = JS::new()
            .ignore_attributes("#kept", "data-n")
            .set_attribute("#kept", "data-n", "mine")
            .push("bump")
            .to_string();
        let focus = JS::new()
            .push_focus(None)
            .focus_first("#fields")
            .to_string();
        let back = JS::new().pop_focus().to_string();
        let stored = JS::new().add_class("#card", "from-exec").to_string();
        let exec = JS::new()
            .exec("data-js", Some("#store"))
            .focus("#b")
            .to_string();
        view! {
            <div id="card" title="t" style="display:block">"card"</div>
            <button id="hide" lv-click=hide>"hide"</button>
            <button id="show" lv-click=show>"show"</button>
            <p id="kept" data-n=n.to_string()>{n}</p>
            <button id="keep" lv-click=keep>"keep"</button>
            <div id="fields"><span>"label"</span><input id="a"/><input id="b"/></div>
            <button id="focus" lv-click=focus>"focus"</button>
            <button id="back" lv-click=back>"back"</button>
            <div id="store" data-js=stored></div>
            <button id="exec" lv-click=exec>"exec"</button>
        }
    }
}

#[tokio::test]
async fn the_other_commands_work_too() {
    within(60, "more JS commands", async {
        let config =
            LiveConfig::default().with_secret(b"js-more-test-secret-js-more-test-secret".to_vec());
        let server = TestServer::start(
            LiveRouter::with_config(config)
                .page::<More>("/")
                .into_router(),
        )
        .await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_connected().await;
        let card = |js: &str| format!("document.getElementById('card'){js}");

        page.click("#hide").await;
        assert_eq!(
            page.eval(&format!("getComputedStyle({}).display", card("")))
                .await,
            "none"
        );
        assert_eq!(page.eval(&card(".hasAttribute('title')")).await, false);
        page.click("#show").await;
        assert_eq!(
            page.eval(&format!("getComputedStyle({}).display", card("")))
                .await,
            "block"
        );
        assert_eq!(
            page.eval(&card(".getAttribute('aria-pressed')")).await,
            "true"
        );
        page.click("#show").await;
        assert_eq!(
            page.eval(&card(".getAttribute('aria-pressed')")).await,
            "false"
        );

        // ignore_attributes: the server's data-n no longer reaches the element.
        page.click("#keep").await;
        page.wait_for("document.getElementById('kept').textContent === '1'")
            .await;
        assert_eq!(
            page.eval("document.getElementById('kept').dataset.n").await,
            "mine"
        );

        // focus_first after push_focus, then pop_focus back to the button.
        page.click("#focus").await;
        assert_eq!(page.eval("document.activeElement.id").await, "a");
        page.click("#back").await;
        assert_eq!(page.eval("document.activeElement.id").await, "focus");

        // exec runs the commands stored in another element's attribute; focus moves.
        page.click("#exec").await;
        assert_eq!(
            page.eval(&card(".classList.contains('from-exec')")).await,
            true
        );
        assert_eq!(page.eval("document.activeElement.id").await, "b");
    })
    .await;
}
