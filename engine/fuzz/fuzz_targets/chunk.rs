//! Arbitrary binary frames: the upload chunk decoder must not panic, and what it accepts must
//! read back as the frame's own bytes.
#![no_main]

use leptos_live::wire::protocol::{CHUNK_HEADER, Chunk};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(chunk) = Chunk::decode(data) {
        assert_eq!(chunk.data_at, CHUNK_HEADER);
        assert!(data.len() >= CHUNK_HEADER);
        assert_eq!(data[0], 1);
        assert_eq!(&data[1..5], &chunk.entry.to_be_bytes());
        assert_eq!(&data[5..13], &chunk.offset.to_be_bytes());
    } else {
        assert!(data.len() < CHUNK_HEADER || data[0] != 1);
    }
});
