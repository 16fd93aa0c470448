//! The sidebar's list of rooms is a sticky part of the layout, in Chromium: a room one person
//! makes appears in another person's sidebar while they sit in another room, with no reload, and
//! stays there across their live navigations, the list never rendered again by the browser, and
//! joined over the page's own socket.

mod common;

use common::{ChatProcess, enter, make_room, remove_db, temp_db};
use leptos_live_tests::browser::{Browser, Page, Tab};
use serde_json::json;

/// JS: the sidebar's room links, joined with commas.
const LISTED: &str =
    "[...document.querySelectorAll('#room-links a')].map(a => a.getAttribute('href')).join()";

/// The maker goes back to the lobby and makes room `name` there; the watcher's page, once its
/// sidebar lists `listed`.
async fn made_from_the_lobby<'a>(
    browser: &'a mut Browser,
    server: &ChatProcess,
    (maker, watcher): (&Tab, &'a Tab),
    name: &str,
    listed: &str,
) -> Page<'a> {
    let mut lobby = browser.page(maker);
    lobby.goto(&server.url("/")).await;
    lobby.wait_connected().await;
    make_room(&mut lobby, name).await;
    drop(lobby);
    let mut page = browser.page(watcher);
    page.wait_for(&format!("{LISTED} === '{listed}'")).await;
    page
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_room_appears_in_another_sidebar_and_stays_across_navigations() {
    let db = temp_db("sidebar");
    let server = ChatProcess::start(&db, None, None).await;
    let mut browser = Browser::launch().await;
    let ada = enter(&mut browser, &server.url("/rooms/lobby"), "ada").await;
    let bob = enter(&mut browser, &server.url("/"), "bob").await;

    // Ada's document and list, marked: a reload or a new list would lose the marks.
    let mut page = browser.page(&ada);
    // Loaded again with the network watched: the room and the list join over one socket.
    page.cmd("Network.enable", json!({})).await;
    page.goto(&server.url("/rooms/lobby")).await;
    page.wait_for("document.querySelector('[lv-sticky]')?.classList.contains('lv-connected')")
        .await;
    page.wait_connected().await;
    assert_eq!(
        page.take_events("Network.webSocketCreated").len(),
        1,
        "the page and its sticky part share one socket"
    );
    page.eval(
        "window.sameDocument = true; document.getElementById('room-links').dataset.kept = 'yes'",
    )
    .await;
    assert_eq!(page.eval(LISTED).await, json!("/rooms/lobby"));
    drop(page);

    make_room(&mut browser.page(&bob), "den").await;
    let mut page = browser.page(&ada);
    page.wait_for(&format!("{LISTED} === '/rooms/den,/rooms/lobby'"))
        .await;
    assert_eq!(page.eval("location.pathname").await, json!("/rooms/lobby"));

    // Into the new room from the sidebar, live: the list stays, with its socket.
    page.click("#room-links a[href='/rooms/den']").await;
    page.wait_for("document.getElementById('heading')?.textContent === '#den'")
        .await;
    drop(page);
    let mut page = made_from_the_lobby(
        &mut browser,
        &server,
        (&bob, &ada),
        "attic",
        "/rooms/attic,/rooms/den,/rooms/lobby",
    )
    .await;
    page.click("#room-links a[href='/rooms/lobby']").await;
    page.wait_for("document.getElementById('heading')?.textContent === '#lobby'")
        .await;
    assert_eq!(
        page.eval(&format!(
            "[window.sameDocument, document.getElementById('room-links').dataset.kept, {LISTED}]"
        ))
        .await,
        json!([true, "yes", "/rooms/attic,/rooms/den,/rooms/lobby"]),
        "one document, one list"
    );
    // The link to the room shown is the one marked current.
    assert_eq!(
        page.eval(
            "document.querySelector('#room-links a[aria-current=page]')?.getAttribute('href')"
        )
        .await,
        json!("/rooms/lobby")
    );
    // The socket cut: the page and the list rejoin over the next one, and the list is live again.
    page.eval("window.liveSocket.ws.close()").await;
    page.wait_for(
        "!document.querySelector('[lv-sticky]').classList.contains('lv-connected') || window.liveSocket.ws === null",
    )
    .await;
    page.wait_for("document.querySelector('[lv-sticky]').classList.contains('lv-connected')")
        .await;
    page.wait_connected().await;
    drop(page);
    let mut page = made_from_the_lobby(
        &mut browser,
        &server,
        (&bob, &ada),
        "cellar",
        "/rooms/attic,/rooms/cellar,/rooms/den,/rooms/lobby",
    )
    .await;
    assert_eq!(page.eval("window.sameDocument").await, json!(true));
    drop(page);
    drop(browser);
    drop(server);
    remove_db(&db);
}
