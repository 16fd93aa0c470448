//! Cuts of the network in Chromium, through a proxy the test cuts and restores: no click lost or
//! doubled whether the cut falls before an event reaches the server or between its arrival and
//! its answer; events made offline wait (marked `lv-pending`) and count once; a form submitted
//! offline is submitted once; a page open longer than its token's lifetime still resumes; a
//! page whose session ended is sent to its live session's redirect, with the flash.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use leptos::prelude::*;
use leptos_live::flash::flash;
use leptos_live::{
    Ctx, FlashKind, Halt, LiveConfig, LiveError, LiveRouter, LiveSession, LiveView, Mounting,
    Params, RawEvent, Session,
};
use leptos_live_tests::browser::{Browser, Page};
use leptos_live_tests::proxy::{Mode, Proxy};
use leptos_live_tests::{TestServer, json, within};

fn config() -> LiveConfig {
    LiveConfig::default().with_secret(b"network-cuts-secret-network-cuts".to_vec())
}

async fn counter(config: LiveConfig) -> (TestServer, Proxy) {
    let server = TestServer::start(demo_counter::app(LiveRouter::with_config(config))).await;
    let proxy = Proxy::start(server.addr).await;
    (server, proxy)
}

const COUNT: &str = "document.getElementById('count').textContent";
const INC: &str = "button[lv-click=inc]";

async fn count_is(page: &mut Page<'_>, n: u32) {
    page.wait_for(&format!("{COUNT} === '{n}'")).await;
}

/// Cuts the proxy and waits until the shim has seen its socket drop.
async fn cut(page: &mut Page<'_>, proxy: &Proxy) {
    proxy.set(Mode::Cut);
    page.wait_for("document.getElementById('lv-root').classList.contains('lv-loading')")
        .await;
}

/// The count stays at `n` for a while (no event applied twice, late).
async fn stays(page: &mut Page<'_>, n: u32) {
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(page.eval(COUNT).await, n.to_string());
    assert_eq!(
        page.eval("document.querySelectorAll('.lv-pending').length")
            .await,
        0,
        "the pending marks went"
    );
}

#[tokio::test]
async fn five_clicks_during_a_cut_count_five_and_their_marks_go() {
    within(60, "five clicks offline", async {
        let (_server, proxy) = counter(config()).await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&proxy.url("/")).await;
        page.wait_connected().await;
        page.click(INC).await;
        page.click(INC).await;
        count_is(&mut page, 2).await;
        cut(&mut page, &proxy).await;
        for _ in 0..5 {
            page.click(INC).await;
        }
        assert_eq!(
            page.eval(
                "document.querySelector('button[lv-click=inc]').classList.contains('lv-pending')"
            )
            .await,
            true,
            "a click made offline is marked pending"
        );
        assert_eq!(page.eval(COUNT).await, "2");
        proxy.set(Mode::Open);
        page.wait_connected().await;
        count_is(&mut page, 7).await;
        stays(&mut page, 7).await;
    })
    .await;
}

#[tokio::test]
async fn past_a_hundred_waiting_events_the_newest_are_refused_visibly() {
    within(60, "the queue's cap", async {
        let (_server, proxy) = counter(config()).await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&proxy.url("/")).await;
        page.wait_connected().await;
        cut(&mut page, &proxy).await;
        page.eval(
            "for (let i = 0; i < 105; i++) document.querySelector('button[lv-click=inc]').click()",
        )
        .await;
        assert_eq!(page.eval("window.liveSocket.pending.size").await, 100);
        assert_eq!(
            page.eval("document.getElementById('lv-root').classList.contains('lv-queue-full')")
                .await,
            true,
            "the page shows that events were refused"
        );
        proxy.set(Mode::Open);
        page.wait_connected().await;
        count_is(&mut page, 100).await;
        stays(&mut page, 100).await;
        assert_eq!(
            page.eval("document.getElementById('lv-root').classList.contains('lv-queue-full')")
                .await,
            false,
            "room again once answers come"
        );
    })
    .await;
}

#[tokio::test]
async fn a_cut_between_an_events_arrival_and_its_answer_counts_it_once() {
    within(60, "cut after arrival", async {
        let (_server, proxy) = counter(config()).await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&proxy.url("/")).await;
        page.wait_connected().await;
        // The click reaches the server, which applies it; its answer is lost.
        proxy.set(Mode::DropReplies);
        page.click(INC).await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(page.eval(COUNT).await, "0", "the answer did not come");
        cut(&mut page, &proxy).await;
        assert_eq!(
            page.eval(
                "document.querySelector('button[lv-click=inc]').classList.contains('lv-pending')"
            )
            .await,
            true,
            "the event in flight waits for its answer"
        );
        proxy.set(Mode::Open);
        page.wait_connected().await;
        count_is(&mut page, 1).await;
        stays(&mut page, 1).await;
        // The page goes on from there.
        page.click(INC).await;
        count_is(&mut page, 2).await;
    })
    .await;
}

#[tokio::test]
async fn a_cut_before_an_event_arrives_counts_it_once() {
    within(60, "cut before arrival", async {
        let (_server, proxy) = counter(config()).await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&proxy.url("/")).await;
        page.wait_connected().await;
        // The click leaves the browser but never reaches the server.
        proxy.set(Mode::DropRequests);
        page.click(INC).await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        cut(&mut page, &proxy).await;
        proxy.set(Mode::Open);
        page.wait_connected().await;
        count_is(&mut page, 1).await;
        stays(&mut page, 1).await;
    })
    .await;
}

/// A guest book: each submit of its form adds a line.
struct Book(Vec<String>);

impl LiveView for Book {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Book(Vec::new()))
    }

    async fn handle_event(&mut self, e: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.0
            .push(e.payload.get_str("line").unwrap_or_default().to_string());
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let lines = self
            .0
            .iter()
            .map(|l| view! { <li>{l.clone()}</li> })
            .collect_view();
        view! {
            <form id="book" lv-submit="sign">
                <input id="line" name="line" value="hello"/>
                <button id="send" type="submit">"Sign"</button>
            </form>
            <ul id="lines">{lines}</ul>
            <p id="n">{self.0.len()}</p>
        }
    }
}

#[tokio::test]
async fn a_form_submitted_offline_is_submitted_once() {
    within(60, "a form submitted offline", async {
        let router = LiveRouter::with_config(config())
            .page::<Book>("/")
            .into_router();
        let server = TestServer::start(router).await;
        let proxy = Proxy::start(server.addr).await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&proxy.url("/")).await;
        page.wait_connected().await;
        cut(&mut page, &proxy).await;
        // Submitted, and submitted again while it waits.
        page.click("#send").await;
        page.click("#send").await;
        page.press("Enter", false).await;
        assert_eq!(
            page.eval("document.getElementById('book').classList.contains('lv-pending')")
                .await,
            true
        );
        proxy.set(Mode::Open);
        page.wait_connected().await;
        page.wait_for("document.getElementById('n').textContent === '1'")
            .await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(
            page.eval("document.getElementById('n').textContent").await,
            "1"
        );
        assert_eq!(
            page.eval("document.querySelectorAll('.lv-pending').length")
                .await,
            0
        );
        // Online, the form submits again.
        page.click("#send").await;
        page.wait_for("document.getElementById('n').textContent === '2'")
            .await;
    })
    .await;
}

#[tokio::test]
async fn a_page_open_past_its_tokens_lifetime_still_resumes() {
    within(60, "a page older than its token", async {
        // Tokens live 4 s (in whole seconds), and are renewed past a quarter of that.
        let (server, proxy) = counter(config().with_token_max_age(Duration::from_secs(4))).await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&proxy.url("/")).await;
        page.wait_connected().await;
        page.eval("window.sameDocument = true").await;
        let first = page.eval("window.liveSocket.token").await;
        page.click(INC).await;
        count_is(&mut page, 1).await;
        tokio::time::sleep(Duration::from_millis(2200)).await;
        // A rejoin with a token past a quarter of its life gets a fresh one.
        page.eval("window.liveSocket.ws.close()").await;
        page.wait_connected().await;
        page.wait_for(&format!("window.liveSocket.token !== {first}"))
            .await;
        // Past the first token's expiry (5 s after it), a rejoin resumes the same page: no
        // reload, same count.
        tokio::time::sleep(Duration::from_millis(2800)).await;
        page.eval("window.liveSocket.ws.close()").await;
        page.wait_for("document.getElementById('lv-root').classList.contains('lv-loading')")
            .await;
        page.wait_connected().await;
        page.click(INC).await;
        count_is(&mut page, 2).await;
        assert_eq!(page.eval("window.sameDocument === true").await, true);
        // The first token is indeed refused by now.
        let mut old = server.socket().await;
        let first = first.as_str().unwrap_or_default();
        assert_eq!(json(&old.join(first, 1).await)[2], "expired_token");
    })
    .await;
}

/// The sessions signed in now, by the `sid` cookie's value.
type Signed = Arc<Mutex<HashSet<String>>>;

struct Desk;

impl LiveView for Desk {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Desk)
    }

    fn render(&self) -> impl IntoView {
        view! { <h1 id="page">"desk"</h1> }
    }
}

struct Login;

impl LiveView for Login {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Login)
    }

    fn render(&self) -> impl IntoView {
        let f = flash();
        view! {
            <h1 id="page">"login"</h1>
            <p id="flash">{f.get(FlashKind::Info).map(str::to_string)}</p>
        }
    }
}

fn desk_app(signed: Signed) -> axum::Router {
    let desk = LiveSession::new("desk")
        .on_mount(move |m: Mounting| {
            let signed = signed.clone();
            async move {
                let sid = m.session.get("sid").and_then(|v| v.as_str()).unwrap_or("");
                if signed.lock().map(|s| s.contains(sid)).unwrap_or(false) {
                    Ok(m)
                } else {
                    Err(Halt::redirect("/login")
                        .with_flash(FlashKind::Info, "Your session ended; sign in again."))
                }
            }
        })
        .page::<Desk>("/");
    LiveRouter::with_config(config())
        .session(leptos_live_tests::sid_session)
        .live_session(desk)
        .page::<Login>("/login")
        .into_router()
}

#[tokio::test]
async fn a_page_whose_session_ended_goes_to_the_checks_redirect_with_its_flash() {
    within(60, "a session that ended", async {
        let signed: Signed = Arc::default();
        signed.lock().expect("lock").insert("s1".into());
        let server = TestServer::start(desk_app(signed.clone())).await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/login")).await;
        page.eval("document.cookie = 'sid=s1; path=/'").await;
        page.goto(&server.url("/")).await;
        page.wait_connected().await;
        assert_eq!(page.eval("document.getElementById('page').textContent").await, "desk");
        // A logout elsewhere ends the session; the page learns it when it rejoins.
        signed.lock().expect("lock").clear();
        page.eval("window.liveSocket.ws.close()").await;
        page.wait_for("location.pathname === '/login'").await;
        page.wait_for(
            "document.getElementById('flash') && document.getElementById('flash').textContent === 'Your session ended; sign in again.'",
        )
        .await;
    })
    .await;
}
