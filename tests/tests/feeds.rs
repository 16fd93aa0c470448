//! Feeds (`Ctx::feed`): items broadcast on a topic reach every page's socket as the same
//! frame, written without the pages' tasks; a page in a step, or without a socket, gets them
//! in order afterwards; the pages' versions count the frames, so a rejoin is exact.

use std::time::Duration;

use leptos::prelude::*;
use leptos_live::testing::{LiveTest, MountError};
use leptos_live::{
    Ctx, LiveConfig, LiveError, LiveRouter, LiveView, Params, PubSub, RawEvent, Session, Stream,
};
use leptos_live_tests::{TestServer, WsClient, json, within};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Debug, Serialize, Deserialize, Hash, PartialEq, Eq)]
struct Post {
    id: u32,
    text: String,
}

fn post(id: u32, text: &str) -> Post {
    Post {
        id,
        text: text.into(),
    }
}

fn post_view(id: String, p: &Post) -> impl IntoView + use<> {
    view! { <li id=id>{p.text.clone()}</li> }
}

/// A page whose stream "posts" is fed from the topic "posts".
struct Board {
    posts: Stream<Post>,
    clicks: u32,
}

impl LiveView for Board {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        let posts = ctx
            .stream("posts", |p: &Post| format!("p{}", p.id))
            .with_shared_template(post_view);
        ctx.feed(&posts, "posts")?;
        Ok(Board { posts, clicks: 0 })
    }

    async fn handle_event(&mut self, raw: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        match raw.name.as_str() {
            "click" => self.clicks += 1,
            // Keeps the page in a step for a while.
            "slow" => {
                tokio::time::sleep(Duration::from_millis(300)).await;
                self.clicks += 1;
            }
            "post" => {
                let id = raw.payload.parse::<u32>("id").unwrap_or(100);
                let text = raw.payload.get_str("text").unwrap_or_default().to_string();
                ctx.broadcast("posts", post(id, &text))
                    .map_err(LiveError::msg)?;
            }
            other => return Err(LiveError::UnknownEvent(other.into())),
        }
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! {
            <p id="clicks">{self.clicks}</p>
            <ul id="posts" lv-stream="posts">{self.posts.render()}</ul>
        }
    }
}

const SECRET: &[u8] = b"feeds-test-secret-feeds-test-secret-0123";

async fn server(pubsub: &PubSub) -> TestServer {
    let config = LiveConfig::default().with_secret(SECRET.to_vec());
    let app = LiveRouter::with_config(config)
        .pubsub(pubsub.clone())
        .page::<Board>("/")
        .into_router();
    TestServer::start(app).await
}

/// A client that counts its version as the shim does: a whole page sets it, each patch frame
/// adds one.
struct Client {
    ws: WsClient,
    token: String,
    version: u64,
}

impl Client {
    async fn open(server: &TestServer) -> Client {
        let token = server.page_token("/").await;
        let mut ws = WsClient::connect(server.addr).await;
        // The page rendered for the GET is version 0; the join's answer is a patch frame.
        let joined = json(&ws.join(&token, 0).await);
        assert_ne!(joined[1], "html", "the join adopts the page: {joined}");
        Client {
            ws,
            token,
            version: 1,
        }
    }

    /// The next frame, counted.
    async fn frame(&mut self) -> Value {
        let f = json(&self.ws.recv().await.expect("a frame"));
        if f[1] == "html" {
            self.version = f[3].as_u64().expect("a version");
        } else {
            self.version += 1;
        }
        f
    }

    /// The ids of the next `n` items fed, with the frames that carried them.
    async fn items(&mut self, n: usize) -> (Vec<String>, Vec<Value>) {
        let mut ids = Vec::new();
        let mut frames = Vec::new();
        while ids.len() < n {
            let f = within(10, "fed items", self.frame()).await;
            ids.extend(stream_ids(&f));
            frames.push(f);
        }
        (ids, frames)
    }

    /// Closes the socket and joins the page again on a new one, with the counted version.
    async fn rejoin(&mut self, server: &TestServer) -> Value {
        let old = std::mem::replace(&mut self.ws, WsClient::connect(server.addr).await);
        old.close().await;
        // The page lets the old socket go before the new one joins.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let reply = json(&self.ws.join(&self.token, self.version).await);
        if reply[1] == "html" {
            self.version = reply[3].as_u64().expect("a version");
        } else {
            self.version += 1;
        }
        reply
    }
}

/// The ids of the stream items a frame inserts.
fn stream_ids(frame: &Value) -> Vec<String> {
    let pushed = if frame[1] == "html" {
        &frame[4]
    } else {
        &frame[2]
    };
    pushed["s"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|op| op[4].as_array().cloned().unwrap_or_default())
        .filter_map(|item| item[0].as_str().map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_gets_the_same_frame_and_its_version_counts_it() {
    let pubsub = PubSub::local();
    let server = server(&pubsub).await;
    let mut a = Client::open(&server).await;
    let mut b = Client::open(&server).await;
    pubsub.broadcast("posts", post(1, "<one>")).unwrap();
    let fa = within(10, "a's item", a.frame()).await;
    let fb = within(10, "b's item", b.frame()).await;
    let want = serde_json::json!([0, [], {"s": [["posts", "i", -1, 0, [["p1", "<li id=\"p1\">&lt;one&gt;</li>"]]]]}]);
    assert_eq!(fa, want);
    assert_eq!(fb, want);
    // The page still answers, and its patches still apply.
    a.ws.send(r#"[2,"e","click",{}]"#).await;
    let reply = json(&a.ws.reply(2).await);
    a.version += 1;
    assert!(reply.to_string().contains("\"1\""), "{reply}");
    for i in 2..=4 {
        pubsub.broadcast("posts", post(i, "more")).unwrap();
    }
    assert_eq!(a.items(3).await.0, ["p2", "p3", "p4"]);
    // A rejoin with the version the client counted finds the page in step with it: no whole
    // page, just an answer.
    let reply = a.rejoin(&server).await;
    assert_ne!(reply[1], "html", "the versions agree: {reply}");
    // A client that missed a frame is found out.
    b.version -= 1;
    let reply = b.rejoin(&server).await;
    assert_eq!(
        reply[1], "html",
        "a client one frame short gets the page: {reply}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_in_a_step_gets_the_items_after_it_in_order() {
    let pubsub = PubSub::local();
    let server = server(&pubsub).await;
    let mut a = Client::open(&server).await;
    let mut b = Client::open(&server).await;
    a.ws.send(r#"[2,"e","slow",{}]"#).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    for i in 1..=3 {
        pubsub.broadcast("posts", post(i, "while busy")).unwrap();
    }
    // The idle page has them at once, one frame each.
    let (ids, frames) = b.items(3).await;
    assert_eq!(ids, ["p1", "p2", "p3"]);
    assert_eq!(frames.len(), 3);
    // The busy page answers its event first, then sends what came meanwhile, in order.
    let first = within(10, "the slow reply", a.frame()).await;
    assert_eq!(first[0], 2, "the event's answer comes first: {first}");
    let mut ids = stream_ids(&first);
    if ids.len() < 3 {
        ids.extend(a.items(3 - ids.len()).await.0);
    }
    assert_eq!(ids, ["p1", "p2", "p3"]);
    // Later items go straight to its socket again, and its version is still exact.
    pubsub.broadcast("posts", post(4, "after")).unwrap();
    assert_eq!(a.items(1).await.0, ["p4"]);
    let reply = a.rejoin(&server).await;
    assert_ne!(reply[1], "html", "the versions agree: {reply}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_without_a_socket_gets_the_items_when_its_client_returns() {
    let pubsub = PubSub::local();
    let server = server(&pubsub).await;
    let mut a = Client::open(&server).await;
    let old = std::mem::replace(&mut a.ws, WsClient::connect(server.addr).await);
    old.close().await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    pubsub.broadcast("posts", post(7, "while away")).unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let reply = json(&a.ws.join(&a.token, a.version).await);
    assert_ne!(reply[1], "html", "{reply}");
    assert_eq!(stream_ids(&reply), ["p7"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn items_that_come_while_a_page_renders_are_neither_lost_nor_blank() {
    let pubsub = PubSub::local();
    let server = server(&pubsub).await;
    let mut a = Client::open(&server).await;
    // Others post while this page posts too: its own steps render while items arrive.
    let others = tokio::spawn({
        let pubsub = pubsub.clone();
        async move {
            for i in 0..300 {
                pubsub.broadcast("posts", post(1000 + i, "theirs")).unwrap();
                if i % 10 == 0 {
                    tokio::task::yield_now().await;
                }
            }
        }
    });
    for i in 0..100 {
        a.ws.send(&format!(
            r#"[{},"e","post",{{"id":"{i}","text":"mine"}}]"#,
            i + 2
        ))
        .await;
    }
    others.await.unwrap();
    let mut seen = std::collections::HashMap::new();
    let mut theirs = Vec::new();
    while seen.len() < 400 {
        let f = within(10, "all 400 items", a.frame()).await;
        let pushed = &f[2];
        for op in pushed["s"].as_array().into_iter().flatten() {
            for item in op[4].as_array().into_iter().flatten() {
                let id = item[0].as_str().unwrap_or_default().to_string();
                let html = item[1].as_str().unwrap_or_default().to_string();
                assert!(
                    html.contains(&format!("id=\"{id}\"")),
                    "{id} came blank: {html:?}"
                );
                if html.contains("theirs") {
                    theirs.push(id.clone());
                }
                assert!(seen.insert(id.clone(), html).is_none(), "{id} came twice");
            }
        }
    }
    // What others posted arrives in the order they posted it.
    let want: Vec<String> = (1000..1300).map(|i| format!("p{i}")).collect();
    assert_eq!(theirs, want);
    let reply = a.rejoin(&server).await;
    assert_ne!(reply[1], "html", "the versions agree: {reply}");
}

#[tokio::test]
async fn test_clients_see_what_other_pages_post() {
    let pubsub = PubSub::local();
    let router = LiveRouter::new().pubsub(pubsub.clone()).page::<Board>("/");
    let mut a = LiveTest::<Board>::get(&router, "/", Session::default())
        .await
        .unwrap();
    let mut b = LiveTest::<Board>::get(&router, "/", Session::default())
        .await
        .unwrap();
    a.event("post", serde_json::json!({ "text": "hello from a" }))
        .await
        .unwrap();
    b.drain_info().await.unwrap();
    assert_eq!(b.texts("#posts li"), ["hello from a"]);
    a.drain_info().await.unwrap();
    assert_eq!(a.texts("#posts li"), ["hello from a"]);
    // The topic's subscription goes with the last page that feeds from it.
    assert_eq!(pubsub.subscriber_count("posts"), 1);
    drop(a);
    assert_eq!(pubsub.subscriber_count("posts"), 1);
    drop(b);
    assert_eq!(pubsub.subscriber_count("posts"), 0);
    // A page that comes after makes the group anew.
    let mut c = LiveTest::<Board>::get(&router, "/", Session::default())
        .await
        .unwrap();
    assert_eq!(pubsub.subscriber_count("posts"), 1);
    pubsub.broadcast("posts", post(5, "again")).unwrap();
    c.drain_info().await.unwrap();
    assert_eq!(c.texts("#posts li"), ["again"]);
}

/// A page that feeds a stream rendered per page.
struct Unshared;

impl LiveView for Unshared {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, ctx: &mut Ctx<Self>) -> Result<Self, LiveError> {
        let posts = ctx
            .stream("posts", |p: &Post| format!("p{}", p.id))
            .with_template(post_view);
        ctx.feed(&posts, "posts")?;
        Ok(Unshared)
    }

    fn render(&self) -> impl IntoView {
        view! { <ul lv-stream="posts"></ul> }
    }
}

#[tokio::test]
async fn a_stream_rendered_per_page_cannot_be_fed() {
    let err = LiveTest::<Unshared>::mount(Params::default(), Session::default())
        .await
        .err()
        .expect("refused");
    assert!(
        matches!(&err, MountError::Failed(e) if e.to_string().contains("shared template")),
        "{err}"
    );
}
