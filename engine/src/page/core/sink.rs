//! Where the page core's output goes: a socket's frames (a [`FrameSink`] encodes each output
//! as its frame), or a test's tree.

use tracing::field::Empty;

use crate::diff::Op;
use crate::error::{ErrorCode, LiveError};
use crate::wire::protocol::{
    error_frame, html_frame_with, patch_frame_with, upload_ack_frame, upload_end_frame,
};
use crate::wire::pushed::Pushed;

/// Where the core's output goes: a socket's frames, or a test's tree.
pub(crate) trait Sink {
    /// Whether a client is there; without one, changes wait until one attaches.
    fn attached(&self) -> bool;
    /// Operations taking the client from its version to the next; false when it did not take
    /// them (its stream changes then go again with the next whole page).
    fn patch(&mut self, r: u64, ops: &[Op], pushed: &Pushed) -> bool;
    /// The page's whole HTML, starting `version`; false when the client did not take it.
    fn page(&mut self, r: u64, html: &str, version: u64, pushed: &Pushed) -> bool;
    /// A typed error answering `r` (0: none).
    fn error(&mut self, r: u64, code: ErrorCode, message: &str);
    /// An upload entry's first `written` bytes are saved.
    fn upload_ack(&mut self, entry: u32, written: u64);
    /// An upload entry takes no more chunks, and why.
    fn upload_end(&mut self, entry: u32, why: &str);
    /// A callback no client event waits on failed (`handle_info`, finished work): logged, and
    /// not sent.
    fn failed(&mut self, _error: &LiveError) {}
}

/// A [`Sink`] for the wire: each output is encoded as its frame and handed to `send`.
pub(crate) trait FrameSink {
    /// Whether a client is there.
    fn attached(&self) -> bool;
    /// Takes a frame; false when it could not go.
    fn send(&mut self, frame: String) -> bool;
}

impl<F: FrameSink> Sink for F {
    fn attached(&self) -> bool {
        FrameSink::attached(self)
    }

    fn patch(&mut self, r: u64, ops: &[Op], pushed: &Pushed) -> bool {
        let frame = encoded("patch", || patch_frame_with(r, ops, pushed));
        self.send(frame)
    }

    fn page(&mut self, r: u64, html: &str, version: u64, pushed: &Pushed) -> bool {
        let frame = encoded("page", || html_frame_with(r, html, version, pushed));
        self.send(frame)
    }

    fn error(&mut self, r: u64, code: ErrorCode, message: &str) {
        let frame = encoded("error", || error_frame(r, code, message));
        self.send(frame);
    }

    fn upload_ack(&mut self, entry: u32, written: u64) {
        self.send(upload_ack_frame(entry, written));
    }

    fn upload_end(&mut self, entry: u32, why: &str) {
        self.send(upload_end_frame(entry, why));
    }
}

/// Encodes a frame of `kind` in an `encode` span that records its size.
fn encoded(kind: &'static str, encode: impl FnOnce() -> String) -> String {
    let span = tracing::debug_span!("encode", frame = kind, bytes = Empty).entered();
    let frame = encode();
    span.record("bytes", frame.len());
    frame
}
