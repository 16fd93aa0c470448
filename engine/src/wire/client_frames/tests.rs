use super::*;
use crate::wire::websocket::Replay;
use proptest::prelude::*;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocket, WebSocketConfig};
use tokio_tungstenite::tungstenite::{self as ts};

/// A client's frame: `opcode` with its `fin` bit, `payload` masked with `mask`, and the
/// shortest length for it.
fn frame(fin: bool, opcode: u8, payload: &[u8], mask: [u8; 4]) -> Vec<u8> {
    let mut f = vec![if fin { 0x80 } else { 0 } | opcode];
    let n = payload.len();
    if n < 126 {
        f.push(0x80 | n as u8);
    } else if let Ok(short) = u16::try_from(n) {
        f.push(0x80 | 126);
        f.extend_from_slice(&short.to_be_bytes());
    } else {
        f.push(0x80 | 127);
        f.extend_from_slice(&(n as u64).to_be_bytes());
    }
    f.extend_from_slice(&mask);
    f.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    f
}

const MASK: [u8; 4] = [0x37, 0xFA, 0x21, 0x3D];

/// Everything `wire` decodes to, fed `step` bytes at a time; the error that ended it, if any.
fn decode_all(wire: &[u8], step: usize, max: usize) -> (Vec<Message>, Option<FramingError>) {
    let mut d = Decoder::new(max);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    for chunk in wire.chunks(step.max(1)) {
        buf.extend_from_slice(chunk);
        loop {
            match d.decode(&mut buf) {
                Ok(Some(m)) => out.push(m),
                Ok(None) => break,
                Err(e) => return (out, Some(e)),
            }
        }
    }
    assert!(!d.inside_message(&buf), "bytes left: {buf:?}");
    (out, None)
}

fn text(s: &str) -> Message {
    Message::Text(s.into())
}

#[test]
fn messages_come_whole_however_the_bytes_are_split() {
    let big: Vec<u8> = (0..70_000u32).map(|i| (i * 7) as u8).collect();
    let mut wire = frame(true, TEXT, "héllo".as_bytes(), MASK);
    wire.extend(frame(false, BINARY, &big[..300], MASK));
    wire.extend(frame(true, PING, b"are you there", [9, 8, 7, 6]));
    wire.extend(frame(false, CONTINUATION, &big[300..1000], MASK));
    wire.extend(frame(true, PONG, b"", MASK));
    wire.extend(frame(true, CONTINUATION, &big[1000..], MASK));
    wire.extend(frame(true, TEXT, b"", MASK));
    wire.extend(frame(true, CLOSE, b"\x03\xE8bye", MASK));
    let want = vec![
        text("héllo"),
        Message::Ping(Bytes::from_static(b"are you there")),
        Message::Pong(Bytes::new()),
        Message::Binary(big.clone().into()),
        text(""),
        Message::Close(Some(CloseFrame {
            code: 1000,
            reason: "bye".into(),
        })),
    ];
    for step in [1, 2, 3, 13, 125, 4096, wire.len()] {
        assert_eq!(
            decode_all(&wire, step, 1 << 20),
            (want.clone(), None),
            "{step}"
        );
    }
}

#[test]
fn lengths_use_every_header_size() {
    for len in [0, 125, 126, 65_535, 65_536, 100_000] {
        let payload = vec![b'x'; len];
        let wire = frame(true, BINARY, &payload, MASK);
        let d = Decoder::new(1 << 20);
        assert_eq!(d.wanted(&wire[..2.min(wire.len())]), MAX_HEADER, "{len}");
        let head = wire.len() - len;
        assert_eq!(d.wanted(&wire[..head]), wire.len(), "{len}");
        let (got, err) = decode_all(&wire, wire.len(), 1 << 20);
        assert_eq!((got, err), (vec![Message::Binary(payload.into())], None));
    }
}

#[test]
fn a_large_frame_that_is_all_the_buffer_is_not_copied_and_frees_it() {
    let payload = vec![5u8; 10_000];
    let mut buf = frame(true, BINARY, &payload, MASK);
    let got = Decoder::new(1 << 20).decode(&mut buf);
    assert_eq!(got, Ok(Some(Message::Binary(payload.into()))));
    assert_eq!(buf.capacity(), 0);
}

#[test]
fn a_message_past_the_limit_is_refused_from_its_header() {
    // The header alone, no payload read yet.
    let wire = frame(true, BINARY, &[0; 2000], MASK);
    let mut head = wire[..8].to_vec();
    assert_eq!(
        Decoder::new(1000).decode(&mut head),
        Err(FramingError::TooLong(2000))
    );
    // Fragments that pass it together.
    let mut wire = frame(false, TEXT, &[b'a'; 600], MASK);
    wire.extend(frame(true, CONTINUATION, &[b'a'; 600], MASK));
    assert_eq!(
        decode_all(&wire, 7, 1000).1,
        Some(FramingError::TooLong(1200))
    );
    assert_eq!(decode_all(&wire, 7, 1200).0.len(), 1);
    // The largest length a header can say, and a length with its most significant bit set
    // (which RFC 6455 forbids), whatever the rest says.
    let mut huge = vec![
        0x82, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4,
    ];
    assert!(matches!(
        Decoder::new(1 << 20).decode(&mut huge),
        Err(FramingError::TooLong(_))
    ));
    let mut top = vec![
        0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 0, 0, 0, 0, 0,
    ];
    assert_eq!(
        Decoder::new(usize::MAX).decode(&mut top),
        Err(FramingError::TooLong((1 << 63) + 5))
    );
}

#[test]
fn what_breaks_the_protocol_is_refused() {
    let cases: Vec<(Vec<u8>, FramingError)> = vec![
        // Unmasked.
        (vec![0x81, 0x01, b'a'], FramingError::Unmasked),
        // A reserved bit (RSV1: compression, which was not agreed).
        (frame(true, TEXT | 0x40, b"a", MASK), FramingError::Reserved),
        (frame(true, 0x3, b"", MASK), FramingError::Opcode(0x3)),
        (frame(true, 0xB, b"", MASK), FramingError::Opcode(0xB)),
        (frame(false, PING, b"", MASK), FramingError::Control),
        (frame(true, PING, &[0; 126], MASK), FramingError::Control),
        (
            frame(true, CONTINUATION, b"a", MASK),
            FramingError::Continuation,
        ),
        (
            [
                frame(false, TEXT, b"a", MASK),
                frame(true, BINARY, b"b", MASK),
            ]
            .concat(),
            FramingError::Unfinished,
        ),
        (frame(true, TEXT, &[0xC3, 0x28], MASK), FramingError::Utf8),
        // A character split between fragments is fine; one left unfinished is not.
        (
            [
                frame(false, TEXT, &[0xC3], MASK),
                frame(true, CONTINUATION, &[], MASK),
            ]
            .concat(),
            FramingError::Utf8,
        ),
        (frame(true, CLOSE, &[3], MASK), FramingError::Close),
        (
            frame(true, CLOSE, &1005u16.to_be_bytes(), MASK),
            FramingError::Close,
        ),
        (
            frame(true, CLOSE, &999u16.to_be_bytes(), MASK),
            FramingError::Close,
        ),
        (
            frame(true, CLOSE, &[0x03, 0xE8, 0xFF], MASK),
            FramingError::Utf8,
        ),
    ];
    for (wire, want) in cases {
        assert_eq!(decode_all(&wire, 1, 1 << 20).1, Some(want), "{wire:?}");
    }
    let split = [
        frame(false, TEXT, &[0xC3], MASK),
        frame(true, CONTINUATION, &[0xA9], MASK),
    ]
    .concat();
    assert_eq!(decode_all(&split, 1, 100), (vec![text("é")], None));
    for code in [1000, 1003, 1007, 1014, 3000, 4999] {
        let wire = frame(true, CLOSE, &u16::to_be_bytes(code), MASK);
        assert_eq!(
            decode_all(&wire, 1, 100).0,
            vec![Message::Close(Some(CloseFrame {
                code,
                reason: "".into()
            }))]
        );
    }
}

/// Reads `wire` as tungstenite's server does: its messages, and whether it stopped on an error.
fn tungstenite_reads(wire: Vec<u8>, max: usize) -> (Vec<Message>, bool) {
    let config = WebSocketConfig::default()
        .max_message_size(Some(max))
        .max_frame_size(Some(max));
    let mut ws = WebSocket::from_raw_socket(
        Replay(std::io::Cursor::new(wire)),
        Role::Server,
        Some(config),
    );
    let mut out = Vec::new();
    loop {
        match ws.read() {
            Ok(m) => out.push(match m {
                ts::Message::Text(t) => text(t.as_str()),
                ts::Message::Binary(b) => Message::Binary(b),
                ts::Message::Ping(b) => Message::Ping(b),
                ts::Message::Pong(b) => Message::Pong(b),
                ts::Message::Close(c) => Message::Close(c.map(|c| CloseFrame {
                    code: c.code.into(),
                    reason: c.reason.as_str().into(),
                })),
                ts::Message::Frame(_) => unreachable!("a read gives no raw frame"),
            }),
            Err(ts::Error::ConnectionClosed | ts::Error::AlreadyClosed) => return (out, false),
            Err(ts::Error::Protocol(ts::error::ProtocolError::ResetWithoutClosingHandshake)) => {
                return (out, false);
            }
            Err(_) => return (out, true),
        }
    }
}

/// A message a client sends, and how: the points its payload is split at into fragments, and
/// the control frames that go between them.
#[derive(Debug, Clone)]
enum ClientSent {
    Data {
        text: bool,
        payload: Vec<u8>,
        cuts: Vec<usize>,
        between: Vec<(u8, Vec<u8>)>,
    },
    Control(u8, Vec<u8>),
}

fn sent() -> impl Strategy<Value = ClientSent> {
    let control = (
        prop_oneof![Just(PING), Just(PONG)],
        proptest::collection::vec(any::<u8>(), 0..=125),
    );
    prop_oneof![
        (
            any::<bool>(),
            proptest::collection::vec(any::<u8>(), 0..3000),
            proptest::collection::vec(any::<usize>(), 0..4),
            proptest::collection::vec(control.clone(), 0..3),
        )
            .prop_map(|(text, payload, cuts, between)| {
                let payload = if text {
                    String::from_utf8_lossy(&payload).into_owned().into_bytes()
                } else {
                    payload
                };
                ClientSent::Data {
                    text,
                    payload,
                    cuts,
                    between,
                }
            }),
        control.prop_map(|(op, p)| ClientSent::Control(op, p)),
    ]
}

fn wire_of(msgs: &[ClientSent], mask: [u8; 4]) -> Vec<u8> {
    let mut wire = Vec::new();
    for m in msgs {
        match m {
            ClientSent::Control(op, p) => wire.extend(frame(true, *op, p, mask)),
            ClientSent::Data {
                text,
                payload,
                cuts,
                between,
            } => {
                let mut at: Vec<usize> = cuts.iter().map(|c| c % (payload.len() + 1)).collect();
                at.sort_unstable();
                at.push(payload.len());
                let mut from = 0;
                for (i, &to) in at.iter().enumerate() {
                    let op = if i == 0 {
                        if *text { TEXT } else { BINARY }
                    } else {
                        CONTINUATION
                    };
                    wire.extend(frame(i + 1 == at.len(), op, &payload[from..to], mask));
                    if let Some((c, p)) = between.get(i).filter(|_| i + 1 < at.len()) {
                        wire.extend(frame(true, *c, p, mask));
                    }
                    from = to;
                }
            }
        }
    }
    wire
}

proptest! {
    /// Whatever a client sends, in whatever fragments, with pings and pongs between them, the
    /// decoder reads the messages tungstenite's server reads, fed in any pieces.
    #[test]
    fn the_decoder_reads_what_tungstenite_reads(
        msgs in proptest::collection::vec(sent(), 0..6),
        mask in any::<[u8; 4]>(),
        step in 1usize..5000,
        // A limit of at least 126 bytes: below, tungstenite refuses a control frame that a
        // limit on messages does not cover (and the engine's limit is kilobytes).
        max in prop_oneof![Just(1usize << 20), 126usize..4000],
    ) {
        let wire = wire_of(&msgs, mask);
        let (theirs, failed) = tungstenite_reads(wire.clone(), max);
        let (ours, err) = decode_all(&wire, step, max);
        prop_assert_eq!(&ours, &theirs);
        prop_assert_eq!(err.is_some(), failed, "{:?}", err);
    }

    /// Any bytes at all: no panic, a message only from bytes that were there, and a wait for
    /// more only when the frame at the front is not all there.
    #[test]
    fn any_bytes_decode_or_are_refused(
        wire in proptest::collection::vec(any::<u8>(), 0..300),
        step in 1usize..40,
    ) {
        let mut d = Decoder::new(200);
        let mut buf = Vec::new();
        let mut msgs = Vec::new();
        for chunk in wire.chunks(step) {
            buf.extend_from_slice(chunk);
            loop {
                match d.decode(&mut buf) {
                    Ok(Some(m)) => msgs.push(m),
                    // It asks for more bytes only when it needs them.
                    Ok(None) => {
                        prop_assert!(buf.len() < d.wanted(&buf));
                        break;
                    }
                    Err(_) => break,
                }
            }
        }
        let total: usize = msgs.iter().map(|m| match m {
            Message::Text(t) => t.len(),
            Message::Binary(b) | Message::Ping(b) | Message::Pong(b) => b.len(),
            Message::Close(_) => 0,
        }).sum();
        prop_assert!(total <= wire.len());
    }
}
