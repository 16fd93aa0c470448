//! The socket's own framing, seen from a WebSocket client: pings answered, one close frame for a
//! client's close, frames of every header length (7, 16 and 64-bit) read whole both ways, a
//! message sent in fragments read whole, and frames no client may send refused by closing.

use leptos::prelude::*;
use leptos_live::{Ctx, LiveConfig, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
use leptos_live_tests::{TestServer, WsClient, json};

/// A page whose text is the letter and the length its last event asked for.
struct Sized {
    fill: String,
    len: usize,
}

impl LiveView for Sized {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Sized {
            fill: "x".into(),
            len: 1,
        })
    }

    async fn handle_event(&mut self, raw: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.len = raw
            .payload
            .get_str("len")
            .and_then(|l| l.parse().ok())
            .unwrap_or(1);
        self.fill = raw.payload.get_str("fill").unwrap_or("x").to_string();
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! { <p id="text">{self.fill.repeat(self.len)}</p> }
    }
}

async fn server() -> TestServer {
    let config = LiveConfig::default().with_secret(b"socket-frames-secret-socket-frames".to_vec());
    TestServer::start(
        LiveRouter::with_config(config)
            .page::<Sized>("/")
            .into_router(),
    )
    .await
}

/// A server with the page, and a socket joined to it.
async fn joined() -> (TestServer, WsClient) {
    let server = server().await;
    let token = server.page_token("/").await;
    let mut ws = server.socket().await;
    ws.join(&token, 0).await;
    (server, ws)
}

#[tokio::test]
async fn frames_of_every_header_length_arrive_whole() {
    let (_server, mut ws) = joined().await;
    // Payloads under 126 bytes, under 64 KiB (a 16-bit length, and past the 2 KiB that are
    // copied together), and past 64 KiB (a 64-bit length, written in pieces).
    // Each in a letter of its own, so that the patch carries the whole text.
    let sizes = [
        (2, "a", 40),
        (3, "b", 1_000),
        (4, "c", 5_000),
        (5, "d", 70_000),
        (6, "e", 200_000),
    ];
    for (r, fill, len) in sizes {
        ws.send(&format!(
            r#"[{r},"e","size",{{"len":"{len}","fill":"{fill}"}}]"#
        ))
        .await;
        let reply = ws.reply(r).await;
        let text = json(&reply).to_string();
        assert!(
            text.contains(&fill.repeat(len)),
            "the reply for {len} bytes does not carry them: {} bytes: {}",
            reply.len(),
            &reply[..reply.len().min(300)]
        );
    }
}

#[tokio::test]
async fn a_ping_is_answered_and_the_page_goes_on() {
    let (_server, mut ws) = joined().await;
    assert_eq!(
        ws.ping(b"are you there").await.as_deref(),
        Some(&b"are you there"[..])
    );
    ws.send(r#"[2,"e","size",{"len":"3"}]"#).await;
    assert!(ws.reply(2).await.contains("xxx"));
    assert_eq!(ws.ping(b"").await.as_deref(), Some(&b""[..]));
}

#[tokio::test]
async fn a_clients_close_gets_one_close_frame_and_the_connection_ends() {
    let (_server, ws) = joined().await;
    // One close frame back, echoing the client's code (RFC 6455 §5.5.1).
    let closes = ws.close_handshake(4001).await;
    assert_eq!(closes, [Some(4001)], "close frames back");
}

#[tokio::test]
async fn a_message_sent_in_fragments_is_read_whole() {
    let (_server, mut ws) = joined().await;
    let event = r#"[2,"e","size",{"len":"12","fill":"é"}]"#;
    // Cut inside the "é" too: its two bytes come in two fragments.
    let e = event.find('é').expect("an é");
    ws.send_fragmented(event, &[1, 5, e + 1, event.len() - 2])
        .await;
    let reply = ws.reply(2).await;
    assert!(reply.contains(&"é".repeat(12)), "{reply}");
    // The socket goes on.
    assert_eq!(ws.ping(b"after").await.as_deref(), Some(&b"after"[..]));
}

#[tokio::test]
async fn frames_no_client_may_send_end_the_connection() {
    // Each answered with one close frame whose code says why (RFC 6455 §7.4.1): a protocol
    // error (1002), a message too big (1009), text that is not UTF-8 (1007).
    let cases: [(&str, Vec<u8>, u16); 4] = [
        ("an unmasked frame", vec![0x81, 0x02, b'h', b'i'], 1002),
        (
            "a frame longer than any message the engine takes, from its header alone",
            vec![0x82, 0xFF, 0, 0, 0, 0, 0x10, 0, 0, 0, 1, 2, 3, 4],
            1009,
        ),
        ("a reserved opcode", vec![0x83, 0x80, 1, 2, 3, 4], 1002),
        // 0xC3 0x28, masked with a zero key.
        (
            "text that is not UTF-8",
            vec![0x81, 0x82, 0, 0, 0, 0, 0xC3, 0x28],
            1007,
        ),
    ];
    for (what, bytes, code) in cases {
        let (_server, ws) = joined().await;
        // The connection ends: `send_raw_until_closed` returns rather than time out.
        let closes = ws.send_raw_until_closed(&bytes).await;
        assert_eq!(closes, [Some(code)], "{what}");
    }
}

#[tokio::test]
async fn client_frames_with_16_and_64_bit_lengths_are_read_whole() {
    let (_server, mut ws) = joined().await;
    // Past 125 bytes: a 16-bit length.
    let fill = "f".repeat(250);
    let event = format!(r#"[2,"e","size",{{"len":"1","fill":"{fill}"}}]"#);
    ws.send(&event).await;
    assert!(ws.reply(2).await.contains(&fill));
    // Past 64 KiB: a 64-bit length, and past the engine's limit for an event's frame
    // (`max_frame_bytes`), though within what the socket reads whole. It is refused as too
    // large, and the socket goes on.
    let big = format!(
        r#"[3,"e","size",{{"len":"1","fill":"{}"}}]"#,
        "g".repeat(70_000)
    );
    ws.send(&big).await;
    assert_eq!(json(&ws.reply(0).await)[2], "too_large");
    ws.send(r#"[4,"e","size",{"len":"2","fill":"h"}]"#).await;
    assert!(ws.reply(4).await.contains("hh"));
}
