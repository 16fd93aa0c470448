//! Navigation between live pages in Chromium, through the public API: live navigation over one
//! socket with no document load, patches that call `handle_params` without a remount, back and
//! forward with scroll, a layout that stays, flash across a navigation and a redirect, and typed
//! events. Documents and sockets are counted with the DevTools protocol's Network events.

use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::Uri;
use leptos::prelude::*;
use leptos_live::flash::flash;
use leptos_live::{
    Ctx, FlashKind, Halt, LiveConfig, LiveError, LiveRouter, LiveSession, LiveView, Mounting,
    Params, RawEvent, Session,
};
use leptos_live_tests::browser::Page;
use leptos_live_tests::{TestServer, WsClient, json, within};
use serde_json::Value;

static ROOM_MOUNTS: AtomicUsize = AtomicUsize::new(0);
static ROOM_PARAMS: AtomicUsize = AtomicUsize::new(0);

fn flashes() -> impl IntoView {
    let f = flash();
    view! {
        {f.get(FlashKind::Info).map(|m| view! {
            <p id="flash-info">{m.to_string()}</p>
            <button id="dismiss" lv-click="lv:clear-flash" lv-value-kind="info">"×"</button>
        })}
        {f.get(FlashKind::Error).map(|m| view! { <p id="flash-error">{m.to_string()}</p> })}
    }
}

struct Home;

impl LiveView for Home {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Home)
    }

    fn title(&self) -> String {
        "Home".into()
    }

    fn render(&self) -> impl IntoView {
        // Tall enough to scroll.
        let lines = (0..150)
            .map(|i| view! { <p class="line">"line " {i}</p> })
            .collect_view();
        view! {
            {flashes()}
            <h1 id="page">"home"</h1>
            <a id="to-b" href="/rooms/b" lv-navigate>"room b"</a>
            {lines}
            <a id="bottom-to-a" href="/rooms/a" lv-navigate>"room a"</a>
        }
    }
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
enum RoomEvent {
    Bump { by: i64 },
    Tab { to: String },
    Leave,
    Forbidden,
}

struct Room {
    name: String,
    tab: String,
    n: i64,
}

impl LiveView for Room {
    type Message = ();
    type Event = RoomEvent;

    async fn mount(p: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        ROOM_MOUNTS.fetch_add(1, Ordering::SeqCst);
        Ok(Room {
            name: p.get("name").unwrap_or_default().to_string(),
            tab: String::new(),
            n: 0,
        })
    }

    async fn handle_params(
        &mut self,
        p: &Params,
        _: &Uri,
        _: &mut Ctx<Self>,
    ) -> Result<(), LiveError> {
        ROOM_PARAMS.fetch_add(1, Ordering::SeqCst);
        self.tab = p.get("tab").unwrap_or("none").to_string();
        Ok(())
    }

    async fn handle_event(
        &mut self,
        event: RoomEvent,
        ctx: &mut Ctx<Self>,
    ) -> Result<(), LiveError> {
        match event {
            RoomEvent::Bump { by } => self.n += by,
            RoomEvent::Tab { to } => ctx.push_patch(format!("/rooms/{}?tab={to}", self.name)),
            RoomEvent::Leave => {
                ctx.put_flash(FlashKind::Info, format!("left {}", self.name));
                ctx.push_navigate("/");
            }
            RoomEvent::Forbidden => {
                ctx.put_flash(FlashKind::Error, "not for you");
                ctx.redirect("/");
            }
        }
        Ok(())
    }

    fn title(&self) -> String {
        format!("Room {}", self.name)
    }

    fn render(&self) -> impl IntoView {
        let members = format!("/rooms/{}?tab=members", self.name);
        let quiet = format!("/rooms/{}?tab=quiet", self.name);
        view! {
            <h1 id="page">"room " {self.name.clone()}</h1>
            <a id="members" href=members lv-patch>"members"</a>
            <a id="quiet" href=quiet lv-patch lv-replace>"quiet"</a>
            <p id="tab">{self.tab.clone()}</p>
            <p id="n">{self.n}</p>
            <button id="bump" lv-click="bump" lv-value-by="2">"+2"</button>
            <button id="to-tab" lv-click="tab" lv-value-to="server">"server tab"</button>
            <button id="bad" lv-click="bump" lv-value-by="lots">"bad"</button>
            <button id="nope" lv-click="nope">"unknown"</button>
            <button id="leave" lv-click="leave">"leave"</button>
            <button id="forbidden" lv-click="forbidden">"forbidden"</button>
            <a id="to-b" href="/rooms/b" lv-navigate>"room b"</a>
            <a id="out" href="/outside" lv-navigate>"outside"</a>
            <a id="secret" href="/secret" lv-navigate>"secret"</a>
            <a id="anchor" href="#n">"to the count"</a>
        }
    }
}

/// A page that sends everyone away with an error flash.
struct Secret;

impl LiveView for Secret {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        ctx.put_flash(FlashKind::Error, "no entry");
        ctx.redirect("/");
        Ok(Secret)
    }

    fn render(&self) -> impl IntoView {
        view! { <p>"never shown"</p> }
    }
}

/// A live page of another live session: reaching it is a full load.
struct Outside;

impl LiveView for Outside {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Outside)
    }

    fn render(&self) -> impl IntoView {
        view! { <h1 id="page">"outside"</h1> }
    }
}

#[derive(Clone)]
struct Visitor(&'static str);

fn app() -> axum::Router {
    let site = LiveSession::new("site")
        .on_mount(|mut m: Mounting| async move {
            if m.uri.path() == "/forbidden-by-check" {
                return Err(Halt::redirect("/").with_flash(FlashKind::Error, "checked out"));
            }
            m.assign(Visitor("ada"));
            Ok(m)
        })
        .layout(|page: AnyView, m: &Mounting| {
            let who = m.assigned::<Visitor>().map(|v| v.0).unwrap_or("nobody");
            view! {
                <header id="layout">
                    <a id="nav-home" href="/" lv-navigate>"Home"</a>
                    <a id="nav-a" href="/rooms/a" lv-navigate>"Room a"</a>
                    <span id="who">{who}</span>
                </header>
                <main>{page}</main>
            }
            .into_any()
        })
        .page::<Home>("/")
        .page::<Room>("/rooms/{name}")
        .page::<Secret>("/secret")
        .page::<Secret>("/forbidden-by-check");
    LiveRouter::with_config(LiveConfig::default().with_secret(b"navigation tests secret".to_vec()))
        .live_session(site)
        .page::<Outside>("/outside")
        .into_router()
}

/// Counts what the tab loaded since the last call: documents and WebSockets.
fn loads(page: &mut Page<'_>) -> (usize, usize) {
    let docs = page
        .take_events("Network.requestWillBeSent")
        .iter()
        .filter(|e| e["params"]["type"] == "Document")
        .count();
    let sockets = page.take_events("Network.webSocketCreated").len();
    (docs, sockets)
}

async fn text(page: &mut Page<'_>, id: &str) -> String {
    page.eval(&format!(
        "document.getElementById('{id}')?.textContent ?? null"
    ))
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Waits until the page shows `heading`, then checks the URL and title, that the layout's
/// header is the same element as at the start, and that no document or socket was loaded.
async fn at(page: &mut Page<'_>, heading: &str, path: &str, title: &str) {
    page.wait_for(&format!(
        "document.getElementById('page')?.textContent === {} && location.pathname + location.search === {}",
        serde_json::json!(heading),
        serde_json::json!(path)
    ))
    .await;
    assert_eq!(page.eval("document.title").await, serde_json::json!(title));
    assert_eq!(
        page.eval("document.getElementById('layout').dataset.kept === 'yes' && window.firstSocket === window.liveSocket.ws && window.liveSocket.isConnected()")
            .await,
        serde_json::json!(true),
        "the layout and the socket stay at {path}"
    );
    assert_eq!(
        loads(page),
        (0, 0),
        "no document and no socket loaded for {path}"
    );
}

#[tokio::test]
async fn live_navigation_back_forward_scroll_patch_and_flash_in_chromium() {
    let server = TestServer::start(app()).await;
    within(120, "navigation in chromium", async {
        let mut browser = leptos_live_tests::browser::Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_connected().await;
        page.cmd("Network.enable", serde_json::json!({})).await;
        page.eval("document.getElementById('layout').dataset.kept = 'yes'; window.firstSocket = window.liveSocket.ws; window.errors = []; const onError = window.liveSocket.onError.bind(window.liveSocket); window.liveSocket.onError = (r, code, m) => { window.errors.push(code); onError(r, code, m); }")
            .await;
        assert_eq!(text(&mut page, "who").await, "ada", "the layout sees what on_mount assigned");

        // Scrolled down the home page, then to room a from a link at the bottom.
        page.eval("scrollTo(0, 1500)").await;
        page.wait_for("scrollY > 1000").await;
        let home_scroll = page.eval("scrollY").await.as_f64().unwrap_or(0.0);
        page.eval("document.getElementById('bottom-to-a').click()").await;
        at(&mut page, "room a", "/rooms/a", "Room a").await;
        assert_eq!(page.eval("scrollY").await, serde_json::json!(0), "a navigation goes to the top");
        assert_eq!(
            page.eval("document.getElementById('nav-a').getAttribute('aria-current') === 'page' && !document.getElementById('nav-home').hasAttribute('aria-current')").await,
            serde_json::json!(true)
        );

        // Room a → room b, then back, back, forward.
        page.click("#to-b").await;
        at(&mut page, "room b", "/rooms/b", "Room b").await;
        page.eval("history.back()").await;
        at(&mut page, "room a", "/rooms/a", "Room a").await;
        page.eval("history.back()").await;
        at(&mut page, "home", "/", "Home").await;
        page.wait_for(&format!("Math.abs(scrollY - {home_scroll}) < 2")).await;
        page.eval("history.forward()").await;
        at(&mut page, "room a", "/rooms/a", "Room a").await;

        // A patch: handle_params runs, nothing mounts; back runs it again with the old URL.
        let (mounts, params) = (ROOM_MOUNTS.load(Ordering::SeqCst), ROOM_PARAMS.load(Ordering::SeqCst));
        page.eval("window.patchMarker = document.getElementById('n')").await;
        page.click("#members").await;
        page.wait_for("document.getElementById('tab').textContent === 'members'").await;
        at(&mut page, "room a", "/rooms/a?tab=members", "Room a").await;
        page.eval("history.back()").await;
        page.wait_for("document.getElementById('tab').textContent === 'none'").await;
        at(&mut page, "room a", "/rooms/a", "Room a").await;
        // ctx.push_patch from an event: the same, started by the server.
        page.click("#to-tab").await;
        page.wait_for("document.getElementById('tab').textContent === 'server'").await;
        at(&mut page, "room a", "/rooms/a?tab=server", "Room a").await;
        page.eval("history.back()").await;
        page.wait_for("document.getElementById('tab').textContent === 'none'").await;
        at(&mut page, "room a", "/rooms/a", "Room a").await;
        assert_eq!(ROOM_MOUNTS.load(Ordering::SeqCst), mounts, "a patch mounts nothing");
        assert_eq!(ROOM_PARAMS.load(Ordering::SeqCst), params + 4, "handle_params ran for each URL");
        assert_eq!(
            page.eval("window.patchMarker === document.getElementById('n')").await,
            serde_json::json!(true),
            "the page's DOM was patched, not replaced"
        );
        // An lv-patch link with lv-replace changes the URL in place: no new history entry.
        let entries = page.eval("history.length").await;
        page.click("#quiet").await;
        page.wait_for("document.getElementById('tab').textContent === 'quiet'").await;
        at(&mut page, "room a", "/rooms/a?tab=quiet", "Room a").await;
        assert_eq!(page.eval("history.length").await, entries, "the entry was replaced");
        page.eval("history.back()").await;
        page.wait_for("location.pathname === '/' && document.getElementById('page').textContent === 'home'").await;
        page.eval("history.forward()").await;
        at(&mut page, "room a", "/rooms/a?tab=quiet", "Room a").await;
        page.wait_for("document.getElementById('tab').textContent === 'quiet'").await;
        page.click("#members").await;
        page.wait_for("document.getElementById('tab').textContent === 'members'").await;
        page.eval("history.back()").await;
        page.wait_for("document.getElementById('tab').textContent === 'quiet'").await;
        at(&mut page, "room a", "/rooms/a?tab=quiet", "Room a").await;

        // Typed events: a payload that does not decode and an unknown name get typed errors;
        // the page lives on and the next good event works.
        page.click("#bad").await;
        page.wait_for("window.errors.includes('bad_payload')").await;
        page.click("#nope").await;
        page.wait_for("window.errors.includes('unknown_event')").await;
        page.click("#bump").await;
        page.wait_for("document.getElementById('n').textContent === '2'").await;

        // A flash across push_navigate.
        page.click("#leave").await;
        at(&mut page, "home", "/", "Home").await;
        assert_eq!(text(&mut page, "flash-info").await, "left a");
        // Gone after the next navigation, ...
        page.click("#to-b").await;
        at(&mut page, "room b", "/rooms/b", "Room b").await;
        page.click("#leave").await;
        at(&mut page, "home", "/", "Home").await;
        assert_eq!(text(&mut page, "flash-info").await, "left b");
        page.eval("document.getElementById('bottom-to-a').click()").await;
        at(&mut page, "room a", "/rooms/a", "Room a").await;
        page.click("#nav-home").await;
        at(&mut page, "home", "/", "Home").await;
        assert_eq!(page.eval("document.getElementById('flash-info')").await, Value::Null);
        // ... or when dismissed.
        page.eval("document.getElementById('bottom-to-a').click()").await;
        at(&mut page, "room a", "/rooms/a", "Room a").await;
        page.click("#leave").await;
        at(&mut page, "home", "/", "Home").await;
        page.click("#dismiss").await;
        page.wait_for("!document.getElementById('flash-info')").await;

        // A page that redirects as it mounts, reached live: a full load with its flash.
        page.click("#to-b").await;
        at(&mut page, "room b", "/rooms/b", "Room b").await;
        page.click("#secret").await;
        page.wait_for("document.getElementById('flash-error')?.textContent === 'no entry'").await;
        assert_eq!(page.eval("location.pathname").await, serde_json::json!("/"));
        let (docs, _) = loads(&mut page);
        assert!(docs >= 1, "a redirect is a full load");
        page.wait_connected().await;

        // ctx.redirect from an event: a full load with the flash, which the cookie carried once.
        page.click("#bottom-to-a").await;
        page.wait_for("document.getElementById('page')?.textContent === 'room a'").await;
        page.wait_connected().await;
        page.click("#forbidden").await;
        page.wait_for("document.getElementById('flash-error')?.textContent === 'not for you'").await;
        page.wait_connected().await;
        page.eval("location.reload()").await;
        page.wait_for("document.readyState === 'complete' && document.getElementById('page')?.textContent === 'home'").await;
        assert_eq!(page.eval("document.getElementById('flash-error')").await, Value::Null, "the flash shows once");

        // After a reload, a patch and back stay patches; a #fragment link changes nothing.
        page.eval("document.getElementById('bottom-to-a').click()").await;
        page.wait_for("document.getElementById('page')?.textContent === 'room a'").await;
        page.eval("location.reload()").await;
        page.wait_for("document.readyState === 'complete' && document.getElementById('page')?.textContent === 'room a'").await;
        page.wait_connected().await;
        let mounts = ROOM_MOUNTS.load(Ordering::SeqCst);
        page.eval("window.sameNode = document.getElementById('n')").await;
        page.click("#members").await;
        page.wait_for("document.getElementById('tab').textContent === 'members'").await;
        page.eval("history.back()").await;
        page.wait_for("document.getElementById('tab').textContent === 'none'").await;
        page.click("#anchor").await;
        page.wait_for("location.hash === '#n'").await;
        page.eval("history.back()").await;
        page.wait_for("location.hash === ''").await;
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert_eq!(ROOM_MOUNTS.load(Ordering::SeqCst), mounts, "no remount after a reload");
        assert_eq!(page.eval("window.sameNode === document.getElementById('n')").await, serde_json::json!(true));

        // Another live session: a full load.
        page.wait_connected().await;
        page.wait_for("document.getElementById('page')?.textContent === 'room a'").await;
        page.wait_connected().await;
        loads(&mut page);
        page.click("#out").await;
        page.wait_for("document.getElementById('page')?.textContent === 'outside'").await;
        let (docs, _) = loads(&mut page);
        assert_eq!(docs, 1, "leaving the live session loads the document");
    })
    .await;
}

/// The first GET and a live navigation give the same page for the same URL.
#[tokio::test]
async fn a_navigation_gives_the_page_the_first_get_gives() {
    let server = TestServer::start(app()).await;
    let (status, body) = server.get("/rooms/z?tab=members").await;
    assert_eq!(status, 200);
    let start = body.find("lv-token=").expect("a root");
    let inner = &body[body[start..]
        .find('>')
        .map(|i| start + i + 1)
        .expect("root open")..];
    let inner = &inner[..inner.find("</div></main>").expect("root close")];
    let (mut ws, _) = WsClient::open_page(server.addr, "/").await;
    ws.send(r#"[2,"n","/rooms/z?tab=members"]"#).await;
    let reply = json(&ws.reply(2).await);
    assert_eq!(reply[1], "html");
    assert_eq!(reply[2].as_str(), Some(inner), "the same HTML");
    assert_eq!(reply[4]["title"], "Room z");
    assert_eq!(reply[4]["url"], "/rooms/z?tab=members");
    assert!(reply[4]["token"].as_str().is_some_and(|t| !t.is_empty()));
}

/// Bad navigations: another origin is a typed error; an unknown path, another live session
/// and a refused check are full loads, never a page the user may not see.
#[tokio::test]
async fn bad_navigations_get_typed_errors_or_full_loads() {
    let server = TestServer::start(app()).await;
    let (mut ws, _) = WsClient::open_page(server.addr, "/").await;
    for (r, url) in [
        (2, "https://evil.example/"),
        (3, "//evil.example/x"),
        (4, "javascript:alert(1)"),
    ] {
        ws.send(&format!(r#"[{r},"n",{}]"#, serde_json::json!(url)))
            .await;
        let reply = json(&ws.reply(r).await);
        assert_eq!(reply[1], "err", "{url}");
        assert_eq!(reply[2], "bad_navigation", "{url}");
    }
    for (r, url, to) in [
        (5, "/nowhere", "/nowhere"),
        (6, "/outside", "/outside"),
        (7, "/forbidden-by-check", "/"),
        (8, "/secret", "/"),
    ] {
        ws.send(&format!(r#"[{r},"n",{}]"#, serde_json::json!(url)))
            .await;
        let reply = json(&ws.reply(r).await);
        assert_eq!(reply[1], "nav", "{url}: {reply}");
        assert_eq!(reply[2]["kind"], "redirect", "{url}");
        assert_eq!(reply[2]["to"], to, "{url}");
    }
    // A forged flash is dropped; the page still comes.
    ws.send(r#"[9,"n","/rooms/q","forged.flash"]"#).await;
    let reply = json(&ws.reply(9).await);
    assert_eq!(reply[1], "html");
    assert!(!reply[2].as_str().unwrap_or_default().contains("flash-"));
    // A patch to another origin is refused too, and the socket lives on.
    ws.send(r#"[10,"l","http://evil.example/rooms/q"]"#).await;
    assert_eq!(json(&ws.reply(10).await)[2], "bad_navigation");
    ws.send(r#"[11,"e","bump",{"by":"3"}]"#).await;
    let reply = ws.reply(11).await;
    assert!(reply.contains("\"3\""), "{reply}");
    // The GET of a refused page is a 303 with the flash in a cookie.
    let (status, _) = server.get("/forbidden-by-check").await;
    assert_eq!(status, 303);
}
