//! What tells the user how things stand: flash messages, badges, spinners.

use leptos::prelude::*;

/// A spinning circle. By default it shows only while the event of the element it is in (or of
/// its form) is slow, in flight for 100 ms or more: the shim's `lv-*-slow` classes, styled by
/// [`crate::STYLES`]. With
/// `always`, it always shows.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::Spinner;
/// let html = view! { <Spinner /> }.to_html();
/// assert!(html.contains("lv-spinner") && html.contains("animate-spin"));
/// ```
#[component]
pub fn Spinner(
    /// Show it whatever is in flight.
    #[prop(optional)]
    always: bool,
    /// Classes for its size and colour (default `h-4 w-4`).
    #[prop(optional, into)]
    class: Option<String>,
) -> impl IntoView {
    let class = format!(
        "{} animate-spin {}",
        if always { "" } else { "lv-spinner" },
        class.as_deref().unwrap_or("h-4 w-4")
    );
    view! {
        <svg class=class viewBox="0 0 24 24" fill="none" aria-hidden="true">
            <circle cx="12" cy="12" r="10" stroke="currentColor" stroke-width="4" opacity="0.25"></circle>
            <path fill="currentColor" opacity="0.75" d="M4 12a8 8 0 0 1 8-8v4a4 4 0 0 0-4 4H4z"></path>
        </svg>
    }
}

/// A [`Badge`]'s colour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tone {
    /// Neutral.
    #[default]
    Gray,
    /// Good, done, online.
    Green,
    /// Bad, failed.
    Red,
    /// Needs attention.
    Yellow,
    /// For information.
    Blue,
}

impl Tone {
    fn classes(self) -> &'static str {
        match self {
            Tone::Gray => "bg-slate-100 text-slate-700 ring-slate-500/20",
            Tone::Green => "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
            Tone::Red => "bg-rose-50 text-rose-700 ring-rose-600/20",
            Tone::Yellow => "bg-amber-50 text-amber-800 ring-amber-600/20",
            Tone::Blue => "bg-sky-50 text-sky-700 ring-sky-600/20",
        }
    }
}

/// A small label with a colour.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::{Badge, Tone};
/// let html = view! { <Badge tone=Tone::Green>"online"</Badge> }.to_html();
/// assert!(html.contains("online") && html.contains("emerald"));
/// ```
#[component]
pub fn Badge(
    /// Its colour.
    #[prop(optional)]
    tone: Tone,
    /// The label.
    children: Children,
) -> impl IntoView {
    let class = format!(
        "inline-flex items-center rounded-md px-2 py-1 text-xs font-medium ring-1 ring-inset {}",
        tone.classes()
    );
    view! { <span class=class>{children()}</span> }
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
    let flash = leptos_live::flash::flash();
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
                <button type="button" lv-click=leptos_live::flash::CLEAR_FLASH lv-value-kind=kind.as_str() aria-label="Dismiss" class="font-bold opacity-60 hover:opacity-100">"×"</button>
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
