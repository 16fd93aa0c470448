//! Borrowed views into a tree: nodes, elements, attributes and child lists.

use std::fmt;

use super::super::instruction::split;
use super::{ElementData, Kind, Namespace, Rec, Run, Tree};

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
    pub(super) tree: &'a Tree,
    pub(super) id: u32,
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
    /// A processing instruction, `<?target data?>`, as the browser's parser builds one.
    ProcessingInstruction {
        /// The name after `<?`.
        target: &'a str,
        /// What follows the target and its whitespace, without the closing `?>`.
        data: &'a str,
    },
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
            Kind::Pi => {
                let (target, data) = split(self.tree.arena.get(rec.s));
                NodeData::ProcessingInstruction { target, data }
            }
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
    #[cfg(any(test, feature = "internals"))]
    pub fn text_content(self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    #[cfg(any(test, feature = "internals"))]
    fn collect_text(self, out: &mut String) {
        match self.data() {
            NodeData::Text(t) => out.push_str(t),
            NodeData::Element(_) => self.children().iter().for_each(|c| c.collect_text(out)),
            NodeData::Comment(_) | NodeData::ProcessingInstruction { .. } => {}
        }
    }

    /// The number of nodes in this subtree, this one included.
    #[cfg(any(test, feature = "internals"))]
    pub fn len(self) -> usize {
        self.rec().count as usize
    }

    /// Always false: a subtree holds at least its own root.
    #[cfg(any(test, feature = "internals"))]
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
    pub(super) tree: &'a Tree,
    pub(super) attrs: Run,
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
    pub(super) tree: &'a Tree,
    pub(super) run: Run,
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
    pub(super) tree: &'a Tree,
    pub(super) ids: std::ops::Range<u32>,
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
