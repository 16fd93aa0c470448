//! The full HTML5 parser (html5ever) for HTML outside the fast path: misplaced table content,
//! misnested formatting tags, `<template>`, rare character references, CDATA, escaped script.

use html5ever::tendril::TendrilSink as _;
use html5ever::{LocalName, ParseOpts, QualName, ns};
use markup5ever_rcdom::{Handle, NodeData as RcData, RcDom};

use super::node::{Attribute, Element, Namespace, Node, NodeData};

/// Parses `html` as the content of `context` with html5ever, into the engine's node tree.
pub(crate) fn parse(html: &str, ns: Namespace, context: &str) -> Node {
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
    // A fragment parse puts the nodes under an <html> element below the document.
    let root = dom.document.children.borrow().first().cloned();
    let children = root
        .map(|r| r.children.borrow().iter().filter_map(convert).collect())
        .unwrap_or_default();
    Node::new(
        NodeData::Element(Element {
            ns,
            name: context.into(),
            attrs: Vec::new(),
        }),
        children,
    )
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

fn convert(h: &Handle) -> Option<Node> {
    match &h.data {
        RcData::Text { contents } => Some(Node::new(
            NodeData::Text((**contents.borrow()).into()),
            vec![],
        )),
        RcData::Comment { contents } => {
            Some(Node::new(NodeData::Comment((**contents).into()), vec![]))
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
                .map(|a| Attribute {
                    name: match &a.name.prefix {
                        Some(p) => format!("{p}:{}", a.name.local).into(),
                        None => (*a.name.local).into(),
                    },
                    value: (*a.value).into(),
                })
                .collect();
            // A template's content is kept as its children, as the shim addresses it.
            let children = match &*template_contents.borrow() {
                Some(content) => content
                    .children
                    .borrow()
                    .iter()
                    .filter_map(convert)
                    .collect(),
                None => h.children.borrow().iter().filter_map(convert).collect(),
            };
            Some(Node::new(
                NodeData::Element(Element {
                    ns: namespace(&name.ns),
                    name: (*name.local).into(),
                    attrs,
                }),
                children,
            ))
        }
        _ => None,
    }
}
