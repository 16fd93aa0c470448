//! Driving the page from the server's side: events by name, new params, messages, async work and
//! what the page pushed, for tests and benchmarks that need more than a user's actions.

use axum::http::Uri;
use serde_json::Value;

use crate::ctx::Ctx;
use crate::diff::Op;
use crate::error::LiveError;
#[cfg(feature = "internals")]
use crate::page::core::Flow;
use crate::params::Params;
use crate::view::LiveView;

use super::client::Push;

use super::LiveTest;
use super::act::Action;

impl<V: LiveView> LiveTest<V> {
    /// Sends an event, decoded into the page's `Event` type as a socket's would be, and returns
    /// the operations for the client. An event that does not decode is an error
    /// ([`LiveError::UnknownEvent`] or [`LiveError::BadPayload`]) and reaches no handler. When
    /// the handler fails, the page still renders what it changed before failing (as a socket's
    /// client would see it) and the error is returned.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// page.event("add", json!({ "title": "tea" })).await.unwrap();
    /// assert_eq!(page.texts("li.item"), ["milk", "tea"]);
    /// assert!(page.event("fly", json!({})).await.is_err());   // unknown: refused
    /// # });
    /// ```
    pub async fn event(&mut self, name: &str, payload: Value) -> Result<Vec<Op>, LiveError> {
        self.perform(vec![Action::Push(Push {
            name: name.into(),
            payload,
            target: None,
        })])
        .await
    }

    /// The server's side of an event alone, as the page's task runs it (handler, render,
    /// diff, frame), without this client's copy of the page, which is out of date afterwards:
    /// for benchmarks, which time the server. Returns the frames a socket would get.
    #[cfg(feature = "internals")]
    #[doc(hidden)]
    pub async fn event_frames(&mut self, name: &str, payload: Value) -> Vec<String> {
        self.frames(name, payload, None).await
    }

    /// As [`LiveTest::event_frames`], for an event targeted at the component `id`.
    #[cfg(feature = "internals")]
    #[doc(hidden)]
    pub async fn event_to_frames(&mut self, id: &str, name: &str, payload: Value) -> Vec<String> {
        self.frames(name, payload, Some(id.to_string())).await
    }

    #[cfg(feature = "internals")]
    async fn frames(&mut self, name: &str, payload: Value, target: Option<String>) -> Vec<String> {
        self.r += 1;
        let mut frames = super::frames::Frames::default();
        let flow = self
            .core
            .event(self.r, name.into(), payload, target, &mut frames)
            .await;
        self.ended |= matches!(flow, Flow::End);
        frames.0
    }

    /// Sends an event to the page's component `id` (as `lv-target` does) and returns the
    /// operations.
    ///
    /// ```
    /// # use leptos_live::{Params, Session};
    /// use leptos_live::testing::LiveTest;
    /// use leptos_live::testing::examples::Review;   // a page with a component "stars" that counts its events
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = LiveTest::<Review>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.event_to("stars", "star", serde_json::json!({})).await.unwrap();  // as lv-target="stars"
    /// assert_eq!(page.text("b").as_deref(), Some("1"));
    /// # });
    /// ```
    pub async fn event_to(
        &mut self,
        id: &str,
        name: &str,
        payload: Value,
    ) -> Result<Vec<Op>, LiveError> {
        let push = Push {
            name: name.into(),
            payload,
            target: Some(id.into()),
        };
        self.perform(vec![Action::Push(push)]).await
    }

    /// Calls `handle_params` with `params` and `uri`, as a patch of the page's URL would, and
    /// returns the operations.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// page.params(Params::from_pairs([("filter", "open")]), "/?filter=open").await.unwrap();
    /// assert_eq!(page.text("#filter").as_deref(), Some("open"));
    /// # });
    /// ```
    pub async fn params(&mut self, params: Params, uri: &str) -> Result<Vec<Op>, LiveError> {
        let uri: Uri = uri
            .parse()
            .map_err(|_| LiveError::msg(format!("{uri:?} is not a URL")))?;
        self.perform(vec![Action::Params(uri, params)]).await
    }

    /// Waits for the next message sent to the page (timers, other tasks), handles it with
    /// whatever else is queued, as the page task does, and returns the operations; `None` when
    /// no message can arrive any more, or the page has ended.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// let handle = page.ctx().handle();
    /// tokio::spawn(async move { handle.send("from a task".to_string()) });
    /// page.next_info().await.unwrap().unwrap();
    /// assert_eq!(page.texts("li.item"), ["milk", "from a task"]);
    /// # });
    /// ```
    pub async fn next_info(&mut self) -> Option<Result<Vec<Op>, LiveError>> {
        if self.ended {
            return None;
        }
        let msg = self.info.recv().await?;
        self.client.begin();
        let flow = self.core.info(msg, &mut self.info, &mut self.client).await;
        Some(self.outcome(flow))
    }

    /// Handles the messages already queued, and sends the items its feeds left for it
    /// ([`crate::Ctx::feed`]), as the page task would; returns the operations.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// page.send("a".into());
    /// page.send("b".into());
    /// page.drain_info().await.unwrap();                  // both, one render
    /// assert_eq!(page.texts("li.item"), ["milk", "a", "b"]);
    /// # });
    /// ```
    pub async fn drain_info(&mut self) -> Result<Vec<Op>, LiveError> {
        if self.ended {
            return Err(LiveError::msg("the page has ended"));
        }
        // What was broadcast to its feeds so far has reached it.
        self.core.ctx.feeds_settled().await;
        let mut ops = Vec::new();
        while let Ok(msg) = self.info.try_recv() {
            self.client.begin();
            let flow = self.core.info(msg, &mut self.info, &mut self.client).await;
            ops.extend(self.outcome(flow)?);
        }
        // Items its feeds left for it ([`crate::Ctx::feed`]).
        if self.core.ctx.gate().take_nudge() {
            self.client.begin();
            let flow = self.core.fed(&mut self.client);
            ops.extend(self.outcome(flow)?);
        }
        Ok(ops)
    }

    /// Waits for the page's next work to finish ([`crate::Ctx::start_async`],
    /// [`crate::Ctx::assign_async`]), applies its outcome and returns the operations; work cancelled or
    /// replaced meanwhile is skipped. It waits as long as it takes: wrap it in a timeout to
    /// check that nothing arrives.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// page.event("count", json!({})).await.unwrap();
    /// page.next_async().await.unwrap().unwrap();
    /// assert_eq!(page.text("#counted").as_deref(), Some("1"));
    /// # });
    /// ```
    pub async fn next_async(&mut self) -> Option<Result<Vec<Op>, LiveError>> {
        if self.ended {
            return None;
        }
        loop {
            let done = self.work.recv().await;
            if !self.core.ctx.work_mut().is_current(&done) {
                continue;
            }
            self.client.begin();
            let flow = self.core.work_done(done, &mut self.client).await;
            return Some(self.outcome(flow));
        }
    }

    /// Queues a message for `handle_info`, as another task would.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// page.send("bread".into());                          // as another task would
    /// page.drain_info().await.unwrap();
    /// assert!(page.has_text("li.item", "bread"));
    /// # });
    /// ```
    pub fn send(&self, msg: V::Message) {
        let _ = self.core.ctx.handle().send(msg);
    }

    /// The reply and the events the last callbacks pushed and no frame carried yet, taken.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// page.ctx().push_event("ping", json!(1));           // outside a callback: nothing sends it
    /// let pushed = page.take_pushed();
    /// assert_eq!(pushed.events, [("ping".to_string(), json!(1))]);
    /// # });
    /// ```
    pub fn take_pushed(&mut self) -> crate::wire::pushed::Pushed {
        let mut pushed = self.core.ctx.take_pushed();
        pushed.events.splice(0..0, self.take_events());
        if pushed.reply.is_none() {
            pushed.reply = self.take_reply();
        }
        pushed
    }

    /// The stream changes the browser received since the last action, as `(stream, op)` JSON
    /// arrays: `["name","i",at,limit,[[id,html],…]]`, `["name","d",[id,…]]` or `["name","r"]`.
    /// Taken.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, RawEvent, Session, Stream};
    /// use leptos_live::testing::LiveTest;
    ///
    /// struct Log { lines: Stream<(u32, String)> }
    /// impl LiveView for Log {
    ///     type Message = (u32, String);
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         Ok(Log { lines: ctx.stream("lines", |l: &(u32, String)| format!("l{}", l.0)) })
    ///     }
    ///     async fn handle_info(&mut self, line: (u32, String), _: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         self.lines.insert(line);
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         view! { <ol lv-stream="lines">{self.lines.each(|id, l| view! { <li id=id>{l.1.clone()}</li> })}</ol> }
    ///     }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = LiveTest::<Log>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.send((1, "up".into()));
    /// page.drain_info().await.unwrap();
    /// let ops = page.take_stream_ops();
    /// assert_eq!(ops, [serde_json::json!(["lines", "i", -1, 0, [["l1", r#"<li id="l1">up</li>"#]]])]);
    /// # });
    /// ```
    pub fn take_stream_ops(&mut self) -> Vec<Value> {
        let streams = std::mem::take(&mut self.client.streams);
        let mut json = String::new();
        crate::wire::stream_ops::write_json(&streams, &mut json);
        match serde_json::from_str(&json) {
            Ok(Value::Array(v)) => v,
            _ => Vec::new(),
        }
    }

    /// The page's state.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// page.submit("#add", json!({ "title": "eggs" })).await.unwrap();
    /// assert_eq!(page.view().items, ["milk", "eggs"]);
    /// # });
    /// ```
    pub fn view(&self) -> &V {
        &self.core.view
    }

    /// The page's context, as its callbacks see it.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// assert!(page.ctx().connected());
    /// assert!(!page.ctx().async_running("count"));
    /// # });
    /// ```
    pub fn ctx(&mut self) -> &mut Ctx<V> {
        &mut self.core.ctx
    }
}
