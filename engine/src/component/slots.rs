//! The slots a page keeps for its components: each component's state and last HTML, keyed by
//! id, placed into the page's render by marker and taken out again; and the targeted events that
//! reach one component.

use std::any::Any;
use std::collections::{HashMap, HashSet};
use std::panic::Location;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use futures_util::FutureExt as _;
use futures_util::future::BoxFuture;
use leptos::prelude::*;
use serde_json::Value;

use crate::ctx::Ctx;
use crate::error::LiveError;
use crate::stream::Drain;
use crate::view::LiveView;
use crate::wire::decode::{self, DecodeErrorKind};

use super::{ComponentMount, LiveComponent};

/// Where a component's HTML lies in a page's HTML, and whether the render that made that HTML
/// rendered it again (else it is the HTML the page had, unread).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Part {
    pub id: Arc<str>,
    pub at: usize,
    pub len: usize,
    pub fresh: bool,
}

/// The components of a page render, in document order: where they were in the HTML the page
/// had before it (`before`) and where they are in the new (`after`), for a diff that skips
/// the unchanged ones ([`crate::page::sent::Sent::advance_parts`]). Only when every component
/// is placed once, in the same order, in both.
pub(crate) struct Arrangement {
    pub before: Vec<Part>,
    pub after: Vec<Part>,
}

/// A component rendered again alone: `new` takes the place of the `old_len` bytes at
/// `at` in the page's HTML.
pub(crate) struct HtmlSplice {
    pub at: usize,
    pub old_len: usize,
    pub new: String,
}

/// A component behind its type.
trait Erased<V: LiveView>: Send {
    fn as_any(&mut self) -> &mut dyn Any;
    fn handle<'a>(
        &'a mut self,
        name: &'a str,
        payload: &'a Value,
        ctx: &'a mut Ctx<V>,
    ) -> BoxFuture<'a, Result<(), LiveError>>;
    /// Its HTML as it renders now, `lv-component` in its root.
    fn render(&mut self, id: &str) -> String;
}

struct Instance<C: LiveComponent> {
    state: C,
    /// The props of the page's last render of it.
    props: C::Props,
    /// Where the page renders it, kept only under debug annotations.
    src: Option<&'static Location<'static>>,
}

impl<C: LiveComponent> Erased<C::Page> for Instance<C> {
    fn as_any(&mut self) -> &mut dyn Any {
        self
    }

    fn render(&mut self, id: &str) -> String {
        let html = Owner::new().with(|| {
            provide_context(InComponent);
            crate::debug::annotating(self.src.is_some(), || {
                crate::html::view_html(self.state.render().into_view())
            })
        });
        match self.src {
            None => with_component_id(&html, id, ""),
            Some(src) => {
                let note = annotation(std::any::type_name::<C>(), src);
                with_component_id(&html, id, &note)
            }
        }
    }

    fn handle<'a>(
        &'a mut self,
        name: &'a str,
        payload: &'a Value,
        ctx: &'a mut Ctx<C::Page>,
    ) -> BoxFuture<'a, Result<(), LiveError>> {
        async move {
            let event = decode::from_event::<C::Event>(name, payload).map_err(|e| {
                tracing::warn!(event = %name, error = %e, "component event did not decode");
                match e.kind {
                    DecodeErrorKind::UnknownEvent => LiveError::UnknownEvent(name.to_string()),
                    DecodeErrorKind::BadPayload => {
                        LiveError::BadPayload(format!("event {name:?} did not decode"))
                    }
                }
            })?;
            self.state.handle_event(event, ctx).await
        }
        .boxed()
    }
}

struct Slot<V: LiveView> {
    component: Box<dyn Erased<V>>,
    /// The HTML of its last render, `lv-component` in its root.
    html: String,
    /// Its state changed since that render.
    dirty: bool,
    /// The page render that last showed it.
    seen: u64,
    /// Its place among the components of the page's HTML as last sent (an index into
    /// `Components::offsets`): known when the page's last render placed it once (ids are unique
    /// in a page; a page that breaks that renders the component with itself).
    place: Option<usize>,
}

impl<V: LiveView> Slot<V> {
    /// Renders the component again when its state changed since its last render; true when it
    /// did.
    fn refresh(&mut self, id: &str) -> bool {
        let dirty = std::mem::take(&mut self.dirty);
        if dirty {
            self.html = self.component.render(id);
        }
        dirty
    }
}

/// The components of one page.
pub(crate) struct Components<V: LiveView> {
    slots: HashMap<Arc<str>, Slot<V>>,
    /// The page render under way.
    render: u64,
    /// The component of each marker this page render put in its HTML, by the marker's key.
    placed_ids: Vec<Arc<str>>,
    /// Where each component's HTML starts in the page's HTML as last sent, in document order.
    offsets: Vec<usize>,
    /// The components marked for rendering since the page's last render (by an event or an
    /// update), with repeats.
    touched: Vec<Arc<str>>,
    /// Marks no page content can produce: a random prefix per page.
    nonce: String,
    /// How many times a component rendered, for tests.
    renders: u64,
    /// Streams components made since the page last took them.
    streams: Vec<Arc<dyn Drain>>,
    /// The components of the HTML the page had when this render began, in document order
    /// (empty when some were placed twice).
    before: Vec<Part>,
    /// Whether each entry of `placed_ids` was rendered again by this render.
    placed_fresh: Vec<bool>,
    /// The arrangement of the last render, until the page core takes it.
    arrangement: Option<Arrangement>,
    /// Lazy components the page rendered as their placeholder this render.
    waiting: HashSet<Arc<str>>,
    /// Lazy components the browser revealed: rendered for real from then on, while the page
    /// renders them.
    revealed: HashSet<Arc<str>>,
    /// Renders carry debug annotations ([`crate::LiveConfig::debug_annotations`]).
    annotate: bool,
}

/// The components of a page, as the page's view reaches them while rendering.
pub(crate) struct Slots<V: LiveView>(Arc<PageComponents<V>>);

/// A page's registry. Its components' state is made when the first is placed: most pages
/// have none, and keep a word for it instead of the few hundred bytes of an empty one.
struct PageComponents<V: LiveView> {
    annotate: bool,
    components: OnceLock<Box<Mutex<Components<V>>>>,
}

impl<V: LiveView> Clone for Slots<V> {
    fn clone(&self) -> Self {
        Slots(self.0.clone())
    }
}

impl<V: LiveView> Slots<V> {
    /// No components yet; with `annotate`, renders carry debug annotations.
    pub(crate) fn new(annotate: bool) -> Self {
        Slots(Arc::new(PageComponents {
            annotate,
            components: OnceLock::new(),
        }))
    }

    /// Whether renders carry debug annotations.
    pub(crate) fn annotates(&self) -> bool {
        self.0.annotate
    }
}

impl<V: LiveView> Components<V> {
    fn new(annotate: bool) -> Self {
        // The nonce is made on the first component.
        let nonce = String::new();
        Components {
            slots: HashMap::new(),
            render: 0,
            placed_ids: Vec::new(),
            offsets: Vec::new(),
            touched: Vec::new(),
            nonce,
            renders: 0,
            streams: Vec::new(),
            waiting: HashSet::new(),
            revealed: HashSet::new(),
            before: Vec::new(),
            placed_fresh: Vec::new(),
            arrangement: None,
            annotate,
        }
    }
}

impl<V: LiveView> Slots<V> {
    /// The components, made now if none was placed yet.
    fn lock(&self) -> MutexGuard<'_, Components<V>> {
        let annotate = self.0.annotate;
        let components =
            (self.0.components).get_or_init(|| Box::new(Mutex::new(Components::new(annotate))));
        // Nothing is left half-done under this lock by a panic: recover it.
        components.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The components, if one was ever placed: what a page without any has nothing to do.
    fn existing(&self) -> Option<MutexGuard<'_, Components<V>>> {
        let components = self.0.components.get()?;
        Some(components.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Runs `render` with this registry as the one [`live_component`] finds (a thread-local,
    /// cheaper than a reactive context: a page render is synchronous, on one thread).
    pub(crate) fn rendering<R>(&self, render: impl FnOnce() -> R) -> R {
        let mine: Arc<dyn Any + Send + Sync> = self.0.clone();
        let before = CURRENT.with(|c| c.replace(Some(mine)));
        // Put back what was there however `render` ends (a panic included).
        struct Restore(Option<Arc<dyn Any + Send + Sync>>);
        impl Drop for Restore {
            fn drop(&mut self) {
                let before = self.0.take();
                CURRENT.with(|c| *c.borrow_mut() = before);
            }
        }
        let _restore = Restore(before);
        crate::debug::annotating(self.annotates(), render)
    }

    /// The registry of the page rendering on this thread, if it is a page of type `V`.
    pub(super) fn current() -> Option<Slots<V>> {
        let any = CURRENT.with(|c| c.borrow().clone())?;
        any.downcast::<PageComponents<V>>().ok().map(Slots)
    }

    /// Starts a page render.
    pub(crate) fn begin(&self) {
        let Some(mut c) = self.existing() else {
            return;
        };
        c.render += 1;
        c.placed_ids.clear();
        c.placed_fresh.clear();
        c.touched.clear();
        c.waiting.clear();
        c.arrangement = None;
        // Where each component is in the HTML the page has now: its place and its HTML's
        // length (a component's HTML is the page's until it renders again).
        let Components {
            slots,
            offsets,
            before,
            ..
        } = &mut *c;
        before.clear();
        let mut found = vec![None; offsets.len()];
        for (id, slot) in slots.iter() {
            if let Some(i) = slot.place
                && let (Some(f), Some(&at)) = (found.get_mut(i), offsets.get(i))
            {
                *f = Some(Part {
                    id: id.clone(),
                    at,
                    len: slot.html.len(),
                    fresh: false,
                });
            }
        }
        if found.iter().all(Option::is_some) {
            before.extend(found.into_iter().flatten());
        }
    }

    /// The arrangement of the render that just finished, once; `None` when its components cannot be
    /// matched with the ones before it.
    pub(crate) fn take_arrangement(&self) -> Option<Arrangement> {
        self.existing()?.arrangement.take()
    }

    /// For a lazy component `id` in this render: true once the browser revealed it (render it),
    /// false while its placeholder stands (which reveals it).
    pub(super) fn revealed(&self, id: &str) -> bool {
        let mut c = self.lock();
        if c.revealed.contains(id) {
            return true;
        }
        c.waiting.insert(id.into());
        false
    }

    /// The browser revealed the lazy component `id`: the next render mounts and renders it.
    /// False when the page's last render showed no placeholder of that id.
    pub(crate) fn reveal(&self, id: &str) -> bool {
        let Some(mut c) = self.existing() else {
            return false;
        };
        match c.waiting.take(id) {
            Some(id) => c.revealed.insert(id),
            None => false,
        }
    }

    /// Ends a page render: puts each component's HTML where the page rendered it and drops the
    /// components the page no longer renders.
    pub(crate) fn finish(&self, html: String) -> String {
        let Some(mut c) = self.existing() else {
            return html;
        };
        let render = c.render;
        c.slots.retain(|id, slot| {
            let keep = slot.seen == render;
            if !keep {
                tracing::debug!(component = %id, "no longer rendered; dropped");
            }
            keep
        });
        // A revealed component the page no longer renders is lazy again if it comes back.
        let Components {
            slots, revealed, ..
        } = &mut *c;
        revealed.retain(|id| slots.contains_key(id));
        if c.placed_ids.is_empty() {
            return html;
        }
        // One pass: copy the page's HTML, putting each component's where its marker is (read
        // from its slot: placing it copied nothing).
        let start = format!("<lv-slot data-k=\"{}-", c.nonce);
        let end = "\"></lv-slot>";
        fn piece_of<V: LiveView>(c: &Components<V>, k: usize) -> Option<&str> {
            let id = c.placed_ids.get(k)?;
            c.slots.get(id).map(|slot| slot.html.as_str())
        }
        let size = html.len()
            + (0..c.placed_ids.len())
                .filter_map(|k| piece_of(&c, k))
                .map(str::len)
                .sum::<usize>();
        let mut out = String::with_capacity(size);
        let mut rest = html.as_str();
        let mut starts = Vec::with_capacity(c.placed_ids.len());
        while let Some(at) = rest.find(&start) {
            let after = &rest[at + start.len()..];
            let piece = after.find(end).and_then(|n| {
                let k: usize = after[..n].parse().ok()?;
                Some((piece_of(&c, k)?, k, n))
            });
            match piece {
                Some((piece, k, n)) => {
                    out.push_str(&rest[..at]);
                    starts.push((k, out.len()));
                    out.push_str(piece);
                    rest = &after[n + end.len()..];
                }
                None => {
                    out.push_str(&rest[..at + start.len()]);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        let Components {
            slots,
            placed_ids,
            placed_fresh,
            offsets,
            before,
            arrangement,
            ..
        } = &mut *c;
        for slot in slots.values_mut() {
            slot.place = None;
        }
        offsets.clear();
        let mut placed = std::collections::HashMap::<&Arc<str>, Option<usize>>::new();
        let mut after = Vec::with_capacity(starts.len());
        for (k, at) in starts {
            if let Some(id) = placed_ids.get(k) {
                // Twice in one page: no one place.
                let i = offsets.len();
                placed
                    .entry(id)
                    .and_modify(|place| *place = None)
                    .or_insert(Some(i));
                offsets.push(at);
                after.push(Part {
                    id: id.clone(),
                    at,
                    len: slots.get(id).map_or(0, |slot| slot.html.len()),
                    fresh: placed_fresh.get(k).copied().unwrap_or(true),
                });
            }
        }
        let once = placed.values().all(Option::is_some);
        for (id, place) in placed {
            if let Some(slot) = slots.get_mut(id) {
                slot.place = place;
            }
        }
        let same =
            before.len() == after.len() && before.iter().zip(&after).all(|(b, a)| b.id == a.id);
        if once && same && !after.is_empty() {
            *arrangement = Some(Arrangement {
                before: std::mem::take(before),
                after,
            });
        }
        c.placed_ids.clear();
        out
    }

    /// Renders the component `id` for this page render (mounting it, or updating it when its
    /// props changed, and rendering only then or when it is dirty) and returns the key of the
    /// marker the page's HTML holds in its place.
    pub(super) fn place<C: LiveComponent<Page = V>>(
        &self,
        id: &str,
        props: C::Props,
        src: &'static Location<'static>,
    ) -> String {
        let mut c = self.lock();
        if c.nonce.is_empty() {
            c.nonce = crate::wire::ids::hex(6);
        }
        let render = c.render;
        let key: Arc<str> = id.into();
        let existing = c.slots.get_mut(&key).and_then(|slot| {
            slot.component
                .as_any()
                .downcast_mut::<Instance<C>>()
                .is_some()
                .then_some(slot)
        });
        let fresh = existing.is_none();
        if fresh {
            let mut mount = ComponentMount {
                streams: &mut c.streams,
            };
            let entry = Instance::<C> {
                state: C::mount(&props, &mut mount),
                props: props.clone(),
                src: c.annotate.then_some(src),
            };
            c.slots.insert(
                key.clone(),
                Slot {
                    component: Box::new(entry),
                    html: String::new(),
                    dirty: true,
                    seen: render,
                    place: None,
                },
            );
        }
        let Some(slot) = c.slots.get_mut(&key) else {
            return String::new();
        };
        slot.seen = render;
        if let Some(entry) = slot.component.as_any().downcast_mut::<Instance<C>>()
            && entry.props != props
        {
            entry.state.update(props.clone());
            entry.props = props;
            slot.dirty = true;
        }
        let rendered = slot.refresh(id);
        if rendered {
            c.renders += 1;
        }
        let k = c.placed_ids.len();
        c.placed_ids.push(key);
        c.placed_fresh.push(rendered);
        marker_key(&c.nonce, k)
    }

    /// Gives the component `id` new props; it renders with the page's next render. The props
    /// the page renders it with are kept apart: the page's next render updates it again only
    /// when those change.
    pub(crate) fn update<C: LiveComponent<Page = V>>(&self, id: &str, props: C::Props) -> bool {
        let Some(mut c) = self.existing() else {
            return false;
        };
        let Some(slot) = c.slots.get_mut(id) else {
            return false;
        };
        let Some(entry) = slot.component.as_any().downcast_mut::<Instance<C>>() else {
            return false;
        };
        entry.state.update(props);
        slot.dirty = true;
        c.touched.push(id.into());
        true
    }

    /// Takes the component `id` out while it handles an event (no lock is held meanwhile).
    fn take(&self, id: &str) -> Option<(Arc<str>, Slot<V>)> {
        self.existing()?.slots.remove_entry(id)
    }

    fn put_back(&self, id: Arc<str>, mut slot: Slot<V>) {
        slot.dirty = true;
        let mut c = self.lock();
        c.touched.push(id.clone());
        c.slots.insert(id, slot);
    }

    /// Runs `f` on the component `id` of type `C`, out of the registry meanwhile, and marks it
    /// for rendering; nothing when there is no such component.
    pub(crate) fn with<C: LiveComponent<Page = V>, R: Default>(
        &self,
        id: &str,
        ctx: &mut Ctx<V>,
        f: impl FnOnce(&mut C, &mut Ctx<V>) -> R,
    ) -> R {
        let Some((key, mut slot)) = self.take(id) else {
            return R::default();
        };
        let out = slot
            .component
            .as_any()
            .downcast_mut::<Instance<C>>()
            .map(|entry| f(&mut entry.state, ctx))
            .unwrap_or_default();
        self.put_back(key, slot);
        out
    }

    /// The component `id` rendered again alone, as a splice into the page's last HTML (`page`),
    /// when it alone changed since the page's last render: the page need not render. `None`
    /// when another component changed too, or when `id` has no one place in that render (not
    /// in it, or in it twice); the page renders then.
    pub(crate) fn render_alone(&self, id: &str, page: &str) -> Option<HtmlSplice> {
        let mut c = self.existing()?;
        let render = c.render;
        let Components {
            slots,
            offsets,
            touched,
            renders,
            ..
        } = &mut *c;
        if touched
            .iter()
            .any(|k| **k != *id && slots.get(k).is_some_and(|s| s.dirty))
        {
            return None;
        }
        let slot = slots.get_mut(id)?;
        if slot.seen != render || !slot.dirty || slot.html.is_empty() {
            return None;
        }
        let old_len = slot.html.len();
        // Where the page's last render put it, as the page still has it.
        let place = slot.place?;
        let at = *offsets.get(place)?;
        if page.get(at..at + old_len) != Some(slot.html.as_str()) {
            return None;
        }
        slot.refresh(id);
        let new = slot.html.clone();
        for o in offsets.iter_mut().skip(place + 1) {
            *o = *o + new.len() - old_len;
        }
        touched.clear();
        *renders += 1;
        Some(HtmlSplice { at, old_len, new })
    }

    /// The streams components made since the last call: their first items are in the render
    /// just made.
    pub(crate) fn take_streams(&self) -> Vec<Arc<dyn Drain>> {
        self.existing()
            .map(|mut c| std::mem::take(&mut c.streams))
            .unwrap_or_default()
    }

    /// How many times components of this page rendered.
    #[cfg(any(test, feature = "testing"))]
    pub(crate) fn renders(&self) -> u64 {
        self.existing().map_or(0, |c| c.renders)
    }
}

/// Sends the event `name` to the component `id` of the page; the page renders after.
pub(crate) async fn handle_event<V: LiveView>(
    ctx: &mut Ctx<V>,
    id: &str,
    name: &str,
    payload: &Value,
) -> Result<(), LiveError> {
    let registry = ctx.components().clone();
    let Some((key, mut slot)) = registry.take(id) else {
        return Err(LiveError::UnknownEvent(format!(
            "{name} for component {id:?}, which the page does not render"
        )));
    };
    ctx.set_component(Some(key.clone()));
    let result = slot.component.handle(name, payload, ctx).await;
    ctx.set_component(None);
    registry.put_back(key, slot);
    result
}

thread_local! {
    /// The components of the page rendering on this thread.
    static CURRENT: std::cell::RefCell<Option<Arc<dyn Any + Send + Sync>>> =
        const { std::cell::RefCell::new(None) };
}

/// Set while a component renders: a component inside it is refused, not nested.
#[derive(Clone, Copy)]
pub(super) struct InComponent;

fn marker_key(nonce: &str, k: usize) -> String {
    format!("{nonce}-{k}")
}

/// The debug annotation of a component of type `name` rendered at `src`, as attributes.
pub(super) fn annotation(name: &str, src: &Location<'_>) -> String {
    let mut out = String::from(" data-lv-component=\"");
    crate::html::escape(name, true, &mut out);
    out.push_str("\" data-lv-src=\"");
    crate::html::escape(&src.to_string(), true, &mut out);
    out.push('"');
    out
}

/// `html` with `lv-component="id"` and `more` (attributes, or nothing) added to its first
/// element.
pub(super) fn with_component_id(html: &str, id: &str, more: &str) -> String {
    let start = html
        .match_indices('<')
        .map(|(i, _)| i)
        .find(|&i| html[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic()));
    let Some(start) = start else {
        tracing::warn!(
            component = id,
            "a component renders no element; lv-target cannot find it"
        );
        return html.to_string();
    };
    let name_end = html[start + 1..]
        .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .map_or(html.len(), |n| start + 1 + n);
    let mut attr = String::from(" lv-component=\"");
    crate::html::escape(id, true, &mut attr);
    attr.push('"');
    attr.push_str(more);
    let mut out = String::with_capacity(html.len() + attr.len());
    out.push_str(&html[..name_end]);
    out.push_str(&attr);
    out.push_str(&html[name_end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How the page's HTML holds the place of a component, as `finish` looks for it.
    fn marker(nonce: &str, k: usize) -> String {
        format!("<lv-slot data-k=\"{}\"></lv-slot>", marker_key(nonce, k))
    }

    #[test]
    fn leptos_renders_the_marker_as_it_is_looked_for() {
        let key = marker_key("ab12", 3);
        let html = view! { <lv-slot data-k=key></lv-slot> }.to_html();
        assert_eq!(html, marker("ab12", 3));
    }

    #[test]
    fn the_root_element_gets_the_id() {
        assert_eq!(
            with_component_id("<li class=\"a\">x</li>", "c1", ""),
            "<li lv-component=\"c1\" class=\"a\">x</li>"
        );
        assert_eq!(
            with_component_id("<!-- c --><div>x</div>", "a\"b", ""),
            "<!-- c --><div lv-component=\"a&quot;b\">x</div>"
        );
        assert_eq!(with_component_id("text", "c", ""), "text");
        let note = annotation("app::Row", Location::caller());
        assert!(note.starts_with(
            " data-lv-component=\"app::Row\" data-lv-src=\"engine/src/component/slots.rs:"
        ));
        assert_eq!(
            with_component_id("<li>x</li>", "c1", " data-x=\"1\""),
            "<li lv-component=\"c1\" data-x=\"1\">x</li>"
        );
    }
}
