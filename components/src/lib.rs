//! Leptos function components styled with Tailwind classes, for leptos-live pages: buttons,
//! links, form fields, a modal, flash messages, tables and lists, badges, dropdowns, tabs,
//! pagination, spinners, Heroicons, and a portal that shows content elsewhere in the page.
//!
//! They render plain HTML with `lv-*` bindings and JS commands, so they work in any
//! `LiveView::render`, with accessible markup (labels, roles, `aria-*`) and the keyboard.
//! Include [`STYLES`] in the page's `<head>` for the loading and empty states, and generate the
//! Tailwind classes from this crate's sources with the app's own (see `leptos_live_tailwind`).
//! The counter demo shows every one of them at `/components`.
//!
//! ```
//! use leptos::prelude::*;
//! use leptos_live_components::{Button, Variant};
//! let html = view! { <Button event="inc" variant=Variant::Primary>"+1"</Button> }.to_html();
//! assert!(html.contains(r#"lv-click="inc""#));
//! ```

mod button;
mod feedback;
mod form;
mod icon;
mod layout;
mod modal;
mod nav;
mod portal;
mod table;

pub use button::{Button, Link, LinkKind, Size, Variant};
pub use feedback::{Badge, Flash, FlashGroup, Spinner, Tone};
pub use form::{
    Checkbox, Field, FieldControl, Form, Input, NumberField, RadioGroup, Select, Textarea, Touched,
};
pub use icon::{Icon, icons};
pub use layout::{Card, Header};
pub use modal::{Modal, hide_modal, show_modal};
pub use nav::{Dropdown, Pagination, Tab, Tabs};
pub use portal::Portal;
pub use table::{List, Table};

/// CSS the components need beside their Tailwind classes: a [`Spinner`] shows, and a
/// [`Button`] dims, while its event is slow (the shim's `lv-*-slow` classes, from 100 ms in
/// flight: a quicker reply shows no flash, and costs the browser no restyle); the empty
/// state of a [`Table`] or [`List`] shows when its body has no rows, a stream's included.
///
/// ```
/// assert!(leptos_live_components::STYLES.contains(".lv-empty"));
/// ```
pub const STYLES: &str = "\
.lv-spinner{display:none}\
.lv-click-slow .lv-spinner,.lv-submit-slow .lv-button[type=submit] .lv-spinner{display:inline-block}\
.lv-click-slow.lv-button,.lv-submit-slow .lv-button[type=submit]{opacity:.7;cursor:wait}\
.lv-empty{display:none}\
tbody:empty+tbody.lv-empty{display:table-row-group}\
ul:empty+p.lv-empty{display:block}";
