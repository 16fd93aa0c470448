//! Two chat processes sharing rooms through a real `redis-server`: a browser on each, messages
//! and presence cross between them, and a killed process's users leave the other's list.

mod common;

use common::{ChatProcess, ONLINE, enter, post, remove_db, shows, temp_db};
use leptos_live_tests::browser::Browser;
use leptos_live_tests::redis::RedisServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_messages_and_presence_through_redis() {
    let redis = RedisServer::start().await;
    let url = redis.url();
    let db = temp_db("redis");
    let one = ChatProcess::start(&db, None, Some(&url)).await;
    let two = ChatProcess::start(&db, None, Some(&url)).await;
    let mut browser = Browser::launch().await;
    let ada = enter(&mut browser, &one.url("/rooms/lobby"), "ada").await;
    let bob = enter(&mut browser, &two.url("/rooms/lobby"), "bob").await;

    for tab in [&ada, &bob] {
        browser
            .page(tab)
            .wait_for(&format!("{ONLINE} === 'ada,bob'"))
            .await;
    }
    // Both of a process's links to Redis are up, as its metrics say.
    let (_, text) = leptos_live_tests::http_get(one.addr, "/metrics").await;
    for link in ["publish", "subscribe"] {
        let line = format!("leptos_live_redis_link_up{{link=\"{link}\"}} 1");
        assert!(text.lines().any(|l| l == line), "{link}: {text}");
    }
    post(&mut browser, &ada, "from one").await;
    browser.page(&bob).wait_for(&shows("from one")).await;
    post(&mut browser, &bob, "from two").await;
    browser.page(&ada).wait_for(&shows("from two")).await;

    // A closed tab leaves the other process's list at once.
    browser.close_tab(bob).await;
    browser
        .page(&ada)
        .wait_for(&format!("{ONLINE} === 'ada'"))
        .await;

    // A process that dies without a word: its users leave after three missed heartbeats.
    let bob = enter(&mut browser, &two.url("/rooms/lobby"), "bob").await;
    browser
        .page(&ada)
        .wait_for(&format!("{ONLINE} === 'ada,bob'"))
        .await;
    two.kill().await;
    browser
        .page(&ada)
        .wait_for(&format!("{ONLINE} === 'ada'"))
        .await;
    drop(bob);
    drop(browser);
    drop(one);
    remove_db(&db);
}
