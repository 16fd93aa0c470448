//! Rendering a page's Leptos view to HTML and to the node tree the diff works on.

use std::borrow::Cow;
use std::panic::{AssertUnwindSafe, catch_unwind};

use leptos::prelude::{IntoView, Owner, RenderHtml};

use crate::html::{Node, parse_fragment};
use crate::view::LiveView;

/// A render: the HTML Leptos produced and the tree the browser will build from it.
pub(crate) struct Rendered {
    pub html: String,
    pub tree: Node,
}

/// Renders `view` inside a fresh reactive owner; a panic in `render` is caught and reported.
pub(crate) fn render<V: LiveView>(view: &V) -> Result<Rendered, String> {
    catch_unwind(AssertUnwindSafe(|| {
        let owner = Owner::new();
        let html = owner.with(|| view.render().into_view().to_html());
        let tree = parse_fragment(&html);
        Rendered { html, tree }
    }))
    .map_err(panic_message)
}

/// The message of a caught panic.
pub(crate) fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}

/// What the client has at the page's current version.
///
/// A page the user is interacting with (events within the last `hot_window`) keeps its parsed
/// tree, so that each event parses only the new render. Otherwise small pages keep only their
/// HTML and parse it again when they next change: an idle page then costs little more than its
/// HTML, and a push every few seconds pays a parse of a few microseconds. Pages larger than
/// `keep_tree_above_bytes` always keep the tree.
pub(crate) enum Sent {
    Html(Box<str>),
    Tree(Node),
    Hot { html: Box<str>, tree: Node },
}

impl Sent {
    pub(crate) fn keep(rendered: Rendered, keep_tree_above: usize, hot: bool) -> Sent {
        if rendered.html.len() > keep_tree_above {
            let mut tree = rendered.tree;
            tree.shrink_deep();
            Sent::Tree(tree)
        } else if hot {
            Sent::Hot {
                html: rendered.html.into_boxed_str(),
                tree: rendered.tree,
            }
        } else {
            Sent::Html(rendered.html.into_boxed_str())
        }
    }

    pub(crate) fn tree(&self) -> Cow<'_, Node> {
        match self {
            Sent::Html(html) => Cow::Owned(parse_fragment(html)),
            Sent::Tree(tree) | Sent::Hot { tree, .. } => Cow::Borrowed(tree),
        }
    }

    pub(crate) fn is_hot(&self) -> bool {
        matches!(self, Sent::Hot { .. })
    }

    /// Drops the parsed tree of a small page, keeping its HTML.
    pub(crate) fn cool(&mut self) {
        if let Sent::Hot { html, .. } = self {
            *self = Sent::Html(std::mem::take(html));
        }
    }
}
