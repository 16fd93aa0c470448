//! Acting as a user: clicks, changes, submits, keys and uploads, and the steps each comes to
//! (bindings run, links followed, JS commands applied), as a browser would take them.

use axum::http::Uri;
use serde_json::{Map, Value};

use crate::ctx::Nav;
use crate::diff::Op;
use crate::error::LiveError;
use crate::page::core::Flow;
use crate::params::Params;
use crate::view::LiveView;
use crate::wire::url::local_uri;

use super::client::{Key, Push};

use super::{CHUNK_WAIT, LiveTest, TestFile};

impl<V: LiveView> LiveTest<V> {
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
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// page.click("#clear").await.unwrap();
    /// assert_eq!(page.count("li.item"), 0);
    /// page.click("#menu-button").await.unwrap();        // JS commands run on the page's copy
    /// assert!(page.visible("#menu"));
    /// # });
    /// ```
    pub async fn click(&mut self, selector: &str) -> Result<Vec<Op>, LiveError> {
        let el = self.find(selector, None)?;
        self.click_el(el).await
    }

    /// Clicks the first element `selector` matches whose text contains `text`.
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// page.click_text("button", "Clear all").await.unwrap();
    /// assert!(!page.has("li.item"));
    /// # });
    /// ```
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
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// page.change("#add", json!({ "title": "eggs" })).await.unwrap();
    /// assert_eq!(page.text("#draft").as_deref(), Some("eggs"));
    /// # });
    /// ```
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
    /// assert_eq!(page.texts("li.item"), ["milk", "eggs"]);
    /// let refused = page.submit("#add", json!({ "title": "" })).await.unwrap_err();
    /// assert_eq!(refused.to_string(), "a title, please");
    /// # });
    /// ```
    pub async fn submit(&mut self, selector: &str, values: Value) -> Result<Vec<Op>, LiveError> {
        let el = self.find(selector, None)?;
        let form = self.form_of(el)?;
        let actions = self.submit_actions(form, object(values))?;
        self.perform(actions).await
    }

    /// Presses `key` with focus on the first element `selector` matches: its nearest
    /// `lv-keydown` runs, then the `lv-window-keydown` bindings of shown elements (each only
    /// when its `lv-key`, if any, is this key).
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// page.keydown("#search", "a").await.unwrap();          // lv-key="Escape": nothing happens
    /// assert_eq!(page.count("li.item"), 1);
    /// page.keydown("#search", "Escape").await.unwrap();
    /// assert_eq!(page.count("li.item"), 0);
    /// # });
    /// ```
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
    ///
    /// ```
    /// # use leptos_live::{LiveRouter, Params, Session};
    /// # use leptos_live::testing::LiveTest;
    /// # use leptos_live::testing::examples::{AllDone, Todos};
    /// # use serde_json::json;
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// # let mut page = LiveTest::<Todos>::mount(Params::default(), Session::default()).await.unwrap();
    /// // On the to-do page of `testing::examples::Todos` (items in `li.item`, a form `#add`):
    /// page.click("#menu-button").await.unwrap();
    /// page.press("Escape").await.unwrap();                // the menu's lv-window-keydown
    /// assert!(!page.visible("#menu"));
    /// # });
    /// ```
    pub async fn press(&mut self, key: &str) -> Result<Vec<Op>, LiveError> {
        let actions = self.window_keys(key);
        self.perform(actions).await
    }

    /// Runs the binding `binding` of the first element `selector` matches, as the shim runs it
    /// when its moment comes, which a test cannot wait for: `lv-poll` when its interval
    /// passes, `lv-viewport-top` / `lv-viewport-bottom` when the element's first / last child
    /// comes into view (a [`crate::component::lazy_component`]'s placeholder included),
    /// `lv-mounted` when the element arrives, `lv-connected` / `lv-disconnected` when the
    /// socket comes back / drops. JS commands run on the page's copy; an event goes to the
    /// page (or the component `lv-target` names). Returns the operations the browser received.
    ///
    /// # Panics
    /// When `selector` does not parse.
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::{Ctx, LiveError, LiveView, Params, Session};
    /// use leptos_live::testing::LiveTest;
    ///
    /// /// Checks for news every ten seconds while the tab is shown.
    /// struct Inbox { checks: u32 }
    /// #[derive(serde::Deserialize)]
    /// #[serde(rename_all = "snake_case")]
    /// enum Event { Check }
    /// impl LiveView for Inbox {
    ///     type Message = ();
    ///     type Event = Event;
    ///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Inbox { checks: 0 }) }
    ///     async fn handle_event(&mut self, Event::Check: Event, _: &mut Ctx<Self>) -> Result<(), LiveError> {
    ///         self.checks += 1;
    ///         Ok(())
    ///     }
    ///     fn render(&self) -> impl IntoView {
    ///         view! { <p id="checks" lv-poll="check" lv-poll-every="10000">{self.checks}</p> }
    ///     }
    /// }
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// let mut page = LiveTest::<Inbox>::mount(Params::default(), Session::default()).await.unwrap();
    /// page.trigger("#checks", "lv-poll").await.unwrap();      // ten seconds pass
    /// assert_eq!(page.text("#checks").as_deref(), Some("1"));
    /// # });
    /// ```
    pub async fn trigger(
        &mut self,
        selector: &str,
        binding: &'static str,
    ) -> Result<Vec<Op>, LiveError> {
        let el = self.find(selector, None)?;
        let key = self.client.key(el);
        self.perform(vec![Action::Fire(key, binding, String::new())])
            .await
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
    /// # use leptos_live::testing::{LiveTest, TestFile};
    /// # use leptos_live::upload::{LiveFileInput, UploadConfig, upload};
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
    pub(super) async fn written(&mut self, id: u32, n: u64) -> Result<Vec<Op>, LiveError> {
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

    // --- the steps ------------------------------------------------------------------------

    pub(super) fn find(&self, selector: &str, text: Option<&str>) -> Result<usize, LiveError> {
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

    pub(super) fn form_of(&self, el: usize) -> Result<usize, LiveError> {
        let dom = &self.client.dom;
        dom.closest(el, |e| dom.nodes[e].name == "form")
            .ok_or_else(|| LiveError::msg("the element is not in a form"))
    }

    pub(super) fn keyed(&self, el: usize, key: &str) -> bool {
        self.client
            .dom
            .attr(el, "lv-key")
            .is_none_or(|k| k.eq_ignore_ascii_case(key))
    }

    pub(super) fn window_keys(&self, key: &str) -> Vec<Action> {
        let dom = &self.client.dom;
        self.client
            .select("[lv-window-keydown]")
            .into_iter()
            .filter(|&e| dom.visible(e) && self.keyed(e, key))
            .map(|e| Action::Fire(self.client.key(e), "lv-window-keydown", key.to_string()))
            .collect()
    }

    pub(super) fn submit_actions(
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

    pub(super) async fn click_el(&mut self, el: usize) -> Result<Vec<Op>, LiveError> {
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
    pub(super) async fn perform(&mut self, actions: Vec<Action>) -> Result<Vec<Op>, LiveError> {
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
    pub(super) fn outcome(&mut self, flow: Flow) -> Result<Vec<Op>, LiveError> {
        if flow == Flow::End {
            self.ended = true;
        }
        self.result()
    }

    /// The step's operations, or the first error the page answered with.
    pub(super) fn result(&mut self) -> Result<Vec<Op>, LiveError> {
        match self.client.step_error() {
            Some(e) => Err(e),
            None => Ok(std::mem::take(&mut self.client.ops)),
        }
    }
}

/// What a user's action comes to, step by step.
pub(super) enum Action {
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
pub(super) enum LinkKind {
    /// `lv-patch`: a new URL of this page (or a navigation, when another page's).
    Patch,
    /// `lv-navigate`: the next page over the same socket.
    Navigate,
    /// A plain link: a full load.
    Load,
}

pub(super) fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// `given` over `fields`: a `null` clears a field (an unchecked box sends nothing).
pub(super) fn overlay(fields: &mut Map<String, Value>, given: Map<String, Value>) {
    for (k, v) in given {
        if v.is_null() {
            fields.remove(&k);
        } else {
            fields.insert(k, v);
        }
    }
}

/// Whitespace runs as one space, none at the ends: text as a reader sees it.
pub(super) fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
