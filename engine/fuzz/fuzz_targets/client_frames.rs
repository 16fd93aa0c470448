//! Arbitrary bytes from a client, fed to the WebSocket frame decoder in pieces of any size: it
//! must not panic, must take only bytes that were there, must ask for more bytes exactly when it
//! needs them, and once it refuses the bytes it refuses them however they were split.
#![no_main]

use axum::extract::ws::Message;
use leptos_live::wire::client_frames::Decoder;
use libfuzzer_sys::fuzz_target;

/// Decodes `wire` fed `step` bytes at a time: the messages, and whether it was refused.
fn decode(wire: &[u8], step: usize) -> (Vec<Message>, bool) {
    let mut d = Decoder::new(4096);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    for piece in wire.chunks(step) {
        buf.extend_from_slice(piece);
        loop {
            match d.decode(&mut buf) {
                Ok(Some(m)) => out.push(m),
                Ok(None) => {
                    assert!(buf.len() < d.wanted(&buf), "more bytes asked for than needed");
                    break;
                }
                Err(_) => return (out, true),
            }
        }
    }
    (out, false)
}

fuzz_target!(|data: &[u8]| {
    let Some((&step, wire)) = data.split_first() else {
        return;
    };
    let (pieces, refused) = decode(wire, usize::from(step).max(1));
    let payload: usize = pieces
        .iter()
        .map(|m| match m {
            Message::Text(t) => t.len(),
            Message::Binary(b) | Message::Ping(b) | Message::Pong(b) => b.len(),
            Message::Close(_) => 0,
        })
        .sum();
    assert!(payload <= wire.len());
    // Fed whole, the same messages, and the same refusal.
    let (whole, refused_whole) = decode(wire, wire.len().max(1));
    assert_eq!(pieces, whole);
    assert_eq!(refused, refused_whole);
});
