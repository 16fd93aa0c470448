//! An upload page for the upload tests and benchmark: text files and PNG images, two at a
//! time, saved into the app's directory when the form is submitted.

use std::path::{Path, PathBuf};
use std::time::Duration;

use leptos::prelude::*;
use leptos_live::upload::{LiveFileInput, LiveImgPreview, UploadConfig, upload};
use leptos_live::{Ctx, LiveConfig, LiveError, LiveRouter, LiveView, Params, Session};

/// Where the page saves what it consumes (the app's own directory).
#[derive(Clone)]
pub struct SaveDir(pub PathBuf);

/// What the page's buttons send.
#[derive(serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// Consume the completed entries into [`SaveDir`].
    Save,
    /// Cancel an entry.
    Cancel {
        /// The entry's id.
        id: u32,
    },
}

/// The page at `/`: `?max=` bytes per file (default 200 MB), `?manual` to send on submit,
/// `?stall=` ms before a silent entry fails.
pub struct Files {
    saved: Vec<String>,
    dir: PathBuf,
}

impl LiveView for Files {
    type Message = ();
    type Event = Event;

    async fn mount(p: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        let num = |k: &str, d: u64| p.get(k).and_then(|v| v.parse().ok()).unwrap_or(d);
        ctx.allow_upload(
            "files",
            UploadConfig::new()
                .accept([".txt", ".bin", "image/png"])
                .max_entries(2)
                .max_file_size(num("max", 200_000_000))
                .auto_upload(p.get("manual").is_none())
                .stall_timeout(Duration::from_millis(num("stall", 30_000))),
        );
        let dir = ctx.extension::<SaveDir>()?.0.clone();
        Ok(Files {
            saved: Vec::new(),
            dir,
        })
    }

    async fn handle_event(&mut self, event: Event, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        match event {
            Event::Save => {
                let dir = self.dir.clone();
                let saved = ctx.consume_uploaded_entries("files", |f| {
                    // The browser's name is not a path: keep letters, digits, dots and dashes.
                    let name: String = f
                        .entry
                        .name
                        .chars()
                        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                        .collect();
                    let dest = dir.join(format!("{}-{name}", f.entry.id));
                    std::fs::rename(f.path, &dest).map(|_| name)
                });
                for s in saved {
                    self.saved.push(s.map_err(LiveError::msg)?);
                }
            }
            Event::Cancel { id } => {
                ctx.cancel_upload("files", id);
            }
        }
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        let up = upload("files");
        let codes = |errors: &[leptos_live::upload::UploadError]| {
            errors
                .iter()
                .map(|e| e.code())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let upload_errors = codes(&up.errors);
        let entries = up
            .entries
            .iter()
            .map(|e| {
                view! {
                    <li id=format!("entry-{}", e.id) class="entry" data-progress=e.progress().to_string() data-done=e.done.to_string()>
                        <LiveImgPreview entry=e.clone() />
                        <span class="name">{e.name.clone()}</span>
                        <span class="errors">{codes(&e.errors)}</span>
                        <button type="button" class="cancel" lv-click="cancel" lv-value-id=e.id.to_string()>"cancel"</button>
                    </li>
                }
            })
            .collect_view();
        view! {
            <form id="form" lv-submit="save">
                <LiveFileInput upload=up.clone() id="files" />
                <div id="drop" lv-drop-target="files">"Drop files here"</div>
                <ul id="entries">{entries}</ul>
                <p id="upload-errors">{upload_errors}</p>
                <button id="save">"Save"</button>
            </form>
            <p id="saved">{self.saved.join(",")}</p>
        }
    }
}

/// The app: the page at `/`, temporary files in `uploads`, saved files in `saved`.
pub fn app(config: LiveConfig, uploads: &Path, saved: &Path) -> axum::Router {
    app_with(config, uploads, saved, leptos_live::PubSub::local())
}

/// [`app`] with `pubsub` as its PubSub (Redis, for a page held by several processes).
pub fn app_with(
    config: LiveConfig,
    uploads: &Path,
    saved: &Path,
    pubsub: leptos_live::PubSub,
) -> axum::Router {
    LiveRouter::with_config(config.with_upload_dir(uploads))
        .pubsub(pubsub)
        .extension(SaveDir(saved.to_path_buf()))
        .page::<Files>("/")
        .into_router()
}

/// A fresh directory under the system's temporary one, removed with what it holds when the
/// value is dropped (a test that fails leaves nothing behind either).
///
/// ```
/// let dir = leptos_live_tests::uploads::fresh_dir("doc");
/// std::fs::write(dir.join("a.txt"), b"a").unwrap();
/// let path = dir.to_path_buf();
/// drop(dir);
/// assert!(!path.exists());
/// ```
pub fn fresh_dir(what: &str) -> TempDir {
    let path = std::env::temp_dir().join(format!(
        "lv-test-{what}-{}-{:x}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    std::fs::create_dir_all(&path).expect("create a test directory");
    TempDir { path }
}

/// A directory made by [`fresh_dir`]: a [`Path`] while it lives, gone once dropped.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
}

impl std::ops::Deref for TempDir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

/// So that `&dir` goes where a path is taken by `impl Into<PathBuf>`.
impl AsRef<std::ffi::OsStr> for TempDir {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.path.as_os_str()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The names of the files in `dir` (none when it does not exist).
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A 1×1 PNG, for tests that upload an image.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A binary chunk frame: `[1][entry][offset][bytes]`.
pub fn chunk_frame(entry: u32, offset: u64, data: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(13 + data.len());
    f.push(1);
    f.extend_from_slice(&entry.to_be_bytes());
    f.extend_from_slice(&offset.to_be_bytes());
    f.extend_from_slice(data);
    f
}
