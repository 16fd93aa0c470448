//! The full HTML5 parser (html5ever) for HTML outside the fast path: misplaced table content,
//! misnested formatting tags, `<template>`, rare character references, CDATA, escaped script.
//!
//! html5ever builds its tree through a [`TreeSink`]. The sink here keeps the nodes in one flat
//! list, linked by index (parent, siblings, first and last child), so that every tree operation
//! the parser asks for (foster parenting, the adoption agency) is a few index writes; the finished
//! list is then written into the engine's arena in one pass.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, Tokenizer, TokenizerOpts};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, create_element};
use html5ever::{Attribute, ExpandedName, LocalName, QualName, TokenizerResult, ns};

use super::tree::{Arena, ElementData, NO_SPAN, Namespace, Rec, Tree};

mod instructions;

use instructions::Instructions;

/// Parses `html` as the content of `context` with html5ever, into the engine's node tree.
///
/// The parse is driven here rather than by html5ever's driver, so that the tokens pass through
/// [`Instructions`] on their way to the tree builder: html5ever reads `<?…>` as a comment, where
/// the browser now builds a processing instruction.
pub(crate) fn parse(html: &str, ns: Namespace, context: &str) -> Tree {
    let context_ns = match ns {
        Namespace::Html => ns!(html),
        Namespace::Svg => ns!(svg),
        Namespace::MathMl => ns!(mathml),
    };
    let name = QualName::new(None, context_ns, LocalName::from(context));
    let sink = FlatSink::default();
    let context_element = create_element(&sink, name, Vec::new());
    let builder =
        TreeBuilder::new_for_fragment(sink, context_element, None, TreeBuilderOpts::default());
    let opts = TokenizerOpts {
        initial_state: Some(builder.tokenizer_state_for_context_elem(true)),
        ..TokenizerOpts::default()
    };
    let tokenizer = Tokenizer::new(Instructions::new(builder, html), opts);
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // A script's end asks the caller to run it; a fragment's scripts do not run.
    while let TokenizerResult::Script(_) = tokenizer.feed(&input) {}
    tokenizer.end();
    tokenizer.sink.into_sink().into_tree(ns, context)
}

fn namespace(ns: &html5ever::Namespace) -> Namespace {
    if *ns == ns!(svg) {
        Namespace::Svg
    } else if *ns == ns!(mathml) {
        Namespace::MathMl
    } else {
        Namespace::Html
    }
}

/// The document's place in the sink's node list.
const DOCUMENT: usize = 0;

/// The tree html5ever builds: a flat list of nodes, the document first.
pub(super) struct FlatSink {
    nodes: RefCell<Vec<FlatNode>>,
    /// The processing instruction the next comment the parser creates is instead, as
    /// [`joined`](super::instruction::joined) keeps it (set by [`Instructions`]).
    instruction: RefCell<Option<String>>,
}

impl Default for FlatSink {
    fn default() -> FlatSink {
        let mut nodes = Vec::new();
        push(&mut nodes, Data::Fragment);
        FlatSink {
            nodes: RefCell::new(nodes),
            instruction: RefCell::new(None),
        }
    }
}

/// A node as the parser refers to it: its place in the list and, for an element, its name (so
/// that the parser, which asks for names all the time, reads them without a look-up).
#[derive(Clone, Default)]
pub(super) struct Handle {
    id: usize,
    ns: html5ever::Namespace,
    local: LocalName,
}

impl Handle {
    fn of(id: usize) -> Handle {
        Handle {
            id,
            ..Handle::default()
        }
    }
}

/// A node of the list and its links, by index.
struct FlatNode {
    parent: Option<usize>,
    prev: Option<usize>,
    next: Option<usize>,
    first: Option<usize>,
    last: Option<usize>,
    data: Data,
}

enum Data {
    /// The document, or a template's contents.
    Fragment,
    Element(FlatElement),
    Text(StrTendril),
    Comment(StrTendril),
    /// A processing instruction, its target and data as
    /// [`joined`](super::instruction::joined) keeps them.
    Pi(String),
    /// A processing instruction html5ever makes itself (which it does only for XML): not part
    /// of the engine's tree.
    Ignored,
}

struct FlatElement {
    ns: html5ever::Namespace,
    local: LocalName,
    attrs: Vec<Attribute>,
    /// A template's contents: a fragment of its own, which holds what the template holds.
    contents: Option<usize>,
    /// Whether this is a MathML `annotation-xml` with an HTML encoding, where HTML content
    /// starts again.
    integration_point: bool,
}

/// Adds a node without parent to the list; returns its place.
fn push(nodes: &mut Vec<FlatNode>, data: Data) -> usize {
    nodes.push(FlatNode {
        parent: None,
        prev: None,
        next: None,
        first: None,
        last: None,
        data,
    });
    nodes.len() - 1
}

/// Takes `id` out of its parent's children, if it has a parent.
fn detach(nodes: &mut [FlatNode], id: usize) {
    let node = &mut nodes[id];
    let (parent, prev, next) = (node.parent.take(), node.prev.take(), node.next.take());
    let Some(parent) = parent else { return };
    match prev {
        Some(p) => nodes[p].next = next,
        None => nodes[parent].first = next,
    }
    match next {
        Some(n) => nodes[n].prev = prev,
        None => nodes[parent].last = prev,
    }
}

/// Makes `child` the last child of `parent`.
fn append_child(nodes: &mut [FlatNode], parent: usize, child: usize) {
    detach(nodes, child);
    let last = nodes[parent].last.replace(child);
    let node = &mut nodes[child];
    node.parent = Some(parent);
    node.prev = last;
    match last {
        Some(l) => nodes[l].next = Some(child),
        None => nodes[parent].first = Some(child),
    }
}

/// Puts `child` right before `sibling`, when `sibling` has a parent.
fn insert_before(nodes: &mut [FlatNode], sibling: usize, child: usize) {
    if child == sibling {
        return;
    }
    detach(nodes, child);
    let Some(parent) = nodes[sibling].parent else {
        return;
    };
    let prev = nodes[sibling].prev.replace(child);
    let node = &mut nodes[child];
    node.parent = Some(parent);
    node.prev = prev;
    node.next = Some(sibling);
    match prev {
        Some(p) => nodes[p].next = Some(child),
        None => nodes[parent].first = Some(child),
    }
}

/// Appends `text` to the node `at` when that is a text node: adjacent text is one node.
fn merge_text(nodes: &mut [FlatNode], at: Option<usize>, text: &StrTendril) -> bool {
    match at.map(|at| &mut nodes[at].data) {
        Some(Data::Text(t)) => {
            t.push_tendril(text);
            true
        }
        _ => false,
    }
}

impl TreeSink for FlatSink {
    type Handle = Handle;
    type Output = FlatSink;
    type ElemName<'a> = ExpandedName<'a>;

    fn finish(self) -> FlatSink {
        self
    }

    // The tree is the same whatever errors the input has, as in the browser.
    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Handle {
        Handle::of(DOCUMENT)
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> ExpandedName<'a> {
        ExpandedName {
            ns: &target.ns,
            local: &target.local,
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        let mut nodes = self.nodes.borrow_mut();
        let contents = flags.template.then(|| push(&mut nodes, Data::Fragment));
        let element = FlatElement {
            ns: name.ns.clone(),
            local: name.local.clone(),
            attrs,
            contents,
            integration_point: flags.mathml_annotation_xml_integration_point,
        };
        Handle {
            id: push(&mut nodes, Data::Element(element)),
            ns: name.ns,
            local: name.local,
        }
    }

    fn create_comment(&self, text: StrTendril) -> Handle {
        let data = match self.instruction.take() {
            Some(pi) => Data::Pi(pi),
            None => Data::Comment(text),
        };
        Handle::of(push(&mut self.nodes.borrow_mut(), data))
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Handle {
        Handle::of(push(&mut self.nodes.borrow_mut(), Data::Ignored))
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        let nodes = &mut *self.nodes.borrow_mut();
        let child = match child {
            NodeOrText::AppendNode(node) => node.id,
            NodeOrText::AppendText(text) => {
                let last = nodes[parent.id].last;
                if merge_text(nodes, last, &text) {
                    return;
                }
                push(nodes, Data::Text(text))
            }
        };
        append_child(nodes, parent.id, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        let has_parent = self.nodes.borrow()[element.id].parent.is_some();
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    // A fragment has no doctype (the parser ignores one in it).
    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &Handle) -> Handle {
        let nodes = &mut *self.nodes.borrow_mut();
        if let Data::Element(FlatElement {
            contents: Some(c), ..
        }) = nodes[target.id].data
        {
            return Handle::of(c);
        }
        // Only a template has contents; should the parser ask another element for them, it
        // gets a fragment of its own, which the engine's tree leaves out.
        let c = push(nodes, Data::Fragment);
        if let Data::Element(el) = &mut nodes[target.id].data {
            el.contents = Some(c);
        }
        Handle::of(c)
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        x.id == y.id
    }

    // The parser keeps the mode it parses in; the tree does not record it.
    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Handle, child: NodeOrText<Handle>) {
        let nodes = &mut *self.nodes.borrow_mut();
        let child = match child {
            NodeOrText::AppendNode(node) => node.id,
            NodeOrText::AppendText(text) => {
                let prev = nodes[sibling.id].prev;
                if merge_text(nodes, prev, &text) {
                    return;
                }
                push(nodes, Data::Text(text))
            }
        };
        insert_before(nodes, sibling.id, child);
    }

    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        let nodes = &mut *self.nodes.borrow_mut();
        let Data::Element(el) = &mut nodes[target.id].data else {
            return;
        };
        let have: HashSet<QualName> = el.attrs.iter().map(|a| a.name.clone()).collect();
        el.attrs
            .extend(attrs.into_iter().filter(|a| !have.contains(&a.name)));
    }

    fn remove_from_parent(&self, target: &Handle) {
        detach(&mut self.nodes.borrow_mut(), target.id);
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        if node.id == new_parent.id {
            return;
        }
        let nodes = &mut *self.nodes.borrow_mut();
        let mut next = nodes[node.id].first;
        while let Some(child) = next {
            next = nodes[child].next;
            append_child(nodes, new_parent.id, child);
        }
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &Handle) -> bool {
        matches!(
            &self.nodes.borrow()[handle.id].data,
            Data::Element(FlatElement {
                integration_point: true,
                ..
            })
        )
    }
}

impl FlatSink {
    /// The engine's tree of the parse: a `context` element in `ns` that holds what the parse
    /// put under its root.
    fn into_tree(self, ns: Namespace, context: &str) -> Tree {
        let nodes = self.nodes.into_inner();
        let mut arena = Arena::default();
        let mut kids: Vec<Rec> = Vec::new();
        // The elements being written: each with where its children start in `kids` and the
        // node after it.
        let mut open: Vec<(&FlatElement, usize, Option<usize>)> = Vec::new();
        let mut name = String::new();
        // A fragment parse puts the nodes under an <html> element below the document.
        let mut at = nodes[DOCUMENT].first.and_then(|html| nodes[html].first);
        loop {
            let Some(id) = at else {
                let Some((el, first, next)) = open.pop() else {
                    break;
                };
                let rec = write_element(&mut arena, el, &mut kids, first, &mut name);
                kids.push(rec);
                at = next;
                continue;
            };
            let node = &nodes[id];
            at = node.next;
            match &node.data {
                Data::Text(t) => {
                    let s = arena.str(t);
                    kids.push(arena.text(s, [NO_SPAN; 4]));
                }
                Data::Comment(c) => {
                    let s = arena.str(c);
                    kids.push(arena.comment(s, [NO_SPAN; 4]));
                }
                Data::Pi(p) => {
                    let s = arena.str(p);
                    kids.push(arena.pi(s, [NO_SPAN; 4]));
                }
                Data::Element(el) => {
                    open.push((el, kids.len(), node.next));
                    // A template's content is kept as its children, as the shim addresses it.
                    at = nodes[el.contents.unwrap_or(id)].first;
                }
                Data::Fragment | Data::Ignored => {}
            }
        }
        let root = arena.element_from(&ElementData::new(ns, context), &mut kids, 0, [NO_SPAN; 4]);
        arena.into_tree(root)
    }
}

/// The element `el`, whose children are `kids[first..]` (taken out of `kids`); `name` is
/// scratch space for prefixed attribute names.
fn write_element(
    arena: &mut Arena,
    el: &FlatElement,
    kids: &mut Vec<Rec>,
    first: usize,
    name: &mut String,
) -> Rec {
    let tag = arena.str(&el.local);
    let from = arena.attr_count();
    for a in &el.attrs {
        let n = match &a.name.prefix {
            Some(p) => {
                name.clear();
                name.push_str(p);
                name.push(':');
                name.push_str(&a.name.local);
                arena.str(name)
            }
            None => arena.str(&a.name.local),
        };
        let v = arena.str(&a.value);
        arena.push_attr(n, v);
    }
    let attrs = arena.attrs_since(from);
    arena.element(namespace(&el.ns), tag, attrs, kids, first, [NO_SPAN; 4])
}
