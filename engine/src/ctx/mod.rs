//! `Ctx`: what a page's callbacks get to act beyond their own state.

mod upload;

use std::future::Future;
use std::hash::Hash;
use std::time::Duration;

use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;
use tokio::sync::mpsc;

use crate::component::{LiveComponent, Slots};
use crate::error::LiveError;
use crate::flash::{Flash, FlashKind};
use crate::pubsub::feed::{FeedGuard, Gate};
use crate::pubsub::presence::{Presence, PresenceDiff, Switch, Tracked};
use crate::pubsub::{Message, PubSub, PubSubError, SubscriptionGuard};
use crate::stream::{Drain, Stream, StreamOps};
use crate::upload::Uploads;
use crate::view::LiveView;
pub use crate::wire::pushed::{Nav, Pushed};
use crate::work::{AsyncFailed, AsyncResult, Done, Queue, Work};

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
    /// The page's own queue for what the engine applies on its task (component updates).
    engine: Option<Arc<Queue<V>>>,
}

impl<V: LiveView> Clone for LiveHandle<V> {
    fn clone(&self) -> Self {
        LiveHandle {
            tx: self.tx.clone(),
            engine: self.engine.clone(),
        }
    }
}

/// The page a message was sent to has ended.
#[derive(Debug, thiserror::Error)]
#[error("the page has ended")]
pub struct PageGone;

impl<V: LiveView> LiveHandle<V> {
    pub(crate) fn new(tx: mpsc::UnboundedSender<V::Message>) -> Self {
        LiveHandle { tx, engine: None }
    }

    /// Gives the page's component `id` new props, from any task (see [`Ctx::send_update`]).
    ///
    /// ```no_run
    /// # use leptos_live::{LiveComponent, LiveHandle};
    /// # fn f<C: LiveComponent<Props = u32>>(handle: LiveHandle<C::Page>) {
    /// let _ = handle.send_update::<C>("unread", 3);
    /// # }
    /// ```
    pub fn send_update<C: LiveComponent<Page = V>>(
        &self,
        id: impl Into<String>,
        props: C::Props,
    ) -> Result<(), PageGone> {
        let id = id.into();
        let engine = self.engine.as_ref().ok_or(PageGone)?;
        engine
            .send(Done::engine(Box::new(move |_, ctx: &mut Ctx<V>| {
                ctx.send_update::<C>(&id, props);
                Ok(())
            })))
            .map_err(|_| PageGone)
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

/// What the router gives every page: the PubSub, the app's extensions, and the key that seals
/// flash messages carried by a navigation.
#[derive(Clone, Default)]
pub(crate) struct Services {
    pub pubsub: PubSub,
    pub extensions: Arc<axum::http::Extensions>,
    pub secret: Arc<[u8]>,
    /// Where uploads keep their temporary files (`None`: the system's temporary directory).
    pub upload_dir: Option<Arc<std::path::Path>>,
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
    /// The streams the page feeds from topics.
    feeds: Vec<FeedGuard>,
    /// Where the page's task and its feeds meet.
    gate: Arc<Gate>,
    streams: Vec<Arc<dyn Drain>>,
    /// The first render is done: streams made from now on send their items in frames.
    rendered: bool,
    /// The callback said it changed only streams.
    streams_only: bool,
    tracked: Vec<Box<dyn Switch>>,
    /// What the live session's `on_mount` checks assigned.
    assigns: axum::http::Extensions,
    /// The flash the page shows.
    flash: Flash,
    /// The flash this page put, which a navigation carries to the next page.
    flash_out: Flash,
    /// Work the page started off its task.
    work: Work<V>,
    /// The page's components.
    components: Slots<V>,
    /// The component whose event is being handled.
    current_component: Option<Arc<str>>,
    /// Where that work's outcomes arrive, until the page's task takes it.
    work_rx: Option<Arc<Queue<V>>>,
    /// The page's uploads, made when it first allows one (most pages never do).
    uploads: Option<Box<Uploads>>,
}

impl<V: LiveView> Ctx<V> {
    pub(crate) fn new(mut handle: LiveHandle<V>, services: Services) -> Self {
        let (work, work_rx) = Work::new();
        handle.engine = Some(work.sender());
        Ctx {
            uploads: None,
            components: Slots::default(),
            current_component: None,
            work,
            work_rx: Some(work_rx),
            assigns: axum::http::Extensions::new(),
            flash: Flash::default(),
            flash_out: Flash::default(),
            handle,
            connected: false,
            pushed: Pushed::default(),
            services,
            subscriptions: Vec::new(),
            feeds: Vec::new(),
            gate: Arc::default(),
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

    /// Runs `fut` off the page's task: events and messages keep flowing meanwhile. When it
    /// finishes, `then` runs on the page with its outcome (a panic in it is
    /// [`AsyncFailed::Panicked`]) and the page renders. Starting work under a `key` that is
    /// running cancels the running one; the page's end cancels all of its work.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session};
    ///
    /// struct Report { total: Option<u64>, failed: bool }
    ///
    /// impl LiveView for Report {
    ///     type Message = ();
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         ctx.start_async("total", async { 6 * 7 }, |page: &mut Report, outcome, _| {
    ///             match outcome {
    ///                 Ok(total) => page.total = Some(total),
    ///                 Err(_panicked) => page.failed = true,
    ///             }
    ///             Ok(())
    ///         });
    ///         Ok(Report { total: None, failed: false })
    ///     }
    ///     fn render(&self) -> impl IntoView { view! { <p>{self.total}</p> } }
    /// }
    /// ```
    pub fn start_async<T, F, H>(&mut self, key: impl Into<String>, fut: F, then: H)
    where
        T: Send + 'static,
        F: Future<Output = T> + Send + 'static,
        H: FnOnce(&mut V, Result<T, AsyncFailed>, &mut Ctx<V>) -> Result<(), LiveError>
            + Send
            + 'static,
    {
        let key: String = key.into();
        self.work.start(key.into(), fut, then);
    }

    /// Like [`Ctx::start_async`], for the page's component `id`: `then` gets the component. Its
    /// keys are the component's own; the outcome is dropped if the component is gone by then.
    ///
    /// ```
    /// # use leptos_live::{Ctx, LiveComponent};
    /// # fn f<C: LiveComponent>(ctx: &mut Ctx<C::Page>) {
    /// ctx.start_async_in::<C, _, _, _>("search", "results", async { 3 }, |component, outcome, _| {
    ///     let _ = (component, outcome);
    ///     Ok(())
    /// });
    /// # }
    /// ```
    pub fn start_async_in<C, T, F, H>(&mut self, id: &str, key: &str, fut: F, then: H)
    where
        C: LiveComponent<Page = V>,
        T: Send + 'static,
        F: Future<Output = T> + Send + 'static,
        H: FnOnce(&mut C, Result<T, AsyncFailed>, &mut Ctx<V>) -> Result<(), LiveError>
            + Send
            + 'static,
    {
        let component = id.to_string();
        self.start_async(format!("{id}/{key}"), fut, move |_, outcome, ctx| {
            let registry = ctx.components().clone();
            registry
                .with::<C, _>(&component, ctx, |c, ctx| Some(then(c, outcome, ctx)))
                .unwrap_or(Ok(()))
        });
    }

    /// Loads a field of the page off its task: the field shows [`AsyncResult::Loading`] from
    /// the next render on, then `Ok` with the value or `Failed` with the error (or the panic).
    /// Same keys, cancellation and flow as [`Ctx::start_async`].
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{AsyncResult, Ctx, LiveError, LiveView, Params, RawEvent, Session};
    ///
    /// struct Stats { visits: AsyncResult<u64> }
    ///
    /// impl LiveView for Stats {
    ///     type Message = ();
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         ctx.assign_async("visits", async { Ok::<_, LiveError>(42) }, |s: &mut Stats| &mut s.visits);
    ///         Ok(Stats { visits: AsyncResult::Loading })
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         view! { <p>{format!("{:?}", self.visits)}</p> }
    ///     }
    /// }
    /// ```
    pub fn assign_async<T, E, F>(
        &mut self,
        key: impl Into<String>,
        fut: F,
        field: fn(&mut V) -> &mut AsyncResult<T>,
    ) where
        T: Send + 'static,
        E: std::fmt::Display + Send + 'static,
        F: Future<Output = Result<T, E>> + Send + 'static,
    {
        self.work
            .mark_loading(Box::new(move |view| *field(view) = AsyncResult::Loading));
        self.start_async(key, fut, move |view, outcome, _| {
            *field(view) = match outcome {
                Ok(Ok(value)) => AsyncResult::Ok(value),
                Ok(Err(e)) => AsyncResult::Failed(e.to_string()),
                Err(failed) => AsyncResult::Failed(failed.to_string()),
            };
            Ok(())
        });
    }

    /// Cancels the work running under `key`; its outcome never arrives.
    pub fn cancel_async(&mut self, key: &str) {
        self.work.cancel(key);
    }

    /// Whether work runs under `key`.
    pub fn async_running(&self, key: &str) -> bool {
        self.work.is_running(key)
    }

    /// Gives the component `id` new props (its `update` runs now) and renders it again with the
    /// page. The page's own renders update it again only when the props they pass change.
    /// False when the page renders no such component.
    pub fn send_update<C: LiveComponent<Page = V>>(&mut self, id: &str, props: C::Props) -> bool {
        self.components.update::<C>(id, props)
    }

    /// How many times the page's components have rendered (a component renders only when its
    /// props changed or it handled an event), for tests and benchmarks.
    pub fn component_renders(&self) -> u64 {
        self.components.renders()
    }

    /// The id of the component whose `handle_event` is running, if one is.
    pub fn component_id(&self) -> Option<&str> {
        self.current_component.as_deref()
    }

    pub(crate) fn set_component(&mut self, id: Option<Arc<str>>) {
        self.current_component = id;
    }

    pub(crate) fn components(&self) -> &Slots<V> {
        &self.components
    }

    /// The page's uploads, when it has any.
    pub(crate) fn uploads(&self) -> Option<&Uploads> {
        self.uploads.as_deref()
    }

    /// The page's uploads, made if need be.
    pub(crate) fn uploads_mut(&mut self) -> &mut Uploads {
        let dir = &self.services.upload_dir;
        self.uploads
            .get_or_insert_with(|| Box::new(Uploads::new(dir.clone())))
    }

    /// The upload writers' reports, for the page's task to take once; `None` until the page
    /// has uploads.
    pub(crate) fn take_upload_reports(
        &mut self,
    ) -> Option<mpsc::UnboundedReceiver<crate::upload::Report>> {
        self.uploads.as_mut().and_then(|u| u.take_reports())
    }

    /// The upload entries the browser must stop sending, and why.
    pub(crate) fn take_upload_notices(&mut self) -> Vec<(u32, &'static str)> {
        self.uploads
            .as_mut()
            .map(|u| u.take_notices())
            .unwrap_or_default()
    }

    /// What the view shows of the page's uploads.
    pub(crate) fn shown_uploads(&self) -> Option<crate::upload::Shown> {
        self.uploads.as_ref().and_then(|u| u.shown())
    }

    pub(crate) fn work_mut(&mut self) -> &mut Work<V> {
        &mut self.work
    }

    /// Where the page's finished work arrives; taken once, by the page's task.
    pub(crate) fn take_work_rx(&mut self) -> Option<Arc<Queue<V>>> {
        self.work_rx.take()
    }

    /// What the live session's `on_mount` checks assigned for this page (see
    /// [`crate::Mounting::assign`]): the current user, say.
    ///
    /// ```
    /// # use leptos_live::{Ctx, LiveError, LiveView};
    /// #[derive(Clone)]
    /// struct User { name: String }
    /// # fn f<V: LiveView>(ctx: &Ctx<V>) -> Result<(), LiveError> {
    /// let user: &User = ctx.assigned()?;
    /// # Ok(()) }
    /// ```
    pub fn assigned<T: Clone + Send + Sync + 'static>(&self) -> Result<&T, LiveError> {
        self.assigns.get::<T>().ok_or_else(|| {
            LiveError::msg(format!(
                "no {} was assigned by an on_mount check",
                std::any::type_name::<T>()
            ))
        })
    }

    pub(crate) fn set_assigns(&mut self, assigns: axum::http::Extensions) {
        self.assigns = assigns;
    }

    /// Shows `message` as the page's flash of `kind` (its view reads it with
    /// [`crate::flash`]). It stays until dismissed, and a [`Ctx::push_navigate`] or
    /// [`Ctx::redirect`] carries it to the next page.
    ///
    /// ```
    /// # use leptos_live::{Ctx, FlashKind, LiveView};
    /// # fn f<V: LiveView>(ctx: &mut Ctx<V>) {
    /// ctx.put_flash(FlashKind::Info, "Room created");
    /// # }
    /// ```
    pub fn put_flash(&mut self, kind: FlashKind, message: impl Into<String>) {
        let message = message.into();
        self.flash.put(kind, message.clone());
        self.flash_out.put(kind, message);
    }

    /// Removes the flash message of `kind`, or every message with `None`.
    pub fn clear_flash(&mut self, kind: Option<FlashKind>) {
        match kind {
            Some(k) => {
                self.flash.clear(k);
                self.flash_out.clear(k);
            }
            None => {
                self.flash.clear_all();
                self.flash_out.clear_all();
            }
        }
    }

    /// The page's flash.
    pub fn flash(&self) -> &Flash {
        &self.flash
    }

    /// Shows a flash that came with the navigation to this page.
    pub(crate) fn receive_flash(&mut self, flash: Flash) {
        self.flash.merge(flash);
    }

    /// The flash this page put, sealed for the next page; `None` when there is none.
    /// The flash this page put, sealed for the next page (and no longer carried after);
    /// `None` when there is none.
    pub(crate) fn sealed_flash(&mut self) -> Option<String> {
        let out = std::mem::take(&mut self.flash_out);
        (!out.is_empty())
            .then(|| crate::flash::seal(&out, &self.services.secret, crate::wire::ids::now_secs()))
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
    ///     type Event = leptos_live::RawEvent;
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

    /// Ends the page's subscription to `topic`, and the feeds from it.
    pub fn unsubscribe(&mut self, topic: &str) {
        self.subscriptions.retain(|s| s.topic() != topic);
        self.feeds.retain(|f| f.topic() != topic);
    }

    /// Feeds `stream` from `topic`: every item broadcast there is inserted at the end of the
    /// stream, without `handle_info`. The stream needs a shared template
    /// ([`Stream::with_shared_template`]); call it in `mount`, after making the stream.
    ///
    /// This is the way to show a broadcast to many pages at once. The pages that feed the same
    /// stream from the same topic share the work: each item is rendered once and its frame
    /// encoded once, then written straight to the pages' sockets by one task per core, with no
    /// page's task woken. A page in the middle of a callback, or whose client is away, gets the
    /// item afterwards and sends it with its next frame, so every browser sees the items in
    /// the order they came. [`Ctx::unsubscribe`] ends the feed.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveRouter, LiveView, Params, PubSub, Session, Stream};
    /// use leptos_live::testing::LiveTest;
    ///
    /// #[derive(Clone, Hash, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    /// struct Post { id: u64, body: String }
    ///
    /// fn post(id: String, p: &Post) -> impl IntoView + use<> {
    ///     view! { <li id=id>{p.body.clone()}</li> }
    /// }
    ///
    /// struct Room { posts: Stream<Post> }
    ///
    /// impl LiveView for Room {
    ///     type Message = ();
    ///     type Event = leptos_live::RawEvent;
    ///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         let posts = ctx
    ///             .stream("posts", |p: &Post| format!("p{}", p.id))
    ///             .with_shared_template(post);
    ///         ctx.feed(&posts, "room:lobby:posts")?;
    ///         Ok(Room { posts })
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         view! { <ul id="posts" lv-stream="posts">{self.posts.render()}</ul> }
    ///     }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let pubsub = PubSub::local();
    /// let router = LiveRouter::new().pubsub(pubsub.clone()).page::<Room>("/");
    /// let mut page = LiveTest::<Room>::get(&router, "/", Session::default()).await.unwrap();
    /// pubsub.broadcast("room:lobby:posts", Post { id: 1, body: "hi".into() }).unwrap();
    /// page.drain_info().await.unwrap();
    /// assert_eq!(page.texts("#posts li"), ["hi"]);
    /// # });
    /// ```
    pub fn feed<T>(&mut self, stream: &Stream<T>, topic: &str) -> Result<(), LiveError>
    where
        T: Message + Hash + Eq,
    {
        let name = stream.name();
        if self
            .feeds
            .iter()
            .any(|f| f.topic() == topic && f.stream() == name)
        {
            return Ok(());
        }
        let guard =
            crate::pubsub::feed::join(&self.services.pubsub, topic, stream, self.gate.clone())
                .map_err(|e| LiveError::msg(e.to_string()))?;
        self.feeds.push(guard);
        Ok(())
    }

    /// Where the page's task and its feeds meet.
    pub(crate) fn gate(&self) -> &Arc<Gate> {
        &self.gate
    }

    /// Inserts the items the page's feeds left for it into its streams.
    pub(crate) fn take_fed(&mut self) {
        for f in &self.feeds {
            f.take_waiting();
        }
    }

    #[cfg(any(test, feature = "testing"))]
    /// Waits until the page's feeds have offered it every item broadcast so far.
    pub(crate) async fn feeds_settled(&self) {
        for f in &self.feeds {
            f.settled().await;
        }
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
    /// Takes the streams components made in the render just done: their first items were in
    /// it, so from now on they travel in frames. Streams whose component is gone are let go.
    pub(crate) fn adopt_component_streams(&mut self) {
        let new = self.components.take_streams();
        for s in &new {
            s.drain();
            s.capture();
        }
        self.streams.extend(new);
        self.streams.retain(|s| Arc::strong_count(s) > 1);
    }

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

    /// Changes the page's URL to `url` (a path and query on this site) without mounting
    /// again: `handle_params` runs with the new params, and the browser adds a history entry.
    /// A URL of another route becomes a [`Ctx::push_navigate`].
    ///
    /// ```
    /// # use leptos_live::{Ctx, LiveView};
    /// # fn f<V: LiveView>(ctx: &mut Ctx<V>) {
    /// ctx.push_patch("/rooms/lobby?tab=members");
    /// # }
    /// ```
    pub fn push_patch(&mut self, url: impl Into<String>) {
        self.set_nav(Nav::Patch {
            to: url.into(),
            replace: false,
        });
    }

    /// Like [`Ctx::push_patch`], replacing the current history entry.
    pub fn replace_patch(&mut self, url: impl Into<String>) {
        self.set_nav(Nav::Patch {
            to: url.into(),
            replace: true,
        });
    }

    /// Ends this page and mounts the live page at `url` over the same socket, with no document
    /// load; the flash this page put goes along. A URL outside this page's live session, or
    /// not live at all, is loaded in full instead.
    ///
    /// ```
    /// # use leptos_live::{Ctx, LiveView};
    /// # fn f<V: LiveView>(ctx: &mut Ctx<V>) {
    /// ctx.push_navigate("/rooms/lobby");
    /// # }
    /// ```
    pub fn push_navigate(&mut self, url: impl Into<String>) {
        self.set_nav(Nav::Navigate {
            to: url.into(),
            replace: false,
        });
    }

    /// Like [`Ctx::push_navigate`], replacing the current history entry.
    pub fn replace_navigate(&mut self, url: impl Into<String>) {
        self.set_nav(Nav::Navigate {
            to: url.into(),
            replace: true,
        });
    }

    /// Sends the browser to `url`, a path on this site, with a full page load; the flash this
    /// page put goes along (in a signed cookie). A URL on another origin is refused with an
    /// error in the log: use [`Ctx::redirect_external`] for those.
    ///
    /// ```
    /// # use leptos_live::{Ctx, LiveView};
    /// # fn f<V: LiveView>(ctx: &mut Ctx<V>) {
    /// ctx.redirect("/login");
    /// # }
    /// ```
    pub fn redirect(&mut self, url: impl Into<String>) {
        self.set_nav(Nav::Redirect {
            to: url.into(),
            external: false,
        });
    }

    /// Sends the browser to `url`, which may be on another origin, with a full page load.
    pub fn redirect_external(&mut self, url: impl Into<String>) {
        self.set_nav(Nav::Redirect {
            to: url.into(),
            external: true,
        });
    }

    fn set_nav(&mut self, nav: Nav) {
        let local = matches!(nav, Nav::Redirect { external: true, .. })
            || crate::wire::url::local_uri(nav.to()).is_ok();
        if local {
            self.pushed.nav = Some(nav);
        } else {
            tracing::error!(
                url = nav.to(),
                "refused to leave for a URL that is not a path on this site; use redirect_external"
            );
        }
    }

    /// Takes where the last callback sent the browser.
    pub(crate) fn take_nav(&mut self) -> Option<Nav> {
        self.pushed.nav.take()
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
