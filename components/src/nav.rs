//! Moving around: dropdown menus, tabs and pages of results.

use leptos::prelude::*;
use leptos_live::JS;

use crate::icon::{Icon, icons};

/// A button that opens a menu of its children (links or buttons). Escape and a click outside
/// close it; `aria-expanded` follows.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::Dropdown;
/// let html = view! { <Dropdown id="sort" label="Sort"><a href="?s=name">"Name"</a></Dropdown> }.to_html();
/// assert!(html.contains(r#"aria-haspopup="menu""#) && html.contains(r#"aria-expanded="false""#));
/// ```
#[component]
pub fn Dropdown(
    /// Its id.
    #[prop(into)]
    id: String,
    /// The button's text.
    #[prop(into)]
    label: String,
    /// The menu's items.
    children: Children,
) -> impl IntoView {
    let (button, menu) = (format!("{id}-button"), format!("{id}-menu"));
    let toggle = JS::new()
        .toggle(&format!("#{menu}"))
        .toggle_attribute(
            &format!("#{button}"),
            "aria-expanded",
            "true",
            Some("false"),
        )
        .to_string();
    let close = JS::new()
        .hide(&format!("#{menu}"))
        .set_attribute(&format!("#{button}"), "aria-expanded", "false")
        .to_string();
    view! {
        <div id=id class="relative inline-block text-left" lv-click-away=close.clone() lv-window-keydown=close lv-key="Escape">
            <button id=button.clone() type="button" aria-haspopup="menu" aria-expanded="false" aria-controls=menu.clone() lv-click=toggle class="inline-flex items-center gap-1 rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
                {label}
                <Icon icon=icons::HiChevronDownSolidMd class="h-4 w-4" />
            </button>
            <div id=menu role="menu" aria-labelledby=button style="display:none" class="absolute right-0 z-10 mt-2 w-48 rounded-md bg-white py-1 shadow-lg ring-1 ring-slate-200 [&>*]:block [&>*]:px-4 [&>*]:py-2 [&>*]:text-sm">
                {children()}
            </div>
        </div>
    }
}

/// One tab of [`Tabs`]: its label, the URL it patches to, and whether it is the one shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tab {
    /// What it says.
    pub label: String,
    /// The URL of the page with this tab (a live patch: `handle_params` reads it).
    pub to: String,
    /// Whether it is the tab shown.
    pub active: bool,
}

impl Tab {
    /// A tab.
    pub fn new(label: impl Into<String>, to: impl Into<String>, active: bool) -> Tab {
        Tab {
            label: label.into(),
            to: to.into(),
            active,
        }
    }
}

/// Tabs as live patches of the page's URL: the page shows the tab its params name.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::{Tab, Tabs};
/// let tabs = vec![Tab::new("Info", "?tab=info", true), Tab::new("Members", "?tab=members", false)];
/// let html = view! { <Tabs tabs=tabs /> }.to_html();
/// assert!(html.contains(r#"role="tablist""#) && html.contains(r#"aria-selected="true""#));
/// ```
#[component]
pub fn Tabs(
    /// The tabs.
    tabs: Vec<Tab>,
) -> impl IntoView {
    let links = tabs
        .into_iter()
        .map(|t| {
            let class = if t.active {
                "border-indigo-500 text-indigo-600"
            } else {
                "border-transparent text-slate-500 hover:border-slate-300 hover:text-slate-700"
            };
            view! {
                <a href=t.to role="tab" aria-selected=t.active.to_string() lv-patch="" lv-replace="" class=format!("border-b-2 px-1 py-3 text-sm font-medium {class}")>{t.label}</a>
            }
        })
        .collect_view();
    view! { <nav role="tablist" class="flex gap-6 border-b border-slate-200">{links}</nav> }
}

/// Links to the pages of a list: previous, each page, next. Each is a live patch to `path`
/// with `?page=N` (`param` names it otherwise).
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::Pagination;
/// let html = view! { <Pagination path="/users" page=2 pages=3 /> }.to_html();
/// assert!(html.contains(r#"href="/users?page=1""#) && html.contains(r#"aria-current="page""#));
/// ```
#[component]
pub fn Pagination(
    /// The page's path.
    #[prop(into)]
    path: String,
    /// The page shown (from 1).
    page: u32,
    /// How many pages there are.
    pages: u32,
    /// The query parameter (default `page`).
    #[prop(optional, into)]
    param: Option<String>,
) -> impl IntoView {
    let param = param.unwrap_or_else(|| "page".into());
    let href = |n: u32| format!("{path}?{param}={n}");
    let link = "rounded-md px-3 py-1.5 text-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50";
    let prev = (page > 1).then(|| {
        view! { <a href=href(page - 1) lv-patch="" rel="prev" class=link>"Previous"</a> }
    });
    let next = (page < pages).then(|| {
        view! { <a href=href(page + 1) lv-patch="" rel="next" class=link>"Next"</a> }
    });
    let numbers = (1..=pages)
        .map(|n| {
            let current = (n == page).then_some("page");
            let class = if n == page {
                "rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white"
            } else {
                link
            };
            view! { <a href=href(n) lv-patch="" aria-current=current class=class>{n}</a> }
        })
        .collect_view();
    view! {
        <nav aria-label="Pages" class="flex items-center gap-2">{prev}{numbers}{next}</nav>
    }
}
