//! Page structure: headers and cards.

use leptos::prelude::*;

/// A page or section heading, with a line under it and actions on the right.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::Header;
/// let html = view! { <Header title="Users" subtitle="Everyone with an account">"…"</Header> }.to_html();
/// assert!(html.contains("<h1") && html.contains("Everyone"));
/// ```
#[component]
pub fn Header(
    /// The heading.
    #[prop(into)]
    title: String,
    /// A line under it.
    #[prop(optional, into)]
    subtitle: Option<String>,
    /// Actions (buttons, links) on the right.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    view! {
        <header class="flex items-center justify-between gap-6 pb-4">
            <div>
                <h1 class="text-lg font-semibold leading-8 text-slate-900">{title}</h1>
                {subtitle.map(|s| view! { <p class="mt-1 text-sm text-slate-600">{s}</p> })}
            </div>
            {children.map(|c| view! { <div class="flex-none">{c()}</div> })}
        </header>
    }
}

/// A white card with a title.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::Card;
/// let html = view! { <Card title="Hi">"body"</Card> }.to_html();
/// assert!(html.contains("<h1") && html.contains("body"));
/// ```
#[component]
pub fn Card(
    /// The heading.
    #[prop(into)]
    title: String,
    /// The card's content.
    children: Children,
) -> impl IntoView {
    view! {
        <section class="w-full max-w-md rounded-2xl bg-white p-8 shadow-lg ring-1 ring-slate-200">
            <h1 class="mb-6 text-2xl font-semibold text-slate-900">{title}</h1>
            {children()}
        </section>
    }
}
