//! A modal dialog, opened and closed in the browser with JS commands.

use leptos::prelude::*;
use leptos_live::JS;

use crate::icon::{Icon, icons};

/// The commands that open modal `id`: show it, remember what had the focus, and focus its first
/// focusable element. Put them on a button's `lv-click` (or a [`crate::Button`]'s `js`).
///
/// ```
/// let js = leptos_live_components::show_modal("confirm").to_string();
/// assert!(js.contains("show") && js.contains("push_focus") && js.contains("focus_first"));
/// ```
pub fn show_modal(id: &str) -> JS {
    JS::new()
        .show(&format!("#{id}"))
        .push_focus(None)
        .focus_first(&format!("#{id}-panel"))
}

/// The commands that close modal `id` and give the focus back to where it was.
///
/// ```
/// let js = leptos_live_components::hide_modal("confirm").to_string();
/// assert!(js.contains("hide") && js.contains("pop_focus"));
/// ```
pub fn hide_modal(id: &str) -> JS {
    JS::new().hide(&format!("#{id}")).pop_focus()
}

/// A modal dialog, hidden until [`show_modal`] opens it. Escape, a click outside its panel and
/// its close button close it ([`hide_modal`], plus `on_cancel` when given, such as a push to
/// the page); while it is open, Tab and Shift-Tab keep the focus inside it (`lv-focus-wrap`).
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::Modal;
/// let html = view! { <Modal id="confirm" title="Delete?">"Sure?"</Modal> }.to_html();
/// assert!(html.contains(r#"role="dialog""#) && html.contains(r#"aria-modal="true""#));
/// assert!(html.contains("lv-focus-wrap") && html.contains(r#"lv-key="Escape""#));
/// ```
#[component]
pub fn Modal(
    /// Its id; the commands name it.
    #[prop(into)]
    id: String,
    /// The dialog's title.
    #[prop(into)]
    title: String,
    /// Shown from the first render (for a modal the server opens, as on a route of its own).
    #[prop(optional)]
    show: bool,
    /// More commands to run when it is cancelled (Escape, a click outside, the close button).
    #[prop(optional)]
    on_cancel: Option<JS>,
    /// The dialog's content.
    children: Children,
) -> impl IntoView {
    let cancel = match on_cancel {
        Some(more) => hide_modal(&id).concat(more),
        None => hide_modal(&id),
    }
    .to_string();
    let title_id = format!("{id}-title");
    let (labelled_by, panel) = (title_id.clone(), format!("{id}-panel"));
    let (on_key, on_away) = (cancel.clone(), cancel.clone());
    view! {
        <div
            id=id
            class="relative z-50"
            style=(!show).then_some("display:none")
            role="dialog"
            aria-modal="true"
            aria-labelledby=labelled_by
            lv-window-keydown=on_key
            lv-key="Escape"
        >
            <div class="fixed inset-0 bg-slate-900/50" aria-hidden="true"></div>
            <div class="fixed inset-0 overflow-y-auto">
                <div class="flex min-h-full items-center justify-center p-4">
                    <div
                        id=panel
                        class="w-full max-w-lg rounded-xl bg-white p-6 shadow-xl ring-1 ring-slate-200"
                        lv-click-away=on_away
                        lv-focus-wrap=""
                    >
                        <div class="mb-4 flex items-start justify-between gap-4">
                            <h2 id=title_id class="text-lg font-semibold text-slate-900">{title}</h2>
                            <button type="button" class="rounded p-1 text-slate-500 hover:bg-slate-100" aria-label="Close" lv-click=cancel>
                                <Icon icon=icons::HiXMarkOutlineLg />
                            </button>
                        </div>
                        {children()}
                    </div>
                </div>
            </div>
        </div>
    }
}
