//! The page task: one tokio task per mounted page, owning its state, handling events in order,
//! rendering, diffing and sending frames to the attached socket.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures_util::FutureExt as _;
use futures_util::future::BoxFuture;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};

use crate::config::LiveConfig;
use crate::ctx::{Ctx, LiveHandle};
use crate::diff::diff;
use crate::error::{ErrorCode, LiveError};
use crate::params::{Params, Payload, Session};
use crate::protocol::{error_frame, html_frame, patch_frame};
use crate::registry::Registry;
use crate::render::{Sent, panic_message, render};
use crate::view::LiveView;

/// What the page task sends its socket's writer.
#[derive(Debug)]
pub(crate) enum Outgoing {
    Frame(String),
    /// Send nothing more and close the socket.
    Close,
}

/// A socket's sending side, as the page task sees it.
#[derive(Clone)]
pub(crate) struct Outbox {
    pub id: u64,
    pub tx: mpsc::Sender<Outgoing>,
}

/// A socket's request to attach to a page.
pub(crate) struct Attach {
    pub conn: Outbox,
    pub r: u64,
    /// Patch frames the client applied since its last full render.
    pub version: u64,
    /// The page was just mounted for this socket: send the whole page.
    pub fresh: bool,
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
        event: Box<(String, Value)>,
    },
    Resync {
        conn: u64,
        r: u64,
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
}

/// A page mounted and rendered once, not yet running: the HTML, and how to start its task.
pub(crate) struct MountedPage {
    pub html: String,
    pub title: String,
    pub start: Box<dyn FnOnce(StartArgs) -> mpsc::Sender<Control> + Send>,
}

pub(crate) struct StartArgs {
    pub id: Arc<str>,
    pub registry: Arc<Registry>,
    pub config: Arc<LiveConfig>,
    /// Whether a socket attaches right away (a mount at join time) rather than after an HTTP render.
    pub adopted: bool,
}

/// Mounts `V` and renders it once.
pub(crate) fn mount<V: LiveView>(
    params: Params,
    session: Session,
) -> BoxFuture<'static, Result<MountedPage, MountError>> {
    async move {
        let (info_tx, info_rx) = mpsc::channel(256);
        let mut ctx = Ctx::new(LiveHandle::new(info_tx));
        let view = AssertUnwindSafe(V::mount(&params, &session, &mut ctx))
            .catch_unwind()
            .await
            .map_err(|p| MountError::Panicked(panic_message(p)))??;
        let rendered = render(&view).map_err(MountError::Panicked)?;
        let title = view.title();
        let html = rendered.html.clone();
        let start = move |args: StartArgs| {
            let sent = Sent::keep(rendered, args.config.keep_tree_above_bytes, false);
            let (ctl_tx, ctl_rx) = mpsc::channel(32);
            let page = Page {
                view,
                ctx,
                sent,
                hot_until: None,
                version: 0,
                outbox: None,
                adopted: args.adopted,
                detached_at: Instant::now(),
                id: args.id,
                registry: args.registry,
                config: args.config,
            };
            tokio::spawn(page.run(ctl_rx, info_rx));
            ctl_tx
        };
        Ok(MountedPage {
            html,
            title,
            start: Box::new(start),
        })
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
    adopted: bool,
    detached_at: Instant,
    id: Arc<str>,
    registry: Arc<Registry>,
    config: Arc<LiveConfig>,
}

/// Whether the page goes on after a step.
enum Flow {
    Continue,
    End,
}

impl<V: LiveView> Page<V> {
    async fn run(mut self, mut ctl: mpsc::Receiver<Control>, mut info: mpsc::Receiver<V::Message>) {
        tracing::debug!(page = %self.id, "page started");
        loop {
            let window = if self.adopted {
                self.config.retention_window
            } else {
                self.config.adoption_window
            };
            let detached = self.outbox.is_none();
            let flow = tokio::select! {
                biased;
                c = ctl.recv() => match c {
                    Some(c) => self.control(c).await,
                    None => Flow::End,
                },
                Some(m) = info.recv() => self.info(m).await,
                _ = sleep_until(self.hot_until.unwrap_or(self.detached_at)), if self.sent.is_hot() => {
                    self.sent.cool();
                    self.hot_until = None;
                    Flow::Continue
                }
                _ = sleep_until(self.detached_at + window), if detached => {
                    tracing::debug!(page = %self.id, adopted = self.adopted, "page expired");
                    Flow::End
                }
            };
            if let Flow::End = flow {
                break;
            }
        }
        self.registry.remove(&self.id, !self.adopted);
        if let Some(out) = self.outbox.take() {
            let _ = out.tx.try_send(Outgoing::Close);
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
                } = *attach;
                if let Some(old) = self.outbox.take() {
                    let _ = old.tx.try_send(Outgoing::Frame(error_frame(
                        0,
                        ErrorCode::Replaced,
                        "another socket joined this page",
                    )));
                    let _ = old.tx.try_send(Outgoing::Close);
                }
                if !self.adopted {
                    self.adopted = true;
                    self.registry.adopted();
                }
                self.outbox = Some(conn);
                self.ctx.set_connected(true);
                if fresh || version != self.version {
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
                let (name, payload) = *event;
                let result = AssertUnwindSafe(self.view.handle_event(
                    &name,
                    Payload::new(payload),
                    &mut self.ctx,
                ))
                .catch_unwind()
                .await;
                match result {
                    Ok(Ok(())) => self.send_patch(r, true),
                    Ok(Err(e)) => {
                        tracing::warn!(page = %self.id, event = %name, error = %e, "event handler failed");
                        self.send(error_frame(r, e.code(), &e.to_string()));
                        // Whatever the handler changed before failing still reaches the client.
                        self.send_patch(0, false)
                    }
                    Err(p) => self.crash(r, &format!("handle_event({name:?})"), p),
                }
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

    async fn info(&mut self, msg: V::Message) -> Flow {
        match AssertUnwindSafe(self.view.handle_info(msg, &mut self.ctx))
            .catch_unwind()
            .await
        {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(page = %self.id, error = %e, "handle_info failed"),
            Err(p) => return self.crash(0, "handle_info", p),
        }
        if self.outbox.is_some() {
            self.send_patch(0, false)
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
        let rendered = match render(&self.view) {
            Ok(r) => r,
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
        let ops = diff(&self.sent.tree(), &rendered.tree);
        if ops.is_empty() && !always {
            return Flow::Continue;
        }
        self.sent = Sent::keep(rendered, self.config.keep_tree_above_bytes, self.is_hot());
        self.version += 1;
        self.send(patch_frame(r, &ops));
        Flow::Continue
    }

    fn send_full(&mut self, r: u64) -> Flow {
        match render(&self.view) {
            Ok(rendered) => {
                self.version += 1;
                self.send(html_frame(r, &rendered.html, self.version));
                self.sent = Sent::keep(rendered, self.config.keep_tree_above_bytes, self.is_hot());
                Flow::Continue
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

    /// Queues a frame; a socket whose queue is full is too slow and is detached (it resyncs on
    /// its next join, as its version no longer matches).
    fn send(&mut self, frame: String) {
        if let Some(out) = &self.outbox
            && out.tx.try_send(Outgoing::Frame(frame)).is_err()
        {
            tracing::warn!(page = %self.id, "socket queue full or closed; detaching");
            let _ = out.tx.try_send(Outgoing::Close);
            self.detach();
        }
    }
}
