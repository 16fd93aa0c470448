//! Hooks and server pushes in Chromium: mounted, updated, destroyed, pushEvent with the server's
//! reply, handleEvent for `ctx.push_event`, and the window's `lv:<name>` event.

use leptos::prelude::*;
use leptos_live::{Ctx, LiveConfig, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
use leptos_live_tests::browser::Browser;
use leptos_live_tests::{TestServer, within};

struct Hooked {
    count: i64,
    shown: bool,
}

impl LiveView for Hooked {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Hooked {
            count: 0,
            shown: true,
        })
    }

    async fn handle_event(&mut self, raw: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        let (event, payload) = (raw.name.as_str(), raw.payload);
        match event {
            "ping" => {
                let n: i64 = payload.parse("n")?;
                self.count += n;
                ctx.reply(serde_json::json!({ "total": self.count }));
                ctx.push_event("pong", serde_json::json!({ "seen": n }));
            }
            "hide" => self.shown = false,
            other => return Err(LiveError::UnknownEvent(other.into())),
        }
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let (count, shown) = (self.count, self.shown);
        view! {
            {shown.then(|| view! { <div id="h" lv-hook="Echo">{count}</div> })}
            <button id="hide" lv-click="hide">"hide"</button>
        }
    }
}

/// The hooks, defined before the shim loads (a classic script runs before module scripts).
const HOOKS: &str = r#"<script>
window.lvHooks = {
  Echo: {
    mounted() {
      document.body.dataset.mounted = "1";
      this.handleEvent("pong", (p) => (document.body.dataset.pong = JSON.stringify(p)));
      this.pushEvent("ping", { n: 2 }).then((r) => (document.body.dataset.reply = JSON.stringify(r)));
    },
    beforeUpdate() { document.body.dataset.before = String(+(document.body.dataset.before || 0) + 1); },
    updated() {
      document.body.dataset.updated = String(+(document.body.dataset.updated || 0) + 1);
      this.js().addClass(this.el, "touched");
    },
    disconnected() { document.body.dataset.disconnected = "1"; },
    reconnected() { document.body.dataset.reconnected = "1"; },
    destroyed() { document.body.dataset.destroyed = "1"; },
  },
};
addEventListener("lv:pong", (e) => (document.body.dataset.windowPong = JSON.stringify(e.detail)));
</script>"#;

#[tokio::test]
async fn hooks_and_pushes_work_in_chromium() {
    within(60, "hooks", async {
        let config =
            LiveConfig::default().with_secret(b"hooks-test-secret-hooks-test-secret".to_vec());
        let router = LiveRouter::with_config(config)
            .head(HOOKS)
            .page::<Hooked>("/");
        let server = TestServer::start(router.into_router()).await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_for("document.body.dataset.reply").await;
        assert_eq!(page.eval("document.body.dataset.mounted").await, "1");
        assert_eq!(
            page.eval("document.body.dataset.reply").await,
            r#"{"total":2}"#
        );
        page.wait_for("document.body.dataset.pong").await;
        assert_eq!(
            page.eval("document.body.dataset.pong").await,
            r#"{"seen":2}"#
        );
        assert_eq!(
            page.eval("document.body.dataset.windowPong").await,
            r#"{"seen":2}"#
        );
        // The reply's patch changed the hook's element: updated ran.
        page.wait_for("document.getElementById('h').textContent === '2'")
            .await;
        page.wait_for("+document.body.dataset.updated >= 1").await;
        assert_eq!(page.eval("+document.body.dataset.before >= 1").await, true);
        assert_eq!(
            page.eval("document.getElementById('h').classList.contains('touched')")
                .await,
            true
        );
        // disconnected and reconnected around a dropped socket.
        page.eval("window.liveSocket.ws.close()").await;
        page.wait_for("document.body.dataset.disconnected === '1'")
            .await;
        page.wait_for("document.body.dataset.reconnected === '1'")
            .await;
        // The element leaves the DOM: destroyed runs.
        page.click("#hide").await;
        page.wait_for("document.body.dataset.destroyed === '1'")
            .await;
    })
    .await;
}
