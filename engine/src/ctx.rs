//! `Ctx`: what a page's callbacks get to act beyond their own state.

use std::time::Duration;

use tokio::sync::mpsc;

use crate::view::LiveView;

/// A cloneable handle to a running page: any task can send it a message for `handle_info`.
///
/// ```no_run
/// # use leptos_live::{LiveHandle, LiveView};
/// # async fn demo<V: LiveView<Message = String>>(handle: LiveHandle<V>) {
/// if handle.send("hello".to_string()).await.is_err() {
///     // The page has ended.
/// }
/// # }
/// ```
pub struct LiveHandle<V: LiveView> {
    tx: mpsc::Sender<V::Message>,
}

impl<V: LiveView> Clone for LiveHandle<V> {
    fn clone(&self) -> Self {
        LiveHandle {
            tx: self.tx.clone(),
        }
    }
}

/// The page a message was sent to has ended.
#[derive(Debug, thiserror::Error)]
#[error("the page has ended")]
pub struct PageGone;

impl<V: LiveView> LiveHandle<V> {
    pub(crate) fn new(tx: mpsc::Sender<V::Message>) -> Self {
        LiveHandle { tx }
    }

    /// Sends a message, waiting while the page's queue is full.
    pub async fn send(&self, msg: V::Message) -> Result<(), PageGone> {
        self.tx.send(msg).await.map_err(|_| PageGone)
    }

    /// Whether the page is still running.
    pub fn is_alive(&self) -> bool {
        !self.tx.is_closed()
    }
}

/// What `mount`, `handle_event` and `handle_info` get besides the page's state.
pub struct Ctx<V: LiveView> {
    handle: LiveHandle<V>,
    connected: bool,
}

impl<V: LiveView> Ctx<V> {
    pub(crate) fn new(handle: LiveHandle<V>) -> Self {
        Ctx {
            handle,
            connected: false,
        }
    }

    pub(crate) fn set_connected(&mut self, connected: bool) {
        self.connected = connected;
    }

    /// A handle other tasks can use to message this page.
    pub fn handle(&self) -> LiveHandle<V> {
        self.handle.clone()
    }

    /// Whether a browser socket is attached now (false during the HTTP render).
    pub fn connected(&self) -> bool {
        self.connected
    }

    /// Delivers `msg` to this page's `handle_info` after `delay`; dropped if the page has ended.
    pub fn send_after(&self, delay: Duration, msg: V::Message) {
        let handle = self.handle.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let _ = handle.send(msg).await;
        });
    }
}
