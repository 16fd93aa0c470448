//! What a step sends the browser besides the page's HTML: replies, pushed events, a title, a
//! navigation and stream changes.

use serde_json::Value;

use crate::wire::stream_ops::StreamOps;

/// What a callback sends the browser besides the page's HTML: a reply to the event being
/// handled and events for hooks and the window.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Pushed {
    /// The reply to the event being handled (a hook's `pushEvent` promise resolves with it).
    pub reply: Option<Value>,
    /// Events pushed with [`crate::Ctx::push_event`], in order.
    pub events: Vec<(String, Value)>,
    /// A new document title, from [`crate::Ctx::page_title`].
    pub title: Option<String>,
    /// Where the browser goes next: [`crate::Ctx::push_patch`], [`crate::Ctx::push_navigate`],
    /// [`crate::Ctx::redirect`].
    pub nav: Option<Nav>,
    /// Stream changes since the last render.
    pub(crate) streams: Vec<StreamOps>,
    /// A navigation's reply: the new page's token and URL, for the client to keep.
    pub(crate) landed: Option<(String, String)>,
    /// The flash a navigation or redirect carries, sealed.
    pub(crate) flash: Option<String>,
}

/// Where a callback sends the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Nav {
    /// The same page at another URL: `handle_params` runs, the browser's URL changes, nothing
    /// is mounted again ([`crate::Ctx::push_patch`], [`crate::Ctx::replace_patch`]).
    Patch {
        /// The path and query.
        to: String,
        /// Replace the history entry instead of adding one.
        replace: bool,
    },
    /// Another live page over the same socket ([`crate::Ctx::push_navigate`]); a full load when the
    /// target is not a live page of the same live session.
    Navigate {
        /// The path and query.
        to: String,
        /// Replace the history entry instead of adding one.
        replace: bool,
    },
    /// A full page load ([`crate::Ctx::redirect`], [`crate::Ctx::redirect_external`]).
    Redirect {
        /// Where to.
        to: String,
        /// Whether `to` may be on another origin (only [`crate::Ctx::redirect_external`] says so).
        external: bool,
    },
}

impl Nav {
    /// The URL the browser goes to.
    pub fn to(&self) -> &str {
        match self {
            Nav::Patch { to, .. } | Nav::Navigate { to, .. } | Nav::Redirect { to, .. } => to,
        }
    }
}

impl Pushed {
    /// Whether there is nothing to send.
    pub fn is_empty(&self) -> bool {
        self.reply.is_none()
            && self.events.is_empty()
            && self.title.is_none()
            && self.nav.is_none()
            && self.streams.is_empty()
            && self.landed.is_none()
    }
}
