//! Reading the page as the user sees it: text, attributes, visibility and focus found by CSS
//! selectors, the URL, the title, where the page sent the browser and what it pushed.

use serde_json::Value;

use crate::ctx::Nav;
use crate::error::LiveError;
use crate::page::task::MountError;
use crate::server::router::LiveRouter;
use crate::view::LiveView;

use super::LiveTest;
use super::act::squash;

impl<V: LiveView> LiveTest<V> {
    /// The text of the first element `selector` matches, its whitespace collapsed; `None`
    /// when nothing matches.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, JS, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use serde_json::json;
    /// # struct Todos { items: Vec<String>, draft: String, filter: Option<String>, counted: Option<usize> }
    /// # impl LiveView for Todos {
    /// #     type Message = String;
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    /// #         Ok(Todos { items: vec!["milk".into()], draft: String::new(), filter: None, counted: None })
    /// #     }
    /// #     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.filter = p.get("filter").map(String::from);
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         let title = e.payload.get_str("title").unwrap_or_default().to_string();
    /// #         match e.name.as_str() {
    /// #             "add" if title.is_empty() => return Err(LiveError::msg("a title, please")),
    /// #             "add" => self.items.push(title),
    /// #             "draft" => self.draft = title,
    /// #             "clear" => self.items.clear(),
    /// #             "done" => {
    /// #                 ctx.push_event("confetti", json!({ "items": self.items.len() }));
    /// #                 ctx.reply(self.items.len());
    /// #                 ctx.page_title("All done");
    /// #             }
    /// #             "count" => {
    /// #                 let n = self.items.len();
    /// #                 ctx.start_async("count", async move { n }, |page: &mut Todos, n, _| {
    /// #                     page.counted = n.ok();
    /// #                     Ok(())
    /// #                 });
    /// #             }
    /// #             "leave" => ctx.push_navigate("/done"),
    /// #             _ => return Err(LiveError::UnknownEvent(e.name)),
    /// #         }
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_info(&mut self, item: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.items.push(item);
    /// #         Ok(())
    /// #     }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! {
    /// #             <form id="add" lv-submit="add" lv-change="draft"><input name="title" /></form>
    /// #             <p id="draft">{self.draft.clone()}</p>
    /// #             <p id="filter">{self.filter.clone()}</p>
    /// #             <p id="counted">{self.counted}</p>
    /// #             <ul>{self.items.iter().map(|i| view! { <li class="item">{i.clone()}</li> }).collect_view()}</ul>
    /// #             <button id="clear" lv-click="clear">"Clear all"</button>
    /// #             <input id="search" lv-keydown="clear" lv-key="Escape" />
    /// #             <button id="menu-button" lv-click=JS::new().show("#menu").focus("#menu a").to_string()>"Menu"</button>
    /// #             <nav id="menu" style="display: none" lv-window-keydown=JS::new().hide("#menu").to_string() lv-key="Escape">
    /// #                 <a href="/done" lv-navigate>"Done"</a>
    /// #             </nav>
    /// #         }
    /// #     }
    /// # }
    /// # struct Done;
    /// # impl LiveView for Done {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Done) }
    /// #     fn render(&self) -> impl IntoView { view! { <h1>"Done"</h1> } }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // A to-do page: a form "#add" (lv-submit="add", lv-change="draft"), items in "li.item",
    /// // a "Clear all" button, a menu opened with JS commands.
    /// assert_eq!(page.text("li.item").as_deref(), Some("milk"));
    /// assert_eq!(page.text("h1"), None);
    /// # });
    /// ```
    pub fn text(&self, selector: &str) -> Option<String> {
        self.client
            .select(selector)
            .first()
            .map(|&e| squash(&self.client.dom.text(e)))
    }

    /// The texts of every element `selector` matches, whitespace collapsed.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, JS, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use serde_json::json;
    /// # struct Todos { items: Vec<String>, draft: String, filter: Option<String>, counted: Option<usize> }
    /// # impl LiveView for Todos {
    /// #     type Message = String;
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    /// #         Ok(Todos { items: vec!["milk".into()], draft: String::new(), filter: None, counted: None })
    /// #     }
    /// #     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.filter = p.get("filter").map(String::from);
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         let title = e.payload.get_str("title").unwrap_or_default().to_string();
    /// #         match e.name.as_str() {
    /// #             "add" if title.is_empty() => return Err(LiveError::msg("a title, please")),
    /// #             "add" => self.items.push(title),
    /// #             "draft" => self.draft = title,
    /// #             "clear" => self.items.clear(),
    /// #             "done" => {
    /// #                 ctx.push_event("confetti", json!({ "items": self.items.len() }));
    /// #                 ctx.reply(self.items.len());
    /// #                 ctx.page_title("All done");
    /// #             }
    /// #             "count" => {
    /// #                 let n = self.items.len();
    /// #                 ctx.start_async("count", async move { n }, |page: &mut Todos, n, _| {
    /// #                     page.counted = n.ok();
    /// #                     Ok(())
    /// #                 });
    /// #             }
    /// #             "leave" => ctx.push_navigate("/done"),
    /// #             _ => return Err(LiveError::UnknownEvent(e.name)),
    /// #         }
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_info(&mut self, item: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.items.push(item);
    /// #         Ok(())
    /// #     }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! {
    /// #             <form id="add" lv-submit="add" lv-change="draft"><input name="title" /></form>
    /// #             <p id="draft">{self.draft.clone()}</p>
    /// #             <p id="filter">{self.filter.clone()}</p>
    /// #             <p id="counted">{self.counted}</p>
    /// #             <ul>{self.items.iter().map(|i| view! { <li class="item">{i.clone()}</li> }).collect_view()}</ul>
    /// #             <button id="clear" lv-click="clear">"Clear all"</button>
    /// #             <input id="search" lv-keydown="clear" lv-key="Escape" />
    /// #             <button id="menu-button" lv-click=JS::new().show("#menu").focus("#menu a").to_string()>"Menu"</button>
    /// #             <nav id="menu" style="display: none" lv-window-keydown=JS::new().hide("#menu").to_string() lv-key="Escape">
    /// #                 <a href="/done" lv-navigate>"Done"</a>
    /// #             </nav>
    /// #         }
    /// #     }
    /// # }
    /// # struct Done;
    /// # impl LiveView for Done {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Done) }
    /// #     fn render(&self) -> impl IntoView { view! { <h1>"Done"</h1> } }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // A to-do page: a form "#add" (lv-submit="add", lv-change="draft"), items in "li.item",
    /// // a "Clear all" button, a menu opened with JS commands.
    /// page.send("bread".into());
    /// page.drain_info().await.unwrap();
    /// assert_eq!(page.texts("li.item"), ["milk", "bread"]);
    /// # });
    /// ```
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let dom = &self.client.dom;
        self.client
            .select(selector)
            .into_iter()
            .map(|e| squash(&dom.text(e)))
            .collect()
    }

    /// Whether some element matches `selector`.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, JS, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use serde_json::json;
    /// # struct Todos { items: Vec<String>, draft: String, filter: Option<String>, counted: Option<usize> }
    /// # impl LiveView for Todos {
    /// #     type Message = String;
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    /// #         Ok(Todos { items: vec!["milk".into()], draft: String::new(), filter: None, counted: None })
    /// #     }
    /// #     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.filter = p.get("filter").map(String::from);
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         let title = e.payload.get_str("title").unwrap_or_default().to_string();
    /// #         match e.name.as_str() {
    /// #             "add" if title.is_empty() => return Err(LiveError::msg("a title, please")),
    /// #             "add" => self.items.push(title),
    /// #             "draft" => self.draft = title,
    /// #             "clear" => self.items.clear(),
    /// #             "done" => {
    /// #                 ctx.push_event("confetti", json!({ "items": self.items.len() }));
    /// #                 ctx.reply(self.items.len());
    /// #                 ctx.page_title("All done");
    /// #             }
    /// #             "count" => {
    /// #                 let n = self.items.len();
    /// #                 ctx.start_async("count", async move { n }, |page: &mut Todos, n, _| {
    /// #                     page.counted = n.ok();
    /// #                     Ok(())
    /// #                 });
    /// #             }
    /// #             "leave" => ctx.push_navigate("/done"),
    /// #             _ => return Err(LiveError::UnknownEvent(e.name)),
    /// #         }
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_info(&mut self, item: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.items.push(item);
    /// #         Ok(())
    /// #     }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! {
    /// #             <form id="add" lv-submit="add" lv-change="draft"><input name="title" /></form>
    /// #             <p id="draft">{self.draft.clone()}</p>
    /// #             <p id="filter">{self.filter.clone()}</p>
    /// #             <p id="counted">{self.counted}</p>
    /// #             <ul>{self.items.iter().map(|i| view! { <li class="item">{i.clone()}</li> }).collect_view()}</ul>
    /// #             <button id="clear" lv-click="clear">"Clear all"</button>
    /// #             <input id="search" lv-keydown="clear" lv-key="Escape" />
    /// #             <button id="menu-button" lv-click=JS::new().show("#menu").focus("#menu a").to_string()>"Menu"</button>
    /// #             <nav id="menu" style="display: none" lv-window-keydown=JS::new().hide("#menu").to_string() lv-key="Escape">
    /// #                 <a href="/done" lv-navigate>"Done"</a>
    /// #             </nav>
    /// #         }
    /// #     }
    /// # }
    /// # struct Done;
    /// # impl LiveView for Done {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Done) }
    /// #     fn render(&self) -> impl IntoView { view! { <h1>"Done"</h1> } }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // A to-do page: a form "#add" (lv-submit="add", lv-change="draft"), items in "li.item",
    /// // a "Clear all" button, a menu opened with JS commands.
    /// assert!(page.has("form#add input[name=title]"));
    /// assert!(!page.has(".error"));
    /// # });
    /// ```
    pub fn has(&self, selector: &str) -> bool {
        !self.client.select(selector).is_empty()
    }

    /// Whether some element matching `selector` contains `text`.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, JS, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use serde_json::json;
    /// # struct Todos { items: Vec<String>, draft: String, filter: Option<String>, counted: Option<usize> }
    /// # impl LiveView for Todos {
    /// #     type Message = String;
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    /// #         Ok(Todos { items: vec!["milk".into()], draft: String::new(), filter: None, counted: None })
    /// #     }
    /// #     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.filter = p.get("filter").map(String::from);
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         let title = e.payload.get_str("title").unwrap_or_default().to_string();
    /// #         match e.name.as_str() {
    /// #             "add" if title.is_empty() => return Err(LiveError::msg("a title, please")),
    /// #             "add" => self.items.push(title),
    /// #             "draft" => self.draft = title,
    /// #             "clear" => self.items.clear(),
    /// #             "done" => {
    /// #                 ctx.push_event("confetti", json!({ "items": self.items.len() }));
    /// #                 ctx.reply(self.items.len());
    /// #                 ctx.page_title("All done");
    /// #             }
    /// #             "count" => {
    /// #                 let n = self.items.len();
    /// #                 ctx.start_async("count", async move { n }, |page: &mut Todos, n, _| {
    /// #                     page.counted = n.ok();
    /// #                     Ok(())
    /// #                 });
    /// #             }
    /// #             "leave" => ctx.push_navigate("/done"),
    /// #             _ => return Err(LiveError::UnknownEvent(e.name)),
    /// #         }
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_info(&mut self, item: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.items.push(item);
    /// #         Ok(())
    /// #     }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! {
    /// #             <form id="add" lv-submit="add" lv-change="draft"><input name="title" /></form>
    /// #             <p id="draft">{self.draft.clone()}</p>
    /// #             <p id="filter">{self.filter.clone()}</p>
    /// #             <p id="counted">{self.counted}</p>
    /// #             <ul>{self.items.iter().map(|i| view! { <li class="item">{i.clone()}</li> }).collect_view()}</ul>
    /// #             <button id="clear" lv-click="clear">"Clear all"</button>
    /// #             <input id="search" lv-keydown="clear" lv-key="Escape" />
    /// #             <button id="menu-button" lv-click=JS::new().show("#menu").focus("#menu a").to_string()>"Menu"</button>
    /// #             <nav id="menu" style="display: none" lv-window-keydown=JS::new().hide("#menu").to_string() lv-key="Escape">
    /// #                 <a href="/done" lv-navigate>"Done"</a>
    /// #             </nav>
    /// #         }
    /// #     }
    /// # }
    /// # struct Done;
    /// # impl LiveView for Done {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Done) }
    /// #     fn render(&self) -> impl IntoView { view! { <h1>"Done"</h1> } }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // A to-do page: a form "#add" (lv-submit="add", lv-change="draft"), items in "li.item",
    /// // a "Clear all" button, a menu opened with JS commands.
    /// assert!(page.has_text("li.item", "mil"));
    /// assert!(!page.has_text("li.item", "eggs"));
    /// # });
    /// ```
    pub fn has_text(&self, selector: &str, text: &str) -> bool {
        self.find(selector, Some(text)).is_ok()
    }

    /// How many elements match `selector`.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, JS, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use serde_json::json;
    /// # struct Todos { items: Vec<String>, draft: String, filter: Option<String>, counted: Option<usize> }
    /// # impl LiveView for Todos {
    /// #     type Message = String;
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    /// #         Ok(Todos { items: vec!["milk".into()], draft: String::new(), filter: None, counted: None })
    /// #     }
    /// #     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.filter = p.get("filter").map(String::from);
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         let title = e.payload.get_str("title").unwrap_or_default().to_string();
    /// #         match e.name.as_str() {
    /// #             "add" if title.is_empty() => return Err(LiveError::msg("a title, please")),
    /// #             "add" => self.items.push(title),
    /// #             "draft" => self.draft = title,
    /// #             "clear" => self.items.clear(),
    /// #             "done" => {
    /// #                 ctx.push_event("confetti", json!({ "items": self.items.len() }));
    /// #                 ctx.reply(self.items.len());
    /// #                 ctx.page_title("All done");
    /// #             }
    /// #             "count" => {
    /// #                 let n = self.items.len();
    /// #                 ctx.start_async("count", async move { n }, |page: &mut Todos, n, _| {
    /// #                     page.counted = n.ok();
    /// #                     Ok(())
    /// #                 });
    /// #             }
    /// #             "leave" => ctx.push_navigate("/done"),
    /// #             _ => return Err(LiveError::UnknownEvent(e.name)),
    /// #         }
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_info(&mut self, item: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.items.push(item);
    /// #         Ok(())
    /// #     }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! {
    /// #             <form id="add" lv-submit="add" lv-change="draft"><input name="title" /></form>
    /// #             <p id="draft">{self.draft.clone()}</p>
    /// #             <p id="filter">{self.filter.clone()}</p>
    /// #             <p id="counted">{self.counted}</p>
    /// #             <ul>{self.items.iter().map(|i| view! { <li class="item">{i.clone()}</li> }).collect_view()}</ul>
    /// #             <button id="clear" lv-click="clear">"Clear all"</button>
    /// #             <input id="search" lv-keydown="clear" lv-key="Escape" />
    /// #             <button id="menu-button" lv-click=JS::new().show("#menu").focus("#menu a").to_string()>"Menu"</button>
    /// #             <nav id="menu" style="display: none" lv-window-keydown=JS::new().hide("#menu").to_string() lv-key="Escape">
    /// #                 <a href="/done" lv-navigate>"Done"</a>
    /// #             </nav>
    /// #         }
    /// #     }
    /// # }
    /// # struct Done;
    /// # impl LiveView for Done {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Done) }
    /// #     fn render(&self) -> impl IntoView { view! { <h1>"Done"</h1> } }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // A to-do page: a form "#add" (lv-submit="add", lv-change="draft"), items in "li.item",
    /// // a "Clear all" button, a menu opened with JS commands.
    /// assert_eq!(page.count("li.item"), 1);
    /// assert_eq!(page.count("button"), 2);
    /// # });
    /// ```
    pub fn count(&self, selector: &str) -> usize {
        self.client.select(selector).len()
    }

    /// The attribute `name` of the first element `selector` matches, JS commands' changes
    /// included.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, JS, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use serde_json::json;
    /// # struct Todos { items: Vec<String>, draft: String, filter: Option<String>, counted: Option<usize> }
    /// # impl LiveView for Todos {
    /// #     type Message = String;
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    /// #         Ok(Todos { items: vec!["milk".into()], draft: String::new(), filter: None, counted: None })
    /// #     }
    /// #     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.filter = p.get("filter").map(String::from);
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         let title = e.payload.get_str("title").unwrap_or_default().to_string();
    /// #         match e.name.as_str() {
    /// #             "add" if title.is_empty() => return Err(LiveError::msg("a title, please")),
    /// #             "add" => self.items.push(title),
    /// #             "draft" => self.draft = title,
    /// #             "clear" => self.items.clear(),
    /// #             "done" => {
    /// #                 ctx.push_event("confetti", json!({ "items": self.items.len() }));
    /// #                 ctx.reply(self.items.len());
    /// #                 ctx.page_title("All done");
    /// #             }
    /// #             "count" => {
    /// #                 let n = self.items.len();
    /// #                 ctx.start_async("count", async move { n }, |page: &mut Todos, n, _| {
    /// #                     page.counted = n.ok();
    /// #                     Ok(())
    /// #                 });
    /// #             }
    /// #             "leave" => ctx.push_navigate("/done"),
    /// #             _ => return Err(LiveError::UnknownEvent(e.name)),
    /// #         }
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_info(&mut self, item: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.items.push(item);
    /// #         Ok(())
    /// #     }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! {
    /// #             <form id="add" lv-submit="add" lv-change="draft"><input name="title" /></form>
    /// #             <p id="draft">{self.draft.clone()}</p>
    /// #             <p id="filter">{self.filter.clone()}</p>
    /// #             <p id="counted">{self.counted}</p>
    /// #             <ul>{self.items.iter().map(|i| view! { <li class="item">{i.clone()}</li> }).collect_view()}</ul>
    /// #             <button id="clear" lv-click="clear">"Clear all"</button>
    /// #             <input id="search" lv-keydown="clear" lv-key="Escape" />
    /// #             <button id="menu-button" lv-click=JS::new().show("#menu").focus("#menu a").to_string()>"Menu"</button>
    /// #             <nav id="menu" style="display: none" lv-window-keydown=JS::new().hide("#menu").to_string() lv-key="Escape">
    /// #                 <a href="/done" lv-navigate>"Done"</a>
    /// #             </nav>
    /// #         }
    /// #     }
    /// # }
    /// # struct Done;
    /// # impl LiveView for Done {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Done) }
    /// #     fn render(&self) -> impl IntoView { view! { <h1>"Done"</h1> } }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // A to-do page: a form "#add" (lv-submit="add", lv-change="draft"), items in "li.item",
    /// // a "Clear all" button, a menu opened with JS commands.
    /// assert_eq!(page.attr("#add", "lv-submit").as_deref(), Some("add"));
    /// assert_eq!(page.attr("#add", "action"), None);
    /// # });
    /// ```
    pub fn attr(&self, selector: &str, name: &str) -> Option<String> {
        let el = *self.client.select(selector).first()?;
        self.client.dom.attr(el, name).map(str::to_string)
    }

    /// Whether the first element `selector` matches is displayed: neither it nor an ancestor
    /// has an inline `display: none` (as `hide` sets), or, without an inline display, the
    /// `hidden` attribute or class. False when nothing matches.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, JS, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use serde_json::json;
    /// # struct Todos { items: Vec<String>, draft: String, filter: Option<String>, counted: Option<usize> }
    /// # impl LiveView for Todos {
    /// #     type Message = String;
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    /// #         Ok(Todos { items: vec!["milk".into()], draft: String::new(), filter: None, counted: None })
    /// #     }
    /// #     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.filter = p.get("filter").map(String::from);
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         let title = e.payload.get_str("title").unwrap_or_default().to_string();
    /// #         match e.name.as_str() {
    /// #             "add" if title.is_empty() => return Err(LiveError::msg("a title, please")),
    /// #             "add" => self.items.push(title),
    /// #             "draft" => self.draft = title,
    /// #             "clear" => self.items.clear(),
    /// #             "done" => {
    /// #                 ctx.push_event("confetti", json!({ "items": self.items.len() }));
    /// #                 ctx.reply(self.items.len());
    /// #                 ctx.page_title("All done");
    /// #             }
    /// #             "count" => {
    /// #                 let n = self.items.len();
    /// #                 ctx.start_async("count", async move { n }, |page: &mut Todos, n, _| {
    /// #                     page.counted = n.ok();
    /// #                     Ok(())
    /// #                 });
    /// #             }
    /// #             "leave" => ctx.push_navigate("/done"),
    /// #             _ => return Err(LiveError::UnknownEvent(e.name)),
    /// #         }
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_info(&mut self, item: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.items.push(item);
    /// #         Ok(())
    /// #     }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! {
    /// #             <form id="add" lv-submit="add" lv-change="draft"><input name="title" /></form>
    /// #             <p id="draft">{self.draft.clone()}</p>
    /// #             <p id="filter">{self.filter.clone()}</p>
    /// #             <p id="counted">{self.counted}</p>
    /// #             <ul>{self.items.iter().map(|i| view! { <li class="item">{i.clone()}</li> }).collect_view()}</ul>
    /// #             <button id="clear" lv-click="clear">"Clear all"</button>
    /// #             <input id="search" lv-keydown="clear" lv-key="Escape" />
    /// #             <button id="menu-button" lv-click=JS::new().show("#menu").focus("#menu a").to_string()>"Menu"</button>
    /// #             <nav id="menu" style="display: none" lv-window-keydown=JS::new().hide("#menu").to_string() lv-key="Escape">
    /// #                 <a href="/done" lv-navigate>"Done"</a>
    /// #             </nav>
    /// #         }
    /// #     }
    /// # }
    /// # struct Done;
    /// # impl LiveView for Done {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Done) }
    /// #     fn render(&self) -> impl IntoView { view! { <h1>"Done"</h1> } }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // A to-do page: a form "#add" (lv-submit="add", lv-change="draft"), items in "li.item",
    /// // a "Clear all" button, a menu opened with JS commands.
    /// assert!(!page.visible("#menu"));                    // display: none
    /// page.click("#menu-button").await.unwrap();
    /// assert!(page.visible("#menu"));
    /// # });
    /// ```
    pub fn visible(&self, selector: &str) -> bool {
        self.client
            .select(selector)
            .first()
            .is_some_and(|&e| self.client.dom.visible(e))
    }

    /// Whether the element that has focus (moved by the `focus`, `focus_first` and
    /// `pop_focus` commands) matches `selector`.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, JS, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use serde_json::json;
    /// # struct Todos { items: Vec<String>, draft: String, filter: Option<String>, counted: Option<usize> }
    /// # impl LiveView for Todos {
    /// #     type Message = String;
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    /// #         Ok(Todos { items: vec!["milk".into()], draft: String::new(), filter: None, counted: None })
    /// #     }
    /// #     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.filter = p.get("filter").map(String::from);
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         let title = e.payload.get_str("title").unwrap_or_default().to_string();
    /// #         match e.name.as_str() {
    /// #             "add" if title.is_empty() => return Err(LiveError::msg("a title, please")),
    /// #             "add" => self.items.push(title),
    /// #             "draft" => self.draft = title,
    /// #             "clear" => self.items.clear(),
    /// #             "done" => {
    /// #                 ctx.push_event("confetti", json!({ "items": self.items.len() }));
    /// #                 ctx.reply(self.items.len());
    /// #                 ctx.page_title("All done");
    /// #             }
    /// #             "count" => {
    /// #                 let n = self.items.len();
    /// #                 ctx.start_async("count", async move { n }, |page: &mut Todos, n, _| {
    /// #                     page.counted = n.ok();
    /// #                     Ok(())
    /// #                 });
    /// #             }
    /// #             "leave" => ctx.push_navigate("/done"),
    /// #             _ => return Err(LiveError::UnknownEvent(e.name)),
    /// #         }
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_info(&mut self, item: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.items.push(item);
    /// #         Ok(())
    /// #     }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! {
    /// #             <form id="add" lv-submit="add" lv-change="draft"><input name="title" /></form>
    /// #             <p id="draft">{self.draft.clone()}</p>
    /// #             <p id="filter">{self.filter.clone()}</p>
    /// #             <p id="counted">{self.counted}</p>
    /// #             <ul>{self.items.iter().map(|i| view! { <li class="item">{i.clone()}</li> }).collect_view()}</ul>
    /// #             <button id="clear" lv-click="clear">"Clear all"</button>
    /// #             <input id="search" lv-keydown="clear" lv-key="Escape" />
    /// #             <button id="menu-button" lv-click=JS::new().show("#menu").focus("#menu a").to_string()>"Menu"</button>
    /// #             <nav id="menu" style="display: none" lv-window-keydown=JS::new().hide("#menu").to_string() lv-key="Escape">
    /// #                 <a href="/done" lv-navigate>"Done"</a>
    /// #             </nav>
    /// #         }
    /// #     }
    /// # }
    /// # struct Done;
    /// # impl LiveView for Done {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Done) }
    /// #     fn render(&self) -> impl IntoView { view! { <h1>"Done"</h1> } }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // A to-do page: a form "#add" (lv-submit="add", lv-change="draft"), items in "li.item",
    /// // a "Clear all" button, a menu opened with JS commands.
    /// page.click("#menu-button").await.unwrap();         // JS: show, then focus the link
    /// assert!(page.focused("#menu a"));
    /// # });
    /// ```
    pub fn focused(&self, selector: &str) -> bool {
        self.client
            .focused()
            .is_some_and(|f| self.client.select(selector).contains(&f))
    }

    /// The page's HTML as the browser has it from the server (stream items included; what JS
    /// commands changed is not).
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, JS, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use serde_json::json;
    /// # struct Todos { items: Vec<String>, draft: String, filter: Option<String>, counted: Option<usize> }
    /// # impl LiveView for Todos {
    /// #     type Message = String;
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    /// #         Ok(Todos { items: vec!["milk".into()], draft: String::new(), filter: None, counted: None })
    /// #     }
    /// #     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.filter = p.get("filter").map(String::from);
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         let title = e.payload.get_str("title").unwrap_or_default().to_string();
    /// #         match e.name.as_str() {
    /// #             "add" if title.is_empty() => return Err(LiveError::msg("a title, please")),
    /// #             "add" => self.items.push(title),
    /// #             "draft" => self.draft = title,
    /// #             "clear" => self.items.clear(),
    /// #             "done" => {
    /// #                 ctx.push_event("confetti", json!({ "items": self.items.len() }));
    /// #                 ctx.reply(self.items.len());
    /// #                 ctx.page_title("All done");
    /// #             }
    /// #             "count" => {
    /// #                 let n = self.items.len();
    /// #                 ctx.start_async("count", async move { n }, |page: &mut Todos, n, _| {
    /// #                     page.counted = n.ok();
    /// #                     Ok(())
    /// #                 });
    /// #             }
    /// #             "leave" => ctx.push_navigate("/done"),
    /// #             _ => return Err(LiveError::UnknownEvent(e.name)),
    /// #         }
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_info(&mut self, item: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.items.push(item);
    /// #         Ok(())
    /// #     }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! {
    /// #             <form id="add" lv-submit="add" lv-change="draft"><input name="title" /></form>
    /// #             <p id="draft">{self.draft.clone()}</p>
    /// #             <p id="filter">{self.filter.clone()}</p>
    /// #             <p id="counted">{self.counted}</p>
    /// #             <ul>{self.items.iter().map(|i| view! { <li class="item">{i.clone()}</li> }).collect_view()}</ul>
    /// #             <button id="clear" lv-click="clear">"Clear all"</button>
    /// #             <input id="search" lv-keydown="clear" lv-key="Escape" />
    /// #             <button id="menu-button" lv-click=JS::new().show("#menu").focus("#menu a").to_string()>"Menu"</button>
    /// #             <nav id="menu" style="display: none" lv-window-keydown=JS::new().hide("#menu").to_string() lv-key="Escape">
    /// #                 <a href="/done" lv-navigate>"Done"</a>
    /// #             </nav>
    /// #         }
    /// #     }
    /// # }
    /// # struct Done;
    /// # impl LiveView for Done {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Done) }
    /// #     fn render(&self) -> impl IntoView { view! { <h1>"Done"</h1> } }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // A to-do page: a form "#add" (lv-submit="add", lv-change="draft"), items in "li.item",
    /// // a "Clear all" button, a menu opened with JS commands.
    /// assert!(page.html().contains(r#"<li class="item">milk</li>"#));
    /// # });
    /// ```
    pub fn html(&self) -> String {
        self.client.html()
    }

    /// What the server keeps of the page: its last render as sent (stream items leave it once
    /// sent).
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, JS, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use serde_json::json;
    /// # struct Todos { items: Vec<String>, draft: String, filter: Option<String>, counted: Option<usize> }
    /// # impl LiveView for Todos {
    /// #     type Message = String;
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    /// #         Ok(Todos { items: vec!["milk".into()], draft: String::new(), filter: None, counted: None })
    /// #     }
    /// #     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.filter = p.get("filter").map(String::from);
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         let title = e.payload.get_str("title").unwrap_or_default().to_string();
    /// #         match e.name.as_str() {
    /// #             "add" if title.is_empty() => return Err(LiveError::msg("a title, please")),
    /// #             "add" => self.items.push(title),
    /// #             "draft" => self.draft = title,
    /// #             "clear" => self.items.clear(),
    /// #             "done" => {
    /// #                 ctx.push_event("confetti", json!({ "items": self.items.len() }));
    /// #                 ctx.reply(self.items.len());
    /// #                 ctx.page_title("All done");
    /// #             }
    /// #             "count" => {
    /// #                 let n = self.items.len();
    /// #                 ctx.start_async("count", async move { n }, |page: &mut Todos, n, _| {
    /// #                     page.counted = n.ok();
    /// #                     Ok(())
    /// #                 });
    /// #             }
    /// #             "leave" => ctx.push_navigate("/done"),
    /// #             _ => return Err(LiveError::UnknownEvent(e.name)),
    /// #         }
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_info(&mut self, item: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.items.push(item);
    /// #         Ok(())
    /// #     }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! {
    /// #             <form id="add" lv-submit="add" lv-change="draft"><input name="title" /></form>
    /// #             <p id="draft">{self.draft.clone()}</p>
    /// #             <p id="filter">{self.filter.clone()}</p>
    /// #             <p id="counted">{self.counted}</p>
    /// #             <ul>{self.items.iter().map(|i| view! { <li class="item">{i.clone()}</li> }).collect_view()}</ul>
    /// #             <button id="clear" lv-click="clear">"Clear all"</button>
    /// #             <input id="search" lv-keydown="clear" lv-key="Escape" />
    /// #             <button id="menu-button" lv-click=JS::new().show("#menu").focus("#menu a").to_string()>"Menu"</button>
    /// #             <nav id="menu" style="display: none" lv-window-keydown=JS::new().hide("#menu").to_string() lv-key="Escape">
    /// #                 <a href="/done" lv-navigate>"Done"</a>
    /// #             </nav>
    /// #         }
    /// #     }
    /// # }
    /// # struct Done;
    /// # impl LiveView for Done {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Done) }
    /// #     fn render(&self) -> impl IntoView { view! { <h1>"Done"</h1> } }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // A to-do page: a form "#add" (lv-submit="add", lv-change="draft"), items in "li.item",
    /// // a "Clear all" button, a menu opened with JS commands.
    /// page.click("#menu-button").await.unwrap();
    /// // The browser's copy has the menu shown by JS; the server's last render does not know.
    /// assert!(page.server_html().contains(r#"<nav id="menu""#));
    /// assert_ne!(page.html(), page.server_html());
    /// # });
    /// ```
    pub fn server_html(&self) -> String {
        self.core.sent.html().to_string()
    }

    /// The URL the browser shows: where the page was mounted, or its last patch.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, JS, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use serde_json::json;
    /// # struct Todos { items: Vec<String>, draft: String, filter: Option<String>, counted: Option<usize> }
    /// # impl LiveView for Todos {
    /// #     type Message = String;
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    /// #         Ok(Todos { items: vec!["milk".into()], draft: String::new(), filter: None, counted: None })
    /// #     }
    /// #     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.filter = p.get("filter").map(String::from);
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         let title = e.payload.get_str("title").unwrap_or_default().to_string();
    /// #         match e.name.as_str() {
    /// #             "add" if title.is_empty() => return Err(LiveError::msg("a title, please")),
    /// #             "add" => self.items.push(title),
    /// #             "draft" => self.draft = title,
    /// #             "clear" => self.items.clear(),
    /// #             "done" => {
    /// #                 ctx.push_event("confetti", json!({ "items": self.items.len() }));
    /// #                 ctx.reply(self.items.len());
    /// #                 ctx.page_title("All done");
    /// #             }
    /// #             "count" => {
    /// #                 let n = self.items.len();
    /// #                 ctx.start_async("count", async move { n }, |page: &mut Todos, n, _| {
    /// #                     page.counted = n.ok();
    /// #                     Ok(())
    /// #                 });
    /// #             }
    /// #             "leave" => ctx.push_navigate("/done"),
    /// #             _ => return Err(LiveError::UnknownEvent(e.name)),
    /// #         }
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_info(&mut self, item: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.items.push(item);
    /// #         Ok(())
    /// #     }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! {
    /// #             <form id="add" lv-submit="add" lv-change="draft"><input name="title" /></form>
    /// #             <p id="draft">{self.draft.clone()}</p>
    /// #             <p id="filter">{self.filter.clone()}</p>
    /// #             <p id="counted">{self.counted}</p>
    /// #             <ul>{self.items.iter().map(|i| view! { <li class="item">{i.clone()}</li> }).collect_view()}</ul>
    /// #             <button id="clear" lv-click="clear">"Clear all"</button>
    /// #             <input id="search" lv-keydown="clear" lv-key="Escape" />
    /// #             <button id="menu-button" lv-click=JS::new().show("#menu").focus("#menu a").to_string()>"Menu"</button>
    /// #             <nav id="menu" style="display: none" lv-window-keydown=JS::new().hide("#menu").to_string() lv-key="Escape">
    /// #                 <a href="/done" lv-navigate>"Done"</a>
    /// #             </nav>
    /// #         }
    /// #     }
    /// # }
    /// # struct Done;
    /// # impl LiveView for Done {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Done) }
    /// #     fn render(&self) -> impl IntoView { view! { <h1>"Done"</h1> } }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // A to-do page: a form "#add" (lv-submit="add", lv-change="draft"), items in "li.item",
    /// // a "Clear all" button, a menu opened with JS commands.
    /// assert_eq!(page.url(), "/");
    /// # });
    /// ```
    pub fn url(&self) -> &str {
        &self.client.url
    }

    /// The document title the page last set ([`crate::Ctx::page_title`]).
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, JS, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use serde_json::json;
    /// # struct Todos { items: Vec<String>, draft: String, filter: Option<String>, counted: Option<usize> }
    /// # impl LiveView for Todos {
    /// #     type Message = String;
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    /// #         Ok(Todos { items: vec!["milk".into()], draft: String::new(), filter: None, counted: None })
    /// #     }
    /// #     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.filter = p.get("filter").map(String::from);
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         let title = e.payload.get_str("title").unwrap_or_default().to_string();
    /// #         match e.name.as_str() {
    /// #             "add" if title.is_empty() => return Err(LiveError::msg("a title, please")),
    /// #             "add" => self.items.push(title),
    /// #             "draft" => self.draft = title,
    /// #             "clear" => self.items.clear(),
    /// #             "done" => {
    /// #                 ctx.push_event("confetti", json!({ "items": self.items.len() }));
    /// #                 ctx.reply(self.items.len());
    /// #                 ctx.page_title("All done");
    /// #             }
    /// #             "count" => {
    /// #                 let n = self.items.len();
    /// #                 ctx.start_async("count", async move { n }, |page: &mut Todos, n, _| {
    /// #                     page.counted = n.ok();
    /// #                     Ok(())
    /// #                 });
    /// #             }
    /// #             "leave" => ctx.push_navigate("/done"),
    /// #             _ => return Err(LiveError::UnknownEvent(e.name)),
    /// #         }
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_info(&mut self, item: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.items.push(item);
    /// #         Ok(())
    /// #     }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! {
    /// #             <form id="add" lv-submit="add" lv-change="draft"><input name="title" /></form>
    /// #             <p id="draft">{self.draft.clone()}</p>
    /// #             <p id="filter">{self.filter.clone()}</p>
    /// #             <p id="counted">{self.counted}</p>
    /// #             <ul>{self.items.iter().map(|i| view! { <li class="item">{i.clone()}</li> }).collect_view()}</ul>
    /// #             <button id="clear" lv-click="clear">"Clear all"</button>
    /// #             <input id="search" lv-keydown="clear" lv-key="Escape" />
    /// #             <button id="menu-button" lv-click=JS::new().show("#menu").focus("#menu a").to_string()>"Menu"</button>
    /// #             <nav id="menu" style="display: none" lv-window-keydown=JS::new().hide("#menu").to_string() lv-key="Escape">
    /// #                 <a href="/done" lv-navigate>"Done"</a>
    /// #             </nav>
    /// #         }
    /// #     }
    /// # }
    /// # struct Done;
    /// # impl LiveView for Done {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Done) }
    /// #     fn render(&self) -> impl IntoView { view! { <h1>"Done"</h1> } }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // A to-do page: a form "#add" (lv-submit="add", lv-change="draft"), items in "li.item",
    /// // a "Clear all" button, a menu opened with JS commands.
    /// assert_eq!(page.title(), None);
    /// page.event("done", json!({})).await.unwrap();
    /// assert_eq!(page.title(), Some("All done"));
    /// # });
    /// ```
    pub fn title(&self) -> Option<&str> {
        self.client.title.as_deref()
    }

    /// Where the page sent the browser away to ([`crate::Ctx::push_navigate`], [`crate::Ctx::redirect`], an
    /// `lv-navigate` link, or a plain link as [`Nav::Redirect`]), not yet followed.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, JS, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use serde_json::json;
    /// # struct Todos { items: Vec<String>, draft: String, filter: Option<String>, counted: Option<usize> }
    /// # impl LiveView for Todos {
    /// #     type Message = String;
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    /// #         Ok(Todos { items: vec!["milk".into()], draft: String::new(), filter: None, counted: None })
    /// #     }
    /// #     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.filter = p.get("filter").map(String::from);
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         let title = e.payload.get_str("title").unwrap_or_default().to_string();
    /// #         match e.name.as_str() {
    /// #             "add" if title.is_empty() => return Err(LiveError::msg("a title, please")),
    /// #             "add" => self.items.push(title),
    /// #             "draft" => self.draft = title,
    /// #             "clear" => self.items.clear(),
    /// #             "done" => {
    /// #                 ctx.push_event("confetti", json!({ "items": self.items.len() }));
    /// #                 ctx.reply(self.items.len());
    /// #                 ctx.page_title("All done");
    /// #             }
    /// #             "count" => {
    /// #                 let n = self.items.len();
    /// #                 ctx.start_async("count", async move { n }, |page: &mut Todos, n, _| {
    /// #                     page.counted = n.ok();
    /// #                     Ok(())
    /// #                 });
    /// #             }
    /// #             "leave" => ctx.push_navigate("/done"),
    /// #             _ => return Err(LiveError::UnknownEvent(e.name)),
    /// #         }
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_info(&mut self, item: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.items.push(item);
    /// #         Ok(())
    /// #     }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! {
    /// #             <form id="add" lv-submit="add" lv-change="draft"><input name="title" /></form>
    /// #             <p id="draft">{self.draft.clone()}</p>
    /// #             <p id="filter">{self.filter.clone()}</p>
    /// #             <p id="counted">{self.counted}</p>
    /// #             <ul>{self.items.iter().map(|i| view! { <li class="item">{i.clone()}</li> }).collect_view()}</ul>
    /// #             <button id="clear" lv-click="clear">"Clear all"</button>
    /// #             <input id="search" lv-keydown="clear" lv-key="Escape" />
    /// #             <button id="menu-button" lv-click=JS::new().show("#menu").focus("#menu a").to_string()>"Menu"</button>
    /// #             <nav id="menu" style="display: none" lv-window-keydown=JS::new().hide("#menu").to_string() lv-key="Escape">
    /// #                 <a href="/done" lv-navigate>"Done"</a>
    /// #             </nav>
    /// #         }
    /// #     }
    /// # }
    /// # struct Done;
    /// # impl LiveView for Done {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Done) }
    /// #     fn render(&self) -> impl IntoView { view! { <h1>"Done"</h1> } }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // A to-do page: a form "#add" (lv-submit="add", lv-change="draft"), items in "li.item",
    /// // a "Clear all" button, a menu opened with JS commands.
    /// use leptos_live::ctx::Nav;
    /// assert!(page.navigated().is_none());
    /// page.event("leave", json!({})).await.unwrap();
    /// assert_eq!(page.navigated(), Some(&Nav::Navigate { to: "/done".into(), replace: false }));
    /// # });
    /// ```
    pub fn navigated(&self) -> Option<&Nav> {
        self.client.nav.as_ref().map(|(n, _)| n)
    }

    /// Follows the navigation the page asked for to the page `W` that `router` serves there,
    /// with the flash it carries, as the browser would; the new page's test comes back.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, JS, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use serde_json::json;
    /// # struct Todos { items: Vec<String>, draft: String, filter: Option<String>, counted: Option<usize> }
    /// # impl LiveView for Todos {
    /// #     type Message = String;
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    /// #         Ok(Todos { items: vec!["milk".into()], draft: String::new(), filter: None, counted: None })
    /// #     }
    /// #     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.filter = p.get("filter").map(String::from);
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         let title = e.payload.get_str("title").unwrap_or_default().to_string();
    /// #         match e.name.as_str() {
    /// #             "add" if title.is_empty() => return Err(LiveError::msg("a title, please")),
    /// #             "add" => self.items.push(title),
    /// #             "draft" => self.draft = title,
    /// #             "clear" => self.items.clear(),
    /// #             "done" => {
    /// #                 ctx.push_event("confetti", json!({ "items": self.items.len() }));
    /// #                 ctx.reply(self.items.len());
    /// #                 ctx.page_title("All done");
    /// #             }
    /// #             "count" => {
    /// #                 let n = self.items.len();
    /// #                 ctx.start_async("count", async move { n }, |page: &mut Todos, n, _| {
    /// #                     page.counted = n.ok();
    /// #                     Ok(())
    /// #                 });
    /// #             }
    /// #             "leave" => ctx.push_navigate("/done"),
    /// #             _ => return Err(LiveError::UnknownEvent(e.name)),
    /// #         }
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_info(&mut self, item: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.items.push(item);
    /// #         Ok(())
    /// #     }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! {
    /// #             <form id="add" lv-submit="add" lv-change="draft"><input name="title" /></form>
    /// #             <p id="draft">{self.draft.clone()}</p>
    /// #             <p id="filter">{self.filter.clone()}</p>
    /// #             <p id="counted">{self.counted}</p>
    /// #             <ul>{self.items.iter().map(|i| view! { <li class="item">{i.clone()}</li> }).collect_view()}</ul>
    /// #             <button id="clear" lv-click="clear">"Clear all"</button>
    /// #             <input id="search" lv-keydown="clear" lv-key="Escape" />
    /// #             <button id="menu-button" lv-click=JS::new().show("#menu").focus("#menu a").to_string()>"Menu"</button>
    /// #             <nav id="menu" style="display: none" lv-window-keydown=JS::new().hide("#menu").to_string() lv-key="Escape">
    /// #                 <a href="/done" lv-navigate>"Done"</a>
    /// #             </nav>
    /// #         }
    /// #     }
    /// # }
    /// # struct Done;
    /// # impl LiveView for Done {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Done) }
    /// #     fn render(&self) -> impl IntoView { view! { <h1>"Done"</h1> } }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // A to-do page: a form "#add" (lv-submit="add", lv-change="draft"), items in "li.item",
    /// // a "Clear all" button, a menu opened with JS commands.
    /// let router = LiveRouter::new().page::<Todos>("/").page::<Done>("/done");
    /// let mut page = LiveTest::<Todos>::get(&router, "/", Session::default()).await.unwrap();
    /// page.click("#menu-button").await.unwrap();
    /// page.click("#menu a").await.unwrap();               // an lv-navigate link: kept for follow
    /// let done = page.follow::<Done>(&router).await.unwrap();
    /// assert_eq!(done.text("h1").as_deref(), Some("Done"));
    /// # });
    /// ```
    pub async fn follow<W: LiveView>(
        &mut self,
        router: &LiveRouter,
    ) -> Result<LiveTest<W>, MountError> {
        let Some((nav, sealed)) = self.client.nav.take() else {
            return Err(LiveError::msg("the page did not navigate").into());
        };
        if let Nav::Redirect { external: true, to } = &nav {
            return Err(LiveError::msg(format!("{to:?} is on another site")).into());
        }
        let secret = router.services().secret;
        let flash = sealed
            .and_then(|s| crate::flash::unseal(&s, &secret, crate::wire::ids::now_secs()))
            .unwrap_or_default();
        LiveTest::<W>::get_with(router, nav.to(), self.session.clone(), flash).await
    }

    /// The events the page pushed ([`crate::Ctx::push_event`]) since the last call, in order.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, JS, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use serde_json::json;
    /// # struct Todos { items: Vec<String>, draft: String, filter: Option<String>, counted: Option<usize> }
    /// # impl LiveView for Todos {
    /// #     type Message = String;
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    /// #         Ok(Todos { items: vec!["milk".into()], draft: String::new(), filter: None, counted: None })
    /// #     }
    /// #     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.filter = p.get("filter").map(String::from);
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         let title = e.payload.get_str("title").unwrap_or_default().to_string();
    /// #         match e.name.as_str() {
    /// #             "add" if title.is_empty() => return Err(LiveError::msg("a title, please")),
    /// #             "add" => self.items.push(title),
    /// #             "draft" => self.draft = title,
    /// #             "clear" => self.items.clear(),
    /// #             "done" => {
    /// #                 ctx.push_event("confetti", json!({ "items": self.items.len() }));
    /// #                 ctx.reply(self.items.len());
    /// #                 ctx.page_title("All done");
    /// #             }
    /// #             "count" => {
    /// #                 let n = self.items.len();
    /// #                 ctx.start_async("count", async move { n }, |page: &mut Todos, n, _| {
    /// #                     page.counted = n.ok();
    /// #                     Ok(())
    /// #                 });
    /// #             }
    /// #             "leave" => ctx.push_navigate("/done"),
    /// #             _ => return Err(LiveError::UnknownEvent(e.name)),
    /// #         }
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_info(&mut self, item: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.items.push(item);
    /// #         Ok(())
    /// #     }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! {
    /// #             <form id="add" lv-submit="add" lv-change="draft"><input name="title" /></form>
    /// #             <p id="draft">{self.draft.clone()}</p>
    /// #             <p id="filter">{self.filter.clone()}</p>
    /// #             <p id="counted">{self.counted}</p>
    /// #             <ul>{self.items.iter().map(|i| view! { <li class="item">{i.clone()}</li> }).collect_view()}</ul>
    /// #             <button id="clear" lv-click="clear">"Clear all"</button>
    /// #             <input id="search" lv-keydown="clear" lv-key="Escape" />
    /// #             <button id="menu-button" lv-click=JS::new().show("#menu").focus("#menu a").to_string()>"Menu"</button>
    /// #             <nav id="menu" style="display: none" lv-window-keydown=JS::new().hide("#menu").to_string() lv-key="Escape">
    /// #                 <a href="/done" lv-navigate>"Done"</a>
    /// #             </nav>
    /// #         }
    /// #     }
    /// # }
    /// # struct Done;
    /// # impl LiveView for Done {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Done) }
    /// #     fn render(&self) -> impl IntoView { view! { <h1>"Done"</h1> } }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // A to-do page: a form "#add" (lv-submit="add", lv-change="draft"), items in "li.item",
    /// // a "Clear all" button, a menu opened with JS commands.
    /// page.event("done", json!({})).await.unwrap();
    /// assert_eq!(page.take_events(), [("confetti".to_string(), json!({ "items": 1 }))]);
    /// assert!(page.take_events().is_empty());
    /// # });
    /// ```
    pub fn take_events(&mut self) -> Vec<(String, Value)> {
        std::mem::take(&mut self.client.events)
    }

    /// The last reply the page gave an event ([`crate::Ctx::reply`]), taken.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, JS, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use serde_json::json;
    /// # struct Todos { items: Vec<String>, draft: String, filter: Option<String>, counted: Option<usize> }
    /// # impl LiveView for Todos {
    /// #     type Message = String;
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    /// #         Ok(Todos { items: vec!["milk".into()], draft: String::new(), filter: None, counted: None })
    /// #     }
    /// #     async fn handle_params(&mut self, p: &Params, _: &axum::http::Uri, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.filter = p.get("filter").map(String::from);
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         let title = e.payload.get_str("title").unwrap_or_default().to_string();
    /// #         match e.name.as_str() {
    /// #             "add" if title.is_empty() => return Err(LiveError::msg("a title, please")),
    /// #             "add" => self.items.push(title),
    /// #             "draft" => self.draft = title,
    /// #             "clear" => self.items.clear(),
    /// #             "done" => {
    /// #                 ctx.push_event("confetti", json!({ "items": self.items.len() }));
    /// #                 ctx.reply(self.items.len());
    /// #                 ctx.page_title("All done");
    /// #             }
    /// #             "count" => {
    /// #                 let n = self.items.len();
    /// #                 ctx.start_async("count", async move { n }, |page: &mut Todos, n, _| {
    /// #                     page.counted = n.ok();
    /// #                     Ok(())
    /// #                 });
    /// #             }
    /// #             "leave" => ctx.push_navigate("/done"),
    /// #             _ => return Err(LiveError::UnknownEvent(e.name)),
    /// #         }
    /// #         Ok(())
    /// #     }
    /// #     async fn handle_info(&mut self, item: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    /// #         self.items.push(item);
    /// #         Ok(())
    /// #     }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! {
    /// #             <form id="add" lv-submit="add" lv-change="draft"><input name="title" /></form>
    /// #             <p id="draft">{self.draft.clone()}</p>
    /// #             <p id="filter">{self.filter.clone()}</p>
    /// #             <p id="counted">{self.counted}</p>
    /// #             <ul>{self.items.iter().map(|i| view! { <li class="item">{i.clone()}</li> }).collect_view()}</ul>
    /// #             <button id="clear" lv-click="clear">"Clear all"</button>
    /// #             <input id="search" lv-keydown="clear" lv-key="Escape" />
    /// #             <button id="menu-button" lv-click=JS::new().show("#menu").focus("#menu a").to_string()>"Menu"</button>
    /// #             <nav id="menu" style="display: none" lv-window-keydown=JS::new().hide("#menu").to_string() lv-key="Escape">
    /// #                 <a href="/done" lv-navigate>"Done"</a>
    /// #             </nav>
    /// #         }
    /// #     }
    /// # }
    /// # struct Done;
    /// # impl LiveView for Done {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Done) }
    /// #     fn render(&self) -> impl IntoView { view! { <h1>"Done"</h1> } }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // A to-do page: a form "#add" (lv-submit="add", lv-change="draft"), items in "li.item",
    /// // a "Clear all" button, a menu opened with JS commands.
    /// page.event("done", json!({})).await.unwrap();
    /// assert_eq!(page.take_reply(), Some(json!(1)));
    /// assert_eq!(page.take_reply(), None);
    /// # });
    /// ```
    pub fn take_reply(&mut self) -> Option<Value> {
        self.client.reply.take()
    }

    /// How many times the page's components have rendered: a component renders only when its
    /// props changed or it handled an event.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{live_component, ComponentMount, Ctx, LiveComponent, LiveError, LiveView, Params, RawEvent, Session};
    /// use leptos_live::testing::LiveTest;
    ///
    /// struct Stars { n: u32 }
    /// impl LiveComponent for Stars {
    ///     type Page = Review;
    ///     type Props = ();
    ///     type Event = RawEvent;
    ///     fn mount(_: &(), _: &mut ComponentMount<'_>) -> Self { Stars { n: 0 } }
    ///     fn update(&mut self, _: ()) {}
    ///     async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Review>) -> Result<(), LiveError> {
    ///         self.n += 1;
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView { view! { <b>{self.n}</b> } }
    /// }
    ///
    /// struct Review;
    /// impl LiveView for Review {
    ///     type Message = ();
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Review) }
    ///     fn render(&self) -> impl IntoView { view! { {live_component::<Stars>("stars", ())} } }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = LiveTest::<Review>::mount(Params::default(), Session::default()).await.unwrap();
    /// let before = page.component_renders();
    /// page.event_to("stars", "star", serde_json::json!({})).await.unwrap();
    /// assert_eq!(page.component_renders(), before + 1);   // the component alone
    /// # });
    /// ```
    pub fn component_renders(&self) -> u64 {
        self.core.ctx.component_renders()
    }
}
