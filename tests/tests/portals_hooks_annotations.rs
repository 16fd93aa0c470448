//! Three client features in Chromium: portals (`<template lv-portal>` content shown elsewhere,
//! still patched and bound), colocated hooks (`LiveRouter::hook`, a module loaded on demand
//! under a strict CSP), and debug annotations (`LiveConfig::debug_annotations`, on and off):
//! each element of a template written with `leptos_live::view!` carries its file and line.

use leptos::prelude::*;
// The engine's view!: each element of a template carries its line when annotations are on.
use leptos_live::view;
use leptos_live::{
    ComponentMount, Ctx, LiveComponent, LiveConfig, LiveError, LiveRouter, LiveView, Params,
    RawEvent, Session, live_component,
};
use leptos_live_components::Portal;
use leptos_live_tests::browser::Browser;
use leptos_live_tests::{TestServer, within};

fn config() -> LiveConfig {
    LiveConfig::default().with_secret(b"portals-test-secret-portals-test-secret".to_vec())
}

// --- portals ------------------------------------------------------------------------------

/// A toast with a count of its own, shown through a portal (the components crate's `Portal`)
/// from inside a component.
struct Toast {
    bumps: i64,
}

impl LiveComponent for Toast {
    type Page = Dialogs;
    type Props = ();
    type Event = RawEvent;

    fn mount(_: &(), _: &mut ComponentMount<'_>) -> Self {
        Toast { bumps: 0 }
    }

    fn update(&mut self, _: ()) {}

    async fn handle_event(&mut self, raw: RawEvent, _: &mut Ctx<Dialogs>) -> Result<(), LiveError> {
        match raw.name.as_str() {
            "bump" => self.bumps += 1,
            other => return Err(LiveError::UnknownEvent(other.into())),
        }
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let bumps = self.bumps;
        view! {
            <div class="toast-host">
                <Portal>
                    <p id="toast">
                        <span id="bumps">{bumps}</span>
                        <button id="bump" lv-click="bump" lv-target="">"bump"</button>
                    </p>
                </Portal>
            </div>
        }
    }
}

struct Dialogs {
    count: i64,
    open: bool,
}

impl LiveView for Dialogs {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Dialogs {
            count: 0,
            open: true,
        })
    }

    async fn handle_event(&mut self, raw: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        match raw.name.as_str() {
            "inc" => self.count += 1,
            "close" => self.open = false,
            "open" => self.open = true,
            other => return Err(LiveError::UnknownEvent(other.into())),
        }
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let count = self.count;
        let dialog = self.open.then(|| {
            view! {
                <template lv-portal="body">
                    <div id="dialog" style="position: fixed; top: 200px; left: 400px; background: white">
                        <p id="count">{count}</p>
                        <div id="probe" lv-hook="Probe">{count}</div>
                        <input id="field" name="field" />
                        <button id="inc" lv-click="inc">"+"</button>
                        <button id="close" lv-click="close">"close"</button>
                    </div>
                </template>
            }
        });
        view! {
            // The portal's content escapes this box: without the portal it would be clipped
            // away (and a template's content is not shown at all).
            <div id="clip" style="overflow: hidden; height: 0; position: relative">{dialog}</div>
            <p id="outer">{count}</p>
            <button id="open" lv-click="open">"open"</button>
            {live_component::<Toast>("toast", ())}
        }
    }
}

/// A hook of the page's, defined before the shim loads.
const PROBE: &str = r#"<script>
window.lvHooks = {
  Probe: {
    mounted() { document.body.dataset.mounted = this.el.textContent; },
    updated() { document.body.dataset.updated = this.el.textContent; },
    destroyed() { document.body.dataset.destroyed = "1"; },
  },
};
</script>"#;

#[tokio::test]
async fn a_portal_shows_its_content_elsewhere_and_keeps_it_live() {
    within(90, "portals", async {
        let router = LiveRouter::with_config(config())
            .head(PROBE)
            .page::<Dialogs>("/");
        let server = TestServer::start(router.into_router()).await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_connected().await;
        // The content is at the body's level, in a div of its own, out of the clipping box;
        // the template in the page keeps no copy.
        assert_eq!(
            page.eval("document.getElementById('dialog').parentElement.parentElement === document.body")
                .await,
            true
        );
        assert_eq!(
            page.eval("document.getElementById('lv-root').contains(document.getElementById('dialog'))")
                .await,
            false
        );
        assert_eq!(
            page.eval("document.querySelector('#clip template').content.childNodes.length")
                .await,
            0
        );
        assert_eq!(
            page.eval("document.getElementById('dialog').getBoundingClientRect().height > 0")
                .await,
            true
        );
        page.wait_for("document.body.dataset.mounted === '0'").await;
        // Typing in the portal, then a patch of the portal's content: the click (a real one,
        // on the content where the portal shows it) reaches the page, whose patch lands in the
        // portal; the field keeps its value and the focus comes back to it.
        page.click("#field").await;
        page.type_text("abc").await;
        page.click("#inc").await;
        page.wait_for("document.getElementById('count').textContent === '1'")
            .await;
        assert_eq!(page.eval("document.getElementById('outer').textContent").await, "1");
        page.wait_for("document.body.dataset.updated === '1'").await;
        assert_eq!(page.eval("document.getElementById('field').value").await, "abc");
        page.eval("document.getElementById('field').focus()").await;
        page.eval("document.getElementById('inc').click()").await;
        page.wait_for("document.getElementById('count').textContent === '2'")
            .await;
        assert_eq!(page.eval("document.activeElement.id").await, "field");
        // A portal inside a component: lv-target="" reaches the component.
        assert_eq!(
            page.eval("document.getElementById('toast').parentElement.parentElement === document.body")
                .await,
            true
        );
        assert_eq!(
            page.eval("(() => { const r = document.getElementById('bump').getBoundingClientRect(); return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2).id; })()")
                .await,
            "bump"
        );
        page.click("#bump").await;
        page.wait_for("document.getElementById('bumps').textContent === '1'")
            .await;
        assert_eq!(page.eval("document.getElementById('count').textContent").await, "2");
        // The template leaves the page: its content goes, and the hook inside is destroyed.
        page.click("#close").await;
        page.wait_for("!document.getElementById('dialog')").await;
        page.wait_for("document.body.dataset.destroyed === '1'").await;
        assert_eq!(page.eval("document.body.querySelectorAll(':scope > div').length").await, 2);
        // And comes back.
        page.click("#open").await;
        page.wait_for("document.getElementById('dialog') && document.getElementById('dialog').parentElement.parentElement === document.body")
            .await;
        // Nothing asked for a resync on the way.
        assert_eq!(page.eval("window.liveSocket.stale").await, false);
    })
    .await;
}

// --- colocated hooks ----------------------------------------------------------------------

/// The hook's module, as a file beside the page would hold it (`include_str!("chart.js")`).
const CHART_JS: &str = r#"export default {
  mounted() { document.body.dataset.chart = "mounted:" + this.el.textContent; },
  updated() { document.body.dataset.chart = "updated:" + this.el.textContent; },
  destroyed() { document.body.dataset.chart = "destroyed"; },
};
"#;

/// The chat's policy: scripts from this site only, no inline script, no eval.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'";

struct Charted {
    count: i64,
    shown: bool,
}

impl LiveView for Charted {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Charted {
            count: 0,
            shown: false,
        })
    }

    async fn handle_event(&mut self, raw: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        match raw.name.as_str() {
            "show" => self.shown = true,
            "hide" => self.shown = false,
            "inc" => self.count += 1,
            other => return Err(LiveError::UnknownEvent(other.into())),
        }
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let count = self.count;
        view! {
            {self.shown.then(|| view! { <div id="chart" lv-hook="Chart">{count}</div> })}
            <button id="show" lv-click="show">"show"</button>
            <button id="inc" lv-click="inc">"+"</button>
            <button id="hide" lv-click="hide">"hide"</button>
        }
    }
}

#[tokio::test]
async fn a_colocated_hook_loads_on_demand_under_a_strict_csp() {
    within(90, "colocated hooks", async {
        let router = LiveRouter::with_config(config())
            .hook("Chart", CHART_JS)
            .page::<Charted>("/");
        let app = router
            .into_router()
            .layer(axum::middleware::map_response(
                |mut res: axum::response::Response| async move {
                    res.headers_mut().insert(
                        "content-security-policy",
                        axum::http::HeaderValue::from_static(CSP),
                    );
                    res
                },
            ));
        let server = TestServer::start(app).await;
        let (_, html) = server.get("/").await;
        assert!(html.contains("lv-hooks="), "{html}");
        assert!(!html.contains("export default"), "the hook is not inline");
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.eval("window.violations = 0; document.addEventListener('securitypolicyviolation', () => window.violations++)")
            .await;
        page.wait_connected().await;
        let loaded = "performance.getEntriesByType('resource').some((e) => /\\/live\\/hook-Chart-[0-9a-f]+\\.js$/.test(e.name))";
        // No element names the hook yet: its module is not loaded.
        assert_eq!(page.eval(loaded).await, false);
        page.click("#show").await;
        page.wait_for("document.body.dataset.chart === 'mounted:0'").await;
        assert_eq!(page.eval(loaded).await, true);
        page.click("#inc").await;
        page.wait_for("document.body.dataset.chart === 'updated:1'").await;
        page.click("#hide").await;
        page.wait_for("document.body.dataset.chart === 'destroyed'").await;
        // Shown again: the module is not loaded twice, the hook mounts again.
        page.click("#show").await;
        page.wait_for("document.body.dataset.chart === 'mounted:1'").await;
        assert_eq!(
            page.eval("performance.getEntriesByType('resource').filter((e) => e.name.includes('/live/hook-Chart-')).length")
                .await,
            1
        );
        // Through the one module that collects the app's hooks, loaded once.
        assert_eq!(
            page.eval("performance.getEntriesByType('resource').filter((e) => e.name.includes('/live/leptos-live-hooks-')).length")
                .await,
            1
        );
        assert_eq!(page.eval("window.violations").await, 0);
        // Served as written, at the URL the page names.
        let url = page
            .eval("performance.getEntriesByType('resource').find((e) => e.name.includes('/live/hook-Chart-')).name")
            .await;
        let path = url.as_str().unwrap_or_default().replace(&server.url(""), "");
        let (status, body) = server.get(&path).await;
        assert_eq!(status, 200);
        assert_eq!(body, CHART_JS);
    })
    .await;
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

/// The line of `Annotated`'s template that opens `tag`.
fn line_of(tag: &str) -> usize {
    let source = include_str!("portals_hooks_annotations.rs");
    let start = source
        .find("impl LiveView for Annotated")
        .expect("the page's impl");
    source[..start].lines().count()
        + source[start..]
            .lines()
            .position(|l| l.trim_start().starts_with(tag))
            .expect("the tag")
        + 1
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
        // Every element of the templates, with the file and line that wrote it.
        let at = |line: usize| format!("tests/tests/portals_hooks_annotations.rs:{line}");
        assert_eq!(page.eval(&attr("#main", "data-lv-at")).await, at(line_of("<main")));
        assert_eq!(page.eval(&attr("h1", "data-lv-at")).await, at(line_of("<h1>")));
        let button = page.eval(&attr("#badge", "data-lv-at")).await;
        assert!(
            button.as_str().is_some_and(|b| b.starts_with("tests/tests/portals_hooks_annotations.rs:")),
            "{button}"
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
            page.eval("document.querySelectorAll('[data-lv-view],[data-lv-component],[data-lv-src],[data-lv-at]').length")
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
