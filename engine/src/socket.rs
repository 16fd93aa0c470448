//! One WebSocket connection: reads client frames in order, routes them to the joined page, and
//! writes what the page sends back.

use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use futures_util::stream::SplitSink;
use futures_util::{FutureExt as _, SinkExt as _, StreamExt as _};
use tokio::sync::{Notify, mpsc, oneshot};
use tokio::time::{Instant, sleep_until};

use crate::error::ErrorCode;
use crate::page::{Attach, Control, MountError, Outbox};
use crate::protocol::{ClientFrame, error_frame, heartbeat_frame};
use crate::router::Inner;
use crate::token::{TokenError, now_secs, verify};

/// Frames a socket may have queued before its page counts it as too slow.
const OUTBOX_CAPACITY: usize = 64;

pub(crate) async fn connection(inner: Arc<Inner>, socket: WebSocket) {
    let conn = inner.next_conn.fetch_add(1, Ordering::Relaxed);
    let (mut sink, mut stream) = socket.split();
    let (tx, mut rx) = mpsc::channel::<String>(OUTBOX_CAPACITY);
    let outbox = Outbox {
        id: conn,
        tx,
        close: Arc::new(Notify::new()),
    };
    let reply = |frame: String| {
        if !outbox.send(frame) {
            tracing::debug!(conn, "socket queue full; reply dropped");
        }
    };
    let mut joined: Option<mpsc::Sender<Control>> = None;
    let timeout = inner.config.heartbeat_timeout;
    let max = inner.config.max_frame_bytes;
    // Made once and reset, not remade on every turn: a fan-out wakes each socket for one frame,
    // and registering a timer and a waiter each time costs as much as the frame.
    let close = outbox.close.clone();
    let mut closed = pin!(close.notified());
    let mut idle = pin!(sleep_until(Instant::now() + timeout));
    // One task per socket: it reads client frames and writes what its page queues.
    loop {
        let msg = tokio::select! {
            Some(frame) = rx.recv() => {
                if !write_queued(&mut sink, frame, &mut rx, timeout).await {
                    break;
                }
                continue;
            }
            _ = &mut closed => break,
            _ = &mut idle => {
                tracing::info!(conn, "no frame within {timeout:?}; closing");
                break;
            }
            msg = stream.next() => match msg {
                None => break,
                Some(Err(e)) => {
                    tracing::debug!(conn, "socket error: {e}");
                    break;
                }
                Some(Ok(m)) => m,
            },
        };
        idle.as_mut().reset(Instant::now() + timeout);
        let text = match msg {
            Message::Text(t) => t,
            Message::Binary(_) => {
                reply(error_frame(0, ErrorCode::BadFrame, "frames are JSON text"));
                continue;
            }
            Message::Close(_) => break,
            Message::Ping(_) | Message::Pong(_) => continue,
        };
        let frame = match ClientFrame::decode(text.as_str(), max) {
            Ok(f) => f,
            Err(e) => {
                tracing::warn!(conn, code = %e.code, "refused frame: {}", e.message);
                reply(error_frame(e.r, e.code, &e.message));
                continue;
            }
        };
        match frame {
            ClientFrame::Join { r, token, version } => {
                if joined.is_some() {
                    reply(error_frame(
                        r,
                        ErrorCode::AlreadyJoined,
                        "this socket has joined a page",
                    ));
                    continue;
                }
                match join(&inner, &token, outbox.clone(), r, version).await {
                    Ok(ctl) => joined = Some(ctl),
                    Err((code, message)) => {
                        tracing::warn!(conn, code = %code, "join refused: {message}");
                        reply(error_frame(r, code, &message));
                        if code.is_fatal() {
                            break;
                        }
                    }
                }
            }
            ClientFrame::Event { r, name, payload } => match &joined {
                None => reply(error_frame(r, ErrorCode::NotJoined, "join a page first")),
                Some(ctl) => {
                    let event = Control::Event {
                        conn,
                        r,
                        event: Box::new((name, payload)),
                    };
                    if ctl.send(event).await.is_err() {
                        reply(error_frame(r, ErrorCode::PageCrashed, "the page has ended"));
                        break;
                    }
                }
            },
            ClientFrame::Resync { r } => match &joined {
                None => reply(error_frame(r, ErrorCode::NotJoined, "join a page first")),
                Some(ctl) => {
                    let _ = ctl.send(Control::Resync { conn, r }).await;
                }
            },
            ClientFrame::Heartbeat { r } => reply(heartbeat_frame(r)),
        }
    }
    if let Some(ctl) = joined {
        let _ = ctl.send(Control::Detach { conn }).await;
    }
    // Frames already queued (such as a final error) still go out before the close.
    drop(outbox);
    if let Ok(first) = rx.try_recv() {
        write_queued(&mut sink, first, &mut rx, timeout).await;
    }
    let _ = write(&mut sink, Message::Close(None), timeout).await;
    tracing::debug!(conn, "socket closed");
}

/// Writes `first` and whatever else is queued by then, with one flush; false when the socket
/// failed or the peer did not take it in time.
async fn write_queued(
    sink: &mut SplitSink<WebSocket, Message>,
    first: String,
    rx: &mut mpsc::Receiver<String>,
    limit: Duration,
) -> bool {
    let mut writes = pin!(async move {
        sink.feed(Message::Text(first.into())).await?;
        while let Ok(frame) = rx.try_recv() {
            sink.feed(Message::Text(frame.into())).await?;
        }
        sink.flush().await
    });
    // The timer is only armed when the peer's buffer is full, which is rare.
    let written = match writes.as_mut().now_or_never() {
        Some(done) => Ok(done),
        None => tokio::time::timeout(limit, writes).await,
    };
    check_write(written, limit)
}

/// Writes one message; false when the socket failed or the peer did not take it in time.
async fn write(sink: &mut SplitSink<WebSocket, Message>, msg: Message, limit: Duration) -> bool {
    check_write(tokio::time::timeout(limit, sink.send(msg)).await, limit)
}

fn check_write(
    written: Result<Result<(), axum::Error>, tokio::time::error::Elapsed>,
    limit: Duration,
) -> bool {
    match written {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            tracing::debug!("socket write failed: {e}");
            false
        }
        Err(_) => {
            tracing::info!("socket write took longer than {limit:?}; closing");
            false
        }
    }
}

/// Sends the attach request and waits until the page has taken it; false when the page ended
/// before it could.
async fn attach(
    ctl: &mpsc::Sender<Control>,
    conn: Outbox,
    r: u64,
    version: Option<u64>,
    fresh: bool,
) -> bool {
    let (ack, attached) = oneshot::channel();
    let request = Control::Attach(Box::new(Attach {
        conn,
        r,
        version,
        fresh,
        ack,
    }));
    ctl.send(request).await.is_ok() && attached.await.is_ok()
}

/// Attaches the socket to the page the token names: the running page when there is one (adoption
/// or resume), or a page mounted anew under the same id.
async fn join(
    inner: &Arc<Inner>,
    token: &str,
    conn: Outbox,
    r: u64,
    version: Option<u64>,
) -> Result<mpsc::Sender<Control>, (ErrorCode, String)> {
    let claims = verify(
        token,
        &inner.secret,
        inner.config.token_max_age.as_secs(),
        now_secs(),
    )
    .map_err(|e| match e {
        TokenError::Expired => (ErrorCode::ExpiredToken, e.to_string()),
        _ => (ErrorCode::BadToken, e.to_string()),
    })?;
    let route = inner.routes.get(claims.page.as_str()).ok_or_else(|| {
        (
            ErrorCode::UnknownPage,
            format!("no page at {:?}", claims.page),
        )
    })?;
    if let Some(ctl) = inner.registry.get(&claims.id)
        && attach(&ctl, conn.clone(), r, version, false).await
    {
        return Ok(ctl);
    }
    tracing::debug!(page = %claims.id, "no running page for the token; mounting again");
    let limit = inner.config.mount_timeout;
    let mounted = tokio::time::timeout(
        limit,
        route.mount(claims.params, claims.session, inner.services.clone()),
    )
    .await
    .unwrap_or(Err(MountError::TimedOut(limit)))
    .map_err(|e| (ErrorCode::MountFailed, e.to_string()))?;
    let (ctl, fresh) = match inner.start(mounted.start, claims.id.into(), true) {
        Ok(ctl) => (ctl, true),
        Err(running) => (running, false),
    };
    if attach(&ctl, conn, r, version, fresh).await {
        Ok(ctl)
    } else {
        Err((ErrorCode::PageCrashed, "the page ended at once".to_string()))
    }
}
