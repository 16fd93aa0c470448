//! The WebSocket transport: one socket is one connection. Its reading half is the connection's
//! stream of frames; its writing half is the connection's outbox.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::ws::WebSocket;
use futures_util::StreamExt as _;

use crate::server::connection;
use crate::server::state::EngineState;

/// Serves one upgraded socket until it closes. The socket is split before the connection's
/// future is made, so that the future holds only the halves: an `async fn` would keep room for
/// the whole socket it was given for as long as the socket lives (rust-lang/rust#62958).
pub(crate) fn connection(
    inner: Arc<EngineState>,
    socket: WebSocket,
    peer: Option<IpAddr>,
) -> impl Future<Output = ()> + Send + 'static {
    let (sink, stream) = socket.split();
    let outbox = connection::outbox(&inner, Box::pin(sink));
    connection::run(inner, stream, outbox, peer)
}
