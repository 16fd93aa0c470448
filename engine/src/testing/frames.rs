//! A sink that only encodes frames, as the page task's does: what a benchmark times when it
//! wants the server's work alone, without the test client's copy of the page.

use crate::ctx::Pushed;
use crate::diff::Op;
use crate::error::ErrorCode;
use crate::page_core::Sink;
use crate::protocol::{
    error_frame, html_frame_with, patch_frame_with, upload_ack_frame, upload_end_frame,
};

/// The frames of one step, encoded.
#[derive(Default)]
pub(crate) struct Frames(pub Vec<String>);

impl Sink for Frames {
    fn attached(&self) -> bool {
        true
    }

    fn patch(&mut self, r: u64, ops: &[Op], pushed: &Pushed) -> bool {
        self.0.push(patch_frame_with(r, ops, pushed));
        true
    }

    fn page(&mut self, r: u64, html: &str, version: u64, pushed: &Pushed) -> bool {
        self.0.push(html_frame_with(r, html, version, pushed));
        true
    }

    fn error(&mut self, r: u64, code: ErrorCode, message: &str) {
        self.0.push(error_frame(r, code, message));
    }

    fn upload_ack(&mut self, entry: u32, written: u64) {
        self.0.push(upload_ack_frame(entry, written));
    }

    fn upload_end(&mut self, entry: u32, why: &str) {
        self.0.push(upload_end_frame(entry, why));
    }
}
