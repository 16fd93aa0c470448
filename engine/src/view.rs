//! The `LiveView` trait: a page that lives on the server.

use std::future::Future;

use axum::http::Uri;
use leptos::prelude::IntoView;
use serde::de::DeserializeOwned;

use crate::ctx::Ctx;
use crate::error::LiveError;
use crate::params::{Params, Session};

/// A live page: state on the server, events from the browser, HTML from a Leptos view.
///
/// Each mounted page runs in its own tokio task, which owns the value. Events are handled one at
/// a time in the order they arrive; after each callback the engine renders, diffs against what the
/// browser has, and sends the operations.
///
/// Events are typed: `Event` is decoded with serde from the event's name and payload (see
/// [`crate::RawEvent`] for pages that want plain names). An enum reads naturally: each variant
/// is an event name, its fields come from the payload, and numbers and booleans are read from
/// the strings HTML sends. An event that does not decode never reaches the page: the client
/// gets a typed error (`unknown_event` or `bad_payload`) and the log the reason.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::{Ctx, LiveError, LiveView, Params, Session};
///
/// #[derive(serde::Deserialize)]
/// #[serde(rename_all = "snake_case")]
/// enum Event { Inc, SetStep { step: i64 } }
///
/// struct Counter { count: i64, step: i64 }
///
/// impl LiveView for Counter {
///     type Message = ();
///     type Event = Event;
///
///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
///         Ok(Counter { count: 0, step: 1 })
///     }
///
///     async fn handle_event(&mut self, event: Event, _: &mut Ctx<Self>) -> Result<(), LiveError> {
///         match event {
///             Event::Inc => self.count += self.step,
///             Event::SetStep { step } => self.step = step,
///         }
///         Ok(())
///     }
///
///     fn render(&self) -> impl IntoView {
///         view! {
///             <button lv-click="inc">{self.count}</button>
///             <button lv-click="set_step" lv-value-step="5">"step 5"</button>
///         }
///     }
/// }
/// ```
pub trait LiveView: Sized + Send + 'static {
    /// Messages other tasks send the page (PubSub, timers, background work), for `handle_info`.
    type Message: Send + 'static;

    /// The page's events, decoded with serde from each browser event's name and payload
    /// ([`crate::RawEvent`] keeps the name and payload as they came).
    type Event: DeserializeOwned + Send + 'static;

    /// Builds the page's state from the URL and the session. Runs once per page: the HTTP render's
    /// state is adopted by the socket when it joins in time.
    fn mount(
        params: &Params,
        session: &Session,
        ctx: &mut Ctx<Self>,
    ) -> impl Future<Output = Result<Self, LiveError>> + Send;

    /// Reads the page's URL: called right after `mount`, and again whenever the URL changes
    /// without a new page (an `lv-patch` link, [`Ctx::push_patch`], back and forward between
    /// patched URLs). `params` holds the path and query parameters, `uri` the path and query as
    /// the browser shows them. The default does nothing.
    fn handle_params(
        &mut self,
        params: &Params,
        uri: &Uri,
        ctx: &mut Ctx<Self>,
    ) -> impl Future<Output = Result<(), LiveError>> + Send {
        let _ = (params, uri, ctx);
        async { Ok(()) }
    }

    /// Handles a browser event, decoded into [`LiveView::Event`]. The default refuses every
    /// event.
    fn handle_event(
        &mut self,
        event: Self::Event,
        ctx: &mut Ctx<Self>,
    ) -> impl Future<Output = Result<(), LiveError>> + Send {
        let _ = (event, ctx);
        async { Err(LiveError::msg("this page takes no events")) }
    }

    /// Handles a message from another task. The default ignores it.
    fn handle_info(
        &mut self,
        msg: Self::Message,
        ctx: &mut Ctx<Self>,
    ) -> impl Future<Output = Result<(), LiveError>> + Send {
        let _ = (msg, ctx);
        async { Ok(()) }
    }

    /// The state to keep when the process stops (a deploy, a restart in the edit loop): the
    /// engine writes it out on [`crate::LiveEngine::shutdown`], and a browser that comes back
    /// within the retention window gets the page from [`LiveView::restore`] instead of a fresh
    /// mount. The default keeps nothing.
    fn snapshot(&self) -> Option<serde_json::Value> {
        None
    }

    /// A page from the state an earlier process kept ([`LiveView::snapshot`]), with the
    /// params and session the browser's token carries; re-arm timers and subscriptions here.
    /// `None` (the default) mounts the page afresh instead.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session};
    ///
    /// #[derive(serde::Serialize, serde::Deserialize)]
    /// struct Counter { count: i64 }
    ///
    /// impl LiveView for Counter {
    ///     type Message = ();
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         Ok(Counter { count: 0 })
    ///     }
    ///     fn snapshot(&self) -> Option<serde_json::Value> {
    ///         serde_json::to_value(self).ok()
    ///     }
    ///     async fn restore(state: serde_json::Value, _: &Params, _: &Session, _: &mut Ctx<Self>) -> Option<Self> {
    ///         serde_json::from_value(state).ok()
    ///     }
    ///     fn render(&self) -> impl IntoView { view! { <p>{self.count}</p> } }
    /// }
    /// ```
    fn restore(
        state: serde_json::Value,
        params: &Params,
        session: &Session,
        ctx: &mut Ctx<Self>,
    ) -> impl Future<Output = Option<Self>> + Send {
        let _ = (state, params, session, ctx);
        async { None }
    }

    /// The page's HTML as a Leptos view. Called after every callback; keep it free of side effects.
    fn render(&self) -> impl IntoView;

    /// The document title: sent with the HTTP render and with every navigation to the page.
    /// [`Ctx::page_title`] changes it while the page runs.
    fn title(&self) -> String {
        "leptos-live".to_string()
    }
}
