//! Just enough of Redis's wire protocol (RESP2) for PUBLISH and SUBSCRIBE.

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt};

/// A reply from the server.
#[derive(Debug, PartialEq)]
pub(crate) enum Reply {
    Simple(String),
    Error(String),
    Integer(i64),
    Bulk(Option<Vec<u8>>),
    Array(Option<Vec<Reply>>),
}

/// The largest bulk string or array accepted from the server.
const MAX_LEN: usize = 512 * 1024 * 1024;

/// Appends a command as a RESP array of bulk strings.
pub(crate) fn command(out: &mut Vec<u8>, parts: &[&[u8]]) {
    out.extend_from_slice(format!("*{}\r\n", parts.len()).as_bytes());
    for p in parts {
        out.extend_from_slice(format!("${}\r\n", p.len()).as_bytes());
        out.extend_from_slice(p);
        out.extend_from_slice(b"\r\n");
    }
}

fn bad(msg: impl Into<String>) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, msg.into())
}

/// Reads one reply.
pub(crate) async fn read<R: AsyncBufRead + Unpin>(r: &mut R) -> std::io::Result<Reply> {
    // Arrays nest; they are read with an explicit stack rather than recursion in an async fn.
    let mut stack: Vec<(usize, Vec<Reply>)> = Vec::new();
    loop {
        let mut reply = match read_one(r).await? {
            Elem::Header(n) => {
                stack.push((n, Vec::with_capacity(n.min(1024))));
                continue;
            }
            Elem::Value(v) => v,
        };
        loop {
            let Some((n, items)) = stack.last_mut() else {
                return Ok(reply);
            };
            items.push(reply);
            if items.len() < *n {
                break;
            }
            let items = std::mem::take(items);
            stack.pop();
            reply = Reply::Array(Some(items));
        }
    }
}

/// One element: a whole value, or the header of an array of n > 0 items that follow.
enum Elem {
    Value(Reply),
    Header(usize),
}

async fn read_one<R: AsyncBufRead + Unpin>(r: &mut R) -> std::io::Result<Elem> {
    let mut line = Vec::new();
    r.read_until(b'\n', &mut line).await?;
    if line.len() < 3 || !line.ends_with(b"\r\n") {
        return Err(bad("connection closed or malformed line"));
    }
    let body = &line[1..line.len() - 2];
    let text = || String::from_utf8_lossy(body).into_owned();
    let int = || -> std::io::Result<i64> {
        std::str::from_utf8(body)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("bad integer"))
    };
    let len = |n: i64| -> std::io::Result<usize> {
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= MAX_LEN)
            .ok_or_else(|| bad("bad length"))
    };
    Ok(Elem::Value(match line[0] {
        b'+' => Reply::Simple(text()),
        b'-' => Reply::Error(text()),
        b':' => Reply::Integer(int()?),
        b'$' => match int()? {
            n if n < 0 => Reply::Bulk(None),
            n => {
                let n = len(n)?;
                let mut buf = vec![0; n + 2];
                r.read_exact(&mut buf).await?;
                buf.truncate(n);
                Reply::Bulk(Some(buf))
            }
        },
        b'*' => match int()? {
            n if n < 0 => Reply::Array(None),
            0 => Reply::Array(Some(Vec::new())),
            n => return Ok(Elem::Header(len(n)?)),
        },
        other => return Err(bad(format!("unknown reply type {:?}", other as char))),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn parse(bytes: &[u8]) -> std::io::Result<Reply> {
        let mut r = tokio::io::BufReader::new(bytes);
        read(&mut r).await
    }

    #[tokio::test]
    async fn reads_every_reply_type() {
        assert_eq!(parse(b"+OK\r\n").await.unwrap(), Reply::Simple("OK".into()));
        assert_eq!(
            parse(b"-ERR x\r\n").await.unwrap(),
            Reply::Error("ERR x".into())
        );
        assert_eq!(parse(b":42\r\n").await.unwrap(), Reply::Integer(42));
        assert_eq!(parse(b"$-1\r\n").await.unwrap(), Reply::Bulk(None));
        assert_eq!(parse(b"*0\r\n").await.unwrap(), Reply::Array(Some(vec![])));
        assert_eq!(
            parse(b"*3\r\n$7\r\nmessage\r\n*1\r\n:1\r\n$2\r\nhi\r\n")
                .await
                .unwrap(),
            Reply::Array(Some(vec![
                Reply::Bulk(Some(b"message".to_vec())),
                Reply::Array(Some(vec![Reply::Integer(1)])),
                Reply::Bulk(Some(b"hi".to_vec())),
            ]))
        );
    }

    #[tokio::test]
    async fn refuses_malformed_input() {
        assert!(parse(b"").await.is_err());
        assert!(parse(b"?x\r\n").await.is_err());
        assert!(parse(b"$5\r\nab").await.is_err());
        assert!(parse(b":x\r\n").await.is_err());
        assert!(parse(b"*2\r\n:1\r\n").await.is_err());
    }

    #[test]
    fn writes_commands() {
        let mut out = Vec::new();
        command(&mut out, &[b"PUBLISH", b"c", b"{}"]);
        assert_eq!(out, b"*3\r\n$7\r\nPUBLISH\r\n$1\r\nc\r\n$2\r\n{}\r\n");
    }
}
