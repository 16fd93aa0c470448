//! Portals: content a page renders in place and the browser shows elsewhere.

use leptos::prelude::*;

/// Shows its children at the end of the element `to` names (a CSS selector, `body` by
/// default) instead of where the page renders them: a modal or a toast that must escape an
/// `overflow: hidden` box or a stacking context. It renders
/// `<template lv-portal="body">…</template>`; the shim moves the content into a `<div>` of its
/// own at the end of `to`, patches it there, and runs its bindings (to the page, or with
/// `lv-target=""` to the component that renders it), hooks and focus as in the page. `to`
/// must name an element outside the page's root (the body, or an element of the layout); the
/// content leaves with the template.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::Portal;
/// let html = view! {
///     <div style="overflow: hidden">
///         <Portal><p id="toast" lv-click="dismiss">"Saved"</p></Portal>
///         <Portal to="#dialogs">"A dialog"</Portal>
///     </div>
/// }
/// .to_html();
/// assert!(html.contains(r#"<template lv-portal="body"><p id="toast" lv-click="dismiss">Saved</p></template>"#));
/// assert!(html.contains(r##"<template lv-portal="#dialogs">A dialog</template>"##));
/// ```
#[component]
pub fn Portal(
    /// Where the content shows: a CSS selector for an element outside the page's root.
    #[prop(into, default = "body".to_string())]
    to: String,
    children: Children,
) -> impl IntoView {
    view! { <template lv-portal=to>{children()}</template> }
}
