//! Small pages that the examples in these docs drive, so that each method's example shows the
//! call and what it did instead of a page written out again. Read their source to see what
//! each example starts from.

use leptos::prelude::*;
use serde_json::json;

use crate::component::{ComponentMount, LiveComponent, live_component};
use crate::ctx::Ctx;
use crate::error::LiveError;
use crate::js::JS;
use crate::params::{Params, RawEvent, Session};
use crate::stream::{At, Stream};
use crate::view::LiveView;

/// A to-do page: a form `#add` (`lv-submit="add"`, `lv-change="draft"`, one field `title`), the
/// items in `li.item` (one, "milk", at first), a "Clear all" button `#clear`, a search field
/// `#search` that clears the list on Escape, and a menu `#menu` that JS commands show (with the
/// focus on its link to `/done`) and Escape hides. Events: `add` (refused without a title),
/// `draft`, `clear`, `done` (pushes `confetti`, replies with the count, sets the title), `count`
/// (counts off the page's task into `#counted`), `leave` (navigates to `/done`). Messages are
/// items to add; the `filter` URL parameter shows in `#filter`.
///
/// ```
/// use leptos_live::{Params, Session};
/// use leptos_live::testing::LiveTest;
/// use leptos_live::testing::examples::*;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
/// page.submit("#add", serde_json::json!({ "title": "eggs" })).await.unwrap();
/// assert_eq!(page.texts("li.item"), ["milk", "eggs"]);
/// # });
/// ```
pub struct Todos {
    /// The items.
    pub items: Vec<String>,
    /// What the form's field holds, from its last `lv-change`.
    pub draft: String,
    /// The `filter` URL parameter.
    pub filter: Option<String>,
    /// The count the `count` event's work came back with.
    pub counted: Option<usize>,
}

impl LiveView for Todos {
    type Message = String;
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Todos {
            items: vec!["milk".into()],
            draft: String::new(),
            filter: None,
            counted: None,
        })
    }

    async fn handle_params(
        &mut self,
        p: &Params,
        _: &axum::http::Uri,
        _: &mut Ctx<Self>,
    ) -> Result<(), LiveError> {
        self.filter = p.get("filter").map(String::from);
        Ok(())
    }

    async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        let title = e.payload.get_str("title").unwrap_or_default().to_string();
        match e.name.as_str() {
            "add" if title.is_empty() => return Err(LiveError::msg("a title, please")),
            "add" => self.items.push(title),
            "draft" => self.draft = title,
            "clear" => self.items.clear(),
            "done" => {
                ctx.push_event("confetti", json!({ "items": self.items.len() }));
                ctx.reply(self.items.len());
                ctx.page_title("All done");
            }
            "count" => {
                let n = self.items.len();
                ctx.start_async("count", async move { n }, |page: &mut Todos, n, _| {
                    page.counted = n.ok();
                    Ok(())
                });
            }
            "leave" => ctx.push_navigate("/done"),
            _ => return Err(LiveError::UnknownEvent(e.name)),
        }
        Ok(())
    }

    async fn handle_info(&mut self, item: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.items.push(item);
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let items = self
            .items
            .iter()
            .map(|i| view! { <li class="item">{i.clone()}</li> })
            .collect_view();
        view! {
            <form id="add" lv-submit="add" lv-change="draft"><input name="title" /></form>
            <p id="draft">{self.draft.clone()}</p>
            <p id="filter">{self.filter.clone()}</p>
            <p id="counted">{self.counted}</p>
            <ul>{items}</ul>
            <button id="clear" lv-click="clear">"Clear all"</button>
            <input id="search" lv-keydown="clear" lv-key="Escape" />
            <button id="menu-button" lv-click=JS::new().show("#menu").focus("#menu a").to_string()>
                "Menu"
            </button>
            <nav id="menu" style="display: none" lv-window-keydown=JS::new().hide("#menu").to_string() lv-key="Escape">
                <a href="/done" lv-navigate>"Done"</a>
            </nav>
        }
    }
}

/// Where [`Todos`] navigates: a heading, "Done".
///
/// ```
/// use leptos_live::{Params, Session};
/// use leptos_live::testing::LiveTest;
/// use leptos_live::testing::examples::*;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let router = leptos_live::LiveRouter::new().page::<Todos>("/").page::<AllDone>("/done");
/// let mut page = LiveTest::<Todos>::get(&router, "/", Session::default()).await.unwrap();
/// page.event("leave", serde_json::json!({})).await.unwrap();
/// let done = page.follow::<AllDone>(&router).await.unwrap();
/// assert_eq!(done.text("h1").as_deref(), Some("Done"));
/// # });
/// ```
pub struct AllDone;

impl LiveView for AllDone {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(AllDone)
    }

    fn render(&self) -> impl IntoView {
        view! { <h1>"Done"</h1> }
    }
}

/// A message of [`Chat`]'s stream.
///
/// ```
/// let m = leptos_live::testing::examples::msg(3, "three");
/// assert_eq!((m.id, m.body.as_str()), (3, "three"));
/// ```
#[derive(Clone, Debug)]
pub struct Msg {
    /// Its id: the DOM id is `m<id>`.
    pub id: u64,
    /// What it says.
    pub body: String,
}

/// A [`Msg`].
///
/// ```
/// use leptos_live::testing::examples::{msg, Msg};
/// let m: Msg = msg(1, "one");
/// assert_eq!(m.body, "one");
/// ```
pub fn msg(id: u64, body: &str) -> Msg {
    Msg {
        id,
        body: body.into(),
    }
}

/// A change a [`Chat`] makes to its stream in `handle_info`, as a callback would.
///
/// ```
/// use leptos_live::testing::examples::{msg, Change};
/// let add_three: Change = Box::new(|messages| messages.insert(msg(3, "three")));
/// # let _ = add_three;
/// ```
pub type Change = Box<dyn FnOnce(&mut Stream<Msg>) + Send>;

/// A page with a stream `messages` of [`Msg`]s, DOM ids `m<id>`, shown as `<li>`s; "one" and
/// "two" at first. Each message it gets is a [`Change`] it applies to the stream.
///
/// ```
/// use leptos_live::{Params, Session};
/// use leptos_live::testing::LiveTest;
/// use leptos_live::testing::examples::*;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let mut page = LiveTest::<Chat>::mount(Params::default(), Session::default()).await.unwrap();
/// page.send(Box::new(|messages: &mut leptos_live::Stream<Msg>| messages.insert(msg(3, "three"))));
/// page.drain_info().await.unwrap();
/// assert_eq!(page.texts("li"), ["one", "two", "three"]);
/// # });
/// ```
pub struct Chat {
    /// The stream.
    pub messages: Stream<Msg>,
}

impl LiveView for Chat {
    type Message = Change;
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        let mut messages = ctx.stream("messages", |m: &Msg| format!("m{}", m.id));
        messages.insert_many(At::End, [msg(1, "one"), msg(2, "two")]);
        Ok(Chat { messages })
    }

    async fn handle_info(&mut self, change: Change, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        change(&mut self.messages);
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let items = self
            .messages
            .each(|id, m| view! { <li id=id>{m.body.clone()}</li> });
        view! { <ul lv-stream="messages">{items}</ul> }
    }
}

/// What a [`Steps`] page runs in `handle_info`: any callback's code, with its `Ctx`.
///
/// ```
/// use leptos_live::FlashKind;
/// use leptos_live::testing::examples::Step;
/// let greet: Step = Box::new(|ctx| ctx.put_flash(FlashKind::Info, "Hello."));
/// # let _ = greet;
/// ```
pub type Step = Box<dyn FnOnce(&mut Ctx<Steps>) + Send>;

/// A page that runs each [`Step`] it is sent, and shows its flash as `<p class="info">` and
/// `<p class="error">`.
///
/// ```
/// use leptos_live::{Params, Session};
/// use leptos_live::testing::LiveTest;
/// use leptos_live::testing::examples::*;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// use leptos_live::{Ctx, FlashKind};
/// let mut page = LiveTest::<Steps>::mount(Params::default(), Session::default()).await.unwrap();
/// page.send(Box::new(|ctx: &mut Ctx<Steps>| ctx.put_flash(FlashKind::Info, "Hello.")));
/// page.drain_info().await.unwrap();
/// assert_eq!(page.text("p.info").as_deref(), Some("Hello."));
/// # });
/// ```
pub struct Steps;

impl LiveView for Steps {
    type Message = Step;
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Steps)
    }

    async fn handle_info(&mut self, step: Step, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        step(ctx);
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        crate::flash::flash()
            .iter()
            .map(|(k, m)| view! { <p class=k.as_str()>{m.to_string()}</p> })
            .collect_view()
    }
}

/// A page with one [`Stars`] component, id `stars`.
///
/// ```
/// use leptos_live::{Params, Session};
/// use leptos_live::testing::LiveTest;
/// use leptos_live::testing::examples::*;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let mut page = LiveTest::<Review>::mount(Params::default(), Session::default()).await.unwrap();
/// page.event_to("stars", "star", serde_json::json!({})).await.unwrap();
/// assert_eq!(page.text("b").as_deref(), Some("1"));
/// # });
/// ```
pub struct Review;

impl LiveView for Review {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Review)
    }

    fn render(&self) -> impl IntoView {
        live_component::<Stars>("stars", ())
    }
}

/// A component that counts its events, shown in a `<b>`.
///
/// ```
/// use leptos_live::{Params, Session};
/// use leptos_live::testing::LiveTest;
/// use leptos_live::testing::examples::*;
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let mut page = LiveTest::<Review>::mount(Params::default(), Session::default()).await.unwrap();
/// assert_eq!(page.text("b").as_deref(), Some("0"));
/// # });
/// ```
pub struct Stars {
    /// Events it handled.
    pub n: u32,
}

impl LiveComponent for Stars {
    type Page = Review;
    type Props = ();
    type Event = RawEvent;

    fn mount(_: &(), _: &mut ComponentMount<'_>) -> Self {
        Stars { n: 0 }
    }

    fn update(&mut self, _: ()) {}

    async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Review>) -> Result<(), LiveError> {
        self.n += 1;
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! { <b>{self.n}</b> }
    }
}
