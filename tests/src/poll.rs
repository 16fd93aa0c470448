//! A long-poll client speaking the engine's protocol over HTTP, as the shim's fallback does:
//! `POST /live/poll` opens a session, `POST ?s=ID` carries frames, `GET ?s=ID` fetches them.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// One HTTP/1.1 request over a fresh connection: `method path` with `headers` (`Name: value`
/// lines) and `body`. Returns the status and the body.
pub async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).await.expect("write request");
    // A server may answer before reading a body it refuses.
    let _ = s.write_all(body).await;
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf).await;
    crate::response(&buf)
}

/// The count a frame of the counter demo sets, when it sets the text of `#count` (path
/// `[0,0,1,0]`).
pub fn count_in(frame: &str) -> Option<String> {
    let v = crate::json(frame);
    v[1].as_array()?.iter().find_map(|op| {
        (op[0] == 1 && op[1] == serde_json::json!([0, 0, 1, 0]))
            .then(|| op[2].as_str().map(str::to_string))
            .flatten()
    })
}

/// A poll session of the engine at `addr`, mounted at `/live`.
///
/// ```no_run
/// # async fn f(addr: std::net::SocketAddr, token: &str) {
/// use leptos_live_tests::poll::PollClient;
/// let mut poll = PollClient::open(addr).await;
/// poll.send(&format!(r#"[1,"j","{token}",0]"#)).await;
/// let frames = poll.poll().await; // the join's answer
/// # }
/// ```
pub struct PollClient {
    /// Where the engine listens.
    pub addr: SocketAddr,
    /// The session's id.
    pub id: String,
    /// Frames fetched and not yet taken by [`PollClient::reply`].
    pub seen: Vec<String>,
}

impl PollClient {
    /// Opens a session; panics when the engine refuses.
    pub async fn open(addr: SocketAddr) -> PollClient {
        let (status, id) = http(addr, "POST", "/live/poll", &[], b"").await;
        assert_eq!(status, 200, "open a poll session: {id}");
        PollClient {
            addr,
            id,
            seen: Vec::new(),
        }
    }

    /// `/live/poll?s=ID`
    pub fn path(&self) -> String {
        format!("/live/poll?s={}", self.id)
    }

    /// POSTs text frames (one request, `\n` between them); returns the status.
    pub async fn send_all(&self, frames: &[&str]) -> u16 {
        let body = frames.join("\n");
        http(self.addr, "POST", &self.path(), &[], body.as_bytes())
            .await
            .0
    }

    /// POSTs one text frame; panics unless it is taken.
    pub async fn send(&self, frame: &str) {
        assert_eq!(self.send_all(&[frame]).await, 204, "POST {frame}");
    }

    /// POSTs a binary upload chunk; returns the status.
    pub async fn send_binary(&self, data: &[u8]) -> u16 {
        let ct = [("Content-Type", "application/octet-stream")];
        http(self.addr, "POST", &self.path(), &ct, data).await.0
    }

    /// One poll: the frames it brought (none when it waited in vain), or `Err(status)`.
    pub async fn poll_status(&self) -> Result<Vec<String>, u16> {
        let (status, body) = http(self.addr, "GET", &self.path(), &[], b"").await;
        if status != 200 {
            return Err(status);
        }
        Ok(body
            .split('\n')
            .filter(|f| !f.is_empty())
            .map(str::to_string)
            .collect())
    }

    /// One poll's frames; panics on a refusal.
    pub async fn poll(&mut self) -> Vec<String> {
        let frames = self.poll_status().await.expect("poll");
        self.seen.extend(frames.iter().cloned());
        frames
    }

    /// Polls until a frame with reference `r` comes, and returns it.
    pub async fn reply(&mut self, r: u64) -> String {
        let is = |f: &String| crate::json(f)[0].as_u64() == Some(r);
        loop {
            if let Some(i) = self.seen.iter().position(is) {
                return self.seen.remove(i);
            }
            self.poll().await;
        }
    }

    /// Uploads `body` as `data.bin` to the page's `files` input (the uploads test app) as the
    /// shim does: the list under reference `r`, then 64 KiB chunks, each once the last was
    /// acknowledged; chunk `i` goes through `via[i % via.len()]` (this client's address when
    /// `via` is empty). Then submits the form (`save`, reference `r + 1`) and returns the entry's
    /// id, once the reply names the file.
    pub async fn upload(&mut self, r: u64, body: &[u8], via: &[SocketAddr]) -> u64 {
        self.send(&format!(
            r#"[{r},"u","files",[["data.bin",{},"application/octet-stream"]]]"#,
            body.len()
        ))
        .await;
        let picked = crate::json(&self.reply(r).await);
        let id = picked[2]["reply"][0].as_u64().expect("an entry id");
        let mut at = 0;
        for (i, part) in body.chunks(64 * 1024).enumerate() {
            if let Some(addr) = via.get(i % via.len().max(1)) {
                self.addr = *addr;
            }
            let chunk = crate::uploads::chunk_frame(id as u32, at, part);
            assert_eq!(self.send_binary(&chunk).await, 204, "chunk {i}");
            at += part.len() as u64;
            // The acknowledgement, skipping patches.
            let ack = loop {
                let v = crate::json(&self.reply(0).await);
                if v[1] == "uk" || v[1] == "uf" {
                    break v;
                }
            };
            assert_eq!(ack, serde_json::json!([0, "uk", id, at]));
        }
        self.send(&format!(r#"[{},"e","save"]"#, r + 1)).await;
        let reply = self.reply(r + 1).await;
        assert!(reply.contains("data.bin"), "{reply}");
        id
    }

    /// Ends the session.
    pub async fn close(self) -> u16 {
        self.close_ref().await
    }

    /// Ends the session, keeping the client to try it afterwards.
    pub async fn close_ref(&self) -> u16 {
        http(self.addr, "DELETE", &self.path(), &[], b"").await.0
    }
}
