//! A connection's sending side, shared by the connection's task and the page it is attached to.
//! The connection is a WebSocket or a long-poll session: both write to a [`ConnSink`].
//!
//! A frame is written by the task that made it, at once, when the socket can take it: a page
//! that sends a patch writes it to the socket itself, with no hand-off to the socket's task and
//! no wake-up of it. Only when the socket cannot take more (its buffer is full, or the socket's
//! task is reading at that moment) do frames wait here, in order, and the socket's task is woken
//! to write them when the socket is ready. A socket that leaves [`CAPACITY`] frames waiting is
//! too slow: further sends fail, and its page lets it go.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future as _;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes};
use futures_util::Sink;
use futures_util::task::AtomicWaker;
use tokio::time::{Instant, Sleep, sleep_until};

/// Frames that may wait for a slow socket before sends to it fail.
pub(crate) const CAPACITY: usize = 64;

/// Frames taken for sockets and their bytes, not yet in the metrics
/// (`leptos_live_frames_sent_total`, `leptos_live_bytes_sent_total`).
#[derive(Debug, Default)]
pub(crate) struct Counted {
    pub frames: u64,
    pub bytes: u64,
}

impl Counted {
    /// Adds what was counted to the metrics, and starts again from nothing.
    pub fn record(&mut self) {
        if self.frames > 0 {
            metrics::counter!("leptos_live_frames_sent_total").increment(self.frames);
            metrics::counter!("leptos_live_bytes_sent_total").increment(self.bytes);
        }
        *self = Counted::default();
    }
}

/// Where a connection's frames go, whatever carries them: a WebSocket's writing half (which
/// frames them itself), or a long-poll session's queue of frames for its next poll.
pub(crate) type ConnSink = Pin<Box<dyn Sink<Message, Error = axum::Error> + Send>>;

/// Why a socket stopped taking frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum OutboxError {
    /// Writing failed: the peer is gone.
    #[error("the socket failed")]
    Failed,
    /// The peer took nothing for longer than the write limit.
    #[error("the peer took nothing for {0:?}")]
    Stalled(Duration),
}

/// A socket's sending side: cheap to clone, shared by the socket's task and its pages.
///
/// A socket carries its page on channel 0 and the sticky parts of the layout beside it on
/// channels 1, 2, …: a frame for channel `n > 0` goes with `n` written before it (`1[3,…]`), so
/// the page's own frames cost nothing more.
pub(crate) struct Outbox<S = ConnSink> {
    /// The socket's number.
    pub id: u64,
    /// The channel this side writes to.
    channel: u8,
    shared: Arc<OutboxShared<S>>,
}

impl<S> Clone for Outbox<S> {
    fn clone(&self) -> Self {
        Outbox {
            id: self.id,
            channel: self.channel,
            shared: self.shared.clone(),
        }
    }
}

impl<S> fmt::Debug for Outbox<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Outbox")
            .field("id", &self.id)
            .field("channel", &self.channel)
            .finish()
    }
}

struct OutboxShared<S> {
    out: Mutex<Queued<S>>,
    /// The socket's task, woken when frames wait for it or the socket is to close.
    task: AtomicWaker,
    /// How long the peer may take nothing before the socket counts as failed.
    limit: Duration,
}

struct Queued<S> {
    sink: S,
    /// Frames the socket could not take yet, in order.
    waiting: VecDeque<Message>,
    /// The sink holds frames it has not written out.
    unflushed: bool,
    /// The socket is to close once what waits is written: sends fail from now on.
    closing: bool,
    /// The close frame is in the sink.
    close_sent: bool,
    /// The status code the close frame carries (RFC 6455 §7.4), if any.
    close_code: Option<u16>,
    /// Writing failed: sends fail.
    failed: Option<OutboxError>,
    /// Armed when the peer stopped taking what it was given: the end of the wait.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<S: Sink<Message> + Unpin> Queued<S> {
    /// Writes out what the sink holds; false when the socket cannot take it all now.
    fn flush(&mut self, cx: &mut Context<'_>) -> Result<bool, OutboxError> {
        match Pin::new(&mut self.sink).poll_flush(cx) {
            Poll::Ready(Ok(())) => {
                self.unflushed = false;
                self.stalled = None;
                Ok(true)
            }
            Poll::Ready(Err(_)) => Err(OutboxError::Failed),
            Poll::Pending => Ok(false),
        }
    }

    /// Writes `msg` when nothing waits before it: `Ready` once it is written out, `Pending`
    /// when it waits (in the queue, or in the sink to be flushed) for the socket's task.
    fn write_first(&mut self, msg: Message, cx: &mut Context<'_>) -> Poll<Result<(), OutboxError>> {
        match Pin::new(&mut self.sink).poll_ready(cx) {
            Poll::Ready(Ok(())) => {}
            Poll::Ready(Err(_)) => return Poll::Ready(Err(OutboxError::Failed)),
            Poll::Pending => {
                self.waiting.push_back(msg);
                return Poll::Pending;
            }
        }
        if Pin::new(&mut self.sink).start_send(msg).is_err() {
            return Poll::Ready(Err(OutboxError::Failed));
        }
        self.unflushed = true;
        match self.flush(cx)? {
            true => Poll::Ready(Ok(())),
            false => Poll::Pending,
        }
    }

    /// Writes what waits, then the close frame when closing; `Ready` once all is written.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), OutboxError>> {
        loop {
            let next = match self.waiting.pop_front() {
                Some(msg) => msg,
                None if self.closing && !self.close_sent => {
                    self.close_sent = true;
                    Message::Close(self.close_code.map(|code| CloseFrame {
                        code,
                        reason: Utf8Bytes::default(),
                    }))
                }
                None => break,
            };
            match Pin::new(&mut self.sink).poll_ready(cx) {
                Poll::Ready(Ok(())) => {}
                Poll::Ready(Err(_)) => return Poll::Ready(Err(OutboxError::Failed)),
                Poll::Pending => {
                    if matches!(next, Message::Close(_)) {
                        self.close_sent = false;
                    } else {
                        self.waiting.push_front(next);
                    }
                    return Poll::Pending;
                }
            }
            if Pin::new(&mut self.sink).start_send(next).is_err() {
                return Poll::Ready(Err(OutboxError::Failed));
            }
            self.unflushed = true;
        }
        if self.unflushed && !self.flush(cx)? {
            return Poll::Pending;
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: Sink<Message> + Unpin> Outbox<S> {
    /// The sending side of socket `id`, writing to `sink`; a peer that takes nothing for
    /// `limit` counts as failed.
    pub fn new(id: u64, sink: S, limit: Duration) -> Self {
        Outbox {
            id,
            channel: 0,
            shared: Arc::new(OutboxShared {
                out: Mutex::new(Queued {
                    sink,
                    waiting: VecDeque::new(),
                    unflushed: false,
                    closing: false,
                    close_sent: false,
                    close_code: None,
                    failed: None,
                    stalled: None,
                }),
                task: AtomicWaker::new(),
                limit,
            }),
        }
    }

    /// The same socket's side for channel `n`: its frames go with `n` before them.
    pub fn channel(&self, n: u8) -> Self {
        Outbox {
            channel: n,
            ..self.clone()
        }
    }

    fn lock(&self) -> MutexGuard<'_, Queued<S>> {
        self.shared.out.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Writes a frame, or queues it for the socket's task when the socket cannot take it now.
    /// False when the socket is closing, failed, or too slow ([`CAPACITY`] frames wait).
    pub fn send(&self, frame: impl Into<Utf8Bytes>) -> bool {
        let mut sent = Counted::default();
        let taken = self.send_counted(frame, &mut sent);
        sent.record();
        taken
    }

    /// As [`Outbox::send`], adding the frame to `sent` instead of to the metrics: a writer that
    /// sends one frame to thousands of sockets records them once.
    pub(crate) fn send_counted(&self, frame: impl Into<Utf8Bytes>, sent: &mut Counted) -> bool {
        let mut frame = frame.into();
        if self.channel > 0 {
            frame = format!("{}{}", self.channel, frame.as_str()).into();
        }
        let len = frame.len() as u64;
        let taken = self.send_message(Message::Text(frame));
        if taken {
            sent.frames += 1;
            sent.bytes += len;
        }
        taken
    }

    /// Sends a message of any kind as it is (a pong, say), on no channel, and counts it in no
    /// metric. False as for [`Outbox::send`].
    pub(crate) fn send_message(&self, frame: Message) -> bool {
        let mut out = self.lock();
        if out.closing || out.failed.is_some() || out.waiting.len() >= CAPACITY {
            return false;
        }
        // Behind frames that wait, the socket's task writes it after them: its waker is the
        // one registered with the socket, and stays so.
        let behind = !out.waiting.is_empty() || out.unflushed;
        if behind {
            out.waiting.push_back(frame);
        } else {
            // Straight to the socket, not through the queue, which then allocates only for a
            // socket that falls behind (and an idle page keeps no buffer for it). Without a
            // waker: when the socket cannot take it, the socket's task (woken below) polls
            // again with its own.
            match out.write_first(frame, &mut Context::from_waker(Waker::noop())) {
                Poll::Ready(Ok(())) => return true,
                Poll::Pending => {}
                Poll::Ready(Err(e)) => {
                    out.failed = Some(e);
                    drop(out);
                    self.shared.task.wake();
                    return false;
                }
            }
        }
        drop(out);
        self.shared.task.wake();
        true
    }

    /// Asks the socket to close once what waits is written; sends fail from now on.
    pub fn close(&self) {
        self.lock().closing = true;
        self.shared.task.wake();
    }

    /// As [`Outbox::close`], with `code` in the close frame (the code of the client's own close,
    /// echoed, or why the engine ends the connection); a close asked for earlier keeps its own.
    pub(crate) fn close_with(&self, code: u16) {
        let mut out = self.lock();
        if !out.closing {
            out.closing = true;
            out.close_code = Some(code);
        }
        drop(out);
        self.shared.task.wake();
    }

    /// The socket's task's part: writes what waits whenever the socket can take it. Never
    /// ready while the socket is open; ready with `Ok` once a requested close is written, with
    /// an error when writing failed or the peer took nothing for the write limit.
    pub fn poll_drive(&self, cx: &mut Context<'_>) -> Poll<Result<(), OutboxError>> {
        self.shared.task.register(cx.waker());
        let mut out = self.lock();
        if let Some(e) = out.failed {
            return Poll::Ready(Err(e));
        }
        match out.drain(cx) {
            Poll::Ready(Ok(())) if out.closing => Poll::Ready(Ok(())),
            Poll::Ready(Ok(())) => Poll::Pending,
            Poll::Ready(Err(e)) => {
                out.failed = Some(e);
                Poll::Ready(Err(e))
            }
            Poll::Pending => {
                let limit = self.shared.limit;
                let timer = out
                    .stalled
                    .get_or_insert_with(|| Box::pin(sleep_until(Instant::now() + limit)));
                if timer.as_mut().poll(cx).is_ready() {
                    out.failed = Some(OutboxError::Stalled(limit));
                    return Poll::Ready(Err(OutboxError::Stalled(limit)));
                }
                Poll::Pending
            }
        }
    }

    /// Drives the socket until a requested close is written, or writing fails.
    pub async fn drive(&self) -> Result<(), OutboxError> {
        std::future::poll_fn(|cx| self.poll_drive(cx)).await
    }

    /// Closes the socket: writes what waits and the close frame, then stops.
    pub async fn finish(&self) -> Result<(), OutboxError> {
        self.close();
        self.drive().await
    }
}

#[cfg(test)]
mod tests;
