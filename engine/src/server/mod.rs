//! axum integration: the router that serves pages, the socket, the listener, the shim's asset,
//! the site's icon, site settings, the snapshot stores that keep pages across restarts, and the
//! edit loop's development script.
//!
//! The items an app uses are at the crate root ([`crate::LiveRouter`], [`crate::serve`],
//! [`crate::SiteConfig`]); the rest of the listener's and the shim's tools are here.

pub(crate) mod asset;
pub(crate) mod claims;
pub(crate) mod connection;
pub(crate) mod dev;
pub(crate) mod favicon;
pub(crate) mod http;
pub(crate) mod listener;
pub(crate) mod poll;
pub(crate) mod router;
pub(crate) mod site;
pub(crate) mod snapshot;
pub(crate) mod socket;
pub(crate) mod state;

pub use asset::{CLIENT_JS, client_js};
pub use listener::{NoDelayListener, nodelay, serve, stop_signal};
pub use router::{LiveEngine, LiveRouter};
pub use site::{SiteConfig, SiteError};
