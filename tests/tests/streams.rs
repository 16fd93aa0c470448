//! Streams and PubSub through the public API: a page fed by broadcasts, its stream applied by
//! the real shim in Chromium (placed by id, updated in place, deleted, limited, reset, kept
//! through a whole-page render), and a page whose memory does not grow with the stream.

use leptos::prelude::*;
use leptos_live::stream::At;
use leptos_live::testing::LiveTest;
use leptos_live::{
    Ctx, LiveConfig, LiveError, LiveRouter, LiveView, Params, PubSub, RawEvent, Session, Stream,
};
use leptos_live_tests::browser::Browser;
use leptos_live_tests::{TestServer, WsClient, json, within};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Item {
    id: u32,
    text: String,
}

/// Broadcasts on "feed" reach the page.
#[derive(Clone, Debug, Serialize, Deserialize)]
enum Feed {
    Add(Item),
    Front(Vec<Item>),
    Delete(u32),
    Reset(Vec<Item>),
    Limit(u32),
}

struct Feeder {
    items: Stream<Item>,
    seen: usize,
}

impl LiveView for Feeder {
    type Message = Feed;
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        ctx.subscribe::<Feed>("feed");
        let mut items = ctx.stream("items", |i: &Item| format!("i{}", i.id));
        items.insert_many(
            At::End,
            (1..=3).map(|id| Item {
                id,
                text: format!("first {id}"),
            }),
        );
        Ok(Feeder { items, seen: 0 })
    }

    async fn handle_event(&mut self, raw: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        let (event, _) = (raw.name.as_str(), raw.payload);
        match event {
            // An event that broadcasts: the page hears its own message.
            "shout" => {
                ctx.broadcast(
                    "feed",
                    Feed::Add(Item {
                        id: 99,
                        text: "shouted".into(),
                    }),
                )
                .map_err(LiveError::msg)?;
            }
            other => return Err(LiveError::UnknownEvent(other.into())),
        }
        Ok(())
    }

    async fn handle_info(&mut self, msg: Feed, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.seen += 1;
        match msg {
            Feed::Add(i) => self.items.insert(i),
            Feed::Front(v) => self.items.insert_many(At::Start, v),
            Feed::Delete(id) => self.items.delete_id(format!("i{id}")),
            Feed::Reset(v) => {
                self.items.reset();
                self.items.insert_many(At::End, v);
            }
            Feed::Limit(n) => self.items.set_limit(Some(n)),
        }
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! {
            <p id="seen">{self.seen}</p>
            <button id="shout" lv-click="shout">"shout"</button>
            <ul id="items" lv-stream="items">
                {self.items.each(|id, i| view! { <li id=id>{i.text.clone()}</li> })}
            </ul>
        }
    }
}

fn item(id: u32, text: &str) -> Item {
    Item {
        id,
        text: text.into(),
    }
}

const IDS: &str = "[...document.querySelectorAll('#items > li')].map(li => li.id + ':' + li.textContent).join(' ')";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shim_applies_streams_by_id_and_keeps_what_it_was_not_told_to_remove() {
    within(90, "streams in Chromium", async {
        let pubsub = PubSub::local();
        let config = LiveConfig::default().with_secret(b"streams-test-secret-streams-test-secret".to_vec());
        let app = LiveRouter::with_config(config).pubsub(pubsub.clone()).page::<Feeder>("/").into_router();
        let server = TestServer::start(app).await;
        let mut browser = Browser::launch().await;
        let mut page = browser.open(&server.url("/")).await;
        page.wait_connected().await;
        assert_eq!(page.eval(IDS).await, "i1:first 1 i2:first 2 i3:first 3");

        // A child the server never rendered (as a script might add) stays.
        page.eval("const li = document.createElement('li'); li.id = 'mine'; li.textContent = 'mine'; document.getElementById('items').append(li)").await;

        let send = |m: Feed| assert_eq!(pubsub.broadcast("feed", m).unwrap(), 1);
        send(Feed::Add(item(4, "four")));
        page.wait_for(&format!("{IDS} === 'i1:first 1 i2:first 2 i3:first 3 mine:mine i4:four'")).await;
        send(Feed::Add(item(2, "two, edited")));
        page.wait_for(&format!("{IDS} === 'i1:first 1 i2:two, edited i3:first 3 mine:mine i4:four'")).await;
        send(Feed::Front(vec![item(10, "ten"), item(11, "eleven")]));
        page.wait_for(&format!("{IDS}.startsWith('i10:ten i11:eleven i1:')")).await;
        send(Feed::Delete(1));
        page.wait_for(&format!("!{IDS}.includes('i1:')")).await;

        // An event that broadcasts reaches the page itself.
        page.click("#shout").await;
        page.wait_for(&format!("{IDS}.endsWith('i99:shouted')")).await;

        // A whole-page render (a resync) keeps the browser's children.
        let before = page.eval(IDS).await;
        page.eval("document.getElementById('seen').dataset.old = '1'; window.liveSocket.send(['r'])").await;
        page.wait_for("!document.getElementById('seen').dataset.old").await;
        assert_eq!(page.eval(IDS).await, before);

        // A limit drops the items farthest from the insert.
        send(Feed::Limit(3));
        send(Feed::Add(item(5, "five")));
        page.wait_for(&format!("{IDS} === 'i4:four i99:shouted i5:five'")).await;

        // A reset empties the list, then fills it anew.
        send(Feed::Reset(vec![item(7, "seven")]));
        page.wait_for(&format!("{IDS} === 'i7:seven'")).await;
    })
    .await;
}

#[tokio::test]
async fn broadcasts_arrive_as_stream_ops_over_the_socket_and_bursts_render_once() {
    let pubsub = PubSub::local();
    let config =
        LiveConfig::default().with_secret(b"streams-test-secret-streams-test-secret".to_vec());
    let app = LiveRouter::with_config(config)
        .pubsub(pubsub.clone())
        .page::<Feeder>("/")
        .into_router();
    let server = TestServer::start(app).await;
    let token = server.page_token("/").await;
    let mut ws = WsClient::connect(server.addr).await;
    ws.join(&token, 0).await;
    pubsub
        .broadcast("feed", Feed::Add(item(4, "<four>")))
        .unwrap();
    let frame = json(&ws.recv().await.expect("a frame"));
    assert_eq!(frame[0], 0, "unasked");
    assert_eq!(
        frame[2]["s"],
        serde_json::json!([[
            "items",
            "i",
            -1,
            0,
            [["i4", "<li id=\"i4\">&lt;four&gt;</li>"]]
        ]])
    );
    // A burst of 200 messages: handled in order, rendered in batches, nothing lost.
    for id in 100..300 {
        pubsub.broadcast("feed", Feed::Add(item(id, "x"))).unwrap();
    }
    let mut got = Vec::new();
    let mut frames = 0;
    while got.len() < 200 {
        let f = json(
            &within(10, "stream frames", ws.recv())
                .await
                .expect("a frame"),
        );
        frames += 1;
        for op in f[2]["s"].as_array().into_iter().flatten() {
            for it in op[4].as_array().into_iter().flatten() {
                got.push(it[0].as_str().unwrap_or_default().to_string());
            }
        }
    }
    let want: Vec<String> = (100..300).map(|i| format!("i{i}")).collect();
    assert_eq!(got, want);
    assert!(
        frames < 200,
        "{frames} frames for 200 messages: bursts render once per batch"
    );
}

#[tokio::test]
async fn a_page_holds_nothing_of_its_stream_however_long_it_grows() {
    let mut page = LiveTest::<Feeder>::mount(Params::default(), Session::default())
        .await
        .unwrap();
    let mut sizes = Vec::new();
    for round in 0..5u32 {
        for k in 0..2_000u32 {
            page.send(Feed::Add(item(
                round * 10_000 + k,
                "a message of some length, like a chat line",
            )));
        }
        page.drain_info().await.unwrap();
        page.take_stream_ops();
        // One more render, as the next message would bring.
        page.send(Feed::Limit(0));
        page.drain_info().await.unwrap();
        sizes.push(page.server_html().len());
        assert_eq!(page.view().items.pending(), 0);
    }
    // 10,000 items streamed; the page's HTML (what the server keeps) does not grow.
    assert!(sizes.windows(2).all(|w| w[1] <= w[0] + 8), "{sizes:?}");
    assert!(sizes[4] < 200, "{sizes:?}");
}

/// How many times [`shared_line`] ran.
static SHARED_RENDERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[derive(Clone, Debug, Hash, PartialEq, Eq, Serialize, Deserialize)]
struct Line {
    id: u32,
    text: String,
}

fn shared_line(id: String, line: &Line) -> impl IntoView + use<> {
    SHARED_RENDERS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    view! { <li id=id>{line.text.clone()}</li> }
}

/// A page of a crowd: it shows the lines broadcast on "lines".
struct Reader {
    lines: Stream<Line>,
}

impl LiveView for Reader {
    type Message = Line;
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        ctx.subscribe::<Line>("lines");
        let lines = ctx
            .stream("lines", |l: &Line| format!("l{}", l.id))
            .with_shared_template(shared_line);
        Ok(Reader { lines })
    }

    async fn handle_info(&mut self, line: Line, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.lines.insert(line);
        ctx.streams_only();
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! { <ul lv-stream="lines">{self.lines.render()}</ul> }
    }
}

#[tokio::test]
async fn pages_showing_the_same_item_render_it_once_between_them() {
    let pubsub = PubSub::local();
    let router = LiveRouter::new().pubsub(pubsub.clone());
    let mut pages = Vec::new();
    for _ in 0..3 {
        pages.push(
            LiveTest::<Reader>::mount_in(&router, Params::default(), Session::default())
                .await
                .unwrap(),
        );
    }
    let renders = || SHARED_RENDERS.load(std::sync::atomic::Ordering::SeqCst);
    let mut deliver = async |line: Line| {
        let before = renders();
        pubsub.broadcast("lines", line).unwrap();
        let mut ops = Vec::new();
        for page in &mut pages {
            assert!(page.drain_info().await.unwrap().is_empty());
            ops.push(page.take_stream_ops());
        }
        assert!(ops.windows(2).all(|w| w[0] == w[1]), "{ops:?}");
        (renders() - before, ops.swap_remove(0))
    };
    let hello = Line {
        id: 1,
        text: "hello".into(),
    };
    let (n, ops) = deliver(hello.clone()).await;
    assert_eq!(n, 1, "three pages, one render");
    // The insert of item l1 with this HTML, at the end, without a limit.
    let inserted = |html: &str| vec![serde_json::json!(["lines", "i", -1, 0, [["l1", html]]])];
    assert_eq!(ops, inserted("<li id=\"l1\">hello</li>"));
    // The same line again (a resend) comes from the kept render.
    assert_eq!(deliver(hello).await.0, 0);
    // An edit in place has the same id and other content: rendered anew, once.
    let edited = Line {
        id: 1,
        text: "hello, <b>world</b>".into(),
    };
    let (n, ops) = deliver(edited).await;
    assert_eq!(n, 1);
    assert_eq!(
        ops,
        inserted("<li id=\"l1\">hello, &lt;b&gt;world&lt;/b&gt;</li>")
    );
}
