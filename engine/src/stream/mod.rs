//! Streams: collections the server renders once and does not keep.

mod shared;

use std::any::TypeId;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use leptos::prelude::{AnyView, IntoAny, IntoView, Owner};
use rustc_hash::FxHashMap;

use crate::diff::STREAM_ATTR;
use crate::html::{Node, Tree, outer_html};
pub use crate::wire::stream_ops::At;
pub(crate) use crate::wire::stream_ops::{StreamOp, StreamOps};

/// A collection the page renders once: items inserted since the last render are rendered, sent
/// and forgotten. The browser keeps them, placed by their DOM id, and removes one only when told
/// to (a delete, a reset or the limit). However long the history, the page holds only what it
/// has not rendered yet.
///
/// Create it in `mount` with [`crate::Ctx::stream`], keep it in the page, and render it inside an
/// element that carries `lv-stream="<name>"` and nothing else: each item an element whose `id`
/// is the item's DOM id.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::{Ctx, LiveError, LiveView, Params, Session, Stream};
/// use leptos_live::testing::LiveTest;
///
/// #[derive(Clone)]
/// struct Msg { id: u64, body: String }
///
/// struct Room { messages: Stream<Msg> }
///
/// impl LiveView for Room {
///     type Message = Msg;
///     type Event = leptos_live::RawEvent;
///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
///         let mut messages = ctx.stream("messages", |m: &Msg| format!("m{}", m.id));
///         messages.insert(Msg { id: 1, body: "first".into() });
///         Ok(Room { messages })
///     }
///     async fn handle_info(&mut self, msg: Msg, _: &mut Ctx<Self>) -> Result<(), LiveError> {
///         self.messages.insert(msg);
///         Ok(())
///     }
///     fn render(&self) -> impl IntoView {
///         view! {
///             <ul lv-stream="messages">
///                 {self.messages.each(|id, m| view! { <li id=id>{m.body.clone()}</li> })}
///             </ul>
///         }
///     }
/// }
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let mut page = LiveTest::<Room>::mount(Params::default(), Session::default()).await.unwrap();
/// // The first render shows the first items in place.
/// assert!(page.html().contains(r#"<li id="m1">first</li>"#));
/// // Later items travel beside the page's HTML, which stays as it is.
/// page.send(Msg { id: 2, body: "second".into() });
/// assert!(page.drain_info().await.unwrap().is_empty());
/// let ops = page.take_stream_ops();
/// assert_eq!(ops[0], serde_json::json!(["messages", "i", -1, 0, [["m2", r#"<li id="m2">second</li>"#]]]));
/// # });
/// ```
pub struct Stream<T> {
    shared: Arc<Mutex<Pending<T>>>,
    dom_id: fn(&T) -> String,
}

impl<T> std::fmt::Debug for Stream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = self.lock();
        f.debug_struct("Stream")
            .field("name", &p.name)
            .field("pending", &p.items.len())
            .finish()
    }
}

/// What a stream holds between a change and the next render.
struct Pending<T> {
    name: Arc<str>,
    limit: Option<u32>,
    /// Items to render, in render order, with their DOM ids.
    items: Vec<(String, T)>,
    ops: Vec<StreamOp>,
    /// After the first render, [`Stream::each`] renders the items to HTML for the frame and
    /// leaves the container empty: the page's HTML then stays the same when only the stream
    /// changed, and is neither parsed nor diffed.
    capture: bool,
    /// Items rendered by `each` in capture mode, by DOM id.
    html: FxHashMap<String, String>,
    /// How an item renders, when the page set one ([`Stream::with_template`]).
    template: Option<Template<T>>,
    /// The same, to HTML; through the renders shared between pages for a
    /// [`Stream::with_shared_template`].
    to_html: Option<ToHtml<T>>,
    /// The type of the shared template, when the stream has one: it renders the same for every
    /// page.
    shared: Option<TypeId>,
}

type Template<T> = Arc<dyn Fn(String, &T) -> AnyView + Send + Sync>;
pub(crate) type ToHtml<T> = Arc<dyn Fn(&str, &T) -> String + Send + Sync>;

/// The engine's side of a stream: it takes the changes after each render.
pub(crate) trait Drain: Send + Sync {
    fn drain(&self) -> Option<StreamOps>;
    /// From now on, renders leave the container empty and the items go in the frame.
    fn capture(&self);
    /// Renders the waiting items with the stream's template, without the page; false when
    /// items wait and the stream has no template.
    fn render_pending(&self) -> bool;
}

impl<T: Send> Drain for Mutex<Pending<T>> {
    fn drain(&self) -> Option<StreamOps> {
        let mut p = self.lock().unwrap_or_else(|e| e.into_inner());
        p.items.clear();
        let mut html = std::mem::take(&mut p.html);
        if p.ops.is_empty() {
            return None;
        }
        let mut ops = std::mem::take(&mut p.ops);
        for op in &mut ops {
            if let StreamOp::Insert { items, .. } = op {
                for (id, h) in items.iter_mut() {
                    if let Some(rendered) = html.remove(id.as_str()) {
                        *h = rendered;
                    }
                }
            }
        }
        Some(StreamOps {
            name: p.name.clone(),
            ops,
        })
    }

    fn capture(&self) {
        self.lock().unwrap_or_else(|e| e.into_inner()).capture = true;
    }

    fn render_pending(&self) -> bool {
        let to_html = {
            let p = self.lock().unwrap_or_else(|e| e.into_inner());
            if p.items.is_empty() {
                return true;
            }
            let Some(t) = p.to_html.clone() else {
                return false;
            };
            t
        };
        render_waiting(self, &to_html);
        true
    }
}

/// Renders the waiting items to HTML for the next frame; the items leave the lock meanwhile, as
/// a template may call the stream's methods.
fn render_waiting<T>(pending: &Mutex<Pending<T>>, to_html: &ToHtml<T>) {
    let lock = || pending.lock().unwrap_or_else(|e| e.into_inner());
    let items = std::mem::take(&mut lock().items);
    let html: Vec<(String, String)> = items
        .iter()
        .map(|(id, t)| (id.clone(), to_html(id, t)))
        .collect();
    let mut p = lock();
    p.items = items;
    p.html.extend(html);
}

/// One item rendered to HTML with `template`, under an owner of its own (the page's render is
/// not running).
fn html_of<T>(template: &Template<T>, id: &str, item: &T) -> String {
    Owner::new().with(|| crate::html::view_html(template(id.to_string(), item)))
}

impl<T: Send + 'static> Stream<T> {
    /// A stream named `name` (its container's `lv-stream` value) whose items have the DOM id
    /// `dom_id(item)`. Register it with the page through [`crate::Ctx::stream`].
    pub(crate) fn new(name: &str, dom_id: fn(&T) -> String) -> (Stream<T>, Arc<dyn Drain>) {
        let shared = Arc::new(Mutex::new(Pending {
            name: name.into(),
            limit: None,
            items: Vec::new(),
            ops: Vec::new(),
            capture: false,
            html: FxHashMap::default(),
            template: None,
            to_html: None,
            shared: None,
        }));
        (
            Stream {
                shared: shared.clone(),
                dom_id,
            },
            shared,
        )
    }
}

impl<T> Stream<T> {
    fn lock(&self) -> std::sync::MutexGuard<'_, Pending<T>> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sets how an item renders: [`Stream::render`] uses it, and so can the engine when a
    /// callback changed only streams ([`crate::Ctx::streams_only`]) and the page's render is
    /// skipped.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session, Stream};
    ///
    /// #[derive(Clone)]
    /// struct Msg { id: u64, body: String }
    ///
    /// struct Log { lines: Stream<Msg> }
    ///
    /// impl LiveView for Log {
    ///     type Message = Msg;
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         let lines = ctx
    ///             .stream("lines", |m: &Msg| format!("l{}", m.id))
    ///             .with_template(|id, m: &Msg| view! { <li id=id>{m.body.clone()}</li> });
    ///         Ok(Log { lines })
    ///     }
    ///     async fn handle_info(&mut self, m: Msg, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         self.lines.insert(m);
    ///         ctx.streams_only();                       // the page's render is skipped
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         view! { <ol lv-stream="lines">{self.lines.render()}</ol> }
    ///     }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Log>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.send(Msg { id: 1, body: "started".into() });
    /// page.drain_info().await.unwrap();
    /// assert_eq!(page.texts("li"), ["started"]);
    /// # });
    /// ```
    pub fn with_template<V: IntoView + 'static>(
        self,
        template: impl Fn(String, &T) -> V + Send + Sync + 'static,
    ) -> Self
    where
        T: 'static,
    {
        let template: Template<T> = Arc::new(move |id, t| template(id, t).into_any());
        let to_html: ToHtml<T> = {
            let template = template.clone();
            Arc::new(move |id, t| html_of(&template, id, t))
        };
        self.set_template(template, to_html)
    }

    fn set_template(self, template: Template<T>, to_html: ToHtml<T>) -> Self {
        let mut p = self.lock();
        p.template = Some(template);
        p.to_html = Some(to_html);
        p.shared = None;
        drop(p);
        self
    }

    /// Like [`Stream::with_template`], for a template that depends on nothing but its arguments:
    /// a function, or a closure that captures nothing (anything else does not compile). Pages
    /// that show the same item (same DOM id, equal value) then render it once between them: a
    /// message broadcast to ten thousand pages is rendered once, not ten thousand times.
    ///
    /// The template must not read anything else that changes, such as the clock: a page could
    /// get another page's render of a moment before.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, Session, Stream};
    ///
    /// #[derive(Clone, Hash, PartialEq, Eq)]
    /// struct Msg { id: u64, body: String }
    ///
    /// fn message(id: String, m: &Msg) -> impl IntoView + use<> {
    ///     view! { <li id=id>{m.body.clone()}</li> }
    /// }
    ///
    /// struct Room { messages: Stream<Msg> }
    ///
    /// impl LiveView for Room {
    ///     type Message = Msg;
    ///     type Event = leptos_live::RawEvent;
    ///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         let messages = ctx
    ///             .stream("messages", |m: &Msg| format!("m{}", m.id))
    ///             .with_shared_template(message);
    ///         Ok(Room { messages })
    ///     }
    ///     async fn handle_info(&mut self, msg: Msg, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         self.messages.insert(msg);
    ///         ctx.streams_only();
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         view! { <ul lv-stream="messages">{self.messages.render()}</ul> }
    ///     }
    /// }
    /// ```
    ///
    /// A template that captures something could render differently on each page: it is
    /// refused when the program is built.
    ///
    /// ```compile_fail
    /// # use leptos::prelude::*;
    /// # use leptos_live::Stream;
    /// fn mine(stream: Stream<u32>, me: String) -> Stream<u32> {
    ///     stream.with_shared_template(move |id, n: &u32| view! { <li id=id>{me.clone()}{*n}</li> })
    /// }
    /// # fn main() { std::hint::black_box(mine as fn(_, _) -> _); }
    /// ```
    pub fn with_shared_template<V, F>(self, template: F) -> Self
    where
        F: Fn(String, &T) -> V + Send + Sync + 'static,
        V: IntoView + 'static,
        T: Clone + Hash + Eq + Send + 'static,
    {
        const {
            assert!(
                std::mem::size_of::<F>() == 0,
                "a shared template captures nothing: pass a function or a non-capturing closure"
            )
        };
        let recent = shared::recent::<F, T>();
        let template: Template<T> = Arc::new(move |id, t| template(id, t).into_any());
        let to_html: ToHtml<T> = {
            let template = template.clone();
            Arc::new(move |id, t| recent.get_or_render(id, t, || html_of(&template, id, t)))
        };
        let stream = self.set_template(template, to_html);
        stream.lock().shared = Some(TypeId::of::<F>());
        stream
    }

    /// Renders the waiting items with the template set by [`Stream::with_template`] (nothing
    /// without one): call it inside the stream's container in `render`.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session, Stream};
    ///
    /// #[derive(Clone)]
    /// struct Msg { id: u64, body: String }
    ///
    /// struct Log { lines: Stream<Msg> }
    ///
    /// impl LiveView for Log {
    ///     type Message = Msg;
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         let lines = ctx
    ///             .stream("lines", |m: &Msg| format!("l{}", m.id))
    ///             .with_template(|id, m: &Msg| view! { <li id=id>{m.body.clone()}</li> });
    ///         Ok(Log { lines })
    ///     }
    ///     async fn handle_info(&mut self, m: Msg, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         self.lines.insert(m);
    ///         ctx.streams_only();                       // the page's render is skipped
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         view! { <ol lv-stream="lines">{self.lines.render()}</ol> }
    ///     }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Log>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.send(Msg { id: 1, body: "started".into() });
    /// page.drain_info().await.unwrap();
    /// assert_eq!(page.texts("li"), ["started"]);
    /// # });
    /// ```
    pub fn render(&self) -> Vec<AnyView> {
        let (template, to_html, capture) = {
            let p = self.lock();
            (p.template.clone(), p.to_html.clone(), p.capture)
        };
        if capture && let Some(to_html) = to_html {
            // Rendered straight to HTML for the frame (shared between pages when it can be).
            render_waiting(&self.shared, &to_html);
            return Vec::new();
        }
        match template {
            Some(t) => self.each(|id, item| t(id, item)),
            None => {
                tracing::warn!(stream = %self.lock().name, "Stream::render without a template");
                Vec::new()
            }
        }
    }

    /// The stream's name.
    ///
    /// ```
    /// # use leptos_live::{Params, Session, Stream};
    /// # use leptos_live::stream::At;
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{msg, Chat, Msg};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Chat>::mount(Params::default(), Session::default()).await.unwrap();
    /// # assert_eq!(page.texts("li"), ["one", "two"]);
    /// assert_eq!(page.view().messages.name(), "messages");
    /// # });
    /// ```
    pub fn name(&self) -> String {
        self.lock().name.to_string()
    }

    /// Another handle on the same stream (for the engine: the page keeps its own).
    pub(crate) fn handle(&self) -> Stream<T> {
        Stream {
            shared: self.shared.clone(),
            dom_id: self.dom_id,
        }
    }

    pub(crate) fn dom_id_fn(&self) -> fn(&T) -> String {
        self.dom_id
    }

    /// The name, the template's type and the renderer of a stream with a shared template.
    pub(crate) fn shared_template(&self) -> Option<(Arc<str>, TypeId, ToHtml<T>)> {
        let p = self.lock();
        Some((p.name.clone(), p.shared?, p.to_html.clone()?))
    }

    /// The stream's limit, when the browser has everything of it: it is past its first render
    /// and no change waits to be sent. `None` otherwise.
    pub(crate) fn idle_limit(&self) -> Option<Option<u32>> {
        let p = self.lock();
        (p.capture && p.ops.is_empty() && p.items.is_empty()).then_some(p.limit)
    }

    /// The browser keeps at most `limit` items; inserts push out the items farthest from where
    /// they go (appending drops the oldest at the start). `None` keeps everything.
    ///
    /// ```
    /// # use leptos_live::{Params, Session, Stream};
    /// # use leptos_live::stream::At;
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{msg, Chat, Msg};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Chat>::mount(Params::default(), Session::default()).await.unwrap();
    /// # assert_eq!(page.texts("li"), ["one", "two"]);
    /// // In a callback of a page whose stream `messages` shows "one" and "two" (`testing::examples::Chat`):
    /// # page.send(Box::new(|messages: &mut Stream<Msg>| {
    /// messages.set_limit(Some(2));
    /// messages.insert(msg(3, "three"));
    /// # }));
    /// # page.drain_info().await.unwrap();
    /// assert_eq!(page.texts("li"), ["two", "three"]);
    /// # });
    /// ```
    pub fn set_limit(&mut self, limit: Option<u32>) {
        self.lock().limit = limit;
    }

    /// Inserts an item at the end; an item whose DOM id the browser has already is updated in
    /// place.
    ///
    /// ```
    /// # use leptos_live::{Params, Session, Stream};
    /// # use leptos_live::stream::At;
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{msg, Chat, Msg};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Chat>::mount(Params::default(), Session::default()).await.unwrap();
    /// # assert_eq!(page.texts("li"), ["one", "two"]);
    /// // In a callback of a page whose stream `messages` shows "one" and "two" (`testing::examples::Chat`):
    /// # page.send(Box::new(|messages: &mut Stream<Msg>| {
    /// messages.insert(msg(3, "three"));
    /// messages.insert(msg(1, "one, edited"));    // already shown: updated in place
    /// # }));
    /// # page.drain_info().await.unwrap();
    /// assert_eq!(page.texts("li"), ["one, edited", "two", "three"]);
    /// # });
    /// ```
    pub fn insert(&mut self, item: T) {
        self.insert_many(At::End, [item]);
    }

    /// Inserts items as one block at `at`, in the order given; items whose DOM id the browser
    /// has already are updated in place.
    ///
    /// ```
    /// # use leptos_live::{Params, Session, Stream};
    /// # use leptos_live::stream::At;
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{msg, Chat, Msg};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Chat>::mount(Params::default(), Session::default()).await.unwrap();
    /// # assert_eq!(page.texts("li"), ["one", "two"]);
    /// // In a callback of a page whose stream `messages` shows "one" and "two" (`testing::examples::Chat`):
    /// # page.send(Box::new(|messages: &mut Stream<Msg>| {
    /// messages.insert_many(At::Start, [msg(8, "eight"), msg(9, "nine")]);   // a block, in this order
    /// # }));
    /// # page.drain_info().await.unwrap();
    /// assert_eq!(page.texts("li"), ["eight", "nine", "one", "two"]);
    /// # });
    /// ```
    pub fn insert_many(&mut self, at: At, items: impl IntoIterator<Item = T>) {
        let dom_id = self.dom_id;
        let mut p = self.lock();
        let limit = p.limit;
        let new: Vec<(String, T)> = items.into_iter().map(|t| (dom_id(&t), t)).collect();
        if new.is_empty() {
            return;
        }
        // An item inserted again before the render replaces the waiting one.
        let again = |id: &String| new.iter().any(|(n, _)| n == id);
        p.items.retain(|(id, _)| !again(id));
        for op in &mut p.ops {
            if let StreamOp::Insert { items, .. } = op {
                items.retain(|(id, _)| !again(id));
            }
        }
        let ids: Vec<(String, String)> = new
            .iter()
            .map(|(id, _)| (id.clone(), String::new()))
            .collect();
        match p.ops.last_mut() {
            Some(StreamOp::Insert {
                at: a,
                limit: l,
                items,
            }) if *a == at && *l == limit && at == At::End => items.extend(ids),
            _ => p.ops.push(StreamOp::Insert {
                at,
                limit,
                items: ids,
            }),
        }
        match at {
            At::End => p.items.extend(new),
            At::Start => {
                p.items.splice(0..0, new);
            }
        }
    }

    /// Removes the item with this DOM id from the browser.
    ///
    /// ```
    /// # use leptos_live::{Params, Session, Stream};
    /// # use leptos_live::stream::At;
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{msg, Chat, Msg};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Chat>::mount(Params::default(), Session::default()).await.unwrap();
    /// # assert_eq!(page.texts("li"), ["one", "two"]);
    /// // In a callback of a page whose stream `messages` shows "one" and "two" (`testing::examples::Chat`):
    /// # page.send(Box::new(|messages: &mut Stream<Msg>| {
    /// messages.delete_id("m1");
    /// # }));
    /// # page.drain_info().await.unwrap();
    /// assert_eq!(page.texts("li"), ["two"]);
    /// # });
    /// ```
    pub fn delete_id(&mut self, dom_id: impl Into<String>) {
        let id = dom_id.into();
        let mut p = self.lock();
        p.items.retain(|(i, _)| *i != id);
        for op in &mut p.ops {
            if let StreamOp::Insert { items, .. } = op {
                items.retain(|(i, _)| *i != id);
            }
        }
        match p.ops.last_mut() {
            Some(StreamOp::Delete(ids)) => ids.push(id),
            _ => p.ops.push(StreamOp::Delete(vec![id])),
        }
    }

    /// Removes `item` from the browser.
    ///
    /// ```
    /// # use leptos_live::{Params, Session, Stream};
    /// # use leptos_live::stream::At;
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{msg, Chat, Msg};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Chat>::mount(Params::default(), Session::default()).await.unwrap();
    /// # assert_eq!(page.texts("li"), ["one", "two"]);
    /// // In a callback of a page whose stream `messages` shows "one" and "two" (`testing::examples::Chat`):
    /// # page.send(Box::new(|messages: &mut Stream<Msg>| {
    /// messages.delete(&msg(2, "whatever it said: the DOM id is what counts"));
    /// # }));
    /// # page.drain_info().await.unwrap();
    /// assert_eq!(page.texts("li"), ["one"]);
    /// # });
    /// ```
    pub fn delete(&mut self, item: &T) {
        let id = (self.dom_id)(item);
        self.delete_id(id);
    }

    /// Empties the browser's list (and drops what was waiting to be rendered); items inserted
    /// after it fill the list anew.
    ///
    /// ```
    /// # use leptos_live::{Params, Session, Stream};
    /// # use leptos_live::stream::At;
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{msg, Chat, Msg};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Chat>::mount(Params::default(), Session::default()).await.unwrap();
    /// # assert_eq!(page.texts("li"), ["one", "two"]);
    /// // In a callback of a page whose stream `messages` shows "one" and "two" (`testing::examples::Chat`):
    /// # page.send(Box::new(|messages: &mut Stream<Msg>| {
    /// messages.reset();
    /// messages.insert(msg(5, "a fresh start"));
    /// # }));
    /// # page.drain_info().await.unwrap();
    /// assert_eq!(page.texts("li"), ["a fresh start"]);
    /// # });
    /// ```
    pub fn reset(&mut self) {
        let mut p = self.lock();
        p.items.clear();
        p.ops.clear();
        p.ops.push(StreamOp::Reset);
    }

    /// The DOM id of `item`.
    ///
    /// ```
    /// # use leptos_live::{Params, Session, Stream};
    /// # use leptos_live::stream::At;
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{msg, Chat, Msg};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Chat>::mount(Params::default(), Session::default()).await.unwrap();
    /// # assert_eq!(page.texts("li"), ["one", "two"]);
    /// assert_eq!(page.view().messages.dom_id(&msg(7, "seven")), "m7");
    /// # });
    /// ```
    pub fn dom_id(&self, item: &T) -> String {
        (self.dom_id)(item)
    }

    /// Renders each item waiting to be sent, with its DOM id: call it inside the stream's
    /// container in `render`. The page's first render shows the items in place; later renders
    /// send them in the frame, beside the page's HTML, and leave the container empty, so that a
    /// change to the stream alone leaves the page's HTML as it was: nothing to parse or diff.
    ///
    /// ```
    /// # use leptos_live::{Params, Session, Stream};
    /// # use leptos_live::stream::At;
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{msg, Chat, Msg};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Chat>::mount(Params::default(), Session::default()).await.unwrap();
    /// # assert_eq!(page.texts("li"), ["one", "two"]);
    /// // `render` above: `self.messages.each(|id, m| view! { <li id=id>{m.body.clone()}</li> })`
    /// assert_eq!(page.texts("ul > li"), ["one", "two"]);
    /// assert_eq!(page.attr("li", "id").as_deref(), Some("m1"));
    /// # });
    /// ```
    pub fn each<V: IntoView>(&self, mut f: impl FnMut(String, &T) -> V) -> Vec<V> {
        // The items leave the lock while `f` runs: it may call this stream's methods.
        let (items, capture) = {
            let mut p = self.lock();
            (std::mem::take(&mut p.items), p.capture)
        };
        let mut out = Vec::new();
        let mut html = Vec::new();
        for (id, t) in &items {
            let view = f(id.clone(), t);
            if capture {
                html.push((id.clone(), crate::html::view_html(view)));
            } else {
                out.push(view);
            }
        }
        let mut p = self.lock();
        p.items = items;
        p.html.extend(html);
        out
    }

    /// How many items wait for the next render.
    ///
    /// ```
    /// # use leptos_live::{Params, Session, Stream};
    /// # use leptos_live::stream::At;
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{msg, Chat, Msg};
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Chat>::mount(Params::default(), Session::default()).await.unwrap();
    /// # assert_eq!(page.texts("li"), ["one", "two"]);
    /// // The first render showed the items: none waits.
    /// assert_eq!(page.view().messages.pending(), 0);
    /// # });
    /// ```
    pub fn pending(&self) -> usize {
        self.lock().items.len()
    }
}

/// Whether some inserted item still needs its HTML from the rendered tree (it was rendered in
/// place, by the page's first render of a stream, rather than by [`Stream::each`] on its own).
pub(crate) fn needs_tree(streams: &[StreamOps]) -> bool {
    streams.iter().flat_map(|s| &s.ops).any(|op| match op {
        StreamOp::Insert { items, .. } => items.iter().any(|(_, html)| html.is_empty()),
        _ => false,
    })
}

/// Fills each insert with its items' HTML from the rendered tree; items whose element is not in
/// the stream's container are dropped with a warning.
pub(crate) fn fill_html(streams: &mut [StreamOps], tree: &Tree) {
    if !needs_tree(streams) {
        return;
    }
    for s in streams.iter_mut() {
        let container = find_container(tree.root(), &s.name);
        for op in &mut s.ops {
            let StreamOp::Insert { items, .. } = op else {
                continue;
            };
            items.retain_mut(|(id, html)| {
                if !html.is_empty() {
                    return true;
                }
                let child = container.and_then(|c| {
                    c.children()
                        .iter()
                        .find(|n| n.as_element().and_then(|e| e.attr("id")) == Some(id.as_str()))
                });
                match child {
                    Some(node) => {
                        outer_html(node, html);
                        true
                    }
                    None => {
                        tracing::warn!(stream = %s.name, id = %id, "a stream item was not rendered inside its container with its id; it is not sent");
                        false
                    }
                }
            });
        }
    }
}

fn find_container<'a>(node: Node<'a>, name: &str) -> Option<Node<'a>> {
    if node.as_element().and_then(|e| e.attr(STREAM_ATTR)) == Some(name) {
        return Some(node);
    }
    node.children().iter().find_map(|c| find_container(c, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::parse_fragment;
    use crate::wire::stream_ops::write_json;

    #[test]
    fn records_changes_in_order_and_forgets_items_once_drained() {
        let (mut s, drain) = Stream::<u32>::new("n", |n| format!("n{n}"));
        s.set_limit(Some(3));
        s.insert(1);
        s.insert(2);
        s.insert_many(At::Start, [0]);
        s.delete(&7);
        assert_eq!(s.each(|id, _| id), ["n0", "n1", "n2"]);
        let mut ops = vec![drain.drain().unwrap()];
        assert_eq!(s.pending(), 0);
        assert!(drain.drain().is_none());
        let tree = parse_fragment(
            r#"<ul lv-stream="n"><li id="n0">0</li><li id="n1">1</li><li id="n2">2</li></ul>"#,
        );
        fill_html(&mut ops, &tree);
        let mut json = String::new();
        write_json(&ops, &mut json);
        assert_eq!(
            json,
            r#"[["n","i",-1,3,[["n1","<li id=\"n1\">1</li>"],["n2","<li id=\"n2\">2</li>"]]],["n","i",0,3,[["n0","<li id=\"n0\">0</li>"]]],["n","d",["n7"]]]"#
        );
    }

    #[test]
    fn an_item_inserted_twice_before_the_render_goes_once_as_its_latest() {
        let (mut s, drain) = Stream::<(u32, &str)>::new("n", |n| n.0.to_string());
        s.insert((1, "old"));
        s.insert((2, "two"));
        s.insert((1, "new"));
        assert_eq!(s.each(|_, t| t.1.to_string()), ["two", "new"]);
        let ops = drain.drain().unwrap().ops;
        let StreamOp::Insert { items, .. } = &ops[0] else {
            panic!("{ops:?}")
        };
        assert_eq!(
            items.iter().map(|i| i.0.as_str()).collect::<Vec<_>>(),
            ["2", "1"]
        );
    }

    #[test]
    fn a_change_that_would_replace_a_stream_container_sends_the_whole_page() {
        let a = parse_fragment(r#"<div><ul lv-stream="n"><li id="1">1</li></ul></div>"#);
        let b = parse_fragment(r#"<section><ul lv-stream="n"></ul></section>"#);
        assert!(crate::diff::diff(&a, &b).is_err());
        // Inside a kept container, nothing is compared.
        let c = parse_fragment(r#"<div><ul lv-stream="n"><li id="2">2</li></ul></div>"#);
        assert_eq!(crate::diff::diff(&a, &c), Ok(vec![]));
    }

    #[test]
    fn reset_drops_what_was_waiting() {
        let (mut s, drain) = Stream::<u32>::new("n", |n| n.to_string());
        s.insert(1);
        s.reset();
        s.insert(2);
        assert_eq!(s.each(|id, _| id), ["2"]);
        let ops = drain.drain().unwrap().ops;
        assert_eq!(ops[0], StreamOp::Reset);
        assert_eq!(ops.len(), 2);
    }

    #[test]
    fn an_item_rendered_outside_its_container_is_not_sent() {
        let (mut s, drain) = Stream::<u32>::new("n", |n| n.to_string());
        s.insert(1);
        let mut ops = vec![drain.drain().unwrap()];
        fill_html(
            &mut ops,
            &parse_fragment(r#"<p id="1"></p><ul lv-stream="n"></ul>"#),
        );
        assert_eq!(
            ops[0].ops[0],
            StreamOp::Insert {
                at: At::End,
                limit: None,
                items: vec![]
            }
        );
    }
}
