//! Tables and lists, from a slice or a stream, with an empty state.

use leptos::prelude::*;

/// A table: a header row, then its children as rows (`<tr>`s rendered from a slice, or a
/// [`leptos_live::Stream`]'s items when `stream` names it), and `empty` when there are none
/// (shown by [`crate::STYLES`] whenever the body is empty, a stream's included).
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::Table;
/// let rows = vec![("ada", 36), ("alan", 41)];
/// let html = view! {
///     <Table id="people" headers=vec!["Name".into(), "Age".into()] empty="Nobody yet">
///         {rows.into_iter().map(|(n, a)| view! { <tr><td>{n}</td><td>{a}</td></tr> }).collect_view()}
///     </Table>
/// }.to_html();
/// assert!(html.contains(r#"<th scope="col""#) && html.contains("ada") && html.contains("Nobody yet"));
/// ```
#[component]
pub fn Table(
    /// The body's id.
    #[prop(into)]
    id: String,
    /// The column headings.
    headers: Vec<String>,
    /// What the table says when it has no rows.
    #[prop(into)]
    empty: String,
    /// The stream whose items are the rows (`lv-stream` on the body).
    #[prop(optional, into)]
    stream: Option<String>,
    /// The rows.
    children: Children,
) -> impl IntoView {
    let columns = headers.len().max(1).to_string();
    let headers = headers
        .into_iter()
        .map(|h| view! { <th scope="col" class="px-3 py-2 text-left text-sm font-semibold text-slate-900">{h}</th> })
        .collect_view();
    view! {
        <table class="min-w-full divide-y divide-slate-300">
            <thead><tr>{headers}</tr></thead>
            <tbody id=id lv-stream=stream class="divide-y divide-slate-200 text-sm text-slate-700 [&_td]:px-3 [&_td]:py-2">{children()}</tbody>
            <tbody class="lv-empty"><tr><td colspan=columns class="px-3 py-6 text-center text-sm text-slate-500">{empty}</td></tr></tbody>
        </table>
    }
}

/// A list: its children as items (`<li>`s from a slice or a stream), and `empty` when there are
/// none.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::List;
/// let html = view! { <List id="todo" empty="Nothing to do">{view! { <li>"milk"</li> }}</List> }.to_html();
/// assert!(html.contains(r#"<ul id="todo""#) && html.contains("milk"));
/// ```
#[component]
pub fn List(
    /// The list's id.
    #[prop(into)]
    id: String,
    /// What the list says when it has no items.
    #[prop(into)]
    empty: String,
    /// The stream whose items are the list's (`lv-stream`).
    #[prop(optional, into)]
    stream: Option<String>,
    /// The items.
    children: Children,
) -> impl IntoView {
    view! {
        <ul id=id lv-stream=stream role="list" class="divide-y divide-slate-200 [&>li]:py-2">{children()}</ul>
        <p class="lv-empty text-sm text-slate-500">{empty}</p>
    }
}
