//! The node tree: what the engine keeps of a rendered page, equal to the browser's DOM.

use std::cell::RefCell;
use std::hash::{BuildHasher, DefaultHasher, Hash, Hasher, RandomState};
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

/// One attribute of an element, with the name as the DOM reports it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Attribute {
    /// The attribute's name (lower case for HTML, adjusted case for SVG such as `viewBox`).
    pub name: Str,
    /// The attribute's value, with character references decoded.
    pub value: Str,
}

/// An element's own data: namespace, tag name and attributes in source order.
///
/// Equality and hashing treat the attributes as a set, as the DOM's `isEqualNode` does.
#[derive(Clone, Debug)]
pub struct Element {
    /// The namespace the parser put the element in.
    pub ns: Namespace,
    /// The tag name as the DOM's `localName` reports it.
    pub name: Str,
    /// Attributes in source order, first occurrence of each name only.
    pub attrs: Vec<Attribute>,
}

impl PartialEq for Element {
    fn eq(&self, other: &Self) -> bool {
        self.ns == other.ns
            && self.name == other.name
            && self.attrs.len() == other.attrs.len()
            && self
                .attrs
                .iter()
                .all(|a| other.attr(&a.name) == Some(&*a.value))
    }
}

impl Eq for Element {}

impl Hash for Element {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.ns.hash(state);
        self.name.hash(state);
        // Order-independent: the attributes in name order (names are unique in an element).
        state.write_usize(self.attrs.len());
        in_name_order(&self.attrs, |a| a.hash(state));
    }
}

/// Calls `f` on each attribute in name order, without allocating for the usual one or two.
fn in_name_order<'a>(attrs: &'a [Attribute], mut f: impl FnMut(&'a Attribute)) {
    match attrs {
        [] => {}
        [a] => f(a),
        [a, b] if a.name <= b.name => {
            f(a);
            f(b);
        }
        [a, b] => {
            f(b);
            f(a);
        }
        attrs => {
            let mut order: Vec<&Attribute> = attrs.iter().collect();
            order.sort_unstable_by(|a, b| a.name.cmp(&b.name));
            order.into_iter().for_each(f);
        }
    }
}

impl Element {
    /// The value of the attribute `name`, if present.
    ///
    /// ```
    /// use leptos_live::html::parse_fragment;
    /// let root = parse_fragment(r#"<p id="x">hi</p>"#);
    /// let p = root.children()[0].as_element().unwrap();
    /// assert_eq!(p.attr("id"), Some("x"));
    /// ```
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| &*a.name == name)
            .map(|a| &*a.value)
    }

    /// The identity a keyed list child keeps across renders: `lv-key`, else `id`.
    pub fn key(&self) -> Option<&str> {
        self.attr("lv-key").or_else(|| self.attr("id"))
    }
}

/// What kind of node this is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum NodeData {
    /// An element with its attributes; its children are in [`Node::children`].
    Element(Element),
    /// A text node (never empty, never adjacent to another text node after parsing).
    Text(Str),
    /// A comment, including Leptos's `<!>` markers (an empty comment).
    Comment(Str),
}

/// A node of the tree with its children and the hash of its whole subtree.
///
/// Two nodes are equal when their data and children are equal; the hash is derived from both, so
/// equal subtrees always have equal hashes and the diff can skip them.
#[derive(Clone, Debug)]
pub struct Node {
    data: NodeData,
    children: Vec<Node>,
    hash: u64,
    /// A lower bound of the subtree's HTML length (escaping only adds to it).
    html_len: u32,
    /// Where the node stands in the HTML it was parsed from: start, content start, content end,
    /// end (byte offsets; `NO_SPAN` where unknown, as for implied or implicitly closed elements).
    span: [u32; 4],
    /// How far the spans of every node below this one have yet to move: a change of the page
    /// moves the spans of all that follows it, and this puts that off for whole subtrees.
    pending: i32,
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

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.data == other.data && self.children == other.children
    }
}

impl Eq for Node {}

impl Node {
    /// A new node with the given data and children; the subtree hash is computed here.
    ///
    /// ```
    /// use leptos_live::html::{Node, NodeData};
    /// let a = Node::new(NodeData::Text("x".into()), vec![]);
    /// let b = Node::new(NodeData::Text("x".into()), vec![]);
    /// assert_eq!(a.subtree_hash(), b.subtree_hash());
    /// ```
    pub fn new(data: NodeData, children: Vec<Node>) -> Self {
        let mut node = Node {
            data,
            children,
            hash: 0,
            html_len: 0,
            span: [NO_SPAN; 4],
            pending: 0,
        };
        node.rehash();
        node
    }

    /// A node of a parse: `children` are finished (hashed) already; this node is hashed here.
    pub(crate) fn finished(data: NodeData, children: Vec<Node>, span: [u32; 4]) -> Self {
        let mut node = Node {
            data,
            children,
            hash: 0,
            html_len: 0,
            span,
            pending: 0,
        };
        node.rehash();
        node
    }

    /// The node's source span: start, content start, content end, end.
    pub(crate) fn span(&self) -> [u32; 4] {
        self.span
    }

    pub(crate) fn span_mut(&mut self) -> &mut [u32; 4] {
        &mut self.span
    }

    /// How far the spans below this node have yet to move (see [`Node::move_all`]).
    pub(crate) fn pending(&self) -> i32 {
        self.pending
    }

    /// Moves this node's span and, lazily, those of everything below it by `delta`.
    pub(crate) fn move_all(&mut self, delta: i32) {
        self.span = moved_by(self.span, i64::from(delta));
        self.pending = self.pending.saturating_add(delta);
    }

    /// Moves what this node owes its children onto them, so that their spans are exact.
    pub(crate) fn settle(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        if pending != 0 {
            self.children.iter_mut().for_each(|c| c.move_all(pending));
        }
    }

    /// The node's own data.
    pub fn data(&self) -> &NodeData {
        &self.data
    }

    /// The node's children in document order.
    pub fn children(&self) -> &[Node] {
        &self.children
    }

    /// The hash of this node and everything below it.
    pub fn subtree_hash(&self) -> u64 {
        self.hash
    }

    /// A lower bound of the length of this subtree's HTML, kept with the hash: the diff weighs
    /// sending a whole subtree against its changes without serialising it.
    pub fn html_len_hint(&self) -> usize {
        self.html_len as usize
    }

    /// The element data, when this node is an element.
    pub fn as_element(&self) -> Option<&Element> {
        match &self.data {
            NodeData::Element(e) => Some(e),
            _ => None,
        }
    }

    /// The text, when this node is a text node.
    pub fn as_text(&self) -> Option<&str> {
        match &self.data {
            NodeData::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The concatenated text of all text nodes below this node, like the DOM's `textContent`.
    ///
    /// ```
    /// use leptos_live::html::parse_fragment;
    /// assert_eq!(parse_fragment("<b>a</b>b<!--c-->").text_content(), "ab");
    /// ```
    pub fn text_content(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        match &self.data {
            NodeData::Text(t) => out.push_str(t),
            NodeData::Element(_) => self.children.iter().for_each(|c| c.collect_text(out)),
            NodeData::Comment(_) => {}
        }
    }

    /// The number of nodes in this subtree, this one included.
    pub fn len(&self) -> usize {
        1 + self.children.iter().map(Node::len).sum::<usize>()
    }

    /// Always false: a subtree holds at least its own root.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Mutable access for tree builders and patch appliers; call [`Node::rehash`] after changes.
    pub(crate) fn parts_mut(&mut self) -> (&mut NodeData, &mut Vec<Node>) {
        (&mut self.data, &mut self.children)
    }

    /// Recomputes this node's hash from its data and its children's hashes (not recursive).
    pub(crate) fn rehash(&mut self) {
        thread_local! {
            static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
        }
        // The node's own data and its children's hashes, laid out unambiguously (every string
        // with its length), go through the keyed hash in one write.
        let (hash, own_len) = SCRATCH.with_borrow_mut(|buf| {
            buf.clear();
            let own_len = encode_data(&self.data, buf);
            encode_len(self.children.len(), buf);
            for c in &self.children {
                buf.extend_from_slice(&c.hash.to_le_bytes());
            }
            let mut h = hasher();
            h.write(buf);
            if buf.capacity() > 1 << 16 {
                // A huge text node passed through: do not keep its size for the thread's life.
                *buf = Vec::new();
            }
            (h.finish(), own_len)
        });
        self.hash = hash;
        let len = own_len
            + self
                .children
                .iter()
                .map(|c| c.html_len as usize)
                .sum::<usize>();
        self.html_len = u32::try_from(len).unwrap_or(u32::MAX);
    }

    /// Drops spare capacity in every child list below this node, for trees kept a long time.
    pub(crate) fn shrink_deep(&mut self) {
        self.children.shrink_to_fit();
        self.children.iter_mut().for_each(Node::shrink_deep);
    }

    /// Recomputes the hashes of the whole subtree, bottom up.
    pub(crate) fn rehash_deep(&mut self) {
        for c in &mut self.children {
            c.rehash_deep();
        }
        self.rehash();
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

/// Appends the node's own data for hashing (attributes in name order: equal elements encode
/// equally); returns a lower bound of the data's own HTML length.
fn encode_data(data: &NodeData, buf: &mut Vec<u8>) -> usize {
    match data {
        NodeData::Text(t) => {
            buf.push(1);
            encode_str(t, buf);
            t.len()
        }
        NodeData::Comment(c) => {
            buf.push(2);
            encode_str(c, buf);
            c.len() + 7
        }
        NodeData::Element(e) => {
            buf.extend_from_slice(&[3, e.ns as u8]);
            encode_str(&e.name, buf);
            encode_len(e.attrs.len(), buf);
            let mut len = 2 * e.name.len() + 5;
            in_name_order(&e.attrs, |a| {
                encode_str(&a.name, buf);
                encode_str(&a.value, buf);
                len += a.name.len() + a.value.len() + 4;
            });
            len
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Node {
        Node::new(NodeData::Text(t.into()), vec![])
    }

    #[test]
    fn hash_changes_with_any_descendant() {
        let el = |c| {
            Node::new(
                NodeData::Element(Element {
                    ns: Namespace::Html,
                    name: "p".into(),
                    attrs: vec![],
                }),
                vec![c],
            )
        };
        assert_eq!(el(text("a")).subtree_hash(), el(text("a")).subtree_hash());
        assert_ne!(el(text("a")).subtree_hash(), el(text("b")).subtree_hash());
        assert_eq!(el(text("a")), el(text("a")));
        assert_ne!(el(text("a")), el(text("b")));
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
        let el = |attrs: &[(&str, &str)]| {
            Node::new(
                NodeData::Element(Element {
                    ns: Namespace::Html,
                    name: "p".into(),
                    attrs: attrs
                        .iter()
                        .map(|(n, v)| Attribute {
                            name: (*n).into(),
                            value: (*v).into(),
                        })
                        .collect(),
                }),
                vec![],
            )
        };
        let (a, b, c) = (("a", "1"), ("b", "2"), ("c", "3"));
        assert_eq!(el(&[a, b]).subtree_hash(), el(&[b, a]).subtree_hash());
        assert_eq!(el(&[a, b, c]).subtree_hash(), el(&[c, a, b]).subtree_hash());
        assert_ne!(
            el(&[("ab", "")]).subtree_hash(),
            el(&[("a", "b")]).subtree_hash()
        );
        assert_ne!(text("ab").subtree_hash(), el(&[]).subtree_hash());
    }
}
