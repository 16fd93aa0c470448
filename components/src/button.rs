//! Buttons and links.

use leptos::prelude::*;
use leptos_live::JS;
use leptos_live::location::aria_current;

use crate::feedback::Spinner;

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
    /// An action that stays in the background (no border, no fill).
    Ghost,
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
            Variant::Ghost => "text-slate-700 hover:bg-slate-100",
        }
    }
}

/// How large a [`Button`] is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Size {
    /// Small.
    Sm,
    /// The usual size.
    #[default]
    Md,
    /// Large.
    Lg,
}

impl Size {
    fn classes(self) -> &'static str {
        match self {
            Size::Sm => "px-2.5 py-1.5 text-xs",
            Size::Md => "px-4 py-2 text-sm",
            Size::Lg => "px-5 py-3 text-base",
        }
    }
}

/// A button. It sends `event` to the page, runs `js` commands, or submits its form
/// (`submit`). Once its event has been in flight for 100 ms it shows a spinner and is dimmed
/// until the reply (the shim's `lv-click-slow` / `lv-submit-slow` classes, styled by
/// [`crate::STYLES`]).
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::{Button, Size, Variant};
/// let html = view! { <Button event="reset" variant=Variant::Danger size=Size::Sm>"Reset"</Button> }.to_html();
/// assert!(html.starts_with("<button") && html.contains(r#"lv-click="reset""#));
/// let submit = view! { <Button submit=true>"Save"</Button> }.to_html();
/// assert!(submit.contains(r#"type="submit""#));
/// // Values for the event, and any other attribute, go on with `attr:`.
/// let cancel = view! { <Button event="cancel" attr:lv-value-id="7">"Cancel"</Button> }.to_html();
/// assert!(cancel.contains(r#"lv-value-id="7""#));
/// ```
#[component]
pub fn Button(
    /// The event sent to `handle_event` when clicked.
    #[prop(optional, into)]
    event: Option<String>,
    /// JS commands run when clicked (instead of an event).
    #[prop(optional)]
    js: Option<JS>,
    /// A submit button of its form.
    #[prop(optional)]
    submit: bool,
    /// The button's style.
    #[prop(optional)]
    variant: Variant,
    /// The button's size.
    #[prop(optional)]
    size: Size,
    /// Its id.
    #[prop(optional, into)]
    id: Option<String>,
    /// An accessible label when the content is only a symbol.
    #[prop(optional, into)]
    label: Option<String>,
    /// The button's content.
    children: Children,
) -> impl IntoView {
    let class = format!(
        "lv-button inline-flex items-center justify-center gap-2 rounded-md font-semibold shadow-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 {} {}",
        variant.classes(),
        size.classes()
    );
    let click = js.map(|js| js.to_string()).or(event);
    let kind = if submit { "submit" } else { "button" };
    view! {
        <button type=kind id=id class=class lv-click=click aria-label=label>
            <Spinner />
            {children()}
        </button>
    }
}

/// What a [`Link`] does when followed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LinkKind {
    /// Another URL of the same page: `handle_params` runs, nothing is mounted (`lv-patch`).
    Patch,
    /// Another live page of the same live session, over the socket (`lv-navigate`).
    #[default]
    Navigate,
    /// A plain link: a full page load.
    Href,
}

/// A link to `to`, followed as a live patch, a live navigation or a full load. Rendered by the
/// engine, the link to the page shown (its `to` is the page's path and query, exactly) gets
/// `aria-current="page"` ([`leptos_live::location::aria_current`]); in a live session's layout,
/// which stays in place, the shim moves it after each live navigation.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live_components::{Link, LinkKind};
/// let html = view! { <Link to="/?tab=a" kind=LinkKind::Patch>"A"</Link> }.to_html();
/// assert!(html.contains(r#"href="/?tab=a""#) && html.contains("lv-patch"));
/// // Outside a page's render no URL is current.
/// assert!(!html.contains("aria-current"));
/// ```
#[component]
pub fn Link(
    /// Where to.
    #[prop(into)]
    to: String,
    /// How.
    #[prop(optional)]
    kind: LinkKind,
    /// Replace the history entry instead of adding one.
    #[prop(optional)]
    replace: bool,
    /// Classes (default: an underlined indigo link).
    #[prop(optional, into)]
    class: Option<String>,
    /// The link's content.
    children: Children,
) -> impl IntoView {
    let class = class.unwrap_or_else(|| {
        "font-medium text-indigo-600 underline-offset-2 hover:underline aria-[current]:font-semibold".to_string()
    });
    let current = aria_current(&to);
    view! {
        <a
            href=to
            aria-current=current
            class=class
            lv-patch=(kind == LinkKind::Patch).then_some("")
            lv-navigate=(kind == LinkKind::Navigate).then_some("")
            lv-replace=replace.then_some("")
        >
            {children()}
        </a>
    }
}
