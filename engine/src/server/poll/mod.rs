//! The long-poll transport, for clients whose WebSocket cannot get through (a proxy that refuses
//! the upgrade, or kills the socket at once). The same frames as on the socket, over HTTP:
//!
//! - `POST {mount}/poll` opens a poll session and answers its id (32 hex digits, as text).
//! - `POST {mount}/poll?s=ID` carries client frames: text frames separated by `\n` (a JSON frame
//!   never holds a raw line break), or one binary upload chunk (`application/octet-stream`).
//!   The client sends one such request at a time, so frames arrive in order.
//! - `GET {mount}/poll?s=ID` waits up to [`POLL_WAIT`] for frames and answers them, `\n`
//!   separated (an empty body when none came). `410 Gone` once the connection has ended.
//! - `DELETE {mount}/poll?s=ID` ends the session (the client's `close`).
//!
//! A session is one connection ([`crate::server::connection::run`]): joining, resuming, resent
//! events, navigation, rate limits and token renewal are the socket's own. What differs is
//! bounded here: frames waiting for a poll (the outbox's limit, then [`DOWN_QUEUE`]), frames
//! waiting for the connection's task ([`UP_QUEUE`]), request bodies (the socket's message limit),
//! sessions at once ([`MAX_SESSIONS`], and per address the pages an address may hold); a
//! session whose client neither sends (the heartbeat timeout) nor polls (the outbox's write
//! limit) ends as a silent socket does.
//!
//! Behind a load balancer without sticky sessions, a client's requests land on any process. A
//! session stays in the process that opened it; a request for it that lands on another process
//! is relayed there through the app's PubSub (Redis) and answered from there ([`relay`]).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ws::Message;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use tokio::sync::mpsc;

use crate::server::connection;
use crate::server::state::EngineState;

mod relay;
use crate::wire::ids::hex_id;

/// How long a poll waits for frames before it answers with none (under the usual 30 s idle
/// timeouts of proxies).
pub(crate) const POLL_WAIT: Duration = Duration::from_secs(20);

/// Frames a poll session holds for its client beyond the outbox's own queue.
pub(crate) const DOWN_QUEUE: usize = 64;

/// Client frames waiting for the connection's task; a POST waits for room, as TCP would.
pub(crate) const UP_QUEUE: usize = 64;

/// Poll sessions open at once in this process.
pub(crate) const MAX_SESSIONS: usize = 10_000;

/// How long a POST may wait for room in the connection's queue before it is refused.
const UP_WAIT: Duration = Duration::from_secs(10);

/// How long an ended session stays to answer its last poll.
const LINGER: Duration = Duration::from_secs(10);

/// Frames one poll answers at most.
const BATCH: usize = 256;

/// The open poll sessions, by id.
#[derive(Default)]
pub(crate) struct Polls {
    sessions: Mutex<HashMap<String, Arc<PollSession>>>,
    /// Requests this process is relaying to the process that holds their session.
    relaying: std::sync::atomic::AtomicUsize,
}

/// One client's poll session: the two ends of its connection.
struct PollSession {
    /// The address that opened it.
    peer: Option<IpAddr>,
    /// Client frames, to the connection's task.
    up: mpsc::Sender<Message>,
    /// Frames for the client, taken by one poll at a time.
    down: tokio::sync::Mutex<mpsc::Receiver<Message>>,
    /// Ends the connection when the session goes (the client's close): a poll still waiting
    /// (here, or relayed from another process) must not keep it alive.
    end: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
}

impl Polls {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<PollSession>>> {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn get(&self, id: &str) -> Option<Arc<PollSession>> {
        self.lock().get(id).cloned()
    }

    /// Forgets session `id` and ends its connection, as a closed socket's ends. False when this
    /// process did not hold it.
    fn remove(&self, id: &str) -> bool {
        let Some(gone) = self.lock().remove(id) else {
            return false;
        };
        if let Some(end) = gone.end.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = end.send(());
        }
        true
    }
}

/// What a poll request was refused for (sent between processes when it was relayed).
#[derive(
    Clone, Copy, Debug, thiserror::Error, PartialEq, Eq, serde::Serialize, serde::Deserialize,
)]
pub(crate) enum PollError {
    #[error("a poll from another origin")]
    Origin,
    #[error("no such poll session")]
    Gone,
    #[error("too many poll sessions")]
    Full,
    #[error("the request body is too large")]
    TooLarge,
    #[error("the frames are not UTF-8")]
    NotText,
    #[error("the connection is not taking frames")]
    Busy,
    #[error("another poll is waiting for this session")]
    Polling,
}

impl IntoResponse for PollError {
    fn into_response(self) -> Response {
        let status = match self {
            PollError::Origin => StatusCode::FORBIDDEN,
            PollError::Gone => StatusCode::GONE,
            PollError::Full | PollError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            PollError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            PollError::NotText => StatusCode::BAD_REQUEST,
            PollError::Polling => StatusCode::CONFLICT,
        };
        (status, self.to_string()).into_response()
    }
}

/// The session id a request names (`?s=ID`), when it names one.
pub(crate) fn session_id(query: Option<&str>) -> Option<&str> {
    query?.split('&').find_map(|kv| kv.strip_prefix("s="))
}

/// `POST` without a session: opens one, with its connection task, and answers its id.
pub(crate) fn open(inner: &Arc<EngineState>, peer: Option<IpAddr>) -> Result<String, PollError> {
    let id = hex_id();
    let (up, up_rx) = mpsc::channel::<Message>(UP_QUEUE);
    let (down_tx, down) = mpsc::channel::<Message>(DOWN_QUEUE);
    let (end, ended) = tokio::sync::oneshot::channel::<()>();
    {
        let mut sessions = inner.polls.lock();
        if sessions.len() >= MAX_SESSIONS {
            tracing::warn!("poll session refused: {MAX_SESSIONS} are open");
            return Err(PollError::Full);
        }
        // As many as the pages an address may hold: a session costs less than its page.
        let per_peer = inner.config.max_pages_per_ip;
        if peer.is_some() && sessions.values().filter(|s| s.peer == peer).count() >= per_peer {
            tracing::warn!(
                ?peer,
                "poll session refused: {per_peer} are open for the address"
            );
            return Err(PollError::Full);
        }
        sessions.insert(
            id.clone(),
            Arc::new(PollSession {
                peer,
                up,
                down: tokio::sync::Mutex::new(down),
                end: Mutex::new(Some(end)),
            }),
        );
    }
    // The client's frames, until the session goes.
    let frames = stream::unfold((up_rx, ended), |(mut rx, mut ended)| async move {
        let m = tokio::select! {
            m = rx.recv() => m,
            _ = &mut ended => None,
        };
        m.map(|m| (Ok::<_, std::convert::Infallible>(m), (rx, ended)))
    });
    let sink = futures_util::sink::unfold(down_tx, |tx, m: Message| async move {
        tx.send(m).await.map_err(axum::Error::new)?;
        Ok::<_, axum::Error>(tx)
    });
    let outbox = connection::outbox(inner, Box::pin(sink));
    let task = inner.clone();
    let sid = id.clone();
    tokio::spawn(async move {
        tracing::debug!(conn = outbox.id, "poll session opened");
        // Requests for it that reach the other processes come here through the PubSub.
        let _relayed = relay::listen(&task, &sid);
        connection::run(task.clone(), frames, outbox, peer).await;
        // The last poll takes what the connection wrote before it ended, then the session goes.
        tokio::time::sleep(LINGER).await;
        task.polls.remove(&sid);
    });
    Ok(id)
}

/// `POST ?s=ID`: hands the body's frames to the session's connection, in order, here or, for
/// a session another process holds, through the PubSub ([`relay`]).
pub(crate) async fn post(
    inner: &EngineState,
    id: &str,
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<StatusCode, PollError> {
    let local = inner.polls.get(id);
    if local.is_none() && !relay::reaches(inner, id) {
        return Err(PollError::Gone);
    }
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| PollError::TooLarge)?;
    let binary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/octet-stream"));
    let messages: Vec<Message> = if binary {
        vec![Message::Binary(bytes)]
    } else {
        let text = std::str::from_utf8(&bytes).map_err(|_| PollError::NotText)?;
        text.split('\n')
            .filter(|f| !f.is_empty())
            .map(|f| Message::Text(f.into()))
            .collect()
    };
    match local {
        Some(session) => hand_up(&session, messages).await,
        None => relay::post(inner, id, messages).await,
    }
    .map(|()| StatusCode::NO_CONTENT)
}

/// Gives `messages` to the session's connection, in order, waiting for room as TCP would.
async fn hand_up(session: &PollSession, messages: Vec<Message>) -> Result<(), PollError> {
    for m in messages {
        match tokio::time::timeout(UP_WAIT, session.up.send(m)).await {
            Ok(Ok(())) => {}
            Ok(Err(_)) => return Err(PollError::Gone),
            Err(_) => return Err(PollError::Busy),
        }
    }
    Ok(())
}

/// `GET ?s=ID`: waits for frames and answers them; `410` once the connection has ended.
pub(crate) async fn poll(inner: &EngineState, id: &str) -> Result<Response, PollError> {
    let body = match inner.polls.get(id) {
        Some(_) => take(inner, id).await?,
        None if relay::reaches(inner, id) => relay::poll(inner, id).await?,
        None => return Err(PollError::Gone),
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

/// Waits up to [`POLL_WAIT`] for the frames of the session held here, and takes them, `\n`
/// separated (none when none came); ends the session once its connection has ended.
async fn take(inner: &EngineState, id: &str) -> Result<String, PollError> {
    let session = inner.polls.get(id).ok_or(PollError::Gone)?;
    let mut down = session.down.try_lock().map_err(|_| PollError::Polling)?;
    let mut body = String::new();
    let mut frames = 0;
    let mut closed = false;
    let first = tokio::time::timeout(POLL_WAIT, down.recv()).await;
    let mut next = match first {
        Err(_) => None,
        Ok(None) => {
            closed = true;
            None
        }
        Ok(Some(m)) => Some(m),
    };
    while let Some(m) = next.take() {
        match m {
            Message::Text(t) => {
                if frames > 0 {
                    body.push('\n');
                }
                body.push_str(&t);
                frames += 1;
            }
            Message::Close(_) => {
                closed = true;
                break;
            }
            _ => {}
        }
        if frames < BATCH {
            next = down.try_recv().ok();
        }
    }
    drop(down);
    if closed {
        inner.polls.remove(id);
        if frames == 0 {
            return Err(PollError::Gone);
        }
    }
    Ok(body)
}

/// `DELETE ?s=ID`: the client closed; the connection ends as a closed socket's does, here or
/// in the process that holds it.
pub(crate) fn close(inner: &EngineState, id: &str) -> StatusCode {
    if !inner.polls.remove(id) && relay::reaches(inner, id) {
        relay::close(inner, id);
    }
    StatusCode::NO_CONTENT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_id_is_read_from_the_query() {
        assert_eq!(session_id(Some("s=abc")), Some("abc"));
        assert_eq!(session_id(Some("x=1&s=abc")), Some("abc"));
        assert_eq!(session_id(Some("x=1")), None);
        assert_eq!(session_id(None), None);
    }

    #[test]
    fn refusals_have_their_status() {
        assert_eq!(PollError::Gone.into_response().status(), StatusCode::GONE);
        assert_eq!(
            PollError::TooLarge.into_response().status(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(
            PollError::Origin.into_response().status(),
            StatusCode::FORBIDDEN
        );
    }
}
