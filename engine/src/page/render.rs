//! Rendering a page's Leptos view to HTML and to the node tree the diff works on.

use std::panic::{AssertUnwindSafe, catch_unwind};

use axum::http::Uri;
use leptos::prelude::{IntoView, Owner, provide_context};

use crate::component::Slots;
use crate::error::panic_message;
use crate::flash::Flash;
use crate::html::{Tree, parse_fragment, view_html};
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
                    let html = registry.rendering(|| view_html(view.render().into_view()));
                    let html = match registry.annotates() {
                        true => annotated(html, std::any::type_name::<V>()),
                        false => html,
                    };
                    registry.finish(html)
                }
                None => view_html(view.render().into_view()),
            }
        })
    }))
    .map_err(panic_message)
}

/// A page's HTML (components still as their markers) with `data-lv-view="name"` on its first
/// element of its own, for the browser's inspector ([`crate::LiveConfig::debug_annotations`]).
fn annotated(html: String, name: &str) -> String {
    let first = html.match_indices('<').map(|(i, _)| i).find(|&i| {
        let tag = &html[i + 1..];
        tag.starts_with(|c: char| c.is_ascii_alphabetic()) && !tag.starts_with("lv-slot ")
    });
    let Some(start) = first else {
        return html;
    };
    let name_end = html[start + 1..]
        .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .map_or(html.len(), |n| start + 1 + n);
    let mut out = String::with_capacity(html.len() + name.len() + 16);
    out.push_str(&html[..name_end]);
    out.push_str(" data-lv-view=\"");
    crate::html::escape(name, true, &mut out);
    out.push('"');
    out.push_str(&html[name_end..]);
    out
}

/// The path and query of `uri`, as a page's links name it (`/users?page=2`).
pub(crate) fn path_and_query(uri: &Uri) -> &str {
    uri.path_and_query().map_or(uri.path(), |p| p.as_str())
}

#[cfg(test)]
mod tests {
    use super::annotated;

    #[test]
    fn the_page_annotation_goes_on_its_first_element_of_its_own() {
        assert_eq!(
            annotated("<!-- x --><main class=\"a\">hi</main>".into(), "app::Home"),
            "<!-- x --><main data-lv-view=\"app::Home\" class=\"a\">hi</main>"
        );
        assert_eq!(
            annotated(
                "<lv-slot data-k=\"n-0\"></lv-slot><p>x</p>".into(),
                "a::P<b::Q>"
            ),
            "<lv-slot data-k=\"n-0\"></lv-slot><p data-lv-view=\"a::P<b::Q>\">x</p>"
        );
        assert_eq!(annotated("text".into(), "a::P"), "text");
    }
}
