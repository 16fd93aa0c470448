//! Protocol tests: a real WebSocket client against a real server on a free loopback port.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use leptos::prelude::*;
use leptos_live::{Ctx, LiveConfig, LiveError, LiveRouter, LiveView, Params, RawEvent, Session};
use leptos_live_tests::{TestServer, json};

/// Mounts per `tag` parameter, so that tests running at once do not see each other's counts.
static MOUNTS: Mutex<Option<HashMap<String, usize>>> = Mutex::new(None);

fn mounts(tag: &str) -> usize {
    MOUNTS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .and_then(|m| m.get(tag).copied())
        .unwrap_or(0)
}

/// A page for protocol tests: counts its mounts and can fail or panic on demand.
struct Probe {
    n: i64,
    note: String,
}

impl LiveView for Probe {
    type Message = String;
    type Event = RawEvent;

    async fn mount(params: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        let tag = params.get("tag").unwrap_or("").to_string();
        if tag == "slow-mount" {
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        *MOUNTS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert_with(HashMap::new)
            .entry(tag)
            .or_default() += 1;
        Ok(Probe {
            n: 0,
            note: String::new(),
        })
    }

    async fn handle_event(&mut self, raw: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        let (event, payload) = (raw.name.as_str(), raw.payload);
        match event {
            "inc" => self.n += 1,
            "boom" => panic!("boom on purpose"),
            "fail" => {
                self.n += 100;
                return Err(LiveError::msg("failed on purpose"));
            }
            "ask" => {
                ctx.reply(serde_json::json!({ "ok": true }));
                ctx.push_event("note", serde_json::json!({ "a": 1 }));
                ctx.page_title("T");
            }
            "later" => ctx.send_after(
                Duration::from_millis(50),
                payload.get_str("note").unwrap_or("").to_string(),
            ),
            other => return Err(LiveError::UnknownEvent(other.into())),
        }
        Ok(())
    }

    async fn handle_info(&mut self, msg: String, _: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.note = msg;
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! { <div><b>{self.n}</b><i>{self.note.clone()}</i></div> }
    }
}

async fn probe_server(config: LiveConfig) -> TestServer {
    TestServer::start(
        LiveRouter::with_config(config)
            .page::<Probe>("/probe")
            .into_router(),
    )
    .await
}

fn config() -> LiveConfig {
    LiveConfig::default().with_secret(b"protocol-test-secret-protocol-test".to_vec())
}

#[tokio::test]
async fn counter_click_round_trip_and_frame_sizes() {
    let server = TestServer::start(demo_counter::app(LiveRouter::with_config(config()))).await;
    let token = server.page_token("/").await;
    let mut ws = server.socket().await;
    assert_eq!(ws.join(&token, 0).await, "[1,[]]");
    let click = r#"[2,"e","inc"]"#;
    ws.send(click).await;
    let reply = ws.reply(2).await;
    assert_eq!(reply, r#"[2,[[1,[0,0,1,0],"1"]]]"#);
    assert!(click.len() <= 40, "click frame is {} bytes", click.len());
    assert!(reply.len() <= 32, "reply frame is {} bytes", reply.len());
    // The clock ticks unasked, as pushes with reference 0 that set one text node.
    let push = json(&ws.recv().await.expect("a clock push"));
    assert_eq!(push[0], 0);
    assert_eq!(push[1][0][0], 1);
}

#[tokio::test]
async fn forged_and_tampered_tokens_are_refused() {
    let server = probe_server(config()).await;
    let token = server.page_token("/probe?tag=forged").await;
    let (body, sig) = token.split_once('.').expect("token has two parts");
    for bad in [
        format!(
            "{body}.{}",
            sig.replace(|c: char| c.is_ascii_alphabetic(), "A")
        ),
        "x.y".to_string(),
        "garbage".to_string(),
    ] {
        let mut ws = server.socket().await;
        let reply = json(&ws.join(&bad, 0).await);
        assert_eq!(reply[1], "err");
        assert_eq!(reply[2], "bad_token");
        assert!(ws.closes().await, "socket stays open after a bad token");
    }
    // A token signed with another server's secret is refused too.
    let other = probe_server(
        LiveConfig::default().with_secret(b"another-secret-another-secret!!".to_vec()),
    )
    .await;
    let mut ws = other.socket().await;
    assert_eq!(json(&ws.join(&token, 0).await)[2], "bad_token");
}

#[tokio::test]
async fn bad_frames_get_typed_errors_and_the_socket_keeps_serving() {
    let server = probe_server(config()).await;
    let token = server.page_token("/probe?tag=bad").await;
    let mut ws = server.socket().await;
    ws.send(r#"[5,"e","inc"]"#).await;
    assert_eq!(json(&ws.reply(5).await)[2], "not_joined");
    ws.join(&token, 0).await;
    ws.send("this is not json").await;
    assert_eq!(json(&ws.reply(0).await)[2], "bad_frame");
    ws.send(r#"{"an":"object"}"#).await;
    assert_eq!(json(&ws.reply(0).await)[2], "bad_frame");
    ws.send(r#"[6,"zz"]"#).await;
    assert_eq!(json(&ws.reply(6).await)[2], "bad_frame");
    ws.send(r#"[7,"e","no_such_event"]"#).await;
    assert_eq!(json(&ws.reply(7).await)[2], "unknown_event");
    let big = format!(r#"[8,"e","inc",{{"x":"{}"}}]"#, "a".repeat(100 * 1024));
    ws.send(&big).await;
    assert_eq!(json(&ws.reply(0).await)[2], "too_large");
    ws.send(r#"[9,"j","again",0]"#).await;
    assert_eq!(json(&ws.reply(9).await)[2], "already_joined");
    // A handler error keeps the page and still sends what changed.
    ws.send(r#"[10,"e","fail"]"#).await;
    assert_eq!(json(&ws.reply(10).await)[2], "handler_error");
    assert_eq!(json(&ws.reply(0).await)[1][0][2], "100");
    // And the socket still works.
    ws.send(r#"[11,"e","inc"]"#).await;
    assert_eq!(ws.reply(11).await, r#"[11,[[1,[0,0,0],"101"]]]"#);
    ws.send(r#"[12,"h"]"#).await;
    assert_eq!(ws.reply(12).await, r#"[12,"h"]"#);
}

#[tokio::test]
async fn a_panicking_page_ends_alone() {
    let server = probe_server(config()).await;
    let a = server.page_token("/probe?tag=panic-a").await;
    let b = server.page_token("/probe?tag=panic-b").await;
    let mut wa = server.socket().await;
    let mut wb = server.socket().await;
    wa.join(&a, 0).await;
    wb.join(&b, 0).await;
    wa.send(r#"[2,"e","boom"]"#).await;
    let err = json(&wa.reply(2).await);
    assert_eq!(err[2], "page_crashed");
    assert!(err[3].as_str().unwrap_or("").contains("boom on purpose"));
    assert!(wa.closes().await);
    // The other page, and new pages, keep working.
    wb.send(r#"[2,"e","inc"]"#).await;
    assert_eq!(wb.reply(2).await, r#"[2,[[1,[0,0,0],"1"]]]"#);
    let c = server.page_token("/probe?tag=panic-c").await;
    let mut wc = server.socket().await;
    assert_eq!(wc.join(&c, 0).await, "[1,[]]");
}

#[tokio::test]
async fn the_socket_adopts_the_http_mount() {
    let server = probe_server(config()).await;
    let token = server.page_token("/probe?tag=adopt").await;
    assert_eq!(mounts("adopt"), 1);
    let mut ws = server.socket().await;
    assert_eq!(
        ws.join(&token, 0).await,
        "[1,[]]",
        "adoption sends no full render"
    );
    ws.send(r#"[2,"e","inc"]"#).await;
    ws.reply(2).await;
    assert_eq!(mounts("adopt"), 1, "GET + join mounted once");
}

#[tokio::test]
async fn after_the_adoption_window_the_join_mounts_again() {
    let server = probe_server(config().with_adoption_window(Duration::from_millis(50))).await;
    let token = server.page_token("/probe?tag=late").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut ws = server.socket().await;
    let reply = json(&ws.join(&token, 0).await);
    assert_eq!(reply[1], "html", "a fresh mount sends the whole page");
    assert_eq!(mounts("late"), 2);
}

#[tokio::test]
async fn a_dropped_socket_resumes_the_same_state() {
    let server = probe_server(config()).await;
    let token = server.page_token("/probe?tag=resume").await;
    let mut ws = server.socket().await;
    ws.join(&token, 0).await; // version 1
    ws.send(r#"[2,"e","inc"]"#).await;
    ws.reply(2).await; // version 2
    ws.send(r#"[3,"e","later",{"note":"while away"}]"#).await;
    ws.reply(3).await; // version 3
    ws.close().await;
    // The timer fires while no socket is attached.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut ws = server.socket().await;
    let reply = ws.join(&token, 3).await;
    assert_eq!(
        reply, r#"[1,[[1,[0,1,0],"while away"]]]"#,
        "the change made while away arrives on resume"
    );
    ws.send(r#"[2,"e","inc"]"#).await;
    assert_eq!(ws.reply(2).await, r#"[2,[[1,[0,0,0],"2"]]]"#);
    assert_eq!(mounts("resume"), 1, "resuming does not mount again");
}

#[tokio::test]
async fn a_stale_version_gets_the_whole_page() {
    let server = probe_server(config()).await;
    let token = server.page_token("/probe?tag=stale").await;
    let mut ws = server.socket().await;
    ws.join(&token, 0).await;
    ws.send(r#"[2,"e","inc"]"#).await;
    ws.reply(2).await;
    ws.close().await;
    let mut ws = server.socket().await;
    let reply = json(&ws.join(&token, 1).await);
    assert_eq!(reply[1], "html");
    // Leptos renders an empty string as a single space, so that the text node exists.
    assert_eq!(reply[2], "<div><b>1</b><i> </i></div>");
    assert_eq!(mounts("stale"), 1);
}

#[tokio::test]
async fn the_http_render_serves_the_hashed_script() {
    let server = probe_server(config()).await;
    let (_, page) = server.get("/probe?tag=script").await;
    let start = page.find("/live/leptos-live-").expect("script tag");
    let path: String = page[start..].chars().take_while(|c| *c != '"').collect();
    let (status, js) = server.get(&path).await;
    assert_eq!(status, 200);
    assert_eq!(js, leptos_live::server::client_js());
}

#[tokio::test]
async fn expired_tokens_are_refused() {
    let server = probe_server(config().with_token_max_age(Duration::ZERO)).await;
    let token = server.page_token("/probe?tag=expired").await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let mut ws = server.socket().await;
    let reply = json(&ws.join(&token, 0).await);
    assert_eq!(
        (reply[1].as_str(), reply[2].as_str()),
        (Some("err"), Some("expired_token"))
    );
    assert!(ws.closes().await);
}

#[tokio::test]
async fn pages_waiting_for_adoption_are_capped() {
    let server = probe_server(config().with_max_pending_pages(1)).await;
    let first = server.page_token("/probe?tag=cap-1").await;
    // The second GET finds the one place taken: it renders but keeps no state.
    let second = server.page_token("/probe?tag=cap-2").await;
    let mut ws = server.socket().await;
    assert_eq!(
        ws.join(&second, 0).await.split(',').nth(1),
        Some("\"html\""),
        "the join mounts again"
    );
    assert_eq!(mounts("cap-2"), 2);
    let mut ws = server.socket().await;
    assert_eq!(
        ws.join(&first, 0).await,
        "[1,[]]",
        "the first page was kept and is adopted"
    );
    assert_eq!(mounts("cap-1"), 1);
}

#[tokio::test]
async fn a_second_socket_takes_the_page_over() {
    let server = probe_server(config()).await;
    let token = server.page_token("/probe?tag=takeover").await;
    let mut first = server.socket().await;
    first.join(&token, 0).await;
    first.send(r#"[2,"e","inc"]"#).await;
    first.reply(2).await;
    let mut second = server.socket().await;
    // The second socket claims version 2, as the first client had it.
    assert_eq!(second.join(&token, 2).await, "[1,[]]");
    let replaced = json(&first.reply(0).await);
    assert_eq!(replaced[2], "replaced");
    assert!(first.closes().await, "the replaced socket is closed");
    second.send(r#"[2,"e","inc"]"#).await;
    assert_eq!(second.reply(2).await, r#"[2,[[1,[0,0,0],"2"]]]"#);
    assert_eq!(mounts("takeover"), 1);
}

#[tokio::test]
async fn a_client_that_knows_its_dom_is_off_gets_the_whole_page() {
    let server = probe_server(config()).await;
    let token = server.page_token("/probe?tag=null-version").await;
    let mut ws = server.socket().await;
    ws.send(&format!(r#"[1,"j","{token}",null]"#)).await;
    assert_eq!(json(&ws.reply(1).await)[1], "html");
}

#[tokio::test]
async fn a_mount_that_takes_too_long_is_refused() {
    let mut config = config();
    config.mount_timeout = Duration::from_millis(100);
    let server = probe_server(config).await;
    let (status, _) = server.get("/probe?tag=slow-mount").await;
    assert_eq!(status, 500);
}

#[tokio::test]
async fn replies_pushed_events_and_titles_ride_on_the_patch_frame() {
    let server = probe_server(config()).await;
    let token = server.page_token("/probe?tag=ask").await;
    let mut ws = server.socket().await;
    ws.join(&token, 0).await;
    ws.send(r#"[2,"e","ask"]"#).await;
    assert_eq!(
        ws.reply(2).await,
        r#"[2,[],{"events":[["note",{"a":1}]],"reply":{"ok":true},"title":"T"}]"#
    );
}
