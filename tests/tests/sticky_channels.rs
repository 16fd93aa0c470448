//! Sticky parts of a layout share their page's socket, each on a channel of its own: a part's
//! frames go with its number before them both ways (`1[…]`), the page's go as they are. Over
//! real WebSockets, through the public API: the page and its part joined over one socket, events
//! answered on their own channel, the part kept joined across a live navigation of the page, and
//! channels that do not exist refused.

use leptos::prelude::*;
use leptos_live::{
    Ctx, LiveError, LiveRouter, LiveSession, LiveView, Mounting, Params, RawEvent, Session, sticky,
};
use leptos_live_tests::{TestServer, WsClient, json, sticky_token_of, token_of};

/// The sticky part: a count of its own.
struct Tally {
    n: u32,
}

impl LiveView for Tally {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Tally { n: 0 })
    }

    async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.n += 1;
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! { <b id="tally">"tally " {self.n}</b> }
    }
}

/// The pages beside it: one that counts, one to navigate to.
struct Count {
    n: u32,
}

impl LiveView for Count {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Count { n: 100 })
    }

    async fn handle_event(&mut self, _: RawEvent, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.n += 1;
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! { <p id="count">"count " {self.n}</p> }
    }
}

struct Other;

impl LiveView for Other {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Other)
    }

    fn render(&self) -> impl IntoView {
        view! { <p id="other">"other"</p> }
    }
}

async fn server() -> TestServer {
    let session = LiveSession::new("app")
        .sticky::<Tally>("tally")
        .layout(|page: AnyView, _: &Mounting| {
            view! { <aside>{sticky("tally")}</aside> <main>{page}</main> }.into_any()
        })
        .page::<Count>("/")
        .page::<Other>("/other");
    TestServer::start(LiveRouter::new().live_session(session).into_router()).await
}

/// The page and its part, joined over one socket: the page on channel 0, the part on 1.
async fn joined(server: &TestServer) -> WsClient {
    let (_, html) = server.get("/").await;
    let page = token_of(&html).expect("the page's token");
    let part = sticky_token_of(&html, "tally").expect("the part's token");
    let mut ws = server.socket().await;
    let reply = ws.join(&page, 0).await;
    assert!(!reply.contains("\"err\""), "page join refused: {reply}");
    ws.send(&format!(r#"1[1,"j","{part}",0]"#)).await;
    let reply = ws.recv().await.expect("the part's join reply");
    assert!(
        reply.starts_with("1[1,"),
        "the part answers on its channel: {reply}"
    );
    assert!(!reply.contains("\"err\""), "part join refused: {reply}");
    ws
}

/// The next frame on `channel` (0: the page's, unprefixed) with reference `r`.
async fn reply_on(ws: &mut WsClient, channel: u8, r: u64) -> String {
    loop {
        let f = ws.recv().await.expect("socket closed before the reply");
        let (on, body) = match f.strip_prefix(|c: char| c.is_ascii_digit()) {
            Some(body) => (f.as_bytes()[0] - b'0', body.to_string()),
            None => (0, f.clone()),
        };
        if on == channel && json(&body)[0].as_u64() == Some(r) {
            return body;
        }
    }
}

#[tokio::test]
async fn a_page_and_its_sticky_part_share_one_socket_each_on_its_channel() {
    let server = server().await;
    let mut ws = joined(&server).await;

    // The part's event renders the part alone, answered on its channel.
    ws.send(r#"1[2,"e","bump"]"#).await;
    let part = reply_on(&mut ws, 1, 2).await;
    // The text "1" set in the part's <b>, which the page does not have.
    assert_eq!(part, r#"[2,[[1,[0,2],"1"]]]"#);
    // The page's, on the page's.
    ws.send(r#"[2,"e","bump"]"#).await;
    let page = reply_on(&mut ws, 0, 2).await;
    assert!(page.contains("101"), "the page counted: {page}");
    assert!(!page.contains("tally"), "{page}");

    // A live navigation of the page: the part stays joined, with its state.
    ws.send(r#"[3,"n","/other"]"#).await;
    let landed = reply_on(&mut ws, 0, 3).await;
    assert!(
        landed.starts_with(r#"[3,"html","<p id=\"other\">other</p>""#),
        "{landed}"
    );
    ws.send(r#"1[3,"e","bump"]"#).await;
    let part = reply_on(&mut ws, 1, 3).await;
    assert_eq!(part, r#"[3,[[1,[0,2],"2"]]]"#, "the part kept its count");
    ws.close().await;
}

#[tokio::test]
async fn channels_that_do_not_exist_are_refused() {
    let server = server().await;
    let mut ws = joined(&server).await;
    // Joined nowhere: an event on channel 2 is not joined, answered on channel 2.
    ws.send(r#"2[4,"e","bump"]"#).await;
    let refused = reply_on(&mut ws, 2, 4).await;
    assert_eq!(json(&refused)[2], "not_joined", "{refused}");
    // Past the parts a socket carries, or not a channel's number: a bad frame.
    for frame in [r#"10[5,"e","bump"]"#, r#"0[5,"e","bump"]"#] {
        ws.send(frame).await;
        let refused = reply_on(&mut ws, 0, 0).await;
        assert_eq!(json(&refused)[2], "bad_frame", "{frame}: {refused}");
    }
    // The socket still serves both.
    ws.send(r#"1[6,"e","bump"]"#).await;
    reply_on(&mut ws, 1, 6).await;
    ws.send(r#"[6,"e","bump"]"#).await;
    reply_on(&mut ws, 0, 6).await;
    ws.close().await;
}
