//! The shim's side of live navigation in Chromium: the `lv:before-navigate` guard (links,
//! patches, the server's `push_navigate`, back) and `lv-unload-guard` before a full unload;
//! navigation on the press of a live link, sent before its click and done once; and view
//! transitions around a navigation's update where the app asks for them, skipped under
//! `prefers-reduced-motion: reduce` and where the browser has none. Frames are counted by
//! wrapping `WebSocket.prototype.send`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use leptos::prelude::*;
use leptos_live::{Ctx, LiveError, LiveRouter, LiveSession, LiveView, Mounting, Params, Session};
use leptos_live_tests::browser::{Browser, Page};
use leptos_live_tests::{TestServer, within};
use serde_json::json;

static HITS: AtomicUsize = AtomicUsize::new(0);

/// The box both pages put at the top left: the link on one, a button on the other.
const CORNER: &str = "position:fixed;top:0;left:0;width:200px;height:100px";

#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum FormEvent {
    Dirty,
    Clean,
    Leave,
}

/// A form that has unsaved changes once `dirty` is clicked.
struct Form {
    dirty: bool,
}

impl LiveView for Form {
    type Message = ();
    type Event = FormEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Form { dirty: false })
    }

    async fn handle_event(&mut self, e: FormEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        match e {
            FormEvent::Dirty => self.dirty = true,
            FormEvent::Clean => self.dirty = false,
            FormEvent::Leave => ctx.push_navigate("/other"),
        }
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! {
            <a id="to-other" href="/other" lv-navigate style=CORNER>"other"</a>
            <div style="margin-top:120px">
                <h1 id="page">"form"</h1>
                <a id="tab" href="/form?tab=x" lv-patch>"tab"</a>
                <button id="dirty" lv-click="dirty">"edit"</button>
                <button id="clean" lv-click="clean">"save"</button>
                <button id="leave" lv-click="leave">"leave"</button>
                {self.dirty.then(|| view! { <p id="unsaved" lv-unload-guard>"unsaved"</p> })}
            </div>
        }
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum OtherEvent {
    Hit,
}

/// The page the form's links go to, with a button where the form's corner link was. Mounted
/// live, it sends itself a message at once: a patch frame follows its page right away.
struct Other {
    ready: bool,
}

impl LiveView for Other {
    type Message = ();
    type Event = OtherEvent;

    async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        ctx.send_after(Duration::ZERO, ());
        Ok(Other { ready: false })
    }

    async fn handle_info(&mut self, _: (), _: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.ready = true;
        Ok(())
    }

    async fn handle_event(&mut self, _: OtherEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        HITS.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! {
            <button id="under" lv-click="hit" style=CORNER>"hit"</button>
            <div style="margin-top:120px">
                <h1 id="page">"other"</h1>
                <a id="to-form" href="/form" lv-navigate>"form"</a>
                {self.ready.then(|| view! { <p id="ready">"ready"</p> })}
            </div>
        }
    }
}

/// The app, with view transitions or not; `mounts` counts the mounts of `/other` (the live
/// session's check runs before each).
fn app(view_transitions: bool, mounts: Arc<AtomicUsize>) -> axum::Router {
    let site = LiveSession::new("site")
        .on_mount(move |m: Mounting| {
            if m.uri.path() == "/other" {
                mounts.fetch_add(1, Ordering::SeqCst);
            }
            async move { Ok(m) }
        })
        .layout(|page: AnyView, _| {
            view! {
                <header style="margin-top:200px">
                    <a id="nav-other" href="/other" lv-navigate>"Other"</a>
                    <a id="nav-form" href="/form" lv-navigate>"Form"</a>
                </header>
                <main>{page}</main>
            }
            .into_any()
        })
        .page::<Form>("/form")
        .page::<Other>("/other");
    let router = LiveRouter::new().live_session(site);
    if view_transitions {
        router.view_transitions().into_router()
    } else {
        router.into_router()
    }
}

/// Records the kind of every frame the page sends (`window.sent`) and every
/// `lv:before-navigate` (`window.seen`), which `window.block` cancels.
const SPY: &str = r#"
    window.sent = [];
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (d) { window.sent.push(JSON.parse(d)[1]); return send.call(this, d); };
    window.seen = [];
    window.block = false;
    addEventListener("lv:before-navigate", (e) => { window.seen.push(e.detail); if (window.block) e.preventDefault(); });
    window.marker = 1;
"#;

/// The frames of `kind` the page sent since the spy went in.
async fn sent(page: &mut Page<'_>, kind: &str) -> usize {
    page.eval(&format!("window.sent.filter((k) => k === '{kind}').length"))
        .await
        .as_u64()
        .unwrap_or(0) as usize
}

/// Waits until the page shows `heading` at `path`, in the same document (the spy's marker).
async fn at(page: &mut Page<'_>, heading: &str, path: &str) {
    page.wait_for(&format!(
        "window.marker === 1 && document.getElementById('page')?.textContent === '{heading}' && location.pathname + location.search === '{path}'"
    ))
    .await;
}

/// Lets frames that would be sent or answered arrive.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(300)).await;
}

/// The types of the event listeners on `window`.
async fn window_listeners(page: &mut Page<'_>) -> Vec<String> {
    let win = page
        .cmd("Runtime.evaluate", json!({ "expression": "window" }))
        .await;
    let listeners = page
        .cmd(
            "DOMDebugger.getEventListeners",
            json!({ "objectId": win["result"]["objectId"] }),
        )
        .await;
    listeners["listeners"]
        .as_array()
        .map(|l| {
            l.iter()
                .filter_map(|x| x["type"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn before_navigate_cancels_links_patches_pushes_and_back_and_unload_guard_asks() {
    let server = TestServer::start(app(false, Arc::default())).await;
    within(120, "the navigation guard in chromium", async {
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/form")).await;
        page.wait_connected().await;
        page.eval(SPY).await;
        page.eval("window.block = true").await;

        // A link (in the layout), cancelled: the URL and the page stay, nothing is sent.
        page.click("#nav-other").await;
        page.wait_for("window.seen.length === 1").await;
        settle().await;
        at(&mut page, "form", "/form").await;
        assert_eq!(
            sent(&mut page, "n").await,
            0,
            "a cancelled navigation sends nothing"
        );
        assert_eq!(
            page.eval("window.seen[0]").await,
            json!({ "to": server.url("/other"), "kind": "navigate" })
        );
        // A patch link, cancelled.
        page.click("#tab").await;
        page.wait_for("window.seen.length === 2").await;
        settle().await;
        at(&mut page, "form", "/form").await;
        assert_eq!(
            sent(&mut page, "l").await,
            0,
            "a cancelled patch sends nothing"
        );
        assert_eq!(
            page.eval("window.seen[1]").await,
            json!({ "to": server.url("/form?tab=x"), "kind": "patch" })
        );
        // The server's push_navigate, cancelled: the page stays.
        page.click("#leave").await;
        page.wait_for("window.seen.length === 3").await;
        settle().await;
        at(&mut page, "form", "/form").await;
        assert_eq!(sent(&mut page, "n").await, 0);
        assert_eq!(
            page.eval("window.seen[2].to").await,
            json!(server.url("/other"))
        );

        // Not cancelled: the same link navigates.
        page.eval("window.block = false").await;
        page.click("#nav-other").await;
        at(&mut page, "other", "/other").await;
        assert_eq!(sent(&mut page, "n").await, 1);
        // Back, cancelled: the URL comes back, the page stays, nothing is sent.
        page.eval("window.block = true").await;
        page.eval("history.back()").await;
        page.wait_for("window.seen.length === 5").await;
        settle().await;
        at(&mut page, "other", "/other").await;
        assert_eq!(sent(&mut page, "n").await, 1);
        assert_eq!(
            page.eval("window.seen[4].to").await,
            json!(server.url("/form"))
        );
        // Back again, let through.
        page.eval("window.block = false").await;
        page.eval("history.back()").await;
        at(&mut page, "form", "/form").await;
        assert_eq!(sent(&mut page, "n").await, 2);

        // lv-unload-guard: beforeunload is listened to only while such an element is shown.
        assert!(
            !window_listeners(&mut page)
                .await
                .iter()
                .any(|t| t == "beforeunload")
        );
        page.click("#dirty").await;
        page.wait_for("document.getElementById('unsaved')").await;
        assert!(
            window_listeners(&mut page)
                .await
                .iter()
                .any(|t| t == "beforeunload")
        );
        // A reload asks first (the click above gave the page the user activation it needs);
        // staying keeps the document.
        page.cmd("Page.enable", json!({})).await;
        page.eval("setTimeout(() => location.reload(), 10)").await;
        // (The browser answers this while the page waits on the dialog; its events come along.)
        let mut dialogs = Vec::new();
        for _ in 0..200 {
            page.cmd("Page.getNavigationHistory", json!({})).await;
            dialogs = page.take_events("Page.javascriptDialogOpening");
            if !dialogs.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(dialogs.len(), 1, "{dialogs:?}");
        page.cmd("Page.handleJavaScriptDialog", json!({ "accept": false }))
            .await;
        assert_eq!(dialogs[0]["params"]["type"], "beforeunload");
        at(&mut page, "form", "/form").await;
        // Saved: the element goes, and so does the listener; a reload goes through.
        page.click("#clean").await;
        page.wait_for("!document.getElementById('unsaved')").await;
        assert!(
            !window_listeners(&mut page)
                .await
                .iter()
                .any(|t| t == "beforeunload")
        );
        page.eval("setTimeout(() => location.reload(), 10)").await;
        page.wait_for("window.marker === undefined && document.readyState === 'complete'")
            .await;
        assert!(page.take_events("Page.javascriptDialogOpening").is_empty());
    })
    .await;
}

/// Presses the mouse at (`x`, `y`) or lets it go.
async fn mouse(page: &mut Page<'_>, kind: &str, x: f64, y: f64) {
    page.cmd(
        "Input.dispatchMouseEvent",
        json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
    )
    .await;
}

#[tokio::test]
async fn a_press_on_a_live_link_navigates_before_its_click_and_once() {
    let other_mounts = Arc::new(AtomicUsize::new(0));
    let server = TestServer::start(app(false, other_mounts.clone())).await;
    within(120, "navigation on press in chromium", async {
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/form")).await;
        page.wait_connected().await;
        page.eval(SPY).await;
        page.eval("window.vts = 0; document.startViewTransition = () => { window.vts++; }")
            .await;

        // The press alone sends the navigation, and the next page comes while the button is
        // still down.
        mouse(&mut page, "mousePressed", 50.0, 50.0).await;
        at(&mut page, "other", "/other").await;
        assert_eq!(
            sent(&mut page, "n").await,
            1,
            "the press sent the navigation"
        );
        // The click that ends it, on the next page's button that took the link's place, does
        // nothing: no second navigation, no event for the button.
        mouse(&mut page, "mouseReleased", 50.0, 50.0).await;
        settle().await;
        at(&mut page, "other", "/other").await;
        assert_eq!(sent(&mut page, "n").await, 1, "one navigation");
        assert_eq!(sent(&mut page, "e").await, 0, "the click went nowhere");
        assert_eq!(
            other_mounts.load(Ordering::SeqCst),
            1,
            "mounted once"
        );
        assert_eq!(HITS.load(Ordering::SeqCst), 0);
        // A link that stays (the layout's): press and click, one navigation.
        page.click("#nav-form").await;
        at(&mut page, "form", "/form").await;
        settle().await;
        assert_eq!(sent(&mut page, "n").await, 2);
        // A click without a press (the keyboard's, a script's) navigates as before.
        page.eval("document.getElementById('nav-other').click()")
            .await;
        at(&mut page, "other", "/other").await;
        assert_eq!(sent(&mut page, "n").await, 3);
        // A press of another button on a live link is left to the browser.
        let at_link = page
            .eval("(() => { const r = document.getElementById('nav-form').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
            .await;
        let (x, y) = (at_link[0].as_f64().unwrap_or(0.0), at_link[1].as_f64().unwrap_or(0.0));
        for kind in ["mousePressed", "mouseReleased"] {
            page.cmd(
                "Input.dispatchMouseEvent",
                json!({ "type": kind, "x": x, "y": y, "button": "right", "clickCount": 1 }),
            )
            .await;
        }
        settle().await;
        at(&mut page, "other", "/other").await;
        assert_eq!(sent(&mut page, "n").await, 3);
        // A press dragged away from the link has navigated, once, and leaves nothing behind:
        // the next click without a press still navigates.
        let at_link = page
            .eval("(() => { const r = document.getElementById('to-form').getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
            .await;
        let (x, y) = (at_link[0].as_f64().unwrap_or(0.0), at_link[1].as_f64().unwrap_or(0.0));
        mouse(&mut page, "mousePressed", x, y).await;
        at(&mut page, "form", "/form").await;
        page.cmd(
            "Input.dispatchMouseEvent",
            json!({ "type": "mouseMoved", "x": x + 300.0, "y": y + 200.0, "button": "left", "buttons": 1 }),
        )
        .await;
        mouse(&mut page, "mouseReleased", x + 300.0, y + 200.0).await;
        settle().await;
        at(&mut page, "form", "/form").await;
        assert_eq!(sent(&mut page, "n").await, 4);
        page.eval("document.getElementById('nav-other').click()")
            .await;
        at(&mut page, "other", "/other").await;
        assert_eq!(sent(&mut page, "n").await, 5);
        // The button under the pointer still works with a click of its own.
        page.click("#under").await;
        page.wait_for("window.sent.includes('e')").await;
        // No view transition without the app's meta.
        assert_eq!(page.eval("window.vts").await, json!(0));
    })
    .await;
}

#[tokio::test]
async fn a_navigation_runs_in_a_view_transition_unless_motion_is_reduced_or_unsupported() {
    let server = TestServer::start(app(true, Arc::default())).await;
    within(120, "view transitions in chromium", async {
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/form")).await;
        page.wait_connected().await;
        page.eval(SPY).await;
        // The module is here (it takes the socket's onFrame).
        page.wait_for("Object.hasOwn(window.liveSocket, 'onFrame')").await;
        // Each transition: the heading before and after its update, and whether it ran (ready)
        // or was skipped.
        page.eval(
            r#"
            window.vts = [];
            const start = Document.prototype.startViewTransition;
            document.startViewTransition = function (update) {
                const rec = {};
                window.vts.push(rec);
                const heading = () => document.getElementById('page').textContent;
                const v = start.call(this, () => { rec.before = heading(); const r = update(); rec.after = heading(); return r; });
                v.ready.then(() => (rec.ready = true), () => (rec.ready = false));
                v.finished.then(() => (rec.finished = true));
                return v;
            };
            "#,
        )
        .await;

        page.click("#nav-other").await;
        at(&mut page, "other", "/other").await;
        page.wait_for("window.vts.length === 1 && window.vts[0].finished").await;
        assert_eq!(
            page.eval("window.vts[0]").await,
            json!({ "before": "form", "after": "other", "ready": true, "finished": true }),
            "the navigation's update ran inside a view transition"
        );
        // The patch the page sent itself right after it came waited for the transition's
        // update and applied to the new page: no mismatch, no resync.
        page.wait_for("document.getElementById('ready')").await;
        assert_eq!(sent(&mut page, "r").await, 0, "no resync");
        page.eval("document.getElementById('to-form').click()").await;
        at(&mut page, "form", "/form").await;
        page.wait_for("window.vts.length === 2 && window.vts[1].finished").await;
        assert_eq!(page.eval("window.vts[1].after").await, json!("form"));

        // Reduced motion: applied directly.
        page.cmd(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-reduced-motion", "value": "reduce" }] }),
        )
        .await;
        page.click("#nav-other").await;
        at(&mut page, "other", "/other").await;
        settle().await;
        assert_eq!(page.eval("window.vts.length").await, json!(2));
        page.cmd(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-reduced-motion", "value": "no-preference" }] }),
        )
        .await;
        page.click("#nav-form").await;
        at(&mut page, "form", "/form").await;
        // (While a transition runs, its pseudo-elements take the pointer: wait for its end.)
        page.wait_for("window.vts.length === 3 && window.vts[2].finished").await;

        // A browser without view transitions: applied directly.
        page.eval("document.startViewTransition = undefined").await;
        page.click("#nav-other").await;
        at(&mut page, "other", "/other").await;
        assert_eq!(page.eval("window.vts.length").await, json!(3));
        assert_eq!(sent(&mut page, "n").await, 5);
    })
    .await;
}
