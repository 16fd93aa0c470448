//! `LiveTest`: a page driven in-process as a user drives it, without HTTP or a socket, for tests
//! and benchmarks. Behind the `testing` feature: add it to the app's dev-dependency.
//!
//! ```toml
//! [dev-dependencies]
//! leptos_live = { version = "0.1", features = ["testing"] }
//! ```

mod act;
mod client;
mod dom;
pub mod examples;
#[cfg(feature = "internals")]
mod frames;
mod mount;
mod query;
mod server_side;

use std::sync::Arc;

use tokio::sync::mpsc;

use crate::page::core::Core;
pub use crate::page::task::MountError;
use crate::params::Session;
use crate::upload::Report;
use crate::view::LiveView;
use crate::work::Queue;

use client::Client;

/// A mounted page driven as a user drives it, in-process: no HTTP, no socket.
///
/// It runs the production page core (the same handler, navigation, render and diff steps a
/// socket's page task runs, with the default [`crate::LiveConfig`]) and stands in for the browser: it
/// applies the operations, whole pages and stream changes it receives to its own copy of the
/// page, runs JS commands on it, and reads it with CSS selectors. Each action returns the
/// operations the browser received.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::{Ctx, JS, LiveError, LiveView, Params, RawEvent, Session};
/// use leptos_live::testing::LiveTest;
///
/// struct Counter(i64);
/// impl LiveView for Counter {
///     type Message = ();
///     type Event = RawEvent;
///     async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> { Ok(Counter(0)) }
///     async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
///         self.0 += 1;
///         Ok(())
///     }
///     fn render(&self) -> impl IntoView {
///         view! {
///             <p id="count">{self.0}</p>
///             <button lv-click="inc">"+1"</button>
///             <button id="open" lv-click=JS::new().show("#menu").to_string()>"Menu"</button>
///             <nav id="menu" class="hidden">"…"</nav>
///         }
///     }
/// }
///
/// # tokio::runtime::Runtime::new().unwrap().block_on(async {
/// let mut page = LiveTest::<Counter>::mount(Params::default(), Session::default()).await.unwrap();
/// let ops = page.click_text("button", "+1").await.unwrap();
/// assert_eq!(ops.len(), 1);
/// assert_eq!(page.text("#count").as_deref(), Some("1"));
/// assert!(!page.visible("#menu"));
/// page.click("#open").await.unwrap();
/// assert!(page.visible("#menu"));
/// # });
/// ```
pub struct LiveTest<V: LiveView> {
    core: Core<V>,
    info: mpsc::UnboundedReceiver<V::Message>,
    work: Arc<Queue<V>>,
    client: Client,
    session: Session,
    /// The last event reference sent.
    r: u64,
    /// The page crashed; nothing more reaches it.
    ended: bool,
    /// What the page's upload writers report, once it has uploads.
    reports: Option<mpsc::UnboundedReceiver<Report>>,
}

/// A file for [`LiveTest::upload`], as a user would pick it.
///
/// ```
/// let file = leptos_live::testing::TestFile::new("notes.txt", "text/plain", b"hello".to_vec());
/// assert_eq!(file.bytes.len(), 5);
/// ```
#[derive(Clone, Debug)]
pub struct TestFile {
    /// Its name.
    pub name: String,
    /// Its MIME type, as the browser declares it.
    pub mime: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

impl TestFile {
    /// A file named `name` of type `mime` holding `bytes`.
    ///
    /// ```
    /// use leptos_live::testing::TestFile;
    /// let png = TestFile::new("cat.png", "image/png", vec![0x89, b'P', b'N', b'G']);
    /// let lying = TestFile::new("cat.png", "text/plain", b"not an image".to_vec()); // what a browser may declare
    /// assert_ne!(png.mime, lying.mime);
    /// ```
    pub fn new(name: impl Into<String>, mime: impl Into<String>, bytes: Vec<u8>) -> Self {
        TestFile {
            name: name.into(),
            mime: mime.into(),
            bytes,
        }
    }
}

/// How long [`LiveTest::upload`] waits for a chunk to be written.
const CHUNK_WAIT: std::time::Duration = std::time::Duration::from_secs(10);
