//! Accessibility in Chromium: axe-core audits of the counter and the components gallery (as
//! loaded, with a form's errors and a dropdown open, and with a dialog open), and
//! `aria-current="page"` on the link to the page shown only, in the HTTP render, after a live
//! patch, after a live navigation and after back, and in a component rendered alone.

use leptos::prelude::*;
use leptos_live::testing::LiveTest;
use leptos_live::{
    ComponentMount, Ctx, LiveComponent, LiveConfig, LiveError, LiveRouter, LiveSession, LiveView,
    Mounting, Params, RawEvent, Session, live_component,
};
use leptos_live_components::{Link, LinkKind};
use leptos_live_tests::browser::{Browser, Page};
use leptos_live_tests::{TestServer, axe, within};

async fn counter() -> TestServer {
    let config = LiveConfig::default().with_secret(b"a11y-test-secret-a11y-test-secret".to_vec());
    TestServer::start(demo_counter::app(LiveRouter::with_config(config))).await
}

#[tokio::test]
async fn the_counter_and_the_gallery_pass_axe() {
    within(120, "axe on the counter and the gallery", async {
        let server = counter().await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_connected().await;
        axe::audit(&mut page, "the counter").await;
        page.goto(&server.url("/components")).await;
        page.wait_connected().await;
        axe::audit(&mut page, "the components gallery").await;
        // The form showing every field's errors, the dropdown open, then the dialog open.
        page.click("#signup-submit").await;
        page.wait_for("document.getElementById('name-errors')")
            .await;
        page.click("#sort-button").await;
        page.wait_for("getComputedStyle(document.getElementById('sort-menu')).display !== 'none'")
            .await;
        axe::audit(
            &mut page,
            "the gallery's form with errors and open dropdown",
        )
        .await;
        page.click("#open-modal").await;
        page.wait_for("getComputedStyle(document.getElementById('confirm')).display !== 'none'")
            .await;
        axe::audit(&mut page, "the gallery's open dialog").await;
    })
    .await;
}

/// A page with links to itself under other queries.
struct Shown(&'static str);

impl LiveView for Shown {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Shown("page"))
    }

    fn render(&self) -> impl IntoView {
        view! {
            <h1 id="heading">{self.0}</h1>
            <Link to="/a" kind=LinkKind::Patch>"All"</Link>
            <Link to="/a?tab=x" kind=LinkKind::Patch>"Tab x"</Link>
        }
    }
}

fn app() -> axum::Router {
    let site = LiveSession::new("site")
        .layout(|page: AnyView, _: &Mounting| {
            view! {
                <nav aria-label="Site">
                    <Link to="/a">"A"</Link>
                    <Link to="/a?tab=x">"A, tab x"</Link>
                    <Link to="/b">"B"</Link>
                </nav>
                <main>{page}</main>
            }
            .into_any()
        })
        .page::<Shown>("/a")
        .page::<Shown>("/b");
    LiveRouter::with_config(LiveConfig::default().with_secret(b"aria-current test secret".to_vec()))
        .live_session(site)
        .into_router()
}

/// The hrefs of the links marked `aria-current`, each with its value, in document order.
async fn current(page: &mut Page<'_>) -> String {
    page.eval(
        "[...document.querySelectorAll('[aria-current]')].map((a) => a.getAttribute('href') + '=' + a.getAttribute('aria-current')).join(' ')",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

#[tokio::test]
async fn aria_current_marks_the_link_to_the_page_shown_only() {
    let server = TestServer::start(app()).await;
    within(60, "aria-current", async {
        // The HTTP render, before any script: the layout's link and the page's.
        let (status, html) = server.get("/a?tab=x").await;
        assert_eq!(status, 200);
        assert_eq!(html.matches("aria-current=\"page\"").count(), 2, "{html}");
        assert!(html.contains(r#"href="/a?tab=x" aria-current="page""#), "{html}");

        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/a")).await;
        page.wait_connected().await;
        assert_eq!(current(&mut page).await, "/a=page /a=page");
        // A live patch: the page's links come from the server, the layout's from the shim.
        page.click("main a[href='/a?tab=x']").await;
        page.wait_for("location.search === '?tab=x'").await;
        page.wait_for("document.querySelectorAll('[aria-current]').length === 2 && document.querySelector('main [aria-current]').getAttribute('href') === '/a?tab=x'").await;
        assert_eq!(current(&mut page).await, "/a?tab=x=page /a?tab=x=page");
        // A live navigation: the layout stays, its mark moves.
        page.click("nav a[href='/b']").await;
        page.wait_for("location.pathname === '/b'").await;
        page.wait_for("document.querySelectorAll('[aria-current]').length === 1").await;
        assert_eq!(current(&mut page).await, "/b=page");
        // Back to the patched URL.
        page.eval("history.back()").await;
        page.wait_for("location.search === '?tab=x' && document.querySelectorAll('[aria-current]').length === 2").await;
        assert_eq!(current(&mut page).await, "/a?tab=x=page /a?tab=x=page");
    })
    .await;
}

/// A part of the page with links and a counter of its own.
struct Menu(u32);

impl LiveComponent for Menu {
    type Page = WithMenu;
    type Props = ();
    type Event = RawEvent;

    fn mount(_: &(), _: &mut ComponentMount<'_>) -> Self {
        Menu(0)
    }

    fn update(&mut self, _: ()) {}

    async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<WithMenu>) -> Result<(), LiveError> {
        self.0 += 1;
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! {
            <nav>
                <Link to="/">"Home"</Link>
                <Link to="/other">"Other"</Link>
                <button lv-click="inc" lv-target="">{self.0}</button>
            </nav>
        }
    }
}

struct WithMenu;

impl LiveView for WithMenu {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(WithMenu)
    }

    fn render(&self) -> impl IntoView {
        live_component::<Menu>("menu", ())
    }
}

#[tokio::test]
async fn a_component_rendered_alone_keeps_the_mark() {
    let mut page = LiveTest::<WithMenu>::mount(Params::default(), Session::default())
        .await
        .expect("mount");
    let marked = r#"href="/" aria-current="page""#;
    assert!(page.html().contains(marked), "{}", page.html());
    let renders = page.component_renders();
    page.event_to("menu", "inc", serde_json::json!({}))
        .await
        .expect("inc");
    assert_eq!(page.component_renders(), renders + 1);
    assert!(page.html().contains(">1</button>"), "{}", page.html());
    assert!(
        page.server_html().contains(marked),
        "{}",
        page.server_html()
    );
    assert_eq!(
        page.html().matches("aria-current").count(),
        1,
        "{}",
        page.html()
    );
}
