//! `LiveTest`: a page driven in-process, without HTTP or a socket, for tests and benchmarks.

use std::sync::Arc;

use axum::http::Uri;
use serde_json::Value;
use tokio::sync::mpsc;

use crate::config::LiveConfig;
use crate::ctx::{Ctx, LiveHandle, Services};
use crate::diff::Op;
use crate::error::LiveError;
use crate::html::inner_html;
use crate::live_session::{Group, Mounting};
use crate::page::MountError;
use crate::params::{Params, Session};
use crate::render::{render, render_html};
use crate::router::LiveRouter;
use crate::sent::Sent;
use crate::view::LiveView;
use crate::work::Queue;

/// A mounted page and the tree the browser would have, driven by direct calls.
///
/// Every call runs the same pipeline a socket event does (handler, render, parse, diff, with the
/// default [`LiveConfig`]) and returns the operations a client would receive.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::{Ctx, LiveError, LiveTest, LiveView, Params, RawEvent, Session};
///
/// struct Counter(i64);
/// impl LiveView for Counter {
///     type Message = ();
///     type Event = RawEvent;
///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Counter(0)) }
///     async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
///         self.0 += 1;
///         Ok(())
///     }
///     fn render(&self) -> impl IntoView { view! { <p>{self.0}</p> } }
/// }
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let mut page = LiveTest::<Counter>::mount(Params::default(), Session::default()).await.unwrap();
/// let ops = page.event("inc", serde_json::json!({})).await.unwrap();
/// assert_eq!(ops.len(), 1);
/// assert_eq!(page.html(), "<p>1</p>");
/// # });
/// ```
pub struct LiveTest<V: LiveView> {
    view: V,
    ctx: Ctx<V>,
    info: mpsc::UnboundedReceiver<V::Message>,
    work: Arc<Queue<V>>,
    sent: Sent,
    keep_tree_above: usize,
}

impl<V: LiveView> LiveTest<V> {
    /// Mounts the page as an HTTP render would, with a PubSub of its own.
    pub async fn mount(params: Params, session: Session) -> Result<Self, MountError> {
        Self::mount_services(params, session, Services::default(), None).await
    }

    /// Mounts the page with what `router` gives its pages (its PubSub and extensions), after
    /// the `on_mount` checks of the page's live session, as a browser's request would. A check
    /// that refuses, or a page that leaves as it mounts, gives [`MountError::Redirected`].
    pub async fn mount_in(
        router: &LiveRouter,
        params: Params,
        session: Session,
    ) -> Result<Self, MountError> {
        let group = router.group_of::<V>();
        Self::mount_services(params, session, router.services(), group).await
    }

    async fn mount_services(
        params: Params,
        session: Session,
        services: Services,
        group: Option<Arc<Group>>,
    ) -> Result<Self, MountError> {
        let (tx, info) = mpsc::unbounded_channel();
        let mut ctx = Ctx::new(LiveHandle::new(tx), services);
        let uri = Uri::from_static("/");
        let mut checked = Mounting::new(params, session, uri.clone());
        if let Some(group) = group {
            checked = group.check(checked).await.map_err(|halt| {
                let (to, flash) = halt.into_parts();
                MountError::Redirected { to, flash }
            })?;
        }
        ctx.set_assigns(checked.assigns.clone());
        let (params, session) = (checked.params, checked.session);
        let mut view = V::mount(&params, &session, &mut ctx).await?;
        view.handle_params(&params, &uri, &mut ctx).await?;
        if let Some(nav) = ctx.take_nav() {
            return Err(MountError::Redirected {
                to: nav.to().to_string(),
                flash: ctx.flash().clone(),
            });
        }
        ctx.work_mut().show_loading(&mut view);
        let work = ctx.take_work_rx().unwrap_or_else(Queue::new);
        let keep_tree_above = LiveConfig::default().keep_tree_above_bytes;
        let sent = Sent::keep(
            render(
                &view,
                ctx.flash(),
                Some(ctx.components()),
                ctx.shown_uploads(),
            )
            .map_err(MountError::Panicked)?,
            keep_tree_above,
            false,
        );
        // The first items of streams are in the first render.
        ctx.adopt_component_streams();
        ctx.first_render_done();
        ctx.set_connected(true);
        Ok(LiveTest {
            view,
            ctx,
            info,
            work,
            sent,
            keep_tree_above,
        })
    }

    /// Sends an event, decoded into the page's `Event` type as a socket's would be, and returns
    /// the operations for the client. An event that does not decode is an error
    /// ([`LiveError::UnknownEvent`] or [`LiveError::BadPayload`]) and reaches no handler. When
    /// the handler fails, the page still renders what it changed before failing (as a socket's
    /// client would see it) and the error is returned.
    pub async fn event(&mut self, name: &str, payload: Value) -> Result<Vec<Op>, LiveError> {
        if name == crate::flash::CLEAR_FLASH {
            let kind = payload
                .get("kind")
                .and_then(Value::as_str)
                .and_then(crate::flash::FlashKind::parse);
            self.ctx.clear_flash(kind);
            return self.rerender();
        }
        let event =
            crate::decode::from_event::<V::Event>(name, &payload).map_err(|e| match e.kind {
                crate::decode::DecodeErrorKind::UnknownEvent => LiveError::UnknownEvent(e.message),
                crate::decode::DecodeErrorKind::BadPayload => LiveError::BadPayload(e.message),
            })?;
        let result = self.view.handle_event(event, &mut self.ctx).await;
        let ops = self.rerender()?;
        result.map(|()| ops)
    }

    /// Sends an event to the page's component `id` (as `lv-target` does) and returns the
    /// operations.
    pub async fn event_to(
        &mut self,
        id: &str,
        name: &str,
        payload: Value,
    ) -> Result<Vec<Op>, LiveError> {
        let result = crate::component::handle_event(&mut self.ctx, id, name, &payload).await;
        let ops = self.rerender()?;
        result.map(|()| ops)
    }

    /// Calls `handle_params` with `params` and `uri`, as a patch of the page's URL would, and
    /// returns the operations.
    pub async fn params(&mut self, params: Params, uri: &str) -> Result<Vec<Op>, LiveError> {
        let uri: Uri = uri
            .parse()
            .map_err(|_| LiveError::msg(format!("{uri:?} is not a URL")))?;
        self.view
            .handle_params(&params, &uri, &mut self.ctx)
            .await?;
        self.rerender()
    }

    /// Waits for the next message sent to the page (timers, other tasks), handles it and
    /// returns the operations; `None` when no message can arrive any more.
    pub async fn next_info(&mut self) -> Option<Result<Vec<Op>, LiveError>> {
        let msg = self.info.recv().await?;
        Some(match self.view.handle_info(msg, &mut self.ctx).await {
            Ok(()) => self.rerender(),
            Err(e) => Err(e),
        })
    }

    /// The page's current HTML, as the browser would serialise it.
    pub fn html(&self) -> String {
        inner_html(&*self.sent.tree())
    }

    /// The reply and the events the last callbacks pushed, taken.
    pub fn take_pushed(&mut self) -> crate::ctx::Pushed {
        self.ctx.take_pushed()
    }

    /// The page's state.
    pub fn view(&self) -> &V {
        &self.view
    }

    /// Waits for the page's next work to finish ([`Ctx::start_async`],
    /// [`Ctx::assign_async`]), applies its outcome and returns the operations; work cancelled or
    /// replaced meanwhile is skipped. It waits as long as it takes: wrap it in a timeout to
    /// check that nothing arrives.
    pub async fn next_async(&mut self) -> Option<Result<Vec<Op>, LiveError>> {
        loop {
            let done = self.work.recv().await;
            if !self.ctx.work_mut().finish(&done) {
                continue;
            }
            return Some(match (done.apply)(&mut self.view, &mut self.ctx) {
                Ok(()) => self.rerender(),
                Err(e) => Err(e),
            });
        }
    }

    fn rerender(&mut self) -> Result<Vec<Op>, LiveError> {
        self.ctx.work_mut().show_loading(&mut self.view);
        let html = render_html(
            &self.view,
            self.ctx.flash(),
            Some(self.ctx.components()),
            self.ctx.shown_uploads(),
        )
        .map_err(LiveError::msg)?;
        self.ctx.adopt_component_streams();
        let mut streams = self.ctx.take_streams();
        // Driven calls count as a user interacting: the tree stays parsed, as for a page in use.
        // An unrepresentable change would go out as the whole page: no operations then.
        let ops = self
            .sent
            .advance(html, self.keep_tree_above, true, &mut streams)
            .unwrap_or_default();
        self.ctx.push_streams(streams);
        Ok(ops)
    }

    /// The stream changes the last callbacks sent, as `(stream, op)` JSON arrays: `["name","i",at,limit,[[id,html],…]]`, `["name","d",[id,…]]` or `["name","r"]`. Taken.
    pub fn take_stream_ops(&mut self) -> Vec<Value> {
        let streams = std::mem::take(&mut self.ctx.pushed_mut().streams);
        let mut json = String::new();
        crate::stream::write_json(&streams, &mut json);
        match serde_json::from_str(&json) {
            Ok(Value::Array(v)) => v,
            _ => Vec::new(),
        }
    }

    /// Queues a message for `handle_info`, as another task would.
    pub fn send(&self, msg: V::Message) {
        let _ = self.ctx.handle().send(msg);
    }

    /// Handles the messages already queued (each then renders, unless it said
    /// [`Ctx::streams_only`]) and returns the operations.
    pub async fn drain_info(&mut self) -> Result<Vec<Op>, LiveError> {
        let mut ops = Vec::new();
        while let Ok(msg) = self.info.try_recv() {
            self.ctx.take_streams_only();
            self.view.handle_info(msg, &mut self.ctx).await?;
            if self.ctx.take_streams_only() && self.ctx.render_streams() {
                self.ctx.stage_streams();
            } else {
                ops.extend(self.rerender()?);
            }
        }
        Ok(ops)
    }

    /// The page's context, as its callbacks see it.
    pub fn ctx(&mut self) -> &mut Ctx<V> {
        &mut self.ctx
    }
}
