//! `LiveHandle`: a cloneable handle any task holds to send a running page messages.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::Ctx;
use crate::component::LiveComponent;
use crate::view::LiveView;
use crate::work::{Done, Queue};

/// A cloneable handle to a running page: any task can send it a message for `handle_info`.
///
/// ```no_run
/// # use leptos_live::LiveView;
/// # use leptos_live::ctx::LiveHandle;
/// # async fn demo<V: LiveView<Message = String>>(handle: LiveHandle<V>) {
/// if handle.send("hello".to_string()).is_err() {
///     // The page has ended.
/// }
/// # }
/// ```
pub struct LiveHandle<V: LiveView> {
    pub(super) tx: mpsc::UnboundedSender<V::Message>,
    /// The page's own queue for what the engine applies on its task (component updates).
    pub(super) engine: Option<Arc<Queue<V>>>,
}

impl<V: LiveView> Clone for LiveHandle<V> {
    fn clone(&self) -> Self {
        LiveHandle {
            tx: self.tx.clone(),
            engine: self.engine.clone(),
        }
    }
}

/// The page a message was sent to has ended.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::ctx::PageGone;
/// use leptos_live::testing::LiveTest;
/// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session};
///
/// struct Inbox { unread: u32 }
/// impl LiveView for Inbox {
///     type Message = u32;
///     type Event = RawEvent;
///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Inbox { unread: 0 }) }
///     async fn handle_info(&mut self, n: u32, _: &mut Ctx<Self>) -> Result<(), LiveError> {
///         self.unread += n;
///         Ok(())
///     }
///     fn render(&self) -> impl IntoView { view! { <p>{self.unread}</p> } }
/// }
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let mut page = LiveTest::<Inbox>::mount(Params::default(), Session::default()).await.unwrap();
/// let handle = page.ctx().handle();                         // what a page hands its tasks
/// drop(page);
/// assert!(matches!(handle.send(1), Err(PageGone)));
/// # });
/// ```
#[derive(Debug, thiserror::Error)]
#[error("the page has ended")]
pub struct PageGone;

impl<V: LiveView> LiveHandle<V> {
    pub(crate) fn new(tx: mpsc::UnboundedSender<V::Message>) -> Self {
        LiveHandle { tx, engine: None }
    }

    /// Gives the page's component `id` new props, from any task (see [`Ctx::send_update`]).
    ///
    /// ```no_run
    /// # use leptos_live::LiveComponent;
    /// # use leptos_live::ctx::LiveHandle;
    /// # fn f<C: LiveComponent<Props = u32>>(handle: LiveHandle<C::Page>) {
    /// let _ = handle.send_update::<C>("unread", 3);
    /// # }
    /// ```
    pub fn send_update<C: LiveComponent<Page = V>>(
        &self,
        id: impl Into<String>,
        props: C::Props,
    ) -> Result<(), PageGone> {
        let id = id.into();
        let engine = self.engine.as_ref().ok_or(PageGone)?;
        engine
            .send(Done::engine(Box::new(move |_, ctx: &mut Ctx<V>| {
                ctx.send_update::<C>(&id, props);
                Ok(())
            })))
            .map_err(|_| PageGone)
    }

    /// Queues a message for the page. The queue is unbounded, like a process mailbox: the page
    /// handles queued messages in batches, rendering once per batch.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::ctx::PageGone;
    /// use leptos_live::testing::LiveTest;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session};
    ///
    /// struct Inbox { unread: u32 }
    /// impl LiveView for Inbox {
    ///     type Message = u32;
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Inbox { unread: 0 }) }
    ///     async fn handle_info(&mut self, n: u32, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         self.unread += n;
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView { view! { <p>{self.unread}</p> } }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = LiveTest::<Inbox>::mount(Params::default(), Session::default()).await.unwrap();
    /// let handle = page.ctx().handle();                         // what a page hands its tasks
    /// handle.send(2).unwrap();
    /// handle.send(3).unwrap();
    /// page.drain_info().await.unwrap();                          // one batch, one render
    /// assert_eq!(page.text("p").as_deref(), Some("5"));
    /// # });
    /// ```
    pub fn send(&self, msg: V::Message) -> Result<(), PageGone> {
        self.tx.send(msg).map_err(|_| PageGone)
    }

    /// Whether the page is still running.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::ctx::PageGone;
    /// use leptos_live::testing::LiveTest;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session};
    ///
    /// struct Inbox { unread: u32 }
    /// impl LiveView for Inbox {
    ///     type Message = u32;
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Inbox { unread: 0 }) }
    ///     async fn handle_info(&mut self, n: u32, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         self.unread += n;
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView { view! { <p>{self.unread}</p> } }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = LiveTest::<Inbox>::mount(Params::default(), Session::default()).await.unwrap();
    /// let handle = page.ctx().handle();                         // what a page hands its tasks
    /// assert!(handle.is_alive());
    /// drop(page);
    /// assert!(!handle.is_alive());
    /// # });
    /// ```
    pub fn is_alive(&self) -> bool {
        !self.tx.is_closed()
    }
}
