//! The arena a tree's nodes, attributes and strings are written into.

use std::hash::Hasher;

use super::{AttrRec, ElementData, Kind, Namespace, Rec, Run, Tree, hasher};

/// The buffers a parse writes its nodes into.
#[derive(Clone, Default)]
pub(crate) struct Arena {
    pub(super) text: String,
    pub(super) nodes: Vec<Rec>,
    pub(super) attrs: Vec<AttrRec>,
}

impl Arena {
    /// An arena whose text buffer starts with `source`: a parser of `source` then names its
    /// strings by their place in it, without copying them (see [`Arena::source`]).
    ///
    /// The buffers are sized for what template output holds, so that a parse seldom grows
    /// one (each growth copies it): room after the source for the context's name and some
    /// decoded text, a node per 12 bytes and an attribute per 24 (the pipeline bench's table
    /// page has one per 15 and one per 31; a denser page grows its lists once or twice).
    pub(crate) fn with_source(source: &str) -> Arena {
        let len = source.len();
        let mut text = String::with_capacity(len + len / 8 + 32);
        text.push_str(source);
        Arena {
            text,
            nodes: Vec::with_capacity(len / 12 + 8),
            attrs: Vec::with_capacity(len / 24 + 4),
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

    #[inline]
    pub(crate) fn get(&self, r: Run) -> &str {
        &self.text[r.range()]
    }

    /// The bytes of `r`: what the hash reads, without the check that a `&str` starts and ends
    /// on a character boundary (a run always does).
    #[inline]
    fn bytes(&self, r: Run) -> &[u8] {
        &self.text.as_bytes()[r.range()]
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

    /// A processing instruction, `s` holding its target and data as
    /// [`joined`](crate::html::instruction::joined) keeps them.
    pub(crate) fn pi(&mut self, s: Run, span: [u32; 4]) -> Rec {
        self.finish(Kind::Pi, s, Run::default(), Run::default(), span)
    }

    /// An element whose children are `kids[first..]` (taken out of `kids`) and whose attributes
    /// are `attrs` (already added).
    ///
    /// Inlined, so that the caller gets the record in registers and stores it where it goes:
    /// returned through memory, it was written a field at a time and read back in wider
    /// words, which waits until the narrow stores are done.
    #[inline]
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
        // One copy of the records (they are `Copy`), rather than one at a time through a drain.
        self.nodes.extend_from_slice(&kids[first..]);
        kids.truncate(first);
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
        let rec = Rec {
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
        let (hash, size) = self.summary(&rec);
        let (html_len, count) = unpack(size);
        Rec {
            hash,
            html_len,
            count,
            ..rec
        }
    }

    /// Sets the hash, HTML length and node count of `rec` from its own data and its children's.
    pub(super) fn hash_into(&self, rec: &mut Rec) {
        let (hash, size) = self.summary(rec);
        (rec.hash, (rec.html_len, rec.count)) = (hash, unpack(size));
    }

    /// The hash of `rec` from its own data and its children's, and its HTML length and node
    /// count in one word (see [`unpack`]).
    ///
    /// The result is two words, which a call returns in registers; three values come back
    /// through memory, and reading the two narrow ones as one word right after the call
    /// waits until both stores are done (a tenth of a small page's parse).
    fn summary(&self, rec: &Rec) -> (u64, u64) {
        let kids = &self.nodes[rec.kids.range()];
        // The node's own data, then its children's hashes, go into the keyed hash as they are
        // (no copy of the page's text): every field a fixed-width word or a string after its
        // length, so that the sequence of writes reads back one way only.
        let mut h = hasher();
        let (mut len, mut count) = (self.hash_own(rec, &mut h), 1u32);
        h.write_u64(kids.len() as u64);
        for c in kids {
            h.write_u64(c.hash);
            len += c.html_len as usize;
            count = count.saturating_add(c.count);
        }
        let len = u32::try_from(len).unwrap_or(u32::MAX);
        (h.finish(), u64::from(len) << 32 | u64::from(count))
    }

    /// Writes the node's own data into `h` (attributes in name order: equal elements hash
    /// equally); returns a lower bound of the data's own HTML length.
    fn hash_own(&self, rec: &Rec, h: &mut impl Hasher) -> usize {
        let s = self.bytes(rec.s);
        match rec.kind {
            Kind::Text => {
                write_str(h, 1, s);
                s.len()
            }
            Kind::Comment => {
                write_str(h, 2, s);
                s.len() + 7
            }
            Kind::Pi => {
                write_str(h, 4, s);
                s.len() + 4
            }
            Kind::Element(ns) => {
                write_str(h, 3 | (ns as u8) << 4, s);
                h.write_u64(u64::from(rec.attrs.len));
                let mut len = 2 * s.len() + 5;
                let attrs = &self.attrs[rec.attrs.range()];
                in_name_order(
                    attrs,
                    |a| self.bytes(a.name),
                    |a| {
                        let (n, v) = (self.bytes(a.name), self.bytes(a.value));
                        // Both lengths in one word (each fits 32 bits: runs are u32).
                        h.write_u64((n.len() as u64) << 32 | v.len() as u64);
                        h.write(n);
                        h.write(v);
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

/// The HTML length and node count that [`Arena::summary`] gives in one word.
fn unpack(size: u64) -> (u32, u32) {
    ((size >> 32) as u32, size as u32)
}

/// Calls `f` on each attribute in name order, without allocating for the usual one or two.
pub(super) fn in_name_order<'a, T>(
    items: &'a [T],
    name: impl Fn(&'a T) -> &'a [u8],
    mut f: impl FnMut(&'a T),
) {
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

/// Writes `s` after one word holding `tag` (the top byte) and its length (which fits in the
/// rest: a run's length is a `u32`).
fn write_str(h: &mut impl Hasher, tag: u8, s: &[u8]) {
    h.write_u64(u64::from(tag) << 56 | s.len() as u64);
    h.write(s);
}
