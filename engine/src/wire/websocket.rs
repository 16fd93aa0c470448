//! WebSocket framing of what the server writes (RFC 6455 §5.2): a header before the payload,
//! which a server sends unmasked. A frame is one message here: the engine never fragments.
//!
//! The header is made apart from the payload, which stays shared (a frame fed to a thousand
//! sockets is one payload): the socket puts them together as it writes. What the client sends
//! is read by [`crate::wire::client_frames`].

use axum::body::Bytes;
use axum::extract::ws::Message;

/// The opcodes of RFC 6455 §5.2 that the server writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Opcode {
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
}

impl Opcode {
    #[cfg(test)]
    fn of(bits: u8) -> Option<Opcode> {
        Some(match bits {
            0x1 => Opcode::Text,
            0x2 => Opcode::Binary,
            0x8 => Opcode::Close,
            0x9 => Opcode::Ping,
            0xA => Opcode::Pong,
            _ => return None,
        })
    }
}

/// The longest header a server frame has: two bytes and a 64-bit length.
pub(crate) const MAX_HEADER: usize = 10;

/// A frame's header, final and unmasked, for a payload of `len` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    bytes: [u8; MAX_HEADER],
    len: u8,
}

impl Header {
    pub fn new(opcode: Opcode, len: usize) -> Header {
        let mut bytes = [0u8; MAX_HEADER];
        bytes[0] = 0x80 | opcode as u8;
        let n = if len < 126 {
            bytes[1] = len as u8;
            2
        } else if let Ok(short) = u16::try_from(len) {
            bytes[1] = 126;
            bytes[2..4].copy_from_slice(&short.to_be_bytes());
            4
        } else {
            bytes[1] = 127;
            bytes[2..10].copy_from_slice(&(len as u64).to_be_bytes());
            10
        };
        Header { bytes, len: n }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

/// A message as a frame: its header and its payload, the payload shared, not copied (a close
/// frame's payload, its code and reason, is made).
pub(crate) fn frame_of(msg: Message) -> (Header, Bytes) {
    let (opcode, payload) = match msg {
        Message::Text(t) => (Opcode::Text, Bytes::from(t)),
        Message::Binary(b) => (Opcode::Binary, b),
        Message::Ping(b) => (Opcode::Ping, b),
        Message::Pong(b) => (Opcode::Pong, b),
        Message::Close(None) => (Opcode::Close, Bytes::new()),
        Message::Close(Some(c)) => {
            let mut p = Vec::with_capacity(2 + c.reason.len());
            p.extend_from_slice(&c.code.to_be_bytes());
            p.extend_from_slice(c.reason.as_bytes());
            (Opcode::Close, Bytes::from(p))
        }
    };
    (Header::new(opcode, payload.len()), payload)
}

/// Splits the first whole server frame off `buf`: its opcode and payload, and the bytes it took.
/// `None` while the frame is not all there, and for what is not an unmasked final frame with an
/// opcode of [`Opcode`].
#[cfg(test)]
pub(crate) fn split_frame(buf: &[u8]) -> Option<(Opcode, &[u8], usize)> {
    let (&b0, rest) = buf.split_first()?;
    let (&b1, rest) = rest.split_first()?;
    if b0 & 0xF0 != 0x80 || b1 & 0x80 != 0 {
        return None;
    }
    let opcode = Opcode::of(b0 & 0x0F)?;
    let (len, head) = match b1 & 0x7F {
        126 => (
            usize::from(u16::from_be_bytes(rest.get(..2)?.try_into().ok()?)),
            4,
        ),
        127 => (
            usize::try_from(u64::from_be_bytes(rest.get(..8)?.try_into().ok()?)).ok()?,
            10,
        ),
        n => (usize::from(n), 2usize),
    };
    let end = head.checked_add(len)?;
    Some((opcode, buf.get(head..end)?, end))
}

/// Bytes for a tungstenite socket to read, in the tests that check the engine's framing against
/// it; what the socket writes back (its pongs, its close replies) goes nowhere.
#[cfg(test)]
pub(crate) struct Replay(pub std::io::Cursor<Vec<u8>>);

#[cfg(test)]
impl std::io::Read for Replay {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}

#[cfg(test)]
impl std::io::Write for Replay {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::extract::ws::{CloseFrame, Utf8Bytes};
    use proptest::prelude::*;
    use tokio_tungstenite::tungstenite::protocol::{Role, WebSocket};
    use tokio_tungstenite::tungstenite::{self as ts};

    /// Reads `wire` as a browser would: a client-side tungstenite socket.
    fn read_as_client(wire: Vec<u8>) -> Vec<ts::Message> {
        let wire = Replay(std::io::Cursor::new(wire));
        let mut ws = WebSocket::from_raw_socket(wire, Role::Client, None);
        let mut out = Vec::new();
        loop {
            match ws.read() {
                Ok(m) => out.push(m),
                Err(ts::Error::Io(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
                Err(ts::Error::ConnectionClosed | ts::Error::AlreadyClosed) => break,
                Err(ts::Error::Protocol(
                    ts::error::ProtocolError::ResetWithoutClosingHandshake,
                )) => {
                    break;
                }
                Err(e) => panic!("{e}"),
            }
        }
        out
    }

    fn wire_of(msgs: &[Message]) -> Vec<u8> {
        let mut wire = Vec::new();
        for m in msgs {
            let (h, p) = frame_of(m.clone());
            wire.extend_from_slice(h.as_bytes());
            wire.extend_from_slice(&p);
        }
        wire
    }

    #[test]
    fn lengths_take_the_shortest_header() {
        for (len, head) in [(0, 2), (125, 2), (126, 4), (65_535, 4), (65_536, 10)] {
            let h = Header::new(Opcode::Binary, len);
            assert_eq!(h.as_bytes().len(), head, "{len}");
            let mut f = h.as_bytes().to_vec();
            f.resize(head + len, 7);
            let (op, payload, used) = split_frame(&f).expect("a whole frame");
            assert_eq!((op, payload.len(), used), (Opcode::Binary, len, head + len));
            assert!(split_frame(&f[..f.len() - 1]).is_none() || len == 0);
        }
    }

    #[test]
    fn a_close_frame_carries_its_code_and_reason() {
        let msgs = [Message::Close(Some(CloseFrame {
            code: 4001,
            reason: Utf8Bytes::from("gone away"),
        }))];
        match read_as_client(wire_of(&msgs)).as_slice() {
            [ts::Message::Close(Some(c))] => {
                assert_eq!(u16::from(c.code), 4001);
                assert_eq!(c.reason.as_str(), "gone away");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn masked_or_unknown_frames_are_not_split() {
        assert!(split_frame(&[0x81, 0x80, 0, 0, 0, 0]).is_none());
        assert!(split_frame(&[0x83, 0x00]).is_none());
        assert!(split_frame(&[0x01, 0x00]).is_none());
        assert!(
            split_frame(&[0x82, 127, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]).is_none()
        );
    }

    proptest! {
        /// Whatever the server writes, a client reads back the same messages.
        #[test]
        fn a_client_reads_what_was_framed(
            msgs in proptest::collection::vec(
                prop_oneof![
                    ".{0,300}".prop_map(|s: String| Message::Text(s.into())),
                    proptest::collection::vec(any::<u8>(), 0..70_000)
                        .prop_map(|b| Message::Binary(b.into())),
                    proptest::collection::vec(any::<u8>(), 0..125)
                        .prop_map(|b| Message::Ping(b.into())),
                ],
                0..4,
            )
        ) {
            let read = read_as_client(wire_of(&msgs));
            prop_assert_eq!(read.len(), msgs.len());
            for (m, r) in msgs.iter().zip(&read) {
                match (m, r) {
                    (Message::Text(a), ts::Message::Text(b)) => prop_assert_eq!(a.as_str(), b.as_str()),
                    (Message::Binary(a), ts::Message::Binary(b)) => prop_assert_eq!(a, b),
                    (Message::Ping(a), ts::Message::Ping(b)) => prop_assert_eq!(a, b),
                    _ => prop_assert!(false, "{:?} read as {:?}", m, r),
                }
            }
            // And each frame splits off whole, as the reading side's replies are split.
            let wire = wire_of(&msgs);
            let mut at = 0;
            for m in &msgs {
                let (op, _, used) = split_frame(&wire[at..]).expect("a frame");
                let want = match m {
                    Message::Text(_) => Opcode::Text,
                    Message::Binary(_) => Opcode::Binary,
                    _ => Opcode::Ping,
                };
                prop_assert_eq!(op, want);
                at += used;
            }
            prop_assert_eq!(at, wire.len());
        }
    }
}
