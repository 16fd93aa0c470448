//! The browser a [`crate::LiveTest`] stands in for: it takes the page core's frames as the shim
//! does (operations, whole pages, stream changes, pushes), and runs JS commands on its document.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::diff::{Op, apply};
use crate::error::{ErrorCode, LiveError};
use crate::html::tree::Rec;
use crate::html::{Namespace, Tree, inner_html, parse_fragment, parse_fragment_in};
use crate::page::core::Sink;
use crate::stream::{At, StreamOp, StreamOps};
use crate::wire::pushed::{Nav, Pushed};

use super::dom::{Dom, ROOT, Selector};

/// Elements that take focus, as the shim's `focus_first` finds them.
const FOCUSABLE: &str = "a[href],button:not([disabled]),input:not([disabled]):not([type=hidden]),select:not([disabled]),textarea:not([disabled]),[tabindex]:not([tabindex='-1'])";

/// How an element is found again after the server patched the page: by its id, or else by
/// where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    Id(String),
    Path(Vec<usize>),
}

/// What a JS command did to an element; applied again after every frame, as the shim does.
#[derive(Clone, Debug)]
enum Effect {
    Display(String),
    Class(String, bool),
    Attr(String, Option<String>),
}

/// An event for the server that running a binding produced.
#[derive(Clone, Debug)]
pub(crate) struct Push {
    pub name: String,
    pub payload: Value,
    /// The component it is for (`lv-target`).
    pub target: Option<String>,
}

/// The client: what a browser would hold of the page, and what reached it.
pub(crate) struct Client {
    /// The page root's content as frames made it.
    tree: Tree,
    /// That content with what JS commands did, for queries.
    pub dom: Dom,
    sticky: Vec<(Key, String, Effect)>,
    focus: Option<Key>,
    focus_stack: Vec<Option<Key>>,
    /// Operations of the frames since [`Client::begin`].
    pub ops: Vec<Op>,
    /// Errors since [`Client::begin`]: sent ones with their reference, and failures no event
    /// waited on.
    pub errors: Vec<(u64, ErrorCode, String)>,
    /// Events the page pushed, in order, not yet taken.
    pub events: Vec<(String, Value)>,
    /// The reply to the last event that had one.
    pub reply: Option<Value>,
    pub title: Option<String>,
    /// Where the page sent the browser, with the flash sealed for the next page; not yet followed.
    pub nav: Option<(Nav, Option<String>)>,
    /// The URL the browser shows.
    pub url: String,
    /// Stream changes since [`Client::begin`], as the wire has them.
    pub streams: Vec<StreamOps>,
    /// How many bytes of each upload entry the server has written.
    pub written: HashMap<u32, u64>,
    /// Upload entries the server takes no more chunks for, and why.
    pub stopped: HashMap<u32, String>,
}

impl Client {
    pub fn new(url: String) -> Client {
        let tree = parse_fragment("");
        Client {
            dom: Dom::of(&tree),
            tree,
            sticky: Vec::new(),
            focus: None,
            focus_stack: Vec::new(),
            ops: Vec::new(),
            errors: Vec::new(),
            events: Vec::new(),
            reply: None,
            title: None,
            nav: None,
            url,
            streams: Vec::new(),
            written: HashMap::new(),
            stopped: HashMap::new(),
        }
    }

    /// Starts a new step: its operations and errors are collected afresh.
    pub fn begin(&mut self) {
        self.ops.clear();
        self.errors.clear();
    }

    /// The first error of the step, as the page's callbacks would have returned it.
    pub fn step_error(&self) -> Option<LiveError> {
        self.errors.first().map(|(_, code, msg)| match code {
            ErrorCode::UnknownEvent => LiveError::UnknownEvent(msg.clone()),
            ErrorCode::BadPayload => LiveError::BadPayload(msg.clone()),
            _ => LiveError::msg(msg.clone()),
        })
    }

    pub fn html(&self) -> String {
        inner_html(&self.tree)
    }

    /// Takes what a frame pushed.
    fn take(&mut self, pushed: &Pushed) {
        apply_streams(&mut self.tree, &pushed.streams);
        self.streams.extend(pushed.streams.iter().cloned());
        self.events.extend(pushed.events.iter().cloned());
        if pushed.reply.is_some() {
            self.reply = pushed.reply.clone();
        }
        if let Some(t) = &pushed.title {
            self.title = Some(t.clone());
        }
        match &pushed.nav {
            Some(Nav::Patch { to, .. }) => self.url = to.clone(),
            Some(nav) => self.nav = Some((nav.clone(), pushed.flash.clone())),
            None => {}
        }
        self.rebuild();
    }

    /// Makes the document from the tree again, with the JS commands' effects.
    fn rebuild(&mut self) {
        self.dom = Dom::of(&self.tree);
        let sticky = std::mem::take(&mut self.sticky);
        for (key, _, effect) in &sticky {
            if let Some(el) = self.resolve(key) {
                self.apply_effect(el, effect);
            }
        }
        self.sticky = sticky;
    }

    // --- the document ---------------------------------------------------------------------

    /// The elements `selector` matches, in document order.
    ///
    /// # Panics
    /// When the selector does not parse: a test's mistake, told at once.
    pub fn select(&self, selector: &str) -> Vec<usize> {
        match Selector::parse(selector) {
            Ok(s) => self.dom.select(ROOT, &s),
            Err(e) => panic!("{e}"),
        }
    }

    pub fn key(&self, el: usize) -> Key {
        match self.dom.attr(el, "id") {
            Some(id) if !id.is_empty() => Key::Id(id.to_string()),
            _ => Key::Path(self.dom.path(el)),
        }
    }

    pub fn resolve(&self, key: &Key) -> Option<usize> {
        match key {
            Key::Id(id) => self.dom.by_id(id),
            Key::Path(p) => self.dom.at(p).filter(|&n| self.dom.is_element(n)),
        }
    }

    /// The element that has focus.
    pub fn focused(&self) -> Option<usize> {
        self.focus.as_ref().and_then(|k| self.resolve(k))
    }

    pub fn set_focus(&mut self, el: Option<usize>) {
        self.focus = el.map(|e| self.key(e));
    }

    // --- bindings and JS commands ---------------------------------------------------------

    /// Runs `el`'s binding `attr` as the shim's `fire` does: JS commands when it holds them,
    /// else an event with `el`'s `lv-value-*` and `extra`. The events to send come back.
    pub fn fire(&mut self, el: usize, attr: &str, extra: Map<String, Value>) -> Vec<Push> {
        let Some(name) = self.dom.attr(el, attr).map(str::to_string) else {
            return Vec::new();
        };
        if name.starts_with('[') {
            match serde_json::from_str::<Value>(&name) {
                Ok(cmds) => self.run(el, &cmds),
                Err(e) => panic!("{attr} of an element holds JS commands that do not parse: {e}"),
            }
        } else {
            let mut payload = self.values(el);
            payload.extend(extra);
            vec![self.push(el, name, payload)]
        }
    }

    /// An event from `el`: for the component its `lv-target` names, or the page.
    pub fn push(&self, el: usize, name: String, payload: Map<String, Value>) -> Push {
        let target = match self.dom.attr(el, "lv-target") {
            Some("") => self
                .dom
                .closest(el, |e| self.dom.attr(e, "lv-component").is_some())
                .and_then(|c| self.dom.attr(c, "lv-component"))
                .map(str::to_string),
            Some(t) => Some(t.trim_start_matches('#').to_string()),
            None => None,
        };
        Push {
            name,
            payload: Value::Object(payload),
            target,
        }
    }

    /// `el`'s `lv-value-*` attributes.
    pub fn values(&self, el: usize) -> Map<String, Value> {
        self.dom.nodes[el]
            .attrs
            .iter()
            .filter_map(|(n, v)| {
                n.strip_prefix("lv-value-")
                    .map(|k| (k.to_string(), Value::String(v.clone())))
            })
            .collect()
    }

    /// Runs JS commands for `el`; the events they push come back in order.
    pub fn run(&mut self, el: usize, cmds: &Value) -> Vec<Push> {
        let mut pushes = Vec::new();
        for cmd in cmds.as_array().into_iter().flatten() {
            let (Some(op), a) = (cmd.get(0).and_then(Value::as_str), &cmd[1]) else {
                continue;
            };
            let targets = match a.get("to").and_then(Value::as_str) {
                Some(to) => self.select(to),
                None => vec![el],
            };
            match op {
                "push" => {
                    let mut payload = self.values(el);
                    if let Some(Value::Object(v)) = a.get("value") {
                        payload.extend(v.clone());
                    }
                    let name = a["event"].as_str().unwrap_or_default().to_string();
                    pushes.push(self.push(el, name, payload));
                }
                "exec" => {
                    let attr = a["attr"].as_str().unwrap_or_default();
                    for t in targets {
                        if let Some(v) = self.dom.attr(t, attr) {
                            let nested: Value = serde_json::from_str(v).unwrap_or_default();
                            pushes.extend(self.run(t, &nested));
                        }
                    }
                }
                "push_focus" => {
                    let to = if a.get("to").is_some() {
                        targets.first().map(|&t| self.key(t))
                    } else {
                        self.focus.clone()
                    };
                    self.focus_stack.push(to);
                }
                "pop_focus" => {
                    if let Some(f) = self.focus_stack.pop() {
                        self.focus = f;
                    }
                }
                _ => {
                    for t in targets {
                        self.cmd(t, op, a);
                    }
                }
            }
        }
        pushes
    }

    fn cmd(&mut self, t: usize, op: &str, a: &Value) {
        let words = |v: &Value| -> Vec<String> {
            v.as_str()
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect()
        };
        match op {
            "show" | "hide" | "toggle" => {
                let show = op == "show" || (op == "toggle" && self.dom.display_none(t));
                let display = if show {
                    a.get("display").and_then(Value::as_str).unwrap_or("block")
                } else {
                    "none"
                };
                self.sticky(t, "display".into(), Effect::Display(display.into()));
            }
            "add_class" | "remove_class" | "toggle_class" => {
                for n in words(&a["names"]) {
                    let add =
                        op == "add_class" || (op == "toggle_class" && !self.dom.has_class(t, &n));
                    self.sticky(t, format!("class:{n}"), Effect::Class(n, add));
                }
            }
            "set_attribute" => {
                let (n, v) = (a["attr"][0].as_str(), a["attr"][1].as_str());
                if let (Some(n), Some(v)) = (n, v) {
                    self.sticky(
                        t,
                        format!("attr:{n}"),
                        Effect::Attr(n.into(), Some(v.into())),
                    );
                }
            }
            "remove_attribute" => {
                if let Some(n) = a["attr"].as_str() {
                    self.sticky(t, format!("attr:{n}"), Effect::Attr(n.into(), None));
                }
            }
            "toggle_attribute" => {
                if let Some(n) = a["attr"][0].as_str() {
                    let (on, off) = (a["attr"][1].as_str(), a["attr"][2].as_str());
                    let next = if self.dom.attr(t, n) == on { off } else { on };
                    let effect = Effect::Attr(n.into(), next.map(str::to_string));
                    self.sticky(t, format!("attr:{n}"), effect);
                }
            }
            "focus" => self.focus = Some(self.key(t)),
            "focus_first" => {
                let focusable = Selector::parse(FOCUSABLE).ok();
                let first = focusable.and_then(|s| {
                    self.dom
                        .select(t, &s)
                        .into_iter()
                        .find(|&f| self.dom.visible(f))
                });
                if let Some(f) = first {
                    self.focus = Some(self.key(f));
                }
            }
            // Transitions end where they began; dispatched DOM events and ignored attributes
            // have no listeners or patches to act on here.
            _ => {}
        }
    }

    fn sticky(&mut self, el: usize, what: String, effect: Effect) {
        self.apply_effect(el, &effect);
        let key = self.key(el);
        self.sticky.retain(|(k, w, _)| !(k == &key && w == &what));
        self.sticky.push((key, what, effect));
    }

    fn apply_effect(&mut self, el: usize, effect: &Effect) {
        match effect {
            Effect::Display(d) => self.dom.set_display(el, d),
            Effect::Class(n, on) => self.dom.set_class(el, n, *on),
            Effect::Attr(n, Some(v)) => self.dom.set_attr(el, n, v),
            Effect::Attr(n, None) => self.dom.remove_attr(el, n),
        }
    }

    // --- forms ----------------------------------------------------------------------------

    /// The values a browser's `FormData` would give for `form`, as the shim sends them.
    pub fn serialize(&self, form: usize) -> Map<String, Value> {
        let mut out = Map::new();
        let fields = Selector::parse("input[name],select[name],textarea[name]").ok();
        for f in fields
            .map(|s| self.dom.select(form, &s))
            .unwrap_or_default()
        {
            let d = &self.dom;
            if d.attr(f, "disabled").is_some() {
                continue;
            }
            let name = d.attr(f, "name").unwrap_or_default().to_string();
            let value = match d.nodes[f].name.as_str() {
                "textarea" => d.text(f),
                "select" => {
                    let options = Selector::parse("option")
                        .map(|s| d.select(f, &s))
                        .unwrap_or_default();
                    let chosen = options
                        .iter()
                        .find(|&&o| d.attr(o, "selected").is_some())
                        .or(options.first());
                    match chosen {
                        Some(&o) => d.attr(o, "value").map_or_else(|| d.text(o), str::to_string),
                        None => continue,
                    }
                }
                _ => match d.attr(f, "type").unwrap_or("text") {
                    "checkbox" | "radio" if d.attr(f, "checked").is_none() => continue,
                    "checkbox" | "radio" => d.attr(f, "value").unwrap_or("on").to_string(),
                    "file" | "submit" | "button" | "reset" | "image" => continue,
                    _ => d.attr(f, "value").unwrap_or_default().to_string(),
                },
            };
            match out.get_mut(&name) {
                Some(Value::Array(list)) => list.push(Value::String(value)),
                Some(one) => *one = Value::Array(vec![one.take(), Value::String(value)]),
                None => {
                    out.insert(name, Value::String(value));
                }
            }
        }
        out
    }
}

impl Sink for Client {
    fn attached(&self) -> bool {
        true
    }

    fn patch(&mut self, _r: u64, ops: &[Op], pushed: &Pushed) -> bool {
        if let Err(e) = apply(&mut self.tree, ops) {
            panic!("the page's operations do not fit what its client has: {e}");
        }
        self.ops.extend_from_slice(ops);
        self.take(pushed);
        true
    }

    fn page(&mut self, _r: u64, html: &str, _version: u64, pushed: &Pushed) -> bool {
        // Stream items are the browser's: they outlive a whole-page render, not a new page.
        let kept = if pushed.landed.is_none() {
            stream_items(&self.tree)
        } else {
            Vec::new()
        };
        self.tree = parse_fragment(html);
        for (name, items) in kept {
            restore_stream(&mut self.tree, &name, &items);
        }
        self.take(pushed);
        true
    }

    fn error(&mut self, r: u64, code: ErrorCode, message: &str) {
        self.errors.push((r, code, message.to_string()));
    }

    fn upload_ack(&mut self, entry: u32, written: u64) {
        self.written.insert(entry, written);
    }

    fn upload_end(&mut self, entry: u32, why: &str) {
        self.stopped.insert(entry, why.to_string());
    }

    fn failed(&mut self, error: &LiveError) {
        self.errors
            .push((0, ErrorCode::HandlerError, error.to_string()));
    }
}

/// An item of a stream container: its id, if any, and its HTML.
type Item = (Option<String>, String);

/// The stream containers of `tree`, each with its element children.
fn stream_items(tree: &Tree) -> Vec<(String, Vec<Item>)> {
    let mut out = Vec::new();
    fn walk(tree: &Tree, id: u32, out: &mut Vec<(String, Vec<Item>)>) {
        for k in tree.kid_ids(id) {
            let node = tree.node(k);
            let Some(e) = node.as_element() else { continue };
            if let Some(name) = e.attr(crate::diff::STREAM_ATTR) {
                let items = node
                    .children()
                    .iter()
                    .filter_map(|c| {
                        let id = c.as_element()?.attr("id").map(str::to_string);
                        let mut html = String::new();
                        crate::html::outer_html(c, &mut html);
                        Some((id, html))
                    })
                    .collect();
                out.push((name.to_string(), items));
            }
            walk(tree, k, out);
        }
    }
    walk(tree, tree.root_id(), &mut out);
    out
}

/// Puts a stream's old items back after a whole-page render, as the shim's `place` does: the
/// old items in their order, each replaced in place by a rendered item with its id, then the
/// rendered items that are new.
fn restore_stream(tree: &mut Tree, name: &str, old: &[Item]) {
    let Some(c) = container(tree, tree.root_id(), name) else {
        return;
    };
    let rendered: Vec<(Option<String>, Rec)> = tree
        .kid_ids(c)
        .filter(|&k| tree.rec(k).is_element())
        .map(|k| {
            let id = tree.node(k).as_element().and_then(|e| e.attr("id"));
            (id.map(str::to_string), *tree.rec(k))
        })
        .collect();
    let mut kids = Vec::new();
    for (id, html) in old {
        if let Some(rec) = item(tree, c, html) {
            kids.push((id.clone(), rec));
        }
    }
    for (id, rec) in rendered {
        match kids.iter_mut().find(|(k, _)| id.is_some() && *k == id) {
            Some(slot) => slot.1 = rec,
            None => kids.push((id, rec)),
        }
    }
    tree.set_kids(c, kids.into_iter().map(|(_, r)| r).collect());
    tree.rehash_deep();
}

/// A stream item's element, parsed from `html` inside container `c` as the shim parses it, in
/// `tree`'s arena; `None` when the HTML holds no element.
fn item(tree: &mut Tree, c: u32, html: &str) -> Option<Rec> {
    let (ns, ctx) = match tree.node(c).as_element() {
        Some(e) => (e.ns, e.name.to_string()),
        None => (Namespace::Html, "div".to_string()),
    };
    let frag = parse_fragment_in(html, ns, &ctx);
    let first = frag
        .children()
        .iter()
        .position(|n| n.as_element().is_some())?;
    Some(tree.graft(frag)[first])
}

/// The element of `tree` that holds the stream `name`.
fn container(tree: &Tree, id: u32, name: &str) -> Option<u32> {
    for k in tree.kid_ids(id) {
        let e = tree.node(k).as_element();
        if e.and_then(|e| e.attr(crate::diff::STREAM_ATTR)) == Some(name) {
            return Some(k);
        }
        if let Some(found) = container(tree, k, name) {
            return Some(found);
        }
    }
    None
}

/// Applies stream changes to their containers as the shim does: a reset empties one, a delete
/// removes items by id, an insert puts a block at the start or the end (an item whose id is
/// there already is replaced in place) and then keeps the limit.
fn apply_streams(tree: &mut Tree, streams: &[StreamOps]) {
    for s in streams {
        for op in &s.ops {
            let Some(c) = container(tree, tree.root_id(), &s.name) else {
                continue;
            };
            let mut kids: Vec<(Option<String>, Rec)> = tree
                .kid_ids(c)
                .map(|k| {
                    let id = tree.node(k).as_element().and_then(|e| e.attr("id"));
                    (id.map(str::to_string), *tree.rec(k))
                })
                .collect();
            match op {
                StreamOp::Reset => kids.clear(),
                StreamOp::Delete(ids) => {
                    kids.retain(|(id, _)| id.as_ref().is_none_or(|i| !ids.contains(i)))
                }
                StreamOp::Insert { at, limit, items } => {
                    let mut block = Vec::new();
                    for (id, html) in items {
                        let Some(rec) = item(tree, c, html) else {
                            continue;
                        };
                        match kids
                            .iter_mut()
                            .find(|(k, _)| k.as_deref() == Some(id.as_str()))
                        {
                            Some(old) => old.1 = rec,
                            None => block.push((Some(id.clone()), rec)),
                        }
                    }
                    match at {
                        At::Start => {
                            block.append(&mut kids);
                            kids = block;
                        }
                        At::End => kids.append(&mut block),
                    }
                    // The limit counts elements, and evicts them from the other end.
                    let limit = limit.filter(|&l| l > 0).map_or(usize::MAX, |l| l as usize);
                    while kids.iter().filter(|(_, r)| r.is_element()).count() > limit {
                        let victim = match at {
                            At::Start => kids.iter().rposition(|(_, r)| r.is_element()),
                            At::End => kids.iter().position(|(_, r)| r.is_element()),
                        };
                        if let Some(i) = victim {
                            kids.remove(i);
                        }
                    }
                }
            }
            tree.set_kids(c, kids.into_iter().map(|(_, r)| r).collect());
        }
    }
    tree.rehash_deep();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(client: &Client) -> Vec<String> {
        client
            .select("#s > *")
            .into_iter()
            .map(|e| {
                format!(
                    "{}={}",
                    client.dom.attr(e, "id").unwrap_or("?"),
                    client.dom.text(e)
                )
            })
            .collect()
    }

    fn insert(at: At, limit: Option<u32>, items: &[(&str, &str)]) -> Pushed {
        Pushed {
            streams: vec![StreamOps {
                name: "s".into(),
                ops: vec![StreamOp::Insert {
                    at,
                    limit,
                    items: items
                        .iter()
                        .map(|(i, h)| (i.to_string(), h.to_string()))
                        .collect(),
                }],
            }],
            ..Pushed::default()
        }
    }

    #[test]
    fn streams_apply_as_the_shim_applies_them() {
        let mut c = Client::new("/".into());
        c.page(
            0,
            "<ul id=s lv-stream=s>\n<li id=a>A</li>\n</ul>",
            1,
            &Pushed::default(),
        );
        c.patch(
            0,
            &[],
            &insert(
                At::End,
                None,
                &[("b", "<li id=b>B</li>"), ("a", "<li id=a>A2</li>")],
            ),
        );
        assert_eq!(ids(&c), ["a=A2", "b=B"], "same id in place, new at the end");
        // The limit counts elements, not the whitespace between them, and evicts from the
        // other end.
        c.patch(
            0,
            &[],
            &insert(At::Start, Some(2), &[("z", "<li id=z>Z</li>")]),
        );
        assert_eq!(ids(&c), ["z=Z", "a=A2"]);
        // A whole page keeps the items, updates those it renders again, appends the new.
        c.page(
            0,
            "<ul id=s lv-stream=s><li id=a>A3</li><li id=n>N</li></ul>",
            2,
            &Pushed::default(),
        );
        assert_eq!(ids(&c), ["z=Z", "a=A3", "n=N"]);
        // A new page (a navigation landed) starts from its own render.
        let landed = Pushed {
            landed: Some(("token".into(), "/x".into())),
            ..Pushed::default()
        };
        c.page(0, "<ul id=s lv-stream=s></ul>", 1, &landed);
        assert!(ids(&c).is_empty());
    }
}
