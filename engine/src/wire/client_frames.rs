//! WebSocket frames as a client sends them (RFC 6455 §5): each one masked, a message perhaps in
//! fragments, and control frames (ping, pong, close) between the fragments.
//!
//! [`Decoder`] works on the bytes read so far: it takes whole frames off their front and gives
//! back whole messages. The socket's reader reads into that buffer, guided by
//! [`Decoder::wanted`], and answers pings. A frame longer than the message limit is refused from
//! its header, before its payload is read.
//!
//! ```
//! use axum::extract::ws::Message;
//! use leptos_live::wire::client_frames::Decoder;
//!
//! // "Hi", masked with the key 1, 2, 3, 4, and half of the next frame.
//! let mut buf = vec![0x81, 0x82, 1, 2, 3, 4, b'H' ^ 1, b'i' ^ 2, 0x81];
//! let mut decoder = Decoder::new(1024);
//! assert_eq!(decoder.decode(&mut buf), Ok(Some(Message::Text("Hi".into()))));
//! assert_eq!(buf, [0x81]);
//! assert_eq!(decoder.decode(&mut buf), Ok(None));
//! ```

use axum::body::Bytes;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes};

/// The longest header a client's frame has: two bytes, a 64-bit length and the mask.
pub const MAX_HEADER: usize = 14;

/// Why a client's bytes are not WebSocket frames the engine takes. Each ends the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FramingError {
    /// A client masks every frame (RFC 6455 §5.1).
    #[error("a client's frame was not masked")]
    Unmasked,
    /// No extension was agreed, so the reserved bits stay clear (§5.2).
    #[error("a frame's reserved bits are set, and no extension was agreed")]
    Reserved,
    /// An opcode RFC 6455 reserves.
    #[error("opcode {0:#x} is reserved")]
    Opcode(u8),
    /// A control frame comes whole, with at most 125 bytes (§5.5).
    #[error("a control frame was fragmented or longer than 125 bytes")]
    Control,
    /// A continuation frame with no message begun.
    #[error("a continuation frame came with no message begun")]
    Continuation,
    /// A text or binary frame while a fragmented message is not finished (§5.4).
    #[error("a new message began before the last one ended")]
    Unfinished,
    /// The message, counted from its fragments so far, is longer than the limit.
    #[error("a message of at least {0} bytes is past the limit")]
    TooLong(u64),
    /// A text message, or a close frame's reason, is not UTF-8.
    #[error("a text message is not UTF-8")]
    Utf8,
    /// A close frame with a one-byte payload, or a code no endpoint may send (§7.4).
    #[error("a close frame's payload is malformed")]
    Close,
}

impl FramingError {
    /// The status code of the close frame that answers it (RFC 6455 §7.4.1): 1009 for a message
    /// too long, 1007 for text that is not UTF-8, 1002 for any other breach of the protocol.
    ///
    /// ```
    /// use leptos_live::wire::client_frames::FramingError;
    /// assert_eq!(FramingError::TooLong(1 << 30).close_code(), 1009);
    /// assert_eq!(FramingError::Unmasked.close_code(), 1002);
    /// ```
    pub fn close_code(self) -> u16 {
        match self {
            FramingError::TooLong(_) => 1009,
            FramingError::Utf8 => 1007,
            _ => 1002,
        }
    }
}

/// A frame's header, read.
#[derive(Debug, Clone, Copy)]
struct Head {
    fin: bool,
    opcode: u8,
    /// The header's bytes, mask included.
    len: usize,
    mask: [u8; 4],
    payload: u64,
}

impl Head {
    /// Where the frame ends in the buffer it starts; `None` past what a `usize` counts.
    fn end(&self) -> Option<usize> {
        usize::try_from(self.payload)
            .ok()
            .and_then(|p| self.len.checked_add(p))
    }
}

/// The opcodes of RFC 6455 §5.2.
const CONTINUATION: u8 = 0x0;
const TEXT: u8 = 0x1;
const BINARY: u8 = 0x2;
const CLOSE: u8 = 0x8;
const PING: u8 = 0x9;
const PONG: u8 = 0xA;

/// Takes a client's messages off the front of the bytes read: see the [module](self).
#[derive(Debug)]
pub struct Decoder {
    max_message: usize,
    /// A message begun in fragments: whether it is text, and its payload so far.
    partial: Option<(bool, Vec<u8>)>,
}

impl Decoder {
    /// A decoder that refuses messages longer than `max_message` bytes.
    ///
    /// ```
    /// use leptos_live::wire::client_frames::{Decoder, FramingError};
    ///
    /// // A binary frame that says it has 2,000 bytes, past a limit of 1,000.
    /// let mut buf = vec![0x82, 0xFE, 0x07, 0xD0, 0, 0, 0, 0];
    /// assert_eq!(Decoder::new(1000).decode(&mut buf), Err(FramingError::TooLong(2000)));
    /// ```
    pub fn new(max_message: usize) -> Decoder {
        Decoder {
            max_message,
            partial: None,
        }
    }

    /// Whether the bytes read so far end inside a message (a fragment, or part of a frame in
    /// `buf`): a connection that ends here was cut.
    ///
    /// ```
    /// use leptos_live::wire::client_frames::Decoder;
    ///
    /// let decoder = Decoder::new(1024);
    /// assert!(!decoder.inside_message(&[]));
    /// assert!(decoder.inside_message(&[0x81]));
    /// ```
    pub fn inside_message(&self, buf: &[u8]) -> bool {
        self.partial.is_some() || !buf.is_empty()
    }

    /// How many bytes `buf` should hold for the next step: the whole of the frame at its front
    /// when its header is there, else the longest header. The reader reads at least up to it.
    ///
    /// ```
    /// use leptos_live::wire::client_frames::{Decoder, MAX_HEADER};
    ///
    /// let decoder = Decoder::new(1 << 20);
    /// assert_eq!(decoder.wanted(&[0x82]), MAX_HEADER);
    /// // A 300-byte binary frame: its length (16 bits), its mask, then the payload.
    /// assert_eq!(decoder.wanted(&[0x82, 0xFE, 0x01, 0x2C, 1, 2, 3, 4]), 4 + 4 + 300);
    /// ```
    pub fn wanted(&self, buf: &[u8]) -> usize {
        match head(buf) {
            Ok(Some(h)) => h.end().unwrap_or(usize::MAX),
            _ => MAX_HEADER,
        }
    }

    /// The next whole message at the front of `buf`, taken off it with the control frames and
    /// fragments before it; `Ok(None)` when `buf` ends before a message does (what it holds of
    /// the next frame stays). A ping or a pong is a message: the reader answers pings.
    ///
    /// ```
    /// use axum::extract::ws::Message;
    /// use leptos_live::wire::client_frames::Decoder;
    ///
    /// // "ab" in two fragments (mask 0), with a ping between them.
    /// let mut buf = vec![0x01, 0x81, 0, 0, 0, 0, b'a', 0x89, 0x80, 0, 0, 0, 0, 0x80, 0x81, 0, 0, 0, 0, b'b'];
    /// let mut decoder = Decoder::new(1024);
    /// assert_eq!(decoder.decode(&mut buf), Ok(Some(Message::Ping(Default::default()))));
    /// assert_eq!(decoder.decode(&mut buf), Ok(Some(Message::Text("ab".into()))));
    /// assert!(buf.is_empty());
    /// ```
    pub fn decode(&mut self, buf: &mut Vec<u8>) -> Result<Option<Message>, FramingError> {
        loop {
            let Some(h) = head(buf)? else {
                return Ok(None);
            };
            let data = h.opcode & 0x8 == 0;
            if !data && (!h.fin || h.payload > 125) {
                return Err(FramingError::Control);
            }
            match (h.opcode, &self.partial) {
                (CONTINUATION, None) => return Err(FramingError::Continuation),
                (TEXT | BINARY, Some(_)) => return Err(FramingError::Unfinished),
                _ => {}
            }
            let so_far = self.partial.as_ref().map_or(0, |(_, p)| p.len() as u64);
            let total = so_far.saturating_add(h.payload);
            if data && total > self.max_message as u64 {
                return Err(FramingError::TooLong(total));
            }
            let Some(end) = h.end() else {
                return Err(FramingError::TooLong(total));
            };
            if buf.len() < end {
                return Ok(None);
            }
            unmask(&mut buf[h.len..end], h.mask);
            let message = match h.opcode {
                TEXT | BINARY if h.fin => {
                    let payload = take(buf, h.len, end);
                    Some(message_of(h.opcode == TEXT, payload)?)
                }
                TEXT | BINARY => {
                    self.partial = Some((h.opcode == TEXT, buf[h.len..end].to_vec()));
                    buf.drain(..end);
                    None
                }
                CONTINUATION => {
                    let (text, mut payload) = self.partial.take().unwrap_or_default();
                    payload.extend_from_slice(&buf[h.len..end]);
                    buf.drain(..end);
                    if h.fin {
                        Some(message_of(text, payload.into())?)
                    } else {
                        self.partial = Some((text, payload));
                        None
                    }
                }
                op => {
                    let payload = Bytes::copy_from_slice(&buf[h.len..end]);
                    buf.drain(..end);
                    Some(match op {
                        PING => Message::Ping(payload),
                        PONG => Message::Pong(payload),
                        _ => Message::Close(close_of(&payload)?),
                    })
                }
            };
            if message.is_some() {
                return Ok(message);
            }
        }
    }
}

/// The header at the front of `buf`; `None` while it is not all there.
fn head(buf: &[u8]) -> Result<Option<Head>, FramingError> {
    let (Some(&b0), Some(&b1)) = (buf.first(), buf.get(1)) else {
        return Ok(None);
    };
    if b0 & 0x70 != 0 {
        return Err(FramingError::Reserved);
    }
    let opcode = b0 & 0x0F;
    if !matches!(opcode, CONTINUATION | TEXT | BINARY | CLOSE | PING | PONG) {
        return Err(FramingError::Opcode(opcode));
    }
    if b1 & 0x80 == 0 {
        return Err(FramingError::Unmasked);
    }
    let (payload, at) = match b1 & 0x7F {
        126 => match buf.get(2..4) {
            Some(b) => (u64::from(u16::from_be_bytes([b[0], b[1]])), 4),
            None => return Ok(None),
        },
        127 => match buf.get(2..10).and_then(|b| <[u8; 8]>::try_from(b).ok()) {
            // The most significant bit is 0 (§5.2): a length with it set is refused as past any
            // limit, whatever the limit.
            Some(b) if b[0] & 0x80 != 0 => {
                return Err(FramingError::TooLong(u64::from_be_bytes(b)));
            }
            Some(b) => (u64::from_be_bytes(b), 10),
            None => return Ok(None),
        },
        n => (u64::from(n), 2),
    };
    let Some(mask) = buf
        .get(at..at + 4)
        .and_then(|m| <[u8; 4]>::try_from(m).ok())
    else {
        return Ok(None);
    };
    Ok(Some(Head {
        fin: b0 & 0x80 != 0,
        opcode,
        len: at + 4,
        mask,
        payload,
    }))
}

/// XORs `payload` with the frame's mask, eight bytes at a time.
fn unmask(payload: &mut [u8], mask: [u8; 4]) {
    let [a, b, c, d] = mask;
    let wide = u64::from_ne_bytes([a, b, c, d, a, b, c, d]);
    let mut words = payload.chunks_exact_mut(8);
    for w in &mut words {
        let mut word = [0u8; 8];
        word.copy_from_slice(w);
        w.copy_from_slice(&(u64::from_ne_bytes(word) ^ wide).to_ne_bytes());
    }
    // The rest starts at a multiple of eight, so at the mask's first byte.
    for (i, byte) in words.into_remainder().iter_mut().enumerate() {
        *byte ^= mask[i & 3];
    }
}

/// Takes the payload at `from..end` off the front of `buf`: without a copy when the frame is all
/// of `buf` (a large upload chunk, most often), which then starts again empty.
fn take(buf: &mut Vec<u8>, from: usize, end: usize) -> Bytes {
    if end == buf.len() && end - from > 512 {
        Bytes::from(std::mem::take(buf)).slice(from..)
    } else {
        let payload = Bytes::copy_from_slice(&buf[from..end]);
        buf.drain(..end);
        payload
    }
}

/// A whole text or binary message.
fn message_of(text: bool, payload: Bytes) -> Result<Message, FramingError> {
    if !text {
        return Ok(Message::Binary(payload));
    }
    Utf8Bytes::try_from(payload)
        .map(Message::Text)
        .map_err(|_| FramingError::Utf8)
}

/// A close frame's code and reason: none, or a code an endpoint may send and a UTF-8 reason.
fn close_of(payload: &[u8]) -> Result<Option<CloseFrame>, FramingError> {
    let (code, reason) = match payload {
        [] => return Ok(None),
        [_] => return Err(FramingError::Close),
        [hi, lo, reason @ ..] => (u16::from_be_bytes([*hi, *lo]), reason),
    };
    // §7.4: 1004–1006 and 1015 are never sent; below 1000 and 1016–2999 are not used.
    if !matches!(code, 1000..=1003 | 1007..=1014 | 3000..=4999) {
        return Err(FramingError::Close);
    }
    let reason = std::str::from_utf8(reason).map_err(|_| FramingError::Utf8)?;
    Ok(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}

#[cfg(test)]
mod tests;
