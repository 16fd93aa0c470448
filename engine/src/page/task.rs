//! The page task: one tokio task per mounted page. It owns the page's [`Core`], feeds it the
//! socket's events, the page's messages and finished work in order, and encodes what the core
//! sends into frames for the attached socket.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures_util::FutureExt as _;
use futures_util::future::BoxFuture;
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, sleep_until};

use axum::body::Bytes;
use axum::http::{Extensions, Uri};

use tracing::Instrument as _;

use crate::config::LiveConfig;
use crate::ctx::{Ctx, LiveHandle, Nav, Services};
use crate::error::panic_message;
use crate::error::{ErrorCode, LiveError};
use crate::flash::Flash;
use crate::page::core::{Core, CoreParts, Flow, FrameSink};
use crate::page::metered::{metrics_on, timed};
use crate::page::registry::{Quota, Registration, Registry};
use crate::page::render::{path_and_query, render_html};
use crate::page::session::Mounting;
use crate::params::{Params, Session};
use crate::upload::{FileMeta, Report};
use crate::view::LiveView;
use crate::wire::outbox::Outbox;
use crate::wire::protocol::error_frame;
use crate::work::{Done, Queue};

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
    /// Events the client sends again after this join, by reference
    /// ([`crate::page::answers::Answers`]).
    pub resent: Vec<u64>,
}

/// What a socket asks of a page. Every variant holds one word at most (larger parts boxed,
/// with the socket and the reference number inside the box): every page's queue holds a block
/// of 32 of these, idle or not.
pub(crate) enum Control {
    Attach(Box<Attach>),
    Detach {
        conn: u64,
    },
    /// An event: its name, its payload and the component it is for.
    Event(Box<Asked<(String, Value, Option<String>)>>),
    Resync(Box<Asked<()>>),
    /// The browser's URL changed to another URL of this page's route (an `lv-patch` link, or
    /// back and forward between patched URLs).
    Params(Box<Asked<(Uri, Params)>>),
    /// The process is stopping: the page answers with its snapshot (or none).
    Snapshot {
        /// The page's route pattern and state.
        done: oneshot::Sender<Option<(Arc<str>, Value)>>,
    },
    /// Files picked for an upload (`"u"`).
    Upload(Box<Asked<(String, Vec<FileMeta>)>>),
    /// A binary frame: a chunk of an upload entry, from socket `.0`.
    Chunk(Box<(u64, Bytes)>),
    /// The socket `.0` navigates to another page: this one ends, leaving the socket open, and
    /// answers on `.1` once it has let go of the socket (it sends nothing more).
    Leave(Box<(u64, oneshot::Sender<()>)>),
}

/// A socket's request to its page: from socket `conn`, answered with reference `r`.
pub(crate) struct Asked<T> {
    pub conn: u64,
    pub r: u64,
    pub what: T,
}

impl<T> Asked<T> {
    /// `what`, from socket `conn` with reference `r`, boxed for the page's queue.
    pub(crate) fn boxed(conn: u64, r: u64, what: T) -> Box<Asked<T>> {
        Box::new(Asked { conn, r, what })
    }
}

/// Why a page could not be mounted.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::testing::{LiveTest, MountError};
/// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session};
///
/// struct Room;
/// impl LiveView for Room {
///     type Message = ();
///     type Event = RawEvent;
///     async fn mount(p: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
///         p.get("name").map(|_| Room).ok_or_else(|| LiveError::msg("which room?"))
///     }
///     fn render(&self) -> impl IntoView { view! { <p>"room"</p> } }
/// }
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let err = LiveTest::<Room>::mount(Params::default(), Session::default()).await.err().unwrap();
/// assert!(matches!(&err, MountError::Failed(e) if e.to_string() == "which room?"));
/// # });
/// ```
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
    /// (`LiveTest` reports it so; a browser just follows).
    #[cfg(any(test, feature = "testing"))]
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

impl MountArgs {
    /// What a page mounts with once its live session's checks passed it on as `checked`.
    pub(crate) fn checked(
        checked: &Mounting,
        pattern: Arc<str>,
        services: Services,
        flash: Flash,
        snapshot: Option<Value>,
    ) -> Self {
        MountArgs {
            params: checked.params.clone(),
            session: checked.session.clone(),
            uri: checked.uri.clone(),
            pattern,
            services,
            assigns: checked.assigns.clone(),
            flash,
            snapshot,
        }
    }
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
    /// Where the page's snapshot goes when its socket stayed away past the retention window
    /// (none: the page is dropped).
    pub keep: Option<Keep>,
}

/// Keeps a page's state, `(id, route pattern, state)`, when it outlived its retention window.
pub(crate) type Keep = Arc<dyn Fn(Arc<str>, Arc<str>, Value) + Send + Sync>;

/// A page mounted and rendered once, before a client or a test takes it.
pub(crate) struct Fresh<V: LiveView> {
    pub view: V,
    pub ctx: Ctx<V>,
    /// The page's messages (`handle_info`).
    pub info: mpsc::UnboundedReceiver<V::Message>,
    pub html: String,
    pub title: String,
    pub pattern: Arc<str>,
    pub uri: Uri,
    /// Its state came from a snapshot, not from `mount`.
    pub restored: bool,
}

/// What mounting gave, before a task runs it.
pub(crate) enum Mount<V: LiveView> {
    Page(Box<Fresh<V>>),
    /// The page sent the browser elsewhere while mounting; its context holds the flash it put.
    Left {
        nav: Nav,
        ctx: Box<Ctx<V>>,
    },
}

/// Mounts `V` (or restores it from a snapshot), reads its URL (`handle_params`) and renders it
/// once: the first steps of every page, served or tested.
pub(crate) async fn mount_fresh<V: LiveView>(args: MountArgs) -> Result<Mount<V>, MountError> {
    let view = std::any::type_name::<V>();
    let span = tracing::info_span!(
        "mount",
        view,
        route = %args.pattern,
        restored = args.snapshot.is_some(),
        outcome = tracing::field::Empty,
    );
    let started = metrics_on().then(Instant::now);
    let mounted = mount_steps::<V>(args).instrument(span.clone()).await;
    timed("leptos_live_mount_seconds", view, started);
    if let Ok(Mount::Page(fresh)) = &mounted {
        let name = if fresh.restored {
            "leptos_live_pages_restored_total"
        } else {
            "leptos_live_pages_mounted_total"
        };
        metrics::counter!(name, "view" => view).increment(1);
    }
    span.record(
        "outcome",
        match &mounted {
            Ok(Mount::Page(_)) => "ok",
            Ok(Mount::Left { .. }) => "left",
            Err(MountError::Panicked(_)) => "page_crashed",
            Err(_) => "mount_failed",
        },
    );
    mounted
}

async fn mount_steps<V: LiveView>(args: MountArgs) -> Result<Mount<V>, MountError> {
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
    let (info_tx, info) = mpsc::unbounded_channel();
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
    let was_restored = restored.is_some();
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
        return Ok(Mount::Left {
            nav,
            ctx: Box::new(ctx),
        });
    }
    ctx.work_mut().show_loading(&mut view);
    // Only the HTML: a small page's tree is parsed when it first changes, not for the GET.
    let html = render_html(
        &view,
        ctx.flash(),
        Some(ctx.components()),
        ctx.shown_uploads(),
        Some(path_and_query(&uri)),
    )
    .map_err(MountError::Panicked)?;
    // The streams' first items are in this HTML.
    ctx.adopt_component_streams();
    ctx.first_render_done();
    let title = view.title();
    Ok(Mount::Page(Box::new(Fresh {
        view,
        ctx,
        info,
        html,
        title,
        pattern,
        // An owned copy: the request's may share the buffer it was read into.
        uri: uri
            .to_string()
            .parse()
            .unwrap_or_else(|_| Uri::from_static("/")),
        restored: was_restored,
    })))
}

/// Mounts `V`, reads its URL (`handle_params`) and renders it once.
pub(crate) fn mount<V: LiveView>(
    args: MountArgs,
) -> BoxFuture<'static, Result<Mounted, MountError>> {
    async move {
        let fresh = match mount_fresh::<V>(args).await? {
            Mount::Page(fresh) => *fresh,
            Mount::Left { nav, mut ctx } => {
                return Ok(Mounted::Left {
                    nav,
                    flash: ctx.sealed_flash(),
                });
            }
        };
        let Fresh {
            view,
            ctx,
            info,
            html,
            title,
            pattern,
            uri,
            ..
        } = fresh;
        let page_html = html.clone();
        let start = move |args: StartArgs| {
            let (ctl_tx, ctl_rx) = mpsc::channel(32);
            let core = Core::new(CoreParts {
                view,
                ctx,
                html,
                id: args.id.clone(),
                keep_tree_above: args.config.keep_tree_above_bytes,
                hot_window: args.config.hot_window,
                pattern,
                uri,
            });
            let page = PageTask {
                core,
                link: SocketLink {
                    outbox: None,
                    id: args.id.clone(),
                    dropped: false,
                },
                detached_at: Instant::now(),
                registration: Registration::new(
                    args.registry,
                    args.id,
                    args.generation,
                    !args.adopted,
                ),
                config: args.config,
                keep: args.keep,
                _quota: args.quota,
            };
            tokio::spawn(page.run(ctl_rx, info));
            ctl_tx
        };
        Ok(Mounted::Page(MountedPage {
            html: page_html,
            title,
            start: Box::new(start),
        }))
    }
    .boxed()
}

/// The page task's side of its socket: frames encoded and queued.
struct SocketLink {
    outbox: Option<Outbox>,
    /// Names the page in logs.
    id: Arc<str>,
    /// The socket was too slow or gone during the last step, and was let go.
    dropped: bool,
}

impl SocketLink {
    /// Whether `conn` is the socket attached now.
    fn serves(&self, conn: u64) -> bool {
        self.outbox.as_ref().is_some_and(|o| o.id == conn)
    }
}

impl FrameSink for SocketLink {
    fn attached(&self) -> bool {
        self.outbox.is_some()
    }

    /// Writes a frame to the socket (or leaves it waiting there). A socket that has too many
    /// frames waiting is too slow: it is let go and told to close; its client reconnects, and
    /// as its version no longer matches it gets the whole page.
    fn send(&mut self, frame: String) -> bool {
        if let Some(out) = &self.outbox
            && !out.send(frame)
        {
            tracing::warn!(page = %self.id, "socket too slow or closed; detaching");
            out.close();
            self.outbox = None;
            self.dropped = true;
            return false;
        }
        true
    }
}

struct PageTask<V: LiveView> {
    core: Core<V>,
    link: SocketLink,
    detached_at: Instant,
    /// The registry entry; removed when the page ends, however it ends (a panic included).
    registration: Registration,
    config: Arc<LiveConfig>,
    /// Where the page's state goes if its socket stays away too long.
    keep: Option<Keep>,
    /// Given back when the page ends.
    _quota: Option<Quota>,
}

/// What woke a page's task.
enum Woke<V: LiveView> {
    /// A socket's request, or `None` once no socket can send any more.
    Control(Option<Control>),
    Info(V::Message),
    Work(Done<V>),
    Report(Report),
    /// Feeds left items for the page.
    Fed,
    /// The page's parsed tree may be dropped.
    Cool,
    /// The page waited for a socket too long.
    Expired,
}

/// The next report of the page's upload writers; never, while the page has no uploads.
async fn next_report(reports: &mut Option<mpsc::UnboundedReceiver<Report>>) -> Option<Report> {
    match reports {
        Some(r) => r.recv().await,
        None => std::future::pending().await,
    }
}

impl<V: LiveView> PageTask<V> {
    /// The page's loop, until it ends. Not an `async fn`: the future of one keeps its arguments
    /// twice (its first state holds them, and the body its own copy: rust-lang/rust#62958),
    /// which for a page's task is a second copy of the whole page, a kilobyte or more per page.
    /// An `async move` block that uses what it captured in place keeps one.
    fn run(
        self,
        mut ctl: mpsc::Receiver<Control>,
        mut info: mpsc::UnboundedReceiver<V::Message>,
    ) -> impl Future<Output = ()> + Send + 'static {
        let mut task = self;
        async move {
            let id = task.core.id.clone();
            tracing::debug!(page = %id, "page started");
            let mut live = Live::page(std::any::type_name::<V>(), task.core.pattern.clone());
            // Outcomes of the page's work (a closed queue when it was taken already: never ready).
            let work = task.core.ctx.take_work_rx().unwrap_or_else(Queue::new);
            // What the upload writers report, once the page has uploads.
            let mut reports = None;
            let above = task.config.keep_tree_above_bytes;
            // Where the page's feeds find it: in a step, or waiting on its socket.
            let gate = task.core.ctx.gate().clone();
            loop {
                live.absent(task.link.outbox.is_none());
                let window = if task.registration.adopted() {
                    task.config.retention_window
                } else {
                    task.config.adoption_window
                };
                let detached = task.link.outbox.is_none();
                if reports.is_none() {
                    reports = task.core.ctx.take_upload_reports();
                }
                let core = &task.core;
                // One timer for the two ends a waiting page may have (its tree cools, or it has
                // waited for a socket too long): the task keeps one, and cooling comes first.
                let cool = core
                    .sent
                    .is_hot(above)
                    .then(|| core.hot_until.unwrap_or(task.detached_at));
                let expire = detached.then(|| task.detached_at + window);
                let alarm = match (cool, expire) {
                    (Some(c), Some(e)) => Some(c.min(e)),
                    (c, e) => c.or(e),
                };
                let woke = tokio::select! {
                    biased;
                    c = ctl.recv() => Woke::Control(c),
                    Some(m) = info.recv() => Woke::Info(m),
                    done = work.recv() => Woke::Work(done),
                    Some(report) = next_report(&mut reports) => Woke::Report(report),
                    () = gate.nudged() => Woke::Fed,
                    _ = sleep_until(alarm.unwrap_or(task.detached_at)), if alarm.is_some() => {
                        if cool.is_some_and(|c| c <= Instant::now()) {
                            Woke::Cool
                        } else {
                            Woke::Expired
                        }
                    }
                };
                // Frames the feeds wrote while the page waited count in its version.
                task.core.version += gate.enter();
                let (core, link) = (&mut task.core, &mut task.link);
                // The steps that run the page's code are boxed while they run: the task keeps the
                // size of this loop while the page waits, not that of the page's largest handler
                // (an allocation per step, against kilobytes per idle page).
                let flow = match woke {
                    Woke::Control(Some(c)) => Box::pin(task.control(c)).await,
                    Woke::Control(None) => Flow::End,
                    Woke::Info(m) => Box::pin(core.info(m, &mut info, link)).await,
                    Woke::Work(done) => Box::pin(core.work_done(done, link)).await,
                    Woke::Report(report) => core.upload_report(report, link),
                    Woke::Fed => core.fed(link),
                    Woke::Cool => {
                        core.sent.cool(above);
                        core.hot_until = None;
                        Flow::Continue
                    }
                    Woke::Expired => {
                        let adopted = task.registration.adopted();
                        tracing::debug!(page = %id, adopted, "page expired");
                        // A page a browser had is kept for its return, when its view keeps state;
                        // one never joined is nobody's.
                        if let (true, Some(keep)) = (adopted, &task.keep)
                            && let Some((pattern, state)) = core.snapshot()
                        {
                            keep(id.clone(), pattern, state);
                        }
                        Flow::End
                    }
                };
                if std::mem::take(&mut task.link.dropped) {
                    task.detach();
                }
                if let Flow::End = flow {
                    break;
                }
                gate.leave(task.link.outbox.as_ref());
            }
            gate.end();
            // Joins queued behind the end find their acknowledgement dropped and mount again.
            ctl.close();
            if let Some(out) = task.link.outbox.take() {
                out.close();
            }
            tracing::debug!(page = %id, "page ended");
        }
    }

    async fn control(&mut self, c: Control) -> Flow {
        let (core, link) = (&mut self.core, &mut self.link);
        match c {
            Control::Attach(attach) => {
                let Attach {
                    conn,
                    r,
                    version,
                    fresh,
                    ack,
                    landed,
                    resent,
                } = *attach;
                if ack.send(()).is_err() {
                    // The socket gave up waiting; nothing to attach.
                    return Flow::Continue;
                }
                if let Some(old) = link.outbox.take() {
                    old.send(error_frame(
                        0,
                        ErrorCode::Replaced,
                        "another socket joined this page",
                    ));
                    old.close();
                }
                if self.registration.adopted() {
                    // The page had a socket before: a client that came back.
                    metrics::counter!(
                        "leptos_live_pages_resumed_total",
                        "view" => std::any::type_name::<V>()
                    )
                    .increment(1);
                }
                self.registration.adopt();
                link.outbox = Some(conn);
                core.answers.expect(resent);
                core.attach(r, fresh, version, landed, link)
            }
            Control::Detach { conn } => {
                if link.serves(conn) {
                    self.detach();
                }
                Flow::Continue
            }
            Control::Event(asked) if link.serves(asked.conn) => {
                let Asked { r, what, .. } = *asked;
                let (name, payload, target) = what;
                core.event(r, name, payload, target, link).await
            }
            Control::Params(asked) if link.serves(asked.conn) => {
                let Asked { r, what, .. } = *asked;
                let (uri, params) = what;
                core.patch_url(r, uri, params, link).await
            }
            Control::Upload(asked) if link.serves(asked.conn) => {
                let Asked { r, what, .. } = *asked;
                let (name, files) = what;
                core.upload(r, &name, files, link)
            }
            Control::Chunk(chunk) if link.serves(chunk.0) => core.chunk(chunk.1, link),
            Control::Resync(asked) if link.serves(asked.conn) => core.resync(asked.r, link),
            // From a socket this page no longer serves.
            Control::Event(_)
            | Control::Params(_)
            | Control::Upload(_)
            | Control::Chunk(_)
            | Control::Resync(_) => Flow::Continue,
            Control::Snapshot { done } => {
                let _ = done.send(core.snapshot());
                Flow::Continue
            }
            Control::Leave(leave) => {
                let (conn, done) = *leave;
                let flow = if link.serves(conn) {
                    // The socket stays open for the next page: no close, no error frame.
                    link.outbox = None;
                    core.ctx.set_connected(false);
                    tracing::debug!(page = %core.id, "left by a live navigation");
                    Flow::End
                } else {
                    Flow::Continue
                };
                let _ = done.send(());
                flow
            }
        }
    }

    fn detach(&mut self) {
        self.link.outbox = None;
        self.core.ctx.set_connected(false);
        self.detached_at = Instant::now();
    }
}

/// Counts a running page in the `leptos_live_pages` gauge (by view and route pattern) while its
/// task lives, in `leptos_live_absent_pages` while it is held without a socket (before its first
/// join, or waiting for its client to come back), and in `leptos_live_pages_ended_total` when it
/// ends.
struct Live {
    view: &'static str,
    route: Arc<str>,
    absent: bool,
}

impl Live {
    fn page(view: &'static str, route: Arc<str>) -> Live {
        let live = Live {
            view,
            route,
            absent: false,
        };
        live.pages().increment(1.0);
        live
    }

    /// The `leptos_live_pages` gauge of this page's view and route.
    fn pages(&self) -> metrics::Gauge {
        let route = metrics::SharedString::from_shared(self.route.clone());
        metrics::gauge!("leptos_live_pages", "view" => self.view, "route" => route)
    }

    fn absent(&mut self, absent: bool) {
        if absent != self.absent {
            let gauge = metrics::gauge!("leptos_live_absent_pages");
            if absent {
                gauge.increment(1.0);
            } else {
                gauge.decrement(1.0);
            }
            self.absent = absent;
        }
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.absent(false);
        self.pages().decrement(1.0);
        metrics::counter!("leptos_live_pages_ended_total", "view" => self.view).increment(1);
    }
}

#[cfg(test)]
mod tests {
    /// Every page's control queue holds a block of these: a large variant costs each page.
    #[test]
    fn controls_stay_small() {
        assert!(std::mem::size_of::<super::Control>() <= 16);
    }
}
