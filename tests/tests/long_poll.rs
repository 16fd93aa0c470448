//! The long-poll transport at the protocol level: the socket's frames and guarantees over HTTP.
//! A join adopts the page the GET mounted; events are answered in order; pushes arrive unasked;
//! a session that ends is resumed by the next one with the version, and the events it names as
//! sent again apply once; a navigation mounts the next page; upload chunks travel as POST bodies.

use std::time::Duration;

use leptos_live::{LiveConfig, LiveRouter};
use leptos_live_tests::poll::{PollClient, count_in};
use leptos_live_tests::uploads::{app as uploads_app, files_in, fresh_dir};
use leptos_live_tests::{TestServer, json, token_of, within};

async fn counter() -> TestServer {
    let config = LiveConfig::default().with_secret(b"long-poll-secret-long-poll-secre".to_vec());
    TestServer::start(demo_counter::app(LiveRouter::with_config(config))).await
}

#[tokio::test]
async fn a_page_joins_counts_and_gets_pushes_over_a_poll() {
    within(30, "the counter over long-polling", async {
        let server = counter().await;
        let token = server.page_token("/").await;
        let mut poll = PollClient::open(server.addr).await;
        poll.send(&format!(r#"[1,"j","{token}",0,"/"]"#)).await;
        let joined = poll.reply(1).await;
        assert!(!joined.contains("\"err\""), "{joined}");
        // Three events in one request are answered in order.
        assert_eq!(
            poll.send_all(&[r#"[2,"e","inc"]"#, r#"[3,"e","inc"]"#, r#"[4,"e","inc"]"#])
                .await,
            204
        );
        for (r, n) in [(2, "1"), (3, "2"), (4, "3")] {
            let reply = poll.reply(r).await;
            assert_eq!(count_in(&reply).as_deref(), Some(n), "{reply}");
        }
        // The clock pushes, unasked (reference 0).
        let push = poll.reply(0).await;
        assert!(push.contains("[["), "a patch: {push}");
        // A heartbeat is answered.
        poll.send(r#"[5,"h"]"#).await;
        assert_eq!(json(&poll.reply(5).await)[0], 5);
        assert_eq!(poll.close().await, 204);
    })
    .await;
}

#[tokio::test]
async fn a_new_session_resumes_and_resent_events_apply_once() {
    within(30, "resume over long-polling", async {
        let server = counter().await;
        let html = server.get("/").await.1;
        let token = token_of(&html).expect("a token");
        let mut poll = PollClient::open(server.addr).await;
        poll.send(&format!(r#"[1,"j","{token}",0,"/"]"#)).await;
        poll.reply(1).await;
        poll.send(r#"[2,"e","inc"]"#).await;
        let reply = poll.reply(2).await;
        assert_eq!(count_in(&reply).as_deref(), Some("1"));
        // The answer to 3 is lost with the session (as a cut loses it).
        poll.send(r#"[3,"e","inc"]"#).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(poll.close().await, 204);
        // The next session joins at version 1 (what the client applied) and names 3 as sent
        // again, then sends it again: it applies once.
        let mut again = PollClient::open(server.addr).await;
        again
            .send_all(&[
                &format!(r#"[4,"j","{token}",1,"/",[3]]"#),
                r#"[3,"e","inc"]"#,
                r#"[5,"e","inc"]"#,
            ])
            .await;
        let joined = again.reply(4).await;
        assert!(!joined.contains("\"err\""), "{joined}");
        again.reply(3).await;
        let reply = again.reply(5).await;
        let seen = again.seen.join(" ") + &joined + &reply;
        assert!(
            count_in(&reply).as_deref() == Some("3"),
            "3 applied once, then 5: {seen}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_live_navigation_mounts_the_next_page_over_the_poll() {
    within(30, "navigation over long-polling", async {
        let server = counter().await;
        let token = server.page_token("/").await;
        let mut poll = PollClient::open(server.addr).await;
        poll.send(&format!(r#"[1,"j","{token}",0,"/"]"#)).await;
        poll.reply(1).await;
        poll.send(r#"[2,"n","/components"]"#).await;
        let page = poll.reply(2).await;
        assert_eq!(json(&page)[1], "html", "the next page's whole HTML: {page}");
    })
    .await;
}

#[tokio::test]
async fn upload_chunks_travel_as_post_bodies() {
    within(30, "uploads over long-polling", async {
        let (temp, saved) = (fresh_dir("poll-uploads"), fresh_dir("poll-saved"));
        let server = TestServer::start(uploads_app(LiveConfig::default(), &temp, &saved)).await;
        let token = server.page_token("/").await;
        let mut poll = PollClient::open(server.addr).await;
        poll.send(&format!(r#"[1,"j","{token}",0,"/"]"#)).await;
        poll.reply(1).await;
        let body: Vec<u8> = (0..150_000u32).map(|i| (i % 251) as u8).collect();
        let id = poll.upload(2, &body, &[]).await;
        let names = files_in(&saved);
        assert_eq!(names, [format!("{id}-data.bin")]);
        let stored = std::fs::read(saved.join(&names[0])).expect("saved file");
        assert!(stored == body, "the bytes arrive as sent");
    })
    .await;
}
