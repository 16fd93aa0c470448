//! The chat's dashboard at `/admin`, in Chromium: the admin watches while someone else enters a
//! room and posts, and the dashboard's figures move; a person who is not the admin is turned
//! away with a flash.

mod common;

use common::{ADMIN, ChatProcess, ONLINE, enter, post, remove_db, shows, temp_db};
use leptos_live_tests::browser::Browser;

const ROOM: &str = "demo_chat::room::RoomPage";

/// JS: the text of `selector` in the dashboard, or `''`.
fn text(selector: &str) -> String {
    format!(
        "((document.querySelector({}) || {{}}).textContent || '')",
        serde_json::json!(selector)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_moves_with_the_chat_and_turns_others_away() {
    let db = temp_db("dashboard");
    let chat = ChatProcess::start(&db, None, None).await;
    let mut browser = Browser::launch().await;

    let admin = enter(&mut browser, &chat.url("/admin"), ADMIN).await;
    let mut page = browser.page(&admin);
    page.wait_for("document.getElementById('lv-dashboard') && location.pathname === '/admin'")
        .await;
    // Only the dashboard is live so far, and the one page it knows is itself.
    page.wait_for(&format!(
        "{} === '1' && {}.includes('Dashboard')",
        text("#stat-pages"),
        text("#pages tbody")
    ))
    .await;
    assert_eq!(page.eval(&text("#errors tbody")).await, "No error.");

    // Someone else enters the lobby and posts twice.
    let ada = enter(&mut browser, &chat.url("/rooms/lobby"), "ada").await;
    browser
        .page(&ada)
        .wait_for(&format!("{ONLINE} === 'ada'"))
        .await;
    post(&mut browser, &ada, "one").await;
    browser.page(&ada).wait_for(&shows("one")).await;
    post(&mut browser, &ada, "two").await;
    browser.page(&ada).wait_for(&shows("two")).await;

    // Within the next seconds the dashboard shows her page (and the sidebar's list of rooms
    // beside it, a page of its own), her posts and her presence.
    let mut page = browser.page(&admin);
    let posts = format!("#events tr[data-view=\"{ROOM}\"][data-event=\"post\"] [data-total]");
    page.wait_for(&format!("{} === '2'", text(&posts))).await;
    page.wait_for(&format!(
        "{} === '3' && {}.includes('/rooms/{{name}}') && {}.includes('@rooms')",
        text("#stat-pages"),
        text("#pages tbody"),
        text("#pages tbody")
    ))
    .await;
    page.wait_for(&format!(
        "{}.includes('room:lobby')",
        text("#presence tbody")
    ))
    .await;
    page.wait_for(&format!("{}.includes('room:lobby')", text("#topics tbody")))
        .await;
    let p99 = page
        .eval(&format!(
            "[...document.querySelectorAll('#events tr[data-view=\"{ROOM}\"][data-event=\"post\"] td')].map(td => td.textContent)[5]"
        ))
        .await;
    let p99 = p99.as_str().unwrap_or_default();
    assert!(p99.ends_with(" ms") || p99.ends_with(" s"), "a p99: {p99}");
    let slowest = page.eval(&text("#slowest tbody")).await;
    assert!(
        slowest.as_str().unwrap_or_default().contains("RoomPage"),
        "{slowest}"
    );
    // The whole time, one document: the figures came as patches.
    assert_eq!(
        page.eval("String(performance.getEntriesByType('navigation').length)")
            .await,
        "1"
    );

    // Bob is not the admin: he lands in the lobby, told why.
    let bob = enter(&mut browser, &chat.url("/admin"), "bob").await;
    let mut page = browser.page(&bob);
    page.wait_for("location.pathname === '/' && !document.getElementById('lv-dashboard')")
        .await;
    page.wait_for(
        "document.body.innerText.includes('Only the chat\\'s admin may open the dashboard.')",
    )
    .await;

    drop(browser);
    chat.kill().await;
    remove_db(&db);
}
