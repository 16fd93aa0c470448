//! `LiveComponent`: a stateful part of a page, with its own events, re-rendered only when its
//! props change or it handled an event.
//!
//! A page renders a component with [`live_component`] inside its `view!`. The component's
//! state lives in the page's task, keyed by its id: created on its first render, kept while the
//! page renders it, dropped from the first render that leaves it out. Its HTML is kept too, so a
//! page render whose props for it did not change reuses that HTML instead of rendering it again.

use std::future::Future;
use std::sync::Arc;

use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::ctx::Ctx;
use crate::error::LiveError;
use crate::stream::{Drain, Stream};
use crate::view::LiveView;

mod lazy;
mod slots;

pub use lazy::{REVEAL, Reveal, lazy_component};
pub(crate) use slots::{Arrangement, HtmlSplice, Part, Slots, handle_event};
use slots::{InComponent, with_component_id};

/// A stateful part of a page: its own state and events, rendered with props from the page.
///
/// Events reach it when the element that fires them (or its form) has `lv-target`: empty for
/// the component the element is in, or a component's id. Its callbacks get the page's
/// [`Ctx`]: `ctx.handle().send(msg)` tells the page (its `handle_info`), and everything else a
/// page can do (push events, flash, navigate, PubSub) works the same.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::{live_component, ComponentMount, Ctx, LiveComponent, LiveError, LiveView, Params, RawEvent, Session};
///
/// struct Page;
///
/// /// A counter with a label from the page and a count of its own.
/// struct Counter { label: String, count: i64 }
///
/// #[derive(serde::Deserialize)]
/// #[serde(rename_all = "snake_case")]
/// enum CounterEvent { Inc }
///
/// impl LiveComponent for Counter {
///     type Page = Page;
///     type Props = String;
///     type Event = CounterEvent;
///     fn mount(label: &String, _: &mut ComponentMount<'_>) -> Self { Counter { label: label.clone(), count: 0 } }
///     fn update(&mut self, label: String) { self.label = label; }
///     async fn handle_event(&mut self, CounterEvent::Inc: CounterEvent, _: &mut Ctx<Page>) -> Result<(), LiveError> {
///         self.count += 1;
///         Ok(())
///     }
///     fn render(&self) -> impl IntoView {
///         view! { <button lv-click="inc" lv-target>{self.label.clone()} ": " {self.count}</button> }
///     }
/// }
///
/// impl LiveView for Page {
///     type Message = ();
///     type Event = RawEvent;
///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Page) }
///     fn render(&self) -> impl IntoView {
///         view! {
///             {live_component::<Counter>("apples", "Apples".to_string())}
///             {live_component::<Counter>("pears", "Pears".to_string())}
///         }
///     }
/// }
/// ```
pub trait LiveComponent: Sized + Send + 'static {
    /// The page this component lives in.
    type Page: LiveView;
    /// What the page passes in. The component is updated and rendered again only when they
    /// differ from the last ones.
    type Props: Clone + PartialEq + Send + 'static;
    /// The component's events, decoded as a page's are.
    type Event: DeserializeOwned + Send + 'static;

    /// Builds the state on the component's first render; `mount` makes the component's
    /// streams.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{live_component, ComponentMount, Ctx, LiveComponent, LiveError, LiveView, Params, RawEvent, Session};
    /// # struct Shop { currency: String }
    /// # impl LiveView for Shop {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Shop { currency: "EUR".into() }) }
    /// #     async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> { self.currency = "USD".into(); Ok(()) }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! { <button id="usd" lv-click="usd">"USD"</button> {live_component::<Cart>("cart", self.currency.clone())} }
    /// #     }
    /// # }
    /// # #[derive(serde::Deserialize)] #[serde(rename_all = "snake_case")] enum CartEvent { Add }
    /// struct Cart { currency: String, items: u32 }
    ///
    /// impl LiveComponent for Cart {
    /// #   type Page = Shop;
    /// #   type Props = String;
    /// #   type Event = CartEvent;
    ///     fn mount(currency: &String, _: &mut ComponentMount<'_>) -> Self { Cart { currency: currency.clone(), items: 0 } }
    /// #   fn update(&mut self, currency: String) { self.currency = currency; }
    /// #   async fn handle_event(&mut self, CartEvent::Add: CartEvent, _: &mut Ctx<Shop>) -> Result<(), LiveError> {
    /// #       self.items += 1;
    /// #       Ok(())
    /// #   }
    /// #   fn render(&self) -> impl IntoView {
    /// #       view! {
    /// #           <p id="cart">
    /// #               <span id="summary">{format!("{} items, in {}", self.items, self.currency)}</span>
    /// #               <button id="add" lv-click="add" lv-target>"Add"</button>
    /// #           </p>
    /// #       }
    /// #   }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Shop>::mount(Params::default(), Session::default()).await.unwrap();
    /// assert_eq!(page.text("#summary").as_deref(), Some("0 items, in EUR"));
    /// # });
    /// ```
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{live_component, ComponentMount, Ctx, LiveComponent, LiveError, LiveView, Params, RawEvent, Session};
    /// # struct Shop { currency: String }
    /// # impl LiveView for Shop {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Shop { currency: "EUR".into() }) }
    /// #     async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> { self.currency = "USD".into(); Ok(()) }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! { <button id="usd" lv-click="usd">"USD"</button> {live_component::<Cart>("cart", self.currency.clone())} }
    /// #     }
    /// # }
    /// # #[derive(serde::Deserialize)] #[serde(rename_all = "snake_case")] enum CartEvent { Add }
    /// struct Cart { currency: String, items: u32 }
    ///
    /// impl LiveComponent for Cart {
    /// #   type Page = Shop;
    /// #   type Props = String;
    /// #   type Event = CartEvent;
    ///     fn mount(currency: &String, _: &mut ComponentMount<'_>) -> Self { Cart { currency: currency.clone(), items: 0 } }
    /// #   fn update(&mut self, currency: String) { self.currency = currency; }
    /// #   async fn handle_event(&mut self, CartEvent::Add: CartEvent, _: &mut Ctx<Shop>) -> Result<(), LiveError> {
    /// #       self.items += 1;
    /// #       Ok(())
    /// #   }
    /// #   fn render(&self) -> impl IntoView {
    /// #       view! {
    /// #           <p id="cart">
    /// #               <span id="summary">{format!("{} items, in {}", self.items, self.currency)}</span>
    /// #               <button id="add" lv-click="add" lv-target>"Add"</button>
    /// #           </p>
    /// #       }
    /// #   }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Shop>::mount(Params::default(), Session::default()).await.unwrap();
    /// assert_eq!(page.text("#summary").as_deref(), Some("0 items, in EUR"));
    /// # });
    /// ```
    fn mount(props: &Self::Props, mount: &mut ComponentMount<'_>) -> Self;

    /// Takes new props (from a page render where they changed, or [`Ctx::send_update`]).
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{live_component, ComponentMount, Ctx, LiveComponent, LiveError, LiveView, Params, RawEvent, Session};
    /// # struct Shop { currency: String }
    /// # impl LiveView for Shop {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Shop { currency: "EUR".into() }) }
    /// #     async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> { self.currency = "USD".into(); Ok(()) }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! { <button id="usd" lv-click="usd">"USD"</button> {live_component::<Cart>("cart", self.currency.clone())} }
    /// #     }
    /// # }
    /// # #[derive(serde::Deserialize)] #[serde(rename_all = "snake_case")] enum CartEvent { Add }
    /// struct Cart { currency: String, items: u32 }
    ///
    /// impl LiveComponent for Cart {
    /// #   type Page = Shop;
    /// #   type Props = String;
    /// #   type Event = CartEvent;
    /// #   fn mount(currency: &String, _: &mut ComponentMount<'_>) -> Self { Cart { currency: currency.clone(), items: 0 } }
    ///     fn update(&mut self, currency: String) { self.currency = currency; }
    /// #   async fn handle_event(&mut self, CartEvent::Add: CartEvent, _: &mut Ctx<Shop>) -> Result<(), LiveError> {
    /// #       self.items += 1;
    /// #       Ok(())
    /// #   }
    /// #   fn render(&self) -> impl IntoView {
    /// #       view! {
    /// #           <p id="cart">
    /// #               <span id="summary">{format!("{} items, in {}", self.items, self.currency)}</span>
    /// #               <button id="add" lv-click="add" lv-target>"Add"</button>
    /// #           </p>
    /// #       }
    /// #   }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Shop>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.click("#usd").await.unwrap();                    // the page passes new props
    /// assert_eq!(page.text("#summary").as_deref(), Some("0 items, in USD"));
    /// # });
    /// ```
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{live_component, ComponentMount, Ctx, LiveComponent, LiveError, LiveView, Params, RawEvent, Session};
    /// # struct Shop { currency: String }
    /// # impl LiveView for Shop {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Shop { currency: "EUR".into() }) }
    /// #     async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> { self.currency = "USD".into(); Ok(()) }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! { <button id="usd" lv-click="usd">"USD"</button> {live_component::<Cart>("cart", self.currency.clone())} }
    /// #     }
    /// # }
    /// # #[derive(serde::Deserialize)] #[serde(rename_all = "snake_case")] enum CartEvent { Add }
    /// struct Cart { currency: String, items: u32 }
    ///
    /// impl LiveComponent for Cart {
    /// #   type Page = Shop;
    /// #   type Props = String;
    /// #   type Event = CartEvent;
    /// #   fn mount(currency: &String, _: &mut ComponentMount<'_>) -> Self { Cart { currency: currency.clone(), items: 0 } }
    ///     fn update(&mut self, currency: String) { self.currency = currency; }
    /// #   async fn handle_event(&mut self, CartEvent::Add: CartEvent, _: &mut Ctx<Shop>) -> Result<(), LiveError> {
    /// #       self.items += 1;
    /// #       Ok(())
    /// #   }
    /// #   fn render(&self) -> impl IntoView {
    /// #       view! {
    /// #           <p id="cart">
    /// #               <span id="summary">{format!("{} items, in {}", self.items, self.currency)}</span>
    /// #               <button id="add" lv-click="add" lv-target>"Add"</button>
    /// #           </p>
    /// #       }
    /// #   }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Shop>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.click("#usd").await.unwrap();                    // the page passes new props
    /// assert_eq!(page.text("#summary").as_deref(), Some("0 items, in USD"));
    /// # });
    /// ```
    fn update(&mut self, props: Self::Props);

    /// Handles an event targeted at this component.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{live_component, ComponentMount, Ctx, LiveComponent, LiveError, LiveView, Params, RawEvent, Session};
    /// # struct Shop { currency: String }
    /// # impl LiveView for Shop {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Shop { currency: "EUR".into() }) }
    /// #     async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> { self.currency = "USD".into(); Ok(()) }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! { <button id="usd" lv-click="usd">"USD"</button> {live_component::<Cart>("cart", self.currency.clone())} }
    /// #     }
    /// # }
    /// # #[derive(serde::Deserialize)] #[serde(rename_all = "snake_case")] enum CartEvent { Add }
    /// struct Cart { currency: String, items: u32 }
    ///
    /// impl LiveComponent for Cart {
    /// #   type Page = Shop;
    /// #   type Props = String;
    /// #   type Event = CartEvent;
    /// #   fn mount(currency: &String, _: &mut ComponentMount<'_>) -> Self { Cart { currency: currency.clone(), items: 0 } }
    /// #   fn update(&mut self, currency: String) { self.currency = currency; }
    ///     async fn handle_event(&mut self, CartEvent::Add: CartEvent, _: &mut Ctx<Shop>) -> Result<(), LiveError> {
    ///         self.items += 1;
    ///         Ok(())
    ///     }
    /// #   fn render(&self) -> impl IntoView {
    /// #       view! {
    /// #           <p id="cart">
    /// #               <span id="summary">{format!("{} items, in {}", self.items, self.currency)}</span>
    /// #               <button id="add" lv-click="add" lv-target>"Add"</button>
    /// #           </p>
    /// #       }
    /// #   }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Shop>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.click("#add").await.unwrap();                    // lv-target: to the component
    /// assert_eq!(page.text("#summary").as_deref(), Some("1 items, in EUR"));
    /// # });
    /// ```
    fn handle_event(
        &mut self,
        event: Self::Event,
        ctx: &mut Ctx<Self::Page>,
    ) -> impl Future<Output = Result<(), LiveError>> + Send {
        let _ = (event, ctx);
        async { Err(LiveError::msg("this component takes no events")) }
    }

    /// The component's HTML: one root element, which gets `lv-component="<id>"`.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{live_component, ComponentMount, Ctx, LiveComponent, LiveError, LiveView, Params, RawEvent, Session};
    /// # struct Shop { currency: String }
    /// # impl LiveView for Shop {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Shop { currency: "EUR".into() }) }
    /// #     async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> { self.currency = "USD".into(); Ok(()) }
    /// #     fn render(&self) -> impl IntoView {
    /// #         view! { <button id="usd" lv-click="usd">"USD"</button> {live_component::<Cart>("cart", self.currency.clone())} }
    /// #     }
    /// # }
    /// # #[derive(serde::Deserialize)] #[serde(rename_all = "snake_case")] enum CartEvent { Add }
    /// struct Cart { currency: String, items: u32 }
    ///
    /// impl LiveComponent for Cart {
    /// #   type Page = Shop;
    /// #   type Props = String;
    /// #   type Event = CartEvent;
    /// #   fn mount(currency: &String, _: &mut ComponentMount<'_>) -> Self { Cart { currency: currency.clone(), items: 0 } }
    /// #   fn update(&mut self, currency: String) { self.currency = currency; }
    /// #   async fn handle_event(&mut self, CartEvent::Add: CartEvent, _: &mut Ctx<Shop>) -> Result<(), LiveError> {
    /// #       self.items += 1;
    /// #       Ok(())
    /// #   }
    ///     fn render(&self) -> impl IntoView {
    ///         view! {
    ///             <p id="cart">
    ///                 <span id="summary">{format!("{} items, in {}", self.items, self.currency)}</span>
    ///                 <button id="add" lv-click="add" lv-target>"Add"</button>
    ///             </p>
    ///         }
    ///     }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Shop>::mount(Params::default(), Session::default()).await.unwrap();
    /// assert_eq!(page.attr("#cart", "lv-component").as_deref(), Some("cart"));
    /// # });
    /// ```
    fn render(&self) -> impl IntoView;
}

/// What a component's `mount` gets: the way to make its [`Stream`]s, which work as a page's
/// do (the first items are in the component's first render, later ones travel as stream
/// operations; the server keeps none).
///
/// ```
/// # use leptos_live::{ComponentMount, Stream};
/// # fn f(mount: &mut ComponentMount<'_>) -> Stream<(u32, String)> {
/// let mut lines = mount.stream("log-lines", |l: &(u32, String)| format!("line-{}", l.0));
/// lines.insert((1, "started".into()));
/// # lines }
/// ```
pub struct ComponentMount<'a> {
    streams: &'a mut Vec<Arc<dyn Drain>>,
}

impl ComponentMount<'_> {
    /// Makes a [`Stream`] named `name` (unique within the page): render it inside an element
    /// with `lv-stream="name"`.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{live_component, ComponentMount, Ctx, LiveComponent, LiveError, LiveView, Params, RawEvent, Session, Stream};
    ///
    /// struct Log { lines: Stream<(u32, String)> }
    /// impl LiveComponent for Log {
    ///     type Page = Page;
    ///     type Props = ();
    ///     type Event = RawEvent;
    ///     fn mount(_: &(), mount: &mut ComponentMount<'_>) -> Self {
    ///         let mut lines = mount.stream("log-lines", |l: &(u32, String)| format!("line-{}", l.0));
    ///         lines.insert((1, "started".into()));
    ///         Log { lines }
    ///     }
    ///     fn update(&mut self, _: ()) {}
    ///     fn render(&self) -> impl IntoView {
    ///         view! { <ol lv-stream="log-lines">{self.lines.each(|id, l| view! { <li id=id>{l.1.clone()}</li> })}</ol> }
    ///     }
    /// }
    /// # struct Page;
    /// # impl LiveView for Page {
    /// #     type Message = ();
    /// #     type Event = RawEvent;
    /// #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Page) }
    /// #     fn render(&self) -> impl IntoView { live_component::<Log>("log", ()) }
    /// # }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let page = leptos_live::testing::LiveTest::<Page>::mount(Params::default(), Session::default()).await.unwrap();
    /// assert_eq!(page.texts("li"), ["started"]);
    /// # });
    /// ```
    pub fn stream<T: Send + 'static>(&mut self, name: &str, dom_id: fn(&T) -> String) -> Stream<T> {
        let (stream, drain) = Stream::new(name, dom_id);
        self.streams.push(drain);
        stream
    }
}

/// Renders the component `C` with id `id` and `props` inside a page's view.
///
/// In a live page the component's state is kept between renders and it renders again only
/// when `props` change or it handled an event; outside one (a static render) it is mounted and
/// rendered on the spot. Ids are unique within a page. Components do not nest yet: one rendered
/// inside another's `render` is refused (an error in the log, an empty element in the page).
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::{live_component, ComponentMount, Ctx, LiveComponent, LiveError, LiveView, Params, RawEvent, Session};
///
/// struct Cart { items: u32 }
/// impl LiveComponent for Cart {
///     type Page = Shop;
///     type Props = u32;
///     type Event = RawEvent;
///     fn mount(items: &u32, _: &mut ComponentMount<'_>) -> Self { Cart { items: *items } }
///     fn update(&mut self, items: u32) { self.items = items; }
///     async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Shop>) -> Result<(), LiveError> { Ok(()) }
///     fn render(&self) -> impl IntoView { view! { <aside>{self.items} " items"</aside> } }
/// }
///
/// struct Shop;
/// impl LiveView for Shop {
///     type Message = ();
///     type Event = RawEvent;
///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Shop) }
///     fn render(&self) -> impl IntoView {
///         view! { <main>{live_component::<Cart>("cart", 3)}</main> }
///     }
/// }
/// let html = leptos_live::render_to_string(&Shop).unwrap();
/// assert!(html.starts_with(r#"<main><aside lv-component="cart">3"#), "{html}");
/// ```
#[track_caller]
pub fn live_component<C: LiveComponent>(id: impl Into<String>, props: C::Props) -> AnyView {
    let src = std::panic::Location::caller();
    let id = id.into();
    if use_context::<InComponent>().is_some() {
        tracing::error!(
            component = %id,
            "a LiveComponent rendered inside another; components do not nest (yet): render it from the page"
        );
        return view! { <lv-slot data-error="nested component"></lv-slot> }.into_any();
    }
    match Slots::<C::Page>::current() {
        Some(registry) => {
            let key = registry.place::<C>(&id, props, src);
            view! { <lv-slot data-k=key></lv-slot> }.into_any()
        }
        // A static render: the component's own HTML in place (its root element marked with
        // the id), as a live page shows it.
        None => {
            let mut streams = Vec::new();
            let component = C::mount(
                &props,
                &mut ComponentMount {
                    streams: &mut streams,
                },
            );
            let html = crate::html::view_html(component.render().into_view());
            let html = with_component_id(&html, &id, "");
            // `inner_html` on a custom element is an attribute, not its content: the HTML goes
            // out as it is.
            leptos::tachys::html::InertElement::new(html).into_any()
        }
    }
}
