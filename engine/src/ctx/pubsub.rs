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
}
