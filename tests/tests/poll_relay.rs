//! The long-poll transport behind a load balancer without sticky sessions: two engines (two
//! processes' worth: each its own PubSub, its own node, its own registry) linked by a real
//! `redis-server`. A client's requests alternate between them; the session stays in the engine
//! that opened it, and every request that lands on the other is relayed there and answered.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use leptos_live::pubsub::{PubSub, Redis};
use leptos_live::{LiveConfig, LiveRouter};
use leptos_live_tests::poll::{PollClient, count_in, http};
use leptos_live_tests::redis::RedisServer;
use leptos_live_tests::uploads::{app_with as uploads_app, files_in, fresh_dir};
use leptos_live_tests::{TestServer, within};

const SECRET: &[u8] = b"poll-relay-secret-poll-relay-sec";

/// A PubSub on `redis`, once it hears what another process's PubSub broadcasts.
async fn linked(redis: &RedisServer) -> (PubSub, PubSub) {
    let a = PubSub::new(Redis::new(&redis.url()).expect("url"));
    let b = PubSub::new(Redis::new(&redis.url()).expect("url"));
    within(15, "the Redis links", async {
        for (from, to) in [(&a, &b), (&b, &a)] {
            let mut heard = to.subscribe::<String>("probe");
            loop {
                from.broadcast("probe", "ping".to_string())
                    .expect("broadcast");
                let got = tokio::time::timeout(Duration::from_millis(200), heard.recv()).await;
                if let Ok(Some(_)) = got {
                    break;
                }
            }
        }
    })
    .await;
    (a, b)
}

/// The counter demo on `pubsub`.
async fn counter(pubsub: PubSub) -> TestServer {
    let config = LiveConfig::default().with_secret(SECRET.to_vec());
    TestServer::start(demo_counter::app(
        LiveRouter::with_config(config).pubsub(pubsub),
    ))
    .await
}

/// Points the client's next requests at `addr`.
fn via(poll: &mut PollClient, addr: SocketAddr) -> &mut PollClient {
    poll.addr = addr;
    poll
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_landing_on_either_process_reach_the_session() {
    let redis = RedisServer::start().await;
    let (pa, pb) = linked(&redis).await;
    let (one, two) = (counter(pa).await, counter(pb).await);
    within(60, "a poll session used through both processes", async {
        let token = one.page_token("/").await;
        // Opened on one: the session lives there from now on.
        let mut poll = PollClient::open(one.addr).await;
        via(&mut poll, two.addr)
            .send(&format!(r#"[1,"j","{token}",0,"/"]"#))
            .await;
        let joined = poll.reply(1).await;
        assert!(!joined.contains("\"err\""), "{joined}");
        // Events through alternate processes are applied in order, once each, and the
        // replies come back through either.
        for (r, n) in [(2u64, "1"), (3, "2"), (4, "3"), (5, "4")] {
            let (post, get) = if r % 2 == 0 {
                (two.addr, one.addr)
            } else {
                (one.addr, two.addr)
            };
            via(&mut poll, post)
                .send(&format!(r#"[{r},"e","inc"]"#))
                .await;
            let reply = via(&mut poll, get).reply(r).await;
            assert_eq!(count_in(&reply).as_deref(), Some(n), "{reply}");
        }
        // The clock's pushes come through the process that does not hold the page too.
        let push = via(&mut poll, two.addr).reply(0).await;
        assert!(push.contains("[["), "a patch: {push}");

        // A closed session ends where it lives, whichever process the close reached, and a
        // poll still waiting for it (relayed from the other process) does not keep it alive.
        let waiting = {
            let (addr, path) = (two.addr, poll.path());
            tokio::spawn(async move {
                let asked = Instant::now();
                let (status, _) = http(addr, "GET", &path, &[], b"").await;
                (status, asked.elapsed())
            })
        };
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(via(&mut poll, one.addr).close_ref().await, 204);
        let (status, waited) = waiting.await.expect("the waiting poll");
        assert!(
            waited < Duration::from_secs(5),
            "the waiting poll ends with the session ({status} after {waited:?}), not after its 20 s"
        );
        let ended = Instant::now();
        let status = loop {
            match via(&mut poll, one.addr).poll_status().await {
                Err(status) => break status,
                Ok(_) => assert!(ended.elapsed() < Duration::from_secs(15), "still open"),
            }
        };
        assert_eq!(status, 410);
    })
    .await;

    within(30, "sessions no process holds", async {
        // A well-formed id that no process holds: gone once nobody takes it up.
        let path = format!("/live/poll?s={}", "0".repeat(32));
        let asked = Instant::now();
        let (status, _) = http(two.addr, "GET", &path, &[], b"").await;
        assert_eq!(status, 410);
        assert!(asked.elapsed() < Duration::from_secs(10));
        let (status, _) = http(two.addr, "POST", &path, &[], b"[1,\"h\"]").await;
        assert_eq!(status, 410);
        // An id of another form is not relayed at all.
        let asked = Instant::now();
        let (status, _) = http(two.addr, "GET", "/live/poll?s=room:lobby", &[], b"").await;
        assert_eq!(status, 410);
        assert!(asked.elapsed() < Duration::from_secs(1), "answered at once");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_chunks_cross_to_the_process_that_holds_the_page() {
    let redis = RedisServer::start().await;
    let (pa, pb) = linked(&redis).await;
    let (temp, saved) = (fresh_dir("relay-uploads"), fresh_dir("relay-saved"));
    let config = || LiveConfig::default().with_secret(SECRET.to_vec());
    let one = TestServer::start(uploads_app(config(), &temp, &saved, pa)).await;
    let two = TestServer::start(uploads_app(config(), &temp, &saved, pb)).await;
    within(60, "an upload through both processes", async {
        let token = one.page_token("/").await;
        let mut poll = PollClient::open(one.addr).await;
        via(&mut poll, two.addr)
            .send(&format!(r#"[1,"j","{token}",0,"/"]"#))
            .await;
        poll.reply(1).await;
        let body: Vec<u8> = (0..150_000u32).map(|i| (i % 251) as u8).collect();
        // Its chunks through one process and the other in turn, the form's submit through the
        // one that does not hold the page.
        let id = poll.upload(2, &body, &[two.addr, one.addr]).await;
        let names = files_in(&saved);
        assert_eq!(names, [format!("{id}-data.bin")]);
        let stored = std::fs::read(saved.join(&names[0])).expect("saved file");
        assert!(stored == body, "the bytes arrive as sent");
    })
    .await;
}
