//! PubSub: broadcast by topic from any task; pages receive in `handle_info`.
//!
//! A [`PubSub`] delivers to the subscribers of its own process directly, without serialising,
//! and hands each message to its [`PubSubBackend`] for the other processes: [`Local`] (the
//! default) has none, `Redis` (the `redis` feature) relays through a Redis server.

mod backend;
pub(crate) mod feed;
pub mod presence;
#[cfg(feature = "redis")]
pub(crate) mod redis;

use std::any::{Any, TypeId};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};

use rustc_hash::FxHashMap;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;

pub use backend::{Inbound, Local, PubSubBackend, RemoteMessage};
#[cfg(feature = "redis")]
pub use redis::{Redis, RedisUrlError};

/// What can be broadcast: cloned for each local subscriber, JSON between processes.
///
/// Implemented for every type that qualifies.
///
/// ```
/// #[derive(Clone, serde::Serialize, serde::Deserialize)]
/// struct Posted { room: String, body: String }
///
/// fn broadcastable<T: leptos_live::pubsub::Message>() {}
/// broadcastable::<Posted>();
/// broadcastable::<String>();
/// ```
pub trait Message: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {}

impl<T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static> Message for T {}

/// Why a broadcast failed.
///
/// ```
/// use leptos_live::pubsub::{Inbound, PubSub, PubSubBackend, PubSubError, RemoteMessage};
///
/// /// Another process's link (Redis, in an app): messages to it are serialised.
/// struct Elsewhere;
/// impl PubSubBackend for Elsewhere {
///     fn name(&self) -> &'static str { "elsewhere" }
///     fn publish(&self, _: RemoteMessage) {}
///     fn start(&self, _: Inbound) {}
/// }
///
/// /// A message whose serialisation fails.
/// #[derive(Clone, serde::Deserialize)]
/// struct Broken;
/// impl serde::Serialize for Broken {
///     fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
///         Err(serde::ser::Error::custom("no"))
///     }
/// }
///
/// let pubsub = PubSub::new(Elsewhere);
/// let err = pubsub.broadcast("room:lobby", Broken).unwrap_err();
/// assert!(matches!(&err, PubSubError::Encode { topic, .. } if topic == "room:lobby"));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum PubSubError {
    /// The message could not be serialised for the other processes.
    #[error("message for topic {topic:?} could not be serialised: {source}")]
    Encode {
        /// The topic.
        topic: String,
        /// What serde said.
        source: serde_json::Error,
    },
}

/// A decoded message, shared by the subscribers of its type.
type AnyMessage = Arc<dyn Any + Send + Sync>;

/// A message on its way to the subscribers of one process.
pub(crate) struct Envelope {
    body: Body,
}

enum Body {
    /// Broadcast in this process: the value itself.
    Local(Arc<dyn Any + Send + Sync>),
    /// From another process: JSON, decoded once per subscriber type.
    Remote {
        json: Box<str>,
        decoded: Mutex<Vec<(TypeId, Option<AnyMessage>)>>,
    },
}

impl Envelope {
    /// The message as a `T`, if it is one.
    fn get<T: Message>(&self) -> Option<T> {
        match &self.body {
            Body::Local(v) => v.downcast_ref::<T>().cloned(),
            Body::Remote { json, decoded } => {
                let mut cache = decoded.lock().unwrap_or_else(|e| e.into_inner());
                let id = TypeId::of::<T>();
                let entry = match cache.iter().find(|(t, _)| *t == id) {
                    Some((_, v)) => v.clone(),
                    None => {
                        let v = match serde_json::from_str::<T>(json) {
                            Ok(v) => Some(Arc::new(v) as Arc<dyn Any + Send + Sync>),
                            Err(e) => {
                                tracing::warn!(error = %e, "a message from another node does not decode as {}", std::any::type_name::<T>());
                                None
                            }
                        };
                        cache.push((id, v.clone()));
                        v
                    }
                };
                entry.and_then(|v| v.downcast_ref::<T>().cloned())
            }
        }
    }
}

/// Delivers an envelope to one subscriber; false once the subscriber is gone.
type Deliver = Box<dyn Fn(&Envelope) -> bool + Send + Sync>;

struct Hub {
    node: Arc<str>,
    topics: RwLock<FxHashMap<Arc<str>, FxHashMap<u64, Deliver>>>,
    next_id: AtomicU64,
    backend: Box<dyn PubSubBackend>,
    /// The groups of pages that feed a stream from a topic.
    feeds: crate::pubsub::feed::Groups,
    /// Counts of the people in each topic, one per [`Presence`](crate::Presence) on this
    /// PubSub.
    census: Mutex<Vec<Census>>,
}

/// How a [`Presence`](crate::Presence) on a PubSub tells who is in each of its topics: how
/// many keys each topic has, or `None` once the presence is gone.
pub(crate) type Census = Box<dyn Fn() -> Option<Vec<(String, usize)>> + Send + Sync>;

impl Hub {
    fn deliver(&self, topic: &str, envelope: &Envelope) -> usize {
        let mut gone = Vec::new();
        let mut reached = 0;
        {
            let topics = self.topics.read().unwrap_or_else(|e| e.into_inner());
            if let Some(subs) = topics.get(topic) {
                for (id, deliver) in subs {
                    if deliver(envelope) {
                        reached += 1;
                    } else {
                        gone.push(*id);
                    }
                }
            }
        }
        if !gone.is_empty() {
            let mut topics = self.topics.write().unwrap_or_else(|e| e.into_inner());
            remove_subscribers(&mut topics, topic, &gone);
        }
        reached
    }
}

fn remove_subscribers(
    topics: &mut FxHashMap<Arc<str>, FxHashMap<u64, Deliver>>,
    topic: &str,
    ids: &[u64],
) {
    if let Some(subs) = topics.get_mut(topic) {
        let gone = ids.iter().filter(|id| subs.remove(id).is_some()).count();
        metrics::gauge!("leptos_live_pubsub_subscribers").decrement(gone as f64);
        if subs.is_empty() {
            topics.remove(topic);
        }
    }
}

/// Topic-based publish/subscribe for pages and any other task. Cheap to clone.
///
/// ```
/// use leptos_live::pubsub::PubSub;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let pubsub = PubSub::local();
/// let mut sub = pubsub.subscribe::<String>("room:lobby");
/// pubsub.broadcast("room:lobby", "hello".to_string()).unwrap();
/// assert_eq!(sub.recv().await.as_deref(), Some("hello"));
/// # });
/// ```
#[derive(Clone)]
pub struct PubSub {
    shared: Arc<Hub>,
}

impl fmt::Debug for PubSub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PubSub")
            .field("node", &self.shared.node)
            .field("backend", &self.shared.backend.name())
            .finish()
    }
}

impl Default for PubSub {
    fn default() -> Self {
        Self::local()
    }
}

impl PubSub {
    /// A PubSub for this process alone.
    ///
    /// ```
    /// use leptos_live::PubSub;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let pubsub = PubSub::local();
    /// let mut sub = pubsub.subscribe::<String>("news");
    /// assert_eq!(pubsub.broadcast("news", "hello".to_string()).unwrap(), 1);
    /// assert_eq!(sub.recv().await.as_deref(), Some("hello"));
    /// # });
    /// ```
    pub fn local() -> PubSub {
        Self::new(Local)
    }

    /// A PubSub that reaches other processes through `backend`. The backend starts at once, so
    /// for `Redis` this must run inside a tokio runtime.
    ///
    /// ```
    /// use leptos_live::pubsub::{Local, PubSub};
    /// let pubsub = PubSub::new(Local);     // what PubSub::local() is; pubsub::Redis reaches other processes
    /// assert_eq!(format!("{pubsub:?}").contains("local"), true);
    /// ```
    pub fn new(backend: impl PubSubBackend) -> PubSub {
        let mut id = [0u8; 8];
        let node: String = match getrandom::fill(&mut id) {
            Ok(()) => id.iter().map(|b| format!("{b:02x}")).collect(),
            Err(_) => format!("{:x}-{}", std::process::id(), crate::wire::ids::now_secs()),
        };
        let shared = Arc::new(Hub {
            node: node.into(),
            topics: RwLock::new(FxHashMap::default()),
            next_id: AtomicU64::new(1),
            backend: Box::new(backend),
            feeds: crate::pubsub::feed::Groups::default(),
            census: Mutex::new(Vec::new()),
        });
        shared.backend.start(Inbound::new(Arc::downgrade(&shared)));
        PubSub { shared }
    }

    /// `Redis` when `REDIS_URL` is set (`redis://host:port`, or `rediss://…` with the
    /// `redis-tls` feature) and the `redis` feature is on, [`PubSub::local`] otherwise.
    /// Must run inside a tokio runtime.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// // Redis when REDIS_URL is set (and the `redis` feature is on), this process alone otherwise.
    /// let pubsub = leptos_live::PubSub::from_env();
    /// let router = leptos_live::LiveRouter::new().pubsub(pubsub);
    /// # });
    /// ```
    pub fn from_env() -> PubSub {
        match std::env::var("REDIS_URL") {
            #[cfg(feature = "redis")]
            Ok(url) if !url.is_empty() => match Redis::new(&url) {
                Ok(redis) => Self::new(redis),
                Err(e) => {
                    tracing::error!(error = %e, "REDIS_URL is unusable; PubSub stays in this process");
                    Self::local()
                }
            },
            #[cfg(not(feature = "redis"))]
            Ok(url) if !url.is_empty() => {
                tracing::error!(
                    "REDIS_URL is set, but leptos_live was built without its `redis` feature; PubSub stays in this process"
                );
                Self::local()
            }
            _ => Self::local(),
        }
    }

    /// This process's node id, random per `PubSub`.
    ///
    /// ```
    /// use leptos_live::PubSub;
    /// let (a, b) = (PubSub::local(), PubSub::local());
    /// assert_ne!(a.node(), b.node());
    /// ```
    pub fn node(&self) -> &str {
        &self.shared.node
    }

    /// Whether messages reach other processes (false for [`PubSub::local`]).
    pub(crate) fn is_distributed(&self) -> bool {
        self.shared.backend.is_distributed()
    }

    /// Sends `msg` to every subscriber of `topic`, in this process and the others. Returns how
    /// many subscribers in this process it reached.
    ///
    /// ```
    /// use leptos_live::PubSub;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let pubsub = PubSub::local();
    /// assert_eq!(pubsub.broadcast("room:empty", 1u32).unwrap(), 0);   // nobody listens: fine
    /// let _a = pubsub.subscribe::<u32>("room:lobby");
    /// let _b = pubsub.subscribe::<u32>("room:lobby");
    /// assert_eq!(pubsub.broadcast("room:lobby", 2u32).unwrap(), 2);
    /// # });
    /// ```
    pub fn broadcast<T: Message>(&self, topic: &str, msg: T) -> Result<usize, PubSubError> {
        if self.shared.backend.is_distributed() {
            let payload = serde_json::to_string(&msg).map_err(|source| PubSubError::Encode {
                topic: topic.to_string(),
                source,
            })?;
            self.shared.backend.publish(RemoteMessage {
                node: self.shared.node.to_string(),
                topic: topic.to_string(),
                payload,
            });
        }
        Ok(self.broadcast_local(topic, msg))
    }

    /// Sends `msg` to the subscribers of `topic` in this process only. Returns how many it reached.
    ///
    /// ```
    /// use leptos_live::PubSub;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let pubsub = PubSub::local();
    /// let mut sub = pubsub.subscribe::<u32>("cache:evict");
    /// assert_eq!(pubsub.broadcast_local("cache:evict", 7u32), 1);   // never leaves the process
    /// assert_eq!(sub.recv().await, Some(7));
    /// # });
    /// ```
    pub fn broadcast_local<T: Message>(&self, topic: &str, msg: T) -> usize {
        let envelope = Envelope {
            body: Body::Local(Arc::new(msg)),
        };
        self.shared.deliver(topic, &envelope)
    }

    /// Subscribes the calling task: messages of type `T` on `topic` arrive on the returned
    /// [`Subscription`]; messages of other types are skipped. Dropping it unsubscribes.
    ///
    /// ```
    /// use leptos_live::PubSub;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let pubsub = PubSub::local();
    /// let mut numbers = pubsub.subscribe::<u32>("mixed");
    /// pubsub.broadcast("mixed", "a string".to_string()).unwrap();  // another type: skipped
    /// pubsub.broadcast("mixed", 5u32).unwrap();
    /// assert_eq!(numbers.recv().await, Some(5));
    /// drop(numbers);                                             // unsubscribes
    /// assert_eq!(pubsub.subscriber_count("mixed"), 0);
    /// # });
    /// ```
    pub fn subscribe<T: Message>(&self, topic: &str) -> Subscription<T> {
        let (tx, rx) = mpsc::unbounded_channel();
        let guard = self.subscribe_with(topic, move |msg: T| tx.send(msg).is_ok());
        Subscription { rx, _guard: guard }
    }

    /// Subscribes a callback: `f` gets each message of type `T` on `topic` and returns false
    /// once it wants no more. Dropping the guard unsubscribes.
    pub(crate) fn subscribe_with<T: Message>(
        &self,
        topic: &str,
        f: impl Fn(T) -> bool + Send + Sync + 'static,
    ) -> SubscriptionGuard {
        let id = self.shared.next_id.fetch_add(1, Ordering::Relaxed);
        let deliver: Deliver = Box::new(move |env| match env.get::<T>() {
            Some(msg) => f(msg),
            None => true,
        });
        let topic: Arc<str> = topic.into();
        self.shared
            .topics
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .entry(topic.clone())
            .or_default()
            .insert(id, deliver);
        metrics::gauge!("leptos_live_pubsub_subscribers").increment(1.0);
        SubscriptionGuard {
            shared: Arc::downgrade(&self.shared),
            topic,
            id,
        }
    }

    /// The groups of pages that feed a stream from a topic ([`crate::Ctx::feed`]).
    pub(crate) fn feed_groups(&self) -> &crate::pubsub::feed::Groups {
        &self.shared.feeds
    }

    /// Every topic that has subscribers in this process, with how many, by topic.
    ///
    /// ```
    /// use leptos_live::pubsub::PubSub;
    /// let pubsub = PubSub::local();
    /// let _a = pubsub.subscribe::<String>("room:a");
    /// let _b = pubsub.subscribe::<String>("room:a");
    /// let _c = pubsub.subscribe::<u32>("room:b");
    /// assert_eq!(pubsub.topics(), [("room:a".to_string(), 2), ("room:b".to_string(), 1)]);
    /// ```
    pub fn topics(&self) -> Vec<(String, usize)> {
        let mut topics: Vec<(String, usize)> = self
            .shared
            .topics
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(topic, subs)| (topic.to_string(), subs.len()))
            .collect();
        topics.sort_unstable();
        topics
    }

    /// The people present in each topic, by topic, over every
    /// [`Presence`](crate::Presence) built on this PubSub (whatever its metadata type): how
    /// many keys each topic has, in every process the presence hears from.
    ///
    /// ```
    /// use leptos_live::{pubsub::PubSub, Presence};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let pubsub = PubSub::local();
    /// let presence = Presence::<()>::new(&pubsub);
    /// let _ada = presence.track("room:lobby", "ada", ());
    /// let _bob = presence.track("room:lobby", "bob", ());
    /// let _ada_again = presence.track("room:lobby", "ada", ());
    /// assert_eq!(pubsub.presence_counts(), [("room:lobby".to_string(), 2)]);
    /// # });
    /// ```
    pub fn presence_counts(&self) -> Vec<(String, usize)> {
        let mut census = self.shared.census.lock().unwrap_or_else(|e| e.into_inner());
        let mut counts = Vec::new();
        census.retain(|count| match count() {
            Some(topics) => {
                counts.extend(topics);
                true
            }
            None => false,
        });
        counts.sort_unstable();
        counts
    }

    /// Lets a presence on this PubSub be counted by [`PubSub::presence_counts`].
    pub(crate) fn add_census(&self, census: Census) {
        self.shared
            .census
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(census);
    }

    /// How many subscribers `topic` has in this process.
    ///
    /// ```
    /// use leptos_live::PubSub;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let pubsub = PubSub::local();
    /// let sub = pubsub.subscribe::<u32>("t");
    /// assert_eq!(pubsub.subscriber_count("t"), 1);
    /// drop(sub);
    /// assert_eq!(pubsub.subscriber_count("t"), 0);
    /// # });
    /// ```
    pub fn subscriber_count(&self, topic: &str) -> usize {
        self.shared
            .topics
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(topic)
            .map_or(0, |s| s.len())
    }
}

/// Unsubscribes when dropped.
pub(crate) struct SubscriptionGuard {
    shared: Weak<Hub>,
    topic: Arc<str>,
    id: u64,
}

impl SubscriptionGuard {
    pub(crate) fn topic(&self) -> &str {
        &self.topic
    }
}

impl Drop for SubscriptionGuard {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.upgrade() {
            let mut topics = shared.topics.write().unwrap_or_else(|e| e.into_inner());
            remove_subscribers(&mut topics, &self.topic, &[self.id]);
        }
    }
}

/// A task's subscription to one topic; dropping it unsubscribes.
///
/// ```
/// # use leptos_live::pubsub::PubSub;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let pubsub = PubSub::local();
/// let mut sub = pubsub.subscribe::<u32>("ticks");
/// pubsub.broadcast("ticks", 1u32).unwrap();
/// assert_eq!(sub.try_recv(), Some(1));
/// assert_eq!(sub.try_recv(), None);
/// # });
/// ```
pub struct Subscription<T> {
    rx: mpsc::UnboundedReceiver<T>,
    _guard: SubscriptionGuard,
}

impl<T> Subscription<T> {
    /// The next message; `None` once the `PubSub` is gone.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let pubsub = leptos_live::PubSub::local();
    /// let mut sub = pubsub.subscribe::<u32>("ticks");
    /// tokio::spawn({ let pubsub = pubsub.clone(); async move { pubsub.broadcast("ticks", 1u32) } });
    /// assert_eq!(sub.recv().await, Some(1));                      // waits for it
    /// # });
    /// ```
    pub async fn recv(&mut self) -> Option<T> {
        self.rx.recv().await
    }

    /// A message already waiting, if any.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let pubsub = leptos_live::PubSub::local();
    /// let mut sub = pubsub.subscribe::<u32>("ticks");
    /// assert_eq!(sub.try_recv(), None);
    /// pubsub.broadcast("ticks", 1u32).unwrap();
    /// assert_eq!(sub.try_recv(), Some(1));
    /// # });
    /// ```
    pub fn try_recv(&mut self) -> Option<T> {
        self.rx.try_recv().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn delivers_by_topic_and_type_and_unsubscribes_on_drop() {
        let ps = PubSub::local();
        let mut a = ps.subscribe::<String>("a");
        let mut nums = ps.subscribe::<u64>("a");
        let mut b = ps.subscribe::<String>("b");
        assert_eq!(ps.broadcast("a", "x".to_string()).unwrap(), 2);
        assert_eq!(a.try_recv().as_deref(), Some("x"));
        assert_eq!(nums.try_recv(), None, "another type is skipped");
        assert_eq!(b.try_recv(), None, "another topic is not reached");
        drop(a);
        assert_eq!(ps.subscriber_count("a"), 1);
        drop(nums);
        assert_eq!(ps.subscriber_count("a"), 0);
    }

    #[tokio::test]
    async fn remote_messages_decode_once_per_type_and_skip_our_own() {
        let ps = PubSub::local();
        let mut a = ps.subscribe::<Vec<u32>>("t");
        let mut b = ps.subscribe::<Vec<u32>>("t");
        let inbound = Inbound::new(Arc::downgrade(&ps.shared));
        inbound.deliver(RemoteMessage {
            node: "elsewhere".into(),
            topic: "t".into(),
            payload: "[1,2]".into(),
        });
        inbound.deliver(RemoteMessage {
            node: ps.node().to_string(),
            topic: "t".into(),
            payload: "[3]".into(),
        });
        assert_eq!(a.try_recv(), Some(vec![1, 2]));
        assert_eq!(b.try_recv(), Some(vec![1, 2]));
        assert_eq!(
            a.try_recv(),
            None,
            "a node's own messages are not delivered twice"
        );
    }

    #[tokio::test]
    async fn a_closed_subscriber_is_pruned() {
        let ps = PubSub::local();
        let sub = ps.subscribe::<u8>("t");
        let Subscription { rx, _guard } = sub;
        drop(rx);
        assert_eq!(ps.broadcast("t", 1u8).unwrap(), 0);
        assert_eq!(ps.subscriber_count("t"), 0);
        drop(_guard);
    }
}
