//! The link between the PubSubs of several processes.

use std::sync::Weak;

use super::{Body, Envelope, Hub};

/// A message between processes: its origin node, its topic and its JSON.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use leptos_live::pubsub::{Inbound, PubSub, PubSubBackend, RemoteMessage};
///
/// /// Two processes in one: what one publishes, the other's inbound gets.
/// #[derive(Clone, Default)]
/// struct Wire(Arc<Mutex<Vec<Inbound>>>);
/// impl PubSubBackend for Wire {
///     fn name(&self) -> &'static str { "wire" }
///     fn publish(&self, msg: RemoteMessage) {
///         let inbounds = self.0.lock().unwrap().clone();
///         for inbound in inbounds { inbound.deliver(msg.clone()); }   // skips its own node
///     }
///     fn start(&self, inbound: Inbound) { self.0.lock().unwrap().push(inbound); }
/// }
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let wire = Wire::default();
/// let (a, b) = (PubSub::new(wire.clone()), PubSub::new(wire.clone()));
/// let mut on_b = b.subscribe::<String>("room:lobby");
/// a.broadcast("room:lobby", "across".to_string()).unwrap();
/// assert_eq!(on_b.recv().await.as_deref(), Some("across"));
/// # });
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RemoteMessage {
    /// The node that broadcast it ([`super::PubSub::node`]).
    #[serde(rename = "n")]
    pub node: String,
    /// The topic.
    #[serde(rename = "t")]
    pub topic: String,
    /// The message as JSON.
    #[serde(rename = "m")]
    pub payload: String,
}

/// Where a backend hands the messages of other processes.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use leptos_live::pubsub::{Inbound, PubSub, PubSubBackend, RemoteMessage};
///
/// /// Two processes in one: what one publishes, the other's inbound gets.
/// #[derive(Clone, Default)]
/// struct Wire(Arc<Mutex<Vec<Inbound>>>);
/// impl PubSubBackend for Wire {
///     fn name(&self) -> &'static str { "wire" }
///     fn publish(&self, msg: RemoteMessage) {
///         let inbounds = self.0.lock().unwrap().clone();
///         for inbound in inbounds { inbound.deliver(msg.clone()); }   // skips its own node
///     }
///     fn start(&self, inbound: Inbound) { self.0.lock().unwrap().push(inbound); }
/// }
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let wire = Wire::default();
/// let (a, b) = (PubSub::new(wire.clone()), PubSub::new(wire.clone()));
/// let mut on_b = b.subscribe::<String>("room:lobby");
/// a.broadcast("room:lobby", "across".to_string()).unwrap();
/// assert_eq!(on_b.recv().await.as_deref(), Some("across"));
/// # });
/// ```
#[derive(Clone)]
pub struct Inbound {
    shared: Weak<Hub>,
}

impl Inbound {
    pub(super) fn new(shared: Weak<Hub>) -> Inbound {
        Inbound { shared }
    }

    /// Whether the PubSub this delivers to still exists.
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use leptos_live::pubsub::{Inbound, PubSub, PubSubBackend, RemoteMessage};
    ///
    /// /// Two processes in one: what one publishes, the other's inbound gets.
    /// #[derive(Clone, Default)]
    /// struct Wire(Arc<Mutex<Vec<Inbound>>>);
    /// impl PubSubBackend for Wire {
    ///     fn name(&self) -> &'static str { "wire" }
    ///     fn publish(&self, msg: RemoteMessage) {
    ///         let inbounds = self.0.lock().unwrap().clone();
    ///         for inbound in inbounds { inbound.deliver(msg.clone()); }   // skips its own node
    ///     }
    ///     fn start(&self, inbound: Inbound) { self.0.lock().unwrap().push(inbound); }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let wire = Wire::default();
    /// let (a, b) = (PubSub::new(wire.clone()), PubSub::new(wire.clone()));
    /// let mut on_b = b.subscribe::<String>("room:lobby");
    /// a.broadcast("room:lobby", "across".to_string()).unwrap();
    /// assert_eq!(on_b.recv().await.as_deref(), Some("across"));
    /// let inbound = wire.0.lock().unwrap()[0].clone();
    /// drop(a);
    /// assert!(!inbound.is_alive());
    /// # });
    /// ```
    pub fn is_alive(&self) -> bool {
        self.shared.strong_count() > 0
    }

    /// Delivers a message from another process to this process's subscribers. A message from
    /// this very node (backends that echo) is skipped. Returns false once the PubSub is gone.
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use leptos_live::pubsub::{Inbound, PubSub, PubSubBackend, RemoteMessage};
    ///
    /// /// Two processes in one: what one publishes, the other's inbound gets.
    /// #[derive(Clone, Default)]
    /// struct Wire(Arc<Mutex<Vec<Inbound>>>);
    /// impl PubSubBackend for Wire {
    ///     fn name(&self) -> &'static str { "wire" }
    ///     fn publish(&self, msg: RemoteMessage) {
    ///         let inbounds = self.0.lock().unwrap().clone();
    ///         for inbound in inbounds { inbound.deliver(msg.clone()); }   // skips its own node
    ///     }
    ///     fn start(&self, inbound: Inbound) { self.0.lock().unwrap().push(inbound); }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let wire = Wire::default();
    /// let (a, b) = (PubSub::new(wire.clone()), PubSub::new(wire.clone()));
    /// let mut on_b = b.subscribe::<String>("room:lobby");
    /// a.broadcast("room:lobby", "across".to_string()).unwrap();
    /// assert_eq!(on_b.recv().await.as_deref(), Some("across"));
    /// let inbound = wire.0.lock().unwrap()[1].clone();      // b's
    /// let msg = RemoteMessage { node: "elsewhere".into(), topic: "room:lobby".into(), payload: r#""by hand""#.into() };
    /// assert!(inbound.deliver(msg));
    /// assert_eq!(on_b.recv().await.as_deref(), Some("by hand"));
    /// # });
    /// ```
    pub fn deliver(&self, msg: RemoteMessage) -> bool {
        let Some(shared) = self.shared.upgrade() else {
            return false;
        };
        if *msg.node != *shared.node {
            let envelope = Envelope {
                body: Body::Remote {
                    json: msg.payload.into_boxed_str(),
                    decoded: Default::default(),
                },
            };
            shared.deliver(&msg.topic, &envelope);
        }
        true
    }
}

/// How a [`super::PubSub`] reaches the other processes.
///
/// ```
/// use leptos_live::pubsub::{Inbound, PubSub, PubSubBackend, RemoteMessage};
///
/// /// Prints what would leave the process.
/// struct Print;
/// impl PubSubBackend for Print {
///     fn name(&self) -> &'static str { "print" }
///     fn publish(&self, msg: RemoteMessage) { println!("{} {}", msg.topic, msg.payload); }
///     fn start(&self, _inbound: Inbound) {}
/// }
/// let pubsub = PubSub::new(Print);
/// pubsub.broadcast("room:lobby", 1u8).unwrap();
/// ```
pub trait PubSubBackend: Send + Sync + 'static {
    /// A short name for logs.
    fn name(&self) -> &'static str;

    /// Sends a message to the other processes. Must not block: queue it, and drop it (with a
    /// log line) when the link is down; the local subscribers have it already.
    fn publish(&self, msg: RemoteMessage);

    /// Starts delivering the other processes' messages to `inbound`. Called once, when the
    /// PubSub is built.
    fn start(&self, inbound: Inbound);

    /// Whether messages leave the process at all (false spares the serialisation).
    fn is_distributed(&self) -> bool {
        true
    }
}

/// Everything stays in this process: the default.
///
/// ```
/// let pubsub = leptos_live::pubsub::PubSub::new(leptos_live::pubsub::Local);
/// assert_eq!(pubsub.broadcast("t", 1u8).unwrap(), 0);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Local;

impl PubSubBackend for Local {
    fn name(&self) -> &'static str {
        "local"
    }
    fn publish(&self, _msg: RemoteMessage) {}
    fn start(&self, _inbound: Inbound) {}
    fn is_distributed(&self) -> bool {
        false
    }
}
