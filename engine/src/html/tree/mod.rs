//! The node tree: what the engine keeps of a rendered page, equal to the browser's DOM.
//!
//! A [`Tree`] is an arena. Its nodes are records in one list; the children of a node stand
//! next to each other in it, as a range; every string (names, values, texts) is a range of one
//! text buffer. A parse thus allocates a handful of times, however many nodes the page has, and
//! dropping a tree frees three buffers. [`Node`], [`Element`] and [`Children`] are borrowed
//! views into a tree.
//!
//! Edits (a region reparse, applied operations) write the changed lists anew at the end of the
//! arena; what they replace stays behind until the tree is compacted, which happens once the
//! dead records outnumber the live ones.

use std::fmt;

use super::string::Str;

/// The namespace an element lives in, as the HTML parser assigns it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Namespace {
    /// Ordinary HTML elements.
    Html,
    /// Elements inside `<svg>`.
    Svg,
    /// Elements inside `<math>`.
    MathMl,
}

/// An unknown source position.
pub(crate) const NO_SPAN: u32 = u32::MAX;

/// The position `v` moved by `delta`; an unknown one stays unknown.
pub(crate) fn moved(v: u32, delta: i64) -> u32 {
    if v == NO_SPAN || delta == 0 {
        v
    } else {
        (i64::from(v) + delta).clamp(0, i64::from(NO_SPAN - 1)) as u32
    }
}

/// `span` with every known position moved by `delta`.
pub(crate) fn moved_by(span: [u32; 4], delta: i64) -> [u32; 4] {
    span.map(|v| moved(v, delta))
}

/// A range of a tree's text buffer, or of its node or attribute list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Run {
    pub(crate) start: u32,
    pub(crate) len: u32,
}

impl Run {
    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.start as usize + self.len as usize
    }

    fn shifted(self, by: u32) -> Run {
        Run {
            start: self.start + by,
            len: self.len,
        }
    }
}

/// What a record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Element(Namespace),
    Text,
    Comment,
    /// A processing instruction; its string is the target and data as
    /// [`instruction::joined`](super::instruction::joined) keeps them.
    Pi,
}

/// One node of the arena.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rec {
    kind: Kind,
    /// The tag name of an element, the data of a text or comment, the target and data of a
    /// processing instruction.
    s: Run,
    attrs: Run,
    kids: Run,
    hash: u64,
    /// A lower bound of the subtree's HTML length (escaping only adds to it).
    html_len: u32,
    /// How many nodes the subtree holds, this one included.
    count: u32,
    /// Where the node stands in the HTML it was parsed from: start, content start, content end,
    /// end (byte offsets; `NO_SPAN` where unknown, as for implied or implicitly closed elements).
    pub(crate) span: [u32; 4],
    /// How far the spans of every node below this one have yet to move: a change of the page
    /// moves the spans of all that follows it, and this puts that off for whole subtrees.
    pub(crate) pending: i32,
}

impl Rec {
    pub(crate) fn is_text(&self) -> bool {
        self.kind == Kind::Text
    }

    pub(crate) fn is_element(&self) -> bool {
        matches!(self.kind, Kind::Element(_))
    }

    /// Moves this node's span and, lazily, those of everything below it by `delta`.
    pub(crate) fn move_all(&mut self, delta: i32) {
        self.span = moved_by(self.span, i64::from(delta));
        self.pending = self.pending.saturating_add(delta);
    }
}

/// One attribute of the arena.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AttrRec {
    pub(crate) name: Run,
    pub(crate) value: Run,
}

/// An element as a parser holds it while it is open, and as the context a fragment is parsed
/// in.
#[derive(Clone, Debug)]
pub(crate) struct ElementData {
    pub(crate) ns: Namespace,
    pub(crate) name: Str,
    pub(crate) attrs: Vec<(Str, Str)>,
}

impl ElementData {
    /// An element without attributes.
    pub(crate) fn new(ns: Namespace, name: &str) -> ElementData {
        ElementData {
            ns,
            name: name.into(),
            attrs: Vec::new(),
        }
    }

    /// Whether this is the HTML element `name`.
    pub(crate) fn is_html(&self, name: &str) -> bool {
        self.ns == Namespace::Html && &*self.name == name
    }

    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| &**v)
    }
}

mod arena;
#[cfg(any(test, feature = "internals", feature = "testing"))]
mod edit;
mod keyed;
#[cfg(test)]
mod tests;
mod view;

pub(crate) use arena::Arena;
use keyed::hasher;
#[cfg(any(test, feature = "internals"))]
pub use view::{Attr, ChildIter, Element};
pub use view::{Children, Node, NodeData};

/// A parsed page or fragment: a root element (the context it was parsed in, a `<div>` for a
/// page) and everything below it.
///
/// Two trees are equal when their roots' subtrees are (see [`Node`]).
///
/// ```
/// use leptos_live::html::parse_fragment;
/// let tree = parse_fragment("<p>a</p>b");
/// assert_eq!(tree.children().len(), 2);
/// assert_eq!(tree, parse_fragment("<p>a</p>b"));
/// ```
#[derive(Clone)]
pub struct Tree {
    pub(super) arena: Arena,
    pub(super) root: u32,
}

impl Tree {
    /// The root element.
    pub fn root(&self) -> Node<'_> {
        Node {
            tree: self,
            id: self.root,
        }
    }

    /// The root's children: the parsed nodes.
    pub fn children(&self) -> Children<'_> {
        self.root().children()
    }

    /// The hash of the whole tree (see [`Node::subtree_hash`]).
    pub fn subtree_hash(&self) -> u64 {
        self.root().subtree_hash()
    }

    /// The concatenated text of the tree, like the DOM's `textContent`.
    ///
    /// ```
    /// use leptos_live::html::parse_fragment;
    /// assert_eq!(parse_fragment("<b>a</b>b<!--c-->").text_content(), "ab");
    /// ```
    #[cfg(any(test, feature = "internals"))]
    pub fn text_content(&self) -> String {
        self.root().text_content()
    }

    pub(crate) fn rec(&self, id: u32) -> &Rec {
        &self.arena.nodes[id as usize]
    }

    pub(crate) fn rec_mut(&mut self, id: u32) -> &mut Rec {
        &mut self.arena.nodes[id as usize]
    }

    pub(crate) fn root_id(&self) -> u32 {
        self.root
    }

    /// The ids of the children of `id`.
    pub(crate) fn kid_ids(&self, id: u32) -> std::ops::Range<u32> {
        let k = self.rec(id).kids;
        k.start..k.start + k.len
    }

    /// Recomputes the hash of `id` from its data and its children's (not recursive).
    pub(crate) fn rehash(&mut self, id: u32) {
        let mut rec = *self.rec(id);
        self.arena.hash_into(&mut rec);
        *self.rec_mut(id) = rec;
    }

    /// Moves what `id` owes its children onto them, so that their spans are exact.
    pub(crate) fn settle(&mut self, id: u32) {
        let pending = std::mem::take(&mut self.rec_mut(id).pending);
        if pending != 0 {
            for k in self.kid_ids(id) {
                self.rec_mut(k).move_all(pending);
            }
        }
    }

    /// Replaces the children `range` of `id` with `new` (records of this tree's arena, as
    /// [`Tree::graft`] gives them), writing the new list in one pass at the end of the arena;
    /// the old list is left behind as garbage. False, and nothing changed, when `range` is not
    /// within the children.
    pub(crate) fn splice_kids(
        &mut self,
        id: u32,
        range: std::ops::Range<usize>,
        new: Vec<Rec>,
    ) -> bool {
        let old = self.rec(id).kids;
        if range.start > range.end || range.end > old.len as usize {
            return false;
        }
        let from = old.start as usize;
        let nodes = &mut self.arena.nodes;
        let start = nodes.len();
        nodes.extend_from_within(from..from + range.start);
        nodes.extend(new);
        nodes.extend_from_within(from + range.end..from + old.len as usize);
        let len = (nodes.len() - start) as u32;
        self.rec_mut(id).kids = Run {
            start: start as u32,
            len,
        };
        true
    }

    /// Copies `frag`'s arena into this one; the records of its root's children, ready to be
    /// put into a list of this tree (see [`Tree::splice_kids`] and [`Tree::set_kids`]).
    pub(crate) fn graft(&mut self, frag: Tree) -> Vec<Rec> {
        let text = self.arena.text.len() as u32;
        let nodes = self.arena.nodes.len() as u32;
        let attrs = self.arena.attrs.len() as u32;
        let Tree { arena, root, .. } = frag;
        self.arena.text.push_str(&arena.text);
        self.arena.attrs.extend(arena.attrs.iter().map(|a| AttrRec {
            name: a.name.shifted(text),
            value: a.value.shifted(text),
        }));
        let moved = |r: &Rec| Rec {
            s: r.s.shifted(text),
            attrs: r.attrs.shifted(attrs),
            kids: r.kids.shifted(nodes),
            ..*r
        };
        self.arena.nodes.extend(arena.nodes.iter().map(moved));
        let top = arena.nodes[root as usize].kids;
        self.arena.nodes[top.shifted(nodes).range()].to_vec()
    }

    /// Compacts the arena when edits have left more dead records than live ones, or text.
    pub(crate) fn maybe_compact(&mut self) {
        let live = self.rec(self.root).count as usize;
        if self.arena.nodes.len() > 2 * live + 64
            || self.arena.text.len() > 4 * self.live_text() + 4096
        {
            self.compact();
        }
    }

    fn live_text(&self) -> usize {
        self.root().html_len_hint()
    }

    /// Copies what the root reaches into fresh buffers, children lists in breadth-first order.
    pub(crate) fn compact(&mut self) {
        let old = &self.arena;
        let mut new = Arena {
            text: String::with_capacity(self.live_text()),
            nodes: Vec::with_capacity(self.rec(self.root).count as usize),
            attrs: Vec::new(),
        };
        let copy = |new: &mut Arena, r: &Rec| -> Rec {
            let s = new.str(old.get(r.s));
            let attrs = new.add_attrs(
                old.attrs[r.attrs.range()]
                    .iter()
                    .map(|a| (old.get(a.name), old.get(a.value))),
            );
            Rec { s, attrs, ..*r }
        };
        // The root first, then each node's children as one list; `kids` still names the old
        // list until the node's turn comes.
        let root = copy(&mut new, &old.nodes[self.root as usize]);
        new.nodes.push(root);
        let mut next = 0;
        while next < new.nodes.len() {
            let old_kids = new.nodes[next].kids;
            let start = new.nodes.len() as u32;
            for r in &old.nodes[old_kids.range()] {
                let r = copy(&mut new, r);
                new.nodes.push(r);
            }
            new.nodes[next].kids = Run {
                start,
                len: old_kids.len,
            };
            next += 1;
        }
        self.arena = new;
        self.root = 0;
    }

    /// Drops spare capacity, for trees kept a long time.
    pub(crate) fn shrink(&mut self) {
        self.maybe_compact();
        self.arena.text.shrink_to_fit();
        self.arena.nodes.shrink_to_fit();
        self.arena.attrs.shrink_to_fit();
    }
}

impl PartialEq for Tree {
    fn eq(&self, other: &Self) -> bool {
        self.root() == other.root()
    }
}

impl Eq for Tree {}

impl fmt::Debug for Tree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.root().fmt(f)
    }
}
