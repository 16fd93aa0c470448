//! The WebSocket transport: one socket is one connection. Its reading half is the connection's
//! stream of frames; its writing half is the connection's outbox.
//!
//! The engine answers the upgrade itself (RFC 6455 §4.2) and keeps the socket's two halves
//! apart, with no lock between them. It reads what the client sends into one buffer and takes
//! whole messages off it ([`crate::wire::client_frames`]). What the server sends it frames itself
//! ([`crate::wire::websocket`]) and writes straight to the socket, header and payload in one
//! write: a frame fed to a thousand sockets is the same payload for each (a server does not
//! mask), with no layer between the outbox and the socket.

use std::io::{self, IoSlice};
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use axum::body::{Body, Bytes};
use axum::extract::ws::Message;
use axum::http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode, header};
use axum::response::IntoResponse;
use base64::Engine as _;
use futures_util::{Sink, Stream};
use hyper::upgrade::{OnUpgrade, Upgraded};
use hyper_util::rt::TokioIo;
use sha1::{Digest as _, Sha1};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::net::tcp::OwnedReadHalf;

use crate::server::connection;
use crate::server::state::EngineState;
use crate::wire::client_frames::{Decoder, FramingError};
use crate::wire::outbox::{ConnSink, Outbox};
use crate::wire::websocket::{Header, frame_of};

/// What RFC 6455 appends to the client's key before hashing it into the accept key.
const ACCEPT_GUID: &[u8] = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// The largest frame, header included, that is copied together to be written with one plain
/// write rather than a vectored one.
const SMALL_FRAME: usize = 2048;

/// The most read through the stack at once, when the frame being read is not larger: client
/// frames are small (an event is tens of bytes).
const READ_CHUNK: usize = 512;

/// The most room a read is given at once, however long the frame being read.
const MAX_READ: usize = 256 * 1024;

/// Why a request to the socket's path is not a WebSocket upgrade the engine takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum NotAnUpgrade {
    #[error("a socket is opened with GET")]
    NotGet,
    #[error("Connection header did not include 'upgrade'")]
    NoConnectionUpgrade,
    #[error("Upgrade header did not include 'websocket'")]
    NoUpgradeWebsocket,
    #[error("Sec-WebSocket-Version header is not 13")]
    Version,
    #[error("Sec-WebSocket-Key header is missing")]
    NoKey,
    #[error("this connection cannot be upgraded")]
    NotUpgradable,
}

impl NotAnUpgrade {
    fn status(self) -> StatusCode {
        match self {
            NotAnUpgrade::NotGet => StatusCode::METHOD_NOT_ALLOWED,
            NotAnUpgrade::Version | NotAnUpgrade::NotUpgradable => StatusCode::UPGRADE_REQUIRED,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

impl IntoResponse for NotAnUpgrade {
    fn into_response(self) -> Response<Body> {
        let mut res = (self.status(), self.to_string()).into_response();
        // A 426 names what to upgrade to (RFC 9110 §15.5.22), and a refused version the one
        // the server speaks (RFC 6455 §4.2.2).
        let h = res.headers_mut();
        match self {
            NotAnUpgrade::Version => {
                h.insert(
                    header::SEC_WEBSOCKET_VERSION,
                    HeaderValue::from_static("13"),
                );
                h.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
            }
            NotAnUpgrade::NotUpgradable => {
                h.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
            }
            _ => {}
        }
        res
    }
}

/// Answers a WebSocket upgrade request: the `101 Switching Protocols` response, and the
/// upgrade to await once it is sent. A request that is not a WebSocket upgrade is refused with
/// the reason, which answers with its status (`405`, `400`, or `426` when the connection
/// cannot be upgraded).
pub(crate) fn upgrade<B>(
    req: &mut Request<B>,
) -> Result<(Response<Body>, OnUpgrade), NotAnUpgrade> {
    if req.method() != Method::GET {
        return Err(NotAnUpgrade::NotGet);
    }
    let headers = req.headers();
    if !has_token(headers, header::CONNECTION, "upgrade") {
        return Err(NotAnUpgrade::NoConnectionUpgrade);
    }
    if !has_token(headers, header::UPGRADE, "websocket") {
        return Err(NotAnUpgrade::NoUpgradeWebsocket);
    }
    if headers
        .get(header::SEC_WEBSOCKET_VERSION)
        .map(HeaderValue::as_bytes)
        != Some(b"13")
    {
        return Err(NotAnUpgrade::Version);
    }
    let Some(key) = headers.get(header::SEC_WEBSOCKET_KEY) else {
        return Err(NotAnUpgrade::NoKey);
    };
    let accept = accept_key(key.as_bytes());
    let Some(on_upgrade) = req.extensions_mut().remove::<OnUpgrade>() else {
        return Err(NotAnUpgrade::NotUpgradable);
    };
    let mut res = Response::new(Body::empty());
    *res.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let h = res.headers_mut();
    h.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
    h.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
    h.insert(header::SEC_WEBSOCKET_ACCEPT, accept);
    Ok((res, on_upgrade))
}

/// Whether header `name` lists `token` (comma-separated, any case).
fn has_token(headers: &HeaderMap, name: header::HeaderName, token: &str) -> bool {
    headers
        .get_all(name)
        .iter()
        .flat_map(|v| v.as_bytes().split(|&b| b == b','))
        .any(|t| t.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
}

/// The `Sec-WebSocket-Accept` value for a client's `Sec-WebSocket-Key`.
fn accept_key(key: &[u8]) -> HeaderValue {
    let mut sha = Sha1::new();
    sha.update(key);
    sha.update(ACCEPT_GUID);
    let encoded = base64::engine::general_purpose::STANDARD.encode(sha.finalize());
    // Base64 is always a valid header value.
    HeaderValue::from_str(&encoded).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Serves one upgraded socket until it closes. The socket is split before the connection's
/// future is made, so that the future holds only the halves: an `async fn` would keep room for
/// the whole socket it was given for as long as the socket lives (rust-lang/rust#62958).
pub(crate) fn connection(
    inner: Arc<EngineState>,
    upgraded: Upgraded,
    max_message: usize,
    peer: Option<IpAddr>,
) -> impl Future<Output = ()> + Send + 'static {
    // A TCP stream served by `axum::serve` splits into owned halves; any other stream is split
    // with a lock between its halves (and replays what hyper read past the request itself).
    let (read, sink, part): (ReadHalf, ConnSink, Vec<u8>) =
        match hyper_util::server::conn::auto::upgrade::downcast::<TokioIo<TcpStream>>(upgraded) {
            Ok(parts) => {
                let (r, w) = parts.io.into_inner().into_split();
                // What was read past the request (seldom anything) is copied out: the bytes
                // hyper hands over share its whole read buffer, which would stay allocated for
                // the socket's life.
                (
                    ReadHalf::Tcp(r),
                    Box::pin(SocketWriter::new(w)),
                    parts.read_buf.to_vec(),
                )
            }
            Err(upgraded) => {
                let (r, w) = tokio::io::split(TokioIo::new(upgraded));
                (
                    ReadHalf::Other(r),
                    Box::pin(SocketWriter::new(w)),
                    Vec::new(),
                )
            }
        };
    let outbox = connection::outbox(&inner, sink);
    let incoming = Incoming {
        read,
        outbox: outbox.clone(),
        decoder: Decoder::new(max_message),
        buf: part,
        done: false,
    };
    connection::run(inner, incoming, outbox, peer)
}

/// The reading half of a socket.
enum ReadHalf {
    /// A TCP stream's own half.
    Tcp(OwnedReadHalf),
    /// Any other upgraded stream's half.
    Other(tokio::io::ReadHalf<TokioIo<Upgraded>>),
}

/// Why the client's messages stopped, short of a close frame or the connection's end.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SocketReadError {
    #[error(transparent)]
    Frame(#[from] FramingError),
    #[error("reading the socket failed: {0}")]
    Io(#[from] io::Error),
    #[error("the connection ended inside a message")]
    Cut,
}

/// The client's messages, as the connection reads them: read from the socket's reading half
/// into a buffer, and taken off it whole by the [`Decoder`]. A ping is answered with a pong
/// through the outbox, and passed on (it counts as a frame received).
struct Incoming {
    read: ReadHalf,
    outbox: Outbox,
    decoder: Decoder,
    /// Bytes read and not decoded yet.
    buf: Vec<u8>,
    /// A close frame was read, or reading failed: nothing more comes.
    done: bool,
}

impl Incoming {
    /// Reads what the socket has into the buffer, and how much; `Ready(Ok(0))` at the
    /// connection's end. A read for a small frame (an event's, a few dozen bytes) goes through
    /// the stack, so that the buffer is only as large as what it holds; a read for a larger one
    /// (within the message limit, which the decoder checked from its header) goes straight into
    /// the buffer, which grows with what arrives.
    fn poll_fill(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let len = self.buf.len();
        let wanted = self.decoder.wanted(&self.buf).saturating_sub(len);
        if wanted <= READ_CHUNK {
            let mut chunk = [0u8; READ_CHUNK];
            let mut read = ReadBuf::new(&mut chunk);
            let polled = self.read.poll_read(cx, &mut read);
            self.buf.extend_from_slice(read.filled());
            return polled.map_ok(|()| read.filled().len());
        }
        // Room in step with what came (twice what the buffer holds, at most MAX_READ): a client
        // that announces a large frame and sends it a byte at a time gets a buffer the size of
        // what it sent, not of what it announced.
        let room = wanted.min(MAX_READ).min(len.max(READ_CHUNK) * 2);
        self.buf.resize(len + room, 0);
        let mut read = ReadBuf::new(&mut self.buf[len..]);
        let polled = self.read.poll_read(cx, &mut read);
        let n = read.filled().len();
        self.buf.truncate(len + n);
        polled.map_ok(|()| n)
    }
}

impl ReadHalf {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        match self {
            ReadHalf::Tcp(r) => Pin::new(r).poll_read(cx, buf),
            ReadHalf::Other(r) => Pin::new(r).poll_read(cx, buf),
        }
    }
}

impl Stream for Incoming {
    type Item = Result<Message, SocketReadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        while !this.done {
            match this.decoder.decode(&mut this.buf) {
                Ok(Some(msg)) => {
                    match &msg {
                        Message::Ping(payload) => {
                            this.outbox.send_message(Message::Pong(payload.clone()));
                        }
                        // The reply echoes the client's code (RFC 6455 §5.5.1): the
                        // connection writes it when it ends.
                        Message::Close(frame) => {
                            this.done = true;
                            if let Some(f) = frame {
                                this.outbox.close_with(f.code);
                            }
                        }
                        _ => {}
                    }
                    // An idle socket keeps no buffer.
                    if this.buf.is_empty() {
                        this.buf = Vec::new();
                    }
                    return Poll::Ready(Some(Ok(msg)));
                }
                Ok(None) => {}
                Err(e) => {
                    this.done = true;
                    // The close frame says why (1002, 1007 or 1009).
                    this.outbox.close_with(e.close_code());
                    return Poll::Ready(Some(Err(e.into())));
                }
            }
            match ready!(this.poll_fill(cx)) {
                Ok(0) => {
                    this.done = true;
                    if this.decoder.inside_message(&this.buf) {
                        return Poll::Ready(Some(Err(SocketReadError::Cut)));
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e.into())));
                }
            }
        }
        Poll::Ready(None)
    }
}

/// A socket's writing half as the outbox's sink: it takes one frame at a time, and writes its
/// header and payload together.
struct SocketWriter<W> {
    io: W,
    /// The frame not all written yet, and how much of it was.
    unwritten: Option<(Header, Bytes, usize)>,
}

impl<W> SocketWriter<W> {
    fn new(io: W) -> Self {
        SocketWriter {
            io,
            unwritten: None,
        }
    }
}

impl<W: AsyncWrite + Unpin> SocketWriter<W> {
    /// Writes what is left of the frame; ready once it is all written.
    fn poll_write_out(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), axum::Error>> {
        while let Some((head, payload, at)) = &mut self.unwritten {
            let head = head.as_bytes();
            let n = if *at < head.len() && head.len() + payload.len() <= SMALL_FRAME {
                // A small frame is put together and sent with one plain write: the kernel's
                // path for a vectored write costs more than the copy.
                let mut whole = [0u8; SMALL_FRAME];
                let rest = &head[*at..];
                whole[..rest.len()].copy_from_slice(rest);
                whole[rest.len()..rest.len() + payload.len()].copy_from_slice(payload);
                let len = rest.len() + payload.len();
                ready!(Pin::new(&mut self.io).poll_write(cx, &whole[..len]))
            } else if *at < head.len() {
                let parts = [IoSlice::new(&head[*at..]), IoSlice::new(payload)];
                ready!(Pin::new(&mut self.io).poll_write_vectored(cx, &parts))
            } else if *at - head.len() < payload.len() {
                ready!(Pin::new(&mut self.io).poll_write(cx, &payload[*at - head.len()..]))
            } else {
                self.unwritten = None;
                break;
            }
            .map_err(axum::Error::new)?;
            if n == 0 {
                return Poll::Ready(Err(axum::Error::new(io::Error::from(
                    io::ErrorKind::WriteZero,
                ))));
            }
            *at += n;
        }
        Poll::Ready(Ok(()))
    }
}

impl<W: AsyncWrite + Unpin> Sink<Message> for SocketWriter<W> {
    type Error = axum::Error;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.get_mut().poll_write_out(cx)
    }

    fn start_send(self: Pin<&mut Self>, msg: Message) -> Result<(), Self::Error> {
        let this = self.get_mut();
        if this.unwritten.is_some() {
            return Err(axum::Error::new(io::Error::other(
                "a frame was sent before the last one was written",
            )));
        }
        let (head, payload) = frame_of(msg);
        this.unwritten = Some((head, payload, 0));
        Ok(())
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        let this = self.get_mut();
        ready!(this.poll_write_out(cx))?;
        Pin::new(&mut this.io)
            .poll_flush(cx)
            .map_err(axum::Error::new)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        let this = self.get_mut();
        ready!(this.poll_write_out(cx))?;
        Pin::new(&mut this.io)
            .poll_shutdown(cx)
            .map_err(axum::Error::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::websocket::{Opcode, split_frame};

    #[test]
    fn the_accept_key_is_the_rfc_example() {
        // RFC 6455 §1.3.
        assert_eq!(
            accept_key(b"dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn another_version_is_told_the_one_spoken() {
        let mut req = Request::get("/socket")
            .header("connection", "Upgrade")
            .header("upgrade", "websocket")
            .header("sec-websocket-version", "8")
            .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
            .body(())
            .expect("a request");
        let refused = upgrade(&mut req).expect_err("version 8");
        assert_eq!(refused, NotAnUpgrade::Version);
        let res = refused.into_response();
        assert_eq!(res.status(), StatusCode::UPGRADE_REQUIRED);
        assert_eq!(
            res.headers().get(header::SEC_WEBSOCKET_VERSION),
            Some(&HeaderValue::from_static("13"))
        );
    }

    #[test]
    fn a_request_that_is_no_upgrade_is_refused() {
        let mut req = Request::get("/socket").body(()).expect("a request");
        let refused = upgrade(&mut req).expect_err("no upgrade headers");
        assert_eq!(refused, NotAnUpgrade::NoConnectionUpgrade);
        assert_eq!(refused.into_response().status(), StatusCode::BAD_REQUEST);
        let mut req = Request::get("/socket")
            .header("connection", "keep-alive, Upgrade")
            .header("upgrade", "WebSocket")
            .header("sec-websocket-version", "13")
            .header("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
            .body(())
            .expect("a request");
        // Without hyper's upgrade in the request, the connection cannot be upgraded.
        let refused = upgrade(&mut req).expect_err("not upgradable");
        assert_eq!(
            refused.into_response().headers().get(header::UPGRADE),
            Some(&HeaderValue::from_static("websocket"))
        );
        assert_eq!(
            refused.into_response().status(),
            StatusCode::UPGRADE_REQUIRED
        );
    }

    /// A writer whose socket takes `room` bytes per write, with vectored writes or without.
    struct Trickle {
        out: Vec<u8>,
        room: usize,
        vectored: bool,
    }

    impl AsyncWrite for Trickle {
        fn poll_write(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<io::Result<usize>> {
            let this = self.get_mut();
            let n = buf.len().min(this.room);
            this.out.extend_from_slice(&buf[..n]);
            Poll::Ready(Ok(n))
        }
        fn poll_write_vectored(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            bufs: &[IoSlice<'_>],
        ) -> Poll<io::Result<usize>> {
            let this = self.get_mut();
            let mut n = 0;
            for b in bufs {
                let take = b.len().min(this.room - n);
                this.out.extend_from_slice(&b[..take]);
                n += take;
            }
            Poll::Ready(Ok(n))
        }
        fn is_write_vectored(&self) -> bool {
            self.vectored
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    #[tokio::test]
    async fn frames_written_in_pieces_arrive_whole() {
        use futures_util::SinkExt as _;
        let text = "x".repeat(300);
        // Past the 2 KiB put together on the stack, and past a 16-bit length.
        let big: Bytes = (0..70_000u32).map(|i| i as u8).collect::<Vec<u8>>().into();
        for vectored in [false, true] {
            for room in [1, 3, 7, 1000, 100_000] {
                let mut w = SocketWriter::new(Trickle {
                    out: Vec::new(),
                    room,
                    vectored,
                });
                w.send(Message::Text(text.as_str().into()))
                    .await
                    .expect("sent");
                w.send(Message::Binary(big.clone())).await.expect("sent");
                w.send(Message::Binary(Bytes::from_static(b"\x00\x01")))
                    .await
                    .expect("sent");
                let mut out = &w.io.out[..];
                let want = [
                    (Opcode::Text, text.as_bytes()),
                    (Opcode::Binary, &big[..]),
                    (Opcode::Binary, &b"\x00\x01"[..]),
                ];
                for (op, payload) in want {
                    let (got_op, got, used) = split_frame(out).expect("a whole frame");
                    assert_eq!(
                        (got_op, got),
                        (op, payload),
                        "room {room}, vectored {vectored}"
                    );
                    out = &out[used..];
                }
                assert!(out.is_empty(), "room {room}, vectored {vectored}");
            }
        }
    }
}
