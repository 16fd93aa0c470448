//! The chat in headless Chromium: two people in one room, each in a browser context of their
//! own, against the real server process.

mod common;

use common::{ChatProcess, ONLINE, enter, post, remove_db, shows, temp_db};
use leptos_live_tests::browser::Browser;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_people_chat_and_the_history_survives_a_restart() {
    let db = temp_db("browser");
    let server = ChatProcess::start(&db, None, None).await;
    let room = server.url("/rooms/lobby");
    let mut browser = Browser::launch().await;
    let ada = enter(&mut browser, &room, "ada").await;
    let bob = enter(&mut browser, &room, "bob").await;

    // Presence shows both, in both.
    for tab in [&ada, &bob] {
        browser
            .page(tab)
            .wait_for(&format!("{ONLINE} === 'ada,bob'"))
            .await;
    }

    // A message typed in one appears in the other, as text.
    post(&mut browser, &ada, "hello <b>bob</b>").await;
    browser
        .page(&bob)
        .wait_for(&shows("hello <b>bob</b>"))
        .await;
    browser
        .page(&ada)
        .wait_for(&shows("hello <b>bob</b>"))
        .await;
    assert_eq!(
        browser
            .page(&bob)
            .eval("document.querySelectorAll('#messages b').length")
            .await,
        json!(0)
    );
    // The field is cleared once the message is posted.
    browser
        .page(&ada)
        .wait_for("document.querySelector('#post textarea').value === ''")
        .await;

    // Typing shows in the other's room.
    post_typing(&mut browser, &bob, "writing").await;
    browser
        .page(&ada)
        .wait_for("document.getElementById('typing').textContent.includes('bob is typing')")
        .await;
    browser.page(&bob).click("#post button").await;
    browser.page(&ada).wait_for(&shows("writing")).await;
    browser
        .page(&ada)
        .wait_for("!document.getElementById('typing').textContent.includes('bob')")
        .await;

    // An empty message gets a clear error under the input.
    browser
        .page(&ada)
        .eval("document.querySelector('#post textarea').value = '   '")
        .await;
    browser.page(&ada).click("#post button").await;
    browser
        .page(&ada)
        .wait_for("document.getElementById('post-error').textContent === 'Write something first.'")
        .await;

    // Closing one removes it from the other's list.
    browser.close_tab(bob).await;
    browser
        .page(&ada)
        .wait_for(&format!("{ONLINE} === 'ada'"))
        .await;

    // A restart: ada's tab reconnects by itself, keeps its unsent draft and its messages once
    // each, and posts again.
    let port = server.addr.port();
    browser
        .page(&ada)
        .eval("document.querySelector('#post textarea').value = ''")
        .await;
    post_typing(&mut browser, &ada, "an unsent draft").await;
    browser
        .page(&ada)
        .eval("window.oldSocket = window.liveSocket.ws")
        .await;
    server.kill().await;
    let server = ChatProcess::start(&db, Some(port), None).await;
    let mut page = browser.page(&ada);
    page.wait_for("window.liveSocket.ws !== window.oldSocket && window.liveSocket.isConnected()")
        .await;
    page.wait_for("document.querySelector('#post textarea').value === 'an unsent draft'")
        .await;
    page.eval("document.querySelector('#post textarea').value = ''")
        .await;
    drop(page);
    post_when_connected(&mut browser, &ada, "after the restart").await;
    browser
        .page(&ada)
        .wait_for(&shows("after the restart"))
        .await;
    let count = browser
        .page(&ada)
        .eval("[...document.querySelectorAll('#messages li p')].filter(p => p.textContent === 'hello <b>bob</b>').length")
        .await;
    assert_eq!(count, json!(1), "stream items merge by id after a remount");

    // Someone new sees the whole history, from the database.
    let carol = enter(&mut browser, &server.url("/rooms/lobby"), "carol").await;
    let mut page = browser.page(&carol);
    for text in ["hello <b>bob</b>", "writing", "after the restart"] {
        page.wait_for(&shows(text)).await;
    }
    drop(browser);
    drop(server);
    remove_db(&db);
}

/// Types into the message field without sending.
async fn post_typing(browser: &mut Browser, tab: &leptos_live_tests::browser::Tab, text: &str) {
    let mut page = browser.page(tab);
    page.eval("document.querySelector('#post textarea').focus()")
        .await;
    page.type_text(text).await;
}

/// Waits for the tab to be joined again, then posts.
async fn post_when_connected(
    browser: &mut Browser,
    tab: &leptos_live_tests::browser::Tab,
    text: &str,
) {
    let mut page = browser.page(tab);
    page.wait_for("window.liveSocket.ws !== window.oldSocket")
        .await;
    page.wait_connected().await;
    drop(page);
    post(browser, tab, text).await;
}

/// Rooms are pages of one live session: making a room navigates to it with a flash, switching
/// rooms loads no document and keeps the tab's one socket, and presence moves with the user;
/// the members tab is a patch of the room's URL; a private room sends others away with an
/// error flash.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_rooms_is_live_and_presence_moves() {
    let db = temp_db("navigate");
    let server = ChatProcess::start(&db, None, None).await;
    let mut browser = Browser::launch().await;
    let ada = enter(&mut browser, &server.url("/"), "ada").await;
    let bob = enter(&mut browser, &server.url("/rooms/lobby"), "bob").await;
    browser
        .page(&bob)
        .wait_for(&format!("{ONLINE} === 'bob'"))
        .await;

    let mut page = browser.page(&ada);
    // No inline script: the hooks come from a module, under script-src 'self'.
    assert_eq!(
        page.eval("fetch('/').then(r => r.headers.get('content-security-policy').includes(\"script-src 'self'\") && !!window.lvHooks.ChatForm && document.querySelectorAll('script:not([src])').length === 0)")
            .await,
        json!(true)
    );
    page.cmd("Network.enable", json!({})).await;
    page.eval("window.firstSocket = window.liveSocket.ws; document.getElementById('sidebar').dataset.kept = 'yes'")
        .await;
    // A new room: the lobby navigates to it, with an info flash.
    page.eval("document.querySelector('#create-room input[name=name]').value = 'den'")
        .await;
    page.click("#create-room button").await;
    page.wait_for("location.pathname === '/rooms/den' && document.getElementById('heading')?.textContent === '#den'")
        .await;
    page.wait_for("document.getElementById('flash-info')?.textContent.includes('#den created')")
        .await;
    assert_eq!(
        page.eval("document.title").await,
        json!("#den · leptos-live chat")
    );
    // To the lobby room from the layout's sidebar: bob sees ada arrive.
    page.click("#room-links a[href='/rooms/lobby']").await;
    page.wait_for("location.pathname === '/rooms/lobby' && document.getElementById('heading')?.textContent === '#lobby'")
        .await;
    drop(page);
    browser
        .page(&bob)
        .wait_for(&format!("{ONLINE} === 'ada,bob'"))
        .await;
    // Back to den: ada leaves the lobby's list.
    browser.page(&ada).eval("history.back()").await;
    browser
        .page(&ada)
        .wait_for("location.pathname === '/rooms/den' && document.getElementById('heading')?.textContent === '#den'")
        .await;
    browser
        .page(&bob)
        .wait_for(&format!("{ONLINE} === 'bob'"))
        .await;
    let mut page = browser.page(&ada);
    // The flash went with the navigation after the one that brought it.
    assert_eq!(
        page.eval("document.getElementById('flash-info')").await,
        json!(null)
    );
    // The members tab is a patch of the room's URL.
    page.click("#tab-members").await;
    page.wait_for("location.search === '?tab=members' && document.getElementById('members')")
        .await;
    assert_eq!(
        page.eval("window.firstSocket === window.liveSocket.ws && document.getElementById('sidebar').dataset.kept === 'yes'")
            .await,
        json!(true),
        "one socket, and the layout stayed"
    );
    let docs = page
        .take_events("Network.requestWillBeSent")
        .iter()
        .filter(|e| e["params"]["type"] == "Document")
        .count();
    assert_eq!(docs, 0, "no document was loaded");
    assert_eq!(page.take_events("Network.webSocketCreated").len(), 0);
    drop(page);

    // A private room: bob is sent to the lobby with an error flash, by a full load or live.
    let mut page = browser.page(&ada);
    page.goto(&server.url("/")).await;
    page.wait_connected().await;
    page.eval("document.querySelector('#create-room input[name=name]').value = 'vault'; document.querySelector('#create-room input[name=private]').checked = true")
        .await;
    page.click("#create-room button").await;
    page.wait_for("location.pathname === '/rooms/vault'").await;
    drop(page);
    let mut page = browser.page(&bob);
    page.goto(&server.url("/rooms/vault")).await;
    page.wait_for("location.pathname === '/' && document.getElementById('flash-error')?.textContent.includes('members only')")
        .await;
    page.wait_connected().await;
    page.eval("window.liveSocket.navigate('/rooms/vault')")
        .await;
    page.wait_for("location.pathname === '/' && document.getElementById('flash-error')?.textContent.includes('members only')")
        .await;
    drop(page);

    // The members panel is a component with events of its own: the owner invites bob.
    let mut page = browser.page(&ada);
    page.click("#tab-members").await;
    page.wait_for("document.querySelector('[data-member=ada]')")
        .await;
    page.eval("document.querySelector('#invite input').value = 'bob'")
        .await;
    page.click("#invite button").await;
    page.wait_for("document.getElementById('notice')?.textContent === 'bob may now enter.' && document.querySelector('[data-member=bob]')")
        .await;
    drop(page);
    let mut page = browser.page(&bob);
    page.goto(&server.url("/rooms/vault")).await;
    page.wait_for("document.getElementById('heading')?.textContent === '#vault'")
        .await;
    drop(page);
    drop(browser);
    drop(server);
    remove_db(&db);
}
