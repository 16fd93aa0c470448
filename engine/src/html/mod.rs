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
mod fallback;
mod instruction;
pub mod reparse;
mod serialize;
mod strict;
mod string;
mod tags;
mod tokenizer;
pub(crate) mod tree;
mod view_html;

pub(crate) use serialize::escape;
#[cfg(any(test, feature = "internals", feature = "testing"))]
pub use serialize::inner_html;
pub use serialize::outer_html;
#[cfg(any(test, feature = "internals"))]
pub use string::Str;
#[cfg(any(test, feature = "internals"))]
pub use tree::{Attr, ChildIter, Element};
pub use tree::{Children, Namespace, Node, NodeData, Tree};
pub(crate) use view_html::view_html;

/// Parses `html` as the content of a `<div>`, like `div.innerHTML = html`; the tree's root is
/// the `<div>`.
///
/// ```
/// use leptos_live::html::parse_fragment;
/// let root = parse_fragment("<p>one<p>two");
/// assert_eq!(root.children().len(), 2); // the second <p> closes the first
/// ```
pub fn parse_fragment(html: &str) -> Tree {
    parse_fragment_in(html, Namespace::Html, "div")
}

/// Parses `html` as the content of an element named `context` in namespace `ns`.
///
/// ```
/// use leptos_live::html::{parse_fragment_in, Namespace};
/// let root = parse_fragment_in("<circle r=\"1\"/>", Namespace::Svg, "svg");
/// assert_eq!(root.children().at(0).as_element().unwrap().ns, Namespace::Svg);
/// ```
pub fn parse_fragment_in(html: &str, ns: Namespace, context: &str) -> Tree {
    fast_path(html, ns, context).unwrap_or_else(|| fallback::parse(html, ns, context))
}

/// Whether the engine's own parser reads `html` (as a `<div>`'s content) without handing it to
/// the full HTML5 parser. Everything Leptos `view!` emits stays on this fast path.
///
/// ```
/// use leptos_live::html::on_fast_path;
/// assert!(on_fast_path("<table><tr><td>1</td></tr></table>"));
/// assert!(!on_fast_path("<table>misplaced text</table>")); // foster parenting
/// ```
#[cfg(any(test, feature = "internals"))]
pub fn on_fast_path(html: &str) -> bool {
    fast_path(html, Namespace::Html, "div").is_some()
}

/// Parses `html` as the content of a `<div>` with the full HTML5 parser (html5ever) the engine
/// falls back to, whatever the input: the second reference of the conformance tests.
///
/// ```
/// use leptos_live::html::{parse_fragment, parse_fragment_reference};
/// let html = "<ul><li>a<li>b</ul>";
/// assert_eq!(parse_fragment(html), parse_fragment_reference(html));
/// ```
#[cfg(any(test, feature = "internals"))]
pub fn parse_fragment_reference(html: &str) -> Tree {
    fallback::parse(html, Namespace::Html, "div")
}

fn fast_path(html: &str, ns: Namespace, context: &str) -> Option<Tree> {
    if ns == Namespace::Html && context == "template" {
        // Template contents have an insertion mode of their own.
        return None;
    }
    let context = tree::ElementData::new(ns, context);
    strict::build(html, std::slice::from_ref(&context), 0).or_else(|| builder::build(html, context))
}

#[cfg(test)]
mod tests;
