//! Serving an app with `TCP_NODELAY` on every connection.
//!
//! A live page's traffic is small frames both ways, often two in flight at once: a reply to a
//! click and a push the server sent unasked. Without `TCP_NODELAY`, Nagle's algorithm holds the
//! second small write until the first is acknowledged, and the browser's delayed ACK holds that
//! acknowledgement for up to 40 ms: a click that meets a push waits that long for its reply.
//! [`serve`] (or [`nodelay`] with `axum::serve`) turns the delay off on every accepted connection.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::extract::connect_info::IntoMakeServiceWithConnectInfo;
use axum::middleware::AddExtension;
use axum::serve::{ListenerExt as _, Serve, TapIo};
use tokio::net::{TcpListener, TcpStream};

/// A [`TcpListener`] that sets `TCP_NODELAY` on every connection it accepts; made by
/// [`nodelay`]. It is an [`axum::serve::Listener`], so `axum::serve` takes it, with
/// `ConnectInfo<SocketAddr>` too:
///
/// ```no_run
/// use std::net::SocketAddr;
///
/// # async fn run(app: axum::Router) -> std::io::Result<()> {
/// let listener: leptos_live::server::NoDelayListener =
///     leptos_live::server::nodelay(tokio::net::TcpListener::bind("127.0.0.1:3000").await?);
/// axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await
/// # }
/// ```
pub type NoDelayListener = TapIo<TcpListener, fn(&mut TcpStream)>;

/// Wraps `listener` so that every connection it accepts has `TCP_NODELAY` set. A connection
/// where the option cannot be set is served anyway, and the failure is logged at `warn`.
///
/// ```no_run
/// # async fn run(app: axum::Router) -> std::io::Result<()> {
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
/// axum::serve(leptos_live::server::nodelay(listener), app).await
/// # }
/// ```
pub fn nodelay(listener: TcpListener) -> NoDelayListener {
    listener.tap_io(set_nodelay)
}

/// Serves `router` on `listener` with `TCP_NODELAY` on every accepted connection: `axum::serve`
/// as a live app should be served. The result is axum's [`Serve`]: await it, or add
/// `.with_graceful_shutdown(signal)` first.
///
/// ```no_run
/// use leptos_live::LiveRouter;
///
/// #[tokio::main]
/// async fn main() -> std::io::Result<()> {
///     let app: axum::Router = LiveRouter::new().into_router(); // your pages and routes
///     let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
///     leptos_live::serve(listener, app)
///         .with_graceful_shutdown(async {
///             let _ = tokio::signal::ctrl_c().await;
///         })
///         .await
/// }
/// ```
pub fn serve(
    listener: TcpListener,
    router: axum::Router,
) -> Serve<
    NoDelayListener,
    IntoMakeServiceWithConnectInfo<axum::Router, SocketAddr>,
    AddExtension<axum::Router, ConnectInfo<SocketAddr>>,
> {
    // The peer's address reaches the handlers (ConnectInfo), for the per-address page limit.
    axum::serve(
        nodelay(listener),
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
}

fn set_nodelay(tcp: &mut TcpStream) {
    if let Err(error) = tcp.set_nodelay(true) {
        tracing::warn!(
            %error,
            peer = ?tcp.peer_addr().ok(),
            "could not set TCP_NODELAY; the connection is served without it"
        );
    }
}

/// Resolves when the process is asked to stop: Ctrl-C, or SIGTERM (what a deploy or a process
/// manager sends). Give it to `with_graceful_shutdown`, with [`crate::LiveEngine::shutdown`]
/// after it.
///
/// ```no_run
/// # async fn f(engine: leptos_live::LiveEngine) {
/// leptos_live::server::stop_signal().await;
/// engine.shutdown().await;
/// # }
/// ```
pub async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM ({e}); Ctrl-C only");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::serve::Listener as _;

    #[tokio::test]
    async fn accepted_connections_have_nodelay_set() -> std::io::Result<()> {
        let mut listener = nodelay(TcpListener::bind("127.0.0.1:0").await?);
        let addr = listener.local_addr()?;
        for _ in 0..3 {
            let client = TcpStream::connect(addr).await?;
            let (accepted, peer) = listener.accept().await;
            assert_eq!(peer, client.local_addr()?);
            assert!(
                accepted.nodelay()?,
                "TCP_NODELAY is set on the accepted socket"
            );
        }
        // The baseline the wrapper changes: a plain listener's sockets have it off.
        let plain = TcpListener::bind("127.0.0.1:0").await?;
        let _client = TcpStream::connect(plain.local_addr()?).await?;
        let (accepted, _) = plain.accept().await?;
        assert!(!accepted.nodelay()?);
        Ok(())
    }
}
