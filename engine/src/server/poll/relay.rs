//! Requests for a poll session that another process holds, relayed to it through the app's
//! PubSub: behind a load balancer without sticky sessions, a client's POSTs and GETs land on any
//! process, while its session (its connection and page) stays in the process that opened it.
//!
//! The process a request lands on, when it does not hold the session, subscribes to a reply
//! topic of the request's own, and broadcasts the request on the session's topic. The holder
//! answers [`Verdict::Taken`] at once, then [`Verdict::Done`] with what it would have answered
//! itself. No answer within [`FIND`]: no process holds the session, and the request gets `410
//! Gone`, as the shim expects of an ended session. A POST is answered only once the holder's
//! connection has its frames, and the client sends one POST at a time, so frames stay in order
//! whichever processes they pass through.
//!
//! With [`crate::PubSub::local`] nothing is relayed: an unknown session is gone.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::ws::Message;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use super::{MAX_SESSIONS, POLL_WAIT, PollError, Polls, UP_WAIT, hand_up, take};
use crate::pubsub::SubscriptionGuard;
use crate::server::state::EngineState;
use crate::wire::ids::hex_id;

/// How long a relayed request waits for the process that holds its session to take it up.
const FIND: Duration = Duration::from_secs(3);

/// A request relayed to the process that holds its session.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "k", rename_all = "lowercase")]
enum Ask {
    /// Client frames (a POST): answered once the session's connection has them.
    Up { reply: String, frames: Vec<Frame> },
    /// A poll (a GET): answered with the frames it took.
    Poll { reply: String },
    /// The client closed (a DELETE): not answered.
    Close,
}

/// A client frame between processes.
#[derive(Clone, Debug, Serialize, Deserialize)]
enum Frame {
    /// A text frame.
    T(String),
    /// An upload chunk, in base64.
    B(String),
}

/// The holder's answer to a relayed request, on the request's reply topic.
#[derive(Clone, Debug, Serialize, Deserialize)]
enum Verdict {
    /// The session is here, and the request is taken up.
    Taken,
    /// What the request got: a poll's frames (`\n` separated; empty for a POST), or why not.
    Done(Result<String, PollError>),
}

/// The topic on which the holder of session `id` takes relayed requests.
fn topic(id: &str) -> String {
    format!("lv:poll:{id}")
}

/// Whether a request for session `id`, which this process does not hold, may be relayed: the
/// PubSub reaches other processes, and `id` is of the form the engine gives (no topic of the
/// client's choosing).
pub(super) fn reaches(inner: &EngineState, id: &str) -> bool {
    inner.services.pubsub.is_distributed()
        && id.len() == 32
        && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// In the process that holds session `id`: takes up the requests for it that reach other
/// processes, until the guard drops. `None` when the PubSub stays in this process.
pub(super) fn listen(inner: &Arc<EngineState>, id: &str) -> Option<SubscriptionGuard> {
    let pubsub = &inner.services.pubsub;
    if !pubsub.is_distributed() {
        return None;
    }
    let weak = Arc::downgrade(inner);
    let id: Arc<str> = id.into();
    Some(pubsub.subscribe_with::<Ask>(&topic(&id), move |ask| {
        let Some(inner) = weak.upgrade() else {
            return false;
        };
        tokio::spawn(answer(inner, id.clone(), ask));
        true
    }))
}

/// Does what a relayed request asks of the session held here, and answers it.
async fn answer(inner: Arc<EngineState>, id: Arc<str>, ask: Ask) {
    let pubsub = &inner.services.pubsub;
    let (reply, done) = match ask {
        Ask::Close => {
            inner.polls.remove(&id);
            return;
        }
        Ask::Up { reply, frames } => {
            let _ = pubsub.broadcast(&reply, Verdict::Taken);
            let done = match (inner.polls.get(&id), decode(frames)) {
                (None, _) => Err(PollError::Gone),
                (_, Err(e)) => Err(e),
                (Some(session), Ok(messages)) => {
                    hand_up(&session, messages).await.map(|()| String::new())
                }
            };
            (reply, done)
        }
        Ask::Poll { reply } => {
            let _ = pubsub.broadcast(&reply, Verdict::Taken);
            (reply, take(&inner, &id).await)
        }
    };
    if let Err(e) = pubsub.broadcast(&reply, Verdict::Done(done)) {
        tracing::warn!(error = %e, "a relayed poll request could not be answered");
    }
}

/// The frames of a relayed POST, as its connection takes them.
fn decode(frames: Vec<Frame>) -> Result<Vec<Message>, PollError> {
    frames
        .into_iter()
        .map(|f| match f {
            Frame::T(t) => Ok(Message::Text(t.into())),
            Frame::B(b) => STANDARD
                .decode(b)
                .map(|bytes| Message::Binary(bytes.into()))
                .map_err(|_| PollError::NotText),
        })
        .collect()
}

/// Relays a POST's frames to the process that holds session `id`.
pub(super) async fn post(
    inner: &EngineState,
    id: &str,
    messages: Vec<Message>,
) -> Result<(), PollError> {
    let frames = messages
        .into_iter()
        .filter_map(|m| match m {
            Message::Text(t) => Some(Frame::T(t.to_string())),
            Message::Binary(b) => Some(Frame::B(STANDARD.encode(b))),
            _ => None,
        })
        .collect();
    ask(inner, id, |reply| Ask::Up { reply, frames }, UP_WAIT)
        .await
        .map(drop)
}

/// Relays a poll to the process that holds session `id`; answers the frames it took there.
pub(super) async fn poll(inner: &EngineState, id: &str) -> Result<String, PollError> {
    ask(inner, id, |reply| Ask::Poll { reply }, POLL_WAIT).await
}

/// Tells the process that holds session `id` that its client closed.
pub(super) fn close(inner: &EngineState, id: &str) {
    if let Err(e) = inner.services.pubsub.broadcast(&topic(id), Ask::Close) {
        tracing::warn!(error = %e, "a poll session's close could not be relayed");
    }
}

/// Broadcasts the request `make` builds for session `id` and waits for its answer: `Gone`
/// when no process takes it up within [`FIND`], `Busy` when the holder took it up and did not
/// answer within `wait` (and [`FIND`]) after.
async fn ask(
    inner: &EngineState,
    id: &str,
    make: impl FnOnce(String) -> Ask,
    wait: Duration,
) -> Result<String, PollError> {
    let _relaying = Relaying::enter(&inner.polls)?;
    metrics::counter!("leptos_live_poll_relayed_total").increment(1);
    let pubsub = &inner.services.pubsub;
    let reply = format!("{}:{}", topic(id), hex_id());
    let mut answers = pubsub.subscribe::<Verdict>(&reply);
    if let Err(e) = pubsub.broadcast(&topic(id), make(reply)) {
        tracing::warn!(error = %e, "a poll request could not be relayed");
        return Err(PollError::Gone);
    }
    match tokio::time::timeout(FIND, answers.recv()).await {
        Ok(Some(Verdict::Taken)) => {}
        Ok(Some(Verdict::Done(done))) => return done,
        _ => {
            tracing::debug!("no process holds the poll session");
            return Err(PollError::Gone);
        }
    }
    match tokio::time::timeout(wait + FIND, answers.recv()).await {
        Ok(Some(Verdict::Done(done))) => done,
        _ => {
            tracing::warn!("the process holding a poll session took a request and did not answer");
            Err(PollError::Busy)
        }
    }
}

/// One request being relayed, counted while it waits; refused past [`MAX_SESSIONS`].
struct Relaying<'a>(&'a Polls);

impl<'a> Relaying<'a> {
    fn enter(polls: &'a Polls) -> Result<Self, PollError> {
        if polls.relaying.fetch_add(1, Ordering::Relaxed) >= MAX_SESSIONS {
            polls.relaying.fetch_sub(1, Ordering::Relaxed);
            tracing::warn!("poll request refused: {MAX_SESSIONS} are being relayed");
            return Err(PollError::Full);
        }
        Ok(Relaying(polls))
    }
}

impl Drop for Relaying<'_> {
    fn drop(&mut self) {
        self.0.relaying.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_answers_cross_as_json_and_back() {
        let ask = Ask::Up {
            reply: "r".into(),
            frames: vec![
                Frame::T("[1,\"h\"]".into()),
                Frame::B(STANDARD.encode([0u8, 255])),
            ],
        };
        let back: Ask = serde_json::from_str(&serde_json::to_string(&ask).unwrap()).unwrap();
        let Ask::Up { frames, .. } = back else {
            panic!("{back:?}")
        };
        let messages = decode(frames).unwrap();
        assert_eq!(messages[0], Message::Text("[1,\"h\"]".into()));
        assert_eq!(messages[1], Message::Binary(vec![0u8, 255].into()));
        let gone = Verdict::Done(Err(PollError::Gone));
        let back: Verdict = serde_json::from_str(&serde_json::to_string(&gone).unwrap()).unwrap();
        assert!(matches!(back, Verdict::Done(Err(PollError::Gone))));
    }

    #[test]
    fn a_bad_chunk_is_refused() {
        assert_eq!(
            decode(vec![Frame::B("not base64!".into())]).unwrap_err(),
            PollError::NotText
        );
    }
}
