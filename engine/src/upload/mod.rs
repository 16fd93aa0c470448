//! File uploads: a page allows an upload by name, the browser sends each picked or dropped file
//! in binary chunks over the page's socket, and the page hands completed files to the app.
//!
//! The server never trusts the browser: it checks every entry against the upload's
//! [`UploadConfig`] (type, size, count) before a byte is accepted, and every chunk against
//! what the entry declared. Each entry is written to a temporary file by a task of its own, one
//! chunk at a time: the browser sends the next chunk only when the last one is on disk, so an
//! upload holds at most one chunk in memory and never holds up the page's other events. Temporary
//! files are removed when their entry is cancelled or consumed, and when the page ends.
//!
//! ```no_run
//! use leptos::prelude::*;
//! use leptos_live::{Ctx, LiveError, LiveView, Params, Session};
//! use leptos_live::upload::{upload, UploadConfig};
//! use leptos_live::upload::{LiveFileInput, LiveImgPreview};
//!
//! struct Avatar { saved: Vec<String> }
//!
//! #[derive(serde::Deserialize)]
//! #[serde(rename_all = "snake_case")]
//! enum Event { Save }
//!
//! impl LiveView for Avatar {
//!     type Message = ();
//!     type Event = Event;
//!     async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
//!         ctx.allow_upload("avatar", UploadConfig::new().accept([".png", ".jpg"]).max_file_size(2_000_000));
//!         Ok(Avatar { saved: Vec::new() })
//!     }
//!     async fn handle_event(&mut self, _: Event, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
//!         let dir = std::env::temp_dir();
//!         let saved = ctx.consume_uploaded_entries("avatar", |file| {
//!             let dest = dir.join(format!("{}-{}", file.entry.id, file.entry.name));
//!             std::fs::copy(file.path, &dest).map(|_| dest.display().to_string())
//!         });
//!         self.saved.extend(saved.into_iter().flatten());
//!         Ok(())
//!     }
//!     fn render(&self) -> impl IntoView {
//!         let avatar = upload("avatar");
//!         view! {
//!             <form lv-submit="save">
//!                 <LiveFileInput upload=avatar.clone() />
//!                 {avatar.entries.iter().map(|e| view! {
//!                     <p><LiveImgPreview entry=e.clone() /> {e.name.clone()} " " {e.progress()} "%"</p>
//!                 }).collect_view()}
//!                 <button>"Save"</button>
//!             </form>
//!         }
//!     }
//! }
//! ```

mod accept;
mod input;
mod store;
mod writer;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub use input::{LiveFileInput, LiveImgPreview};
pub(crate) use store::{ChunkOutcome, FileMeta, Shown, Uploads};
pub(crate) use writer::Report;

/// The event that cancels an entry from the browser: `lv-click="lv:cancel-upload"
/// lv-value-ref={entry.id}`. The engine handles it; the page never sees it.
///
/// ```
/// use leptos::prelude::*;
/// use leptos_live::upload::{UploadEntry, CANCEL_UPLOAD};
/// fn cancel_button(entry: &UploadEntry) -> impl IntoView + use<> {
///     view! { <button type="button" lv-click=CANCEL_UPLOAD lv-value-ref=entry.id.to_string()>"Cancel"</button> }
/// }
/// # let e = UploadEntry { id: 3, name: "a".into(), size: 1, content_type: String::new(), received: 0, done: false, errors: vec![] };
/// assert!(cancel_button(&e).to_html().contains(r#"lv-click="lv:cancel-upload" lv-value-ref="3""#));
/// ```
pub const CANCEL_UPLOAD: &str = "lv:cancel-upload";

/// The largest chunk a browser may send (the socket's binary frames are capped just above it).
///
/// ```
/// use leptos_live::upload::{UploadConfig, MAX_CHUNK_SIZE};
/// let big = UploadConfig::new().chunk_size(64 << 20);
/// assert_eq!(big.chunk_size_bytes(), MAX_CHUNK_SIZE);
/// ```
pub const MAX_CHUNK_SIZE: usize = 1 << 20;

/// What an upload allows: the file types, how many entries, how large, in what chunks, and
/// whether the browser sends them as soon as they are picked.
///
/// A clone shares the list of types: an app with many pages allowing the same upload can make
/// the config once and give each page a clone.
///
/// ```
/// use leptos_live::upload::UploadConfig;
/// let photos = UploadConfig::new()
///     .accept(["image/png", "image/jpeg", ".webp"])
///     .max_entries(3)
///     .max_file_size(5_000_000)
///     .auto_upload(true);
/// assert_eq!(photos.chunk_size_bytes(), 64 * 1024);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadConfig {
    /// Shared by the clones of a config: pages that allow the same upload from one config keep
    /// one list.
    pub(crate) accept: Arc<[String]>,
    pub(crate) max_entries: usize,
    pub(crate) max_file_size: u64,
    pub(crate) chunk_size: usize,
    pub(crate) auto_upload: bool,
    pub(crate) stall_timeout: Duration,
}

impl Default for UploadConfig {
    fn default() -> Self {
        UploadConfig {
            accept: Arc::from([]),
            max_entries: 1,
            max_file_size: 8_000_000,
            chunk_size: 64 * 1024,
            auto_upload: false,
            stall_timeout: Duration::from_secs(30),
        }
    }
}

impl UploadConfig {
    /// One file of any type, up to 8 MB, in 64 KiB chunks, sent when the form is submitted.
    ///
    /// ```
    /// use leptos_live::upload::UploadConfig;
    /// let c = UploadConfig::new();
    /// assert!(c.accepts("anything.bin", "application/octet-stream"));
    /// assert_eq!(c, UploadConfig::default());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The types accepted, as the `accept` attribute of a file input takes them: extensions
    /// (`.png`), MIME types (`image/png`) and wildcards (`image/*`). None (the default) accepts
    /// any file.
    ///
    /// ```
    /// use leptos_live::upload::UploadConfig;
    /// let images = UploadConfig::new().accept(["image/*", " .PDF "]);
    /// assert_eq!(images.accepted(), ["image/*", ".pdf"]);
    /// assert!(images.accepts("scan.pdf", "") && images.accepts("cat", "image/gif"));
    /// ```
    pub fn accept<I, S>(mut self, types: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.accept = types
            .into_iter()
            .map(|t| t.into().trim().to_ascii_lowercase())
            .filter(|t| !t.is_empty())
            .collect();
        self
    }

    /// How many entries the upload holds at once (default 1; at least 1).
    ///
    /// ```
    /// use leptos_live::upload::UploadConfig;
    /// assert_eq!(UploadConfig::new().max_entries(0), UploadConfig::new().max_entries(1));
    /// assert_ne!(UploadConfig::new().max_entries(3), UploadConfig::new());
    /// ```
    pub fn max_entries(mut self, n: usize) -> Self {
        self.max_entries = n.max(1);
        self
    }

    /// The largest file accepted, in bytes (default 8,000,000).
    ///
    /// ```
    /// use leptos_live::upload::UploadConfig;
    /// assert_eq!(UploadConfig::new().max_file_size(8_000_000), UploadConfig::new());
    /// let avatars = UploadConfig::new().max_file_size(200_000);
    /// # let _ = avatars;
    /// ```
    pub fn max_file_size(mut self, bytes: u64) -> Self {
        self.max_file_size = bytes;
        self
    }

    /// The size of the chunks the browser sends (default 64 KiB; between 1 KiB and
    /// [`MAX_CHUNK_SIZE`]).
    ///
    /// ```
    /// use leptos_live::upload::UploadConfig;
    /// assert_eq!(UploadConfig::new().chunk_size(256 * 1024).chunk_size_bytes(), 256 * 1024);
    /// assert_eq!(UploadConfig::new().chunk_size(10).chunk_size_bytes(), 1024);
    /// ```
    pub fn chunk_size(mut self, bytes: usize) -> Self {
        self.chunk_size = bytes.clamp(1024, MAX_CHUNK_SIZE);
        self
    }

    /// Send files as soon as they are picked (default: when their form is submitted).
    ///
    /// ```
    /// use leptos::prelude::*;
    /// use leptos_live::upload::{LiveFileInput, Upload, UploadConfig};
    /// let up = Upload::new("photo", UploadConfig::new().auto_upload(true));
    /// assert!(view! { <LiveFileInput upload=up /> }.to_html().contains("lv-auto"));
    /// ```
    pub fn auto_upload(mut self, on: bool) -> Self {
        self.auto_upload = on;
        self
    }

    /// How long an entry may wait for its next chunk before it fails with
    /// [`UploadError::Stalled`] (default 30 s).
    ///
    /// ```
    /// use std::time::Duration;
    /// use leptos_live::upload::UploadConfig;
    /// assert_eq!(UploadConfig::new().stall_timeout(Duration::from_secs(30)), UploadConfig::new());
    /// let patient = UploadConfig::new().stall_timeout(Duration::from_secs(120));
    /// # let _ = patient;
    /// ```
    pub fn stall_timeout(mut self, d: Duration) -> Self {
        self.stall_timeout = d;
        self
    }

    /// The chunk size in bytes.
    ///
    /// ```
    /// assert_eq!(leptos_live::upload::UploadConfig::new().chunk_size_bytes(), 64 * 1024);
    /// ```
    pub fn chunk_size_bytes(&self) -> usize {
        self.chunk_size
    }

    /// The accepted types, lowercased (empty: any).
    ///
    /// ```
    /// use leptos_live::upload::UploadConfig;
    /// assert!(UploadConfig::new().accepted().is_empty());
    /// assert_eq!(UploadConfig::new().accept([".PNG"]).accepted(), [".png"]);
    /// ```
    pub fn accepted(&self) -> &[String] {
        &self.accept
    }

    /// Whether a file with this name and declared MIME type is of an accepted type.
    ///
    /// ```
    /// use leptos_live::upload::UploadConfig;
    /// let c = UploadConfig::new().accept([".png", "image/jpeg", "text/*"]);
    /// assert!(c.accepts("cat.PNG", ""));
    /// assert!(c.accepts("photo", "image/jpeg"));
    /// assert!(c.accepts("notes.md", "text/markdown"));
    /// assert!(!c.accepts("run.exe", "application/x-msdownload"));
    /// ```
    pub fn accepts(&self, name: &str, mime: &str) -> bool {
        accept::accepts(&self.accept, name, mime)
    }
}

/// Why an entry was refused or failed. Each has a short code the views and the wire use.
///
/// ```
/// use leptos_live::upload::UploadError;
/// assert_eq!(UploadError::TooLarge.code(), "too_large");
/// assert_eq!(UploadError::TooLarge.to_string(), "the file is too large");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum UploadError {
    /// The file is larger than [`UploadConfig::max_file_size`].
    #[error("the file is too large")]
    TooLarge,
    /// The file's type is not one the upload accepts.
    #[error("this type of file is not accepted")]
    NotAccepted,
    /// More files than [`UploadConfig::max_entries`] (an error of the upload, not of an entry).
    #[error("too many files")]
    TooManyFiles,
    /// The browser sent more bytes than the entry declared.
    #[error("more bytes arrived than the file declared")]
    TooManyBytes,
    /// A chunk out of order, or larger than the chunk size.
    #[error("a chunk did not fit the entry")]
    BadChunk,
    /// The browser sent a chunk before the last one was written.
    #[error("chunks arrived faster than they were acknowledged")]
    Flooded,
    /// No chunk arrived within [`UploadConfig::stall_timeout`].
    #[error("the upload stalled")]
    Stalled,
    /// The server could not write the file.
    #[error("the file could not be stored")]
    Storage,
}

impl UploadError {
    /// The short code (`too_large`, `not_accepted`, …).
    ///
    /// ```
    /// use leptos_live::upload::UploadError;
    /// assert_eq!(UploadError::NotAccepted.code(), "not_accepted");
    /// assert_eq!(UploadError::TooManyFiles.code(), "too_many_files");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            UploadError::TooLarge => "too_large",
            UploadError::NotAccepted => "not_accepted",
            UploadError::TooManyFiles => "too_many_files",
            UploadError::TooManyBytes => "too_many_bytes",
            UploadError::BadChunk => "bad_chunk",
            UploadError::Flooded => "flooded",
            UploadError::Stalled => "stalled",
            UploadError::Storage => "storage",
        }
    }
}

/// One file of an upload, as the view shows it.
///
/// ```
/// use leptos_live::upload::UploadEntry;
/// let e = UploadEntry { id: 1, name: "cat.png".into(), size: 200, content_type: "image/png".into(),
///                       received: 50, done: false, errors: vec![] };
/// assert_eq!(e.progress(), 25);
/// assert!(e.is_valid() && e.is_image());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadEntry {
    /// The entry's reference: unique within the page, sent by `lv:cancel-upload` and used by
    /// [`LiveImgPreview`].
    pub id: u32,
    /// The file's name as the browser gave it (at most 255 characters). Never use it as a path.
    pub name: String,
    /// The size the browser declared; the server accepts no more bytes than this.
    pub size: u64,
    /// The MIME type the browser declared (not verified: check the bytes before trusting it).
    pub content_type: String,
    /// Bytes written so far.
    pub received: u64,
    /// Every byte is written: [`crate::Ctx::consume_uploaded_entries`] hands it over.
    pub done: bool,
    /// Why the entry was refused or failed (empty when it is fine).
    pub errors: Vec<UploadError>,
}

impl UploadEntry {
    /// Progress in percent (0 to 100).
    ///
    /// ```
    /// use leptos_live::upload::UploadEntry;
    /// let mut e = UploadEntry { id: 1, name: "a.bin".into(), size: 3, content_type: String::new(),
    ///                           received: 1, done: false, errors: vec![] };
    /// assert_eq!(e.progress(), 33);
    /// e.received = 3;
    /// assert_eq!(e.progress(), 100);
    /// ```
    pub fn progress(&self) -> u8 {
        if self.size == 0 {
            return if self.done { 100 } else { 0 };
        }
        (self.received.min(self.size) * 100 / self.size) as u8
    }

    /// No errors.
    ///
    /// ```
    /// use leptos_live::upload::{UploadEntry, UploadError};
    /// let e = UploadEntry { id: 1, name: "huge.iso".into(), size: 1 << 40, content_type: String::new(),
    ///                       received: 0, done: false, errors: vec![UploadError::TooLarge] };
    /// assert!(!e.is_valid());
    /// ```
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// Whether the declared type is an image (for previews).
    ///
    /// ```
    /// use leptos_live::upload::UploadEntry;
    /// let e = UploadEntry { id: 1, name: "notes.txt".into(), size: 5, content_type: "text/plain".into(),
    ///                       received: 0, done: false, errors: vec![] };
    /// assert!(!e.is_image());
    /// ```
    pub fn is_image(&self) -> bool {
        self.content_type.starts_with("image/")
    }
}

/// An upload as the view shows it: its settings, its entries and its own errors.
///
/// ```
/// use leptos_live::upload::{Upload, UploadConfig};
/// let u = Upload::new("photos", UploadConfig::new().max_entries(2));
/// assert!(u.entries.is_empty() && u.errors.is_empty());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    /// The name the page allowed it under.
    pub name: String,
    /// What it allows.
    pub config: UploadConfig,
    /// Its entries, in the order they were picked.
    pub entries: Vec<UploadEntry>,
    /// Errors of the upload as a whole ([`UploadError::TooManyFiles`]).
    pub errors: Vec<UploadError>,
}

impl Upload {
    /// An upload with no entries.
    ///
    /// ```
    /// use leptos_live::upload::{Upload, UploadConfig};
    /// let u = Upload::new("avatar", UploadConfig::new());
    /// assert_eq!(u.name, "avatar");
    /// assert!(!u.is_complete());
    /// ```
    pub fn new(name: impl Into<String>, config: UploadConfig) -> Self {
        Upload {
            name: name.into(),
            config,
            entries: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// Whether every entry is written and none failed (and there is at least one).
    ///
    /// ```
    /// use leptos_live::upload::{Upload, UploadConfig, UploadEntry};
    /// let mut u = Upload::new("photos", UploadConfig::new().max_entries(2));
    /// let entry = |id, done| UploadEntry { id, name: format!("{id}.png"), size: 4,
    ///     content_type: "image/png".into(), received: if done { 4 } else { 0 }, done, errors: vec![] };
    /// u.entries = vec![entry(1, true), entry(2, false)];
    /// assert!(!u.is_complete());
    /// u.entries[1] = entry(2, true);
    /// assert!(u.is_complete());
    /// ```
    pub fn is_complete(&self) -> bool {
        !self.entries.is_empty() && self.entries.iter().all(|e| e.done && e.is_valid())
    }
}

/// A completed entry handed to [`crate::Ctx::consume_uploaded_entries`]: the entry and the
/// temporary file that holds its bytes. Move or copy the file where it belongs; whatever is left
/// at `path` is removed afterwards.
///
/// ```
/// use std::path::Path;
/// use leptos_live::upload::{UploadEntry, UploadedFile};
///
/// /// Keeps an image under a name of the app's own (never the browser's), after a look at its bytes.
/// fn keep(file: &UploadedFile<'_>, dir: &Path) -> std::io::Result<std::path::PathBuf> {
///     let bytes = std::fs::read(file.path)?;
///     if !bytes.starts_with(b"\x89PNG") {
///         return Err(std::io::Error::other(format!("{} is not a PNG", file.entry.name)));
///     }
///     let dest = dir.join(format!("{}.png", file.entry.id));
///     std::fs::write(&dest, bytes)?;
///     Ok(dest)
/// }
///
/// let dir = std::env::temp_dir();
/// let tmp = dir.join(format!("uploaded-file-doc-{}", std::process::id()));
/// std::fs::write(&tmp, b"\x89PNG...")?;
/// let entry = UploadEntry { id: 4, name: "../cat.png".into(), size: 7, content_type: "image/png".into(),
///                           received: 7, done: true, errors: vec![] };
/// let kept = keep(&UploadedFile { entry: &entry, path: &tmp }, &dir)?;
/// assert!(kept.ends_with("4.png"));
/// # std::fs::remove_file(&tmp)?;
/// # std::fs::remove_file(&kept)?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct UploadedFile<'a> {
    /// The entry.
    pub entry: &'a UploadEntry,
    /// The temporary file.
    pub path: &'a Path,
}

/// The upload `name` of the page being rendered, for its view; an upload with no entries when
/// the page did not allow it.
///
/// ```
/// let u = leptos_live::upload::upload("avatar");
/// assert!(u.entries.is_empty());
/// ```
pub fn upload(name: &str) -> Upload {
    leptos::prelude::use_context::<store::Shown>()
        .and_then(|shown| shown.0.iter().find(|u| u.name == name).cloned())
        .unwrap_or_else(|| Upload::new(name, UploadConfig::default()))
}
