//! What a step sends the browser besides the page's HTML: replies, pushed events, a title, a
//! navigation and stream changes.

use serde_json::Value;

use crate::wire::stream_ops::StreamOps;

/// What a callback sends the browser besides the page's HTML: a reply to the event being
/// handled and events for hooks and the window.
///
/// ```
/// # use leptos_live::{Params, Session};
/// # use leptos_live::testing::LiveTest;
/// # use leptos_live::testing::examples::Todos;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
/// // What a callback asked for besides its render, as LiveTest::take_pushed gives it.
/// page.ctx().page_title("Inbox");
/// page.ctx().reply(3);
/// let pushed = page.take_pushed();
/// assert_eq!((pushed.title.as_deref(), pushed.reply), (Some("Inbox"), Some(serde_json::json!(3))));
/// # });
/// ```
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Pushed {
    /// The reply to the event being handled (a hook's `pushEvent` promise resolves with it).
    pub reply: Option<Value>,
    /// Events pushed with [`crate::Ctx::push_event`], in order.
    pub events: Vec<(String, Value)>,
    /// A new document title, from [`crate::Ctx::page_title`].
    pub title: Option<String>,
    /// Where the browser goes next: [`crate::Ctx::push_patch`], [`crate::Ctx::push_navigate`],
    /// [`crate::Ctx::redirect`].
    pub nav: Option<Nav>,
    /// Stream changes since the last render.
    pub(crate) streams: Vec<StreamOps>,
    /// A navigation's reply: the new page's token and URL, for the client to keep.
    pub(crate) landed: Option<(String, String)>,
    /// The flash a navigation or redirect carries, sealed.
    pub(crate) flash: Option<String>,
}

/// Where a callback sends the browser.
///
/// ```
/// # use leptos_live::{Params, Session};
/// # use leptos_live::testing::LiveTest;
/// # use leptos_live::testing::examples::Todos;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
/// use leptos_live::ctx::Nav;
/// page.event("leave", serde_json::json!({})).await.unwrap();   // ctx.push_navigate("/done")
/// assert_eq!(page.navigated(), Some(&Nav::Navigate { to: "/done".into(), replace: false }));
/// # });
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Nav {
    /// The same page at another URL: `handle_params` runs, the browser's URL changes, nothing
    /// is mounted again ([`crate::Ctx::push_patch`], [`crate::Ctx::replace_patch`]).
    Patch {
        /// The path and query.
        to: String,
        /// Replace the history entry instead of adding one.
        replace: bool,
    },
    /// Another live page over the same socket ([`crate::Ctx::push_navigate`]); a full load when the
    /// target is not a live page of the same live session.
    Navigate {
        /// The path and query.
        to: String,
        /// Replace the history entry instead of adding one.
        replace: bool,
    },
    /// A full page load ([`crate::Ctx::redirect`], [`crate::Ctx::redirect_external`]).
    Redirect {
        /// Where to.
        to: String,
        /// Whether `to` may be on another origin (only [`crate::Ctx::redirect_external`] says so).
        external: bool,
    },
}

impl Nav {
    /// The URL the browser goes to.
    ///
    /// ```
    /// use leptos_live::ctx::Nav;
    /// let nav = Nav::Redirect { to: "https://example.com/".into(), external: true };
    /// assert_eq!(nav.to(), "https://example.com/");
    /// ```
    pub fn to(&self) -> &str {
        match self {
            Nav::Patch { to, .. } | Nav::Navigate { to, .. } | Nav::Redirect { to, .. } => to,
        }
    }
}

impl Pushed {
    /// Whether there is nothing to send.
    ///
    /// ```
    /// # use leptos_live::{Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::Todos;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// assert!(page.take_pushed().is_empty());
    /// page.ctx().push_event("ping", serde_json::json!({}));
    /// assert!(!page.take_pushed().is_empty());
    /// # });
    /// ```
    pub fn is_empty(&self) -> bool {
        self.reply.is_none()
            && self.events.is_empty()
            && self.title.is_none()
            && self.nav.is_none()
            && self.streams.is_empty()
            && self.landed.is_none()
    }
}
