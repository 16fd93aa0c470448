//! The full HTML5 parser (html5ever) for HTML outside the fast path: misplaced table content,
//! misnested formatting tags, `<template>`, rare character references, CDATA, escaped script.

use html5ever::tendril::TendrilSink as _;
use html5ever::{LocalName, ParseOpts, QualName, ns};
use markup5ever_rcdom::{Handle, NodeData as RcData, RcDom};

use super::tree::{Arena, ElementData, NO_SPAN, Namespace, Rec, Tree};

/// Parses `html` as the content of `context` with html5ever, into the engine's node tree.
pub(crate) fn parse(html: &str, ns: Namespace, context: &str) -> Tree {
    let context_ns = match ns {
        Namespace::Html => ns!(html),
        Namespace::Svg => ns!(svg),
        Namespace::MathMl => ns!(mathml),
    };
    let name = QualName::new(None, context_ns, LocalName::from(context));
    let dom = html5ever::parse_fragment(
        RcDom::default(),
        ParseOpts::default(),
        name,
        Vec::new(),
        true,
    )
    .one(html);
    let mut arena = Arena::default();
    let mut kids = Vec::new();
    // A fragment parse puts the nodes under an <html> element below the document.
    if let Some(root) = dom.document.children.borrow().first() {
        root.children
            .borrow()
            .iter()
            .for_each(|c| convert(c, &mut arena, &mut kids));
    }
    let root = arena.element_from(&ElementData::new(ns, context), &mut kids, 0, [NO_SPAN; 4]);
    arena.into_tree(root)
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

/// Adds the node `h` (with what it holds) to `kids`.
fn convert(h: &Handle, arena: &mut Arena, kids: &mut Vec<Rec>) {
    let rec = match &h.data {
        RcData::Text { contents } => {
            let s = arena.str(&contents.borrow());
            arena.text(s, [NO_SPAN; 4])
        }
        RcData::Comment { contents } => {
            let s = arena.str(contents);
            arena.comment(s, [NO_SPAN; 4])
        }
        RcData::Element {
            name,
            attrs,
            template_contents,
            ..
        } => {
            let attrs = attrs
                .borrow()
                .iter()
                .map(|a| {
                    let name = match &a.name.prefix {
                        Some(p) => format!("{p}:{}", a.name.local).into(),
                        None => (*a.name.local).into(),
                    };
                    (name, (*a.value).into())
                })
                .collect();
            let first = kids.len();
            // A template's content is kept as its children, as the shim addresses it.
            match &*template_contents.borrow() {
                Some(content) => content
                    .children
                    .borrow()
                    .iter()
                    .for_each(|c| convert(c, arena, kids)),
                None => h
                    .children
                    .borrow()
                    .iter()
                    .for_each(|c| convert(c, arena, kids)),
            }
            let el = ElementData {
                ns: namespace(&name.ns),
                name: (*name.local).into(),
                attrs,
            };
            arena.element_from(&el, kids, first, [NO_SPAN; 4])
        }
        _ => return,
    };
    kids.push(rec);
}
