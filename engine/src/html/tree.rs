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
use std::hash::{BuildHasher, DefaultHasher, Hasher, RandomState};
use std::sync::OnceLock;

use super::string::Str;

/// A keyed hasher (SipHash with keys random per process): page content may come from users, and
/// a collision they could craft would make the diff skip a real change.
fn hasher() -> DefaultHasher {
    static KEYS: OnceLock<RandomState> = OnceLock::new();
    KEYS.get_or_init(RandomState::new).build_hasher()
}

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
}

/// One node of the arena.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rec {
    kind: Kind,
    /// The tag name of an element, the data of a text or comment.
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

/// The buffers a parse writes its nodes into, and the scratch space to hash them.
#[derive(Default)]
pub(crate) struct Arena {
    text: String,
    nodes: Vec<Rec>,
    attrs: Vec<AttrRec>,
    scratch: Vec<u8>,
}

impl Clone for Arena {
    fn clone(&self) -> Arena {
        Arena {
            text: self.text.clone(),
            nodes: self.nodes.clone(),
            attrs: self.attrs.clone(),
            scratch: Vec::new(),
        }
    }
}

impl Arena {
    /// An arena whose text buffer starts with `source`: a parser of `source` then names its
    /// strings by their place in it, without copying them (see [`Arena::source`]).
    pub(crate) fn with_source(source: &str) -> Arena {
        Arena {
            text: source.to_owned(),
            nodes: Vec::with_capacity(source.len() / 16),
            attrs: Vec::with_capacity(source.len() / 32),
            scratch: Vec::new(),
        }
    }

    /// The bytes `start..end` of the source the arena was made with.
    pub(crate) fn source(start: usize, end: usize) -> Run {
        Run {
            start: start as u32,
            len: (end - start) as u32,
        }
    }

    /// Adds `s` to the text buffer.
    pub(crate) fn str(&mut self, s: &str) -> Run {
        let start = self.text.len() as u32;
        self.text.push_str(s);
        Run {
            start,
            len: s.len() as u32,
        }
    }

    pub(crate) fn get(&self, r: Run) -> &str {
        &self.text[r.range()]
    }

    /// The tag name of `rec`, when it is an element.
    pub(crate) fn name_of(&self, rec: &Rec) -> Option<&str> {
        rec.is_element().then(|| self.get(rec.s))
    }

    /// The text of `rec`, when it is a text node.
    pub(crate) fn text_of(&self, rec: &Rec) -> Option<&str> {
        rec.is_text().then(|| self.get(rec.s))
    }

    /// The attributes added since `from`, as a run.
    pub(crate) fn attrs_since(&self, from: usize) -> Run {
        Run {
            start: from as u32,
            len: (self.attrs.len() - from) as u32,
        }
    }

    pub(crate) fn attr_count(&self) -> usize {
        self.attrs.len()
    }

    /// Adds an attribute to the element being read.
    pub(crate) fn push_attr(&mut self, name: Run, value: Run) {
        self.attrs.push(AttrRec { name, value });
    }

    /// Adds the attributes `pairs` (names and values copied into the text buffer), as a run.
    pub(crate) fn add_attrs<'s>(
        &mut self,
        pairs: impl IntoIterator<Item = (&'s str, &'s str)>,
    ) -> Run {
        let from = self.attrs.len();
        for (n, v) in pairs {
            let (name, value) = (self.str(n), self.str(v));
            self.push_attr(name, value);
        }
        self.attrs_since(from)
    }

    /// The attributes `run`, to look one up while they are being read.
    pub(crate) fn attr_names(&self, run: Run) -> impl Iterator<Item = &str> {
        self.attrs[run.range()].iter().map(|a| self.get(a.name))
    }

    /// A text node.
    pub(crate) fn text(&mut self, s: Run, span: [u32; 4]) -> Rec {
        self.finish(Kind::Text, s, Run::default(), Run::default(), span)
    }

    /// A comment.
    pub(crate) fn comment(&mut self, s: Run, span: [u32; 4]) -> Rec {
        self.finish(Kind::Comment, s, Run::default(), Run::default(), span)
    }

    /// An element whose children are `kids[first..]` (taken out of `kids`) and whose attributes
    /// are `attrs` (already added).
    pub(crate) fn element(
        &mut self,
        ns: Namespace,
        name: Run,
        attrs: Run,
        kids: &mut Vec<Rec>,
        first: usize,
        span: [u32; 4],
    ) -> Rec {
        let start = self.nodes.len() as u32;
        self.nodes.extend(kids.drain(first..));
        let kids = Run {
            start,
            len: self.nodes.len() as u32 - start,
        };
        self.finish(Kind::Element(ns), name, attrs, kids, span)
    }

    /// An element from a parser's open element; its attributes are added here.
    pub(crate) fn element_from(
        &mut self,
        el: &ElementData,
        kids: &mut Vec<Rec>,
        first: usize,
        span: [u32; 4],
    ) -> Rec {
        let name = self.str(&el.name);
        let attrs = self.add_attrs(el.attrs.iter().map(|(n, v)| (&**n, &**v)));
        self.element(el.ns, name, attrs, kids, first, span)
    }

    fn finish(&mut self, kind: Kind, s: Run, attrs: Run, kids: Run, span: [u32; 4]) -> Rec {
        let mut rec = Rec {
            kind,
            s,
            attrs,
            kids,
            hash: 0,
            html_len: 0,
            count: 0,
            span,
            pending: 0,
        };
        self.hash_into(&mut rec);
        rec
    }

    /// Sets the hash, HTML length and node count of `rec` from its own data and its children's.
    fn hash_into(&mut self, rec: &mut Rec) {
        let mut buf = std::mem::take(&mut self.scratch);
        let kids = &self.nodes[rec.kids.range()];
        // The node's own data and its children's hashes, laid out unambiguously (every string
        // with its length), go through the keyed hash in one write.
        buf.clear();
        let (mut len, mut count) = (self.encode(rec, &mut buf), 1u32);
        encode_len(kids.len(), &mut buf);
        for c in kids {
            buf.extend_from_slice(&c.hash.to_le_bytes());
            len += c.html_len as usize;
            count = count.saturating_add(c.count);
        }
        let mut h = hasher();
        h.write(&buf);
        let hash = h.finish();
        if buf.capacity() <= 1 << 16 {
            // A buffer a huge text node grew is not kept for the tree's life.
            self.scratch = buf;
        }
        rec.hash = hash;
        rec.html_len = u32::try_from(len).unwrap_or(u32::MAX);
        rec.count = count;
    }

    /// Appends the node's own data for hashing (attributes in name order: equal elements encode
    /// equally); returns a lower bound of the data's own HTML length.
    fn encode(&self, rec: &Rec, buf: &mut Vec<u8>) -> usize {
        let s = self.get(rec.s);
        match rec.kind {
            Kind::Text => {
                buf.push(1);
                encode_str(s, buf);
                s.len()
            }
            Kind::Comment => {
                buf.push(2);
                encode_str(s, buf);
                s.len() + 7
            }
            Kind::Element(ns) => {
                buf.extend_from_slice(&[3, ns as u8]);
                encode_str(s, buf);
                encode_len(rec.attrs.len as usize, buf);
                let mut len = 2 * s.len() + 5;
                let attrs = &self.attrs[rec.attrs.range()];
                in_name_order(
                    attrs,
                    |a| self.get(a.name),
                    |a| {
                        let (n, v) = (self.get(a.name), self.get(a.value));
                        encode_str(n, buf);
                        encode_str(v, buf);
                        len += n.len() + v.len() + 4;
                    },
                );
                len
            }
        }
    }

    /// The tree whose root is `root` (an element, typically the parse's context).
    pub(crate) fn into_tree(mut self, root: Rec) -> Tree {
        let id = self.nodes.len() as u32;
        self.nodes.push(root);
        Tree {
            arena: self,
            root: id,
        }
    }
}

/// Calls `f` on each attribute in name order, without allocating for the usual one or two.
fn in_name_order<'a, T>(items: &'a [T], name: impl Fn(&'a T) -> &'a str, mut f: impl FnMut(&'a T)) {
    match items {
        [] => {}
        [a] => f(a),
        [a, b] if name(a) <= name(b) => {
            f(a);
            f(b);
        }
        [a, b] => {
            f(b);
            f(a);
        }
        items => {
            let mut order: Vec<&T> = items.iter().collect();
            order.sort_unstable_by(|a, b| name(a).cmp(name(b)));
            order.into_iter().for_each(f);
        }
    }
}

/// Appends a length or count: four bytes, or, from `u32::MAX` up, those four then eight more.
fn encode_len(n: usize, buf: &mut Vec<u8>) {
    match u32::try_from(n) {
        Ok(n) if n != u32::MAX => buf.extend_from_slice(&n.to_le_bytes()),
        _ => {
            buf.extend_from_slice(&u32::MAX.to_le_bytes());
            buf.extend_from_slice(&(n as u64).to_le_bytes());
        }
    }
}

/// Appends `s` with its length in front.
fn encode_str(s: &str, buf: &mut Vec<u8>) {
    encode_len(s.len(), buf);
    buf.extend_from_slice(s.as_bytes());
}

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
    arena: Arena,
    root: u32,
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

    /// The id of the node at `path` (child indices from the root).
    pub(crate) fn id_at(&self, path: &[u32]) -> Option<u32> {
        let mut id = self.root;
        for &i in path {
            let k = self.rec(id).kids;
            if i >= k.len {
                return None;
            }
            id = k.start + i;
        }
        Some(id)
    }

    /// Recomputes the hash of `id` from its data and its children's (not recursive).
    pub(crate) fn rehash(&mut self, id: u32) {
        let mut rec = *self.rec(id);
        self.arena.hash_into(&mut rec);
        *self.rec_mut(id) = rec;
    }

    /// Recomputes the hashes of the whole tree, bottom up.
    pub(crate) fn rehash_deep(&mut self) {
        fn go(t: &mut Tree, id: u32) {
            for k in t.kid_ids(id) {
                go(t, k);
            }
            t.rehash(id);
        }
        go(self, self.root);
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

    /// Makes `kids` (records of this tree's arena) the children of `id`; the old list is left
    /// behind as garbage.
    pub(crate) fn set_kids(&mut self, id: u32, kids: Vec<Rec>) {
        let start = self.arena.nodes.len() as u32;
        let len = kids.len() as u32;
        self.arena.nodes.extend(kids);
        self.rec_mut(id).kids = Run { start, len };
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

    /// The children of `id` as records, to build a new list from.
    pub(crate) fn kid_recs(&self, id: u32) -> Vec<Rec> {
        self.arena.nodes[self.rec(id).kids.range()].to_vec()
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

    /// Sets the data of a text or comment node.
    pub(crate) fn set_data(&mut self, id: u32, s: &str) {
        let run = self.arena.str(s);
        self.rec_mut(id).s = run;
    }

    /// The attributes of element `id` as name and value pairs.
    pub(crate) fn attr_pairs(&self, id: u32) -> Vec<(String, String)> {
        let a = &self.arena;
        a.attrs[self.rec(id).attrs.range()]
            .iter()
            .map(|r| (a.get(r.name).to_owned(), a.get(r.value).to_owned()))
            .collect()
    }

    /// Gives element `id` the attributes `pairs`, in that order.
    pub(crate) fn set_attrs(&mut self, id: u32, pairs: &[(String, String)]) {
        let run = self
            .arena
            .add_attrs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        self.rec_mut(id).attrs = run;
    }

    /// The node `id`.
    pub(crate) fn node(&self, id: u32) -> Node<'_> {
        Node { tree: self, id }
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
            scratch: Vec::new(),
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

/// A node of a [`Tree`]: its data, its children and the hash of its whole subtree.
///
/// Two nodes (of the same tree or of two) are equal when their data and children are equal; the
/// hash is derived from both, so equal subtrees always have equal hashes and the diff can skip
/// them.
///
/// ```
/// use leptos_live::html::parse_fragment;
/// let (a, b) = (parse_fragment("<p>x</p><p>x</p>"), parse_fragment("<p>x</p>"));
/// let (first, second) = (a.children().at(0), a.children().at(1));
/// assert_eq!(first, second);
/// assert_eq!(first.subtree_hash(), b.children().at(0).subtree_hash());
/// ```
#[derive(Clone, Copy)]
pub struct Node<'a> {
    tree: &'a Tree,
    id: u32,
}

/// What kind of node this is, with its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeData<'a> {
    /// An element with its attributes; its children are in [`Node::children`].
    Element(Element<'a>),
    /// A text node (never empty, never adjacent to another text node after parsing).
    Text(&'a str),
    /// A comment, including Leptos's `<!>` markers (an empty comment).
    Comment(&'a str),
}

impl<'a> Node<'a> {
    fn rec(self) -> &'a Rec {
        self.tree.rec(self.id)
    }

    /// A list of this node alone.
    pub(crate) fn alone(self) -> Children<'a> {
        Children {
            tree: self.tree,
            run: Run {
                start: self.id,
                len: 1,
            },
        }
    }

    /// The node's own data.
    pub fn data(self) -> NodeData<'a> {
        let rec = self.rec();
        match rec.kind {
            Kind::Element(ns) => NodeData::Element(Element {
                ns,
                name: self.tree.arena.get(rec.s),
                tree: self.tree,
                attrs: rec.attrs,
            }),
            Kind::Text => NodeData::Text(self.tree.arena.get(rec.s)),
            Kind::Comment => NodeData::Comment(self.tree.arena.get(rec.s)),
        }
    }

    /// The node's children in document order.
    pub fn children(self) -> Children<'a> {
        Children {
            tree: self.tree,
            run: self.rec().kids,
        }
    }

    /// The hash of this node and everything below it.
    pub fn subtree_hash(self) -> u64 {
        self.rec().hash
    }

    /// A lower bound of the length of this subtree's HTML, kept with the hash: the diff weighs
    /// sending a whole subtree against its changes without serialising it.
    pub fn html_len_hint(self) -> usize {
        self.rec().html_len as usize
    }

    /// The element data, when this node is an element.
    ///
    /// ```
    /// use leptos_live::html::parse_fragment;
    /// let root = parse_fragment(r#"<p id="x">hi</p>"#);
    /// let p = root.children().at(0).as_element().unwrap();
    /// assert_eq!((p.name, p.attr("id")), ("p", Some("x")));
    /// ```
    pub fn as_element(self) -> Option<Element<'a>> {
        match self.data() {
            NodeData::Element(e) => Some(e),
            _ => None,
        }
    }

    /// The text, when this node is a text node.
    pub fn as_text(self) -> Option<&'a str> {
        match self.data() {
            NodeData::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The concatenated text of all text nodes below this node, like the DOM's `textContent`.
    ///
    /// ```
    /// use leptos_live::html::parse_fragment;
    /// let tree = parse_fragment("<p><b>a</b>b<!--c--></p>");
    /// assert_eq!(tree.children().at(0).text_content(), "ab");
    /// ```
    pub fn text_content(self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(self, out: &mut String) {
        match self.data() {
            NodeData::Text(t) => out.push_str(t),
            NodeData::Element(_) => self.children().iter().for_each(|c| c.collect_text(out)),
            NodeData::Comment(_) => {}
        }
    }

    /// The number of nodes in this subtree, this one included.
    pub fn len(self) -> usize {
        self.rec().count as usize
    }

    /// Always false: a subtree holds at least its own root.
    pub fn is_empty(self) -> bool {
        false
    }

    /// The node's source span: start, content start, content end, end.
    pub(crate) fn span(self) -> [u32; 4] {
        self.rec().span
    }

    /// How far the spans below this node have yet to move (see [`Rec::move_all`]).
    pub(crate) fn pending(self) -> i32 {
        self.rec().pending
    }
}

impl<'a> From<&'a Tree> for Node<'a> {
    /// The tree's root.
    fn from(tree: &'a Tree) -> Node<'a> {
        tree.root()
    }
}

impl PartialEq<Node<'_>> for Node<'_> {
    fn eq(&self, other: &Node<'_>) -> bool {
        self.subtree_hash() == other.subtree_hash()
            && self.data() == other.data()
            && self.children() == other.children()
    }
}

impl Eq for Node<'_> {}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let data = self.data();
        if self.children().is_empty() {
            return data.fmt(f);
        }
        f.debug_struct("Node")
            .field("data", &data)
            .field("children", &self.children())
            .finish()
    }
}

/// An element's own data: namespace, tag name and attributes in source order.
///
/// Equality treats the attributes as a set, as the DOM's `isEqualNode` does.
#[derive(Clone, Copy)]
pub struct Element<'a> {
    /// The namespace the parser put the element in.
    pub ns: Namespace,
    /// The tag name as the DOM's `localName` reports it.
    pub name: &'a str,
    tree: &'a Tree,
    attrs: Run,
}

/// One attribute, with the name as the DOM reports it (lower case for HTML, adjusted case for
/// SVG such as `viewBox`) and the value with character references decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attr<'a> {
    /// The attribute's name.
    pub name: &'a str,
    /// The attribute's value.
    pub value: &'a str,
}

impl<'a> Element<'a> {
    /// The attributes in source order, first occurrence of each name only.
    ///
    /// ```
    /// use leptos_live::html::parse_fragment;
    /// let tree = parse_fragment(r#"<p id="x" class="y">hi</p>"#);
    /// let p = tree.children().at(0).as_element().unwrap();
    /// let names: Vec<&str> = p.attrs().map(|a| a.name).collect();
    /// assert_eq!(names, ["id", "class"]);
    /// ```
    pub fn attrs(self) -> impl ExactSizeIterator<Item = Attr<'a>> + DoubleEndedIterator + 'a {
        let a = &self.tree.arena;
        a.attrs[self.attrs.range()].iter().map(move |r| Attr {
            name: a.get(r.name),
            value: a.get(r.value),
        })
    }

    /// The value of the attribute `name`, if present.
    pub fn attr(self, name: &str) -> Option<&'a str> {
        self.attrs().find(|a| a.name == name).map(|a| a.value)
    }

    /// The identity a keyed list child keeps across renders: `lv-key`, else `id`.
    pub fn key(self) -> Option<&'a str> {
        self.attr("lv-key").or_else(|| self.attr("id"))
    }

    /// An owned copy, as a parse context.
    pub(crate) fn to_data(self) -> ElementData {
        ElementData {
            ns: self.ns,
            name: self.name.into(),
            attrs: self
                .attrs()
                .map(|a| (a.name.into(), a.value.into()))
                .collect(),
        }
    }
}

impl PartialEq for Element<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.ns == other.ns
            && self.name == other.name
            && self.attrs.len == other.attrs.len
            && self.attrs().all(|a| other.attr(a.name) == Some(a.value))
    }
}

impl Eq for Element<'_> {}

impl fmt::Debug for Element<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Element");
        d.field("ns", &self.ns).field("name", &self.name);
        d.field(
            "attrs",
            &self.attrs().map(|a| (a.name, a.value)).collect::<Vec<_>>(),
        );
        d.finish()
    }
}

/// The children of a node, in document order: a list that reads like a slice.
///
/// ```
/// use leptos_live::html::parse_fragment;
/// let tree = parse_fragment("<i>a</i><b>b</b><u>c</u>");
/// let kids = tree.children();
/// assert_eq!(kids.len(), 3);
/// assert_eq!(kids.at(1).text_content(), "b");
/// assert_eq!(kids.slice(1..3).iter().map(|n| n.text_content()).collect::<String>(), "bc");
/// ```
#[derive(Clone, Copy)]
pub struct Children<'a> {
    tree: &'a Tree,
    run: Run,
}

impl<'a> Children<'a> {
    /// How many children there are.
    pub fn len(self) -> usize {
        self.run.len as usize
    }

    /// Whether there are none.
    pub fn is_empty(self) -> bool {
        self.run.len == 0
    }

    /// The child at `i`, if there is one.
    pub fn get(self, i: usize) -> Option<Node<'a>> {
        (i < self.len()).then(|| Node {
            tree: self.tree,
            id: self.run.start + i as u32,
        })
    }

    /// The child at `i`.
    ///
    /// # Panics
    ///
    /// When `i` is out of bounds, like a slice index.
    pub fn at(self, i: usize) -> Node<'a> {
        match self.get(i) {
            Some(n) => n,
            None => panic!("child {i} of {}", self.len()),
        }
    }

    /// The first child.
    pub fn first(self) -> Option<Node<'a>> {
        self.get(0)
    }

    /// The last child.
    pub fn last(self) -> Option<Node<'a>> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// The children in `range`.
    ///
    /// # Panics
    ///
    /// When the range is out of bounds, like a slice's.
    pub fn slice(self, range: std::ops::Range<usize>) -> Children<'a> {
        assert!(
            range.start <= range.end && range.end <= self.len(),
            "children {range:?} of {}",
            self.len()
        );
        Children {
            tree: self.tree,
            run: Run {
                start: self.run.start + range.start as u32,
                len: (range.end - range.start) as u32,
            },
        }
    }

    /// The children in order.
    pub fn iter(self) -> ChildIter<'a> {
        ChildIter {
            tree: self.tree,
            ids: self.run.start..self.run.start + self.run.len,
        }
    }

    /// The index of the first child for which `pred` is false, the children being partitioned
    /// by it (as [`slice::partition_point`]).
    pub fn partition_point(self, mut pred: impl FnMut(Node<'a>) -> bool) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(self.at(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

impl<'a> IntoIterator for Children<'a> {
    type Item = Node<'a>;
    type IntoIter = ChildIter<'a>;

    fn into_iter(self) -> ChildIter<'a> {
        self.iter()
    }
}

/// An iterator over [`Children`], in document order.
///
/// ```
/// use leptos_live::html::parse_fragment;
/// let tree = parse_fragment("<i></i>x<b></b>");
/// let last_first: Vec<_> = tree.children().iter().rev().map(|n| n.as_text()).collect();
/// assert_eq!(last_first, [None, Some("x"), None]);
/// ```
#[derive(Clone)]
pub struct ChildIter<'a> {
    tree: &'a Tree,
    ids: std::ops::Range<u32>,
}

impl<'a> Iterator for ChildIter<'a> {
    type Item = Node<'a>;

    fn next(&mut self) -> Option<Node<'a>> {
        let id = self.ids.next()?;
        Some(Node {
            tree: self.tree,
            id,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ids.size_hint()
    }
}

impl DoubleEndedIterator for ChildIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let id = self.ids.next_back()?;
        Some(Node {
            tree: self.tree,
            id,
        })
    }
}

impl ExactSizeIterator for ChildIter<'_> {}

impl PartialEq<Children<'_>> for Children<'_> {
    fn eq(&self, other: &Children<'_>) -> bool {
        self.len() == other.len() && self.iter().zip(other.iter()).all(|(a, b)| a == b)
    }
}

impl fmt::Debug for Children<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::parse_fragment;

    #[test]
    fn hash_changes_with_any_descendant() {
        let (a, a2, b) = (
            parse_fragment("<p>a</p>"),
            parse_fragment("<p>a</p>"),
            parse_fragment("<p>b</p>"),
        );
        assert_eq!(a.subtree_hash(), a2.subtree_hash());
        assert_ne!(a.subtree_hash(), b.subtree_hash());
        assert_eq!(a, a2);
        assert_ne!(a, b);
    }

    #[test]
    fn lengths_take_four_bytes_below_u32_max_and_twelve_from_it() {
        let len = |n: usize| {
            let mut buf = Vec::new();
            encode_len(n, &mut buf);
            buf
        };
        assert_eq!(len(5), [5, 0, 0, 0]);
        assert_eq!(len(u32::MAX as usize - 1).len(), 4);
        let long = len(u32::MAX as usize);
        assert_eq!(long.len(), 12);
        assert_eq!(long[..4], [0xff; 4]);
    }

    #[test]
    fn hash_ignores_attribute_order_but_not_where_strings_split() {
        let h = |html: &str| parse_fragment(html).children().at(0).subtree_hash();
        assert_eq!(h(r#"<p a="1" b="2"></p>"#), h(r#"<p b="2" a="1"></p>"#));
        assert_eq!(
            h(r#"<p a="1" b="2" c="3"></p>"#),
            h(r#"<p c="3" a="1" b="2"></p>"#)
        );
        assert_ne!(h(r#"<p ab=""></p>"#), h(r#"<p a="b"></p>"#));
        assert_ne!(h("ab"), h("<p></p>"));
    }

    #[test]
    fn compaction_keeps_the_tree_and_drops_the_dead() {
        let mut t = parse_fragment(r#"<ul><li id="a">A</li><li id="b">B</li></ul><p>x</p>"#);
        let before = t.clone();
        let ul = t.id_at(&[0]).unwrap();
        let reverse = |t: &mut Tree| {
            let mut kids = t.kid_recs(ul);
            kids.reverse();
            t.set_kids(ul, kids);
            t.rehash(ul);
            t.rehash(t.root_id());
        };
        reverse(&mut t);
        assert_ne!(t, before);
        reverse(&mut t);
        assert_eq!(t, before);
        assert!(t.arena.nodes.len() > before.root().len());
        t.compact();
        assert_eq!(t, before);
        assert_eq!(t.arena.nodes.len(), before.root().len());
    }
}
