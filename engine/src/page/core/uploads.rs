//! The page core's uploads: files announced for an upload, their chunks, their writers'
//! reports, and the notices that stop an entry.

use axum::body::Bytes;

use super::{Core, Flow, Sink};
use crate::error::ErrorCode;
use crate::upload::{ChunkOutcome, FileMeta, Report};
use crate::view::LiveView;
use crate::wire::protocol::Chunk;

impl<V: LiveView> Core<V> {
    /// Files picked for the upload `name`: each gets an entry id (0 when refused), in the reply.
    pub fn upload(
        &mut self,
        r: u64,
        name: &str,
        files: Vec<FileMeta>,
        sink: &mut impl Sink,
    ) -> Flow {
        match self.ctx.uploads_mut().preflight(name, files) {
            Some(ids) => {
                self.ctx.reply(ids);
                self.send_patch(r, true, sink)
            }
            None => {
                tracing::warn!(page = %self.id, upload = %name, "files for an upload the page did not allow");
                sink.error(r, ErrorCode::UnknownUpload, &format!("no upload {name:?}"));
                Flow::Continue
            }
        }
    }

    /// Takes a chunk of an upload entry and hands it to the entry's writer.
    pub fn chunk(&mut self, data: Bytes, sink: &mut impl Sink) -> Flow {
        let chunk = match Chunk::decode(&data) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(page = %self.id, "refused binary frame: {}", e.message);
                sink.error(0, e.code, &e.message);
                return Flow::Continue;
            }
        };
        let bytes = data.slice(chunk.data_at..);
        match self
            .ctx
            .uploads_mut()
            .chunk(chunk.entry, chunk.offset, bytes)
        {
            ChunkOutcome::Queued | ChunkOutcome::Again(None) => Flow::Continue,
            ChunkOutcome::Again(Some(written)) => {
                sink.upload_ack(chunk.entry, written);
                Flow::Continue
            }
            ChunkOutcome::Unknown => {
                sink.upload_end(chunk.entry, "unknown_entry");
                Flow::Continue
            }
            // The entry shows why; the notice tells the browser to stop.
            ChunkOutcome::Failed(_) => self.send_patch(0, false, sink),
        }
    }

    /// Takes an upload writer's report: the browser gets its acknowledgement, and the view the
    /// progress when it moved by a percent or more.
    pub fn upload_report(&mut self, report: Report, sink: &mut impl Sink) -> Flow {
        let (changed, ack) = self.ctx.uploads_mut().report(report);
        if let Some((id, n)) = ack {
            sink.upload_ack(id, n);
        }
        if changed && sink.attached() {
            self.send_patch(0, false, sink)
        } else {
            Flow::Continue
        }
    }

    /// Tells the client which upload entries take no more chunks.
    pub(super) fn send_upload_notices(&mut self, sink: &mut impl Sink) {
        for (id, why) in self.ctx.take_upload_notices() {
            sink.upload_end(id, why);
        }
    }
}
