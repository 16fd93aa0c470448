//! The page core: a mounted page's state and everything it does with an event, a message or
//! finished work, without I/O. What it has to say goes to a [`Sink`]: the page task's sink
//! encodes frames for its socket, [`crate::LiveTest`]'s applies them to the tree a browser
//! would have. Both run this one pipeline: handler, navigation, render, diff, send.

mod sink;
mod uploads;

pub(crate) use sink::{FrameSink, Sink};

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Duration;

use axum::http::Uri;
use futures_util::FutureExt as _;
use leptos::prelude::Owner;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::time::Instant;
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::component::{self, HtmlSplice};
use crate::ctx::{Ctx, Nav};
use crate::diff::Unrepresentable;
use crate::error::panic_message;
use crate::error::{ErrorCode, LiveError};
use crate::flash::{CLEAR_FLASH, FlashKind};
use crate::location;
use crate::page::answers::{Answer, Answers, Recording};
use crate::page::metered::{event_done, metrics_on, timed};
use crate::page::render::{Rendered, path_and_query, render, render_html};
use crate::page::sent::Sent;
use crate::params::Params;
use crate::stream::{StreamOps, fill_html};
use crate::upload::CANCEL_UPLOAD;
use crate::view::LiveView;
use crate::wire::decode::{self, DecodeErrorKind};
use crate::wire::url::local_uri;
use crate::work::Done;

/// Runs a render of `view` (of its component `component` alone, when given) in a `render` span,
/// timed into `leptos_live_render_seconds`.
fn rendering<R>(view: &'static str, component: Option<&str>, render: impl FnOnce() -> R) -> R {
    let span = tracing::debug_span!("render", view, component = Empty).entered();
    if let Some(id) = component {
        span.record("component", id);
    }
    let started = metrics_on().then(Instant::now);
    let rendered = render();
    timed("leptos_live_render_seconds", view, started);
    rendered
}

/// A way to render a whole page: [`render_html`] (its HTML) or [`render`] (and its tree).
type RenderFn<V, R> = fn(
    &V,
    &crate::flash::Flash,
    Option<&component::Slots<V>>,
    Option<crate::upload::Shown>,
    Option<&str>,
) -> Result<R, String>;

/// A page's new HTML: rendered whole, or a component's part of it rendered alone.
enum NewHtml {
    Whole(String),
    /// Rendered whole, with where its components are and which rendered again.
    Laid(String, component::Arrangement),
    Part(HtmlSplice),
}

/// Whether the page goes on after a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    Continue,
    End,
}

/// Messages handled before one render: a burst of messages costs one render per batch.
const INFO_BATCH: usize = 64;

/// The payload of `lv:cancel-upload`.
#[derive(serde::Deserialize)]
struct Cancel {
    /// The entry's id.
    r#ref: u32,
}

/// A mounted page: its state and context, what its client has, and where it is.
pub(crate) struct Core<V: LiveView> {
    pub view: V,
    pub ctx: Ctx<V>,
    /// What the client has at `version`.
    pub sent: Sent,
    pub version: u64,
    /// Until when the page counts as in use (events keep its parsed tree).
    pub hot_until: Option<Instant>,
    /// Stream changes of a frame the client did not take.
    unsent_streams: Vec<StreamOps>,
    /// Names the page in logs.
    pub id: Arc<str>,
    /// Keep the parsed tree of pages above this size only while they are in use.
    keep_tree_above: usize,
    hot_window: Duration,
    /// The route pattern the page was mounted for.
    pub pattern: Arc<str>,
    /// The URL the browser shows for the page.
    pub uri: Uri,
    /// The answers to the last events, for events a client sends again after a reconnect.
    pub answers: Answers,
    /// How the last callback's step ended: `ok`, or the code its client was sent.
    last_outcome: &'static str,
}

/// What a [`Core`] is made of.
pub(crate) struct CoreParts<V: LiveView> {
    pub view: V,
    pub ctx: Ctx<V>,
    pub html: String,
    pub id: Arc<str>,
    pub keep_tree_above: usize,
    pub hot_window: Duration,
    pub pattern: Arc<str>,
    pub uri: Uri,
}

impl<V: LiveView> Core<V> {
    pub fn new(parts: CoreParts<V>) -> Self {
        Core {
            sent: Sent::from_html(parts.html, parts.keep_tree_above, parts.pattern.clone()),
            view: parts.view,
            ctx: parts.ctx,
            version: 0,
            hot_until: None,
            unsent_streams: Vec::new(),
            id: parts.id,
            keep_tree_above: parts.keep_tree_above,
            hot_window: parts.hot_window,
            pattern: parts.pattern,
            uri: parts.uri,
            answers: Answers::default(),
            last_outcome: "ok",
        }
    }

    /// Records how a callback's step ended, on the span it runs in (`outcome`) and for the
    /// event metrics: `ok`, or the code its client was sent.
    fn outcome(&mut self, what: &'static str) {
        self.last_outcome = what;
        tracing::Span::current().record("outcome", what);
    }

    /// A client attached: `fresh` when the page was just mounted for it (the mount's render is
    /// what it needs), else with the version it has. `landed` goes with a live navigation's
    /// first frame.
    pub fn attach(
        &mut self,
        r: u64,
        fresh: bool,
        version: Option<u64>,
        landed: Option<(String, String)>,
        sink: &mut impl Sink,
    ) -> Flow {
        self.ctx.set_connected(true);
        if fresh {
            self.version += 1;
            let mut pushed = self.ctx.take_pushed();
            if landed.is_some() {
                pushed.title.get_or_insert_with(|| self.view.title());
                pushed.landed = landed;
            }
            if !sink.page(r, &self.sent.html(), self.version, &pushed) {
                self.unsent_streams.extend(pushed.streams);
            }
            Flow::Continue
        } else if version != Some(self.version) {
            self.send_full(r, sink)
        } else {
            self.send_patch(r, true, sink)
        }
    }

    /// The client asked for the whole page again.
    pub fn resync(&mut self, r: u64, sink: &mut impl Sink) -> Flow {
        tracing::info!(page = %self.id, "client asked for a resync");
        self.send_full(r, sink)
    }

    /// Runs an event from the client: one of the engine's own, one for a component (`target`)
    /// or one for the page, decoded into its `Event` type; then answers `r` with what changed.
    pub async fn event(
        &mut self,
        r: u64,
        name: String,
        payload: Value,
        target: Option<String>,
        sink: &mut impl Sink,
    ) -> Flow {
        let view = std::any::type_name::<V>();
        let span = match &target {
            Some(id) => tracing::info_span!(
                "component_event", view, component = %id, event = %name, outcome = Empty
            ),
            None => tracing::info_span!("handle_event", view, event = %name, outcome = Empty),
        };
        // The event's name outlives the step only when a recorder will label it.
        let metered = metrics_on().then(|| (Instant::now(), name.clone()));
        self.last_outcome = "ok";
        let flow = self
            .event_once(r, name, payload, target, sink)
            .instrument(span)
            .await;
        if let Some((started, name)) = metered {
            event_done(view, &name, self.last_outcome, started);
        }
        flow
    }

    /// Runs the event and keeps its answer, unless the client sent it again after a reconnect
    /// and the page applied it already: then it gets that answer again ([`Answers`]).
    async fn event_once(
        &mut self,
        r: u64,
        name: String,
        payload: Value,
        target: Option<String>,
        sink: &mut impl Sink,
    ) -> Flow {
        if let Some(answer) = self.answers.replay(r) {
            tracing::debug!(page = %self.id, r, "an event sent again was applied before; answered again");
            self.outcome("replayed");
            return self.replay(r, answer, sink);
        }
        let mut recording = Recording::new(r, sink);
        let flow = self
            .event_step(r, name, payload, target, &mut recording)
            .await;
        if let Some(answer) = recording.answer {
            self.answers.remember(r, answer);
        }
        flow
    }

    /// Answers event `r` as it was answered the first time: an error again, or a patch without
    /// operations (the client's join brought its page up to date) with what was pushed.
    fn replay(&mut self, r: u64, answer: Answer, sink: &mut impl Sink) -> Flow {
        match answer {
            Answer::Error(code, message) => sink.error(r, code, &message),
            Answer::Patch(pushed) => {
                self.version += 1;
                sink.patch(r, &[], &pushed.map(|p| *p).unwrap_or_default());
            }
        }
        Flow::Continue
    }

    async fn event_step(
        &mut self,
        r: u64,
        name: String,
        payload: Value,
        target: Option<String>,
        sink: &mut impl Sink,
    ) -> Flow {
        self.hot_until = Some(Instant::now() + self.hot_window);
        if let Some(id) = target {
            // Boxed, as are the other rare paths: the page's task keeps the size of its common ones.
            return Box::pin(self.component_event(r, &id, &name, &payload, sink)).await;
        }
        if name == CANCEL_UPLOAD {
            if let Ok(Cancel { r#ref }) = decode::from_value(&payload) {
                self.ctx.uploads_mut().cancel(None, r#ref);
            }
            self.outcome("ok");
            return self.send_patch(r, true, sink);
        }
        if name == component::REVEAL {
            let id = payload
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !self.ctx.components().reveal(id) {
                tracing::debug!(page = %self.id, component = %id, "no placeholder to reveal");
            }
            self.outcome("ok");
            return self.send_patch(r, true, sink);
        }
        if name == CLEAR_FLASH {
            let kind = payload
                .get("kind")
                .and_then(Value::as_str)
                .and_then(FlashKind::parse);
            self.ctx.clear_flash(kind);
            self.outcome("ok");
            return self.send_patch(r, true, sink);
        }
        let event = match decode::from_event::<V::Event>(&name, &payload) {
            Ok(event) => event,
            Err(e) => {
                tracing::warn!(page = %self.id, event = %name, error = %e, "event did not decode");
                let code = match e.kind {
                    DecodeErrorKind::UnknownEvent => ErrorCode::UnknownEvent,
                    DecodeErrorKind::BadPayload => ErrorCode::BadPayload,
                };
                self.outcome(code.as_str());
                sink.error(r, code, &format!("event {name:?} did not decode"));
                return Flow::Continue;
            }
        };
        let result = AssertUnwindSafe(self.view.handle_event(event, &mut self.ctx))
            .catch_unwind()
            .await;
        self.answer(r, result, &format!("handle_event({name:?})"), sink)
            .await
    }

    /// The browser's URL changed to another URL of this page's route: `handle_params` runs,
    /// and `r` is answered with what changed.
    pub async fn patch_url(
        &mut self,
        r: u64,
        uri: Uri,
        params: Params,
        sink: &mut impl Sink,
    ) -> Flow {
        let span = tracing::info_span!(
            "handle_params", view = std::any::type_name::<V>(), uri = %uri, outcome = Empty
        );
        async move {
            if let Flow::End = Box::pin(self.params(r, uri, params, sink)).await {
                return Flow::End;
            }
            match self.follow_nav(r, sink).await {
                Flow::Continue => self.send_patch(r, true, sink),
                Flow::End => Flow::End,
            }
        }
        .instrument(span)
        .await
    }

    /// The page's state for a later process ([`LiveView::snapshot`]), with its route pattern.
    pub fn snapshot(&self) -> Option<(Arc<str>, Value)> {
        let snapshot =
            catch_unwind(AssertUnwindSafe(|| self.view.snapshot())).unwrap_or_else(|p| {
                tracing::error!(page = %self.id, "snapshot panicked: {}", panic_message(p));
                None
            });
        snapshot.map(|s| (self.pattern.clone(), s))
    }

    /// Applies the outcome of finished work, unless it was cancelled or replaced since, and
    /// sends what changed.
    pub async fn work_done(&mut self, done: Done<V>, sink: &mut impl Sink) -> Flow {
        if !self.ctx.work_mut().finish(&done) {
            return Flow::Continue;
        }
        let key = done.key.clone();
        let applied = catch_unwind(AssertUnwindSafe(|| {
            (done.apply)(&mut self.view, &mut self.ctx)
        }));
        match applied {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::warn!(page = %self.id, work = %key, error = %e, "handling finished work failed");
                sink.failed(&e);
            }
            Err(p) => return self.crash(0, &format!("the outcome of {key:?}"), p, sink),
        }
        self.settle(false, sink).await
    }

    /// Handles `msg` and whatever else is queued (up to a batch), then renders once.
    pub async fn info(
        &mut self,
        msg: V::Message,
        queue: &mut mpsc::UnboundedReceiver<V::Message>,
        sink: &mut impl Sink,
    ) -> Flow {
        let span = tracing::info_span!(
            "handle_info",
            view = std::any::type_name::<V>(),
            messages = Empty,
            outcome = Empty
        );
        self.info_step(msg, queue, sink).instrument(span).await
    }

    async fn info_step(
        &mut self,
        msg: V::Message,
        queue: &mut mpsc::UnboundedReceiver<V::Message>,
        sink: &mut impl Sink,
    ) -> Flow {
        let mut next = Some(msg);
        let mut handled = 0;
        let mut streams_only = true;
        while let Some(msg) = next.take() {
            self.ctx.take_streams_only();
            match AssertUnwindSafe(self.view.handle_info(msg, &mut self.ctx))
                .catch_unwind()
                .await
            {
                Ok(Ok(())) => self.outcome("ok"),
                Ok(Err(e)) => {
                    tracing::warn!(page = %self.id, error = %e, "handle_info failed");
                    self.outcome(e.code().as_str());
                    sink.failed(&e);
                }
                Err(p) => return self.crash(0, "handle_info", p, sink),
            }
            streams_only &= self.ctx.take_streams_only();
            handled += 1;
            if handled < INFO_BATCH {
                next = queue.try_recv().ok();
            }
        }
        tracing::Span::current().record("messages", handled);
        self.settle(streams_only, sink).await
    }

    /// Sends what changed when a client is there (it gets the page when it attaches): with
    /// `streams_only`, the streams' new items without rendering the page, when their templates
    /// can render them.
    fn send_changes(&mut self, streams_only: bool, sink: &mut impl Sink) -> Flow {
        if !sink.attached() {
            Flow::Continue
        } else if streams_only && !self.ctx.work_mut().has_loading() && self.ctx.render_streams() {
            self.send_streams(sink)
        } else {
            self.send_patch(0, false, sink)
        }
    }

    /// Feeds left items for the page (it was in a step, or without a socket): they go into its
    /// streams, and out now when a client is there.
    pub fn fed(&mut self, sink: &mut impl Sink) -> Flow {
        self.ctx.take_fed();
        self.send_changes(true, sink)
    }

    /// Follows a navigation the last callback asked for, then sends what changed
    /// ([`Core::send_changes`]).
    async fn settle(&mut self, streams_only: bool, sink: &mut impl Sink) -> Flow {
        if let Flow::End = self.follow_nav(0, sink).await {
            return Flow::End;
        }
        self.send_changes(streams_only, sink)
    }

    /// Runs an event targeted at the component `id`, then renders the component alone when
    /// nothing else the page shows changed (its state cannot: a component's handler does not
    /// reach it; its flash, uploads, work and URL can), and the whole page otherwise.
    async fn component_event(
        &mut self,
        r: u64,
        id: &str,
        name: &str,
        payload: &Value,
        sink: &mut impl Sink,
    ) -> Flow {
        let before = self.ctx.render_inputs();
        let result = AssertUnwindSafe(component::handle_event(&mut self.ctx, id, name, payload))
            .catch_unwind()
            .await;
        if matches!(result, Ok(Ok(())))
            && !self.ctx.has_nav()
            && !self.ctx.work_mut().has_loading()
            && self.ctx.render_inputs() == before
        {
            let (components, page) = (self.ctx.components(), self.sent.html());
            let alone = rendering(std::any::type_name::<V>(), Some(id), || {
                // Alone, with the page's URL as a page render has it (see `crate::location`).
                let url = path_and_query(&self.uri);
                catch_unwind(AssertUnwindSafe(|| {
                    Owner::new().with(|| {
                        location::provide(url);
                        components.render_alone(id, &page)
                    })
                }))
            });
            match alone {
                Ok(Some(splice)) => {
                    self.outcome("ok");
                    self.send_upload_notices(sink);
                    return self.send_html(r, true, NewHtml::Part(splice), sink);
                }
                Ok(None) => {}
                Err(p) => return self.render_crash(r, &panic_message(p), sink),
            }
        }
        self.answer(
            r,
            result,
            &format!("handle_event({name:?}) of component {id:?}"),
            sink,
        )
        .await
    }

    /// Answers an event (`what` names its handler) once its handler has run: with the page's
    /// changes, or with the handler's error and whatever it changed before failing; a panic
    /// ends the page.
    async fn answer(
        &mut self,
        r: u64,
        result: Result<Result<(), LiveError>, Box<dyn std::any::Any + Send>>,
        what: &str,
        sink: &mut impl Sink,
    ) -> Flow {
        match result {
            Ok(Ok(())) => {
                self.outcome("ok");
                match self.follow_nav(r, sink).await {
                    Flow::Continue => self.send_patch(r, true, sink),
                    Flow::End => Flow::End,
                }
            }
            Ok(Err(e)) => {
                tracing::warn!(page = %self.id, handler = what, error = %e, "event handler failed");
                self.outcome(e.code().as_str());
                sink.error(r, e.code(), &e.to_string());
                match self.follow_nav(0, sink).await {
                    Flow::Continue => self.send_patch(0, false, sink),
                    Flow::End => Flow::End,
                }
            }
            Err(p) => self.crash(r, what, p, sink),
        }
    }

    /// Runs `handle_params` for a new URL of this page.
    async fn params(&mut self, r: u64, uri: Uri, params: Params, sink: &mut impl Sink) -> Flow {
        match AssertUnwindSafe(self.view.handle_params(&params, &uri, &mut self.ctx))
            .catch_unwind()
            .await
        {
            Ok(Ok(())) => self.outcome("ok"),
            Ok(Err(e)) => {
                tracing::warn!(page = %self.id, uri = %uri, error = %e, "handle_params failed");
                self.outcome(e.code().as_str());
                sink.error(r, e.code(), &e.to_string());
            }
            Err(p) => return self.crash(r, "handle_params", p, sink),
        }
        self.uri = uri;
        Flow::Continue
    }

    /// Follows where the last callback sent the browser: a patch of this page's own route runs
    /// `handle_params` here and now; anything else goes to the client with the flash this page
    /// put, sealed.
    async fn follow_nav(&mut self, r: u64, sink: &mut impl Sink) -> Flow {
        let Some(nav) = self.ctx.take_nav() else {
            return Flow::Continue;
        };
        let nav = match nav {
            Nav::Patch { to, replace } => {
                let target = local_uri(&to)
                    .ok()
                    .and_then(|uri| Params::for_route(&self.pattern, &uri).map(|p| (uri, p)));
                match target {
                    Some((uri, params)) => {
                        if let Flow::End = Box::pin(self.params(r, uri, params, sink)).await {
                            return Flow::End;
                        }
                        // A navigation asked for by handle_params wins; a second patch does not
                        // run handle_params again.
                        match self.ctx.take_nav() {
                            Some(n @ (Nav::Navigate { .. } | Nav::Redirect { .. })) => n,
                            _ => Nav::Patch { to, replace },
                        }
                    }
                    None => Nav::Navigate { to, replace },
                }
            }
            other => other,
        };
        if !matches!(nav, Nav::Patch { .. }) {
            let sealed = self.ctx.sealed_flash();
            self.ctx.pushed_mut().flash = sealed;
        }
        self.ctx.pushed_mut().nav = Some(nav);
        Flow::Continue
    }

    fn is_hot(&self) -> bool {
        self.hot_until.is_some_and(|t| Instant::now() < t)
    }

    fn crash(
        &mut self,
        r: u64,
        place: &str,
        p: Box<dyn std::any::Any + Send>,
        sink: &mut impl Sink,
    ) -> Flow {
        let msg = panic_message(p);
        tracing::error!(page = %self.id, "{place} panicked: {msg}; the page ends");
        self.outcome(ErrorCode::PageCrashed.as_str());
        sink.error(
            r,
            ErrorCode::PageCrashed,
            &format!("the page crashed: {msg}"),
        );
        Flow::End
    }

    /// The whole page rendered by `render` (its HTML, or its HTML and tree) in a `render` span,
    /// after the upload notices go out and its work shows its loading states: what every whole
    /// render does first, for a patch or for the whole page.
    fn render_whole<R>(
        &mut self,
        render: RenderFn<V, R>,
        sink: &mut impl Sink,
    ) -> Result<R, String> {
        self.send_upload_notices(sink);
        self.ctx.work_mut().show_loading(&mut self.view);
        rendering(std::any::type_name::<V>(), None, || {
            render(
                &self.view,
                self.ctx.flash(),
                Some(self.ctx.components()),
                self.ctx.shown_uploads(),
                Some(path_and_query(&self.uri)),
            )
        })
    }

    /// Renders, diffs against what the client has, and sends the operations. With `always`, an
    /// empty frame is sent too (it answers a reference).
    pub fn send_patch(&mut self, r: u64, always: bool, sink: &mut impl Sink) -> Flow {
        let html = match self.render_whole(render_html, sink) {
            Ok(html) => html,
            Err(msg) => return self.render_crash(r, &msg, sink),
        };
        let html = match self.ctx.components().take_arrangement() {
            Some(placed) => NewHtml::Laid(html, placed),
            None => NewHtml::Whole(html),
        };
        self.send_html(r, always, html, sink)
    }

    /// Diffs the page's new HTML against what the client has and sends the operations.
    fn send_html(&mut self, r: u64, always: bool, html: NewHtml, sink: &mut impl Sink) -> Flow {
        let hot = self.is_hot();
        self.ctx.adopt_component_streams();
        let mut streams = self.ctx.take_streams();
        let (sent, above) = (&mut self.sent, self.keep_tree_above);
        let span = tracing::debug_span!("diff", ops = Empty).entered();
        let started = metrics_on().then(Instant::now);
        let advanced = catch_unwind(AssertUnwindSafe(|| match html {
            NewHtml::Whole(html) => sent.advance(html, above, hot, &mut streams),
            NewHtml::Laid(html, placed) => {
                sent.advance_parts(html, placed, above, hot, &mut streams)
            }
            NewHtml::Part(splice) => sent.splice(splice, above, hot, &mut streams),
        }));
        timed(
            "leptos_live_diff_seconds",
            std::any::type_name::<V>(),
            started,
        );
        if let Ok(Ok(ops)) = &advanced {
            span.record("ops", ops.len());
        }
        drop(span);
        self.ctx.push_streams(streams);
        match advanced {
            Ok(Ok(ops)) => {
                let pushed = self.ctx.take_pushed();
                if ops.is_empty() && !always && pushed.is_empty() {
                    return Flow::Continue;
                }
                self.version += 1;
                if !sink.patch(r, &ops, &pushed) {
                    self.unsent_streams.extend(pushed.streams);
                }
            }
            Ok(Err(Unrepresentable)) => {
                tracing::debug!(page = %self.id, "change not expressible as operations; sending the page");
                self.version += 1;
                let pushed = self.ctx.take_pushed();
                if !sink.page(r, &self.sent.html(), self.version, &pushed) {
                    self.unsent_streams.extend(pushed.streams);
                }
            }
            Err(p) => return self.crash(r, "diff", p, sink),
        }
        Flow::Continue
    }

    fn render_crash(&mut self, r: u64, msg: &str, sink: &mut impl Sink) -> Flow {
        tracing::error!(page = %self.id, "render panicked: {msg}; the page ends");
        sink.error(
            r,
            ErrorCode::PageCrashed,
            &format!("render panicked: {msg}"),
        );
        Flow::End
    }

    /// Sends the streams' new items without rendering the page (its HTML did not change).
    fn send_streams(&mut self, sink: &mut impl Sink) -> Flow {
        self.ctx.stage_streams();
        let pushed = self.ctx.take_pushed();
        if !pushed.is_empty() {
            self.version += 1;
            if !sink.patch(0, &[], &pushed) {
                self.unsent_streams.extend(pushed.streams);
            }
        }
        Flow::Continue
    }

    /// Sends the whole page as rendered; the client replaces its root's content.
    fn send_rendered(&mut self, r: u64, rendered: Rendered, sink: &mut impl Sink) -> Flow {
        self.version += 1;
        // Stream items of a frame the client never took go again: the server keeps no other copy.
        let mut streams = std::mem::take(&mut self.unsent_streams);
        streams.extend(self.ctx.take_streams());
        fill_html(&mut streams, &rendered.tree);
        self.ctx.push_streams(streams);
        let pushed = self.ctx.take_pushed();
        if !sink.page(r, &rendered.html, self.version, &pushed) {
            self.unsent_streams.extend(pushed.streams);
        }
        let family = self.sent.family();
        self.sent = Sent::keep(rendered, self.keep_tree_above, self.is_hot(), family);
        Flow::Continue
    }

    fn send_full(&mut self, r: u64, sink: &mut impl Sink) -> Flow {
        match self.render_whole(render, sink) {
            Ok(rendered) => {
                self.ctx.adopt_component_streams();
                self.send_rendered(r, rendered, sink)
            }
            Err(msg) => self.render_crash(r, &msg, sink),
        }
    }
}
