//! Rendering a page's Leptos view to HTML and to the node tree the diff works on.

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
    let html = catch_unwind(AssertUnwindSafe(|| {
        let owner = Owner::new();
        owner.with(|| view.render().into_view().to_html())
    }))
    .map_err(panic_message)?;
    let tree = parse_fragment(&html);
    Ok(Rendered { html, tree })
}

/// The message of a caught panic.
pub(crate) fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}
