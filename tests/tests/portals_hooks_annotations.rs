//! Client features in Chromium: debug annotations (`LiveConfig::debug_annotations`, on and off).

use leptos::prelude::*;
use leptos_live::{
    ComponentMount, Ctx, LiveComponent, LiveConfig, LiveError, LiveRouter, LiveView, Params,
    RawEvent, Session, live_component,
};
use leptos_live_tests::browser::Browser;
use leptos_live_tests::{TestServer, within};

fn config() -> LiveConfig {
    LiveConfig::default().with_secret(b"portals-test-secret-portals-test-secret".to_vec())
}

// --- debug annotations --------------------------------------------------------------------

struct Badge {
    clicks: i64,
}

impl LiveComponent for Badge {
    type Page = Annotated;
    type Props = ();
    type Event = RawEvent;

    fn mount(_: &(), _: &mut ComponentMount<'_>) -> Self {
        Badge { clicks: 0 }
    }

    fn update(&mut self, _: ()) {}

    async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Annotated>) -> Result<(), LiveError> {
        self.clicks += 1;
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! { <button id="badge" lv-click="click" lv-target="">{self.clicks}</button> }
    }
}

struct Annotated;

impl LiveView for Annotated {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Annotated)
    }

    fn render(&self) -> impl IntoView {
        view! {
            <main id="main">
                <h1>"Annotated"</h1>
                {live_component::<Badge>("badge", ())}
            </main>
        }
    }
}

#[tokio::test]
async fn debug_annotations_mark_views_and_components_only_when_asked() {
    within(90, "debug annotations", async {
        let on = TestServer::start(
            LiveRouter::with_config(config().with_debug_annotations(true))
                .page::<Annotated>("/")
                .into_router(),
        )
        .await;
        let off = TestServer::start(
            LiveRouter::with_config(config())
                .page::<Annotated>("/")
                .into_router(),
        )
        .await;
        let (_, plain) = off.get("/").await;
        assert!(!plain.contains("data-lv-"), "{plain}");
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&on.url("/")).await;
        page.wait_connected().await;
        let attr = |sel: &str, name: &str| format!("document.querySelector('{sel}').getAttribute('{name}')");
        assert_eq!(
            page.eval(&attr("#main", "data-lv-view")).await,
            "portals_hooks_annotations::Annotated"
        );
        assert_eq!(
            page.eval(&attr("#badge", "data-lv-component")).await,
            "portals_hooks_annotations::Badge"
        );
        let src = page.eval(&attr("#badge", "data-lv-src")).await;
        let src = src.as_str().unwrap_or_default().to_string();
        assert!(
            src.starts_with("tests/tests/portals_hooks_annotations.rs:"),
            "{src}"
        );
        // The component renders alone on its event and keeps its marks; nothing mismatched.
        page.click("#badge").await;
        page.wait_for("document.getElementById('badge').textContent === '1'")
            .await;
        assert_eq!(
            page.eval(&attr("#badge", "data-lv-src")).await,
            src.as_str()
        );
        assert_eq!(page.eval("window.liveSocket.stale").await, false);
        // Off: not a mark, in the browser either.
        let mut page = browser.open(&off.url("/")).await;
        page.wait_connected().await;
        assert_eq!(
            page.eval("document.querySelectorAll('[data-lv-view],[data-lv-component],[data-lv-src]').length")
                .await,
            0
        );
        assert_eq!(
            page.eval("document.getElementById('badge').getAttribute('lv-component')")
                .await,
            "badge"
        );
    })
    .await;
}
