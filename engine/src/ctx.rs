//! `Ctx`: what a page's callbacks get to act beyond their own state.

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;
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

/// What a callback sends the browser besides the page's HTML: a reply to the event being
/// handled and events for hooks and the window.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Pushed {
    /// The reply to the event being handled (a hook's `pushEvent` promise resolves with it).
    pub reply: Option<Value>,
    /// Events pushed with [`Ctx::push_event`], in order.
    pub events: Vec<(String, Value)>,
    /// A new document title, from [`Ctx::page_title`].
    pub title: Option<String>,
}

impl Pushed {
    /// Whether there is nothing to send.
    pub fn is_empty(&self) -> bool {
        self.reply.is_none() && self.events.is_empty() && self.title.is_none()
    }
}

/// Pushed events kept while no socket is attached; older ones are dropped past it.
const MAX_PENDING_EVENTS: usize = 64;

/// What `mount`, `handle_event` and `handle_info` get besides the page's state.
pub struct Ctx<V: LiveView> {
    handle: LiveHandle<V>,
    connected: bool,
    pushed: Pushed,
}

impl<V: LiveView> Ctx<V> {
    pub(crate) fn new(handle: LiveHandle<V>) -> Self {
        Ctx {
            handle,
            connected: false,
            pushed: Pushed::default(),
        }
    }

    /// Sends an event to the browser with the next frame: hooks that called
    /// `handleEvent(name, …)` get `payload`, and the window gets a `lv:<name>` event.
    ///
    /// ```
    /// # use leptos_live::{Ctx, LiveView};
    /// # fn f<V: LiveView>(ctx: &mut Ctx<V>) {
    /// ctx.push_event("highlight", serde_json::json!({ "id": "row-7" }));
    /// # }
    /// ```
    pub fn push_event(&mut self, name: impl Into<String>, payload: impl Serialize) {
        let payload = serde_json::to_value(payload).unwrap_or(Value::Null);
        if self.pushed.events.len() >= MAX_PENDING_EVENTS {
            self.pushed.events.remove(0);
        }
        self.pushed.events.push((name.into(), payload));
    }

    /// Sets the document's title in the browser with the next frame.
    pub fn page_title(&mut self, title: impl Into<String>) {
        self.pushed.title = Some(title.into());
    }

    /// Answers the event being handled: a hook's `pushEvent(…)` promise resolves with `value`.
    pub fn reply(&mut self, value: impl Serialize) {
        self.pushed.reply = Some(serde_json::to_value(value).unwrap_or(Value::Null));
    }

    /// Takes what was pushed since the last frame.
    pub(crate) fn take_pushed(&mut self) -> Pushed {
        std::mem::take(&mut self.pushed)
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
