//! The task that writes one entry's chunks to its temporary file, one at a time.

use std::time::Duration;

use axum::body::Bytes;
use tokio::io::AsyncWriteExt as _;
use tokio::sync::mpsc;

use super::UploadError;

/// What a writer tells its page.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Report {
    /// `total` bytes of entry `id` are written (a chunk more).
    Written { id: u32, total: u64 },
    /// Entry `id` failed; its writer has stopped.
    Failed { id: u32, error: UploadError },
}

/// Starts the writer of entry `id`: it takes chunks from `chunks` and appends them to `file`,
/// reporting each once it is written (the browser sends the next one then). It ends when the
/// entry has all its `size` bytes, when the entry is dropped (its sender with it), or when no
/// chunk comes within `stall` once the first has arrived.
pub(crate) fn spawn(
    id: u32,
    file: std::fs::File,
    size: u64,
    stall: Duration,
    mut chunks: mpsc::Receiver<Bytes>,
    report: mpsc::UnboundedSender<Report>,
) {
    tokio::spawn(async move {
        let mut file = tokio::fs::File::from_std(file);
        let mut total = 0u64;
        loop {
            // The first chunk may wait for the form's submit; later ones may not stall.
            let next = if total == 0 {
                chunks.recv().await
            } else {
                match tokio::time::timeout(stall, chunks.recv()).await {
                    Ok(next) => next,
                    Err(_) => {
                        tracing::info!(entry = id, total, "upload stalled");
                        let _ = report.send(Report::Failed {
                            id,
                            error: UploadError::Stalled,
                        });
                        return;
                    }
                }
            };
            // The entry was cancelled, consumed or failed, or its page ended.
            let Some(chunk) = next else { return };
            // Flushed before the report: the browser's next chunk comes when this one is written,
            // so the entry never holds more than one in memory.
            let written = async {
                file.write_all(&chunk).await?;
                file.flush().await
            };
            if let Err(e) = written.await {
                tracing::warn!(entry = id, error = %e, "upload write failed");
                let _ = report.send(Report::Failed {
                    id,
                    error: UploadError::Storage,
                });
                return;
            }
            total += chunk.len() as u64;
            if report.send(Report::Written { id, total }).is_err() || total >= size {
                return;
            }
        }
    });
}
