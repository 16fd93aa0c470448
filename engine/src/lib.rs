//! leptos-live: LiveView-style server-driven pages for Leptos and axum.
//!
//! A page is a Rust value on the server ([`LiveView`]). It holds state, handles browser events
//! and renders with Leptos `view!`. The engine turns each re-render into minimal DOM operations
//! (set a text, move a row, …) sent over one WebSocket, and a small script in the browser applies them.
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
//!
//! # The guide
//!
//! The [`guide`] takes an app from its first page to production, in chapters whose examples
//! all compile and run: [getting started](guide::getting_started),
//! [events and forms](guide::events_and_forms),
//! [navigation, layouts and flash](guide::navigation),
//! [components and async work](guide::components_and_async),
//! [streams, PubSub and Presence](guide::streams_pubsub_presence), [uploads](guide::uploads),
//! [hooks and JS commands](guide::hooks_and_js), [testing with `LiveTest`](guide::testing),
//! and [deploying and observing](guide::deploying).
//!
//! # Where things are
//!
//! The crate root holds what a page author writes against; the rest lives in modules named for
//! what they are: [`ctx`] (the handle and navigation), [`component`], [`params`], [`flash`],
//! [`upload`], [`stream`], [`pubsub`] and [`presence`], [`js`], [`work`] (async results),
//! [`location`] (the URL being rendered, for `aria-current`), [`error`], [`config`], [`server`]
//! (the listener and the shim's asset), and, with the `testing`
//! feature, `testing` (`LiveTest`, the in-process test client), with the `dashboard` feature,
//! `dashboard` (a live page of the process's figures).
//!
//! # Layers
//!
//! The engine is built in layers, lowest first. A module uses its own layer and the ones below,
//! never one above; a test (`tests/layers.rs`) reads the sources and keeps it so.
//!
//! | layer | modules | holds |
//! | --- | --- | --- |
//! | 1 | `html`, `diff` | the browser's tree and the operations between two trees |
//! | 2 | `wire` | frames, decoding, tokens, URLs, ids, limits, the outbox: bytes in and out |
//! | 3 | `stream`, `pubsub` (with `presence`, feeds) | data that outlives one render, shared across pages and processes |
//! | 4 | `view`, `ctx`, `component`, `work`, `flash`, `params`, `error`, `config`, `js`, `upload`, `location` | the page author's API, generic over the view |
//! | 5 | `page` | a page's life: sessions and mounting, its task, its I/O-free core, render, what was sent, the registry |
//! | 6 | `server` | axum: the router, the socket, the listener, the shim's asset, site settings, snapshots |
//! | 7 | `testing`, `dashboard` | `LiveTest` on the same page core, and the dashboard page, each behind its feature |

// Layer 1: the browser's tree and the operations between two trees. The parser, the diff and
// the wire format are the engine's own; tests, benchmarks and fuzzers reach them with the
// `internals` feature. They are not part of the API and may change.
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod diff;
#[cfg(not(feature = "internals"))]
mod diff;
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod html;
#[cfg(not(feature = "internals"))]
mod html;

// Layer 2: bytes in and out.
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod wire;
#[cfg(not(feature = "internals"))]
mod wire;

// Layer 3: data shared across renders, pages and processes.
pub mod pubsub;
pub mod stream;

// Layer 4: the page author's API.
pub mod component;
pub mod config;
pub mod ctx;
pub mod debug;
pub mod error;
pub mod flash;
pub mod js;
pub mod location;
pub mod params;
pub mod sticky;
pub mod upload;
mod view;
pub mod work;

// Layer 5: a page's life.
mod page;

// Layer 6: axum.
pub mod server;

// Layer 7: the test client, and the dashboard: pages and tools built on the whole engine.
#[cfg(feature = "dashboard")]
pub mod dashboard;
#[cfg(feature = "testing")]
pub mod testing;

pub use component::{ComponentMount, LiveComponent, live_component};
pub use config::LiveConfig;
pub use ctx::Ctx;
pub use error::LiveError;
pub use flash::FlashKind;
pub use js::JS;
/// Leptos's `view!`, each HTML element of the template carrying the file and line that wrote it
/// (`data-lv-at`) in a debug build while the engine renders with debug annotations on
/// ([`LiveConfig::debug_annotations`]); see [`debug`]. `use leptos_live::view;` shadows the
/// prelude's.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::view;
/// let html = Owner::new().with(|| view! { <ul><li>"one"</li></ul> }.to_html());
/// assert_eq!(html, "<ul><li>one</li></ul>"); // annotations off: Leptos's HTML, not a byte more
/// ```
pub use leptos_live_macros::view;
pub use page::session::{Halt, LiveSession, Mounting};
pub use params::{Params, RawEvent, Session};
pub use pubsub::PubSub;
pub use pubsub::presence::{self, Presence};
pub use server::{LiveEngine, LiveRouter, SiteConfig, serve};
pub use sticky::sticky;
pub use stream::Stream;
pub use view::LiveView;
pub use work::AsyncResult;

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
    page::render::render_html(view, &flash::Flash::default(), None, None, None)
}

/// The guide: what an app needs to know, in the order it needs it. Each chapter's examples are
/// compiled and run as doctests; those that need a running server are compiled only.
///
/// The chapters are the markdown files in `docs/guide/`, and read as well on their own.
/// The module exists only in the documentation and its tests: it adds nothing to a build.
#[cfg(any(doc, doctest))]
pub mod guide {
    #[doc = include_str!("../docs/guide/getting_started.md")]
    pub mod getting_started {}
    #[doc = include_str!("../docs/guide/events_and_forms.md")]
    pub mod events_and_forms {}
    #[doc = include_str!("../docs/guide/navigation.md")]
    pub mod navigation {}
    #[doc = include_str!("../docs/guide/components_and_async.md")]
    pub mod components_and_async {}
    #[doc = include_str!("../docs/guide/streams_pubsub_presence.md")]
    pub mod streams_pubsub_presence {}
    #[doc = include_str!("../docs/guide/uploads.md")]
    pub mod uploads {}
    #[doc = include_str!("../docs/guide/hooks_and_js.md")]
    pub mod hooks_and_js {}
    #[doc = include_str!("../docs/guide/testing.md")]
    pub mod testing {}
    #[doc = include_str!("../docs/guide/deploying.md")]
    pub mod deploying {}
}

/// The README's page example, compiled as a doctest so that it stays true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;
