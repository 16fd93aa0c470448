//! One connection, whatever carries it (a WebSocket, or a long-poll session): reads client
//! frames in order from a stream, routes them to the joined page, and writes what the page sends
//! back through the connection's [`Outbox`]. The transports only adapt their I/O to these two
//! ends; joining, resuming, navigation, rate limits and token renewal live here, once.

use std::net::IpAddr;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::extract::ws::Message;
use futures_util::{Stream, StreamExt as _};
use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, sleep_until};

use axum::http::Uri;

use crate::ctx::Nav;
use crate::error::ErrorCode;
use crate::flash::Flash;
use crate::page::session::Mounting;
use crate::page::task::{Asked, Attach, Control, MountError, Mounted, MountedPage};
use crate::params::Params;
use crate::server::claims::{Claims, renewed, verify};
use crate::server::state::{EngineState, Refused};
use crate::wire::ids::hex_id;
use crate::wire::ids::now_secs;
use crate::wire::limit::Bucket;
use crate::wire::outbox::{ConnSink, Outbox};
use crate::wire::protocol::{ClientFrame, error_frame, heartbeat_frame, nav_frame, token_frame};
use crate::wire::token::{TokenError, sign};
use crate::wire::url::{local_uri, path_and_query};

/// How long a navigation waits for the page it leaves to let go of the socket.
const LEAVE_WAIT: Duration = Duration::from_secs(5);

/// A new connection's number and its sending side, writing to `sink`: pages write their frames
/// to it themselves; the connection's task writes only what the sink could not take at once.
pub(crate) fn outbox(inner: &EngineState, sink: ConnSink) -> Outbox {
    let conn = inner.next_conn.fetch_add(1, Ordering::Relaxed);
    Outbox::new(conn, sink, inner.config.heartbeat_timeout)
}

/// Runs one connection until the client goes, stays silent past the heartbeat timeout, or
/// breaks the limits: `frames` are what the client sent, in order (text frames, and binary
/// upload chunks); `outbox` is where everything for the client goes (made by [`outbox`]).
pub(crate) async fn run<E: std::fmt::Display>(
    inner: Arc<EngineState>,
    frames: impl Stream<Item = Result<Message, E>>,
    outbox: Outbox,
    peer: Option<IpAddr>,
) {
    let conn = outbox.id;
    let _open = Open::socket();
    let mut stream = pin!(frames);
    let timeout = inner.config.heartbeat_timeout;
    let reply = |frame: String| answer(&outbox, frame);
    let mut joins = Joins::default();
    let max = inner.config.max_frame_bytes;
    // Made once and reset, not remade on every frame.
    let mut idle = pin!(sleep_until(Instant::now() + timeout));
    // What the client may send: frames are dropped past these, and the socket closed when it
    // goes on.
    let mut events = Bucket::new(inner.config.max_events_per_sec);
    let mut bytes = Bucket::new(inner.config.max_bytes_per_sec);
    let mut chunks = Bucket::new(inner.config.max_chunks_per_sec);
    // Refusals beyond ten a second (bursts of twenty) mean a client that does not back off.
    let mut strikes = Bucket::new(10);
    // One task per socket: it reads client frames, and writes what waits for the socket.
    loop {
        let msg = tokio::select! {
            written = outbox.drive() => {
                // `Ok`: the page asked for the close.
                if let Err(e) = written {
                    tracing::info!(conn, "{e}; closing");
                }
                break;
            }
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
        // Upload chunks are paced by their acknowledgements and their own budget, not the
        // byte budget; past it the socket waits (TCP holds the client back) rather than drop a
        // chunk, which would stall its upload.
        // What counts against the byte budget (chunks have their own), and what came.
        let (size, received) = match &msg {
            Message::Text(t) => (t.len(), t.len()),
            Message::Binary(data) => {
                chunks.pace(1.0).await;
                (0, data.len())
            }
            _ => (0, 0),
        };
        metrics::counter!("leptos_live_frames_received_total").increment(1);
        metrics::counter!("leptos_live_bytes_received_total").increment(received as u64);
        if !bytes.take(size as f64) {
            if !strikes.take(1.0) {
                reply(error_frame(
                    0,
                    ErrorCode::RateLimited,
                    "too many bytes; closing",
                ));
                break;
            }
            reply(error_frame(
                0,
                ErrorCode::RateLimited,
                "too many bytes per second",
            ));
            continue;
        }
        let body: &[u8] = match &msg {
            Message::Text(t) => t.as_bytes(),
            Message::Binary(data) => data,
            Message::Close(_) => break,
            Message::Ping(_) | Message::Pong(_) => continue,
        };
        let Some((channel, at)) = channel_of(body) else {
            reply(error_frame(0, ErrorCode::BadFrame, "no such channel"));
            continue;
        };
        // The sticky parts' frames are answered on their channel; the page's on the socket's
        // own side, without a clone.
        let part;
        let outbox = if channel == 0 {
            &outbox
        } else {
            part = outbox.channel(channel);
            &part
        };
        let reply = |frame: String| answer(outbox, frame);
        let text = match msg {
            Message::Text(t) => t,
            Message::Binary(mut data) => {
                let chunk = Control::Chunk(Box::new((conn, data.split_off(at))));
                if !hand(joins.get(channel), 0, chunk, &reply).await {
                    break;
                }
                continue;
            }
            _ => continue,
        };
        let joined = joins.slot(channel);
        let frame = match ClientFrame::decode(&text.as_str()[at..], max) {
            Ok(f) => f,
            Err(e) => {
                tracing::warn!(conn, code = %e.code, "refused frame: {}", e.message);
                reply(error_frame(e.r, e.code, &e.message));
                continue;
            }
        };
        match frame {
            ClientFrame::Join {
                r,
                token,
                version,
                url,
                resent,
            } => {
                if joined.is_some() {
                    reply(error_frame(
                        r,
                        ErrorCode::AlreadyJoined,
                        "this socket has joined a page",
                    ));
                    continue;
                }
                // Boxed: the socket's task keeps the size of its loop, not of a mount.
                match Box::pin(join(
                    &inner,
                    &token,
                    url.as_deref(),
                    outbox.clone(),
                    r,
                    version,
                    resent,
                    peer,
                ))
                .await
                {
                    Ok(Some(mut j)) => {
                        renew(&inner, &mut j, &reply);
                        *joined = Some(j);
                    }
                    Ok(None) => {}
                    Err((code, message)) => {
                        tracing::warn!(conn, code = %code, "join refused: {message}");
                        reply(error_frame(r, code, &message));
                        if code.is_fatal() {
                            break;
                        }
                    }
                }
            }
            ClientFrame::Navigate { r, url, flash } => match joined {
                None => reply(error_frame(r, ErrorCode::NotJoined, "join a page first")),
                Some(j) => {
                    if let Err((code, message)) =
                        Box::pin(navigate(&inner, j, &url, flash.as_deref(), outbox, r, peer)).await
                    {
                        tracing::warn!(conn, code = %code, "navigation refused: {message}");
                        reply(error_frame(r, code, &message));
                    }
                }
            },
            ClientFrame::Patch { r, url } => match joined {
                None => reply(error_frame(r, ErrorCode::NotJoined, "join a page first")),
                Some(j) => {
                    // The same page at another query; another path (even of the same route)
                    // is a navigation, which runs the live session's checks.
                    let path = local_uri(&j.claims.uri).map(|u| u.path().to_string());
                    let target = local_uri(&url).map_err(|e| e.to_string()).map(|uri| {
                        let same = inner
                            .route_for(&uri)
                            .filter(|(e, _)| *e.pattern == *j.claims.page)
                            .filter(|_| path.as_deref().is_ok_and(|p| p == uri.path()))
                            .map(|(_, p)| p);
                        (uri, same)
                    });
                    match target {
                        Err(e) => reply(error_frame(r, ErrorCode::BadNavigation, &e)),
                        Ok((uri, Some(params))) => {
                            let change = Control::Params(Asked::boxed(conn, r, (uri, params)));
                            if j.ctl.send(change).await.is_err() {
                                reply(error_frame(r, ErrorCode::PageCrashed, "the page has ended"));
                                break;
                            }
                        }
                        // Another route: a navigation, the history entry already made.
                        Ok((_, None)) => {
                            if let Err((code, message)) =
                                Box::pin(navigate(&inner, j, &url, None, outbox, r, peer)).await
                            {
                                reply(error_frame(r, code, &message));
                            }
                        }
                    }
                }
            },
            ClientFrame::Event { r, .. } if !events.take(1.0) => {
                if !strikes.take(1.0) {
                    tracing::warn!(conn, "events far over the limit; closing");
                    reply(error_frame(
                        r,
                        ErrorCode::RateLimited,
                        "too many events; closing",
                    ));
                    break;
                }
                reply(error_frame(
                    r,
                    ErrorCode::RateLimited,
                    "too many events per second",
                ));
            }
            ClientFrame::Event {
                r,
                name,
                payload,
                target,
            } => {
                let event = Control::Event(Asked::boxed(conn, r, (name, payload, target)));
                if !hand(joined, r, event, &reply).await {
                    break;
                }
            }
            ClientFrame::Upload { r, name, files } => {
                let upload = Control::Upload(Asked::boxed(conn, r, (name, files)));
                if !hand(joined, r, upload, &reply).await {
                    break;
                }
            }
            ClientFrame::Resync { r } => match joined {
                None => reply(error_frame(r, ErrorCode::NotJoined, "join a page first")),
                Some(j) => {
                    let _ = j.ctl.send(Control::Resync(Asked::boxed(conn, r, ()))).await;
                }
            },
            ClientFrame::Heartbeat { r, times } => {
                if let Some(j) = joined.as_mut() {
                    renew(&inner, j, &reply);
                }
                if !times.is_empty() {
                    let route = joined.as_ref().map_or("", |j| j.claims.page.as_str());
                    let h = metrics::histogram!(
                        "leptos_live_click_to_reply_seconds",
                        "route" => route.to_string()
                    );
                    times.iter().for_each(|ms| h.record(ms / 1000.0));
                }
                reply(heartbeat_frame(r));
            }
        }
    }
    for j in joins.all() {
        let _ = j.ctl.send(Control::Detach { conn }).await;
    }
    // Frames that wait (such as a final error) still go out before the close.
    if let Err(e) = outbox.finish().await {
        tracing::debug!(conn, "closing: {e}");
    }
    tracing::debug!(conn, "socket closed");
}

/// Writes a reply to the client; a socket too slow or closing drops it.
fn answer(outbox: &Outbox, frame: String) {
    if !outbox.send(frame) {
        tracing::debug!(
            conn = outbox.id,
            "socket too slow or closing; reply dropped"
        );
    }
}

/// The most sticky parts of a layout one socket carries beside its page.
const MAX_PARTS: u8 = 9;

/// The channel a client frame is for, and where the frame starts: `2[…]` is for the second
/// sticky part, `[…]` (or a binary chunk, whose first byte is no digit) for the page. `None`
/// past [`MAX_PARTS`].
fn channel_of(data: &[u8]) -> Option<(u8, usize)> {
    match data.first() {
        Some(d @ b'1'..=b'9') if !data.get(1).is_some_and(u8::is_ascii_digit) => {
            let n = d - b'0';
            (n <= MAX_PARTS).then_some((n, 1))
        }
        Some(b'0'..=b'9') => None,
        _ => Some((0, 0)),
    }
}

/// The pages a socket is joined to: its page on channel 0, the sticky parts beside it on
/// channels 1, 2, … (room made on the first part's join: a socket without parts keeps none).
#[derive(Default)]
struct Joins {
    page: Option<Joined>,
    parts: Vec<Option<Joined>>,
}

impl Joins {
    /// The page joined on `channel`, if any.
    fn get(&self, channel: u8) -> &Option<Joined> {
        const NONE: &Option<Joined> = &None;
        match channel {
            0 => &self.page,
            n => self.parts.get(usize::from(n) - 1).unwrap_or(NONE),
        }
    }

    /// The place of `channel`'s page (`channel` ≤ [`MAX_PARTS`]).
    fn slot(&mut self, channel: u8) -> &mut Option<Joined> {
        match usize::from(channel) {
            0 => &mut self.page,
            n => {
                if self.parts.len() < n {
                    self.parts.resize_with(n, || None);
                }
                &mut self.parts[n - 1]
            }
        }
    }

    /// Every page joined (by reference: the socket's future keeps no copy of one while it
    /// waits on a page).
    fn all(&self) -> impl Iterator<Item = &Joined> {
        self.page.iter().chain(self.parts.iter().flatten())
    }
}

/// Hands `control` (for frame `r`) to the joined page; answers `not_joined` when there is none.
/// False when the page has ended: the socket answers `page_crashed` and closes.
async fn hand(joined: &Option<Joined>, r: u64, control: Control, reply: &impl Fn(String)) -> bool {
    match joined {
        None => {
            reply(error_frame(r, ErrorCode::NotJoined, "join a page first"));
            true
        }
        Some(j) if j.ctl.send(control).await.is_err() => {
            reply(error_frame(r, ErrorCode::PageCrashed, "the page has ended"));
            false
        }
        Some(_) => true,
    }
}

/// Sends the client a fresh token for the joined page when the one it has is past a quarter of
/// `token_max_age`: a page open longer than a token lives can still rejoin.
fn renew(inner: &EngineState, joined: &mut Joined, reply: &impl Fn(String)) {
    if let Some(token) = renewed(
        &mut joined.claims,
        &inner.secret,
        inner.config.token_max_age.as_secs(),
        now_secs(),
    ) {
        tracing::debug!(page = %joined.claims.id, "token renewed");
        reply(token_frame(&token));
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
    landed: Option<(String, String)>,
    resent: Vec<u64>,
) -> bool {
    let (ack, attached) = oneshot::channel();
    let request = Control::Attach(Box::new(Attach {
        conn,
        r,
        version,
        fresh,
        ack,
        landed,
        resent,
    }));
    ctl.send(request).await.is_ok() && attached.await.is_ok()
}

/// The page a socket is joined to.
struct Joined {
    ctl: mpsc::Sender<Control>,
    /// The page's claims: its route, and the session every later page of the socket gets.
    claims: Claims,
}

/// Attaches the socket to the page the token names: the running page when there is one (adoption
/// or resume), or a page mounted anew under the same id, at the URL the browser shows when it is
/// still the token's route. `None` when the browser was sent elsewhere: by the live session's
/// checks, which run again on every rejoin (a session may have ended since), or by the page as it
/// mounted.
#[allow(clippy::too_many_arguments)]
async fn join(
    inner: &Arc<EngineState>,
    token: &str,
    url: Option<&str>,
    conn: Outbox,
    r: u64,
    version: Option<u64>,
    resent: Vec<u64>,
    peer: Option<IpAddr>,
) -> Result<Option<Joined>, (ErrorCode, String)> {
    let now = now_secs();
    let claims = verify(
        token,
        &inner.secret,
        inner.config.token_max_age.as_secs(),
        now,
    )
    .map_err(|e| match e {
        TokenError::Expired => (ErrorCode::ExpiredToken, e.to_string()),
        _ => (ErrorCode::BadToken, e.to_string()),
    })?;
    let entry = inner.route(claims.page.as_str()).ok_or_else(|| {
        (
            ErrorCode::UnknownPage,
            format!("no page at {:?}", claims.page),
        )
    })?;
    // The browser's URL after patches, when it is still this route; else the token's.
    let at = url
        .and_then(|u| local_uri(u).ok())
        .and_then(|uri| Params::for_route(&entry.pattern, &uri).map(|p| (uri, p)))
        .or_else(|| {
            local_uri(&claims.uri)
                .ok()
                .map(|uri| (uri, claims.params.clone()))
        });
    let (uri, params) = at.unwrap_or_else(|| (Uri::from_static("/"), claims.params.clone()));
    if let Some(ctl) = inner.registry.get(&claims.id) {
        // The first join of a page just rendered over HTTP follows the checks that render ran;
        // any other is a client coming back, whose session may have ended meanwhile.
        let adopting = version == Some(0)
            && now.saturating_sub(claims.issued) <= inner.config.adoption_window.as_secs();
        if !adopting && !entry.group.on_mount.is_empty() {
            let checked = entry
                .group
                .check(Mounting::new(
                    params.clone(),
                    claims.session.clone(),
                    uri.clone(),
                ))
                .await;
            if let Err(halt) = checked {
                tracing::info!(page = %claims.id, to = halt.to(), "a check refused the rejoin");
                if let Outcome::Leave(frame) = outcome(inner, r, Err(Refused::Halt(halt))) {
                    conn.send(frame);
                }
                return Ok(None);
            }
        }
        if attach(&ctl, conn.clone(), r, version, false, None, resent.clone()).await {
            return Ok(Some(Joined { ctl, claims }));
        }
    }
    tracing::debug!(page = %claims.id, "no running page for the token; mounting again");
    let quota = inner
        .quota(peer, &claims.session, 0)
        .map_err(|why| (ErrorCode::TooManyPages, why))?;
    let mounted = inner
        .prepare(
            entry,
            uri,
            params,
            claims.session.clone(),
            Flash::default(),
            // The page as the process before this one (or another one) left it, when it kept
            // a snapshot.
            match &inner.snapshots {
                Some(s) => s.take(&claims.id, &claims.page).await,
                None => None,
            },
        )
        .await;
    let page = match outcome(inner, r, mounted) {
        Outcome::Page(page) => page,
        // Not joined to anything: whatever the page asked for is a full load.
        Outcome::Leave(frame) => {
            conn.send(frame);
            return Ok(None);
        }
        Outcome::Failed(e) => return Err((ErrorCode::MountFailed, e.to_string())),
    };
    let (ctl, fresh) = match inner.start(page.start, claims.id.clone().into(), true, Some(quota)) {
        Ok(ctl) => (ctl, true),
        Err(running) => (running, false),
    };
    if attach(&ctl, conn, r, version, fresh, None, resent).await {
        Ok(Some(Joined { ctl, claims }))
    } else {
        Err((ErrorCode::PageCrashed, "the page ended at once".to_string()))
    }
}

/// `[ref,"nav",{"kind":…,"to":…,"flash":…}]`: the browser leaves for `to` with a full load.
fn leave_frame(r: u64, to: &str, external: bool, flash: Option<&str>) -> String {
    let nav = Nav::Redirect {
        to: to.to_string(),
        external,
    };
    nav_frame(r, &nav, flash)
}

/// What a mount at join or navigation gave the socket.
enum Outcome {
    Page(MountedPage),
    /// The page, or a check, sent the browser elsewhere: this frame tells it.
    Leave(String),
    Failed(MountError),
}

fn outcome(inner: &EngineState, r: u64, mounted: Result<(Mounted, Mounting), Refused>) -> Outcome {
    match mounted {
        Ok((Mounted::Page(page), _)) => Outcome::Page(page),
        Ok((Mounted::Left { nav, flash }, _)) => {
            let external = matches!(nav, Nav::Redirect { external: true, .. });
            Outcome::Leave(leave_frame(r, nav.to(), external, flash.as_deref()))
        }
        Err(Refused::Halt(halt)) => {
            let (mut to, flash) = halt.into_parts();
            if local_uri(&to).is_err() {
                tracing::error!(url = %to, "an on_mount check redirected off this site; sent to / instead");
                to = "/".to_string();
            }
            let sealed =
                (!flash.is_empty()).then(|| crate::flash::seal(&flash, &inner.secret, now_secs()));
            Outcome::Leave(leave_frame(r, &to, false, sealed.as_deref()))
        }
        Err(Refused::Failed(e)) => Outcome::Failed(e),
    }
}

/// A live navigation: the page at `url` is checked and mounted; when it mounts, the joined page
/// ends and the socket attaches to the new one, whose first frame is its whole HTML with its
/// token, URL and title. A URL that is not a live page of the same live session, a page that
/// refuses, or one that fails to mount, is sent to the browser as a full load.
async fn navigate(
    inner: &Arc<EngineState>,
    joined: &mut Joined,
    url: &str,
    flash: Option<&str>,
    outbox: &Outbox,
    r: u64,
    peer: Option<IpAddr>,
) -> Result<(), (ErrorCode, String)> {
    let uri = local_uri(url).map_err(|e| (ErrorCode::BadNavigation, e.to_string()))?;
    let now = now_secs();
    let Some(current) = inner.route(&joined.claims.page) else {
        return Err((
            ErrorCode::UnknownPage,
            "the joined page has no route".into(),
        ));
    };
    let target = inner.route_for(&uri).filter(|(e, _)| {
        let same = Arc::ptr_eq(&e.group, &current.group);
        if !same {
            tracing::debug!(from = %current.group.name, to = %e.group.name, url, "navigation leaves the live session");
        }
        same
    });
    let Some((entry, params)) = target else {
        // Not a live page of this live session: the browser loads it.
        outbox.send(leave_frame(r, url, false, flash));
        return Ok(());
    };
    // The page being left still counts until it ends: one more is allowed meanwhile.
    let quota = inner
        .quota(peer, &joined.claims.session, 1)
        .map_err(|why| (ErrorCode::TooManyPages, why))?;
    let carried = flash.and_then(|f| {
        let opened = crate::flash::unseal(f, &inner.secret, now);
        if opened.is_none() {
            tracing::warn!("a navigation carried a flash that does not verify; dropped");
        }
        opened
    });
    let mounted = inner
        .prepare(
            entry,
            uri.clone(),
            params.clone(),
            joined.claims.session.clone(),
            carried.unwrap_or_default(),
            None,
        )
        .await;
    let page = match outcome(inner, r, mounted) {
        Outcome::Page(page) => page,
        Outcome::Leave(frame) => {
            outbox.send(frame);
            return Ok(());
        }
        // The full load shows the failure as the HTTP side does.
        Outcome::Failed(e) => {
            tracing::error!(url, "live navigation: {e}");
            outbox.send(leave_frame(r, url, false, None));
            return Ok(());
        }
    };
    // The old page answers once it has let go of the socket, after whatever it was doing: no
    // frame of it can follow the new page's.
    let (done, left) = oneshot::channel();
    if joined
        .ctl
        .send(Control::Leave(Box::new((outbox.id, done))))
        .await
        .is_ok()
        && tokio::time::timeout(LEAVE_WAIT, left).await.is_err()
    {
        tracing::warn!("the page being left did not let go of the socket in time");
    }
    let path_and_query = path_and_query(&uri);
    let claims = Claims {
        page: entry.pattern.to_string(),
        id: hex_id(),
        params,
        session: joined.claims.session.clone(),
        // The session is the first request's: navigating does not make it younger.
        issued: joined.claims.issued,
        uri: path_and_query.clone(),
    };
    let token = sign(&claims, &inner.secret);
    // A fresh random id: no page can hold it already.
    let ctl = match inner.start(page.start, claims.id.clone().into(), true, Some(quota)) {
        Ok(ctl) | Err(ctl) => ctl,
    };
    if !attach(
        &ctl,
        outbox.clone(),
        r,
        Some(0),
        true,
        Some((token, path_and_query)),
        Vec::new(),
    )
    .await
    {
        return Err((ErrorCode::PageCrashed, "the page ended at once".to_string()));
    }
    *joined = Joined { ctl, claims };
    Ok(())
}

/// Counts an open socket in the `leptos_live_sockets` gauge while it lives.
struct Open;

impl Open {
    fn socket() -> Open {
        metrics::gauge!("leptos_live_sockets").increment(1.0);
        Open
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        metrics::gauge!("leptos_live_sockets").decrement(1.0);
    }
}
