//! Work off the page's task (`start_async`, `assign_async`) and the page's components
//! (`send_update`).

use std::future::Future;

use super::Ctx;
use crate::component::LiveComponent;
use crate::error::LiveError;
use crate::view::LiveView;
use crate::work::{AsyncFailed, AsyncResult};

impl<V: LiveView> Ctx<V> {
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
    ///
    /// ```
    /// use std::time::Duration;
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session};
    ///
    /// struct Export { state: &'static str }
    /// impl LiveView for Export {
    ///     type Message = ();
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         Ok(Export { state: "idle" })
    ///     }
    ///     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         match e.name.as_str() {
    ///             "start" => {
    ///                 let slow = async { tokio::time::sleep(Duration::from_secs(3600)).await };
    ///                 ctx.start_async("export", slow, |page: &mut Export, _, _| {
    ///                     page.state = "done";
    ///                     Ok(())
    ///                 });
    ///                 self.state = "running";
    ///             }
    ///             "cancel" => {
    ///                 ctx.cancel_async("export");                // its outcome never arrives
    ///                 self.state = "cancelled";
    ///             }
    ///             _ => {}
    ///         }
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView { view! { <p>{self.state}</p> } }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Export>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.event("start", serde_json::json!({})).await.unwrap();
    /// page.event("cancel", serde_json::json!({})).await.unwrap();
    /// assert_eq!(page.text("p").as_deref(), Some("cancelled"));
    /// # });
    /// ```
    pub fn cancel_async(&mut self, key: &str) {
        self.work.cancel(key);
    }

    /// Whether work runs under `key`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session};
    ///
    /// struct Export { state: &'static str }
    /// impl LiveView for Export {
    ///     type Message = ();
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         Ok(Export { state: "idle" })
    ///     }
    ///     async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         match e.name.as_str() {
    ///             "start" => {
    ///                 let slow = async { tokio::time::sleep(Duration::from_secs(3600)).await };
    ///                 ctx.start_async("export", slow, |page: &mut Export, _, _| {
    ///                     page.state = "done";
    ///                     Ok(())
    ///                 });
    ///                 self.state = "running";
    ///             }
    ///             "status" => self.state = if ctx.async_running("export") { "still running" } else { "not running" },
    ///             _ => {}
    ///         }
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView { view! { <p>{self.state}</p> } }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Export>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.event("status", serde_json::json!({})).await.unwrap();
    /// assert_eq!(page.text("p").as_deref(), Some("not running"));
    /// page.event("start", serde_json::json!({})).await.unwrap();
    /// page.event("status", serde_json::json!({})).await.unwrap();
    /// assert_eq!(page.text("p").as_deref(), Some("still running"));
    /// # });
    /// ```
    pub fn async_running(&self, key: &str) -> bool {
        self.work.is_running(key)
    }

    /// Gives the component `id` new props (its `update` runs now) and renders it again with the
    /// page. The page's own renders update it again only when the props they pass change.
    /// False when the page renders no such component.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{live_component, ComponentMount, Ctx, LiveComponent, LiveError, LiveView, Params, RawEvent, Session};
    ///
    /// struct Badge { count: u32 }
    /// impl LiveComponent for Badge {
    ///     type Page = Inbox;
    ///     type Props = u32;
    ///     type Event = RawEvent;
    ///     fn mount(count: &u32, _: &mut ComponentMount<'_>) -> Self { Badge { count: *count } }
    ///     fn update(&mut self, count: u32) { self.count = count; }
    ///     async fn handle_event(&mut self, _: RawEvent, ctx: &mut Ctx<Inbox>) -> Result<(), LiveError> {
    ///         let me = ctx.component_id().unwrap_or_default().to_string();   // "badge"
    ///         ctx.push_event("seen", serde_json::json!({ "by": me }));
    ///         self.count = 0;
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         view! { <button id="badge" lv-click="seen" lv-target>{self.count}</button> }
    ///     }
    /// }
    ///
    /// struct Inbox;
    /// impl LiveView for Inbox {
    ///     type Message = ();
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Inbox) }
    ///     async fn handle_event(&mut self, _: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         ctx.send_update::<Badge>("badge", 5);       // new props without the page's state
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         view! { {live_component::<Badge>("badge", 1)} <button id="mail" lv-click="mail">"New mail"</button> }
    ///     }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Inbox>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.click("#mail").await.unwrap();
    /// assert_eq!(page.text("#badge").as_deref(), Some("5"));
    /// page.click("#badge").await.unwrap();
    /// assert_eq!(page.text("#badge").as_deref(), Some("0"));
    /// assert_eq!(page.take_events(), [("seen".to_string(), serde_json::json!({ "by": "badge" }))]);
    /// # });
    /// ```
    pub fn send_update<C: LiveComponent<Page = V>>(&mut self, id: &str, props: C::Props) -> bool {
        self.components.update::<C>(id, props)
    }

    /// The id of the component whose `handle_event` is running, if one is.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{live_component, ComponentMount, Ctx, LiveComponent, LiveError, LiveView, Params, RawEvent, Session};
    ///
    /// struct Badge { count: u32 }
    /// impl LiveComponent for Badge {
    ///     type Page = Inbox;
    ///     type Props = u32;
    ///     type Event = RawEvent;
    ///     fn mount(count: &u32, _: &mut ComponentMount<'_>) -> Self { Badge { count: *count } }
    ///     fn update(&mut self, count: u32) { self.count = count; }
    ///     async fn handle_event(&mut self, _: RawEvent, ctx: &mut Ctx<Inbox>) -> Result<(), LiveError> {
    ///         let me = ctx.component_id().unwrap_or_default().to_string();   // "badge"
    ///         ctx.push_event("seen", serde_json::json!({ "by": me }));
    ///         self.count = 0;
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         view! { <button id="badge" lv-click="seen" lv-target>{self.count}</button> }
    ///     }
    /// }
    ///
    /// struct Inbox;
    /// impl LiveView for Inbox {
    ///     type Message = ();
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Inbox) }
    ///     async fn handle_event(&mut self, _: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         ctx.send_update::<Badge>("badge", 5);       // new props without the page's state
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         view! { {live_component::<Badge>("badge", 1)} <button id="mail" lv-click="mail">"New mail"</button> }
    ///     }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = leptos_live::testing::LiveTest::<Inbox>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.click("#mail").await.unwrap();
    /// assert_eq!(page.text("#badge").as_deref(), Some("5"));
    /// page.click("#badge").await.unwrap();
    /// assert_eq!(page.text("#badge").as_deref(), Some("0"));
    /// assert_eq!(page.take_events(), [("seen".to_string(), serde_json::json!({ "by": "badge" }))]);
    /// # });
    /// ```
    pub fn component_id(&self) -> Option<&str> {
        self.current_component.as_deref()
    }
}
