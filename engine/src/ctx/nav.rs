//! Where a callback sends the browser: patches, navigations and redirects.

use super::Ctx;
use crate::view::LiveView;
use crate::wire::pushed::Nav;

impl<V: LiveView> Ctx<V> {
    /// Changes the page's URL to `url` (a path and query on this site) without mounting
    /// again: `handle_params` runs with the new params, and the browser adds a history entry.
    /// A URL of another route becomes a [`Ctx::push_navigate`].
    ///
    /// ```
    /// # use leptos_live::{Ctx, LiveView};
    /// # fn f<V: LiveView>(ctx: &mut Ctx<V>) {
    /// ctx.push_patch("/rooms/lobby?tab=members");
    /// # }
    /// ```
    pub fn push_patch(&mut self, url: impl Into<String>) {
        self.set_nav(Nav::Patch {
            to: url.into(),
            replace: false,
        });
    }

    /// Like [`Ctx::push_patch`], replacing the current history entry.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::ctx::Nav;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session};
    ///
    /// struct Search { page: u32 }
    /// impl LiveView for Search {
    ///     type Message = ();
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Search { page: 1 }) }
    ///     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         self.page = p.get("page").and_then(|n| n.parse().ok()).unwrap_or(1);
    ///         Ok(())
    ///     }
    ///     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         match e.name.as_str() {
    ///             "next" => ctx.replace_patch(format!("/?page={}", self.page + 1)),   // no new history entry
    ///             _ => {}
    ///         }
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView { view! { <p>{self.page}</p> } }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Search>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.event("next", serde_json::json!({})).await.unwrap();
    /// assert_eq!((page.url(), page.text("p").as_deref()), ("/?page=2", Some("2")));
    /// # });
    /// ```
    pub fn replace_patch(&mut self, url: impl Into<String>) {
        self.set_nav(Nav::Patch {
            to: url.into(),
            replace: true,
        });
    }

    /// Ends this page and mounts the live page at `url` over the same socket, with no document
    /// load; the flash this page put goes along. A URL outside this page's live session, or
    /// not live at all, is loaded in full instead.
    ///
    /// ```
    /// # use leptos_live::{Ctx, LiveView};
    /// # fn f<V: LiveView>(ctx: &mut Ctx<V>) {
    /// ctx.push_navigate("/rooms/lobby");
    /// # }
    /// ```
    pub fn push_navigate(&mut self, url: impl Into<String>) {
        self.set_nav(Nav::Navigate {
            to: url.into(),
            replace: false,
        });
    }

    /// Like [`Ctx::push_navigate`], replacing the current history entry.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::ctx::Nav;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session};
    ///
    /// struct Search { page: u32 }
    /// impl LiveView for Search {
    ///     type Message = ();
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Search { page: 1 }) }
    ///     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         self.page = p.get("page").and_then(|n| n.parse().ok()).unwrap_or(1);
    ///         Ok(())
    ///     }
    ///     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         match e.name.as_str() {
    ///             "settings" => ctx.replace_navigate("/settings"),   // back skips this page
    ///             _ => {}
    ///         }
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView { view! { <p>{self.page}</p> } }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Search>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.event("settings", serde_json::json!({})).await.unwrap();
    /// assert_eq!(page.navigated(), Some(&Nav::Navigate { to: "/settings".into(), replace: true }));
    /// # });
    /// ```
    pub fn replace_navigate(&mut self, url: impl Into<String>) {
        self.set_nav(Nav::Navigate {
            to: url.into(),
            replace: true,
        });
    }

    /// Sends the browser to `url`, a path on this site, with a full page load; the flash this
    /// page put goes along (in a signed cookie). A URL on another origin is refused with an
    /// error in the log: use [`Ctx::redirect_external`] for those.
    ///
    /// ```
    /// # use leptos_live::{Ctx, LiveView};
    /// # fn f<V: LiveView>(ctx: &mut Ctx<V>) {
    /// ctx.redirect("/login");
    /// # }
    /// ```
    pub fn redirect(&mut self, url: impl Into<String>) {
        self.set_nav(Nav::Redirect {
            to: url.into(),
            external: false,
        });
    }

    /// Sends the browser to `url`, which may be on another origin, with a full page load.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::ctx::Nav;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session};
    ///
    /// struct Search { page: u32 }
    /// impl LiveView for Search {
    ///     type Message = ();
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Search { page: 1 }) }
    ///     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         self.page = p.get("page").and_then(|n| n.parse().ok()).unwrap_or(1);
    ///         Ok(())
    ///     }
    ///     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         match e.name.as_str() {
    ///             "pay" => ctx.redirect_external("https://payments.example.com/checkout/42"),
    ///             _ => {}
    ///         }
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView { view! { <p>{self.page}</p> } }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Search>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.event("pay", serde_json::json!({})).await.unwrap();
    /// assert!(matches!(page.navigated(), Some(Nav::Redirect { external: true, .. })));
    /// # });
    /// ```
    pub fn redirect_external(&mut self, url: impl Into<String>) {
        self.set_nav(Nav::Redirect {
            to: url.into(),
            external: true,
        });
    }

    fn set_nav(&mut self, nav: Nav) {
        let local = matches!(nav, Nav::Redirect { external: true, .. })
            || crate::wire::url::local_uri(nav.to()).is_ok();
        if local {
            self.pushed.nav = Some(nav);
        } else {
            tracing::error!(
                url = nav.to(),
                "refused to leave for a URL that is not a path on this site; use redirect_external"
            );
        }
    }
}
