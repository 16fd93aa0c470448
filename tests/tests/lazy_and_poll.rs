//! Lazy components and `lv-poll`, in Chromium: a component below the fold is a placeholder, not
//! even mounted, until it is scrolled into view; one marked to come after connect arrives right
//! after the join; and an `lv-poll` element ticks while the tab is shown, stops while it is
//! hidden, and catches up with one tick, not one per missed interval, when it shows again.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use leptos::prelude::*;
use leptos_live::component::{Reveal, lazy_component};
use leptos_live::{
    ComponentMount, Ctx, LiveComponent, LiveConfig, LiveError, LiveRouter, LiveView, Params,
    RawEvent, Session,
};
use leptos_live_tests::browser::{Browser, Page};
use leptos_live_tests::{TestServer, within};
use serde_json::json;

/// How many times each lazy component was mounted.
static BELOW_MOUNTS: AtomicUsize = AtomicUsize::new(0);
static EAGER_MOUNTS: AtomicUsize = AtomicUsize::new(0);
/// The tests mount the same components: one at a time, so that the counts are theirs.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct Below;
impl LiveComponent for Below {
    type Page = Lazy;
    type Props = ();
    type Event = RawEvent;
    fn mount(_: &(), _: &mut ComponentMount<'_>) -> Self {
        BELOW_MOUNTS.fetch_add(1, Ordering::SeqCst);
        Below
    }
    fn update(&mut self, _: ()) {}
    async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Lazy>) -> Result<(), LiveError> {
        Ok(())
    }
    fn render(&self) -> impl IntoView {
        view! { <section id="below">"the part below the fold"</section> }
    }
}

struct Eager;
impl LiveComponent for Eager {
    type Page = Lazy;
    type Props = u32;
    type Event = RawEvent;
    fn mount(_: &u32, _: &mut ComponentMount<'_>) -> Self {
        EAGER_MOUNTS.fetch_add(1, Ordering::SeqCst);
        Eager
    }
    fn update(&mut self, _: u32) {}
    async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Lazy>) -> Result<(), LiveError> {
        Ok(())
    }
    fn render(&self) -> impl IntoView {
        view! { <aside id="eager">"after connect"</aside> }
    }
}

struct Lazy {
    ticks: u32,
    /// Whether the page renders its part below the fold at all.
    below: bool,
}

impl LiveView for Lazy {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Lazy {
            ticks: 0,
            below: true,
        })
    }

    async fn handle_event(&mut self, raw: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        match raw.name.as_str() {
            "tick" => self.ticks += 1,
            "toggle" => self.below = !self.below,
            other => return Err(LiveError::UnknownEvent(other.into())),
        }
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! {
            <p id="ticks" lv-poll="tick" lv-poll-every="150">{self.ticks}</p>
            {lazy_component::<Eager>("eager", 1, Reveal::Connected, view! { <i id="eager-wait">"…"</i> })}
            <div style="height: 4000px">"spacer"</div>
            {self.below.then(|| lazy_component::<Below>("below", (), Reveal::Visible, view! { <i id="below-wait">"loading"</i> }))}
        }
    }
}

async fn ticks(page: &mut Page<'_>) -> u64 {
    page.eval("+document.getElementById('ticks').textContent")
        .await
        .as_u64()
        .expect("a number")
}

/// What the browser does when the tab goes to the background or comes back: `document.hidden`
/// and `visibilityState` change, and `visibilitychange` fires. (Headless Chromium keeps every
/// tab visible, so the test sets them as a tab switch would.)
fn set_hidden(hidden: bool) -> String {
    let state = if hidden { "hidden" } else { "visible" };
    format!(
        "Object.defineProperty(document, 'hidden', {{ configurable: true, get: () => {hidden} }});
         Object.defineProperty(document, 'visibilityState', {{ configurable: true, get: () => '{state}' }});
         document.dispatchEvent(new Event('visibilitychange'))"
    )
}

#[tokio::test]
async fn a_reveal_needs_its_placeholder_and_a_part_left_out_is_lazy_again() {
    use leptos_live::component::REVEAL;
    use leptos_live::testing::LiveTest;
    let _alone = ONE_AT_A_TIME.lock().await;
    let mut page = LiveTest::<Lazy>::mount(Params::default(), Session::default())
        .await
        .expect("mount");
    // A reveal of an id the page shows no placeholder for changes nothing.
    page.event(REVEAL, json!({ "id": "nothing-here" }))
        .await
        .expect("ok");
    page.event(REVEAL, json!({})).await.expect("ok");
    assert!(page.has("#below-wait") && page.has("#eager-wait"));
    page.trigger("[lv-lazy=eager]", "lv-mounted")
        .await
        .expect("revealed");
    assert!(page.has("#eager") && !page.has("#eager-wait"));
    page.trigger("[lv-lazy=below]", "lv-viewport-top")
        .await
        .expect("revealed");
    assert!(page.has("#below") && !page.has("#below-wait"));
    // Left out of a render, and back: a placeholder again, until revealed again.
    page.event("toggle", json!({})).await.expect("ok");
    assert!(!page.has("#below") && !page.has("#below-wait"));
    page.event("toggle", json!({})).await.expect("ok");
    assert!(page.has("#below-wait") && !page.has("#below"));
    assert!(page.has("#eager"), "the other part stays");
    page.trigger("#ticks", "lv-poll").await.expect("a tick");
    assert_eq!(page.text("#ticks").as_deref(), Some("1"));
}

#[tokio::test]
async fn lazy_parts_come_when_revealed_and_polls_pause_while_hidden() {
    let _alone = ONE_AT_A_TIME.lock().await;
    BELOW_MOUNTS.store(0, Ordering::SeqCst);
    EAGER_MOUNTS.store(0, Ordering::SeqCst);
    let config = LiveConfig::default().with_secret(b"lazy-and-poll-secret-lazy-and-pol".to_vec());
    let server = TestServer::start(
        LiveRouter::with_config(config)
            .page::<Lazy>("/")
            .into_router(),
    )
    .await;
    // The HTTP render has both placeholders and mounts neither component.
    let (_, html) = server.get("/").await;
    assert!(
        html.contains("below-wait") && html.contains("eager-wait"),
        "{html}"
    );
    assert!(!html.contains("<section"), "{html}");
    let mut browser = Browser::launch().await;
    let mut page = browser.open(&server.url("/")).await;
    within(30, "lazy parts and polling in Chromium", async {
        page.wait_connected().await;
        // Right after connect: the eager part, mounted once.
        page.wait_for("document.getElementById('eager') && !document.getElementById('eager-wait')")
            .await;
        assert_eq!(EAGER_MOUNTS.load(Ordering::SeqCst), 1);
        // Below the fold: still waiting, not mounted.
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(
            page.eval(
                "!!document.getElementById('below-wait') && !document.getElementById('below')"
            )
            .await,
            json!(true)
        );
        assert_eq!(
            BELOW_MOUNTS.load(Ordering::SeqCst),
            0,
            "not mounted before it is seen"
        );
        page.eval("window.scrollTo(0, document.body.scrollHeight)")
            .await;
        page.wait_for(
            "document.getElementById('below')?.textContent === 'the part below the fold'",
        )
        .await;
        assert_eq!(BELOW_MOUNTS.load(Ordering::SeqCst), 1);

        // Polling: it ticks while shown.
        page.wait_for("+document.getElementById('ticks').textContent >= 3")
            .await;
        // Hidden: no tick for a second (six intervals).
        page.eval(&set_hidden(true)).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let hidden_at = ticks(&mut page).await;
        tokio::time::sleep(Duration::from_millis(1000)).await;
        assert_eq!(ticks(&mut page).await, hidden_at, "no tick while hidden");
        // Shown again: one tick at once for what was missed, then ticking on.
        page.eval(&set_hidden(false)).await;
        page.wait_for(&format!(
            "+document.getElementById('ticks').textContent > {hidden_at}"
        ))
        .await;
        let caught_up = ticks(&mut page).await;
        assert!(
            caught_up <= hidden_at + 2,
            "one catch-up tick, not one per missed interval: {hidden_at} → {caught_up}"
        );
        page.wait_for(&format!(
            "+document.getElementById('ticks').textContent >= {}",
            hidden_at + 4
        ))
        .await;
    })
    .await;
}
