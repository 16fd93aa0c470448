//! Live parts of a layout: a [`crate::LiveView`] of its own placed in a live session's layout,
//! which keeps its state across the live navigations of the page beside it and updates live
//! (PubSub, its own events), as Phoenix LiveView's sticky `live_render` and Livewire's
//! `@persist` do.
//!
//! Declare it on the session with [`crate::LiveSession::sticky`] and place it in the layout with
//! [`sticky`]. Every HTTP render of a page of the session mounts it beside the page, through the
//! session's `on_mount` checks, and puts it in its own live root (`<div lv-sticky>`), which the
//! shim joins over the page's socket, on a channel of its own. A live navigation replaces the
//! page inside the main root only: the layout, and the sticky part with its state, stay. Its links with
//! `lv-navigate` navigate the page beside it; so do its `push_navigate` and `push_patch`.
//!
//! ```
//! use leptos::prelude::*;
//! use leptos_live::{Ctx, LiveError, LiveSession, LiveView, Mounting, Params, RawEvent, Session, sticky};
//!
//! /// The rooms in the sidebar: kept across navigations, updated when one is made.
//! struct RoomList { rooms: Vec<String> }
//! impl LiveView for RoomList {
//!     type Message = ();
//!     type Event = RawEvent;
//!     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
//!         Ok(RoomList { rooms: vec!["lobby".into()] })
//!     }
//!     fn render(&self) -> impl IntoView {
//!         let links = self.rooms.iter().map(|r| view! { <li><a href=format!("/rooms/{r}") lv-navigate="">{r.clone()}</a></li> }).collect_view();
//!         view! { <ul id="rooms">{links}</ul> }
//!     }
//! }
//! # struct Room;
//! # impl LiveView for Room {
//! #     type Message = ();
//! #     type Event = RawEvent;
//! #     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Room) }
//! #     fn render(&self) -> impl IntoView { view! { <p>"a room"</p> } }
//! # }
//!
//! let chat = LiveSession::new("chat")
//!     .sticky::<RoomList>("rooms")
//!     .layout(|page: AnyView, _: &Mounting| {
//!         view! { <nav>{sticky("rooms")}</nav> <main>{page}</main> }.into_any()
//!     })
//!     .page::<Room>("/rooms/{name}");
//! let router: axum::Router = leptos_live::LiveRouter::new().live_session(chat).into_router();
//! ```

use std::sync::Arc;

use leptos::prelude::*;

/// The sticky parts an HTTP render mounted, by name, each as its live root's HTML.
#[derive(Clone, Debug, Default)]
pub(crate) struct Parts(pub Arc<Vec<(String, String)>>);

/// The live root of the sticky part `name` (declared with [`crate::LiveSession::sticky`]), for
/// the live session's layout: where it goes in the document. Nothing outside a layout's render,
/// or for a name the session does not declare (an error in the log).
///
/// ```
/// // Outside a layout's render there is no sticky part.
/// use leptos::prelude::*;
/// let html = Owner::new().with(|| leptos_live::sticky("rooms").to_html());
/// assert_eq!(html, "");
/// ```
pub fn sticky(name: &str) -> AnyView {
    let html = use_context::<Parts>().and_then(|parts| {
        parts
            .0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, html)| html.clone())
    });
    let html = html.unwrap_or_else(|| {
        tracing::error!(
            name,
            "no sticky part of that name was mounted for this layout (declare it with LiveSession::sticky)"
        );
        String::new()
    });
    leptos::tachys::html::InertElement::new(html).into_any()
}

/// The pattern a sticky part's tokens name: no URL can match it.
pub(crate) fn pattern(name: &str) -> String {
    format!("@{name}")
}
