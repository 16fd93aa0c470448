//! A lean WebSocket client for the load test, and the frames the floor server writes.
//!
//! The simulated users stand in for browsers on other machines, but here they share the
//! server's two cores: every microsecond they spend is taken from the server. So they speak
//! the protocol with as little as it needs: a hand-written upgrade, unfragmented frames, no
//! extensions. Only what the load test sends and receives is handled; this is not a general
//! client.

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// One client connection.
pub struct Client {
    stream: TcpStream,
    buf: Vec<u8>,
    /// Bytes of `buf` read but not yet taken as frames.
    start: usize,
    end: usize,
}

/// What the server sent.
pub enum Frame<'a> {
    Text(&'a str),
    Other,
    Closed,
}

fn broken(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

impl Client {
    /// Opens `ws://{addr}{path}`: a plain upgrade request, then the 101 answer.
    pub async fn connect(addr: SocketAddr, path: &str) -> io::Result<Client> {
        let mut stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        stream
            .write_all(
                format!(
                    "GET {path} HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
                     Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
                )
                .as_bytes(),
            )
            .await?;
        let mut client = Client {
            stream,
            buf: vec![0; 4096],
            start: 0,
            end: 0,
        };
        loop {
            if let Some(i) = client.buf[..client.end]
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
            {
                if !client.buf.starts_with(b"HTTP/1.1 101") {
                    return Err(broken("the server refused the upgrade"));
                }
                client.start = i + 4;
                return Ok(client);
            }
            if client.fill().await? == 0 {
                return Err(broken("closed during the upgrade"));
            }
        }
    }

    /// Reads more bytes after what is buffered; 0 at the end of the stream.
    async fn fill(&mut self) -> io::Result<usize> {
        if self.start == self.end {
            (self.start, self.end) = (0, 0);
        } else if self.end == self.buf.len() {
            self.buf.copy_within(self.start..self.end, 0);
            (self.start, self.end) = (0, self.end - self.start);
            if self.end == self.buf.len() {
                self.buf.resize(self.buf.len() * 2, 0);
            }
        }
        let n = self.stream.read(&mut self.buf[self.end..]).await?;
        self.end += n;
        Ok(n)
    }

    /// The next whole frame the server sent.
    pub async fn next(&mut self) -> io::Result<Frame<'_>> {
        loop {
            if let Some((op, from, to)) = parse(&self.buf[self.start..self.end])? {
                let (from, to) = (self.start + from, self.start + to);
                self.start = to;
                return Ok(match op {
                    0x1 => Frame::Text(
                        std::str::from_utf8(&self.buf[from..to])
                            .map_err(|_| broken("text frame is not UTF-8"))?,
                    ),
                    0x8 => Frame::Closed,
                    _ => Frame::Other,
                });
            }
            if self.fill().await? == 0 {
                return Ok(Frame::Closed);
            }
        }
    }

    /// Sends one text frame, masked as a client must.
    pub async fn send(&mut self, text: &str) -> io::Result<()> {
        let mut frame = Vec::with_capacity(text.len() + 14);
        let mask = [0x5a, 0x17, 0xc3, 0x88];
        frame.push(0x81);
        match text.len() {
            n @ 0..=125 => frame.push(0x80 | n as u8),
            n @ 126..=65535 => {
                frame.push(0x80 | 126);
                frame.extend_from_slice(&(n as u16).to_be_bytes());
            }
            n => {
                frame.push(0x80 | 127);
                frame.extend_from_slice(&(n as u64).to_be_bytes());
            }
        }
        frame.extend_from_slice(&mask);
        frame.extend(text.bytes().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.stream.write_all(&frame).await
    }
}

/// A server frame at the start of `buf`: its opcode and payload range, once whole.
fn parse(buf: &[u8]) -> io::Result<Option<(u8, usize, usize)>> {
    let [b0, b1, ..] = *buf else { return Ok(None) };
    if b0 & 0x80 == 0 || b1 & 0x80 != 0 {
        return Err(broken("fragmented or masked server frame"));
    }
    let (len, head) = match b1 & 0x7f {
        126 if buf.len() >= 4 => (u16::from_be_bytes([buf[2], buf[3]]) as usize, 4),
        127 if buf.len() >= 10 => {
            let mut n = [0; 8];
            n.copy_from_slice(&buf[2..10]);
            (u64::from_be_bytes(n) as usize, 10)
        }
        126 | 127 => return Ok(None),
        n => (n as usize, 2),
    };
    Ok((buf.len() >= head + len).then_some((b0 & 0x0f, head, head + len)))
}

/// An unmasked text frame, as a server writes it.
pub fn server_text_frame(text: &str) -> Vec<u8> {
    let mut frame = Vec::with_capacity(text.len() + 4);
    frame.push(0x81);
    match text.len() {
        n @ 0..=125 => frame.push(n as u8),
        n => {
            let n = u16::try_from(n).expect("floor frames are under 64 KiB");
            frame.push(126);
            frame.extend_from_slice(&n.to_be_bytes());
        }
    }
    frame.extend_from_slice(text.as_bytes());
    frame
}
