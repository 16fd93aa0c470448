//! Over the socket: an event whose answer a cut lost is sent again and applied once; a page's
//! token is renewed while its socket lives, so a rejoin after the first token's expiry resumes;
//! a rejoin runs the live session's checks again, and a page whose session ended is sent to
//! their redirect with its flash.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use leptos::prelude::*;
use leptos_live::{
    Ctx, FlashKind, Halt, LiveConfig, LiveError, LiveRouter, LiveSession, LiveView, Mounting,
    Params, RawEvent, Session,
};
use leptos_live_tests::{TestServer, json};

fn config() -> LiveConfig {
    LiveConfig::default().with_secret(b"resume-once-secret-resume-once!!".to_vec())
}

#[tokio::test]
async fn an_event_whose_answer_was_lost_is_applied_once() {
    let server = TestServer::start(demo_counter::app(LiveRouter::with_config(config()))).await;
    let token = server.page_token("/").await;
    let mut ws = server.socket().await;
    ws.join(&token, 0).await; // version 1
    ws.send(r#"[2,"e","inc"]"#).await;
    ws.reply(2).await; // applied: the count is 1, the server's version 2
    ws.close().await;
    // The client never saw that answer: it rejoins at version 1 and sends the click again.
    let mut ws = server.socket().await;
    ws.send(&format!(r#"[7,"j","{token}",1,"/",[2]]"#)).await;
    let page = json(&ws.reply(7).await);
    assert_eq!(page[1], "html", "a client a frame short gets the page");
    assert!(
        page[2].as_str().unwrap_or_default().contains(">1</p>"),
        "{page}"
    );
    ws.send(r#"[2,"e","inc"]"#).await;
    assert_eq!(ws.reply(2).await, "[2,[]]", "answered again, not applied");
    ws.send(r#"[8,"e","inc"]"#).await;
    assert_eq!(ws.reply(8).await, r#"[8,[[1,[0,0,1,0],"2"]]]"#);
    ws.close().await;
    // An event named but never received is applied.
    let mut ws = server.socket().await;
    ws.send(&format!(r#"[9,"j","{token}",null,"/",[10]]"#))
        .await;
    assert_eq!(json(&ws.reply(9).await)[1], "html");
    ws.send(r#"[10,"e","inc"]"#).await;
    assert_eq!(ws.reply(10).await, r#"[10,[[1,[0,0,1,0],"3"]]]"#);
}

#[tokio::test]
async fn the_token_is_renewed_while_the_socket_lives() {
    // Tokens live 4 s (in whole seconds) and renew past 1 s.
    let config = config().with_token_max_age(Duration::from_secs(4));
    let router = LiveRouter::with_config(config).page::<Desk>("/");
    let server = TestServer::start(router.into_router()).await;
    let token = server.page_token("/").await;
    let mut ws = server.socket().await;
    let start = tokio::time::Instant::now();
    ws.join(&token, 0).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    ws.send(r#"[2,"h"]"#).await;
    let mut renewed = None;
    loop {
        let f = json(&ws.recv().await.expect("frames"));
        if f[1] == "t" {
            assert_eq!(f[0], 0);
            renewed = f[2].as_str().map(str::to_string);
        }
        if f[0] == 2 {
            assert_eq!(f[1], "h");
            break;
        }
    }
    let renewed = renewed.expect("a fresh token came before the heartbeat's answer");
    assert_ne!(renewed, token);
    ws.send(r#"[3,"e","inc"]"#).await;
    ws.reply(3).await; // version 2
    ws.close().await;
    // 5 s after the first token, well within 4 s of the second.
    tokio::time::sleep_until(start + Duration::from_millis(5600)).await;
    // The first token has expired; the renewed one resumes the page.
    let mut old = server.socket().await;
    assert_eq!(json(&old.join(&token, 2).await)[2], "expired_token");
    let mut ws = server.socket().await;
    assert_eq!(ws.join(&renewed, 2).await, "[1,[]]", "resumed, in step");
}

#[tokio::test]
async fn an_event_answered_again_carries_its_reply_pushes_and_navigation() {
    let router = LiveRouter::with_config(config()).page::<Desk>("/");
    let server = TestServer::start(router.into_router()).await;
    let token = server.page_token("/").await;
    let mut ws = server.socket().await;
    ws.join(&token, 0).await;
    ws.send(r#"[2,"e","ask"]"#).await;
    let first = json(&ws.reply(2).await);
    ws.close().await;
    let mut ws = server.socket().await;
    ws.send(&format!(r#"[1,"j","{token}",1,"/",[2]]"#)).await;
    assert_eq!(json(&ws.reply(1).await)[1], "html");
    ws.send(r#"[2,"e","ask"]"#).await;
    let again = json(&ws.reply(2).await);
    assert_eq!(again[1], serde_json::json!([]), "no operations: {again}");
    assert_eq!(again[2], first[2], "the same reply, events and navigation");
    assert_eq!(again[2]["reply"]["n"], 1, "{again}");
    assert_eq!(again[2]["nav"]["to"], "/?asked=1", "{again}");
}

/// The sessions signed in now.
type Signed = Arc<Mutex<HashSet<String>>>;

static CHECKS: AtomicUsize = AtomicUsize::new(0);

struct Desk(u32);

impl LiveView for Desk {
    type Message = ();
    type Event = RawEvent;

    async fn mount(_: &Params, _: &Session, _: &mut Ctx<Self>) -> Result<Self, LiveError> {
        Ok(Desk(0))
    }

    async fn handle_event(&mut self, e: RawEvent, ctx: &mut Ctx<Self>) -> Result<(), LiveError> {
        self.0 += 1;
        if e.name == "ask" {
            ctx.reply(serde_json::json!({ "n": self.0 }));
            ctx.push_event("asked", self.0);
            ctx.push_patch("/?asked=1");
        }
        Ok(())
    }

    fn render(&self) -> impl IntoView {
        view! { <p>{self.0}</p> }
    }
}

fn desk_app(signed: Signed) -> axum::Router {
    let desk = LiveSession::new("desk")
        .on_mount(move |m: Mounting| {
            let signed = signed.clone();
            async move {
                CHECKS.fetch_add(1, Ordering::SeqCst);
                let sid = m.session.get("sid").and_then(|v| v.as_str()).unwrap_or("");
                if signed.lock().map(|s| s.contains(sid)).unwrap_or(false) {
                    Ok(m)
                } else {
                    Err(Halt::redirect("/login").with_flash(FlashKind::Info, "Session ended."))
                }
            }
        })
        .page::<Desk>("/");
    LiveRouter::with_config(config())
        .session(leptos_live_tests::sid_session)
        .live_session(desk)
        .into_router()
}

#[tokio::test]
async fn a_rejoin_runs_the_checks_again_and_a_session_that_ended_is_redirected() {
    let signed: Signed = Arc::default();
    signed.lock().expect("lock").insert("s1".into());
    let server = TestServer::start(desk_app(signed.clone())).await;
    let (status, body) = leptos_live_tests::http_get_with(server.addr, "/", "sid=s1").await;
    assert_eq!(status, 200, "{body}");
    let token = leptos_live_tests::token_of(&body).expect("a token");
    assert_eq!(CHECKS.load(Ordering::SeqCst), 1);
    // The first join adopts the page the checks just passed: they do not run again.
    let mut ws = server.socket().await;
    ws.join(&token, 0).await;
    assert_eq!(CHECKS.load(Ordering::SeqCst), 1);
    ws.close().await;
    // A client coming back is checked: still signed in, it resumes.
    let mut ws = server.socket().await;
    assert_eq!(ws.join(&token, 1).await, "[1,[]]");
    assert_eq!(CHECKS.load(Ordering::SeqCst), 2);
    ws.close().await;
    // Signed out meanwhile: the browser is sent to the check's redirect, with the flash.
    signed.lock().expect("lock").clear();
    let mut ws = server.socket().await;
    let nav = json(&ws.join(&token, 2).await);
    assert_eq!(nav[1], "nav", "{nav}");
    assert_eq!(nav[2]["kind"], "redirect");
    assert_eq!(nav[2]["to"], "/login");
    assert!(nav[2]["flash"].is_string(), "the flash goes along: {nav}");
}
