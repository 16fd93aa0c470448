//! PubSub from a page: topics, feeds, broadcasts, streams and presence.

use std::hash::Hash;

use super::Ctx;
use crate::error::LiveError;
use crate::pubsub::presence::{Presence, PresenceDiff, Tracked};
use crate::pubsub::{Message, PubSub, PubSubError};
use crate::stream::Stream;
use crate::view::LiveView;

impl<V: LiveView> Ctx<V> {
    /// The app's PubSub (see [`crate::LiveRouter::pubsub`]), to broadcast from a callback or
    /// hand to a background task.
    ///
    /// ```
    /// # use leptos_live::{Ctx, FlashKind, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::Steps;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Steps>::mount(Params::default(), Session::default()).await.unwrap();
    /// // In a callback of the page:
    /// # page.send(Box::new(|ctx: &mut Ctx<Steps>| {
    /// let pubsub = ctx.pubsub().clone();       // for a task of the page's own
    /// tokio::spawn(async move { pubsub.broadcast("audit", "page opened".to_string()) });
    /// # }));
    /// # page.drain_info().await.unwrap();
    ///
    /// # });
    /// ```
    pub fn pubsub(&self) -> &PubSub {
        &self.services.pubsub
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
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveRouter, LiveView, Params, PubSub, RawEvent, Session};
    ///
    /// struct Ticker { ticks: u32 }
    /// impl LiveView for Ticker {
    ///     type Message = u32;
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         ctx.subscribe::<u32>("ticks");
    ///         Ok(Ticker { ticks: 0 })
    ///     }
    ///     async fn handle_event(&mut self, _: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         ctx.unsubscribe("ticks");                          // "pause"
    ///         Ok(())
    ///     }
    ///     async fn handle_info(&mut self, n: u32, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         self.ticks += n;
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView { view! { <button lv-click="pause">{self.ticks}</button> } }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let pubsub = PubSub::local();
    /// let router = LiveRouter::new().pubsub(pubsub.clone()).page::<Ticker>("/");
    /// let mut page = leptos_live::testing::LiveTest::<Ticker>::get(&router, "/", Session::default()).await.unwrap();
    /// assert_eq!(pubsub.subscriber_count("ticks"), 1);
    /// page.click("button").await.unwrap();
    /// assert_eq!(pubsub.subscriber_count("ticks"), 0);
    /// # });
    /// ```
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

    /// Broadcasts `msg` on `topic` through the app's PubSub (this page too gets it, if
    /// subscribed).
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveRouter, LiveView, Params, PubSub, RawEvent, Session};
    ///
    /// struct Wall { posts: Vec<String> }
    /// impl LiveView for Wall {
    ///     type Message = String;
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         ctx.subscribe::<String>("wall");
    ///         Ok(Wall { posts: Vec::new() })
    ///     }
    ///     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         let text = e.payload.get_str("text").unwrap_or_default().to_string();
    ///         ctx.broadcast("wall", text).map_err(LiveError::msg)?;   // to every page, this one too
    ///         Ok(())
    ///     }
    ///     async fn handle_info(&mut self, post: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         self.posts.push(post);
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         view! { <ul>{self.posts.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}</ul> }
    ///     }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let router = LiveRouter::new().pubsub(PubSub::local()).page::<Wall>("/");
    /// let mut a = leptos_live::testing::LiveTest::<Wall>::get(&router, "/", Session::default()).await.unwrap();
    /// let mut b = leptos_live::testing::LiveTest::<Wall>::get(&router, "/", Session::default()).await.unwrap();
    /// a.event("post", serde_json::json!({ "text": "hi" })).await.unwrap();
    /// a.drain_info().await.unwrap();
    /// b.drain_info().await.unwrap();
    /// assert_eq!((a.texts("li"), b.texts("li")), (vec!["hi".to_string()], vec!["hi".to_string()]));
    /// # });
    /// ```
    pub fn broadcast<T: Message>(&self, topic: &str, msg: T) -> Result<usize, PubSubError> {
        self.services.pubsub.broadcast(topic, msg)
    }

    /// Makes a [`Stream`] named `name`: render it inside an element with `lv-stream="name"`.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session, Stream};
    ///
    /// struct Log { lines: Stream<(u64, String)> }
    /// impl LiveView for Log {
    ///     type Message = ();
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         let mut lines = ctx.stream("lines", |l: &(u64, String)| format!("l{}", l.0));
    ///         lines.insert((1, "started".into()));
    ///         Ok(Log { lines })
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         view! { <ol lv-stream="lines">{self.lines.each(|id, l| view! { <li id=id>{l.1.clone()}</li> })}</ol> }
    ///     }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let page = leptos_live::testing::LiveTest::<Log>::mount(Params::default(), Session::default()).await.unwrap();
    /// assert_eq!(page.texts("li"), ["started"]);
    /// # });
    /// ```
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
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::presence::{PresenceDiff, Tracked};
    /// use leptos_live::{Ctx, LiveError, LiveRouter, LiveView, Params, Presence, PubSub, RawEvent, Session};
    ///
    /// struct Room { presence: Presence<bool>, me: Tracked<bool> }
    /// enum Msg { Presence }
    /// impl From<PresenceDiff<bool>> for Msg { fn from(_: PresenceDiff<bool>) -> Msg { Msg::Presence } }
    ///
    /// impl LiveView for Room {
    ///     type Message = Msg;
    ///     type Event = RawEvent;
    ///     async fn mount(p: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         let presence = ctx.extension::<Presence<bool>>()?.clone();
    ///         let me = ctx.track(&presence, "room:lobby", p.get("me").unwrap_or("someone"), false);
    ///         ctx.subscribe_presence(&presence, "room:lobby");
    ///         Ok(Room { presence, me })
    ///     }
    ///     async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         self.me.update(|typing| *typing = true);        // "typing…"
    ///         Ok(())
    ///     }
    ///     async fn handle_info(&mut self, Msg::Presence: Msg, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         let here = self.presence.users("room:lobby", 50);
    ///         view! { <ul>{here.into_iter().map(|(name, _)| view! { <li>{name}</li> }).collect_view()}</ul> }
    ///     }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let pubsub = PubSub::local();
    /// let presence = Presence::<bool>::new(&pubsub);
    /// let router = LiveRouter::new().pubsub(pubsub).extension(presence.clone()).page::<Room>("/");
    /// let mut ada = leptos_live::testing::LiveTest::<Room>::get(&router, "/?me=ada", Session::default()).await.unwrap();
    /// let grace = leptos_live::testing::LiveTest::<Room>::get(&router, "/?me=grace", Session::default()).await.unwrap();
    /// assert_eq!(presence.user_count("room:lobby"), 2);
    /// while ada.count("li") < 2 {
    ///     ada.next_info().await.unwrap().unwrap();   // a diff: ada's page renders who is here
    /// }
    /// drop(grace);                                       // the page ends: grace leaves
    /// # tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    /// assert_eq!(presence.user_count("room:lobby"), 1);
    /// # });
    /// ```
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
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::presence::{PresenceDiff, Tracked};
    /// use leptos_live::{Ctx, LiveError, LiveRouter, LiveView, Params, Presence, PubSub, RawEvent, Session};
    ///
    /// struct Room { presence: Presence<bool>, me: Tracked<bool> }
    /// enum Msg { Presence }
    /// impl From<PresenceDiff<bool>> for Msg { fn from(_: PresenceDiff<bool>) -> Msg { Msg::Presence } }
    ///
    /// impl LiveView for Room {
    ///     type Message = Msg;
    ///     type Event = RawEvent;
    ///     async fn mount(p: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         let presence = ctx.extension::<Presence<bool>>()?.clone();
    ///         let me = ctx.track(&presence, "room:lobby", p.get("me").unwrap_or("someone"), false);
    ///         ctx.subscribe_presence(&presence, "room:lobby");
    ///         Ok(Room { presence, me })
    ///     }
    ///     async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         self.me.update(|typing| *typing = true);        // "typing…"
    ///         Ok(())
    ///     }
    ///     async fn handle_info(&mut self, Msg::Presence: Msg, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         let here = self.presence.users("room:lobby", 50);
    ///         view! { <ul>{here.into_iter().map(|(name, _)| view! { <li>{name}</li> }).collect_view()}</ul> }
    ///     }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let pubsub = PubSub::local();
    /// let presence = Presence::<bool>::new(&pubsub);
    /// let router = LiveRouter::new().pubsub(pubsub).extension(presence.clone()).page::<Room>("/");
    /// let mut ada = leptos_live::testing::LiveTest::<Room>::get(&router, "/?me=ada", Session::default()).await.unwrap();
    /// let grace = leptos_live::testing::LiveTest::<Room>::get(&router, "/?me=grace", Session::default()).await.unwrap();
    /// assert_eq!(presence.user_count("room:lobby"), 2);
    /// while ada.count("li") < 2 {
    ///     ada.next_info().await.unwrap().unwrap();   // a diff: ada's page renders who is here
    /// }
    /// drop(grace);                                       // the page ends: grace leaves
    /// # tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    /// assert_eq!(presence.user_count("room:lobby"), 1);
    /// # });
    /// ```
    pub fn subscribe_presence<M: Message>(&mut self, presence: &Presence<M>, topic: &str)
    where
        V::Message: From<PresenceDiff<M>>,
    {
        self.subscribe::<PresenceDiff<M>>(&presence.diff_topic(topic));
    }

    /// Says that this callback changed nothing the page renders but its streams (and what it
    /// pushed): the engine then renders the new stream items with their templates
    /// ([`Stream::with_template`]) and skips rendering the page. When every message of a batch
    /// says so, a broadcast to thousands of pages costs each one item's render.
    ///
    /// A page that calls it after changing other state shows that change only with its next
    /// render. Streams without a template make the engine render the page anyway.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session, Stream};
    ///
    /// #[derive(Clone)]
    /// struct Line(u64, String);
    ///
    /// struct Tail { lines: Stream<Line>, renders: std::sync::Arc<std::sync::atomic::AtomicU32> }
    /// impl LiveView for Tail {
    ///     type Message = Line;
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         let lines = ctx.stream("lines", |l: &Line| format!("l{}", l.0))
    ///             .with_template(|id, l: &Line| view! { <li id=id>{l.1.clone()}</li> });
    ///         Ok(Tail { lines, renders: Default::default() })
    ///     }
    ///     async fn handle_info(&mut self, line: Line, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         self.lines.insert(line);
    ///         ctx.streams_only();                    // nothing else changed: skip the page's render
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         self.renders.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    ///         view! { <ol lv-stream="lines">{self.lines.render()}</ol> }
    ///     }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Tail>::mount(Params::default(), Session::default()).await.unwrap();
    /// let renders = page.view().renders.load(std::sync::atomic::Ordering::Relaxed);
    /// page.send(Line(1, "GET /".into()));
    /// page.drain_info().await.unwrap();
    /// assert_eq!(page.texts("li"), ["GET /"]);
    /// assert_eq!(page.view().renders.load(std::sync::atomic::Ordering::Relaxed), renders);
    /// # });
    /// ```
    pub fn streams_only(&mut self) {
        self.streams_only = true;
    }
}
