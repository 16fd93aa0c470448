//! The wire: frames and their decoding, tokens, URLs, ids, rate limits and the outbox. Bytes in
//! and out, with no notion of a page's type.
//!
//! Everything here is the engine's own; tests, benchmarks and fuzzers reach the frame codecs with
//! the `internals` feature. Not part of the API.

pub mod client_frames;
pub(crate) mod code;
pub(crate) mod decode;
pub(crate) mod ids;
pub(crate) mod limit;
pub(crate) mod outbox;
pub mod protocol;
pub(crate) mod pushed;
pub(crate) mod stream_ops;
pub(crate) mod token;
pub(crate) mod url;
pub(crate) mod websocket;
