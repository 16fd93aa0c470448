//! leptos-live: LiveView-style server-driven pages for Leptos and axum.
//!
//! A page is a Rust value on the server ([`LiveView`]). It holds state, handles browser events
//! and renders with Leptos `view!`. The engine turns each re-render into minimal DOM operations
//! ([`Op`]) sent over one WebSocket, and a small script in the browser applies them.
//!
//! Pages of a [`LiveSession`] share a layout and `on_mount` checks, and move between each other
//! over the same socket (`lv-navigate`, [`Ctx::push_navigate`]) or change their own URL
//! (`lv-patch`, [`LiveView::handle_params`]). A [`LiveComponent`] is a part of a page with
//! state and events of its own; [`Ctx::assign_async`] runs work off the page's task;
//! [`Ctx::allow_upload`] takes files from the browser in chunks over the same socket.
//!
//! ```no_run
//! use leptos::prelude::*;
//! use leptos_live::{Ctx, LiveError, LiveRouter, LiveView, Params, Session};
//!
//! #[derive(serde::Deserialize)]
//! #[serde(rename_all = "snake_case")]
//! enum Event { Inc }
//!
//! struct Counter { count: i64 }
//!
//! impl LiveView for Counter {
//!     type Message = ();
//!     type Event = Event;
//!     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
//!         Ok(Counter { count: 0 })
//!     }
//!     async fn handle_event(&mut self, event: Event, _: &mut Ctx<Self>) -> Result<(), LiveError> {
//!         match event {
//!             Event::Inc => self.count += 1,
//!         }
//!         Ok(())
//!     }
//!     fn render(&self) -> impl IntoView {
//!         view! { <button lv-click="inc">"Clicked " {self.count} " times"</button> }
//!     }
//! }
//!
//! #[tokio::main]
//! async fn main() {
//!     let app: axum::Router = LiveRouter::new().page::<Counter>("/").into_router();
//!     let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await.unwrap();
//!     leptos_live::serve(listener, app).await.unwrap();
//! }
//! ```

mod asset;
mod component;
mod config;
mod ctx;
mod decode;
// The parser, the diff and the wire format are the engine's own; tests, benchmarks and fuzzers
// reach them with the `internals` feature. They are not part of the API and may change.
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod diff;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)]
mod diff;
mod error;
mod feed;
mod flash;
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod html;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)]
mod html;
pub mod js;
mod limit;
mod live_session;
mod outbox;
mod page;
mod page_core;
mod params;
mod presence;
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod protocol;
#[cfg(not(feature = "internals"))]
#[allow(dead_code, unused_imports)]
mod protocol;
pub mod pubsub;
mod registry;
mod render;
mod router;
mod sent;
mod serve;
mod server;
mod site;
mod snapshot;
mod socket;
mod stream;
mod testing;
mod token;
mod upload;
mod url;
mod view;
mod work;

pub use asset::{CLIENT_JS, client_js, client_js_gzip_len};
pub use component::{ComponentMount, LiveComponent, live_component};
pub use config::LiveConfig;
pub use ctx::{Ctx, LiveHandle, Nav, PageGone, Pushed};
pub use decode::{DecodeError, DecodeErrorKind};
pub use diff::Op;
pub use error::{ErrorCode, LiveError};
pub use flash::{CLEAR_FLASH, Flash, FlashKind, flash};
pub use js::JS;
pub use live_session::{Halt, LiveSession, Mounting};
pub use page::MountError;
pub use params::{Params, Payload, RawEvent, Session, cookie};
pub use presence::{Presence, PresenceDiff, PresenceEntry, Tracked};
pub use pubsub::PubSub;
pub use router::{LiveEngine, LiveRouter};
pub use serve::{NoDelayListener, nodelay, serve, stop_signal};
pub use site::{SiteConfig, SiteError};
pub use stream::{At, Stream};
pub use testing::{LiveTest, TestFile};
pub use upload::{
    CANCEL_UPLOAD, LiveFileInput, LiveImgPreview, MAX_CHUNK_SIZE, Upload, UploadConfig,
    UploadEntry, UploadError, UploadedFile, upload,
};
pub use view::LiveView;
pub use work::{AsyncFailed, AsyncResult};

/// Renders a page's view to HTML once, outside any socket: for tests and static previews.
///
/// ```
/// use leptos::prelude::*;
/// struct P;
/// impl leptos_live::LiveView for P {
///     type Message = ();
///     type Event = leptos_live::RawEvent;
///     async fn mount(_: &leptos_live::Params, _: &leptos_live::Session, _: &mut leptos_live::Ctx<Self>)
///         -> Result<Self, leptos_live::LiveError> { Ok(P) }
///     fn render(&self) -> impl IntoView { view! { <p class="x">"hi"</p> } }
/// }
/// assert_eq!(leptos_live::render_to_string(&P).unwrap(), r#"<p class="x">hi</p>"#);
/// ```
pub fn render_to_string<V: LiveView>(view: &V) -> Result<String, String> {
    render::render_html(view, &Flash::default(), None, None)
}

/// The README's page example, compiled as a doctest so that it stays true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;
