//! HTML as the browser sees it: a parser that builds the same node tree as the browser's HTML5
//! parser, and a serialiser whose output parses back into the same tree.
//!
//! ```
//! use leptos_live::html::{parse_fragment, inner_html};
//! let root = parse_fragment("<table><tr><td>1</td></tr></table>");
//! // The browser inserts an implied <tbody>, and so does the engine.
//! assert_eq!(inner_html(&root), "<table><tbody><tr><td>1</td></tr></tbody></table>");
//! ```

mod builder;
mod entities;
mod node;
mod serialize;
mod tokenizer;

pub use node::{Attribute, Element, Namespace, Node, NodeData};
pub(crate) use serialize::escape;
pub use serialize::{inner_html, outer_html};

/// Parses `html` as the content of a `<div>`, like `div.innerHTML = html`; returns the `<div>`.
///
/// ```
/// use leptos_live::html::parse_fragment;
/// let root = parse_fragment("<p>one<p>two");
/// assert_eq!(root.children().len(), 2); // the second <p> closes the first
/// ```
pub fn parse_fragment(html: &str) -> Node {
    parse_fragment_in(html, Namespace::Html, "div")
}

/// Parses `html` as the content of an element named `context` in namespace `ns`.
///
/// ```
/// use leptos_live::html::{parse_fragment_in, Namespace};
/// let root = parse_fragment_in("<circle r=\"1\"/>", Namespace::Svg, "svg");
/// assert_eq!(root.children()[0].as_element().unwrap().ns, Namespace::Svg);
/// ```
pub fn parse_fragment_in(html: &str, ns: Namespace, context: &str) -> Node {
    builder::build(
        html,
        Element {
            ns,
            name: context.into(),
            attrs: Vec::new(),
        },
    )
}

#[cfg(test)]
mod tests;
