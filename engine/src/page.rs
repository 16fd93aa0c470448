//! The page task: one tokio task per mounted page, owning its state, handling events in order,
//! rendering, diffing and sending frames to the attached socket.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use futures_util::FutureExt as _;
use futures_util::future::BoxFuture;
use serde_json::Value;
use tokio::sync::{Notify, mpsc, oneshot};
use tokio::time::{Instant, sleep_until};

use axum::body::Bytes;
use axum::http::{Extensions, Uri};

use crate::component;
use crate::config::LiveConfig;
use crate::ctx::{Ctx, LiveHandle, Nav, Pushed, Services};
use crate::decode::{self, DecodeErrorKind};
use crate::diff::Unrepresentable;
use crate::error::{ErrorCode, LiveError};
use crate::flash::{CLEAR_FLASH, Flash, FlashKind};
use crate::params::{Params, Session};
use crate::protocol::{
    Chunk, error_frame, html_frame_with, patch_frame_with, upload_ack_frame, upload_end_frame,
};
use crate::registry::{Quota, Registration, Registry};
use crate::render::{Rendered, panic_message, render, render_html};
use crate::sent::Sent;
use crate::stream::{StreamOps, fill_html};
use crate::upload::{CANCEL_UPLOAD, ChunkOutcome, FileMeta, Report};
use crate::url::{local_uri, params_for};
use crate::view::LiveView;
use crate::work::{Done, Queue};

/// A socket's sending side, as the page task sees it.
#[derive(Clone)]
pub(crate) struct Outbox {
    pub id: u64,
    /// Frames for the socket, in order.
    pub tx: mpsc::Sender<String>,
    /// Tells the socket to close once it has sent what is queued; never blocks, never fills.
    pub close: Arc<Notify>,
}

impl Outbox {
    /// Queues a frame; false when the socket is gone or too slow (its queue is full).
    pub fn send(&self, frame: String) -> bool {
        self.tx.try_send(frame).is_ok()
    }
}

/// A socket's request to attach to a page.
pub(crate) struct Attach {
    pub conn: Outbox,
    pub r: u64,
    /// The client's version: the server's version at its last full render plus the patch frames
    /// it applied since. `None` when the client knows its DOM is off.
    pub version: Option<u64>,
    /// The page was just mounted for this socket: send the whole page.
    pub fresh: bool,
    /// Answered once the page has attached the socket; dropped unanswered when the page ended
    /// first, so that the join mounts again instead of waiting.
    pub ack: oneshot::Sender<()>,
    /// The socket navigated here: the new page's token and URL go with its first frame.
    pub landed: Option<(String, String)>,
}

/// What a socket asks of a page. Kept small (large parts boxed): every page's queue holds a
/// block of these.
pub(crate) enum Control {
    Attach(Box<Attach>),
    Detach {
        conn: u64,
    },
    Event {
        conn: u64,
        r: u64,
        /// The name, the payload and the component it is for.
        event: Box<(String, Value, Option<String>)>,
    },
    Resync {
        conn: u64,
        r: u64,
    },
    /// The browser's URL changed to another URL of this page's route (an `lv-patch` link, or
    /// back and forward between patched URLs).
    Params {
        conn: u64,
        r: u64,
        change: Box<(Uri, Params)>,
    },
    /// The process is stopping: the page answers with its snapshot (or none).
    Snapshot {
        /// The page's route pattern and state.
        done: oneshot::Sender<Option<(Arc<str>, Value)>>,
    },
    /// Files picked for an upload (`"u"`).
    Upload {
        conn: u64,
        r: u64,
        upload: Box<(String, Vec<FileMeta>)>,
    },
    /// A binary frame: a chunk of an upload entry (boxed: the queue's slots stay small).
    Chunk {
        conn: u64,
        data: Box<Bytes>,
    },
    /// The socket navigates to another page: this one ends, leaving the socket open.
    Leave {
        conn: u64,
        /// Answered once the page has let go of the socket: it sends nothing more.
        done: oneshot::Sender<()>,
    },
}

/// Why a page could not be mounted.
#[derive(Debug, thiserror::Error)]
pub enum MountError {
    /// `mount` returned an error.
    #[error("mount failed: {0}")]
    Failed(#[from] LiveError),
    /// `mount` or the first `render` panicked.
    #[error("mount panicked: {0}")]
    Panicked(String),
    /// `mount` took longer than `mount_timeout`.
    #[error("mount took longer than {0:?}")]
    TimedOut(std::time::Duration),
    /// The page, or a check of its live session, sent the browser elsewhere instead
    /// ([`crate::LiveTest`] reports it so; a browser just follows).
    #[error("the page sent the browser to {to}")]
    Redirected {
        /// Where to.
        to: String,
        /// The flash that goes along.
        flash: Flash,
    },
}

/// Starts a mounted page's task and returns its control queue.
pub(crate) type StartFn = Box<dyn FnOnce(StartArgs) -> mpsc::Sender<Control> + Send>;

/// A page mounted and rendered once, not yet running: the HTML, and how to start its task.
pub(crate) struct MountedPage {
    pub html: String,
    pub title: String,
    pub start: StartFn,
}

/// What mounting gave.
pub(crate) enum Mounted {
    Page(MountedPage),
    /// The page sent the browser elsewhere while mounting (`redirect`, `push_navigate`), with
    /// the flash it put, sealed.
    Left {
        nav: Nav,
        flash: Option<String>,
    },
}

/// What a page is mounted with.
pub(crate) struct MountArgs {
    pub params: Params,
    pub session: Session,
    pub uri: Uri,
    /// The route pattern, to read the params of the page's own patches.
    pub pattern: Arc<str>,
    pub services: Services,
    /// What the live session's `on_mount` checks assigned.
    pub assigns: Extensions,
    /// The flash that came with the navigation here.
    pub flash: Flash,
    /// State an earlier process kept for this page ([`LiveView::restore`]).
    pub snapshot: Option<Value>,
}

pub(crate) struct StartArgs {
    pub id: Arc<str>,
    /// Tells this page's registry entry from a later page under the same id.
    pub generation: u64,
    pub registry: Arc<Registry>,
    pub config: Arc<LiveConfig>,
    /// Whether a socket attaches right away (a mount at join time) rather than after an HTTP render.
    pub adopted: bool,
    /// The page's place in the per-address and per-session counts.
    pub quota: Option<Quota>,
}

/// Mounts `V`, reads its URL (`handle_params`) and renders it once.
pub(crate) fn mount<V: LiveView>(
    args: MountArgs,
) -> BoxFuture<'static, Result<Mounted, MountError>> {
    async move {
        let MountArgs {
            params,
            session,
            uri,
            pattern,
            services,
            assigns,
            flash,
            snapshot,
        } = args;
        let (info_tx, info_rx) = mpsc::unbounded_channel();
        let mut ctx = Ctx::new(LiveHandle::new(info_tx), services);
        ctx.set_assigns(assigns);
        ctx.receive_flash(flash);
        let restored = match snapshot {
            Some(state) => AssertUnwindSafe(V::restore(state, &params, &session, &mut ctx))
                .catch_unwind()
                .await
                .map_err(|p| MountError::Panicked(panic_message(p)))?,
            None => None,
        };
        let mut view = match restored {
            Some(view) => {
                tracing::debug!(page = %pattern, "restored from a snapshot");
                view
            }
            None => AssertUnwindSafe(V::mount(&params, &session, &mut ctx))
                .catch_unwind()
                .await
                .map_err(|p| MountError::Panicked(panic_message(p)))??,
        };
        AssertUnwindSafe(view.handle_params(&params, &uri, &mut ctx))
            .catch_unwind()
            .await
            .map_err(|p| MountError::Panicked(panic_message(p)))??;
        if let Some(nav) = ctx.take_nav() {
            // A page that leaves while mounting is never shown; a patch is a navigation then.
            let nav = match nav {
                Nav::Patch { to, replace } => Nav::Navigate { to, replace },
                other => other,
            };
            return Ok(Mounted::Left {
                nav,
                flash: ctx.sealed_flash(),
            });
        }
        ctx.work_mut().show_loading(&mut view);
        // Only the HTML: a small page's tree is parsed when it first changes, not for the GET.
        let rendered = render_html(
            &view,
            ctx.flash(),
            Some(ctx.components()),
            ctx.shown_uploads(),
        )
        .map_err(MountError::Panicked)?;
        // The streams' first items are in this HTML.
        ctx.adopt_component_streams();
        ctx.first_render_done();
        let title = view.title();
        let html = rendered.clone();
        let start = move |args: StartArgs| {
            let sent = Sent::from_html(rendered, args.config.keep_tree_above_bytes);
            let (ctl_tx, ctl_rx) = mpsc::channel(32);
            let page = Page {
                view,
                ctx,
                sent,
                hot_until: None,
                version: 0,
                outbox: None,
                unsent_streams: Vec::new(),
                detached_at: Instant::now(),
                registration: Registration::new(
                    args.registry,
                    args.id.clone(),
                    args.generation,
                    !args.adopted,
                ),
                id: args.id,
                config: args.config,
                pattern,
                // An owned copy: the request's may share the buffer it was read into.
                uri: uri
                    .to_string()
                    .parse()
                    .unwrap_or_else(|_| Uri::from_static("/")),
                _quota: args.quota,
            };
            tokio::spawn(page.run(ctl_rx, info_rx));
            ctl_tx
        };
        Ok(Mounted::Page(MountedPage {
            html,
            title,
            start: Box::new(start),
        }))
    }
    .boxed()
}

struct Page<V: LiveView> {
    view: V,
    ctx: Ctx<V>,
    /// What the client has at `version`.
    sent: Sent,
    /// Until when the page counts as in use (events keep its parsed tree).
    hot_until: Option<Instant>,
    version: u64,
    outbox: Option<Outbox>,
    /// Stream changes of a frame the socket did not take.
    unsent_streams: Vec<StreamOps>,
    detached_at: Instant,
    /// The registry entry; removed when the page ends, however it ends (a panic included).
    registration: Registration,
    id: Arc<str>,
    config: Arc<LiveConfig>,
    /// The route pattern the page was mounted for.
    pattern: Arc<str>,
    /// The URL the browser shows for the page.
    uri: Uri,
    /// Given back when the page ends.
    _quota: Option<Quota>,
}

/// The payload of `lv:cancel-upload`.
#[derive(serde::Deserialize)]
struct Cancel {
    /// The entry's id.
    r#ref: u32,
}

/// The next report of the page's upload writers; never, while the page has no uploads.
async fn next_report(reports: &mut Option<mpsc::UnboundedReceiver<Report>>) -> Option<Report> {
    match reports {
        Some(r) => r.recv().await,
        None => std::future::pending().await,
    }
}

/// Messages handled before one render: a burst of messages costs one render per batch.
const INFO_BATCH: usize = 64;

/// Whether the page goes on after a step.
enum Flow {
    Continue,
    End,
}

impl<V: LiveView> Page<V> {
    async fn run(
        mut self,
        mut ctl: mpsc::Receiver<Control>,
        mut info: mpsc::UnboundedReceiver<V::Message>,
    ) {
        tracing::debug!(page = %self.id, "page started");
        // Outcomes of the page's work (a closed queue when it was taken already: never ready).
        let work = self.ctx.take_work_rx().unwrap_or_else(Queue::new);
        // What the upload writers report, once the page has uploads.
        let mut reports = None;
        loop {
            let window = if self.registration.adopted() {
                self.config.retention_window
            } else {
                self.config.adoption_window
            };
            let detached = self.outbox.is_none();
            if reports.is_none() {
                reports = self.ctx.take_upload_reports();
            }
            let flow = tokio::select! {
                biased;
                c = ctl.recv() => match c {
                    Some(c) => self.control(c).await,
                    None => Flow::End,
                },
                Some(m) = info.recv() => self.info(m, &mut info).await,
                done = work.recv() => self.work_done(done).await,
                Some(report) = next_report(&mut reports) => self.upload_report(report),
                _ = sleep_until(self.hot_until.unwrap_or(self.detached_at)), if self.sent.is_hot(self.config.keep_tree_above_bytes) => {
                    self.sent.cool(self.config.keep_tree_above_bytes);
                    self.hot_until = None;
                    Flow::Continue
                }
                _ = sleep_until(self.detached_at + window), if detached => {
                    tracing::debug!(page = %self.id, adopted = self.registration.adopted(), "page expired");
                    Flow::End
                }
            };
            if let Flow::End = flow {
                break;
            }
        }
        // Joins queued behind the end find their acknowledgement dropped and mount again.
        ctl.close();
        if let Some(out) = self.outbox.take() {
            out.close.notify_one();
        }
        tracing::debug!(page = %self.id, "page ended");
    }

    async fn control(&mut self, c: Control) -> Flow {
        match c {
            Control::Attach(attach) => {
                let Attach {
                    conn,
                    r,
                    version,
                    fresh,
                    ack,
                    landed,
                } = *attach;
                if ack.send(()).is_err() {
                    // The socket gave up waiting; nothing to attach.
                    return Flow::Continue;
                }
                if let Some(old) = self.outbox.take() {
                    old.send(error_frame(
                        0,
                        ErrorCode::Replaced,
                        "another socket joined this page",
                    ));
                    old.close.notify_one();
                }
                self.registration.adopt();
                self.outbox = Some(conn);
                self.ctx.set_connected(true);
                if fresh {
                    // Mounted for this socket: the mount's render is what the client needs.
                    self.version += 1;
                    let mut pushed = self.ctx.take_pushed();
                    if landed.is_some() {
                        pushed.title.get_or_insert_with(|| self.view.title());
                        pushed.landed = landed;
                    }
                    let frame = html_frame_with(r, self.sent.html(), self.version, &pushed);
                    self.send_with(frame, pushed);
                    Flow::Continue
                } else if version != Some(self.version) {
                    self.send_full(r)
                } else {
                    self.send_patch(r, true)
                }
            }
            Control::Detach { conn } => {
                if self.outbox.as_ref().is_some_and(|o| o.id == conn) {
                    self.detach();
                }
                Flow::Continue
            }
            Control::Event { conn, r, event } => {
                if !self.is_attached(conn) {
                    return Flow::Continue;
                }
                self.hot_until = Some(Instant::now() + self.config.hot_window);
                let (name, payload, target) = *event;
                if let Some(id) = target {
                    // Boxed, as are the other rare paths: the page's task keeps the size of its common ones.
                    return Box::pin(self.component_event(r, &id, &name, &payload)).await;
                }
                if name == CANCEL_UPLOAD {
                    if let Ok(Cancel { r#ref }) = decode::from_value(&payload) {
                        self.ctx.uploads_mut().cancel(None, r#ref);
                    }
                    return self.send_patch(r, true);
                }
                if name == CLEAR_FLASH {
                    let kind = payload
                        .get("kind")
                        .and_then(Value::as_str)
                        .and_then(FlashKind::parse);
                    self.ctx.clear_flash(kind);
                    return self.send_patch(r, true);
                }
                let event = match decode::from_event::<V::Event>(&name, &payload) {
                    Ok(event) => event,
                    Err(e) => {
                        tracing::warn!(page = %self.id, event = %name, error = %e, "event did not decode");
                        let code = match e.kind {
                            DecodeErrorKind::UnknownEvent => ErrorCode::UnknownEvent,
                            DecodeErrorKind::BadPayload => ErrorCode::BadPayload,
                        };
                        self.send(error_frame(
                            r,
                            code,
                            &format!("event {name:?} did not decode"),
                        ));
                        return Flow::Continue;
                    }
                };
                let result = AssertUnwindSafe(self.view.handle_event(event, &mut self.ctx))
                    .catch_unwind()
                    .await;
                self.answer(r, result, &format!("handle_event({name:?})"))
                    .await
            }
            Control::Params { conn, r, change } => {
                if !self.is_attached(conn) {
                    return Flow::Continue;
                }
                let (uri, params) = *change;
                if let Flow::End = Box::pin(self.params(r, uri, params)).await {
                    return Flow::End;
                }
                match self.follow_nav(r).await {
                    Flow::Continue => self.send_patch(r, true),
                    Flow::End => Flow::End,
                }
            }
            Control::Snapshot { done } => {
                let snapshot = catch_unwind(AssertUnwindSafe(|| self.view.snapshot()))
                    .unwrap_or_else(|p| {
                        tracing::error!(page = %self.id, "snapshot panicked: {}", panic_message(p));
                        None
                    });
                let _ = done.send(snapshot.map(|s| (self.pattern.clone(), s)));
                Flow::Continue
            }
            Control::Upload { conn, r, upload } => {
                if !self.is_attached(conn) {
                    return Flow::Continue;
                }
                let (name, files) = *upload;
                match self.ctx.uploads_mut().preflight(&name, files) {
                    Some(ids) => {
                        self.ctx.reply(ids);
                        self.send_patch(r, true)
                    }
                    None => {
                        tracing::warn!(page = %self.id, upload = %name, "files for an upload the page did not allow");
                        self.send(error_frame(
                            r,
                            ErrorCode::UnknownUpload,
                            &format!("no upload {name:?}"),
                        ));
                        Flow::Continue
                    }
                }
            }
            Control::Chunk { conn, data } => {
                if self.is_attached(conn) {
                    self.chunk(*data)
                } else {
                    Flow::Continue
                }
            }
            Control::Leave { conn, done } => {
                let flow = if self.is_attached(conn) {
                    // The socket stays open for the next page: no close, no error frame.
                    self.outbox = None;
                    self.ctx.set_connected(false);
                    tracing::debug!(page = %self.id, "left by a live navigation");
                    Flow::End
                } else {
                    Flow::Continue
                };
                let _ = done.send(());
                flow
            }
            Control::Resync { conn, r } => {
                if self.is_attached(conn) {
                    tracing::info!(page = %self.id, "client asked for a resync");
                    self.send_full(r)
                } else {
                    Flow::Continue
                }
            }
        }
    }

    /// Takes a chunk of an upload entry and hands it to the entry's writer.
    fn chunk(&mut self, data: Bytes) -> Flow {
        let chunk = match Chunk::decode(&data) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(page = %self.id, "refused binary frame: {}", e.message);
                self.send(error_frame(0, e.code, &e.message));
                return Flow::Continue;
            }
        };
        let bytes = data.slice(chunk.data_at..);
        match self
            .ctx
            .uploads_mut()
            .chunk(chunk.entry, chunk.offset, bytes)
        {
            ChunkOutcome::Queued | ChunkOutcome::Again(None) => Flow::Continue,
            ChunkOutcome::Again(Some(written)) => {
                self.send(upload_ack_frame(chunk.entry, written));
                Flow::Continue
            }
            ChunkOutcome::Unknown => {
                self.send(upload_end_frame(chunk.entry, "unknown_entry"));
                Flow::Continue
            }
            // The entry shows why; the notice tells the browser to stop.
            ChunkOutcome::Failed(_) => self.send_patch(0, false),
        }
    }

    /// Takes an upload writer's report: the browser gets its acknowledgement, and the view the
    /// progress when it moved by a percent or more.
    fn upload_report(&mut self, report: Report) -> Flow {
        let (changed, ack) = self.ctx.uploads_mut().report(report);
        if let Some((id, n)) = ack {
            self.send(upload_ack_frame(id, n));
        }
        if changed && self.outbox.is_some() {
            self.send_patch(0, false)
        } else {
            Flow::Continue
        }
    }

    /// Tells the browser which upload entries take no more chunks.
    fn send_upload_notices(&mut self) {
        for (id, why) in self.ctx.take_upload_notices() {
            self.send(upload_end_frame(id, why));
        }
    }

    /// Applies the outcome of finished work, unless it was cancelled or replaced since, and
    /// sends what changed.
    async fn work_done(&mut self, done: Done<V>) -> Flow {
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
                tracing::warn!(page = %self.id, work = %key, error = %e, "handling finished work failed")
            }
            Err(p) => return self.crash(0, &format!("the outcome of {key:?}"), p),
        }
        if let Flow::End = self.follow_nav(0).await {
            return Flow::End;
        }
        if self.outbox.is_some() {
            self.send_patch(0, false)
        } else {
            // Rendered when a socket attaches.
            Flow::Continue
        }
    }

    /// Runs an event targeted at the component `id`, then renders (the component again).
    async fn component_event(&mut self, r: u64, id: &str, name: &str, payload: &Value) -> Flow {
        let result = AssertUnwindSafe(component::handle_event(&mut self.ctx, id, name, payload))
            .catch_unwind()
            .await;
        self.answer(
            r,
            result,
            &format!("handle_event({name:?}) of component {id:?}"),
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
    ) -> Flow {
        match result {
            Ok(Ok(())) => match self.follow_nav(r).await {
                Flow::Continue => self.send_patch(r, true),
                Flow::End => Flow::End,
            },
            Ok(Err(e)) => {
                tracing::warn!(page = %self.id, handler = what, error = %e, "event handler failed");
                self.send(error_frame(r, e.code(), &e.to_string()));
                match self.follow_nav(0).await {
                    Flow::Continue => self.send_patch(0, false),
                    Flow::End => Flow::End,
                }
            }
            Err(p) => self.crash(r, what, p),
        }
    }

    /// Runs `handle_params` for a new URL of this page.
    async fn params(&mut self, r: u64, uri: Uri, params: Params) -> Flow {
        match AssertUnwindSafe(self.view.handle_params(&params, &uri, &mut self.ctx))
            .catch_unwind()
            .await
        {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::warn!(page = %self.id, uri = %uri, error = %e, "handle_params failed");
                self.send(error_frame(r, e.code(), &e.to_string()));
            }
            Err(p) => return self.crash(r, "handle_params", p),
        }
        self.uri = uri;
        Flow::Continue
    }

    /// Follows where the last callback sent the browser: a patch of this page's own route runs
    /// `handle_params` here and now; anything else goes to the client with the flash this page
    /// put, sealed.
    async fn follow_nav(&mut self, r: u64) -> Flow {
        let Some(nav) = self.ctx.take_nav() else {
            return Flow::Continue;
        };
        let nav = match nav {
            Nav::Patch { to, replace } => {
                let target = local_uri(&to)
                    .ok()
                    .and_then(|uri| params_for(&self.pattern, &uri).map(|p| (uri, p)));
                match target {
                    Some((uri, params)) => {
                        if let Flow::End = Box::pin(self.params(r, uri, params)).await {
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

    /// Handles `msg` and whatever else is queued (up to a batch), then renders once.
    async fn info(
        &mut self,
        msg: V::Message,
        queue: &mut mpsc::UnboundedReceiver<V::Message>,
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
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(page = %self.id, error = %e, "handle_info failed"),
                Err(p) => return self.crash(0, "handle_info", p),
            }
            streams_only &= self.ctx.take_streams_only();
            handled += 1;
            if handled < INFO_BATCH {
                next = queue.try_recv().ok();
            }
        }
        if let Flow::End = self.follow_nav(0).await {
            return Flow::End;
        }
        if self.outbox.is_some() {
            if streams_only && !self.ctx.work_mut().has_loading() && self.ctx.render_streams() {
                self.send_streams()
            } else {
                self.send_patch(0, false)
            }
        } else {
            // Rendered when a socket attaches.
            Flow::Continue
        }
    }

    fn is_hot(&self) -> bool {
        self.hot_until.is_some_and(|t| Instant::now() < t)
    }

    fn is_attached(&self, conn: u64) -> bool {
        self.outbox.as_ref().is_some_and(|o| o.id == conn)
    }

    fn detach(&mut self) {
        self.outbox = None;
        self.ctx.set_connected(false);
        self.detached_at = Instant::now();
    }

    fn crash(&mut self, r: u64, place: &str, p: Box<dyn std::any::Any + Send>) -> Flow {
        let msg = panic_message(p);
        tracing::error!(page = %self.id, "{place} panicked: {msg}; the page ends");
        self.send(error_frame(
            r,
            ErrorCode::PageCrashed,
            &format!("the page crashed: {msg}"),
        ));
        Flow::End
    }

    /// Renders, diffs against what the client has, and sends the operations. With `always`, an
    /// empty frame is sent too (it answers a reference).
    fn send_patch(&mut self, r: u64, always: bool) -> Flow {
        self.send_upload_notices();
        self.ctx.work_mut().show_loading(&mut self.view);
        let html = match render_html(
            &self.view,
            self.ctx.flash(),
            Some(self.ctx.components()),
            self.ctx.shown_uploads(),
        ) {
            Ok(html) => html,
            Err(msg) => {
                tracing::error!(page = %self.id, "render panicked: {msg}; the page ends");
                self.send(error_frame(
                    r,
                    ErrorCode::PageCrashed,
                    &format!("render panicked: {msg}"),
                ));
                return Flow::End;
            }
        };
        let (above, hot) = (self.config.keep_tree_above_bytes, self.is_hot());
        self.ctx.adopt_component_streams();
        let mut streams = self.ctx.take_streams();
        let sent = &mut self.sent;
        let advanced = catch_unwind(AssertUnwindSafe(|| {
            sent.advance(html, above, hot, &mut streams)
        }));
        self.ctx.push_streams(streams);
        match advanced {
            Ok(Ok(ops)) => {
                let pushed = self.ctx.take_pushed();
                if ops.is_empty() && !always && pushed.is_empty() {
                    return Flow::Continue;
                }
                self.version += 1;
                let frame = patch_frame_with(r, &ops, &pushed);
                self.send_with(frame, pushed);
            }
            Ok(Err(Unrepresentable)) => {
                tracing::debug!(page = %self.id, "change not expressible as operations; sending the page");
                self.version += 1;
                let pushed = self.ctx.take_pushed();
                let frame = html_frame_with(r, self.sent.html(), self.version, &pushed);
                self.send_with(frame, pushed);
            }
            Err(p) => return self.crash(r, "diff", p),
        }
        Flow::Continue
    }

    /// Sends the streams' new items without rendering the page (its HTML did not change).
    fn send_streams(&mut self) -> Flow {
        self.ctx.stage_streams();
        let pushed = self.ctx.take_pushed();
        if !pushed.is_empty() {
            self.version += 1;
            let frame = patch_frame_with(0, &[], &pushed);
            self.send_with(frame, pushed);
        }
        Flow::Continue
    }

    /// Sends the whole page as rendered; the client replaces its root's content.
    fn send_rendered(&mut self, r: u64, rendered: Rendered) -> Flow {
        self.version += 1;
        // Stream items of a frame the socket never took go again: the server keeps no other copy.
        let mut streams = std::mem::take(&mut self.unsent_streams);
        streams.extend(self.ctx.take_streams());
        fill_html(&mut streams, &rendered.tree);
        self.ctx.push_streams(streams);
        let pushed = self.ctx.take_pushed();
        let frame = html_frame_with(r, &rendered.html, self.version, &pushed);
        self.send_with(frame, pushed);
        self.sent = Sent::keep(rendered, self.config.keep_tree_above_bytes, self.is_hot());
        Flow::Continue
    }

    fn send_full(&mut self, r: u64) -> Flow {
        self.send_upload_notices();
        self.ctx.work_mut().show_loading(&mut self.view);
        match render(
            &self.view,
            self.ctx.flash(),
            Some(self.ctx.components()),
            self.ctx.shown_uploads(),
        ) {
            Ok(rendered) => {
                self.ctx.adopt_component_streams();
                self.send_rendered(r, rendered)
            }
            Err(msg) => {
                tracing::error!(page = %self.id, "render panicked: {msg}; the page ends");
                self.send(error_frame(
                    r,
                    ErrorCode::PageCrashed,
                    &format!("render panicked: {msg}"),
                ));
                Flow::End
            }
        }
    }

    /// Queues a frame. A socket whose queue is full is too slow: it is detached and told to
    /// close; its client reconnects, and as its version no longer matches it gets the whole page.
    fn send(&mut self, frame: String) -> bool {
        if let Some(out) = &self.outbox
            && !out.send(frame)
        {
            tracing::warn!(page = %self.id, "socket queue full or closed; detaching");
            out.close.notify_one();
            self.detach();
            return false;
        }
        true
    }

    /// Queues a frame that carries `pushed`; when the socket does not take it, its stream
    /// changes are kept for the whole-page frame the client gets when it comes back.
    fn send_with(&mut self, frame: String, pushed: Pushed) {
        if !self.send(frame) {
            self.unsent_streams.extend(pushed.streams);
        }
    }
}

#[cfg(test)]
mod tests {
    /// Every page's control queue holds a block of these: a large variant costs each page.
    #[test]
    fn controls_stay_small() {
        assert!(std::mem::size_of::<super::Control>() <= 32);
    }
}
