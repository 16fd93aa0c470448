use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use axum::extract::ws::Message;
use futures_util::Sink;

use super::{CAPACITY, Outbox, OutboxError};

/// A socket in memory: takes four frames into its buffer and writes them out while open.
#[derive(Clone, Default)]
struct Pipe(Arc<Mutex<PipeState>>);

#[derive(Default)]
struct PipeState {
    written: Vec<Message>,
    buffered: Vec<Message>,
    blocked: bool,
    failed: bool,
    waker: Option<Waker>,
}

impl Pipe {
    fn blocked() -> Pipe {
        let pipe = Pipe::default();
        pipe.0.lock().unwrap().blocked = true;
        pipe
    }

    fn open(&self) {
        let mut p = self.0.lock().unwrap();
        p.blocked = false;
        if let Some(w) = p.waker.take() {
            w.wake();
        }
    }

    fn written(&self) -> Vec<Message> {
        self.0.lock().unwrap().written.clone()
    }
}

impl Sink<Message> for Pipe {
    type Error = ();

    fn poll_ready(self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), ()>> {
        let mut p = self.0.lock().unwrap();
        if p.failed {
            Poll::Ready(Err(()))
        } else if p.blocked && p.buffered.len() >= 4 {
            p.waker = Some(cx.waker().clone());
            Poll::Pending
        } else {
            Poll::Ready(Ok(()))
        }
    }

    fn start_send(self: std::pin::Pin<&mut Self>, item: Message) -> Result<(), ()> {
        self.0.lock().unwrap().buffered.push(item);
        Ok(())
    }

    fn poll_flush(self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), ()>> {
        let mut p = self.0.lock().unwrap();
        if p.failed {
            return Poll::Ready(Err(()));
        }
        if p.blocked {
            p.waker = Some(cx.waker().clone());
            return Poll::Pending;
        }
        let b = std::mem::take(&mut p.buffered);
        p.written.extend(b);
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: std::pin::Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), ()>> {
        Poll::Ready(Ok(()))
    }
}

fn text(s: &str) -> Message {
    Message::Text(s.into())
}

const LIMIT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn the_sender_writes_a_frame_itself_when_the_socket_takes_it() {
    let pipe = Pipe::default();
    let out = Outbox::new(1, pipe.clone(), LIMIT);
    assert!(out.send("a"));
    assert!(out.send("b"));
    // No task drove the socket: the sends wrote.
    assert_eq!(pipe.written(), [text("a"), text("b")]);
}

#[tokio::test]
async fn a_channel_numbers_its_frames_and_shares_the_socket() {
    let pipe = Pipe::default();
    let page = Outbox::new(1, pipe.clone(), LIMIT);
    let part = page.channel(2);
    assert!(page.send("[1,\"p\"]"));
    assert!(part.send("[1,\"s\"]"));
    assert_eq!(part.id, page.id);
    assert_eq!(pipe.written(), [text("[1,\"p\"]"), text("2[1,\"s\"]")]);
    // One socket: closing it from a part closes it for the page.
    part.close();
    assert!(!page.send("[2,\"p\"]"));
}

#[tokio::test]
async fn frames_wait_in_order_while_the_socket_is_full() {
    let pipe = Pipe::blocked();
    let out = Outbox::new(1, pipe.clone(), LIMIT);
    for f in ["a", "b", "c", "d", "e", "f"] {
        assert!(out.send(f));
    }
    assert!(pipe.written().is_empty());
    let driver = out.clone();
    let task = tokio::spawn(async move { driver.drive().await });
    tokio::task::yield_now().await;
    pipe.open();
    for _ in 0..100 {
        if pipe.written().len() == 6 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let all: Vec<_> = ["a", "b", "c", "d", "e", "f"].map(text).into();
    assert_eq!(pipe.written(), all);
    // Once the socket has taken everything, a send writes at once again.
    assert!(out.send("g"));
    assert_eq!(pipe.written().last(), Some(&text("g")));
    task.abort();
}

#[tokio::test]
async fn a_socket_that_takes_nothing_is_too_slow() {
    let pipe = Pipe::blocked();
    let out = Outbox::new(1, pipe.clone(), LIMIT);
    // The first frame is in the socket's buffer; CAPACITY more wait.
    for i in 0..=CAPACITY {
        assert!(out.send(format!("{i}")), "frame {i}");
    }
    assert!(!out.send("one too many"));
}

#[tokio::test]
async fn a_close_writes_what_waits_then_the_close_frame() {
    let pipe = Pipe::blocked();
    let out = Outbox::new(1, pipe.clone(), LIMIT);
    assert!(out.send("a"));
    assert!(out.send("b"));
    out.close();
    assert!(!out.send("c"), "no send after a close");
    pipe.open();
    assert_eq!(out.drive().await, Ok(()));
    assert_eq!(pipe.written(), [text("a"), text("b"), Message::Close(None)]);
}

#[tokio::test(start_paused = true)]
async fn a_peer_that_takes_nothing_for_the_limit_fails_the_socket() {
    let pipe = Pipe::blocked();
    let out = Outbox::new(1, pipe.clone(), LIMIT);
    assert!(out.send("a"));
    let start = tokio::time::Instant::now();
    assert_eq!(out.drive().await, Err(OutboxError::Stalled(LIMIT)));
    assert!(start.elapsed() >= LIMIT);
    assert!(!out.send("b"));
}

#[tokio::test]
async fn a_failed_socket_fails_sends_and_its_driver() {
    let pipe = Pipe::default();
    pipe.0.lock().unwrap().failed = true;
    let out = Outbox::new(1, pipe.clone(), LIMIT);
    assert!(!out.send("a"));
    assert_eq!(out.drive().await, Err(OutboxError::Failed));
}

#[tokio::test]
async fn a_close_carries_the_code_it_was_asked_with_and_the_first_ask_wins() {
    use axum::extract::ws::CloseFrame;
    let pipe = Pipe::default();
    let out = Outbox::new(1, pipe.clone(), LIMIT);
    assert!(out.send("last"));
    out.close_with(1009);
    // A later ask (the connection's own close as it ends) keeps the code.
    out.close();
    out.close_with(1000);
    assert!(!out.send("too late"));
    out.finish().await.expect("closed");
    let closed = Message::Close(Some(CloseFrame {
        code: 1009,
        reason: "".into(),
    }));
    assert_eq!(pipe.written(), [text("last"), closed]);
    // Without a code, the close frame has none.
    let pipe = Pipe::default();
    Outbox::new(2, pipe.clone(), LIMIT)
        .finish()
        .await
        .expect("closed");
    assert_eq!(pipe.written(), [Message::Close(None)]);
}
