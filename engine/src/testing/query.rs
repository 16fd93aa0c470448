//! Reading the page as the user sees it: text, attributes, visibility and focus found by CSS
//! selectors, the URL, the title, where the page sent the browser and what it pushed.

use serde_json::Value;

use crate::ctx::Nav;
use crate::error::LiveError;
use crate::page::task::MountError;
use crate::server::router::LiveRouter;
use crate::view::LiveView;

use super::LiveTest;
use super::act::squash;

impl<V: LiveView> LiveTest<V> {
    /// The text of the first element `selector` matches, its whitespace collapsed; `None`
    /// when nothing matches.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// assert_eq!(page.text("li.item").as_deref(), Some("milk"));
    /// assert_eq!(page.text("h1"), None);
    /// # });
    /// ```
    pub fn text(&self, selector: &str) -> Option<String> {
        self.client
            .select(selector)
            .first()
            .map(|&e| squash(&self.client.dom.text(e)))
    }

    /// The texts of every element `selector` matches, whitespace collapsed.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// page.send("bread".into());
    /// page.drain_info().await.unwrap();
    /// assert_eq!(page.texts("li.item"), ["milk", "bread"]);
    /// # });
    /// ```
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let dom = &self.client.dom;
        self.client
            .select(selector)
            .into_iter()
            .map(|e| squash(&dom.text(e)))
            .collect()
    }

    /// Whether some element matches `selector`.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// assert!(page.has("form#add input[name=title]"));
    /// assert!(!page.has(".error"));
    /// # });
    /// ```
    pub fn has(&self, selector: &str) -> bool {
        !self.client.select(selector).is_empty()
    }

    /// Whether some element matching `selector` contains `text`.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// assert!(page.has_text("li.item", "mil"));
    /// assert!(!page.has_text("li.item", "eggs"));
    /// # });
    /// ```
    pub fn has_text(&self, selector: &str, text: &str) -> bool {
        self.find(selector, Some(text)).is_ok()
    }

    /// How many elements match `selector`.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// assert_eq!(page.count("li.item"), 1);
    /// assert_eq!(page.count("button"), 2);
    /// # });
    /// ```
    pub fn count(&self, selector: &str) -> usize {
        self.client.select(selector).len()
    }

    /// The attribute `name` of the first element `selector` matches, JS commands' changes
    /// included.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// assert_eq!(page.attr("#add", "lv-submit").as_deref(), Some("add"));
    /// assert_eq!(page.attr("#add", "action"), None);
    /// # });
    /// ```
    pub fn attr(&self, selector: &str, name: &str) -> Option<String> {
        let el = *self.client.select(selector).first()?;
        self.client.dom.attr(el, name).map(str::to_string)
    }

    /// Whether the first element `selector` matches is displayed: neither it nor an ancestor
    /// has an inline `display: none` (as `hide` sets), or, without an inline display, the
    /// `hidden` attribute or class. False when nothing matches.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// assert!(!page.visible("#menu"));                    // display: none
    /// page.click("#menu-button").await.unwrap();
    /// assert!(page.visible("#menu"));
    /// # });
    /// ```
    pub fn visible(&self, selector: &str) -> bool {
        self.client
            .select(selector)
            .first()
            .is_some_and(|&e| self.client.dom.visible(e))
    }

    /// Whether the element that has focus (moved by the `focus`, `focus_first` and
    /// `pop_focus` commands) matches `selector`.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// page.click("#menu-button").await.unwrap();         // JS: show, then focus the link
    /// assert!(page.focused("#menu a"));
    /// # });
    /// ```
    pub fn focused(&self, selector: &str) -> bool {
        self.client
            .focused()
            .is_some_and(|f| self.client.select(selector).contains(&f))
    }

    /// The page's HTML as the browser has it from the server (stream items included; what JS
    /// commands changed is not).
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// assert!(page.html().contains(r#"<li class="item">milk</li>"#));
    /// # });
    /// ```
    pub fn html(&self) -> String {
        self.client.html()
    }

    /// What the server keeps of the page: its last render as sent (stream items leave it once
    /// sent).
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// page.click("#menu-button").await.unwrap();
    /// // The browser's copy has the menu shown by JS; the server's last render does not know.
    /// assert!(page.server_html().contains(r#"<nav id="menu""#));
    /// assert_ne!(page.html(), page.server_html());
    /// # });
    /// ```
    pub fn server_html(&self) -> String {
        self.core.sent.html().to_string()
    }

    /// The URL the browser shows: where the page was mounted, or its last patch.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// assert_eq!(page.url(), "/");
    /// # });
    /// ```
    pub fn url(&self) -> &str {
        &self.client.url
    }

    /// The document title the page last set ([`crate::Ctx::page_title`]).
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// assert_eq!(page.title(), None);
    /// page.event("done", json!({})).await.unwrap();
    /// assert_eq!(page.title(), Some("All done"));
    /// # });
    /// ```
    pub fn title(&self) -> Option<&str> {
        self.client.title.as_deref()
    }

    /// Where the page sent the browser away to ([`crate::Ctx::push_navigate`], [`crate::Ctx::redirect`], an
    /// `lv-navigate` link, or a plain link as [`Nav::Redirect`]), not yet followed.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// use leptos_live::ctx::Nav;
    /// assert!(page.navigated().is_none());
    /// page.event("leave", json!({})).await.unwrap();
    /// assert_eq!(page.navigated(), Some(&Nav::Navigate { to: "/done".into(), replace: false }));
    /// # });
    /// ```
    pub fn navigated(&self) -> Option<&Nav> {
        self.client.nav.as_ref().map(|(n, _)| n)
    }

    /// Follows the navigation the page asked for to the page `W` that `router` serves there,
    /// with the flash it carries, as the browser would; the new page's test comes back.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// let router = LiveRouter::new().page::<Todos>("/").page::<AllDone>("/done");
    /// let mut page = LiveTest::<Todos>::get(&router, "/", Session::default()).await.unwrap();
    /// page.click("#menu-button").await.unwrap();
    /// page.click("#menu a").await.unwrap();               // an lv-navigate link: kept for follow
    /// let done = page.follow::<AllDone>(&router).await.unwrap();
    /// assert_eq!(done.text("h1").as_deref(), Some("Done"));
    /// # });
    /// ```
    pub async fn follow<W: LiveView>(
        &mut self,
        router: &LiveRouter,
    ) -> Result<LiveTest<W>, MountError> {
        let Some((nav, sealed)) = self.client.nav.take() else {
            return Err(LiveError::msg("the page did not navigate").into());
        };
        if let Nav::Redirect { external: true, to } = &nav {
            return Err(LiveError::msg(format!("{to:?} is on another site")).into());
        }
        let secret = router.services().secret;
        let flash = sealed
            .and_then(|s| crate::flash::unseal(&s, &secret, crate::wire::ids::now_secs()))
            .unwrap_or_default();
        LiveTest::<W>::get_with(router, nav.to(), self.session.clone(), flash).await
    }

    /// The events the page pushed ([`crate::Ctx::push_event`]) since the last call, in order.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// page.event("done", json!({})).await.unwrap();
    /// assert_eq!(page.take_events(), [("confetti".to_string(), json!({ "items": 1 }))]);
    /// assert!(page.take_events().is_empty());
    /// # });
    /// ```
    pub fn take_events(&mut self) -> Vec<(String, Value)> {
        std::mem::take(&mut self.client.events)
    }

    /// The last reply the page gave an event ([`crate::Ctx::reply`]), taken.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// page.event("done", json!({})).await.unwrap();
    /// assert_eq!(page.take_reply(), Some(json!(1)));
    /// assert_eq!(page.take_reply(), None);
    /// # });
    /// ```
    pub fn take_reply(&mut self) -> Option<Value> {
        self.client.reply.take()
    }

    /// How many times the page's components have rendered: a component renders only when its
    /// props changed or it handled an event.
    ///
    /// ```
    /// # use leptos_live::{Params, Session};
    /// use leptos_live::testing::LiveTest;
    /// use leptos_live::testing::examples::Review;   // a page with a component "stars" that counts its events
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = LiveTest::<Review>::mount(Params::default(), Session::default()).await.unwrap();
    /// let before = page.component_renders();
    /// page.event_to("stars", "star", serde_json::json!({})).await.unwrap();
    /// assert_eq!(page.component_renders(), before + 1);   // the component alone
    /// # });
    /// ```
    pub fn component_renders(&self) -> u64 {
        self.core.ctx.component_renders()
    }
}
