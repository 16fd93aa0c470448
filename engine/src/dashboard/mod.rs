//! A live dashboard of the running process, written as a page of the engine itself (feature
//! `dashboard`).
//!
//! Install a [`Recorder`] as the process's `metrics` recorder (with the app's exporter inside,
//! if it has one), mount the [`Dashboard`] page behind an `on_mount` check of your own, and add
//! [`STYLESHEET`] to the app's styles. The page shows, updated every second:
//! - live pages by view and route, sockets, absent pages;
//! - events per second, and event times (p50, p99) by view and event;
//! - errors by code, with the latest examples;
//! - memory (RSS), PubSub topics with their subscribers, Presence per topic, the Redis link;
//! - the slowest recent events, with their view and name.
//!
//! It reads only what the engine records: views, route patterns, event names, error codes,
//! topic names. No payload and no session value.
//!
//! ```
//! use leptos_live::dashboard::{Dashboard, Recorder, STYLESHEET};
//! use leptos_live::{Halt, LiveRouter, LiveSession, Mounting};
//!
//! async fn admins_only(m: Mounting) -> Result<Mounting, Halt> {
//!     match m.session.get("role").and_then(|v| v.as_str()) {
//!         Some("admin") => Ok(m),
//!         _ => Err(Halt::redirect("/")),
//!     }
//! }
//!
//! Recorder::new().install().unwrap();
//! let live = LiveRouter::new()
//!     .live_session(LiveSession::new("admin").on_mount(admins_only).page::<Dashboard>("/admin"));
//! let app: axum::Router = live.into_router().route(
//!     "/dashboard.css",
//!     axum::routing::get(|| async { ([("content-type", "text/css")], STYLESHEET) }),
//! );
//! # let _ = app;
//! ```

mod chart;
mod figures;
mod page;
mod reading;
mod recorder;

pub use page::Dashboard;
pub use recorder::{InstallError, Recorder};

/// The dashboard's styles: the Tailwind rules of the classes it uses, without Tailwind's reset
/// and scoped to the dashboard's root (`#lv-dashboard`), so that they add to an app's own styles
/// whatever those are, and change nothing outside the dashboard. Serve them with the app's
/// stylesheet, or as a stylesheet of their own.
///
/// ```
/// assert!(leptos_live::dashboard::STYLESHEET.contains("#lv-dashboard .rounded-xl {"));
/// ```
pub const STYLESHEET: &str = include_str!("dashboard.css");
