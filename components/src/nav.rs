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

/// One tab of [`Tabs`]: its label, the URL it patches to, and whether it is the one shown;
/// optionally an id and a count shown beside the label.
///
/// ```
/// use leptos_live_components::Tab;
/// let tab = Tab::new("Members", "?tab=members", false).id("tab-members").count(3);
/// assert_eq!((tab.id.as_deref(), tab.count), (Some("tab-members"), Some(3)));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tab {
    /// What it says.
    pub label: String,
    /// The URL of the page with this tab (a live patch: `handle_params` reads it).
    pub to: String,
    /// Whether it is the tab shown.
    pub active: bool,
    /// The link's id (its count is `{id}-count`).
    pub id: Option<String>,
    /// A number shown beside the label, such as how many items the tab lists.
    pub count: Option<usize>,
}

impl Tab {
    /// A tab.
    ///
    /// ```
    /// let tab = leptos_live_components::Tab::new("Info", "?tab=info", true);
    /// assert!(tab.active && tab.id.is_none() && tab.count.is_none());
    /// ```
    pub fn new(label: impl Into<String>, to: impl Into<String>, active: bool) -> Tab {
        Tab {
            label: label.into(),
            to: to.into(),
            active,
            id: None,
            count: None,
        }
    }

    /// With this id on its link (and `{id}-count` on its count).
    ///
    /// ```
    /// let tab = leptos_live_components::Tab::new("Info", "?tab=info", true).id("tab-info");
    /// assert_eq!(tab.id.as_deref(), Some("tab-info"));
    /// ```
    pub fn id(mut self, id: impl Into<String>) -> Tab {
        self.id = Some(id.into());
        self
    }

    /// With `count` shown beside the label.
    ///
    /// ```
    /// let tab = leptos_live_components::Tab::new("Online", "?tab=online", true).count(2);
    /// assert_eq!(tab.count, Some(2));
    /// ```
    pub fn count(mut self, count: usize) -> Tab {
        self.count = Some(count);
        self
    }
}

/// Tabs as live patches of the page's URL: the page shows the tab its params name. A tab
/// replaces the history entry (`lv-replace`), so that Back leaves the page rather than going
/// through its tabs; with `push`, each tab adds an entry instead.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::{Tab, Tabs};
/// let tabs = vec![
///     Tab::new("Info", "?tab=info", true),
///     Tab::new("Members", "?tab=members", false).id("tab-members").count(3),
/// ];
/// let html = view! { <Tabs tabs=tabs.clone() /> }.to_html();
/// assert!(html.contains(r#"role="tablist""#) && html.contains(r#"aria-selected="true""#));
/// assert!(html.contains(r#"id="tab-members""#) && html.contains(r#"<span id="tab-members-count""#));
/// assert!(html.contains("lv-replace"));
/// assert!(!view! { <Tabs tabs=tabs push=true /> }.to_html().contains("lv-replace"));
/// ```
#[component]
pub fn Tabs(
    /// The tabs.
    tabs: Vec<Tab>,
    /// Each tab adds a history entry (Back returns to the tab shown before).
    #[prop(optional)]
    push: bool,
) -> impl IntoView {
    let links = tabs
        .into_iter()
        .map(|t| {
            let class = if t.active {
                "border-indigo-500 text-indigo-600"
            } else {
                "border-transparent text-slate-500 hover:border-slate-300 hover:text-slate-700"
            };
            let text = match t.count {
                Some(n) => {
                    let id = t.id.as_ref().map(|id| format!("{id}-count"));
                    view! { {format!("{} ", t.label)} <span id=id class="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium tabular-nums text-slate-600">{n}</span> }.into_any()
                }
                None => t.label.into_any(),
            };
            view! {
                <a id=t.id href=t.to role="tab" aria-selected=t.active.to_string() lv-patch="" lv-replace=(!push).then_some("") class=format!("border-b-2 px-1 py-3 text-sm font-medium {class}")>{text}</a>
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
