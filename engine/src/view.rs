//! The `LiveView` trait: a page that lives on the server.

use std::future::Future;

use leptos::prelude::IntoView;

use crate::ctx::Ctx;
use crate::error::LiveError;
use crate::params::{Params, Payload, Session};

/// A live page: state on the server, events from the browser, HTML from a Leptos view.
///
/// Each mounted page runs in its own tokio task, which owns the value. Events are handled one at
/// a time in the order they arrive; after each callback the engine renders, diffs against what the
/// browser has, and sends the operations.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::{Ctx, LiveError, LiveView, Params, Payload, Session};
///
/// struct Counter { count: i64 }
///
/// impl LiveView for Counter {
///     type Message = ();
///
///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
///         Ok(Counter { count: 0 })
///     }
///
///     async fn handle_event(&mut self, event: &str, _: Payload, _: &mut Ctx<Self>) -> Result<(), LiveError> {
///         match event {
///             "inc" => self.count += 1,
///             other => return Err(LiveError::UnknownEvent(other.into())),
///         }
///         Ok(())
///     }
///
///     fn render(&self) -> impl IntoView {
///         view! { <button lv-click="inc">{self.count}</button> }
///     }
/// }
/// ```
pub trait LiveView: Sized + Send + 'static {
    /// Messages other tasks send the page (PubSub, timers, background work), for `handle_info`.
    type Message: Send + 'static;

    /// Builds the page's state from the URL and the session. Runs once per page: the HTTP render's
    /// state is adopted by the socket when it joins in time.
    fn mount(
        params: &Params,
        session: &Session,
        ctx: &mut Ctx<Self>,
    ) -> impl Future<Output = Result<Self, LiveError>> + Send;

    /// Handles a browser event. The default refuses every event as unknown.
    fn handle_event(
        &mut self,
        event: &str,
        payload: Payload,
        ctx: &mut Ctx<Self>,
    ) -> impl Future<Output = Result<(), LiveError>> + Send {
        let _ = (payload, ctx);
        let event = event.to_string();
        async move { Err(LiveError::UnknownEvent(event)) }
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

    /// The page's HTML as a Leptos view. Called after every callback; keep it free of side effects.
    fn render(&self) -> impl IntoView;

    /// The document title for the HTTP render.
    fn title(&self) -> String {
        "leptos-live".to_string()
    }
}
