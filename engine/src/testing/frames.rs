//! A sink that only encodes frames, as the page task's does: what a benchmark times when it
//! wants the server's work alone, without the test client's copy of the page.

use crate::page::core::FrameSink;

/// The frames of one step, encoded.
#[derive(Default)]
pub(crate) struct Frames(pub Vec<String>);

impl FrameSink for Frames {
    fn attached(&self) -> bool {
        true
    }

    fn send(&mut self, frame: String) -> bool {
        self.0.push(frame);
        true
    }
}
