//! Rendering a page's Leptos view to HTML and to the node tree the diff works on.

use std::panic::{AssertUnwindSafe, catch_unwind};

use axum::http::Uri;
use leptos::prelude::{IntoView, Owner, RenderHtml, provide_context};

use crate::component::Slots;
use crate::error::panic_message;
use crate::flash::Flash;
use crate::html::{Tree, parse_fragment};
use crate::location;
use crate::upload::Shown;
use crate::view::LiveView;

/// A render: the HTML Leptos produced and the tree the browser will build from it.
pub(crate) struct Rendered {
    pub html: String,
    pub tree: Tree,
}

/// Renders `view` and parses the result; a panic in either is caught and reported.
pub(crate) fn render<V: LiveView>(
    view: &V,
    flash: &Flash,
    components: Option<&Slots<V>>,
    uploads: Option<Shown>,
    url: Option<&str>,
) -> Result<Rendered, String> {
    let html = render_html(view, flash, components, uploads, url)?;
    catch_unwind(AssertUnwindSafe(|| parse_fragment(&html)))
        .map(|tree| Rendered { html, tree })
        .map_err(panic_message)
}

/// Renders `view` to HTML inside a fresh reactive owner, with the page's flash (see
/// [`crate::flash()`]), its uploads (see [`crate::upload()`]), its components (see
/// [`crate::live_component`]) and its path and query (see [`crate::location`]) as context; a
/// panic in `render` is caught.
pub(crate) fn render_html<V: LiveView>(
    view: &V,
    flash: &Flash,
    components: Option<&Slots<V>>,
    uploads: Option<Shown>,
    url: Option<&str>,
) -> Result<String, String> {
    catch_unwind(AssertUnwindSafe(|| {
        let owner = Owner::new();
        owner.with(|| {
            if let Some(url) = url {
                location::provide(url);
            }
            if !flash.is_empty() {
                provide_context(flash.clone());
            }
            if let Some(uploads) = uploads {
                provide_context(uploads);
            }
            match components {
                Some(registry) => {
                    registry.begin();
                    let html = registry.rendering(|| view.render().into_view().to_html());
                    registry.finish(html)
                }
                None => view.render().into_view().to_html(),
            }
        })
    }))
    .map_err(panic_message)
}

/// The path and query of `uri`, as a page's links name it (`/users?page=2`).
pub(crate) fn path_and_query(uri: &Uri) -> &str {
    uri.path_and_query().map_or(uri.path(), |p| p.as_str())
}
