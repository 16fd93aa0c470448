//! `Ctx`: what a page's callbacks get to act beyond their own state.

mod engine;
mod handle;
mod nav;
mod pubsub;
mod upload;
mod work;

pub use handle::{LiveHandle, PageGone};

use std::time::Duration;

use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::component::Slots;
use crate::error::LiveError;
use crate::flash::{Flash, FlashKind};
use crate::pubsub::feed::{FeedGuard, Gate};
use crate::pubsub::presence::Switch;
use crate::pubsub::{PubSub, SubscriptionGuard};
use crate::stream::Drain;
use crate::upload::Uploads;
use crate::view::LiveView;
pub use crate::wire::pushed::{Nav, Pushed};
use crate::work::{Queue, Work};

/// What the router gives every page: the PubSub, the app's extensions, and the key that seals
/// flash messages carried by a navigation.
#[derive(Clone, Default)]
pub(crate) struct Services {
    pub pubsub: PubSub,
    pub extensions: Arc<axum::http::Extensions>,
    pub secret: Arc<[u8]>,
    /// Where uploads keep their temporary files (`None`: the system's temporary directory).
    pub upload_dir: Option<Arc<std::path::Path>>,
    /// Renders carry debug annotations ([`crate::LiveConfig::debug_annotations`]).
    pub annotate: bool,
}

/// Pushed events kept while no socket is attached; older ones are dropped past it.
const MAX_PENDING_EVENTS: usize = 64;

/// What `mount`, `handle_event` and `handle_info` get besides the page's state: the way to the
/// engine (flash, navigation, pushed events and replies, PubSub, streams, uploads, async work,
/// timers) and to what the app and the live session's checks gave the page.
///
/// ```
/// use std::time::Duration;
/// use leptos::prelude::*;
/// use leptos_live::{Ctx, FlashKind, LiveError, LiveView, Params, Session};
///
/// #[derive(Clone)]
/// struct Greeting(&'static str);
///
/// #[derive(serde::Deserialize)]
/// #[serde(rename_all = "snake_case")]
/// enum Event { Save }
///
/// struct Settings { greeting: String, saved: bool }
///
/// impl LiveView for Settings {
///     type Message = ();
///     type Event = Event;
///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
///         let greeting = ctx.extension::<Greeting>()?.0.to_string(); // from LiveRouter::extension
///         Ok(Settings { greeting, saved: false })
///     }
///     async fn handle_event(&mut self, Event::Save: Event, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
///         self.saved = true;
///         ctx.put_flash(FlashKind::Info, "Saved.");
///         ctx.push_event("saved", serde_json::json!({ "at": "now" }));
///         ctx.send_after(Duration::from_secs(5), ());     // handle_info, later
///         Ok(())
///     }
///     fn render(&self) -> impl IntoView {
///         view! { <p>{self.greeting.clone()}</p> <button lv-click="save">"Save"</button> }
///     }
/// }
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use leptos_live::testing::LiveTest;
/// let router = leptos_live::LiveRouter::new().extension(Greeting("hello")).page::<Settings>("/");
/// let mut page = LiveTest::<Settings>::get(&router, "/", Session::default()).await.unwrap();
/// page.click("button").await.unwrap();
/// assert_eq!(page.take_events()[0].0, "saved");
/// # });
/// ```
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
            components: Slots::new(services.annotate),
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

    /// The app's value of type `T`, given to [`crate::LiveRouter::extension`]: a database pool,
    /// a [`crate::Presence`], settings.
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
    ///
    /// ```
    /// # use leptos_live::{Ctx, FlashKind, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::Steps;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Steps>::mount(Params::default(), Session::default()).await.unwrap();
    /// // In a callback of the page:
    /// # page.send(Box::new(|ctx: &mut Ctx<Steps>| {
    /// ctx.put_flash(FlashKind::Info, "Saved.");
    /// ctx.put_flash(FlashKind::Error, "But not sent.");
    /// ctx.clear_flash(Some(FlashKind::Info));     // None clears both
    /// # }));
    /// # page.drain_info().await.unwrap();
    /// assert!(!page.has("p.info") && page.has("p.error"));
    /// # });
    /// ```
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
    ///
    /// ```
    /// # use leptos_live::{Ctx, FlashKind, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::Steps;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Steps>::mount(Params::default(), Session::default()).await.unwrap();
    /// // In a callback of the page:
    /// # page.send(Box::new(|ctx: &mut Ctx<Steps>| {
    /// ctx.put_flash(FlashKind::Info, "Saved.");
    /// assert_eq!(ctx.flash().get(FlashKind::Info), Some("Saved."));
    /// # }));
    /// # page.drain_info().await.unwrap();
    /// assert_eq!(page.text("p.info").as_deref(), Some("Saved."));
    /// # });
    /// ```
    pub fn flash(&self) -> &Flash {
        &self.flash
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
    ///
    /// ```
    /// # use leptos_live::{Ctx, FlashKind, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::Steps;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Steps>::mount(Params::default(), Session::default()).await.unwrap();
    /// // In a callback of the page:
    /// # page.send(Box::new(|ctx: &mut Ctx<Steps>| {
    /// ctx.page_title("Inbox (3)");
    /// # }));
    /// # page.drain_info().await.unwrap();
    /// assert_eq!(page.title(), Some("Inbox (3)"));
    /// # });
    /// ```
    pub fn page_title(&mut self, title: impl Into<String>) {
        self.pushed.title = Some(title.into());
    }

    /// Answers the event being handled: a hook's `pushEvent(…)` promise resolves with `value`.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, Session};
    ///
    /// #[derive(serde::Deserialize)]
    /// #[serde(rename_all = "snake_case")]
    /// enum Event { Suggest { q: String } }
    ///
    /// struct Search;
    /// impl LiveView for Search {
    ///     type Message = ();
    ///     type Event = Event;
    ///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Search) }
    ///     async fn handle_event(&mut self, Event::Suggest { q }: Event, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         // A hook's `this.pushEvent("suggest", { q })` resolves with this.
    ///         ctx.reply(serde_json::json!([format!("{q}-lang"), format!("{q}acean")]));
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView { view! { <input lv-hook="Suggest" /> } }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Search>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.event("suggest", serde_json::json!({ "q": "rust" })).await.unwrap();
    /// assert_eq!(page.take_reply(), Some(serde_json::json!(["rust-lang", "rustacean"])));
    /// # });
    /// ```
    pub fn reply(&mut self, value: impl Serialize) {
        self.pushed.reply = Some(serde_json::to_value(value).unwrap_or(Value::Null));
    }

    /// A handle other tasks can use to message this page.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session};
    ///
    /// enum Msg { Loaded(u32) }
    ///
    /// struct Report { rows: Option<u32> }
    /// impl LiveView for Report {
    ///     type Message = Msg;
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         let handle = ctx.handle();
    ///         tokio::spawn(async move {
    ///             let rows = 42; // a slow query
    ///             let _ = handle.send(Msg::Loaded(rows)); // an error once the page is gone
    ///         });
    ///         Ok(Report { rows: None })
    ///     }
    ///     async fn handle_info(&mut self, Msg::Loaded(rows): Msg, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         self.rows = Some(rows);
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView { view! { <p>{self.rows}</p> } }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Report>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.next_info().await.unwrap().unwrap();
    /// assert_eq!(page.text("p").as_deref(), Some("42"));
    /// # });
    /// ```
    pub fn handle(&self) -> LiveHandle<V> {
        self.handle.clone()
    }

    /// Whether a browser socket is attached now (false during the HTTP render).
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session};
    ///
    /// struct Clock { live: bool }
    /// impl LiveView for Clock {
    ///     type Message = ();
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         // The HTTP render: no socket yet, so no timer worth starting.
    ///         Ok(Clock { live: ctx.connected() })
    ///     }
    ///     async fn handle_event(&mut self, _: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         self.live = ctx.connected();
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView { view! { <button lv-click="check">{self.live.to_string()}</button> } }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Clock>::mount(Params::default(), Session::default()).await.unwrap();
    /// assert_eq!(page.text("button").as_deref(), Some("false"));
    /// page.click("button").await.unwrap();
    /// assert_eq!(page.text("button").as_deref(), Some("true"));
    /// # });
    /// ```
    pub fn connected(&self) -> bool {
        self.connected
    }

    /// Delivers `msg` to this page's `handle_info` after `delay`; dropped if the page has ended.
    ///
    /// ```
    /// # use leptos_live::{Ctx, FlashKind, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::Steps;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Steps>::mount(Params::default(), Session::default()).await.unwrap();
    /// // In a callback of the page:
    /// # page.send(Box::new(|ctx: &mut Ctx<Steps>| {
    /// ctx.send_after(std::time::Duration::from_millis(10), Box::new(|ctx: &mut Ctx<Steps>| {
    ///     ctx.put_flash(FlashKind::Info, "Ten milliseconds later.");
    /// }));
    /// # }));
    /// # page.drain_info().await.unwrap();
    /// page.next_info().await.unwrap().unwrap();
    /// assert_eq!(page.text("p.info").as_deref(), Some("Ten milliseconds later."));
    /// # });
    /// ```
    pub fn send_after(&self, delay: Duration, msg: V::Message) {
        let handle = self.handle.clone();
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            let _ = handle.send(msg);
        });
    }
}
