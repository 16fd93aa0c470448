//! `LiveTest`: a page driven in-process as a user drives it, without HTTP or a socket, for tests
//! and benchmarks. Behind the `testing` feature: add it to the app's dev-dependency.
//!
//! ```toml
//! [dev-dependencies]
//! leptos_live = { version = "0.1", features = ["testing"] }
//! ```

mod client;
mod dom;
#[cfg(feature = "internals")]
mod frames;

use std::sync::Arc;

use axum::http::Uri;
use serde_json::{Map, Value};
use tokio::sync::mpsc;

use crate::config::LiveConfig;
use crate::ctx::{Ctx, Nav, Services};
use crate::diff::Op;
use crate::error::LiveError;
use crate::flash::Flash;
use crate::page::core::{Core, CoreParts, Flow};
use crate::page::session::{Group, Mounting};
pub use crate::page::task::MountError;
use crate::page::task::{Fresh, Mount, MountArgs, mount_fresh};
use crate::params::{Params, Session};
use crate::server::router::LiveRouter;
use crate::upload::Report;
use crate::view::LiveView;
use crate::wire::url::local_uri;
use crate::work::Queue;

use client::{Client, Key, Push};

/// A mounted page driven as a user drives it, in-process: no HTTP, no socket.
///
/// It runs the production page core (the same handler, navigation, render and diff steps a
/// socket's page task runs, with the default [`LiveConfig`]) and stands in for the browser: it
/// applies the operations, whole pages and stream changes it receives to its own copy of the
/// page, runs JS commands on it, and reads it with CSS selectors. Each action returns the
/// operations the browser received.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::{Ctx, JS, LiveError, LiveView, Params, RawEvent, Session};
/// use leptos_live::testing::LiveTest;
///
/// struct Counter(i64);
/// impl LiveView for Counter {
///     type Message = ();
///     type Event = RawEvent;
///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Counter(0)) }
///     async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
///         self.0 += 1;
///         Ok(())
///     }
///     fn render(&self) -> impl IntoView {
///         view! {
///             <p id="count">{self.0}</p>
///             <button lv-click="inc">"+1"</button>
///             <button id="open" lv-click=JS::new().show("#menu").to_string()>"Menu"</button>
///             <nav id="menu" class="hidden">"…"</nav>
///         }
///     }
/// }
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let mut page = LiveTest::<Counter>::mount(Params::default(), Session::default()).await.unwrap();
/// let ops = page.click_text("button", "+1").await.unwrap();
/// assert_eq!(ops.len(), 1);
/// assert_eq!(page.text("#count").as_deref(), Some("1"));
/// assert!(!page.visible("#menu"));
/// page.click("#open").await.unwrap();
/// assert!(page.visible("#menu"));
/// # });
/// ```
pub struct LiveTest<V: LiveView> {
    core: Core<V>,
    info: mpsc::UnboundedReceiver<V::Message>,
    work: Arc<Queue<V>>,
    client: Client,
    session: Session,
    /// The last event reference sent.
    r: u64,
    /// The page crashed; nothing more reaches it.
    ended: bool,
    /// What the page's upload writers report, once it has uploads.
    reports: Option<mpsc::UnboundedReceiver<Report>>,
}

/// A file for [`LiveTest::upload`], as a user would pick it.
///
/// ```
/// let file = leptos_live::testing::TestFile::new("notes.txt", "text/plain", b"hello".to_vec());
/// assert_eq!(file.bytes.len(), 5);
/// ```
#[derive(Clone, Debug)]
pub struct TestFile {
    /// Its name.
    pub name: String,
    /// Its MIME type, as the browser declares it.
    pub mime: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

impl TestFile {
    /// A file named `name` of type `mime` holding `bytes`.
    pub fn new(name: impl Into<String>, mime: impl Into<String>, bytes: Vec<u8>) -> Self {
        TestFile {
            name: name.into(),
            mime: mime.into(),
            bytes,
        }
    }
}

/// How long [`LiveTest::upload`] waits for a chunk to be written.
const CHUNK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

impl<V: LiveView> LiveTest<V> {
    /// Mounts the page as an HTTP render would, with a PubSub of its own.
    pub async fn mount(params: Params, session: Session) -> Result<Self, MountError> {
        Self::start(
            params,
            session,
            Uri::from_static("/"),
            "/".into(),
            Services::default(),
            None,
            Flash::default(),
        )
        .await
    }

    /// Mounts the page with what `router` gives its pages (its PubSub and extensions), after
    /// the `on_mount` checks of the page's live session, as a browser's request would. A check
    /// that refuses, or a page that leaves as it mounts, gives [`MountError::Redirected`].
    pub async fn mount_in(
        router: &LiveRouter,
        params: Params,
        session: Session,
    ) -> Result<Self, MountError> {
        // A page the router does not route is mounted with its services alone.
        let (pattern, group) = match router.route_of::<V>() {
            Some((p, g)) => (p, Some(g)),
            None => ("/".into(), None),
        };
        Self::start(
            params,
            session,
            Uri::from_static("/"),
            pattern,
            router.services(),
            group,
            Flash::default(),
        )
        .await
    }

    /// Mounts the page `router` serves at `url` (its path and query become the params), after
    /// its live session's checks, as a browser's first request would.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::{Ctx, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
    /// # use leptos_live::testing::LiveTest;
    /// struct Room(String);
    /// impl LiveView for Room {
    ///     type Message = ();
    ///     type Event = RawEvent;
    ///     async fn mount(p: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         Ok(Room(p.get("name").unwrap_or_default().to_string()))
    ///     }
    ///     fn render(&self) -> impl IntoView { view! { <h1>{self.0.clone()}</h1> } }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let router = LiveRouter::new().page::<Room>("/rooms/{name}");
    /// let page = LiveTest::<Room>::get(&router, "/rooms/lobby", Session::default()).await.unwrap();
    /// assert_eq!(page.text("h1").as_deref(), Some("lobby"));
    /// # });
    /// ```
    pub async fn get(router: &LiveRouter, url: &str, session: Session) -> Result<Self, MountError> {
        Self::get_with(router, url, session, Flash::default()).await
    }

    async fn get_with(
        router: &LiveRouter,
        url: &str,
        session: Session,
        flash: Flash,
    ) -> Result<Self, MountError> {
        let (pattern, group) = route_of::<V>(router)?;
        let uri = local_uri(url).map_err(|e| LiveError::msg(format!("{url:?}: {e}")))?;
        let params = Params::for_route(&pattern, &uri).ok_or_else(|| {
            LiveError::msg(format!("{url:?} is not a URL of the page at {pattern:?}"))
        })?;
        Self::start(
            params,
            session,
            uri,
            pattern,
            router.services(),
            Some(group),
            flash,
        )
        .await
    }

    async fn start(
        params: Params,
        session: Session,
        uri: Uri,
        pattern: Arc<str>,
        services: Services,
        group: Option<Arc<Group>>,
        flash: Flash,
    ) -> Result<Self, MountError> {
        let mut checked = Mounting::new(params, session, uri);
        if let Some(group) = group {
            checked = group.check(checked).await.map_err(|halt| {
                let (to, flash) = halt.into_parts();
                MountError::Redirected { to, flash }
            })?;
        }
        let args = MountArgs::checked(&checked, pattern, services, flash, None);
        let (url, keep) = (checked.uri.to_string(), checked.session);
        let fresh = match mount_fresh::<V>(args).await? {
            Mount::Page(fresh) => *fresh,
            Mount::Left { nav, ctx } => {
                return Err(MountError::Redirected {
                    to: nav.to().to_string(),
                    flash: ctx.flash().clone(),
                });
            }
        };
        let Fresh {
            view,
            mut ctx,
            info,
            html,
            pattern,
            uri,
            ..
        } = fresh;
        let work = ctx.take_work_rx().unwrap_or_else(Queue::new);
        let config = LiveConfig::default();
        let mut core = Core::new(CoreParts {
            view,
            ctx,
            html,
            id: Arc::from(url.as_str()),
            keep_tree_above: config.keep_tree_above_bytes,
            hot_window: config.hot_window,
            pattern,
            uri,
        });
        let mut client = Client::new(url);
        core.attach(0, true, None, None, &mut client);
        client.begin();
        Ok(LiveTest {
            core,
            info,
            work,
            client,
            session: keep,
            r: 0,
            ended: false,
            reports: None,
        })
    }

    // --- as a user -------------------------------------------------------------------------

    /// Clicks the first element `selector` matches, as a browser's click does: `lv-click-away`
    /// bindings of shown elements outside it run first; then a link is followed (`lv-patch` runs
    /// `handle_params`; `lv-navigate` and plain links are kept for [`LiveTest::follow`]), or
    /// the nearest `lv-click` runs (JS commands, or an event
    /// with the element's `lv-value-*`), or a submit button submits its form. Returns the
    /// operations the browser received; the first error the page answered with is returned
    /// instead.
    ///
    /// # Panics
    /// When `selector` does not parse.
    pub async fn click(&mut self, selector: &str) -> Result<Vec<Op>, LiveError> {
        let el = self.find(selector, None)?;
        self.click_el(el).await
    }

    /// Clicks the first element `selector` matches whose text contains `text`.
    pub async fn click_text(&mut self, selector: &str, text: &str) -> Result<Vec<Op>, LiveError> {
        let el = self.find(selector, Some(text))?;
        self.click_el(el).await
    }

    /// Types `values` (field name → value) into the form `selector` matches (or into the
    /// element with its own `lv-change`) and sends its `lv-change` event, as the shim does on
    /// input: the form's values with these over them (`null` clears a field, as unticking a
    /// box does), and `_target` naming the field typed into (the last by name when several
    /// are given; a `_target` among `values` says which). What was typed is not kept in the page:
    /// the next call starts again from what the server rendered.
    pub async fn change(&mut self, selector: &str, values: Value) -> Result<Vec<Op>, LiveError> {
        let el = self.find(selector, None)?;
        let given = object(values);
        let dom = &self.client.dom;
        let (owner, mut payload) =
            if dom.attr(el, "lv-change").is_some() && dom.nodes[el].name != "form" {
                let field = dom.attr(el, "name").unwrap_or("value").to_string();
                let value = given.get(&field).cloned().unwrap_or_else(|| {
                    Value::String(dom.attr(el, "value").unwrap_or_default().to_string())
                });
                (el, Map::from_iter([(field, value)]))
            } else {
                let form = self.form_of(el)?;
                let mut payload = self.client.serialize(form);
                overlay(&mut payload, given.clone());
                (form, payload)
            };
        let Some(name) = self.client.dom.attr(owner, "lv-change").map(str::to_string) else {
            return Err(LiveError::msg(format!(
                "{selector:?} has no lv-change binding"
            )));
        };
        let target = given.get("_target").cloned().unwrap_or_else(|| {
            given
                .keys()
                .next_back()
                .cloned()
                .map_or(Value::Null, Value::String)
        });
        payload.insert("_target".into(), target);
        let push = self.client.push(owner, name, payload);
        self.perform(vec![Action::Push(push)]).await
    }

    /// Submits the form `selector` matches (or the form around it), with `values` over what
    /// its fields hold, and sends its `lv-submit` event (or runs its JS commands).
    pub async fn submit(&mut self, selector: &str, values: Value) -> Result<Vec<Op>, LiveError> {
        let el = self.find(selector, None)?;
        let form = self.form_of(el)?;
        let actions = self.submit_actions(form, object(values))?;
        self.perform(actions).await
    }

    /// Presses `key` with focus on the first element `selector` matches: its nearest
    /// `lv-keydown` runs, then the `lv-window-keydown` bindings of shown elements (each only
    /// when its `lv-key`, if any, is this key).
    pub async fn keydown(&mut self, selector: &str, key: &str) -> Result<Vec<Op>, LiveError> {
        let el = self.find(selector, None)?;
        let mut actions = Vec::new();
        if let Some(own) = self
            .client
            .dom
            .closest(el, |e| self.client.dom.attr(e, "lv-keydown").is_some())
            && self.keyed(own, key)
        {
            actions.push(Action::Fire(
                self.client.key(own),
                "lv-keydown",
                key.to_string(),
            ));
        }
        actions.extend(self.window_keys(key));
        self.perform(actions).await
    }

    /// Presses `key` with focus nowhere in particular: only `lv-window-keydown` bindings hear it.
    pub async fn press(&mut self, key: &str) -> Result<Vec<Op>, LiveError> {
        let actions = self.window_keys(key);
        self.perform(actions).await
    }

    /// Picks `files` in the file input `selector` (`lv-upload`) and uploads them as the shim
    /// does: the server checks the list first (accept, size, count), then each accepted file
    /// goes in chunks of the input's `lv-chunk` size, each sent once the last was written. The
    /// bytes go at once, as with auto-upload or the form's submit. Returns the operations the
    /// browser received; refusals show in the page, as for a user.
    ///
    /// ```
    /// # use leptos::prelude::*;
    /// # use leptos_live::*;
    /// struct Avatar;
    /// impl LiveView for Avatar {
    ///     type Message = ();
    ///     type Event = RawEvent;
    ///     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
    ///         ctx.allow_upload("avatar", UploadConfig::new().accept([".txt"]));
    ///         Ok(Avatar)
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         let up = upload("avatar");
    ///         let done = up.entries.iter().filter(|e| e.done).count();
    ///         view! { <LiveFileInput upload=up id="file" /><p id="done">{done}</p> }
    ///     }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = LiveTest::<Avatar>::mount(Params::default(), Session::default()).await.unwrap();
    /// let file = TestFile::new("a.txt", "text/plain", vec![b'x'; 200_000]);
    /// page.upload("#file", &[file]).await.unwrap();
    /// assert_eq!(page.text("#done").as_deref(), Some("1"));
    /// # });
    /// ```
    pub async fn upload(
        &mut self,
        selector: &str,
        files: &[TestFile],
    ) -> Result<Vec<Op>, LiveError> {
        if self.ended {
            return Err(LiveError::msg("the page has ended"));
        }
        let el = self.find(selector, None)?;
        let dom = &self.client.dom;
        let Some(name) = dom.attr(el, "lv-upload").map(str::to_string) else {
            return Err(LiveError::msg(format!(
                "{selector:?} is not an upload's file input"
            )));
        };
        let size = dom
            .attr(el, "lv-chunk")
            .and_then(|c| c.parse().ok())
            .unwrap_or(64 * 1024)
            .clamp(1, crate::upload::MAX_CHUNK_SIZE);
        self.client.begin();
        self.r += 1;
        let metas = files
            .iter()
            .map(|f| (f.name.clone(), f.bytes.len() as u64, f.mime.clone()))
            .collect();
        self.client.reply = None;
        let flow = self.core.upload(self.r, &name, metas, &mut self.client);
        let mut ops = self.outcome(flow)?;
        let ids: Vec<u32> = self
            .client
            .reply
            .take()
            .and_then(|r| serde_json::from_value(r).ok())
            .unwrap_or_default();
        if self.reports.is_none() {
            self.reports = self.core.ctx.take_upload_reports();
        }
        for (file, &id) in files.iter().zip(&ids) {
            // Refused at the check (0), or nothing to send.
            if id == 0 || file.bytes.is_empty() {
                continue;
            }
            let mut at = 0;
            while at < file.bytes.len() && !self.client.stopped.contains_key(&id) {
                let end = (at + size).min(file.bytes.len());
                let mut frame = Vec::with_capacity(crate::wire::protocol::CHUNK_HEADER + end - at);
                frame.push(1);
                frame.extend_from_slice(&id.to_be_bytes());
                frame.extend_from_slice(&(at as u64).to_be_bytes());
                frame.extend_from_slice(&file.bytes[at..end]);
                self.client.begin();
                let flow = self.core.chunk(frame.into(), &mut self.client);
                ops.extend(self.outcome(flow)?);
                ops.extend(self.written(id, end as u64).await?);
                at = end;
            }
        }
        Ok(ops)
    }

    /// Takes the writers' reports until entry `id` has `n` bytes written, or stopped.
    async fn written(&mut self, id: u32, n: u64) -> Result<Vec<Op>, LiveError> {
        let mut ops = Vec::new();
        while self.client.written.get(&id).is_none_or(|&w| w < n)
            && !self.client.stopped.contains_key(&id)
        {
            let Some(reports) = self.reports.as_mut() else {
                return Err(LiveError::msg("the page has no uploads"));
            };
            let report = match tokio::time::timeout(CHUNK_WAIT, reports.recv()).await {
                Ok(Some(report)) => report,
                Ok(None) => return Err(LiveError::msg("the upload's writers are gone")),
                Err(_) => {
                    return Err(LiveError::msg(format!(
                        "entry {id}: no chunk written within {CHUNK_WAIT:?}"
                    )));
                }
            };
            self.client.begin();
            let flow = self.core.upload_report(report, &mut self.client);
            ops.extend(self.outcome(flow)?);
        }
        Ok(ops)
    }

    // --- what the user sees ---------------------------------------------------------------

    /// The text of the first element `selector` matches, its whitespace collapsed; `None`
    /// when nothing matches.
    pub fn text(&self, selector: &str) -> Option<String> {
        self.client
            .select(selector)
            .first()
            .map(|&e| squash(&self.client.dom.text(e)))
    }

    /// The texts of every element `selector` matches, whitespace collapsed.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let dom = &self.client.dom;
        self.client
            .select(selector)
            .into_iter()
            .map(|e| squash(&dom.text(e)))
            .collect()
    }

    /// Whether some element matches `selector`.
    pub fn has(&self, selector: &str) -> bool {
        !self.client.select(selector).is_empty()
    }

    /// Whether some element matching `selector` contains `text`.
    pub fn has_text(&self, selector: &str, text: &str) -> bool {
        self.find(selector, Some(text)).is_ok()
    }

    /// How many elements match `selector`.
    pub fn count(&self, selector: &str) -> usize {
        self.client.select(selector).len()
    }

    /// The attribute `name` of the first element `selector` matches, JS commands' changes
    /// included.
    pub fn attr(&self, selector: &str, name: &str) -> Option<String> {
        let el = *self.client.select(selector).first()?;
        self.client.dom.attr(el, name).map(str::to_string)
    }

    /// Whether the first element `selector` matches is displayed: neither it nor an ancestor
    /// has an inline `display: none` (as `hide` sets), or, without an inline display, the
    /// `hidden` attribute or class. False when nothing matches.
    pub fn visible(&self, selector: &str) -> bool {
        self.client
            .select(selector)
            .first()
            .is_some_and(|&e| self.client.dom.visible(e))
    }

    /// Whether the element that has focus (moved by the `focus`, `focus_first` and
    /// `pop_focus` commands) matches `selector`.
    pub fn focused(&self, selector: &str) -> bool {
        self.client
            .focused()
            .is_some_and(|f| self.client.select(selector).contains(&f))
    }

    /// The page's HTML as the browser has it from the server (stream items included; what JS
    /// commands changed is not).
    pub fn html(&self) -> String {
        self.client.html()
    }

    /// What the server keeps of the page: its last render as sent (stream items leave it once
    /// sent).
    pub fn server_html(&self) -> String {
        self.core.sent.html().to_string()
    }

    /// The URL the browser shows: where the page was mounted, or its last patch.
    pub fn url(&self) -> &str {
        &self.client.url
    }

    /// The document title the page last set ([`Ctx::page_title`]).
    pub fn title(&self) -> Option<&str> {
        self.client.title.as_deref()
    }

    /// Where the page sent the browser away to ([`Ctx::push_navigate`], [`Ctx::redirect`], an
    /// `lv-navigate` link, or a plain link as [`Nav::Redirect`]), not yet followed.
    pub fn navigated(&self) -> Option<&Nav> {
        self.client.nav.as_ref().map(|(n, _)| n)
    }

    /// Follows the navigation the page asked for to the page `W` that `router` serves there,
    /// with the flash it carries, as the browser would; the new page's test comes back.
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

    /// The events the page pushed ([`Ctx::push_event`]) since the last call, in order.
    pub fn take_events(&mut self) -> Vec<(String, Value)> {
        std::mem::take(&mut self.client.events)
    }

    /// The last reply the page gave an event ([`Ctx::reply`]), taken.
    pub fn take_reply(&mut self) -> Option<Value> {
        self.client.reply.take()
    }

    // --- as the server's other parts ------------------------------------------------------

    /// Sends an event, decoded into the page's `Event` type as a socket's would be, and returns
    /// the operations for the client. An event that does not decode is an error
    /// ([`LiveError::UnknownEvent`] or [`LiveError::BadPayload`]) and reaches no handler. When
    /// the handler fails, the page still renders what it changed before failing (as a socket's
    /// client would see it) and the error is returned.
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
        self.r += 1;
        let mut frames = frames::Frames::default();
        let flow = self
            .core
            .event(self.r, name.into(), payload, None, &mut frames)
            .await;
        self.ended |= matches!(flow, Flow::End);
        frames.0
    }

    /// Sends an event to the page's component `id` (as `lv-target` does) and returns the
    /// operations.
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
    pub async fn params(&mut self, params: Params, uri: &str) -> Result<Vec<Op>, LiveError> {
        let uri: Uri = uri
            .parse()
            .map_err(|_| LiveError::msg(format!("{uri:?} is not a URL")))?;
        self.perform(vec![Action::Params(uri, params)]).await
    }

    /// Waits for the next message sent to the page (timers, other tasks), handles it with
    /// whatever else is queued, as the page task does, and returns the operations; `None` when
    /// no message can arrive any more, or the page has ended.
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
    /// ([`Ctx::feed`]), as the page task would; returns the operations.
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
        // Items its feeds left for it ([`Ctx::feed`]).
        if self.core.ctx.gate().take_nudge() {
            self.client.begin();
            let flow = self.core.fed(&mut self.client);
            ops.extend(self.outcome(flow)?);
        }
        Ok(ops)
    }

    /// Waits for the page's next work to finish ([`Ctx::start_async`],
    /// [`Ctx::assign_async`]), applies its outcome and returns the operations; work cancelled or
    /// replaced meanwhile is skipped. It waits as long as it takes: wrap it in a timeout to
    /// check that nothing arrives.
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
    pub fn send(&self, msg: V::Message) {
        let _ = self.core.ctx.handle().send(msg);
    }

    /// The reply and the events the last callbacks pushed and no frame carried yet, taken.
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
    pub fn view(&self) -> &V {
        &self.core.view
    }

    /// The page's context, as its callbacks see it.
    pub fn ctx(&mut self) -> &mut Ctx<V> {
        &mut self.core.ctx
    }

    // --- the steps ------------------------------------------------------------------------

    fn find(&self, selector: &str, text: Option<&str>) -> Result<usize, LiveError> {
        let dom = &self.client.dom;
        self.client
            .select(selector)
            .into_iter()
            .find(|&e| text.is_none_or(|t| dom.text(e).contains(t)))
            .ok_or_else(|| match text {
                Some(t) => {
                    LiveError::msg(format!("no element matches {selector:?} with text {t:?}"))
                }
                None => LiveError::msg(format!("no element matches {selector:?}")),
            })
    }

    fn form_of(&self, el: usize) -> Result<usize, LiveError> {
        let dom = &self.client.dom;
        dom.closest(el, |e| dom.nodes[e].name == "form")
            .ok_or_else(|| LiveError::msg("the element is not in a form"))
    }

    fn keyed(&self, el: usize, key: &str) -> bool {
        self.client
            .dom
            .attr(el, "lv-key")
            .is_none_or(|k| k.eq_ignore_ascii_case(key))
    }

    fn window_keys(&self, key: &str) -> Vec<Action> {
        let dom = &self.client.dom;
        self.client
            .select("[lv-window-keydown]")
            .into_iter()
            .filter(|&e| dom.visible(e) && self.keyed(e, key))
            .map(|e| Action::Fire(self.client.key(e), "lv-window-keydown", key.to_string()))
            .collect()
    }

    fn submit_actions(
        &mut self,
        form: usize,
        given: Map<String, Value>,
    ) -> Result<Vec<Action>, LiveError> {
        let Some(name) = self.client.dom.attr(form, "lv-submit").map(str::to_string) else {
            return Err(LiveError::msg("the form has no lv-submit binding"));
        };
        if name.starts_with('[') {
            return Ok(vec![Action::Fire(
                self.client.key(form),
                "lv-submit",
                String::new(),
            )]);
        }
        let mut payload = self.client.serialize(form);
        payload.extend(self.client.values(form));
        overlay(&mut payload, given);
        Ok(vec![Action::Push(self.client.push(form, name, payload))])
    }

    async fn click_el(&mut self, el: usize) -> Result<Vec<Op>, LiveError> {
        let dom = &self.client.dom;
        let mut actions: Vec<Action> = self
            .client
            .select("[lv-click-away]")
            .into_iter()
            .filter(|&a| dom.visible(a) && !dom.contains(a, el))
            .map(|a| Action::Fire(self.client.key(a), "lv-click-away", String::new()))
            .collect();
        let link = dom.closest(el, |e| {
            dom.nodes[e].name == "a" && dom.attr(e, "href").is_some()
        });
        let submit = dom.closest(el, |e| {
            dom.nodes[e].name == "button" && matches!(dom.attr(e, "type"), None | Some("submit"))
        });
        // A click focuses what takes focus, as a browser's does.
        let focusable = dom.closest(el, |e| {
            matches!(
                dom.nodes[e].name.as_str(),
                "a" | "button" | "input" | "select" | "textarea"
            ) || dom.attr(e, "tabindex").is_some()
        });
        self.client.set_focus(focusable);
        let dom = &self.client.dom;
        let live =
            |a: usize| dom.attr(a, "lv-patch").is_some() || dom.attr(a, "lv-navigate").is_some();
        let binding = dom.closest(el, |e| dom.attr(e, "lv-click").is_some());
        // A binding inside a link runs rather than the link (as the shim's listener, on the
        // root, finds it first), unless the link is live.
        let link = link.filter(|&a| live(a) || binding.is_none_or(|b| dom.contains(b, a)));
        if let Some(a) = link {
            let href = dom.attr(a, "href").unwrap_or_default().to_string();
            let kind = if dom.attr(a, "lv-patch").is_some() {
                LinkKind::Patch
            } else if live(a) {
                LinkKind::Navigate
            } else {
                LinkKind::Load
            };
            actions.push(Action::Link(href, kind));
        } else if let Some(b) = dom.closest(el, |e| dom.attr(e, "lv-click").is_some()) {
            actions.push(Action::Fire(self.client.key(b), "lv-click", String::new()));
        } else if let Some(b) = submit
            && let Some(form) = dom.closest(b, |e| dom.nodes[e].name == "form")
        {
            actions.extend(self.submit_actions(form, Map::new())?);
        }
        self.perform(actions).await
    }

    /// Runs the actions in order, each against the page as the ones before left it.
    async fn perform(&mut self, actions: Vec<Action>) -> Result<Vec<Op>, LiveError> {
        if self.ended {
            return Err(LiveError::msg("the page has ended"));
        }
        self.client.begin();
        let mut queue: std::collections::VecDeque<Action> = actions.into();
        while let Some(action) = queue.pop_front() {
            let flow = match action {
                Action::Fire(el, attr, key) => {
                    let extra = if key.is_empty() {
                        Map::new()
                    } else {
                        Map::from_iter([("key".to_string(), Value::String(key))])
                    };
                    let pushes = match self.client.resolve(&el) {
                        Some(el) => self.client.fire(el, attr, extra),
                        // The element left the page meanwhile: its binding is gone with it.
                        None => Vec::new(),
                    };
                    for p in pushes.into_iter().rev() {
                        queue.push_front(Action::Push(p));
                    }
                    Flow::Continue
                }
                Action::Push(p) => {
                    self.r += 1;
                    let payload = match p.payload {
                        Value::Null => Value::Object(Map::new()),
                        other => other,
                    };
                    self.core
                        .event(self.r, p.name, payload, p.target, &mut self.client)
                        .await
                }
                Action::Params(uri, params) => {
                    self.r += 1;
                    // The browser's URL moves first; a patch the page answers with moves it on.
                    self.client.url = uri.to_string();
                    self.core
                        .patch_url(self.r, uri, params, &mut self.client)
                        .await
                }
                Action::Link(href, kind) => {
                    let local = local_uri(&href).ok();
                    let target = local.clone().and_then(|uri| {
                        Params::for_route(&self.core.pattern, &uri).map(|p| (uri, p))
                    });
                    let nav = match (kind, target) {
                        (LinkKind::Patch, Some((uri, params))) => {
                            queue.push_front(Action::Params(uri, params));
                            None
                        }
                        (LinkKind::Load, _) => Some(Nav::Redirect {
                            external: local.is_none(),
                            to: href,
                        }),
                        _ => Some(Nav::Navigate {
                            to: href,
                            replace: false,
                        }),
                    };
                    if let Some(nav) = nav {
                        self.client.nav = Some((nav, None));
                    }
                    Flow::Continue
                }
            };
            if flow == Flow::End {
                self.ended = true;
                break;
            }
        }
        self.result()
    }

    /// The step's result, after a core step that went `flow`.
    fn outcome(&mut self, flow: Flow) -> Result<Vec<Op>, LiveError> {
        if flow == Flow::End {
            self.ended = true;
        }
        self.result()
    }

    /// The step's operations, or the first error the page answered with.
    fn result(&mut self) -> Result<Vec<Op>, LiveError> {
        match self.client.step_error() {
            Some(e) => Err(e),
            None => Ok(std::mem::take(&mut self.client.ops)),
        }
    }
}

/// What a user's action comes to, step by step.
enum Action {
    /// Run an element's binding (with the key pressed, for key bindings); the element is found
    /// again when its turn comes, as the actions before it may have changed the page.
    Fire(Key, &'static str, String),
    Push(Push),
    /// A new URL of this page.
    Params(Uri, Params),
    /// A link: its `href`, and what following it does.
    Link(String, LinkKind),
}

/// What following a link does.
#[derive(Clone, Copy)]
enum LinkKind {
    /// `lv-patch`: a new URL of this page (or a navigation, when another page's).
    Patch,
    /// `lv-navigate`: the next page over the same socket.
    Navigate,
    /// A plain link: a full load.
    Load,
}

/// The route pattern and live session `router` serves `V` with.
fn route_of<V: LiveView>(router: &LiveRouter) -> Result<(Arc<str>, Arc<Group>), MountError> {
    router.route_of::<V>().ok_or_else(|| {
        MountError::Failed(LiveError::msg(format!(
            "the router serves no page of type {}",
            std::any::type_name::<V>()
        )))
    })
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// `given` over `fields`: a `null` clears a field (an unchecked box sends nothing).
fn overlay(fields: &mut Map<String, Value>, given: Map<String, Value>) {
    for (k, v) in given {
        if v.is_null() {
            fields.remove(&k);
        } else {
            fields.insert(k, v);
        }
    }
}

/// Whitespace runs as one space, none at the ends: text as a reader sees it.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
