//! Icons: Heroicons from the `icondata_hi` crate.

use leptos::prelude::*;

/// The Heroicons set (`icons::HiXMarkOutlineLg`, `icons::HiCheckSolidMd`, …): outline icons
/// are `…OutlineLg`, solid ones `…SolidLg`, `…SolidMd` (20 px) and `…SolidSm` (16 px).
pub use icondata_hi as icons;

/// An icon, drawn in the text's colour, hidden from screen readers (label what it is on).
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::{icons, Icon};
/// let html = view! { <Icon icon=icons::HiXMarkOutlineLg class="h-5 w-5" /> }.to_html();
/// assert!(html.starts_with("<svg") && html.contains(r#"aria-hidden="true""#) && html.contains("<path"));
/// ```
#[component]
pub fn Icon(
    /// Which icon.
    icon: icondata_core::Icon,
    /// Classes for its size (default `h-5 w-5`).
    #[prop(optional, into)]
    class: Option<String>,
) -> impl IntoView {
    let class = class.unwrap_or_else(|| "h-5 w-5".to_string());
    view! {
        <svg
            class=class
            viewBox=icon.view_box
            fill=icon.fill.unwrap_or("currentColor")
            stroke=icon.stroke
            stroke-width=icon.stroke_width
            stroke-linecap=icon.stroke_linecap
            stroke-linejoin=icon.stroke_linejoin
            aria-hidden="true"
            inner_html=icon.data
        ></svg>
    }
}
