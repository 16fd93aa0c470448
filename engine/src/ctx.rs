//! `Ctx`: what a page's callbacks get to act beyond their own state.

use std::time::Duration;

use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;
use tokio::sync::mpsc;

use crate::error::LiveError;
use crate::presence::{Presence, PresenceDiff, Switch, Tracked};
use crate::pubsub::{Message, PubSub, PubSubError, SubscriptionGuard};
use crate::stream::{Drain, Stream, StreamOps};
use crate::view::LiveView;

/// A cloneable handle to a running page: any task can send it a message for `handle_info`.
///
/// ```no_run
/// # use leptos_live::{LiveHandle, LiveView};
/// # async fn demo<V: LiveView<Message = String>>(handle: LiveHandle<V>) {
/// if handle.send("hello".to_string()).is_err() {
///     // The page has ended.
/// }
/// # }
/// ```
pub struct LiveHandle<V: LiveView> {
    tx: mpsc::UnboundedSender<V::Message>,
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
    pub(crate) fn new(tx: mpsc::UnboundedSender<V::Message>) -> Self {
        LiveHandle { tx }
    }

    /// Queues a message for the page. The queue is unbounded, like a process mailbox: the page
    /// handles queued messages in batches, rendering once per batch.
    pub fn send(&self, msg: V::Message) -> Result<(), PageGone> {
        self.tx.send(msg).map_err(|_| PageGone)
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
    /// A URL the browser goes to, from [`Ctx::navigate`].
    pub navigate: Option<String>,
    /// Stream changes since the last render.
    pub(crate) streams: Vec<StreamOps>,
}

impl Pushed {
    /// Whether there is nothing to send.
    pub fn is_empty(&self) -> bool {
        self.reply.is_none()
            && self.events.is_empty()
            && self.title.is_none()
            && self.navigate.is_none()
            && self.streams.is_empty()
    }
}

/// What the router gives every page: the PubSub and the app's extensions.
#[derive(Clone, Default)]
pub(crate) struct Services {
    pub pubsub: PubSub,
    pub extensions: Arc<axum::http::Extensions>,
}

/// Pushed events kept while no socket is attached; older ones are dropped past it.
const MAX_PENDING_EVENTS: usize = 64;

/// What `mount`, `handle_event` and `handle_info` get besides the page's state.
pub struct Ctx<V: LiveView> {
    handle: LiveHandle<V>,
    connected: bool,
    pushed: Pushed,
    services: Services,
    subscriptions: Vec<SubscriptionGuard>,
    streams: Vec<Arc<dyn Drain>>,
    /// The first render is done: streams made from now on send their items in frames.
    rendered: bool,
    /// The callback said it changed only streams.
    streams_only: bool,
    tracked: Vec<Box<dyn Switch>>,
}

impl<V: LiveView> Ctx<V> {
    pub(crate) fn new(handle: LiveHandle<V>, services: Services) -> Self {
        Ctx {
            handle,
            connected: false,
            pushed: Pushed::default(),
            services,
            subscriptions: Vec::new(),
            streams: Vec::new(),
            rendered: false,
            streams_only: false,
            tracked: Vec::new(),
        }
    }

    /// The app's PubSub (see [`crate::LiveRouter::pubsub`]), to broadcast from a callback or
    /// hand to a background task.
    pub fn pubsub(&self) -> &PubSub {
        &self.services.pubsub
    }

    /// The app's value of type `T`, given to [`crate::LiveRouter::extension`]: a database pool,
    /// a [`Presence`], settings.
    ///
    /// ```
    /// # use leptos_live::{Ctx, LiveError, LiveView};
    /// #[derive(Clone)]
    /// struct Settings { max_len: usize }
    /// # fn f<V: LiveView>(ctx: &Ctx<V>) -> Result<(), LiveError> {
    /// let settings: &Settings = ctx.extension()?;
    /// # Ok(()) }
    /// ```
    pub fn extension<T: Clone + Send + Sync + 'static>(&self) -> Result<&T, LiveError> {
        self.services.extensions.get::<T>().ok_or_else(|| {
            LiveError::msg(format!(
                "no {} was given to the router (LiveRouter::extension)",
                std::any::type_name::<T>()
            ))
        })
    }

    /// Subscribes the page to `topic`: each message of type `T` broadcast there arrives in
    /// `handle_info` as a `V::Message`. Subscribing twice to a topic does nothing more. The
    /// subscription ends with the page.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, LiveError, LiveView, Params, Session};
    /// #[derive(Clone, serde::Serialize, serde::Deserialize)]
    /// struct Posted { body: String }
    ///
    /// enum Msg { Posted(Posted) }
    /// impl From<Posted> for Msg { fn from(p: Posted) -> Msg { Msg::Posted(p) } }
    ///
    /// struct Room { last: String }
    /// impl LiveView for Room {
    ///     type Message = Msg;
    ///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         ctx.subscribe::<Posted>("room:lobby");
    ///         Ok(Room { last: String::new() })
    ///     }
    ///     async fn handle_info(&mut self, msg: Msg, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         let Msg::Posted(p) = msg;
    ///         self.last = p.body;
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView { view! { <p>{self.last.clone()}</p> } }
    /// }
    /// ```
    pub fn subscribe<T: Message>(&mut self, topic: &str)
    where
        V::Message: From<T>,
    {
        if self.subscriptions.iter().any(|s| s.topic() == topic) {
            return;
        }
        let tx = self.handle.tx.clone();
        let guard = self
            .services
            .pubsub
            .subscribe_with(topic, move |msg: T| tx.send(V::Message::from(msg)).is_ok());
        self.subscriptions.push(guard);
    }

    /// Ends the page's subscription to `topic`.
    pub fn unsubscribe(&mut self, topic: &str) {
        self.subscriptions.retain(|s| s.topic() != topic);
    }

    /// Broadcasts `msg` on `topic` through the app's PubSub (this page too gets it, if
    /// subscribed).
    pub fn broadcast<T: Message>(&self, topic: &str, msg: T) -> Result<usize, PubSubError> {
        self.services.pubsub.broadcast(topic, msg)
    }

    /// Makes a [`Stream`] named `name`: render it inside an element with `lv-stream="name"`.
    pub fn stream<T: Send + 'static>(&mut self, name: &str, dom_id: fn(&T) -> String) -> Stream<T> {
        let (stream, drain) = Stream::new(name, dom_id);
        if self.rendered {
            drain.capture();
        }
        self.streams.push(drain);
        stream
    }

    /// Tracks `key` in `topic` of `presence` while a browser is connected to this page: the
    /// entry appears when the socket joins and leaves when it goes (tab closed, network lost,
    /// page ended). Keep the returned handle in the page's state for as long as the entry should
    /// stay, and to update its metadata: dropping it takes the entry out.
    #[must_use = "the entry leaves when the returned handle is dropped"]
    pub fn track<M: Message>(
        &mut self,
        presence: &Presence<M>,
        topic: &str,
        key: impl Into<String>,
        meta: M,
    ) -> Tracked<M> {
        let tracked = Tracked::new(presence.clone(), topic, key.into(), meta);
        if self.connected {
            tracked.activate();
        }
        self.tracked.retain(|t| t.alive());
        self.tracked.push(Box::new(tracked.downgrade()));
        tracked
    }

    /// Subscribes the page to the [`PresenceDiff`]s of `topic`.
    pub fn subscribe_presence<M: Message>(&mut self, presence: &Presence<M>, topic: &str)
    where
        V::Message: From<PresenceDiff<M>>,
    {
        self.subscribe::<PresenceDiff<M>>(&presence.diff_topic(topic));
    }

    pub(crate) fn pushed_mut(&mut self) -> &mut Pushed {
        &mut self.pushed
    }

    /// Queues rendered stream changes for the next frame.
    pub(crate) fn push_streams(&mut self, streams: Vec<StreamOps>) {
        self.pushed.streams.extend(streams);
    }

    /// Says that this callback changed nothing the page renders but its streams (and what it
    /// pushed): the engine then renders the new stream items with their templates
    /// ([`Stream::with_template`]) and skips rendering the page. When every message of a batch
    /// says so, a broadcast to thousands of pages costs each one item's render.
    ///
    /// A page that calls it after changing other state shows that change only with its next
    /// render. Streams without a template make the engine render the page anyway.
    pub fn streams_only(&mut self) {
        self.streams_only = true;
    }

    /// Whether the callback just run said [`Ctx::streams_only`]; cleared.
    pub(crate) fn take_streams_only(&mut self) -> bool {
        std::mem::take(&mut self.streams_only)
    }

    /// Renders every stream's waiting items with its template; false when one cannot.
    pub(crate) fn render_streams(&self) -> bool {
        self.streams.iter().all(|s| s.render_pending())
    }

    /// After the first render: the streams' items now travel in frames (see [`Stream::each`]),
    /// and what the first render showed is dropped.
    pub(crate) fn first_render_done(&mut self) {
        self.rendered = true;
        for s in &self.streams {
            s.drain();
            s.capture();
        }
    }

    /// Moves the streams' changes (their items already rendered) into the next frame.
    pub(crate) fn stage_streams(&mut self) {
        let streams = self.take_streams();
        self.push_streams(streams);
    }

    /// Takes the streams' changes since the last render.
    pub(crate) fn take_streams(&mut self) -> Vec<StreamOps> {
        self.streams.iter().filter_map(|s| s.drain()).collect()
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

    /// Sends the browser to `url` (a full page load) with the next frame.
    ///
    /// ```
    /// # use leptos_live::{Ctx, LiveView};
    /// # fn f<V: LiveView>(ctx: &mut Ctx<V>) {
    /// ctx.navigate("/rooms/lobby");
    /// # }
    /// ```
    pub fn navigate(&mut self, url: impl Into<String>) {
        self.pushed.navigate = Some(url.into());
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
        if self.connected != connected {
            self.tracked.retain(|t| t.set_active(connected));
        }
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
            let _ = handle.send(msg);
        });
    }
}
