//! Leptos function components styled with Tailwind classes, for leptos-live pages.
//!
//! They render plain HTML with `lv-*` bindings, so they work in any `LiveView::render`.
//!
//! ```
//! use leptos::prelude::*;
//! use leptos_live_components::{Button, Variant};
//! let html = view! { <Button event="inc" variant=Variant::Primary>"+1"</Button> }.to_html();
//! assert!(html.contains(r#"lv-click="inc""#));
//! ```

use leptos::prelude::*;

/// How prominent a [`Button`] is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Variant {
    /// The main action.
    #[default]
    Primary,
    /// A secondary action.
    Secondary,
    /// A destructive or resetting action.
    Danger,
}

impl Variant {
    fn classes(self) -> &'static str {
        match self {
            Variant::Primary => {
                "bg-indigo-600 text-white hover:bg-indigo-500 focus-visible:outline-indigo-600"
            }
            Variant::Secondary => {
                "bg-white text-slate-900 ring-1 ring-inset ring-slate-300 hover:bg-slate-50"
            }
            Variant::Danger => {
                "bg-rose-600 text-white hover:bg-rose-500 focus-visible:outline-rose-600"
            }
        }
    }
}

/// A button that sends `event` to the page when clicked.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::Button;
/// let html = view! { <Button event="reset">"Reset"</Button> }.to_html();
/// assert!(html.starts_with("<button"));
/// ```
#[component]
pub fn Button(
    /// The event name for `handle_event`.
    #[prop(into)]
    event: String,
    /// The button's style.
    #[prop(optional)]
    variant: Variant,
    /// An accessible label when the content is only a symbol.
    #[prop(optional, into)]
    label: Option<String>,
    /// The button's content.
    children: Children,
) -> impl IntoView {
    let class = format!(
        "rounded-md px-4 py-2 text-sm font-semibold shadow-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 {}",
        variant.classes()
    );
    view! {
        <button type="button" class=class lv-click=event aria-label=label>
            {children()}
        </button>
    }
}

/// A labelled number input; put it in a form with `lv-change` to send its value as it is typed.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::NumberField;
/// let html = view! { <NumberField name="step" label="Step" value=1 /> }.to_html();
/// assert!(html.contains(r#"name="step""#) && html.contains(r#"value="1""#));
/// ```
#[component]
pub fn NumberField(
    /// The field's name in the form's payload (also its id).
    #[prop(into)]
    name: String,
    /// The visible label.
    #[prop(into)]
    label: String,
    /// The current value.
    value: i64,
) -> impl IntoView {
    view! {
        <label for=name.clone() class="block text-sm font-medium text-slate-700">{label}</label>
        <input
            type="number"
            id=name.clone()
            name=name
            value=value.to_string()
            class="mt-1 block w-full rounded-md border-0 px-3 py-1.5 text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-inset focus:ring-indigo-600"
        />
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

/// The page's flash message of `kind` ([`leptos_live::Ctx::put_flash`]), with a button that
/// dismisses it; nothing when there is none. Errors are announced as alerts.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::FlashKind;
/// use leptos_live_components::Flash;
/// // Outside a page's render there is no flash: no message is rendered.
/// assert!(!view! { <Flash kind=FlashKind::Info/> }.to_html().contains("flash-info"));
/// ```
#[component]
pub fn Flash(
    /// Which message.
    kind: leptos_live::FlashKind,
) -> impl IntoView {
    let flash = leptos_live::flash();
    let message = flash.get(kind).map(str::to_string);
    message.map(|message| {
        let error = kind == leptos_live::FlashKind::Error;
        let (role, colours) = if error {
            ("alert", "border-rose-200 bg-rose-50 text-rose-900")
        } else {
            ("status", "border-emerald-200 bg-emerald-50 text-emerald-900")
        };
        view! {
            <div id=format!("flash-{}", kind.as_str()) role=role class=format!("flex items-start justify-between gap-3 rounded-lg border px-4 py-3 text-sm {colours}")>
                <p>{message}</p>
                <button type="button" lv-click=leptos_live::CLEAR_FLASH lv-value-kind=kind.as_str() aria-label="Dismiss" class="font-bold opacity-60 hover:opacity-100">"×"</button>
            </div>
        }
    })
}

/// Every flash message of the page, info then error, in one live region.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::FlashGroup;
/// let html = view! { <FlashGroup/> }.to_html();
/// assert!(html.contains(r#"id="flash-group""#));
/// ```
#[component]
pub fn FlashGroup() -> impl IntoView {
    view! {
        <div id="flash-group" aria-live="polite" class="space-y-2">
            <Flash kind=leptos_live::FlashKind::Info />
            <Flash kind=leptos_live::FlashKind::Error />
        </div>
    }
}
