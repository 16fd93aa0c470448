//! leptos-live: LiveView-style server-driven pages for Leptos and axum.
pub mod diff;
pub mod html;
