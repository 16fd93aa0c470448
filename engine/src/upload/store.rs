//! A page's uploads: what the view shows, and for each entry being written, its temporary file
//! and the queue to its writer.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Bytes;
use tokio::sync::mpsc;

use super::writer::{self, Report};
use super::{Upload, UploadConfig, UploadEntry, UploadError, UploadedFile};

/// The longest file name kept, in characters; browsers send what the user's disk has.
const MAX_NAME_CHARS: usize = 255;
/// The longest MIME type kept.
const MAX_TYPE_CHARS: usize = 100;

/// The uploads of the page being rendered, given to its view as context ([`super::upload`]).
#[derive(Clone)]
pub(crate) struct Shown(pub Arc<Vec<Upload>>);

/// A file the browser announced: its name, declared size and declared type.
pub(crate) type FileMeta = (String, u64, String);

/// What became of a chunk.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ChunkOutcome {
    /// Handed to the entry's writer, which acknowledges it once written.
    Queued,
    /// A chunk sent again after a reconnect, already taken: the browser learns how far the
    /// entry is (`Some(received)`), or waits for the writer's acknowledgement (`None`).
    Again(Option<u64>),
    /// No entry is being written under this id.
    Unknown,
    /// The chunk broke the entry's rules: the entry failed with this error.
    Failed(UploadError),
}

/// A temporary file, removed when dropped unless the app moved it away.
#[derive(Debug)]
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        match std::fs::remove_file(&self.0) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                tracing::warn!(path = %self.0.display(), error = %e, "could not remove an upload's temporary file")
            }
        }
    }
}

/// An entry's resources on the server.
struct Io {
    file: TempFile,
    /// To the writer; `None` once every byte was handed over.
    tx: Option<mpsc::Sender<Bytes>>,
    /// Bytes handed to the writer.
    queued: u64,
    /// Bytes the writer has written.
    written: u64,
    size: u64,
    chunk: usize,
}

/// A page's uploads.
pub(crate) struct Uploads {
    shown: Vec<Upload>,
    io: HashMap<u32, Io>,
    next_id: u32,
    dir: Option<Arc<Path>>,
    /// Where the writers report, made with the first writer: a page that allows uploads and
    /// never gets one keeps no channel (half a kilobyte and a block of reports).
    report_tx: Option<mpsc::UnboundedSender<Report>>,
    report_rx: Option<mpsc::UnboundedReceiver<Report>>,
    /// Entries the browser must stop sending, and why (`uf` frames).
    notices: Vec<(u32, &'static str)>,
}

impl Uploads {
    pub(crate) fn new(dir: Option<Arc<Path>>) -> Self {
        Uploads {
            shown: Vec::new(),
            io: HashMap::new(),
            next_id: 1,
            dir,
            report_tx: None,
            report_rx: None,
            notices: Vec::new(),
        }
    }

    /// The writers' reports, for the page's task to take once they are made.
    pub(crate) fn take_reports(&mut self) -> Option<mpsc::UnboundedReceiver<Report>> {
        self.report_rx.take()
    }

    /// What the view shows; `None` when the page allowed no upload.
    pub(crate) fn shown(&self) -> Option<Shown> {
        (!self.shown.is_empty()).then(|| Shown(Arc::new(self.shown.clone())))
    }

    /// The uploads as the page's view shows them.
    pub(crate) fn shown_list(&self) -> &[Upload] {
        &self.shown
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Upload> {
        self.shown.iter().find(|u| u.name == name)
    }

    pub(crate) fn allow(&mut self, name: &str, config: UploadConfig) {
        match self.shown.iter_mut().find(|u| u.name == name) {
            Some(u) => u.config = config,
            None => self.shown.push(Upload::new(name, config)),
        }
    }

    pub(crate) fn disallow(&mut self, name: &str) {
        if let Some(i) = self.shown.iter().position(|u| u.name == name) {
            for e in self.shown.remove(i).entries {
                self.close(e.id, "cancelled");
            }
        }
    }

    /// The entries the browser must stop sending, and why.
    pub(crate) fn take_notices(&mut self) -> Vec<(u32, &'static str)> {
        std::mem::take(&mut self.notices)
    }

    /// Takes the files the browser picked for upload `name`: each is checked against the
    /// upload's rules and, when it passes, gets a temporary file and a writer. Answers the
    /// entries' ids in order, 0 for a file refused (its entry shows why); `None` when the page
    /// allowed no such upload.
    pub(crate) fn preflight(&mut self, name: &str, files: Vec<FileMeta>) -> Option<Vec<u32>> {
        let i = self.shown.iter().position(|u| u.name == name)?;
        // Refused entries of an earlier pick make way for the new one.
        let stale: Vec<u32> = self.shown[i]
            .entries
            .iter()
            .filter(|e| !e.is_valid())
            .map(|e| e.id)
            .collect();
        for id in stale {
            self.remove(id);
        }
        let upload = &mut self.shown[i];
        upload.errors.clear();
        let config = upload.config.clone();
        let mut room = config.max_entries.saturating_sub(upload.entries.len());
        let mut ids = Vec::with_capacity(files.len());
        let mut added = Vec::new();
        // Files past the count are refused; they come last, as the browser picked them.
        let mut over = 0;
        for (name, size, content_type) in files {
            if room == 0 {
                if !upload.errors.contains(&UploadError::TooManyFiles) {
                    upload.errors.push(UploadError::TooManyFiles);
                }
                over += 1;
                continue;
            }
            room -= 1;
            let id = self.next_id;
            self.next_id = self.next_id.wrapping_add(1).max(1);
            let mut entry = UploadEntry {
                id,
                name: name.chars().take(MAX_NAME_CHARS).collect(),
                size,
                content_type: content_type.chars().take(MAX_TYPE_CHARS).collect(),
                received: 0,
                done: false,
                errors: Vec::new(),
            };
            if size > config.max_file_size {
                entry.errors.push(UploadError::TooLarge);
            }
            if !config.accepts(&entry.name, &entry.content_type) {
                entry.errors.push(UploadError::NotAccepted);
            }
            added.push(entry);
        }
        for mut entry in added {
            let open = entry.is_valid().then(|| self.open(&entry, &config));
            match open {
                Some(Ok(io)) => {
                    entry.done = entry.size == 0;
                    ids.push(if entry.done { 0 } else { entry.id });
                    self.io.insert(entry.id, io);
                }
                Some(Err(e)) => {
                    tracing::error!(error = %e, "could not create an upload's temporary file");
                    entry.errors.push(UploadError::Storage);
                    ids.push(0);
                }
                None => ids.push(0),
            }
            tracing::debug!(upload = name, entry = entry.id, size = entry.size, errors = ?entry.errors, "upload entry");
            self.shown[i].entries.push(entry);
        }
        ids.extend(std::iter::repeat_n(0, over));
        Some(ids)
    }

    /// Creates the entry's temporary file (here, so that it never outlives the entry) and
    /// starts its writer.
    fn open(&mut self, entry: &UploadEntry, config: &UploadConfig) -> std::io::Result<Io> {
        let dir = match &self.dir {
            Some(d) => d.to_path_buf(),
            None => std::env::temp_dir().join("leptos-live-uploads"),
        };
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{}.part", crate::wire::ids::hex_id()));
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)?;
        let file_guard = TempFile(path);
        let (tx, rx) = mpsc::channel(1);
        if entry.size > 0 {
            let reports = self.report_tx.get_or_insert_with(|| {
                let (tx, rx) = mpsc::unbounded_channel();
                self.report_rx = Some(rx);
                tx
            });
            writer::spawn(
                entry.id,
                file,
                entry.size,
                config.stall_timeout,
                rx,
                reports.clone(),
            );
        }
        Ok(Io {
            file: file_guard,
            tx: (entry.size > 0).then_some(tx),
            queued: 0,
            written: 0,
            size: entry.size,
            chunk: config.chunk_size,
        })
    }

    /// Takes a chunk of entry `id` that starts at byte `offset`.
    pub(crate) fn chunk(&mut self, id: u32, offset: u64, data: Bytes) -> ChunkOutcome {
        let Some(io) = self.io.get_mut(&id) else {
            return ChunkOutcome::Unknown;
        };
        let end = offset.saturating_add(data.len() as u64);
        let verdict = if data.is_empty() || data.len() > io.chunk {
            Err(UploadError::BadChunk)
        } else if end <= io.queued {
            // Sent again after a reconnect: the writer has it, or had it.
            return ChunkOutcome::Again((io.queued == io.written).then_some(io.written));
        } else if offset != io.queued {
            Err(UploadError::BadChunk)
        } else if end > io.size {
            Err(UploadError::TooManyBytes)
        } else {
            match &io.tx {
                Some(tx) => match tx.try_send(data) {
                    Ok(()) => {
                        io.queued = end;
                        if end == io.size {
                            io.tx = None;
                        }
                        Ok(())
                    }
                    Err(mpsc::error::TrySendError::Full(_)) => Err(UploadError::Flooded),
                    // The writer stopped (it failed; its report is on its way).
                    Err(mpsc::error::TrySendError::Closed(_)) => return ChunkOutcome::Unknown,
                },
                None => Err(UploadError::TooManyBytes),
            }
        };
        match verdict {
            Ok(()) => ChunkOutcome::Queued,
            Err(error) => {
                self.fail(id, error);
                ChunkOutcome::Failed(error)
            }
        }
    }

    /// Takes a writer's report: whether the view changed (progress in whole percent, done,
    /// failed), and the acknowledgement the browser gets (entry, bytes written).
    pub(crate) fn report(&mut self, report: Report) -> (bool, Option<(u32, u64)>) {
        match report {
            Report::Written { id, total } => {
                let Some(io) = self.io.get_mut(&id) else {
                    return (false, None);
                };
                io.written = total;
                let size = io.size;
                let Some(entry) = self.entry_mut(id) else {
                    return (false, None);
                };
                let before = entry.progress();
                metrics::counter!("leptos_live_upload_bytes_total")
                    .increment(total.saturating_sub(entry.received));
                entry.received = total;
                if total >= size && !entry.done {
                    metrics::counter!("leptos_live_uploads_total").increment(1);
                }
                entry.done = total >= size;
                (entry.progress() != before || entry.done, Some((id, total)))
            }
            Report::Failed { id, error } => {
                self.fail(id, error);
                (true, None)
            }
        }
    }

    /// Cancels entry `id` (of upload `name`, when given); false when there is no such entry.
    pub(crate) fn cancel(&mut self, name: Option<&str>, id: u32) -> bool {
        let found = self
            .shown
            .iter()
            .filter(|u| name.is_none_or(|n| u.name == n))
            .any(|u| u.entries.iter().any(|e| e.id == id));
        if found {
            self.close(id, "cancelled");
            self.remove(id);
        }
        found
    }

    /// Hands each completed entry of upload `name` to `f`, then removes it and what is left of
    /// its temporary file.
    pub(crate) fn consume<T>(
        &mut self,
        name: &str,
        mut f: impl FnMut(&UploadedFile<'_>) -> T,
    ) -> Vec<T> {
        let Some(upload) = self.shown.iter_mut().find(|u| u.name == name) else {
            return Vec::new();
        };
        let (done, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut upload.entries)
            .into_iter()
            .partition(|e| e.done && e.is_valid());
        upload.entries = rest;
        if upload.entries.len() < upload.config.max_entries {
            upload.errors.retain(|e| *e != UploadError::TooManyFiles);
        }
        let mut out = Vec::with_capacity(done.len());
        for entry in done {
            let Some(io) = self.io.remove(&entry.id) else {
                continue;
            };
            out.push(f(&UploadedFile {
                entry: &entry,
                path: &io.file.0,
            }));
        }
        out
    }

    /// Marks entry `id` failed: its writer stops and its file goes; the view shows why.
    fn fail(&mut self, id: u32, error: UploadError) {
        tracing::info!(entry = id, code = error.code(), "upload entry failed");
        self.io.remove(&id);
        if let Some(entry) = self.entry_mut(id) {
            entry.done = false;
            if !entry.errors.contains(&error) {
                entry.errors.push(error);
            }
        }
        self.notices.push((id, error.code()));
    }

    /// Drops entry `id` from the view and its resources.
    fn remove(&mut self, id: u32) {
        self.io.remove(&id);
        for u in &mut self.shown {
            u.entries.retain(|e| e.id != id);
        }
    }

    /// Drops entry `id`'s resources and tells the browser to stop sending it.
    fn close(&mut self, id: u32, why: &'static str) {
        if self.io.remove(&id).is_some() {
            self.notices.push((id, why));
        }
    }

    fn entry_mut(&mut self, id: u32) -> Option<&mut UploadEntry> {
        self.shown
            .iter_mut()
            .flat_map(|u| u.entries.iter_mut())
            .find(|e| e.id == id)
    }
}
