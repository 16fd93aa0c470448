//! Arbitrary (UTF-8) client frames: decoding must not panic.
#![no_main]

use leptos_live::wire::protocol::ClientFrame;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = ClientFrame::decode(text, 65536);
});
