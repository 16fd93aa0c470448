//! The WebSocket transport: one socket is one connection. Its reading half is the connection's
//! stream of frames; its writing half is the connection's outbox.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::ws::WebSocket;
use futures_util::StreamExt as _;

use crate::server::connection;
use crate::server::state::EngineState;

/// Serves one upgraded socket until it closes.
pub(crate) async fn connection(inner: Arc<EngineState>, socket: WebSocket, peer: Option<IpAddr>) {
    let (sink, stream) = socket.split();
    let outbox = connection::outbox(&inner, Box::pin(sink));
    connection::run(inner, stream, outbox, peer).await;
}
