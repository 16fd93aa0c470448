//! Image attachments: which files the chat takes (judged by their bytes, never by what the
//! browser declared), where their bytes live, and the route that serves them to the people who
//! may see their room.
//!
//! A message's images arrive through the room page's upload ([`UPLOAD`]). When the message is
//! sent, each completed file is [staged](Attachments::stage): its first bytes must be those of
//! a PNG, JPEG, GIF or WebP image, and it moves into the store under a staging name. Then
//! [`Attachments::post`] stores the message and one row per image in a transaction, and renames
//! each file to its attachment's id before the commit: a failure anywhere leaves neither rows nor
//! files behind.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse as _, Response};
use leptos_live::upload::UploadConfig;

use crate::App;
use crate::db::{Db, Message, NewAttachment};

/// The name of the room page's upload.
pub const UPLOAD: &str = "images";
/// The most images one message carries.
pub const MAX_FILES: usize = 3;
/// The largest image accepted, in bytes.
pub const MAX_BYTES: u64 = 5_000_000;
/// What the file input offers and the browser checks first: the four image types, by
/// extension and by MIME type. The bytes decide in the end ([`ImageKind::sniff`]).
pub const ACCEPT: [&str; 9] = [
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
];

/// How many leading bytes [`ImageKind::sniff`] needs.
const SNIFF_LEN: u64 = 12;

/// The upload the room page allows: up to [`MAX_FILES`] images of up to [`MAX_BYTES`] each,
/// sent when the message is. Made once: every room page's copy shares its list of types.
///
/// ```
/// let c = demo_chat::attachments::upload_config();
/// assert!(c.accepts("cat.png", "image/png") && !c.accepts("notes.txt", "text/plain"));
/// ```
pub fn upload_config() -> UploadConfig {
    static CONFIG: LazyLock<UploadConfig> = LazyLock::new(|| {
        UploadConfig::new()
            .accept(ACCEPT)
            .max_entries(MAX_FILES)
            .max_file_size(MAX_BYTES)
            .auto_upload(false)
    });
    CONFIG.clone()
}

/// An image type the chat takes, known by its leading bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImageKind {
    /// `\x89PNG\r\n\x1a\n`.
    Png,
    /// `FF D8 FF`.
    Jpeg,
    /// `GIF87a` or `GIF89a`.
    Gif,
    /// `RIFF`, four bytes of length, `WEBP`.
    Webp,
}

impl ImageKind {
    /// The kind of image `head` (a file's first bytes, at least 12 for WebP) starts, if any.
    ///
    /// ```
    /// use demo_chat::attachments::ImageKind;
    /// assert_eq!(ImageKind::sniff(b"\x89PNG\r\n\x1a\n...."), Some(ImageKind::Png));
    /// assert_eq!(ImageKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(ImageKind::Webp));
    /// assert_eq!(ImageKind::sniff(b"<svg xmlns="), None);
    /// ```
    pub fn sniff(head: &[u8]) -> Option<ImageKind> {
        if head.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageKind::Png)
        } else if head.starts_with(&[0xff, 0xd8, 0xff]) {
            Some(ImageKind::Jpeg)
        } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
            Some(ImageKind::Gif)
        } else if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
            Some(ImageKind::Webp)
        } else {
            None
        }
    }

    /// Its MIME type.
    ///
    /// ```
    /// assert_eq!(demo_chat::attachments::ImageKind::Webp.content_type(), "image/webp");
    /// ```
    pub fn content_type(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Gif => "image/gif",
            ImageKind::Webp => "image/webp",
        }
    }
}

/// Why an attachment was not stored.
#[derive(Debug, thiserror::Error)]
pub enum AttachmentError {
    /// The file's bytes are not those of an image the chat takes, whatever its name or declared
    /// type say.
    #[error("{name} is not a PNG, JPEG, GIF or WebP image")]
    NotAnImage {
        /// The file's name as the browser gave it (for the message to the user only).
        name: String,
    },
    /// The file could not be read or moved.
    #[error("the image could not be stored: {0}")]
    Io(#[from] std::io::Error),
    /// The database refused the message or its attachments.
    #[error("the message could not be stored: {0}")]
    Db(#[from] sqlx::Error),
}

/// An image whose bytes were checked, moved into the store and not yet recorded. Dropped
/// without being recorded, its file is removed.
#[derive(Debug)]
pub struct Staged {
    /// Where its file is now.
    path: PathBuf,
    kind: ImageKind,
    bytes: u64,
    /// Recorded: the file stays.
    kept: bool,
}

impl Staged {
    /// The kind of image its bytes show.
    pub fn kind(&self) -> ImageKind {
        self.kind
    }

    /// Its size in bytes.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.kept
            && let Err(e) = std::fs::remove_file(&self.path)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(path = %self.path.display(), error = %e, "cannot remove an unrecorded image");
        }
    }
}

/// The attachment store: a directory that holds each image under its attachment's id.
///
/// ```no_run
/// # async fn f(db: demo_chat::Db, upload: &std::path::Path) -> Result<(), demo_chat::attachments::AttachmentError> {
/// use demo_chat::attachments::Attachments;
/// let store = Attachments::new("attachments");
/// let staged = store.stage(upload, "cat.png")?;
/// let message = store.post(&db, "lobby", "ada", "", vec![staged]).await?;
/// assert_eq!(message.attachments.len(), 1);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Attachments {
    dir: Arc<Path>,
}

impl Attachments {
    /// A store in `dir` (made when the first image arrives).
    pub fn new(dir: impl Into<PathBuf>) -> Attachments {
        Attachments {
            dir: Arc::from(dir.into()),
        }
    }

    /// Its directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where attachment `id`'s bytes are.
    fn path_of(&self, id: i64) -> PathBuf {
        self.dir.join(id.to_string())
    }

    /// Checks the bytes of the uploaded file at `file` (`name` is the browser's, for messages
    /// only) and moves it into the store under a staging name. Refused when its first bytes are
    /// not those of a PNG, JPEG, GIF or WebP image.
    pub fn stage(&self, file: &Path, name: &str) -> Result<Staged, AttachmentError> {
        let mut head = Vec::with_capacity(SNIFF_LEN as usize);
        let opened = std::fs::File::open(file)?;
        let bytes = opened.metadata()?.len();
        opened.take(SNIFF_LEN).read_to_end(&mut head)?;
        let Some(kind) = ImageKind::sniff(&head) else {
            tracing::info!(name, "refused an attachment that is not an image");
            return Err(AttachmentError::NotAnImage {
                name: name.to_string(),
            });
        };
        std::fs::create_dir_all(&self.dir)?;
        let path = self.dir.join(format!(".staging-{}", random_hex()));
        if std::fs::rename(file, &path).is_err() {
            // Another file system: copy (the upload's own file is removed after).
            std::fs::copy(file, &path)?;
        }
        Ok(Staged {
            path,
            kind,
            bytes,
            kept: false,
        })
    }

    /// Stores a message of `author` in `room` with the `staged` images: rows and files land
    /// together, or neither does.
    pub async fn post(
        &self,
        db: &Db,
        room: &str,
        author: &str,
        body: &str,
        mut staged: Vec<Staged>,
    ) -> Result<Message, AttachmentError> {
        if staged.is_empty() {
            // Text alone is one statement: no transaction to open and commit around it.
            return Ok(db.post(room, author, body).await?);
        }
        let files: Vec<NewAttachment<'_>> = staged
            .iter()
            .map(|s| NewAttachment {
                content_type: s.kind.content_type(),
                bytes: i64::try_from(s.bytes).unwrap_or(i64::MAX),
            })
            .collect();
        let message = db
            .post_with(room, author, body, &files, |m: &Message| {
                for (s, a) in staged.iter_mut().zip(&m.attachments) {
                    let to = self.path_of(a.id);
                    std::fs::rename(&s.path, &to)?;
                    s.path = to;
                }
                Ok::<_, AttachmentError>(())
            })
            .await?;
        for s in &mut staged {
            s.kept = true;
        }
        tracing::debug!(
            room,
            id = message.id,
            images = staged.len(),
            "message with images stored"
        );
        Ok(message)
    }

    /// The bytes of attachment `id` and the kind of image they show; `None` when there is no
    /// such file.
    pub async fn read(&self, id: i64) -> Result<Option<(ImageKind, Vec<u8>)>, AttachmentError> {
        let bytes = match tokio::fs::read(self.path_of(id)).await {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let Some(kind) = ImageKind::sniff(&bytes) else {
            return Err(AttachmentError::NotAnImage {
                name: id.to_string(),
            });
        };
        Ok(Some((kind, bytes)))
    }
}

/// The path an attachment is served at.
///
/// ```
/// assert_eq!(demo_chat::attachments::url("lobby", 7), "/rooms/lobby/files/7");
/// ```
pub fn url(room: &str, id: i64) -> String {
    format!("/rooms/{room}/files/{id}")
}

/// `GET /rooms/{name}/files/{id}`: attachment `id` of room `name`, for someone signed in who
/// may enter the room. 403 without a nickname; 404 for a room they may not see (the same
/// answer as for a room that does not exist) and for an attachment not in the room. Served with
/// the type its bytes show, `nosniff`, and for the browser's own cache only.
pub async fn serve(app: App, headers: HeaderMap, room: String, id: String) -> Response {
    let session = app.cookies.session(&headers);
    let Some(nick) = session.get("nick").and_then(|v| v.as_str()) else {
        return (StatusCode::FORBIDDEN, "Choose a nickname first.").into_response();
    };
    let not_found = || (StatusCode::NOT_FOUND, "No such image.").into_response();
    let Ok(id) = id.parse::<i64>() else {
        return not_found();
    };
    let found = async {
        if !app.db.may_enter(&room, nick).await? {
            return Ok(None);
        }
        if app.db.attachment(&room, id).await?.is_none() {
            return Ok(None);
        }
        app.attachments.read(id).await
    };
    match found.await {
        Ok(Some((kind, bytes))) => (
            [
                (CONTENT_TYPE, HeaderValue::from_static(kind.content_type())),
                (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
                (
                    CACHE_CONTROL,
                    HeaderValue::from_static("private, max-age=86400"),
                ),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => not_found(),
        Err(e) => {
            tracing::error!(room, id, error = %e, "cannot serve an attachment");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The image cannot be read.",
            )
                .into_response()
        }
    }
}

/// 16 random hex digits, for staging names.
fn random_hex() -> String {
    let mut buf = [0u8; 8];
    if getrandom::fill(&mut buf).is_err() {
        // Unique enough within the process: the time and a counter.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        buf = (crate::db::now_ms() as u64 ^ n.rotate_left(40)).to_be_bytes();
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_HEAD: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn the_bytes_decide_the_type() {
        assert_eq!(ImageKind::sniff(PNG_HEAD), Some(ImageKind::Png));
        assert_eq!(
            ImageKind::sniff(&[0xff, 0xd8, 0xff, 0xe0]),
            Some(ImageKind::Jpeg)
        );
        assert_eq!(ImageKind::sniff(b"GIF87a\x01\0"), Some(ImageKind::Gif));
        assert_eq!(ImageKind::sniff(b"GIF89a\x01\0"), Some(ImageKind::Gif));
        assert_eq!(
            ImageKind::sniff(b"RIFF\x24\0\0\0WEBPVP8 "),
            Some(ImageKind::Webp)
        );
        for not in [
            &b""[..],
            b"\x89PNG",
            b"GIF88a",
            b"RIFF\x24\0\0\0WAVEfmt ",
            b"<html><body>",
            b"MZ\x90\0",
        ] {
            assert_eq!(ImageKind::sniff(not), None, "{not:?}");
        }
    }

    #[test]
    fn staging_refuses_what_is_not_an_image_and_cleans_up_what_is_not_recorded() {
        let dir = std::env::temp_dir().join(format!(
            "chat-attachments-{}-{}",
            std::process::id(),
            random_hex()
        ));
        let store = Attachments::new(dir.join("store"));
        std::fs::create_dir_all(&dir).expect("a test directory");
        let fake = dir.join("fake.png");
        std::fs::write(&fake, b"just some text, not a picture").expect("write");
        let err = store.stage(&fake, "fake.png").expect_err("refused");
        assert!(
            matches!(&err, AttachmentError::NotAnImage { name } if name == "fake.png"),
            "{err}"
        );
        assert!(
            fake.exists(),
            "a refused file is left for the engine to remove"
        );

        let png = dir.join("cat.png");
        std::fs::write(&png, PNG_HEAD).expect("write");
        let staged = store.stage(&png, "cat.png").expect("an image");
        assert_eq!(staged.kind(), ImageKind::Png);
        assert_eq!(staged.bytes(), PNG_HEAD.len() as u64);
        assert!(!png.exists(), "moved into the store");
        assert_eq!(
            std::fs::read_dir(store.dir()).map(|d| d.count()).ok(),
            Some(1)
        );
        drop(staged);
        assert_eq!(
            std::fs::read_dir(store.dir()).map(|d| d.count()).ok(),
            Some(0),
            "an image never recorded leaves no file"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
