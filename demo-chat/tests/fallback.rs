//! The chat over the shim's long-poll fallback, in Chromium, with every WebSocket upgrade refused
//! (403) by a proxy in front of the real server process, as a corporate proxy refuses it: two
//! people see each other's presence and messages, move between rooms live, and an image upload
//! reaches the other person. The module the fallback loads passes the chat's strict CSP
//! (`script-src 'self'`).
//!
//! Then two chat processes linked by Redis, behind a load balancer without sticky sessions that
//! sends each request to the next process in turn: a page's polls and posts land on both, and
//! still reach its session in the process that opened it.

mod common;

use common::{ChatProcess, ONLINE, enter, make_room, post, remove_db, shows, temp_db};
use leptos_live_tests::balancer::Balancer;
use leptos_live_tests::browser::{Browser, Tab};
use leptos_live_tests::proxy::{Mode, Proxy};
use leptos_live_tests::redis::RedisServer;
use leptos_live_tests::uploads::PNG;
use serde_json::json;

const ON_POLL: &str = "!(window.liveSocket.ws instanceof WebSocket)";
const IMAGE_SHOWN: &str = "[...document.querySelectorAll('#messages li img')].some(i => i.complete && i.naturalWidth > 0)";

/// Ada and Bob in the room at `room`, each page polling, each seeing both.
async fn both_polling(browser: &mut Browser, room: &str) -> (Tab, Tab) {
    let ada = enter(browser, room, "ada").await;
    let bob = enter(browser, room, "bob").await;
    for tab in [&ada, &bob] {
        let mut page = browser.page(tab);
        assert_eq!(page.eval(ON_POLL).await, json!(true), "the page polls");
        page.wait_for(&format!("{ONLINE} === 'ada,bob'")).await;
    }
    (ada, bob)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_people_chat_over_long_polling() {
    let db = temp_db("fallback");
    let dir = db.parent().expect("the test's directory").to_path_buf();
    let png = dir.join("dot.png");
    std::fs::write(&png, PNG).expect("write the png");
    let server = ChatProcess::start(&db, None, None).await;
    let proxy = Proxy::start(server.addr).await;
    proxy.set(Mode::RefuseSockets);
    let room = proxy.url("/rooms/lobby");
    let mut browser = Browser::launch().await;
    let (ada, bob) = both_polling(&mut browser, &room).await;

    // A message from another person.
    post(&mut browser, &ada, "over http").await;
    browser.page(&bob).wait_for(&shows("over http")).await;

    // An image: the chunks go up as POST bodies, and the other person sees it.
    let mut page = browser.page(&ada);
    page.set_files("#attach", &[&png]).await;
    page.wait_for("document.querySelector('#picked img[lv-preview]')?.naturalWidth === 1")
        .await;
    page.click("#send").await;
    page.wait_for(IMAGE_SHOWN).await;
    drop(page);
    browser.page(&bob).wait_for(IMAGE_SHOWN).await;

    // Between rooms, live: from the room list (a page load, which polls at once: the tab
    // remembers), a new room, then the lobby; presence moves.
    let mut page = browser.page(&ada);
    page.goto(&proxy.url("/")).await;
    page.wait_connected().await;
    assert_eq!(page.eval(ON_POLL).await, json!(true), "the tab remembers");
    make_room(&mut page, "den").await;
    drop(page);
    browser
        .page(&bob)
        .wait_for(&format!("{ONLINE} === 'bob'"))
        .await;
    let mut page = browser.page(&ada);
    page.click("#room-links a[href='/rooms/lobby']").await;
    page.wait_for("location.pathname === '/rooms/lobby' && document.getElementById('heading')?.textContent === '#lobby'")
        .await;
    assert_eq!(page.eval(ON_POLL).await, json!(true), "still polling");
    drop(page);
    browser
        .page(&bob)
        .wait_for(&format!("{ONLINE} === 'ada,bob'"))
        .await;
    drop(browser);
    drop(proxy);
    drop(server);
    remove_db(&db);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn long_polling_spread_over_two_processes_without_sticky_sessions() {
    let redis = RedisServer::start().await;
    let db = temp_db("balanced");
    let one = ChatProcess::start(&db, None, Some(&redis.url())).await;
    let two = ChatProcess::start(&db, None, Some(&redis.url())).await;
    let balancer = Balancer::start(vec![one.addr, two.addr]).await;
    let room = balancer.url("/rooms/lobby");
    let mut browser = Browser::launch().await;
    let (ada, bob) = both_polling(&mut browser, &room).await;
    for i in 0..10 {
        post(&mut browser, &ada, &format!("ada {i}")).await;
        browser
            .page(&bob)
            .wait_for(&shows(&format!("ada {i}")))
            .await;
        post(&mut browser, &bob, &format!("bob {i}")).await;
        browser
            .page(&ada)
            .wait_for(&shows(&format!("bob {i}")))
            .await;
    }
    // Every message once, in order, on both pages.
    let order = "[...document.querySelectorAll('#messages li p')].map(p => p.textContent).filter(t => /^(ada|bob) \\d$/.test(t)).join()";
    let expected: Vec<String> = (0..10)
        .flat_map(|i| [format!("ada {i}"), format!("bob {i}")])
        .collect();
    for tab in [&ada, &bob] {
        // The last message reaches its own sender's page too (it may come after the other's).
        let mut page = browser.page(tab);
        page.wait_for(&shows("bob 9")).await;
        assert_eq!(page.eval(order).await, json!(expected.join(",")));
    }
    // To the room list (a page load) and a new room (a live navigation), through whichever
    // process each request lands on.
    let mut page = browser.page(&ada);
    page.goto(&balancer.url("/")).await;
    page.wait_connected().await;
    make_room(&mut page, "den").await;
    assert_eq!(page.eval(ON_POLL).await, json!(true), "still polling");
    drop(page);
    browser
        .page(&bob)
        .wait_for(&format!("{ONLINE} === 'bob'"))
        .await;
    assert!(
        balancer.polls(0) > 10 && balancer.polls(1) > 10,
        "the polls went to both processes: {} and {}",
        balancer.polls(0),
        balancer.polls(1)
    );
    drop(browser);
    drop(balancer);
    drop((one, two));
    remove_db(&db);
}
