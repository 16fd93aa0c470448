//! Hostile clients are turned away: a socket upgrade from another origin gets 403, and a
//! client that sends more events than allowed gets `rate_limited`, then a close.

use leptos::prelude::*;
use leptos_live::{Ctx, LiveConfig, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
use leptos_live_tests::{TestServer, WsClient, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::http::HeaderValue;

struct Echo(u64);

impl LiveView for Echo {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Echo(0))
    }

    async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.0 += 1;
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! { <p>{self.0}</p> }
    }
}

fn app(config: LiveConfig) -> axum::Router {
    LiveRouter::with_config(config)
        .page::<Echo>("/")
        .into_router()
}

/// The status of a socket upgrade sent with `origin`.
async fn upgrade_with(server: &TestServer, origin: &str) -> u16 {
    let mut req = format!("ws://{}/live/socket", server.addr)
        .into_client_request()
        .expect("a request");
    req.headers_mut()
        .insert("Origin", HeaderValue::from_str(origin).expect("a header"));
    match tokio_tungstenite::connect_async(req).await {
        Ok((_, res)) => res.status().as_u16(),
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => res.status().as_u16(),
        Err(e) => panic!("upgrade failed otherwise: {e}"),
    }
}

/// Whether an event's answer is a refusal; the only refusal a burst may get is `rate_limited`.
fn refused_for_rate(reply: &serde_json::Value) -> bool {
    let refused = reply[1] == "err";
    if refused {
        assert_eq!(reply[2], "rate_limited");
    }
    refused
}

#[tokio::test]
async fn upgrades_from_other_origins_get_403() {
    let config = LiveConfig::default().with_allowed_origin("https://app.example.com");
    let server = TestServer::start(app(config)).await;
    assert_eq!(upgrade_with(&server, "http://evil.example").await, 403);
    assert_eq!(upgrade_with(&server, "null").await, 403);
    let own = format!("http://{}", server.addr);
    assert_eq!(
        upgrade_with(&server, &own).await,
        101,
        "the page's own origin"
    );
    assert_eq!(
        upgrade_with(&server, "https://app.example.com").await,
        101,
        "an allowed one"
    );
}

#[tokio::test]
async fn a_flood_of_events_is_limited_then_closed() {
    let config = LiveConfig::default().with_max_events_per_sec(10);
    let server = TestServer::start(app(config)).await;
    let (mut ws, _) = WsClient::open_page(server.addr, "/").await;
    // Twice the rate passes at once; the rest gets the typed error.
    for r in 2..42 {
        ws.send(&format!(r#"[{r},"e","x"]"#)).await;
    }
    // Refusals come back at once, replies from the page in their turn: read all forty.
    let (mut ok, mut limited) = (0, 0);
    while ok + limited < 40 {
        let reply = json(&ws.recv().await.expect("a frame"));
        if reply[0] == 0 {
            continue;
        }
        if refused_for_rate(&reply) {
            limited += 1;
        } else {
            ok += 1;
        }
    }
    assert_eq!((ok, limited), (20, 20), "a burst of twice the rate passes");
    // A client that goes on is closed.
    for r in 42..200 {
        ws.send(&format!(r#"[{r},"e","x"]"#)).await;
    }
    assert!(ws.closes().await, "the flood closes the socket");
}

#[tokio::test]
async fn pages_per_address_and_per_session_are_capped() {
    // Three pages per address.
    let server = TestServer::start(app(LiveConfig::default().with_max_pages(3, 100))).await;
    for _ in 0..3 {
        assert_eq!(server.get("/").await.0, 200);
    }
    let (status, body) = server.get("/").await;
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("this address"), "{body}");

    // Two pages per session, whatever the address.
    let app = LiveRouter::with_config(LiveConfig::default().with_max_pages(100, 2))
        .session(|_| {
            let mut s = Session::default();
            s.insert("user", "ada");
            s
        })
        .page::<Echo>("/")
        .into_router();
    let server = TestServer::start(app).await;
    let token = server.page_token("/").await;
    assert_eq!(server.get("/").await.0, 200);
    assert_eq!(server.get("/").await.0, 429, "a third page for the session");
    // The first page's socket joins it (adoption, no new page): still within the limit.
    let mut ws = server.socket().await;
    let reply = ws.join(&token, 0).await;
    assert!(!reply.contains("too_many_pages"), "{reply}");
}

/// Joins `token` again at `version`, naming `resent` (raw JSON) as events sent again.
async fn rejoin(
    server: &TestServer,
    token: &str,
    version: u64,
    resent: &str,
) -> (WsClient, String) {
    let mut ws = server.socket().await;
    ws.send(&format!(r#"[1,"j","{token}",{version},"/",{resent}]"#))
        .await;
    let reply = ws.reply(1).await;
    (ws, reply)
}

#[tokio::test]
async fn events_sent_again_are_checked_and_never_apply_twice() {
    let server = TestServer::start(app(LiveConfig::default())).await;
    let token = server.page_token("/").await;
    let mut ws = server.socket().await;
    ws.join(&token, 0).await;
    for r in 2..=3 {
        ws.send(&format!(r#"[{r},"e","x"]"#)).await;
        ws.reply(r).await;
    }
    ws.close().await;
    // A reference past u64, a negative one, one that is not a number, more than the page keeps:
    // typed errors, and the socket stays to join properly.
    let many: Vec<String> = (1..=129).map(|n| n.to_string()).collect();
    for bad in [
        "[18446744073709551616]".to_string(),
        "[-2]".to_string(),
        r#"["2"]"#.to_string(),
        format!("[{}]", many.join(",")),
    ] {
        let (mut ws, reply) = rejoin(&server, &token, 3, &bad).await;
        let reply = json(&reply);
        assert_eq!(
            (&reply[1], &reply[2]),
            (&"err".into(), &"bad_frame".into()),
            "{bad}"
        );
        ws.send(r#"[18446744073709551616,"e","x"]"#).await;
        let huge = json(&ws.recv().await.expect("an answer"));
        assert_eq!((&huge[0], &huge[2]), (&0.into(), &"bad_frame".into()));
        ws.close().await;
    }
    // Named out of order, one twice: the page applied 2 and 3, not 4.
    let (mut ws, reply) = rejoin(&server, &token, 3, "[4,3,2,2]").await;
    assert_eq!(reply, "[1,[]]", "the versions agree");
    ws.send(r#"[4,"e","x"]"#).await;
    let applied = ws.reply(4).await;
    assert!(applied.contains("\"3\""), "4 is new: {applied}");
    for r in [3, 2, 2] {
        ws.send(&format!(r#"[{r},"e","x"]"#)).await;
        assert_eq!(
            ws.reply(r).await,
            format!("[{r},[]]"),
            "{r} was applied before: answered again, not applied"
        );
    }
    // An event the join did not name is a new event, as on any socket.
    ws.send(r#"[2,"e","x"]"#).await;
    let again = ws.reply(2).await;
    assert!(again.contains("\"4\""), "{again}");
}

// --- the long-poll endpoint ---------------------------------------------------------------

use leptos_live_tests::poll::{PollClient, http};

#[tokio::test]
async fn polls_from_other_origins_get_403() {
    let config = LiveConfig::default().with_allowed_origin("https://app.example.com");
    let server = TestServer::start(app(config)).await;
    let evil = [("Origin", "http://evil.example")];
    let (status, _) = http(server.addr, "POST", "/live/poll", &evil, b"").await;
    assert_eq!(status, 403, "no session is opened for another origin");
    // A session opened by the page's own origin cannot be fed or read by another.
    let poll = PollClient::open(server.addr).await;
    let path = poll.path();
    for method in ["POST", "GET", "DELETE"] {
        let (status, _) = http(server.addr, method, &path, &evil, b"[1,\"h\"]").await;
        assert_eq!(status, 403, "{method} from another origin");
    }
    let own = format!("http://{}", server.addr);
    let (status, _) = http(
        server.addr,
        "POST",
        &path,
        &[("Origin", &own)],
        b"[1,\"h\"]",
    )
    .await;
    assert_eq!(status, 204, "the page's own origin");
    let allowed = [("Origin", "https://app.example.com")];
    let (status, _) = http(server.addr, "POST", &path, &allowed, b"[2,\"h\"]").await;
    assert_eq!(status, 204, "an allowed one");
}

#[tokio::test]
async fn poll_sessions_per_address_are_capped() {
    let server = TestServer::start(app(LiveConfig::default().with_max_pages(3, 100))).await;
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(PollClient::open(server.addr).await);
    }
    let (status, body) = http(server.addr, "POST", "/live/poll", &[], b"").await;
    assert_eq!(status, 503, "a fourth session for the address: {body}");
    // A closed one makes room.
    let first = open.remove(0);
    assert_eq!(first.close().await, 204);
    PollClient::open(server.addr).await;
}

#[tokio::test]
async fn unknown_poll_sessions_are_gone() {
    let server = TestServer::start(app(LiveConfig::default())).await;
    for path in [
        "/live/poll?s=0123456789abcdef0123456789abcdef",
        "/live/poll?s=",
        "/live/poll?s=../../etc/passwd",
        "/live/poll?s=%00%ff",
        "/live/poll",
    ] {
        let (status, _) = http(server.addr, "GET", path, &[], b"").await;
        assert_eq!(status, 410, "GET {path}");
    }
    let (status, _) = http(
        server.addr,
        "POST",
        "/live/poll?s=nope",
        &[],
        b"[1,\"e\",\"x\"]",
    )
    .await;
    assert_eq!(status, 410, "POST to no session");
    // A closed session is gone too.
    let poll = PollClient::open(server.addr).await;
    let path = poll.path();
    assert_eq!(poll.close().await, 204);
    let (status, _) = http(server.addr, "POST", &path, &[], b"[1,\"h\"]").await;
    assert_eq!(status, 410, "POST after the close");
}

#[tokio::test]
async fn oversized_poll_bodies_are_refused() {
    let config = LiveConfig::default().with_max_frame_bytes(1024);
    let server = TestServer::start(app(config)).await;
    let poll = PollClient::open(server.addr).await;
    // Larger than any message the socket would take.
    let huge = vec![b'x'; 4 * 1024 * 1024];
    let (status, _) = http(server.addr, "POST", &poll.path(), &[], &huge).await;
    assert_eq!(status, 413);
    // A frame over the frame limit, within the body limit, is refused as on the socket.
    let mut poll = poll;
    let long = format!(r#"[1,"e","x",{{"v":"{}"}}]"#, "y".repeat(2048));
    poll.send(&long).await;
    // Refused before it is read: reference 0.
    let reply = json(&poll.reply(0).await);
    assert_eq!(reply[1], "err", "{reply}");
    assert_eq!(reply[2], "too_large", "{reply}");
}

#[tokio::test]
async fn bad_frames_over_a_poll_get_typed_errors_and_the_session_lives() {
    let server = TestServer::start(app(LiveConfig::default())).await;
    let mut poll = PollClient::open(server.addr).await;
    assert_eq!(
        poll.send_all(&["not json", "[7,\"zz\"]", "[8,\"e\",\"x\"]"])
            .await,
        204
    );
    let reply = json(&poll.reply(7).await);
    assert_eq!(reply[1], "err", "{reply}");
    let reply = json(&poll.reply(8).await);
    assert_eq!(reply[2], "not_joined", "an event before a join: {reply}");
    // Invalid UTF-8 in a text body.
    let (status, _) = http(server.addr, "POST", &poll.path(), &[], &[0xff, 0xfe, b'\n']).await;
    assert_eq!(status, 400);
    // A chunk before any upload: a typed error, not a crash.
    assert_eq!(
        poll.send_binary(&[1, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1])
            .await,
        204
    );
    // Still alive: a heartbeat is answered.
    poll.send("[20,\"h\"]").await;
    assert_eq!(json(&poll.reply(20).await)[0], 20);
    // A second poll while one waits is refused, not raced.
    let a = tokio::spawn({
        let (addr, path) = (poll.addr, poll.path());
        async move { http(addr, "GET", &path, &[], b"").await.0 }
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(poll.poll_status().await, Err(409));
    poll.send("[21,\"h\"]").await;
    assert_eq!(a.await.expect("the first poll"), 200);
}

#[tokio::test]
async fn a_flood_of_events_over_a_poll_is_limited_then_closed() {
    let config = LiveConfig::default().with_max_events_per_sec(10);
    let server = TestServer::start(app(config)).await;
    let token = server.page_token("/").await;
    let mut poll = PollClient::open(server.addr).await;
    poll.send(&format!(r#"[1,"j","{token}",0]"#)).await;
    poll.reply(1).await;
    let frames: Vec<String> = (2..42).map(|r| format!(r#"[{r},"e","x"]"#)).collect();
    let refs: Vec<&str> = frames.iter().map(String::as_str).collect();
    assert_eq!(poll.send_all(&refs).await, 204);
    let (mut ok, mut limited) = (0, 0);
    for r in 2..42 {
        let reply = json(&poll.reply(r).await);
        if refused_for_rate(&reply) {
            limited += 1;
        } else {
            ok += 1;
        }
    }
    assert_eq!((ok, limited), (20, 20), "a burst of twice the rate passes");
    let frames: Vec<String> = (42..200).map(|r| format!(r#"[{r},"e","x"]"#)).collect();
    let refs: Vec<&str> = frames.iter().map(String::as_str).collect();
    poll.send_all(&refs).await;
    // The connection ends: its last frames come, then the session is gone.
    let mut gone = false;
    for _ in 0..50 {
        match poll.poll_status().await {
            Err(410) => {
                gone = true;
                break;
            }
            Err(s) => panic!("poll: {s}"),
            Ok(_) => {}
        }
    }
    assert!(gone, "the flood ends the session");
}
