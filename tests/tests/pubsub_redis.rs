//! PubSub through a real `redis-server`: messages cross processes (two PubSubs with their own
//! node ids), a lost Redis keeps local delivery working, and the link comes back by itself.

use std::time::Duration;

use leptos_live::pubsub::{PubSub, Redis, Subscription};
use leptos_live_tests::redis::RedisServer;
use leptos_live_tests::within;

async fn next(sub: &mut Subscription<String>) -> String {
    within(10, "a message", sub.recv())
        .await
        .expect("a message")
}

/// Broadcasts until the other side hears (the subscribe link needs a moment to come up).
async fn until_heard(from: &PubSub, to: &mut Subscription<String>, text: &str) {
    within(15, "the Redis link", async {
        loop {
            from.broadcast("t", text.to_string()).expect("broadcast");
            if let Ok(Some(got)) = tokio::time::timeout(Duration::from_millis(200), to.recv()).await
            {
                assert_eq!(got, text);
                return;
            }
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_cross_processes_and_survive_a_redis_restart() {
    let redis = RedisServer::start().await;
    let port = redis.port;
    let a = PubSub::new(Redis::new(&redis.url()).expect("url"));
    let b = PubSub::new(Redis::new(&redis.url()).expect("url"));
    let mut on_a = a.subscribe::<String>("t");
    let mut on_b = b.subscribe::<String>("t");

    until_heard(&a, &mut on_b, "ping").await;
    while on_a.try_recv().is_some() {}
    b.broadcast("t", "from b".to_string()).expect("broadcast");
    assert_eq!(next(&mut on_a).await, "from b");
    assert_eq!(
        next(&mut on_b).await,
        "from b",
        "local subscribers get it once, directly"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(on_b.try_recv(), None, "not a second time through Redis");

    // Redis goes away: each process keeps delivering its own messages.
    redis.kill().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    a.broadcast("t", "while down".to_string())
        .expect("broadcast");
    assert_eq!(next(&mut on_a).await, "while down");

    // It comes back on the same port: the links reconnect by themselves.
    let _redis = RedisServer::start_on(port).await;
    while on_b.try_recv().is_some() {}
    until_heard(&a, &mut on_b, "back").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_cross_processes_over_tls() {
    let (redis, root) = RedisServer::start_tls().await;
    let url = redis.tls_url();
    let a = PubSub::new(Redis::with_root_cert(&url, root.clone()).expect("url"));
    let b = PubSub::new(Redis::with_root_cert(&url, root).expect("url"));
    let mut on_b = b.subscribe::<String>("t");
    until_heard(&a, &mut on_b, "over tls").await;

    // A client that does not trust the server's root never gets through.
    let stranger = PubSub::new(Redis::new(&url).expect("url"));
    let mut on_stranger = stranger.subscribe::<String>("t");
    a.broadcast("t", "for those who trust".to_string())
        .expect("broadcast");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(on_stranger.try_recv(), None);
}
